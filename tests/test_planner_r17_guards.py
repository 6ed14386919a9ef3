"""Round 17, plan guards: a finished metric plan must account for the question's shape
markers (each number stated, an average, a rate or share, a ranking's criterion), else the
planner asks back naming the words (copilot/offline/guards.py). The checks are tested on
plans as well as through the planner, so each can fail on its own. Every wording here is
our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.guards import plan_problem
from copilot.offline.planner import OfflinePlanner
from copilot.offline.question import read_question
from tests.conftest import asked_back, query_args


def _check(planner: OfflinePlanner, question: str, args: dict) -> str | None:
    read = read_question(question, planner.values)
    return plan_problem(read, [{"name": "query_metrics", "args": args}], planner._context)


# 1. Every number stated is used by the plan: a number no call holds is a dropped condition.
@pytest.mark.parametrize(
    ("question", "args", "named"),
    [
        (
            "net sales from our top 300 shoppers in September",
            {"metrics": ["revenue"], "time_range": "September"},
            "300",
        ),
        (
            "前两百个客户上季度的订单数",
            {"metrics": ["orders"], "time_range": "上季度"},
            "两百",
        ),
        (
            "units sold over the 6 months up to August",
            {"metrics": ["units"], "time_range": "August"},
            "6 months",
        ),
    ],
)
def test_number_not_used_by_the_plan_is_asked_back(
    planner: OfflinePlanner, question: str, args: dict, named: str
) -> None:
    problem = _check(planner, question, args)
    assert problem and named in problem, problem


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("top 4 cities by net sales in 2025", {"metrics": ["revenue"], "dimensions": ["city"],
                                              "time_range": "2025", "limit": 4}),
        ("杭州、宁波两个城市上月的订单数", {"metrics": ["orders"], "time_range": "上月",
                                      "filters": {"city": ["杭州", "宁波"]}}),
        ("25年国庆期间（10/1-10/7）的净销售额", {"metrics": ["revenue"],
                                         "time_range": "2025年国庆期间"}),
        ("二四年双十一期间的订单数", {"metrics": ["orders"], "time_range": "2024年双十一"}),
        ("Q2 orders, compare with the same quarter of 2025",
         {"metrics": ["orders"], "time_range": "Q2", "compare_to": "same_period_last_year"}),
        ("share of buyers who came back for a 2nd order in Q2",
         {"metrics": ["repurchase_rate"], "time_range": "Q2"}),
    ],
)  # fmt: skip
def test_number_the_plan_uses_passes(planner: OfflinePlanner, question: str, args: dict) -> None:
    assert _check(planner, question, args) is None


def test_dropped_count_is_asked_back_through_the_planner(planner: OfflinePlanner) -> None:
    text = asked_back(planner, "gross sales of the top 800 buyers in August")
    assert "top 800 buyers" in text


# 2. Average markers with additive sums or counts only: the average was lost.
@pytest.mark.parametrize(
    ("question", "args", "named"),
    [
        ("what does the average shopper spend with us per month this year",
         {"metrics": ["revenue"], "time_range": "this year"}, "average"),
        ("上季度每位会员贡献的销售额", {"metrics": ["revenue"], "time_range": "上季度"}, "每位会员"),
    ],
)  # fmt: skip
def test_average_marker_with_only_sums_is_asked_back(
    planner: OfflinePlanner, question: str, args: dict, named: str
) -> None:
    problem = _check(planner, question, args)
    assert problem and named in problem, problem


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("avg basket size in March", {"metrics": ["aov"], "time_range": "March"}),
        ("上季度人均消费", {"metrics": ["revenue_per_buyer"], "time_range": "上季度"}),
        ("revenue per channel last month", {"metrics": ["revenue"], "dimensions": ["channel"],
                                            "time_range": "last month"}),
    ],
)  # fmt: skip
def test_average_marker_accounted_for_passes(
    planner: OfflinePlanner, question: str, args: dict
) -> None:
    assert _check(planner, question, args) is None


# 3. Rate / share markers with amounts or counts only: the rate was lost.
@pytest.mark.parametrize(
    ("question", "args", "named"),
    [
        ("what proportion of orders got returned in May",
         {"metrics": ["returned_orders"], "time_range": "May"}, "proportion"),
        ("五月退货订单的比例", {"metrics": ["returned_orders"], "time_range": "五月"}, "比例"),
        # a count computed by its own query (repeat buyers, churned customers) is no rate
        ("Wuhan shoppers: what share of them came back for a second order in H1?",
         {"metrics": ["repeat_buyers"], "time_range": "H1"}, "share"),
        ("上半年流失的客户占比", {"metrics": ["churned_customers"], "time_range": "上半年"}, "占比"),
    ],
)  # fmt: skip
def test_rate_marker_with_only_counts_is_asked_back(
    planner: OfflinePlanner, question: str, args: dict, named: str
) -> None:
    problem = _check(planner, question, args)
    assert problem and named in problem, problem


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("how many orders were returned in May, the count not the rate",
         {"metrics": ["returned_orders"], "time_range": "May"}),
        ("五月退货率", {"metrics": ["return_rate"], "time_range": "五月"}),
        ("orders in May vs April, change in %",
         {"metrics": ["orders"], "time_range": "May", "compare_to": "April"}),
        ("要五月的退单数，不要退货率", {"metrics": ["returned_orders"], "time_range": "五月"}),
    ],
)  # fmt: skip
def test_rate_marker_accounted_for_passes(
    planner: OfflinePlanner, question: str, args: dict
) -> None:
    assert _check(planner, question, args) is None


# 4. A ranking that names its criterion ranks by it.
@pytest.mark.parametrize(
    "question",
    [
        "return rate of the 3 best selling items last quarter",
        "上季度最畅销的三个商品的退货率",
    ],
)
def test_ranking_by_another_criterion_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    args = {"metrics": ["return_rate"], "dimensions": ["product"], "limit": 3,
            "order_by": "return_rate", "time_range": "last quarter"}  # fmt: skip
    problem = _check(planner, question, args)
    assert problem and ("best selling" in problem or "畅销" in problem), problem


def test_ranking_by_its_criterion_passes(planner: OfflinePlanner) -> None:
    args = {"metrics": ["units"], "dimensions": ["product"], "limit": 3,
            "order_by": "units", "time_range": "last quarter"}  # fmt: skip
    assert _check(planner, "units of the 3 best selling items last quarter", args) is None


def test_a_share_of_repeat_buyers_is_never_their_count(planner: OfflinePlanner) -> None:
    # "what share of them bought more than once": the repurchase rate, or asked back; the
    # count of repeat buyers alone would answer a different question.
    message = planner._plan("Xi'an shoppers - what share of them bought more than once in Q2?", [])
    calls = [c for c in message.tool_calls if c["name"] == "query_metrics"]
    assert not calls or "repurchase_rate" in calls[0]["args"]["metrics"], calls


def test_plain_questions_still_answered(planner: OfflinePlanner) -> None:
    args = query_args(planner, "net sales by city for the last 14 days")
    assert args["metrics"] == ["revenue"]
