"""The sentences of an A/B test's verdicts: which test, the interval, the p-value and, for
a test short of its size, how many more it needs. The model reads them in English; the
offline planner writes Chinese from the same comparison numbers."""

from __future__ import annotations

from tools.experiments.proportions import ChiSquare, Comparison
from tools.experiments.variant_counts import LOWER_IS_BETTER, Metric

_VERBS = {
    "conversion": "converts",
    "ctr": "gets clicked",
    "open_rate": "gets opened",
    "click_to_open": "gets clicked once opened",
}
_LOSSES = {"unsubscribe_rate": "unsubscribe rate", "return_rate": "return rate"}
_VERDICT_POWER = 0.8


def verdict(c: Comparison, metric: Metric, alpha: float, user_counts: bool = False) -> str:
    level = f"{alpha * 100:g}%"
    if c.rate is None or c.control_rate is None:
        return f"{c.variant} vs {c.control}: not testable (a variant has no delivered messages)"
    rates = f"{c.rate:.1%} vs {c.control_rate:.1%}"
    if c.p_value is None:
        return f"{c.variant} vs {c.control}: not testable ({rates}: no variation in outcomes)"
    evidence = f"{rates}; {test_text(c)}, {p_text(c.p_value)}; {interval_text(c, alpha)}"
    points = abs(c.absolute_lift or 0) * 100
    direction = "better" if (c.absolute_lift or 0) > 0 else "worse"
    if c.significant and metric in LOWER_IS_BETTER:
        # A loss (unsubscribes, returns): the higher rate is the worse variant.
        higher = (c.absolute_lift or 0) > 0
        return (
            f"{c.variant}'s {_LOSSES[metric]} is {points:.1f} points "
            f"{'higher' if higher else 'lower'} than {c.control}'s, so {c.variant} is "
            f"{'worse' if higher else 'better'} (lower is better) ({evidence}): significant at "
            f"{level}"
        )
    if c.significant:
        return (
            f"{c.variant} {_VERBS[metric]} {points:.1f} points {direction} than {c.control} "
            f"({evidence}): significant at {level}"
        )
    need = need_text(c, user_counts)
    return f"{c.variant} vs {c.control}: no significant difference at {level} ({evidence}){need}"


def test_text(c: Comparison) -> str:
    """Which test was used, and why when it is the exact one."""
    if c.ci_of == "odds ratio":
        return f"an expected count is below 5 ({c.min_expected:.1f}), so Fisher's exact test"
    return "z-test"


def interval_text(c: Comparison, alpha: float) -> str:
    """The interval the verdict rests on, and whether it holds 'no difference'."""
    level = f"{(1 - alpha) * 100:g}%"
    if c.ci_low is None or c.ci_high is None:
        return ""
    if c.ci_of == "odds ratio":
        holds = "includes" if c.ci_low <= 1 <= c.ci_high else "excludes"
        return f"{level} CI of the odds ratio {_ratio(c.ci_low)} to {_ratio(c.ci_high)} ({holds} 1)"
    holds = "includes" if c.ci_low <= 0 <= c.ci_high else "excludes"
    return (
        f"{level} CI of the difference {c.ci_low * 100:+.1f} to {c.ci_high * 100:+.1f} points "
        f"({holds} 0)"
    )


def need_text(c: Comparison, user_counts: bool = False) -> str:
    """How many delivered messages (or, for the user's counts, units of those counts) a test
    short of its needed size still needs."""
    if c.more_needed is None or c.needed_per_variant is None:
        return ""
    kind = "lift" if (c.absolute_lift or 0) > 0 else "difference"
    if user_counts:
        return (
            f"; to detect a {kind} of this size with {_VERDICT_POWER:.0%} power it needs about "
            f"{c.needed_per_variant:,} per variant (in the unit of your counts: visitors, "
            f"recipients ...): {c.more_needed:,} more per variant"
        )
    return (
        f"; to detect a {kind} of this size with {_VERDICT_POWER:.0%} power it needs about "
        f"{c.needed_per_variant:,} delivered messages per variant: {c.more_needed:,} more sends "
        "per variant"
    )


def _ratio(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.2f}"


def chi_verdict(chi: ChiSquare | None, k: int, alpha: float) -> str:
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
