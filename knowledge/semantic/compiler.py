"""Compiling a metric query against the semantic model to SQLAlchemy Core.

One SELECT per fact that the requested metrics need: joins only where a
metric, dimension or filter needs them, the fact's row conditions, the period,
GROUP BY the dimensions. Ratio and formula metrics (AOV = revenue / orders) are
computed from their parts after the fetch, so a ratio is exactly the quotient
of the numbers shown beside it. A few metrics (repurchase and churn rates)
need a per-customer step and are compiled by `knowledge.semantic.special`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    case,
    distinct,
    func,
    literal_column,
    or_,
    select,
)

from knowledge.semantic.conditions import compile_condition
from knowledge.semantic.model import Dimension, Grain, Measure, Metric, SemanticModel
from knowledge.semantic.sources import FactSource, aliases_in, fact_references
from knowledge.store.portable import calendar_date, period_start

AGE_BANDS = (
    (0, 25, "<25"),
    (25, 35, "25-34"),
    (35, 45, "35-44"),
    (45, 55, "45-54"),
    (55, 200, "55+"),
)


@dataclass(frozen=True)
class MetricQuery:
    """What to compute: metrics by dimensions, filtered, over a period [start, end]."""

    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None
    # "Today" for computed dimensions such as the age band.
    reference_date: date | None = None
    # Dimension values to leave out ("revenue excluding 上海"): NOT IN, a row with no value
    # (a customer with no city) kept, since it is not one of the values left out.
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The buyers a churn is taken of when the question names them ("Q1 buyers we lost in
    # Q2"); None: the previous period of equal length (MARKETING.md).
    churn_base: tuple[date, date] | None = None

    @property
    def filtered_dimensions(self) -> tuple[str, ...]:
        """Every dimension a row condition reads: the filters' and the exclusions'."""
        return tuple(dict.fromkeys([*self.filters, *self.exclude]))


@dataclass(frozen=True)
class CompiledPart:
    """One SELECT and the columns (besides the dimensions) it yields."""

    fact: str
    statement: Select
    columns: tuple[str, ...]


@dataclass
class MetricPlan:
    """The SELECTs to run and how to finish the table from their results."""

    parts: list[CompiledPart] = field(default_factory=list)
    # Computations after the fetch, in order: (metric name, function of the merged frame).
    finishers: list[tuple[str, Callable[[pd.DataFrame], pd.Series]]] = field(default_factory=list)


def plan_metric_query(model: SemanticModel, query: MetricQuery, dialect: str) -> MetricPlan:
    """The plan for a query; raises ValueError naming what is wrong."""
    from knowledge.semantic.special import SPECIALS

    if not query.metrics:
        raise ValueError("Ask for at least one metric; known metrics: " + ", ".join(model.metrics))
    dimensions = [model.dimension(name) for name in query.dimensions]
    for name in query.filtered_dimensions:
        if model.dimension(name).time_grain:
            raise ValueError(f"Filter the period with the time range, not with {name!r}")
    plan = MetricPlan()
    measures_by_fact: dict[str, list[tuple[str, Measure]]] = {}
    done: set[str] = set()

    def need(name: str) -> None:
        if name in done:
            return
        done.add(name)
        metric = model.metric(name)
        if metric.is_base:
            measure = _choose_measure(model, metric, dimensions, query)
            measures_by_fact.setdefault(measure.fact, []).append((name, measure))
        elif metric.special:
            part, finisher = SPECIALS[metric.special](model, query, dialect)
            # repeat_buyers and repurchase_rate share one per-customer SELECT.
            if not any(p.columns == part.columns for p in plan.parts):
                plan.parts.append(part)
            if finisher:
                plan.finishers.append((name, finisher))
        elif metric.ratio:
            numerator, denominator = metric.ratio
            need(numerator)
            need(denominator)
            plan.finishers.append((name, _ratio(numerator, denominator)))
        else:
            for part in _formula_names(metric.formula or ""):
                need(part)
            plan.finishers.append((name, _formula(metric.formula or "")))

    for name in query.metrics:
        need(name)
    for fact_name, measures in measures_by_fact.items():
        plan.parts.append(_fact_select(model, fact_name, measures, dimensions, query, dialect))
    return plan


def _choose_measure(
    model: SemanticModel, metric: Metric, dimensions: list[Dimension], query: MetricQuery
) -> Measure:
    for measure in metric.measures:
        if serves(model, measure.fact, dimensions, query):
            return measure
    wanted = ", ".join(d.name for d in dimensions) or "these filters"
    raise ValueError(f"{metric.name} cannot be broken down by {wanted}")


def serves(
    model: SemanticModel, fact_name: str, dimensions: list[Dimension], query: MetricQuery
) -> bool:
    """Whether a fact can be grouped by the dimensions and filtered by the query's filters."""
    fact = model.facts[fact_name]
    reachable = {fact.alias, *fact.joins}
    wanted = [*dimensions, *(model.dimension(n) for n in query.filtered_dimensions)]
    for dimension in wanted:
        if dimension.time_grain:
            continue
        column = dimension.column_for(fact_name)
        if column is None or not aliases_in(column) <= reachable:
            return False
    return True


