"""Calendar arithmetic and labels shared by the parser modules."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .model import TimeRange

EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
CN_QUARTERS = ["一", "二", "三", "四"]


def month_end(d: date) -> date:
    """Last day of ``d``'s month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def month_range(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    return start, month_end(start)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    return start, month_end(date(year, 3 * quarter, 1))


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def week_start(d: date) -> date:
    """Monday of ``d``'s week: weeks run Monday-Sunday (ISO, and the Chinese 周一 convention)."""
    return d - timedelta(days=d.weekday())


def add_months(d: date, months: int) -> date:
    """Shift by calendar months, clamping the day (Mar 31 - 1 month = Feb 28/29)."""
    return d + relativedelta(months=months)


def is_full_months(start: date, end: date) -> bool:
    return start.day == 1 and end == month_end(end)


def months_spanned(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def iso(d: date) -> str:
    return d.isoformat()


def span_text(start: date, end: date, lang: str) -> str:
    """Plain date-range text: "2025-01-01 – 2025-03-31" / "2025-01-01 至 2025-03-31"."""
    if start == end:
        return iso(start)
    sep = " 至 " if lang == "zh" else " – "
    return f"{iso(start)}{sep}{iso(end)}"


def month_name(year: int, month: int, lang: str, with_year: bool = True) -> str:
    if lang == "zh":
        return f"{year}年{month}月" if with_year else f"{month}月"
    return f"{EN_MONTHS[month - 1]} {year}" if with_year else EN_MONTHS[month - 1]


def quarter_name(year: int, quarter: int, lang: str) -> str:
    return f"{year}年第{CN_QUARTERS[quarter - 1]}季度" if lang == "zh" else f"Q{quarter} {year}"


def year_name(year: int, lang: str) -> str:
    return f"{year}年" if lang == "zh" else str(year)


def calendar_name(start: date, end: date, lang: str) -> str | None:
    """Name a whole calendar unit or month span ("Q3 2025", "2025年1月至3月"), else None."""
    if not is_full_months(start, end):
        return None
    n = months_spanned(start, end)
    if n == 12 and start.month == 1:
        return year_name(start.year, lang)
    if n == 3 and start.month % 3 == 1:
        return quarter_name(start.year, quarter_of(start), lang)
    if n == 6 and start.month in (1, 7):
        half = 1 if start.month == 1 else 2
        if lang == "zh":
            return f"{start.year}年{'上' if half == 1 else '下'}半年"
        return f"H{half} {start.year}"
    if n == 1:
        return month_name(start.year, start.month, lang)
    same_year = start.year == end.year
    if lang == "zh":
        tail = f"{end.month}月" if same_year else month_name(end.year, end.month, lang)
        return f"{month_name(start.year, start.month, lang)}至{tail}"
    head = EN_MONTHS[start.month - 1] if same_year else month_name(start.year, start.month, lang)
    return f"{head} – {month_name(end.year, end.month, lang)}"


def describe(start: date, end: date, lang: str) -> str:
    """Best short name for a range: a calendar name when it is one, else the dates."""
    return calendar_name(start, end, lang) or span_text(start, end, lang)


def with_detail(name: str, start: date, end: date, lang: str) -> str:
    """Relative phrase plus its concrete dates: "last month (October 2026)"."""
    detail = describe(start, end, lang)
    return f"{name}（{detail}）" if lang == "zh" else f"{name} ({detail})"


def shift_years(r: TimeRange, years: int, label: str) -> TimeRange:
    """Same dates ``years`` earlier; a month-end stays a month-end (Feb 28 -> Feb 29)."""
    start = r.start - relativedelta(years=years)
    end = r.end - relativedelta(years=years)
    if r.end == month_end(r.end):
        end = month_end(end)
    return TimeRange(start, end, label, r.grain_hint)


def previous_period(r: TimeRange) -> tuple[date, date]:
    """The period just before ``r`` with the same length (for 环比 / MoM).

    Whole calendar months step back by the number of months (Oct -> Sep, not
    31 days). A to-date period aligned on a calendar unit ("this month" on the
    15th) steps back one unit and keeps the day count (Oct 1-15 for Nov 1-15),
    a week-aligned one steps back whole weeks; anything else steps back by its
    length in days.
    """
    if is_full_months(r.start, r.end):
        n = months_spanned(r.start, r.end)
        return add_months(r.start, -n), month_end(add_months(r.end, -n))
    unit_months = {"month": 1, "quarter": 3, "year": 12}.get(r.grain_hint or "")
    if unit_months and r.start.day == 1:
        n = max(unit_months, months_spanned(r.start, r.end))
        return add_months(r.start, -n), add_months(r.end, -n)
    if r.grain_hint == "week" and r.start.weekday() == 0:
        weeks = -(-r.days // 7)
        return r.start - timedelta(weeks=weeks), r.end - timedelta(weeks=weeks)
    return r.start - timedelta(days=r.days), r.start - timedelta(days=1)
