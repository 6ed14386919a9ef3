"""Glue pieces into periods, resolve them against ``today`` and find comparisons."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from . import dates as d
from .events import EVENT_NAMES, EventWindows, event_window, is_holiday, latest_started, main_day
from .lexicon import Piece, lang_of, tokenize
from .model import PeriodMatch, TimeRange
from .numerals import to_int
from .relative import TO_DATE_NAMES, calendar_offset, unit_bounds

HINT = "try e.g. 'last 30 days', '2025-Q3', '2025-01-01..2025-03-31'"
_CALENDAR_KINDS = ("month", "day", "quarter", "half", "event", "week")

# Glue allowed between a year and the fragment it qualifies: "2025年3月", "last year's Q3",
# "March 2025", "Q3 of last year", "Mar 5, 2025", "双十一 2025".
_YEAR_FIRST = re.compile(r"^\s*(?:'s|’s|的|-|/|,)?\s*$")
_YEAR_LAST = re.compile(r"^\s*(?:,|of|in|-|/)?\s*$", re.I)
# ("Sep + Oct", "Sep & Oct": the two months together, as "Sep and Oct")
# ("Oct 1 up to and including Nov 15", "through to": the end day counts, as "through")
_UPTO_WORDS = r"up\s+to\s+and\s+including|up\s+to|through\s+to|to|till|until|through|thru"
_RANGE_SEP = re.compile(
    rf"^\s*(?:{_UPTO_WORDS}|and|-|–|—|~|～|\.\.|\+|&|至|到|截至|截止(?:到|至)?)\s*(?:the\s+)?$",
    re.I,
)
# "YTD as of Nov 15", "QTD through the 15th", "本季度至今截至11月15日": a to-date period cut at
# a stated day (the day it is "as of"), not the period to today nor that day alone.
_TO_DATE_CUT = re.compile(
    rf"^\s*,?\s*(?:as\s+of|{_UPTO_WORDS}|截至|截止(?:到|至)?|到)\s*(?:the\s+)?$", re.I
)
# The end of a period said without its start ("through Nov 15", "up to 15 Nov", "截至11月15日").
_OPEN_START_CUT = re.compile(
    r"(?:(?<![A-Za-z])(?:up\s+to(?:\s+and\s+including)?|through|thru|until|till)\s+(?:the\s+)?"
    r"|截至|截止(?:到|至)?|直到|一直到)\s*$",
    re.I,
)
_RANGE_OPEN = re.compile(r"(?:(?<![A-Za-z])(?:from|between)\s+(?:the\s+)?|(?:从|自|由)\s*)$", re.I)
# ("since they went live on 10/20", "since the emails went out on the 3rd": since that day)
_SINCE_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])since\s+(?:(?:[a-z]+\s+){1,3}?(?:went\s+(?:live|out)|launched|started|began|"
    r"kicked\s+off|opened|(?:was|were)\s+(?:sent|launched)|got\s+sent)\s+(?:on\s+)?)?(?:the\s+)?"
    r"|(?:自|从)\s*)$",
    re.I,
)
_SINCE_AFTER = re.compile(
    r"^\s*(?:以来|至今|到现在|到今天|(?:起|开始)(?:至今)?|onwards?(?![A-Za-z])"
    r"|and\s+(?:after|since|later)(?![A-Za-z])|or\s+later(?![A-Za-z])"
    # ("Jan to now", "Jan 1 to date", "March till today"): since then, as 以来 / 至今
    r"|(?:up\s+)?(?:to|till|until|through|thru)\s+(?:now|today|date)(?![A-Za-z]))",
    re.I,
)
# "3月开始的活动", "5月1日起的活动": campaigns that began then, not a period since then.
_STARTED_THINGS = re.compile(r"^\s*的?\s*(?:活动|促销|营销活动|campaigns?)", re.I)
_VS = (
    r"(?:vs\.?|versus|v\.?s\.?|against|compared\s+(?:to|with|against)|compare\s+(?:to|with)|"
    r"relative\s+to|than|over|and|with|对比|相比于?|相较于?|比较|比起|比|和|与|跟|同|较)"
)
# ("Nov, also the comparison with the November before", "Q3 vs the previous Q3")
_VS_BETWEEN = re.compile(
    rf"^\s*,?\s*(?:(?:and|also|plus)\s+)*(?:the\s+)?(?:{_VS}|comparisons?\s+(?:to|with|against))"
    r"\s*(?:the\s+|的)?(?:(?:previous|prior|preceding)\s+)?\s*$",
    re.I,
)
_VS_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:vs\.?|versus|against|compared\s+(?:to|with|against)|relative\s+to|than"
    # ("and how that compares to Sept", "how it stacks up against Q2")
    r"|compares?\s+(?:to|with|against)|stacks?\s+up\s+(?:to|against)"
    # ("also the comparison with the November before", "in comparison to Q2")
    r"|comparisons?\s+(?:to|with|against)"
    # ("how it compares YoY with H1 2025", "YoY against Q3 2025": the shorthand before its base)
    r"|(?:compares?\s+|compared\s+)?(?:yoy|y/y|qoq|mom|wow)\s+(?:with|against|vs\.?|versus|to)"
    # ("Q3 revenue and how it moved from Q2", "how did it change from June?": a change from
    # a period is measured against it; "since" is left out, it also opens a period)
    r"|(?:chang(?:e[sd]?|ing)|mov(?:e[sd]?|ing)|shift(?:ed|s)?|grew|grown|rose|risen|fell|fallen"
    r"|dropped|went\s+(?:up|down))\s+(?:up\s+|down\s+)?from)"
    # ("同比一下去年9月", "对比一下上个月": the verb softened by 一下 before the period)
    r"|比起|相比于?|相较于?|对比|同比|环比|比|较)\s*(?:一下|下)?\s*(?:(?:the|our|those|these)\s+)?$",
    re.I,
)
# "the November before", "the previous Q3", "上一个11月": the same named period once more,
# before the one asked.
_ONE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:previous|prior|preceding|before|earlier)(?![A-Za-z])|上一个|前一个|之前的",
    re.I,
)
# "the previous / prior / preceding year": the year before the question's own period.
_BEFORE_THE_FIRST = re.compile(r"(?:the\s+)?(?:previous|prior|preceding)\b", re.I)
_VS_AFTER = re.compile(r"^\s*(?:相比|对比|比较|比)")
_PREP_LEFT = re.compile(
    r"(?:(?<![A-Za-z])(?:in|during|for|over|within|on)\s+(?:the\s+)?|在)$", re.I
)
_PARTICLE_RIGHT = re.compile(r"^(?:期间|之内|以内|内)?的?")
_ADJACENT = re.compile(r"^[\s,，、:：(（]*$")


def ends_an_open_period(text: str, word: str) -> bool:
    """Whether `word` of `text` is (in) a day said as the end of a period with no start
    ("through Nov 15", "截至11月15日"): asked back for the start, never read as that day."""
    for m in re.finditer(re.escape(word), text):
        head = text[: m.start()]
        day = re.search(
            r"(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?|\d{1,2}\s*月)\s*$", head, re.I
        )
        if _OPEN_START_CUT.search(head) or (day and _OPEN_START_CUT.search(head[: day.start()])):
            return True
    return False


def _one_day(p: Piece) -> bool:
    """A piece that names one day: a date ("Nov 15", "11月15日") or a day said relatively
    ("yesterday", "昨天")."""
    return p.kind == "day" or (p.kind == "fixed" and p.unit == "day")


def _glue(a: Piece, b: Piece, text: str) -> Piece | None:
    """Attach a year to the fragment beside it ("2025" + "3月", "Q3" + "last year")."""
    gap = text[a.end : b.start]
    if a.kind == "year" and b.floating and _YEAR_FIRST.match(gap):
        return b.spanning(a.start, b.end, year=a.year, rel=a.rel, lang=_lang(a, b, text))
    if a.floating and b.kind == "year" and _YEAR_LAST.match(gap):
        return a.spanning(a.start, b.end, year=b.year, rel=b.rel, lang=_lang(a, b, text))
    if a.floating and b.kind == "year" and _WORDS_BETWEEN.match(gap):
        # The words between ("sales") are the question's, not the period's: a hole.
        hole = (a.end, b.start)
        return a.spanning(a.start, b.end, year=b.year, rel=b.rel, lang=_lang(a, b, text), hole=hole)
    return None


# "Double 11 sales last year", "March revenue in 2025": a year after the metric word still
# qualifies the fragment before it; a comparison word between them ("March vs last year",
# "Q3 and last year") keeps them apart.
_WORDS_BETWEEN = re.compile(
    r"^\s+(?!(?:vs|versus|against|than|and|or|compared|to|with|over)\b)[a-z]+(?:'s|’s)?"
    r"(?:\s+(?!(?:vs|versus|against|than|and|or|compared|to|with|over)\b)[a-z]+)?\s+(?:in\s+)?$",
    re.I,
)


def _lang(a: Piece, b: Piece, text: str) -> str:
    return lang_of(text[a.start : b.end])


# Between the months of a list ("jul aug sep", "Jul, Aug, Sep", "7月、8月、9月").
_LIST_GAP = re.compile(r"^\s*[,，、/]?\s*$")


def _month_run_end(pieces: list[Piece], i: int, text: str) -> int:
    """The index of the last of three or more months running one after another from
    ``pieces[i]``, listed with nothing but spaces or commas between; ``i`` when there is none
    (two months listed stay two: "Jul, Sep" or "Jul Aug" may be asked apart)."""
    j = i
    while (
        j + 1 < len(pieces)
        and pieces[j].kind == "month"
        and pieces[j + 1].kind == "month"
        and pieces[j].month is not None
        and pieces[j + 1].month == pieces[j].month % 12 + 1
        and pieces[j + 1].year in (None, pieces[j].year)
        and pieces[j].days is None
        and pieces[j + 1].days is None
        and _LIST_GAP.match(text[pieces[j].end : pieces[j + 1].start])
    ):
        j += 1
    return j if j - i >= 2 else i


def compose(
    pieces: list[Piece], text: str, today: date, events: EventWindows | None
) -> list[Piece]:
    """Merge year qualifiers, then "X to Y" ranges and "since X" into single pieces."""
    merged: list[Piece] = []
    for piece in pieces:
        glued = _glue(merged[-1], piece, text) if merged else None
        if glued is not None:
            merged[-1] = glued
        else:
            merged.append(piece)
    merged = _bare_days(merged, text)
    merged = _bracketed_days(merged, text, today, events)
    merged = _cut_parts(merged, text, today, events)
    out: list[Piece] = []
    i = 0
    while i < len(merged):
        a = merged[i]
        b = merged[i + 1] if i + 1 < len(merged) else None
        opener = _RANGE_OPEN.search(text[: a.start])
        last = _month_run_end(merged, i, text)
        if last > i:
            # "jul aug sep", "Jul, Aug, Sep": three months running, listed, are one span
            try:
                out.append(_range_piece(a, merged[last], a.start, text, today, events))
            except ValueError:
                out.append(Piece("unreadable", a.start, merged[last].end, lang_of(text)))
            i = last + 1
            continue
        if b is not None and a.kind != "marker" and b.kind != "marker":
            sep = _RANGE_SEP.match(text[a.end : b.start])
            if sep is None and a.kind in ("fixed", "year") and a.offset == 0 and _one_day(b):
                sep = _TO_DATE_CUT.match(text[a.end : b.start])
            if sep and (
                sep.group(0).strip().lower() != "and"
                or (opener and "between" in opener.group(0).lower())
            ):
                start = opener.start() if opener else a.start
                try:
                    out.append(_range_piece(a, b, start, text, today, events))
                except ValueError:
                    # "Feb 3 to 30th", "March 20 to the 3rd": no period, and not its first
                    # day alone; resolving it raises (the phrase is reported or left unplaced).
                    out.append(Piece("unreadable", start, b.end, lang_of(text[start : b.end])))
                i += 2
                continue
        since_b = _SINCE_BEFORE.search(text[: a.start])
        since_a = _SINCE_AFTER.match(text[a.end :])
        if (
            since_a
            and since_a.group(0).strip()[:1] in "起开"
            and not since_b
            and _STARTED_THINGS.match(text[a.end + since_a.end() :])
        ):
            since_a = None  # "3月开始的活动" is a campaign start, not "since March"
        if since_b and since_b.group(0).strip() in ("自", "从") and not since_a:
            since_b = None
        if (
            a.kind != "marker"
            and (since_b or since_a)
            and not (a.kind == "fixed" and a.offset == 0)
        ):
            r = resolve(a, text, today, events)
            start = since_b.start() if since_b else a.start
            end = a.end + since_a.end() if since_a else a.end
            lang = lang_of(text[start:end])
            name = (
                f"{text[a.start : a.end]}以来" if lang == "zh" else f"since {r.start.isoformat()}"
            )
            fixed = TimeRange(r.start, today, d.with_detail(name, r.start, today, lang), None)
            out.append(Piece("fixed", start, end, lang, fixed=fixed))
        elif _one_day(a) and _OPEN_START_CUT.search(text[: a.start]):
            # "through Nov 15", "截至11月15日" with no start and no year to date said: a period
            # whose start is not stated, never that one day (resolving it raises: asked back).
            start = _OPEN_START_CUT.search(text[: a.start])
            assert start is not None
            out.append(
                Piece("unreadable", start.start(), a.end, lang_of(text[start.start() : a.end]))
            )
        else:
            out.append(a)
        i += 1
    return out


# A range's other end written as a bare day of the same month: "from the 3rd of March to
# the 20th", "3月3号到20号", "March 3-20", "the 3rd to the 20th of March". The bare day
# carries an ordinal or 日/号, or sits right after a dash, or ends the phrase; a count
# ("March 3 to 20 customers") is not a day. A day in Chinese numerals ("十月一号到七号")
# always carries its 号/日.
_BARE_DAY_AFTER = re.compile(
    r"^(?P<sep>\s*(?:up\s+to\s+and\s+including|up\s+to|to|till|until|through|thru|and|-|–|—|~|～|至|到)\s*)(?:the\s+)?"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3}(?=\s*[日号]))"
    r"(?P<suffix>st|nd|rd|th|\s*[日号])?(?![0-9A-Za-z]|\s*[:/.]\d|\s*%)",
    re.I,
)
_BARE_DAY_BEFORE = re.compile(
    r"(?<![0-9A-Za-z./\-一二三四五六七八九十月])(?:the\s+)?"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3}(?=\s*[日号]))(?P<suffix>st|nd|rd|th|\s*[日号])?"
    r"(?P<sep>\s*(?:up\s+to\s+and\s+including|up\s+to|to|till|until|through|thru|and|-|–|—|~|～|至|到)\s*)(?:the\s+)?$",
    re.I,
)
_PHRASE_END = re.compile(r"^\s*(?:$|[,.;:!?，。；：！？)）]|的)")


def _bare_day_ok(m: re.Match[str], after: str) -> bool:
    sep = m.group("sep")
    if m.group("suffix"):
        return True
    if sep.strip() in ("-", "–", "—", "~", "～") and not sep.startswith(" "):
        return True  # "March 3-20"
    return bool(_PHRASE_END.match(after))


def _bare_days(pieces: list[Piece], text: str) -> list[Piece]:
    """Give a range's bare-day end the month of the day at its other end ("March 3 to the
    20th", "the 3rd to the 20th of March"); a year written after the range is both ends'."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if p.kind != "day" or p.day is None:
            out.append(p)
            i += 1
            continue
        before = _BARE_DAY_BEFORE.search(text[: p.start])
        if (
            before
            and (not out or out[-1].end <= before.start())
            and _bare_day_ok(before, "")
            and _is_range(before, text)
            and 1 <= to_int(before.group("d")) < p.day
        ):
            lang = lang_of(text[before.start() : p.end])
            first = replace(p, start=before.start(), end=before.start("sep"), lang=lang)
            out.append(first.spanning(first.start, first.end, day=to_int(before.group("d"))))
        after = _BARE_DAY_AFTER.match(text[p.end :])
        end = p.end + after.end() if after else 0
        if not (
            after
            and (nxt is None or nxt.start >= end)
            and _bare_day_ok(after, text[end:])
            and _is_range(after, text, p)
            and 1 <= to_int(after.group("d")) <= 31
        ):
            out.append(p)
            i += 1
            continue
        if to_int(after.group("d")) <= p.day:  # "March 20 to the 3rd": which month's 3rd?
            out.append(Piece("unreadable", p.start, end, lang_of(text[p.start : end])))
            i += 1
            continue
        last = p.spanning(p.end + after.end("sep"), end, day=to_int(after.group("d")))
        if nxt is not None and nxt.kind == "year" and _YEAR_LAST.match(text[end : nxt.start]):
            # "Aug 2-9 2026": the year is both ends'
            p = p.spanning(p.start, p.end, year=nxt.year, rel=nxt.rel)
            last = last.spanning(last.start, nxt.end, year=nxt.year, rel=nxt.rel)
            i += 1
        out.extend((p, last))
        i += 1
    return out


