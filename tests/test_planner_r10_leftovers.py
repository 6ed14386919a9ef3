"""Round 10 ("leftovers"), the last kinds found with held-out sets 8 and 9. Every wording
here is our own; none is the sets'."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. "Attributed" is a campaign-attribution word, not a place: "attributed sales" is the
#    attributed revenue, and the unit of money with the verb after it ("what did each
#    dollar of spend bring back in attributed revenue") is the ROAS; both were asked back
#    as an unknown place "attributed".
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("attributed sales of every campaign", ["attributed_revenue"]),
        ("for each campaign, what did every dollar of spend bring back in attributed revenue", ["roas"]),
        ("per campaign, what does one yuan we invested generate", ["roas"]),
        ("各个活动的归因销售额", ["attributed_revenue"]),
    ],
)
def test_attributed_sales_and_money_back_per_unit_after_it(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == metrics
    assert args.get("dimensions", []) == ["campaign"]
