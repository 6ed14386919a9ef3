"""Round 19, readings: a metric's verb inside a time clause about the store itself ("since
we opened") is no metric, and a churn prediction asked inside one RFM segment ("among the
Champions, who may leave") scores that segment rather than read the risk words as a second
segment. Every wording here is our own; each family has a near-miss."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call, planned_call


# 1. The store's own opening ("since we opened", "ever since the shop launched") is all time,
#    never the opens metric beside the asked one.
@pytest.mark.parametrize(
    "question",
    [
        "average LTV of app signups, everything since we opened please",
        "what's the average lifetime value of customers who signed up on the web, since we first opened",
        "average ltv for customers who registered on the mini program since the shop opened up",
        "自开店以来，小程序注册客户的平均LTV是多少",
    ],
)
def test_store_opening_clause_is_no_metric(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == ["average_ltv"]
    assert not args.get("time_range")


def test_opens_still_a_metric_near_miss(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "how many emails were opened last month")
    assert name == "query_metrics" and "opens" in args["metrics"]


# 2. A churn prediction inside one RFM segment: that segment's members scored.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("冠军客户当中，有哪些人有流失风险", "Champions"),
        ("帮我盯一下忠诚客户里面谁有流失风险", "Loyal Customers"),
        ("忠诚客户中哪几位有流失风险", "Loyal Customers"),
        ("which of our Champions are at risk of churning", "Champions"),
    ],
)
def test_churn_inside_one_segment(planner: OfflinePlanner, question: str, segment: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "predict_churn"
    assert args.get("segment") == segment


def test_two_segments_named_stay_rfm_near_miss(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "冠军客户和流失风险客户各有多少人")
    assert name == "rfm_segments"


# 3. A festival's send pointed at as one batch ("那批短信", "that batch of emails") is that
#    year's campaign of the channel, not every message of the channel in the window.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("去年双十一期间发出去的那批短信，点击率多少", "Double 11 2025 - SMS"),
        ("今年618期间发的那批营销邮件打开率怎么样", "618 2026 - Email"),
        ("去年双十一那批推送的转化率", "Double 11 2025 - Push A/B"),
        ("click rate of that batch of texts we sent for Double 11 2025", "Double 11 2025 - SMS"),
    ],
)
def test_batch_of_festival_sends_is_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args.get("filters", {}).get("campaign") == [campaign]


def test_festival_window_messages_stay_the_channel_near_miss(planner: OfflinePlanner) -> None:
    _, args = planned_call(planner, "去年双十一期间的营销短信转化率")
    assert not args.get("filters", {}).get("campaign")
    assert args["filters"].get("channel") == ["sms"]


def test_same_festival_other_channel_follow_up(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["去年双十一期间发出去的那批短信，点击率多少", "同一档期的推送呢"]
    )
    assert name == "query_metrics"
    assert args.get("filters", {}).get("campaign") == ["Double 11 2025 - Push A/B"]


# 4. Two RFM segments' share of the buyers taken together: the RFM table's shares (every
#    buyer of the run is in one segment), never all-time store buyers as the base.
@pytest.mark.parametrize(
    "question",
    [
        "what share of our buyers are Champions and Loyal Customers together?",
        "At Risk + Hibernating combined, what percent of buyers is that",
        "冠军客户加忠诚客户合起来占买家的比例是多少",
        "流失风险和沉睡客户加起来，占全部买家的比例多大",
    ],
)
def test_rfm_segments_combined_share(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "rfm_segments"


def test_rfm_segment_filter_with_period_near_miss(planner: OfflinePlanner) -> None:
    # a period makes it the metric filtered by the segments, not the RFM table's share
    name, _ = planned_call(
        planner, "how many buyers did Champions and Loyal Customers have last month"
    )
    assert name == "query_metrics"
