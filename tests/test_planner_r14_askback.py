"""Round 14, questions asked back (or answered wrongly) though they can be read: days of a
month written in Chinese numerals with a festival in brackets naming them, and a rule
segment's signup channel beside an order count. Every wording here is our own; none is a
set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, planned_call, query_args

TODAY = date(2026, 11, 1)


# 1. Day ranges in Chinese numerals: the month's other end is a bare day with 号/日.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("九月三号至九号的订单", date(2026, 9, 3), date(2026, 9, 9)),
        ("二月十一日到二十日卖了多少", date(2026, 2, 11), date(2026, 2, 20)),
        ("四月二号到二十八号", date(2026, 4, 2), date(2026, 4, 28)),
        ("八月1号到十五号", date(2026, 8, 1), date(2026, 8, 15)),
    ],
)
def test_chinese_numeral_day_range_reads_both_days(text: str, start: date, end: date) -> None:
    found = find_period(text, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


def test_a_chinese_numeral_count_after_a_day_is_no_day() -> None:
    found = find_period("三月五号到十个客户", TODAY)
    assert found is not None and found.range.end == date(2026, 3, 5)


# 2. A festival in brackets after days written out names them: the days are the period,
#    whether the store has a window for the festival or not.
@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("九月一号到三号（中秋）的订单数", "九月一号到三号"),
        ("五月一号到五号（劳动节）卖了多少钱", "五月一号到五号"),
        ("二月一号到十号（春节）的销售额", "二月一号到十号"),
        ("revenue for Oct 2-6 (golden week)", "Oct 2-6"),
    ],
)
def test_festival_in_brackets_after_written_days_names_them(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    assert query_args(planner, question).get("time_range") == time_range


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("三月二号到八号（双十一）的订单数", "双十一"),  # the festival's days are others
        ("劳动节那几天的订单有多少", "劳动节"),  # no store window, no days given
        ("五一期间卖了多少", "五一"),
        ("orders over labor day", "labor day"),
    ],
)
def test_festival_without_the_days_said_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question).lower()


# 3. The signup channel beside an order count is a condition of the counted people.
@pytest.mark.parametrize(
    ("question", "channel", "least"),
    [
        ("注册渠道为网站、今年下过四次及以上订单的客户有多少", "web", 4),
        ("在门店注册并且今年下单3次以上的客户", "store", 3),
        ("how many customers who signed up in the mini program placed 6+ orders this year",
         "mini_program", 6),
        ("customers that signed up on the web with at least 2 orders this year", "web", 2),
    ],
)  # fmt: skip
def test_signup_channel_with_order_count_is_kept(
    planner: OfflinePlanner, question: str, channel: str, least: int
) -> None:
    tool, args = planned_call(planner, question)
    if tool == "define_segment":
        definition = args["definition"]
        assert definition["signup_channels"] == [channel]
        assert definition["orders"]["min"] == least
    else:  # a count of people with the repeat buyers' metric, by signup channel
        assert tool == "query_metrics"
        assert args["filters"] == {"signup_channel": [channel]}


# 4. Buyers of one period lost in a later one that is not its previous period of equal
#    length: the churn with the base named, broken down as asked, never a buyer count.
@pytest.mark.parametrize(
    ("question", "base", "later"),
    [
        ("how many Q2 shoppers did we lose in Q3", "Q2", "Q3"),
        ("of our Q1 customers, how many churned in Q3", "Q1", "Q3"),
        ("二季度下过单、三季度一单没买的客户有多少", "二季度", "三季度"),
    ],
)
def test_lapsed_buyers_over_a_named_base(
    planner: OfflinePlanner, question: str, base: str, later: str
) -> None:
    args = query_args(planner, question)
    assert "churned_customers" in args["metrics"]  # (人数: the count alone)
    assert (args["churn_base"], args["time_range"]) == (base, later)


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("上半年买过、下半年没有再买的人数", "上半年", "下半年"),
        ("customers who bought in H1 but not in H2", "H1", "H2"),
    ],
)
def test_lapsed_periods_that_resolve_the_other_way_round_are_asked_about(
    planner: OfflinePlanner, question: str, first: str, second: str
) -> None:
    # A half with no year is the latest completed one: in November the second half said is
    # last year's, before the first. The lapse is never answered backwards.
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert f"「{first}」" in message.content or f"“{first}”" in message.content
    assert second in message.content


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("Q2 buyers we lost in Q3, split by province", "province"),
        ("二季度买过三季度没买的客户，按性别分", "gender"),
    ],
)
def test_lapsed_buyers_keep_their_breakdown(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert query_args(planner, question)["dimensions"] == [dimension]


# 5. Units of a product said with a loose verb of their going out: the units sold, of the
#    product named; a noun between that is no store value is asked about, never dropped.
@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("how many Smartwatch S3 got shipped last quarter", "product", "Smartwatch S3"),
        ("how many X12 phones moved this year", "product", "Smartphone X12"),
        ("how many baby products went out the door in 2025", "category", "baby"),
    ],
)
def test_units_with_a_loose_verb_of_a_named_product(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["units"]
    assert args["filters"] == {dimension: [value]}


@pytest.mark.parametrize(
    "question",
    ["how many gizmos went out the door last month", "how many widgets did we ship in Q2"],
)
def test_units_of_an_unknown_noun_are_asked_back(planner: OfflinePlanner, question: str) -> None:
    asked_back(planner, question)


@pytest.mark.parametrize(
    "question",
    ["Q2 buyers we lost in Q3, the headcount only", "二季度买过三季度没买的，只要人数，不要百分比"],
)
def test_lapsed_buyers_as_a_headcount_are_the_count_alone(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["churned_customers"]
