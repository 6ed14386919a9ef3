"""`define_segment`, `refresh_segment`, `list_segments`: rule segments the marketer writes.

A rule segment is saved (kind "rule") with its definition as JSON, so it can be
re-evaluated later on fresh data. Saving writes only the copilot's own tables
(saved_segments, segment_members); the business data is never modified.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pandas as pd
from pydantic import Field
from sqlalchemy import func, select

from knowledge.presentation import N_, segment_name
from knowledge.store.schema import Customer, SavedSegment, SegmentMember
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    listed,
    quoted,
    table_preview,
    titled,
)
from tools.profiles.members import count_of, run_query
from tools.segments.rule_compiler import RuleDefinition, compile_rule
from tools.segments.saved import NewSegment, check_segment_name, read_saved, replace_segments

KIND = "rule"
_OVERLAP_COLUMNS = ["segment", "kind", "size", "overlap", "share_of_this", "jaccard"]


def define_segment(
    ctx: ToolContext,
    name: Annotated[str, Field(description="Name to save the segment under.")],
    definition: Annotated[
        RuleDefinition,
        Field(description="The conditions (all must hold): profile, purchases, spend, RFM ..."),
    ],
    save: Annotated[bool, Field(description="Save the segment for targeting and export.")] = True,
) -> ToolOutput:
    """Define a rule segment, e.g. "Shanghai women 25-35 who bought skincare in the last 90 days".

    Conditions: gender, age range, cities/provinces, language, signup channel
    and period; bought (or not) categories/products in a period; spend and
    order count ranges in a period; no order since a date/period; last order
    before/after; RFM segments; minimum churn probability; channel consent.
    Returns the size, the share of all customers and the overlap with the other
    saved segments; saved segments can be profiled, targeted and exported.
    """
    rule = RuleDefinition.model_validate(definition)
    name = check_segment_name(name)  # empty or longer than the name column: a clear error
    compiled = compile_rule(ctx, rule)
    members = run_query(ctx, compiled.statement)["customer_id"].astype(str)
    if save:
        _save(ctx, name.strip(), rule, compiled.periods, members)
    output = _output(ctx, name.strip(), rule, compiled.periods, members, saved=save)
    return _with_churn_scoring(output, compiled.churn_scoring)


def refresh_segment(
    ctx: ToolContext,
    name: Annotated[str, Field(description="Name of a saved rule segment.")],
) -> ToolOutput:
    """Re-evaluate a saved rule segment on the current data (relative periods move with it)."""
    rows = read_saved(
        ctx,
        select(
            SavedSegment.name, SavedSegment.kind, SavedSegment.definition, SavedSegment.size
        ).where(func.lower(SavedSegment.name) == name.strip().lower()),
    )
    row = rows[0] if rows else None
    if row is None:
        raise _not_saved(ctx, name)
    if row.kind != KIND:
        raise ToolError.of(
            "{name} is a {kind} segment; only rule segments are refreshed here "
            "(re-run the analysis that made it).",
            name=quoted(row.name),
            kind=row.kind,
        )
    stored = json.loads(row.definition)
    rule = RuleDefinition.model_validate(stored.get("rule", stored))
    compiled = compile_rule(ctx, rule)
    members = run_query(ctx, compiled.statement)["customer_id"].astype(str)
    _save(ctx, row.name, rule, compiled.periods, members)
    output = _output(ctx, row.name, rule, compiled.periods, members, saved=True)
    output.data["previous_size"] = int(row.size)
    output.for_model = f"Refreshed (was {int(row.size)} customers).\n" + output.for_model
    return _with_churn_scoring(output, compiled.churn_scoring)


def _with_churn_scoring(output: ToolOutput, scoring: dict[str, Any] | None) -> ToolOutput:
    """State a churn scoring the rule needed and got now (date, out-of-time AUC)."""
    if scoring is None:
        return output
    output.data["churn_scored_now"] = scoring
    output.for_model += (
        f"\nChurn scores were computed now for this rule (none were stored, or they were older "
        f"than the data): {scoring['scored_customers']} customers scored as of "
        f"{scoring['as_of']}, model AUC {scoring['model_auc']:.3f} out of time "
        f"(recency baseline {scoring['baseline_auc']:.3f}); stored for later segments."
    )
    return output


def _not_saved(ctx: ToolContext, name: str) -> ToolError:
    """No saved segment has `name`: say so, with the saved segments' names (or that none
    is saved yet), never a tool's name."""
    saved = sorted(n for (n,) in read_saved(ctx, select(SavedSegment.name)))
    if not saved:
        return ToolError.of(
            N_("No segment called {name} is saved; no segments are saved yet."),
            name=quoted(name),
        )
    return ToolError.of(
        N_("No segment called {name} is saved; the saved segments are: {names}."),
        name=quoted(name),
        names=listed(saved, segment_name),
    )


