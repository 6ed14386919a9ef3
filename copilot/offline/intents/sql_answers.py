"""Answers for run_sql and describe_data results, in English or Chinese.

The offline planner cannot write SQL from free text, so there are no readers
here: only writers, which use `output.data` and never compute a number.
"""

from __future__ import annotations

from typing import Any

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.metrics import error_in, error_text
from knowledge.presentation import format_count, format_number, ntr, tr
from tools.base import ToolOutput


def write_sql_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a run_sql result: what came back, what was cut or masked, a next step."""
    data = output.data
    if "error" in data:
        return error_text(error_in(data, language), language)
    rows, columns = data.get("row_count", 0), data.get("columns", [])
    if rows == 0:
        return tr(
            language,
            "The query returned no rows.\n\nNext: loosen the filters or check how the values "
            "are spelled.",
        )
    if "value" in data and len(columns) == 1 and rows == 1:
        body = tr(
            language,
            "The query returned {column} = {value}.",
            column=_column_name(columns[0], language),
            value=_format(data["value"], language),
        )
    else:
        body = ntr(
            language,
            "The query returned {count} row with columns {columns} (table below).",
            "The query returned {count} rows with columns {columns} (table below).",
            rows,
            columns=tr(language, ", ").join(columns),
        )
    notes = []
    if data.get("period"):
        # A period-relative query: the dates run_sql resolved its :start / :end to.
        notes.append(tr(language, "The query covers {start} to {end}.", **data["period"]))
    if data.get("truncated"):
        notes.append(
            tr(
                language,
                "The result was cut at {rows} rows; aggregate or add WHERE / LIMIT to see it all.",
                rows=format_count(rows, language),
            )
        )
    if data.get("masked_columns"):
        masked = tr(language, ", ").join(data["masked_columns"])
        notes.append(tr(language, "Personal data is masked in: {columns}.", columns=masked))
    next_step = tr(
        language,
        "Next: if this is a number you need often, ask for it as a metric by month or channel.",
    )
    return "\n".join([body, *notes]) + f"\n\n{next_step}"


def write_describe_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a describe_data result: the tables, their sizes and the valid-order rule."""
    data = output.data
    if "error" in data:
        return error_text(error_in(data, language), language)
    tables: list[dict[str, Any]] = data.get("tables", [])
    if data.get("table") and tables:
        return _one_table(tables[0], language)
    business = [t for t in tables if t.get("business")]
    own = [t for t in tables if not t.get("business")]
    listing = "\n".join(
        ntr(
            language,
            "- {table}: {rows} row",
            "- {table}: {rows} rows",
            int(t["rows"]),
            table=t["name"],
            rows=format_count(t["rows"], language),
        )
        for t in business
    )
    lines = [
        tr(
            language,
            "The store has {business} business tables "
            "(plus {own} tables the copilot keeps for itself):",
            business=len(business),
            own=len(own),
        ),
        listing,
    ]
    dates = data.get("order_dates")
    if dates:
        lines.append(
            tr(language, "Orders span {first} to {last}.", first=dates["first"], last=dates["last"])
        )
    lines.append(
        tr(
            language,
            "A valid order has a status other than cancelled or returned and a total above 0.",
        )
    )
    lines.append(
        "\n" + tr(language, "Next: name one table (e.g. orders) to see its columns with examples.")
    )
    return "\n".join(lines)


def _one_table(table: dict[str, Any], language: str) -> str:
    columns = table.get("columns", [])
    listing = "\n".join(
        f"- {c['name']} ({c['type']})"
        + (
            tr(language, ": e.g. {samples}", samples=", ".join(str(s) for s in c["samples"]))
            if c["samples"]
            else ""
        )
        for c in columns
    )
    return tr(
        language,
        "Table {table} has {rows} rows and {columns} columns:\n{listing}\n\n"
        "Next: query it with SQL; customers' names, emails and phones come back masked.",
        table=table["name"],
        rows=format_count(table["rows"], language),
        columns=len(columns),
        listing=listing,
    )


def _column_name(column: str, language: str) -> str:
    """A result column as the query named it: an alias is the user's own word (or a
    table's name), quoted as written in both languages, not a sentence to translate."""
    return column


def _format(value: Any, language: str = "en") -> str:
    """A SQL result cell: the formatting layer's count or number (its kind is unknown)."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return format_count(value, language)
    if isinstance(value, float):
        return format_number(value, language, 2 if abs(value) >= 1 or value == 0 else 6)
    return str(value)
