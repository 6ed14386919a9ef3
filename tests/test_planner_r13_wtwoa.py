"""Round 13 wave 2, kinds behind held-out set 13's different-question answers (engineer
wtwoa). Every wording here is our own; none is the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.offline.planner import OfflinePlanner
from copilot.outcome import STATUS_KEY
from tests.conftest import asked_back, query_args


def _last_call(planner: OfflinePlanner, turns: list[str]) -> tuple[str | None, Any]:
    """The last turn's first call, planned with the history the agent stores."""
    history: list[BaseMessage] = []
    reply = None
    for turn in turns:
        reply = planner._plan(turn, history)
        calls = [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
        status = "answered" if calls else reply.response_metadata.get(STATUS_KEY)
        payload = {"status": status, "tool_calls": calls}
        history += [
            HumanMessage(turn),
            AIMessage(reply.content or "done", response_metadata={"copilot_payload": payload}),
        ]
    assert reply is not None
    if not reply.tool_calls:
        return None, str(reply.content)
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


# 1. A breakdown asked in a follow-up whose noun holds a metric word ("by sales channel")
#    keeps the metric shown: no sales (revenue) in its place.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["how many buyers did we have in March 2026", "now break it down by sales channel"], "buyers"),
        (["2026年第一季度的订单数", "按销售渠道拆一下"], "orders"),
        (["units sold last month", "split it by sales channel please"], "units"),
    ],
)  # fmt: skip
def test_a_breakdown_by_sales_channel_keeps_the_metric(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    name, args = _last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == [metric]
    assert args["dimensions"] == ["channel"]


def test_a_follow_up_naming_a_metric_still_swaps_it(planner: OfflinePlanner) -> None:
    _, args = _last_call(planner, ["orders in May 2026", "what about revenue"])
    assert args["metrics"] == ["revenue"]


# 2. "把X也加上" / "再把X加进来": the metric joins the ones shown, never replaces them.
@pytest.mark.parametrize(
    ("turns", "metrics"),
    [
        (["上个月每周的销售额", "把订单数也加进来"], ["revenue", "orders"]),
        (["近30天每天的买家数", "再把客单价一起加上"], ["buyers", "aov"]),
        (["今年每月的订单数", "麻烦把退货率也补上"], ["orders", "return_rate"]),
    ],
)  # fmt: skip
def test_a_metric_added_with_ba_joins_the_others(
    planner: OfflinePlanner, turns: list[str], metrics: list[str]
) -> None:
    _, args = _last_call(planner, turns)
    assert args["metrics"] == metrics


def test_a_metric_named_alone_replaces(planner: OfflinePlanner) -> None:
    _, args = _last_call(planner, ["上个月每周的销售额", "换成订单数"])
    assert args["metrics"] == ["orders"]


# 3. What acquiring a customer costs ("cost to acquire a buyer", "获取一个客户要花多少"):
#    the CAC, never the campaigns' whole cost.
@pytest.mark.parametrize(
    "question",
    [
        "how much does it cost us to win a buyer through email",
        "what did acquiring a single customer cost via sms last year",
        "通过短信获取一个客户要花多少钱",
        "今年争取一位顾客平均要花多少",
    ],
)  # fmt: skip
def test_acquiring_a_customer_costs_the_cac(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["cac"]


@pytest.mark.parametrize("question", ["what did the email campaigns cost us last year", "去年短信活动花了多少钱"])  # fmt: skip
def test_a_campaign_cost_stays_the_cost(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["cost"]


# 4. The churned counted with a count word and any noun of people ("流失了几位会员",
#    "几个买家流失了"): the churned customers, not the churn rate.
@pytest.mark.parametrize(
    "question",
    [
        "上周流失了几位会员",
        "这个月有几个买家流失了",
        "how many of our shoppers have lapsed this quarter",
    ],
)  # fmt: skip
def test_the_churned_counted_are_the_churned_customers(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["churned_customers"]


@pytest.mark.parametrize("question", ["上个月的流失率", "churn rate in September 2026"])
def test_the_churn_rate_stays_a_rate(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["churn_rate"]


def test_the_churned_count_and_share_are_both(planner: OfflinePlanner) -> None:
    args = query_args(planner, "上个月流失了几个客户，占比多少")
    assert args["metrics"] == ["churned_customers", "churn_rate"]


# 5. A bare quarter or month compared, apart in the sentence, with one of a named year
#    belongs to that year ("2025年二季度…和一季度相比": 2025 Q1, not this year's).
@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("2025年第二季度的订单数，和一季度相比怎么样", "2025年一季度"),
        ("Q2 2025 orders - how did they compare with Q1?", "Q1 2025"),
        ("2025年8月的销售额，跟7月比有变化吗", "2025年7月"),
    ],
)  # fmt: skip
def test_a_bare_period_compared_takes_the_named_year(
    planner: OfflinePlanner, question: str, other: str
) -> None:
    assert query_args(planner, question)["compare_to"] == other


def test_a_period_compared_with_its_own_year_is_kept(planner: OfflinePlanner) -> None:
    args = query_args(planner, "2025年第二季度的订单数，和2024年一季度相比")
    assert args["compare_to"] == "2024年一季度"


# 6. Revenue said as the campaigns' doing is the attributed revenue; a festival said as days
#    ("over/during Double 11", "双十一期间") is its window, every send of it, not only the
#    campaigns named after it; said as the festival's campaigns it stays their filter.
@pytest.mark.parametrize(
    "question",
    [
        "what sales did our campaigns drive during 618 this year",
        "revenue generated by our campaigns over the Spring Festival 2026",
        "双十一期间我们的活动带来了多少销售额",
    ],
)  # fmt: skip
def test_campaign_revenue_over_a_festival_is_its_window(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["attributed_revenue"]
    assert args.get("time_range")
    assert "campaign" not in (args.get("filters") or {})


@pytest.mark.parametrize(
    "question", ["what revenue did last year's Double 11 campaigns drive", "去年双十一的活动带来了多少销售额"]
)  # fmt: skip
def test_a_festivals_campaigns_are_their_filter(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["attributed_revenue"]
    assert len(args["filters"]["campaign"]) == 3


def test_store_revenue_over_a_festival_stays_revenue(planner: OfflinePlanner) -> None:
    assert query_args(planner, "what was our revenue during Double 11 last year")["metrics"] == [
        "revenue"
    ]


def test_an_unplaced_word_beside_campaign_revenue_is_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "what revenue did our campaigns drive among left-handed shoppers over 618")


def test_attributed_said_before_the_campaigns_doing_is_placed(planner: OfflinePlanner) -> None:
    args = query_args(planner, "what attributed sales have the sms blasts generated this year")
    assert args["metrics"] == ["attributed_revenue"]
