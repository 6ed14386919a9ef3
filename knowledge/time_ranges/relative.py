"""Periods relative to today: "last month", "本季度", "last 30 days", "近半年"."""

from __future__ import annotations

from datetime import date, timedelta

from . import dates as d
from .model import TimeRange

EN_UNIT_NAMES = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}
_ZH_ROLLING_UNITS = {"day": "天", "week": "周", "month": "个月", "quarter": "个季度", "year": "年"}
_EN_OFFSET_NAMES = {0: "this {u}", -1: "last {u}", -2: "the {u} before last", 1: "next {u}"}
_ZH_OFFSET_NAMES = {
    ("week", 0): "本周", ("week", -1): "上周", ("week", -2): "上上周", ("week", 1): "下周",
    ("month", 0): "本月", ("month", -1): "上个月", ("month", -2): "上上个月", ("month", 1): "下个月",
    ("quarter", 0): "本季度", ("quarter", -1): "上季度", ("quarter", -2): "上上季度",
    ("quarter", 1): "下季度", ("year", 0): "今年", ("year", -1): "去年", ("year", -2): "前年",
    ("year", -3): "大前年", ("year", 1): "明年",
}  # fmt: skip
TO_DATE_NAMES = {
    "year": ("year to date", "今年以来"),
    "quarter": ("quarter to date", "本季度至今"),
    "month": ("month to date", "本月至今"),
    "week": ("week to date", "本周至今"),
}


def unit_bounds(unit: str, offset: int, today: date) -> tuple[date, date]:
    """Whole calendar ``unit`` that is ``offset`` units away from the one holding today."""
    if unit == "week":
        start = d.week_start(today) + timedelta(weeks=offset)
        return start, start + timedelta(days=6)
    if unit == "day":
        day = today + timedelta(days=offset)
        return day, day
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    first = date(today.year, 1, 1) if unit == "year" else today.replace(day=1)
    if unit == "quarter":
        first = date(today.year, 3 * d.quarter_of(today) - 2, 1)
    start = d.add_months(first, offset * months)
    return start, d.month_end(d.add_months(start, months - 1))


def offset_name(unit: str, offset: int, lang: str) -> str:
    if lang == "zh":
        return _ZH_OFFSET_NAMES.get((unit, offset), f"{offset:+d}{unit}")
    if unit == "year" and offset == -2:
        return "the year before last"
    return _EN_OFFSET_NAMES.get(offset, f"{{u}} {offset:+d}").format(u=unit)


def calendar_offset(unit: str, offset: int, today: date, lang: str) -> TimeRange:
    """ "last month", "本季度", "去年"... cut at today (future ones raise later)."""
    start, end = unit_bounds(unit, offset, today)
    end = min(end, today) if start <= today else end
    return TimeRange(
        start, end, d.with_detail(offset_name(unit, offset, lang), start, end, lang), unit
    )


def rolling(n: int, unit: str, today: date, lang: str, sliding: bool = False) -> TimeRange:
    """The last ``n`` complete units before the current one.

    Days end yesterday (today's data is still coming in); weeks, months and
    quarters are whole calendar units ending with the last complete one, so a
    chart by that grain has no partial bucket; years count as 12·n months.
    ``sliding`` weeks ("最近一周", "the past week", "recent 2 weeks") are 7·n days
    ending yesterday instead: "last week" / "上周" stays the calendar week.
    """
    if n < 1:
        raise ValueError("a rolling period needs at least one unit")
    if unit == "week" and sliding:
        end = today - timedelta(days=1)
        start = end - timedelta(days=7 * n - 1)
    elif unit == "day":
        end = today - timedelta(days=1)
        start = end - timedelta(days=n - 1)
    elif unit == "week":
        end = d.week_start(today) - timedelta(days=1)
        start = end - timedelta(weeks=n) + timedelta(days=1)
    else:
        months = {"month": n, "quarter": 3 * n, "year": 12 * n}[unit]
        this_unit_start = unit_bounds("quarter" if unit == "quarter" else "month", 0, today)[0]
        end = this_unit_start - timedelta(days=1)
        start = d.add_months(this_unit_start, -months)
    if unit == "year":  # "the past year" / "近一年" is shown as what it is: 12 months
        n, unit = 12 * n, "month"
    if lang == "zh":
        name = f"最近{n}{_ZH_ROLLING_UNITS[unit]}"
    else:
        first = "past" if unit == "week" and sliding else "last"
        name = f"{first} {n} {EN_UNIT_NAMES[unit]}{'s' if n != 1 else ''}"
    grain = "day" if unit == "week" and sliding else unit  # a sliding week has no calendar grain
    return TimeRange(start, end, f"{name}（{d.span_text(start, end, lang)}）" if lang == "zh"
                     else f"{name} ({d.span_text(start, end, lang)})", grain)  # fmt: skip
