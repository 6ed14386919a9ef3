"""Atomic time phrases ("tokens") in English and Chinese, found by regular expressions.

Each pattern yields a :class:`Piece`: either a calendar fragment that may still
need a year ("March", "Q3", "双十一") or a relative period already resolved
against ``today`` ("last 30 days", "上个月"). :mod:`.grammar` glues the pieces
together ("March" + "2025", "from X to Y", "A vs B").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from . import dates as d
from .events import event_aliases, holidays, is_holiday
from .model import TimeRange
from .numerals import CN_MONTH, EN_WORDS, NUMBER, to_int
from .relative import EN_UNIT_NAMES, TO_DATE_NAMES, calendar_offset, rolling, unit_bounds

_CJK = re.compile(r"[\u3400-\u9fff]")


def lang_of(text: str) -> str:
    """'zh' when the phrase contains Chinese characters, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


@dataclass(frozen=True)
class Piece:
    """A recognised fragment of the question and what it means so far."""

    kind: str  # year, month, day, quarter, half, event, fixed, marker, part
    start: int
    end: int
    lang: str
    year: int | None = None  # absolute year when written
    rel: int | None = None  # year offset from today's year ("去年" = -1)
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    half: int | None = None
    event: str | None = None
    fixed: TimeRange | None = None  # relative phrases are resolved at once
    unit: str | None = None  # calendar unit of "last/this <unit>" phrases
    offset: int | None = None  # unit offset of those phrases (-1 = last)
    marker: str | None = None  # "yoy" or "pop" for comparison words
    main_day: bool = False  # an event's main day ("双十一当天"), not its promotion window
    # a one-day holiday's week ("母亲节那一周", "the Black Friday week"): Monday to Sunday
    week_of: bool = False
    hole: tuple[int, int] | None = None  # words inside the span that are not the period's
    side: str | None = None  # a part's end: "first" / "last" (N `unit`s, N in `offset`)
    days: tuple[int, int] | None = None  # a month's part: its first and last day (31 = the end)
    week: int | None = None  # an ISO week number ("week 40", "第40周")

    @property
    def floating(self) -> bool:
        """True when the fragment still needs a year (e.g. "3月", "Q3", "618")."""
        return (
            self.kind not in ("year", "fixed", "marker", "part")
            and self.year is None
            and self.rel is None
        )

    def spanning(self, start: int, end: int, **changes: object) -> Piece:
        return replace(self, start=start, end=end, **changes)  # type: ignore[arg-type]


Builder = Callable[[re.Match[str], date], Piece | None]

# Word boundaries that also work next to Chinese characters (which \b treats as letters).
AL, AR = r"(?<![A-Za-z])", r"(?![A-Za-z])"
NL = r"(?<![A-Za-z0-9#_$¥￥])"
# Any year 1900-2099: logs as old as 1997 are real (UCI-style samples, archives).
YEAR = r"(?:19|20)\d{2}"
# A year written in Chinese digits ("二〇二五年") or short ("'25", "FY25").
_CN_YEAR = r"(?P<y>[〇零一二三四五六七八九]{4})\s*年度?"
_SHORT_YEAR = r"[’'](?P<y>\d{2})(?![0-9'’%])"
_FISCAL_YEAR = r"(?<![A-Za-z])FY\s*[’']?(?P<y>(?:19|20)?\d{2})(?![0-9])"
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def year_number(text: str, today: date) -> int:
    """The year of "1997", "二〇二五", "'25" or "25"; two digits take the nearer century.

    "'97" read in 2026 is 1997 and "'25" is 2025: a two-digit year more than ten
    years ahead of today is taken from the century before.
    """
    digits = text.translate(_CN_YEAR_DIGITS)
    value = int(digits)
    if len(digits) == 2:
        value += 2000 if value <= today.year % 100 + 10 else 1900
    return value


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
MON = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS.update({"fourth": 4, "4th": 4, "上": 1, "下": 2})
# "the back half of last year", "front half": the second and first halves.
_ORDINALS.update({"front": 1, "back": 2})

# A bare number is not a year (or "618") after a code word, currency or
# comparison word ("SKU 2025", "¥2025", "over 2000"), nor before a unit ("2000元").
_PRE_REJECT = re.compile(
    r"(?:(?<![A-Za-z])(?:sku|id|no\.?|number|code|item|product|order|model|style|article|"
    r"top|over|above|under|below|than|least|most)|[#$¥￥]|编号|货号|型号|订单号?|满|超过|大于|小于|低于|高于)\s*$",
    re.I,
)
_POST_REJECT = re.compile(
    r"^\s*(?:元|块|万|件|个|人|名|位|单|笔|次|%|(?:rmb|yuan|usd|dollars?|pcs|pieces?|units?|k)(?![A-Za-z]))",
    re.I,
)


def _plain_number_ok(m: re.Match[str]) -> bool:
    text = m.string
    return not (_PRE_REJECT.search(text[: m.start()]) or _POST_REJECT.match(text[m.end() :]))


def _piece(m: re.Match[str], kind: str, **fields: object) -> Piece:
    return Piece(kind, m.start(), m.end(), lang_of(m.group(0)), **fields)  # type: ignore[arg-type]


def _num(m: re.Match[str], name: str) -> int:
    return to_int(m.group(name))


# --- relative periods, resolved against today -------------------------------


_SHORT_UNITS = {"qtr": "quarter", "yr": "year", "mo": "month", "mth": "month", "wk": "week"}
# One-letter units glued to a count after "last" ("last 90d", "past 12m", "trailing 4w").
_LETTER_UNITS = {"d": "day", "w": "week", "m": "month", "q": "quarter", "y": "year"}


def _unit_of(word: str) -> str:
    if word.lower() in _LETTER_UNITS:
        return _LETTER_UNITS[word.lower()]
    w = word.lower().rstrip("s")
    if w in _SHORT_UNITS:
        return _SHORT_UNITS[w]
    if w in _LETTER_UNITS:
        return _LETTER_UNITS[w]
    if w in EN_UNIT_NAMES:
        return w
    for unit, chars in (("day", "天日"), ("week", "周星礼"), ("quarter", "季"), ("month", "月")):
        if any(c in word for c in chars):
            return unit
    return "year"


# Words of a sliding window ending yesterday (for weeks; "last N weeks" and "上周" are calendar weeks).
_SLIDING = re.compile(r"^\s*(?:the\s+)?(?:past|recent|trailing|rolling|最近|近|过去|滚动)", re.I)


def _rolling(m: re.Match[str], today: date) -> Piece:
    """ "last 90 days", "近3个月"; a count said without its unit ("trailing 90", "rolling 30": the
    trailing windows analysts write T30, T90) is that many days."""
    n = _num(m, "n")
    unit = _unit_of(m.group("u")) if m.groupdict().get("u") else "day"
    sliding = bool(_SLIDING.match(m.group(0)))
    return _piece(m, "fixed", fixed=rolling(n, unit, today, lang_of(m.group(0)), sliding))


def _twelve_months(m: re.Match[str], today: date) -> Piece:
    """ "TTM", "LTM": the last 12 complete months, as "trailing 12 months"."""
    return _piece(m, "fixed", fixed=rolling(12, "month", today, lang_of(m.group(0)), False))


# A count of units said in the question ("the last 30 days"): the unit an elided one repeats.
_UNIT_SAID = re.compile(rf"(?P<n>{NUMBER})\s+(?P<u>days?|weeks?|months?|quarters?)" + AR, re.I)


def _previous_n(m: re.Match[str], today: date) -> Piece | None:
    """ "vs the previous 30 days", "和前30天比", "vs the previous month": a comparison with
    the N units (one when no number is written) just before the question's period, not
    counted from today (a "pop" marker carrying N in `offset` and the unit)."""
    english = m.group("n2") is None
    elided = m.group("n4") or m.group("n5")
    if elided:  # "past 14 days against the 14 prior": the unit of the period said before it
        said = list(_UNIT_SAID.finditer(m.string[: m.start()]))
        if not said or to_int(said[-1].group("n")) != to_int(elided):
            return None
        count, unit = to_int(elided), _unit_of(said[-1].group("u"))
    elif m.group("n3"):  # "vs the seven days before", "vs the 30d before": that many units
        count, unit = to_int(m.group("n3")), _unit_of(m.group("u3") or m.group("u3l"))
    elif m.group("n6"):  # "vs prior 30d"
        count, unit = to_int(m.group("n6")), _unit_of(m.group("u6"))
    elif english:  # "vs the previous month" / "vs the month before": one unit before
        count = to_int(m.group("n")) if m.group("n") else 1
        unit = _unit_of(m.group("u") or m.group("ub"))
    else:
        count, unit = to_int(m.group("n2")), _unit_of(m.group("u2"))
    return _piece(m, "marker", marker="pop", unit=unit, offset=count)


