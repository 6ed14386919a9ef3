"""Derived tables the semantic model can join: each a SQLAlchemy subquery by name.

They are defined in code because they need window functions or grouping; each
works the same on DuckDB, SQLite and PostgreSQL. Each takes the warehouse mapping,
so the business tables it reads are the warehouse's own (the saved segments are
the copilot's state and are never mapped).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Double, Select, cast, func, select

from knowledge.store.schema import (
    SavedSegment,
    SegmentMember,
    sales_order,
    valid_order,
)
from knowledge.warehouse_mapping import WarehouseMapping


def first_orders(tables: WarehouseMapping | None = None) -> Select:
    """Per buyer: the first valid order (id, date, the channel it came through) and all-time
    net sales (historical LTV). New customers by channel are counted by their first order's."""
    orders = (tables or WarehouseMapping.identity()).table("orders")
    ranked = (
        select(
            orders.c.customer_id,
            orders.c.order_id,
            orders.c.order_date,
            orders.c.channel,
            func.row_number()
            .over(
                partition_by=orders.c.customer_id, order_by=(orders.c.ordered_at, orders.c.order_id)
            )
            .label("position"),
        )
        .where(valid_order(orders))
        .subquery("ranked_orders")
    )
    # Historical LTV is net sales: later returns lower it (MARKETING.md).
    lifetime = (
        select(orders.c.customer_id, func.sum(orders.c.total).label("lifetime_revenue"))
        .where(sales_order(orders), orders.c.customer_id.is_not(None))
        .group_by(orders.c.customer_id)
        .subquery("lifetime")
    )
    return (
        select(
            ranked.c.customer_id,
            ranked.c.order_id.label("first_order_id"),
            ranked.c.order_date.label("first_order_date"),
            ranked.c.channel.label("first_order_channel"),
            lifetime.c.lifetime_revenue,
        )
        .join_from(ranked, lifetime, ranked.c.customer_id == lifetime.c.customer_id)
        .where(ranked.c.position == 1)
    )


def campaign_message_costs(tables: WarehouseMapping | None = None) -> Select:
    """Per campaign: its cost spread evenly over its messages."""
    tables = tables or WarehouseMapping.identity()
    campaigns, messages = tables.table("campaigns"), tables.table("campaign_messages")
    return (
        select(
            campaigns.c.campaign_id,
            (cast(campaigns.c.cost, Double) / func.count(messages.c.message_id)).label(
                "cost_per_message"
            ),
        )
        .join_from(campaigns, messages, campaigns.c.campaign_id == messages.c.campaign_id)
        .group_by(campaigns.c.campaign_id, campaigns.c.cost)
    )


def _membership(kind: str | None) -> Select:
    members, segments = SegmentMember.__table__, SavedSegment.__table__
    statement = select(members.c.customer_id, segments.c.name.label("segment")).join_from(
        members, segments, members.c.segment_id == segments.c.segment_id
    )
    return statement.where(segments.c.kind == kind) if kind else statement


def rfm_membership(tables: WarehouseMapping | None = None) -> Select:
    """Customer -> saved RFM segment name (each buyer is in exactly one)."""
    return _membership("rfm")


def segment_membership(tables: WarehouseMapping | None = None) -> Select:
    """Customer -> every saved segment it belongs to."""
    return _membership(None)


# Derived tables over the copilot's own state (saved segments), not over the warehouse:
# their values change when a segment is saved, whatever the warehouse holds.
STATE_DERIVED = frozenset({"rfm_membership", "segment_membership"})

DERIVED: dict[str, Callable[[WarehouseMapping | None], Select]] = {
    "first_orders": first_orders,
    "campaign_message_costs": campaign_message_costs,
    "rfm_membership": rfm_membership,
    "segment_membership": segment_membership,
}
