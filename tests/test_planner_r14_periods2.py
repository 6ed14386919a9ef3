"""Round 14 wave 2, engineer "periods2": windows ending at a named month, month/day dates,
days in brackets after a named period. Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import query_args

TODAY = date(2026, 11, 1)


def planner_days(planner: OfflinePlanner) -> dict[str, str]:
    """The campaigns' own days as the planner's value index holds them."""
    return planner.values.days["campaign"]


def _range(question: str) -> tuple[date, date]:
    found = find_period(question, TODAY)
    assert found is not None, question
    return found.range.start, found.range.end


# 1. N months ending with a named month: the whole window up to that month's end, never
#    the named month alone nor the window ending today.
@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("orders over the 12 months to August", date(2025, 9, 1), date(2026, 8, 31)),
        ("AOV, rolling six months ending June 2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("buyers in the past 4 quarters through Sept", date(2025, 10, 1), date(2026, 9, 30)),
        (
            "gross sales for 12 months up to the end of last month",
            date(2025, 11, 1),
            date(2026, 10, 31),
        ),
        ("截至8月底的近6个月复购率", date(2026, 3, 1), date(2026, 8, 31)),
        ("截止到上个月的最近12个月新客数", date(2025, 11, 1), date(2026, 10, 31)),
        ("过去一年（截至7月）的客单价", date(2025, 8, 1), date(2026, 7, 31)),
    ],
)
def test_a_window_ending_at_a_named_month(question: str, start: date, end: date) -> None:
    assert _range(question) == (start, end)


# 2. This year cut at the end of a named month.
@pytest.mark.parametrize(
    ("question", "end"),
    [
        ("今年截至8月底的订单数", date(2026, 8, 31)),
        ("revenue this year through the end of last month", date(2026, 10, 31)),
    ],
)
def test_this_year_up_to_a_named_month(question: str, end: date) -> None:
    assert _range(question) == (date(2026, 1, 1), end)


# 3. A day written month/day is a day; since it, the days from it to today; a fraction or
#    a score is not a day.
def test_a_month_slash_day_date() -> None:
    assert _range("sessions since 9/15") == (date(2026, 9, 15), TODAY)
    assert _range("push clicks since the app went live on 8/3, please") == (date(2026, 8, 3), TODAY)
    assert _range("销售额 10/2-10/6") == (date(2026, 10, 2), date(2026, 10, 6))
    for question in ("what do 2/3 of our buyers have in common", "campaigns rated 4/5 stars"):
        assert find_period(question, TODAY) is None, question


# 4. Days in brackets after a named period are those days, in its year.
def test_bracketed_days_after_a_week_or_a_year() -> None:
    assert _range("2025年第41周（10/6-10/12）的GMV") == (date(2025, 10, 6), date(2025, 10, 12))
    assert _range("前年那5天（3/1-3/5）的订单") == (date(2024, 3, 1), date(2024, 3, 5))


# 5. A campaign whose name holds no festival, named with no period: its own days from the
#    store (start and end dates) are the period, not all time nor its name's year.
@pytest.mark.parametrize(
    "question",
    ["how many opens did the win-back 2025 email get", "2025召回邮件活动的点击率"],
)
def test_a_campaign_without_a_festival_takes_its_stored_days(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    (campaign,) = args["filters"]["campaign"]
    held = planner_days(planner)[campaign]
    assert find_period(args["time_range"], TODAY).range == find_period(held, TODAY).range
    assert find_period(held, TODAY).range.days < 365


# 6. A period said apart from the festival a campaign's name holds is the call's period.
def test_a_period_said_after_a_campaigns_name(planner: OfflinePlanner) -> None:
    args = query_args(planner, "the 618 2026 push since it went out on 6/4: clicks and opens")
    assert args["filters"]["campaign"] == ["618 2026 - Push"]
    found = find_period(args["time_range"], TODAY)
    assert found is not None and found.range.start == date(2026, 6, 4)


# 7. A weekday said beside the bracketed days restates them.
def test_weekdays_beside_bracketed_days() -> None:
    assert _range("wk 39 (Mon 21 Sep - Sun 27 Sep) signups") == (
        date(2026, 9, 21),
        date(2026, 9, 27),
    )
    assert _range("第39周（周一9/21至周日9/27）的新客") == (date(2026, 9, 21), date(2026, 9, 27))
