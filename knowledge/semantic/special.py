"""Metrics that need a per-customer step: repeat buyers, repurchase rate, churn (rate and count).

Each returns one SELECT (churn by a time grain: one UNION ALL) (dimensions + helper columns) and a finisher that turns
the helper columns into the metric after the fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    Date,
    Select,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
    union_all,
)

from knowledge.semantic.compiler import (
    CompiledPart,
    MetricQuery,
    dimension_expression,
    fact_source,
    period_conditions,
    row_filters,
    serves,
)
from knowledge.semantic.model import SemanticModel

ORDER_FACT = "valid_orders"
Finisher = Callable[[pd.DataFrame], pd.Series] | None


def _per_customer_orders(model: SemanticModel, query: MetricQuery, dialect: str):  # noqa: ANN202
    dimensions = [model.dimension(n) for n in query.dimensions]
    if not serves(model, ORDER_FACT, dimensions, query):
        raise ValueError("repurchase can be broken down by time and customer attributes only")
    source = fact_source(model, ORDER_FACT, dimensions, query, ["orders.customer_id"])
    groups = [
        dimension_expression(d, source, dialect, query.reference_date).label(d.name)
        for d in dimensions
    ]
    customer = source.column("orders.customer_id")
    inner = (
        select(
            *groups,
            customer.label("customer_id"),
            func.count(source.column("orders.order_id")).label("n"),
        )
        .select_from(source.source)
        .where(and_(*row_filters(model, source, query, dialect)))
        .group_by(*groups, customer)
        .subquery("per_customer")
    )
    outer_groups = [inner.c[d.name] for d in dimensions]
    statement = select(
        *outer_groups,
        func.count().label("_period_buyers"),
        func.sum(
            case((inner.c.n >= literal_column("2"), literal_column("1")), else_=literal_column("0"))
        ).label("repeat_buyers"),
    ).select_from(inner)
    if outer_groups:
        statement = statement.group_by(*outer_groups)
    return statement


def repeat_buyers(
    model: SemanticModel, query: MetricQuery, dialect: str
) -> tuple[CompiledPart, Finisher]:
    """Buyers with at least two valid orders in the period."""
    statement = _per_customer_orders(model, query, dialect)
    return CompiledPart(ORDER_FACT, statement, ("_period_buyers", "repeat_buyers")), None


def repurchase_rate(
    model: SemanticModel, query: MetricQuery, dialect: str
) -> tuple[CompiledPart, Finisher]:
    """Buyers with >= 2 valid orders in the period / buyers in the period."""
    statement = _per_customer_orders(model, query, dialect)

    def finish(frame: pd.DataFrame) -> pd.Series:
        buyers = frame["_period_buyers"].astype(float)
        return frame["repeat_buyers"].astype(float).fillna(0) / buyers.where(buyers != 0)

    return CompiledPart(ORDER_FACT, statement, ("_period_buyers", "repeat_buyers")), finish


def churn_base_period(start: date, end: date) -> tuple[date, date]:
    """The base period of a churn rate over start..end: the previous period of equal
    length (MARKETING.md), so September's base is the 30 days before it (Aug 2-31),
    not the calendar month August."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def churn_rate(
    model: SemanticModel, query: MetricQuery, dialect: str
) -> tuple[CompiledPart, Finisher]:
    """Of buyers in the previous period of equal length, the share with no valid order now."""
    part = _churn_part(model, query, dialect)

    def finish(frame: pd.DataFrame) -> pd.Series:
        base = frame["_previous_buyers"].astype(float)
        return frame["_churned"].astype(float).fillna(0) / base.where(base != 0)

    return part, finish


def churned_customers(
    model: SemanticModel, query: MetricQuery, dialect: str
) -> tuple[CompiledPart, Finisher]:
    """The churn rate's numerator: buyers of the previous period of equal length with no
    valid order now (one SELECT with the churn rate when both are asked)."""
    part = _churn_part(model, query, dialect)

    def finish(frame: pd.DataFrame) -> pd.Series:
        return frame["_churned"].fillna(0).astype("int64")

    return part, finish


