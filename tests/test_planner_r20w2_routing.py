"""Round 20 wave 2, the wrong tool: how a metric is defined (its denominator, what counts)
is the knowledge base, not the figure; star ratings asked as counts, shares or averages are
never the store-wide text sentiment; "新客层" / "新客群" names the RFM segment New Customers,
so two segments taken together are the RFM table. Every wording is our own; each family has
near-misses that keep their reading."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A metric's definition asked: search_knowledge.
@pytest.mark.parametrize(
    "question",
    [
        "复购率的分母究竟是按人还是按订单？",
        "Is the denominator of our repeat rate buyers or orders?",
        "what counts as a repeat buyer when you compute that rate?",
        "复购的口径是按人还是按单",
        "什么算复购？",
    ],
)
def test_definition_goes_to_the_knowledge_base(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "search_knowledge"


@pytest.mark.parametrize(
    "question, metric",
    [("what was the repurchase rate last month", "repurchase_rate"), ("复购率是多少", "repurchase_rate")],
)
def test_the_figure_stays_a_figure(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert metric in args["metrics"]


# 2. Star ratings asked as a figure: never the store-wide sentiment.
@pytest.mark.parametrize(
    "question",
    [
        "what fraction of reviews gave 1 or 2 stars, split by review language",
        "列出平均评分不到3分的商品和它们的评论数",
    ],
)
def test_star_figures_are_not_the_sentiment(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert all(c["name"] != "review_sentiment" for c in message.tool_calls)


@pytest.mark.parametrize(
    "question", ["how do shoppers feel about our products", "评论整体是正面还是负面"]
)
def test_feeling_stays_the_sentiment(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "review_sentiment"


# 3. 新客层 / 新客群: the New Customers segment.
@pytest.mark.parametrize(
    "question",
    [
        "新客层加上有潜力客户层，一共多少人",
        "新客群和Promising合起来有多少人",
        "the New Customers tier plus Promising, how many people in total?",
    ],
)
def test_new_customer_layer_is_the_segment(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "rfm_segments"


@pytest.mark.parametrize(
    "question", ["how many new customers did we get last month", "上个月新客有多少"]
)
def test_new_customers_stay_the_metric(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == ["new_customers"]


def test_new_customer_layer_revenue_is_filtered(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "新客层上个月的销售额")
    assert name == "query_metrics"
    assert args["filters"] == {"rfm_segment": ["New Customers"]}


def test_rfm_breakdown_of_new_customers_still_asks_back(planner: OfflinePlanner) -> None:
    asked_back(planner, "各RFM分群上个月的新客数")


# 2b. Products whose average rating is under a level: the rating's SQL, kept by HAVING.
@pytest.mark.parametrize(
    "question",
    ["which items average under 3 stars in ratings, list them all", "平均评分不到3分的商品有哪些"],
)
def test_average_rating_below_a_level(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "HAVING AVG(r.rating) < 3" in args["sql"]


def test_average_rating_below_a_level_in_a_period_is_not_the_sentiment(
    planner: OfflinePlanner,
) -> None:
    message = planner._plan("平均评分低于3分的商品，上个月", [])
    assert all(c["name"] != "review_sentiment" for c in message.tool_calls)
