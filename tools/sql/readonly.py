"""Running one checked SELECT with database-level guards, a time limit and a row cap.

Defence in depth, per database (the parser check in `guard.py` comes first):

- PostgreSQL: the pooled connection runs the query in a transaction opened with
  `SET TRANSACTION READ ONLY` and `SET LOCAL statement_timeout`, through a
  server-side cursor (`DECLARE ... CURSOR FOR` accepts only SELECT/VALUES and
  refuses data-modifying CTEs); the transaction is always rolled back, which
  also undoes the SET LOCAL.
- SQLite: the pooled connection gets `PRAGMA query_only=ON`, an authorizer that
  allows only reading (SELECT, READ, FUNCTION outside the denylist, recursive
  CTEs) and a progress handler for the time limit, inside BEGIN ... ROLLBACK;
  everything is restored afterwards, and the connection is discarded from the
  pool if restoring fails.
- DuckDB: a second connection to the same open database cannot be read-only
  (DuckDB refuses a connection to one file with a different configuration in
  the same process), and `enable_external_access`, `disabled_filesystems`,
  `lock_configuration` are global settings: changing them would break the
  store's engine for every other tool (importers read files through it) and
  cannot be undone. So the query runs on a fresh duplicate connection of the
  same database with `BEGIN TRANSACTION READ ONLY` (any write fails), the
  session setting `python_enable_replacements=false` (names cannot resolve to
  Python objects), DuckDB's own parser confirming exactly one SELECT statement,
  an interrupt timer, and a rollback; the duplicate is closed afterwards. File
  reads (COPY TO, read_csv, 'file' in FROM) are not blocked by DuckDB at this
  level: the parser check is what refuses them. DuckDB's Python client (1.5)
  streams a result: each fetchmany pulls the next vectors (2,048 rows), with a
  few buffered ahead, so the byte cap below stops the query's work too. Measured
  (benchmarks/results/load.md, "run_sql result bytes"): 1,000,000 rows of 10 kB
  (10 GB) stop at the cap after 1 s of CPU, peak memory 0.45 GB above the
  process's baseline (DuckDB's read-ahead, not the result). The guard's
  literal limits on repeat(), lpad() and the like bound how large one value grows.
- Spark (Thrift server): no transactions exist to make read-only, so the
  engine's own hook (`knowledge.store.spark`) refuses any statement that is not
  a query before it is sent, the parser check (sqlglot's spark dialect, with
  the function allowlist: no reflect/java_method, no file reads) comes first,
  and the statement runs asynchronously and is cancelled on the server at the
  time limit. The SQL is sent as is (no client-side parameter formatting).

Every database's rows are fetched in growing batches with a byte cap
(`fetch_capped`), so a result of huge values stops at about MAX_RESULT_BYTES.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from knowledge.presentation.numbers import format_number
from tools.base import ToolError
from tools.sql.guard import is_denied_function

# Results larger than this many bytes (text and blob lengths, 8 per other value)
# are cut while fetching: rows are fetched in growing batches and fetching stops
# at the cap, so a query of huge values is not pulled into memory whole.
MAX_RESULT_BYTES = 8_000_000
_FIRST_BATCH = 1
_MAX_BATCH = 256


class SqlTimeoutError(ToolError):
    """The query ran past its time limit and was stopped."""


def run_readonly(
    engine: Engine, sql: str, timeout_s: float, max_rows: int, max_bytes: int = MAX_RESULT_BYTES
) -> pd.DataFrame:
    """Run one checked SELECT read-only; return at most `max_rows` rows and about `max_bytes`.

    `frame.attrs["byte_capped"]` is True when fetching stopped at the byte cap.
    Database errors become ToolError with the database's own message.
    """
    runner = _RUNNERS.get(engine.dialect.name)
    if runner is None:
        raise ToolError.of(
            "Free SQL questions are not supported on the {database} database.",
            database=engine.dialect.name,
        )
    try:
        rows, columns, capped = runner(engine, sql, timeout_s, max_rows, max_bytes)
    except ToolError:
        raise
    except Exception as exc:  # the drivers' own exception types differ per database
        if _is_interrupt(exc):
            raise SqlTimeoutError.of(
                "The query ran longer than {seconds} s and was stopped; filter to a "
                "shorter period, aggregate earlier or avoid cross joins.",
                seconds=format_number(timeout_s, digits=3),
            ) from exc
        # The database's own (English) reason, quoted in a sentence of the answer's language.
        raise ToolError.of(
            "The database refused the query: {reason}", reason=_db_message(exc)
        ) from exc
    frame = pd.DataFrame.from_records(rows, columns=_unique(columns))
    frame.attrs["byte_capped"] = capped
    return frame


def fetch_capped(
    fetchmany: Callable[[int], list], max_rows: int, max_bytes: int
) -> tuple[list, bool]:
    """Rows from a cursor in batches of 1, 2, 4 ... 256, stopping at `max_rows` or `max_bytes`.

    Returns (rows, capped): capped is True when the byte cap cut the result.
    Batches start small so one batch of huge values cannot hold much more than the cap.
    """
    rows: list = []
    size = 0
    batch = _FIRST_BATCH
    while len(rows) < max_rows:
        chunk = fetchmany(min(batch, max_rows - len(rows)))
        if not chunk:
            return rows, False
        for row in chunk:
            size += sum(_value_bytes(value) for value in row)
            if size > max_bytes:
                return rows, True
            rows.append(row)
        batch = min(batch * 2, _MAX_BATCH)
    return rows, False


def _value_bytes(value: object) -> int:
    if isinstance(value, str | bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, list | tuple | dict):
        return len(repr(value))
    return 8


def _postgres(
    engine: Engine, sql: str, timeout_s: float, max_rows: int, max_bytes: int
) -> tuple[list, list, bool]:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.rollback()  # start from a clean state whatever the pool left
        try:
            with raw.cursor() as setup:
                setup.execute("SET TRANSACTION READ ONLY")
                setup.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}")
            with raw.cursor(name="copilot_run_sql") as cursor:
                cursor.execute(sql)
                rows, capped = fetch_capped(cursor.fetchmany, max_rows, max_bytes)
                columns = [d.name for d in cursor.description or []]
            return rows, columns, capped
        finally:
            raw.rollback()


def _sqlite(
    engine: Engine, sql: str, timeout_s: float, max_rows: int, max_bytes: int
) -> tuple[list, list, bool]:
    with engine.connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection
        if raw.in_transaction:
            raw.rollback()
        previous = int(raw.execute("PRAGMA query_only").fetchone()[0])
        text_factory = raw.text_factory
        restored = False
        try:
            raw.execute("PRAGMA query_only = ON")
            raw.execute("BEGIN")
            deadline = time.monotonic() + timeout_s
            raw.set_authorizer(_sqlite_authorizer)
            # A non-zero return from the progress handler aborts the statement.
            raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            # Text that is not valid UTF-8 (CAST(x'ff' AS TEXT)) is replaced, not an error.
            raw.text_factory = _decode_replacing
            cursor = raw.execute(sql)
            rows, capped = fetch_capped(cursor.fetchmany, max_rows, max_bytes)
            columns = [d[0] for d in cursor.description or []]
            cursor.close()
            return rows, columns, capped
        finally:
            try:
                raw.set_authorizer(None)
                raw.set_progress_handler(None, 0)
                raw.text_factory = text_factory
                if raw.in_transaction:
                    raw.rollback()
                raw.execute(f"PRAGMA query_only = {previous}")
                restored = True
            finally:
                if not restored:
                    conn.invalidate()  # never hand a half-restored connection to other tools


def _decode_replacing(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _sqlite_authorizer(action: int, arg1: Any, arg2: Any, db: Any, trigger: Any) -> int:
    """Allow reading only; the parser has already checked the query."""
    if action == sqlite3.SQLITE_SELECT or action == getattr(sqlite3, "SQLITE_RECURSIVE", 33):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_READ:
        table = str(arg1 or "").lower()
        return sqlite3.SQLITE_DENY if table.startswith("sqlite_") else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if is_denied_function(str(arg2 or "")) else sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _duckdb(
    engine: Engine, sql: str, timeout_s: float, max_rows: int, max_bytes: int
) -> tuple[list, list, bool]:
    with engine.connect() as conn:
        # A duplicate shares the open database but has its own session and
        # transaction, so nothing done here reaches the pooled connection. The
        # connection stays open meanwhile: on a read-only warehouse (NullPool)
        # closing it closes the database under the duplicate.
        duck = conn.connection.driver_connection.duplicate()
        return _duckdb_on(duck, sql, timeout_s, max_rows, max_bytes)


def _duckdb_on(
    duck: Any, sql: str, timeout_s: float, max_rows: int, max_bytes: int
) -> tuple[list, list, bool]:
    try:
        duck.execute("SET SESSION python_enable_replacements = false")
        statements = duck.extract_statements(sql)
        kinds = [str(s.type).rsplit(".", 1)[-1] for s in statements]
        if kinds != ["SELECT"]:
            raise ToolError.of(
                "Refused: DuckDB reads this as {kinds}, not one SELECT.",
                kinds=", ".join(kinds) or "nothing",
            )
        duck.execute("BEGIN TRANSACTION READ ONLY")
        timer = threading.Timer(timeout_s, duck.interrupt)
        timer.start()
        try:
            duck.execute(sql)
            columns = [d[0] for d in duck.description or []]
            rows, capped = fetch_capped(duck.fetchmany, max_rows, max_bytes)
        finally:
            timer.cancel()
        return rows, columns, capped
    finally:
        # `abort` (DuckDB 2) drops a pending result; 1.x has none and needs none.
        _quietly(lambda: getattr(duck, "abort", lambda: None)())
        _quietly(lambda: duck.execute("ROLLBACK"))
        duck.close()


def _spark(
    engine: Engine, sql: str, timeout_s: float, max_rows: int, max_bytes: int
) -> tuple[list, list, bool]:
    from knowledge.store.spark import run_with_time_limit

    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        try:
            # The raw cursor bypasses SQLAlchemy's execute, so run its statement hooks
            # (the engine's read-only check) here.
            conn.dispatch.before_cursor_execute(conn, cursor, sql, None, None, False)
            run_with_time_limit(cursor, sql, None, timeout_s)
            columns = [d[0] for d in cursor.description or []]
            rows, capped = fetch_capped(cursor.fetchmany, max_rows, max_bytes)
        finally:
            _quietly(cursor.close)
    return rows, columns, capped


_RUNNERS: dict[str, Callable[[Engine, str, float, int, int], tuple[list, list, bool]]] = {
    "postgresql": _postgres,
    "sqlite": _sqlite,
    "duckdb": _duckdb,
    "hive": _spark,
}


def _quietly(action: Callable[[], Any]) -> None:
    try:
        action()
    except Exception:  # nothing left to undo: the result or transaction is already gone
        pass


def _is_interrupt(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(
        marker in message for marker in ("interrupt", "statement timeout", "canceling statement")
    )


def _db_message(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if len(message) > 600 else message


def _unique(columns: list[str]) -> list[str]:
    """Column names made unique (SELECT a.id, b.id gives id and id_2)."""
    seen: dict[str, int] = {}
    result = []
    for name in columns:
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{name}_{count}")
    return result
