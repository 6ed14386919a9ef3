"""Round 10: a bare amount word asked as a second figure ("订单数和金额", "orders and value") was
an ignorable word, so the amount was dropped and the count alone answered (a different
question). Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. Beside a count of orders (or of units) the bare amount is the revenue of them.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("what were the order count and the value in march", ["orders", "revenue"]),
        ("number of orders plus amount for this quarter", ["orders", "revenue"]),
        ("how many orders & how much this year", ["orders", "revenue"]),
        ("amount and number of orders in may", ["orders", "revenue"]),
        ("units sold and value in april", ["units", "revenue"]),
        ("三月的订单量与金额", ["orders", "revenue"]),
        ("今年卖了几单，多少钱", ["orders", "revenue"]),
        ("本季度成交笔数跟总金额", ["orders", "revenue"]),
        ("五月金额和订单总数", ["orders", "revenue"]),
        ("四月销量及金额", ["units", "revenue"]),
    ],
)
def test_a_bare_amount_beside_a_count_is_its_money(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert sorted(_args(planner, question)["metrics"]) == sorted(metrics)


# 2. Beside the returned orders it is the returns' amount; "count and amount" beside the returns'
#    money asks for their count too.
@pytest.mark.parametrize(
    "question",
    [
        "本月退单数以及金额",
        "退货订单和金额，三月",
        "returned orders and the amount in june",
        "refunds in june, number and value",
        "三月退款的笔数和金额",
    ],
)
def test_a_bare_amount_beside_returns_is_the_returns_amount(
    planner: OfflinePlanner, question: str
) -> None:
    assert sorted(_args(planner, question)["metrics"]) == ["returned_orders", "returns"]


# 3. A money metric named already is what the amount word restates: nothing is added.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [("三月订单数和销售额", ["orders", "revenue"]), ("orders and net sales in march", ["orders", "revenue"])],
)
def test_a_named_money_metric_is_not_doubled(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert sorted(_args(planner, question)["metrics"]) == metrics


# 4. Beside a metric no amount belongs to, the amount is asked about by name, never dropped.
@pytest.mark.parametrize(
    ("question", "word"),
    [("三月新客户数和金额", "金额"), ("new customers and value in march", "value")],
)
def test_an_unclear_amount_is_asked_about(planner: OfflinePlanner, question: str, word: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls and word in str(message.content)


# 5. Units per order: the semantic model has no such metric, so it is asked about by name,
#    never answered with the units sold.
@pytest.mark.parametrize(
    "question", ["三月平均一单买几件", "今年每笔订单多少件", "average items per order in march"]
)
def test_units_per_order_is_asked_about(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert "units-per-order" in str(message.content) or "每单件数" in str(message.content)
