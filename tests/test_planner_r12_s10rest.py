"""Round 12 ("s10rest12"): kinds found with set 10's and set 9's remaining cases.
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. Customers tiered by their value ("会员价值分级", "value tiers") ask for the RFM
#    segmentation; "客户价值" alone was read as the lifetime-value metric (a different
#    question), or the request was refused.
@pytest.mark.parametrize(
    "question",
    [
        "帮我把会员按价值分级，每级给点运营建议",
        "build customer value tiers and tell me what to do with each",
    ],
)
def test_value_tiers_are_the_rfm_segmentation(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


def test_customer_value_alone_is_still_the_ltv_metric(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "上个季度的客户价值是多少")
    assert name == "query_metrics" and args["metrics"] == ["average_ltv"]


# 2. A persona phrase before 分群 ("用户画像分群") names the clustering, not a segment
#    called "用户画像"; "典型人群/客群" are the personas. It was a question back between
#    personas and one segment's profile.
@pytest.mark.parametrize("question", ["帮忙出一个客户画像分群", "我们的买家里有哪些典型客群"])
def test_a_persona_segmentation_is_the_clustering(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# 3. "How much traffic / how many sessions do we need" for a test plans its sample size; it
#    was refused as the unsupported web-traffic metric.
def test_traffic_needed_for_a_test_is_its_sample_size(planner: OfflinePlanner) -> None:
    name, args = planned_call(
        planner, "how many sessions are required to catch a move from 5% to 6% conversion?"
    )
    assert name == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"]) == (0.05, 0.01)
