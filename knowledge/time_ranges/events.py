"""Shopping festivals: default windows and the store's own campaign dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from lunardate import LunarDate

EventWindows = Mapping[str, Sequence[tuple[date, date]]]

_HOLIDAYS_FILE = Path(__file__).with_name("holidays.yaml")


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(_HOLIDAYS_FILE.read_text(encoding="utf-8"))


def holidays() -> dict[str, dict]:
    """The named holidays of knowledge/time_ranges/holidays.yaml, by key."""
    return dict(_table()["holidays"])


def event_aliases() -> dict[str, dict[str, list[str]]]:
    """More words for the festivals the parser knows by itself ("年中大促" = 618)."""
    return dict(_table().get("aliases") or {})


def chinese_new_year(year: int) -> date:
    """Chinese New Year's Day (正月初一) of ``year``, 1900-2099 (the `lunardate` tables)."""
    return _lunar(year, 1, 1)


def _lunar(year: int, month: int, day: int) -> date:
    if not 1900 <= year <= 2099:
        raise ValueError(f"the lunar calendar is known for 1900–2099, not {year}")
    return LunarDate(year, month, day).to_solar_date()


#: Chinese New Year (正月初一) per year, computed from the lunar calendar (1900-2099).
CHINESE_NEW_YEAR: dict[int, date] = {y: chinese_new_year(y) for y in range(1900, 2100)}


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def nth_weekday(year: int, month: int, n: int, weekday: str) -> date:
    """The `n`th `weekday` ("thu") of `month` in `year`: nth_weekday(2025, 11, 4, "thu") is
    2025-11-27, US Thanksgiving."""
    first = date(year, month, 1)
    offset = (_WEEKDAYS.index(weekday) - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _holiday_window(key: str, year: int) -> tuple[date, date]:
    entry = holidays()[key]
    kind, month_day, *shift = str(entry["rule"]).split()
    if kind == "nth":
        month, n, weekday = month_day.split("-")
        first = nth_weekday(year, int(month), int(n), weekday)
    else:
        month, day = (int(x) for x in month_day.split("-"))
        first = _lunar(year, month, day) if kind == "lunar" else date(year, month, day)
    first += timedelta(days=int(shift[0]) if shift else 0)
    return first, first + timedelta(days=int(entry.get("days", 1)) - 1)


def is_holiday(event: str) -> bool:
    """Whether ``event`` is one of the table's holidays (a fixed run of days, no campaign)."""
    return event in holidays()


#: Display names per canonical event key.
EVENT_NAMES: dict[str, dict[str, str]] = {
    "double11": {"en": "Double 11", "zh": "双十一"},
    "618": {"en": "618", "zh": "618"},
    "spring_festival": {"en": "Spring Festival", "zh": "春节"},
    **{key: dict(entry["names"]) for key, entry in holidays().items()},
}


def default_window(event: str, year: int) -> tuple[date, date]:
    """Typical promotion window of ``event`` in ``year`` (pre-sale through the main day).

    Double 11 pre-sales start around Oct 20; 618 runs from Jun 1; the Spring
    Festival (年货节) season starts about three weeks before New Year's Day
    and ends with the first week of the new year.
    """
    if event == "double11":
        return date(year, 10, 20), date(year, 11, 11)
    if event == "618":
        return date(year, 6, 1), date(year, 6, 18)
    if event == "spring_festival":
        cny = chinese_new_year(year)
        return cny - timedelta(days=21), cny + timedelta(days=6)
    if is_holiday(event):
        return _holiday_window(event, year)
    raise ValueError(f"unknown event {event!r}")


def main_day(event: str, year: int) -> date:
    """The festival's own day: Nov 11, Jun 18, or Chinese New Year's Day (正月初一)."""
    if event == "double11":
        return date(year, 11, 11)
    if event == "618":
        return date(year, 6, 18)
    if event == "spring_festival":
        return chinese_new_year(year)
    if is_holiday(event):
        return _holiday_window(event, year)[0]
    raise ValueError(f"unknown event {event!r}")


def _overlap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days + 1)


def event_window(event: str, year: int, events: EventWindows | None = None) -> tuple[date, date]:
    """Window of ``event`` in ``year``: the store's campaign when it has one, else the default.

    A campaign belongs to ``year`` when it overlaps that year. Spring Festival
    campaigns often start in December, so among several candidates the one
    that overlaps the default window most wins, then the one nearest to it.
    """
    default = default_window(event, year)
    year_span = (date(year, 1, 1), date(year, 12, 31))
    candidates = [
        (start, end)
        for start, end in (events or {}).get(event, ())
        if start <= end and _overlap_days((start, end), year_span) > 0
    ]
    if not candidates:
        return default
    mid = default[0] + (default[1] - default[0]) / 2

    def rank(w: tuple[date, date]) -> tuple[int, int]:
        w_mid = w[0] + (w[1] - w[0]) / 2
        return (-_overlap_days(w, default), abs((w_mid - mid).days))

    return min(candidates, key=rank)


def latest_started(
    event: str, today: date, events: EventWindows | None = None
) -> tuple[int, tuple[date, date]]:
    """(year, window) of the most recent occurrence that has started by ``today``."""
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            window = event_window(event, year, events)
        except ValueError:
            continue
        if window[0] <= today:
            return year, window
    return today.year - 1, event_window(event, today.year - 1, events)