def fact_source(
    model: SemanticModel,
    fact_name: str,
    dimensions: list[Dimension],
    query: MetricQuery,
    extra_columns: list[str],
) -> FactSource:
    """The fact joined to what the dimensions, filters and `extra_columns` need."""
    fact = model.facts[fact_name]
    references = fact_references(fact)
    for dimension in [*dimensions, *(model.dimension(n) for n in query.filtered_dimensions)]:
        column = dimension.column_for(fact_name)
        if column:
            references |= aliases_in(column)
    for text in extra_columns:
        references |= aliases_in(text)
    return FactSource.build(fact_name, fact, references, model.warehouse)


def dimension_expression(
    dimension: Dimension, source: FactSource, dialect: str, reference_date: date | None
) -> ColumnElement:
    """The grouping expression of a dimension on a fact."""
    if dimension.time_grain:
        time_column = source.column(source.fact.time_column)
        return time_bucket(as_date(time_column, dialect), dimension.time_grain, dialect)
    if dimension.compute == "age_band":
        return age_band(
            source.column("customers.birth_year"), (reference_date or date.today()).year
        )
    return source.column(dimension.column_for(source.fact_name) or "")


def row_filters(
    model: SemanticModel,
    source: FactSource,
    query: MetricQuery,
    dialect: str,
    *,
    period: bool = True,
) -> list[ColumnElement[bool]]:
    """The fact's conditions, the period, the dimension filters and exclusions."""
    conditions = [source.conditions()]
    if period:
        conditions += period_conditions(
            source.column(source.fact.time_column), query.start, query.end
        )
    for name, values in query.filters.items():
        expression = dimension_expression(
            model.dimension(name), source, dialect, query.reference_date
        )
        conditions.append(expression.in_(list(values)))
    for name, values in query.exclude.items():
        expression = dimension_expression(
            model.dimension(name), source, dialect, query.reference_date
        )
        # NOT IN alone drops the rows with no value (NULL NOT IN (...) is unknown): a
        # customer with no city is not in 上海, so "excluding 上海" keeps them.
        conditions.append(or_(expression.not_in(list(values)), expression.is_(None)))
    return conditions


def period_conditions(column: ColumnElement, start: date | None, end: date | None) -> list:
    """[start, end] on a date column, or [start, end + 1 day) on a timestamp column."""
    conditions = []
    is_timestamp = isinstance(column.type, DateTime)
    if start is not None:
        conditions.append(column >= (datetime.combine(start, time()) if is_timestamp else start))
    if end is not None:
        if is_timestamp:
            conditions.append(column < datetime.combine(end + timedelta(days=1), time()))
        else:
            conditions.append(column <= end)
    return conditions


def _fact_select(
    model: SemanticModel,
    fact_name: str,
    measures: list[tuple[str, Measure]],
    dimensions: list[Dimension],
    query: MetricQuery,
    dialect: str,
) -> CompiledPart:
    columns = [m.column for _, m in measures] + [c for _, m in measures for c in m.where]
    source = fact_source(model, fact_name, dimensions, query, columns)
    groups = [
        dimension_expression(d, source, dialect, query.reference_date).label(d.name)
        for d in dimensions
    ]
    aggregates = [_aggregate(measure, source).label(name) for name, measure in measures]
    statement = (
        select(*groups, *aggregates)
        .select_from(source.source)
        .where(and_(*row_filters(model, source, query, dialect)))
    )
    if groups:
        statement = statement.group_by(*groups)
    return CompiledPart(fact_name, statement, tuple(name for name, _ in measures))


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY key of a result: a dimension or metric column name and its direction.

    `zero_for_null`: the column is a sum whose empty groups the caller shows as 0, so the
    engine must sort NULL as 0 too (else a pushed-down top-N could differ from the table).
    """

    column: str
    descending: bool = False
    zero_for_null: bool = False


def with_top_n(statement: Select, keys: list[SortKey], limit: int) -> Select:
    """`statement` with ORDER BY `keys` (NULLs last, as pandas sorts) and LIMIT `limit`.

    The engine returns only the first `limit` groups instead of every group; the keys
    should end with every dimension so ties come back in one deterministic order.
    Raises ValueError when a key is not a column of the statement.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    columns = statement.selected_columns
    order = []
    for key in keys:
        if key.column not in columns:
            raise ValueError(f"Cannot sort by {key.column!r}: not a column of the query")
        expression: ColumnElement = columns[key.column]
        if key.zero_for_null:
            expression = func.coalesce(expression, literal_column("0"))
        expression = expression.desc() if key.descending else expression.asc()
        order.append(expression.nulls_last())
    return statement.order_by(*order).limit(limit)


