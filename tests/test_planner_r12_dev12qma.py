"""Round 12, kinds of development set 12d's metric questions, part A (engineer dev12qma).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. The customer named by the purchase that makes them a buyer ("每个下过单的顾客平均花了",
#    "每位购买过的会员消费了多少") still asks the spend per buyer, never the store's revenue.
@pytest.mark.parametrize(
    "question",
    [
        "去年每位下过单的顾客平均消费了多少钱",
        "上个月平均每个购买过的会员花了多少",
        "今年每个付款的客户平均都花了多少钱",
    ],
)  # fmt: skip
def test_a_buyer_named_by_the_purchase_spends_per_buyer(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"][0] == "revenue_per_buyer"
