"""Churn features and labels per customer at a cutoff date, from data on or before it.

The store's history is fetched once (`load_history`) and features are computed
for any cutoff inside it (`features_at`), so training, validation and scoring
cutoffs share one query. Every feature reads only rows dated on or before the
cutoff; the label reads only valid orders in (cutoff, cutoff + horizon].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from knowledge.store.fetch import fetch_frame
from knowledge.store.schema import (
    CampaignMessage,
    Order,
    OrderItem,
    Product,
    Review,
    valid_order,
)

FEATURES: tuple[str, ...] = (
    "recency_days",
    "frequency",
    "monetary",
    "aov",
    "tenure_days",
    "orders_30d",
    "orders_90d",
    "orders_180d",
    "trend_90d",
    "days_between_orders",
    "overdue_ratio",
    "category_breadth",
    "problem_order_share",
    "messages_90d",
    "opens_90d",
    "clicks_90d",
    "unsubscribed",
    "review_count",
    "review_rating_avg",
)


@dataclass(frozen=True)
class History:
    """The rows churn features and labels need, up to `until` (inclusive)."""

    until: date
    orders: pd.DataFrame  # customer_id, order_date, valid, total
    categories: pd.DataFrame  # customer_id, category, first_date (first valid order with it)
    messages: pd.DataFrame  # customer_id, sent_at, opened_at, clicked_at, unsubscribed
    reviews: pd.DataFrame  # customer_id, created_at, rating


def load_history(engine: Engine, until: date, timeout_s: float = 300.0) -> History:
    """Fetch orders, category firsts, delivered messages and reviews dated on or before `until`."""
    end = datetime.combine(until + timedelta(days=1), time())  # timestamps before the next day
    valid = valid_order()
    orders = fetch_frame(
        engine,
        select(Order.customer_id, Order.order_date, valid.label("valid"), Order.total).where(
            Order.order_date <= until
        ),
        timeout_s,
    )
    categories = fetch_frame(
        engine,
        select(Order.customer_id, Product.category, func.min(Order.order_date).label("first_date"))
        .select_from(OrderItem)
        .join(Order, Order.order_id == OrderItem.order_id)
        .join(Product, Product.sku == OrderItem.sku)
        .where(valid, Order.order_date <= until)
        .group_by(Order.customer_id, Product.category),
        timeout_s,
    )
    messages = fetch_frame(
        engine,
        select(
            CampaignMessage.customer_id,
            CampaignMessage.sent_at,
            CampaignMessage.opened_at,
            CampaignMessage.clicked_at,
            CampaignMessage.unsubscribed,
        ).where(CampaignMessage.delivered.is_(True), CampaignMessage.sent_at < end),
        timeout_s,
    )
    reviews = fetch_frame(
        engine,
        select(Review.customer_id, Review.created_at, Review.rating).where(Review.created_at < end),
        timeout_s,
    )
    return History(
        until=until,
        orders=_typed_orders(orders),
        categories=categories.assign(first_date=_dates(categories["first_date"])),
        messages=messages.assign(
            sent_at=pd.to_datetime(messages["sent_at"]),
            opened_at=pd.to_datetime(messages["opened_at"]),
            clicked_at=pd.to_datetime(messages["clicked_at"]),
            unsubscribed=messages["unsubscribed"].fillna(False).astype(bool),
        ),
        reviews=reviews.assign(
            created_at=pd.to_datetime(reviews["created_at"]),
            rating=pd.to_numeric(reviews["rating"]).astype(float),
        ),
    )


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.normalize()


def _typed_orders(orders: pd.DataFrame) -> pd.DataFrame:
    return orders.assign(
        customer_id=orders["customer_id"].astype(str),
        order_date=_dates(orders["order_date"]),
        valid=orders["valid"].astype(bool),
        total=pd.to_numeric(orders["total"]).astype(float),
    )


def features_at(history: History, cutoff: date) -> pd.DataFrame:
    """One row per customer with a valid order on or before `cutoff` (index customer_id)."""
    if cutoff > history.until:
        raise ValueError(f"cutoff {cutoff} is after the loaded history ({history.until})")
    day = pd.Timestamp(cutoff)
    end = day + pd.Timedelta(days=1)
    orders = history.orders[history.orders["order_date"] <= day]
    valid = orders[orders["valid"]]
    by = valid.groupby("customer_id")
    frame = pd.DataFrame(
        {
            "last": by["order_date"].max(),
            "first": by["order_date"].min(),
            "frequency": by.size().astype(float),
            "monetary": by["total"].sum(),
        }
    )
    frame.index = frame.index.astype(str)
    frame["recency_days"] = (day - frame["last"]).dt.days.astype(float)
    frame["tenure_days"] = (day - frame["first"]).dt.days.astype(float)
    frame["aov"] = frame["monetary"] / frame["frequency"]
    age = (day - valid["order_date"]).dt.days
    for days in (30, 90, 180):
        frame[f"orders_{days}d"] = _count(valid[age < days], frame.index)
    previous = _count(valid[(age >= 90) & (age < 180)], frame.index)
    # log((last 90 days + 1) / (the 90 days before + 1)): < 0 means buying less lately.
    frame["trend_90d"] = np.log((frame["orders_90d"] + 1) / (previous + 1))
    span = (frame["last"] - frame["first"]).dt.days
    frame["days_between_orders"] = (span / (frame["frequency"] - 1)).where(frame["frequency"] > 1)
    # How late the next order is against the customer's own rhythm.
    frame["overdue_ratio"] = frame["recency_days"] / frame["days_between_orders"].clip(lower=1)
    categories = history.categories[history.categories["first_date"] <= day]
    frame["category_breadth"] = _count(categories, frame.index)
    all_orders = orders.groupby("customer_id").size()
    problems = orders[~orders["valid"]].groupby("customer_id").size()
    frame["problem_order_share"] = (
        problems.reindex(frame.index, fill_value=0) / all_orders.reindex(frame.index)
    ).fillna(0.0)
    messages = history.messages[history.messages["sent_at"] < end]
    recent = messages[messages["sent_at"] >= end - pd.Timedelta(days=90)]
    frame["messages_90d"] = _count(recent, frame.index)
    frame["opens_90d"] = _count(recent[recent["opened_at"] < end], frame.index)
    frame["clicks_90d"] = _count(recent[recent["clicked_at"] < end], frame.index)
    unsubscribed = messages.loc[messages["unsubscribed"], "customer_id"].astype(str)
    frame["unsubscribed"] = frame.index.isin(unsubscribed).astype(float)
    reviews = history.reviews[history.reviews["created_at"] < end]
    by_review = reviews.groupby(reviews["customer_id"].astype(str))["rating"]
    frame["review_count"] = by_review.size().reindex(frame.index, fill_value=0).astype(float)
    frame["review_rating_avg"] = by_review.mean().reindex(frame.index)
    return frame[list(FEATURES)].sort_index()


def _count(rows: pd.DataFrame, index: pd.Index) -> pd.Series:
    counts = rows.groupby(rows["customer_id"].astype(str)).size()
    return counts.reindex(index, fill_value=0).astype(float)


def labels_at(history: History, cutoff: date, horizon_days: int) -> pd.Series:
    """1 = churned (no valid order in (cutoff, cutoff + horizon]) for every buyer up to cutoff."""
    if cutoff + timedelta(days=horizon_days) > history.until:
        raise ValueError("the label window runs past the loaded history")
    day = pd.Timestamp(cutoff)
    valid = history.orders[history.orders["valid"]]
    buyers = pd.Index(sorted(valid.loc[valid["order_date"] <= day, "customer_id"].unique()))
    window = valid[
        (valid["order_date"] > day) & (valid["order_date"] <= day + pd.Timedelta(days=horizon_days))
    ]
    returned = buyers.isin(window["customer_id"].unique())
    return pd.Series((~returned).astype(int), index=buyers, name="churned")


def customer_features(engine: Engine, cutoff: date, timeout_s: float = 300.0) -> pd.DataFrame:
    """Churn features per buyer as of `cutoff`, reading only data dated on or before it."""
    return features_at(load_history(engine, cutoff, timeout_s), cutoff)
