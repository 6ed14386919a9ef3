"""`cohort_retention`: of customers whose first valid order is in month m, the share with
a valid order in month m+k (MARKETING.md)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from pydantic import Field
from sqlalchemy import ColumnElement, and_, distinct, extract, func, select

from knowledge.presentation import N_, period_name, tr
from knowledge.semantic.compiler import period_conditions
from knowledge.semantic.derived import first_orders
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import Order, valid_order
from knowledge.time_ranges import TimeRange
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview, titled
from tools.periods import resolve_period


def _month_index(column: ColumnElement) -> ColumnElement:
    """Months since year 0, so month differences are plain subtraction on every database."""
    return extract("year", column) * 12 + extract("month", column)


def cohort_retention(
    ctx: ToolContext,
    time_range: Annotated[
        str | None,
        Field(
            description="Which cohorts (by first-order month), e.g. '2025' or 'last 6 months'; empty for all."
        ),
    ] = None,
    periods: Annotated[
        int, Field(ge=1, le=24, description="Months after the first to show (k = 1..periods).")
    ] = 6,
) -> ToolOutput:
    """Monthly cohort retention: customers grouped by the month of their first valid order,
    and for each later month k the share of the cohort with a valid order in that month."""
    period = resolve_period(ctx, time_range)
    first = first_orders().subquery("first_orders")
    orders = Order.__table__
    cohort = _month_index(first.c.first_order_date)
    active = _month_index(orders.c.order_date)
    conditions = [valid_order()]
    if period is not None:
        conditions += period_conditions(first.c.first_order_date, period.start, period.end)
    offset = (active - cohort).label("k")
    statement = (
        select(
            cohort.label("cohort_index"),
            offset,
            func.count(distinct(orders.c.customer_id)).label("customers"),
        )
        .select_from(first.join(orders, orders.c.customer_id == first.c.customer_id))
        .where(and_(*conditions))
        .group_by(cohort, offset)
    )
    try:
        counts = fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    if counts.empty:
        raise ToolError.of("No customers made a first valid order in that period")
    table = retention_table(counts, periods)
    title = f"Cohort retention by first-order month ({period.label if period else 'all cohorts'})"
    shown = table.head(ctx.limits.row_limit)
    average = {f"month_{k}": _mean(table[f"month_{k}"]) for k in range(1, periods + 1)}
    return ToolOutput(
        for_model=f"{title}\n{table_preview(shown, max_rows=24)}",
        artifacts=[
            TableArtifact(
                **titled(_COHORT_TITLE, period=lambda language: _period_name(period, language)),
                frame=shown,
                truncated=len(table) > len(shown),
                chart="heatmap",
            )
        ],
        data={
            "periods": periods,
            "cohorts": len(table),
            "customers": int(table["customers"].sum()),
            "average_retention": average,
            "period": {"label": period.label} if period else None,
        },
    )


def retention_table(counts: pd.DataFrame, periods: int) -> pd.DataFrame:
    """cohort (YYYY-MM), customers, month_1..month_N as shares; empty where not yet observable."""
    counts = counts.astype({"cohort_index": int, "k": int, "customers": int})
    pivot = counts.pivot_table(index="cohort_index", columns="k", values="customers", aggfunc="sum")
    size = pivot[0]
    # Months after the latest month with any order cannot be observed yet: left empty, not 0%.
    latest = int((counts["cohort_index"] + counts["k"]).max())
    rows = []
    for index, cohort_size in size.items():
        year, month = divmod(int(index) - 1, 12)
        row: dict[str, object] = {
            "cohort": f"{year:04d}-{month + 1:02d}",
            "customers": int(cohort_size),
        }
        for k in range(1, periods + 1):
            observable = index + k <= latest
            value = pivot.at[index, k] if k in pivot.columns else float("nan")
            row[f"month_{k}"] = (
                (0.0 if pd.isna(value) else value / cohort_size) if observable else None
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _mean(column: pd.Series) -> float | None:
    values = pd.to_numeric(column, errors="coerce").dropna()
    return float(values.mean()) if len(values) else None


_COHORT_TITLE = N_("Cohort retention by first-order month ({period})")


def _period_name(period: TimeRange | None, language: str) -> str:
    """The cohorts' period in the answer's language; "all cohorts" without one."""
    if period is None:
        return tr(language, "all cohorts")
    data = {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
    return period_name(data, language)
