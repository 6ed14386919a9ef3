"""Opening the store: engines for DuckDB, SQLite and PostgreSQL, and schema creation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, delete, event, func, select

from knowledge.store.schema import BUSINESS_TABLES, Base, Order


class StoreUnavailableError(RuntimeError):
    """The store cannot be opened or reached; a fatal error shown to the user as it is."""


def connect_store(url: str, *, create: bool = True) -> Engine:
    """An engine on the store at `url`, with every table created when `create` is true."""
    try:
        engine = create_engine(url, **_engine_options(url))
        if create:
            Base.metadata.create_all(engine)
    except Exception as exc:  # the driver's own exception types differ per database
        raise StoreUnavailableError(f"Cannot open the store at {_safe_url(url)}: {exc}") from exc
    return engine


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Gradio and Slack call tools from worker threads.
        return {"connect_args": {"check_same_thread": False}}
    if url.startswith("duckdb"):
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
