"""Round 12, two confident wrong answers (Chinese first): an order's average amount read as
the order count, and a second metric asked in its own clause dropped. Every wording here is
our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. The average amount of an order ("单子平均多少钱", "average value per order") is the AOV,
#    never the order count its order word names (平均 and 金额 were left over beside 订单).
@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("上个月订单的平均金额是多少", "上个月"),
        ("今年单子平均多少钱", "今年"),
        ("本月单子的平均消费", "本月"),
        ("what was the average value per order last month?", "last month"),
        ("mean spend for each order this year", "this year"),
        ("our orders' average amount last month", "last month"),
    ],
)
def test_average_amount_of_an_order_is_the_aov(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["aov"]
    assert args.get("time_range") == time_range


# 2. A count of items ("卖出几件") and the money in a second clause ("进账多少", "卖了多少钱")
#    are both asked: the items cue no longer replaces, nor is dropped beside, the revenue.
@pytest.mark.parametrize(
    "question",
    [
        "上个月护肤品卖出几件，入账多少",
        "今年母婴用品卖出几件，进账多少",
        "今年母婴用品卖出几件，卖了多少钱",
        "how many items of skincare did we sell last month, and how much money came in?",
    ],
)
def test_items_sold_and_the_money_are_both_asked(planner: OfflinePlanner, question: str) -> None:
    assert sorted(query_args(planner, question)["metrics"]) == ["revenue", "units"]


def test_items_sold_alone_stay_the_units(planner: OfflinePlanner) -> None:
    assert query_args(planner, "上个月护肤品卖出几件")["metrics"] == ["units"]
