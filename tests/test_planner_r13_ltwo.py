"""Round 13 (ltwo): a ranking asked over the previous breakdown keeps its metric, period and
filters; a money metric said of a store A/B campaign is that campaign's figure. Every wording
here is our own."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, query_args


def _after(planner: OfflinePlanner, first: str, then: str) -> AIMessage:
    """The planner's reply to `then`, asked after `first` was answered."""
    reply = planner._plan(first, [])
    calls = [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
    payload = {"status": "answered", "tool_calls": calls}
    history: list[BaseMessage] = [
        HumanMessage(first),
        AIMessage("done", response_metadata={"copilot_payload": payload}),
    ]
    return planner._plan(then, history)


def _args_after(planner: OfflinePlanner, first: str, then: str) -> dict[str, Any]:
    reply = _after(planner, first, then)
    assert reply.tool_calls, reply.content
    assert reply.tool_calls[0]["name"] == "query_metrics"
    return reply.tool_calls[0]["args"]


# 1. "which N …the most" over the breakdown just shown: its top N, same metric and period.
@pytest.mark.parametrize(
    ("first", "then", "n"),
    [
        ("revenue per city in September", "哪两个城市贡献最大？", 2),
        ("revenue per city in September", "which 4 made the most?", 4),
        ("上个月各渠道的订单数", "哪两个渠道最多", 2),
        ("orders by channel last quarter", "which two channels had the most orders?", 2),
        ("上个月按城市的销售额", "哪五个城市卖得最好？", 5),
    ],
)  # fmt: skip
def test_a_ranking_over_the_breakdown_keeps_it(
    planner: OfflinePlanner, first: str, then: str, n: int
) -> None:
    before = planner._plan(first, []).tool_calls[0]["args"]
    args = _args_after(planner, first, then)
    assert args["limit"] == n
    assert args["time_range"] == before["time_range"]
    assert args["metrics"] == before["metrics"]
    assert args["dimensions"] == before["dimensions"]


def test_the_ranking_keeps_the_filters(planner: OfflinePlanner) -> None:
    args = _args_after(planner, "女性客户上个月各城市的销售额", "哪三个城市最高？")
    assert args["filters"] == {"gender": ["F"]} and args["limit"] == 3


@pytest.mark.parametrize(
    ("first", "then"),
    [
        # another breakdown, another metric or a period of its own: a question of its own
        ("revenue per city in September", "which 3 channels had the most orders?"),
        ("revenue per city in September", "which 3 cities brought in the most in 2025?"),
    ],
)  # fmt: skip
def test_a_ranking_of_its_own_is_no_cut(planner: OfflinePlanner, first: str, then: str) -> None:
    args = _args_after(planner, first, then)
    assert args.get("time_range") != "September"


def test_a_short_ranking_on_another_metric_ranks_by_it_in_the_period_shown(
    planner: OfflinePlanner,
) -> None:
    # (round 17: a short turn naming only a metric, a breakdown and a top N keeps the period
    # and filters just shown, followups.only_slots_of_previous; it was a question of its own
    # over all time before. Still its own ranking: by the returns, never the revenue cut.)
    args = _args_after(planner, "revenue per city in September", "哪三个城市退货最多")
    assert args["metrics"] == ["returns"] and args["dimensions"] == ["city"]
    assert args["limit"] == 3 and args.get("order_by") == "returns"
    assert args.get("time_range") == "September"


def test_a_ranking_word_not_placed_is_not_cut_to_revenue(planner: OfflinePlanner) -> None:
    reply = _after(planner, "revenue per city in September", "which 3 grew the quickest?")
    assert not any(c["args"].get("limit") == 3 for c in reply.tool_calls), reply.tool_calls


# 5. A metric said of a store A/B campaign that a test does not compare: the campaign's figure.
@pytest.mark.parametrize(
    ("question", "metric", "campaign"),
    [
        ("春节那次AB测试活动的投资回报率", "roi", "Spring Festival 2026 - Email A/B"),
        ("how much did the spring festival A/B test cost?", "cost", "Spring Festival 2026 - Email A/B"),
        ("双11推送AB测试的ROAS", "roas", "Double 11 2025 - Push A/B"),
        ("return on investment of the 2025 Double 11 push A/B test", "roi", "Double 11 2025 - Push A/B"),
    ],
)  # fmt: skip
def test_a_money_metric_of_an_ab_campaign_is_its_figure(
    planner: OfflinePlanner, question: str, metric: str, campaign: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert args["filters"] == {"campaign": [campaign]}


@pytest.mark.parametrize("question", ["春节AB测试哪个版本转化更好", "did B beat A in the Spring Festival test?"])  # fmt: skip
def test_a_tests_verdict_is_still_the_test(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_test" and args["campaign"] == "Spring Festival 2026 - Email A/B"


@pytest.mark.parametrize("question", ["ROI of our A/B test?", "AB测试活动的投资回报率是多少"])  # fmt: skip
def test_a_money_metric_of_an_unnamed_test_asks_which(
    planner: OfflinePlanner, question: str
) -> None:
    text = asked_back(planner, question)
    assert "Spring Festival 2026 - Email A/B" in text and "Double 11 2025 - Push A/B" in text


# 3. A value singled out beside a breakdown by another dimension: the breakdown over the whole
#    and the value's own figure, never the breakdown cut to the value.
@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("orders by province in September, and Hangzhou on its own", "province", "杭州"),
        ("AOV per channel this year with Beijing broken out separately", "channel", "北京"),
        ("9月各省的订单数，杭州单独列一行", "province", "杭州"),
        ("今年各渠道的客单价，北京单独算", "channel", "北京"),
    ],
)  # fmt: skip
def test_a_value_singled_out_beside_a_breakdown_gets_its_own_figure(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    calls = planner._plan(question, []).tool_calls
    assert [c["name"] for c in calls] == ["query_metrics", "query_metrics"], calls
    breakdown, own = calls[0]["args"], calls[1]["args"]
    assert breakdown["dimensions"] == [dimension] and "filters" not in breakdown
    assert own["filters"] == {"city": [value]} and "dimensions" not in own
    assert own["time_range"] == breakdown["time_range"]


@pytest.mark.parametrize("question", ["orders by channel in Hangzhou in September", "只看女性，今年各渠道的客单价"])  # fmt: skip
def test_a_value_not_singled_out_still_filters(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["filters"] and args["dimensions"] == ["channel"]
