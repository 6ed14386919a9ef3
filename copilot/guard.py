"""The grounding guard: the middleware between the agent loop and any chat model but ours.

Around every model call it:
1. sends only the tools the question can need (the offline planner's reading) and
   the configured `tool_choice`;
2. reads tool calls the model wrote as text (json code blocks, `<tool_call>` tags)
   into real calls, so they run;
3. checks a final answer: every number must come from this turn's tool results or
   the question (copilot.grounding), and a data question needs a tool call. A
   failing answer goes back to the model once with the reason; a second failure
   comes back as an empty message marked `GROUNDING_FAILED`, which the agent
   replaces with the offline planner's answer or a plain "could not compute".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from copilot.grounding import Sources, check_numbers
from copilot.loop import Middleware, ModelRequest, ModelResponse
from copilot.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from copilot.text_tool_calls import read_text_tool_calls
from copilot.tool_shortlist import QuestionReader, compact, shortlist
from tools.base import ToolOutput

GUARD_KEY = "copilot_guard"
"""response_metadata key of the guard's verdict on a message: see `verdict_of`."""
CHECKED, RETRIED, FAILED, MODEL_FAILED = "checked", "retried", "failed", "model_failed"
FAILURE_KEY = "guard_failure"
"""Why a FAILED message failed: `empty`, `unreadable` (a text tool call), `no_tool`
(a data question answered without one) or `ungrounded` (numbers no tool produced).
The first two are model failures (status error); the agent answers the last two
with the offline planner."""


class GroundingGuard(Middleware):
    """Shortlists tools, reads text tool calls and checks every final answer's numbers."""

    def __init__(
        self,
        reader: QuestionReader | None,
        tool_choice: str = "auto",
        use_shortlist: bool = True,
    ) -> None:
        super().__init__()
        self.reader = reader
        self.tool_choice = tool_choice
        self.use_shortlist = use_shortlist

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        at = _question_index(request.messages)
        question = request.messages[at].text if at is not None else ""
        turn = list(request.messages[at + 1 :]) if at is not None else []
        planned = self._planned(request.messages[: at + 1] if at is not None else [])
        request = self._shaped(request, planned, turn)
        first = _last_ai(handler(request))
        message = _with_text_calls(first)
        retried = any(_verdict(m) == RETRIED for m in turn if isinstance(m, AIMessage))
        problem = self._problem(message, question, turn, planned)
        if problem is None:
            return _response(_marked(message, RETRIED if retried else CHECKED))
        if retried:
            return _response(_failed(message, *problem))
        reason = problem[1]
        again = handler(request.override(messages=[*request.messages, first, HumanMessage(reason)]))
        second = _with_text_calls(_last_ai(again))
        problem_again = self._problem(second, question, turn, planned)
        if problem_again is None:
            return _response(_marked(second, RETRIED))
        return _response(_failed(second, *problem_again))

    def _planned(self, messages: Sequence[BaseMessage]) -> tuple[str, ...]:
        if self.reader is None or not messages:
            return ()
        return self.reader.planned_tools(messages)

    def _shaped(
        self, request: ModelRequest, planned: Sequence[str], turn: Sequence[BaseMessage]
    ) -> ModelRequest:
        """The request with the shortlisted tools and the configured tool_choice."""
        overrides: dict[str, Any] = {}
        if self.use_shortlist:
            from langchain_core.tools import BaseTool  # a remote model's tools only

            available = [getattr(t, "name", "") for t in request.tools]
            chosen = shortlist(planned, available) or available
            overrides["tools"] = [
                compact(t) if isinstance(t, BaseTool) else t
                for t in request.tools
                if getattr(t, "name", "") in chosen
            ]
        has_results = any(isinstance(m, ToolMessage) for m in turn)
        if self.tool_choice == "auto":
            overrides["tool_choice"] = "auto"
        elif self.tool_choice == "required":
            # Required only until a tool has run: after that the model must be free to answer.
            overrides["tool_choice"] = "auto" if has_results else "required"
        return request.override(**overrides) if overrides else request

    def _problem(
        self,
        message: AIMessage,
        question: str,
        turn: Sequence[BaseMessage],
        planned: Sequence[str],
    ) -> tuple[str, str] | None:
        """(failure kind, reason for the model) when this final answer may not reach the
        user, or None when it may."""
        if message.tool_calls or message.invalid_tool_calls:
            return None  # not final: the tools run (or report the bad call) first
        if message.response_metadata.get(GUARD_KEY) == MODEL_FAILED:
            return "unreadable", message.response_metadata.get("guard_reason", "")
        if not message.text.strip():
            return (
                "empty",
                "Your reply was empty. Call a tool if the question needs data, then answer.",
            )
        results = [m for m in turn if isinstance(m, ToolMessage)]
        if planned and not results:
            return "no_tool", (
                "This question needs the store's data, but you called no tool. Call "
                f"{planned[0]} (or another tool) and answer only from its result."
            )
        verdict = check_numbers(message.text, turn_sources(question, results))
        if verdict.ok:
            return None
        shown = ", ".join(verdict.unsupported[:5])
        return "ungrounded", (
            f"Your answer states numbers that no tool result of this question contains: {shown}. "
            "State only numbers from the tool results (or call a tool for the missing ones)."
        )


