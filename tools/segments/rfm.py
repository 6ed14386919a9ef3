"""RFM scores and the ten named RFM segments, computed in SQL inside the store.

Follows MARKETING.md: R = days from the last valid order to the reference date,
F = valid orders, M = net revenue (valid order totals minus returns, i.e.
orders with a negative total that are not cancelled); orders and returns count
when dated before the reference date, so a return after it (e.g. after the
store's latest valid order, with the default reference date) is not yet counted. Buyers are customers with
at least one valid order and M > 0. Each score is tie-aware:

    score = min(5, 1 + floor(5 x percent_rank))

with SQL `percent_rank()` = (rank - 1) / (buyers - 1), where tied values share
the lowest rank, so equal values always get equal scores and the best buyer
scores 5 even in a tiny store. F and M rank ascending; R ranks by the last
order date ascending (= recency descending), so the most recent buyers score
highest. A store with one buyer gives that buyer 5 on every score (percent_rank
is 0 there, yet the lone buyer is also the best one).

On engines where a window over all buyers does not spread over a cluster
(Spark; `knowledge.store.portable.ranks_exactly`), each score instead compares
the value with quintile cut-offs from approximate quantiles (`_cutoff_score`):
the same rule whenever the quantiles are exact (stores under APPROX_ACCURACY
buyers), and equal values still share a score; answers then say "approximate".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import (
    Date,
    Engine,
    Select,
    and_,
    case,
    func,
    literal,
    select,
    true,
)

from knowledge.store.fetch import fetch_frame
from knowledge.store.portable import array_literal, floor_int, least_of, ranks_exactly
from knowledge.store.portable import days_between as portable_days_between
from knowledge.store.schema import Order, valid_order
from knowledge.store.summary import latest_valid_order_date


@dataclass(frozen=True)
class SegmentRule:
    """One named segment of the 10-segment map: the R and F scores it takes, and what to do."""

    name: str
    name_zh: str
    r_scores: tuple[int, ...]
    f_scores: tuple[int, ...]
    action: str
    action_zh: str


# The common 10-segment map, exactly as MARKETING.md: it covers each of the 25
# (R, F) pairs once (checked by `segment_map`), so no pair needed a rule of ours.
SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule(
        "Champions", "冠军客户", (5,), (4, 5),
        "reward, early access, referrals", "奖励回馈、新品抢先体验、邀请推荐",
    ),
    SegmentRule(
        "Loyal Customers", "忠诚客户", (3, 4), (4, 5),
        "upsell, loyalty programme", "向上销售、会员忠诚计划",
    ),
    SegmentRule(
        "Potential Loyalists", "潜力忠诚客户", (4, 5), (2, 3),
        "membership, personalised recommendations", "邀请入会、个性化推荐",
    ),
    SegmentRule(
        "New Customers", "新客户", (5,), (1,),
        "onboarding, second-purchase incentive", "新客引导、二次购买激励",
    ),
    SegmentRule(
        "Promising", "有潜力客户", (4,), (1,),
        "brand story, small offer", "讲品牌故事、小额优惠",
    ),
    SegmentRule(
        "Need Attention", "需要关注", (3,), (3,),
        "limited-time offer, reactivation", "限时优惠、唤醒活动",
    ),
    SegmentRule(
        "About to Sleep", "即将沉睡", (3,), (1, 2),
        "popular products, discounts", "推荐热销商品、折扣",
    ),
    SegmentRule(
        "At Risk", "流失风险", (1, 2), (3, 4),
        "personalised win-back, strong offer", "个性化挽回、力度较大的优惠",
    ),
    SegmentRule(
        "Can't Lose Them", "不能失去的客户", (1, 2), (5,),
        "win back at any cost, personal contact", "不惜代价挽回、一对一联系",
    ),
    SegmentRule(
        "Hibernating", "沉睡客户", (1, 2), (1, 2),
        "low-cost reactivation or suppress", "低成本唤醒或暂停营销",
    ),
)  # fmt: skip
SEGMENT_NAMES: tuple[str, ...] = tuple(rule.name for rule in SEGMENT_RULES)
RFM_COLUMNS = ("customer_id", "recency", "frequency", "monetary", "r", "f", "m", "segment")


def segment_map() -> dict[tuple[int, int], str]:
    """The segment of every (R, F) score pair; raises if a pair has no segment or two."""
    pairs: dict[tuple[int, int], list[str]] = {(r, f): [] for r in range(1, 6) for f in range(1, 6)}
    for rule in SEGMENT_RULES:
        for r in rule.r_scores:
            for f in rule.f_scores:
                pairs[(r, f)].append(rule.name)
    wrong = {pair: names for pair, names in pairs.items() if len(names) != 1}
    if wrong:
        raise ValueError(f"The RFM segment map must give each (R, F) pair one segment: {wrong}")
    return {pair: names[0] for pair, names in pairs.items()}


def rule_of(name: str) -> SegmentRule:
    """The rule of a segment by its English name."""
    return next(rule for rule in SEGMENT_RULES if rule.name == name)


def parse_as_of(as_of: date | str | None) -> date | None:
    """The user's "as of" date from a date or an ISO string (None = not given)."""
    if as_of is None or isinstance(as_of, date):
        return as_of
    text = as_of.strip()
    if not text:
        return None
    return date.fromisoformat(text[:10])


