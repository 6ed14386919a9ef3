"""Round 21, follow-ups found by driving the web UI: "和上个季度比呢？" after a last-quarter
figure names, counted from today, the very period shown. The asker counts from the period
shown, so the one before it is compared (previous period), never the period with itself
(which the tool rejects as an error). A period that differs from the one shown is compared
as named. Wordings are our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        (
            "What were net sales by channel last quarter?",
            "how does that compare with last quarter?",
            "previous period",
        ),
        ("What were net sales by channel last quarter?", "和上个季度比呢？", "上一期"),
        ("Revenue last month", "compare with last month", "previous period"),
        ("上个月的销售额", "跟上个月比呢", "上一期"),
    ],
)
def test_period_shown_named_again_compares_the_one_before(
    planner: OfflinePlanner, first: str, follow_up: str, expected: str
) -> None:
    name, args = last_call(planner, [first, follow_up])
    assert name == "query_metrics"
    assert args["compare_to"] == expected
    assert args["time_range"] in ("last quarter", "last month", "上个月")


@pytest.mark.parametrize(
    ("first", "follow_up", "named"),
    [
        ("上个月的销售额", "跟8月比呢", "8月"),
        ("Revenue last month", "how does that compare with August?", "August"),
    ],
)
def test_another_period_is_compared_as_named(
    planner: OfflinePlanner, first: str, follow_up: str, named: str
) -> None:
    name, args = last_call(planner, [first, follow_up])
    assert name == "query_metrics"
    assert args["compare_to"] == named
