"""Map, don't create: the store's entities on a warehouse's own tables and columns.

A team whose orders live in `sales.fact_orders` with the order time in `order_ts`
points the copilot at them with a YAML file (COPILOT_WAREHOUSE_MAPPING); nothing
is created or renamed in the warehouse. Example::

    schema: sales                  # default schema of the tables below (optional)
    tables:
      orders:
        table: fact_orders         # or schema-qualified: sales.fact_orders
        columns:
          ordered_at: order_ts     # the copilot's name: the warehouse's name
          channel: null            # not held in this warehouse: read as NULL
      customers:
        table: crm.dim_customer
        columns: {customer_id: cust_id}

Entities are the business tables of `knowledge.store.schema` (customers,
products, orders, order_items, campaigns, campaign_messages, reviews); an entity
or column not named keeps its own name. Queries read each mapped entity as a
subquery named like the entity whose columns carry the copilot's names
(`(SELECT s.order_ts AS ordered_at, ... FROM sales.fact_orders) AS orders`), so
every compiled statement is unchanged above the FROM clause; engines push the
projection down, so it costs nothing. Without a file the store's own tables are
used as they are (`WarehouseMapping.identity()`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import Column, FromClause, MetaData, Table, cast, null, select

from knowledge.store.schema import BUSINESS_TABLES, Base

ENTITIES: tuple[str, ...] = tuple(model.__tablename__ for model in BUSINESS_TABLES)


class MappingError(ValueError):
    """The mapping file cannot be read; the message names the file and line to fix."""


@dataclass(frozen=True)
class TableMapping:
    """Where one entity lives: `schema.table`, and its renamed columns (None: not held)."""

    entity: str
    table: str
    schema: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    line: int | None = None
    column_lines: dict[str, int] = field(default_factory=dict)

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table

    def warehouse_column(self, column: str) -> str | None:
        """The warehouse's name of the copilot's `column` (None when mapped to null)."""
        return self.columns.get(column, column)

    @property
    def renames_nothing(self) -> bool:
        return self.table == self.entity and self.schema is None and not self.columns


@dataclass
class WarehouseMapping:
    """Every entity's table in the warehouse; `table(entity)` is what queries select from."""

    tables: dict[str, TableMapping] = field(default_factory=dict)
    source: Path | None = None
    _built: dict[str, FromClause] = field(default_factory=dict, repr=False)

    @classmethod
    def identity(cls) -> WarehouseMapping:
        """The embedded store's own layout: every entity is the table of its name."""
        return cls({name: TableMapping(name, name) for name in ENTITIES})

    @property
    def is_identity(self) -> bool:
        return all(t.renames_nothing for t in self.tables.values())

    def where(self, entity: str) -> TableMapping:
        """The mapping of `entity`; KeyError for a name that is not a business table."""
        return self.tables[entity]

    def table(self, entity: str) -> FromClause:
        """What to select `entity` from: its columns carry the copilot's names and types.

        State tables (saved segments ...) and unmapped entities are the store's own tables.
        """
        if entity not in self.tables or self.tables[entity].renames_nothing:
            return Base.metadata.tables[entity]
        if entity not in self._built:
            self._built[entity] = self._subquery(self.tables[entity])
        return self._built[entity]

    def aliased(self, entity: str, alias: str) -> FromClause:
        """`entity` under another name (a second join of the same table)."""
        table = self.table(entity)
        if alias == entity:
            return table
        return table.alias(alias)

    def _subquery(self, mapping: TableMapping) -> FromClause:
        canonical = Base.metadata.tables[mapping.entity]
        held = {c.name: mapping.warehouse_column(c.name) for c in canonical.columns}
        warehouse = Table(
            mapping.table,
            MetaData(),
            *(Column(name, canonical.c[c].type) for c, name in held.items() if name),
            schema=mapping.schema,
        )
        columns = [
            (warehouse.c[name] if name else cast(null(), canonical.c[c].type)).label(c)
            for c, name in held.items()
        ]
        return select(*columns).subquery(mapping.entity)


