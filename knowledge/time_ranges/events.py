"""Shopping festivals: default windows and the store's own campaign dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

EventWindows = Mapping[str, Sequence[tuple[date, date]]]

#: Chinese New Year (正月初一). The lunar calendar needs tables or astronomy;
#: a fixed table is exact and auditable for the years a store's data covers.
CHINESE_NEW_YEAR: dict[int, date] = {
    2015: date(2015, 2, 19), 2016: date(2016, 2, 8), 2017: date(2017, 1, 28),
    2018: date(2018, 2, 16), 2019: date(2019, 2, 5), 2020: date(2020, 1, 25),
    2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
    2030: date(2030, 2, 3), 2031: date(2031, 1, 23), 2032: date(2032, 2, 11),
    2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
}  # fmt: skip

#: Display names per canonical event key.
EVENT_NAMES: dict[str, dict[str, str]] = {
    "double11": {"en": "Double 11", "zh": "双十一"},
    "618": {"en": "618", "zh": "618"},
    "spring_festival": {"en": "Spring Festival", "zh": "春节"},
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
        if year not in CHINESE_NEW_YEAR:
            raise ValueError(
                f"Chinese New Year of {year} is not in the table "
                f"({min(CHINESE_NEW_YEAR)}–{max(CHINESE_NEW_YEAR)}); give the dates instead"
            )
        cny = CHINESE_NEW_YEAR[year]
        return cny - timedelta(days=21), cny + timedelta(days=6)
    raise ValueError(f"unknown event {event!r}")


def main_day(event: str, year: int) -> date:
    """The festival's own day: Nov 11, Jun 18, or Chinese New Year's Day (正月初一)."""
    if event == "double11":
        return date(year, 11, 11)
    if event == "618":
        return date(year, 6, 18)
    if event == "spring_festival":
        if year not in CHINESE_NEW_YEAR:
            raise ValueError(
                f"Chinese New Year of {year} is not in the table "
                f"({min(CHINESE_NEW_YEAR)}–{max(CHINESE_NEW_YEAR)}); give the date instead"
            )
        return CHINESE_NEW_YEAR[year]
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
