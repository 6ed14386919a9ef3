"""Opening the store: engines for DuckDB, SQLite and PostgreSQL, and schema creation.

Two ways to open the warehouse (the user's data):
- `connect_warehouse`: for questions. On the embedded DuckDB file every
  connection is short-lived and read-only (NullPool), so any number of
  processes read at once and nobody holds the file while idle;
  `hold_warehouse` keeps one connection open for the length of a question so
  its many statements reuse the open database (about 0.5 ms instead of
  ~30 ms per statement).
  On Spark (PyHive's `hive://` URL to the Thrift server) statements run
  asynchronously and are cancelled at their time limit, and any writing
  statement is refused before it is sent (`knowledge.store.spark`).
- `writable_warehouse`: for imports and demo data. Opens the file read-write
  for the duration of the write only, waiting (bounded) for readers to finish.
`connect_store` opens one database holding every table (the previous layout,
still used by tests and benchmarks that need a single throw-away store).
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.dialects import registry
from sqlalchemy.pool import NullPool

from knowledge.store.locking import StoreBusyError, StoreUnavailableError, retry_while_locked
from knowledge.store.portable import SPARK_DIALECTS
from knowledge.store.schema import BUSINESS_TABLES, Base, Order
from knowledge.store.spark import spark_read_only

# Dialects whose queries `fetch_frame` and `run_sql` stop at COPILOT_QUERY_TIMEOUT_S
# (Spark's own hook does the same; see knowledge.store.spark).
TIME_LIMITED_DIALECTS = frozenset({"duckdb", "sqlite", "postgresql"})
# Seconds a reader or writer waits for other processes by default (COPILOT_STORE_WAIT_S).
DEFAULT_WAIT_S = 60.0


def connect_store(url: str, *, create: bool = True) -> Engine:
    """An engine on the store at `url`, with every table created when `create` is true."""
    if create:
        refuse_spark_writes(url)
    try:
        engine = create_engine(url, **_engine_options(url))
        if create:
            Base.metadata.create_all(engine)
    except Exception as exc:  # the driver's own exception types differ per database
        raise StoreUnavailableError(f"Cannot open the store at {_safe_url(url)}: {exc}") from exc
    return engine


def connect_warehouse(
    url: str,
    *,
    wait_s: float = DEFAULT_WAIT_S,
    progress: Callable[[str], None] | None = None,
    hold: ExitStack | None = None,
) -> Engine:
    """An engine for reading the warehouse at `url`; nothing is created in it.

    On DuckDB each connection opens the file read-only and closes it again
    (NullPool); while a writer holds the file, opening waits up to `wait_s`
    seconds (with `progress` lines), then raises StoreBusyError. With `hold`, the
    connection that checks the file stays open until that stack closes
    (`hold_warehouse`), so the caller's next statements do not open the file again
    (~30 ms of CPU per open).
    """
    try:
        if url.startswith("duckdb"):
            options = _engine_options(url)
            options["connect_args"] = {**options["connect_args"], "read_only": True}
            engine = create_engine(url, poolclass=NullPool, **options)
            _wait_on_connect(engine, wait_s, progress)
            # A missing file fails here, with a clear message.
            if hold is None:
                engine.connect().close()
            else:
                hold.enter_context(hold_warehouse(engine))
        else:
            engine = create_engine(url, **_engine_options(url))
            if engine.dialect.name in SPARK_DIALECTS:
                spark_read_only(engine)
            elif engine.dialect.name not in TIME_LIMITED_DIALECTS:
                # Said once at start rather than ignored silently (fetch.py's _time_limit).
                warnings.warn(
                    f"COPILOT_QUERY_TIMEOUT_S cannot be enforced on {engine.dialect.name}: "
                    "queries there run without a time limit.",
                    stacklevel=2,
                )
    except StoreUnavailableError:
        raise
    except Exception as exc:  # the driver's own exception types differ per database
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreUnavailableError(
            f"Cannot open the store at {_safe_url(url)}: {reason}. "
            "Import data first (`copilot import ...`) or check COPILOT_DATABASE_URL."
        ) from exc
    return engine


@contextmanager
def hold_warehouse(engine: Engine) -> Iterator[None]:
    """Keep the embedded warehouse open read-only while the block runs (one question).

    DuckDB shares an open database between the connections of a process, so
    while this one is held, every statement's own short connection is cheap;
    when the block ends the file is released. Other databases: no effect.
    """
    if engine.dialect.name != "duckdb" or not isinstance(engine.pool, NullPool):
        yield
        return
    held = engine.raw_connection()
    try:
        yield
    finally:
        held.close()


@contextmanager
def writable_warehouse(
    url: str,
    *,
    wait_s: float = DEFAULT_WAIT_S,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Engine]:
    """An engine that may write the warehouse (imports, demo data), released after the block.

    The business tables are created if missing. On DuckDB the file is opened
    read-write once, waiting up to `wait_s` seconds for other processes to
    close it, and kept open until the block ends so no reader slips in between
    the writer's statements. Raises StoreBusyError when the wait runs out.
    """
    tables = [model.__table__ for model in BUSINESS_TABLES]
    refuse_spark_writes(url)
    if not url.startswith("duckdb"):
        engine = connect_store(url, create=False)
        try:
            Base.metadata.create_all(engine, tables=tables)
            yield engine
        finally:
            engine.dispose()
        return
    try:
        engine = create_engine(url, poolclass=NullPool, **_engine_options(url))
    except Exception as exc:
        raise StoreUnavailableError(f"Cannot open the store at {_safe_url(url)}: {exc}") from exc
    _wait_on_connect(engine, wait_s, progress)
    try:
        held = engine.raw_connection()
    except StoreBusyError:
        raise
    except Exception as exc:
        raise StoreUnavailableError(f"Cannot open the store at {_safe_url(url)}: {exc}") from exc
    try:
        Base.metadata.create_all(engine, tables=tables)
        yield engine
    finally:
        held.close()
        engine.dispose()


@contextmanager
def writable_engine(
    engine: Engine,
    *,
    wait_s: float = DEFAULT_WAIT_S,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Engine]:
    """`engine` itself, or, for the read-only embedded warehouse, a writable one for the block."""
    if engine.dialect.name == "duckdb" and isinstance(engine.pool, NullPool):
        url = engine.url.render_as_string(hide_password=False)
        with writable_warehouse(url, wait_s=wait_s, progress=progress) as writable:
            yield writable
        return
    yield engine


def refuse_spark_writes(url: str) -> None:
    """Raise StoreUnavailableError when `url` is a Spark warehouse: the copilot never writes there."""
    from sqlalchemy.engine import make_url

    try:
        backend = make_url(url).get_backend_name()
    except Exception:  # an unparseable URL fails with its own message when opened
        return
    if backend in SPARK_DIALECTS:
        raise StoreUnavailableError(
            f"The Spark warehouse at {_safe_url(url)} is read-only to the copilot: it creates "
            "and imports nothing there. Load your tables with Spark itself, then ask questions."
        )


def _wait_on_connect(engine: Engine, wait_s: float, progress: Callable[[str], None] | None) -> None:
    """Make every new DBAPI connection of `engine` wait out other processes' locks."""

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, connection_record, cargs, cparams):  # noqa: ANN001, ANN202
        return retry_while_locked(lambda: dialect.connect(*cargs, **cparams), wait_s, progress)


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Gradio and Slack call tools from worker threads.
        return {"connect_args": {"check_same_thread": False}}
    if url.startswith("duckdb"):
        # Named here, SQLAlchemy finds the dialect without reading every installed
        # package's entry points (10-25 ms of CPU at each start; issue 10).
        registry.register("duckdb", "duckdb_engine", "Dialect")
        return {"connect_args": {"config": {"enable_external_access": True}}}
    return {"pool_pre_ping": True}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def is_empty(engine: Engine) -> bool:
    """Whether the store holds no orders yet."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Order)).scalar_one() == 0


def has_orders_table(engine: Engine) -> bool:
    """Whether the warehouse has an `orders` table at all (a new DuckDB file has none)."""
    from sqlalchemy import inspect

    return inspect(engine).has_table(Order.__tablename__)


def reset_business_data(engine: Engine) -> None:
    """Delete every business row (customers ... reviews) in one transaction; own tables stay."""
    with engine.begin() as conn:
        for model in reversed(BUSINESS_TABLES):
            conn.execute(delete(model.__table__))


def new_id() -> str:
    """A fresh key for the copilot's own rows."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Now, as a naive UTC datetime (stored the same way on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)
