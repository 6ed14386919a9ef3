"""The copilot's own state store: conversations, saved segments, drafts, audit, scores, imports.

It lives apart from the warehouse (the user's data) in a transactional store
that several processes share: a local SQLite file in WAL mode by default
(readers never wait for the writer; writers queue on a busy timeout), or a
PostgreSQL URL for a team. Every SQLite transaction starts with BEGIN
IMMEDIATE, so two writers never both read "no such segment yet" and then
collide on the same key: the second waits for the first and sees its rows.

Questions join saved segments and churn scores with the user's data, so the
warehouse's connections are given read-only views of those state tables
(`share_state_with`): an in-memory copy on DuckDB, an attached file on
SQLite. A home made by the previous version kept its state inside the DuckDB
file; `migrate_state` copies it over once.
"""

from __future__ import annotations

import re
import threading
import weakref

import pandas as pd
from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Table,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

from knowledge.store.database import DEFAULT_WAIT_S, StoreUnavailableError, _safe_url
from knowledge.store.schema import (
    STATE_TABLES,
    Base,
    ChurnScore,
    SavedSegment,
    SegmentMember,
    StateMeta,
)

# State tables that questions read together with the user's data.
SHARED_TABLES: tuple[Table, ...] = (
    SavedSegment.__table__,
    SegmentMember.__table__,
    ChurnScore.__table__,
)
_MIGRATED_KEY = "migrated_from_warehouse"


def connect_state(url: str, *, wait_s: float = DEFAULT_WAIT_S) -> Engine:
    """An engine on the state store at `url`, with the state tables created.

    SQLite gets WAL, a busy timeout of `wait_s` seconds and BEGIN IMMEDIATE
    transactions; PostgreSQL its own row locks. Raises StoreUnavailableError.
    """
    try:
        if url.startswith("sqlite"):
            engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": wait_s}
            )
            _immediate_transactions(engine, wait_s)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        Base.metadata.create_all(engine, tables=[model.__table__ for model in STATE_TABLES])
    except Exception as exc:  # the driver's own exception types differ per database
        # The driver's own first line: one sentence for the user, not a multi-line dump.
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
        raise StoreUnavailableError(
            f"Cannot open the store of the copilot's own state at {_safe_url(url)}: {reason}"
        ) from exc
    return engine


