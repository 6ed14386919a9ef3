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

import functools
import re
from dataclasses import dataclass

from knowledge.lazy_regex import lazy_compile
from knowledge.time_ranges.numerals import EN_WORDS, to_int

_CN_DIGITS = str.maketrans("〇零一二两三四五六七八九", "001223456789")  # 两 is two as well
# A number: 18%, 18 %, 18 percent, 3 pct, 0.18, .5 (百分之十八, 千分之八: _percent_words_in_digits).
# "2 pts", "1个点" (Chinese marketers' short form of 个百分点) are points too.
_NUM = (
    r"(?P<n>\d+(?:\.\d+)?|\.\d+)(?:-(?=p)|\s*)(?P<u>%|percent\b|per cent\b|pct\b|pp\b|percentage points?\b"
    r"|points?\b|pts?\b|个百分点|百分点|个千分点|千分点|个点|bps?\b|basis\s+points?\b|个基点|基点)?"
)
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
        if unit in ("%", "percent", "per cent", "pct"):  # "3 pct": percent, shorthand
            found.append(Rate(number / 100, "percent", match.start(), match.end()))
        elif unit.endswith("千分点"):  # "2个千分点": tenths of a point (0.2 points)
            found.append(Rate(number / 1_000, "points", match.start(), match.end()))
        elif unit.startswith(("bp", "basis")) or unit.endswith("基点"):
            # "50 bps", "30个基点": basis points, hundredths of a point (0.5 points)
            found.append(Rate(number / 10_000, "points", match.start(), match.end()))
        elif unit:
            found.append(Rate(number / 100, "points", match.start(), match.end()))
        elif 0 < number < 1:
            found.append(Rate(number, "fraction", match.start(), match.end()))
    return found


# "10% relative", "10%的相对提升": the word after a rate marks it, unless it leads a rate of
# its own ("8% 相对提升10%", "3% relative lift of 10%": 8% and 3% are the baselines).
_RELATIVE_AFTER = lazy_compile(
    r"^\s*(?:的)?(?:relative|rel\.?|相对)"
    r"(?!\s*(?:uplift|lift|increase|change|effect|mde|提升|提高|增长|增幅|变化)?\s*"
    r"(?:of|by|=|:|：|为|是|了|达到)?\s*[0-9.])",
    re.I,
)
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
    r"(?:mde|effect|uplift|lift|increase|提升|提高|变化)\s*(?:of|by|=|:|为|是|了)?\s*$", re.I
)


# "现在转化率5个点", "currently 3 points": a rate in points right after a word of today's level
# (and no change word between) is the baseline, not the change to detect.
_LEVEL_IN_POINTS = lazy_compile(
    r"(?:baseline|base rate|currently|current|now|today|基线|目前|现在|当前)"
    r"(?:(?!lift|increase|change|differ|detect|提升|提高|增长|变化|差|检测|看出|多)[^0-9%,，;；。.]){0,10}$",
    re.I,
)


_SETTING_BEFORE = lazy_compile(
    r"(?:power|alpha|significance(?: level)?|confidence(?: level)?|功效|显著性水平|显著性|置信度|置信水平)"
    r"\s*(?:of|at|=|:|为|是)?\s*$",
    re.I,
)
_SETTING_AFTER = lazy_compile(r"^\s*(?:power|confidence|significance|功效|置信)", re.I)


