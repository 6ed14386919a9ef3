"""Round 17, how periods are read: named holidays as periods (knowledge/time_ranges/
holidays.yaml, lunar dates by the `lunardate` library), more date forms, numeric dates that
read both ways asked back, and a festival campaign's year said apart giving its window.
Every wording here is our own; none is a set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from knowledge.time_ranges.events import CHINESE_NEW_YEAR, default_window
from tests.conftest import asked_back, query_args

TODAY = date(2026, 11, 1)
D = date


def _range(question: str) -> tuple[date, date]:
    found = find_period(question, TODAY)
    assert found is not None, question
    return found.range.start, found.range.end


# 1. National Day / golden week is Oct 1-7 (not October), said any way; no year = the latest
#    completed one; a year said picks that one.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("golden week takings at the flagship", (D(2026, 10, 1), D(2026, 10, 7))),
        ("orders over the national day holiday 2025", (D(2025, 10, 1), D(2025, 10, 7))),
        ("National-Day week revenue pls", (D(2026, 10, 1), D(2026, 10, 7))),
        ("国庆长假 线上卖了多少", (D(2026, 10, 1), D(2026, 10, 7))),
        ("去年国庆7天的客单价", (D(2025, 10, 1), D(2025, 10, 7))),
        ("十一黄金周期间 退货金额", (D(2026, 10, 1), D(2026, 10, 7))),
        ("国庆那周每天的订单", (D(2026, 10, 1), D(2026, 10, 7))),
    ],
)
def test_national_day_is_the_first_seven_days_of_october(
    question: str, expected: tuple[date, date]
) -> None:
    assert _range(question) == expected


# 2. Lunar holidays are computed for any year 1900-2099 (no table of demo years).
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("中秋那天的销售额", D(2026, 9, 25)),
        ("2025年中秋节 订单数", D(2025, 10, 6)),
        ("mid autumn 2024 revenue", D(2024, 9, 17)),
        ("moon festival sales", D(2026, 9, 25)),
        ("去年除夕 各渠道", D(2025, 1, 28)),
        ("大年三十那天卖了多少", D(2026, 2, 16)),
        ("orders on chinese new year's eve 2024", D(2024, 2, 9)),
        ("1998年中秋", D(1998, 10, 5)),
    ],
)
def test_lunar_holidays_are_one_computed_day(question: str, expected: date) -> None:
    assert _range(question) == (expected, expected)


def test_the_lunar_calendar_covers_1900_to_2099() -> None:
    assert CHINESE_NEW_YEAR[1900] == D(1900, 1, 31)
    assert CHINESE_NEW_YEAR[2099] == D(2099, 1, 21)
    assert default_window("mid_autumn", 2099)[0] == D(2099, 9, 29)
    with pytest.raises(ValueError):
        default_window("mid_autumn", 2100)


# 3. 520 is May 20; a bare 520 that counts something is not a day.
def test_520_is_may_twentieth() -> None:
    assert _range("520当天 美妆卖了多少") == (D(2026, 5, 20), D(2026, 5, 20))
    assert _range("去年520的订单") == (D(2025, 5, 20), D(2025, 5, 20))
    for question in ("top 520 products by revenue", "超过520元的订单有多少", "520 units sold"):
        assert find_period(question, TODAY) is None, question


# 4. 年中大促 / mid-year sale is the 618 window; a misspelt Singles Day is Double 11.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("年中大促期间的净销售额", (D(2026, 6, 1), D(2026, 6, 18))),
        ("去年年中大促 订单数", (D(2025, 6, 1), D(2025, 6, 18))),
        ("mid-year sale revenue", (D(2026, 6, 1), D(2026, 6, 18))),
        ("singels day 2025 orders", (D(2025, 10, 20), D(2025, 11, 11))),
    ],
)
def test_festival_aliases_read_as_the_festival(question: str, expected: tuple[date, date]) -> None:
    assert _range(question) == expected


# 5. The answer restates a holiday's dates.
def test_a_holiday_label_restates_its_dates() -> None:
    found = find_period("golden week 2026 sales", TODAY)
    assert found is not None
    assert found.range.label == "National Day 2026 (2026-10-01 – 2026-10-07)"
    found = find_period("今年中秋的销售额", TODAY)
    assert found is not None and "2026-09-25" in found.range.label


# 6. Through the planner: a holiday is the call's period, not asked about as unknown.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("golden week net sales, offline store channel", (D(2026, 10, 1), D(2026, 10, 7))),
        ("国庆假期 小程序的订单数", (D(2026, 10, 1), D(2026, 10, 7))),
        ("中秋节当天 各渠道销售额", (D(2026, 9, 25), D(2026, 9, 25))),
        ("除夕那天的净销售额", (D(2026, 2, 16), D(2026, 2, 16))),
        ("年中大促 卖了多少", (D(2026, 6, 1), D(2026, 6, 18))),
    ],
)
def test_a_holiday_is_the_plans_period(
    planner: OfflinePlanner, question: str, expected: tuple[date, date]
) -> None:
    found = find_period(query_args(planner, question)["time_range"], TODAY)
    assert found is not None and (found.range.start, found.range.end) == expected


def test_a_holiday_the_store_does_not_know_is_still_asked_about(planner: OfflinePlanner) -> None:
    # (round 25: holidays of fixed days, 端午 and Black Friday among them, are their days;
    # a season of no agreed days is still asked about)
    assert "圣诞节" in asked_back(planner, "圣诞节期间的销售额")
    assert "Christmas" in asked_back(planner, "Christmas revenue")
    assert "五一" in asked_back(planner, "五一期间的销售额")


# 7. More date forms: "since start of year", a weekend of dates, whole-month ranges.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("returns since start of year", (D(2026, 1, 1), TODAY)),
        ("orders from the beginning of the year until now", (D(2026, 1, 1), TODAY)),
        ("revenue since the start of this month", (D(2026, 11, 1), TODAY)),
        ("weekend 24-25 Oct sales", (D(2026, 10, 24), D(2026, 10, 25))),
        ("the weekend of 10-11 Oct orders", (D(2026, 10, 10), D(2026, 10, 11))),
        ("1 Feb to 31 Mar orders", (D(2026, 2, 1), D(2026, 3, 31))),
        ("Feb through Jun 2026 revenue", (D(2026, 2, 1), D(2026, 6, 30))),
        ("2026/4/1-4/30 net sales", (D(2026, 4, 1), D(2026, 4, 30))),
    ],
)
def test_more_date_forms(question: str, expected: tuple[date, date]) -> None:
    assert _range(question) == expected


def test_weekend_dates_that_are_no_weekend_leave_the_word_unread() -> None:
    found = find_period("weekend 14-15 Oct sales", TODAY)  # a Wednesday and a Thursday
    assert found is not None and found.span[0] > 0


def test_a_weekend_of_dates_through_the_planner(planner: OfflinePlanner) -> None:
    args = query_args(planner, "app revenue weekend 24-25 Oct")
    found = find_period(args["time_range"], TODAY)
    assert found is not None and (found.range.start, found.range.end) == (
        D(2026, 10, 24),
        D(2026, 10, 25),
    )


# 8. A numeric date that reads both day-first and month-first is asked back, never guessed;
#    a part over 12, Chinese (month/day) or a named period beside it fixes the order.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("revenue 02/03 - 04/03", "02/03"),
        ("orders since 5/6 pls", "5/6"),
        ("how many units between 7/8 and 9/8", "7/8"),
    ],
)
def test_a_numeric_date_read_both_ways_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


@pytest.mark.parametrize(
    "question", ["revenue 9/28 - 10/4", "销售额 3/1-3/5", "net sales 4/4 to 4/4", "orders 3/20-4/2"]
)
def test_a_numeric_date_with_its_order_fixed_is_answered(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["time_range"]


# 9. A festival's campaign with the year said apart is that year's campaign, over its window.
@pytest.mark.parametrize(
    ("question", "campaign", "expected"),
    [
        (
            "click rate of the singles day push last year",
            "Double 11 2025 - Push A/B",
            (D(2025, 10, 20), D(2025, 11, 11)),
        ),
        ("618 email this year: open rate", "618 2026 - Email", (D(2026, 6, 1), D(2026, 6, 18))),
        (
            "the double 11 sms last year - ctr",
            "Double 11 2025 - SMS",
            (D(2025, 10, 20), D(2025, 11, 11)),
        ),
    ],
)
def test_a_festival_campaigns_year_gives_its_window(
    planner: OfflinePlanner, question: str, campaign: str, expected: tuple[date, date]
) -> None:
    args = query_args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    found = find_period(args["time_range"], TODAY)
    assert found is not None and (found.range.start, found.range.end) == expected


# 10. A holiday named as a campaign the store never ran is asked back, naming it; the holiday
#     alone is a period.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("open rate of our moon festival campaign", "moon festival"),
        ("国庆活动的短信点击率", "国庆"),
        ("golden-week promo ROI?", "golden-week"),
    ],
)
def test_a_holiday_campaign_the_store_never_ran_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


# 11. Refund money is the returns amount (the period words around it now read).
@pytest.mark.parametrize(
    "question", ["refund money at the web shop since start of year", "refunded money in Q3"]
)
def test_refund_money_is_returns(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returns"]


# 12. "on" a festival's send (push, SMS, email) is that campaign's window, not the main day.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("click rate on the double eleven push in 2025", "Double 11 2025 - Push A/B"),
        ("last year's singels day push, its open rate", "Double 11 2025 - Push A/B"),
    ],
)
def test_on_a_festivals_send_is_its_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = query_args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    found = find_period(args["time_range"], TODAY)
    assert found is not None and found.range.start < found.range.end


def test_on_a_festival_alone_is_still_its_day() -> None:
    assert _range("orders on double 11 2025") == (D(2025, 11, 11), D(2025, 11, 11))
