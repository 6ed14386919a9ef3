"""Running a read query with a time limit and fetching the result as a DataFrame.

DuckDB results come back natively as a DataFrame (no Python row objects: it is
several times faster on big results); other databases go through SQLAlchemy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Connection, Engine, Executable, text

from knowledge.store.portable import SPARK_DIALECTS


class QueryTimeoutError(RuntimeError):
    """The query ran past its time limit and was stopped."""


def fetch_frame(engine: Engine, statement: Executable, timeout_s: float) -> pd.DataFrame:
    """Run `statement` read-only within `timeout_s` seconds and return all rows."""
    with engine.connect() as conn, _time_limit(conn, timeout_s):
        try:
            if conn.dialect.name == "duckdb":
                return _duckdb_frame(conn, statement)
            result = conn.execute(statement)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        except Exception as exc:
            if _is_interrupt(exc):
                raise QueryTimeoutError(
                    f"The query ran longer than {timeout_s:g} s and was stopped; "
                    "narrow the period or the grouping."
                ) from exc
            raise
        finally:
            conn.rollback()


def _duckdb_frame(conn: Connection, statement: Executable) -> pd.DataFrame:
    from knowledge.warehouse_mapping_reads import mapped_statement

    # Compiled here, not by conn.execute: apply the warehouse mapping's rewrite ourselves.
    statement = mapped_statement(conn, statement)
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    order = compiled.positiontup or []
    sql = str(compiled)
    values = [params[name] for name in order]
    # The raw driver call bypasses SQLAlchemy, so run its statement hooks here (e.g. the
    # copy of the copilot's state tables that `share_state_with` puts next to the warehouse).
    conn.dispatch.before_cursor_execute(conn, None, sql, values, None, False)
    raw = conn.connection.driver_connection
    return raw.execute(sql, values).df()


@contextmanager
def _time_limit(conn: Connection, timeout_s: float) -> Iterator[None]:
    """Stop the connection's current query after `timeout_s` seconds, per database."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(text(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}"))
        yield
        return
    if dialect == "duckdb":
        raw = conn.connection.driver_connection
        timer = threading.Timer(timeout_s, raw.interrupt)
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
        return
    if dialect in SPARK_DIALECTS:
        # Cancelled on the server by the engine's own hook (knowledge.store.spark).
        conn.execution_options(timeout_s=timeout_s)
        yield
        return
    if dialect == "sqlite":
        raw = conn.connection.driver_connection
        deadline = time.monotonic() + timeout_s
        # A non-zero return from the progress handler aborts the statement.
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
        return
    yield


def _is_interrupt(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(
        marker in message for marker in ("interrupt", "statement timeout", "canceling statement")
    )
