"""Round 15 (tail): an unresolvable date is asked about by name; metrics in said order."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. A date written in digits that the period grammar cannot resolve (a reversed range, an
#    impossible day or month) never vanishes into an all-time answer: it is asked about.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("5月18日到2日的订单数", "5月18日到2日"),  # reversed range
        ("4月25号到6号的客单价", "4月25号到6号"),
        ("2月31日的销售额", "2月31日"),  # impossible day
        ("6月40号卖了多少钱", "6月40号"),
        ("14月的订单数", "14月"),  # impossible month
        ("上个月25日到4日的退货额", "25日到4日"),  # reversed days after a period
        ("orders from June 18 to 2", "June 18"),
        ("orders from May 21 to 4", "May 21 to 4"),  # "may" is no function word here
        ("6月8日到的订单数", "6月8日到"),  # half-written range
        ("orders from April 8 until", "April 8"),
        ("AOV on April 31", "April 31"),
    ],
)
def test_unresolvable_date_is_asked_back_naming_it(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    reply = planner._plan(question, [])
    assert not reply.tool_calls, reply.tool_calls
    assert named.lower() in str(reply.content).lower()


@pytest.mark.parametrize("question", ["5月的订单数", "近30天的销售额", "5月3日到18日的订单数"])
def test_resolvable_chinese_dates_still_answer(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["time_range"]


# 2. Metrics come back in the order the question says them, a metric read from a phrase
#    ("sent back": returns) included.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("orders in May, and how much of it got sent back", ["orders", "returns"]),
        ("how much got sent back in May, and the orders", ["returns", "orders"]),
    ],
)
def test_metrics_in_said_order(planner: OfflinePlanner, question: str, metrics: list[str]) -> None:
    assert query_args(planner, question)["metrics"] == metrics