def list_segments(ctx: ToolContext) -> ToolOutput:
    """List the saved segments (RFM, K-means personas, rules) with kind, size and last update."""
    statement = select(
        SavedSegment.name.label("segment"),
        SavedSegment.kind,
        SavedSegment.size,
        SavedSegment.updated_at,
    ).order_by(SavedSegment.kind, SavedSegment.name)
    frame = pd.DataFrame(
        read_saved(ctx, statement), columns=["segment", "kind", "size", "updated_at"]
    )
    if frame.empty:
        text = (
            "No saved segments yet: ask for an RFM segmentation or describe a rule segment "
            "to save one first."
        )
        return ToolOutput(for_model=text, data={"segments": [], "count": 0})
    frame["size"] = pd.to_numeric(frame["size"]).astype("int64")
    frame["updated_at"] = pd.to_datetime(frame["updated_at"]).dt.strftime("%Y-%m-%d %H:%M")
    data = {
        "count": len(frame),
        "segments": frame[["segment", "kind", "size"]].to_dict("records"),
    }
    return ToolOutput(
        for_model=f"{len(frame)} saved segments\n{table_preview(frame, 50)}",
        artifacts=[TableArtifact(**titled("Saved segments"), frame=frame)],
        data=data,
    )


def _save(
    ctx: ToolContext,
    name: str,
    rule: RuleDefinition,
    periods: dict[str, str],
    members: pd.Series,
) -> None:
    definition = {
        "method": "rule",
        "rule": rule.model_dump(exclude_defaults=True),
        "resolved_periods": periods,
    }
    segment = NewSegment(name=name, definition=definition, size=len(members), members=members)
    replace_segments(ctx.state_engine, KIND, [segment], replace_names={name})


def overlap_table(ctx: ToolContext, name: str, members: pd.Series) -> pd.DataFrame:
    """Overlap of `members` with every other saved segment: count, % of this one, Jaccard."""
    statement = select(SavedSegment.name, SavedSegment.kind, SegmentMember.customer_id).join(
        SegmentMember, SegmentMember.segment_id == SavedSegment.segment_id
    )
    rows = read_saved(ctx, statement.where(SavedSegment.name != name))
    others = pd.DataFrame(rows, columns=["name", "kind", "customer_id"])
    if others.empty:
        return pd.DataFrame(columns=_OVERLAP_COLUMNS)
    others["customer_id"] = others["customer_id"].astype(str)
    others["inside"] = others["customer_id"].isin(set(members))
    table = (
        others.groupby(["name", "kind"], sort=True)
        .agg(size=("customer_id", "size"), overlap=("inside", "sum"))
        .reset_index()
        .rename(columns={"name": "segment"})
    )
    table["overlap"] = table["overlap"].astype("int64")
    this = len(members)
    table["share_of_this"] = table["overlap"] / this if this else 0.0
    union = this + table["size"] - table["overlap"]
    table["jaccard"] = (table["overlap"] / union.where(union > 0)).fillna(0.0)
    table = table.sort_values(["overlap", "segment"], ascending=[False, True])
    return table[_OVERLAP_COLUMNS].reset_index(drop=True)


def _output(
    ctx: ToolContext,
    name: str,
    rule: RuleDefinition,
    periods: dict[str, str],
    members: pd.Series,
    *,
    saved: bool,
) -> ToolOutput:
    total = count_of(ctx, select(Customer.customer_id))
    size = len(members)
    share = size / total if total else 0.0
    overlaps = overlap_table(ctx, name, members)
    conditions = rule.model_dump(exclude_defaults=True)
    data: dict[str, Any] = {
        "segment": name,
        "size": size,
        "customers": total,
        "share": share,
        "saved": saved,
        "conditions": conditions,
        "periods": periods,
        "overlaps": overlaps.head(5).to_dict("records"),
    }
    text = (
        f"Segment {name!r}: {size} customers ({share:.1%} of {total}); "
        f"{'saved' if saved else 'not saved'}.\n"
        f"conditions: {json.dumps(conditions, ensure_ascii=False)}\n"
    )
    if periods:
        text += "periods: " + "; ".join(f"{k} = {v}" for k, v in periods.items()) + "\n"
    artifacts = []
    if not overlaps.empty:
        text += "overlap with saved segments:\n" + table_preview(overlaps, 10)
        artifacts.append(
            TableArtifact(
                **titled("Overlap of {segment} with saved segments", segment=name), frame=overlaps
            )
        )
    if size == 0:
        text += "\nNo customer meets every condition; loosen one (period, age range, city)."
    return ToolOutput(for_model=text.strip(), artifacts=artifacts, data=data)
