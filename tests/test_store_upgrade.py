"""A home made by an earlier version (business tables without today's columns) still answers."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import duckdb
import pytest

from copilot.agent import Copilot
from copilot.bootstrap import open_stores
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from knowledge.store.upgrade import ADDED_COLUMNS, missing_columns
from tests.conftest import AS_OF


@pytest.mark.parametrize("held", [False, True])
def test_an_earlier_versions_store_gets_the_new_columns_once(tmp_path: Path, held: bool) -> None:
    # held: as `copilot ask` opens it, the file kept open (read-only) for the question;
    # the upgrade must release that open to write, then take it again.
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
    with ExitStack() as question:
        stores = open_stores(settings, hold=question if held else None)
        assert missing_columns(stores.warehouse) == []
        after = Copilot(settings, engine=stores.warehouse, state=stores.state).ask(
            "What was revenue last month?"
        )
    with duckdb.connect(str(path)) as conn:  # released: a writer opens the file again
        conn.execute("CHECKPOINT")
    assert after.status == "answered", after.text
    assert after.tables[0].frame.iloc[0, 0] == before.tables[0].frame.iloc[0, 0]
