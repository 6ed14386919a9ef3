"""Compiling a metric query against the semantic model to SQLAlchemy Core.

One `select` per fact: joined tables only where a dimension or filter needs
them, the fact's row conditions, the period, GROUP BY the dimensions. Ratio
metrics (AOV = revenue / orders) are computed from their parts after the
fetch, so a ratio is exactly the quotient of the numbers shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    cast,
    distinct,
    func,
    literal_column,
    select,
)

from knowledge.semantic.model import Dimension, Fact, Grain, Metric, SemanticModel
from knowledge.store.schema import Base


@dataclass(frozen=True)
class MetricQuery:
    """What to compute: metrics by dimensions, filtered, over a period [start, end]."""

    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class CompiledFact:
    """The SELECT for one fact and the base metrics it yields."""

    fact: str
    statement: Select
    metrics: tuple[str, ...]


def compile_metric_query(
    model: SemanticModel, query: MetricQuery, dialect: str, metadata: MetaData | None = None
) -> list[CompiledFact]:
    """One SELECT per fact needed by the query's metrics; raises ValueError on bad names."""
    if not query.metrics:
        raise ValueError("Ask for at least one metric; known metrics: " + ", ".join(model.metrics))
    dimensions = [model.dimension(name) for name in query.dimensions]
    for name in query.filters:
        if model.dimension(name).time_grain:
            raise ValueError(f"Filter the period with the time range, not with {name!r}")
    by_fact: dict[str, list[Metric]] = {}
    for name in query.metrics:
        for base in model.base_metrics(name):
            assert base.fact is not None
            group = by_fact.setdefault(base.fact, [])
            if base not in group:
                group.append(base)
    tables = (metadata or Base.metadata).tables
    return [
        CompiledFact(
            fact=fact_name,
            statement=_fact_select(model, fact_name, metrics, dimensions, query, dialect, tables),
            metrics=tuple(m.name for m in metrics),
        )
        for fact_name, metrics in by_fact.items()
    ]


def _fact_select(
    model: SemanticModel,
    fact_name: str,
    metrics: list[Metric],
    dimensions: list[Dimension],
    query: MetricQuery,
    dialect: str,
    tables: dict[str, Table],
) -> Select:
    fact = model.facts[fact_name]
    base = tables[fact.table]
    time_col = base.c[fact.time_column]

    needed = {d.table for d in dimensions if d.table} | {
        model.dimension(n).table for n in query.filters
    }
    needed.discard(None)
    needed.discard(fact.table)
    source = base
    for table_name in sorted(needed):
        join = _join_for(fact, fact_name, table_name)
        other = tables[join.table]
        source = source.join(other, base.c[join.keys[0]] == other.c[join.keys[1]])

    group_cols = [_dimension_column(d, time_col, tables, dialect).label(d.name) for d in dimensions]
    aggregates = [_aggregate(m, base).label(m.name) for m in metrics]
    conditions = _fact_conditions(fact, base)
    if query.start is not None:
        conditions.append(time_col >= query.start)
    if query.end is not None:
        conditions.append(time_col <= query.end)
    for name, values in query.filters.items():
        dim = model.dimension(name)
        column = tables[dim.table].c[dim.column_name]
        conditions.append(column.in_(list(values)))

    statement = select(*group_cols, *aggregates).select_from(source).where(and_(*conditions))
    if group_cols:
        statement = statement.group_by(*group_cols)
    return statement


def _join_for(fact: Fact, fact_name: str, table_name: str):
    for join in fact.joins.values():
        if join.table == table_name:
            return join
    raise ValueError(f"The {fact_name} fact cannot be grouped or filtered by table {table_name!r}")


def _fact_conditions(fact: Fact, table: Table) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if fact.where.status_not_in:
        conditions.append(table.c.status.not_in(fact.where.status_not_in))
    if fact.where.positive:
        conditions.append(table.c[fact.where.positive] > 0)
    return conditions


def _aggregate(metric: Metric, table: Table) -> ColumnElement:
    column = table.c[metric.column]
    if metric.aggregate == "sum":
        return func.sum(column)
    if metric.aggregate == "count":
        return func.count(column)
    if metric.aggregate == "count_distinct":
        return func.count(distinct(column))
    return func.avg(column)


def _dimension_column(
    dimension: Dimension, time_col: Column, tables: dict[str, Table], dialect: str
) -> ColumnElement:
    if dimension.time_grain:
        return time_bucket(time_col, dimension.time_grain, dialect)
    return tables[dimension.table].c[dimension.column_name]


def time_bucket(column: ColumnElement, grain: Grain, dialect: str) -> ColumnElement:
    """The first day of the day/week (Monday)/month/quarter/year containing `column`.

    The grain is a literal, not a bound parameter, so the same expression in
    SELECT and GROUP BY compiles identically (PostgreSQL insists).
    """
    if grain == "day":
        return column
    if dialect == "sqlite":
        if grain == "week":
            return func.date(column, literal_column("'-6 days'"), literal_column("'weekday 1'"))
        if grain == "month":
            return func.date(column, literal_column("'start of month'"))
        if grain == "year":
            return func.date(column, literal_column("'start of year'"))
        month_offset = func.printf(
            literal_column("'-%d months'"),
            (cast(func.strftime(literal_column("'%m'"), column), Integer) - literal_column("1"))
            % literal_column("3"),
        )
        return func.date(column, literal_column("'start of month'"), month_offset)
    return cast(func.date_trunc(literal_column(f"'{grain}'"), column), Date)
