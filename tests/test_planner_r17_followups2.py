"""Round 17 wave 2, follow-up kinds (engineer followups2): a year back after a festival
campaign; a rate or share asked of a part of the buyers shown; values set apart to be looked
at; a slot named after a question asked back; a figure pointed at when none was shown; two
values of a dimension set against each other over the figure shown. Every wording here is
our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


# 1. A year back after a festival campaign's figure is that festival's campaign of the year
#    (a festival's name is its period: every SMS of that year has the same own words).
@pytest.mark.parametrize(
    "turns",
    [
        ["双11 2026 短信的点击率", "去年那场呢"],
        ["双11 2026 短信的点击率", "去年的呢 也看点击率"],
        ["CTR of the Double 11 2026 SMS", "and last year's?"],
        ["CTR of the Double 11 2026 SMS", "and the one a year earlier?"],
    ],
)  # fmt: skip
def test_a_year_back_after_a_festival_campaign_is_that_festivals_campaign(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args["filters"]["campaign"] == ["Double 11 2025 - SMS"]
    assert args["metrics"] == ["ctr"]
    assert args["time_range"] == "Double 11 2025"


# 2. A rate or share asked of a part of the buyers shown is that part's rate, not its count.
@pytest.mark.parametrize(
    "third",
    [
        "what share of them bought twice or more?",
        "what percent of those came back for more?",
        "其中买了两次以上的占比多少",
        "这些人里复购的比例呢",
    ],
)
def test_a_rate_asked_of_a_part_of_the_buyers_is_its_rate(
    planner: OfflinePlanner, third: str
) -> None:
    turns = ["buyers in H1", "only Shanghai", third]
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args["metrics"] == ["repurchase_rate"]
    assert args["filters"] == {"city": ["上海"]}


@pytest.mark.parametrize(
    "third", ["how many of them bought twice or more?", "其中下过2单及以上的有多少人"]
)
def test_near_miss_a_count_of_the_part_stays_a_count(planner: OfflinePlanner, third: str) -> None:
    name, args = last_call(planner, ["buyers in H1", third])
    assert name == "query_metrics", args
    assert args["metrics"] == ["repeat_buyers"]


def test_near_miss_three_purchases_is_no_repurchase(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["buyers in H1", "其中买了三次以上的占比多少"])
    assert name is None or args.get("metrics") != ["repurchase_rate"], args


# 3. Values set apart to be looked at narrow the query shown; no segment is made of them.
@pytest.mark.parametrize(
    "second",
    ["男性单独拿出来看看", "把女性单独拎出来算一下", "女客户单独看"],
)
def test_values_set_apart_narrow_the_query_shown(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["上个月各城市的销售额", second])
    assert name == "query_metrics", args
    assert args["dimensions"] == ["city"]
    assert set(args["filters"]) == {"gender"}


def test_near_miss_a_segment_saved_by_name_is_a_segment(planner: OfflinePlanner) -> None:
    name, _ = last_call(planner, ["上个月各城市的销售额", "把女性单独存成一个分群"])
    assert name == "define_segment"


# 4. After a question asked back on a word, a short turn naming only a slot goes on from the
#    reading of the rest (and says the word was set aside), never the store over all time.
@pytest.mark.parametrize(
    "turns",
    [
        ["units of Diapers L sold in store in Q2 by blorp", "and the money?"],
        ["上个月小程序的订单数 按福禄分", "金额呢"],
    ],
)
def test_a_slot_after_a_question_back_keeps_the_rest_read(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args["metrics"] == ["revenue"]
    assert args.get("time_range") and args.get("filters"), args


# 5. A figure pointed at when none was shown yet is asked back.
@pytest.mark.parametrize(
    "turns",
    [
        ["how much zorb value got returned last month", "how many orders was that?"],
        ["上个月被退回来的福禄多少钱", "那是多少单"],
        ["那是多少单"],
    ],
)
def test_a_figure_pointed_at_with_none_shown_is_asked_back(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, text = last_call(planner, turns)
    assert name is None, text


# 6. Two values of one dimension set against each other over the figure shown: one row each.
@pytest.mark.parametrize(
    ("second", "dimension"),
    [
        ("women vs men for that?", "gender"),
        ("男的和女的对比一下", "gender"),
        ("app vs web on it", "channel"),
        ("上海跟北京比一下", "city"),
    ],
)
def test_values_set_against_each_other_break_the_figure_down(
    planner: OfflinePlanner, second: str, dimension: str
) -> None:
    name, args = last_call(planner, ["AOV in 2025", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["aov"] and args["time_range"] == "2025"
    assert args["dimensions"] == [dimension]


def test_near_miss_a_question_of_its_own_is_read_afresh(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["AOV in 2025", "orders in Q1 2026, app vs web"])
    assert name == "query_metrics", args
    assert args["metrics"] == ["orders"] and args["time_range"] != "2025"


def test_values_set_apart_after_a_question_back_are_asked_back(planner: OfflinePlanner) -> None:
    # nothing was shown to narrow: no segment is made of the values either
    name, text = last_call(planner, ["上个月分城市的福禄分", "男性单独拿出来看看"])
    assert name is None, text
