"""COPILOT_QUERY_TIMEOUT_S on every engine, and run_sql on an engine it has no runner for.

Issue 15 found the time limit silently ignored outside DuckDB, SQLite and
PostgreSQL, and run_sql's "does not support the hive database" reported with
`error: null`. Spark's own limit (cancelled on the server) is tested against a
real server in tests/test_spark_analytics.py; here the embedded engines and
PostgreSQL stop an endless query at the limit through `fetch_frame` (the path of
every analytics tool), and an engine without a run_sql runner is a tool error
whose text says so. No Spark server needed.
"""

from __future__ import annotations

import time
import types

import pytest
from sqlalchemy import create_engine, text

from copilot.tool_adapter import _run_tool
from knowledge.semantic import load_semantic_model
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from tools import ToolContext
from tools.sql.run import run_sql

# Queries that never end by themselves (or take far longer than any test).
ENDLESS = {
    "duckdb": "SELECT count(*) FROM range(100000000000000)",
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
    ),
    "postgresql": "SELECT pg_sleep(60)",
}


def _stops_at_the_limit(engine, dialect: str) -> None:  # noqa: ANN001
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="longer than 0.5 s"):
        fetch_frame(engine, text(ENDLESS[dialect]), 0.5)
    # Stopped, not run to the end; generous for a loaded machine.
    assert time.monotonic() - started < 30
    # The engine still answers afterwards (the connection was not left half-cancelled).
    assert fetch_frame(engine, text("SELECT 1 AS one"), 5).iloc[0, 0] == 1


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_the_time_limit_stops_a_query_on_the_embedded_engines(dialect: str, tmp_path) -> None:  # noqa: ANN001
    engine = create_engine(f"{dialect}:///{tmp_path}/x.db")
    _stops_at_the_limit(engine, dialect)
    engine.dispose()


def test_the_time_limit_stops_a_query_on_postgresql(postgres_scratch_url: str) -> None:
    engine = create_engine(postgres_scratch_url)
    _stops_at_the_limit(engine, "postgresql")
    engine.dispose()


def _engine_without_a_server(url: str):  # noqa: ANN202
    """An engine of a dialect whose driver is not installed here; it never connects."""
    fake = types.ModuleType("no_driver")
    fake.paramstyle = "pyformat"

    def connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("run_sql must refuse before connecting")

    fake.connect = connect
    return create_engine(url, module=fake)


def test_run_sql_on_a_database_it_cannot_guard_is_a_tool_error_with_the_reason() -> None:
    engine = _engine_without_a_server("mysql+pymysql://reader@127.0.0.1/shop")
    ctx = ToolContext(engine=engine, semantic_model=load_semantic_model())
    text_for_model, output = _run_tool(run_sql, ctx, {"sql": "SELECT count(*) FROM orders"})
    # The call's error is set (the Answer's tool call carries it), not only its text.
    assert output.data["error"] == "Free SQL questions are not supported on the mysql database."
    assert output.data["error_zh"] and text_for_model.startswith("Error: ")
    assert not output.artifacts
