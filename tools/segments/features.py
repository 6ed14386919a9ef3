"""Behavioural features per buyer for K-means personas, aggregated in SQL.

One query joins per-buyer aggregates (RFM, category revenue, order hours, sales
channels, campaign engagement per message channel, age) in the database; the
few ratios are then taken column-wise in pandas. Categories and sales channels
are the store's own (the most important few), so imported data works too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Float, and_, case, cast, extract, func, select, true

from knowledge.store.fetch import fetch_frame
from knowledge.store.schema import (
    MESSAGE_CHANNELS,
    Campaign,
    CampaignMessage,
    Customer,
    Order,
    OrderItem,
    Product,
    valid_order,
)
from tools.segments.rfm import days_between

MAX_CATEGORIES = 12
MAX_SALES_CHANNELS = 6
# Hour bands of the store's day: (name, first hour, last hour).
HOUR_BANDS: tuple[tuple[str, int, int], ...] = (
    ("night", 0, 5),
    ("morning", 6, 10),
    ("midday", 11, 13),
    ("afternoon", 14, 17),
    ("evening", 18, 23),
)
# Money and counts are skewed: a few buyers spend 100x the median.
LOG_FEATURES = ("recency_days", "frequency", "monetary", "aov")
# Shares and rates of a buyer with few orders or messages are mostly noise (one
# order is 100% of something), so they are shrunk towards the population's value
# as if this many more orders / messages had the population's mix.
PRIOR_WEIGHT = 2.0
# Groups of many columns (8 categories, 8 engagement rates) would outweigh one-column
# groups (age); each column is divided by (columns in its group) ** GROUP_DAMPING.
GROUP_DAMPING = 0.25


@dataclass(frozen=True)
class Feature:
    """One clustering feature: its column, its group and the thing it measures."""

    column: str
    group: str  # rfm, category, hour, sales_channel, open, click, age
    key: str  # e.g. "skincare", "evening", "push"


def persona_features(
    engine: Engine, ref: date, timeout_s: float = 300.0
) -> tuple[pd.DataFrame, list[Feature]]:
    """Raw (unscaled) features of every buyer before `ref`, indexed by customer_id."""
    categories = _top_values(engine, _category_revenue(), MAX_CATEGORIES, timeout_s)
    channels = _top_values(engine, _sales_channel_orders(ref), MAX_SALES_CHANNELS, timeout_s)
    # Buyers come from the orders part (one scan of orders gives R, F, M, hours and
    # channels); the other parts are joined to it.
    buyers = _order_part(engine.dialect.name, ref, channels)
    columns = list(buyers.c)
    joined = buyers
    for part in (_category_part(ref, categories), _engagement_part(ref)):
        joined = joined.outerjoin(part, part.c.customer_id == buyers.c.customer_id)
        columns += [c for c in part.c if c.name != "customer_id"]
    joined = joined.outerjoin(Customer, Customer.customer_id == buyers.c.customer_id)
    columns.append(Customer.birth_year)
    statement = select(*columns).select_from(joined).order_by(buyers.c.customer_id)
    raw = fetch_frame(engine, statement, timeout_s).set_index("customer_id")
    raw = raw.apply(pd.to_numeric, errors="coerce").astype(float)
    return _derive(raw, ref, categories, channels)


def _valid_before(ref: date):  # noqa: ANN202
    return and_(valid_order(), Order.order_date < ref)


def _amount():  # noqa: ANN202
    # Shares need no exact cents, and floating sums are much cheaper than decimal ones.
    return cast(OrderItem.amount, Float)


def _category_revenue():  # noqa: ANN202
    # Which categories become features: by line revenue over all lines (no join to
    # orders needed; the choice of columns does not need valid orders only).
    return (
        select(Product.category.label("value"), func.sum(_amount()).label("weight"))
        .join(Product, Product.sku == OrderItem.sku)
        .where(Product.category.is_not(None))
        .group_by(Product.category)
    )


def _sales_channel_orders(ref: date):  # noqa: ANN202
    return (
        select(Order.channel.label("value"), func.count().label("weight"))
        .where(_valid_before(ref), Order.channel.is_not(None))
        .group_by(Order.channel)
    )


def _top_values(engine: Engine, statement, limit: int, timeout_s: float) -> list[str]:  # noqa: ANN001
    frame = fetch_frame(engine, statement, timeout_s)
    if frame.empty:
        return []
    frame["weight"] = pd.to_numeric(frame["weight"]).astype(float)
    frame = frame.sort_values(["weight", "value"], ascending=[False, True])
    return [str(v) for v in frame["value"].head(limit)]


def _count_if(condition):  # noqa: ANN001, ANN202
    # count() of a CASE without ELSE: a plain integer everywhere (DuckDB's sum of
    # integers is a 128-bit HUGEINT, slow to fetch).
    return func.count(case((condition, 1)))


def _category_part(ref: date, categories: list[str]):  # noqa: ANN202
    amount = _amount()
    sums = [
        func.sum(case((Product.category == name, amount), else_=0)).label(f"cat_{i}")
        for i, name in enumerate(categories)
    ]
    return (
        select(Order.customer_id, func.sum(amount).label("item_revenue"), *sums)
        .select_from(OrderItem)
        .join(Order, Order.order_id == OrderItem.order_id)
        .outerjoin(Product, Product.sku == OrderItem.sku)
        .where(_valid_before(ref))
        .group_by(Order.customer_id)
        .subquery("categories")
    )


def _order_part(dialect: str, ref: date, channels: list[str]):  # noqa: ANN202
    hour = extract("hour", Order.ordered_at)
    bands = [_count_if(hour.between(lo, hi)).label(f"hour_{name}") for name, lo, hi in HOUR_BANDS]
    sales = [
        _count_if(Order.channel == name).label(f"sales_{i}") for i, name in enumerate(channels)
    ]
    return (
        select(
            Order.customer_id,
            days_between(dialect, func.max(Order.order_date), ref).label("recency"),
            func.count().label("frequency"),
            func.sum(cast(Order.total, Float)).label("monetary"),
            *bands,
            *sales,
        )
        .where(_valid_before(ref))
        .group_by(Order.customer_id)
        .subquery("order_habits")
    )


def _engagement_part(ref: date):  # noqa: ANN202
    message, channel = CampaignMessage, Campaign.channel
    delivered = message.delivered == true()
    counts = []
    for name in MESSAGE_CHANNELS:
        here = and_(channel == name, delivered)
        counts += [
            _count_if(here).label(f"delivered_{name}"),
            _count_if(and_(here, message.opened_at.is_not(None))).label(f"opened_{name}"),
            _count_if(and_(here, message.clicked_at.is_not(None))).label(f"clicked_{name}"),
        ]
    return (
        select(message.customer_id, *counts)
        .join(Campaign, Campaign.campaign_id == message.campaign_id)
        .where(message.sent_at < ref)
        .group_by(message.customer_id)
        .subquery("engagement")
    )


def _derive(
    raw: pd.DataFrame, ref: date, categories: list[str], channels: list[str]
) -> tuple[pd.DataFrame, list[Feature]]:
    """Shares and rates from the raw sums; a buyer without messages has rates of 0."""
    out = pd.DataFrame(index=raw.index)
    features: list[Feature] = []

    def add(column: str, group: str, key: str, values: pd.Series) -> None:
        out[column] = values.to_numpy(dtype=float)
        features.append(Feature(column, group, key))

    add("recency_days", "rfm", "recency", raw["recency"])
    add("frequency", "rfm", "frequency", raw["frequency"])
    add("monetary", "rfm", "monetary", raw["monetary"])
    add("aov", "rfm", "aov", raw["monetary"] / raw["frequency"])
    orders = raw["frequency"]
    item_revenue = raw["item_revenue"].fillna(0.0)
    for i, name in enumerate(categories):
        share = (raw[f"cat_{i}"].fillna(0.0) / item_revenue.where(item_revenue > 0)).fillna(0.0)
        add(f"category:{name}", "category", name, _shrunk(share * orders, orders))
    for name, _, _ in HOUR_BANDS:
        add(f"hour:{name}", "hour", name, _shrunk(raw[f"hour_{name}"].fillna(0.0), orders))
    for i, name in enumerate(channels):
        add(f"sales:{name}", "sales_channel", name, _shrunk(raw[f"sales_{i}"].fillna(0.0), orders))
    for name in MESSAGE_CHANNELS:
        sent = raw[f"delivered_{name}"].fillna(0.0)
        if sent.sum() > 0:
            add(f"open:{name}", "open", name, _shrunk(raw[f"opened_{name}"].fillna(0.0), sent))
            add(f"click:{name}", "click", name, _shrunk(raw[f"clicked_{name}"].fillna(0.0), sent))
    age = ref.year - raw["birth_year"]
    if age.notna().any():
        add("age", "age", "age", age.fillna(age.median()))
    # A feature that never varies carries no information and breaks scaling.
    keep = [f for f in features if np.nanstd(out[f.column].to_numpy()) > 0]
    return out[[f.column for f in keep]], keep


def _shrunk(hits: pd.Series, trials: pd.Series) -> pd.Series:
    """hits / trials, shrunk towards the overall rate by PRIOR_WEIGHT pseudo-trials."""
    overall = hits.sum() / trials.sum() if trials.sum() > 0 else 0.0
    return ((hits + PRIOR_WEIGHT * overall) / (trials + PRIOR_WEIGHT)).fillna(overall)