def _is_range(m: re.Match[str], text: str, first: Piece | None = None) -> bool:
    """ "and" joins a range's ends only after "between"."""
    if m.group("sep").strip().lower() != "and":
        return True
    head = text[: first.start] if first is not None else text[: m.start()]
    opener = _RANGE_OPEN.search(head)
    return bool(opener and "between" in opener.group(0).lower())


# A named period's own days in brackets after it ("the 2025 Double 11 window (Nov 1-11)",
# "618大促（6月1日-18日）"): the gap before the first day is an opening bracket, after at
# most a period noun; the range's end is another day or a bare day number of the same
# month, and the bracket closes right after it.
_BRACKET_OPEN = re.compile(
    r"^\s*(?:(?:sales?\s+)?(?:window|period|season|event|stretch|days)\s*|期间|窗口期?|活动期间?"
    # ("双11那波（11.1-11.11）", "618这一场（6/1-6/18）": the sale said as one wave / run)
    r"|的?\s*(?:那|这)一?(?:波|次|期|场)"
    # ("去年这7天（10/25-10/31）", "last year's same 7 days (Oct 25-31)": those days of it)
    r"|的?\s*(?:这|那|同样的?|相同的?)\s*\d{1,2}\s*天|(?:'s|’s)?\s*(?:the\s+)?(?:same\s+)?\d{1,2}\s+days)?"
    r"[(（\[]\s*$",
    re.I,
)
_BRACKET_CLOSE = re.compile(r"^\s*[)）\]]")
# A weekday said before a bracketed day ("(Mon 28 Sep - Sun 4 Oct)", "（周一9/28至周日10/4）"):
# the day's restatement, no words of its own.
_WEEKDAY = re.compile(
    r"(?<![A-Za-z])(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?,?(?![A-Za-z])"
    r"|(?:周|星期|礼拜)[一二三四五六日天]",
    re.I,
)


