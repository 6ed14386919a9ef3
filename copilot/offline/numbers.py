"""Rates written in a question, read once for every intent: 18%, 0.18, 1.5 个百分点, +0.5pp.

The sample-size reader needs a baseline and a target (or an effect), and the
two are easy to swap: "Our open rate is 18% ... detect a drop to 15%" has the
baseline first, "detect a 15% relative uplift over a 2% baseline" has it
last. `read_rate_change` reads the role of each number from the words around
it ("over a ... baseline", "from ... to ...", "relative", "percentage points"),
never from its position alone.

Shared API (the A/B intent adopts it): `read_rate_change(text) -> RateChange | None`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.lazy_regex import lazy_compile

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# A number: 18%, 18 %, 18 percent, 0.18, .5, 百分之十八 is not handled (rare in practice).
_NUM = r"(?P<n>\d+(?:\.\d+)?|\.\d+)\s*(?P<u>%|percent\b|per cent\b|pp\b|percentage points?\b|points?\b|个百分点|百分点)?"
_NUMBER = lazy_compile(_NUM, re.I)


@dataclass(frozen=True)
class Rate:
    """One rate found in the text: its value as a fraction, its unit kind and position."""

    value: float  # fraction (0.18 for 18%); for points, the absolute difference (0.005)
    kind: str  # "percent", "fraction" (0.18 written plainly) or "points"
    start: int
    end: int


@dataclass(frozen=True)
class RateChange:
    """A baseline rate and the change to detect: either a target rate or a relative effect.

    `baseline` and `target` are fractions; `relative_effect` is a fraction of the
    baseline (0.15 for "15% relative"). Exactly one of target / relative_effect is set.
    """

    baseline: float
    target: float | None = None
    relative_effect: float | None = None

    @property
    def absolute_effect(self) -> float:
        """target - baseline, as a fraction (negative for a drop)."""
        if self.target is not None:
            return self.target - self.baseline
        return self.baseline * (self.relative_effect or 0.0)


def rates_in(text: str) -> list[Rate]:
    """Every rate-like number: with %, "percent", points, or a plain fraction below 1."""
    found = []
    for match in _NUMBER.finditer(text.translate(_CN_DIGITS)):
        number, unit = float(match.group("n")), (match.group("u") or "").lower()
        if unit in ("%", "percent", "per cent"):
            found.append(Rate(number / 100, "percent", match.start(), match.end()))
        elif unit:
            found.append(Rate(number / 100, "points", match.start(), match.end()))
        elif 0 < number < 1:
            found.append(Rate(number, "fraction", match.start(), match.end()))
    return found


_RELATIVE_AFTER = lazy_compile(r"^\s*(?:relative|rel\.?|相对)|^\s*(?:的)?相对", re.I)
_RELATIVE_BEFORE = lazy_compile(
    r"(?:relative|相对)\s*(?:uplift|lift|increase|change|提升)?\s*(?:of\s*)?$", re.I
)
_BASELINE_BEFORE = lazy_compile(
    r"(?:baseline|base rate|currently|current|now|today|is|are|at|of|from|on|over"
    r"|基线|目前|现在|当前|大概|是|从)"
    r"[^0-9%]{0,25}$",
    re.I,
)
# "a 10% lift on 3%": a rate right before a lift word is the effect (relative, as usual).
# Not "3% 提升 0.5个百分点" / "3% lift by 1 point", where the lift word leads the effect.
_EFFECT_AFTER = lazy_compile(
    r"^\s*(?:lift|uplift|increase|improvement|boost|gain|的提升|提升|提高|增长)"
    r"(?!\s*(?:of|by|to|为|了|到|至)?\s*[0-9.])",
    re.I,
)
_BASELINE_AFTER = lazy_compile(r"^\s*(?:baseline|base rate|基线)", re.I)
_TARGET_BEFORE = lazy_compile(
    r"(?:\bto|到|至|提到|降到|提高到|提升到|涨到|变成)\s*(?:about|around|约)?\s*$", re.I
)
_MDE_BEFORE = lazy_compile(
    r"(?:mde|effect|uplift|lift|increase|提升|提高|变化)\s*(?:of|by|=|:|为|是)?\s*$", re.I
)


_SETTING_BEFORE = lazy_compile(
    r"(?:power|alpha|significance(?: level)?|confidence(?: level)?|功效|显著性水平|显著性|置信度|置信水平)"
    r"\s*(?:of|at|=|:|为|是)?\s*$",
    re.I,
)
_SETTING_AFTER = lazy_compile(r"^\s*(?:power|confidence|significance|功效|置信)", re.I)


def read_rate_change(text: str) -> RateChange | None:
    """The baseline and the change to detect in a sample-size question, or None.

    Rules, in order: a rate marked "relative" is the relative effect; a rate
    after "to"/"到" is the target; points ("+0.5pp", "1个百分点") are an absolute
    effect; a rate near "baseline"/"currently"/"is"/"目前" is the baseline; with
    two plain rates left, "from A to B" order applies. None when no baseline is
    identified, so a caller asks rather than guesses.
    """
    plain = text.translate(_CN_DIGITS)
    rates = rates_in(text)
    baseline = target = relative = points = None
    for rate in rates:
        before, after = plain[: rate.start], plain[rate.end :]
        if _SETTING_BEFORE.search(before) or _SETTING_AFTER.search(after):
            continue  # power, significance level and confidence are test settings, not rates
        if rate.kind == "points":
            points = rate.value
        elif _RELATIVE_AFTER.search(after) or _RELATIVE_BEFORE.search(before):
            relative = rate.value
        elif _TARGET_BEFORE.search(before):
            target = rate.value
        elif _EFFECT_AFTER.search(after) or _MDE_BEFORE.search(before):
            relative = rate.value
        elif _BASELINE_AFTER.search(after) or (
            baseline is None and _BASELINE_BEFORE.search(before)
        ):
            baseline = rate.value
        elif baseline is None:
            baseline = rate.value
        elif target is None:
            target = rate.value
    if baseline is None:
        return None
    if target is not None:
        return RateChange(baseline=baseline, target=target)
    if points is not None:
        sign = -1 if re.search(r"drop|decrease|fall|下降|降低|减少", plain, re.I) else 1
        return RateChange(baseline=baseline, target=baseline + sign * points)
    if relative is not None:
        return RateChange(baseline=baseline, relative_effect=relative)
    return None


# --- counts written in a question: 1,000, 1000, 1.5k, 2万, 1w, 一千, and rates beside them ---

_CN_MAGNITUDE = {"千": 1_000, "k": 1_000, "万": 10_000, "w": 10_000}
_COUNT = lazy_compile(
    # An ordinal ("the 2nd") is no count.
    r"(?<![0-9A-Za-z.])(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)(?!st\b|nd\b|rd\b|th\b)"
    r"(?:\s*(?P<m>[千万]|[kKwW](?![A-Za-z])))?"
    r"(?P<pct>\s*(?:%|percent\b|per cent\b))?"
    r"|(?P<cn>[一二两三四五六七八九十]{1,3})(?P<cm>[千万])"
)


@dataclass(frozen=True)
class Count:
    """A number written in a question: `value` as written (a rate as a fraction when
    `rate`), and its span in the text. "1,000" -> 1000; "1.5k" -> 1500; "2万" -> 20000."""

    value: float
    rate: bool
    start: int
    end: int

    @property
    def whole(self) -> int | None:
        """The value as a whole number, None when it is a rate or has a fraction."""
        if self.rate or self.value != int(self.value):
            return None
        return int(self.value)


def counts_in(text: str) -> list[Count]:
    """Every number of the text with its magnitude word (k, 千, 万), in order of position.

    Percentages ("5%", "6.5 percent") are rates (fractions); everything else keeps
    its value. A digit glued to Latin letters ("CMP010", "Q4", "h5") is no count.
    """
    found = []
    for match in _COUNT.finditer(text):
        if match.group("cn"):
            from knowledge.time_ranges.numerals import cn_to_int

            value = float(cn_to_int(match.group("cn")) * _CN_MAGNITUDE[match.group("cm")])
            found.append(Count(value, False, match.start(), match.end()))
            continue
        end = match.end()
        value = float(match.group("n").replace(",", ""))
        magnitude = (match.group("m") or "").lower()
        if match.group("pct"):
            found.append(Count(value / 100, True, match.start(), end))
            continue
        if magnitude:
            value *= _CN_MAGNITUDE[magnitude]
        found.append(Count(round(value, 6), False, match.start(), end))
    return found
