"""Statistics of proportions for A/B tests: z-test, Newcombe interval, chi-square, power."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

# scipy and statsmodels load in the functions: importing them costs ~1.5 s of CPU
# on every start of the CLI, and most questions are not A/B tests.


@dataclass(frozen=True)
class VariantCount:
    """Delivered messages of one variant and how many of them had the event."""

    variant: str
    delivered: int
    events: int

    @property
    def rate(self) -> float | None:
        """events / delivered, None when nothing was delivered."""
        return self.events / self.delivered if self.delivered else None


@dataclass(frozen=True)
class Comparison:
    """One variant against the control; `p_value` is None when no test is possible."""

    variant: str
    control: str
    rate: float | None
    control_rate: float | None
    absolute_lift: float | None
    relative_lift: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None
    significant: bool
    needed_per_variant: int | None


@dataclass(frozen=True)
class ChiSquare:
    """Chi-square test of independence of variant and outcome across all variants."""

    chi2: float
    dof: int
    p_value: float
    significant: bool


def compare(control: VariantCount, other: VariantCount, alpha: float) -> Comparison:
    """Two-sided pooled two-proportion z-test and Newcombe interval of other - control."""
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    rate, base = other.rate, control.rate
    empty = Comparison(
        other.variant, control.variant, rate, base, None, None, None, None, None, None, False, None
    )
    if rate is None or base is None:
        return empty
    diff = rate - base
    relative = diff / base if base else None
    low, high = confint_proportions_2indep(
        other.events,
        other.delivered,
        control.events,
        control.delivered,
        method="newcomb",
        compare="diff",
        alpha=alpha,
    )
    needed = needed_per_variant(base, rate, alpha, 0.8)
    events, delivered = other.events + control.events, other.delivered + control.delivered
    if events in (0, delivered):
        # Pooled rate 0 or 1: the z statistic is 0/0; there is nothing to test.
        return Comparison(
            other.variant, control.variant, rate, base, diff, relative,
            float(low), float(high), None, None, False, needed,
        )  # fmt: skip
    z, p_value = proportions_ztest(
        [other.events, control.events], [other.delivered, control.delivered]
    )
    return Comparison(
        variant=other.variant,
        control=control.variant,
        rate=rate,
        control_rate=base,
        absolute_lift=diff,
        relative_lift=relative,
        ci_low=float(low),
        ci_high=float(high),
        z=float(z),
        p_value=float(p_value),
        significant=bool(p_value < alpha),
        needed_per_variant=needed,
    )


def chi_square(counts: list[VariantCount], alpha: float) -> ChiSquare | None:
    """Chi-square test over the variants x (event, no event) table; None when degenerate."""
    from scipy.stats import chi2_contingency

    table = [[c.events, c.delivered - c.events] for c in counts if c.delivered]
    if len(table) < 2 or any(sum(col) == 0 for col in zip(*table, strict=True)):
        return None
    # Yates' correction only applies to 2x2 tables; scipy applies it there by default.
    result = chi2_contingency(table)
    return ChiSquare(
        chi2=float(result.statistic),
        dof=int(result.dof),
        p_value=float(result.pvalue),
        significant=bool(result.pvalue < alpha),
    )


def needed_per_variant(p1: float, p2: float, alpha: float, power: float) -> int | None:
    """Messages per variant for a two-sided test to detect p1 vs p2 with the given power.

    Normal approximation on Cohen's arcsine effect size h (statsmodels
    NormalIndPower); None when the two rates are equal (no size would do).
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    effect = float(proportion_effectsize(p2, p1))
    if effect == 0 or not math.isfinite(effect):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns on huge n from tiny effects
        n = NormalIndPower().solve_power(
            effect_size=abs(effect), alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
        )
    n = float(n)
    return math.ceil(n) if math.isfinite(n) else None
