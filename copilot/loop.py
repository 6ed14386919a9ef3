"""The agent loop: model -> tool calls -> tools -> model, until an answer or the step limit.

One loop serves every chat model, the offline planner and a remote one alike: it
only calls `bind_tools` and `stream` of a LangChain `BaseChatModel` and runs the
tool calls the model returns. It speaks the copilot's own messages
(copilot.messages), converted to and from LangChain's only around a LangChain
model (`call_model`), so the offline path imports no LangChain. It replaces
LangGraph's `create_agent`, whose import alone cost about a second of CPU on
every start (issue 10), and keeps its observable behaviour: the same error texts for an unknown tool, invalid
arguments and malformed calls (so a model corrects itself the same way), the
same step-limit ending as LangChain's `ToolCallLimitMiddleware(exit_behavior="end")`,
and the same `wrap_model_call(request, handler)` hook for middleware (the
grounding guard and the privacy gate), the first middleware outermost.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from copilot.messages import (
    AIMessage,
    BaseMessage,
    SystemMessage,
    ToolMessage,
    from_langchain,
    to_langchain,
)

if TYPE_CHECKING:  # types only: the offline path has neither (issue 10)
    from langchain_core.language_models import BaseChatModel
    from langchain_core.tools import BaseTool

STEP_LIMIT_TEXT = "Tool call limit reached: run limit exceeded ({made}/{limit} calls)."
"""The loop's last message when the model asks for more tool calls than allowed."""
_BLOCKED = "Tool call limit exceeded. Do not make additional tool calls."
_SKIPPED = (
    "Execution stopped before this tool call could run because another tool call in the "
    "same batch exceeded the limit."
)


@dataclass(frozen=True)
class ModelRequest:
    """One model call: the conversation (without the system prompt), the tools offered
    and the tool choice. Middleware changes it with `override`."""

    model: BaseChatModel
    messages: list[BaseMessage]
    tools: list[BaseTool] = field(default_factory=list)
    system_prompt: str | None = None
    tool_choice: str | None = None

    def override(self, **changes: Any) -> ModelRequest:
        """A copy with the given fields replaced (messages, tools, tool_choice...)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class ModelResponse:
    """What a model call produced: its messages, the last one the model's reply."""

    result: list[BaseMessage]


Handler = Callable[[ModelRequest], ModelResponse]


@dataclass(frozen=True)
class ToolCallRequest:
    """One tool call the model asked for (name, args, id); middleware changes it with
    `override(tool_call=...)`."""

    tool_call: dict[str, Any]

    def override(self, **changes: Any) -> ToolCallRequest:
        """A copy with the given fields replaced."""
        return replace(self, **changes)


ToolHandler = Callable[[ToolCallRequest], ToolMessage]


class Middleware:
    """Wraps every model call and every tool call; the defaults pass them through."""

    def wrap_model_call(self, request: ModelRequest, handler: Handler) -> ModelResponse:
        return handler(request)

    def wrap_tool_call(self, request: ToolCallRequest, handler: ToolHandler) -> ToolMessage:
        return handler(request)


def call_model(request: ModelRequest) -> ModelResponse:
    """The innermost handler: bind the tools, prepend the system prompt, call the model.

    The reply is streamed (when the model streams at all and COPILOT_LLM_STREAM allows
    it) and assembled into one message, as LangGraph's "messages" stream mode did.
    Raises whatever the model raises (a fatal error for the caller).
    """
    bound = (
        request.model.bind_tools(request.tools, tool_choice=request.tool_choice)
        if request.tools
        else request.model
    )
    messages: list[Any] = list(request.messages)
    if request.system_prompt:
        messages = [SystemMessage(request.system_prompt), *messages]
    if not speaks_langchain(request.model):  # the offline planner: the copilot's messages
        replies = list(bound.stream(messages))
        if not replies:
            raise ValueError("The chat model returned no message.")
        return ModelResponse(result=[replies[-1]])
    from langchain_core.messages import message_chunk_to_message

    reply: Any = None
    for chunk in bound.stream(to_langchain(messages)):
        reply = chunk if reply is None else reply + chunk
    if reply is None:
        raise ValueError("The chat model returned no message.")
    return ModelResponse(result=[from_langchain(message_chunk_to_message(reply))])


def speaks_langchain(model: Any) -> bool:
    """Whether `model` is a LangChain chat model (takes and gives LangChain's messages).

    No LangChain model can exist unless LangChain's model base is imported, so the
    offline path never imports it to find out.
    """
    base = sys.modules.get("langchain_core.language_models")
    return base is not None and isinstance(model, base.BaseLanguageModel)


