"""The sections of a segment profile: each a list of (feature, segment value, baseline value).

Shares compare the segment with all customers ("share of customers who bought
skincare"); money and RFM compare with all buyers. The index of a feature is
segment value / baseline value: 2.3 reads "2.3x more likely than the average
customer". Money follows MARKETING.md: AOV = revenue / orders, historical LTV
= a buyer's total revenue over all time, averaged over buyers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select

from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import (
    Campaign,
    CampaignMessage,
    Customer,
    Order,
    OrderItem,
    Product,
    valid_order,
)
from tools.base import ToolContext, ToolError
from tools.profiles.members import run_query
from tools.segments.rfm import rfm_table
from tools.segments.rule_compiler import latest_churn_scores

AGE_BANDS = ((0, 24, "under 25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"))
TOP_PLACES = 5
TOP_PRODUCTS = 5


@dataclass(frozen=True)
class Row:
    """One profile line; `kind` is "share" (of customers) or "value" (a mean or rate)."""

    section: str
    feature: str
    segment: float | None
    baseline: float | None
    kind: str = "share"


def _shares(section: str, values: pd.Series, inside: pd.Series, label: str = "") -> list[Row]:
    """Share of each value among the segment's customers and among all customers."""
    values = values.fillna("(unknown)").astype(str)
    seg = values[inside].value_counts(normalize=True)
    base = values.value_counts(normalize=True)
    return [Row(section, f"{label}{v}", float(seg.get(v, 0.0)), float(base[v])) for v in base.index]


def demographics(customers: pd.DataFrame, inside: pd.Series, year: int) -> list[Row]:
    """Gender, age band, language and signup channel shares."""
    rows = _shares("demographics", customers["gender"], inside, "gender ")
    # As floats: a nullable Int64 column (a store where birth_year is all NULL) would give
    # <NA> conditions below, which `mask` takes as true, putting unknown ages in a band.
    age = year - pd.to_numeric(customers["birth_year"], errors="coerce").astype("float64")
    band = pd.Series("55+", index=customers.index).where(age.notna(), None)
    for low, high, name in AGE_BANDS:
        band = band.mask(age.between(low, high), name)
    rows += _shares("demographics", band, inside, "age ")
    rows += _shares("demographics", customers["language"], inside, "language ")
    rows += _shares("demographics", customers["signup_channel"], inside, "signed up via ")
    return rows


def geography(customers: pd.DataFrame, inside: pd.Series) -> list[Row]:
    """Shares of the segment's top cities and provinces."""
    rows: list[Row] = []
    for column in ("city", "province"):
        found = _shares("geography", customers[column], inside, f"{column} ")
        rows += sorted(found, key=lambda r: (-(r.segment or 0), r.feature))[:TOP_PLACES]
    return rows


def rfm_rows(ctx: ToolContext, ids: pd.Series, inside_ids: set[str]) -> list[Row]:
    """Average recency, frequency, monetary and the RFM segment mix, against all buyers."""
    table = rfm_table(ctx.engine, ctx.as_of, ctx.limits.query_timeout_s)
    if table.empty:
        return []
    table["customer_id"] = table["customer_id"].astype(str)
    inside = table["customer_id"].isin(inside_ids)
    rows = [
        Row("rfm", f"average {name}", _mean(table.loc[inside, col]), _mean(table[col]), "value")
        for name, col in (("recency (days)", "recency"), ("frequency", "frequency"))
    ]
    rows.append(
        Row(
            "rfm",
            "average monetary",
            _mean(table.loc[inside, "monetary"]),
            _mean(table["monetary"]),
            "value",
        )
    )
    buyers_share = inside.sum() / max(len(inside_ids), 1)
    rows.append(Row("rfm", "share with a valid order", buyers_share, len(table) / max(len(ids), 1)))
    mix = _shares("rfm", table["segment"], inside, "RFM ")
    return rows + [r for r in mix if (r.segment or 0) > 0]


