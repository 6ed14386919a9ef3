"""Every statement a tool sends to a mapped warehouse reads the entities through the mapping.

Tools build their queries with SQLAlchemy Core over the store's own tables
(`Order.ordered_at`, `Customer.__table__` ...). On a warehouse with its own
layout (COPILOT_WAREHOUSE_MAPPING) those names do not exist, so the warehouse
engine rewrites each statement just before it is compiled: every business table
(customers, orders, ...) becomes the mapping's subquery named like the entity
(`(SELECT s.order_ts AS ordered_at, ... FROM sales.fact_orders) AS orders`), and
every column of it the subquery's column of the same name. Nothing above the
FROM clause changes, so one mechanism serves every tool, with no per-tool
branch; nothing is created in the warehouse (no views, no temporary tables).

`read_through(engine, mapping)` installs it on an engine (ToolContext does, from
its semantic model's mapping); `mapped_statement(conn, statement)` is the same
rewrite for the few paths that compile a statement themselves and hand the SQL
to the driver (DuckDB's native DataFrame fetch).

State tables (saved segments, scores ...) and the statements that write a
business table (an import into the embedded store) are left as they are.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement, ColumnClause
from sqlalchemy.sql.selectable import Alias, FromClause, TableClause

from knowledge.store.schema import Base
from knowledge.warehouse_mapping import ENTITIES, WarehouseMapping

# The mapping each warehouse engine reads through; engines never mapped are absent.
_MAPPINGS: WeakKeyDictionary[Engine, WarehouseMapping] = WeakKeyDictionary()


def read_through(engine: Engine, mapping: WarehouseMapping) -> None:
    """Make every statement run on `engine` read the business tables through `mapping`.

    Idempotent: the last mapping given wins (the identity mapping switches the
    rewrite off). One `before_execute` hook per engine, installed on first use.
    """
    if engine not in _MAPPINGS and mapping.is_identity:
        return
    if engine not in _MAPPINGS:
        event.listen(engine, "before_execute", _rewrite_before_execute, retval=True)
    _MAPPINGS[engine] = mapping


def mapping_of(engine: Engine) -> WarehouseMapping | None:
    """The mapping `engine` reads through, None when it reads the store's own tables."""
    mapping = _MAPPINGS.get(engine)
    return None if mapping is None or mapping.is_identity else mapping


def mapped_statement(conn: Connection | Engine, statement: Any) -> Any:
    """`statement` as it must run on the connection's warehouse (unchanged when unmapped)."""
    engine = conn.engine if isinstance(conn, Connection) else conn
    mapping = mapping_of(engine)
    if mapping is None or not isinstance(statement, ClauseElement):
        return statement
    return map_statement(statement, mapping)


def map_statement(statement: ClauseElement, mapping: WarehouseMapping) -> ClauseElement:
    """A copy of `statement` whose business tables and their columns are the mapped ones.

    Aliases of a business table (`orders AS o`, ORM `aliased(Order)`) become the
    same alias of the mapped subquery; one replacement per alias, so every column
    of it points at the same FROM. A statement that writes a business table is
    returned unchanged: imports into the embedded store are not reads.
    """
    if mapping.is_identity or _writes_business_table(statement):
        return statement
    aliases: dict[Any, FromClause] = {}

    def replacement(element: Any) -> Any:
        if isinstance(element, ColumnClause):
            source = _mapped_from(element.table, mapping, aliases)
            return None if source is None else source.c[element.name]
        if isinstance(element, (TableClause, Alias)):
            return _mapped_from(element, mapping, aliases)
        return None

    return visitors.replacement_traverse(statement, {}, replacement)


def _mapped_from(
    table: Any, mapping: WarehouseMapping, aliases: dict[Any, FromClause]
) -> FromClause | None:
    """The mapped FROM for a business table or an alias of one; None for anything else."""
    entity = _business_entity(table)
    if entity is not None:
        return mapping.table(entity)
    if isinstance(table, Alias):
        entity = _business_entity(table.element)
        if entity is None:
            return None
        # ORM attributes carry annotated copies of one alias: key them by the plain alias.
        key = table._deannotate()
        if key not in aliases:
            name = table.name if not _is_anonymous(table.name) else None
            aliases[key] = mapping.table(entity).alias(name)
        return aliases[key]
    return None


def _business_entity(table: Any) -> str | None:
    """The entity name of one of the store's business tables (or an ORM-annotated copy)."""
    if not isinstance(table, TableClause) or isinstance(table, Alias):
        return None
    if getattr(table, "metadata", None) is not Base.metadata or table.name not in ENTITIES:
        return None
    return table.name


def _is_anonymous(name: Any) -> bool:
    # SQLAlchemy's anonymous alias names are `_anonymous_label` strings rendered per statement.
    return type(name).__name__ == "_anonymous_label"


def _writes_business_table(statement: ClauseElement) -> bool:
    return isinstance(statement, UpdateBase) and (
        _business_entity(getattr(statement, "table", None)) is not None
    )


def _rewrite_before_execute(
    conn: Connection,
    clauseelement: Any,
    multiparams: Any,
    params: Any,
    execution_options: Any,
) -> tuple[Any, Any, Any]:
    return mapped_statement(conn, clauseelement), multiparams, params