def load_mapping(path: Path | str | None) -> WarehouseMapping:
    """The mapping in the YAML file at `path` (the identity mapping for None).

    Raises MappingError naming the file and line of an unknown entity or column,
    a bad table name, or YAML that is not a mapping.
    """
    if path is None:
        return WarehouseMapping.identity()
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(
            f"Cannot read the warehouse mapping {path}: {exc.strerror or exc}. "
            "Fix COPILOT_WAREHOUSE_MAPPING or create the file."
        ) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML: {exc}") from None
    mapping = _read_root(root, path)
    mapping.source = path
    return mapping


def _read_root(root: yaml.Node | None, path: Path) -> WarehouseMapping:
    if root is None:
        return WarehouseMapping.identity()
    top = _pairs(root, path, "the file")
    unknown = set(top) - {"schema", "tables"}
    if unknown:
        key = sorted(unknown)[0]
        raise MappingError(
            f"{path}:{_line(top[key][0])}: unknown key {key!r}; use `schema:` and `tables:`"
        )
    default_schema = _scalar(top["schema"][1], path) if "schema" in top else None
    mapping = WarehouseMapping.identity()
    if "tables" not in top:
        return _with_schema(mapping, default_schema)
    mapping = _with_schema(mapping, default_schema)
    for entity, (key_node, value) in _pairs(top["tables"][1], path, "tables").items():
        if entity not in ENTITIES:
            raise MappingError(
                f"{path}:{_line(key_node)}: {entity!r} is not an entity of the store; "
                f"map one of: {', '.join(ENTITIES)}"
            )
        mapping.tables[entity] = _read_table(entity, key_node, value, default_schema, path)
    return mapping


def _with_schema(mapping: WarehouseMapping, schema: str | None) -> WarehouseMapping:
    if schema:
        for name, table in list(mapping.tables.items()):
            mapping.tables[name] = TableMapping(name, table.table, schema)
    return mapping


def _read_table(
    entity: str, key_node: yaml.Node, value: yaml.Node, schema: str | None, path: Path
) -> TableMapping:
    where = f"tables.{entity}"
    spec = _pairs(value, path, where)
    unknown = set(spec) - {"table", "columns"}
    if unknown:
        key = sorted(unknown)[0]
        raise MappingError(
            f"{path}:{_line(spec[key][0])}: unknown key {key!r} under {where}; "
            "use `table:` and `columns:`"
        )
    table, line = entity, _line(key_node)
    if "table" in spec:
        qualified = _scalar(spec["table"][1], path) or ""
        parts = qualified.split(".")
        if not qualified or len(parts) > 2 or not all(parts):
            raise MappingError(
                f"{path}:{_line(spec['table'][1])}: {where}.table must be `table` or "
                f"`schema.table`, not {qualified!r}"
            )
        schema, table = (parts[0], parts[1]) if len(parts) == 2 else (schema, parts[0])
        line = _line(spec["table"][1])  # a missing table is fixed on its `table:` line
    known = {c.name for c in Base.metadata.tables[entity].columns}
    columns: dict[str, str | None] = {}
    lines: dict[str, int] = {}
    if "columns" in spec:
        for column, (column_key, column_value) in _pairs(
            spec["columns"][1], path, f"{where}.columns"
        ).items():
            if column not in known:
                raise MappingError(
                    f"{path}:{_line(column_key)}: {entity} has no column {column!r}; "
                    f"its columns are: {', '.join(sorted(known))}"
                )
            columns[column] = _scalar(column_value, path)
            lines[column] = _line(column_key)
    return TableMapping(entity, table, schema, columns, line, lines)


def _pairs(node: yaml.Node, path: Path, where: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise MappingError(f"{path}:{_line(node)}: {where} must be a mapping (key: value lines)")
    return {str(key.value): (key, value) for key, value in node.value}


def _scalar(node: yaml.Node, path: Path) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        raise MappingError(f"{path}:{_line(node)}: expected a name here")
    if node.tag.endswith(":null") or node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return str(node.value)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