def _no_weekdays(gap: str) -> str:
    return _WEEKDAY.sub(" ", gap)


_SAME_MONTH_END = re.compile(
    r"^\s*(?:to|till|until|through|thru|-|–|—|~|～|至|到)\s*(\d{1,2})(?:st|nd|rd|th|日|号)?"
    r"(?=\s*[)）\]])",
    re.I,
)
_NAMED_PERIODS = ("event", "year", "month", "quarter", "half", "week")


def _bracketed_days(
    pieces: list[Piece], text: str, today: date, events: EventWindows | None
) -> list[Piece]:
    """A named period followed by two days in brackets is those days, in the named period's
    year, when they meet its window. One day in brackets, a festival in brackets after a
    date, or days outside the period keep their own readings."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        a = pieces[i]
        b = pieces[i + 1] if i + 1 < len(pieces) else None
        found = None
        if (
            b is not None
            and a.kind in _NAMED_PERIODS
            and b.kind == "day"
            and b.floating
            and _BRACKET_OPEN.match(_no_weekdays(text[a.end : b.start]))
        ):
            found = _bracket_range(pieces, i, text, today, events)
        if found is not None:
            piece, used = found
            out.append(piece)
            i += used
            continue
        out.append(a)
        i += 1
    return out


def _bracket_range(
    pieces: list[Piece], i: int, text: str, today: date, events: EventWindows | None
) -> tuple[Piece, int] | None:
    a, b = pieces[i], pieces[i + 1]
    c = pieces[i + 2] if i + 2 < len(pieces) else None
    assert b.month is not None and b.day is not None
    last_month, last_day, end, used = None, None, None, 0
    same_month = _SAME_MONTH_END.match(text[b.end :])
    if same_month and (c is None or c.start >= b.end + same_month.end()):
        last_month, last_day, end, used = (
            b.month,
            int(same_month.group(1)),
            b.end + same_month.end(),
            2,
        )
    elif (
        c is not None
        and c.kind == "day"
        and c.floating
        and _RANGE_SEP.match(_no_weekdays(text[b.end : c.start]))
        and _BRACKET_CLOSE.match(text[c.end :])
    ):
        assert c.month is not None and c.day is not None
        last_month, last_day, end, used = c.month, c.day, c.end, 3
    if end is None or last_month is None or last_day is None:
        return None
    close = _BRACKET_CLOSE.match(text[end:])
    if close is None:
        return None
    end += close.end()
    try:
        whole = resolve(a, text, today, events, clip=False)
        y = whole.start.year
        first, last = date(y, b.month, b.day), date(y, last_month, last_day)
    except ValueError:
        return None
    if last < first or last < whole.start or first > whole.end or first > today:
        return None  # backwards, outside the named period, or not begun: left as written
    phrase = text[a.start : end]
    lang = lang_of(phrase)
    cut = min(last, today)
    if a.kind == "event":  # event labels show the (cut) dates themselves
        label = _label(replace(a, lang=lang), y, first, cut, today)[0]
    else:
        label = d.describe(first, cut, lang) + _cut_note(last, cut, lang)
    return Piece("fixed", a.start, end, lang, fixed=TimeRange(first, cut, label, "day")), used


_PART_GAP = re.compile(r"^\s*的?\s*$")


def _cut_parts(
    pieces: list[Piece], text: str, today: date, events: EventWindows | None
) -> list[Piece]:
    """Cut a period to its first or last N units ("the first three months of 2026" before
    it, "2026年前三个月" after it); a part beside no period is dropped, never read alone."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        a = pieces[i]
        b = pieces[i + 1] if i + 1 < len(pieces) else None
        whole: Piece | None = None
        part = None
        if a.kind == "part" and b is not None and b.kind not in ("marker", "part"):
            whole, part = b, a  # English: the part is written first
        elif (
            b is not None
            and b.kind == "part"
            and a.kind not in ("marker", "part")
            and _PART_GAP.match(text[a.end : b.start])
        ):
            whole, part = a, b
        if whole is not None and part is not None and text[a.end : b.start].strip() in ("", "的"):
            try:
                out.append(_part_of(whole, part, a.start, b.end, text, today, events))
                i += 2
                continue
            except ValueError:
                pass  # the period itself cannot be resolved: left for the caller to report
        if a.kind == "part" and a.rel is not None:  # "... of the year": this year's
            year = Piece("year", a.end, a.end, a.lang, rel=a.rel, unit="year", offset=a.rel)
            out.append(_part_of(year, a, a.start, a.end, text, today, events))
        elif a.kind != "part":
            out.append(a)
        i += 1
    return out


