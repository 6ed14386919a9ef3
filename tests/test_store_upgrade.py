"""A home made by an earlier version (business tables without today's columns) still answers."""

from __future__ import annotations

from pathlib import Path

import duckdb

from copilot.agent import Copilot
from copilot.bootstrap import open_stores
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from knowledge.store.upgrade import ADDED_COLUMNS, missing_columns
from tests.conftest import AS_OF


def test_an_earlier_versions_store_gets_the_new_columns_once(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    engine = connect_store(f"duckdb:///{path}")
    generate_demo_data(engine, customers=60, seed=5)
    engine.dispose()
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    stores = open_stores(settings)
    before = Copilot(settings, engine=stores.warehouse, state=stores.state).ask(
        "What was revenue last month?"
    )
    stores.warehouse.dispose()
    stores.state.dispose()
    with duckdb.connect(str(path)) as conn:  # as the first version wrote it
        for table, column, _ in ADDED_COLUMNS:
            # (DuckDB cannot drop a column of an indexed table: rebuild it without.)
            conn.execute(f"CREATE TABLE old_{table} AS SELECT * EXCLUDE ({column}) FROM {table}")
            conn.execute(f"DROP TABLE {table}")
            conn.execute(f"ALTER TABLE old_{table} RENAME TO {table}")
    stores = open_stores(settings)
    assert missing_columns(stores.warehouse) == []
    after = Copilot(settings, engine=stores.warehouse, state=stores.state).ask(
        "What was revenue last month?"
    )
    assert after.status == "answered", after.text
    assert after.tables[0].frame.iloc[0, 0] == before.tables[0].frame.iloc[0, 0]
