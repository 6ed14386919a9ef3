"""The Answer every front end renders: text, artifacts, tool calls, mode and status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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
class PendingAction:
    """A tool call that waits for the human's yes (copilot/confirmation.py): what, with
    which arguments and why ("raw_export", "hashed_export", "state_change")."""

    action_id: str
    tool: str
    args: dict[str, Any]
    reason: str
    summary: str  # one line for the user, e.g. "save segment 'VIP'"
    status: str = "pending"  # pending -> confirmed / declined / failed
    result: str | None = None  # what confirming it said (a front end that confirmed it)

    def to_json(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "tool": self.tool,
            "args": self.args,
            "summary": self.summary,
            "status": self.status,
            "result": self.result,
        }


AnswerStatus = Literal["answered", "clarify", "refused", "error"]
"""How a question ended: answered; a question back (clarify); an honest refusal (out of
scope, or a tool that declined, e.g. too few buyers); or an error (the model or the
store failed). `copilot ask` exits 0 answered, 1 error, 3 refused, 4 clarify (2 is bad usage)."""

EXIT_CODES: dict[str, int] = {"answered": 0, "error": 1, "refused": 3, "clarify": 4}
"""`copilot ask` exit code per status (README, "The ask --json contract")."""


@dataclass
class Answer:
    """What the copilot says back to one question.

    `status` says how it ended (see AnswerStatus) and `error` the reason when it was
    refused or failed; `grounding` is the grounding guard's note when it checked or
    replaced a model's answer (None when the offline planner wrote it from tool results).
    """

    text: str
    mode: str
    conversation_id: str
    artifacts: list[TableArtifact | ChartArtifact] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    error: str | None = None
    status: AnswerStatus = "answered"
    grounding: str | None = None
    # Tool calls that wait for the human's confirmation in the front end.
    pending_actions: list[PendingAction] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """The `copilot ask` exit code of this answer's status."""
        return EXIT_CODES[self.status]

    @property
    def tables(self) -> list[TableArtifact]:
        return [a for a in self.artifacts if isinstance(a, TableArtifact)]

    @property
    def charts(self) -> list[ChartArtifact]:
        return [a for a in self.artifacts if isinstance(a, ChartArtifact)]

    def to_json(self) -> dict[str, Any]:
        """The stable `copilot ask --json` contract (README, "The ask --json contract")."""
        return {
            "status": self.status,
            "answer": self.text,
            "mode": self.mode,
            "tool_calls": [{"name": c.name, "args": c.args} for c in self.tool_calls],
            "tables": [t.to_json() for t in self.tables],
            "error": self.error,
            "grounding": self.grounding,
            "pending_actions": [a.to_json() for a in self.pending_actions],
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
