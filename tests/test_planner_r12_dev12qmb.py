"""Round 12, set 12d's metric questions, part B (engineer "dev12qmb").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. What each (every) member of a breakdown "brought in" is its revenue, broken down by it.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("what did every channel pull in last quarter?", "channel"),
        ("how much did every city take in in 2025", "city"),
        ("2025年每个省份进账多少", "province"),
    ],
)
def test_what_each_member_brought_in_is_revenue_by_it(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert args["dimensions"] == [dimension]
