"""Date columns the way MARKETING.md reads them: no guessed day/month order, Excel serial
numbers, and timestamps with an offset converted to the store's timezone."""

from __future__ import annotations

import pandas as pd

from knowledge.importers.errors import ImportFileError
from knowledge.importers.options import DateOrder

# d/m/y or m/d/y with '/', '.' or '-' (a four-digit first part is ISO, never ambiguous).
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b"
# Excel's serial day numbers from 1954 to 2118: other plain numbers are not dates.
_SERIAL_RANGE = (20_000.0, 80_000.0)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"


def resolve_date_order(
    text: pd.Series, column: str, stated: DateOrder | None, file: str
) -> bool | None:
    """dayfirst for the column: the stated order, else what the values prove, else None (ISO).

    Raises ImportFileError, before anything is written, when every numeric date
    of the column reads both ways (every day and month <= 12) and no order was stated.
    """
    parts = text.dropna().astype(str).str.extract(_NUMERIC_DATE)
    parts = parts.dropna()
    if parts.empty:
        return None if stated is None else stated == "day-first"
    if stated is not None:
        return stated == "day-first"
    first, second = parts[0].astype(int), parts[1].astype(int)
    if (first > 12).any():
        return True
    if (second > 12).any():
        return False
    sample = text.dropna().astype(str).iloc[0].strip()
    day_first, month_first = _both_readings(sample)
    raise ImportFileError(
        f"{file}: the dates in column '{column}' read both ways (every day and month is 12 "
        f"or less): '{sample}' is {day_first} day-first or {month_first} month-first. "
        "Say which with --date-order day-first or --date-order month-first (or the "
        "COPILOT_DATE_ORDER setting); nothing was imported."
    )


def _both_readings(sample: str) -> tuple[str, str]:
    readings = []
    for dayfirst in (True, False):
        stamp = pd.to_datetime(sample, dayfirst=dayfirst, errors="coerce")
        readings.append(f"{stamp:%d %B %Y}" if pd.notna(stamp) else "unreadable")
    return readings[0], readings[1]


def excel_serials(text: pd.Series) -> pd.Series:
    """Datetimes for cells that are Excel serial day numbers (e.g. 40878.5), NaT elsewhere."""
    numbers = pd.to_numeric(text, errors="coerce")
    serial = numbers.between(*_SERIAL_RANGE)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if serial.any():
        days = numbers[serial].astype("float64")
        # Rounded to the second: serials carry binary noise in their fraction.
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    return out


def with_offset_to_local(text: pd.Series, timezone: str) -> pd.Series:
    """Naive wall-clock datetimes in `timezone` for cells with an offset or Z, NaT elsewhere."""
    has_offset = text.str.contains(OFFSET, regex=True).fillna(False).astype(bool)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if has_offset.any():
        stamps = pd.to_datetime(text[has_offset], utc=True, errors="coerce", format="mixed")
        out[has_offset] = stamps.dt.tz_convert(timezone).dt.tz_localize(None)
    return out