def _part(m: re.Match[str], today: date) -> Piece:
    """ "the first three months of 2026", "2026年前三个月": the first or last N days, weeks,
    months or quarters of the period beside it (grammar.compose cuts that period; alone it is dropped)."""
    english = m.group("n") is not None
    count = to_int(m.group("n") if english else m.group("n2"))
    unit = _unit_of(m.group("u") if english else m.group("u2"))
    side = (m.group("side") or m.group("side2")).lower()
    first = side in ("first", "opening", "前", "头")
    side = "first" if first else "last"
    if english and m.group("theyear"):  # "the first six months of the year": this year's
        return _piece(m, "part", unit=unit, offset=count, side=side, rel=0)
    return _piece(m, "part", unit=unit, offset=count, side=side)


def _first_quarters(m: re.Match[str], today: date) -> Piece:
    """ "前三季度" with no year: the first N quarters of this year (a part of the year)."""
    return _piece(m, "part", unit="quarter", offset=to_int(m.group("n")), side="first", rel=0)


# What may follow "the first/last N months of": a year, month, quarter or half, so "the last
# 3 months of data" stays the rolling last 3 months.
_PART_OF = (
    r"(?=\s*(?:(?:19|20)\d{2}(?![0-9])|(?:this|last|that|the\s+previous)\s+year|the\s+year"
    r"|q[1-4]|h[12]|(?:first|second|front|back)\s+half|" + MON + r"))"
).replace("(?P<mon>", "(?:")


def _rolling_one(m: re.Match[str], today: date) -> Piece:
    """ "past month", "近半年": a rolling period whose count is implied by the words."""
    text = m.group(0)
    n, unit = (6, "month") if "半年" in text else (15, "day") if "半个月" in text else (1, None)
    unit = unit or _unit_of(m.group("u"))
    return _piece(m, "fixed", fixed=rolling(n, unit, today, lang_of(text), sliding=True))


def _offset(unit: str | None, offset: int) -> Builder:
    def build(m: re.Match[str], today: date) -> Piece:
        u = unit or _unit_of(m.group("u"))
        lang = lang_of(m.group(0))
        if u == "year":  # years can take a month/quarter/event after them
            return _piece(m, "year", rel=offset, unit="year", offset=offset)
        fixed = calendar_offset(u, offset, today, lang)
        if u == "day":
            name = {0: ("today", "今天"), -1: ("yesterday", "昨天")}.get(offset)
            label = (name or ("the day before yesterday", "前天"))[lang == "zh"]
            fixed = replace(fixed, label=d.with_detail(label, fixed.start, fixed.end, lang))
        return _piece(m, "fixed", fixed=fixed, unit=u, offset=offset)

    return build


def _to_date(unit: str) -> Builder:
    def build(m: re.Match[str], today: date) -> Piece:
        lang = lang_of(m.group(0))
        start = unit_bounds(unit, 0, today)[0]
        name = TO_DATE_NAMES[unit][lang == "zh"]
        fixed = TimeRange(start, today, d.with_detail(name, start, today, lang), unit)
        return _piece(m, "fixed", fixed=fixed, unit=unit, offset=0)

    return build


# --- N units ending at a named month ------------------------------------------


def _anchor_end(m: re.Match[str], today: date) -> date | None:
    """The last day of the month a window ends at: "Sep", "September 2026", "9月", "上月"
    (a month without a year is the latest completed one, as everywhere)."""
    g = {k: v for k, v in m.groupdict().items() if v}
    if "lm" in g:  # "上月底", "the end of last month"
        return unit_bounds("month", -1, today)[1]
    month = _MONTHS[g["mon"].lower()] if "mon" in g else to_int(g["m"])
    if not 1 <= month <= 12:
        return None
    if "y" in g:
        return d.month_range(year_number(g["y"], today), month)[1]
    year = today.year
    if d.month_range(year, month)[1] >= today:
        year -= 1
    return d.month_range(year, month)[1]


def _window_to(m: re.Match[str], today: date) -> Piece | None:
    """ "the 12 months to Sep", "trailing 4 quarters ending June 2026", "截至9月的近12个月",
    "近12个月（截至上月底）": N whole months (quarters, years) ENDING with the named month,
    not the rolling window ending today nor the named month alone."""
    end = _anchor_end(m, today)
    if end is None:
        return None
    n = _num(m, "n")
    unit = _unit_of(m.group("u"))
    months = n * {"month": 1, "quarter": 3, "year": 12}.get(unit, 0)
    if months < 1:
        return None
    start = d.add_months(end.replace(day=1), 1 - months)
    lang = lang_of(m.group(0))
    if lang == "zh":
        name = f"截至{end.year}年{end.month}月的近{months}个月"
    else:
        name = f"the {months} months to {d.month_name(end.year, end.month, lang)}"
    return _piece(
        m, "fixed", fixed=TimeRange(start, end, d.with_detail(name, start, end, lang), "month")
    )


def _year_to(m: re.Match[str], today: date) -> Piece | None:
    """ "今年截至上月底", "this year through the end of September": this year's first day
    to the end of the named month."""
    end = _anchor_end(m, today)
    if end is None or end.year != today.year:
        return None
    start = date(end.year, 1, 1)
    lang = lang_of(m.group(0))
    return _piece(m, "fixed", fixed=TimeRange(start, end, d.describe(start, end, lang), "month"))


# --- calendar fragments --------------------------------------------------------


def _year(m: re.Match[str], today: date) -> Piece | None:
    if "年" not in m.group(0) and not _plain_number_ok(m):
        return None
    return _piece(m, "year", year=year_number(m.group("y"), today))


_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
# A year said in words: "twenty twenty-five", "two thousand and nineteen" (a year after
# "twenty" is 10 or more: "twenty five" is a count, not 2005).
_WORD_YEAR = (
    AL
    + r"(?:(?P<c20>twenty)|two\s+thousand(?:\s+and)?)[\s-]+(?P<wy>(?:twenty|thirty)(?:[\s-]+(?:"
    + "|".join(_ONES)
    + r"))?|"
    + "|".join(_TEENS + _ONES)
    + r")"
    + AR
)


def _word_year(m: re.Match[str], today: date) -> Piece | None:
    """ "twenty twenty-five", "two thousand and twenty": the year 2000 + the words after."""
    words = re.split(r"[\s-]+", m.group("wy").lower())
    value = sum(EN_WORDS.get(w, 0) for w in words)
    if m.group("c20") and value < 10:
        return None
    return _piece(m, "year", year=2000 + value)


def _short_year(m: re.Match[str], today: date) -> Piece:
    """ "'97", "FY25", "FY2025": a year written short; the fiscal year is taken as the calendar year."""
    return _piece(m, "year", year=year_number(m.group("y"), today))


# A fiscal year said to start in a month ("our fiscal year starts in April", "财年4月开始"):
# the store keeps no fiscal calendar, so FY / 财年 is read as the calendar year only while no
# other start is stated; with one, the fiscal periods and the statement are unreadable (the
# question is asked back naming them) rather than answered for the calendar period.
_FISCAL_WORD_EN = r"(?:(?:fiscal|financial)\s+(?:year|yr)|FY)"
_FISCAL_WORD_ZH = r"(?:财年|财政年度|会计年度)"
_FISCAL_START = (
    AL + r"(?:(?:our|the|its)\s+)?" + _FISCAL_WORD_EN + r"\s+(?:starts?|begins?|runs?\s+from|"
    r"opens?|kicks?\s+off|is\s+from)\s+(?:in\s+|on\s+|from\s+)?(?:the\s+)?(?:1st\s+of\s+)?"
    + MON + r"(?:\s+1(?:st)?)?" + AR
    + r"|(?:我们|我司|公司|本公司)?的?" + _FISCAL_WORD_ZH + r"(?:是|从|自|于|在|每年|都)*\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?(?:1日|1号|一日|一号|初)?\s*(?:开始|起算?|算起|开启)"
)  # fmt: skip
_FISCAL_START_RE = re.compile(_FISCAL_START, re.I)
_FISCAL_PERIOD = (
    AL + r"(?:(?:Q[1-4]|H[12])\s*(?:of\s+)?)?(?:(?:fiscal|financial)(?:\s+(?:year|yr))?|FY)"
    + r"\s*[’']?(?:(?:19|20)?\d{2}(?![0-9]))?(?:\s*[-/]?\s*(?:Q[1-4]|H[12])(?![0-9A-Za-z]))?"
    + r"|" + AL + r"fiscal\s+(?:Q[1-4]|H[12])" + AR
    + r"|(?:" + YEAR + r"\s*)?" + _FISCAL_WORD_ZH
    + r"\s*的?\s*(?:第?[一二三四1-4]季度|Q[1-4]|[上下]半年)?"
)  # fmt: skip