def _immediate_transactions(engine: Engine, wait_s: float) -> None:
    """SQLite: SQLAlchemy, not the driver, begins transactions, and as BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # the driver would BEGIN DEFERRED itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate_state(warehouse: Engine, state: Engine) -> dict[str, int]:
    """Copy the state tables a previous version kept in the warehouse, once; rows per table.

    Runs in one state transaction that first records the migration, so two
    processes starting together copy once. A state table that already has
    rows is left as it is. The warehouse is only read. Call it before
    `share_state_with`, whose views would otherwise hide the old tables.
    """
    if _same_database(warehouse, state):
        return {}
    with state.connect() as conn:
        done = conn.execute(select(StateMeta.value).where(StateMeta.key == _MIGRATED_KEY)).first()
    if done is not None:
        return {}
    names = set(inspect(warehouse).get_table_names())
    old: dict[str, pd.DataFrame] = {}
    with warehouse.connect() as source:
        for model in STATE_TABLES:
            table = model.__table__
            if table.name in names and model is not StateMeta:
                result = source.execute(select(table))
                old[table.name] = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    copied: dict[str, int] = {}
    with state.begin() as conn:
        if conn.execute(select(StateMeta.key).where(StateMeta.key == _MIGRATED_KEY)).first():
            return {}
        for model in STATE_TABLES:
            table = model.__table__
            frame = old.get(table.name)
            if frame is None or frame.empty:
                continue
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                continue
            rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
            conn.execute(insert(table), rows)
            copied[table.name] = len(rows)
        conn.execute(insert(StateMeta).values(key=_MIGRATED_KEY, value=str(sum(copied.values()))))
    return copied


def _same_database(a: Engine, b: Engine) -> bool:
    return a is b or a.url.render_as_string(hide_password=False) == b.url.render_as_string(
        hide_password=False
    )


class _StateSnapshot:
    """The shared state tables as DataFrames, re-read only when the state changed."""

    def __init__(self, state: Engine) -> None:
        self.state = state
        self._lock = threading.Lock()
        self._version: str | None = None
        self._frames: dict[str, pd.DataFrame] = {}

    def version(self) -> str:
        """A fingerprint of the shared tables: counts and latest change times (one small query)."""
        segments, members, scores = SHARED_TABLES
        with self.state.connect() as conn:
            row = conn.execute(
                select(
                    select(func.count()).select_from(segments).scalar_subquery(),
                    select(func.max(segments.c.updated_at)).scalar_subquery(),
                    select(func.count()).select_from(members).scalar_subquery(),
                    select(func.count()).select_from(scores).scalar_subquery(),
                    select(func.max(scores.c.scored_at)).scalar_subquery(),
                )
            ).one()
        return "|".join(str(value) for value in row)

    def frames(self, version: str) -> dict[str, pd.DataFrame]:
        """{table name: rows} as of `version`; read from the state only when it changed."""
        with self._lock:
            if version != self._version:
                with self.state.connect() as conn:
                    self._frames = {t.name: _typed_frame(conn, t) for t in SHARED_TABLES}
                self._version = version
            return self._frames


def _own_schemas(connection, catalog: str) -> list[str]:  # noqa: ANN001 - DuckDB connection
    """`catalog.schema` of every schema of the warehouse file, `main` first."""
    rows = connection.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? "
        "AND NOT internal AND schema_name <> 'main' ORDER BY schema_name",
        [catalog],
    ).fetchall()
    return [f"{catalog}.main", *(f"{catalog}.{name}" for (name,) in rows)]


class _DuckDBStateMirror:
    """The shared state tables copied into an in-memory database attached to the warehouse.

    DuckDB shares one open database (and what is attached to it) between the
    connections of a process, so the copy is made once per open of the
    warehouse (one question, see `hold_warehouse`) and again only after the
    state changed; a connection that runs a statement naming a state table
    puts the copy first on its search path (shadowing old copies in the file).
    Statements that name no state table pay nothing. The fingerprint of the
    state is re-read when this process committed to the state, so a segment
    saved earlier in the same question is seen; other processes' changes are
    seen from their next question on.
    """

    SCHEMA = "copilot_state"

    def __init__(self, state: Engine) -> None:
        self.snapshot = _StateSnapshot(state)
        self._lock = threading.Lock()
        self._catalog: str | None = None
        self._schemas: list[str] = []
        self._version: str | None = None  # None: re-read the fingerprint before use

        @event.listens_for(state, "commit")
        def _changed(conn) -> None:  # noqa: ANN001
            self._version = None

    def prepare(self, connection, info: dict) -> None:  # noqa: ANN001 - DuckDB DB-API connection
        """Make the state tables visible on `connection` (its `info` remembers it was done)."""
        with self._lock:  # one thread copies; the others then use its copy
            loaded = self._loaded_version(connection)
            if loaded is None or self._version is None:
                self._version = self.snapshot.version()
            if loaded != self._version:
                # A connection of its own (same open database, autocommit): the caller's
                # transaction would roll the copy back when it ends.
                loader = getattr(connection, "_ConnectionWrapper__c", connection).cursor()
                try:
                    self._load(loader, self._version)
                finally:
                    loader.close()
        if info.get("copilot_state") != self._version:
            if self._catalog is None:  # the warehouse file's own name, e.g. "store"
                self._catalog = connection.execute("SELECT current_database()").fetchone()[0]
                self._schemas = _own_schemas(connection, self._catalog)
            # The warehouse's other schemas stay on the path: with the copy first, DuckDB
            # resolves `sales.fact_orders` (a mapped warehouse) only through the path.
            path = ",".join([f"{self.SCHEMA}.main", *self._schemas])
            connection.execute(f"SET search_path = '{path}'")
            info["copilot_state"] = self._version

    def _loaded_version(self, connection) -> str | None:  # noqa: ANN001
        # Looked up in the catalogue first: a failing statement would spoil the caller's
        # transaction, and this runs inside it.
        present = connection.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = 'loaded'",
            [self.SCHEMA],
        ).fetchone()[0]
        if not present:
            return None
        row = connection.execute(f"SELECT version FROM {self.SCHEMA}.main.loaded").fetchone()
        return row[0] if row else None

    def _load(self, connection, version: str) -> None:  # noqa: ANN001
        attached = connection.execute(
            "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [self.SCHEMA]
        ).fetchone()[0]
        if not attached:
            connection.execute(f"ATTACH ':memory:' AS {self.SCHEMA} (READ_WRITE)")
        for name, frame in self.snapshot.frames(version).items():
            view = f"_state_{name}"
            connection.register(view, frame)
            try:
                connection.execute(
                    f'CREATE OR REPLACE TABLE {self.SCHEMA}.main."{name}" AS SELECT * FROM "{view}"'
                )
            finally:
                connection.unregister(view)
        connection.execute(
            f"CREATE OR REPLACE TABLE {self.SCHEMA}.main.loaded AS SELECT ? AS version", [version]
        )


_NAMES_STATE = re.compile(
    r"\b(" + "|".join(table.name for table in SHARED_TABLES) + r")\b", re.IGNORECASE
)


# Warehouses that cannot read the copilot's state tables (e.g. Spark with a local
# state store): statements naming saved segments cannot run there.
_WITHOUT_STATE: weakref.WeakSet[Engine] = weakref.WeakSet()


def warehouse_sees_state(warehouse: Engine) -> bool:
    """Whether statements on `warehouse` can read the shared state tables (saved segments)."""
    return warehouse not in _WITHOUT_STATE


def names_state_table(sql: str) -> bool:
    """Whether a statement's text reads one of the shared state tables."""
    return _NAMES_STATE.search(sql) is not None


