"""`generate_copy`: grounded, checked marketing copy per segment and channel."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field

from knowledge.presentation import channel_name, in_each_language, ntr, segment_name, tr
from knowledge.presentation.values import labels_by_language, merge_labels
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, listed, quoted
from tools.copywriting.banned import find_banned
from tools.copywriting.brief import BriefExtras, BriefQuestion, KnowledgeBase, build_briefs
from tools.copywriting.model import CHANNEL_PARTS, CHANNELS, BrandRules
from tools.copywriting.pipeline import CheckedDraft, Writer, save_drafts, write_checked
from tools.copywriting.rules import load_brand_rules
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
    event: Annotated[
        str | None,
        Field(
            description="The occasion, as the marketer named it: 'Double 11', '618', '春节', "
            "'the Autumn Tea Festival'. Empty: none."
        ),
    ] = None,
    promo_code: Annotated[
        str | None, Field(description="Promo code to print exactly, e.g. 'TEAFEST15'. Empty: none.")
    ] = None,
    deadline: Annotated[
        str | None,
        Field(description="When the offer ends, as given: '11 November', '11月11日'. Empty: none."),
    ] = None,
    call_to_action: Annotated[
        str | None,
        Field(description="The marketer's own call to action, e.g. 'Shop the sale'. Empty: ours."),
    ] = None,
    claims: Annotated[
        list[str] | None,
        Field(
            description="Claims the marketer asked the copy to make, as said: 'we are the #1 "
            "brand'. An absolute claim the brand guideline forbids (最, 第一, '#1', 'best "
            "ever' ...) is left out of the drafts and reported back; any other claim is asked "
            "about like `unclear` (drafts state the store's facts only). Empty: none."
        ),
    ] = None,
    unclear: Annotated[
        list[str] | None,
        Field(
            description="Words of the request you could not place in the brief; when given, "
            "no copy is written and the marketer is asked about them."
        ),
    ] = None,
) -> ToolOutput:
    """Write marketing copy drafts per customer segment, grounded in the store's data.

    The brief carries everything the marketer said: occasion (event), offer,
    promo code, deadline, tone, call to action, product or category. Each draft
    uses the segment's facts and strategy, the catalogue's names and prices and
    the brief only; it is checked for the brief's offer, event, code and
    deadline, a call to action, category fit, channel length (SMS segments,
    push/ad limits), the SMS signature and opt-out, the email unsubscribe line,
    banned absolute claims (最, 第一, 'best ever', '#1'), ungrounded numbers,
    store text that reads like instructions, and personal data; repaired where
    possible and saved in copy_drafts. An offer without terms ('a discount') or
    unclear words get a question back instead of drafts; a claim asked for that the
    brand guideline forbids ('#1') is left out and reported in `dropped_claims`.
    """
    dropped = _forbidden_claims(claims or [])
    unclear = [*(unclear or []), *(c for c in claims or [] if c not in dropped)]
    if unclear:
        # The question goes to the marketer in the language they asked in, which the
        # tool does not know (`language` is the copy's): both are kept.
        asked = {lang: question_about(unclear, lang) for lang in ("en", "zh")}
        output = clarify_output(asked.get(language, asked["en"]), channel, language)
        output.data.update({f"clarify_{lang}": text for lang, text in asked.items()})
        return output
    remote = ctx.copy_writer is not None
    extras = BriefExtras(event, promo_code, deadline, call_to_action)
    try:
        checked, briefs = draft_copy(
            ctx, segments, channel, goal, product, offer, language, tone, variants,
            writer=ctx.copy_writer or write_with_templates,
            # A remote model writes segments concurrently; the guidelines go into its brief.
            max_workers=4 if remote else 1,
            knowledge=ctx.knowledge if remote else None,
            extras=extras,
        )  # fmt: skip
    except BriefQuestion as question:
        return clarify_output(str(question), channel, language)
    save_drafts(ctx.state_engine, checked, briefs)
    output = copy_output(checked, briefs, channel, language)
    if dropped:
        output.data["dropped_claims"] = [
            {"claim": claim, "terms": terms} for claim, terms in dropped.items()
        ]
        output.for_model += "\n" + "\n".join(
            f"Left out the claim {claim!r}: the brand guideline forbids absolute claims "
            f"({', '.join(terms)})."
            for claim, terms in dropped.items()
        )
    return output


def _forbidden_claims(claims: list[str]) -> dict[str, list[str]]:
    """The claims asked for that hold a claim the brand guideline forbids, with its words."""
    rules = load_brand_rules()
    found = {
        claim: [hit.text for hit in find_banned(claim, rules.banned_words)] for claim in claims
    }
    return {claim: terms for claim, terms in found.items() if terms}


def question_about(words: list[str], language: str) -> str:
    """The question naming the words of a request that no part of the brief could hold
    (English quotes them as Python strings do, `{quoted}`; Chinese in “” with 、, `{listed}`)."""
    return tr(
        language,
        "I could not place {quoted} in the brief: is it an occasion, a product, an offer or a "
        "tone? Tell me and I'll write the copy; I won't write it without.",
        quoted=", ".join(map(repr, words)),
        listed="、".join(f"“{w}”" for w in words),
    )


def clarify_output(question: str, channel: str, language: str) -> ToolOutput:
    """No drafts: the question the marketer must answer first."""
    return ToolOutput(
        for_model=f"No copy written; ask the marketer: {question}",
        data={"clarify": question, "channel": channel, "language": language},
    )


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
    extras: BriefExtras | None = None,
) -> tuple[list[CheckedDraft], list[Any]]:
    """Checked drafts and their briefs, written by `writer` (templates by default).

    A remote-model writer (`model_writer(chat_model)`) runs segments
    concurrently with `max_workers` > 1.
    """
    if channel not in CHANNELS:
        raise ToolError.of(
            "Unknown channel {channel}; use one of {channels}.",
            channel=quoted(channel),
            channels=listed(CHANNELS),
        )
    if not 1 <= variants <= MAX_VARIANTS:
        raise ToolError.of("variants must be between 1 and {maximum}.", maximum=MAX_VARIANTS)
    names = resolve_segments(ctx, segments)
    briefs = build_briefs(
        ctx.engine, names, channel, goal or DEFAULT_GOAL, product, offer, language, tone,
        variants, as_of=ctx.as_of, rules=rules, knowledge=knowledge, currency=ctx.currency,
        timeout_s=ctx.limits.query_timeout_s, extras=extras, state=ctx.state_engine,
    )  # fmt: skip
    briefs = [b for b in briefs if b.segment.size > 0]
    if not briefs:
        raise ToolError.of(
            "The segment(s) {names} have no customers; nothing to write.",
            names=listed(names, segment_name),
        )
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
        raise ToolError.of("Name at least one segment, or 'all' for every RFM segment.")
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
            "brief": {
                k: v
                for k, v in (
                    ("event", b.event),
                    ("offer", b.offer_text),
                    ("promo_code", b.promo_code),
                    ("deadline", b.deadline),
                    ("call_to_action", b.call_to_action),
                )
                if v
            },  # fmt: skip
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
        artifacts=[
            TableArtifact(
                title=title,
                frame=frame,
                titles=_draft_titles(channel, len(checked)),
                value_labels=merge_labels(
                    labels_by_language("segment", frame.get("segment", []), segment_name),
                    labels_by_language("channel", frame.get("channel", []), channel_name),
                ),
            )
        ],
        data=data,
    )


def _draft_titles(channel: str, count: int) -> dict[str, str]:
    """The drafts table's title in every answer language: "3 SMS drafts"."""
    return in_each_language(
        lambda language: ntr(
            language,
            "{count} {channel} draft",
            "{count} {channel} drafts",
            count,
            channel=channel_name(channel, language),
        )
    )
