"""A short text summary of the store for the model: tables, row counts, date range."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from knowledge.store.schema import BUSINESS_TABLES, Order, valid_order


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every business table."""
    with engine.connect() as conn:
        return {
            model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in BUSINESS_TABLES
        }


def latest_valid_order_date(engine: Engine) -> date | None:
    """The date of the latest valid order (None when there is none)."""
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(Order.order_date)).where(valid_order())).scalar_one()
    if isinstance(latest, str):  # SQLite returns dates of aggregates as text
        latest = date.fromisoformat(latest[:10])
    return latest


def store_summary(engine: Engine) -> str:
    """Tables with row counts and the span of order dates."""
    counts = table_counts(engine)
    with engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(Order.order_date), func.max(Order.order_date))
        ).one()
    lines = [f"- {name}: {count} rows" for name, count in counts.items()]
    if first is not None:
        lines.append(f"- orders span {first} to {last}")
    return "\n".join(lines)
