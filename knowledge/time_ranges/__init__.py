"""Understand the time period in a marketer's question, in English or Chinese.

``parse_period`` reads a text that is only a period ("last 30 days", "2025年Q3");
``find_period`` finds the period (and a comparison such as "vs last year" or
"环比") inside a free question. Both are pure functions of the text and the
anchor date ``today``.

Conventions (see the module docs of :mod:`.lexicon` and :mod:`.grammar`):

* Ranges are closed ``[start, end]`` and never extend past ``today``: a running
  period ("this month", "2026" in 2026, "Double 11 so far" during the sale) ends at today.
* "last N days" = the N complete days ending yesterday; "last N weeks / months /
  quarters" = the N complete calendar units before the current one; "last N
  years" / "近一年" = the last 12·N complete months.
* "last week / month / quarter / year" = the previous whole calendar unit;
  weeks run Monday to Sunday.
* A month, quarter or half without a year is its latest completed occurrence
  ("Q4" on 1 Nov 2026 = Q4 2025); a date without a year is its latest occurrence that
  has begun by today ("3月" in Feb 2026 = March 2025), a festival its latest completed one
  unless said as running ("Double 11" on 1 Nov 2026 = Double 11 2025; "Double 11 so far",
  "目前的双11" = the running Double 11 2026, to today); a month or quarter
  beginning today has no complete day yet, so "November" on 1 November 2026 is
  November 2025.
* Periods that start after today, or impossible dates, make ``parse_period``
  raise ValueError and are ignored by ``find_period``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache

from .events import CHINESE_NEW_YEAR, default_window, event_window
from .grammar import HINT, match_pieces
from .lexicon import tokenize
from .model import PeriodMatch, TimeRange

__all__ = [
    "CHINESE_NEW_YEAR",
    "PeriodMatch",
    "TimeRange",
    "default_window",
    "event_window",
    "find_period",
    "names_an_event",
    "parse_period",
]

Events = Mapping[str, Sequence[tuple[date, date]]]
# What may surround a bare period phrase: spaces, punctuation, a preposition.
_FILLER = re.compile(
    r"^[\s,.;:!?，。；：！？()（）\"'“”]*(?:(?:in|during|for|over|on|the)\s+)*$", re.I
)


def find_period(question: str, today: date, events: Events | None = None) -> PeriodMatch | None:
    """Find the period phrase in ``question`` (the first one, glued with any year or range).

    ``events`` maps "double11" / "618" / "spring_festival" to the store's campaign
    windows; they replace the default festival windows for the year they fall in.
    Returns None when the question names no period (or only a future one).
    """
    if events is None:  # the planner's readers ask this of the same text several times
        return _find_default_period(question, today)
    return match_pieces(question, today, events)


@lru_cache(maxsize=1024)
def _find_default_period(question: str, today: date) -> PeriodMatch | None:
    """`find_period` with the default festival windows, read once per text and day (the
    result is immutable: a frozen PeriodMatch of frozen TimeRanges)."""
    return match_pieces(question, today, None)


def names_an_event(text: str, today: date) -> bool:
    """Whether ``text`` names a festival or shopping event ("双十一", "618 2026", "春节档"),
    whose days are a campaign window rather than a calendar unit."""
    return any(p.kind == "event" for p in tokenize(text, today))


def parse_period(text: str, today: date, events: Events | None = None) -> TimeRange:
    """Parse a text that is entirely a period expression, e.g. "Q3 2025" or "最近7天".

    Raises ValueError with a hint when the text is not (only) a period, names an
    impossible date, or lies after ``today``.
    """
    error = ValueError(f"Cannot understand the period '{text}'; {HINT}")
    try:
        match = match_pieces(text, today, events, strict=True)
    except ValueError as exc:
        raise ValueError(f"{exc}" if "period" in str(exc) else f"{error}: {exc}") from exc
    if match is None or match.compare_to is not None:
        raise error
    start, end = match.span
    if not (_FILLER.match(text[:start]) and _FILLER.match(text[end:])):
        raise error
    return match.range
