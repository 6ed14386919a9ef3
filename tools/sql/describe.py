"""`describe_data`: the store's tables, columns, types, row counts and sample values."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from pydantic import Field
from sqlalchemy import func, select

from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import Base, Order
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    plain_value,
    quoted,
    titled,
)
from tools.sql.privacy import PERSONAL_COLUMNS, mask_value
from tools.sql.schema import is_business_table, store_schema, table_doc

VALID_ORDER_RULE = (
    "A valid order has status not in ('cancelled', 'returned') and total > 0; "
    "revenue, order and buyer metrics count valid orders only."
)
SAMPLE_ROWS = 200  # sample values come from the first rows, not a scan of the table
MAX_SAMPLE_CHARS = 40


def describe_data(
    ctx: ToolContext,
    table: Annotated[
        str | None,
        Field(description="One table to describe in detail, e.g. 'orders'; empty for all tables."),
    ] = None,
) -> ToolOutput:
    """List the store's tables with their columns, types, row counts and sample values.

    Call it before writing SQL for run_sql. Give `table` to see one table in
    detail (column descriptions and more sample values). Customers' names,
    emails and phones are shown masked.
    """
    schema = store_schema()
    if table is not None and table.strip():
        name = table.strip().lower()
        if name not in schema:
            raise ToolError.of(
                "Unknown table {table}; tables: {tables}.",
                table=quoted(table),
                tables=", ".join(schema),
            )
        names, samples = [name], 5
    else:
        names, samples = list(schema), 2
    tables = [_describe_table(ctx, name, samples) for name in names]
    data: dict[str, Any] = {
        "table": names[0] if len(names) == 1 and table else None,
        "tables": tables,
        "valid_order_rule": VALID_ORDER_RULE,
        "order_dates": _order_dates(ctx),
        "dialect": ctx.engine.dialect.name,
    }
    detail = data["table"] is not None
    return ToolOutput(
        for_model=_text(tables, data, detail),
        artifacts=[_artifact(tables, detail)],
        data=data,
    )


def _describe_table(ctx: ToolContext, name: str, samples: int) -> dict[str, Any]:
    table = Base.metadata.tables[name]
    timeout = ctx.limits.query_timeout_s
    # The copilot's own tables (conversations, audit log, ...) are listed but not
    # sampled: their rows are other users' questions and actions. They live in the
    # state store, which a separate warehouse (Spark) does not hold; business tables
    # are read from the warehouse (through its mapping).
    business = is_business_table(name)
    engine = ctx.engine if business else ctx.state_engine
    try:
        count = fetch_frame(engine, select(func.count().label("n")).select_from(table), timeout)
        frame = fetch_frame(engine, select(table).limit(SAMPLE_ROWS), timeout)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(timeout) from exc
    rows = count["n"].iloc[0]
    columns = []
    for column in table.columns:
        values = frame[column.name] if column.name in frame.columns else pd.Series(dtype=object)
        columns.append(
            {
                "name": column.name,
                "type": store_schema()[name][column.name],
                "samples": _samples(name, column.name, values, samples) if business else [],
                "description": column.doc or "",
                "personal": (name, column.name) in PERSONAL_COLUMNS,
            }
        )
    return {
        "name": name,
        "rows": int(rows),
        "business": business,
        "description": table_doc(name),
        "columns": columns,
    }


def _samples(table: str, column: str, values: pd.Series, count: int) -> list[Any]:
    kind = PERSONAL_COLUMNS.get((table, column))
    result: list[Any] = []
    for value in values.dropna().drop_duplicates().head(count):
        value = plain_value(value)
        if kind:
            value = mask_value(value, kind)
        if isinstance(value, str) and len(value) > MAX_SAMPLE_CHARS:
            value = value[: MAX_SAMPLE_CHARS - 1] + "…"
        result.append(value)
    return result


def _order_dates(ctx: ToolContext) -> dict[str, str] | None:
    with ctx.engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(Order.order_date), func.max(Order.order_date))
        ).one()
    if first is None:
        return None
    return {"first": str(first)[:10], "last": str(last)[:10]}


def _text(tables: list[dict[str, Any]], data: dict[str, Any], detail: bool) -> str:
    lines = []
    for table in tables:
        owner = (
            "" if table["business"] else " (the copilot's own table, not readable through run_sql)"
        )
        lines.append(f"{table['name']}{owner}: {table['rows']} rows. {table['description']}")
        for column in table["columns"]:
            samples = ", ".join(repr(s) for s in column["samples"])
            line = f"  - {column['name']} {column['type']}"
            if detail and column["description"]:
                line += f" -- {column['description']}"
            if samples:
                line += f"  e.g. {samples}"
            if column["personal"]:
                line += "  (personal data, masked in results)"
            lines.append(line)
    lines.append(f"Rule: {VALID_ORDER_RULE}")
    lines.append(f"SQL dialect for run_sql: {data['dialect']}.")
    if data["order_dates"]:
        lines.append(
            f"Orders span {data['order_dates']['first']} to {data['order_dates']['last']}."
        )
    return "\n".join(lines)


def _artifact(tables: list[dict[str, Any]], detail: bool) -> TableArtifact:
    if detail:
        rows = [
            {
                "column": c["name"],
                "type": c["type"],
                "description": c["description"],
                "samples": ", ".join(str(s) for s in c["samples"]),
            }
            for c in tables[0]["columns"]
        ]
        return TableArtifact(
            **titled("Table {name}", name=tables[0]["name"]), frame=pd.DataFrame(rows)
        )
    rows = [
        {
            "table": t["name"],
            "rows": t["rows"],
            "columns": ", ".join(c["name"] for c in t["columns"]),
            "description": t["description"],
        }
        for t in tables
    ]
    return TableArtifact(**titled("Store tables"), frame=pd.DataFrame(rows))
