"""`ab_test` and `ab_sample_size`: significance of A/B tests (store campaigns or counts the
user gives) and the size they need."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import Field

from knowledge.presentation import N_
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    in_language,
    listed,
    quoted,
    table_preview,
    titled,
)
from tools.experiments.observed import ObservedCounts, observed_campaign
from tools.experiments.proportions import (
    Comparison,
    chi_square,
    compare,
    needed_per_variant,
)
from tools.experiments.table import EVENT_NAMES, RATE_NAMES, ab_table, rate_interval, table_formats
from tools.experiments.variant_counts import (
    COUNTS_ONLY,
    LOWER_IS_BETTER,
    AbCampaign,
    Metric,
    ab_campaigns,
    count_variants,
    match_campaigns,
)
from tools.experiments.verdicts import chi_verdict, need_text, p_text, verdict

# The verdict sentences moved to tools.experiments.verdicts; these two stay importable here.
__all__ = ["ab_sample_size", "ab_test", "need_text", "p_text", "rate_interval"]

_AB_TITLES = {
    "conversion": N_("A/B test: conversion rate by variant (alpha = {alpha})"),
    "ctr": N_("A/B test: CTR by variant (alpha = {alpha})"),
    "open_rate": N_("A/B test: open rate by variant (alpha = {alpha})"),
    "unsubscribe_rate": N_("A/B test: unsubscribe rate by variant (alpha = {alpha})"),
    "return_rate": N_("A/B test: return rate by variant (alpha = {alpha})"),
    "click_to_open": N_("A/B test: click-to-open rate by variant (alpha = {alpha})"),
}
VERDICT_RULE = (
    "significant when the confidence interval excludes no difference (0 for the "
    "difference in rates, 1 for the odds ratio), which for the test used is the same as "
    "p < alpha; z-test with the score interval, or Fisher's exact test with the exact "
    "odds-ratio interval when any expected cell count is below 5"
)


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
        Metric,
        Field(
            description="What to compare: conversion rate, click-through rate, open rate, "
            "unsubscribe rate (unsubscribes / delivered; lower is better), click-to-open rate "
            "(click_to_open: clicks / opens) or, for the user's "
            "counts only, return rate (returns / orders; lower is better)."
        ),
    ] = "conversion",
    alpha: Annotated[
        float, Field(description="Significance level of the two-sided tests, e.g. 0.05.")
    ] = 0.05,
    variant: Annotated[
        str | None,
        Field(
            description="Only this variant of the campaign (e.g. 'A'), against the control "
            "(the control against every other variant). Empty: all variants."
        ),
    ] = None,
    counts: Annotated[
        list[ObservedCounts] | None,
        Field(
            description="Counts the user gives for a test run elsewhere (an email platform, an "
            "ad account, a web tool), instead of a store campaign: one entry per variant, the "
            "control first, each with trials (visitors / recipients / delivered) and events "
            "(conversions / clicks / opens, as `metric` says). E.g. 'A: 1000 visitors, 50 "
            "conversions; B: 1000 visitors, 65 conversions' -> [{variant: A, trials: 1000, "
            "events: 50}, {variant: B, trials: 1000, events: 65}]. Only numbers the user "
            "stated; never with `campaign` or `variant`. A rate without its size cannot be "
            "tested: ask the user for the sizes."
        ),
    ] = None,
    latest: Annotated[
        bool,
        Field(
            description="Only the most recent A/B campaign (the latest start date in the "
            "store), e.g. for 'our last A/B test'; the answer names it. Not with `counts`."
        ),
    ] = False,
) -> ToolOutput:
    """Analyse a campaign A/B test: which variant wins, by how much, and is it significant.

    Per variant: delivered messages, events (conversions = messages with an
    attributed order; clicks; opens) and the rate over delivered messages. The
    first variant is the control; every other variant gets the absolute and
    relative lift, a p-value and the confidence interval that matches the test:
    the two-sided pooled two-proportion z-test with the score interval of the
    difference, or, when any expected cell count is below 5, Fisher's exact test
    with the exact interval of the odds ratio. A difference is significant when
    that interval excludes no difference (the same as p < alpha). With 3+ variants
    also a chi-square test across all of them (pairwise p-values are not adjusted).
    A test short of the size that detects its observed lift with 80% power says
    how many more delivered messages it needs. Campaigns are matched by id, name or
    a close spelling of the name; each campaign is analysed on its own, never pooled.
    With `counts` (numbers the user gives, e.g. from an email platform) the same
    analysis runs on those numbers instead of the store's campaigns.
    """
    if not 0 < alpha < 1:
        raise ToolError.of(
            "alpha must be between 0 and 1 (exclusive), got {alpha}", alpha=str(alpha)
        )
    if metric not in EVENT_NAMES:
        raise ToolError.of(
            "metric must be one of {metrics}, got {metric}",
            metrics=listed(EVENT_NAMES),
            metric=quoted(metric),
        )
    if counts is not None:
        if (campaign and campaign.strip()) or (variant and variant.strip()) or latest:
            raise ToolError.of(
                "Give either counts (numbers from the user) or campaign / variant (a store "
                "campaign), not both."
            )
        return _counts_output(observed_campaign(counts), metric, alpha)
    if metric in COUNTS_ONLY:
        raise ToolError.of(
            "The store's campaign messages record no {events}, so a store campaign cannot be "
            "tested on them; give the counts per variant instead.",
            events=EVENT_NAMES[metric],
        )
    campaigns = ab_campaigns(ctx)
    if campaigns.empty:
        raise ToolError.of("The store has no campaign with two or more variants, so no A/B test.")
    if campaign is not None and campaign.strip():
        chosen = match_campaigns(campaigns, campaign)
        if len(chosen) != 1:
            listing = "; ".join(f"{r.campaign_id} {r.name}" for r in campaigns.itertuples())
            problem = (
                in_language(
                    N_("{campaign} matches {count} A/B campaigns"),
                    campaign=quoted(campaign),
                    count=len(chosen),
                )
                if len(chosen)
                else in_language(
                    N_("No A/B campaign matches {campaign}"), campaign=quoted(campaign)
                )
            )
            raise ToolError.of(
                "{problem}. Campaigns with variants: {listing}", problem=problem, listing=listing
            )
        campaigns = chosen
    preface = ""
    if latest:
        # ab_campaigns lists them oldest first: the last one started most recently.
        campaigns = campaigns.tail(1)
        row = campaigns.iloc[0]
        preface = (
            f"The most recent A/B campaign in the store: {row['name']} ({row['campaign_id']}), "
            f"{_day(row['start_date'])} to {_day(row['end_date'])}."
        )
    counted = count_variants(ctx, campaigns, metric)
    if variant is not None and variant.strip():
        counted = [_only_variant(c, variant.strip()) for c in counted]
    results = [_analyse(c, metric, alpha) for c in counted]
    chosen_variant = variant.strip() if variant and variant.strip() else None
    output = _output(results, metric, alpha, variant=chosen_variant, preface=preface)
    if latest:
        row = campaigns.iloc[0]
        output.data["latest"] = {
            "campaign_id": str(row["campaign_id"]),
            "name": str(row["name"]),
            "start": _day(row["start_date"]),
            "end": _day(row["end_date"]),
        }
    return output


def _day(value: Any) -> str:
    """A campaign's date as YYYY-MM-DD (stores give a date, a datetime or a string)."""
    return str(value)[:10]


