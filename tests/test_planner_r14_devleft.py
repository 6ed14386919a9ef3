"""Round 14, wave 2: development-set kinds left after wave 1 (metrics, asks back, refusals).
Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.outcome import STATUS_KEY
from tests.conftest import asked_back, planned_call, query_args


# 1. Money per returned order said with 每单/每笔 and the verb 退: the average return value,
#    never the AOV of all orders.
@pytest.mark.parametrize(
    "question",
    ["去年每笔平均退了多少钱", "上季度退货几单？平均一单退多少", "今年每单退款多少钱"],
)
def test_money_per_order_refunded_is_the_average_return_value(
    planner: OfflinePlanner, question: str
) -> None:
    metrics = query_args(planner, question)["metrics"]
    assert "average_return_value" in metrics and "aov" not in metrics


def test_money_per_order_without_a_return_is_still_the_aov(planner: OfflinePlanner) -> None:
    assert query_args(planner, "上个月平均每单多少钱")["metrics"] == ["aov"]


# 2. 要 of wanting before 流失 ("不要流失率", "只要流失率") is no "about to churn": the count
#    or the rate of the period, never the churn model.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("九月流失掉的客户有多少？给我人数，不要流失率", "churned_customers"),
        ("上季度流失客户有几个，不要流失率", "churned_customers"),
        ("上个月我只要流失率", "churn_rate"),
    ],
)
def test_wanting_a_churn_figure_is_no_churn_prediction(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics" and metric in args["metrics"]


def test_about_to_churn_is_still_the_prediction(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "哪些会员快要流失了")[0] == "predict_churn"


# 3. A festival's campaign named in a year the store ran none of it: asked back naming the
#    festival and year, never another year's campaign nor the festival's days over all sends.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("click rate of our 11.11 2022 text campaign", "2022"),
        ("ROI of the Double 11 2024 push campaign", "2024"),
        ("2023年618邮件活动带来多少归因销售额", "2023"),
    ],
)
def test_a_festival_campaign_of_a_year_without_it_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


def test_a_festival_campaign_the_store_ran_is_still_that_campaign(
    planner: OfflinePlanner,
) -> None:
    args = query_args(planner, "open rate of the Double 11 2025 SMS campaign")
    assert args["filters"]["campaign"] == ["Double 11 2025 - SMS"]


# 4. Translating a document or filing it with an authority is no knowledge question, even
#    when the document is a policy the knowledge base holds: refused.
@pytest.mark.parametrize(
    "question",
    [
        "can you translate the consent policy into Korean for our lawyers",
        "submit our data-sharing agreement to the data protection authority",
        "帮我把用户协议翻译成英文",
        "把隐私条款整理好报送给网信办",
    ],
)
def test_document_chores_are_refused(planner: OfflinePlanner, question: str) -> None:
    reply = planner._plan(question, [])
    assert not reply.tool_calls and reply.response_metadata.get(STATUS_KEY) == "refused"


def test_what_a_policy_says_is_still_a_knowledge_question(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "what does our privacy policy say about push consent?")[0] == (
        "search_knowledge"
    )
