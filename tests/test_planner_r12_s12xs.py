"""Round 12, set 12's cross-sell and A/B questions (engineer "s12xs").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 2. Things that "appear / turn up together" in baskets, and "basket affinity", are cross-sell.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what items turn up together in Loyal Customers' orders?", {"segment": "Loyal Customers"}),
        ("basket affinity between categories in 2025", {"level": "category"}),
        ("哪几样东西总是一起出现在购物车里", {}),
        ("按品类看购物篮的关联度", {"level": "category"}),
    ],
)
def test_together_in_baskets_and_affinity_are_cross_sell(
    planner: OfflinePlanner, question: str, expected: dict
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert expected.items() <= args.items(), args
