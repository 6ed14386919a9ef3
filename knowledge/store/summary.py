"""A short text summary of the store for the model: tables, row counts, date range.

Every function reads the entities through a warehouse mapping (default: the
store's own tables), and asks in one statement what it can: on a remote
warehouse each statement is a round trip.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from knowledge.store.schema import valid_order
from knowledge.warehouse_mapping import ENTITIES, WarehouseMapping


def table_counts(engine: Engine, tables: WarehouseMapping | None = None) -> dict[str, int]:
    """Row count of every business table, in one statement."""
    tables = tables or WarehouseMapping.identity()
    counts = [
        select(func.count()).select_from(tables.table(name)).scalar_subquery().label(name)
        for name in ENTITIES
    ]
    with engine.connect() as conn:
        row = conn.execute(select(*counts)).one()
    return {name: int(value or 0) for name, value in zip(ENTITIES, row, strict=True)}


def latest_valid_order_date(engine: Engine, tables: WarehouseMapping | None = None) -> date | None:
    """The date of the latest valid order (None when there is none): where the data ends.

    Guest orders (no customer id) are valid orders too (MARKETING.md: they count
    in revenue and orders), so a guest order after the last customer's order
    moves the data's end, the as-of date and the RFM reference date.
    """
    orders = (tables or WarehouseMapping.identity()).table("orders")
    with engine.connect() as conn:
        latest = conn.execute(
            select(func.max(orders.c.order_date)).where(valid_order(orders, include_guests=True))
        ).scalar_one()
    return as_date(latest)


def order_span(
    engine: Engine, tables: WarehouseMapping | None = None
) -> tuple[date | None, date | None, date | None]:
    """(first order date, last order date, latest valid order date), in one statement.

    The latest valid order counts guest orders, as `latest_valid_order_date` does.
    """
    orders = (tables or WarehouseMapping.identity()).table("orders")
    latest_valid = func.max(orders.c.order_date).filter(valid_order(orders, include_guests=True))
    with engine.connect() as conn:
        first, last, latest = conn.execute(
            select(func.min(orders.c.order_date), func.max(orders.c.order_date), latest_valid)
        ).one()
    return as_date(first), as_date(last), as_date(latest)


def render_summary(counts: dict[str, int], first: date | None, last: date | None) -> str:
    """The summary text: one line per table, then the span of order dates."""
    lines = [f"- {name}: {count} rows" for name, count in counts.items()]
    if first is not None:
        lines.append(f"- orders span {first} to {last}")
    return "\n".join(lines)


def store_summary(engine: Engine, tables: WarehouseMapping | None = None) -> str:
    """Tables with row counts and the span of order dates (two statements)."""
    first, last, _ = order_span(engine, tables)
    return render_summary(table_counts(engine, tables), first, last)


def as_date(value: object) -> date | None:
    """A date from what a driver returns for a date aggregate (SQLite: text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if hasattr(value, "date") and callable(value.date):  # a datetime
        return value.date()
    return value  # type: ignore[return-value]
