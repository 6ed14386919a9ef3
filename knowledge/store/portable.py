"""Portable SQL: expressions that every engine spells differently, compiled per dialect here.

Tools and the semantic compiler build one SQLAlchemy Core statement per
question with these constructs; SQLAlchemy compiles it for the engine at hand
(DuckDB, SQLite, PostgreSQL, Spark through the Hive dialect, or any other
dialect through the ANSI default). So date arithmetic happens in the engine,
and no tool branches on the dialect name.

Engine facts that are not syntax (whether a global window over all buyers
scales) are answered by `ranks_exactly`, again in one place.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, extract
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

# Engines where `percent_rank() OVER (ORDER BY ...)` over every buyer runs well (one
# process, all rows at hand). On a distributed engine (Spark) a window without
# PARTITION BY pulls every row into one task, so ranks are cut-offs from approximate
# quantiles there instead (see tools/segments/rfm.py).
EXACT_RANK_DIALECTS = frozenset({"duckdb", "sqlite", "postgresql"})
# Dialects whose engine is Spark SQL (PyHive's Thrift dialect names itself "hive").
SPARK_DIALECTS = frozenset({"hive", "spark", "databricks"})


def ranks_exactly(dialect: str) -> bool:
    """Whether global ranks (percent_rank over all buyers) are computed exactly on `dialect`."""
    return dialect in EXACT_RANK_DIALECTS


class days_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """Whole days from the date `earlier` to the date `later` (later - earlier), as an integer.

    Both arguments must be DATE expressions (not timestamps). Raises nothing at
    build time; an engine without a rule here gets the ANSI `later - earlier`
    (an integer on PostgreSQL; an interval on Spark, Trino and BigQuery, which
    is why those have their own rules).
    """

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw) -> str:
    earlier, later = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "duckdb")
def _days_between_duckdb(element: days_between, compiler: SQLCompiler, **kw) -> str:
    earlier, later = list(element.clauses)
    return f"date_diff('day', {compiler.process(earlier, **kw)}, {compiler.process(later, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw) -> str:
    earlier, later = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def _days_between_spark(element: days_between, compiler: SQLCompiler, **kw) -> str:
    # Spark's datediff(end, start) counts days; `date - date` is an interval there.
    earlier, later = list(element.clauses)
    return f"datediff({compiler.process(later, **kw)}, {compiler.process(earlier, **kw)})"


for _name in SPARK_DIALECTS:
    compiles(days_between, _name)(_days_between_spark)


class least_of(FunctionElement):  # noqa: N801 - used like a SQL function
    """The smaller of two values (`least`; SQLite's scalar two-argument `min`)."""

    inherit_cache = True
    name = "least_of"


@compiles(least_of)
def _least_default(element: least_of, compiler: SQLCompiler, **kw) -> str:
    return f"least({compiler.process(element.clauses, **kw)})"


@compiles(least_of, "sqlite")
def _least_sqlite(element: least_of, compiler: SQLCompiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


class floor_int(FunctionElement):  # noqa: N801 - used like a SQL function
    """floor(x) as an integer, for x >= 0 (SQLite may lack floor(); its cast truncates)."""

    type = Integer()
    inherit_cache = True
    name = "floor_int"


@compiles(floor_int)
def _floor_default(element: floor_int, compiler: SQLCompiler, **kw) -> str:
    return f"CAST(floor({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element: floor_int, compiler: SQLCompiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


class calendar_date(FunctionElement):  # noqa: N801 - used like a SQL function
    """The calendar date of a timestamp (CAST AS DATE; SQLite's date())."""

    type = Date()
    inherit_cache = True
    name = "calendar_date"


@compiles(calendar_date)
def _calendar_date_default(element: calendar_date, compiler: SQLCompiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(calendar_date, "sqlite")
def _calendar_date_sqlite(element: calendar_date, compiler: SQLCompiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


class period_start(FunctionElement):  # noqa: N801 - used like a SQL function
    """The first day of the week (Monday), month, quarter or year holding a DATE, as a DATE.

    The grain is written into the SQL as a constant (not a bound parameter), so
    the same expression in SELECT and GROUP BY compiles identically (PostgreSQL
    and Spark insist).
    """

    type = Date()
    inherit_cache = True
    name = "period_start"

    def __init__(self, grain: str, column) -> None:  # noqa: ANN001
        if grain not in _GRAINS:
            raise ValueError(f"Unknown time grain {grain!r}; use one of {', '.join(_GRAINS)}")
        self.grain = grain
        super().__init__(column)

    def _gen_cache_key(self, anon_map, bindparams):  # noqa: ANN001, ANN202
        return (*super()._gen_cache_key(anon_map, bindparams), self.grain)


_GRAINS = ("week", "month", "quarter", "year")


@compiles(period_start)
def _period_start_default(element: period_start, compiler: SQLCompiler, **kw) -> str:
    # date_trunc gives a timestamp on PostgreSQL and Spark; the cast keeps a DATE.
    column = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('{element.grain}', {column}) AS DATE)"


@compiles(period_start, "sqlite")
def _period_start_sqlite(element: period_start, compiler: SQLCompiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    if element.grain == "week":
        return f"date({column}, '-6 days', 'weekday 1')"
    if element.grain in ("month", "year"):
        return f"date({column}, 'start of {element.grain}')"
    # A quarter: the start of the month, minus (month - 1) % 3 months.
    back = f"printf('-%d months', (CAST(strftime('%m', {column}) AS INTEGER) - 1) % 3)"
    return f"date({column}, 'start of month', {back})"


class array_literal(FunctionElement):  # noqa: N801 - used like a SQL function
    """A constant array of numbers written into the SQL (`array(0.2, 0.4)`; DuckDB `[...]`).

    Written as constants, not bound parameters: Spark requires percentile_approx's
    percentages to be constants.
    """

    inherit_cache = True
    name = "array_literal"

    def __init__(self, *values: float) -> None:
        self.values = tuple(float(v) for v in values)
        super().__init__()

    def _gen_cache_key(self, anon_map, bindparams):  # noqa: ANN001, ANN202
        return (self.__class__, self.values)


@compiles(array_literal)
def _array_literal_default(element: array_literal, compiler: SQLCompiler, **kw) -> str:
    return f"array({', '.join(repr(v) for v in element.values)})"


@compiles(array_literal, "postgresql")
def _array_literal_postgres(element: array_literal, compiler: SQLCompiler, **kw) -> str:
    return f"ARRAY[{', '.join(repr(v) for v in element.values)}]"


@compiles(array_literal, "duckdb")
def _array_literal_duckdb(element: array_literal, compiler: SQLCompiler, **kw) -> str:
    return f"[{', '.join(repr(v) for v in element.values)}]"


class day_of_week(FunctionElement):  # noqa: N801 - used like a SQL function
    """The weekday of a date or timestamp as an integer, 0 = Sunday .. 6 = Saturday.

    `EXTRACT(dow ...)` means that on DuckDB, SQLite (SQLAlchemy's strftime('%w')) and
    PostgreSQL; Spark's `dow` / `dayofweek` count 1 = Sunday .. 7 = Saturday, so one
    is taken off there (send-time weekdays were shifted a day, past Saturday).
    """

    type = Integer()
    inherit_cache = True
    name = "day_of_week"


@compiles(day_of_week)
def _day_of_week_default(element: day_of_week, compiler: SQLCompiler, **kw) -> str:
    return compiler.process(extract("dow", *element.clauses), **kw)


def _day_of_week_spark(element: day_of_week, compiler: SQLCompiler, **kw) -> str:
    return f"(dayofweek({compiler.process(element.clauses, **kw)}) - 1)"


for _name in SPARK_DIALECTS:
    compiles(day_of_week, _name)(_day_of_week_spark)