def _part_of(
    whole: Piece,
    part: Piece,
    start: int,
    end: int,
    text: str,
    today: date,
    events: EventWindows | None,
) -> Piece:
    r = resolve(whole, text, today, events)
    count, unit = part.offset or 1, part.unit or "month"
    if unit == "quarter":  # "the first three quarters of 2026", "今年前三季度": 9 months
        count, unit = count * 3, "month"
    if part.side == "first":
        first = r.start
        after = (
            d.add_months(first, count)
            if unit == "month"
            else first + timedelta(days=count * (7 if unit == "week" else 1))
        )
        last = min(after - timedelta(days=1), r.end)
    else:
        last = r.end
        next_day = last + timedelta(days=1)
        first = (
            d.add_months(next_day, -count)
            if unit == "month"
            else next_day - timedelta(days=count * (7 if unit == "week" else 1))
        )
        first = max(first, r.start)
    lang = lang_of(text[start:end])
    name = text[start:end].strip()
    fixed = TimeRange(first, last, d.with_detail(name, first, last, lang), None)
    return Piece("fixed", start, end, lang, fixed=fixed)


# Words that say a period is the one running now ("so far", "to date", "ongoing", "目前",
# "进行中", "这次", "今年的"): a festival named with them is its running occurrence.
RUNNING_WORDS = re.compile(
    r"(?i)\b(?:so\s+far|to\s+date|ongoing|running|current|currently|in\s+progress|this\s+year'?s?"
    r"|underway|going|live|(?:that|which)\s+(?:just\s+)?(?:wrapped|ended|finished|started|began)"
    r"|just\s+(?:wrapped|ended|finished|started|began))\b"
    r"|目前|截至目前|到目前|进行中|正在|这次|本次|今年|这一?波|刚(?:刚)?(?:结束|开始)"
)