def _counts_output(counted: AbCampaign, metric: Metric, alpha: float) -> ToolOutput:
    """The analysis of counts the user gave, restated first so the answer shows whose they are."""
    result = _analyse(counted, metric, alpha, user_counts=True)
    given = "; ".join(
        f"{v['variant']}: {v['events']:,} {EVENT_NAMES[metric]} of {v['delivered']:,} "
        f"({v['rate']:.1%})"
        for v in result["variants"]
    )
    preface = f"Your numbers, as given (not from the store's campaigns): {given}."
    return _output([result], metric, alpha, variant=None, preface=preface)


def _output(
    results: list[dict[str, Any]],
    metric: Metric,
    alpha: float,
    variant: str | None,
    preface: str = "",
) -> ToolOutput:
    """The analysed tests as text for the model, a table with a chart, and data for writers.

    `data["source"]` is "counts" when the numbers are the user's (one result without a
    campaign id or name), "store" for store campaigns.
    """
    user_counts = bool(results) and results[0]["campaign_id"] is None
    frame = ab_table(results, metric, alpha)
    title = f"A/B test: {RATE_NAMES[metric].replace('_', ' ')} by variant (alpha = {alpha:g})"
    verdicts = [v for r in results for v in r["verdicts"]]
    head = f"{preface}\n" if preface else ""
    text = f"{head}{title}\n{table_preview(frame)}\n" + "\n".join(verdicts)
    data: dict[str, Any] = {
        "metric": metric,
        "alpha": alpha,
        "source": "counts" if user_counts else "store",
        "variant": variant,
        "tests": sorted({c["test"] for r in results for c in r["comparisons"] if c["test"]}),
        "verdict_rule": VERDICT_RULE,
        "campaigns": results,
        "verdicts": verdicts,
        "lower_is_better": metric in LOWER_IS_BETTER,
    }
    if user_counts:
        data["counts"] = [
            {"variant": v["variant"], "trials": v["delivered"], "events": v["events"]}
            for v in results[0]["variants"]
        ]
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(_AB_TITLES[metric], alpha=format(alpha, "g")),
                frame=frame,
                chart="bar",
                # The rate per variant with its interval as error bars; counts and
                # p-values stay in the table.
                chart_values=(RATE_NAMES[metric],),
                formats=table_formats(metric),
            )
        ],
        data=data,
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
        raise ToolError.of(
            "variants must be at least 2 (control included), got {variants}", variants=variants
        )
    if minimum_detectable_effect == 0:
        raise ToolError.of("minimum_detectable_effect must not be 0")
    target = (
        baseline_rate * (1 + minimum_detectable_effect)
        if relative
        else baseline_rate + minimum_detectable_effect
    )
    if not 0 < target < 1:
        # The arguments are echoed as the model gave them (fractions, `g` format), so it
        # can see which one to correct.
        raise ToolError.of(
            "baseline {baseline} with effect {effect} ({kind}) gives a rate of {target}, "
            "outside (0, 1)",
            baseline=format(baseline_rate, "g"),
            effect=format(minimum_detectable_effect, "g"),
            kind=in_language(N_("relative") if relative else N_("absolute")),
            target=format(target, "g"),
        )
    per_comparison = alpha / (variants - 1)
    n = needed_per_variant(baseline_rate, target, per_comparison, power)
    if n is None:
        raise ToolError.of("the effect is too small to size a test for")
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
        raise ToolError.of(
            "{name} must be a fraction strictly between 0 and 1, got {value}",
            name=name,
            value=str(value),
        )


