"""Round 13, set 13e's tool questions in CRM / operations jargon (engineer "e13b").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.messages import AIMessage, HumanMessage, ToolMessage
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


def _plan_after(planner: OfflinePlanner, first: str, second: str) -> AIMessage:
    """The planner's message for `second`, asked after `first` was answered with its calls."""
    message = planner._plan(first, [])
    assert message.tool_calls, message.content
    history: list[Any] = [HumanMessage(first), message]
    history += [
        ToolMessage(content="ok", tool_call_id=c["id"], name=c["name"]) for c in message.tool_calls
    ]
    payload = {"tool_calls": [{"name": c["name"], "args": c["args"]} for c in message.tool_calls]}
    history.append(AIMessage(content="done", response_metadata={"copilot_payload": payload}))
    return planner._plan(second, history)


# 1. A Chinese RFM segment name takes any people noun: 沉睡用户 / 沉睡会员 = 沉睡客户.
@pytest.mark.parametrize(
    ("question", "tool", "segment"),
    [
        ("沉睡会员的画像看一下", "profile_segment", "Hibernating"),
        ("忠诚用户的画像", "profile_segment", "Loyal Customers"),
        ("把沉睡顾客导出成邮件名单", "export_audience", "Hibernating"),
        ("即将沉睡用户导出短信名单", "export_audience", "About to Sleep"),
    ],
)
def test_a_chinese_segment_name_with_another_people_noun(
    planner: OfflinePlanner, question: str, tool: str, segment: str
) -> None:
    called, args = planned_call(planner, question)
    assert called == tool, args
    assert args["segment"] == segment, args


