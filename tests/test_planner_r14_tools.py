"""Round 14, engineer "tools": the kinds outside query_metrics that the round-14 development
sets showed misread: A/B counts said in Chinese numerals or sent "with version A", and
others below. Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. A/B counts: a Chinese numeral with a unit right after a bare variant letter ("B 三千人")
#    is that variant's number; "N with version B" is how many got version B.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("A 五千人 点击400 B 五千人 点击455 差异显著吗", [(5000, 400), (5000, 455)]),
        ("A 3千人 下单90，B 三千人 下单120", [(3000, 90), (3000, 120)]),
        (
            "we emailed 2400 people with version A and got 96 orders, and 2400 with version B "
            "and got 130 orders - real difference?",
            [(2400, 96), (2400, 130)],
        ),
        (
            "sent 650 w/ variant A, 26 signed up; 650 w/ variant B, 41 signed up",
            [(650, 26), (650, 41)],
        ),
    ],
)
def test_ab_counts_with_chinese_numerals_or_sent_with_a_variant_are_read(
    planner: OfflinePlanner, question: str, counts: list[tuple[int, int]]
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == counts


# 2. A segment's portrait: one persona of a named segment, its typical member, "长啥样", and
#    a segment set aside beside the one asked about ("..., not the X ones").
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("loyal customers persona - gender, age and favourite categories", "Loyal Customers"),
        ("the typical At Risk shopper: which cities, what age?", "At Risk"),
        ("冠军客户一般长什么样 年龄 城市", "Champions"),
        ("profile the need-attention group, not the at risk ones", "Need Attention"),
        ("看看流失风险客户的画像，而不是沉睡客户", "At Risk"),
    ],
)
def test_a_named_segments_portrait_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert planned_call(planner, question) == ("profile_segment", {"segment": segment})


# 3. Grouping shoppers "into a few types / kinds" is the clustering, even with the groups'
#    word quoted.
@pytest.mark.parametrize(
    "question",
    [
        "split our customers into some 'kinds' by their shopping habits and explain each",
        "group buyers into a handful of types and tell me about them",
    ],
)
def test_grouping_shoppers_into_types_is_the_clustering(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# 4. A churn prediction said as a high risk level ("高流失风险") beside a list word, as a risk
#    of not buying again, as a forward-looking score, or as who may not come back.
@pytest.mark.parametrize(
    ("question", "horizon"),
    [
        ("把流失风险高的客户名单给我", None),
        ("列一份高流失概率的顾客名单", None),
        ("哪些会员可能未来两个月都不回来了", 60),
        ("which shoppers run the risk of not ordering again in the next 45 days?", 45),
        ("give me a forward-looking score of who will lapse, not the churn rate", None),
    ],
)
def test_churn_prediction_said_as_risk_level_or_not_coming_back(
    planner: OfflinePlanner, question: str, horizon: int | None
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "predict_churn"
    assert args.get("horizon_days") == horizon


def test_the_at_risk_segment_named_for_an_export_stays_an_export(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "流失风险客户导出名单 发邮件") == (
        "export_audience",
        {"segment": "At Risk", "channel": "email"},
    )


# 5. Send time asked as "day of week and hour" (no article) for campaigns.
@pytest.mark.parametrize(
    "question",
    [
        "best day of week + hour to run our campaigns?",
        "which day of week and which hour get our campaigns the most opens",
    ],
)
def test_send_time_as_day_of_week_and_hour(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "best_send_time"


# 6. Saved segments described as built by hand or earlier ("hand-made", "之前圈的").
@pytest.mark.parametrize(
    "question",
    [
        "what manually-built segments do we have and how many people in each",
        "我以前做的那些人群包列一下",
        "先前建的客群有哪些",
    ],
)
def test_segments_built_by_hand_are_the_saved_segments(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question) == ("list_segments", {})


# 7. Exports: a list pulled out ("拉个清单"), a retargeting upload, and 社媒 as the social channel.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("At Risk 的客户整理个清单，用来发短信", "At Risk", "sms"),
        ("the Champions audience for a push remarketing upload please", "Champions", "push"),
        ("Loyal Customers 导出 社媒广告投放", "Loyal Customers", "social"),
    ],
)
def test_exports_said_as_a_list_pulled_or_an_upload(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    assert planned_call(planner, question) == (
        "export_audience",
        {"segment": segment, "channel": channel},
    )


# 8. RFM by its letters in Chinese text ("按R、F、M", "R和F和M") is the RFM segmentation.
@pytest.mark.parametrize(
    "question", ["按R、F、M三个维度给客户打分分组", "根据R和F和M把顾客分档，每档多少人"]
)
def test_rfm_letters_in_chinese_text_are_rfm(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# 9. Activity the store does not record (active users, 日活, an engagement score, 促活) is named
#    back, never answered with buyers, and never with the RFM table when asked per segment.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("what was DAU yesterday", "DAU"),
        ("本月月活多少", "月活"),
        ("engagement scores per RFM segment last quarter", "engagement score"),
        ("双十一之后的促活做得怎么样", "促活"),
    ],
)
def test_unrecorded_activity_is_named_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert word.lower() in str(message.content).lower()
