"""A durable note, inside the store, that its business data is the generated demo data.

The demo generator writes it in the same transaction as the data, so a store
says itself whether its numbers are made up; nothing has to guess from row
counts or file names. The note is its own one-row table (not part of the
business schema). Stores written by older versions, which had no note, are
recognised read-only by their catalogue: the demo generator always writes the
same fixed product catalogue, and a store whose products are exactly that
catalogue holds the demo data (`read_demo_marker` reports it with seed None).
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
    created_at: datetime | None  # None: recognised in a store from an older version


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
            return _older_versions_demo(conn)
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


def _older_versions_demo(conn: Connection) -> DemoMarker | None:
    """A note for a store an older version filled with demo data (no note table), else None.

    Its products are exactly the demo catalogue (same SKUs and names); a user's
    own import, or an import on top of the demo data, gives other products.
    """
    from knowledge.demo.catalog import products_frame  # only for stores without a note
    from knowledge.demo.returns import SHIPPING_SKU

    if not inspect(conn).has_table("products"):
        return None
    stored = {
        (row.sku, row.name_en)
        for row in conn.execute(text("SELECT sku, name_en FROM products")).all()
    }
    catalogue = products_frame()
    demo = set(zip(catalogue["sku"], catalogue["name_en"], strict=True))
    # Newer demo stores also hold the shipping-fee line's product (non-merchandise).
    if not stored or stored - {(SHIPPING_SKU, "Shipping fee")} != demo:
        return None
    customers, last = conn.execute(
        text("SELECT (SELECT COUNT(*) FROM customers), (SELECT MAX(order_date) FROM orders)")
    ).one()
    if isinstance(last, str):  # SQLite hands dates back as text
        last = date.fromisoformat(last[:10])
    elif isinstance(last, datetime):
        last = last.date()
    return DemoMarker(int(customers), None, last, None)