def fiscal_start_month(text: str) -> int | None:
    """The month a fiscal year is said to start in, in `text` (None when none is said)."""
    m = _FISCAL_START_RE.search(text)
    if m is None:
        return None
    return _MONTHS[m.group("mon").lower()] if m.group("mon") else to_int(m.group("m"))


def _fiscal(m: re.Match[str], today: date) -> Piece | None:
    """A fiscal period (or its start) when the fiscal year is said not to start in January."""
    if fiscal_start_month(m.string) in (None, 1):
        return None
    return _piece(m, "unreadable")


def _fiscal_year_zh(m: re.Match[str], today: date) -> Piece | None:
    """ "25财年": the year, while no fiscal start other than January is said."""
    if fiscal_start_month(m.string) not in (None, 1):
        return None
    return _short_year(m, today)


def _fiscal_as(build: Builder) -> Builder:
    """A fiscal period named relative to today ("FYTD", "last fiscal year", "本财年", "财年至今"):
    the calendar one while no other start of the fiscal year is stated, else unreadable."""

    def fiscal(m: re.Match[str], today: date) -> Piece | None:
        if fiscal_start_month(m.string) in (None, 1):
            return build(m, today)
        return _piece(m, "unreadable")

    return fiscal


_FISCAL_EN = r"(?:(?:fiscal|financial)[\s-]+(?:year|yr)|FY)"


def _month(m: re.Match[str], today: date) -> Piece | None:
    if m.groupdict().get("mon"):
        word = m.group("mon")
        if word.lower() == "may" and not _may_is_month(m):
            return None
        month = _MONTHS[word.lower()]
    else:
        month = _num(m, "m")
    year = year_number(m.group("y"), today) if m.groupdict().get("y") else None
    if not 1 <= month <= 12:
        return None
    if m.groupdict().get("d"):
        day = _num(m, "d")
        return _piece(m, "day", year=year, month=month, day=day) if 1 <= day <= 31 else None
    return _piece(m, "month", year=year, month=month)


_NOT_A_DAY_AFTER = re.compile(
    r"^\s*(?:of(?![A-Za-z])|的|stars?|points?|分|人|个|名|位|成|[x×]|split|ratio|odds|rating|score)",
    re.I,
)


def _slash_day(m: re.Match[str], today: date) -> Piece | None:
    """ "since 10/20", "（9/28-10/4）": month/day; a fraction or score beside its noun is not."""
    if not _plain_number_ok(m) or _NOT_A_DAY_AFTER.match(m.string[m.end() :]):
        return None
    if short_day_first(m.string):
        a, b = _num(m, "m"), _num(m, "d")
        return (
            _piece(m, "day", year=None, month=b, day=a) if 1 <= b <= 12 and 1 <= a <= 31 else None
        )
    return _month(m, today)


_DOTTED_RANGE_AFTER = re.compile(r"^\s*(?:-|–|—|~|～|至|到)\s*\d{1,2}\.\d{1,2}(?![0-9.%])")
_DOTTED_RANGE_BEFORE = re.compile(r"(?<![0-9.:])\d{1,2}\.\d{1,2}\s*(?:-|–|—|~|～|至|到)\s*$")


def _dotted_day(m: re.Match[str], today: date) -> Piece | None:
    """ "11.1-11.11", "（6.1～6.18）": month.day, read only as the two ends of a range (a lone
    "3.5" is a number)."""
    text = m.string
    if not (
        _DOTTED_RANGE_AFTER.match(text[m.end() :]) or _DOTTED_RANGE_BEFORE.search(text[: m.start()])
    ):
        return None
    return _month(m, today)


_SHORT_SLASH = re.compile(r"(?<![0-9/.:])(\d{1,2})/(\d{1,2})(?![0-9/%]|[.:]\d)")


def short_day_first(text: str) -> bool:
    """ "1/4-30/6 (dd/mm)", "15/3 to 2/4": day/month when a note says so, or when a date
    of the question has its first part over 12 and none has its second part over 12."""
    note = _ORDER_NOTE.search(text)
    if note:
        return bool(note.group("dm"))
    pairs = [(int(a), int(b)) for a, b in _SHORT_SLASH.findall(text)]
    return any(a > 12 for a, _ in pairs) and not any(b > 12 for _, b in pairs)


# A full numeric date with the year last ("08/31/2026", "30/6/2026", "01.07.2026"): the order
# of day and month is fixed by a part over 12 in any such date of the question, or by a note
# such as "(dd/mm)" / "month first"; dots with the year last are day-first (European usage).
# Otherwise it reads both ways and the planner asks back (copilot/offline/numeric_dates.py).
FULL_NUMERIC_DATE = re.compile(
    rf"(?<![0-9/.:])(?P<a>\d{{1,2}})(?P<s>[/.])(?P<b>\d{{1,2}})(?P=s)(?P<y>{YEAR})(?![0-9/.])"
)
_ORDER_NOTE = re.compile(
    r"(?<![A-Za-z])(?:(?P<dm>dd?[/.\-]mm?(?:[/.\-]yy(?:yy)?)?|day[\s-]+(?:first|before\s+month))"
    r"|(?P<md>mm?[/.\-]dd?(?:[/.\-]yy(?:yy)?)?|month[\s-]+(?:first|before\s+day)|us[\s-]+(?:style|format)))"
    r"(?![A-Za-z])",
    re.I,
)
ORDER_NOTE_TAIL = r"(?:\s*[(（]\s*(?:dd?[/.\-]mm?|mm?[/.\-]dd?)(?:[/.\-]yy(?:yy)?)?\s*[)）])?"


def numeric_day_first(text: str) -> bool | None:
    """Whether the question's full numeric dates are day-first (True), month-first (False),
    or not fixed by anything in it (None)."""
    note = _ORDER_NOTE.search(text)
    if note:
        return bool(note.group("dm"))
    dates = list(FULL_NUMERIC_DATE.finditer(text))
    if any(int(m.group("a")) > 12 for m in dates):
        return True
    if any(int(m.group("b")) > 12 for m in dates):
        return False
    if dates and all(m.group("s") == "." for m in dates):
        return True
    return None


def _full_numeric(m: re.Match[str], today: date) -> Piece | None:
    """ "08/31/2026", "30/6/2026", "01.07.2026": a day, in the order the question fixes
    (month first when nothing fixes it: the question is then asked back)."""
    a, b = int(m.group("a")), int(m.group("b"))
    month, day = (b, a) if numeric_day_first(m.string) else (a, b)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _piece(m, "day", year=int(m.group("y")), month=month, day=day)


def _may_is_month(m: re.Match[str]) -> bool:
    """ "May" is a month when capitalised mid-sentence, next to a number ("May 2025"), after
    a preposition ("in may": the verb never follows one) or before a year ("may last year")."""
    if re.match(r"\s*\d", m.string[m.end() :]) or m.groupdict().get("d"):
        return True
    before = m.string[: m.start()].rstrip()
    if re.search(
        r"(?<![A-Za-z])(?:in|during|since|until|till|from|through|of|early|late|mid)$", before, re.I
    ):
        return True
    if re.match(r"\s+(?:of\s+)?(?:last|this|the\s+previous)\s+year\b", m.string[m.end() :], re.I):
        return True
    return m.group("mon") == "May" and bool(before) and before[-1] not in ".!?。！？"


