"""Round 12, set 12's metric questions, part B (engineer "s12qmb").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. "Order numbers" (as "sales numbers") and the spoken 单子 are the count of orders.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("monthly order numbers for 2025", ["month"]),
        ("order numbers per city last quarter", ["city"]),
        ("上个月每个城市的单子有多少", ["city"]),
        ("去年的单子一共多少", []),
    ],
)
def test_order_numbers_and_danzi_are_the_orders(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["orders"]
    assert args.get("dimensions", []) == dimensions


# 2. Sold "out" (卖出去几件) is the units sold; the money that "came in" (进了多少钱) the revenue.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("上个月护肤品卖出去多少件", ["units"]),
        ("去年每个渠道进了多少钱", ["revenue"]),
        ("上季度母婴卖出去了几件，进来多少钱", ["units", "revenue"]),
    ],
)
def test_sold_out_pieces_and_money_come_in(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 3. Figures "put together" (放一起, 摆在一起) are set side by side by the table, as "side by
#    side" is in English: the words ask nothing of their own.
@pytest.mark.parametrize(
    ("question", "cities"),
    [
        ("去年杭州和成都的订单数摆在一起看看", ["成都", "杭州"]),
        ("上个月广州、深圳的销售额放在一起对比", ["广州", "深圳"]),
    ],
)
def test_put_together_words_ask_nothing_of_their_own(
    planner: OfflinePlanner, question: str, cities: list[str]
) -> None:
    args = query_args(planner, question)
    assert sorted(args["filters"]["city"]) == sorted(cities)
    assert args["dimensions"] == ["city"]
