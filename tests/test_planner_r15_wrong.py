"""Round 15, confident different answers: the store said as the whole business read as the
sales channel spelt "store"; a lapse of a stated span answered with a period's churn; the
words of a negated order counted as the period's buyers or orders; a noun said with "all"
beside another breakdown added as a second breakdown; a test set aside answered as the test;
a question corrected inside itself answered with both readings. Every wording here is our
own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


def _call(planner: OfflinePlanner, question: str) -> tuple[str, dict]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


# 1. The whole store is the unfiltered store; the channel "store" only when said as a channel.
@pytest.mark.parametrize(
    "question",
    [
        "what were orders across the entire shop in September",
        "AOV store-wide for Q3",
        "9月整个店铺的订单数",
        "上季度全店的客单价",
    ],
)
def test_whole_store_said_as_the_business_is_no_channel_filter(
    planner: OfflinePlanner, question: str
) -> None:
    assert "channel" not in (query_args(planner, question).get("filters") or {})


@pytest.mark.parametrize(
    "question", ["orders through the store channel in September", "9月门店渠道的订单数"]
)
def test_store_said_as_a_channel_stays_the_channel(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["filters"]["channel"] == ["store"]


# 2. A lapse of a stated span is no order in the last N: a rule count, never a churn figure.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("number of shoppers who've been inactive for 45+ days", "last 45 days"),
        ("how many buyers lapsed over 30 days", "last 30 days"),
        ("不活跃超过30天的会员有几个", "近30天"),
        ("45天以上都没活跃的客户多少人", "近45天"),
    ],
)
def test_lapse_of_a_stated_span_is_the_no_order_rule(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    tool, args = _call(planner, question)
    assert tool == "define_segment", args
    assert args["definition"]["orders"] == {"max": 0, "period": period}


def test_churn_over_a_recent_span_stays_the_churn_figure(planner: OfflinePlanner) -> None:
    # the span is the period churned over, not a lapse of that length
    assert query_args(planner, "过去60天流失了几个客户")["metrics"] == ["churned_customers"]


# 3. The words of a negated order count the people with none, never the buyers or orders.
@pytest.mark.parametrize(
    "question",
    [
        "how many shoppers have placed no orders in the past 45 days",
        "count of customers with no purchases for 30+ days",
        "过去两个月没下过单的会员有多少",
    ],
)
def test_negated_order_counts_the_people_with_none(planner: OfflinePlanner, question: str) -> None:
    tool, args = _call(planner, question)
    assert tool == "define_segment", args
    assert args["definition"]["orders"]["max"] == 0


# 4. Beside another breakdown, a noun said with "all" is the scope pooled, not a breakdown.
@pytest.mark.parametrize(
    "question",
    [
        "open rate per channel for all campaigns in 2026",
        "2026年按渠道看所有活动的打开率",
    ],
)
def test_all_said_beside_a_breakdown_is_the_scope(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["dimensions"] == ["channel"]


def test_campaign_breakdown_alone_stays_a_breakdown(planner: OfflinePlanner) -> None:
    assert query_args(planner, "open rate by campaign in 2026")["dimensions"] == ["campaign"]


# 5. A test set aside beside the send asked is neither called nor a filter.
@pytest.mark.parametrize(
    "question",
    [
        "CTR of the Double 11 2025 SMS only, rather than the push experiment",
        "2025年双11短信的点击率，而不是推送那个AB测试",
    ],
)
def test_test_set_aside_is_not_answered(planner: OfflinePlanner, question: str) -> None:
    tool, args = _call(planner, question)
    assert tool == "query_metrics", args
    assert args["filters"]["campaign"] == ["Double 11 2025 - SMS"]


# 6. A question corrected inside itself is answered as corrected, never both.
@pytest.mark.parametrize(
    ("question", "metrics", "period"),
    [
        ("AOV for July - scratch that - August", ["aov"], "August"),
        ("buyers last quarter, I mean orders", ["orders"], "last quarter"),
        ("8月的订单数，哦不对，7月", ["orders"], "7月"),
        ("上个月的买家数…不对，客单价", ["aov"], "上个月"),
    ],
)
def test_self_correction_answers_the_corrected_question(
    planner: OfflinePlanner, question: str, metrics: list[str], period: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args["time_range"] == period


def test_self_corrected_value_replaces_the_first(planner: OfflinePlanner) -> None:
    args = query_args(planner, "revenue in Hangzhou in May, sorry, Chengdu")
    assert args["filters"]["city"] == ["成都"]
