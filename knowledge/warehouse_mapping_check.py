"""Checking a warehouse mapping against the warehouse: what is missing, and which line to fix.

Reads only the warehouse's catalogue (SQLAlchemy's inspector: one listing of
tables and one of columns per entity); nothing is created or written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    Numeric,
    String,
    inspect,
    text,
)
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator, TypeEngine

from knowledge.store.portable import SPARK_DIALECTS
from knowledge.store.schema import Base
from knowledge.warehouse_mapping import TableMapping, WarehouseMapping

# The kinds of value each copilot type accepts from the warehouse; amounts may be
# stored as integers (cents-free currencies), anything else must be of its own kind.
ACCEPTED_KINDS: dict[str, set[str]] = {
    "text": {"text"},
    "integer": {"integer"},
    "number": {"number", "integer"},
    "date": {"date"},
    "timestamp": {"timestamp"},
    "boolean": {"boolean"},
}


@dataclass(frozen=True)
class MappingProblem:
    """One thing that stops the copilot from reading an entity, with the line to fix."""

    entity: str
    kind: str  # "table not found", "column not found", "type mismatch", "unknown type"
    message: str
    line: int | None = None
    fatal: bool = True

    def render(self, source: str | None) -> str:
        where = f"{source}:{self.line}: " if source and self.line else ""
        level = "error" if self.fatal else "warning"
        return f"{level}: {where}{self.message}"


def value_kind(column_type: TypeEngine) -> str:
    """The kind of a SQL type: text, integer, number, date, timestamp, boolean or other."""
    if isinstance(column_type, TypeDecorator):  # a dialect's wrapper (PyHive's HiveDate ...)
        column_type = column_type.impl_instance
    if isinstance(column_type, Boolean):
        return "boolean"
    if isinstance(column_type, DateTime):
        return "timestamp"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Integer):
        return "integer"
    if isinstance(column_type, (Numeric, Float)):
        return "number"
    if isinstance(column_type, String):
        return "text"
    return "other"


def kind_of_type_name(name: str) -> str:
    """The kind of a type as a catalogue spells it ('DECIMAL(14,2)', 'timestamp without time zone')."""
    upper = name.upper()
    rules = (
        ("BOOL", "boolean"),
        ("TIMESTAMP", "timestamp"),
        ("DATETIME", "timestamp"),
        ("DATE", "date"),
        ("INT", "integer"),
        ("DECIMAL", "number"),
        ("NUMERIC", "number"),
        ("DOUBLE", "number"),
        ("FLOAT", "number"),
        ("REAL", "number"),
        ("CHAR", "text"),
        ("TEXT", "text"),
        ("STRING", "text"),
    )
    return next((kind for word, kind in rules if word in upper), "other")


def warehouse_columns(
    engine: Engine, table: str, schema: str | None
) -> dict[str, tuple[str, str, str]] | None:
    """{lower-case name: (name, kind, type as written)} of a table; None when it is not found.

    SQLAlchemy's inspector first; where a dialect's reflection fails (duckdb_engine with
    a schema), the standard information_schema.columns. Spark: its own DESCRIBE.
    """
    if engine.dialect.name in SPARK_DIALECTS:
        return _spark_columns(engine, table, schema)
    try:
        inspector = inspect(engine)
        if not inspector.has_table(table, schema=schema):
            return None
        return {
            c["name"].lower(): (c["name"], value_kind(c["type"]), str(c["type"]))
            for c in inspector.get_columns(table, schema)
        }
    except NoSuchTableError:
        return None
    except SQLAlchemyError:
        pass
    # An unqualified name is the one in the connection's current schema, as a query sees it.
    in_schema = "table_schema = :schema" if schema else "table_schema = current_schema()"
    query = text(
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_name = :table AND {in_schema} ORDER BY ordinal_position"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"table": table, "schema": schema}).all()
    if not rows:
        return None
    return {name.lower(): (name, kind_of_type_name(str(kind)), str(kind)) for name, kind in rows}


def _spark_columns(
    engine: Engine, table: str, schema: str | None
) -> dict[str, tuple[str, str, str]] | None:
    """Columns with Spark's own type names (`DESCRIBE`, a catalogue read).

    PyHive's reflection reads Spark 4's `timestamp_ntz` as an unknown type (NullType),
    so every timestamp column of a Spark table was reported as not recognised.
    """
    if not inspect(engine).has_table(table, schema=schema):
        return None
    name = ".".join("`" + part.replace("`", "``") + "`" for part in (schema, table) if part)
    with engine.connect() as conn:
        rows = conn.execute(text(f"DESCRIBE {name}")).all()
    columns: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        column, kind = str(row[0] or "").strip(), str(row[1] or "").strip()
        if not column or column.startswith("#"):  # partition and detail sections follow
            break
        columns[column.lower()] = (column, kind_of_type_name(kind), kind)
    return columns


def check_mapping(engine: Engine, mapping: WarehouseMapping) -> list[MappingProblem]:
    """Every table, column and type the mapping names that the warehouse does not have."""
    problems: list[MappingProblem] = []
    for entity, table in mapping.tables.items():
        found = warehouse_columns(engine, table.table, table.schema)
        if found is None:
            problems.append(
                MappingProblem(
                    entity,
                    "table not found",
                    f"{entity}: table {table.qualified_name} not found in the warehouse"
                    + ("" if mapping.source else " (map it with COPILOT_WAREHOUSE_MAPPING)"),
                    table.line,
                )
            )
            continue
        problems += _column_problems(entity, table, found)
    return problems


def _column_problems(
    entity: str, table: TableMapping, found: dict[str, tuple[str, str, str]]
) -> list[MappingProblem]:
    problems: list[MappingProblem] = []
    for column in Base.metadata.tables[entity].columns:
        name = table.warehouse_column(column.name)
        if name is None:  # mapped to null: this warehouse does not hold it
            continue
        line = table.column_lines.get(column.name, table.line)
        held = found.get(name.lower())
        if held is None:
            problems.append(
                MappingProblem(
                    entity,
                    "column not found",
                    f"{entity}.{column.name}: column {name!r} not found in "
                    f"{table.qualified_name} (it has: {', '.join(c[0] for c in found.values())});"
                    f" map it under tables.{entity}.columns, or to null if it is not held",
                    line,
                )
            )
            continue
        held_name, got, held_type = held
        wanted = value_kind(column.type)
        if got == "other":
            problems.append(
                MappingProblem(
                    entity,
                    "unknown type",
                    f"{entity}.{column.name}: type {held_type} of {table.qualified_name}."
                    f"{held_name} is not recognised; expected {wanted}",
                    line,
                    fatal=False,
                )
            )
        elif got not in ACCEPTED_KINDS[wanted]:
            problems.append(
                MappingProblem(
                    entity,
                    "type mismatch",
                    f"{entity}.{column.name}: {table.qualified_name}.{held_name} is {got} "
                    f"({held_type}), expected {wanted}; map a {wanted} column",
                    line,
                )
            )
    return problems


def mapping_report(engine: Engine, mapping: WarehouseMapping) -> tuple[bool, str]:
    """(ok, text): one line per entity read from where, then every problem with its line."""
    problems = check_mapping(engine, mapping)
    source = str(mapping.source) if mapping.source else None
    lines = [f"Warehouse mapping: {source or 'none (the store own tables)'}"]
    for entity, table in mapping.tables.items():
        renamed = {c: n for c, n in table.columns.items()}
        detail = ", ".join(f"{c} <- {n or 'NULL'}" for c, n in renamed.items())
        lines.append(f"  {entity:<18} {table.qualified_name}" + (f" ({detail})" if detail else ""))
    for problem in problems:
        lines.append(problem.render(source))
    ok = not any(p.fatal for p in problems)
    lines.append(
        "OK: every entity, column and type was found."
        if ok
        else f"{sum(p.fatal for p in problems)} problem(s): fix the lines above."
    )
    return ok, "\n".join(lines)