def money(ctx: ToolContext, inside_ids: set[str]) -> list[Row]:
    """AOV and historical LTV (revenue per buyer), segment buyers against all buyers."""
    statement = (
        select(
            Order.customer_id, func.count().label("orders"), func.sum(Order.total).label("revenue")
        )
        .where(valid_order())
        .group_by(Order.customer_id)
    )
    frame = run_query(ctx, statement)
    if frame.empty:
        return []
    frame["customer_id"] = frame["customer_id"].astype(str)
    for column in ("orders", "revenue"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    seg = frame[frame["customer_id"].isin(inside_ids)]

    def aov(part: pd.DataFrame) -> float | None:
        return float(part["revenue"].sum() / part["orders"].sum()) if part["orders"].sum() else None

    return [
        Row("money", "AOV", aov(seg), aov(frame), "value"),
        Row(
            "money",
            "historical LTV per buyer",
            _mean(seg["revenue"]),
            _mean(frame["revenue"]),
            "value",
        ),
    ]


def purchases(ctx: ToolContext, inside: pd.Series, customer_ids: pd.Series) -> list[Row]:
    """Share of customers who bought each category, and the segment's top products."""
    rows: list[Row] = []
    for column, label, top in (
        (Product.category, "bought ", None),
        (Product.name_en, "bought ", TOP_PRODUCTS),
    ):
        statement = (
            select(Order.customer_id, column.label("item"))
            .join(OrderItem, OrderItem.order_id == Order.order_id)
            .join(Product, Product.sku == OrderItem.sku)
            .where(valid_order())
            .distinct()
        )
        pairs = run_query(ctx, statement)
        pairs["customer_id"] = pairs["customer_id"].astype(str)
        members = set(customer_ids[inside])
        seg_n, all_n = max(len(members), 1), max(len(customer_ids), 1)
        per_all = pairs.groupby("item")["customer_id"].nunique()
        per_seg = pairs[pairs["customer_id"].isin(members)].groupby("item")["customer_id"].nunique()
        section = "categories" if top is None else "products"
        found = [
            Row(section, f"{label}{item}", float(per_seg.get(item, 0)) / seg_n, float(n) / all_n)
            for item, n in per_all.items()
        ]
        found.sort(key=lambda r: (-(r.segment or 0), r.feature))
        rows += found if top is None else found[:top]
    return rows


def engagement(ctx: ToolContext, inside_ids: set[str]) -> list[Row]:
    """Open and click rates per channel of messages delivered to the segment vs to everyone."""
    m = CampaignMessage
    statement = (
        select(
            m.customer_id,
            Campaign.channel,
            func.count().label("delivered"),
            func.sum(case((m.opened_at.is_not(None), 1), else_=0)).label("opens"),
            func.sum(case((m.clicked_at.is_not(None), 1), else_=0)).label("clicks"),
        )
        .join(Campaign, Campaign.campaign_id == m.campaign_id)
        .where(m.delivered.is_(True))
        .group_by(m.customer_id, Campaign.channel)
    )
    frame = run_query(ctx, statement)
    if frame.empty:
        return []
    frame["customer_id"] = frame["customer_id"].astype(str)
    for column in ("delivered", "opens", "clicks"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    frame["inside"] = frame["customer_id"].isin(inside_ids)
    rows: list[Row] = []
    for channel, part in frame.groupby("channel"):
        seg = part[part["inside"]]
        for what in ("opens", "clicks"):
            name = "open rate" if what == "opens" else "click rate"
            rows.append(
                Row(
                    "engagement",
                    f"{channel} {name}",
                    _ratio(seg[what], seg["delivered"]),
                    _ratio(part[what], part["delivered"]),
                    "value",
                )
            )
    return rows


def churn(ctx: ToolContext, inside_ids: set[str]) -> list[Row]:
    """Mean predicted churn probability, when predict_churn has stored scores.

    The scores are the copilot's own rows (`churn_scores` in the state store), so they
    are read there: a separate warehouse (Spark) has no such table, and reading it
    through the warehouse dropped this row on Spark only.
    """
    scores = latest_churn_scores(ctx.state_engine)
    if scores is None:
        return []
    try:
        frame = fetch_frame(ctx.state_engine, scores, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    if frame.empty:
        return []
    frame["probability"] = pd.to_numeric(frame["probability"]).astype(float)
    inside = frame["customer_id"].astype(str).isin(inside_ids)
    return [
        Row(
            "churn",
            "mean churn probability",
            _mean(frame.loc[inside, "probability"]),
            _mean(frame["probability"]),
            "value",
        )
    ]


def customers_frame(ctx: ToolContext) -> pd.DataFrame:
    """Every customer's profile attributes."""
    c = Customer
    statement = select(
        c.customer_id, c.gender, c.birth_year, c.city, c.province, c.language, c.signup_channel
    ).order_by(c.customer_id)
    frame = run_query(ctx, statement)
    frame["customer_id"] = frame["customer_id"].astype(str)
    return frame


def _mean(values: pd.Series) -> float | None:
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(values.mean()) if len(values) else None


def _ratio(numerator: pd.Series, denominator: pd.Series) -> float | None:
    total = float(denominator.sum())
    return float(numerator.sum()) / total if total else None