def _analyse(
    campaign: AbCampaign, metric: Metric, alpha: float, user_counts: bool = False
) -> dict[str, Any]:
    """Counts, comparisons with the control, chi-square and verdicts of one campaign (or of
    the user's counts: no id or name, and sizes in the unit the user gave)."""
    control, *others = campaign.variants
    comparisons = [compare(control, other, alpha) for other in others]
    chi = chi_square(list(campaign.variants), alpha) if len(campaign.variants) >= 3 else None
    verdicts = [verdict(c, metric, alpha, user_counts) for c in comparisons]
    if len(campaign.variants) >= 3:
        verdicts.append(chi_verdict(chi, len(campaign.variants), alpha))
    prefix = "" if user_counts else f"{campaign.name} ({campaign.campaign_id}): "
    return {
        "campaign_id": None if user_counts else campaign.campaign_id,
        "name": None if user_counts else campaign.name,
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
        "comparisons": [{**c.__dict__, "more_needed": c.more_needed} for c in comparisons],
        "chi_square": chi.__dict__ if chi else None,
        "winner": _winner(comparisons, control.variant, lower_is_better=metric in LOWER_IS_BETTER),
        "verdicts": [prefix + v for v in verdicts],
    }


def _only_variant(campaign: AbCampaign, wanted: str) -> AbCampaign:
    """The campaign with only `wanted` and the control (all variants when `wanted` is the control)."""
    names = [v.variant for v in campaign.variants]
    match = next((n for n in names if n.lower() == wanted.lower()), None)
    if match is None:
        raise ToolError.of(
            "{campaign} ({campaign_id}) has no variant {wanted}; its variants: {variants}.",
            campaign=campaign.name,
            campaign_id=campaign.campaign_id,
            wanted=quoted(wanted),
            variants=listed(names),
        )
    control = campaign.variants[0]
    if match == control.variant:
        return campaign
    kept = (control, *[v for v in campaign.variants if v.variant == match])
    return AbCampaign(campaign.campaign_id, campaign.name, kept)


def _winner(
    comparisons: list[Comparison], control: str, *, lower_is_better: bool = False
) -> str | None:
    """The significantly best variant; the control when every other is significantly worse.
    For a loss (unsubscribes, returns) the best is the lowest rate."""
    sign = -1 if lower_is_better else 1
    better = [c for c in comparisons if c.significant and sign * (c.absolute_lift or 0) > 0]
    if better:
        return max(better, key=lambda c: sign * (c.rate or 0)).variant
    if comparisons and all(
        c.significant and sign * (c.absolute_lift or 0) < 0 for c in comparisons
    ):
        return control
    return None
