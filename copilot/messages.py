"""The agent loop's messages: the question, the model's replies and the tools' results.

One representation for every model: the loop, the offline planner, the middleware
(grounding guard, privacy gate, confirmation gate) and the stored conversation all
use these classes. They carry the attributes of LangChain's messages that the
copilot reads (`content`, `text`, `type`, `id`, `tool_calls`, `invalid_tool_calls`,
`response_metadata`, `artifact`, `status`, `model_copy`), so code written against
LangChain's messages reads them unchanged, but they are plain dataclasses: an
offline `copilot ask` imports no LangChain at all (issue 10: `langchain_core.messages`
alone costs about 0.3 s of CPU at every start, with requests and pydantic.v1).

A LangChain chat model (a remote model) is the one place that speaks LangChain's
message classes: `to_langchain` converts the conversation before it is sent, and
`from_langchain` converts its reply, or a LangChain tool's result, back
(copilot.loop.call_model and AgentLoop._run_tool). Both import LangChain only when
they are called, i.e. only when a LangChain model or tool is in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

Content = str | list[Any]
"""A message's content: text, or LangChain-style content blocks (str or {"type", "text"})."""


@dataclass
class BaseMessage:
    """A message of the conversation; `type` is LangChain's role name ("human", "ai"...)."""

    content: Content = ""
    id: str | None = None

    type: ClassVar[str] = "base"

    @property
    def text(self) -> str:
        """The text of the content (text blocks joined, as LangChain's `.text`)."""
        if isinstance(self.content, str):
            return self.content
        parts = []
        for block in self.content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type", "text") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> BaseMessage:
        """A copy with some fields replaced (as a Pydantic model's `model_copy`)."""
        return replace(self, **(update or {}))


@dataclass
class HumanMessage(BaseMessage):
    """The user's question (or a note written in the user's place, e.g. by the guard)."""

    type: ClassVar[str] = "human"


@dataclass
class SystemMessage(BaseMessage):
    """The system prompt."""

    type: ClassVar[str] = "system"


@dataclass
class AIMessage(BaseMessage):
    """The model's reply: text and/or tool calls.

    `tool_calls`: [{"name", "args", "id", "type": "tool_call"}]; `invalid_tool_calls`:
    calls the model wrote but that could not be parsed ({"name", "args", "id", "error"});
    `response_metadata`: what the model or the copilot states about the reply (its
    status, the guard's verdict...); `additional_kwargs`: a remote model's raw extras,
    kept so they go back to it unchanged.
    """

    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    invalid_tool_calls: list[dict[str, Any]] = field(default_factory=list)
    response_metadata: dict[str, Any] = field(default_factory=dict)
    additional_kwargs: dict[str, Any] = field(default_factory=dict)

    type: ClassVar[str] = "ai"


@dataclass
class ToolMessage(BaseMessage):
    """A tool's result for one call: `content` is what the model reads, `artifact` the
    ToolOutput (tables, charts, data); `status` is "success" or "error"."""

    tool_call_id: str = ""
    name: str | None = None
    status: str = "success"
    artifact: Any = None

    type: ClassVar[str] = "tool"


_BY_TYPE: dict[str, type[BaseMessage]] = {
    cls.type: cls for cls in (HumanMessage, SystemMessage, AIMessage, ToolMessage)
}
_BY_TYPE |= {"AIMessageChunk": AIMessage, "ToolMessageChunk": ToolMessage}  # LangChain's chunks


def from_langchain(message: Any) -> BaseMessage:
    """The copilot's message for a LangChain message (or the message itself if it is one).

    Raises ValueError for a message type the loop does not use (e.g. "function").
    """
    if isinstance(message, BaseMessage):
        return message
    kind = getattr(message, "type", None)
    cls = _BY_TYPE.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(
            f"A {type(message).__name__} ({kind!r}) is not a message the copilot uses."
        )
    common: dict[str, Any] = {"content": message.content, "id": getattr(message, "id", None)}
    if cls is AIMessage:
        return AIMessage(
            **common,
            tool_calls=[dict(call) for call in getattr(message, "tool_calls", None) or []],
            invalid_tool_calls=[
                dict(call) for call in getattr(message, "invalid_tool_calls", None) or []
            ],
            response_metadata=dict(getattr(message, "response_metadata", None) or {}),
            additional_kwargs=dict(getattr(message, "additional_kwargs", None) or {}),
        )
    if cls is ToolMessage:
        return ToolMessage(
            **common,
            tool_call_id=message.tool_call_id,
            name=getattr(message, "name", None),
            status=getattr(message, "status", "success"),
            artifact=getattr(message, "artifact", None),
        )
    return cls(**common)


def to_langchain(messages: Sequence[BaseMessage]) -> list[Any]:
    """The conversation as LangChain messages, for a LangChain chat model.

    Imports langchain_core.messages (only a remote model's path calls this).
    """
    from langchain_core import messages as lc

    converted: list[Any] = []
    for message in messages:
        if not isinstance(message, BaseMessage):  # already LangChain's
            converted.append(message)
        elif isinstance(message, AIMessage):
            converted.append(
                lc.AIMessage(
                    content=message.content,
                    id=message.id,
                    tool_calls=message.tool_calls,
                    invalid_tool_calls=message.invalid_tool_calls,
                    response_metadata=message.response_metadata,
                    additional_kwargs=message.additional_kwargs,
                )
            )
        elif isinstance(message, ToolMessage):
            converted.append(
                lc.ToolMessage(
                    content=message.content,
                    id=message.id,
                    tool_call_id=message.tool_call_id,
                    name=message.name,
                    status=message.status,
                    artifact=message.artifact,
                )
            )
        elif isinstance(message, SystemMessage):
            converted.append(lc.SystemMessage(content=message.content, id=message.id))
        else:
            converted.append(lc.HumanMessage(content=message.content, id=message.id))
    return converted
