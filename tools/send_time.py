"""`best_send_time` and `best_channel`: when and where to reach a segment.

Rates follow MARKETING.md: open rate = opens / delivered, CTR = clicks /
delivered, conversion rate = conversions / delivered, each message counting
once. A send slot is the hour (0-23) or weekday of the message's `sent_at`.
A slot needs at least `min_sample` delivered messages; when no slot of the
segment has that many, the answer falls back to the channel's customers
overall, then to the whole store, and says so.

The best hour never falls in the quiet hours of the channel's playbook (SMS:
none between 21:00 and 09:00) or of the setting `COPILOT_QUIET_HOURS`: when
the best raw hour is quiet, the best allowed hour is given and the answer says
which hour it replaced.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field
from sqlalchemy import ColumnElement, Select, case, extract, func, select

from knowledge.presentation import N_, segment_name
from knowledge.store.portable import day_of_week
from knowledge.store.schema import MESSAGE_CHANNELS, Campaign, CampaignMessage, Customer
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    plain_value,
    table_preview,
    titled,
)
from tools.profiles.members import SegmentRef, find_segment, run_query
from tools.quiet_hours import QuietWindow, is_quiet, quiet_windows

# Table titles per rate (catalogue ids: the answers show them translated).
_RATE_TITLES = {
    "open": (N_("Open rate by send hour"), N_("Open rate by send weekday")),
    "click": (N_("Click rate by send hour"), N_("Click rate by send weekday")),
}
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
Metric = Literal["open", "click"]
ChannelName = Literal["email", "sms", "push", "social"]

_SLOT_FORMATS = {"delivered": "integer", "hits": "integer", "rate": "percent"}


def slot_counts(
    ctx: ToolContext, members: Select | None, channel: str | None, metric: Metric
) -> pd.DataFrame:
    """Delivered messages and opens (or clicks) per (hour, weekday) of sending."""
    m = CampaignMessage
    hit = (m.opened_at if metric == "open" else m.clicked_at).is_not(None)
    hour = extract("hour", m.sent_at)
    dow = day_of_week(m.sent_at)  # 0 = Sunday on every engine (portable.py)
    statement = (
        select(
            hour.label("hour"),
            dow.label("weekday"),
            func.count().label("delivered"),
            func.sum(_as_int(hit)).label("hits"),
        )
        .join(Campaign, Campaign.campaign_id == m.campaign_id)
        .where(*_message_filter(members, channel))
        .group_by(hour, dow)
    )
    frame = run_query(ctx, statement)
    for column in frame.columns:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def _as_int(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _message_filter(members: Select | None, channel: str | None) -> list[ColumnElement[bool]]:
    m = CampaignMessage
    where: list[ColumnElement[bool]] = [m.delivered.is_(True)]
    if channel:
        where.append(Campaign.channel == channel)
    if members is not None:
        where.append(m.customer_id.in_(members))
    return where


def best_slot(
    counts: pd.DataFrame, by: str, min_sample: int, quiet: list[QuietWindow] | None = None
) -> dict[str, Any] | None:
    """The slot of `by` (hour or weekday) with the best rate among slots with >= min_sample.

    Hours in a `quiet` window are never chosen; when the best raw hour is quiet,
    the pick carries it as `moved_from` ({slot, label, rate, delivered}).
    None when no allowed slot has enough messages.
    """
    if counts.empty:
        return None
    per = counts.groupby(by)[["delivered", "hits"]].sum()
    per = per[per["delivered"] >= min_sample]
    if per.empty:
        return None
    per["rate"] = per["hits"] / per["delivered"]
    per = per.sort_index()
    allowed = per[[not is_quiet(int(h), quiet or []) for h in per.index]] if by == "hour" else per
    if allowed.empty:
        return None
    # idxmax takes the first maximum of the sorted slots: ties go to the earliest slot.
    pick = _slot(allowed, int(allowed["rate"].idxmax()), by)
    raw = _slot(per, int(per["rate"].idxmax()), by)
    pick["moved_from"] = raw if raw["slot"] != pick["slot"] else None
    return pick


def _slot(per: pd.DataFrame, slot: int, by: str) -> dict[str, Any]:
    row = per.loc[slot]
    return {
        "slot": slot,
        "label": WEEKDAYS[slot] if by == "weekday" else f"{slot:02d}:00",
        "rate": float(row["rate"]),
        "delivered": int(row["delivered"]),
    }


def slot_table(
    counts: pd.DataFrame, by: str, min_sample: int, quiet: list[QuietWindow] | None = None
) -> pd.DataFrame:
    """Rate per slot, with whether the slot has enough messages (and, per hour, is quiet)."""
    per = counts.groupby(by)[["delivered", "hits"]].sum().reset_index()
    per["rate"] = per["hits"] / per["delivered"].where(per["delivered"] > 0)
    per["enough_sample"] = per["delivered"] >= min_sample
    if by == "hour":
        per["quiet_hour"] = [is_quiet(int(h), quiet or []) for h in per["hour"]]
    if by == "weekday":
        per["weekday"] = [WEEKDAYS[int(d)] for d in per["weekday"]]
    return per


def best_send_time(
    ctx: ToolContext,
    segment: Annotated[
        str | None, Field(description="Saved or RFM segment name; empty for all customers.")
    ] = None,
    channel: Annotated[
        ChannelName | None, Field(description="Message channel; empty for all channels.")
    ] = None,
    metric: Annotated[Metric, Field(description="Rate to maximise: open or click.")] = "open",
    min_sample: Annotated[
        int, Field(description="Delivered messages a slot needs before it can be chosen.")
    ] = 100,
    min_customer_events: Annotated[
        int, Field(description="Opens/clicks a customer needs for a personal best hour.")
    ] = 3,
) -> ToolOutput:
    """Best hour and weekday to send to a segment, by open or click rate, with a fallback.

    Slots are the hour / weekday the messages were sent; a slot needs at least
    `min_sample` delivered messages. When the segment has too few, the
    channel's overall best (then the store's) is given and the fallback stated.
    Also returns a per-customer best hour for customers with enough history.
    No hour in the channel's quiet hours (playbooks, COPILOT_QUIET_HOURS) is
    recommended; when the best raw hour was quiet, the answer says so.
    """
    if min_sample < 1:
        raise ToolError.of("min_sample must be at least 1.")
    quiet = quiet_windows(channel, ctx.quiet_hours)
    ref = find_segment(ctx, segment) if segment else None
    levels = _levels(ref, channel)
    counts = {key: slot_counts(ctx, members, chan, metric) for key, members, chan in levels}
    picks: dict[str, dict[str, Any]] = {}
    for by in ("hour", "weekday"):
        for key, _, _ in levels:
            found = best_slot(counts[key], by, min_sample, quiet)
            if found is not None:
                picks[by] = {**found, "level": key, "fallback": key != levels[0][0]}
                break
    first = counts[levels[0][0]]
    hours = slot_table(first, "hour", min_sample, quiet)
    weekdays = slot_table(first, "weekday", min_sample)
    people = per_customer_best(
        ctx, ref.members if ref else None, channel, metric, min_customer_events, quiet
    )
    data = {
        "segment": ref.name if ref else None,
        "channel": channel,
        "metric": metric,
        "min_sample": min_sample,
        "delivered": int(first["delivered"].sum()) if not first.empty else 0,
        "best_hour": picks.get("hour"),
        "best_weekday": picks.get("weekday"),
        "customers_with_personal_time": len(people),
        "quiet_hours": [{"window": w.label, "source": w.source} for w in quiet],
    }
    if not picks:
        raise ToolError.of("No channel has enough delivered messages to pick a send time.")
    return ToolOutput(
        for_model=_text(data, hours, weekdays),
        artifacts=[
            # The rate per hour / weekday in their own order (not the sends, not by size).
            TableArtifact(
                **titled(_RATE_TITLES[metric][0]),
                frame=hours,
                chart="histogram",
                chart_values=("rate",),
                formats=_SLOT_FORMATS,
            ),
            TableArtifact(
                **titled(_RATE_TITLES[metric][1]),
                frame=weekdays,
                chart="histogram",
                chart_values=("rate",),
                formats=_SLOT_FORMATS,
            ),
            TableArtifact(
                **titled("Best send hour per customer"),
                frame=people.head(ctx.limits.row_limit),
                truncated=len(people) > ctx.limits.row_limit,
                chart="none",  # a bar per customer says nothing
            ),
        ],
        data=data,
    )


def _levels(
    ref: SegmentRef | None, channel: str | None
) -> list[tuple[str, Select | None, str | None]]:
    """(level name, members, channel) from the most specific to the whole store."""
    levels: list[tuple[str, Select | None, str | None]] = []
    if ref is not None:
        levels.append(("segment", ref.members, channel))
    if channel:
        levels.append(("channel", None, channel))
    levels.append(("store", None, None))
    return levels


def per_customer_best(
    ctx: ToolContext,
    members: Select | None,
    channel: str | None,
    metric: Metric,
    minimum: int,
    quiet: list[QuietWindow] | None = None,
) -> pd.DataFrame:
    """customer_id, events, best_hour, best_weekday for customers with >= `minimum` opens/clicks.

    A customer's best hour is taken among the hours outside the `quiet` windows.
    """
    m = CampaignMessage
    hit = (m.opened_at if metric == "open" else m.clicked_at).is_not(None)
    hour, dow = extract("hour", m.sent_at), day_of_week(m.sent_at)
    statement = (
        select(m.customer_id, hour.label("hour"), dow.label("weekday"), func.count().label("n"))
        .join(Campaign, Campaign.campaign_id == m.campaign_id)
        .where(*_message_filter(members, channel), hit)
        .group_by(m.customer_id, hour, dow)
    )
    frame = run_query(ctx, statement)
    columns = ["customer_id", "events", "best_hour", "best_weekday"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    for column in ("hour", "weekday", "n"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    frame["customer_id"] = frame["customer_id"].astype(str)
    events = frame.groupby("customer_id")["n"].sum()
    keep = frame[frame["customer_id"].isin(events[events >= minimum].index)]
    if keep.empty:
        return pd.DataFrame(columns=columns)

    def most(by: str) -> pd.Series:
        source = keep
        if by == "hour" and quiet:
            source = keep[[not is_quiet(int(h), quiet) for h in keep["hour"]]]
        per = source.groupby(["customer_id", by])["n"].sum().reset_index()
        per = per.sort_values(["customer_id", "n", by], ascending=[True, False, True])
        return per.drop_duplicates("customer_id").set_index("customer_id")[by]

    # A customer whose opens all fell in quiet hours keeps a row, with no best hour.
    out = pd.DataFrame({"events": events[events >= minimum]}).sort_index()
    out["best_hour"] = most("hour").reindex(out.index).astype("Int64")
    out["best_weekday"] = [WEEKDAYS[d] for d in most("weekday").reindex(out.index)]
    return out.reset_index()[columns]


def _text(data: dict[str, Any], hours: pd.DataFrame, weekdays: pd.DataFrame) -> str:
    who = data["segment"] or "all customers"
    lines = [
        f"Best send time for {who} ({data['channel'] or 'all channels'}, {data['metric']} rate)"
    ]
    for key in ("best_hour", "best_weekday"):
        pick = data[key]
        if pick is None:
            lines.append(f"{key}: no slot has {data['min_sample']} delivered messages")
            continue
        note = f" (fallback: {pick['level']} level)" if pick["fallback"] else ""
        lines.append(
            f"{key}: {pick['label']} rate {pick['rate']:.1%} over {pick['delivered']} delivered{note}"
        )
        moved = pick.get("moved_from")
        if moved:
            windows = ", ".join(f"{q['window']} ({q['source']})" for q in data["quiet_hours"])
            lines.append(
                f"  moved: the best raw hour {moved['label']} (rate {moved['rate']:.1%}) falls in "
                f"the quiet hours {windows}; {pick['label']} is the best allowed hour"
            )
    lines.append(f"customers with a personal best hour: {data['customers_with_personal_time']}")
    lines.append("by hour:\n" + table_preview(hours, 24))
    lines.append("by weekday:\n" + table_preview(weekdays, 7))
    return "\n".join(lines)


def best_channel(
    ctx: ToolContext,
    segment: Annotated[str, Field(description="Saved or RFM segment name.")],
    min_sample: Annotated[
        int, Field(description="Delivered messages a channel needs before it can be chosen.")
    ] = 100,
) -> ToolOutput:
    """The consented channel with the best conversion per cost for a segment.

    Per channel: customers in the segment who consented, messages delivered to
    them, conversions (attributed orders), conversion rate, campaign cost
    allocated by delivered messages, and cost per conversion.
    """
    ref = find_segment(ctx, segment)
    table = channel_table(ctx, ref)
    eligible = table[
        (table["consented"] > 0) & (table["delivered"] >= min_sample) & (table["conversions"] > 0)
    ]
    best = None
    if not eligible.empty:
        row = eligible.sort_values(["cost_per_conversion", "channel"]).iloc[0]
        best = {k: _plain(row[k]) for k in table.columns}
    data = {
        "segment": ref.name,
        "best": best,
        "min_sample": min_sample,
        "channels": [{k: _plain(v) for k, v in r.items()} for r in table.to_dict("records")],
    }
    text = f"Channels for {ref.name} (best = lowest cost per conversion among channels with "
    text += f">= {min_sample} delivered and a conversion):\n{table_preview(table)}\n"
    text += f"best: {best['channel']}" if best else "best: none has enough data"
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(
                    "Channel performance for {segment}",
                    segment=lambda language: segment_name(ref.name, language),
                ),
                frame=table,
            )
        ],
        data=data,
    )


def channel_table(ctx: ToolContext, ref: SegmentRef) -> pd.DataFrame:
    """Per channel: consented, delivered, conversions, conversion_rate, cost, cost_per_conversion."""
    m = CampaignMessage
    delivered = m.delivered.is_(True)
    in_segment = m.customer_id.in_(ref.members)
    per_campaign = (
        select(
            Campaign.campaign_id,
            Campaign.channel,
            Campaign.cost,
            func.sum(_as_int(delivered)).label("all_delivered"),
            func.sum(_as_int(delivered & in_segment)).label("delivered"),
            func.sum(_as_int(delivered & in_segment & m.attributed_order_id.is_not(None))).label(
                "conversions"
            ),
        )
        .join(m, m.campaign_id == Campaign.campaign_id)
        .group_by(Campaign.campaign_id, Campaign.channel, Campaign.cost)
    )
    frame = run_query(ctx, per_campaign)
    for column in ("cost", "all_delivered", "delivered", "conversions"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(float)
    # The segment's share of a campaign's cost = its share of the campaign's delivered messages.
    frame["cost"] = (
        frame["cost"]
        * frame["delivered"]
        / frame["all_delivered"].where(frame["all_delivered"] > 0)
    )
    per = frame.groupby("channel")[["delivered", "conversions", "cost"]].sum()
    consent = select(
        *[
            func.sum(_as_int(getattr(Customer, f"consent_{c}").is_(True))).label(c)
            for c in MESSAGE_CHANNELS
        ]
    ).where(Customer.customer_id.in_(ref.members))
    consented = run_query(ctx, consent).iloc[0]
    table = pd.DataFrame({"channel": list(MESSAGE_CHANNELS)})
    table["consented"] = [int(pd.to_numeric(consented[c]) or 0) for c in MESSAGE_CHANNELS]
    per = per.reindex(MESSAGE_CHANNELS).fillna(0.0)
    table["delivered"] = per["delivered"].astype("int64").to_numpy()
    table["conversions"] = per["conversions"].astype("int64").to_numpy()
    table["conversion_rate"] = table["conversions"] / table["delivered"].where(
        table["delivered"] > 0
    )
    table["cost"] = per["cost"].round(2).to_numpy()
    table["cost_per_conversion"] = (
        table["cost"] / table["conversions"].where(table["conversions"] > 0)
    ).round(2)
    return table


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar, with missing numbers as None."""
    value = plain_value(value)
    return None if isinstance(value, float) and pd.isna(value) else value
