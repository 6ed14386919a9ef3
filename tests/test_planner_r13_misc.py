"""Round 13, engineer "misc": a churn prediction asked for a group only, and a segment's
members described ("who the ... are"). Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A churn prediction limited to a value tier is asked back (the
#    prediction scores everyone), the valuable segments offered; never the whole store.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("which high-value customers could churn? give me names", "Champions"),
        ("VIPs likely to stop buying - who are they", "Loyal Customers"),
        ("高价值会员里谁可能流失，列个名单", "冠军客户"),
        ("哪些大客户会流失", "不能失去的客户"),
    ],
)
def test_churn_of_a_value_tier_asks_back_offering_segments(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


# (Round 14: predict_churn takes a segment, so one RFM segment named is that argument; the
# value tiers above, which no segment holds, are still asked back.)
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("which of our Loyal Customers might churn", "Loyal Customers"),
        ("忠诚客户里有哪些人可能流失", "Loyal Customers"),
    ],
)
def test_churn_of_one_segment_predicts_for_that_segment(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert planned_call(planner, question) == ("predict_churn", {"segment": named})


@pytest.mark.parametrize(
    "question",
    [
        "who might churn over the next 30 days",
        "哪些客户可能流失",
        "list customers at risk of churning",
    ],
)
def test_churn_of_everyone_still_predicts(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "predict_churn"


@pytest.mark.parametrize(
    "question",
    [
        "save a segment: Loyal Customers with churn probability over 60%",
        "存为分群：流失概率高于60%的忠诚客户",
    ],
)
def test_a_segment_saved_with_a_churn_bound_is_a_rule(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    assert args["definition"]["rfm_segments"] == ["Loyal Customers"]
    assert args["definition"]["min_churn_probability"] == 0.6


# 5. "who the X are" / "X都是谁" describes the members of a named segment: its profile.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        (
            "tell me who exactly our Loyal Customers are: age, city, favourite products",
            "Loyal Customers",
        ),
        ("I want to know who the Hibernating shoppers are", "Hibernating"),
        ("沉睡客户到底是谁？多大、在哪", "Hibernating"),
    ],
)
def test_who_the_segment_members_are_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert planned_call(planner, question) == ("profile_segment", {"segment": segment})