def _aggregate(measure: Measure, source: FactSource) -> ColumnElement:
    """The aggregate; conditions become FILTER (WHERE ...), which DuckDB, PostgreSQL and
    SQLite (>= 3.30) all run without reading the counted column for rows they skip."""
    column = source.column(measure.column)
    own_key = column.primary_key and measure.column.split(".")[0] == source.fact.alias
    if measure.aggregate == "count" and own_key:
        aggregate = func.count()  # the fact's own key is never null: count(*) need not read it
    elif measure.aggregate in ("sum", "negated_sum"):
        aggregate = func.sum(column)
    elif measure.aggregate == "count":
        aggregate = func.count(column)
    elif measure.aggregate == "count_distinct":
        aggregate = func.count(distinct(column))
    else:
        aggregate = func.avg(column)
    if measure.where:
        condition = and_(*(compile_condition(c, source.column) for c in measure.where))
        aggregate = aggregate.filter(condition)
    return -aggregate if measure.aggregate == "negated_sum" else aggregate


def _ratio(numerator: str, denominator: str) -> Callable[[pd.DataFrame], pd.Series]:
    def compute(frame: pd.DataFrame) -> pd.Series:
        bottom = frame[denominator].astype(float)
        return frame[numerator].astype(float).fillna(0) / bottom.where(bottom != 0)

    return compute


def _formula_names(formula: str) -> list[str]:
    import re

    return list(dict.fromkeys(re.findall(r"[a-z_][a-z0-9_]*", formula)))


def _formula(formula: str) -> Callable[[pd.DataFrame], pd.Series]:
    """A formula over metric columns, e.g. (attributed_revenue - cost) / cost; x / 0 is empty."""
    import ast

    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.Name,
                ast.Load,
                ast.Constant,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.UnaryOp,
                ast.USub,
            ),
        ):
            raise ValueError(f"Unsupported formula {formula!r}")

    def evaluate(node: ast.AST, frame: pd.DataFrame) -> pd.Series | float:
        if isinstance(node, ast.Expression):
            return evaluate(node.body, frame)
        if isinstance(node, ast.Name):
            return frame[node.id].astype(float).fillna(0)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            return -evaluate(node.operand, frame)
        left, right = evaluate(node.left, frame), evaluate(node.right, frame)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        right = right.where(right != 0) if isinstance(right, pd.Series) else (right or float("nan"))
        return left / right

    return lambda frame: evaluate(tree, frame)


def as_date(column: ColumnElement, dialect: str) -> ColumnElement:
    """The calendar date of a date or timestamp column (`dialect` is kept for callers)."""
    if not isinstance(column.type, DateTime):
        return column
    return calendar_date(column)


def age_band(birth_year: ColumnElement, year: int) -> ColumnElement:
    """The age band of a birth year as of `year` (literals, so GROUP BY matches SELECT)."""
    age = literal_column(str(year)) - birth_year
    whens = [
        (
            and_(age >= literal_column(str(low)), age < literal_column(str(high))),
            literal_column(f"'{label}'"),
        )
        for low, high, label in AGE_BANDS
    ]
    return case(*whens, else_=literal_column("'unknown'"))


def time_bucket(column: ColumnElement, grain: Grain, dialect: str) -> ColumnElement:
    """The first day of the day/week (Monday)/month/quarter/year containing the DATE `column`.

    Compiled per engine by `knowledge.store.portable.period_start`; `dialect` is
    kept for callers.
    """
    if grain == "day":
        return column
    return period_start(grain, column)
