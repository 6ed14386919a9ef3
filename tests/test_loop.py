"""The agent loop itself (copilot/loop.py), with a scripted model and plain tools.

The scripted model is a LangChain chat model: it receives and gives LangChain's
messages, while the loop produces the copilot's own (copilot.messages)."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import StructuredTool

from copilot import messages as ours
from copilot.loop import AgentLoop, Middleware, ModelRequest, ModelResponse
from tests.fakes.chat_models import ScriptedChatModel, tool_call

RUNS: list[int] = []


def _double(x: int) -> str:
    """Twice x."""
    RUNS.append(x)
    return str(2 * x)


DOUBLE = StructuredTool.from_function(_double, name="double")


def _loop(script: list[AIMessage], steps: int = 5, middleware: list | None = None):  # noqa: ANN202
    model = ScriptedChatModel(script=script)
    loop = AgentLoop(
        model, [DOUBLE], system_prompt="rules", max_tool_steps=steps, middleware=middleware or []
    )
    return model, loop


def test_a_tool_call_runs_and_the_model_answers_from_its_result() -> None:
    RUNS.clear()
    model, loop = _loop([tool_call("double", {"x": 4}), AIMessage("8")])
    produced = loop.invoke([HumanMessage("double 4")])
    assert [type(m) for m in produced] == [ours.AIMessage, ours.ToolMessage, ours.AIMessage]
    assert produced[1].content == "8" and RUNS == [4]
    # The system prompt goes first on every call; the second call sees the tool result.
    assert isinstance(model.received[0][0], SystemMessage)
    assert isinstance(model.received[1][-1], ToolMessage)


def test_unknown_tools_and_invalid_arguments_go_back_to_the_model() -> None:
    model, loop = _loop(
        [
            tool_call("triple", {"x": 1}, "a"),
            tool_call("double", {"x": "many"}, "b"),
            AIMessage("?"),
        ]
    )
    produced = loop.invoke([HumanMessage("q")])
    errors = [m for m in produced if isinstance(m, ours.ToolMessage)]
    assert all(m.status == "error" for m in errors)
    assert "triple is not a valid tool, try one of [double]" in errors[0].content
    assert "Error invoking tool 'double'" in errors[1].content and "x:" in errors[1].content


def test_the_step_limit_runs_no_call_of_the_batch_that_passes_it() -> None:
    RUNS.clear()
    batch = AIMessage(
        "",
        tool_calls=[
            {"name": "double", "args": {"x": i}, "id": f"c{i}", "type": "tool_call"}
            for i in range(3)
        ],
    )
    _, loop = _loop([tool_call("double", {"x": 9}, "first"), batch], steps=2)
    produced = loop.invoke([HumanMessage("q")])
    assert RUNS == [9]  # the batch of three would pass the limit of two: none of it runs
    assert "call limit reached: run limit exceeded (4/2 calls)" in produced[-1].text
    assert [m.status for m in produced if isinstance(m, ours.ToolMessage)][1:] == ["error"] * 3


def test_malformed_calls_are_answered_with_an_error_before_the_next_call() -> None:
    bad = AIMessage(
        "",
        tool_calls=[{"name": "double", "args": {"x": 1}, "id": "ok", "type": "tool_call"}],
        invalid_tool_calls=[
            {
                "name": "double",
                "args": "{x:",
                "id": "bad",
                "error": None,
                "type": "invalid_tool_call",
            }
        ],
    )
    model, loop = _loop([bad, AIMessage("2")])
    loop.invoke([HumanMessage("q")])
    sent = model.received[1]
    patch = next(m for m in sent if isinstance(m, ToolMessage) and m.tool_call_id == "bad")
    assert "could not be executed - arguments were malformed" in patch.content


class _Tag(Middleware):
    def __init__(self, name: str, seen: list[str]) -> None:
        self.name, self.seen = name, seen

    def wrap_model_call(self, request: ModelRequest, handler) -> ModelResponse:  # noqa: ANN001
        self.seen.append(self.name)
        return handler(request.override(messages=[*request.messages, HumanMessage(self.name)]))


def test_the_first_middleware_is_outermost() -> None:
    seen: list[str] = []
    model, loop = _loop([AIMessage("done")], middleware=[_Tag("outer", seen), _Tag("inner", seen)])
    loop.invoke([HumanMessage("q")])
    assert seen == ["outer", "inner"]
    assert [m.text for m in model.received[0][-2:]] == ["outer", "inner"]
