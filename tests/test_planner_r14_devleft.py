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
    args = query_args(planner, "Double 11 2025 SMS campaign open rate")
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


# 5. "同口径" / "same basis" with another value: the figure just shown for that value; "both
#    channels" after one figure per channel: both values, each in its row, period kept.
def _plans(planner: OfflinePlanner, turns: list[str]) -> list[tuple[str | None, dict]]:
    from copilot.messages import AIMessage, BaseMessage, HumanMessage

    history: list[BaseMessage] = []
    plans = []
    for turn in turns:
        reply = planner._plan(turn, history)
        calls = [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
        status = "answered" if calls else reply.response_metadata.get(STATUS_KEY)
        payload = {"status": status, "tool_calls": calls}
        history += [
            HumanMessage(turn),
            AIMessage(reply.content or "done", response_metadata={"copilot_payload": payload}),
        ]
        plans.append((calls[0]["name"], calls[0]["args"]) if calls else (None, {}))
    return plans


@pytest.mark.parametrize(
    ("turns", "values"),
    [
        (
            ["上个月邮件的点击率", "推送按同样口径也算一个", "两个渠道的转化率一起给下"],
            ["email", "push"],
        ),
        (
            [
                "open rate of sms this year",
                "same basis for email",
                "both channels' unsubscribe rate too",
            ],
            ["sms", "email"],
        ),
    ],
)
def test_same_basis_then_both_values_carry_the_conversation(
    planner: OfflinePlanner, turns: list[str], values: list[str]
) -> None:
    first, second, third = _plans(planner, turns)
    assert second[0] == "query_metrics" and second[1]["filters"] == {"channel": [values[1]]}
    assert second[1]["time_range"] == first[1]["time_range"]
    assert third[0] == "query_metrics" and third[1]["filters"]["channel"] == values
    assert third[1]["dimensions"] == ["channel"]
    assert third[1]["time_range"] == first[1]["time_range"]


# 6. EDM is email: in a copy brief and as a channel filter.
@pytest.mark.parametrize(
    "question",
    ["给Loyal Customers写一封EDM，推荐瑜伽垫", "draft an EDM for Champions about the Yoga Mat"],
)
def test_edm_is_the_email_channel_of_copy(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "generate_copy" and args["channel"] == "email"


def test_edm_is_the_email_channel_of_a_metric(planner: OfflinePlanner) -> None:
    assert query_args(planner, "click rate of our EDMs in September")["filters"] == {
        "channel": ["email"]
    }


# 7. How a figure is computed ("what is it divided by", "分母是什么") is the metric definitions
#    of the knowledge base, never the figure itself; the figure asked stays a metric query.
@pytest.mark.parametrize(
    "question",
    [
        "how is the churn rate worked out?",
        "open rate vs CTR on the same sms: what is each of them divided by",
        "客单价是怎么算出来的",
        "转化率的分母是送达还是打开",
    ],
)
def test_how_a_metric_is_computed_is_a_knowledge_question(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "search_knowledge"


def test_the_figure_itself_is_still_a_metric(planner: OfflinePlanner) -> None:
    assert query_args(planner, "上季度的客单价是多少")["metrics"] == ["aov"]
