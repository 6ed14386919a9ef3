"""Round 14 (engineer metricwords): which metrics a one-clause metric question asks for.
Nouns that qualify (the orders kept, the people averaged over, a bracketed gloss) or a metric
refused ("not how many orders", "不要销售额") are no metric asked; everyday words for units,
buyers, churned customers and revenue; ARPU beside a filter; framing that only says how soon or how little.
Every wording here is our own."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> dict[str, Any]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"no call: {message.content}"
    call = message.tool_calls[0]
    assert call["name"] == "query_metrics", call
    return call["args"]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("the refund amount for last month, not how many orders", ["returns"]),
        ("buyers in March - people, not the number of orders", ["buyers"]),
        ("AOV for Q2, not # of orders", ["aov"]),
        ("上个月的订单数，不要销售额", ["orders"]),
        ("今年的退货额，不要退货单数", ["returns"]),
    ],
)
def test_a_metric_set_aside_or_refused_is_not_asked(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _call(planner, question)["metrics"] == metrics


@pytest.mark.parametrize("question", ["上个月不要上海的销售额", "不要北京的，上个月销售额"])
def test_a_refused_value_is_never_answered_as_the_value(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    for call in message.tool_calls:
        city = (call["args"].get("filters") or {}).get("city")
        assert not (isinstance(city, list) and city), call


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("revenue over the past two weeks, web orders only", ["revenue"]),
        ("net sales last month from only the app orders", ["revenue"]),
        ("mean lifetime value among our customers", ["average_ltv"]),
        ("average LTV across all of our buyers", ["average_ltv"]),
        ("what % of buyers came back to buy again in Q2 (repeat buyers)", ["repurchase_rate"]),
        ("去年的复购率（回头客）", ["repurchase_rate"]),
    ],
)
def test_a_qualifying_noun_is_no_extra_metric(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _call(planner, question)["metrics"] == metrics


def test_a_count_asked_beside_its_rate_outside_brackets_stays(planner: OfflinePlanner) -> None:
    args = _call(planner, "repeat buyers and repurchase rate for Q2 (both please)")
    assert set(args["metrics"]) == {"repeat_buyers", "repurchase_rate"}


@pytest.mark.parametrize(
    "question",
    [
        "how many pieces of skincare in August",
        "skincare in August, count of pcs",
        "how many skincare products went out the door in August",
        "how many skincare items did we really move in August",
        "8月护肤品卖了几支",
        "8月数码电子卖了多少台",
    ],
)
def test_everyday_words_for_units(planner: OfflinePlanner, question: str) -> None:
    args = _call(planner, question)
    assert args["metrics"] == ["units"]
    assert args["filters"]["category"] == ["skincare"] or args["filters"]["category"]


def test_a_ranked_plural_synonym_is_the_breakdown(planner: OfflinePlanner) -> None:
    args = _call(planner, "which 3 items sold the most pieces last year")
    assert args["metrics"] == ["units"]
    assert args["dimensions"] == ["product"] and args["limit"] == 3


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many people ordered in May? heads please", "buyers"),
        ("how many of our regulars stopped coming back in Q3", "churned_customers"),
        ("how many customers stopped coming in Q3", "churned_customers"),
        ("what did we make in August", "revenue"),
        ("8月男性客户一共买了多少钱", "revenue"),
        ("9月的收入是多少，退货要扣掉", "revenue"),
        ("9月毛销售额，没扣退货的", "gross_sales"),
    ],
)
def test_everyday_words_for_a_metric(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _call(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize(
    ("question", "gender"),
    [("男客户去年的ARPU", "M"), ("ARPU of female customers in Q1", "F")],
)
def test_arpu_with_a_gender_is_asked_back_not_saved_as_a_segment(
    planner: OfflinePlanner, question: str, gender: str
) -> None:
    # ARPU is revenue per user of the whole base (round 11: asked back offering revenue per
    # buyer); a gender beside it must not turn the question into a segment definition.
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert "ARPU" in str(message.content)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("orders last week, need it for the 10am call, just the number", "orders"),
        ("AOV in Q3 before the 4 pm meeting", "aov"),
        ("上个月的订单数 急用 直接给数", "orders"),
        ("上季度客单价，下午3点的会要用", "aov"),
    ],
)
def test_framing_of_how_soon_or_how_little_is_no_question(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _call(planner, question)["metrics"] == [metric]
