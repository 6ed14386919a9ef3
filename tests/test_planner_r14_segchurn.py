"""Round 14, engineer "segchurn": RFM counts and shares, a segment's traits spread, and churn
lists limited to one segment. Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A segment's size by another word ("headcount", "人数"), and one segment's share of the
#    buyers with no period: the RFM table's own columns.
@pytest.mark.parametrize(
    "question",
    [
        "Hibernating headcount please",
        "沉睡客户人数现在有多少",
        "what proportion of our buyers are Loyal Customers",
        "Need Attention 在所有买家里的占比",
    ],
)
def test_segment_size_or_share_of_buyers_is_the_rfm_table(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# A share of buyers limited to a city is no RFM table: the city is never dropped.
def test_segment_share_of_a_filtered_whole_is_not_the_rfm_table(planner: OfflinePlanner) -> None:
    message = planner._plan("Champions as a share of customers who bought in Shanghai", [])
    assert not message.tool_calls or "rfm_segments" not in {c["name"] for c in message.tool_calls}


# 2. A word glossed by a segment's name in brackets names that segment; the word alone is
#    still asked about.
@pytest.mark.parametrize(
    "question",
    ["大户(Champions)占全部买家多少比例", "our whales (Champions): what share of buyers are they"],
)
def test_a_word_glossed_by_a_segment_name_in_brackets_is_that_segment(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


def test_the_same_word_without_the_gloss_is_asked_about(planner: OfflinePlanner) -> None:
    asked_back(planner, "大户占全部买家多少比例")


# 3. A named segment spread over two or more member traits is that segment's profile, also
#    with the segmentation's word ("分层", "tier") beside its name.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("沉睡客户这一层的人，男女比例和城市分布怎样", "Hibernating"),
        ("忠诚客户分层里，年龄和品类偏好的构成", "Loyal Customers"),
        ("Loyal Customers tier: age and gender split?", "Loyal Customers"),
    ],
)
def test_segment_spread_over_traits_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert planned_call(planner, question) == ("profile_segment", {"segment": segment})


def test_a_metric_of_a_segment_by_two_breakdowns_stays_a_metric(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "冠军客户各城市的销售额和品类占比")
    assert tool == "query_metrics" and args["filters"] == {"rfm_segment": ["Champions"]}


# 4. A churn list limited to one RFM segment passes the segment; the highest risk said with
#    "for" is the churn prediction, not a send time.
@pytest.mark.parametrize(
    ("question", "args"),
    [
        (
            "which Potential Loyalists could stop buying in the next 60 days",
            {
                "segment": "Potential Loyalists",
                "horizon_days": 60,
            },
        ),
        ("沉睡客户里哪些人可能会流失", {"segment": "Hibernating"}),
        ("buyers with the highest risk for churning, next two months", {"horizon_days": 60}),
        ("list the higher-risk shoppers", {}),
    ],
)
def test_churn_list_of_one_segment_or_highest_risk_predicts(
    planner: OfflinePlanner, question: str, args: dict
) -> None:
    assert planned_call(planner, question) == ("predict_churn", args)


# 5. Rule segments: a channel's permission switched on is its consent; "ordered in a period"
#    with nothing named as bought is at least one order then; "存为分群 X" names it X.
def test_rule_segment_with_age_permission_and_recent_order(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "25岁以下、开通了短信权限、近两个月下过单的会员，存为分群 sms_young"
    )
    assert tool == "define_segment" and args["name"] == "sms_young"
    definition = args["definition"]
    assert definition["max_age"] == 25 and definition["consents"] == ["sms"]
    assert definition["orders"]["min"] == 1 and "两个月" in definition["orders"]["period"]


def test_rule_segment_of_customers_who_ordered_in_a_period(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "create a segment named q_active: people who placed an order in the last 6 weeks"
    )
    assert tool == "define_segment" and args["name"] == "q_active"
    assert args["definition"]["orders"] == {"min": 1, "period": "last 6 weeks"}
