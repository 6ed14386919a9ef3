"""Round 16, values kept or left out: exclusions said after the value ("App的不算"), Chinese
exclusion frames that run on into the rest of the question ("除了北京其他城市"), a list of
values of one dimension as one filter and one total unless a breakdown is asked, a unit the
store lacks counted inside a value ("上海各个区"), and "排一下" as a sort word. Every
wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call, query_args


# 1. A value left out by words said after it: left out, never the figure of the value alone.
@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("今年电子产品的销售额，App的不算", "channel", "app"),
        ("上个月订单数 门店那部分不计入", "channel", "store"),
        ("护肤品的不要，去年的净销售额", "category", "skincare"),
        ("今年销售额，上海的排除在外", "city", "上海"),
        ("去年营收 小程序的订单都不算在内", "channel", "mini_program"),
        ("revenue this year, app orders not counted", "channel", "app"),
        ("last month's orders with the mini program left out", "channel", "mini_program"),
    ],
)
def test_value_left_out_by_words_after_it_is_excluded(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    args = query_args(planner, question)
    assert value in args.get("exclude", {}).get(dimension, []), args
    assert value not in (args.get("filters") or {}).get(dimension, []), args


def test_value_left_out_after_it_keeps_the_other_filter(planner: OfflinePlanner) -> None:
    args = query_args(planner, "今年电子产品的销售额，App的不算")
    assert args["filters"] == {"category": ["electronics"]}
    assert "dimensions" not in args


def test_judging_a_value_is_no_exclusion(planner: OfflinePlanner) -> None:
    # near miss: "不算多" judges the figure; the value is never left out
    message = planner._plan("小程序的订单不算多吧，上个月有多少", [])
    for call in message.tool_calls:
        assert "mini_program" not in (call["args"].get("exclude") or {}).get("channel", [])


# 2. A Chinese exclusion frame with no closing word ends at its values; what follows is the
# rest of the question: "其他城市" is the remainder, one total, unless a breakdown is asked.
@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("上个月除了北京其他城市的订单数加起来", "city", "北京"),
        ("今年除了电子产品 其余品类合计销售额", "category", "electronics"),
        ("除了深圳和广州之外，其它城市今年的订单数", "city", "深圳"),
        ("orders this year everywhere except beijing", "city", "北京"),
        ("net sales last month, everywhere but chengdu", "city", "成都"),
    ],
)
def test_exclusion_with_the_rest_is_one_total(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    args = query_args(planner, question)
    assert value in args["exclude"][dimension], args
    assert "dimensions" not in args, args
    assert not (args.get("filters") or {}).get(dimension), args


@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("除了广州 各城市今年订单数前三", 3),
        ("除了上海,其他城市各自上个月的订单数", None),
        ("每个城市的销售额 除了成都 去年 前五名", 5),
    ],
)
def test_exclusion_beside_a_breakdown_keeps_the_breakdown(
    planner: OfflinePlanner, question: str, limit: int | None
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["city"], args
    assert len(args["exclude"]["city"]) == 1, args
    assert args.get("limit") == limit


def test_counted_values_and_their_noun_are_left_out_together(planner: OfflinePlanner) -> None:
    args = query_args(planner, "除了北京上海两个城市 官网渠道今年的销售额")
    assert sorted(args["exclude"]["city"]) == ["上海", "北京"]
    assert args["filters"] == {"channel": ["web"]}
    assert "dimensions" not in args


@pytest.mark.parametrize("turn", ["除了门店呢", "那除了门店呢？", "除掉门店以外呢"])
def test_follow_up_leaving_a_value_out(planner: OfflinePlanner, turn: str) -> None:
    tool, args = last_call(planner, ["上个月各城市销售额", turn])
    assert tool == "query_metrics"
    assert args["dimensions"] == ["city"]
    assert args["exclude"] == {"channel": ["store"]}


def test_exclusion_naming_more_than_values_is_asked_back(planner: OfflinePlanner) -> None:
    # near miss: "老客" is no store value; the city alone would answer another question
    assert "老客" in asked_back(planner, "除了上海老客以外的销售额")


# 3. A list of values of one dimension is one filter and one total; a row per value needs a
# word of its own (each / vs / 分别 / 哪个) or the dimension's own breakdown.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("广州和杭州上个月的销售额", "city"),
        ("orders in Chengdu and Wuhan last month", "city"),
        ("护肤品、彩妆两个品类今年的订单数", "category"),
        ("App和小程序今年的销售额", "channel"),
        ("Chengdu and Wuhan, both cities, orders last month", "city"),
        ("北京上海这两个城市的客户数", "city"),
        ("revenue from skincare + makeup this year", "category"),
    ],
)
def test_list_of_values_is_one_total(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert len(args["filters"][dimension]) == 2, args
    assert "dimensions" not in args, args


@pytest.mark.parametrize(
    "question",
    [
        "广州和杭州上个月的销售额分别是多少",
        "Chengdu vs Wuhan revenue last month",
        "orders last month for Chengdu and Wuhan, each",
        "广州和杭州哪个销售额高",
        "广州和杭州上个月的销售额按城市看",
        "compare Guangzhou and Hangzhou on orders this year",
    ],
)
def test_list_of_values_with_a_breakdown_word_is_a_row_each(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["city"], args


def test_list_beside_another_breakdown_stays_a_filter(planner: OfflinePlanner) -> None:
    args = query_args(planner, "广州和杭州今年各渠道的订单数")
    assert args["dimensions"] == ["channel"]
    assert sorted(args["filters"]["city"]) == ["广州", "杭州"]


# 4. A unit counted inside a known value that the store has no field for is asked back,
# named; never dropped for the value's total.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("上海各个区的订单数", "区"),
        ("北京每个区上个月销售额", "区"),
        ("广州各区今年销售额", "区"),
        ("revenue in shanghai by district", "district"),
        ("hangzhou orders last month per district", "district"),
    ],
)
def test_unit_the_store_lacks_inside_a_value_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_each_known_breakdown_inside_a_value_is_answered(planner: OfflinePlanner) -> None:
    # near miss: channel is a breakdown the store has
    args = query_args(planner, "上海各个渠道的销售额")
    assert args["dimensions"] == ["channel"] and args["filters"] == {"city": ["上海"]}


@pytest.mark.parametrize("question", ["今年各个月的销售额", "去年各个月份订单数"])
def test_each_month_said_with_its_count_word_is_the_month_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    # near miss of the unit ask: 月 counted by 各个 is a breakdown the store has
    assert query_args(planner, question)["dimensions"] == ["month"]


# 5. "排一下" after a breakdown sorts it: no unknown word.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("按城市排一下上个月销售额", "city"),
        ("今年订单数按渠道排一排", "channel"),
        ("去年销售额 按品类排一下", "category"),
        ("last year revenue sorted by category", "category"),
    ],
)
def test_sort_word_after_a_breakdown(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert query_args(planner, question)["dimensions"] == [dimension]


@pytest.mark.parametrize("question", ["八月毛销售额，不扣掉退货", "九月总销售额（未扣掉退货）"])
def test_returns_not_deducted_is_no_value_left_out(planner: OfflinePlanner, question: str) -> None:
    # near miss of 扣掉 as an exclusion verb: returns kept in, nothing left out, nothing asked
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    assert not message.tool_calls[0]["args"].get("exclude")


@pytest.mark.parametrize(
    ("question", "split"),
    [
        # Rates asked of a list: one row per value (a pooled rate is rarely what is compared).
        ("app and web AOV last quarter", True),
        ("南京和杭州上个月的复购率", True),
        ("AOV for Chengdu and Chongqing this year", True),
        # Counts and sums over a list, or a rate pooled on purpose: one total.
        ("app and web orders last quarter", False),
        ("南京和杭州上个月的净销售额", False),
        ("成都和重庆加起来的客单价", False),
    ],
)
def test_a_list_asked_of_rates_is_split_and_of_counts_is_one_total(
    planner: OfflinePlanner, question: str, split: bool
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics"
    assert bool(args.get("dimensions")) is split, args