_WORD_NUMBERS = {"half a": "0.5", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


@functools.cache
def _word_points() -> re.Pattern[str]:
    return re.compile(
        r"\b(half a|one|two|three|four|five)[\s-]+(?=(?:percentage[\s-]+)?(?:points?|pts?)\b)",
        re.I,
    )


def _points_in_digits(text: str) -> str:
    """ "one point", "half a percentage point" written in digits ("1 point"), so the rate
    reader sees them."""
    return _word_points().sub(lambda m: _WORD_NUMBERS[m.group(1).lower()] + " ", text)


# "两成的相对提升", "打开率三成五", "提升到四成", "一成半": 成 counts tenths (一成 = 10%, 三成五 =
# 35%, 一成半 = 15%), read only beside a rate's name or a word of change, so 成都 / 成交 / 完成
# are never rates. "七八成" (seventy or eighty) is no single rate: left unread, so asked about.
_TENTHS = re.compile(
    r"(?<![\d.一二两三四五六七八九十])(?P<d>[一二两三四五六七八九]|\d)\s*成"
    r"(?:(?P<t>[一二三四五六七八九])(?![成十百千万])|(?P<half>半))?(?![交都本功为])"
)
_TENTHS_CHANGE_AFTER = re.compile(r"^的?\s*(?:相对|绝对)?(?:提升|提高|增长|增幅|下降|降低|涨|跌)")
_TENTHS_CHANGE_BEFORE = re.compile(r"(?:提升|提高|增长|下降|降低)(?:了|约|大约)?$")
# a rate's level right after its name ("打开率三成左右"), or a target ("提升到四成")
_TENTHS_LEVEL_BEFORE = re.compile(
    r"(?:率(?:现在|目前|当前|一直)?(?:是|为|在|有|约|大约|大概|差不多)?|(?:到|至|达到|变成)(?:约|大约|大概)?)$"
)
_TENTHS_LEVEL_AFTER = re.compile(
    r"^(?:左右|上下|出头|多|的?\s*(?:[，,。；;？?！!]|$)|的?(?:水平|吗|呢|时))"
)


def _tenths_in_digits(text: str) -> str:
    """ "两成的相对提升" written as "20%的相对提升", "三成五" as "35%", so the rate reader sees it."""

    def percent(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end() :]
        if not (
            _TENTHS_CHANGE_AFTER.match(after)
            or _TENTHS_CHANGE_BEFORE.search(before)
            or (_TENTHS_LEVEL_BEFORE.search(before) and _TENTHS_LEVEL_AFTER.match(after))
        ):
            return match.group(0)
        value = 10 * to_int(match.group("d"))
        if match.group("t"):
            value += to_int(match.group("t"))
        elif match.group("half"):
            value += 5
        return f"{value}%"

    return _TENTHS.sub(percent, text)


_EN_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_EN_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
# "twenty percent", "twenty-five per cent", "百分之三", "百分之三点五": a rate in words.
_PERCENT_WORDS = lazy_compile(
    rf"\b(?P<en>{_EN_TENS}(?:[\s-]{_EN_UNITS})?|{'|'.join(sorted(EN_WORDS, key=len, reverse=True))})"
    r"\s*(?:percent|per\s+cent|pct)\b"
    r"|(?P<per>百|千)分之(?P<zh>[零〇一二两三四五六七八九十百]{1,4}|\d{1,3})(?:点(?P<frac>[零〇一二三四五六七八九\d]{1,3}))?",
    re.I,
)
_TENS_EXTRA = {"seventy": 70, "eighty": 80}


def _percent_words_in_digits(text: str) -> str:
    """ "twenty percent", "百分之三" written as "20%", "3%", so the rate reader sees them."""

    def percent(match: re.Match[str]) -> str:
        if match.group("en"):
            parts = re.split(r"[\s-]+", match.group("en").lower())
            value = sum(_TENS_EXTRA.get(p) or to_int(p) for p in parts)
            return f"{value}%"
        whole = to_int(match.group("zh"))
        frac = match.group("frac")
        value = float(f"{whole}.{frac.translate(_CN_DIGITS)}") if frac else whole
        if match.group("per") == "千":  # 千分之八: per mille, 0.8%
            return f"{round(value / 10, 6):g}%"
        return f"{value:g}%"

    return _PERCENT_WORDS.sub(percent, text)


# "40-ish %", "40ish%", "40%-ish", "~40%": a hedged rate is the rate ("about 40%").
_ISH_RATE = lazy_compile(r"(\d)\s*-?\s*ish\s*(%|percent\b|pct\b)|(\d\s*%)\s*-?\s*ish\b", re.I)


def _hedges_off(text: str) -> str:
    """ "40-ish %" written as "40%", so the rate reader sees it."""
    return _ISH_RATE.sub(lambda m: f"{m.group(1)}{m.group(2)}" if m.group(1) else m.group(3), text)


# A rate said as a frequency: "5 in 100", "1 out of 50", "3 of every 1,000", "每100人有5个",
# "100人里5个", "五十分之一" (digits only; 百分之 / 千分之 are _percent_words_in_digits').
_FREQUENCY = lazy_compile(
    r"(?<![\d.,])(?P<n>\d+(?:\.\d+)?)\s*(?:in|out\s+of(?:\s+every)?|of\s+every|in\s+every|per)\s+"
    r"(?!(?:19|20)\d\d(?!\d))(?P<m>\d{1,3}(?:,\d{3})+|\d+)(?![\d.%])(?!\s*(?:%|percent|days?|weeks?|months?|years?))"
    r"|每\s*(?P<m2>\d+)\s*(?:个)?(?:人|位|个用户|个访客|次|封|条)?(?:中|里|当中)?(?:有|就有)?\s*"
    r"(?P<n2>\d+(?:\.\d+)?)\s*(?:个|人|位|次)?"
    r"|(?P<m3>\d+)\s*(?:个)?(?:人|位|个用户|个访客)(?:中|里|当中)(?:有|就有)?\s*(?P<n3>\d+(?:\.\d+)?)\s*(?:个|人|位)?"
    r"|(?<![百千万\d一二两三四五六七八九十])(?P<m4>\d+|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*)"
    r"\s*分之\s*(?P<n4>\d+(?:\.\d+)?|[一二两三四五六七八九十][零〇一二两三四五六七八九十]*)",
    re.I,
)


def _number(written: str) -> float:
    """A number written in digits ("1,000", "2.5") or Chinese numerals ("五十")."""
    digits = written.replace(",", "")
    return float(digits) if re.fullmatch(r"\d+(?:\.\d+)?", digits) else float(to_int(digits))


def _frequencies_in_percent(text: str) -> str:
    """ "5 in 100", "1 in 50", "每100人有5个" written as "5%", "2%", "5%", so the rate reader
    sees them; a count larger than its base is no frequency and stays as written."""

    def percent(match: re.Match[str]) -> str:
        groups = match.groupdict()
        n = next(groups[k] for k in ("n", "n2", "n3", "n4") if groups[k])
        m = next(groups[k] for k in ("m", "m2", "m3", "m4") if groups[k])
        count, base = _number(n), _number(m)
        if base < 2 or count > base:
            return match.group(0)
        return f"{100 * count / base:.10g}%"

    return _FREQUENCY.sub(percent, text)


def read_rate_change(text: str) -> RateChange | None:
    """The baseline and the change to detect in a sample-size question, or None.

    Rules, in order: a rate marked "relative" is the relative effect; a rate
    after "to"/"到" is the target; points ("+0.5pp", "1个百分点") are an absolute
    effect; a rate near "baseline"/"currently"/"is"/"目前" is the baseline; with
    two plain rates left, "from A to B" order applies. None when no baseline is
    identified, so a caller asks rather than guesses.
    """
    text = _percent_words_in_digits(_tenths_in_digits(_points_in_digits(_hedges_off(text))))
    text = _frequencies_in_percent(text).translate(_CN_DIGITS)
    plain = text
    rates = rates_in(text)
    baseline = target = relative = points = None
    for rate in rates:
        before, after = plain[: rate.start], plain[rate.end :]
        if _SETTING_BEFORE.search(before) or _SETTING_AFTER.search(after):
            continue  # power, significance level and confidence are test settings, not rates
        if rate.kind == "points" and baseline is None and _LEVEL_IN_POINTS.search(before):
            # "现在转化率5个点", "currently at 3 points": the level today, said in points
            baseline = rate.value
        elif rate.kind == "points":
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
    # A count written with full stops between its thousands, as German, Spanish or Italian
    # write it ("3.400 mails", "12.480 persons", "1.310 clicked"): only right before what it
    # counts, so "3.4 points" or a price stays a decimal.
    r"(?<![0-9A-Za-z.,])(?P<eu>\d{1,3}(?:\.\d{3})+)(?=\s*(?:e-?mails?|mails?|persons?|people|visitors?"
    r"|users?|customers?|clients?|recipients?|sends?|sent|messages?|clicks?|clicked|orders?|ordered"
    r"|buyers?|bought|conversions?|converted|opens?|opened|purchases?|purchased)\b)|"
    r"(?<![0-9A-Za-z.])(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)(?!st\b|nd\b|rd\b|th\b)"
    r"(?:\s*(?P<m>[千万]|[kKwW](?![A-Za-z])))?"
    r"(?P<pct>\s*(?:%|percent\b|per cent\b|pct\b))?"
    # Chinese numerals with a unit of a hundred or more ("一万", "两百五", "三千二百"):
    # not 千分之 / 百分之 (rates), nor a numeral without such a unit (双十一, 一起).
    r"|(?P<cn>[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*[十百千万]"
    r"(?:[零〇]?[一二两三四五六七八九])?)(?![分之])"
    # One numeral counting people ("二十人里一人转化", "五个人下单"): a count, though "一起"
    # or "一下" are none.
    r"|(?<![零〇一二两三四五六七八九十百千万第每])(?P<one>[一二两三四五六七八九十])(?=个?[人位名])"
    # English number words with a magnitude: "eleven thousand", "twenty-five hundred".
    # ("a" counts only right before its magnitude, "a thousand": the variant letter of "A
    # twenty four hundred users" is no number.)
    r"|(?P<en>\b(?:(?:a(?=[\s-]+(?:hundred|thousand|million)\b)|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety)[\s-]+)+(?:hundred|thousand|million)"
    r"(?:[\s-]+(?:and[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b)*\b)"
    # Hundreds said as two numbers before what they count, "three fifty opens" (350), "two
    # twenty-five users" (225): a digit of hundreds, then tens (not before a unit of money,
    # time or rate: "three fifty dollars", "five thirty pm" stay unread).
    r"|(?P<en3>\b(?:one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?\b"
    r"(?=\s+(?!(?:dollars?|bucks|yuan|rmb|cents?|pm|am|percent|pct|per\b|o'?clock|minutes?"
    r"|hours?|days?|weeks?|months?|years?)\b)[a-z]))"
    # Two-digit number words alone: "eighteen", "thirty-one" (not one to ten, which are
    # articles and pronouns as often as counts: "a", "one of them").
    r"|(?P<en2>\b(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    r"|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)\b)",
    re.I,
)


