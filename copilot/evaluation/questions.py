"""The evaluation question file: its schema, loading and validation.

A question is asked once (`text`) or as a conversation (`turns`, the checks
apply to the last turn). `expect_tool` is the tool that must be called, or
`refuse` for out-of-scope questions; `expect_value` says how to compute the
expected number independently (SQL or a named check in `checks.py`) and where
to find it in the answer.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

REFUSE = "refuse"
DEFAULT_FILE = Path(__file__).with_name("questions.yaml")


class TableLocation(BaseModel):
    """Where a value sits in a result table: by row number, by a key column, or by matching."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="Column holding the value.")
    row: int | None = Field(default=None, description="Row number (0 = first).")
    key: str | None = Field(
        default=None, description="Key column: the expected values come as {key: value}."
    )
    match: dict[str, Any] | None = Field(default=None, description="Row whose columns equal these.")
    ordered: bool = Field(default=False, description="With key: the rows must come in this order.")
    table: str | None = Field(default=None, description="Regex on the table title (default: any).")


class ExpectedValue(BaseModel):
    """How to compute the expected value independently, and where the answer must show it."""

    model_config = ConfigDict(extra="forbid")

    sql: str | None = Field(
        default=None, description="SQL run with text(): one scalar, or (key, value) rows."
    )
    check: str | None = Field(default=None, description="Name of a function in checks.py.")
    check_args: dict[str, Any] = Field(default_factory=dict)
    answer_table: TableLocation | None = None
    answer_text: Literal["money", "integer", "percent", "number"] | None = None
    tolerance: float = Field(
        default=1e-6, description="Relative tolerance (plus display rounding)."
    )

    @model_validator(mode="after")
    def _one_source_one_place(self) -> ExpectedValue:
        if (self.sql is None) == (self.check is None):
            raise ValueError("expect_value needs exactly one of `sql` or `check`")
        if (self.answer_table is None) == (self.answer_text is None):
            raise ValueError("expect_value needs exactly one of `answer_table` or `answer_text`")
        return self


class EvalQuestion(BaseModel):
    """One evaluation question (single-turn or a conversation) and what a right answer is."""

    model_config = ConfigDict(extra="forbid")

    id: str
    language: Literal["en", "zh"]
    text: str | None = None
    turns: list[str] | None = None
    category: str | None = Field(default=None, description="Free label, e.g. 'festival', 'top_n'.")
    expect_tool: str
    expect_args: dict[str, Any] = Field(default_factory=dict)
    expect_value: ExpectedValue | None = None
    expect_text: list[str] = Field(
        default_factory=list, description="Regexes the answer must match."
    )
    needs_context: bool = Field(
        default=False, description="A follow-up that cannot be understood without earlier turns."
    )

    @model_validator(mode="after")
    def _complete(self) -> EvalQuestion:
        if (self.text is None) == (self.turns is None):
            raise ValueError(f"{self.id}: give exactly one of `text` or `turns`")
        if self.turns is not None and len(self.turns) < 2:
            raise ValueError(f"{self.id}: `turns` needs at least two turns")
        if self.expect_tool != REFUSE and self.expect_value is None and not self.expect_text:
            raise ValueError(f"{self.id}: an in-scope question needs expect_value or expect_text")
        return self

    @property
    def asked(self) -> list[str]:
        """The turns asked, in order (one for a single-turn question)."""
        return self.turns if self.turns is not None else [self.text or ""]

    @property
    def is_followup(self) -> bool:
        return self.turns is not None

    @property
    def is_refusal(self) -> bool:
        return self.expect_tool == REFUSE


def load_questions(path: Path | str | None = None) -> list[EvalQuestion]:
    """Questions from a YAML file (a list, or a mapping with `questions:`), or every YAML in a folder."""
    path = Path(path) if path else DEFAULT_FILE
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    questions: list[EvalQuestion] = []
    for file in files:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        items = raw.get("questions", []) if isinstance(raw, dict) else raw
        questions.extend(EvalQuestion.model_validate(item) for item in items)
    duplicates = [i for i, n in Counter(q.id for q in questions).items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate question ids: {', '.join(sorted(duplicates))}")
    return questions


def unknown_tools(questions: list[EvalQuestion], tool_names: set[str]) -> list[str]:
    """Ids of questions expecting a tool that is not among `tool_names` (nor `refuse`)."""
    return [q.id for q in questions if not q.is_refusal and q.expect_tool not in tool_names]
