"""Spreadsheet formula neutralisation for CSV files (OWASP "CSV Injection").

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run
as a formula by Excel, LibreOffice and Google Sheets when the file is opened
(`=HYPERLINK(...)`, `@SUM(...)`, DDE payloads). OWASP's rule: prefix such a
cell with a single quote, so the spreadsheet shows it as text. Numbers stay
numbers: a real negative number (-12.5) is data, not a formula, and is kept.

Every CSV writer (audience exports, copy batches, the UI's "Download CSV",
Slack uploads) calls this one helper.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?$")


def safe_csv_value(value: Any) -> Any:
    """`value` as it may go into a CSV cell: text starting like a formula gets a leading `'`.

    Non-text values (numbers, None, dates) are returned unchanged, and so is text
    that is a plain number ("-12.5", "+8613800000000"), which no spreadsheet runs.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are neutralised for CSV."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_csv_value)
    out.columns = [safe_csv_value(c) for c in out.columns]
    return out
