"""A durable note, inside the store, that its business data is the generated demo data.

The demo generator writes it in the same transaction as the data, so a store
says itself whether its numbers are made up; nothing has to guess from row
counts or file names. The note is its own one-row table (not part of the
business schema). A store opened by this version always has the table (maybe
empty); a store with data but without the table was written by an older version,
which filled only the embedded store with demo data on its first start, so such
a store with no recorded import is adopted as demo once (`adopt_legacy_store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    delete,
    inspect,
    select,
    text,
)

DEMO_MARKER = Table(
    "demo_marker",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=False),  # one row; no SERIAL on DuckDB
    Column("customers", Integer, nullable=False),
    Column("seed", Integer),  # None: a store adopted from an older version (seed unknown)
    Column("end_date", Date),
    Column("created_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class DemoMarker:
    """What demo data the store holds: its size, seed and last day."""

    customers: int
    seed: int | None
    end_date: date | None
    created_at: datetime


def write_demo_marker(
    conn: Connection, customers: int, seed: int | None, end_date: date | None
) -> None:
    """Record, in the caller's transaction, that the store now holds demo data."""
    DEMO_MARKER.create(conn, checkfirst=True)
    conn.execute(delete(DEMO_MARKER))
    conn.execute(
        DEMO_MARKER.insert().values(
            id=1,
            customers=customers,
            seed=seed,
            end_date=end_date,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )


def read_demo_marker(engine: Engine) -> DemoMarker | None:
    """The store's demo note, or None when its data is not (or no longer) the demo data."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(DEMO_MARKER.name):
            return None
        row = conn.execute(
            select(
                DEMO_MARKER.c.customers,
                DEMO_MARKER.c.seed,
                DEMO_MARKER.c.end_date,
                DEMO_MARKER.c.created_at,
            )
        ).first()
    if row is None:
        return None
    end = row.end_date
    if isinstance(end, str):  # SQLite hands dates back as text
        end = date.fromisoformat(end[:10])
    seed = None if row.seed is None else int(row.seed)
    return DemoMarker(int(row.customers), seed, end, row.created_at)


def clear_demo_marker(engine: Engine) -> None:
    """Forget the note (after the business data was deleted)."""
    with engine.begin() as conn:
        if inspect(conn).has_table(DEMO_MARKER.name):
            conn.execute(delete(DEMO_MARKER))


def ensure_marker_table(engine: Engine) -> None:
    """Create the (empty) note table, which says this version has seen the store."""
    with engine.begin() as conn:
        DEMO_MARKER.create(conn, checkfirst=True)


def adopt_legacy_store(engine: Engine) -> bool:
    """Label, once, an embedded store an older version filled with demo data; True if adopted.

    Only for the embedded default store: older versions generated demo data into
    it on first start, and every import recorded a row in `import_batches`. So a
    store without the note table that holds orders and no recorded import holds
    the demo data. Afterwards the table exists and the question never comes up again.
    """
    with engine.begin() as conn:
        inspector = inspect(conn)
        if inspector.has_table(DEMO_MARKER.name) or not inspector.has_table("orders"):
            return False
        imports = (
            conn.execute(text("SELECT COUNT(*) FROM import_batches")).scalar_one()
            if inspector.has_table("import_batches")
            else 0
        )
        customers = conn.execute(text("SELECT COUNT(*) FROM customers")).scalar_one()
        orders = conn.execute(text("SELECT COUNT(*) FROM orders")).scalar_one()
        DEMO_MARKER.create(conn)
        if imports or not orders:
            return False
        last = conn.execute(text("SELECT MAX(order_date) FROM orders")).scalar_one()
        if isinstance(last, str):
            last = date.fromisoformat(last[:10])
        elif isinstance(last, datetime):
            last = last.date()
        write_demo_marker(conn, int(customers), None, last)
    return True
