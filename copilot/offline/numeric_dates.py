"""Numeric dates that read both day-first and month-first ("03/04", "5/6 - 7/6"), asked back.

MARKETING.md: dates that read both ways (every part <= 12) are never guessed. The period
parser reads "m/d" (the store's and Chinese usage); an English question whose period rests
only on such dates, with nothing else in it fixing the order (a part over 12 such as
"9/28", a named period beside it such as "618 2026" or "week 41"), is asked back naming them.
"""

from __future__ import annotations

import re

from copilot.offline.clock import planner_today
from copilot.offline.question import Question
from copilot.unicode_text import has_cjk
from knowledge.presentation.messages import tr
from knowledge.time_ranges import find_period
from knowledge.time_ranges.lexicon import FULL_NUMERIC_DATE, numeric_day_first

# The period parser's "m/d" form (knowledge/time_ranges/lexicon.py `_slash_day`).
_SLASH_DATE = re.compile(r"(?<![0-9/.:])(\d{1,2})/(\d{1,2})(?![0-9/%]|[.:]\d)")


def ambiguous_date_problem(question: Question) -> str | None:
    """A question back naming the numeric dates of the question's period that read both
    day-first and month-first, when nothing else in the question fixes the order."""
    phrase = question.time_range or ""
    full = _full_dates_problem(question)
    if full is not None:
        return full
    if not phrase or has_cjk(question.raw):
        return None  # Chinese writes month/day ("10/2-10/6" is October)
    dates = [m for m in _SLASH_DATE.finditer(question.raw)]
    if not dates or any(int(a) > 12 or int(b) > 12 for a, b in (m.groups() for m in dates)):
        return None
    if numeric_day_first(question.raw) is not None:
        return None  # "(dd/mm)", "month first": the order is said
    said = [m for m in dates if m.group(0) in phrase]
    both = [m for m in said if m.group(1).lstrip("0") != m.group(2).lstrip("0")]
    if not both or any(int(x) == 0 for m in both for x in m.groups()):
        return None
    blanked = _SLASH_DATE.sub(lambda m: " " * len(m.group(0)), question.raw)
    if find_period(blanked, planner_today()) is not None:
        return None  # a named period beside the dates ("618 2026", "week 41") fixes them
    first = both[0]
    return _which_order(question.language, both, int(first.group(1)), int(first.group(2)))


def _full_dates_problem(question: Question) -> str | None:
    """Full numeric dates with the year ("03/04/2026 - 05/06/2026") that nothing in the
    question orders (no part over 12, no "dd/mm" note, not dotted), in any language."""
    dates = list(FULL_NUMERIC_DATE.finditer(question.raw))
    if not dates or numeric_day_first(question.raw) is not None:
        return None
    both = [m for m in dates if m.group("a").lstrip("0") != m.group("b").lstrip("0")]
    if not both:
        return None
    first = both[0]
    return _which_order(question.language, both, int(first.group("a")), int(first.group("b")))


def _which_order(language: str, dates: list[re.Match[str]], a: int, b: int) -> str:
    """The question back naming `dates`, the first read as month `a` day `b` or the reverse."""
    return tr(
        language,
        "“{dates}”: a date that reads both ways, {month_first} (month first) or {day_first} (day first). "
        "Which do you mean? Write the month as a word (e.g. “{example}”) or the date as "
        "YYYY-MM-DD. I'd rather ask than guess the dates.",
        dates="”, “".join(dict.fromkeys(m.group(0) for m in dates)),
        month_first=_spoken(a, b),
        day_first=_spoken(b, a),
        example=_spoken(a, b),
    )


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _spoken(month: int, day: int) -> str:
    return f"{day} {_MONTHS[month - 1]}"
