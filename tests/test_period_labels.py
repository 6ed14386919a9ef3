"""Periods in result tables are named as the answer names them ("2025-Q3", "2025-07",
"2025"), in the web table, the CLI table and the CSV download; `ask --json` keeps dates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from copilot.frontends.cli_output import rich_table
from copilot.frontends.table_csv import table_csv
from knowledge.presentation.values import period_columns, period_label
from tools.base import TableArtifact


@pytest.mark.parametrize(
    ("value", "grain", "label"),
    [
        (date(2025, 7, 1), "month", "2025-07"),
        (pd.Timestamp("2025-10-01"), "quarter", "2025-Q4"),
        (date(2025, 1, 1), "quarter", "2025-Q1"),
        (pd.Timestamp("2025-01-01"), "year", "2025"),
        (date(2025, 9, 8), "week", "2025-09-08"),
        (pd.Timestamp("2025-09-08"), "day", "2025-09-08"),
        ("app", "channel", "app"),
    ],
)
def test_a_period_is_named_by_its_grain(value: object, grain: str, label: str) -> None:
    assert period_label(value, grain) == label


def _quarters() -> TableArtifact:
    frame = pd.DataFrame(
        {"quarter": pd.to_datetime(["2025-01-01", "2025-04-01"]), "revenue": [10.0, 12.5]}
    )
    return TableArtifact(title="Revenue by quarter", frame=frame, formats={"revenue": "money"})


def test_tables_and_downloads_name_quarters_but_json_keeps_dates() -> None:
    table = _quarters()
    assert list(table.shown_in("en")["quarter"]) == ["2025-Q1", "2025-Q2"]
    csv = table_csv(table, "zh").decode("utf-8-sig")
    assert "2025-Q1" in csv and "2025-01-01" not in csv
    assert table.to_json()["rows"][0][0].startswith("2025-01-01")
    # The answer and the chart still read dates (a running bucket is found by its date).
    assert isinstance(table.frame_in("en")["quarter"].iloc[0], pd.Timestamp)


def test_the_cli_table_names_months() -> None:
    frame = pd.DataFrame({"month": [date(2026, 9, 1), date(2026, 10, 1)], "orders": [3, 4]})
    table = TableArtifact(title="Orders by month", frame=frame)
    shown = rich_table(table.title, table.shown_in("en"), "en", "¥", table.formats)
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(shown)
    text = console.export_text()
    assert "2026-09" in text and "2026-09-01" not in text


def test_only_columns_of_dates_under_a_period_name_change() -> None:
    frame = pd.DataFrame({"month": ["Sep", "Oct"], "day": [date(2026, 9, 1), date(2026, 10, 1)]})
    assert period_columns(frame) is frame
