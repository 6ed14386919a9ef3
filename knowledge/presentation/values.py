"""Store values as an answer's language shows them: "electronics" -> "数码电子".

A result table keeps the values as stored (the model reads them, a follow-up filters
by them, `ask --json` returns them); what a person reads is the label in the answer's
language, when one is known: the store's own (`products.category_zh`) or the product's
word for a value it names (an RFM segment, a channel). Tools attach the labels to their
tables as `{language: {column: {stored value: label}}}`; a value without one is shown
as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pandas as pd

from knowledge.presentation.messages import LANGUAGES
from knowledge.presentation.numbers import is_missing

ValueLabels = dict[str, dict[str, dict[str, str]]]
"""{language: {column: {stored value: label}}}; English is usually absent (values are English)."""


def relabel(frame: pd.DataFrame, labels: dict[str, dict[str, str]] | None) -> pd.DataFrame:
    """`frame` with the values of labelled text columns replaced by their labels.

    Numbers, dates and values without a label are kept; the frame itself is not changed.
    """
    if not labels:
        return frame
    out = frame.copy()
    for position, column in enumerate(out.columns):
        by_value = labels.get(str(column))
        if not by_value:
            continue
        series = out.iloc[:, position]
        out.isetitem(position, [_label(v, by_value) for v in series])
    return out


# Time-grain columns whose rows are periods named by their first day: a person reads the
# period ("2025-Q3", "2025-07", "2025"), not the date the store bucketed it under. Days
# and weeks keep the date (a week is named by its Monday).
PERIOD_GRAINS = ("month", "quarter", "year")


def period_label(value: Any, grain: str | None) -> str:
    """A period's first day (a date or Timestamp) as people name the period.

    `grain` is the time grain ("month" -> "2025-07", "quarter" -> "2025-Q3",
    "year" -> "2025"; any other grain, or None -> the ISO date). A value that is not a
    date is returned as text. The answer's text, the tables and the CSV download all name
    periods through this one function.
    """
    if not isinstance(value, date):
        return str(value)
    if grain == "month":
        return value.strftime("%Y-%m")
    if grain == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    if grain == "year":
        return str(value.year)
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()


def period_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its month / quarter / year columns of dates named as periods.

    A column is changed only when every present value is a date (a pandas Timestamp or a
    datetime.date); the frame itself is not changed.
    """
    out = frame
    for position, column in enumerate(frame.columns):
        grain = str(column)
        if grain not in PERIOD_GRAINS:
            continue
        series = frame.iloc[:, position]
        present = [v for v in series if not is_missing(v)]
        if not present or not all(isinstance(v, date) for v in present):
            continue
        if out is frame:
            out = frame.copy()
        out.isetitem(position, [None if is_missing(v) else period_label(v, grain) for v in series])
    return out


def _label(value: Any, by_value: dict[str, str]) -> Any:
    if isinstance(value, str):
        return by_value.get(value, value)
    return value


def labels_by_language(
    column: str, values: Iterable[Any], name: Callable[[str, str], str]
) -> ValueLabels:
    """Labels of a column's values from a naming function `name(value, language)` (such
    as knowledge.presentation.segment_name), for every catalogue language other than
    English; values it leaves unchanged are not listed."""
    distinct = [v for v in dict.fromkeys(values) if isinstance(v, str)]
    found: ValueLabels = {}
    for language in LANGUAGES:
        if language == "en":
            continue
        shown = {v: name(v, language) for v in distinct}
        shown = {v: label for v, label in shown.items() if label and label != v}
        if shown:
            found[language] = {column: shown}
    return found


def merge_labels(*parts: ValueLabels) -> ValueLabels:
    """One label map from several (later parts win for the same value)."""
    merged: ValueLabels = {}
    for part in parts:
        for language, columns in part.items():
            for column, by_value in columns.items():
                merged.setdefault(language, {}).setdefault(column, {}).update(by_value)
    return merged
