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
