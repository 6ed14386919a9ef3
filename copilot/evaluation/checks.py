"""Expected values computed independently of the tools under test (pandas, scipy, SQL).

Each check is `name(engine, as_of, **args) -> float | dict[str, float]` and is
named by `expect_value.check` in the question file. They follow MARKETING.md
directly; none imports a tool.
"""

from __future__ import annotations

import math
from datetime import date
from itertools import combinations

import pandas as pd
from scipy.stats import chi2_contingency, norm
from sqlalchemy import Engine, text

_VALID = "status NOT IN ('cancelled', 'returned') AND total > 0"
# (segment, R scores, F scores): the 10-segment map of MARKETING.md.
_SEGMENTS = [
    ("Champions", {5}, {4, 5}),
    ("Loyal Customers", {3, 4}, {4, 5}),
    ("Potential Loyalists", {4, 5}, {2, 3}),
    ("New Customers", {5}, {1}),
    ("Promising", {4}, {1}),
    ("Need Attention", {3}, {3}),
    ("About to Sleep", {3}, {1, 2}),
    ("At Risk", {1, 2}, {3, 4}),
    ("Can't Lose Them", {1, 2}, {5}),
    ("Hibernating", {1, 2}, {1, 2}),
]


def _frame(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(text(sql), params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _quintile(values: pd.Series, ids: pd.Series) -> pd.Series:
    """MARKETING.md's tie-aware score: min(5, 1 + floor(5 x percent rank)), ties sharing the
    lowest rank (pandas rank(method='min')); a lone buyer scores 5. `ids` play no part."""
    n = len(values)
    if n == 1:
        return pd.Series([5], index=values.index)
    ranks = values.rank(method="min").astype(int)
    return pd.Series([min(5, 1 + 5 * (r - 1) // (n - 1)) for r in ranks], index=values.index)


def rfm_frame(engine: Engine, as_of: date) -> pd.DataFrame:
    """Per buyer (orders before as_of): recency days, frequency, monetary, r, f, segment."""
    orders = _frame(
        engine,
        f"SELECT customer_id, order_date, total FROM orders WHERE {_VALID} AND order_date < :d",
        d=as_of,
    )
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["total"] = orders["total"].astype(float)
    per = orders.groupby("customer_id").agg(
        last=("order_date", "max"), frequency=("total", "size"), monetary=("total", "sum")
    )
    # Buyers have a positive net spend: returns (negative totals, not cancelled) lower it.
    returns = _frame(
        engine,
        "SELECT customer_id, total FROM orders WHERE total < 0 AND status <> 'cancelled' "
        "AND order_date < :d",
        d=as_of,
    )
    returned = returns.groupby("customer_id")["total"].sum().astype(float)
    per["monetary"] = per["monetary"] + returned.reindex(per.index).fillna(0.0)
    per = per[per["monetary"].round(2) > 0].reset_index()
    ids = per["customer_id"]
    # A later last order means a smaller recency, hence a higher R score.
    per["r"] = _quintile(per["last"], ids).to_numpy()
    per["f"] = _quintile(per["frequency"], ids).to_numpy()
    per["segment"] = [
        next(name for name, rs, fs in _SEGMENTS if r in rs and f in fs)
        for r, f in zip(per["r"], per["f"], strict=True)
    ]
    return per


def rfm_segment_sizes(engine: Engine, as_of: date) -> dict[str, float]:
    """Customers per RFM segment."""
    return {k: float(v) for k, v in rfm_frame(engine, as_of)["segment"].value_counts().items()}


def rfm_segment_size(engine: Engine, as_of: date, segment: str) -> float:
    """Customers in one RFM segment."""
    return float((rfm_frame(engine, as_of)["segment"] == segment).sum())


def segment_consented(engine: Engine, as_of: date, segment: str, channel: str) -> float:
    """Customers of an RFM segment who consented to a channel (what an export may hold)."""
    members = set(rfm_frame(engine, as_of).query("segment == @segment")["customer_id"])
    consent = _frame(engine, f"SELECT customer_id FROM customers WHERE consent_{channel}")
    return float(consent["customer_id"].isin(members).sum())


def sample_size_per_variant(
    engine: Engine,
    as_of: date,
    baseline: float,
    effect: float,
    relative: bool = True,
    alpha: float = 0.05,
    power: float = 0.8,
) -> float:
    """Per-variant n for a two-sided two-proportion test, Cohen's h (closed form).

    Var(2·asin(sqrt(p̂))) ≈ 1/n per arm, so the difference of two arms has 2/n:
    n = 2 · ((z_(1-alpha/2) + z_power) / h)² (Cohen 1988: h = 0.2 gives 392).
    """
    target = baseline * (1 + effect) if relative else baseline + effect
    h = abs(2 * math.asin(math.sqrt(target)) - 2 * math.asin(math.sqrt(baseline)))
    return float(math.ceil(2 * ((norm.ppf(1 - alpha / 2) + norm.ppf(power)) / h) ** 2))


def ab_p_value(engine: Engine, as_of: date, campaign_id: str, event: str = "conversion") -> float:
    """p-value of variant B vs A (chi-square without correction = two-proportion z-test)."""
    column = {
        "conversion": "attributed_order_id",
        "ctr": "clicked_at",
        "open_rate": "opened_at",
    }[event]
    counts = _frame(
        engine,
        f"SELECT variant, count(*) AS n, count({column}) AS k FROM campaign_messages "
        "WHERE campaign_id = :c AND delivered GROUP BY variant ORDER BY variant",
        c=campaign_id,
    )
    table = [[k, n - k] for n, k in zip(counts["n"], counts["k"], strict=True)]
    return float(chi2_contingency(table, correction=False)[1])


def top_pair_lift(engine: Engine, as_of: date, min_support: float = 0.01) -> float:
    """Lift of the strongest product pair over valid-order baskets (support >= min_support)."""
    lines = _frame(
        engine,
        "SELECT DISTINCT i.order_id, i.sku FROM order_items i JOIN orders o "
        f"ON o.order_id = i.order_id WHERE o.{_VALID.replace(' AND ', ' AND o.')}",
    )
    baskets = lines.groupby("order_id")["sku"].apply(sorted)
    n = len(baskets)
    single = lines["sku"].value_counts() / n
    pairs: dict[tuple[str, str], int] = {}
    for items in baskets:
        for pair in combinations(items, 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    lifts = [
        count / n / (single[a] * single[b])
        for (a, b), count in pairs.items()
        if count / n >= min_support
    ]
    return float(max(lifts))
