"""Round 14, a first-order month's cohort asked about in a later named month ("first-time
buyers of one month, the share who bought again in another"): the cohort table with that
month's index, never a question back on the second month. Our own wordings."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


@pytest.mark.parametrize(
    ("question", "cohort", "months"),
    [
        ("first-time shoppers of Apr 2026: share that purchased again in Jul 2026?", "Apr", 3),
        ("first-time customers from Nov 2025, how many came back in Jan 2026", "Nov", 2),
        ("2026年2月首单的顾客，6月再次购买的比例是多少", "2月", 4),
    ],
)
def test_cohort_seen_in_a_later_month_is_that_month_index(
    planner: OfflinePlanner, question: str, cohort: str, months: int
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cohort_retention"
    assert cohort in args["time_range"] and args["periods"] == months


def test_cohort_without_a_later_month_keeps_its_default_periods(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "cohort retention of the customers we gained in March 2026")
    assert tool == "cohort_retention" and "periods" not in args