def _year_of(p: Piece, today: date) -> int | None:
    if p.year is not None:
        return p.year
    if p.rel is not None:
        return today.year + p.rel
    return None


def _range_piece(
    a: Piece, b: Piece, start: int, text: str, today: date, events: EventWindows | None
) -> Piece:
    """ "from X to Y": a floating end borrows the other end's year ("2025年1月到3月")."""
    ya, yb = _year_of(a, today), _year_of(b, today)
    if a.floating and b.floating:
        ra = resolve(a, text, today, events, clip=False)
        rb = resolve(b, text, today, events, year=ra.start.year, clip=False)
        if rb.end < ra.start:
            rb = resolve(b, text, today, events, year=ra.start.year + 1, clip=False)
    elif a.floating:
        rb = resolve(b, text, today, events, clip=False)
        ra = resolve(a, text, today, events, year=yb or rb.end.year, clip=False)
        if ra.start > rb.end:
            ra = resolve(a, text, today, events, year=(yb or rb.end.year) - 1, clip=False)
    else:
        ra = resolve(a, text, today, events, clip=False)
        inherit = (ya or ra.start.year) if b.floating else None
        rb = resolve(b, text, today, events, year=inherit, clip=False)
        if b.floating and rb.end < ra.start:
            rb = resolve(b, text, today, events, year=(ya or ra.start.year) + 1, clip=False)
    phrase = text[start : b.end]
    if rb.end < ra.start:
        raise ValueError(f"The period '{phrase}' ends before it starts")
    lang = lang_of(phrase)
    first, last = _check_future(ra.start, rb.end, today, phrase)
    label = d.describe(first, last, lang) + _cut_note(rb.end, last, lang)
    grain = ra.grain_hint if ra.grain_hint == rb.grain_hint else None
    return Piece("fixed", start, b.end, lang, fixed=TimeRange(first, last, label, grain))


def _check_future(start: date, end: date, today: date, phrase: str) -> tuple[date, date]:
    if start > today:
        raise ValueError(
            f"The period '{phrase}' starts after today ({today.isoformat()}); "
            f"only past periods have data; {HINT}"
        )
    return start, min(end, today)


def _cut_note(end: date, cut: date, lang: str) -> str:
    if cut >= end:
        return ""
    return f"（截至{cut.isoformat()}）" if lang == "zh" else f" (to {cut.isoformat()})"


def resolve(
    p: Piece,
    text: str,
    today: date,
    events: EventWindows | None = None,
    year: int | None = None,
    clip: bool = True,
) -> TimeRange:
    """Turn a piece into a TimeRange; a floating piece takes ``year`` or its latest occurrence.

    Raises ValueError for impossible dates and for periods that start after today.
    """
    phrase = text[p.start : p.end]
    if p.kind == "unreadable":
        raise ValueError(f"Cannot understand the period '{phrase}'; {HINT}")
    if p.kind == "fixed":
        assert p.fixed is not None
        _check_future(p.fixed.start, p.fixed.end, today, phrase)
        return p.fixed
    if p.kind == "year" and p.rel is not None and year is None:
        r = calendar_offset("year", p.rel, today, p.lang)
        _check_future(r.start, r.end, today, phrase)
        return r
    y = year if year is not None else _year_of(p, today)
    if y is None:  # floating: this year's occurrence if it has begun, else last year's
        if p.kind == "event" and not p.main_day and not is_holiday(p.event or ""):
            assert p.event is not None
            y, window = latest_started(p.event, today, events)
            # (running: its window, or its own day, not yet over; a store's campaign window
            # cut at the data's last day still leaves 11.11 to come)
            running = window[1] >= today or main_day(p.event, y) >= today
            if running and not RUNNING_WORDS.search(text):
                # A festival still running is said as such ("Double 11 so far", "目前的双11");
                # named bare, it is the latest completed one, as a month or quarter is
                # ("Double 11" on 1 November 2026 = Double 11 2025).
                y -= 1
        else:
            y = today.year
            # A month, quarter or half named without a year is the latest COMPLETED one:
            # "Q4" asked in November is last year's Q4, not a month of this one (a running
            # unit is said as "this quarter"). A day or a date range is itself once begun.
            begun, ends = _bounds(p, y, events)
            # A named holiday (National Day, 中秋) too: the latest completed one.
            running = (
                p.kind in ("month", "quarter", "half", "week")
                or (p.kind == "event" and is_holiday(p.event or ""))
            ) and ends >= today
            if begun > today or running or (begun == today and p.kind != "day"):
                y -= 1
    try:
        start, end = _bounds(p, y, events)
    except ValueError as exc:
        raise ValueError(f"Cannot understand the period '{phrase}': {exc}; {HINT}") from exc
    label, grain = _label(p, y, start, end, today)
    if not clip:
        return TimeRange(start, end, label, grain)
    first, last = _check_future(start, end, today, phrase)
    if p.kind == "event":  # event labels show the (cut) dates themselves
        label, grain = _label(p, y, first, last, today)
    else:
        label += _cut_note(end, last, p.lang)
    return TimeRange(first, last, label, grain)


