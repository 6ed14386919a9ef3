"""Bring a warehouse written by an earlier version up to today's columns.

The reading rules of MARKETING.md added columns to the business tables: the
store's currency on each order, a merchandise flag on each line, and guest
orders (no customer id). A store made before them would fail every question
on a missing column, so the embedded store (the copilot's own file) gets them
once, at start. Old rows keep their meaning: every line counted as merchandise
and no currency was recorded (the currency setting applies). Guest orders need
a store made by this version: DuckDB cannot drop the NOT NULL of an indexed
column, so importing guest lines into an old store is refused by the store.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect

# (table, column, DDL type and default) added since the first version.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("orders", "currency", "VARCHAR(3)"),
    ("order_items", "merchandise", "BOOLEAN DEFAULT TRUE"),
)


def missing_columns(engine: Engine) -> list[tuple[str, str, str]]:
    """The added columns that the store's existing tables lack (empty for a current store)."""
    tables = set(inspect(engine).get_table_names())
    missing = []
    with engine.connect() as conn:
        for table, column, ddl in ADDED_COLUMNS:
            if table not in tables:
                continue
            # The result's column names: portable (duckdb-engine's column reflection is not).
            names = set(conn.exec_driver_sql(f"SELECT * FROM {table} WHERE 1 = 0").keys())
            if column not in names:
                missing.append((table, column, ddl))
    return missing


def add_missing_columns(engine: Engine, missing: list[tuple[str, str, str]]) -> None:
    """Add `missing` columns in one transaction (existing rows get the default)."""
    if not missing:
        return
    with engine.begin() as conn:
        for table, column, ddl in missing:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
