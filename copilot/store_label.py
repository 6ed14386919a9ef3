"""Which data an answer comes from: the demo store, the user's own data, or nothing yet.

Every front end labels its answers with this (the CLI prints a line, `ask --json`
has a `store` object, the web UI a header badge), so made-up demo numbers are
never taken for the user's own. Whether a store is the demo comes from the
note the demo generator writes (`knowledge.demo.marker`), not from guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine

from copilot.answer import Answer, ToolCallRecord
from knowledge.demo.marker import DemoMarker, read_demo_marker
from knowledge.presentation import N_, tr
from knowledge.store.summary import table_counts

StoreKind = Literal["demo", "user", "empty"]

IMPORT_HINT = N_(
    "import your data with `copilot import transactions FILE` (or `copilot import TABLE FILE`)"
)
DEMO_HINT = N_("or try the demo data with `copilot demo-data`")


@dataclass(frozen=True)
class StoreLabel:
    """What the store holds.

    kind: `demo` (the generated demo data, made-up numbers), `user` (data the
    user imported or configured) or `empty` (no business rows at all).
    empty_tables: business tables with no rows, in schema order (all of them
    when the store is empty); questions about them have nothing to count.
    """

    kind: StoreKind
    empty_tables: tuple[str, ...]
    demo: DemoMarker | None = None

    def to_json(self) -> dict[str, Any]:
        """The `store` object of `copilot ask --json`: {kind, empty_tables, demo}."""
        demo = None
        if self.demo is not None:
            demo = {
                "customers": self.demo.customers,
                "seed": self.demo.seed,  # None when adopted from an older version
                "end_date": self.demo.end_date.isoformat() if self.demo.end_date else None,
            }
        return {"kind": self.kind, "empty_tables": list(self.empty_tables), "demo": demo}

    def note(self, language: str = "en", answer: Answer | None = None) -> str | None:
        """One sentence to show with an answer; None for a complete store of the user's own.

        With the `answer`, the demo sentence is said only when the answer shows figures
        read from the store (not a refusal, a question back, or counts the user gave).
        """
        if self.kind == "empty":
            return tr(
                language,
                "The store is empty: {import_hint}, {demo_hint}.",
                import_hint=tr(language, IMPORT_HINT),
                demo_hint=tr(language, DEMO_HINT),
            )
        parts: list[str] = []
        if self.kind == "demo" and (answer is None or shows_store_figures(answer)):
            size = self.demo.customers if self.demo else None
            parts.append(
                tr(
                    language,
                    "These numbers come from the demo data ({size:,} made-up customers), "
                    "not your own.",
                    size=size,
                )
                if size
                else tr(
                    language,
                    "These numbers come from the demo data (made-up customers), not your own.",
                )
            )
        if self.empty_tables:
            parts.append(
                tr(
                    language,
                    "No rows yet in {tables}; questions about them have nothing to count.",
                    tables=", ".join(self.empty_tables),
                )
            )
        return " ".join(parts) or None

    def badge(self, language: str = "en") -> str | None:
        """A short header label for the web UI; None for a complete store of the user's own."""
        if self.kind == "demo":
            return tr(language, "demo data (made-up numbers)")
        if self.kind == "empty":
            return tr(language, "empty store: import data in the Data tab")
        if self.empty_tables:
            return tr(language, "no rows yet in {tables}", tables=", ".join(self.empty_tables))
        return None


# Tools that work only on what the user gave (counts, rates) or on documents.
_NO_STORE_FIGURES = frozenset({"ab_sample_size", "search_knowledge"})


def shows_store_figures(answer: Answer) -> bool:
    """Whether an answer gives figures a tool read from the store."""
    return answer.status == "answered" and any(
        _reads_store(call) for call in answer.tool_calls if call.error is None
    )


def _reads_store(call: ToolCallRecord) -> bool:
    if call.name in _NO_STORE_FIGURES:
        return False
    return not (call.name == "ab_test" and call.args.get("counts"))


def store_label(engine: Engine) -> StoreLabel:
    """Read the store's kind from its row counts and its demo note (a few COUNT queries)."""
    counts = table_counts(engine)
    empty = tuple(name for name, rows in counts.items() if rows == 0)
    if len(empty) == len(counts):
        return StoreLabel("empty", empty)
    marker = read_demo_marker(engine)
    return StoreLabel("demo" if marker else "user", empty, marker)
