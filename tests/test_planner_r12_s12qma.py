"""Round 12, kinds of held-out set 12's metric questions, part A (engineer s12qma).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. People said right after a store value ("Hangzhou buyers", "女性买家") beside another
#    metric say whose figure it is: no buyers count is added beside it. Listed beside the
#    metric ("... buyers and revenue") or asked alone they are still the buyers count.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("Hangzhou buyers: average order value for last quarter", ["aov"]),
        ("net sales of female shoppers in September", ["revenue"]),
        ("杭州的买家上季度的客单价是多少", ["aov"]),
        ("女性顾客九月份的销售额", ["revenue"]),
        ("Hangzhou buyers and revenue in September", ["buyers", "revenue"]),
        ("how many Hangzhou shoppers did we have in September", ["buyers"]),
    ],
)  # fmt: skip
def test_people_of_a_value_are_whose_figure(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics
