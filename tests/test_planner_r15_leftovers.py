"""Round 15, tool leftovers: a rule segment's order count keeps its own clause's period, a
count in one period beside no order in another, an age said after the word for age, a
consent beside a signup channel; a send time over every channel; a segment's people handed
over for a channel's send; a stored test named by its id; acquired buyers sticking around;
an RFM split asked which segment holds the money. Every wording here is our own; none is a
set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


def _definition(planner: OfflinePlanner, question: str) -> dict:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment", (tool, args)
    return args["definition"]


# 1. Rule segments: each condition with its own clause's period.
@pytest.mark.parametrize(
    "question",
    [
        "save a segment: people with at least 2 orders in 2026 that have never bought makeup",
        "segment of shoppers with 4+ orders this month who never bought sports gear",
    ],
)
def test_order_count_keeps_its_period_beside_a_relative_never_bought(
    planner: OfflinePlanner, question: str
) -> None:
    definition = _definition(planner, question)
    assert definition["orders"].get("period")  # the count is over the period said with it
    (never,) = definition["purchases"]
    assert never["bought"] is False and "period" not in never  # never: all time


@pytest.mark.parametrize(
    ("question", "recent", "count_period"),
    [
        ("找出最近60天没买过、但2025年下过2单以上的客户", "60", "2025"),
        ("圈出近45天没有下单、去年下过4单以上的会员", "45", "去年"),
    ],
)
def test_count_in_one_period_and_no_order_in_another_is_a_rule_segment(
    planner: OfflinePlanner, question: str, recent: str, count_period: str
) -> None:
    definition = _definition(planner, question)
    assert recent in definition["last_order_before"]
    assert count_period in definition["orders"]["period"]
    assert definition["orders"]["min"] >= 2


@pytest.mark.parametrize(
    ("question", "low", "high"),
    [("建个分群：年龄25到34、买过护肤的女性", 25, 34), ("新建人群：年纪45至54的男性", 45, 54)],
)
def test_age_after_the_word_for_age_is_the_age_band(
    planner: OfflinePlanner, question: str, low: int, high: int
) -> None:
    definition = _definition(planner, question)
    assert (definition["min_age"], definition["max_age"]) == (low, high)


@pytest.mark.parametrize(
    ("question", "signup", "consent"),
    [
        ("建个人群：app注册、开通了邮件授权的客户", "app", "email"),
        ("save a segment: signed up via the web, with push consent", "web", "push"),
    ],
)
def test_consented_channel_is_not_a_signup_channel(
    planner: OfflinePlanner, question: str, signup: str, consent: str
) -> None:
    definition = _definition(planner, question)
    assert definition["signup_channels"] == [signup]
    assert definition["consents"] == [consent]


# 2. Audience tools.
@pytest.mark.parametrize(
    "question", ["send-time advice for Loyal Customers over all channels", "sendtime for At Risk"]
)
def test_send_time_hyphenated_without_channel(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "best_send_time" and "channel" not in args


@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("send us the At Risk people for an SMS blast", "At Risk", "sms"),
        ("give me the Champions customers for an email campaign", "Champions", "email"),
        ("把冠军客户导一份推送人群包", "Champions", "push"),
        ("At Risk 这批人导一份短信人群包", "At Risk", "sms"),
    ],
)
def test_segment_people_handed_over_for_a_channel_is_an_export(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args["segment"], args["channel"]) == ("export_audience", segment, channel)


def test_a_figure_for_a_channel_campaign_is_no_export(planner: OfflinePlanner) -> None:
    message = planner._plan("give me the number of customers for an email campaign", [])
    assert all(c["name"] != "export_audience" for c in message.tool_calls)


# 3. A stored A/B test named by its campaign id, its method or 统计学差异.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("CMP010 open rate A vs B, chi-square test please", "open_rate"),
        ("CMP010的A和B点击率，做个双侧z检验", "ctr"),
    ],
)
def test_campaign_id_variants_tested_is_the_ab_test(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    tool, args = planned_call(planner, question)
    # The id is read as the store's campaign of that id (round 17): its name is passed on.
    assert (tool, args["campaign"], args["metric"]) == (
        "ab_test",
        "Spring Festival 2026 - Email A/B",
        metric,
    )


def test_statistical_difference_in_chinese_asks_the_verdict(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "春节2026邮件测试里A、B两个版本点击率有统计上的差别吗")
    assert (tool, args.get("metric")) == ("ab_test", "ctr")


# 4. Cohort retention of acquired buyers; the RFM split asked where the money is.
@pytest.mark.parametrize(
    "question",
    ["do newly acquired customers of Q2 2026 keep buying", "2026年第二季度拉来的新客留得住吗"],
)
def test_acquired_buyers_staying_is_cohort_retention(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cohort_retention" and "2026" in args["time_range"]


def test_rfm_split_asking_where_the_revenue_sits_is_the_rfm_table(
    planner: OfflinePlanner,
) -> None:
    tool, _args = planned_call(planner, "RFM split please, which segment has the most revenue?")
    assert tool == "rfm_segments"


# 5. A team of ours after a value tier's word is who gets the list, not which customers.
@pytest.mark.parametrize(
    "question",
    [
        "who is likely to churn? I need a call list for our VIP service team",
        "哪些客户可能流失，给VIP客服组一份名单",
    ],
)
def test_value_tier_team_is_who_gets_the_churn_list(planner: OfflinePlanner, question: str) -> None:
    tool, _args = planned_call(planner, question)
    assert tool == "predict_churn"


def test_value_tier_customers_are_still_asked_about(planner: OfflinePlanner) -> None:
    message = planner._plan("churn risk of our VIP customers", [])
    assert not message.tool_calls and "VIP" in message.content


# 6. A purchase and an order count joined as two conditions: the count is of all orders,
# over the period said in its own clause.
@pytest.mark.parametrize(
    ("question", "category", "low"),
    [
        ("建个人群：买过彩妆并且今年订单数不少于3单的客户", "makeup", 3),
        ("定义一个分群，买过数码且今年下单不少于2单", "electronics", 2),
    ],
)
def test_purchase_and_order_count_clause_each_keep_their_period(
    planner: OfflinePlanner, question: str, category: str, low: int
) -> None:
    definition = _definition(planner, question)
    assert definition["orders"]["min"] == low and "今年" in definition["orders"]["period"]
    (bought,) = definition["purchases"]
    assert bought["categories"] == [category] and "period" not in bought