def reference_date(engine: Engine, as_of: date | str | None = None) -> date | None:
    """`as_of` if given, else the day after the latest valid order (None: no valid orders)."""
    given = parse_as_of(as_of)
    if given is not None:
        return given
    latest = latest_valid_order_date(engine)
    return None if latest is None else latest + timedelta(days=1)


def days_between(dialect: str, earlier, later: date):  # noqa: ANN001, ANN202
    """Whole days from the date column `earlier` to the date `later`, in the engine.

    Compiled per engine by `knowledge.store.portable.days_between`; `dialect` is
    kept for callers.
    """
    return portable_days_between(earlier, literal(later, Date))


# Against float error at the quintile edges: distinct values of 5 x percent_rank differ by
# at least 5 / (buyers - 1), far more than this for any store.
_EDGE = 1e-9
# Relative rank error of Spark's percentile_approx is 1 / accuracy; at 10,000 a store of
# up to 10,000 buyers gets exact order statistics.
APPROX_ACCURACY = 10_000
APPROXIMATE_NOTE = (
    "approximate: scores compare each value with quintile cut-offs from approximate "
    "quantiles (percentile_approx), because a rank over all buyers does not spread over "
    "a cluster; equal values still get equal scores"
)


def percent_rank_score(dialect: str, order_by):  # noqa: ANN001, ANN202
    """min(5, 1 + floor(5 x percent_rank() over order_by)), 5 when there is one buyer."""
    scaled = func.percent_rank().over(order_by=order_by) * 5 + _EDGE
    return case((func.count().over() == 1, 5), else_=least_of(5, 1 + floor_int(scaled)))


def _cutoff_score(value, cutoffs, buyers):  # noqa: ANN001, ANN202
    """1 + the number of quintile cut-offs `value` lies above; 5 for a lone buyer.

    `cutoffs` holds the k/5 quantiles (k = 1..4) of the buyers' values without
    one copy of the largest: over those n - 1 values the k/5 quantile is the
    ceil(k(n-1)/5)-th smallest value, and a value lies above it exactly when at
    least k(n-1)/5 buyers have a smaller value, i.e. when percent_rank >= k/5.
    So with exact quantiles this is MARKETING.md's score, and it depends on the
    value alone: equal values always get equal scores.
    """
    above = [case((value > func.element_at(cutoffs, k), 1), else_=0) for k in range(1, 5)]
    return case((buyers == 1, 5), else_=1 + above[0] + above[1] + above[2] + above[3])


def _approximate_scores(buyers, recency):  # noqa: ANN001, ANN202
    """(source, [r, f, m]) scored against approximate quantile cut-offs, without a window."""
    # R ranks by the last order date ascending, i.e. by minus the recency.
    values = {"r": -recency, "f": buyers.c.frequency, "m": buyers.c.monetary}
    # One buyer holding the largest value of each score, left out of its cut-offs (above).
    tops = select(
        func.count().label("buyers"),
        *[func.max_by(buyers.c.customer_id, v).label(f"{k}_top") for k, v in values.items()],
    ).subquery("tops")
    quintiles = array_literal(0.2, 0.4, 0.6, 0.8)
    cuts = (
        select(
            func.max(tops.c.buyers).label("buyers"),
            *[
                func.percentile_approx(
                    case((buyers.c.customer_id == tops.c[f"{k}_top"], None), else_=v),
                    quintiles,
                    APPROX_ACCURACY,
                ).label(f"{k}_cut")
                for k, v in values.items()
            ],
        )
        .select_from(buyers.join(tops, true()))
        .subquery("cutoffs")
    )
    scores = [_cutoff_score(v, cuts.c[f"{k}_cut"], cuts.c.buyers) for k, v in values.items()]
    # One row of cut-offs joined to every buyer (a broadcast, no shuffle of buyers).
    return buyers.join(cuts, true()), scores


