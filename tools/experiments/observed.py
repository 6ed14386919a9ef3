"""Counts a user gives for an A/B test (from an email platform, an ad account, a web tool),
checked and turned into the same `AbCampaign` a store campaign gives.

A marketer often brings the numbers of a test run elsewhere ("A: 1,000 visitors, 50
conversions; B: 1,000 visitors, 65 conversions"); `ab_test(counts=...)` analyses
those with exactly the statistics of a store campaign (tools.experiments.proportions).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from tools.base import ToolError, quoted
from tools.experiments.proportions import VariantCount
from tools.experiments.variant_counts import AbCampaign

# Enough for any real test; a longer list is a mistake (a column pasted as variants).
MAX_VARIANTS = 26


class ObservedCounts(BaseModel):
    """One variant's counts as the user gave them."""

    variant: str = Field(
        description="The variant's name as the user wrote it, e.g. 'A', 'B', 'control', "
        "'new subject line'. The first variant listed is the control."
    )
    trials: int = Field(
        description="How many were exposed to this variant: visitors, recipients, delivered "
        "messages, sessions or impressions (a whole number > 0)."
    )
    events: int = Field(
        description="How many of those had the event: conversions (orders, sign-ups), clicks "
        "or opens (a whole number, 0 to trials)."
    )


def observed_campaign(counts: list[ObservedCounts | dict[str, Any]]) -> AbCampaign:
    """The user's counts as one AbCampaign (no id, no name); the first variant is the control.

    Raises ToolError (from the catalogue) for fewer than 2 variants, more than
    MAX_VARIANTS, a missing or repeated name, trials <= 0, negative events, or events
    above trials: each says which variant and what to fix.
    """
    if len(counts) < 2:
        raise ToolError.of(
            "counts needs at least two variants (the control first), got {count}",
            count=len(counts),
        )
    if len(counts) > MAX_VARIANTS:
        raise ToolError.of(
            "counts holds {count} variants; at most {limit} can be compared at once",
            count=len(counts),
            limit=MAX_VARIANTS,
        )
    variants: list[VariantCount] = []
    for position, item in enumerate(counts, start=1):
        one = _as_counts(item, position)
        name = one.variant.strip()
        if not name:
            raise ToolError.of(
                "variant {position} of counts has no name; name every variant (e.g. A, B)",
                position=position,
            )
        if name.lower() in {v.variant.lower() for v in variants}:
            raise ToolError.of(
                "variant {variant} appears twice in counts; give each variant once",
                variant=quoted(name),
            )
        if one.trials <= 0:
            raise ToolError.of(
                "variant {variant}: trials (visitors, recipients or deliveries) must be a whole "
                "number above 0, got {trials}",
                variant=quoted(name),
                trials=one.trials,
            )
        if one.events < 0:
            raise ToolError.of(
                "variant {variant}: events (conversions, clicks or opens) must not be negative, "
                "got {events}",
                variant=quoted(name),
                events=one.events,
            )
        if one.events > one.trials:
            raise ToolError.of(
                "variant {variant}: {events} events out of {trials} trials is impossible; events "
                "(conversions, clicks, opens) cannot exceed trials (visitors, recipients). Check "
                "which number is which.",
                variant=quoted(name),
                events=one.events,
                trials=one.trials,
            )
        variants.append(VariantCount(name, one.trials, one.events))
    return AbCampaign("", "", tuple(variants))


def _as_counts(item: ObservedCounts | dict[str, Any], position: int) -> ObservedCounts:
    """An entry as ObservedCounts (a plain dict when the tool is called as a function)."""
    if isinstance(item, ObservedCounts):
        return item
    try:
        return ObservedCounts.model_validate(item)
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        raise ToolError.of(
            "variant {position} of counts needs a name (variant) and whole numbers for trials "
            "and events; check {fields}",
            position=position,
            fields=", ".join(fields) or "its fields",
        ) from exc
