"""CSV cells that spreadsheets will not run as formulas (OWASP "CSV Injection").

Rule (https://owasp.org/www-community/attacks/CSV_Injection): a text cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of
evaluating `=HYPERLINK(...)`, `+cmd|...` or `@SUM(...)`. Numbers stay numbers
(a negative amount is not a formula), and so does text that is a plain number
("-12.5", "+8613800000000"), which no spreadsheet runs. Every CSV writer
(audience exports, copy batches, the UI's "Download CSV", Slack uploads) goes
through `safe_csv_frame` (or `safe_csv_value` per cell).
"""

from __future__ import annotations

import numbers
import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?$")


def safe_csv_value(value: Any) -> Any:
    """The value with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Non-text values (int, float, Decimal, dates, None, NaN) are returned unchanged.
    A carriage return inside text becomes a newline: pandas does not quote a bare
    CR, so a spreadsheet would start a new row (and maybe a formula) there.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are safe to write as CSV.

    Numeric columns are untouched; object and string columns are mapped cell by cell.
    """
    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_datetime64_any_dtype(column):
            continue
        safe.isetitem(position, column.map(_safe_cell))
    safe.columns = [safe_csv_value(str(c)) if isinstance(c, str) else c for c in safe.columns]
    return safe


def _safe_cell(value: Any) -> Any:
    if isinstance(value, numbers.Number) or value is None:
        return value
    return safe_csv_value(value)
