"""Round 16, the non-metric tools read from loose wordings: personas asked with who the result
is for, auto-grouping and typical groups; churn predictions with a horizon said by its unit
(the coming month, next quarter) or by a noun for those who leave (churners), and a short
follow-up changing the horizon; the saved segments named as a library or as defined before;
a rule segment said only in its quoted name; "the makeup of" a group as its composition;
method notes from the knowledge base; social copy (社媒) and copy promoting a bundle. Our own
wordings, EN and ZH, with near-misses that must stay asked back or go elsewhere."""

from __future__ import annotations

import pytest

from copilot.offline.intents.churn import horizon_change, horizon_days
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call


@pytest.mark.parametrize(
    "question",
    [
        "split our shoppers into a handful of personas for the CRM team",
        "need customer personas to brief the design squad",
        "persona analysis for our buyers please",
        "quick personas pls, sharing with the after-sales folks",
        "把客户自动分几类，给客服团队用",
        "我们的典型客户群体有哪些",
        "帮我自动聚类一下客户",
    ],
)
def test_personas_with_framing_or_auto_grouping(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "customer_personas"


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("the Loyal Customers persona, please", "Loyal Customers"),
        ("a persona for At Risk", "At Risk"),
    ],
)
def test_persona_of_a_named_segment_stays_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "profile_segment" and args.get("segment") == segment


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("predict churners for the next month", 30),
        ("which buyers will churn over the coming quarter?", 90),
        ("flag likely churners in the upcoming month", 30),
        ("churn-risk list for the next 60 days", 60),
        ("预测一下未来一个季度哪些客户会流失", 90),
        ("下个月可能流失的客户有哪些", 30),
    ],
)
def test_churn_horizon_by_unit_or_churner_noun(
    planner: OfflinePlanner, question: str, days: int
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "predict_churn" and args.get("horizon_days") == days


def test_churners_of_a_past_period_is_no_prediction(planner: OfflinePlanner) -> None:
    # A past period's churn is the metric (or asked back), never the model's forecast.
    message = planner._plan("churn rate last quarter", [])
    assert not message.tool_calls or message.tool_calls[0]["name"] != "predict_churn"


@pytest.mark.parametrize(
    ("text", "days"),
    [("make it 30", 30), ("try 60 days instead", 60), ("改成30天呢", 30), ("what about 120?", 120)],
)
def test_churn_horizon_follow_up_number(text: str, days: int) -> None:
    assert horizon_change(text) == days


@pytest.mark.parametrize("text", ["make it 3", "make it 2000", "make it email"])
def test_churn_horizon_follow_up_out_of_range_is_none(text: str) -> None:
    assert horizon_change(text) is None
    assert horizon_days("churn risk next 3 days") is None


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [
        ("shoppers likely to churn during the upcoming 90 days?", "ok make it 45", 45),
        ("churn risk over the coming quarter", "try 60 days instead", 60),
        ("预测未来90天会流失的客户", "改成30天呢", 30),
    ],
)
def test_churn_follow_up_changes_the_horizon(
    planner: OfflinePlanner, first: str, second: str, days: int
) -> None:
    tool, args = last_call(planner, [first, second])
    assert tool == "predict_churn" and args.get("horizon_days") == days


def test_bare_number_after_a_metric_is_no_churn_horizon(planner: OfflinePlanner) -> None:
    tool, args = last_call(planner, ["revenue last month", "make it 30"])
    assert tool != "predict_churn"


@pytest.mark.parametrize(
    "question",
    [
        "open the segment library",
        "what's in our audience library?",
        "list the groups we defined earlier",
        "show segments the team created before",
        "看看分群库里有什么",
        "列出之前定义的分群",
    ],
)
def test_saved_segments_as_library_or_defined_before(
    planner: OfflinePlanner, question: str
) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "list_segments"


def test_segments_without_saved_words_stay_rfm(planner: OfflinePlanner) -> None:
    tool, _ = planned_call(planner, "show the RFM segments")
    assert tool == "rfm_segments"


@pytest.mark.parametrize(
    ("question", "city", "channel"),
    [
        ('create segment "app signups in Chengdu"', "成都", "app"),
        ("save a segment: 'web sign-ups from Hangzhou'", "杭州", "web"),
        ("新建分群“成都的app注册用户”", "成都", "app"),
    ],
)
def test_rule_segment_said_only_in_its_quoted_name(
    planner: OfflinePlanner, question: str, city: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    definition = args["definition"]
    assert definition.get("cities") == [city] and definition.get("signup_channels") == [channel]


def test_quoted_name_beside_a_rule_is_only_the_name(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, 'save segment "Chengdu fans" of women in Shanghai')
    assert tool == "define_segment" and args["definition"].get("cities") == ["上海"]


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("the makeup of Champions by gender and age", "Champions"),
        ("what is the make-up of Hibernating customers by city and age band", "Hibernating"),
    ],
)
def test_makeup_of_a_group_is_its_composition(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "profile_segment" and args.get("segment") == segment


def test_makeup_alone_is_the_category(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "makeup revenue last month")
    assert tool == "query_metrics" and args.get("filters", {}).get("category") == ["makeup"]


@pytest.mark.parametrize(
    "question",
    [
        "any methodology notes on control groups?",
        "how should we think about uplift measurement?",
        "method notes on holdout design please",
        "发送频率该怎么考虑，有方法说明吗",
    ],
)
def test_method_notes_go_to_the_knowledge_base(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "search_knowledge"


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("写一条社媒文案，给Champions推护肤好物", "Champions"),
        ("社交媒体文案 面向Loyal Customers 推新品", "Loyal Customers"),
    ],
)
def test_chinese_social_media_copy_is_social(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "generate_copy" and args["channel"] == "social"
    assert args["segments"] == [segment] and not args.get("unclear")


@pytest.mark.parametrize(
    "question",
    [
        "write a social post for New Customers promoting our makeup bundle",
        "email copy for Champions promoting the baby gift set",
        "写条推送文案给New Customers，推护肤套装",
    ],
)
def test_copy_promoting_a_product_set_is_copy(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "generate_copy"


def test_bundle_ideas_without_copy_stay_cross_sell(planner: OfflinePlanner) -> None:
    tool, _ = planned_call(planner, "bundle ideas for Champions")
    assert tool == "cross_sell_rules"


def test_persona_word_with_unknown_words_still_asks(planner: OfflinePlanner) -> None:
    # A metric of the personas in a city the store does not hold: asked back, not clustered.
    reply = asked_back(planner, "persona revenue in Xiamen")
    assert "Xiamen" in reply