def _net_buyers(ref: date):  # noqa: ANN202
    """customer_id, last_order, frequency, monetary (net) of buyers before `ref`."""
    valid = (
        select(
            Order.customer_id,
            func.max(Order.order_date).label("last_order"),
            func.count().label("frequency"),
            func.sum(Order.total).label("gross"),
        )
        # Guest lines (no customer) count in revenue, never in buyer analyses.
        .where(valid_order(), Order.order_date < ref, Order.customer_id.is_not(None))
        .group_by(Order.customer_id)
        .subquery("valid_orders")
    )
    # A return is stored as an order with a negative total (MARKETING.md: negative lines
    # have negative amounts); it lowers M on its own date. Cancelled ones never count.
    returns = (
        select(Order.customer_id, func.sum(Order.total).label("returned"))
        .where(Order.total < 0, Order.status != "cancelled", Order.order_date < ref)
        .group_by(Order.customer_id)
        .subquery("returns")
    )
    net = func.round(valid.c.gross + func.coalesce(returns.c.returned, 0), 2)
    return (
        select(valid.c.customer_id, valid.c.last_order, valid.c.frequency, net.label("monetary"))
        .select_from(valid.outerjoin(returns, returns.c.customer_id == valid.c.customer_id))
        .where(net > 0)
        .subquery("buyers")
    )


def rfm_select(dialect: str, ref: date) -> Select:
    """SELECT customer_id, recency, frequency, monetary, r, f, m, segment over buyers before `ref`.

    Exact percent-rank scores where the engine ranks all buyers well
    (`ranks_exactly`); elsewhere (Spark) scores from approximate quantile
    cut-offs, see `APPROXIMATE_NOTE`.
    """
    buyers = _net_buyers(ref)
    recency = days_between(dialect, buyers.c.last_order, ref)
    if ranks_exactly(dialect):
        scores = [
            percent_rank_score(dialect, buyers.c.last_order),
            percent_rank_score(dialect, buyers.c.frequency),
            percent_rank_score(dialect, buyers.c.monetary),
        ]
        source = buyers
    else:
        source, scores = _approximate_scores(buyers, recency)
    scored = (
        select(
            buyers.c.customer_id,
            recency.label("recency"),
            buyers.c.frequency,
            buyers.c.monetary,
            scores[0].label("r"),
            scores[1].label("f"),
            scores[2].label("m"),
        )
        .select_from(source)
        .subquery("scored")
    )
    segment = case(
        *[
            (and_(scored.c.r.in_(rule.r_scores), scored.c.f.in_(rule.f_scores)), rule.name)
            for rule in SEGMENT_RULES
        ]
    )
    return select(*[scored.c[c] for c in RFM_COLUMNS[:-1]], segment.label("segment"))


def rfm_table(
    engine: Engine, as_of: date | str | None = None, timeout_s: float = 300.0
) -> pd.DataFrame:
    """Per buyer: customer_id, recency, frequency, monetary, r, f, m, segment (sorted by id).

    `as_of` is the reference date (orders before it count); None means the day
    after the latest valid order. The scores are computed in the database and
    fetched natively (DuckDB), so memory holds only the result.
    """
    ref = reference_date(engine, as_of)
    if ref is None:
        return pd.DataFrame(columns=list(RFM_COLUMNS))
    statement = rfm_select(engine.dialect.name, ref).order_by("customer_id")
    frame = fetch_frame(engine, statement, timeout_s)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("recency", "frequency", "r", "f", "m"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    frame["monetary"] = pd.to_numeric(frame["monetary"]).astype(float)
    return frame.reset_index(drop=True)
