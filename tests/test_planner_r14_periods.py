"""Round 14, engineer "periods": how the planner reads periods. Every wording here is our
own; none is a held-out set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import period_read, query_args

TODAY = date(2026, 11, 1)


# 1. A store campaign named with no period: its own window is the period, not all time.
@pytest.mark.parametrize(
    ("question", "campaign", "period"),
    [
        (
            "double 11 2025 sms campaign click rate",
            "Double 11 2025 - SMS",
            "Double 11 2025",
        ),
        ("how did the 618 2026 push blast convert?", "618 2026 - Push", "618 2026"),
        ("2025年双十一短信活动的打开率", "Double 11 2025 - SMS", "Double 11 2025"),
    ],
)
def test_a_campaign_named_without_a_period_takes_its_window(
    planner: OfflinePlanner, question: str, campaign: str, period: str
) -> None:
    args = query_args(planner, question)
    assert args["filters"]["campaign"] == [campaign]
    found = find_period(args.get("time_range") or "", TODAY)
    wanted = find_period(period, TODAY)
    assert found is not None and wanted is not None
    assert found.range == wanted.range


# 2. A bare quarter (or half) whose current occurrence is still running is last year's.
@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("net revenue for q4 please", date(2025, 10, 1), date(2025, 12, 31)),
        ("四季度的订单数", date(2025, 10, 1), date(2025, 12, 31)),
        ("AOV in Q4 with the yoy change", date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_a_bare_running_quarter_is_the_latest_completed(
    planner: OfflinePlanner, question: str, first: date, last: date
) -> None:
    assert period_read(planner, question, TODAY) == (first, last)