def _bounds(p: Piece, y: int, events: EventWindows | None) -> tuple[date, date]:
    if p.kind == "year":
        return date(y, 1, 1), date(y, 12, 31)
    if p.kind == "month":
        assert p.month is not None
        first, last = d.month_range(y, p.month)
        if p.days:  # "3月上旬", "the second half of September": those days of the month
            start_day, end_day = p.days
            return first.replace(day=start_day), min(last, first + timedelta(days=end_day - 1))
        return first, last
    if p.kind == "day":
        assert p.month is not None and p.day is not None
        day = date(y, p.month, p.day)
        return day, day
    if p.kind == "quarter":
        assert p.quarter is not None
        return d.quarter_range(y, p.quarter)
    if p.kind == "week":  # ISO weeks: week 1 holds the year's first Thursday
        assert p.week is not None
        monday = date.fromisocalendar(y, p.week, 1)
        return monday, monday + timedelta(days=6)
    if p.kind == "half":
        return (date(y, 1, 1), date(y, 6, 30)) if p.half == 1 else (date(y, 7, 1), date(y, 12, 31))
    if p.kind == "event":
        assert p.event is not None
        if p.main_day:
            day = main_day(p.event, y)
            return day, day
        if p.week_of:
            day = main_day(p.event, y)
            monday = day - timedelta(days=day.weekday())
            return monday, monday + timedelta(days=6)
        return event_window(p.event, y, events)
    raise ValueError(f"not a period piece: {p.kind}")


def _label(p: Piece, y: int, start: date, end: date, today: date) -> tuple[str, str | None]:
    lang = p.lang
    if p.kind == "event":
        assert p.event is not None
        name = EVENT_NAMES[p.event][lang]
        if p.main_day:
            name = f"{name}当天" if lang == "zh" else f"{name} (the day itself)"
        elif p.week_of:
            name = f"{name}所在周" if lang == "zh" else f"the week of {name}"
        head = f"{y}年{name}" if lang == "zh" else f"{name} {y}"
        return d.with_detail(head, start, end, lang).replace(f"（{head}）", ""), "day"
    if p.kind == "day":
        return (f"{y}年{start.month}月{start.day}日" if lang == "zh" else start.isoformat()), "day"
    if p.days or p.kind == "week":
        return d.describe(start, end, lang), "day"
    grain = {"year": "year", "month": "month", "quarter": "quarter"}.get(p.kind)
    return d.describe(start, end, lang), grain


def _year_before_a_named_year(primary: Piece, second: Piece, question: str) -> bool:
    """ "2024 vs the previous / prior year": the second period counts back from the first."""
    return (
        second.rel == -1
        and primary.kind == "year"
        and primary.rel is None
        and bool(_BEFORE_THE_FIRST.match(question[second.start : second.end]))
    )


def _whole_years(p: Piece) -> bool:
    return p.kind == "year" or (p.kind == "fixed" and p.unit == "year")


def _compare_label(name_en: str, name_zh: str, start: date, end: date, lang: str) -> str:
    whole = d.calendar_name(start, end, lang)
    if whole:
        return whole
    name = name_zh if lang == "zh" else name_en
    return d.with_detail(name, start, end, lang)


def yoy(r: TimeRange, lang: str) -> TimeRange:
    """Same dates one year earlier (同比)."""
    shifted = d.shift_years(r, 1, "")
    label = _compare_label("same period last year", "去年同期", shifted.start, shifted.end, lang)
    return replace(shifted, label=label)


def pop(r: TimeRange, lang: str) -> TimeRange:
    """Previous period of equal length (环比 / MoM)."""
    start, end = d.previous_period(r)
    return TimeRange(
        start, end, _compare_label("previous period", "上期", start, end, lang), r.grain_hint
    )


def _units_before(r: TimeRange, count: int, unit: str, lang: str) -> TimeRange:
    """The `count` days, weeks, months or quarters just before `r` ("vs the previous 30 days");
    the previous period itself when that is the same span."""
    if unit in ("month", "quarter"):
        start = d.add_months(r.start, -count * (3 if unit == "quarter" else 1))
    else:
        start = r.start - timedelta(days=count * (7 if unit == "week" else 1))
    end = r.start - timedelta(days=1)
    same = pop(r, lang)
    if (same.start, same.end) == (start, end):
        return same
    return TimeRange(start, end, _compare_label("previous period", "上期", start, end, lang), unit)


def _current_unit(p: Piece, today: date, lang: str) -> TimeRange:
    """The running unit of a "last <unit>" phrase, to date: "vs last month" alone -> this month."""
    unit = p.unit or "year"
    start = unit_bounds(unit, 0, today)[0]
    name = TO_DATE_NAMES[unit][lang == "zh"]
    return TimeRange(start, today, d.with_detail(name, start, today, lang), unit)


def _extend(span: tuple[int, int], text: str) -> tuple[int, int]:
    """Widen a span over a leading preposition ("in", "在") and trailing particles ("期间", "的")."""
    start, end = span
    left = _PREP_LEFT.search(text[:start])
    if left:
        start = left.start()
    right = _PARTICLE_RIGHT.match(text[end:])
    return start, end + (right.end() if right else 0)


def _pieces(question: str, today: date, events: EventWindows | None) -> list[Piece]:
    """Composed pieces; periods that cannot be resolved (future, impossible) are dropped."""
    out = []
    for p in compose(tokenize(question, today), question, today, events):
        if p.kind != "marker":
            try:
                resolve(p, question, today, events)
            except ValueError:
                continue
        out.append(p)
    return out