# Parts of a month, as days: thirds (上旬 / 中旬 / 下旬, "early / mid / late March") and
# halves (上半月 / 下半月, "the first / second half of September"); 31 is the month's end.
_MONTH_PARTS = {
    "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31),
    # ("10月初", "10月底": the month's beginning and end, read as its first and last third,
    # as "early / late October"; 月中 alone also means "during the month", so it is not here)
    "初": (1, 10), "底": (21, 31), "末": (21, 31),
    "上半月": (1, 15), "上半个月": (1, 15), "下半月": (16, 31), "下半个月": (16, 31),
    "early": (1, 10), "mid": (11, 20), "middle": (11, 20), "late": (21, 31),
    "first": (1, 15), "1st": (1, 15), "front": (1, 15),
    "second": (16, 31), "2nd": (16, 31), "back": (16, 31),
}  # fmt: skip


_CUT_OFF_BEFORE = re.compile(r"(?:截至|截止|到|至|直到|一直到)\s*(?:\d{4}\s*年\s*)?$")
_CUT_OFF_AFTER = re.compile(r"^\s*(?:前|之前|以前|为止|止)")


def _month_part(m: re.Match[str], today: date) -> Piece | None:
    """ "3月上旬", "9月下半月", "10月底", "early March", "the first half of September": days of
    a month. ("截至10月底", "10月底前": the month's end as a cut-off day, no part of it.)"""
    g = m.groupdict()
    if g.get("m2"):
        if _CUT_OFF_BEFORE.search(m.string[: m.start()]) or _CUT_OFF_AFTER.match(
            m.string[m.end() :]
        ):
            return None
        month = to_int(g["m2"])
        whole = _piece(m, "month", year=None, month=month) if 1 <= month <= 12 else None
    else:
        whole = _month(m, today)
    part = g.get("pz") or g.get("pz2") or g.get("pe") or g.get("pe2")
    if whole is None or whole.kind != "month" or part is None:
        return None
    return replace(whole, days=_MONTH_PARTS[part.lower()])


# The month of a part said relative to today ("上个月上旬", "本月下旬", "early last month",
# "the second half of this month"): that month's days, never the whole month.
_REL_MONTHS = {
    "上上个月": -2, "上上月": -2, "上个月": -1, "上月": -1, "本月": 0, "这个月": 0, "当月": 0,
    "本月份": 0, "下个月": 1, "下月": 1, "last": -1, "this": 0, "next": 1, "previous": -1,
}  # fmt: skip


def _rel_month_part(m: re.Match[str], today: date) -> Piece | None:
    """ "上个月上旬", "early last month", "the first half of this month": days of that month."""
    g = m.groupdict()
    offset = _REL_MONTHS[(g.get("rz") or g.get("re") or "").lower()]
    part = g.get("pz") or g.get("pe") or g.get("pe2")
    if part is None:
        return None
    first = unit_bounds("month", offset, today)[0]
    return _piece(m, "month", year=first.year, month=first.month, days=_MONTH_PARTS[part.lower()])


def _week_number(m: re.Match[str], today: date) -> Piece | None:
    """ "week 40", "wk 7 2025", "第40周": an ISO week (Monday to Sunday) of a year."""
    g = {k: v for k, v in m.groupdict().items() if v}
    week = to_int(g.get("w") or g["wc"])
    year = year_number(g["y"], today) if "y" in g else None
    return _piece(m, "week", year=year, week=week) if 1 <= week <= 53 else None


def _quarter(m: re.Match[str], today: date) -> Piece | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    q = g.get("q") or g.get("qc") or g.get("qc2") or g.get("qw")
    if q is None:
        return None
    value = _ORDINALS.get(q.lower()) or to_int(q)
    year = year_number(g["y"], today) if "y" in g else None
    return _piece(m, "quarter", year=year, quarter=value)


def _half(m: re.Match[str], today: date) -> Piece:
    g = {k: v for k, v in m.groupdict().items() if v}
    h = g.get("h") or g.get("hw") or g.get("hc") or "1"
    h = {"front": "first", "back": "second"}.get(h.lower(), h)
    year = year_number(g["y"], today) if "y" in g else None
    return _piece(m, "half", year=year, half=_ORDINALS.get(h.lower()) or int(h))


def _named_to_date(m: re.Match[str], today: date) -> Piece | None:
    """ "Q4-to-date", "H2 to date", "四季度至今": the named quarter (half) of the year that has
    begun by today, from its first day to today (or to its end, once it is over)."""
    g = {k: v for k, v in m.groupdict().items() if v}
    q = g.get("q") or g.get("qc")
    first = (to_int(q) - 1) * 3 + 1 if q else (to_int(g["h"]) - 1) * 6 + 1
    months = 3 if q else 6
    year = today.year if date(today.year, first, 1) <= today else today.year - 1
    start = date(year, first, 1)
    last = first + months - 1
    end = min(today, d.month_range(year, last)[1])
    lang = lang_of(m.group(0))
    if lang == "zh":
        name = f"{year}年第{to_int(q)}季度至今" if q else f"{year}年{'上下'[first > 1]}半年至今"
    else:
        name = f"Q{to_int(q)} {year} to date" if q else f"H{g['h']} {year} to date"
    fixed = TimeRange(start, end, d.with_detail(name, start, end, lang), "quarter" if q else None)
    return _piece(m, "fixed", fixed=fixed, unit="quarter" if q else "half", offset=0)


def _month_to_date(m: re.Match[str], today: date) -> Piece | None:
    """ "Oct MTD", "October 2026 month-to-date": the named month to date, one span (never the
    month set against this month to date). The current month runs to today; a month without
    a year that has ended is the latest one (as everywhere), whole."""
    month = _MONTHS[m.group("mon").lower()]
    if not 1 <= month <= 12:
        return None
    year = year_number(m.group("y"), today) if m.groupdict().get("y") else None
    if (year is None or year == today.year) and month == today.month:
        start = today.replace(day=1)
        lang = lang_of(m.group(0))
        name = TO_DATE_NAMES["month"][lang == "zh"]
        fixed = TimeRange(start, today, d.with_detail(name, start, today, lang), "month")
        return _piece(m, "fixed", fixed=fixed, unit="month", offset=0)
    return _piece(m, "month", year=year, month=month)


_ON_BEFORE = re.compile(r"(?<![A-Za-z])on\s+(?:the\s+)?$", re.I)
_WINDOW_WORD = re.compile(r"(?:festival|period|campaign|promotion|promo|sale)\s*$", re.I)
# "return on ad spend on Double 11 for the SMS campaign", "CTR on 618 for the push campaign": a
# campaign said after the festival, within a few words of the same clause, is what "on"
# is about: its window, not the main day ("revenue on Double 11 by campaign" stays the day).
_CAMPAIGN_AFTER = re.compile(
    r"^,?(?:\s+(?!by\b|per\b|each\b|every\b)[A-Za-z0-9/&'-]+,?){0,4}?\s+"
    r"(?:campaigns?|promos?|promotions?|blasts?|ads?|push(?:es)?|sms|e-?mails?|edms?)(?![A-Za-z])",
    re.I,
)


# "618 this year: the takings on the day itself?", "双11的销售额，只算当天": the main day
# asked for apart from the festival's name, elsewhere in the question.
_DAY_ITSELF = re.compile(
    r"(?<![A-Za-z])(?:the|that)\s+(?:actual\s+|main\s+)?day\s+itself(?![A-Za-z])|"
    r"(?<![A-Za-z])(?:on|for)\s+the\s+main\s+day(?![A-Za-z])|(?:只算|只看|仅|就)(?:当天|当日|那天)",
    re.I,
)


def day_itself_spans(text: str) -> list[tuple[int, int]]:
    """Where a question asks for a festival's main day apart from its name ("the day itself")."""
    return [m.span() for m in _DAY_ITSELF.finditer(text)]


def _on_the_day(m: re.Match[str]) -> bool:
    """ "sold on Double 11": a day is "on", a promotion window is "during"/"in"; so "on"
    before a festival's bare name (no "period", "campaign" ...) means its main day; so does
    "the day itself" said elsewhere in the question."""
    if _DAY_ITSELF.search(m.string[: m.start()] + " " + m.string[m.end() :]):
        return True
    return (
        bool(_ON_BEFORE.search(m.string[: m.start()]))
        and not _WINDOW_WORD.search(m.group(0))
        and not _CAMPAIGN_AFTER.match(m.string[m.end() :])
    )


# "over 618 this year", "across 618 2025": the festival's year said right after the number
# makes it the festival, not a threshold ("over 618 units" stays a number).
_EVENT_YEAR_AFTER = re.compile(
    r"^\s*(?:(?:this|last|next|previous|prior)\s+year\b|(?:19|20)\d{2}(?![0-9])|今年|去年|前年)",
    re.I,
)


