"""Round 10, kinds of development set 10d (English metric questions, follow-ups,
clarifications). Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. The share of the sales that was returned ("what fraction of sales got refunded",
#    "退货占销售额的比例") is the return rate (returns / gross sales), never the share-of-whole
#    question of the sales, nor the returns' amount beside the sales.
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("what fraction of sales got refunded in September?", {}),
        ("percentage of revenue that was returned last month", {}),
        ("returns as a percentage of sales in October", {}),
        ("上季度彩妆的销售额里有多少比例被退货了", {"category": ["makeup"]}),
        ("上个月退货占销售额的比例", {}),
    ],
)
def test_the_share_of_sales_returned_is_the_return_rate(
    planner: OfflinePlanner, question: str, filters: dict[str, list[str]]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["return_rate"]
    assert args.get("filters", {}) == filters

