"""Round 13, engineer lone: people who spent, and people as the subject of a sentence.
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. An RFM segment of people who spent ("how much did the Champions spend", "冠军客户今年
#    一共花了多少钱") is the revenue filtered to that segment, never the campaign cost and
#    never an ask-back about the segment's own name; a campaign or channel that spent, or
#    "we" spending on them, stays the cost.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("冠军客户今年一共花了多少钱", "Champions"),
        ("忠诚客户去年消费了多少钱", "Loyal Customers"),
        ("流失风险客户9月份花了多少", "At Risk"),
        ("how much did the Champions spend in September", "Champions"),
        ("what did the At Risk customers spend this year", "At Risk"),
    ],
)  # fmt: skip
def test_a_segment_that_spent_is_its_revenue(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert args["filters"]["rfm_segment"] == [segment]


@pytest.mark.parametrize(
    "question",
    ["how much did the email campaigns spend in October", "上个月短信活动花了多少钱"],
)  # fmt: skip
def test_a_campaign_that_spent_is_the_cost(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["cost"]


# 2. People as the subject ("how much did shoppers get back in refunds", "买家拿回了多少退款")
#    say whose figure it is: no buyer count beside it. Named as a figure of their own
#    ("shoppers and refunds"), the buyers stay.
@pytest.mark.parametrize(
    "question",
    [
        "what did our buyers receive back in refunds this year",
        "how much did the shoppers get back in refunds in August",
        "买家上个月拿回了多少退款",
    ],
)  # fmt: skip
def test_people_as_the_subject_are_no_buyer_count(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returns"]


@pytest.mark.parametrize(
    "question", ["shoppers and refunds in August", "how many buyers and how much in returns in Q3"]
)  # fmt: skip
def test_buyers_named_as_a_figure_stay(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["buyers", "returns"]


# 3. Buyers of one period who did not buy in a later one: the churned customers and churn
#    rate when the first period is the churn base of the second (the previous period of
#    equal length); any other pair names its base to the tool (round 14: the tool takes
#    it), never a buyer count. Since round 19 a lapse asked as a head count ("how many")
#    is the churned customers alone and one asked as a share ("what fraction") the churn
#    rate alone; neither or both said gives both.
_BOTH = ["churned_customers", "churn_rate"]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many July buyers did not buy in August", ["churned_customers"]),
        ("7月买过、8月没再下单的客户有多少", _BOTH),
    ],
)  # fmt: skip
def test_buyers_lapsed_from_the_churn_base_are_churned(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert "8" in args["time_range"] or "August" in args["time_range"]
    assert "churn_base" not in args


@pytest.mark.parametrize(
    ("question", "base", "metrics"),
    [
        ("of the people who bought in Q1, how many never came back in Q2", "Q1", ["churned_customers"]),
        ("what fraction of 2026 H1 shoppers haven't ordered during the last 60 days", "2026 H1", ["churn_rate"]),
        ("一季度下过单、二季度没再买的客户占多少", "一季度", _BOTH),
    ],
)  # fmt: skip
def test_buyers_lapsed_over_other_periods_name_their_base(
    planner: OfflinePlanner, question: str, base: str, metrics: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args["churn_base"] == base
