"""Round 17, wave 2, routing to the customer tools: a method named with "besides" / "除了" /
"之外" is set aside and the other task is asked; the team that asks ("the CRM team wants")
is the asker, never the task; segments finished earlier (建好的 / 圈好的) listed with their
sizes are the saved segments; a churn word used as the nickname of a named RFM layer is that
layer (the RFM table), never a prediction. Every wording here is our own, EN and ZH, with
near-misses that must still go elsewhere."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. A method named beside "besides / apart from / 除了 / 之外": already had, set aside.
@pytest.mark.parametrize(
    "question",
    [
        "besides RFM, cluster our buyers into a few personas",
        "apart from the RFM table, group shoppers by behaviour with k-means",
        "除了RFM，再用聚类看看客户分几类",
        "RFM之外，用聚类给客户做个画像",
    ],
)
def test_method_named_besides_is_set_aside_for_personas(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# Near-misses: RFM asked outright stays RFM; "除了<a city>" stays an exclusion of a metric.
@pytest.mark.parametrize("question", ["用RFM给客户分群", "run an RFM segmentation of buyers"])
def test_rfm_asked_outright_stays_rfm(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


def test_besides_a_city_stays_an_exclusion(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "除了上海，各城市销售额")
    assert tool == "query_metrics" and args.get("exclude") == {"city": ["上海"]}


# 2. The asking team before its verb of wanting is who asks, not the task.
@pytest.mark.parametrize(
    "question",
    [
        "retention team needs customer personas with a name for each",
        "the lifecycle folks want buyer archetypes",
        "留存组想要几类典型客群，每类起个名字",
    ],
)
def test_asking_team_is_not_the_task(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


@pytest.mark.parametrize(
    "question",
    ["the retention team wants retention by first-order month", "留存团队要看首购月份的留存"],
)
def test_retention_asked_by_the_retention_team_stays_cohorts(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "cohort_retention"


# 3. Segments finished earlier, listed with their sizes: the saved segments.
@pytest.mark.parametrize(
    "question",
    [
        "手上圈好的客群分别多少人",
        "搭好的受众都有啥",
        "做好的人群包列一下，带人数",
        "我们建好的分群列个表",
    ],
)
def test_segments_finished_earlier_are_saved_ones(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "list_segments"


@pytest.mark.parametrize("question", ["每个RFM分群有多少人", "RFM分群各多少人"])
def test_rfm_segment_sizes_stay_rfm(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# 4. A churn word as the nickname of a named RFM layer: that layer, the RFM table.
@pytest.mark.parametrize(
    "question",
    ["快流失那层（At Risk）一共多少人，历史上贡献多少销售额", "流失预警那一档（At Risk）有几个人"],
)
def test_churn_word_naming_a_layer_is_the_rfm_table(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("流失预警名单：未来60天可能流失的客户", 60),
        ("who is likely to churn in the next 30 days", 30),
    ],
)
def test_churn_prediction_asked_stays_a_prediction(
    planner: OfflinePlanner, question: str, days: int
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("horizon_days")) == ("predict_churn", days)
