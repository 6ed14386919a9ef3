"""`profile_segment`: the profile (用户画像) of a segment against all customers."""

from __future__ import annotations

import math
from typing import Annotated, Any

import pandas as pd
from pydantic import Field
from sqlalchemy import select

from knowledge.presentation import segment_name
from knowledge.store.schema import Review
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview, titled
from tools.periods import reference_today
from tools.profiles.members import find_segment, member_ids, run_query
from tools.profiles.sections import (
    Row,
    churn,
    customers_frame,
    demographics,
    engagement,
    geography,
    money,
    purchases,
    rfm_rows,
)
from tools.reviews.scoring import NEGATIVE_BELOW, score_texts
from tools.send_time import best_slot, slot_counts

COLUMNS = ["section", "feature", "segment", "baseline", "index"]
INDEX_BASE = 100  # index = segment / baseline x 100: 100 = like all customers, 230 = 2.3x
INDEX_CHART_FEATURES = 15  # the most distinctive features charted
# A share feature is a highlight when the segment has at least this much of it and the
# index is at least this far from 1 (either way).
_MIN_SHARE = 0.05
_MIN_LIFT = 1.25
_SEND_TIME_SAMPLE = 30


def profile_segment(
    ctx: ToolContext,
    segment: Annotated[
        str, Field(description="Saved segment or RFM segment name, e.g. 'Champions'.")
    ],
) -> ToolOutput:
    """Profile a segment (用户画像) against all customers, with an index per feature.

    Sections: demographics (gender, age band, language, signup channel),
    geography (top cities and provinces), RFM averages and segment mix, categories
    and top products bought, channel open/click rates, best send hour and
    weekday, AOV, historical LTV, churn risk (when scored) and review sentiment.
    Index = segment value / baseline x 100 (230 = 2.3x the average customer,
    100 = no different); the chart shows the most distinctive features' indexes.
    """
    ref = find_segment(ctx, segment)
    ids = member_ids(ctx, ref)
    if ids.empty:
        raise ToolError.of(
            "The segment {name} has no customers; refresh or redefine it.",
            name=lambda language: segment_name(ref.name, language),
        )
    customers = customers_frame(ctx)
    inside = customers["customer_id"].isin(set(ids))
    inside_ids = set(ids)
    rows: list[Row] = [
        *demographics(customers, inside, reference_today(ctx).year),
        *geography(customers, inside),
        *rfm_rows(ctx, customers["customer_id"], inside_ids),
        *purchases(ctx, inside, customers["customer_id"]),
        *engagement(ctx, inside_ids),
        *money(ctx, inside_ids),
        *churn(ctx, inside_ids),
        *sentiment(ctx, inside_ids),
    ]
    table = profile_table(rows)
    send = _send_times(ctx, ref.members)
    highlights = distinguishing(rows)
    data: dict[str, Any] = {
        "segment": ref.name,
        "kind": ref.kind,
        "size": int(inside.sum()),
        "customers": len(customers),
        "share": float(inside.mean()) if len(customers) else 0.0,
        "highlights": highlights,
        "values": _key_values(rows),
        "send_time": send,
    }
    text = (
        f"Profile of {ref.name}: {data['size']} of {data['customers']} customers "
        f"({data['share']:.1%}). Index = segment / baseline x 100 (100 = all customers).\n"
        f"best send time (open rate): {send}\n"
        "distinguishing features:\n"
        + "\n".join(
            f"- {h['feature']}: {h['segment']:.1%} vs {h['baseline']:.1%} ({h['index']:.1f}x)"
            for h in highlights
        )
        + f"\n{table_preview(table, 60)}"
    )
    return ToolOutput(
        for_model=text,
        artifacts=[
            # Features of many units in one table: the index chart below compares them.
            TableArtifact(
                **titled(
                    "Profile of {segment} vs all customers",
                    segment=lambda language: segment_name(ref.name, language),
                ),
                frame=table,
                chart="none",
            ),
            TableArtifact(
                **titled(
                    "What sets {segment} apart (index, all customers = 100)",
                    segment=lambda language: segment_name(ref.name, language),
                ),
                frame=index_table(rows),
                chart="bar",
                formats={"index": "index"},
            ),
        ],
        data=data,
    )


