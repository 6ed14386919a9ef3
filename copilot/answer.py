"""The Answer every front end renders: text, artifacts, tool calls and mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from copilot.charts import ChartArtifact
from tools.base import TableArtifact


@dataclass
class ToolCallRecord:
    """One tool call the agent made: its name, arguments, duration and error if any."""

    name: str
    args: dict[str, Any]
    duration_ms: float | None = None
    error: str | None = None


@dataclass
class Answer:
    """What the copilot says back to one question."""

    text: str
    mode: str
    conversation_id: str
    artifacts: list[TableArtifact | ChartArtifact] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    error: str | None = None

    @property
    def tables(self) -> list[TableArtifact]:
        return [a for a in self.artifacts if isinstance(a, TableArtifact)]

    @property
    def charts(self) -> list[ChartArtifact]:
        return [a for a in self.artifacts if isinstance(a, ChartArtifact)]

    def to_json(self) -> dict[str, Any]:
        """The stable `copilot ask --json` contract: answer, mode, tool_calls, tables, error."""
        return {
            "answer": self.text,
            "mode": self.mode,
            "tool_calls": [{"name": c.name, "args": c.args} for c in self.tool_calls],
            "tables": [t.to_json() for t in self.tables],
            "error": self.error,
        }


@dataclass(frozen=True)
class ToolStarted:
    """The agent called a tool."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    """A tool returned (with its duration, or the recoverable error it reported)."""

    name: str
    duration_ms: float | None
    error: str | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text as the model writes it."""

    text: str


@dataclass(frozen=True)
class AnswerReady:
    """The finished answer; always the last event of a stream."""

    answer: Answer


AgentEvent = ToolStarted | ToolFinished | TextDelta | AnswerReady
