"""`run_sql`: one read-only SELECT for questions the semantic model does not cover."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

import sqlglot
from pydantic import Field
from sqlglot import exp

from knowledge.presentation.numbers import format_count
from knowledge.time_ranges import TimeRange
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    plain_value,
    table_preview,
    titled,
)
from tools.periods import resolve_period
from tools.sql.guard import MAX_SQL_CHARS, SQLGLOT_DIALECTS, CheckedQuery, check_select
from tools.sql.mapped import warehouse_query
from tools.sql.privacy import mask_frame, personal_kinds, reads_personal_table
from tools.sql.readonly import MAX_RESULT_BYTES, run_readonly
from tools.sql.schema import is_business_table, store_schema


def run_sql(
    ctx: ToolContext,
    sql: Annotated[
        str,
        Field(
            description="One SELECT (or WITH ... SELECT) statement in the store's SQL dialect, "
            "over the store's tables only, e.g. \"SELECT city, count(*) AS customers FROM "
            'customers GROUP BY city ORDER BY 2 DESC".'
        ),
    ],
    period: Annotated[
        str | None,
        Field(
            description="A period phrase ('last month', '上季度', 'past 30 days', '2025-Q3') "
            "for a SQL that writes :start and :end (its first and last day) and :end_next "
            "(the day after) in place of dates; resolved like query_metrics' time_range. "
            "Empty: the SQL has no such placeholders."
        ),
    ] = None,
) -> ToolOutput:
    """Run one read-only SQL SELECT over the store, for questions no metric covers.

    Prefer query_metrics for metrics it defines. Only SELECT / WITH ... SELECT on
    the store's tables is allowed (no writes, files, settings or system catalogs);
    call describe_data first for tables and columns. A valid order has status not
    in ('cancelled', 'returned') and total > 0. Results are capped at the row
    limit and customers' names, emails and phones come back masked.
    """
    if isinstance(sql, str) and len(sql) > MAX_SQL_CHARS:
        raise ToolError.of(
            "Refused: the SQL text is {size} characters long (limit {limit}); "
            "write a shorter query.",
            size=format_count(len(sql)),
            limit=format_count(MAX_SQL_CHARS),
        )
    dialect = ctx.engine.dialect.name
    glot = SQLGLOT_DIALECTS.get(dialect, dialect)
    resolved = None
    if period or PERIOD_PLACEHOLDER.search(sql):
        sql, resolved = with_period_dates(ctx, sql, period, glot)
    schema = store_schema()
    business = [name for name in schema if is_business_table(name)]
    private = [name for name in schema if not is_business_table(name)]
    checked = check_select(sql, dialect, business, private)
    limit = ctx.limits.row_limit
    # Before the lineage trace below, which may rewrite the tree in place.
    to_run = limited_sql(checked, glot, limit + 1)
    kinds = None
    if reads_personal_table(checked.tables):
        # Traced before running: a query whose lineage is unknown never runs.
        kinds = personal_kinds(checked.tree, schema, glot, copy=False)  # checked.sql is kept
    mapping = getattr(ctx.semantic_model, "warehouse", None)
    if mapping is not None and not mapping.is_identity:
        # The copilot's table names become the warehouse's; lineage and masking above
        # were traced on the copilot's names, which the rewrite keeps as column names.
        to_run = warehouse_query(to_run, dialect, mapping, private).sql
    frame = run_readonly(
        ctx.engine, to_run, ctx.limits.query_timeout_s, limit + 1, MAX_RESULT_BYTES
    )
    byte_capped = bool(frame.attrs.get("byte_capped"))
    truncated = len(frame) > limit or byte_capped
    frame = frame.head(limit).reset_index(drop=True)
    masked: list[str] = []
    if kinds is not None:
        frame, masked = mask_frame(frame, kinds)
    columns = [str(c) for c in frame.columns]
    data: dict[str, Any] = {
        "row_count": len(frame),
        "truncated": truncated,
        "columns": columns,
        "sql": checked.sql,
        "masked_columns": masked,
    }
    if resolved is not None:
        data["period"] = {"start": resolved.start.isoformat(), "end": resolved.end.isoformat()}
    if len(frame) == 1 and len(columns) == 1:
        data["value"] = plain_value(frame.iloc[0, 0])
    text = f"SQL result ({len(frame)} rows)\n{table_preview(frame)}"
    if byte_capped:
        text += (
            f"\n(truncated at {MAX_RESULT_BYTES // 1_000_000} MB of data: select fewer or "
            "shorter columns, or aggregate)"
        )
    elif truncated:
        text += f"\n(truncated at {limit} rows: aggregate or add LIMIT / WHERE to see less)"
    if masked:
        text += f"\n(personal data masked in: {', '.join(masked)})"
    return ToolOutput(
        for_model=text,
        artifacts=[TableArtifact(**titled("SQL result"), frame=frame, truncated=truncated)],
        data=data,
    )


# The dates a period-relative SQL leaves to run_sql: its first day, last day, the day after.
PERIOD_PLACEHOLDER = re.compile(r"(?<![:\w]):(start|end|end_next)\b")


def with_period_dates(
    ctx: ToolContext, sql: str, period: str | None, glot: str
) -> tuple[str, TimeRange]:
    """`sql` with :start, :end and :end_next written as the dates of `period`, which is
    resolved against the store's clock (tools/periods), like query_metrics' time range."""
    if not period:
        raise ToolError.of(
            "The SQL has :start / :end in place of dates; give the period they stand for."
        )
    resolved = resolve_period(ctx, period)
    if resolved is None:
        raise ToolError.of("No period in {period}; give one such as 'last month'.", period=period)
    try:
        tree = sqlglot.parse_one(sql, read=glot)
    except sqlglot.errors.ParseError as exc:
        raise ToolError.of("The SQL does not parse: {error}", error=str(exc)) from exc
    dates = {
        "start": resolved.start,
        "end": resolved.end,
        "end_next": resolved.end + timedelta(days=1),
    }
    found: set[str] = set()

    def written(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in dates:
            found.add(node.name)
            return exp.Literal.string(dates[node.name].isoformat())
        return node

    tree = tree.transform(written)
    if not found:
        raise ToolError.of(
            "A period was given, but the SQL has no :start / :end in place of its dates."
        )
    return tree.sql(dialect=glot, comments=False), resolved


def limited_sql(checked: CheckedQuery, glot: str, rows: int) -> str:
    """The checked SQL with `LIMIT rows` pushed into the engine; a smaller LIMIT of its own stays.

    Without it a distributed engine (Spark's Thrift server) would compute and
    collect the whole result on its driver, though only `rows` are fetched.
    Queries whose limit is not a plain number (FETCH, an expression) run as checked.
    """
    tree = checked.tree
    if not isinstance(tree, exp.Query):
        return checked.sql
    limit = tree.args.get("limit")
    if limit is not None:
        current = limit.args.get("expression")
        if not (isinstance(current, exp.Literal) and current.is_int):
            return checked.sql
        if int(current.this) <= rows:
            return checked.sql
    return tree.copy().limit(rows).sql(dialect=glot, comments=False)
