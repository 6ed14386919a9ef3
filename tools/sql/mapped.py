"""Free SQL on a mapped warehouse: the copilot's table names become the warehouse's, by sqlglot.

The model (and describe_data) speak the copilot's names: `SELECT city FROM
customers c`. On a warehouse with its own layout (COPILOT_WAREHOUSE_MAPPING) each
reference to an entity is replaced by a derived table under the same alias that
selects the warehouse's columns under the copilot's names::

    FROM customers c  ->  FROM (SELECT cust_id AS customer_id, town AS city, ...
                                FROM crm.dim_customer) AS c

so everything above the FROM clause (columns, `c.*`, USING, whole-row values)
means what it meant; columns the warehouse does not hold are typed NULLs. A CTE
of an entity's name is left alone where it is in scope. Nothing is created in
the warehouse. The rewritten statement is checked again by the guard, with the
mapped tables as the only readable ones, so a reference the rewrite missed is
refused instead of reading a table of the copilot's name.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

from knowledge.warehouse_mapping import ENTITIES, WarehouseMapping
from tools.sql.guard import SQLGLOT_DIALECTS, CheckedQuery, check_select
from tools.sql.schema import store_schema


def warehouse_query(
    sql: str, dialect: str, mapping: WarehouseMapping, private_tables: list[str]
) -> CheckedQuery:
    """`sql` (checked, in the copilot's names) as it runs on the mapped warehouse, re-checked.

    `dialect` is the SQLAlchemy dialect name. Raises ToolError when the rewritten
    statement does not pass the guard (which would be a bug of the rewrite).
    """
    glot = SQLGLOT_DIALECTS.get(dialect, dialect)
    tree = exp.maybe_parse(sql, dialect=glot)
    rewritten = map_tables(tree, mapping)
    readable = [mapping.where(entity).qualified_name for entity in ENTITIES]
    return check_select(rewritten.sql(dialect=glot), dialect, readable, private_tables)


def map_tables(tree: exp.Expression, mapping: WarehouseMapping) -> exp.Expression:
    """`tree` with every reference to an entity replaced by its mapped derived table."""
    tree = tree.copy()
    targets: list[exp.Table] = []
    for scope in traverse_scope(tree):
        for table in scope.tables:
            name = table.name.lower()
            if table.args.get("db") or table.args.get("catalog") or name not in ENTITIES:
                continue
            if name in {n.lower() for n in scope.cte_sources}:
                continue  # a CTE of the entity's name, not the table
            targets.append(table)
    for table in targets:
        # The table's own alias node keeps column aliases (`customers AS c(id, ...)`).
        alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
        derived = _derived_table(table.name.lower(), mapping)
        table.replace(exp.Subquery(this=derived, alias=alias.copy()))
    return tree


def _derived_table(entity: str, mapping: WarehouseMapping) -> exp.Select:
    """SELECT <warehouse column> AS <copilot column>, ... FROM <schema.table> of one entity."""
    where = mapping.where(entity)
    columns: list[exp.Expression] = []
    for column, kind in store_schema()[entity].items():
        held = where.warehouse_column(column)
        value = exp.column(_name(held)) if held else exp.cast(exp.null(), exp.DataType.build(kind))
        columns.append(exp.alias_(value, column))
    source = exp.table_(_name(where.table), db=_name(where.schema) if where.schema else None)
    return exp.select(*columns).from_(source)


def _name(name: str) -> exp.Identifier:
    """An identifier as the warehouse spells it: quoted when not plain lower case (as
    SQLAlchemy does), since PostgreSQL and others fold unquoted names to lower case."""
    plain = name == name.lower() and name.replace("_", "a").isalnum() and not name[0].isdigit()
    return exp.to_identifier(name, quoted=not plain)