def turn_sources(question: str, results: Sequence[ToolMessage]) -> Sources:
    """The numbers this turn may use: tool texts, their data and tables, and the question."""
    sources = Sources()
    sources.add_question(question)
    for result in results:
        sources.add_text(str(result.content))
        output = result.artifact
        if isinstance(output, ToolOutput):
            sources.add_value(output.data)
            for table in output.artifacts:
                frame = getattr(table, "frame", None)
                if frame is not None:
                    sources.add_value(frame)
    return sources


def verdict_of(message: BaseMessage) -> str | None:
    """The guard's verdict on a final message: checked, retried, failed, or None."""
    return _verdict(message)


def _verdict(message: BaseMessage) -> str | None:
    return (getattr(message, "response_metadata", None) or {}).get(GUARD_KEY)


def _question_index(messages: Sequence[BaseMessage]) -> int | None:
    indices = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    return indices[-1] if indices else None


def _last_ai(response: ModelResponse | AIMessage) -> AIMessage:
    if isinstance(response, AIMessage):
        return response
    for message in reversed(response.result):
        if isinstance(message, AIMessage):
            return message
    return AIMessage("")


def _response(message: AIMessage) -> ModelResponse:
    return ModelResponse(result=[message])


def _marked(message: AIMessage, verdict: str) -> AIMessage:
    """The message with the verdict; a retried call is marked too, so the turn's one
    retry is spent (a later failing answer is not sent back again)."""
    if message.tool_calls and verdict == CHECKED:
        return message
    return _with_meta(message, {GUARD_KEY: verdict})


def _failed(message: AIMessage, kind: str, reason: str) -> AIMessage:
    """The replacement of an answer that failed twice: no text, the reason in metadata."""
    return AIMessage(
        content="",
        id=message.id,
        response_metadata={
            **message.response_metadata,
            GUARD_KEY: FAILED,
            FAILURE_KEY: kind,
            "guard_reason": reason,
            "rejected_text": message.text[:500],
        },
    )


def _with_meta(message: AIMessage, extra: dict[str, Any]) -> AIMessage:
    return message.model_copy(update={"response_metadata": {**message.response_metadata, **extra}})


def _with_text_calls(message: AIMessage) -> AIMessage:
    """The message with tool calls written as text turned into real calls.

    A block that looks like a call but cannot be read marks the message MODEL_FAILED
    (its reason in `guard_reason`), so it is never shown as an answer.
    """
    if message.tool_calls or not message.text.strip():
        return message
    found = read_text_tool_calls(message.text)
    if found.calls:
        return AIMessage(
            content="",
            id=message.id,
            tool_calls=found.calls,
            response_metadata={**message.response_metadata, "text_tool_calls": True},
        )
    if found.unreadable:
        return _with_meta(
            message,
            {
                GUARD_KEY: MODEL_FAILED,
                "guard_reason": "You wrote a tool call as text that could not be read: "
                f"{found.unreadable[0]}. Call the tool through the tools interface.",
            },
        )
    return message
