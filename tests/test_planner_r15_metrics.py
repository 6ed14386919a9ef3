"""Round 15, metric questions read as another question: a second or third metric added beside
the asked one (parts of a ratio in its written-out formula, a table before its column, the
returns' word that finishes "orders came back as ..."), a filter lost (an age band), the
wrong metric (what customers described by a clause spent read as the campaign cost), periods
("to date", "the 30 before", a period still to come, a festival's window) and words with no
fixed meaning ("dormant users", 大R) that must be asked back. Every wording here is our own;
none is a set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args

TODAY = date(2026, 11, 1)


# 1. The parts of a ratio written out as its formula are its definition, no extra figures.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("ROI of each email campaign in 2025, i.e. (attributed revenue - cost)/cost", "roi"),
        ("今年各活动的点击率（点击/送达）", "ctr"),
    ],
)
def test_parts_inside_a_written_formula_add_no_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_parts_divided_without_their_ratio_stay_asked(planner: OfflinePlanner) -> None:
    args = query_args(planner, "clicks / delivered by campaign in 2025")
    assert set(args["metrics"]) == {"clicks", "delivered"}


# 2. A table written before its column ("orders.channel") names no orders metric.
@pytest.mark.parametrize(
    "question",
    ["revenue split by orders.channel for Q2", "按 orders.channel 拆分上个月的销售额"],
)
def test_table_before_its_column_is_no_metric(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert args["dimensions"] == ["channel"]


# 3. "orders sent back as returns": the returns word finishes the returned orders' phrase.
@pytest.mark.parametrize(
    "question",
    [
        "in August, how many orders were sent back as returns",
        "orders were returned as refunds in Q2?",
    ],
)
def test_returned_orders_phrase_with_as_returns_is_one_count(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["returned_orders"]


# 4. "所有买家的": whose average, no buyers count beside it.
@pytest.mark.parametrize("question", ["全体客户的平均LTV有多少", "所有购买客户的平均LTV"])
def test_all_buyers_possessive_is_whose_figure(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["average_ltv"]


# 5. Customers described by a clause who spend: their spend is revenue, not the campaign cost.
@pytest.mark.parametrize(
    "question",
    [
        "what did customers who registered through the app spend in Q2",
        "在小程序注册的客户今年花了多少钱",
    ],
)
def test_described_customers_spending_is_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert args["filters"].get("signup_channel")


def test_our_own_spend_stays_the_cost(planner: OfflinePlanner) -> None:
    assert query_args(planner, "how much did we spend on SMS campaigns in 2025")["metrics"] == [
        "cost"
    ]


# 6. An age band written as its values is a filter, never dropped.
@pytest.mark.parametrize(
    ("question", "band"),
    [
        ("men 35-44: orders last month", "35-44"),
        ("revenue from shoppers aged 45-54 in Q2", "45-54"),
        ("25到34岁的客户上季度的销售额", "25-34"),
    ],
)
def test_age_band_value_is_a_filter(planner: OfflinePlanner, question: str, band: str) -> None:
    assert query_args(planner, question)["filters"]["age_band"] == [band]


# 7. Periods: "to date" after a day, an elided unit after "vs the", a "compares to".
@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("units sold, Feb 3 to date", date(2026, 2, 3), TODAY),
        ("orders from March 10 till now", date(2026, 3, 10), TODAY),
    ],
)
def test_a_day_to_date_runs_to_today(question: str, start: date, end: date) -> None:
    found = find_period(question, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


@pytest.mark.parametrize(
    ("question", "days"),
    [("signups over the last 14 days vs the 14 before", 14), ("AOV past 7 days vs the prior 7", 7)],
)
def test_elided_unit_after_vs_is_the_previous_period(question: str, days: int) -> None:
    found = find_period(question, TODAY)
    assert found is not None and found.compare_to is not None
    assert (found.compare_to.end - found.compare_to.start).days + 1 == days
    assert found.compare_to.end < found.range.start


def test_a_different_count_after_vs_is_no_previous_period() -> None:
    found = find_period("orders over the last 30 days vs the 10 before", TODAY)
    assert found is None or found.compare_to is None


def test_how_it_compares_to_a_month_is_a_comparison() -> None:
    found = find_period("buyers in August and how that compares to July", TODAY)
    assert found is not None and found.compare_to is not None
    assert found.compare_to.start == date(2026, 7, 1)


@pytest.mark.parametrize(
    "question",
    ["2025年双11大促期间（整个活动窗口）的订单数", "orders in the Double 11 sales window 2025"],
)
def test_festival_window_words_are_the_festival(question: str) -> None:
    found = find_period(question, TODAY)
    assert found is not None
    assert found.range.end == date(2025, 11, 11)
    assert found.span[1] >= question.index("1") + 2


# 8. A period after the data's last day is asked back naming it, never computed.
@pytest.mark.parametrize(
    ("question", "named"),
    [("net sales for August 2026", "August 2026"), ("2026年9月的订单数", "2026年9月")],
)
def test_period_after_the_data_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    early = planner.model_copy(update={"as_of": date(2026, 5, 1)})
    assert named in asked_back(early, question)


def test_period_before_the_data_end_is_computed(planner: OfflinePlanner) -> None:
    early = planner.model_copy(update={"as_of": date(2026, 5, 1)})
    assert query_args(early, "net sales for March 2026")["metrics"] == ["revenue"]


# 9. Customer states with no fixed meaning are asked back naming the words.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("count our inactive customers", "inactive customers"),
        ("沉默会员现在有多少人", "沉默会员"),
        ("大R玩家的客单价是多少", "大R玩家"),
    ],
)
def test_undefined_customer_state_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_a_defined_state_is_not_asked_back_for_its_word(planner: OfflinePlanner) -> None:
    message = planner._plan("inactive customers = no order in the last 90 days; how many?", [])
    assert "no fixed meaning" not in str(message.content)


# 10. A trend word beside another grain adds no month breakdown.
@pytest.mark.parametrize("question", ["每周订单走势，三季度", "quarterly revenue trend for 2025"])
def test_trend_word_beside_a_grain_is_that_grain(planner: OfflinePlanner, question: str) -> None:
    dimensions = query_args(planner, question)["dimensions"]
    assert len(dimensions) == 1 and dimensions[0] in {"week", "quarter"}


# 11. Chinese metric words: 首单 restating new customers, 贡献 of each buyer, 电子.
def test_first_order_gloss_restates_new_customers(planner: OfflinePlanner) -> None:
    assert query_args(planner, "9月新客数（按首单算）")["metrics"] == ["new_customers"]


def test_what_each_buyer_contributed_is_revenue_per_buyer(planner: OfflinePlanner) -> None:
    assert "revenue_per_buyer" in query_args(planner, "今年每位会员贡献了多少销售额")["metrics"]


def test_electronics_said_short(planner: OfflinePlanner) -> None:
    assert query_args(planner, "电子类今年的退货率")["filters"]["category"] == ["electronics"]


def test_rfm_segment_named_by_its_state_word_is_the_segment(planner: OfflinePlanner) -> None:
    # 沉睡客户 is the zh name of the RFM segment Hibernating: no undefined state to ask about
    message = planner._plan("RFM分群中沉睡客户有多少人", [])
    assert "没有固定的含义" not in str(message.content)


def test_age_band_value_in_a_rule_segment_is_its_age_range(planner: OfflinePlanner) -> None:
    message = planner._plan("save an audience: Chengdu men 45-54 who bought sports gear", [])
    assert message.tool_calls, message.content
    definition = message.tool_calls[0]["args"]["definition"]
    assert (definition["min_age"], definition["max_age"]) == (45, 54)
