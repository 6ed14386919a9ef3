"""Round 17 wave 2, periods and breakdowns: full numeric dates with the year (the order
fixed by a part over 12, a "dd/mm" note or dots, else asked back), dotted month.day ranges,
a sale's "wave" with its days in brackets, "that quarter" after its months, a named quarter
to date, a value checked against a breakdown's rows, and "each one" said back to a
dimension's noun. Every wording here is our own; none is a set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args

TODAY = date(2026, 11, 1)
D = date


def _range(question: str) -> tuple[date, date]:
    found = find_period(question, TODAY)
    assert found is not None, question
    return found.range.start, found.range.end


# 1. Full numeric dates with the year: the order is fixed by any part over 12 in the
#    question, by a format note, or by dots (day first); never the year to date.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("orders from 09/01/2026 thru 09/30/2026", (D(2026, 9, 1), D(2026, 9, 30))),
        ("buyers 2/3/2025 until 17/3/2025 please", (D(2025, 3, 2), D(2025, 3, 17))),
        ("gmv 05.02.2026 – 20.02.2026", (D(2026, 2, 5), D(2026, 2, 20))),
        ("revenue 2/3/2026-4/5/2026 (dd/mm)", (D(2026, 3, 2), D(2026, 5, 4))),
        ("revenue 2/3/2026-4/5/2026 (mm/dd)", (D(2026, 2, 3), D(2026, 4, 5))),
        ("AOV on 07/14/2025", (D(2025, 7, 14), D(2025, 7, 14))),
    ],
)
def test_full_numeric_date_with_year_is_read_in_its_fixed_order(
    question: str, expected: tuple[date, date]
) -> None:
    assert _range(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "revenue by city between 03/04/2026 and 05/06/2026",
        "03/04/2026到05/06/2026之间的订单数",
    ],
)
def test_full_numeric_date_reading_both_ways_is_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    text = asked_back(planner, question)
    assert "03/04/2026" in text


# 2. A short day/month with a day-first note, and dotted month.day only as a range's ends.
def test_short_dates_with_day_first_note_are_day_first() -> None:
    assert _range("refunds 3/4 - 5/6 (dd/mm)") == (D(2026, 4, 3), D(2026, 6, 5))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2025年6.1-6.18的销售额", (D(2025, 6, 1), D(2025, 6, 18))),
        ("23年双十一那一波（11.1至11.11）的订单", (D(2023, 11, 1), D(2023, 11, 11))),
        ("2025年618这一场（6.1～6.18）各渠道GMV", (D(2025, 6, 1), D(2025, 6, 18))),
    ],
)
def test_dotted_month_day_range_is_days(question: str, expected: tuple[date, date]) -> None:
    assert _range(question) == expected


def test_decimals_are_no_dotted_days() -> None:
    # near miss: numbers with a dot, not a range of days
    assert find_period("rating 3.5 to 4.2 ratio", TODAY) is None


# 3. "that quarter" after the months that make it up; other months leave it to be asked.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("4到6月那一季的订单数", (D(2026, 4, 1), D(2026, 6, 30))),
        ("1-3月这个季度的复购率", (D(2026, 1, 1), D(2026, 3, 31))),
        ("Jul-Sep, that quarter, repurchase rate", (D(2026, 7, 1), D(2026, 9, 30))),
    ],
)
def test_months_restated_as_that_quarter(
    planner: OfflinePlanner, question: str, expected: tuple[date, date]
) -> None:
    args = query_args(planner, question)
    assert _range(args["time_range"]) == expected, args


def test_months_that_are_no_quarter_leave_the_word_asked(planner: OfflinePlanner) -> None:
    assert "季度" in asked_back(planner, "8-10月那个季度的订单数")


# 4. A named quarter (half) to date: the one running today, not a past one nor "since".
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Q4 to date orders", (D(2026, 10, 1), D(2026, 11, 1))),
        ("Q4TD gross sales vs same period last year", (D(2026, 10, 1), D(2026, 11, 1))),
        ("H2-to-date buyers", (D(2026, 7, 1), D(2026, 11, 1))),
        ("今年四季度到现在的订单", (D(2026, 10, 1), D(2026, 11, 1))),
    ],
)
def test_named_quarter_to_date(question: str, expected: tuple[date, date]) -> None:
    assert _range(question) == expected


def test_named_quarter_to_date_compared_a_year_back() -> None:
    found = find_period("Q4-to-date revenue against the same stretch last year", TODAY)
    assert found is not None and found.compare_to is not None
    assert (found.compare_to.start, found.compare_to.end) == (D(2025, 10, 1), D(2025, 11, 1))


# 5. A value checked against the rows of its own breakdown: the breakdown, no filter.
@pytest.mark.parametrize(
    "question",
    [
        "return rate by channel in 2025, is the app the lowest?",
        "AOV per channel last year - did web come out on top?",
        "去年各渠道的客单价，小程序是不是最高",
        "今年每个渠道的退货率，门店最低吗",
    ],
)
def test_value_checked_in_its_breakdown_is_no_filter(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["channel"], args
    assert "channel" not in (args.get("filters") or {}), args


def test_value_without_check_stays_a_filter(planner: OfflinePlanner) -> None:
    # near miss: the value is asked of, no check on the rows
    args = query_args(planner, "2025年门店的退货率")
    assert args.get("filters", {}).get("channel") == ["store"], args


# 6. "each one" said back to a dimension's noun: a row per member.
@pytest.mark.parametrize(
    "question",
    [
        "email campaigns in 2025: CTR for each one",
        "the push campaigns we ran last year, ROI of each of them",
        "2025年的短信活动，每个的点击率和转化率",
        "2025年短信活动各自的点击率",
    ],
)
def test_each_one_after_campaigns_is_by_campaign(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["campaign"], args


def test_campaigns_without_each_one_stay_one_figure(planner: OfflinePlanner) -> None:
    # near miss: the campaigns' pooled figure
    args = query_args(planner, "SMS campaigns in 2025, overall CTR")
    assert "dimensions" not in args, args


# 7. Orders counted with a selling verb ("出了几单", "卖了多少单"): the orders count, the
#    breakdown word before it kept.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("广东今年逐季度出了几单", "quarter"),
        ("今年每个月卖了多少单", "month"),
        ("今年出单量按渠道", "channel"),
    ],
)
def test_orders_counted_with_a_selling_verb(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["orders"], args
    assert args.get("dimensions") == [dimension], args


# 8. Words around the ask that place nothing: the peak asked of a breakdown, a table's
#    shape, the meeting the figure is for; xcx is the mini program.
@pytest.mark.parametrize(
    "question",
    [
        "revenue each day of golden week this year, which day was peak?",
        "orders by city and channel, Q2 2026, long format please",
        "上个月小程序的订单数，月报里用",
        "复盘会上要看，去年双11的客单价",
    ],
)
def test_words_that_place_nothing_are_answered(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"]


def test_peak_season_is_still_asked(planner: OfflinePlanner) -> None:
    # near miss: "peak season" is a period the store does not name
    assert "peak season" in asked_back(planner, "peak season revenue 2025")


def test_xcx_is_the_mini_program(planner: OfflinePlanner) -> None:
    args = query_args(planner, "上个月xcx的订单数")
    assert args["filters"] == {"channel": ["mini_program"]}, args