def _churn_part(model: SemanticModel, query: MetricQuery, dialect: str) -> CompiledPart:
    """Per breakdown row: the previous period's buyers and how many of them bought nothing now.

    With a time breakdown (churn by month), each bucket of the period is its own churn: the
    bucket's buyers-to-be are the buyers of the previous period of equal length (MARKETING.md),
    so March is measured against the 31 days before it; one SELECT per bucket, UNION ALL.
    """
    if query.start is None or query.end is None:
        raise ValueError("churn rate needs a period, e.g. 'last month' or 'Q3 2025'")
    dimensions = [model.dimension(n) for n in query.dimensions]
    grains = [d for d in dimensions if d.time_grain]
    if len(grains) > 1:
        raise ValueError("churn rate can be broken down by one time grain at a time")
    if not serves(model, ORDER_FACT, dimensions, query):
        raise ValueError("churn rate can be broken down by customer attributes only")
    columns = ("_previous_buyers", "_churned")
    if not grains:
        base = query.churn_base or churn_base_period(query.start, query.end)
        if base[1] >= query.start:
            raise ValueError("the churn base must end before the period starts")
        statement = _churn_select(model, query, dialect, dimensions, query.start, query.end, base)
        return CompiledPart(ORDER_FACT, statement, columns)
    if query.churn_base is not None:
        raise ValueError(
            "churn against a named base period is one number; ask without a time breakdown"
        )
    grain = grains[0]
    buckets = churn_buckets(query.start, query.end, grain.time_grain or "month")
    if len(buckets) > MAX_CHURN_BUCKETS:
        raise ValueError(
            f"churn by {grain.time_grain} over this period needs {len(buckets)} comparisons; "
            f"ask for a coarser breakdown (at most {MAX_CHURN_BUCKETS})"
        )
    selects = [
        _churn_select(
            model,
            query,
            dialect,
            dimensions,
            start,
            end,
            churn_base_period(start, end),
            bucket=(grain.name, label),
        )
        for label, start, end in buckets
    ]
    merged = union_all(*selects).subquery("churn_by_period") if len(selects) > 1 else None
    statement = select(*merged.c) if merged is not None else selects[0]
    return CompiledPart(ORDER_FACT, statement, columns)


MAX_CHURN_BUCKETS = 400


def churn_buckets(start: date, end: date, grain: str) -> list[tuple[date, date, date]]:
    """(bucket label, first day, last day) of each day/week/month/quarter/year bucket of
    start..end, clipped to the period; the label is the bucket's first calendar day, as the
    time dimension shows it (a week starts on Monday)."""
    buckets = []
    day = start
    while day <= end:
        label = _bucket_start(day, grain)
        following = _next_bucket(label, grain)
        last = min(end, following - timedelta(days=1))
        buckets.append((label, day, last))
        day = following
    return buckets


def _bucket_start(day: date, grain: str) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _next_bucket(label: date, grain: str) -> date:
    if grain == "day":
        return label + timedelta(days=1)
    if grain == "week":
        return label + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = label.year * 12 + label.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _churn_select(
    model: SemanticModel,
    query: MetricQuery,
    dialect: str,
    dimensions: list,
    start: date,
    end: date,
    base: tuple[date, date],
    bucket: tuple[str, date] | None = None,
) -> Select:
    """Of the base period's buyers (grouped by the non-time dimensions), how many and how
    many of them have no valid order in start..end; `bucket` = (time dimension, label) adds
    the label as that dimension's column, in the order of `dimensions`."""
    previous_start, previous_end = base
    attributes = [d for d in dimensions if not d.time_grain]
    previous = fact_source(model, ORDER_FACT, attributes, query, ["orders.customer_id"])
    groups = [
        dimension_expression(d, previous, dialect, query.reference_date).label(d.name)
        for d in attributes
    ]
    previous_conditions = row_filters(model, previous, query, dialect, period=False)
    previous_conditions += period_conditions(
        previous.column(previous.fact.time_column), previous_start, previous_end
    )
    previous_buyers = (
        select(*groups, previous.column("orders.customer_id").label("customer_id"))
        .select_from(previous.source)
        .where(and_(*previous_conditions))
        .distinct()
        .subquery("previous_buyers")
    )
    current = fact_source(
        model, ORDER_FACT, [], MetricQuery(metrics=query.metrics), ["orders.customer_id"]
    )
    current_conditions = [current.conditions()]
    current_conditions += period_conditions(current.column(current.fact.time_column), start, end)
    current_buyers = (
        select(current.column("orders.customer_id").label("customer_id"))
        .select_from(current.source)
        .where(and_(*current_conditions))
        .distinct()
        .subquery("current_buyers")
    )
    outer_groups = [previous_buyers.c[d.name] for d in attributes]
    shown = []
    for d in dimensions:
        if d.time_grain and bucket is not None:
            shown.append(literal(bucket[1], Date()).label(bucket[0]))
        else:
            shown.append(previous_buyers.c[d.name])
    statement = select(
        *shown,
        func.count().label("_previous_buyers"),
        func.sum(
            case(
                (current_buyers.c.customer_id.is_(None), literal_column("1")),
                else_=literal_column("0"),
            )
        ).label("_churned"),
    ).select_from(
        previous_buyers.outerjoin(
            current_buyers, previous_buyers.c.customer_id == current_buyers.c.customer_id
        )
    )
    if outer_groups:
        statement = statement.group_by(*outer_groups)
    return statement


SPECIALS: dict[str, Callable[[SemanticModel, MetricQuery, str], tuple[CompiledPart, Finisher]]] = {
    "repeat_buyers": repeat_buyers,
    "repurchase_rate": repurchase_rate,
    "churn_rate": churn_rate,
    "churned_customers": churned_customers,
}
