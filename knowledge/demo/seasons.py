"""The demo's calendar: the two-year window, Chinese shopping festivals and daily demand.

Demand peaks: the three weeks before Spring Festival (Chinese New Year), with a
slump in the holiday week itself (couriers stop); 618 (June 1-18, peak on the
18th); Double 11 (Oct 20 - Nov 11, peak on the 11th). A mild linear growth
trend and a small weekend lift sit underneath.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

# Chinese New Year (first day of the lunar year); a table, because the lunar
# calendar is not worth computing for a demo.
CHINESE_NEW_YEAR: dict[int, date] = {
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}


@dataclass(frozen=True)
class Window:
    """The demo's date range: `days` calendar days from `start` to `end` inclusive."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def demo_window(end_date: date) -> Window:
    """Two years ending on `end_date` (2024-11-01 .. 2026-10-31 for 2026-10-31)."""
    try:
        two_years_before = end_date.replace(year=end_date.year - 2)
    except ValueError:  # Feb 29
        two_years_before = end_date.replace(year=end_date.year - 2, day=28)
    return Window(two_years_before + timedelta(days=1), end_date)


@dataclass(frozen=True)
class Festival:
    """One shopping festival occurrence: its name, year, window and peak day."""

    name: str
    year: int
    start: date
    end: date
    peak: date


def festivals(window: Window) -> list[Festival]:
    """Every Spring Festival, 618 and Double 11 season overlapping `window`, by start date."""
    out: list[Festival] = []
    for year in range(window.start.year - 1, window.end.year + 2):
        cny = CHINESE_NEW_YEAR.get(year)
        if cny is not None:
            out.append(
                Festival(
                    "Spring Festival",
                    year,
                    cny - timedelta(days=21),
                    cny - timedelta(days=1),
                    cny - timedelta(days=7),
                )
            )
        out.append(Festival("618", year, date(year, 6, 1), date(year, 6, 18), date(year, 6, 18)))
        out.append(
            Festival("Double 11", year, date(year, 10, 20), date(year, 11, 11), date(year, 11, 11))
        )
    kept = [f for f in out if f.end >= window.start and f.start <= window.end]
    return sorted(kept, key=lambda f: (f.start, f.name))


def promo_multiplier(window: Window) -> np.ndarray:
    """Per day of `window`, how much festivals lift demand (1.0 = ordinary day)."""
    mult = np.ones(window.days)
    for fest in festivals(window):
        lo = max(window.day_of(fest.start), 0)
        hi = min(window.day_of(fest.end), window.days - 1)
        if fest.name == "Spring Festival":
            mult[lo : hi + 1] *= 1.7
            # Holiday week: logistics pause, so orders drop.
            h_lo = max(window.day_of(fest.end) + 1, 0)
            h_hi = min(h_lo + 6, window.days - 1)
            if h_lo <= h_hi:
                mult[h_lo : h_hi + 1] *= 0.55
        else:
            mult[lo : hi + 1] *= 2.0
        peak = window.day_of(fest.peak)
        if 0 <= peak < window.days:
            mult[peak] *= 2.5 if fest.name == "Spring Festival" else 4.0
    return mult


def base_demand(window: Window) -> np.ndarray:
    """Per day, the demand without festivals: mild growth (+30% over two years), weekend lift."""
    t = np.arange(window.days) / max(window.days - 1, 1)
    weekday = (np.arange(window.days) + window.start.weekday()) % 7
    weekend = np.where(weekday >= 5, 1.12, 1.0)
    return (1.0 + 0.3 * t) * weekend


def is_promo_day(window: Window) -> np.ndarray:
    """Per day, whether a 618 or Double 11 sale runs (prices are discounted then)."""
    flag = np.zeros(window.days, dtype=bool)
    for fest in festivals(window):
        if fest.name == "Spring Festival":
            continue
        lo = max(window.day_of(fest.start), 0)
        hi = min(window.day_of(fest.end), window.days - 1)
        if lo <= hi:
            flag[lo : hi + 1] = True
    return flag
