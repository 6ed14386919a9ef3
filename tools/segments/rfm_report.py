"""`rfm_segments`: the ten named RFM segments with their size, value and next action."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

import pandas as pd
from pydantic import Field
from sqlalchemy import Select, case, func, literal, select

from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.portable import ranks_exactly
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    quoted,
    table_preview,
    titled,
)
from tools.periods import resolve_period
from tools.segments.rfm import (
    APPROXIMATE_NOTE,
    SEGMENT_NAMES,
    SEGMENT_RULES,
    parse_as_of,
    reference_date,
    rfm_select,
)
from tools.segments.saved import NewSegment, replace_segments

_COLUMNS = [
    "segment",
    "customers",
    "customer_share",
    "revenue_share",
    "avg_recency_days",
    "avg_frequency",
    "avg_monetary",
    "action",
]


def rfm_segments(
    ctx: ToolContext,
    as_of: Annotated[
        str | None,
        Field(
            description="Reference ('as of') date, YYYY-MM-DD: orders before it count and recency "
            "is measured to it. Empty: the day after the latest valid order."
        ),
    ] = None,
    save: Annotated[
        bool,
        Field(description="Save every segment (e.g. 'Champions') for later targeting and export."),
    ] = True,
) -> ToolOutput:
    """Segment buyers by RFM (recency, frequency, monetary) into the 10 named segments.

    Scores 1-5 from the percent rank over buyers (equal values get equal
    scores; the most recent, most frequent, biggest spenders score 5); buyers
    have a valid order and positive net spend. Segments from the R and F scores
    (Champions, Loyal Customers, Potential Loyalists, New Customers, Promising,
    Need Attention, About to Sleep, At Risk, Can't Lose Them, Hibernating).
    Returns per segment: customers, share of customers and of revenue, average
    recency/frequency/monetary and the recommended action. Saved segments
    replace the earlier RFM segments of the same name.
    """
    ref = _reference(ctx, as_of)
    dialect = ctx.engine.dialect.name
    rfm = rfm_select(dialect, ref).subquery("rfm")
    summary = select(
        rfm.c.segment,
        func.count().label("customers"),
        func.sum(rfm.c.monetary).label("revenue"),
        func.avg(rfm.c.recency).label("avg_recency_days"),
        func.avg(rfm.c.frequency).label("avg_frequency"),
        func.avg(rfm.c.monetary).label("avg_monetary"),
    ).group_by(rfm.c.segment)
    try:
        raw = fetch_frame(ctx.engine, summary, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    if raw.empty:
        raise ToolError.of(
            "No customer has a valid order before {date}; nothing to segment.",
            date=ref.isoformat(),
        )
    table = _segment_table(raw)
    saved: list[str] = []
    if save:
        saved = _save(ctx, ref, table)
    return _output(ctx, ref, table, saved)


def _reference(ctx: ToolContext, as_of: str | None) -> date:
    try:
        given = parse_as_of(as_of)
    except ValueError:
        # Not a date: a period phrase such as "end of last month" means the day after it.
        period = resolve_period(ctx, as_of)
        if period is None:
            raise ToolError.of(
                "Cannot read {value} as a date; give it as YYYY-MM-DD.", value=quoted(as_of)
            ) from None
        given = period.end + timedelta(days=1)
    ref = reference_date(ctx.engine, given)
    if ref is None:
        raise ToolError.of("The store has no valid orders yet; import orders first.")
    return ref


def _segment_table(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per non-empty segment, in the order of the segment map, with shares and actions."""
    for column in raw.columns[1:]:
        raw[column] = pd.to_numeric(raw[column]).astype(float)
    raw = raw.set_index("segment").reindex(list(SEGMENT_NAMES)).dropna(subset=["customers"])
    raw["customer_share"] = raw["customers"] / raw["customers"].sum()
    revenue = raw["revenue"].sum()
    raw["revenue_share"] = raw["revenue"] / revenue if revenue else 0.0
    raw["customers"] = raw["customers"].astype("int64")
    actions = {rule.name: rule.action for rule in SEGMENT_RULES}
    raw["action"] = [actions[name] for name in raw.index]
    table = raw.reset_index()
    for column in ("avg_recency_days", "avg_frequency"):
        table[column] = table[column].round(1)
    table["avg_monetary"] = table["avg_monetary"].round(2)
    return table[[*_COLUMNS, "revenue"]]


def _save(ctx: ToolContext, ref: date, table: pd.DataFrame) -> list[str]:
    dialect = ctx.engine.dialect.name
    rules = {rule.name: rule for rule in SEGMENT_RULES}
    segments = [
        NewSegment(
            name=row.segment,
            definition={
                "method": "rfm",
                "as_of": ref.isoformat(),
                "rule": {
                    "r_scores": list(rules[row.segment].r_scores),
                    "f_scores": list(rules[row.segment].f_scores),
                },
                "scores": "min(5, 1 + floor(5 x percent_rank)) over buyers, ties share a score"
                + ("" if ranks_exactly(dialect) else f" ({APPROXIMATE_NOTE})"),
            },
            size=int(row.customers),
        )
        for row in table.itertuples(index=False)
    ]

    def members_query(ids: dict[str, str]) -> Select:
        # Members go from the scoring query straight into the table: no rows through Python.
        rfm = rfm_select(dialect, ref).subquery("rfm")
        segment_id = case(*[(rfm.c.segment == name, literal(sid)) for name, sid in ids.items()])
        return select(segment_id.label("segment_id"), rfm.c.customer_id).where(
            rfm.c.segment.in_(list(ids))
        )

    ids = replace_segments(
        ctx.state_engine,
        "rfm",
        segments,
        replace_names=SEGMENT_NAMES,
        members_query=members_query,
        source=ctx.engine,
    )
    return list(ids)


def _output(ctx: ToolContext, ref: date, table: pd.DataFrame, saved: list[str]) -> ToolOutput:
    rules = {rule.name: rule for rule in SEGMENT_RULES}
    segments: list[dict[str, Any]] = [
        {
            "name": row.segment,
            "name_zh": rules[row.segment].name_zh,
            "customers": int(row.customers),
            "customer_share": float(row.customer_share),
            "revenue": float(row.revenue),
            "revenue_share": float(row.revenue_share),
            "avg_recency_days": float(row.avg_recency_days),
            "avg_frequency": float(row.avg_frequency),
            "avg_monetary": float(row.avg_monetary),
            "action": row.action,
            "action_zh": rules[row.segment].action_zh,
        }
        for row in table.itertuples(index=False)
    ]
    shown = table[_COLUMNS].round({"customer_share": 4, "revenue_share": 4})
    title = f"RFM segments as of {ref.isoformat()}"
    text = f"{title} ({int(table['customers'].sum())} buyers)\n{table_preview(shown)}"
    approximate = not ranks_exactly(ctx.engine.dialect.name)
    if approximate:
        text += f"\nScores are {APPROXIMATE_NOTE}."
    if saved:
        text += f"\nSaved as segments: {', '.join(saved)}"
    data = {
        "as_of": ref.isoformat(),
        "buyers": int(table["customers"].sum()),
        "revenue": float(table["revenue"].sum()),
        "segments": segments,
        "biggest": max(segments, key=lambda s: s["customers"])["name"],
        "most_valuable": max(segments, key=lambda s: s["revenue_share"])["name"],
        "saved": saved,
        "currency": ctx.currency,
        # On engines without a scalable global rank (Spark) the scores come from
        # approximate quantile cut-offs; the answer must say so.
        "approximate": approximate,
    }
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled("RFM segments as of {date}", date=ref.isoformat()),
                frame=shown.reset_index(drop=True),
                chart="bar",
                # Customers per segment; days, shares and money stay in the table.
                chart_values=("customers",),
                value_labels=rfm_value_labels(),
            )
        ],
        data=data,
    )


def rfm_value_labels() -> dict[str, dict[str, dict[str, str]]]:
    """The segment names and actions of an RFM table in Chinese (the segment map's own words)."""
    return {
        "zh": {
            "segment": {rule.name: rule.name_zh for rule in SEGMENT_RULES},
            "action": {rule.action: rule.action_zh for rule in SEGMENT_RULES},
        }
    }
