"""Derived tables the semantic model can join: each a SQLAlchemy subquery by name.

They are defined in code because they need window functions or grouping; each
works the same on DuckDB, SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Double, Select, cast, func, select

from knowledge.store.schema import (
    Campaign,
    CampaignMessage,
    Order,
    SavedSegment,
    SegmentMember,
    sales_order,
    valid_order,
)


def first_orders() -> Select:
    """Per buyer: the first valid order (id, date) and all-time net sales (historical LTV)."""
    orders = Order.__table__
    ranked = (
        select(
            orders.c.customer_id,
            orders.c.order_id,
            orders.c.order_date,
            func.row_number()
            .over(
                partition_by=orders.c.customer_id, order_by=(orders.c.ordered_at, orders.c.order_id)
            )
            .label("position"),
        )
        .where(valid_order())
        .subquery("ranked_orders")
    )
    # Historical LTV is net sales: later returns lower it (MARKETING.md).
    lifetime = (
        select(orders.c.customer_id, func.sum(orders.c.total).label("lifetime_revenue"))
        .where(sales_order(), orders.c.customer_id.is_not(None))
        .group_by(orders.c.customer_id)
        .subquery("lifetime")
    )
    return (
        select(
            ranked.c.customer_id,
            ranked.c.order_id.label("first_order_id"),
            ranked.c.order_date.label("first_order_date"),
            lifetime.c.lifetime_revenue,
        )
        .join_from(ranked, lifetime, ranked.c.customer_id == lifetime.c.customer_id)
        .where(ranked.c.position == 1)
    )


def campaign_message_costs() -> Select:
    """Per campaign: its cost spread evenly over its messages."""
    campaigns, messages = Campaign.__table__, CampaignMessage.__table__
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


def rfm_membership() -> Select:
    """Customer -> saved RFM segment name (each buyer is in exactly one)."""
    return _membership("rfm")


def segment_membership() -> Select:
    """Customer -> every saved segment it belongs to."""
    return _membership(None)


DERIVED: dict[str, Callable[[], Select]] = {
    "first_orders": first_orders,
    "campaign_message_costs": campaign_message_costs,
    "rfm_membership": rfm_membership,
    "segment_membership": segment_membership,
}
