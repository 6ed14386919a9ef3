"""Statistics of proportions for A/B tests: z-test or exact test, a matching interval,
chi-square across variants, power.

Verdict rule (MARKETING.md): a comparison is significant when the interval shown
excludes "no difference" (0 for a difference, 1 for an odds ratio). Each test is
paired with the interval that inverts it (tools.experiments.exact), so this is the
same as p < alpha and the verdict can never contradict the interval.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from tools.experiments.exact import (
    MIN_EXPECTED,
    fisher_central_p,
    min_expected,
    odds_ratio_interval,
    score_interval,
    score_z,
)

# scipy and statsmodels load in the functions: importing them costs ~1.5 s of CPU
# on every start of the CLI, and most questions are not A/B tests.

Z_TEST = "two-sided pooled two-proportion z-test"
EXACT_TEST = "two-sided Fisher's exact test"


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
    """One variant against the control; `p_value` is None when no test is possible.

    `ci_of` says what the interval (`ci_low`, `ci_high`) is of: "difference" (the
    variant's rate minus the control's, with the z-test) or "odds ratio" (variant vs
    control, with Fisher's exact test, used when an expected cell count is below 5).
    """

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
    test: str | None = None
    ci_of: str | None = None
    odds_ratio: float | None = None
    min_expected: float | None = None
    delivered: int = 0
    control_delivered: int = 0

    @property
    def more_needed(self) -> int | None:
        """Delivered messages still missing in the smaller variant to reach the needed size."""
        if self.needed_per_variant is None:
            return None
        missing = self.needed_per_variant - min(self.delivered, self.control_delivered)
        return missing if missing > 0 else None


@dataclass(frozen=True)
class ChiSquare:
    """Chi-square test of independence of variant and outcome across all variants."""

    chi2: float
    dof: int
    p_value: float
    significant: bool


def compare(control: VariantCount, other: VariantCount, alpha: float) -> Comparison:
    """other vs control: z-test with the score interval of the difference, or, when any
    expected cell count is below MIN_EXPECTED, Fisher's exact test with the exact
    interval of the odds ratio. Significant = the interval excludes no difference."""
    from scipy.stats import norm

    rate, base = other.rate, control.rate
    sizes = {"delivered": other.delivered, "control_delivered": control.delivered}
    empty = Comparison(
        other.variant, control.variant, rate, base, None, None, None, None, None, None, False,
        None, **sizes,
    )  # fmt: skip
    if rate is None or base is None:
        return empty
    diff = rate - base
    relative = diff / base if base else None
    needed = needed_per_variant(base, rate, alpha, 0.8)
    events, trials = (other.events, control.events), (other.delivered, control.delivered)
    if sum(events) in (0, sum(trials)):
        # Pooled rate 0 or 1: the outcomes never vary; there is nothing to test.
        return Comparison(
            other.variant, control.variant, rate, base, diff, relative,
            None, None, None, None, False, needed, **sizes,
        )  # fmt: skip
    smallest = min_expected(events, trials)
    common = {
        "variant": other.variant,
        "control": control.variant,
        "rate": rate,
        "control_rate": base,
        "absolute_lift": diff,
        "relative_lift": relative,
        "needed_per_variant": needed,
        "min_expected": smallest,
        **sizes,
    }
    if smallest < MIN_EXPECTED:
        p_value = fisher_central_p(events, trials)
        ratio, low, high = odds_ratio_interval(events, trials, alpha)
        return Comparison(
            **common, ci_low=low, ci_high=high, z=None, p_value=p_value,
            significant=bool(low > 1 or high < 1), test=EXACT_TEST, ci_of="odds ratio",
            odds_ratio=ratio,
        )  # fmt: skip
    z = score_z(events, trials, 0.0)
    p_value = float(2 * norm.sf(abs(z)))
    low, high = score_interval(events, trials, alpha)
    return Comparison(
        **common, ci_low=low, ci_high=high, z=z, p_value=p_value,
        significant=bool(low > 0 or high < 0), test=Z_TEST, ci_of="difference",
    )  # fmt: skip


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
