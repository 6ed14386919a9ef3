"""Round 19, metric questions asked back on a word: N days said to end yesterday, a filter
said as a limit ("restricted to", 仅限), a judgement of the rows or of the sends beside the
figure, the churn rate restated, the refund's usual size, what one customer spends, the
period said as an instruction ("go with 2025"), a category's range or section, 618 after
"over" with its year, campaign spend and what it brought back, the books and separate lines
the figures are for, and customers' income as no store field. Every wording is our own;
each family has a near-miss that must still be read otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args

TODAY = date(2026, 11, 1)


# 1. N days said to end yesterday: the days already end yesterday, the end is no period.
@pytest.mark.parametrize(
    "text",
    [
        "orders over the trailing 45 days ending yesterday",
        "buyers in the past 14 days through yesterday",
        "截至昨天的近45天订单",
        "近45天（截至昨天）的销售额",
    ],
)
def test_days_ending_yesterday_are_the_window(text: str) -> None:
    found = find_period(text, TODAY)
    assert found is not None
    assert found.range.end == date(2026, 10, 31)
    assert found.range.start < date(2026, 10, 31)


def test_near_miss_yesterday_alone_is_one_day() -> None:
    found = find_period("orders yesterday", TODAY)
    assert found is not None and found.range.start == found.range.end == date(2026, 10, 31)


# 2. A filter said as a limit is the filter ("only" said in other words).
@pytest.mark.parametrize(
    "question",
    [
        "AOV in 2025 restricted to shoppers living in Shanghai",
        "orders last quarter, limited to customers from Shanghai",
        "2025年的客单价，仅限上海客户",
        "上季度订单数，只限于上海的客户",
    ],
)
def test_limit_words_are_a_filter(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["filters"].get("city") == ["上海"]


def test_near_miss_limit_with_unknown_place_asks_back(planner: OfflinePlanner) -> None:
    assert "Atlantis" in asked_back(planner, "orders in 2025 restricted to Atlantis")


# 3. A judgement asked of the rows or the sends beside the figure: the figure is answered.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("return rate by category for Q2 - which ones are causing us the most trouble?", "return_rate"),
        ("unsubscribe rate on SMS in October? trying to figure out whether we're pestering our subscribers", "unsubscribe_rate"),
        ("十月短信的退订率是多少？想知道是不是太打扰客户了", "unsubscribe_rate"),
        ("第二季度各品类的退货率，哪些最让我们头疼？", "return_rate"),
    ],
)  # fmt: skip
def test_judgement_beside_the_figure_is_set_aside(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_near_miss_trouble_with_an_unknown_word_still_asks(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "return rate by category for Q2 - which ones upset the zorblax?")
    assert "zorblax" in reply


# 4. The churn rate restated as the previous period's buyers with no orders in this one.
@pytest.mark.parametrize(
    "question",
    [
        "churn rate for Q2 2026, i.e. share of the previous period's buyers with no valid orders in Q2",
        "churn rate Q1 2026 (proportion of prior quarter's customers who placed zero orders in it)",
        "2026年第二季度流失率，即上一期买家中本期没有有效订单的比例",
        "第一季度的流失率（上一期客户里本期没有订单的占比）",
    ],
)  # fmt: skip
def test_churn_restated_is_churn_alone(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["churn_rate"]


def test_near_miss_churn_beside_orders_keeps_orders(planner: OfflinePlanner) -> None:
    assert "orders" in query_args(planner, "churn rate and orders in Q2 2026")["metrics"]


# 5. The usual refund's size is the average return value; what one customer spends is the
#    spend per buyer, not the AOV.
@pytest.mark.parametrize(
    "question",
    [
        "what's our usual refund amount in Q2",
        "average refund size in august",
        "typical return value last quarter",
    ],
)
def test_refund_size_is_average_return_value(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["average_return_value"]


@pytest.mark.parametrize(
    "question",
    [
        "how much does a typical shopper spend with us in a year? go with 2025",
        "how much did one client spend in 2025?",
        "每位客户平均花了多少钱？用2025年的",
        "2025年平均每个顾客花了多少钱",
    ],
)
def test_one_customers_spend_is_revenue_per_buyer(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"][0] == "revenue_per_buyer"


def test_near_miss_spend_per_order_is_aov(planner: OfflinePlanner) -> None:
    metrics = query_args(planner, "how much does one customer spend per order in 2025?")["metrics"]
    assert "aov" in metrics and "revenue_per_buyer" not in metrics


def test_near_miss_use_as_a_content_verb_still_asks(planner: OfflinePlanner) -> None:
    assert "coupons" in asked_back(planner, "how many customers use coupons in 2025")


# 6. A category's range, section or aisle is the category.
@pytest.mark.parametrize(
    "question",
    [
        "how many people bought from the skincare range in the last 30 days?",
        "buyers of the baby section in October",
        "orders from the home aisle last month",
        "上个月家居专区的订单数",
    ],
)
def test_category_range_is_the_category(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["filters"].get("category")


def test_near_miss_unknown_range_asks_back(planner: OfflinePlanner) -> None:
    assert "garden" in asked_back(planner, "orders from the garden range last month")


# 7. 618 after "over" with its year is the festival; with a unit after it, a number.
@pytest.mark.parametrize(
    "text",
    [
        "units over 618 this year",
        "revenue over 618 last year",
        "orders across 618 2025",
        "去年618的销量",
    ],
)
def test_618_with_year_after_over_is_the_festival(text: str) -> None:
    found = find_period(text, TODAY)
    assert found is not None and found.range.start.month == 6 and found.range.end.day == 18


def test_near_miss_over_618_units_is_a_number() -> None:
    assert find_period("orders over 618 units", TODAY) is None


# 8. Campaign spend said in the present perfect, and what the campaigns brought back.
@pytest.mark.parametrize(
    "question",
    [
        "how much have we spent on promos in 2025 and how much revenue did they bring back?",
        "in 2025, how much has been spent on campaigns and what revenue did they bring back?",
        "2025年广告一共花了多少，带来了多少销售额？",
    ],
)
def test_campaign_spend_and_return(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["cost", "attributed_revenue"]


# 9. The books and the separate lines the figures are for: the figures, apart.
@pytest.mark.parametrize(
    "question",
    [
        "For our FY2025 audit we need gross sales and returns as separate rows - don't combine them",
        "year-end recon: gross sales and returns for 2025 on two lines, do not offset them",
        "2025年的毛销售额和退货额分两行列，不要相互抵消",
    ],
)  # fmt: skip
def test_figures_laid_apart(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["gross_sales", "returns"]


# 10. Customers' income is no store field: asked back naming it.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("split 2025 revenue by household income bracket", "income"),
        ("orders by customer salary band last quarter", "salary"),
        ("2025年按客户收入水平拆分销售额", "收入"),
        ("上季度不同薪资水平客户的订单数", "薪资"),
    ],
)
def test_customer_income_is_named_back(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word in asked_back(planner, question)


def test_near_miss_net_income_is_still_profit(planner: OfflinePlanner) -> None:
    assert "profit" in asked_back(planner, "net income in 2025")
