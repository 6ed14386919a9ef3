"""Round 17 regressions of older tests, fixed by kind (own wordings, with near misses)."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, query_args


# 1. A number inside a phrase that names a metric of the plan (a repeat purchase said as
#    ordering two or more times, the money back per 1 yuan spent) is no dropped condition;
#    a number naming a group the plan does not narrow to is still asked back.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("8月下过两次及以上订单的顾客有多少", "repeat_buyers"),
        ("每花1块钱能换回多少营收，分渠道看", "roas"),
    ],
)
def test_a_number_inside_a_metrics_own_phrase_is_used(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_a_number_naming_a_group_is_still_asked_back(planner: OfflinePlanner) -> None:
    assert "200" in asked_back(planner, "revenue from the top 200 customers in August")


# 2. A festival in brackets naming the same day the question dates is read with the date.
def test_a_festival_in_brackets_beside_its_own_day_is_used(planner: OfflinePlanner) -> None:
    args = query_args(planner, "orders on 2025-11-11 (双11)")
    assert args["time_range"] == "on 2025-11-11"


# 3. Cross-sell rules/ideas for "<X> buyers": a category's buyers are the category, a
#    product's the product, an RFM segment's the segment; never an item "<X> buyers".
@pytest.mark.parametrize(
    ("question", "key", "value"),
    [
        ("upsell options for skincare customers", "category", "skincare"),
        ("cross-sell options for Yoga Mat shoppers", "item", "Yoga Mat"),
        ("cross-sell ideas for Champions", "segment", "Champions"),
    ],
)
def test_cross_sell_for_buyers_of_a_category_product_or_segment(
    planner: OfflinePlanner, question: str, key: str, value: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules" and args == {key: value}


# 4. "I don't need a test" after a rate declines the test named after it, not the rate.
def test_declining_what_follows_keeps_the_rate_before(planner: OfflinePlanner) -> None:
    args = query_args(
        planner,
        "open rate of variant A in the Double 11 2025 push A/B, we don't need a significance test",
    )
    assert args["metrics"] == ["open_rate"]
