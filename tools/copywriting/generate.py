"""`generate_copy`: grounded, checked marketing copy per segment and channel."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field

from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput
from tools.copywriting.brief import KnowledgeBase, build_briefs
from tools.copywriting.model import CHANNEL_PARTS, CHANNELS, BrandRules
from tools.copywriting.pipeline import CheckedDraft, Writer, save_drafts, write_checked
from tools.copywriting.segment_facts import rfm_segment_names
from tools.copywriting.templates import MAX_VARIANTS, write_with_templates
from tools.segments.rfm import SEGMENT_RULES

DEFAULT_GOAL = "promote the products our customers buy"


def generate_copy(
    ctx: ToolContext,
    segments: Annotated[
        list[str] | Literal["all"],
        Field(
            description="RFM segment names (e.g. ['Champions', 'At Risk']) or saved segment "
            "names; 'all' = every RFM segment."
        ),
    ],
    channel: Annotated[
        Literal["email", "sms", "push", "social", "search_ad"],
        Field(description="Channel of the copy."),
    ],
    goal: Annotated[
        str, Field(description="What the copy is for, e.g. 'launch the new skincare line'.")
    ] = DEFAULT_GOAL,
    product: Annotated[
        str | None,
        Field(description="A catalogue product or category to feature, e.g. 'skincare'."),
    ] = None,
    offer: Annotated[
        str | None,
        Field(description="The offer, exactly as decided: '20% off', '满300减50'. Empty: none."),
    ] = None,
    language: Annotated[Literal["en", "zh"], Field(description="Language of the copy.")] = "en",
    tone: Annotated[str | None, Field(description="Tone of voice, e.g. 'warm'.")] = None,
    variants: Annotated[
        int, Field(ge=1, le=MAX_VARIANTS, description="Drafts per segment (different angles).")
    ] = 1,
) -> ToolOutput:
    """Write marketing copy drafts per customer segment, grounded in the store's data.

    Each draft uses the segment's facts (size, spend, favourite products), the
    catalogue's names and prices and the given offer only; it is checked for
    channel length (SMS segments, push/ad limits), the SMS signature and
    opt-out, the email unsubscribe line, banned absolute claims (最, 第一,
    'best ever', '#1'), ungrounded numbers and personal data, repaired where
    possible, and saved in copy_drafts. Returns the drafts with their checks.
    """
    remote = ctx.copy_writer is not None
    checked, briefs = draft_copy(
        ctx, segments, channel, goal, product, offer, language, tone, variants,
        writer=ctx.copy_writer or write_with_templates,
        # A remote model writes segments concurrently; the guidelines go into its brief.
        max_workers=4 if remote else 1,
        knowledge=ctx.knowledge if remote else None,
    )  # fmt: skip
    save_drafts(ctx.state_engine, checked, briefs)
    return copy_output(checked, briefs, channel, language)


def draft_copy(
    ctx: ToolContext,
    segments: list[str] | str,
    channel: str,
    goal: str = DEFAULT_GOAL,
    product: str | None = None,
    offer: str | None = None,
    language: str = "en",
    tone: str | None = None,
    variants: int = 1,
    *,
    writer: Writer = write_with_templates,
    max_workers: int = 1,
    rules: BrandRules | None = None,
    knowledge: KnowledgeBase | None = None,
) -> tuple[list[CheckedDraft], list[Any]]:
    """Checked drafts and their briefs, written by `writer` (templates by default).

    A remote-model writer (`model_writer(chat_model)`) runs segments
    concurrently with `max_workers` > 1.
    """
    if channel not in CHANNELS:
        raise ToolError(f"Unknown channel {channel!r}; use one of {', '.join(CHANNELS)}.")
    if not 1 <= variants <= MAX_VARIANTS:
        raise ToolError(f"variants must be between 1 and {MAX_VARIANTS}.")
    names = resolve_segments(ctx, segments)
    briefs = build_briefs(
        ctx.engine, names, channel, goal or DEFAULT_GOAL, product, offer, language, tone,
        variants, as_of=ctx.as_of, rules=rules, knowledge=knowledge, currency=ctx.currency,
        timeout_s=ctx.limits.query_timeout_s,
    )  # fmt: skip
    briefs = [b for b in briefs if b.segment.size > 0]
    if not briefs:
        raise ToolError(f"The segment(s) {', '.join(names)} have no customers; nothing to write.")
    return write_checked(briefs, writer, max_workers), briefs


def resolve_segments(ctx: ToolContext, segments: list[str] | str) -> list[str]:
    """Segment names as stored: 'all' = the RFM segments with customers; RFM names in any case
    or in Chinese ('冠军客户') map to their English names; other names are saved segments."""
    if isinstance(segments, str):
        segments = [segments]
    if any(s.strip().lower() in ("all", "全部", "所有") for s in segments):
        return rfm_segment_names(ctx.engine, ctx.as_of)
    by_alias = {r.name.lower(): r.name for r in SEGMENT_RULES}
    by_alias |= {r.name_zh: r.name for r in SEGMENT_RULES}
    by_alias |= {r.name.lower().replace("'", "’"): r.name for r in SEGMENT_RULES}
    names = [by_alias.get(s.strip().lower(), s.strip()) for s in segments if s.strip()]
    if not names:
        raise ToolError("Name at least one segment, or 'all' for every RFM segment.")
    return list(dict.fromkeys(names))


def copy_output(
    checked: list[CheckedDraft], briefs: list[Any], channel: str, language: str
) -> ToolOutput:
    """The drafts as a table, a short text for the model and structured data."""
    parts = CHANNEL_PARTS[channel]
    rows = []
    for item in checked:
        row = {
            "segment": item.draft.segment,
            "channel": item.draft.channel,
            "variant": item.draft.variant,
        }
        row |= {p: item.draft.parts.get(p, "") for p in parts}
        row["checks_passed"] = item.passed
        row["failed_checks"] = ", ".join(c.name for c in item.failed())
        rows.append(row)
    frame = pd.DataFrame(rows)
    passed = sum(item.passed for item in checked)
    title = f"{channel} copy drafts ({language}), {len(checked)} drafts"
    lines = [f"{title}; {passed} pass every check."]
    for item in checked:
        text = " | ".join(f"{k}: {v}" for k, v in item.draft.parts.items())
        status = "ok" if item.passed else "FAILED " + "; ".join(c.detail for c in item.failed())
        lines.append(f"- {item.draft.segment} v{item.draft.variant} [{status}]: {text}")
    segments = [
        {
            "segment": b.segment.name,
            "size": b.segment.size,
            "strategy": b.segment.strategy,
            "action": b.segment.action,
            "products": [p.name for p in b.products],
        }
        for b in briefs
    ]
    data = {
        "channel": channel,
        "language": language,
        "segments": segments,
        "drafts": [item.to_json() for item in checked],
        "passed": passed,
        "total": len(checked),
    }
    return ToolOutput(
        for_model="\n".join(lines),
        artifacts=[TableArtifact(title=title, frame=frame)],
        data=data,
    )
