"""Aggregate facts of segments for copy briefs, computed in SQL inside the store.

A segment is an RFM segment by its English name (computed as of the reference
date, nothing saved) or a saved segment by name (its members). Only aggregates
leave the database: sizes, spend, top categories, best-selling products.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, Subquery, and_, func, literal, select, union_all

from knowledge.presentation import segment_name
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import (
    Customer,
    Order,
    OrderItem,
    Product,
    SavedSegment,
    SegmentMember,
    valid_order,
)
from knowledge.store.state import warehouse_sees_state
from tools.base import ToolError, listed
from tools.copywriting.model import SegmentFacts
from tools.segments.rfm import SEGMENT_NAMES, reference_date, rfm_select, rule_of

# The copy strategy of each RFM segment, from its action in MARKETING.md's map.
STRATEGIES: dict[str, str] = {
    "Champions": "vip",
    "Loyal Customers": "loyalty",
    "Potential Loyalists": "membership",
    "New Customers": "onboarding",
    "Promising": "brand_story",
    "Need Attention": "limited_time",
    "About to Sleep": "popular",
    "At Risk": "winback",
    "Can't Lose Them": "winback_vip",
    "Hibernating": "reactivation",
}


def _members(
    engine: Engine, ref: date, segments: list[str], state: Engine | None = None
) -> Subquery:
    """(customer_id, segment) of the requested RFM and saved segments.

    Saved members are read from `state` (the copilot's own store) and sent as id
    lists when the warehouse cannot see the state tables (Spark).
    """
    parts = []
    rfm = [s for s in segments if s in SEGMENT_NAMES]
    saved = [s for s in segments if s not in SEGMENT_NAMES]
    if rfm:
        scored = rfm_select(engine.dialect.name, ref).subquery("rfm")
        parts.append(
            select(scored.c.customer_id, scored.c.segment).where(scored.c.segment.in_(rfm))
        )
    saved_members = (
        select(SegmentMember.customer_id, SavedSegment.name.label("segment"))
        .join(SavedSegment, SavedSegment.segment_id == SegmentMember.segment_id)
        .where(SavedSegment.name.in_(saved))
    )
    if saved and warehouse_sees_state(engine):
        parts.append(saved_members)
    elif saved:
        with (state or engine).connect() as conn:
            rows = conn.execute(saved_members).all()
        for name in saved:
            ids = sorted({str(c) for c, s in rows if s == name})
            parts.append(
                select(Customer.customer_id, literal(name).label("segment")).where(
                    Customer.customer_id.in_(ids)
                )
            )
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    return statement.subquery("members")


def _valid(ref: date):  # noqa: ANN202 - a SQLAlchemy boolean clause
    return and_(valid_order(), Order.order_date < ref)


def saved_segment_kinds(engine: Engine, names: list[str]) -> dict[str, str]:
    """The kind of each saved segment named (absent names are missing from the result).

    `engine` is where saved segments live: the state store when there is one.
    """
    with engine.connect() as conn:
        rows = conn.execute(
            select(SavedSegment.name, SavedSegment.kind).where(SavedSegment.name.in_(names))
        ).all()
    return {name: kind for name, kind in rows}


def segment_facts(
    engine: Engine,
    segments: list[str],
    as_of: date | None,
    timeout_s: float = 60.0,
    state: Engine | None = None,
) -> tuple[dict[str, SegmentFacts], pd.DataFrame]:
    """Facts of each segment, and its product sales (segment, sku, units, revenue).

    `state` is the copilot's own store holding saved segments (None: `engine` holds them).
    """
    ref = reference_date(engine, as_of)
    if ref is None:
        raise ToolError.of(
            "The store has no valid orders, so segments have no facts to write from."
        )
    kinds = saved_segment_kinds(state or engine, [s for s in segments if s not in SEGMENT_NAMES])
    unknown = [s for s in segments if s not in SEGMENT_NAMES and s not in kinds]
    if unknown:
        raise ToolError.of(
            "Unknown segment(s): {unknown}. Use an RFM segment "
            "({known}) or a saved segment's name.",
            unknown=listed(unknown),
            known=listed(SEGMENT_NAMES, segment_name),
        )
    members = _members(engine, ref, segments, state)
    sizes = select(members.c.segment, func.count().label("size")).group_by(members.c.segment)
    orders = (
        select(
            members.c.segment,
            func.count(func.distinct(Order.customer_id)).label("buyers"),
            func.count().label("orders"),
            func.sum(Order.total).label("revenue"),
        )
        .join(Order, Order.customer_id == members.c.customer_id)
        .where(_valid(ref))
        .group_by(members.c.segment)
    )
    products = (
        select(
            members.c.segment,
            OrderItem.sku,
            func.sum(OrderItem.quantity).label("units"),
            func.sum(OrderItem.amount).label("revenue"),
        )
        .join(Order, Order.customer_id == members.c.customer_id)
        .join(OrderItem, OrderItem.order_id == Order.order_id)
        .where(_valid(ref))
        .group_by(members.c.segment, OrderItem.sku)
    )
    try:
        size_frame = fetch_frame(engine, sizes, timeout_s)
        order_frame = fetch_frame(engine, orders, timeout_s)
        sales = fetch_frame(engine, products, timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(timeout_s) from exc
    for frame, columns in (
        (order_frame, ("buyers", "orders", "revenue")),
        (sales, ("units", "revenue")),
    ):
        for column in columns:
            frame[column] = pd.to_numeric(frame[column]).astype(float)
    catalogue = catalogue_frame(engine, timeout_s)
    sales = sales.merge(catalogue[["sku", "category"]], on="sku", how="left")
    facts = {
        name: _facts(name, kinds.get(name, "rfm"), size_frame, order_frame, sales)
        for name in segments
    }
    return facts, sales


def _facts(
    name: str, kind: str, sizes: pd.DataFrame, orders: pd.DataFrame, sales: pd.DataFrame
) -> SegmentFacts:
    size = int(sizes.loc[sizes["segment"] == name, "size"].sum())
    row = orders[orders["segment"] == name]
    revenue = float(row["revenue"].sum()) if len(row) else 0.0
    buyers, count = (float(row["buyers"].sum()), float(row["orders"].sum())) if len(row) else (0, 0)
    # The favourite category is the one bought most often (units), not the one with the most
    # revenue: one laptop outweighs a year of skincare in money, not in habit.
    by_category = (
        sales[sales["segment"] == name]
        .groupby("category")[["units", "revenue"]]
        .sum()
        .sort_values(["units", "revenue"], ascending=False)
    )
    rfm = name in SEGMENT_NAMES
    return SegmentFacts(
        name=name,
        kind=kind,
        size=size,
        avg_spend=round(revenue / buyers, 2) if buyers else None,
        aov=round(revenue / count, 2) if count else None,
        top_categories=[str(c) for c in by_category.index[:3]],
        action=rule_of(name).action if rfm else None,
        strategy=STRATEGIES.get(name, "general"),
    )


def catalogue_frame(engine: Engine, timeout_s: float = 60.0) -> pd.DataFrame:
    """The catalogue: sku, name_en, name_zh, category, category_zh, price."""
    statement = select(
        Product.sku,
        Product.name_en,
        Product.name_zh,
        Product.category,
        Product.category_zh,
        Product.price,
    ).order_by(Product.sku)
    frame = fetch_frame(engine, statement, timeout_s)
    frame["price"] = pd.to_numeric(frame["price"]).astype(float)
    return frame


def rfm_segment_names(engine: Engine, as_of: date | None) -> list[str]:
    """The RFM segments that have members as of the reference date, in the map's order."""
    ref = reference_date(engine, as_of)
    if ref is None:
        return []
    scored = rfm_select(engine.dialect.name, ref).subquery("rfm")
    statement = select(scored.c.segment, literal(1)).distinct()
    present = set(fetch_frame(engine, statement, 60.0)["segment"])
    return [s for s in SEGMENT_NAMES if s in present]
