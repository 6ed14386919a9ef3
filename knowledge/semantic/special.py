"""Metrics that need a per-customer step: repeat buyers, repurchase rate, churn (rate and count).

Each returns one SELECT (dimensions + helper columns) and a finisher that turns
the helper columns into the metric after the fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal_column, select

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
    """Per breakdown row: the previous period's buyers and how many of them bought nothing now."""
    if query.start is None or query.end is None:
        raise ValueError("churn rate needs a period, e.g. 'last month' or 'Q3 2025'")
    dimensions = [model.dimension(n) for n in query.dimensions]
    if any(d.time_grain for d in dimensions):
        raise ValueError(
            "churn rate compares two periods; ask for one period at a time, not by month"
        )
    if not serves(model, ORDER_FACT, dimensions, query):
        raise ValueError("churn rate can be broken down by customer attributes only")
    previous_start, previous_end = query.churn_base or churn_base_period(query.start, query.end)
    if previous_end >= query.start:
        raise ValueError("the churn base must end before the period starts")

    previous = fact_source(model, ORDER_FACT, dimensions, query, ["orders.customer_id"])
    groups = [
        dimension_expression(d, previous, dialect, query.reference_date).label(d.name)
        for d in dimensions
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
    current_conditions += period_conditions(
        current.column(current.fact.time_column), query.start, query.end
    )
    current_buyers = (
        select(current.column("orders.customer_id").label("customer_id"))
        .select_from(current.source)
        .where(and_(*current_conditions))
        .distinct()
        .subquery("current_buyers")
    )
    outer_groups = [previous_buyers.c[d.name] for d in dimensions]
    statement = select(
        *outer_groups,
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
    return CompiledPart(ORDER_FACT, statement, ("_previous_buyers", "_churned"))


SPECIALS: dict[str, Callable[[SemanticModel, MetricQuery, str], tuple[CompiledPart, Finisher]]] = {
    "repeat_buyers": repeat_buyers,
    "repurchase_rate": repurchase_rate,
    "churn_rate": churn_rate,
    "churned_customers": churned_customers,
}