class AgentLoop:
    """Runs one question: model calls through the middleware, then the tools it asks for.

    `max_tool_steps` bounds the tool calls of one run; the call that would pass it is
    not run, and the loop ends with a STEP_LIMIT_TEXT message instead.
    """

    def __init__(
        self,
        model: BaseChatModel,
        tools: Sequence[BaseTool],
        *,
        system_prompt: str | None,
        max_tool_steps: int,
        middleware: Sequence[Middleware] = (),
    ) -> None:
        self.model = model
        self.tools = list(tools)
        self.system_prompt = system_prompt
        self.max_tool_steps = max_tool_steps
        self.middleware = list(middleware)
        self._by_name = {tool.name: tool for tool in self.tools}
        handler: Handler = call_model
        tool_handler: ToolHandler = lambda request: self._run_tool(request.tool_call)  # noqa: E731
        for layer in reversed(self.middleware):  # the first middleware ends up outermost
            handler = _wrapped(layer, handler)
            tool_handler = _wrapped_tool(layer, tool_handler)
        self._handler = handler
        self._tool_handler = tool_handler

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[BaseMessage]:
        """Every message the run produces, in order: model replies and tool results."""
        conversation = [from_langchain(message) for message in messages]
        made = 0
        while True:
            request = ModelRequest(
                model=self.model,
                messages=_with_invalid_call_errors(conversation),
                tools=self.tools,
                system_prompt=self.system_prompt,
            )
            produced = self._handler(request).result
            conversation.extend(produced)
            yield from produced
            reply = next((m for m in reversed(produced) if isinstance(m, AIMessage)), None)
            if reply is None or not reply.tool_calls:
                return
            calls = reply.tool_calls
            if made + len(calls) > self.max_tool_steps:
                yield from _step_limit_end(calls, made, self.max_tool_steps)
                return
            made += len(calls)
            for call in calls:
                result = self._tool_handler(ToolCallRequest(tool_call=call))
                conversation.append(result)
                yield result

    def invoke(self, messages: Sequence[BaseMessage]) -> list[BaseMessage]:
        """The messages the run produces (see `stream`)."""
        return list(self.stream(messages))

    def _run_tool(self, call: dict[str, Any]) -> ToolMessage:
        """The tool's result; an unknown tool or invalid arguments become an error result
        the model can correct (any other exception propagates: a fatal error)."""
        tool = self._by_name.get(call["name"])
        if tool is None:
            available = ", ".join(self._by_name)
            return _error(
                call, f"Error: {call['name']} is not a valid tool, try one of [{available}]."
            )
        try:
            result = tool.invoke({**call, "type": "tool_call"})
        except ValidationError as exc:
            problems = "\n".join(
                f"{'.'.join(str(part) for part in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
                for e in exc.errors()
            )
            return _error(
                call,
                f"Error invoking tool '{call['name']}' with kwargs {call['args']} with error:\n"
                f" {problems}\n Please fix the error and try again.",
            )
        if getattr(result, "type", None) == "tool":  # ours, or a LangChain tool's ToolMessage
            return from_langchain(result)
        return ToolMessage(content=str(result), name=call["name"], tool_call_id=call["id"])


def _wrapped(layer: Middleware, inner: Handler) -> Handler:
    return lambda request: layer.wrap_model_call(request, inner)


def _wrapped_tool(layer: Middleware, inner: ToolHandler) -> ToolHandler:
    return lambda request: layer.wrap_tool_call(request, inner)


def _error(call: dict[str, Any], text: str) -> ToolMessage:
    return ToolMessage(content=text, name=call["name"], tool_call_id=call["id"], status="error")


def _step_limit_end(calls: Sequence[dict[str, Any]], made: int, limit: int) -> list[BaseMessage]:
    """No call of the batch runs: the ones past the limit are refused, the others skipped,
    and a final message says the limit was reached (the agent words it for the user)."""
    allowed = max(0, limit - made)
    messages: list[BaseMessage] = [
        ToolMessage(
            content=_SKIPPED if index < allowed else _BLOCKED,
            name=call["name"],
            tool_call_id=call["id"],
            status="error",
        )
        for index, call in enumerate(calls)
    ]
    messages.append(AIMessage(STEP_LIMIT_TEXT.format(made=made + len(calls), limit=limit)))
    return messages


def _with_invalid_call_errors(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The conversation with an error result after each malformed tool call that has
    none, so the model sees its call failed (what LangChain's agent sends)."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    patched: list[BaseMessage] = []
    for message in messages:
        patched.append(message)
        if not isinstance(message, AIMessage):
            continue
        for bad in message.invalid_tool_calls:
            if bad.get("id") is None or bad.get("id") in answered:
                continue
            name = bad.get("name") or "unknown"
            patched.append(
                ToolMessage(
                    content=f"Tool call {name} with id {bad['id']} could not be executed - "
                    "arguments were malformed or truncated.",
                    name=name,
                    tool_call_id=bad["id"],
                    status="error",
                )
            )
            answered.add(bad["id"])
    return patched
