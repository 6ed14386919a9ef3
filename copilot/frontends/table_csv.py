"""The one CSV writer of result tables, for every front end (the web's "Download CSV", Slack).

What a download holds: the table's values as the answer's language shows them (store
labels such as 数码电子), numbers raw but rounded by kind (counts as whole numbers,
money to the currency's precision, rates as fractions: knowledge.presentation.csv_frame),
headers in the answer's language, formula-like cells written as text (OWASP CSV
injection) and UTF-8 with a BOM, so Excel, where marketers open CSVs, reads Chinese.
"""

from __future__ import annotations

import pandas as pd

from knowledge.presentation import csv_frame
from tools.base import TableArtifact
from tools.csv_safety import safe_csv_frame

CSV_ENCODING = "utf-8-sig"


def download_frame(table: TableArtifact, language: str = "en", currency: str = "¥") -> pd.DataFrame:
    """The table as a download holds it (before the formula guard and encoding)."""
    return csv_frame(table.shown_in(language), language, currency, formats=table.formats)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A download frame as CSV bytes: formula-like cells as text, UTF-8 with a BOM."""
    return safe_csv_frame(frame).to_csv(index=False).encode(CSV_ENCODING)


def table_csv(table: TableArtifact, language: str = "en", currency: str = "¥") -> bytes:
    """A result table as the CSV file every front end offers."""
    return csv_bytes(download_frame(table, language, currency))
