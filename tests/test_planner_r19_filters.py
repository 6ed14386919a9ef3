"""Round 19, filters and exclusions: a value left out AFTER it is named, with its people or
orders between ("深圳的客户不算", "Hangzhou customers excluded"), and values joined before a
bare "out" ("store and app out"), are exclusions, never the value as an inclusion filter.
Every wording here is our own; each family has near-misses that must stay as they were."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


def _call(planner: OfflinePlanner, question: str) -> dict:
    name, args = planned_call(planner, question)
    assert name == "query_metrics", (name, args)
    return args


# 1. A city's people named, then the words leaving them out: an exclusion of the city.
@pytest.mark.parametrize(
    ("question", "city"),
    [
        ("上个月的订单数，成都的顾客别算进来", "成都"),
        ("9月销售额多少 广州客户不算", "广州"),
        ("上季度各品类的购买人数，北京的用户剔除掉", "北京"),
        ("上个月退货金额，杭州的买家排除掉", "杭州"),
        ("how many orders last month, Hangzhou customers excluded", "杭州"),
        ("net sales in September with Beijing shoppers not counted", "北京"),
    ],
)
def test_people_of_a_value_left_out_after_it(
    planner: OfflinePlanner, question: str, city: str
) -> None:
    args = _call(planner, question)
    assert city in (args.get("exclude") or {}).get("city", []), args
    assert city not in (args.get("filters") or {}).get("city", []), args


def test_values_joined_before_the_words_left_out_together(planner: OfflinePlanner) -> None:
    args = _call(planner, "上个月销售额，上海和北京的客户不算")
    assert set(args["exclude"]["city"]) == {"上海", "北京"}, args
    args = _call(planner, "last month's revenue, Shanghai and Beijing customers excluded")
    assert set(args["exclude"]["city"]) == {"上海", "北京"}, args


def test_people_of_a_value_counted_stays_a_filter(planner: OfflinePlanner) -> None:
    # near-miss: the value's people counted, nothing left out
    args = _call(planner, "上个月深圳的客户数")
    assert args.get("filters", {}).get("city") == ["深圳"] and not args.get("exclude"), args
    args = _call(planner, "orders from Hangzhou customers last month")
    assert args.get("filters", {}).get("city") == ["杭州"] and not args.get("exclude"), args


# 2. An inclusion list with the other values said "out": the list, not every value.
@pytest.mark.parametrize(
    ("question", "kept"),
    [
        (
            "buyers in October, mini program + web combined (store and app out)",
            {"mini_program", "web"},
        ),
        ("orders in September, web and app only - store and mini program out", {"web", "app"}),
        (
            "revenue last month for the app and the store (web and mini program out)",
            {"app", "store"},
        ),
        ("revenue last month, store + app, web out", {"store", "app"}),
    ],
)
def test_inclusion_list_with_the_rest_out(
    planner: OfflinePlanner, question: str, kept: set[str]
) -> None:
    args = _call(planner, question)
    assert set(args.get("filters", {}).get("channel", [])) == kept, args


def test_bare_out_alone_leaves_the_value_out(planner: OfflinePlanner) -> None:
    args = _call(planner, "revenue last month, the app out")
    assert args.get("exclude", {}).get("channel") == ["app"], args
    assert "channel" not in (args.get("filters") or {}), args


def test_out_running_on_is_no_exclusion(planner: OfflinePlanner) -> None:
    # near-miss: "out of ..." runs on, no value left out by it
    message = planner._plan("revenue last month, app out of the picture", [])
    for call in message.tool_calls:
        assert "app" not in (call["args"].get("filters") or {}).get("channel", []), call


def test_three_values_listed_before_the_words_all_left_out(planner: OfflinePlanner) -> None:
    args = _call(planner, "orders last month, Shanghai, Beijing and Chengdu customers excluded")
    assert set(args["exclude"]["city"]) == {"上海", "北京", "成都"}, args
