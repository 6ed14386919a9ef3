"""Finding A/B campaigns and counting delivered messages and events per variant, in SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import and_, case, distinct, func, or_, select, true

from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import Campaign, CampaignMessage
from tools.base import ToolContext, ToolError
from tools.experiments.proportions import VariantCount

Metric = Literal[
    "conversion", "ctr", "open_rate", "unsubscribe_rate", "return_rate", "click_to_open"
]
# Metrics whose event is a loss (an unsubscribe, a return): the lower rate is the better one.
LOWER_IS_BETTER = frozenset({"unsubscribe_rate", "return_rate"})
# Metrics the store's messages do not record (returns are orders', not messages'): only the
# user's own counts can be tested on them.
COUNTS_ONLY = frozenset({"return_rate"})

# What counts as the event of each metric (MARKETING.md), always among delivered messages.
_EVENTS = {
    "conversion": CampaignMessage.attributed_order_id.is_not(None),
    "ctr": CampaignMessage.clicked_at.is_not(None),
    "open_rate": CampaignMessage.opened_at.is_not(None),
    "unsubscribe_rate": CampaignMessage.unsubscribed.is_(true()),
    # click-to-open rate = clicks / opens (MARKETING.md): a click among the opened messages
    "click_to_open": CampaignMessage.clicked_at.is_not(None),
}
# The messages a metric's rate is over: the delivered ones, or for the click-to-open rate
# the delivered ones that were opened.
_BASES = {"click_to_open": CampaignMessage.opened_at.is_not(None)}
# How close (rapidfuzz partial token-sort ratio, 0-100) a misspelt or partial name must come to a
# campaign's name, and by how much the best must beat the runner-up, to be taken as it.
FUZZY_MIN_SCORE = 80.0
FUZZY_MARGIN = 5.0
# Words of a campaign reference that say nothing about which campaign it is.
_FILLER = {"the", "campaign", "test", "ab", "a/b", "a", "b", "split", "活动", "测试"}


@dataclass(frozen=True)
class AbCampaign:
    """A campaign with two or more variants; the first variant is the control."""

    campaign_id: str
    name: str
    variants: tuple[VariantCount, ...]


def ab_campaigns(ctx: ToolContext) -> pd.DataFrame:
    """campaign_id, name, variants, start_date, end_date of every campaign that declares or
    sent 2+ variants, oldest first."""
    m = CampaignMessage
    sent_variants = (
        select(m.campaign_id)
        .where(m.variant.is_not(None))
        .group_by(m.campaign_id)
        .having(func.count(distinct(m.variant)) >= 2)
    )
    statement = (
        select(
            Campaign.campaign_id,
            Campaign.name,
            Campaign.variants,
            Campaign.start_date,
            Campaign.end_date,
        )
        .where(or_(Campaign.variants.like("%,%"), Campaign.campaign_id.in_(sent_variants)))
        .order_by(Campaign.start_date, Campaign.campaign_id)
    )
    return _fetch(ctx, statement)


def match_campaigns(campaigns: pd.DataFrame, query: str) -> pd.DataFrame:
    """The A/B campaigns a user's reference names: id, exact name, part of the name, its
    words, or else the one name clearly closest in spelling (rapidfuzz); none when unsure."""
    q = query.strip().lower()
    ids, names = campaigns["campaign_id"].str.lower(), campaigns["name"].str.lower()
    for hit in (ids == q, names == q, names.str.contains(q, regex=False)):
        if hit.any():
            return campaigns[hit]
    words = [w for w in re.findall(r"[\w/.]+", q) if w not in _FILLER]
    if not words:
        return campaigns.iloc[0:0]
    hit = names.apply(lambda name: all(w in name for w in words))
    if hit.any():
        return campaigns[hit]
    return _closest(campaigns, names, " ".join(words))


def _closest(campaigns: pd.DataFrame, names: pd.Series, words: str) -> pd.DataFrame:
    """The campaign whose name is clearly the closest to `words`, or none."""
    from rapidfuzz import fuzz  # loaded only when a name needs fuzzy matching

    scores = names.map(lambda name: fuzz.partial_token_sort_ratio(words, name)).to_numpy(
        dtype=float
    )
    order = scores.argsort()[::-1]
    best = scores[order[0]]
    runner_up = scores[order[1]] if len(order) > 1 else 0.0
    if best < FUZZY_MIN_SCORE or best - runner_up < FUZZY_MARGIN:
        return campaigns.iloc[0:0]
    return campaigns.iloc[[int(order[0])]]


def count_variants(ctx: ToolContext, campaigns: pd.DataFrame, metric: Metric) -> list[AbCampaign]:
    """Delivered messages and events per variant of each campaign, grouped in SQL.

    One message goes to one customer, so counting messages whose event happened
    counts each customer at most once per message, as MARKETING.md requires.
    """
    m = CampaignMessage
    delivered = m.delivered.is_(true())
    if metric in _BASES:
        delivered = and_(delivered, _BASES[metric])
    statement = (
        select(
            m.campaign_id,
            m.variant,
            func.sum(case((delivered, 1), else_=0)).label("delivered"),
            func.sum(case((and_(delivered, _EVENTS[metric]), 1), else_=0)).label("events"),
        )
        .where(m.campaign_id.in_(list(campaigns["campaign_id"])), m.variant.is_not(None))
        .group_by(m.campaign_id, m.variant)
    )
    frame = _fetch(ctx, statement)
    result = []
    for row in campaigns.itertuples(index=False):
        rows = frame[frame["campaign_id"] == row.campaign_id]
        counts = {
            str(r.variant).strip(): (int(r.delivered or 0), int(r.events or 0))
            for r in rows.itertuples(index=False)
        }
        declared = [v.strip() for v in (row.variants or "").split(",") if v.strip()]
        order = list(dict.fromkeys([*declared, *sorted(counts)]))
        variants = tuple(VariantCount(v, *counts.get(v, (0, 0))) for v in order)
        result.append(AbCampaign(str(row.campaign_id), str(row.name), variants))
    return result


def _fetch(ctx: ToolContext, statement) -> pd.DataFrame:  # noqa: ANN001
    try:
        return fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