@pytest.mark.parametrize("question", ["沉睡会员目前有多少人", "冠军用户现在多少个"])
def test_a_chinese_segment_size_is_the_rfm_table(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# 2. A Latin channel word written against Chinese ("召回push") is that channel.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("给流失风险客户写条唤醒push，短一点", "push"),
        ("帮冠军客户写个感恩email，标题温暖些", "email"),
    ],
)
def test_a_latin_channel_against_chinese(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "generate_copy"
    assert args["channel"] == channel, args


# 3. New customers followed month by month after their first order: the cohort table,
#    never a metric of the period; words beside it that hide the period are asked about.
@pytest.mark.parametrize(
    "question",
    [
        "今年2月拉来的新客，之后每个月回购情况如何",
        "一季度每月的新用户 第二个月还留下多少",
        "new buyers from February, how many were still ordering in each month after?",
        "new customers in Q2: how many came back by month two",
    ],
)
def test_new_customers_followed_by_month_are_cohorts(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "cohort_retention"


def test_a_festival_month_beside_a_cohort_is_asked(planner: OfflinePlanner) -> None:
    # Read short, "去年618月份" would be the festival's window or the whole of last year.
    reply = asked_back(planner, "去年618月份拉的新客，之后几个月复购怎么样")
    assert "月份" in reply, reply


@pytest.mark.parametrize("question", ["新客的复购率", "今年新客有多少，复购率多少"])
def test_new_customers_not_followed_stay_metrics(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert all(c["name"] != "cohort_retention" for c in message.tool_calls)


# 4. Follow-ups: "再按X拆开" keeps the breakdown; "and their X" keeps the metric shown.
def test_splitting_further_keeps_the_breakdown(planner: OfflinePlanner) -> None:
    message = _plan_after(planner, "今年每个月的订单数", "再按城市细分一下")
    args = message.tool_calls[0]["args"]
    assert args["dimensions"] == ["month", "city"], args


def test_a_new_breakdown_without_further_replaces_it(planner: OfflinePlanner) -> None:
    message = _plan_after(planner, "今年每个月的订单数", "换成按城市看")
    assert message.tool_calls[0]["args"]["dimensions"] == ["city"]


def test_and_their_metric_keeps_the_one_shown(planner: OfflinePlanner) -> None:
    message = _plan_after(planner, "top 3 categories by revenue in 2025", "plus their orders?")
    args = message.tool_calls[0]["args"]
    assert args["metrics"] == ["revenue", "orders"], args


def test_exporting_a_counted_rule_saves_it_first(planner: OfflinePlanner) -> None:
    message = _plan_after(planner, "杭州30到40岁买过母婴的女性", "把这批人导出来发邮件")
    names = [c["name"] for c in message.tool_calls]
    assert names == ["define_segment", "export_audience"], names
    saved, exported = (c["args"] for c in message.tool_calls)
    assert saved["save"] is True
    assert exported == {"segment": saved["name"], "channel": "email"}


# 5. Cross-sell jargon: attach rate, what goes in the cart with X, 搭什么卖, X的连带率;
#    a Chinese short name is the product whose name ends with it or keeps head and tail.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what's the attach rate for the Yoga Mat", "Yoga Mat"),
        ("what usually goes into the basket with the Phone Case X12?", "Phone Case X12"),
        ("智能手机通常搭点什么一起卖", "Smartphone X12"),
        ("手机壳的连带率怎么样", "Phone Case X12"),
        ("买手机的人还会买什么", "Smartphone X12"),
    ],
)
def test_cross_sell_jargon_keeps_its_item(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert args.get("item") == item, args


def test_a_short_name_held_by_several_products_is_asked(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "买了精华的人还会一起买什么")
    assert "精华" in reply, reply


# 6. Sample size asked as "一组要发多少" / "要几个人".
@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        ("点击率百分之五，想测出10%的相对提升，一组要推多少人", 0.05, 0.1),
        ("转化率千分之五，要看出20%的提升，要几个用户", 0.005, 0.2),
    ],
)
def test_sample_size_per_group_in_chinese(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(baseline)
    assert args["minimum_detectable_effect"] == pytest.approx(effect)


# 7. An export for a contact that is no channel is asked back, naming it. (Round 16: an
# export naming no channel at all gives the members with their consent flags and no
# contact data, tests/test_planner_r16_tools2.py; still never a guessed channel.)
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("At Risk 导出来给电销外呼", "电销"),
        ("export Champions so the team can call them", "call them"),
    ],
)
def test_an_export_without_a_channel_is_asked(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    reply = asked_back(planner, question)
    assert "邮件" in reply or "email" in reply, reply
    assert named in reply, reply


def test_an_export_naming_no_channel_guesses_none(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "导出冠军客户")
    assert tool == "export_audience" and "channel" not in args, args


# 8. Fee lines' money is summed by SQL, never net sales of the fee product.
@pytest.mark.parametrize(
    "question", ["2025年一共收了多少运费", "what did shipping fees bring us in 2025, in total"]
)
def test_fee_money_is_summed(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql", args
    assert "merchandise = FALSE" in args["sql"] and "SUM(i.amount)" in args["sql"], args


def test_counting_fee_lines_still_counts(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "how many shipping-fee lines do we have")
    assert tool == "run_sql" and "COUNT(*)" in args["sql"], args


@pytest.mark.parametrize("question", ["连一单都没下过的用户有几个", "一次也没买过的顾客有多少"])
def test_not_a_single_order(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and "NOT EXISTS" in args["sql"], args


# 9. Refresh a saved segment named bare, and copy briefs in jargon.
@pytest.mark.parametrize(
    ("question", "name"),
    [("重跑一下 北京宝妈 这个人群", "北京宝妈"), ("re-run the 高客单女生 segment", "高客单女生")],
)
def test_a_bare_name_is_refreshed(planner: OfflinePlanner, question: str, name: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "refresh_segment"
    assert args["name"] == name, args


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("reactivation sms for dormant shoppers, playful tone", "dormant"),
        ("给不活跃客户写条短信，语气活泼一点", "不活跃"),
    ],
)
def test_copy_for_lapsed_customers_asks_which_segment(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    reply = asked_back(planner, question)
    assert word in reply and ("Hibernating" in reply or "沉睡" in reply), reply


def test_a_quoted_angle_is_copy_asked_about(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "push for Champions - 'best deal in town' angle")
    assert tool == "generate_copy"
    assert args["unclear"][0] == "best deal in town", args


# 10. Rule segments: bought X but never Y; recency and count in either order.
@pytest.mark.parametrize(
    "question",
    ["shoppers who bought baby products but never sports", "买过母婴但从没买过运动的客户"],
)
def test_bought_but_never_is_a_rule(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment", args
    purchases = args["definition"]["purchases"]
    assert [p.get("bought", True) for p in purchases] == [True, False], purchases


@pytest.mark.parametrize(
    "question",
    [
        "customers with no purchases in the last 120 days and at least 4 orders",
        "customers with 4+ orders overall but none in the last 120 days",
    ],
)
def test_recency_and_count_in_either_order(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment", args
    definition = args["definition"]
    assert definition["orders"] == {"min": 4}, definition
    assert definition["last_order_before"].endswith("120 days"), definition


# 11. "最能打" is a superlative of one thing; a churn ranking's list is no export; "同样的看X"
#     repeats the previous question for X (and, first in a conversation, is asked about).
def test_the_strongest_one_is_the_top_one(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "今年哪个渠道最能打，按订单数")
    assert tool == "query_metrics"
    assert args.get("limit") == 1 and args["dimensions"] == ["channel"], args


def test_a_churn_ranking_list_is_no_export(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "流失风险最高的前50位客户名单")[0] == "predict_churn"


def test_same_for_another_period(planner: OfflinePlanner) -> None:
    message = _plan_after(planner, "今年各省的订单数", "同样的看25年Q4")
    args = message.tool_calls[0]["args"]
    assert args["dimensions"] == ["province"] and args["time_range"] == "25年Q4", args


def test_same_first_in_a_conversation_is_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "同样的看25年Q4")


@pytest.mark.parametrize(
    "question", ["new customers every month since 1 March?", "新客每个月有多少，从3月起"]
)
def test_new_customers_per_month_of_a_period_stay_a_metric(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics" and args["metrics"] == ["new_customers"], args