def _pop_of_the_period(second: Piece, markers: list[Piece], primary: Piece, gap: str) -> bool:
    """Whether ``second`` is "上月" / "last month" said right after a period-over-period word
    (环比, MoM) that follows the question's own period: the unit before that period."""
    return (
        second.offset == -1
        and second.unit not in (None, "year")
        and primary.offset is None
        and any(m.marker == "pop" and primary.end <= m.start < second.start for m in markers)
    )


def match_pieces(
    question: str, today: date, events: EventWindows | None, strict: bool = False
) -> PeriodMatch | None:
    """Core of find_period; with ``strict`` unresolvable periods raise instead of being skipped."""
    if strict:
        pieces = compose(tokenize(question, today), question, today, events)
        for p in pieces:
            if p.kind != "marker":
                resolve(p, question, today, events)
    else:
        pieces = _pieces(question, today, events)
    periods = [p for p in pieces if p.kind != "marker"]
    markers = [p for p in pieces if p.kind == "marker"]
    if not periods:
        # "和再往前14天比一下" alone counts back from a period the question does not give
        # (a follow-up's: copilot/offline/followups.py), not from this month.
        markers = [p for p in markers if not p.offset]
    if not periods and not markers:
        return None
    used: list[Piece] = []
    compare: TimeRange | None = None
    one_before_end = 0  # where "the November before"'s "before" ends, when it was read
    if periods:
        primary = periods[0]
        rng = resolve(primary, question, today, events)
        used.append(primary)
        second = periods[1] if len(periods) > 1 else None
        lone_target = _VS_BEFORE.search(question[: primary.start]) and primary.offset == -1
        gap = question[primary.end : second.start] if second else ""
        third = periods[2] if len(periods) > 2 else None
        if (
            third
            and primary.floating
            and primary.kind in ("month", "quarter", "half", "event")
            and second is not None
            and second.kind == third.kind == "year"
            and second.year is not None
            and third.year is not None
            and _VS_BETWEEN.match(question[second.end : third.start])
        ):
            # "Spring Festival SMS conversion, 2026 vs 2025": the part of a year said once,
            # then two years set against each other, is that part in each year.
            used += [second, third]
            rng = resolve(primary, question, today, events, year=second.year)
            compare = resolve(primary, question, today, events, year=third.year)
        elif second and (_VS_BETWEEN.match(gap) or _VS_BEFORE.search(gap)):
            used.append(second)
            if _pop_of_the_period(second, markers, primary, gap):
                # "2026年1月 环比上月", "Jan MoM vs the prior month": 环比 counts back from the
                # question's own period, not from today
                compare = pop(rng, second.lang)
            elif second.kind == "year" and second.rel == -1 and not _whole_years(primary):
                compare = yoy(rng, second.lang)  # "Q3 vs last year" means Q3 a year earlier
            elif _year_before_a_named_year(primary, second, question):
                # "2024 vs the previous year" is 2023, not the year before today
                compare = yoy(rng, second.lang)
            elif (
                second.kind == "year"
                and second.year is not None
                and primary.kind in ("month", "quarter", "half", "event", "day")
                and primary.rel is None
            ):
                # "Q3 2026 vs 2025", "Double 11 2025 vs 2024", "2025年双11对比2024年": a year
                # set against a part of a year is that same part in it, never the whole year.
                compare = resolve(primary, question, today, events, year=second.year)
            elif primary.floating and not second.floating:  # "Q1 vs Q2 2025": Q1 2025
                compare = resolve(second, question, today, events)
                same_year = resolve(primary, question, today, events, year=_year_of(second, today))
                if (same_year.start, same_year.end) != (compare.start, compare.end):
                    rng = same_year
                # else "March vs March last year": a period is never compared with itself;
                # the bare one is its latest occurrence (rng as resolved above).
            else:  # "Q3 2025 vs Q2" compares with Q2 2025
                year = _year_of(primary, today) if second.floating else None
                compare = resolve(second, question, today, events, year=year)
                said_before = _ONE_BEFORE.search(
                    question, max(0, second.start - 12), second.end + 16
                )
                if (compare.start, compare.end) == (rng.start, rng.end) and said_before:
                    # "November vs the November before", "the previous November": the same
                    # month (quarter ...) a year earlier, never the period itself; the word
                    # after it is the phrase's, so the phrase read again says it too
                    compare = yoy(rng, second.lang)
                    one_before_end = max(second.end, said_before.end())
        elif lone_target and primary.unit and not markers:
            # "compared to last year" with no other period: this year to date vs the same
            # days of last year (likewise for month / quarter / week).
            rng = _current_unit(primary, today, primary.lang)
            if rng.start == today and primary.unit != "year":
                # "revenue vs last month" on the 1st: the running month is a day old, so as
                # reports give it (and as 环比 alone reads), the last complete month vs the one
                # before it; the answer's labels name both.
                rng = calendar_offset(primary.unit or "month", -1, today, primary.lang)
            compare = yoy(rng, primary.lang) if primary.unit == "year" else pop(rng, primary.lang)
    else:
        # A comparison word alone: 同比 / YoY -> this year to date vs the same days a year
        # earlier; 环比 / MoM (QoQ, WoW) -> the last complete month (quarter, week) vs the one
        # before it, as reports give it: the running month may be a day old.
        unit = markers[0].unit or "month"
        if markers[0].marker == "yoy" or markers[0].offset:
            fake = Piece("fixed", markers[0].start, markers[0].start, markers[0].lang, unit=unit)
            rng = _current_unit(fake, today, markers[0].lang)
        else:
            rng = calendar_offset(unit, -1, today, markers[0].lang)
    if compare is None and markers:
        lang = markers[0].lang
        if markers[0].marker == "yoy":
            compare = yoy(rng, lang)
        elif markers[0].offset:  # "vs the previous 30 days": that many units before
            compare = _units_before(rng, markers[0].offset, markers[0].unit or "day", lang)
        else:
            compare = pop(rng, lang)
        used.append(markers[0])
    if compare is not None and markers:
        # "同比去年同期", "环比上期", "yoy vs the same period last year": two words for one
        # comparison are one comparison, and both are the period's words.
        kind = markers[0].marker
        used.extend(m for m in markers if m.marker == kind and m not in used)
    used.sort(key=lambda p: p.start)
    spans = tuple(
        _extend(part, question)
        for p in used
        for part in (((p.start, p.hole[0]), (p.hole[1], p.end)) if p.hole else ((p.start, p.end),))
    )
    holes = tuple(p.hole for p in used if p.hole)
    span = spans[0]
    for nxt in spans[1:]:  # merge pieces that touch or are joined by a comparison word
        gap = question[span[1] : nxt[0]]
        if _ADJACENT.match(gap) or _VS_BETWEEN.match(gap):
            span = (span[0], nxt[1])
    if one_before_end and compare is not None:
        last = max(i for i, (start, _) in enumerate(spans) if start < one_before_end)
        spans = tuple(
            (start, max(end, one_before_end)) if i == last else (start, end)
            for i, (start, end) in enumerate(spans)
        )
        span = (span[0], max(span[1], one_before_end))
    if compare is not None and used:
        after = _VS_AFTER.match(question[span[1] :])  # "与去年相比"
        if after:
            span = (span[0], span[1] + after.end())
        before = _VS_BEFORE.search(question[: span[0]])
        if before and len(used) == 1:
            # "revenue compared to last year": the comparison word is the phrase's too, or
            # the phrase read again ("last year") would name the other period alone.
            span = (before.start(), span[1])
            spans = ((before.start(), spans[0][0]), *spans)
    weekend = _WEEKEND_LEFT.search(question[: span[0]])
    weekend_right = None if weekend else _WEEKEND_RIGHT.match(question[span[1] :])
    if (weekend or weekend_right) and compare is None and _is_a_weekend(rng):
        # "weekend 17-18 Oct", "10月17-18日那个周末": the word names the days said; dates
        # that are not a weekend leave it unread, to be asked about.
        span, spans = _widened(span, spans, weekend, weekend_right)
        if rng.days == 1 and rng.start.weekday() in (5, 6):
            # "the weekend of Oct 17" (a Saturday): that whole weekend, not its one day
            first = rng.start - timedelta(days=rng.start.weekday() - 5)
            rng = _days_from(first, 2, today, used[0].lang if used else lang_of(question), "day")
    week_left = _WEEK_OF_LEFT.search(question[: span[0]])
    week_right = _WEEK_OF_RIGHT.match(question[span[1] :])
    if (week_left or week_right) and compare is None and rng.days == 1:
        # "the week of Oct 5", "wk starting 5 October", "10月5日那周": the week the day names,
        # Monday to Sunday (the parser's weeks), or the seven days from it when it "starts"
        # the week; never the day alone, which answered a different question.
        first = rng.start
        if not (week_left and week_left.group("starts")):
            first = d.week_start(first)
        rng = _days_from(first, 7, today, used[0].lang if used else lang_of(question), "week")
        span, spans = _widened(span, spans, week_left, week_right)
    quarter = _QUARTER_RIGHT.match(question[span[1] :])
    if quarter and _is_a_quarter(rng):
        # "7-9月那个季度", "Jul-Sep, i.e. that quarter": the word names the months said;
        # months that are not one calendar quarter leave it unread, to be asked about.
        span, spans = _widened(span, spans, None, quarter)
    return PeriodMatch(rng, compare, span, spans, holes)