# A difference of rates said in points after a number ("1.5个点", "2 pp", "30 bps"), which
# counts nothing (loyalty "points" alone may be a count, so the bare word is not read here).
_POINTS_AFTER = lazy_compile(
    r"\s*(?:个百分点|百分点|个千分点|千分点|个基点|基点|个点|pp\b|percentage points?\b"
    r"|basis points?\b|bps?\b)",
    re.I,
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
    # One count written the European way ("12.480 persons") says the others are too ("B went
    # to 12.515 and 1.402 clicked"): a full stop before three digits is a thousands mark.
    european = any(m.group("eu") for m in _COUNT.finditer(text))
    for match in _COUNT.finditer(text):
        if match.group("one"):
            value = "一二三四五六七八九十".find(match.group("one").replace("两", "二")) + 1
            found.append(Count(float(value), False, match.start(), match.end()))
            continue
        if match.group("en3"):
            hundreds, *tens = re.split(r"[\s-]+", match.group("en3").lower())
            value = EN_SMALL_NUMBERS[hundreds] * 100 + sum(EN_SMALL_NUMBERS[t] for t in tens)
            found.append(Count(float(value), False, match.start(), match.end()))
            continue
        words = match.group("cn") or match.group("en") or match.group("en2")
        if words:
            if match.group("cn") and not re.search("[百千万]|[一二两三四五六七八九]十", words):
                continue  # "十一" of 双十一 is a date
            value = _cn_count(words) if match.group("cn") else _en_count(words)
            if value is not None:
                found.append(Count(float(value), False, match.start(), match.end()))
            continue
        end = match.end()
        if match.group("eu"):
            found.append(Count(float(match.group("eu").replace(".", "")), False, match.start(), end))
            continue
        written = match.group("n")
        if european and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", written):
            written = written.replace(".", "")
        value = float(written.replace(",", ""))
        magnitude = (match.group("m") or "").lower()
        if match.group("pct"):
            found.append(Count(value / 100, True, match.start(), end))
            continue
        if not magnitude and _POINTS_AFTER.match(text, end):
            continue  # "这1.5个点的提升", "a 2pp gap": a difference of rates, no count
        if magnitude:
            value *= _CN_MAGNITUDE[magnitude]
        found.append(Count(round(value, 6), False, match.start(), end))
    return found


_CN_UNIT = {"十": 10, "百": 100, "千": 1_000}
EN_SMALL_NUMBERS = {  # English number words below 100 (rule_parts reads order counts with them)
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip


def cn_below_wan(text: str) -> int | None:
    """A Chinese numeral below 10,000; a digit after the last unit counts in the next
    lower unit, as said ("两百五" = 250, "一千二" = 1,200), unless a 零 stands before it."""
    total, digit, last_unit, zero = 0, None, None, False
    for ch in text:
        if ch in "零〇":
            zero = True
        elif ch in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit, last_unit = None, _CN_UNIT[ch]
        else:
            if digit is not None:
                return None  # "一二": no numeral
            digit = "〇一二三四五六七八九".find(ch) if ch != "两" else 2
    if digit is not None:
        total += digit * (last_unit // 10 if last_unit and last_unit > 10 and not zero else 1)
    return total


def _cn_count(text: str) -> int | None:
    """ "一万" = 10,000, "三万五" = 35,000, "两百五" = 250, "一万二千" = 12,000."""
    if text.count("万") > 1:
        return None
    high, _, low = text.partition("万")
    if "万" not in text:
        return cn_below_wan(text)
    wan = cn_below_wan(high)
    if wan is None:
        return None
    if low and all(ch in "一二两三四五六七八九" for ch in low) and len(low) == 1:
        return wan * 10_000 + cn_below_wan(low) * 1_000  # "三万五": 35,000
    rest = cn_below_wan(low) if low else 0
    return None if rest is None else wan * 10_000 + rest


def cn_count(text: str) -> int | None:
    """A Chinese numeral up to the 万s: "一万二" = 12,000, "两百五" = 250 (rule readers' amounts)."""
    return _cn_count(text)


def _en_count(text: str) -> int | None:
    """ "eleven thousand" = 11,000, "two hundred and fifty" = 250, "1 million"."""
    total = current = 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("and", ""):
            continue
        if word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * (1_000 if word == "thousand" else 1_000_000)
            current = 0
        elif word in EN_SMALL_NUMBERS:
            current += EN_SMALL_NUMBERS[word]
        else:
            return None
    return total + current


# --- test settings written in a question: power 90%, alpha 0.01, 95% confidence, 3 variants ---


@dataclass(frozen=True)
class TestSettings:
    """The settings of a planned test a question states; None where it states none.

    `alpha` and `power` are fractions (0.05, 0.9); `variants` counts the control too
    (an A/B/C test has 3).
    """

    __test__ = False  # a dataclass named Test...: not a pytest test class

    alpha: float | None = None
    power: float | None = None
    variants: int | None = None

    def as_arguments(self) -> dict[str, float | int]:
        """The settings as ab_sample_size arguments (only those stated)."""
        found = {"alpha": self.alpha, "power": self.power, "variants": self.variants}
        return {k: v for k, v in found.items() if v is not None}


_SMALL_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
}  # fmt: skip


@functools.cache
def _setting_patterns() -> dict[str, re.Pattern[str]]:
    """The setting readers, compiled on first use (no import-time work: issue 10)."""

    def value(tail: str) -> str:  # named groups v1/pct1 (setting word first) and v2/pct2
        return rf"(?P<v{tail}>\d+(?:\.\d+)?|\.\d+)\s*(?P<pct{tail}>%|percent\b)?"

    link = r"\s*(?:of|at|=|:|：|is|to|为|是|要|取|设为|设成|达到|到)?\s*"
    small = "|".join(_SMALL_NUMBERS)
    return {
        "power": re.compile(
            rf"(?:\bpower|检验功效|统计功效|功效|检出力|把握){link}{value('1')}"
            rf"|{value('2')}\s*(?:\bpower\b|的?(?:检验|统计)?功效|的?把握)",
            re.I,
        ),
        "alpha": re.compile(
            rf"(?:\balpha|α|significance level|significance|显著性水平|显著水平|显著性){link}{value('1')}"
            rf"|{value('2')}\s*(?:\bsignificance\b|的?显著性水平|的?显著水平)",
            re.I,
        ),
        "confidence": re.compile(
            rf"(?:\bconfidence(?: level)?|置信度|置信水平){link}{value('1')}"
            rf"|{value('2')}\s*(?:\bconfidence\b|的?置信)",
            re.I,
        ),
        "variants": re.compile(
            rf"(?<![\d.])(?P<n>\d|{small})\s*(?:-\s*)?"
            r"(?:variants|versions|variations|arms|groups|cells|(?:way|arm|cell|variant)\b|个版本|个变体|个组|组|版|个方案)"
            r"|\b(?P<letters>A/B(?:/[C-F])+)\b",
            re.I,
        ),
    }


def _fraction(match: re.Match[str]) -> float | None:
    """A setting's value as a fraction: "90%" and "90" -> 0.9, "0.9" -> 0.9; None if not in (0, 1)."""
    tail = "1" if match.group("v1") is not None else "2"
    number = float(match.group(f"v{tail}"))
    fraction = number / 100 if match.group(f"pct{tail}") or number >= 1 else number
    return fraction if 0 < fraction < 1 else None


def read_test_settings(text: str) -> TestSettings:
    """The power, significance level (alpha; "95% confidence" is alpha 0.05) and number of
    variants ("3 variants", "三组", "A/B/C test") a question states.

    >>> read_test_settings("功效90%，显著性水平1%，三组")
    TestSettings(alpha=0.01, power=0.9, variants=3)
    """
    patterns = _setting_patterns()
    plain = _percent_words_in_digits(text).translate(_CN_DIGITS)
    power = alpha = None
    variants = None
    if match := patterns["power"].search(plain):
        power = _fraction(match)
    if match := patterns["alpha"].search(plain):
        alpha = _fraction(match)
    elif match := patterns["confidence"].search(plain):
        confidence = _fraction(match)
        alpha = round(1 - confidence, 10) if confidence is not None else None
    if match := patterns["variants"].search(text):
        if match.group("letters"):
            variants = match.group("letters").count("/") + 1
        else:
            word = match.group("n").lower()
            variants = int(word) if word.isdigit() else _SMALL_NUMBERS[word]
        if variants < 2:
            variants = None
    return TestSettings(alpha=alpha, power=power, variants=variants)


def spoken_numbers_in_digits(text: str) -> str:
    """Counts said in English words written in digits ("twenty four hundred users" ->
    "2400 users", "three fifty opens" -> "350 opens", "two thousand and five" -> "2005"),
    so every reader sees a dictated number as a typed one; the numbers are those `counts_in`
    reads with a magnitude or as hundreds. Small number words ("five", "top three",
    "twenty twenty-five") stay as said: their readers know them."""
    spoken = [
        (count.start, count.end, count.whole)
        for count in counts_in(text)
        if count.whole is not None
        and re.fullmatch(r"[a-z][a-z\s-]*", text[count.start : count.end], re.I)
        and re.search(
            r"hundred|thousand|million|[a-z]\s+[a-z]*ty\b", text[count.start : count.end], re.I
        )
    ]
    for start, end, value in reversed(spoken):
        text = f"{text[:start]}{value}{text[end:]}"
    return text
