"""Apache Spark as a read-only warehouse, through its Thrift server and PyHive's `hive://` dialect.

Two engine hooks, installed by `spark_read_only` on every Spark warehouse engine:

- Time limit: PyHive runs a statement synchronously and has no timeout. Here
  each statement is submitted asynchronously and polled; past the time limit
  given in the `timeout_s` execution option (`fetch_frame` and `run_sql` set it
  from COPILOT_QUERY_TIMEOUT_S) the operation is cancelled on the server and a
  "statement timeout" error is raised. Polling happens on the calling thread, so
  the Thrift connection is never used by two threads at once.
- Read-only: any statement that is not a query (SELECT, WITH, VALUES, or the
  SHOW / DESCRIBE / EXPLAIN the dialect uses to read the catalog) is refused
  before it reaches Spark, so nothing the copilot sends can write there.

And one repair of PyHive's catalogue reads: its `has_table` recognises a missing
table by Hive's error text only; Spark 4 says `[TABLE_OR_VIEW_NOT_FOUND]`, so
asking whether a table exists raised instead of answering False (`copilot ask` on
Spark failed at start, asking for the demo store's note table).
"""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, NoSuchTableError

# Statements the copilot may send to a Spark warehouse, by their first keyword.
READ_KEYWORDS = frozenset({"select", "with", "values", "show", "describe", "desc", "explain"})
_FIRST_WORD = re.compile(r"^[\s(]*([A-Za-z]+)")
# Spark's error classes for a table (or its schema) that does not exist.
_MISSING_TABLE = re.compile(r"\[(TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND)\]")
# Poll intervals grow from the first to the last, in seconds.
_FIRST_POLL_S = 0.02
_MAX_POLL_S = 0.5


class SparkWriteRefused(RuntimeError):
    """A statement that would write (or change settings) was about to be sent to Spark."""


def is_read_statement(sql: str) -> bool:
    """Whether `sql` starts with a reading keyword (comments are not expected here)."""
    match = _FIRST_WORD.match(sql)
    return bool(match) and match.group(1).lower() in READ_KEYWORDS


def spark_read_only(engine: Engine) -> None:
    """Install the read-only check and the cancelling time limit on a Spark engine."""
    _answer_missing_tables(engine.dialect)

    @event.listens_for(engine, "before_cursor_execute", retval=False)
    def _refuse_writes(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        if not is_read_statement(statement):
            raise SparkWriteRefused(
                "Refused to send a statement that is not a query to the Spark warehouse "
                f"(it is read-only to the copilot): {statement[:80]!r}"
            )

    @event.listens_for(engine, "do_execute")
    def _execute(cursor, statement, parameters, context):  # noqa: ANN001, ANN202
        run_with_time_limit(cursor, statement, parameters, _timeout(context))
        return True

    @event.listens_for(engine, "do_execute_no_params")
    def _execute_no_params(cursor, statement, context):  # noqa: ANN001, ANN202
        run_with_time_limit(cursor, statement, None, _timeout(context))
        return True


def _answer_missing_tables(dialect: Dialect) -> None:
    """Make PyHive's table lookup raise NoSuchTableError for Spark's "not found" errors.

    `has_table` then answers False and `get_columns` raises NoSuchTableError, as
    SQLAlchemy's inspector promises; other errors pass through unchanged.
    """
    original = getattr(dialect, "_get_table_columns", None)
    if original is None:  # not PyHive's dialect
        return

    def get_table_columns(connection, table_name: str, schema: str | None):  # noqa: ANN001, ANN202
        try:
            return original(connection, table_name, schema)
        except DBAPIError as exc:
            if _MISSING_TABLE.search(str(exc)):
                name = f"{schema}.{table_name}" if schema else table_name
                raise NoSuchTableError(name) from exc
            raise

    dialect._get_table_columns = get_table_columns


def _timeout(context: Any) -> float | None:
    options = getattr(context, "execution_options", None) or {}
    value = options.get("timeout_s")
    return float(value) if value else None


def run_with_time_limit(
    cursor: Any, statement: str, parameters: Any, timeout_s: float | None
) -> None:
    """Run `statement` on a PyHive cursor; cancel it on the server after `timeout_s` seconds.

    Raises pyhive.exc.OperationalError with Spark's message when the statement
    fails, and with "statement timeout" in its text when it was cancelled.
    """
    from pyhive.exc import OperationalError
    from TCLIService.ttypes import TOperationState

    cursor.execute(statement, parameters, async_=True)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    pause = _FIRST_POLL_S
    running = (
        TOperationState.INITIALIZED_STATE,
        TOperationState.PENDING_STATE,
        TOperationState.RUNNING_STATE,
    )
    while True:
        status = cursor.poll(get_progress_update=False)
        state = status.operationState
        if state not in running:
            break
        if deadline is not None and time.monotonic() > deadline:
            cursor.cancel()
            raise OperationalError(
                f"statement timeout: Spark query cancelled after {timeout_s:g} s"
            )
        time.sleep(pause)
        pause = min(pause * 2, _MAX_POLL_S)
    if state != TOperationState.FINISHED_STATE:
        message = status.errorMessage or TOperationState._VALUES_TO_NAMES.get(state, str(state))
        raise OperationalError(message)