def _widened(
    span: tuple[int, int],
    spans: tuple[tuple[int, int], ...],
    left: re.Match[str] | None,
    right: re.Match[str] | None,
) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
    """The period's span and pieces widened over a word naming it: `left` matched in the text
    before the span ("the week of"), `right` in the text after it ("那周", "那个季度")."""
    if left:
        span = (left.start(), span[1])
        spans = ((left.start(), spans[0][1]), *spans[1:])
    if right:
        span = (span[0], span[1] + right.end())
        spans = (*spans[:-1], (spans[-1][0], span[1]))
    return span, spans


def _days_from(first: date, days: int, today: date, lang: str, grain: str) -> TimeRange:
    """`days` days from `first`, cut at today (as every range is), labelled in `lang`."""
    last = max(first, min(first + timedelta(days=days - 1), today))
    return TimeRange(first, last, d.describe(first, last, lang), grain)


_QUARTER_RIGHT = re.compile(
    r"^\s*(?:的\s*)?(?:那|这)\s*(?:个|一)?\s*季度?|^,?\s*(?:i\.?e\.?,?\s*)?(?:that|the\s+whole|the)\s+quarter(?![A-Za-z])",
    re.I,
)


def _is_a_quarter(rng: TimeRange) -> bool:
    """Whether a range is exactly one calendar quarter."""
    s, e = rng.start, rng.end
    return (
        s.day == 1
        and s.month in (1, 4, 7, 10)
        and e.year == s.year
        and e.month == s.month + 2
        and (e + timedelta(days=1)).day == 1
    )


_WEEK_OF_LEFT = re.compile(
    r"(?<![A-Za-z])(?:the\s+)?(?:week|wk)\s+(?:of|(?P<starts>starting|beginning|commencing|from))"
    r"\s+(?:on\s+)?(?:the\s+)?$",
    re.I,
)
_WEEK_OF_RIGHT = re.compile(
    r"^\s*(?:所在的?|的)?\s*(?:那|这|当)\s*(?:一|个)?\s*(?:周|星期|礼拜)(?![一二三四五六日天末])|^\s*所在(?:的)?周",
)
_WEEKEND_RIGHT = re.compile(r"^\s*(?:的\s*)?(?:那|这)\s*(?:个|一)?\s*周末")
_WEEKEND_LEFT = re.compile(r"(?:(?<![A-Za-z])(?:the\s+)?week[\s-]?end(?:\s+of)?\s*|周末)$", re.I)


def _is_a_weekend(rng: TimeRange) -> bool:
    """Whether a range is days of one weekend (Friday to Sunday, at least one of Sat / Sun)."""
    days = (rng.end - rng.start).days + 1
    weekdays = (
        {(rng.start + timedelta(days=k)).weekday() for k in range(days)} if days <= 3 else set()
    )
    return bool(weekdays) and weekdays <= {4, 5, 6} and bool(weekdays & {5, 6})
