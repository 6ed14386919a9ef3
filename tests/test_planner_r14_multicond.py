"""Metric questions with several conditions (round 14): every condition is applied or
named in a question back, never dropped. Wordings are our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


def _only_call(planner: OfflinePlanner, question: str) -> dict:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back: {message.content}"
    (call,) = message.tool_calls
    assert call["name"] == "query_metrics"
    return call["args"]


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        # the value said before the words that leave it out
        ("orders in Q2, skincare excluded", {"category": ["skincare"]}),
        ("AOV last month with Beijing not included", {"city": ["北京"]}),
        ("revenue this year, the web orders left out", {"channel": ["web"]}),
        # the analyst's abbreviation
        ("orders excl. the app in Q3", {"channel": ["app"]}),
        # several words between "leave" and "out", the orders of the value among them
        ("units in Q1 - leave the mini program orders out", {"channel": ["mini_program"]}),
        # the counted noun after the value is no metric of its own
        ("revenue in Q2 excluding web orders", {"channel": ["web"]}),
        # "everyone" is the rest of the store
        ("AOV in Q2 for everyone except Chengdu", {"city": ["成都"]}),
        # the spoken verbs of leaving out, the goods of a category, the rest summed
        ("今年刨掉护肤，剩下的品类加起来订单数多少", {"category": ["skincare"]}),
        ("上季度拿掉小程序的销售额", {"channel": ["mini_program"]}),
        ("上个月除了服饰产品以外的订单数", {"category": ["apparel"]}),
    ],
)
def test_values_left_out_by_any_wording_are_the_exclude_argument(
    planner: OfflinePlanner, question: str, left_out: dict
) -> None:
    args = _only_call(planner, question)
    assert args.get("exclude") == left_out
    assert not args.get("filters"), args
    assert len(args["metrics"]) == 1, args


def test_an_exclusion_beside_filters_and_a_breakdown_keeps_all_three(
    planner: OfflinePlanner,
) -> None:
    args = _only_call(
        planner, "Q1 revenue per channel, Chengdu and Shanghai customers only, app left out"
    )
    assert args["exclude"] == {"channel": ["app"]}
    assert sorted(args["filters"]["city"]) == sorted(["成都", "上海"])
    assert args["dimensions"] == ["channel"]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Q2 orders for Harbin and Beijing customers, excluding app orders", "harbin"),
        ("revenue from Xiamen and Shanghai buyers, store excluded", "xiamen"),
    ],
)
def test_an_unknown_place_beside_values_left_out_is_named(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert named in str(message.content).lower()


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("orders in Q2 from customers whose language is set to Chinese", "zh"),
        ("AOV this year for English-speaking customers", "en"),
        ("revenue last month of en-language customers", "en"),
        ("语言设置为中文的客户今年下了多少单", "zh"),
        ("说英语的顾客上个月的销售额", "en"),
    ],
)
def test_the_customers_own_language_is_a_language_filter(
    planner: OfflinePlanner, question: str, language: str
) -> None:
    args = _only_call(planner, question)
    assert args["filters"] == {"language": [language]}
    assert not args.get("dimensions"), args


@pytest.mark.parametrize(
    "question",
    [
        "revenue for Chengdu and Wuhan together, March vs February",
        "成都和武汉加起来的订单数，3月对比2月",
    ],
)
def test_values_summed_across_two_compared_periods_are_one_total(
    planner: OfflinePlanner, question: str
) -> None:
    args = _only_call(planner, question)
    assert sorted(args["filters"]["city"]) == sorted(["成都", "武汉"])
    assert not args.get("dimensions"), args


def test_two_values_compared_with_each_other_still_break_down(planner: OfflinePlanner) -> None:
    args = _only_call(planner, "orders of Chengdu versus Wuhan in March")
    assert args["dimensions"] == ["city"]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("每家门店今年的订单数", "门店"),
        ("各个门店上季度的销售额排行", "门店"),
        ("revenue of each store last quarter", "store"),
    ],
)
def test_single_shops_inside_the_store_channel_are_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert named in str(message.content)


@pytest.mark.parametrize("question", ["门店渠道今年的订单数", "orders through the store channel"])
def test_the_store_channel_as_a_whole_is_still_answered(
    planner: OfflinePlanner, question: str
) -> None:
    args = _only_call(planner, question)
    assert args["filters"] == {"channel": ["store"]}