def profile_table(rows: list[Row]) -> pd.DataFrame:
    """One long table: section, feature, segment, baseline, index."""
    frame = pd.DataFrame(
        [(r.section, r.feature, r.segment, r.baseline) for r in rows], columns=COLUMNS[:-1]
    )
    base = pd.to_numeric(frame["baseline"], errors="coerce").astype(float)
    seg = pd.to_numeric(frame["segment"], errors="coerce").astype(float)
    frame["segment"], frame["baseline"] = seg.round(4), base.round(4)
    frame["index"] = (seg / base.where(base != 0) * INDEX_BASE).round(1)
    return frame


def index_table(rows: list[Row], top: int = INDEX_CHART_FEATURES) -> pd.DataFrame:
    """The features furthest from the baseline, as an index (all customers = 100).

    Every feature becomes one unit (segment / baseline x 100), so shares, rates,
    money and days can stand in one chart. Left out: features without a positive
    baseline or with a negative value (a sentiment score has no ratio), shares of
    100% (how the segment is defined) and shares under 5% in both groups (noise).
    Shape: up to `top` rows x [feature, index, section], highest index first.
    """
    found = []
    for row in rows:
        if row.segment is None or not row.baseline or row.baseline < 0 or row.segment < 0:
            continue
        if row.kind == "share" and (
            row.segment >= 1 or max(row.segment, row.baseline) < _MIN_SHARE
        ):
            continue
        ratio = row.segment / row.baseline
        # Distance from the baseline on a ratio scale: 2x and 0.5x are equally distinctive.
        found.append((abs(math.log(max(ratio, 1e-3))), row.feature, ratio, row.section))
    found.sort(key=lambda item: (-item[0], item[1]))
    chosen = sorted(found[:top], key=lambda item: (-item[2], item[1]))
    return pd.DataFrame(
        {
            "feature": [f for _, f, _, _ in chosen],
            "index": [round(r * INDEX_BASE, 1) for _, _, r, _ in chosen],
            "section": [sec for _, _, _, sec in chosen],
        }
    )


def distinguishing(rows: list[Row], top: int = 6) -> list[dict[str, Any]]:
    """The share features most over- (or under-) represented in the segment, strongest first."""
    found = []
    for row in rows:
        # A share of 100% is how the segment was defined ("RFM Champions"), not a finding.
        if row.kind != "share" or not row.baseline or row.segment is None or row.segment >= 1:
            continue
        index = row.segment / row.baseline
        over = row.segment >= _MIN_SHARE and index >= _MIN_LIFT
        under = row.baseline >= _MIN_SHARE and index <= 1 / _MIN_LIFT
        if over or under:
            strength = index if over else 1 / max(index, 1e-9)
            found.append((strength, row, index))
    found.sort(key=lambda item: (-item[0], item[1].feature))
    return [
        {
            "section": r.section,
            "feature": r.feature,
            "segment": r.segment,
            "baseline": r.baseline,
            "index": round(i, 2),
        }
        for _, r, i in found[:top]
    ]


def sentiment(ctx: ToolContext, inside_ids: set[str]) -> list[Row]:
    """Mean review sentiment (-1..+1) and share of negative reviews, segment vs all reviews."""
    frame = run_query(ctx, select(Review.customer_id, Review.text))
    if frame.empty:
        return []
    frame["score"] = score_texts(frame["text"]).to_numpy()
    inside = frame["customer_id"].astype(str).isin(inside_ids)
    seg, base = frame.loc[inside, "score"], frame["score"]
    if seg.dropna().empty:
        return []
    return [
        Row("reviews", "mean review sentiment", float(seg.mean()), float(base.mean()), "value"),
        Row(
            "reviews",
            "share of negative reviews",
            float((seg <= NEGATIVE_BELOW).mean()),
            float((base <= NEGATIVE_BELOW).mean()),
        ),
    ]


def _send_times(ctx: ToolContext, members) -> dict[str, Any]:  # noqa: ANN001
    counts = slot_counts(ctx, members, None, "open")
    hour = best_slot(counts, "hour", _SEND_TIME_SAMPLE)
    weekday = best_slot(counts, "weekday", _SEND_TIME_SAMPLE)
    return {
        "hour": hour["label"] if hour else None,
        "weekday": weekday["label"] if weekday else None,
        "min_sample": _SEND_TIME_SAMPLE,
    }


def _key_values(rows: list[Row]) -> dict[str, dict[str, float | None]]:
    """The value features (AOV, LTV, RFM averages, churn) by name, for the writer."""
    return {
        r.feature: {"segment": r.segment, "baseline": r.baseline}
        for r in rows
        if r.kind == "value" and r.section in ("money", "rfm", "churn", "reviews")
    }
