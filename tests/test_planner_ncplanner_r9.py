"""Round 9 (newcomer's findings), kinds found by an outside tester. Every wording here is
our own; none is the tester's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _args(planner: OfflinePlanner, question: str) -> dict[str, Any]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    assert message.tool_calls[0]["name"] == "query_metrics", message.tool_calls
    return message.tool_calls[0]["args"]


# 1. A ranking whose thing is named after the superlative ("点击率最高的五个活动", "the four
#    cities with the most orders", "哪两个品类销量最高") ranks that thing: the breakdown with
#    the top N, never the whole store's figure.
@pytest.mark.parametrize(
    ("question", "metric", "dimension", "n"),
    [
        ("点击率最高的五个活动", "ctr", "campaign", 5),
        ("转化率最高的两个活动是哪些", "conversion_rate", "campaign", 2),
        ("the four campaigns with the highest open rate", "open_rate", "campaign", 4),
        ("the 4 cities with the most orders", "orders", "city", 4),
        ("哪两个城市订单最多", "orders", "city", 2),
        ("去年销售额最高的3个品类", "revenue", "category", 3),
    ],
)
def test_a_thing_named_after_the_superlative_is_ranked(
    planner: OfflinePlanner, question: str, metric: str, dimension: str, n: int
) -> None:
    args = _args(planner, question)
    assert args["metrics"][0] == metric
    assert args["dimensions"] == [dimension]
    assert args["limit"] == n
    assert args.get("sort") != "asc"


# 2. An amount of returns or refunds ("refund amount", "the return amounts", "退款金额") is
#    the returns metric: a phrase whose head is "amount" never falls back to revenue.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("the 2 categories with the largest refund amount in 2025", ["category"]),
        ("return amounts by channel", ["channel"]),
        ("what was the refund amount last quarter", []),
        ("哪两个城市的退款金额最高", ["city"]),
    ],
)
def test_an_amount_of_returns_is_the_returns_metric(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["returns"]
    assert args.get("dimensions", []) == dimensions


# 4. Per-customer words between 平均 and the metric ("平均每位顾客的终身价值") do not break
#    the metric's reading: it was asked back as a near word.
@pytest.mark.parametrize("question", ["平均每位顾客的终身价值有多少", "去年平均每个顾客的终身价值"])
def test_per_customer_words_inside_an_average_keep_the_metric(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"] == ["average_ltv"]
