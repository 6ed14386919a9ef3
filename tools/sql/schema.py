"""The store's tables and columns as the SQL tools see them (from the SQLAlchemy metadata)."""

from __future__ import annotations

from functools import lru_cache

from knowledge.store.schema import BUSINESS_TABLES, Base


@lru_cache(maxsize=1)
def store_schema() -> dict[str, dict[str, str]]:
    """{table: {column: generic type}} for every table of the store, business tables first."""
    business = [model.__tablename__ for model in BUSINESS_TABLES]
    names = business + sorted(set(Base.metadata.tables) - set(business))
    return {
        name: {col.name: _type_name(col.type) for col in Base.metadata.tables[name].columns}
        for name in names
    }


def is_business_table(name: str) -> bool:
    """Whether a table holds the company's data (not the copilot's own)."""
    return name in {model.__tablename__ for model in BUSINESS_TABLES}


def table_doc(name: str) -> str:
    """The one-line description of a table, from its model's docstring."""
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == name:
            doc = (mapper.class_.__doc__ or "").strip()
            return doc.splitlines()[0] if doc else ""
    return ""


def _type_name(sa_type: object) -> str:
    """A dialect-neutral SQL type name (for sqlglot's qualifier and describe_data)."""
    name = type(sa_type).__name__.upper()
    return {
        "STRING": "VARCHAR",
        "TEXT": "TEXT",
        "INTEGER": "INTEGER",
        "NUMERIC": "DECIMAL(14, 2)",
        "DATE": "DATE",
        "DATETIME": "TIMESTAMP",
        "BOOLEAN": "BOOLEAN",
    }.get(name, name)
