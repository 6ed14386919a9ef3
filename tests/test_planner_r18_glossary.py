"""Round 18, field jargon: the words marketers, e-commerce operators and finance partners use
when they ask for numbers, each placed in the one vocabulary by what it means for the store -
a synonym of a metric, dimension or period it has; framing with no data meaning (a meeting or
report name, 口径); or a metric the store cannot compute, named in a question back or a
refusal and never answered with another metric. Every wording is our own; each family has
near-misses that must still be read as before."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args

TODAY = date(2026, 12, 3)


# 1. Framing: the meeting or report a figure is for carries no data meaning.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("WBR prep - units sold last week", "units"),
        ("need the MBR figure: AOV for last month", "aov"),
        ("QBR deck, buyers last quarter", "buyers"),
        ("复盘会上要看的：上个月的订单数", "orders"),
        ("周会用一下，上周客单价多少", "aov"),
        ("按净额口径，上个月的销售额", "revenue"),
    ],
)
def test_meeting_and_report_names_are_framing(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_framing_word_does_not_swallow_an_unknown_content_word(planner: OfflinePlanner) -> None:
    # near-miss: a meeting name beside a word the store does not know is still asked about
    assert "pet food" in asked_back(planner, "WBR numbers for pet food last week").lower()
    assert "私域" in asked_back(planner, "复盘用：上个月私域的销售额")


# 2. Periods: a part of a month said relative to today, and the fiscal year named relatively.
@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("上个月上旬", date(2026, 11, 1), date(2026, 11, 10)),
        ("上上个月下旬的订单", date(2026, 10, 21), date(2026, 10, 31)),
        ("late last month", date(2026, 11, 21), date(2026, 11, 30)),
        ("the first half of last month", date(2026, 11, 1), date(2026, 11, 15)),
        ("FYTD", date(2026, 1, 1), TODAY),
        ("financial year to date", date(2026, 1, 1), TODAY),
        ("last fiscal year", date(2025, 1, 1), date(2025, 12, 31)),
        ("上财年", date(2025, 1, 1), date(2025, 12, 31)),
        ("本财年至今", date(2026, 1, 1), TODAY),
    ],
)
def test_relative_month_parts_and_fiscal_years(phrase: str, start: date, end: date) -> None:
    match = find_period(phrase, TODAY)
    assert match is not None
    assert (match.range.start, match.range.end) == (start, end)


def test_fiscal_year_with_another_start_stays_unread() -> None:
    # near-miss: a fiscal year said to start in July is no calendar year to date
    assert find_period("our fiscal year starts in July; orders FYTD", TODAY) is None


def test_month_part_of_a_relative_month_reaches_the_plan(planner: OfflinePlanner) -> None:
    assert query_args(planner, "上个月中旬卖了多少单")["time_range"] == "上个月中旬"
    assert "early last month" in query_args(planner, "AOV early last month")["time_range"]
    # near-miss: the whole month stays the whole month
    assert query_args(planner, "上个月卖了多少单")["time_range"] == "上个月"


@pytest.mark.parametrize(
    ("question", "period"),
    [("orders L30D", "last 30 days"), ("AOV TTM", "last 12 months"), ("units 2H 2025", "h2 2025")],
)
def test_dashboard_window_shorthand(planner: OfflinePlanner, question: str, period: str) -> None:
    assert query_args(planner, question)["time_range"] == period


# 3. Synonyms of metrics and dimensions the store has.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("ATV for the last quarter", "aov"),
        ("ROMI of our campaigns this year", "roi"),
        ("上个月实收多少", "revenue"),
        ("上周的支付金额", "revenue"),
        ("上个月支付人数", "buyers"),
        ("今年投放消耗了多少", "cost"),
        ("上季度整体投产比", "roas"),
    ],
)
def test_jargon_names_a_store_metric(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("上个月分端的订单数", "channel"),
        ("今年各品线的销量", "category"),
        ("上个月每个人群包的点击率", "target_segment"),
    ],
)
def test_jargon_names_a_store_dimension(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert query_args(planner, question)["dimensions"] == [dimension]


def test_sell_through_a_channel_stays_a_channel_sale(planner: OfflinePlanner) -> None:
    # near-miss: "sell through the app" is what sold in that channel, not sell-through
    args = query_args(planner, "how much did we sell through the mini program in Q2")
    assert args["filters"] == {"channel": ["mini_program"]}


# 4. What the store cannot compute: named, never answered with another metric.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("sell-through for last month", "sell-through"),
        ("what was our bottom line in Q3", "bottom line"),
        ("CPC on the social ads last month", "CPC"),
        ("UPT last week", "UPT"),
        ("blended ROAS this quarter", "blended ROAS"),
        ("target attainment for November", "target attainment"),
        ("COGS last month", "COGS"),
        ("上个月的售罄率", "售罄率"),
        ("上周动销率怎么样", "动销率"),
        ("这个月动销商品数", "动销商品数"),
        ("上个月坑产", "坑产"),
        ("上个月客件数是多少", "客件数"),
        ("上季度的费比", "费比"),
        ("这个月的曝光量", "曝光量"),
        ("上个月坪效", "坪效"),
        ("上个月直播场观", "场观"),
        ("上个月次留多少", "次留"),
    ],
)
def test_unsupported_jargon_is_named_not_answered(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named.lower() in asked_back(planner, question).lower()


def test_unsupported_jargon_offers_its_parts(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "cost per click for the email blasts last month")
    assert "Cost" in reply and "Clicks" in reply


# 5. Definition words: the net revenue restated is still the net revenue.
@pytest.mark.parametrize(
    "question",
    ["上个月的销售额，不含退款", "上周营收（剔除退货后）", "revenue last month on a net basis"],
)
def test_net_of_refunds_restates_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert not args.get("filters")


def test_unsupported_jargon_names_an_unknown_value_beside_it(planner: OfflinePlanner) -> None:
    # an unknown product or category beside an unmeasured metric is named too
    reply = asked_back(planner, "sell-through of the Ski Goggles last quarter")
    assert "sell-through" in reply and "Ski Goggles" in reply
    reply = asked_back(planner, "宠物用品类目上个月售罄率")
    assert "售罄率" in reply and "宠物用品" in reply


def test_bare_dongxiao_stays_a_qualifier_of_the_units(planner: OfflinePlanner) -> None:
    # near-miss: 动销 alone (how well goods move) with 件数 is the units, not 动销率
    args = query_args(planner, "今年动销前五的商品，看件数")
    assert args["metrics"] == ["units"]
