"""What every tool shares: the context it runs in, what it returns, how it fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from sqlalchemy import Engine

if TYPE_CHECKING:
    from knowledge.documents import KnowledgeBase
    from knowledge.semantic import SemanticModel


class ToolError(Exception):
    """A recoverable error (bad argument, unknown column, empty result).

    It goes back to the model as the tool's result so the model can correct itself.
    `translations` holds the same sentence per language ({"zh": ...}) when the
    error comes from the message catalogue (`ToolError.of`), so an answer in
    Chinese tells it in Chinese.
    """

    def __init__(self, message: str, *, translations: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.translations = dict(translations or {})

    @classmethod
    def of(cls, message: str, **values: Any) -> ToolError:
        """An error from the message catalogue: `message` is its English id, filled from `values`.

        A value may be a function of the language (`lambda language: ...`) for parts that
        are themselves translated (a segment's or a channel's name, a list joined with
        'and' / '和'); numbers are passed already formatted (knowledge.presentation.numbers).
        """
        texts = catalogue_titles(message, **values)
        return cls(texts["en"], translations=texts)

    @classmethod
    def beside(cls, english: str, message: str, **values: Any) -> ToolError:
        """A library's own English error (the model reads it as it is, with its detail),
        told in the other answer languages by the catalogue sentence `message`."""
        texts = catalogue_titles(message, **values)
        texts["en"] = english
        return cls(english, translations=texts)

    @classmethod
    def timed_out(cls, seconds: float) -> ToolError:
        """A store query stopped at the time limit (knowledge.store.QueryTimeoutError)."""
        from knowledge.presentation.numbers import format_number

        return cls.of(
            "The query ran longer than {seconds} s and was stopped; narrow the period or the "
            "grouping.",
            seconds=format_number(seconds, digits=3),
        )


@dataclass(frozen=True)
class Limits:
    """Limits that apply to every tool call."""

    row_limit: int = 1000
    query_timeout_s: float = 30.0


@dataclass(frozen=True)
class ToolContext:
    """Everything a tool may use: no module globals, no hidden singletons."""

    engine: Engine
    semantic_model: SemanticModel
    limits: Limits = Limits()
    as_of: date | None = None
    currency: str = "¥"
    # The document store (brand guidelines, playbooks); None where none is configured.
    knowledge: KnowledgeBase | None = None
    # Where audience exports are written (the copilot's home/exports); None = no exports.
    exports_dir: Path | None = None
    # Writes copy drafts from a brief with a remote model; None = the offline templates.
    copy_writer: Callable[..., Any] | None = None
    # The copilot's own state store (saved segments, scores, drafts, audit); None = `engine`
    # holds both, as a single throw-away store in tests does.
    state: Engine | None = None
    # Association rules resting on fewer baskets are shown as data, never turned into advice.
    rule_min_baskets: int = 5
    # Hours no marketing message goes out, e.g. "21-09" (COPILOT_QUIET_HOURS); None = playbooks only.
    quiet_hours: str | None = None
    # Who acts, for the audit log: the human or front end behind a confirmed action
    # ("web:ana", "slack:U123", "cli:bob"); "copilot" for the copilot itself.
    actor: str = "copilot"

    def __post_init__(self) -> None:
        # Every tool reads the warehouse through the semantic model's mapping
        # (COPILOT_WAREHOUSE_MAPPING): the engine rewrites each statement's store tables
        # to the mapped ones, so no tool needs a branch of its own.
        from knowledge.warehouse_mapping_reads import read_through

        mapping = getattr(self.semantic_model, "warehouse", None)
        if mapping is not None:
            read_through(self.engine, mapping)

    @property
    def state_engine(self) -> Engine:
        """Where the copilot's own rows are written: the state store, else the one store."""
        return self.state if self.state is not None else self.engine


