"""Demo campaigns and the fate of every message: delivery, open, click, order, unsubscribe.

Campaigns are derived from the festivals in the window (for the default end
date 2026-10-31: 16 campaigns), each on one channel, sent in waves to an
audience drawn from the customers who consented to that channel.

Two A/B tests, whose truth tests rely on (conversion = attributed orders /
delivered messages, variant fixed per customer, 50/50 split):

- "Spring Festival <year> - Email A/B" (the last Spring Festival in the window,
  2026 by default): a REAL difference, true conversion A = 3.0 %, B = 6.0 %;
  four waves to every email-consented customer, so it is significant at 0.05
  with 2000 customers.
- "Double 11 <year> - Push A/B" (the last complete Double 11, 2025 by default):
  NO real difference, true conversion 4.0 % for both.

An unsubscribe withdraws the customer's consent for that channel from then on,
so stored consent is the state at the end of the window and no message on that
channel is sent to the customer on a later day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from knowledge.demo.orders import OrderModel
from knowledge.demo.personas import CHANNELS, PERSONA_NAMES, PERSONAS, active_hours_mask, column
from knowledge.demo.seasons import Window, festivals

AB_REAL_RATES = (0.03, 0.06)
AB_NULL_RATES = (0.04, 0.04)
_AB_OPEN, _AB_CLICK = 0.30, 0.35  # persona-independent, so the variant alone sets conversion

_BASE_OPEN = np.array([0.22, 0.30, 0.12, 0.30])  # email, sms, push, social ("viewed")
_BASE_CLICK = np.array([0.18, 0.12, 0.25, 0.08])  # given open
_CONVERT_SCALE = np.array([1.0, 1.0, 1.0, 0.5])  # social clicks convert worse
_BOUNCE = np.array([0.04, 0.02, 0.03, 0.01])
_UNSUBSCRIBE = np.array([0.004, 0.006, 0.003, 0.002])
_OPT_OUT_PRONE = [
    PERSONA_NAMES.index("Bargain Hunters"),
    PERSONA_NAMES.index("Lapsed / Occasional"),
]
_FIXED_COST_PER_1K = np.array(
    [1500.0, 800.0, 500.0, 3000.0]
)  # creative, set-up, per 1000 customers
_COST_PER_MESSAGE = np.array([0.05, 0.06, 0.01, 0.5])


@dataclass(frozen=True)
class CampaignSpec:
    """One demo campaign; `reach` is the chance per persona that a consented customer is targeted."""

    campaign_id: str
    name: str
    channel: int
    start: date
    end: date
    wave_days: tuple[int, ...]
    reach: tuple[float, ...]
    target_segment: str
    goal: str
    ab_rates: tuple[float, float] | None = None


# (name suffix, channel, waves, reach per persona, target segment, goal) per festival
_FESTIVAL_PLANS: dict[str, tuple[tuple[str, str, int, tuple[float, ...], str, str], ...]] = {
    "Spring Festival": (
        ("SMS", "sms", 3, (0.3, 0.85, 0.2, 0.5, 0.2), "Baby & home buyers, family shoppers; SMS consent", "Spring Festival gifting sales (年货节)"),
    ),
    "618": (
        ("Push", "push", 3, (0.85, 0.3, 0.2, 0.7, 0.1), "Skincare & makeup fans, evening app users; push consent", "618 mid-year sale (618年中大促)"),
        ("Email", "email", 2, (0.2, 0.3, 0.85, 0.2, 0.2), "Electronics buyers; email consent", "618 electronics deals (618数码专场)"),
    ),
    "Double 11": (
        ("SMS", "sms", 3, (0.4, 0.75, 0.2, 0.8, 0.3), "Frequent buyers and families; SMS consent", "Double 11 presale and sale (双11大促)"),
        ("Social Ads", "social", 4, (0.5, 0.2, 0.2, 0.85, 0.2), "Price-sensitive deal seekers; social consent", "Double 11 reach and traffic (双11引流)"),
    ),
}  # fmt: skip


def _waves(window: Window, start: date, end: date, count: int) -> tuple[int, ...]:
    lo, hi = window.day_of(start), window.day_of(end)
    return tuple(sorted({int(round(x)) for x in np.linspace(lo, hi, count)}))


def _clamp(window: Window, start: date, end: date) -> tuple[date, date] | None:
    start, end = max(start, window.start), min(end, window.end)
    return (start, end) if (end - start).days >= 2 else None


def build_campaigns(window: Window) -> list[CampaignSpec]:
    """The campaigns of the demo, in start-date order, with ids CMP001...."""
    drafts: list[tuple] = []
    fests = festivals(window)
    for fest in fests:
        span = _clamp(window, fest.start, fest.end)
        if span is None:
            continue
        for suffix, channel, waves, reach, target, goal in _FESTIVAL_PLANS[fest.name]:
            name = f"{fest.name} {fest.year} - {suffix}"
            drafts.append((name, channel, span, waves, reach, target, goal, None))
    complete = [f for f in fests if f.start >= window.start and f.end <= window.end]
    spring = [f for f in complete if f.name == "Spring Festival"]
    double11 = [f for f in complete if f.name == "Double 11"]
    everyone = (1.0,) * len(PERSONAS)
    if spring:
        f = spring[-1]
        drafts.append((f"Spring Festival {f.year} - Email A/B", "email", (f.start, f.end), 4, everyone,
                       "All email-consented customers, random 50/50 split",
                       "Subject line test: A = plain offer, B = personalised gift guide (主题行A/B测试)", AB_REAL_RATES))  # fmt: skip
    if double11:
        f = double11[-1]
        drafts.append((f"Double 11 {f.year} - Push A/B", "push", (f.start, f.end), 3, everyone,
                       "All push-consented customers, random 50/50 split",
                       "Push copy test: A = discount first, B = countdown first (推送文案A/B测试)", AB_NULL_RATES))  # fmt: skip
    for year in range(window.start.year, window.end.year + 1):
        span = _clamp(window, date(year, 4, 8), date(year, 4, 22))
        if span is not None:
            drafts.append((f"Win-back {year} - Email", "email", span, 2, (0.05, 0.05, 0.05, 0.05, 0.9),
                           "No order in the last 180 days; email consent", "Reactivate lapsed customers (老客召回)", None))  # fmt: skip
    drafts.sort(key=lambda d: (d[2][0], d[0]))
    return [
        CampaignSpec(
            campaign_id=f"CMP{i + 1:03d}",
            name=name,
            channel=CHANNELS.index(channel),
            start=span[0],
            end=span[1],
            wave_days=_waves(window, span[0], span[1], waves),
            reach=reach,
            target_segment=target,
            goal=goal,
            ab_rates=ab,
        )
        for i, (name, channel, span, waves, reach, target, goal, ab) in enumerate(drafts)
    ]


@dataclass
class MessageArrays:
    """Every message of a chunk, in send order, before ids are assigned."""

    campaign: np.ndarray
    customer: np.ndarray
    variant: np.ndarray  # -1 none, 0 A, 1 B
    sent_at: np.ndarray
    delivered: np.ndarray
    opened_at: np.ndarray
    clicked_at: np.ndarray
    unsubscribed: np.ndarray
    converted_at: np.ndarray  # NaT unless the message led to an order


def _cdf_pick(rng: np.random.Generator, cdf_rows: np.ndarray) -> np.ndarray:
    return np.minimum(
        (rng.random(len(cdf_rows))[:, None] > cdf_rows).sum(axis=1), cdf_rows.shape[1] - 1
    )


def _wave(
    rng: np.random.Generator,
    spec: CampaignSpec,
    day: int,
    who: np.ndarray,
    persona: np.ndarray,
    variant: np.ndarray,
    model: OrderModel,
) -> tuple[np.ndarray, ...]:
    """Simulate one wave to customers `who`.

    Returns sent_at, delivered, opened_at, clicked_at, unsubscribed, converted_at
    (times are NaT where the step did not happen).
    """
    k, ch = len(who), spec.channel
    p = persona[who]
    hour_cdf = np.cumsum(model.hour_p, axis=1)[p]
    hour = np.where(rng.random(k) < 0.6, _cdf_pick(rng, hour_cdf), rng.integers(8, 22, size=k))
    start = np.datetime64(model.window.start, "s")
    sent = start + (day * 86_400 + hour * 3600 + rng.integers(0, 3600, size=k)).astype(
        "timedelta64[s]"
    )
    in_hours = active_hours_mask()[p, hour]
    delivered = rng.random(k) >= _BOUNCE[ch]
    if spec.ab_rates is not None:
        p_open = np.full(k, _AB_OPEN)
        p_click = np.full(k, _AB_CLICK)
        p_conv = np.array(spec.ab_rates)[variant[who]] / (_AB_OPEN * _AB_CLICK)
    else:
        m = np.array([q.engagement for q in PERSONAS])[p, ch]
        p_open = np.minimum(_BASE_OPEN[ch] * m * np.where(in_hours, 1.0, 0.6), 0.95)
        p_click = np.minimum(_BASE_CLICK[ch] * np.sqrt(m), 0.9)
        promo = 1.3 if model.promo_day[day] else 1.0
        p_conv = np.minimum(column("convert")[p] * promo * _CONVERT_SCALE[ch], 0.9)
    end = np.datetime64(model.window.end, "s") + np.timedelta64(86_399, "s")
    open_delay = rng.exponential(np.where(in_hours, 2400.0, 9000.0)) + 5
    opened_at = sent + np.minimum(open_delay, 2 * 86_400).astype("timedelta64[s]")
    opened = delivered & (rng.random(k) < p_open) & (opened_at <= end)
    clicked_at = opened_at + (10 + rng.exponential(180.0, size=k)).astype("timedelta64[s]")
    clicked = opened & (rng.random(k) < p_click) & (clicked_at <= end)
    quick = rng.random(k) < 0.75
    conv_delay = np.where(
        quick, 60 + rng.exponential(2400.0, size=k), rng.uniform(86_400, 6.5 * 86_400, size=k)
    )
    converted_at = clicked_at + conv_delay.astype("timedelta64[s]")
    converted = clicked & (rng.random(k) < p_conv) & (converted_at <= end)
    unsub_scale = np.where(np.isin(p, _OPT_OUT_PRONE), 2.0, 1.0)
    unsub = delivered & (rng.random(k) < _UNSUBSCRIBE[ch] * unsub_scale)
    nat = np.datetime64("NaT", "s")
    return (
        sent,
        delivered,
        np.where(opened, opened_at, nat),
        np.where(clicked, clicked_at, nat),
        unsub,
        np.where(converted, converted_at, nat),
    )


def simulate_messages(
    rng: np.random.Generator, specs: list[CampaignSpec], model: OrderModel, persona: np.ndarray,
    first_day: np.ndarray, consent: np.ndarray,
) -> MessageArrays:  # fmt: skip
    """All messages of a chunk; `consent` (n x 4) is updated in place by unsubscribes."""
    n = len(persona)
    # Process every wave of every campaign in date order so that opt-outs bind later sends.
    schedule = sorted(
        (day, ci, wi) for ci, s in enumerate(specs) for wi, day in enumerate(s.wave_days)
    )
    audience = np.zeros((len(specs), n), dtype=bool)
    variant = np.full((len(specs), n), -1, dtype=np.int64)
    parts: list[tuple] = []
    for day, ci, wi in schedule:
        spec = specs[ci]
        if wi == 0:
            reach = np.array(spec.reach)[persona]
            audience[ci] = consent[:, spec.channel] & (first_day <= day) & (rng.random(n) < reach)
            if spec.ab_rates is not None:
                variant[ci] = np.where(audience[ci], rng.integers(0, 2, size=n), -1)
        who = np.flatnonzero(audience[ci] & consent[:, spec.channel])
        if len(who) == 0:
            continue
        arrays = _wave(rng, spec, day, who, persona, variant[ci], model)
        consent[who[arrays[4]], spec.channel] = False
        parts.append((np.full(len(who), ci), who, variant[ci][who], *arrays))
    if not parts:
        empty_t = np.array([], dtype="datetime64[s]")
        empty_i = np.array([], dtype=np.int64)
        empty_b = np.array([], dtype=bool)
        return MessageArrays(
            empty_i, empty_i, empty_i, empty_t, empty_b, empty_t, empty_t, empty_b, empty_t
        )
    cols = [np.concatenate([p[i] for p in parts]) for i in range(9)]
    return MessageArrays(*cols)


def campaigns_frame(specs: list[CampaignSpec], sent: np.ndarray, customers: int) -> pd.DataFrame:
    """The `campaigns` rows; cost = fixed cost scaled by store size + cost per message sent."""
    channel = np.array([s.channel for s in specs], dtype=np.int64)
    cost = _FIXED_COST_PER_1K[channel] * customers / 1000 + _COST_PER_MESSAGE[channel] * sent
    return pd.DataFrame(
        {
            "campaign_id": [s.campaign_id for s in specs],
            "name": [s.name for s in specs],
            "channel": [CHANNELS[s.channel] for s in specs],
            "start_date": pd.to_datetime([s.start for s in specs]).astype("datetime64[s]"),
            "end_date": pd.to_datetime([s.end for s in specs]).astype("datetime64[s]"),
            "cost": np.round(cost, 2),
            "target_segment": [s.target_segment for s in specs],
            "variants": ["A,B" if s.ab_rates is not None else None for s in specs],
            "goal": [s.goal for s in specs],
        }
    )
