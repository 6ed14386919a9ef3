"""Finding a segment's members by name: a saved segment, else an RFM segment computed now."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, func, select

from knowledge.presentation import segment_name
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import SavedSegment, SegmentMember
from tools.base import ToolContext, ToolError, listed, quoted
from tools.segments.rfm import SEGMENT_RULES
from tools.segments.rule_compiler import rfm_members_select, rfm_segment_names
from tools.segments.saved import members_for_warehouse, read_saved


@dataclass(frozen=True)
class SegmentRef:
    """A segment by name: how it was made and the query of its customer ids."""

    name: str
    kind: str  # rule, rfm, kmeans (saved) or "rfm (computed)"
    members: Select  # SELECT customer_id


def find_segment(ctx: ToolContext, name: str) -> SegmentRef:
    """The saved segment called `name` (case-insensitive), else the RFM segment of that name."""
    wanted = name.strip()
    saved = read_saved(ctx, select(SavedSegment.name, SavedSegment.kind))
    for saved_name, kind in saved:
        if saved_name.lower() == wanted.lower():
            statement = (
                select(SegmentMember.customer_id)
                .join(SavedSegment, SavedSegment.segment_id == SegmentMember.segment_id)
                .where(SavedSegment.name == saved_name)
            )
            return SegmentRef(saved_name, kind, members_for_warehouse(ctx, statement))
    try:
        english = rfm_segment_names([wanted])
    except ToolError:
        known = sorted({n for n, _ in saved} | {r.name for r in SEGMENT_RULES})
        raise ToolError.of(
            "No segment is called {name}; known segments: {known}.",
            name=quoted(name),
            known=listed(known, segment_name),
        ) from None
    return SegmentRef(
        english[0], "rfm (computed)", rfm_members_select(ctx.engine, ctx.as_of, english)
    )


def member_ids(ctx: ToolContext, segment: SegmentRef) -> pd.Series:
    """The segment's customer ids, sorted, as strings."""
    frame = run_query(ctx, segment.members)
    return pd.Series(sorted(frame.iloc[:, 0].astype(str)), name="customer_id", dtype=object)


def run_query(ctx: ToolContext, statement: Select) -> pd.DataFrame:
    """fetch_frame within the context's time limit; a timeout is a recoverable error."""
    try:
        return fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc


def count_of(ctx: ToolContext, statement: Select) -> int:
    """The number of rows `statement` returns."""
    frame = run_query(ctx, select(func.count()).select_from(statement.subquery()))
    return int(frame.iloc[0, 0])