@dataclass
class TableArtifact:
    """A full result table for the front ends; `truncated` is set when rows were cut at the limit."""

    title: str
    frame: pd.DataFrame
    truncated: bool = False
    kind: Literal["table"] = "table"
    # How the front ends should chart it: "line" (x = time), "bar", "histogram" (bars in row
    # order), "funnel", "heatmap", "none" (no chart), or None (inferred).
    chart: str | None = None
    # The unit of value columns where the tool knows it (the semantic model's metric format):
    # "money", "integer", "percent", "number", or "index" (100 = the baseline). Charts read it
    # before guessing from a column's name.
    formats: dict[str, str] = field(default_factory=dict)
    # The value columns to chart, in order, when not every number belongs on it (an A/B
    # table's counts and p-values beside its rates); empty = inferred.
    chart_values: tuple[str, ...] = ()
    # The title per answer language ({"en": ..., "zh": ...}) when the tool wrote it from
    # the message catalogue; `title` is the English one the model reads.
    titles: dict[str, str] = field(default_factory=dict)
    # Store values as each answer language shows them ({"zh": {"category": {"electronics":
    # "数码电子"}}}, knowledge.presentation.values): the frame keeps the stored values (the
    # model, follow-ups and `ask --json` read those); tables and charts show the labels.
    value_labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        """The title in an answer language, else the tool's own."""
        return self.titles.get(language) or self.title

    def frame_in(self, language: str) -> pd.DataFrame:
        """The frame as a person reading `language` sees its values (labels for stored values)."""
        from knowledge.presentation.values import relabel

        return relabel(self.frame, self.value_labels.get(language))

    def shown_in(self, language: str) -> pd.DataFrame:
        """The table as every front end shows and downloads it: `frame_in`, with month /
        quarter / year rows named as periods ("2025-Q3", not the quarter's first day), as
        the answer's text names them. `frame_in` keeps the dates for answers and charts;
        `to_json` keeps the stored values."""
        from knowledge.presentation.values import period_columns

        return period_columns(self.frame_in(language))

    def to_json(self) -> dict[str, Any]:
        """The `{title, columns, rows}` shape of the `ask --json` contract."""
        frame = self.frame.astype(object).where(self.frame.notna(), None)
        rows = [[plain_value(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        return {"title": self.title, "columns": [str(c) for c in frame.columns], "rows": rows}


def catalogue_titles(message: str, **values: Any) -> dict[str, str]:
    """A table title from the message catalogue, in every answer language.

    `message` is the English id ("Profile of {segment} vs all customers"); a value
    may be a function of the language, for parts that are themselves translated
    (a segment's or a period's name). The artifact keeps them as `titles`.
    """
    from knowledge.presentation.messages import in_each_language, tr

    def title(language: str) -> str:
        filled = {k: v(language) if callable(v) else v for k, v in values.items()}
        return tr(language, message, **filled)

    return in_each_language(title)


def titled(message: str, **values: Any) -> dict[str, Any]:
    """TableArtifact keywords for a catalogue title: `TableArtifact(**titled(...), frame=...)`
    gets the English `title` the model reads and the `titles` the answers show."""
    titles = catalogue_titles(message, **values)
    return {"title": titles["en"], "titles": titles}


def in_language(message: str, **values: Any) -> Callable[[str], str]:
    """A catalogue message as a function of the answer language: a translated part of
    a `ToolError.of` or `titled` message ("a DELETE statement" / "DELETE 语句")."""
    from knowledge.presentation.messages import tr

    def text(language: str) -> str:
        filled = {k: v(language) if callable(v) else v for k, v in values.items()}
        return tr(language, message, **filled)

    return text


def quoted(text: object) -> Callable[[str], str]:
    """A name the user or the model gave, quoted as the answer language quotes it:
    'VIP' (Python's repr, as the English errors always read) / 「VIP」."""
    return lambda language: f"「{text}」" if language == "zh" else repr(text)


def listed(
    items: list[str] | tuple[str, ...], name: Callable[[str, str], str] | None = None
) -> Callable[[str], str]:
    """Items as a comma list in the answer language ("a, b" / "a、b"), each through
    `name(item, language)` when given (e.g. knowledge.presentation.segment_name)."""
    from knowledge.presentation.messages import tr

    def text(language: str) -> str:
        shown = [name(i, language) if name else str(i) for i in items]
        return tr(language, ", ").join(shown)

    return text


def plain_value(value: Any) -> Any:
    """A JSON-friendly scalar: dates as ISO text, Decimals and numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if value.__class__.__name__ == "Decimal":
        return float(value)
    return value


@dataclass
class ToolOutput:
    """A tool's result: short text for the model, full artifacts for the front ends.

    `data` carries the structured facts (numbers, labels, periods) that the
    offline planner uses to write its answer without parsing text.
    """

    for_model: str
    artifacts: list[TableArtifact] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def table_preview(frame: pd.DataFrame, max_rows: int = 20) -> str:
    """A compact text table for the model, saying how many rows were left out."""
    shown = frame.head(max_rows)
    text = shown.to_csv(index=False).strip()
    if len(frame) > max_rows:
        text += f"\n... ({len(frame) - max_rows} more rows not shown)"
    return text
