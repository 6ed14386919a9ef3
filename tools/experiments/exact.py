"""Small-sample statistics for A/B tests: Fisher's exact test and its odds-ratio interval,
and the Farrington-Manning score interval of a difference in proportions.

Each test is paired with the interval that inverts it, so "the interval excludes
no difference" and "p < alpha" are the same statement:
- Fisher's exact test, two-sided by doubling the smaller one-sided p-value
  (the "central" p-value), with the conditional exact (Cornfield) interval of
  the odds ratio, which is {odds ratios whose one-sided tests both keep
  p >= alpha / 2} (scipy.stats.contingency.odds_ratio, kind="conditional");
- the pooled two-proportion z-test, which is the Farrington-Manning score test
  at a difference of 0, with the score interval {d : |z(d)| < z_(1 - alpha / 2)}
  (Farrington & Manning 1990, Stat Med 9:1447; Miettinen & Nurminen 1985 without
  their n / (n - 1) factor, which would break the match with the z-test).
"""

from __future__ import annotations

import math

# scipy loads inside the functions: importing it costs ~1 s of CPU on every start of
# the CLI, and most questions are not A/B tests.

# A cell count expected below this under "no difference" calls for an exact test
# (MARKETING.md; the usual rule of thumb for chi-square / z approximations).
MIN_EXPECTED = 5.0
_BISECTIONS = 100


def min_expected(events: tuple[int, int], trials: tuple[int, int]) -> float:
    """Smallest expected count of the 2 x 2 table (variants x event / no event) under H0.

    `events` and `trials` are (variant, control); expected = row total x column total / n.
    """
    n = sum(trials)
    hits = sum(events)
    return min(t * c / n for t in trials for c in (hits, n - hits))


def fisher_central_p(events: tuple[int, int], trials: tuple[int, int]) -> float:
    """Two-sided Fisher's exact p-value: twice the smaller one-sided p, at most 1.

    Conditional on the margins, the variant's events follow a hypergeometric law.
    """
    from scipy.stats import hypergeom

    (a, b), (n1, n2) = events, trials
    population, hits = n1 + n2, a + b
    lower = hypergeom.cdf(a, population, hits, n1)
    upper = hypergeom.sf(a - 1, population, hits, n1)
    return float(min(1.0, 2 * min(lower, upper)))


def odds_ratio_interval(
    events: tuple[int, int], trials: tuple[int, int], alpha: float
) -> tuple[float, float, float]:
    """(conditional ML odds ratio, low, high) of variant vs control; high may be inf."""
    from scipy.stats.contingency import odds_ratio

    (a, b), (n1, n2) = events, trials
    result = odds_ratio([[a, n1 - a], [b, n2 - b]], kind="conditional")
    interval = result.confidence_interval(confidence_level=1 - alpha)
    return float(result.statistic), float(interval.low), float(interval.high)


def score_z(events: tuple[int, int], trials: tuple[int, int], delta: float) -> float:
    """Farrington-Manning score statistic of H0: p_variant - p_control = delta.

    The variance uses the maximum-likelihood rates under H0 (closed form of the
    cubic in Farrington & Manning 1990); at delta = 0 they are the pooled rate, so
    the statistic is the pooled two-proportion z.
    """
    (x1, x2), (n1, n2) = events, trials
    p1, p2 = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
    c = delta**2 + delta * (2 * p1 + theta + 1) + p1 + theta * p2
    d = -p1 * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
    u = math.copysign(math.sqrt(max(b**2 / (9 * a**2) - c / (3 * a), 0.0)), v)
    ratio = 0.0 if u == 0 else max(-1.0, min(1.0, v / u**3))
    w = (math.pi + math.acos(ratio)) / 3
    q1 = min(max(2 * u * math.cos(w) - b / (3 * a), 0.0), 1.0)
    q2 = min(max(q1 - delta, 0.0), 1.0)
    variance = q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2
    gap = p1 - p2 - delta
    if variance <= 0:
        return 0.0 if gap == 0 else math.copysign(math.inf, gap)
    return gap / math.sqrt(variance)


def score_interval(
    events: tuple[int, int], trials: tuple[int, int], alpha: float
) -> tuple[float, float]:
    """Score interval of p_variant - p_control: where |score_z| < z_(1 - alpha / 2).

    Found by bisection on each side of the observed difference (the statistic
    falls as delta rises); a side that never reaches the critical value ends at -1 or 1.
    """
    from scipy.stats import norm

    (x1, x2), (n1, n2) = events, trials
    observed = x1 / n1 - x2 / n2
    critical = float(norm.ppf(1 - alpha / 2))

    def bound(outer: float, sign: float) -> float:
        # sign * score_z grows from 0 at the estimate to +inf towards `outer`.
        inner, far = observed, outer
        if sign * score_z(events, trials, far) < critical:
            return far
        for _ in range(_BISECTIONS):
            middle = (inner + far) / 2
            if sign * score_z(events, trials, middle) < critical:
                inner = middle
            else:
                far = middle
        return (inner + far) / 2

    return bound(-1.0, 1.0), bound(1.0, -1.0)