def _event(name: str, plain_number: bool = False) -> Builder:
    def build(m: re.Match[str], today: date) -> Piece | None:
        if (
            plain_number
            and not _plain_number_ok(m)
            and not _EVENT_YEAR_AFTER.match(m.string[m.end() :])
        ):
            return None
        groups = m.groupdict()
        main_day = bool(groups.get("dayof") or groups.get("dayof_en")) or _on_the_day(m)
        # ("母亲节那一周", "Black Friday week"): a holiday of one day said with its week is the
        # week holding it, never the day alone (a week said of a longer one, 国庆那一周, is it)
        week_of = (
            is_holiday(name)
            and int(holidays()[name].get("days", 1)) == 1
            and bool(_WEEK_SAID.search(m.group(0)))
        )
        return _piece(m, "event", event=name, main_day=main_day, week_of=week_of)

    return build


def _cny(m: re.Match[str], today: date) -> Piece | None:
    # "CNY" is also the currency code: not after "in" or next to an amount.
    before = m.string[: m.start()]
    if re.search(r"(?:\bin|\d)\s*$", before, re.I) or re.match(
        r"\s*\d(?!\d{3}\b)", m.string[m.end() :]
    ):
        return None
    return _piece(m, "event", event="spring_festival")


def _marker(kind: str) -> Builder:
    def build(m: re.Match[str], today: date) -> Piece:
        word = m.group(0).lower()
        unit = "week" if "w" in word else "quarter" if "q" in word else "month"
        return _piece(m, "marker", marker=kind, unit="year" if kind == "yoy" else unit)

    return build


# Lower-case "mom", "qoq", "wow", "yoy" are comparison words only beside a change word
# ("mom change", "growth qoq", "wow %"): alone, "mom" is also a mother and "wow" a cry.
_CHANGE_WORD = (
    r"(?:change|changes|growth|grew|increase|increased|decrease|decreased|drop|dropped|decline|"
    r"declined|delta|rise|rose|fall|fell|gain|lift|uplift|diff|difference|variance|trend|%|pct|"
    r"percent(?:age)?)"
)
# "mom rev change", "qoq revenue growth": up to two words (the metric) may stand between.
_CHANGE_AFTER = re.compile(r"^\s*(?:[-(]\s*)?(?:[a-z]+\s+){0,2}" + _CHANGE_WORD + AR, re.I)
_CHANGE_BEFORE = re.compile(r"(?<![A-Za-z])" + _CHANGE_WORD + r"\s*(?:\(|,|-|in|of)?\s*$", re.I)


def _lower_marker(m: re.Match[str], today: date) -> Piece | None:
    after, before = m.string[m.end() :], m.string[: m.start()]
    if not (_CHANGE_AFTER.match(after) or _CHANGE_BEFORE.search(before)):
        return None
    word = m.group(0).lower()
    kind = "yoy" if word.startswith("y") else "pop"
    unit = "week" if word.startswith("w") else "quarter" if word.startswith("q") else "month"
    return _piece(m, "marker", marker=kind, unit="year" if kind == "yoy" else unit)


_ISO_END = r"(?![0-9])"
# ("双11大促期间（整个活动窗口）", "春节档": the promotion window said with its window word,
# or restated in brackets after it)
_EVENT_SUFFIX_ZH = (
    r"(?:大促|活动|购物节|促销)?(?:期间|窗口期?|档期?)?"
    r"(?:\s*[（(](?:整个|整段)?的?(?:活动|促销|大促)?(?:窗口期?|期间)[)）])?"
)
# "双十一当天", "the day itself": the festival's main day, not its promotion window.
_EVENT_DAY_ZH = r"(?P<dayof>当天|当日|那天|那一天|正日子)?"
_EVENT_DAY_EN = r"(?P<dayof_en>\s+(?:day\s+itself|main\s+day|itself))?"
# ("the 618 campaigns this year": the plural is the festival's campaigns, its year after it)
_EVENT_SUFFIX_EN = (
    r"(?:\s+(?:shopping\s+festival|festival|period|campaigns?|promotions?|promos?"
    r"|(?:(?:promo(?:tion)?|sales?|campaign|festival)\s+)?window))?"
)
# A holiday's run of days said after its name ("国庆七天", "国庆那一周", "golden week holiday").
_HOLIDAY_SUFFIX_ZH = r"(?:\s*(?:(?:七|7)\s*天|那一?周|这一?周|一周|期间|假期|长假|小长假|节))?"
_HOLIDAY_SUFFIX_EN = r"(?:\s+(?:week|holidays?|break))?"
_WEEK_SAID = re.compile(r"那一?周|这一?周|一周|\sweek$", re.I)


def _word_pattern(word: str) -> str:
    """A table word as a pattern: spaces and hyphens match any spacing or a hyphen,
    apostrophes are optional; a number stands alone (not inside "15200")."""
    parts = [re.escape(w).replace("'", "['’]?") for w in re.split(r"[\s-]+", word.strip())]
    body = r"[\s-]*".join(parts)
    if word.isdigit():
        return NL + body + r"(?![0-9.%])"
    return AL + body if word.isascii() else body


def _table_patterns() -> list[tuple[str, Builder]]:
    """Patterns for the holidays and festival aliases of knowledge/time_ranges/holidays.yaml."""
    out: list[tuple[str, Builder]] = []
    groups = [(key, entry["words"]) for key, entry in holidays().items()]
    groups += list(event_aliases().items())
    for key, words in groups:
        for word in dict.fromkeys([*words.get("en", []), *words.get("zh", [])]):
            word = str(word)
            suffix = (
                _EVENT_SUFFIX_ZH + _HOLIDAY_SUFFIX_ZH + _EVENT_DAY_ZH
                if not word.isascii() or word.isdigit()
                else _EVENT_SUFFIX_EN + _HOLIDAY_SUFFIX_EN + _EVENT_DAY_EN + AR
            )
            out.append((_word_pattern(word) + suffix, _event(key, plain_number=word.isdigit())))
    return out


_UNITS_EN = r"(?P<u>days?|weeks?|months?|quarters?|years?)"
_UNITS_ZH = r"(?P<u>天|日|周|个?星期|个?礼拜|个?月|个?季度|年)"
_LAST = r"(?:last|past|previous|prior|trailing|recent|rolling)"
_THIS = r"(?:this|current)"
_CN_THIS = r"(?:本|这一?个?|当)"

# "截至9月", "截止到2026年9月底", "到上月底为止": the end of a window; "近12个月": its length.
_UPTO_ZH = (
    # (not a month with its day after it, "截至11月15日": a cut-off day, read by the grammar)
    rf"(?:截至|截止(?:到|至)?|到)\s*(?:(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>\d{{1,2}}|{CN_MONTH})\s*月份?"
    r"(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])"
    r"|(?P<lm>上一?个?月))\s*(?:底|末)?\s*(?:为止)?"
)
_ROLL_ZH = rf"(?:最近|近|过去|滚动)的?\s*(?P<n>{NUMBER})\s*(?P<u>个月|个季度|年)"