def _typed_frame(conn, table: Table) -> pd.DataFrame:  # noqa: ANN001
    """All rows of `table`, with column types DuckDB reads right even when empty."""
    result = conn.execute(select(table))
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in table.columns:
        values = frame[column.name]
        if isinstance(column.type, String):
            frame[column.name] = values.astype("string")
        elif isinstance(column.type, Date | DateTime):
            frame[column.name] = pd.to_datetime(values).astype("datetime64[ns]")
        elif isinstance(column.type, Integer):
            frame[column.name] = values.astype("Int64")
        elif isinstance(column.type, Float):
            frame[column.name] = values.astype("float64")
    return frame


def share_state_with(warehouse: Engine, state: Engine) -> None:
    """Give every new warehouse connection read-only views of the shared state tables.

    DuckDB: the tables are copied into an attached in-memory database when a
    statement names them (`_DuckDBStateMirror`), shadowing old copies in the file.
    SQLite with a SQLite state: the state file is attached and temporary views
    point at it. Other warehouses see the state only when it is the same
    database (e.g. PostgreSQL holding both).
    """
    if _same_database(warehouse, state):
        return
    dialect = warehouse.dialect.name
    if dialect == "duckdb":
        mirror = _DuckDBStateMirror(state)

        @event.listens_for(warehouse, "before_cursor_execute")
        def _mirror(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            if names_state_table(statement):
                mirror.prepare(conn.connection.driver_connection, conn.connection.info)

    elif dialect == "sqlite" and state.dialect.name == "sqlite":
        path = make_url(state.url).database

        @event.listens_for(warehouse, "connect")
        def _attach(dbapi_connection, connection_record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("ATTACH DATABASE ? AS copilot_state", (path,))
            for table in SHARED_TABLES:
                cursor.execute(
                    f'CREATE TEMP VIEW IF NOT EXISTS "{table.name}" '
                    f'AS SELECT * FROM copilot_state."{table.name}"'
                )
            cursor.close()

    else:
        _WITHOUT_STATE.add(warehouse)
