"""Round 20 wave 2, the metric read: a how-many question naming no rate is the rate's count
(lexicon count_of), never the rate nor both; returns not deducted (不扣退货) is the gross
sales, never the returns' amount; the share of messages delivered that turned into an order
is the conversion rate, a metric question, never a copy brief. Every wording is our own;
each family keeps a near-miss read as before."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call, query_args


# 1. How many, no rate word: the count of the rate's pair.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many shoppers came back and ordered again in August", "repeat_buyers"),
        ("How many of our customers came back last quarter?", "repeat_buyers"),
        ("上个月流失掉的老顾客有几位", "churned_customers"),
        ("上个月流失的老客户有多少人", "churned_customers"),
        ("上个月有几个人回购", "repeat_buyers"),
    ],
)
def test_how_many_is_the_count(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("repurchase rate and number of repeat buyers in August", ["repurchase_rate", "repeat_buyers"]),
        ("what share of shoppers came back in August", ["repurchase_rate"]),
        ("上个月流失率多少", ["churn_rate"]),
        ("上个月复购率和复购人数", ["repurchase_rate", "repeat_buyers"]),
    ],
)
def test_rate_word_keeps_the_rate(planner: OfflinePlanner, question: str, metrics: list[str]) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 2. Returns not deducted: the gross sales.
@pytest.mark.parametrize(
    "question",
    ["上周未扣退货的销售额", "上周不减退货的销售额是多少", "last week's sales not deducting returns"],
)
def test_returns_not_deducted_is_gross(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["gross_sales"]


@pytest.mark.parametrize("turn", ["退货不扣的话呢", "now without deducting returns"])
def test_returns_not_deducted_follow_up_is_gross(planner: OfflinePlanner, turn: str) -> None:
    name, args = last_call(planner, ["上周销售额多少", turn])
    assert name == "query_metrics"
    assert args["metrics"] == ["gross_sales"]


@pytest.mark.parametrize("question", ["上周退货多少", "returns last week"])
def test_returns_alone_stay_returns(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returns"]


def test_returns_follow_up_stays_returns(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["上周销售额多少", "退货呢"])
    assert name == "query_metrics"
    assert args["metrics"] == ["returns"]


# 3. Share of delivered messages that turned into an order: the conversion rate.
def test_share_of_delivered_turned_into_order(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "this year, of the messages that reached people, what share turned into an order, by channel"
    )
    assert args["metrics"] == ["conversion_rate"]
    assert args["dimensions"] == ["channel"]


def test_reached_alone_is_still_asked_back(planner: OfflinePlanner) -> None:
    name, _ = last_call(planner, ["how many messages reached people last month"])
    assert name is None


@pytest.mark.parametrize(
    "question", ["how many orders last month, and churn?", "上个月多少个客户，流失情况如何"]
)
def test_rate_asked_in_another_clause_stays_the_rate(planner: OfflinePlanner, question: str) -> None:
    metrics = query_args(planner, question)["metrics"]
    assert "churn_rate" in metrics
    assert "churned_customers" not in metrics
