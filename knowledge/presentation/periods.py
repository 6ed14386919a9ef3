"""Dates and period labels in the answer's language, with one pair of brackets.

A period reaches the writers as {start, end, label}, where the label speaks the
language of the phrase that named it ("上个月", "last month (October 2026)").
The answer may be in the other language (an English follow-up in a Chinese
conversation), so the label is only used when it speaks the answer's language;
otherwise the period is named from its dates. Calendar names come from
knowledge.time_ranges (the same names the question parser reads).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.dates import format_interval

from knowledge.presentation.messages import tr
from knowledge.presentation.numbers import locale_of
from knowledge.time_ranges.dates import calendar_name, month_end

_CJK = re.compile(r"[\u3400-\u9fff]")
# A trailing "(October 2026)" / "（2026年10月）" detail that a label may carry.
_DETAIL = re.compile(r"\s*[（(][^()（）]*[)）]\s*$")


def speaks(text: str, language: str) -> bool:
    """Whether a text is written in the answer's language (Chinese script or not)."""
    return bool(_CJK.search(text)) == (language == "zh")


def format_date(day: date | str, language: str = "en") -> str:
    """A calendar date by locale: 'Oct 5, 2026' / '2026年10月5日'."""
    value = date.fromisoformat(str(day)[:10]) if not isinstance(day, date) else day
    return str(
        babel_format_date(
            value, "medium" if language != "zh" else "long", locale=locale_of(language)
        )
    )


def day_span(start: date | str, end: date | str, language: str = "en") -> str:
    """The days a period covers, by locale: 'Mar 1 – 3, 2024' / '2024年3月1日 – 3日'."""
    text = format_interval(_as_date(start), _as_date(end), "yMMMd", locale=locale_of(language))
    return str(text).replace("\u2009", " ")  # babel's thin spaces, as span_text's plain ones


def span_text(start: date | str, end: date | str, language: str = "en") -> str:
    """'2026-10-01 – 2026-10-31' / '2026-10-01 至 2026-10-31' (ISO dates read in both)."""
    first, last = str(start)[:10], str(end)[:10]
    if first == last:
        return first
    return tr(language, "{start} – {end}", start=first, end=last)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def period_name(
    period: dict[str, Any] | None, language: str = "en", *, as_labelled: bool = False
) -> str:
    """A short name of the period: 'October 2026', 'this year', '2025年双11'; dates if no name fits.

    `period` is {start, end, label} (ISO dates or dates); None is all time. The
    calendar name wins over the label ("October 2026", not "last month"), unless
    `as_labelled`: a comparison reads as it was asked ("去年同期") when the label
    speaks the answer's language.
    """
    if period is None:
        return tr(language, "all time")
    start, end = _as_date(period["start"]), _as_date(period["end"])
    head = _head(str(period.get("label") or ""), start)
    if as_labelled and head and speaks(head, language):
        return head
    whole = calendar_name(start, end, language)
    if whole:
        return whole
    unit = to_date_unit(period)
    if unit:
        return tr(language, "{unit} to date", unit=_unit_name(start, unit, language))
    if head and speaks(head, language):
        return head
    return span_text(start, end, language)


def period_phrase(period: dict[str, Any] | None, language: str = "en") -> str:
    """The period as it follows a metric in a sentence: 'in October 2026 (…)', 'last 30 days (…)'.

    English puts "in" before a named period and "over" before bare dates; Chinese needs neither.
    """
    text = period_text(period, language)
    if language == "zh" or period is None:
        return text
    name = period_name(period, language)
    if name == span_text(period["start"], period["end"], language):
        return tr(language, "over {period}", period=text)
    relative = name.split(" ")[0].lower() in ("last", "this", "past", "previous", "month", "year")
    return text if relative else tr(language, "in {period}", period=text)


def period_text(period: dict[str, Any] | None, language: str = "en") -> str:
    """The period with its dates in one pair of brackets: 'October 2026 (2026-10-01 – 2026-10-31)'.

    A period that is only its dates reads as the dates; None reads 'over all time'.
    """
    if period is None:
        return tr(language, "over all time")
    name = period_name(period, language)
    span = span_text(period["start"], period["end"], language)
    if name == span:
        return span
    return tr(language, "{name} ({dates})", name=name, dates=span)


def to_date_unit(period: dict[str, Any] | None) -> str | None:
    """'month', 'quarter' or 'year' when the period is that calendar unit cut short (to date).

    The period's `grain` (the unit its phrase named: "this month" -> month) says
    it is a running unit; a range typed as dates has none and is never called
    "to date". A partial unit must not be read, or compared, as a whole one.
    """
    if period is None or period.get("grain") not in ("month", "quarter", "year"):
        return None
    unit = period["grain"]
    start, end = _as_date(period["start"]), _as_date(period["end"])
    first_month = {"month": start.month, "quarter": 3 * ((start.month - 1) // 3) + 1, "year": 1}
    if start.day != 1 or start.month != first_month[unit]:
        return None
    last_month = start.month + {"month": 0, "quarter": 2, "year": 12 - start.month}[unit]
    unit_end = month_end(date(start.year, last_month, 1))
    return unit if end < unit_end else None


def is_month_to_date(period: dict[str, Any] | None) -> bool:
    """Whether the period is a month cut short: "this month" on the 15th."""
    return to_date_unit(period) == "month"


def _unit_name(start: date, unit: str, language: str) -> str:
    """The whole unit the period starts: 'November 2026', 'Q4 2026', '2026'."""
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    last = month_end(date(start.year, start.month + months - 1, 1))
    return calendar_name(start, last, language) or span_text(start, last, language)


def _head(label: str, start: date) -> str:
    """The label without its bracketed detail or its own dates ('last month (October 2026)' -> 'last month')."""
    head = _DETAIL.sub("", label).strip()
    if start.isoformat() in head:
        return ""
    return head