#: (regex, builder). Overlaps are settled by the longest match, then list order.
PATTERNS: list[tuple[str, Builder]] = [
    # relative periods
    (AL + r"(?:the\s+)?day\s+before\s+yesterday" + AR, _offset("day", -2)),
    (AL + r"today" + AR + r"|今天|今日", _offset("day", 0)),
    (AL + r"yesterday" + AR + r"|昨天|昨日", _offset("day", -1)),
    (r"前天", _offset("day", -2)),
    # N days said to end yesterday ("the trailing 30 days ending yesterday", "截至昨天的近30天"):
    # days end yesterday already (today's data is still coming in), so the end is no period
    # of its own
    (
        AL + _LAST + rf"\s+(?P<n>{NUMBER})\s+(?P<u>days?)\s*,?\s+(?:ending|ended|through|thru|"
        r"up\s+to|until|till|to)\s+(?:and\s+including\s+)?yesterday" + AR,
        _rolling,
    ),
    (
        rf"(?:截至|截止(?:到|至)?|到)\s*昨天(?:为止)?[的，,\s]*(?:最近|近|过去)的?\s*(?P<n>{NUMBER})\s*(?P<u>天|日)",
        _rolling,
    ),
    (
        rf"(?:最近|近|过去)的?\s*(?P<n>{NUMBER})\s*(?P<u>天|日)\s*[（(，,]?\s*(?:截至|截止(?:到|至)?|到)\s*昨天(?:为止)?\s*[)）]?",
        _rolling,
    ),
    (AL + _LAST + rf"\s+(?P<n>{NUMBER})\s+{_UNITS_EN}" + AR, _rolling),
    # "since 3 months", "since 90 days": the English of a German or French speaker ("seit drei
    # Monaten", "depuis 90 jours") for the last N units
    (
        AL + rf"since\s+(?P<n>{NUMBER})\s+{_UNITS_EN}(?!\s+(?:ago|back|before|earlier))" + AR,
        _rolling,
    ),
    # hyphenated as an adjective ("on a rolling 12-month basis", "the trailing 3-month view")
    (AL + _LAST + r"\s+(?P<n>\d{1,3})-(?P<u>day|week|month|quarter|year)" + AR, _rolling),
    (
        AL
        + _LAST
        + r"\s+(?P<n>\d{1,3})\s*(?P<u>days?|weeks?|months?|quarters?|years?|wks?|mos?|mths?|yrs?|qtrs?|[dwmqy])"
        + AR,
        _rolling,
    ),
    (AL + r"(?:the\s+)?past\s+(?P<u>week|month|quarter|year)" + AR, _rolling_one),
    # a trailing window's day count with its unit left out ("top SKUs by units, trailing 90"):
    # only the usual window lengths, and only with nothing after them but a clause's end
    (
        AL
        + r"(?:the\s+)?(?:trailing|rolling)\s+(?P<n>7|14|28|30|60|90|180|365)"
        + r"(?=\s*(?:$|[,.;:!?)）\]，。；？]))",
        _rolling,
    ),
    # Finance shorthand for the trailing twelve months: "TTM", "LTM" (last twelve months)
    (AL + r"(?-i:TTM|LTM|T12M|L12M)" + AR, _twelve_months),
    (
        # ("the last full quarter", "prior complete month": the previous whole unit, as said;
        # "prior-year H1": the year before, hyphenated as an adjective; "last mo")
        AL
        + r"(?:last|previous|prior)(?:\s+(?:full|complete|completed|whole|entire))?[\s-]+"
        + r"(?P<u>week|month|quarter|year|qtr|yr|wk|mth|mo)"
        + AR,
        _offset(None, -1),
    ),
    # ("last months revenue", "last weeks orders": the possessive typed without its apostrophe,
    # said before the figure; "over the last months" stays unread, a vague span)
    (
        r"(?<![A-Za-z])(?<!the\s)(?<!over\s)(?<!in\s)(?<!for\s)(?<!during\s)"
        r"(?:last|previous|prior)\s+(?P<u>week|month|quarter|year)s"
        r"(?=\s+[A-Za-z]|\s*$)(?!\s+(?:of|and|or|to|in|we|i|you|they)(?![A-Za-z]))",
        _offset(None, -1),
    ),
    (AL + _THIS + r"\s+(?P<u>week|month|quarter|year)" + AR, _offset(None, 0)),
    (AL + r"next\s+(?P<u>week|month|quarter|year)" + AR, _offset(None, 1)),
    (AL + r"(?:the\s+)?(?P<u>week|month|quarter|year)\s+before\s+last" + AR, _offset(None, -2)),
    (
        AL + r"(?:year[\s-]to[\s-]date|ytd|so\s+far\s+this\s+year|this\s+year\s+so\s+far)" + AR,
        _to_date("year"),
    ),  # fmt: skip
    (
        AL + r"(?:month[\s-]to[\s-]date|mtd|so\s+far\s+this\s+month|this\s+month\s+so\s+far)" + AR,
        _to_date("month"),
    ),  # fmt: skip
    (AL + r"(?:quarter[\s-]to[\s-]date|qtd)" + AR, _to_date("quarter")),
    # "Q4-to-date", "H2 to date", "Q4TD", "四季度至今" (not "since Q4 of last year")
    (
        r"(?<![A-Za-z0-9])(?:Q(?P<q>[1-4])|H(?P<h>[1-2]))(?:[\s-]*to[\s-]*date|TD)"
        + AR
        + r"|(?:第|本年度?|今年)?(?P<qc>[一二三四1-4])季度?(?:至今|到现在|到目前为止)",
        _named_to_date,
    ),
    (AL + r"(?:week[\s-]to[\s-]date|wtd)" + AR, _to_date("week")),
    # a fiscal year named relative to today ("FYTD", "this fiscal year", "上财年", "财年至今")
    (
        AL
        + r"(?:FYTD|FY[\s-]?TD|"
        + _FISCAL_EN
        + r"[\s-]+(?:to[\s-]+date|ytd)|fiscal\s+ytd)"
        + AR
        + r"|(?:本|今|这个|当前)?财年(?:以来|至今|到现在)|财年初(?:至今|到现在|以来)",
        _fiscal_as(_to_date("year")),
    ),  # fmt: skip
    (
        AL
        + r"(?:this|the\s+current|current|our\s+current)\s+"
        + _FISCAL_EN
        + AR
        + r"|(?:本|今|这个|当前)财年",
        _fiscal_as(_offset("year", 0)),
    ),  # fmt: skip
    (
        AL
        + r"(?:last|previous|prior|the\s+last|the\s+previous|the\s+prior)\s+"
        + _FISCAL_EN
        + AR
        + r"|上一?个?财年",
        _fiscal_as(_offset("year", -1)),
    ),  # fmt: skip
    # "since start of year", "from the beginning of the month till now": to date
    *(
        (
            AL
            + r"(?:since|from)\s+(?:the\s+)?(?:start|beginning|begin)\s+of\s+(?:the\s+|this\s+)?"
            + unit
            + AR
            + r"(?:\s+(?:to|till|until|up\s+to)\s+(?:now|date|today)"
            + AR
            + ")?",
            _to_date(unit),
        )
        for unit in ("year", "month", "quarter", "week")
    ),
    (rf"(?:最近|近|过去|滚动)的?\s*(?P<n>{NUMBER})\s*{_UNITS_ZH}", _rolling),
    (r"(?:最近|近|过去)的?(?:半年|半个月)", _rolling_one),
    (r"上上个?(?P<u>周|星期|礼拜|月|季度?)", _offset(None, -2)),
    # ("上个月比前个月多卖了多少": 前个月 is the month before last, as 上上个月; "前一个月"
    # counts from another period and is left to it)
    (r"(?<![一这那])前个(?P<u>月|星期|礼拜)", _offset(None, -2)),
    # ("上季", "上一季": the quarter said without 度, as Hong Kong and Taiwan write it)
    # (not "上周末" / "上个周末": the weekend, whose days are not the whole week)
    (r"上一?个?(?P<u>周(?!末)|星期(?!六|日|天)|礼拜(?!六|日|天)|月|季度?)", _offset(None, -1)),
    # ("上一个完整季度", "上个完整的月": the previous whole unit, "complete" said)
    (r"上一?个?(?:完整|整)的?(?P<u>周|星期|礼拜|月|季度)", _offset(None, -1)),
    (r"下一?个?(?P<u>周|星期|礼拜|月|季度)", _offset(None, 1)),
    (_CN_THIS + r"(?P<u>周|星期|礼拜|月份?|季度?)", _offset(None, 0)),
    (r"去年|上一?年度?", _offset("year", -1)),
    (r"今年|本年度?", _offset("year", 0)),
    (r"大前年", _offset("year", -3)),
    (r"前年", _offset("year", -2)),
    (r"明年", _offset("year", 1)),
    (r"(?:今年|本年度?)(?:以来|至今)|年初(?:至今|到现在|以来)", _to_date("year")),
    (r"(?:本|这个?)月(?:以来|至今)|月初(?:至今|到现在|以来)", _to_date("month")),
    (r"(?:本|这个?)季度?(?:以来|至今)|季初至今", _to_date("quarter")),
    (r"(?:本|这)周(?:以来|至今)", _to_date("week")),
    # N months (quarters, years) ending with a named month ("the 12 months to Sep")
    (
        AL + rf"(?:the\s+)?(?:(?:last|past|trailing|rolling|previous|prior)\s+)?(?P<n>{NUMBER})\s+"
        r"(?P<u>months?|quarters?|years?)\s+(?:to|ending(?:\s+in)?|ended|through|thru|up\s+to|until|till)"
        r"\s+(?:the\s+)?(?:end\s+of\s+)?(?:"
        + MON
        + rf"(?:\s*,?\s*(?P<y>{YEAR}))?|(?P<lm>last\s+month))"
        + AR,
        _window_to,
    ),  # fmt: skip
    (_UPTO_ZH + r"[的，,\s]*" + _ROLL_ZH, _window_to),
    (_ROLL_ZH + r"\s*[（(，,]?\s*" + _UPTO_ZH + r"\s*[)）]?", _window_to),
    (r"(?:今年|本年度?)\s*" + _UPTO_ZH, _year_to),
    # ("截至9月底，今年累计", "截止到上月底本年度以来"): the cut-off said first, the year after it
    (_UPTO_ZH + r"[的，,\s]*(?:今年|本年度?)(?:累计|以来|至今|一共)?", _year_to),
    (
        AL + r"(?:this\s+year|ytd|year[\s-]to[\s-]date)\s+(?:to|through|thru|up\s+to|until|till)\s+"
        r"(?:the\s+)?(?:end\s+of\s+)?(?:" + MON + r"(?!\s*\d{1,2}(?:st|nd|rd|th)?(?!\d))"
        r"|(?P<lm>last\s+month))" + AR,
        _year_to,
    ),  # fmt: skip
    # years, quarters, halves
    (NL + rf"(?P<y>{YEAR})(?:\s*年度?|(?!\.?\d)(?![A-Za-z]))", _year),
    (_CN_YEAR, _year),
    (_WORD_YEAR, _word_year),
    # "25年", and said aloud in Chinese digits, "二五年" (not "三五年", "a few years", nor a
    # numeral's tail: "十二五年"); "25年前", "两年内" are spans of time, no year.
    (
        r"(?<![0-9A-Za-z〇零一二两三四五六七八九十百千万])"
        r"(?P<y>\d{2}|(?!三五)[〇零一二三四五六七八九]{2})\s*年(?!\s*(?:前|后|以前|以后|来|内|里))",
        _short_year,
    ),
    (_SHORT_YEAR, _short_year),
    (_FISCAL_START, _fiscal),
    (_FISCAL_PERIOD, _fiscal),
    (_FISCAL_YEAR, _short_year),
    # "25财年", "2025财年", "2025财年度": a fiscal year said in Chinese (the calendar year
    # unless another start is said, as FY25)
    (
        r"(?<![0-9A-Za-z])(?P<y>(?:19|20)?\d{2})\s*" + _FISCAL_WORD_ZH + r"度?",
        _fiscal_year_zh,
    ),
    (NL + rf"(?P<y>{YEAR})\s*[-/]?\s*Q(?P<q>[1-4])" + _ISO_END, _quarter),
    (r"(?<![A-Za-z0-9])" + rf"Q(?P<q>[1-4])\s*[-/]?\s*(?P<y>{YEAR})" + _ISO_END, _quarter),
    (r"(?<![A-Za-z0-9])Q(?P<q>[1-4])" + _ISO_END + AR, _quarter),
    (AL + r"(?:the\s+)?(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter" + AR, _quarter),
    (r"第(?P<qc>[一二三四1-4])季度?|(?P<qc2>[一二三四1-4])季度", _quarter),
    (NL + rf"(?P<y>{YEAR})\s*[-/]?\s*H(?P<h>[12])" + _ISO_END, _half),
    (r"(?<![A-Za-z0-9])H(?P<h>[12])" + _ISO_END + AR, _half),
    # ("the back half of last year", "front half": the second and first half, as said in business)
    (AL + r"(?:the\s+)?(?P<hw>first|second|front|back)\s+half(?:\s+of\s+the\s+year)?" + AR, _half),
    (r"(?P<hc>上|下)半年", _half),
    # months and days
    (NL + rf"(?P<y>{YEAR})(?P<s>[-/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}})" + _ISO_END, _month),
    (NL + rf"(?P<y>{YEAR})[-/](?P<m>\d{{1,2}})(?![0-9/-])", _month),
    (FULL_NUMERIC_DATE.pattern + ORDER_NOTE_TAIL, _full_numeric),
    # "03/2025", "3.2025": month then year (never a day: a day needs the month too)
    (r"(?<![0-9/.\-])" + rf"(?P<m>\d{{1,2}})[/.](?P<y>{YEAR})(?![0-9/.])", _month),
    # "Oct MTD", "October 2026 month-to-date": the month, its to-date word read with it
    (
        AL + MON + rf"(?:\s+(?P<y>{YEAR}))?[\s-]+(?:MTD|month[\s-]to[\s-]date)" + AR,
        _month_to_date,
    ),
    (AL + MON + AR, _month),
    # "11.1-11.11": month.day at both ends of a range (before the festivals: "11.11" there
    # is the range's end day)
    (r"(?<![0-9.:])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![0-9.%])", _dotted_day),
    # "10/20", "9/28": a day written month/day (never a fraction "1/3 of", a score "4/5
    # stars" or an amount)
    (r"(?<![0-9/.:])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![0-9/%]|[.:]\d)" + ORDER_NOTE_TAIL, _slash_day),
    (AL + MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![0-9:])", _month),
    (r"(?<![0-9])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MON + AR, _month),
    (rf"(?<![0-9零一二三四五六七八九十])(?P<m>\d{{1,2}}|{CN_MONTH})\s*月份?(?![0-9])", _month),
    (
        rf"(?<![0-9零一二三四五六七八九十])(?P<m>\d{{1,2}}|{CN_MONTH})\s*月\s*"
        r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]",
        _month,
    ),  # fmt: skip
    # "10月17-18日", "10月17到18号": the first day's 日 said once, after the range's end day
    (
        rf"(?<![0-9零一二三四五六七八九十])(?P<m>\d{{1,2}}|{CN_MONTH})\s*月\s*"
        r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
        r"(?=\s*(?:-|–|—|~|～|到|至)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])",
        _month,
    ),  # fmt: skip
    # ISO week numbers ("week 40", "wk 40 of 2025", "2025年第40周")
    (
        AL + rf"(?:iso\s+)?(?:week|wk)\s*(?:no\.?|number|#)?\s*(?P<w>\d{{1,2}})(?![0-9])"
        rf"(?:\s*(?:of\s+|,\s*)?(?P<y>{YEAR})(?![0-9]))?",
        _week_number,
    ),  # fmt: skip
    # ISO week dates: "2026-W42", "2026W42", "W42", "W42 2026" (a capital W: "1w" is 10,000)
    (
        r"(?<![A-Za-z0-9])(?:"
        + rf"(?P<y>{YEAR})\s*-?\s*"
        + r")?(?-i:W)(?P<w>\d{1,2})(?![0-9A-Za-z])"
        r"(?!-?\d)",  # ("2026-W42-3" is one day of the week: unread, so asked about)
        _week_number,
    ),
    (
        r"(?<![A-Za-z0-9])(?-i:W)(?P<w>\d{1,2})\s*(?:,\s*|of\s+)?" + rf"(?P<y>{YEAR})(?![0-9])",
        _week_number,
    ),
    # ("10月第二周" is a week of the month, not of the year: left unread, so asked about)
    (
        r"(?<!月)(?<!月的)第\s*(?P<wc>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:周|个?星期)",
        _week_number,
    ),
    # parts of a month ("2025年3月上旬", "9月下半月", "early March", "the first half of Sept 2025")
    (
        rf"(?<![0-9零一二三四五六七八九十])(?P<m>\d{{1,2}}|{CN_MONTH})\s*月份?\s*的?\s*"
        r"(?P<pz>上旬|中旬|下旬|上半个?月|下半个?月)"
        r"|(?<![0-9零一二三四五六七八九十])(?P<m2>\d{1,2}|"
        + CN_MONTH
        + r")\s*月份?\s*(?P<pz2>初|底|末)"
        r"(?!\s*(?:至今|到现在|以来|为止))",
        _month_part,
    ),  # fmt: skip
    (
        AL + r"(?:(?:the\s+)?(?P<pe>first|second|1st|2nd|front|back)\s+half\s+of\s+"
        r"|(?P<pe2>early|mid|middle|late)[\s-]+(?:of\s+)?)" + MON + AR,
        _month_part,
    ),  # fmt: skip
    (
        r"(?P<rz>上上个?月|上个?月|本月份?|这个月|当月|下个?月)\s*的?\s*"
        r"(?P<pz>上旬|中旬|下旬|上半个?月|下半个?月)",
        _rel_month_part,
    ),  # fmt: skip
    (
        AL + r"(?:(?:the\s+)?(?P<pe>first|second|1st|2nd|front|back)\s+half\s+of\s+"
        r"|(?P<pe2>early|mid|middle|late)[\s-]+(?:of\s+)?)(?P<re>last|this|next|previous)\s+month"
        + AR,
        _rel_month_part,
    ),  # fmt: skip
    # shopping festivals
    (
        AL + r"double[\s-]*(?:11|eleven)" + _EVENT_SUFFIX_EN + _EVENT_DAY_EN + AR,
        _event("double11"),
    ),
    (AL + r"singles['’]?\s*day" + _EVENT_SUFFIX_EN + AR, _event("double11")),
    (NL + r"11\.11(?![0-9.%])" + _EVENT_SUFFIX_EN, _event("double11", plain_number=True)),
    (r"双\s*(?:11|十一)" + _EVENT_SUFFIX_ZH + _EVENT_DAY_ZH + r"|光棍节", _event("double11")),
    (
        NL + r"6\.?18(?![0-9.%])" + _EVENT_SUFFIX_EN + _EVENT_SUFFIX_ZH + _EVENT_DAY_ZH,
        _event("618", True),
    ),
    # ("年中大促": the mid-year sale is 618 in Chinese e-commerce)
    (r"(?:六一八|年中大促)" + _EVENT_SUFFIX_ZH + _EVENT_DAY_ZH, _event("618")),
    (
        AL
        + r"(?:spring\s+festival|(?:chinese|lunar)\s+new\s+year)"
        + _EVENT_SUFFIX_EN
        + r"(?P<dayof>['’]s\s+day|\s+day(?!s))?"  # "Chinese New Year's Day": 正月初一
        + AR,
        _event("spring_festival"),
    ),  # fmt: skip
    (AL + r"(?-i:CNY)" + AR, _cny),
    (r"(?:春节|新春|过年)" + _EVENT_SUFFIX_ZH + _EVENT_DAY_ZH, _event("spring_festival")),
    (r"年货节" + _EVENT_SUFFIX_ZH, _event("spring_festival")),
    # named holidays and more festival words (knowledge/time_ranges/holidays.yaml)
    *_table_patterns(),
    # the first / last N units of a period
    (
        AL + rf"(?:the\s+)?(?P<side>first|opening|last|final|closing)\s+(?P<n>{NUMBER})\s+"
        r"(?P<u>days?|weeks?|months?|quarters?)\s+of(?:(?P<theyear>\s+the\s+year(?![A-Za-z]))|(?:\s+the)?"
        + AR
        + _PART_OF
        + ")"
        + rf"|(?<=[年月季度])的?(?P<side2>前|头|后|最后)\s*(?P<n2>{NUMBER})\s*"
        r"(?P<u2>天|日|周|个?星期|个?月|个?季度)",
        _part,
    ),  # fmt: skip
    # ("前三季度净销售额", "前两个季度": the first quarters of this year, said with no year;
    # "前一个季度" is the previous one, "前三个月" alone the first or the previous three months)
    (r"(?<![年月季度\d])前\s*(?P<n>[二两三23])\s*个?季度", _first_quarters),
    # comparison words
    # "vs the previous 30 days", "和前30天比一下": the N days (weeks, months) just before
    # the question's own period, not N days back from today.
    (
        AL + r"(?:vs\.?|versus|against|compare[sd]?\s+(?:to|with)|relative\s+to)\s+(?:the\s+)?"
        rf"(?:(?:previous|prior|preceding)\s+(?:(?P<n>{NUMBER})\s+)?"
        r"(?P<u>days?|weeks?|months?|quarters?)|(?P<ub>day|week|month|quarter)\s+before(?!\s+last)"
        # "vs the seven days before", "compared with the 4 weeks prior to that"
        rf"|(?P<n3>{NUMBER})(?:\s+(?P<u3>days?|weeks?|months?|quarters?)|(?P<u3l>[dwmq]))\s+(?:before|earlier|prior)"
        r"(?:\s+(?:to\s+)?(?:that|it|them|then))?"
        # "past 14 days against the 14 prior", "vs the previous 8": the unit said once, before
        rf"|(?P<n4>{NUMBER})\s+(?:before|earlier|prior)(?:\s+(?:to\s+)?(?:that|it|them|then))?"
        rf"|(?:previous|prior|preceding)\s+(?P<n5>{NUMBER})(?!\s*[A-Za-z])"
        # "vs the 30d before", "vs prior 4w": the unit's letter glued to the count
        rf"|(?:previous|prior|preceding)\s+(?P<n6>\d{{1,3}})(?P<u6>[dwmq])(?![A-Za-z]))"
        + AR
        + rf"|(?:和|跟|与|同|对比|相比|比|(?<![A-Za-z])vs\.?|(?<![A-Za-z])versus)\s*(?:一下)?\s*(?:再往前|再前面?的?|往前|之前的?|前面的?|前|上)\s*(?P<n2>{NUMBER})\s*"
        r"(?P<u2>天|日|周|个?星期|个?季度|个?月)(?:相比|对比|比较|比一下|比)?",
        _previous_n,
    ),  # fmt: skip
    (
        # ("the same stretch / span / window of last year": the same dates, said loosely)
        AL
        # ("set against ...", "sitting next to ...", "laid beside ...": one figure placed by
        # the other's, the comparison said with a verb of placing)
        + r"(?:(?:set|put|placed|laid|lined\s+up|held\s+up|stacked(?:\s+up)?|sitting|sat|shown|"
        r"displayed)\s+(?:against|next\s+to|beside|alongside|side\s+by\s+side\s+with)\s+(?=(?:the\s+)?same\s))?"
        # ("year on year", "YoY"; UK retail says "on" where US says "over")
        r"(?:year[\s-](?:over|on)[\s-]year|yoy|y/y|y-o-y|(?:the\s+)?same\s+(?:periods?|months?|quarters?|weeks?|days?|dates|stretch|span|window|half|halves|half-year)\s+(?:of\s+)?"
        r"(?:last|the\s+previous|the\s+prior)\s+year"
        # "the same month a year earlier", "vs a year before": the same dates a year earlier
        r"|(?:(?:vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to)\s+)?(?:the\s+)?same\s+"
        r"(?:periods?|months?|quarters?|weeks?|day|days|time|dates|stretch|span|window|half|half-year)\s+(?:one|a)\s+year\s+(?:earlier|before|ago|prior)"
        r"|(?:vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to)\s+(?:one|a)\s+year\s+"
        r"(?:earlier|before|ago|prior)"
        # the Chinese word typed in pinyin ("tongbi"): 同比
        r"|tong[\s-]?bi)"
        + AR
        + r"|同比|去年同期|上年同期|(?:去年|上年|上一年)同一?(?:月|季度?|周|个?月|个?季度|时段|时间段?|阶段|半年)",
        _marker("yoy"),
    ),  # fmt: skip
    (
        AL + r"(?:(?:month|week|quarter|period)[\s-](?:over|on)[\s-](?:month|week|quarter|period)|"
        r"(?-i:MoM|MOM|QoQ|QOQ|WoW|WOW)|m/m|(?:the\s+)?(?:previous|prior|preceding)\s+period"
        # "vs the one before", "against the previous one": the period just before the one asked
        r"|(?:vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to)\s+(?:the\s+)?"
        r"(?:one\s+(?:before|prior)(?!\s+(?:last|that))|(?:previous|prior|preceding)\s+one)"
        # the Chinese word typed in pinyin ("huanbi"): 环比
        r"|huan[\s-]?bi)" + AR + r"|环比|上期",
        _marker("pop"),
    ),  # fmt: skip
    (AL + r"(?:mom|qoq|wow)" + AR, _lower_marker),
]

COMPILED: list[tuple[re.Pattern[str], Builder]] = [(re.compile(p, re.I), b) for p, b in PATTERNS]


def tokenize(text: str, today: date) -> list[Piece]:
    """All recognised fragments, non-overlapping, longest match first, in text order."""
    found: list[tuple[int, int, int, Piece]] = []
    for priority, (pattern, build) in enumerate(COMPILED):
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            piece = build(m, today)
            if piece is not None:
                found.append((-(m.end() - m.start()), priority, m.start(), piece))
    chosen: list[Piece] = []
    for _, _, _, piece in sorted(found, key=lambda t: t[:3]):
        if all(piece.end <= c.start or piece.start >= c.end for c in chosen):
            chosen.append(piece)
    return sorted(chosen, key=lambda p: p.start)
