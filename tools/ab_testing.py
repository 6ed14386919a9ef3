"""`ab_test` and `ab_sample_size`: significance of campaign A/B tests and the size they need."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field

from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview
from tools.experiments.proportions import (
    ChiSquare,
    Comparison,
    chi_square,
    compare,
    needed_per_variant,
)
from tools.experiments.variant_counts import (
    AbCampaign,
    Metric,
    ab_campaigns,
    count_variants,
    match_campaigns,
)

EVENT_NAMES = {"conversion": "conversions", "ctr": "clicks", "open_rate": "opens"}
RATE_NAMES = {"conversion": "conversion_rate", "ctr": "ctr", "open_rate": "open_rate"}
_VERBS = {"conversion": "converts", "ctr": "gets clicked", "open_rate": "gets opened"}
_VERDICT_POWER = 0.8


def ab_test(
    ctx: ToolContext,
    campaign: Annotated[
        str | None,
        Field(
            description="Campaign id or (part of) its name, case-insensitive, e.g. 'CMP010' or "
            "'spring festival 2026'. Empty: every campaign with two or more variants."
        ),
    ] = None,
    metric: Annotated[
        Literal["conversion", "ctr", "open_rate"],
        Field(description="What to compare: conversion rate, click-through rate or open rate."),
    ] = "conversion",
    alpha: Annotated[
        float, Field(description="Significance level of the two-sided tests, e.g. 0.05.")
    ] = 0.05,
) -> ToolOutput:
    """Analyse a campaign A/B test: which variant wins, by how much, and is it significant.

    Per variant: delivered messages, events (conversions = messages with an
    attributed order; clicks; opens) and the rate over delivered messages. The
    first variant is the control; every other variant gets the absolute and
    relative lift, a Newcombe (hybrid score) confidence interval of the
    difference in proportions, and the p-value of a two-sided pooled
    two-proportion z-test; with 3+ variants also a chi-square test of
    independence across all of them (pairwise p-values are not adjusted).
    When a difference is not significant, the verdict says how many delivered
    messages per variant would detect a lift of that size with 80% power.
    Messages, not customers, are the unit, as in the campaign metrics.
    """
    if not 0 < alpha < 1:
        raise ToolError(f"alpha must be between 0 and 1 (exclusive), got {alpha}")
    if metric not in EVENT_NAMES:
        raise ToolError(f"metric must be one of {', '.join(EVENT_NAMES)}, got {metric!r}")
    campaigns = ab_campaigns(ctx)
    if campaigns.empty:
        raise ToolError("The store has no campaign with two or more variants, so no A/B test.")
    if campaign is not None and campaign.strip():
        chosen = match_campaigns(campaigns, campaign)
        if len(chosen) != 1:
            listing = "; ".join(f"{r.campaign_id} {r.name}" for r in campaigns.itertuples())
            problem = (
                f"{campaign!r} matches {len(chosen)} A/B campaigns"
                if len(chosen)
                else f"No A/B campaign matches {campaign!r}"
            )
            raise ToolError(f"{problem}. Campaigns with variants: {listing}")
        campaigns = chosen
    results = [_analyse(c, metric, alpha) for c in count_variants(ctx, campaigns, metric)]
    frame = _table(results, metric)
    title = f"A/B test: {RATE_NAMES[metric].replace('_', ' ')} by variant (alpha = {alpha:g})"
    verdicts = [v for r in results for v in r["verdicts"]]
    text = f"{title}\n{table_preview(frame)}\n" + "\n".join(verdicts)
    return ToolOutput(
        for_model=text,
        artifacts=[TableArtifact(title=title, frame=frame, chart="bar")],
        data={
            "metric": metric,
            "alpha": alpha,
            "test": "two-sided pooled two-proportion z-test",
            "ci_method": "newcombe",
            "campaigns": results,
            "verdicts": verdicts,
        },
    )


def ab_sample_size(
    ctx: ToolContext,
    baseline_rate: Annotated[
        float, Field(description="Current rate of the control as a fraction, e.g. 0.03 for 3%.")
    ],
    minimum_detectable_effect: Annotated[
        float,
        Field(
            description="Smallest lift worth detecting: relative (0.10 = +10% of the baseline) "
            "or, with relative=false, absolute (0.01 = +1 percentage point)."
        ),
    ],
    relative: Annotated[
        bool, Field(description="Whether the effect is relative to the baseline.")
    ] = True,
    alpha: Annotated[float, Field(description="Significance level (two-sided).")] = 0.05,
    power: Annotated[float, Field(description="Chance of detecting a real effect.")] = 0.8,
    variants: Annotated[int, Field(description="Number of variants, control included.")] = 2,
) -> ToolOutput:
    """Sample size per variant an A/B test needs to detect a given lift of a rate.

    Two-sided two-proportion test, normal approximation on Cohen's arcsine
    effect size (statsmodels NormalIndPower + proportion_effectsize). With more
    than two variants, each is compared with the control at alpha / (variants - 1)
    (Bonferroni).
    """
    _check_fraction("baseline_rate", baseline_rate)
    _check_fraction("alpha", alpha)
    _check_fraction("power", power)
    if variants < 2:
        raise ToolError(f"variants must be at least 2 (control included), got {variants}")
    if minimum_detectable_effect == 0:
        raise ToolError("minimum_detectable_effect must not be 0")
    target = (
        baseline_rate * (1 + minimum_detectable_effect)
        if relative
        else baseline_rate + minimum_detectable_effect
    )
    if not 0 < target < 1:
        raise ToolError(
            f"baseline {baseline_rate:g} with effect {minimum_detectable_effect:g} "
            f"({'relative' if relative else 'absolute'}) gives a rate of {target:g}, outside (0, 1)"
        )
    per_comparison = alpha / (variants - 1)
    n = needed_per_variant(baseline_rate, target, per_comparison, power)
    if n is None:
        raise ToolError("the effect is too small to size a test for")
    data: dict[str, Any] = {
        "baseline_rate": baseline_rate,
        "target_rate": target,
        "minimum_detectable_effect": minimum_detectable_effect,
        "relative": relative,
        "absolute_effect": target - baseline_rate,
        "relative_effect": (target - baseline_rate) / baseline_rate,
        "alpha": alpha,
        "alpha_per_comparison": per_comparison,
        "power": power,
        "variants": variants,
        "per_variant": n,
        "total": n * variants,
        "method": "normal approximation, arcsine effect size (statsmodels NormalIndPower)",
    }
    text = (
        f"To detect {baseline_rate:.2%} -> {target:.2%} with power {power:g} at alpha "
        f"{alpha:g} (two-sided, {variants} variants): {n:,} per variant, {n * variants:,} in total."
    )
    return ToolOutput(for_model=text, data=data)


def _check_fraction(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0 < value < 1):
        raise ToolError(f"{name} must be a fraction strictly between 0 and 1, got {value}")


def _analyse(campaign: AbCampaign, metric: Metric, alpha: float) -> dict[str, Any]:
    """Counts, comparisons with the control, chi-square and verdicts of one campaign."""
    control, *others = campaign.variants
    comparisons = [compare(control, other, alpha) for other in others]
    chi = chi_square(list(campaign.variants), alpha) if len(campaign.variants) >= 3 else None
    verdicts = [_verdict(c, metric, alpha) for c in comparisons]
    if len(campaign.variants) >= 3:
        verdicts.append(_chi_verdict(chi, len(campaign.variants), alpha))
    prefix = f"{campaign.name} ({campaign.campaign_id}): "
    return {
        "campaign_id": campaign.campaign_id,
        "name": campaign.name,
        "control": control.variant,
        "variants": [
            {
                "variant": v.variant,
                "delivered": v.delivered,
                EVENT_NAMES[metric]: v.events,
                "events": v.events,
                "rate": v.rate,
            }
            for v in campaign.variants
        ],
        "comparisons": [c.__dict__ for c in comparisons],
        "chi_square": chi.__dict__ if chi else None,
        "winner": _winner(comparisons, control.variant),
        "verdicts": [prefix + v for v in verdicts],
    }


def _winner(comparisons: list[Comparison], control: str) -> str | None:
    """The significantly best variant; the control when every other is significantly worse."""
    better = [c for c in comparisons if c.significant and (c.absolute_lift or 0) > 0]
    if better:
        return max(better, key=lambda c: c.rate or 0).variant
    if comparisons and all(c.significant and (c.absolute_lift or 0) < 0 for c in comparisons):
        return control
    return None


def _verdict(c: Comparison, metric: Metric, alpha: float) -> str:
    level = f"{alpha * 100:g}%"
    if c.rate is None or c.control_rate is None:
        return f"{c.variant} vs {c.control}: not testable (a variant has no delivered messages)"
    rates = f"{c.rate:.1%} vs {c.control_rate:.1%}"
    if c.p_value is None:
        return f"{c.variant} vs {c.control}: not testable ({rates}: no variation in outcomes)"
    points = abs(c.absolute_lift or 0) * 100
    direction = "better" if (c.absolute_lift or 0) > 0 else "worse"
    if c.significant:
        return (
            f"{c.variant} {_VERBS[metric]} {points:.1f} points {direction} than {c.control} "
            f"({rates}, {p_text(c.p_value)}): significant at {level}"
        )
    need = (
        f"; it would need about {c.needed_per_variant:,} delivered messages per variant to "
        f"detect a {'lift' if (c.absolute_lift or 0) > 0 else 'difference'} of this size with {_VERDICT_POWER:.0%} power"
        if c.needed_per_variant
        else ""
    )
    return (
        f"{c.variant} vs {c.control}: no significant difference at {level} "
        f"({rates}, {p_text(c.p_value)}){need}"
    )


def _chi_verdict(chi: ChiSquare | None, k: int, alpha: float) -> str:
    if chi is None:
        return f"across all {k} variants: chi-square not testable"
    word = "significant" if chi.significant else "not significant"
    return (
        f"across all {k} variants: chi-square = {chi.chi2:.2f}, df = {chi.dof}, "
        f"{p_text(chi.p_value)}: {word} at {alpha * 100:g}%"
    )


def p_text(p: float) -> str:
    """A p-value as people read it: p < 0.001, p = 0.003, p = 0.41."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def _table(results: list[dict[str, Any]], metric: Metric) -> pd.DataFrame:
    rows = []
    for r in results:
        by_variant = {c["variant"]: c for c in r["comparisons"]}
        for v in r["variants"]:
            c = by_variant.get(v["variant"], {})
            rows.append(
                {
                    "campaign_id": r["campaign_id"],
                    "campaign": r["name"],
                    "variant": v["variant"],
                    "delivered": v["delivered"],
                    EVENT_NAMES[metric]: v["events"],
                    RATE_NAMES[metric]: v["rate"],
                    "absolute_lift": c.get("absolute_lift"),
                    "relative_lift": c.get("relative_lift"),
                    "ci_low": c.get("ci_low"),
                    "ci_high": c.get("ci_high"),
                    "p_value": c.get("p_value"),
                    "significant": c.get("significant"),
                }
            )
    return pd.DataFrame(rows)
