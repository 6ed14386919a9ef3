"""Round 13, kinds behind development set 13d's follow-ups and tool cases (engineer d13c).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.numbers import read_rate_change
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call


# 1. A method or a question declined by name ("别用RFM", "不是问哪个渠道", "not using RFM",
#    "not asking which channel") is no cue for it: the task asked is answered.
@pytest.mark.parametrize(
    "question",
    [
        "把顾客按购买习惯聚类，别用RFM",
        "不要按RFM，按消费行为给会员聚类",
        "cluster our shoppers on how they purchase, not using RFM",
        "k-means clusters of buyers, no RFM",
    ],
)  # fmt: skip
def test_a_declined_rfm_is_no_rfm_run(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


@pytest.mark.parametrize(
    "question",
    [
        "At Risk 几点推送打开最多？不是问哪个渠道",
        "Champions 什么时间发邮件点击最高，不是要看什么渠道好",
        "best hour to push Loyal Customers for opens, not asking which channel works best",
    ],
)  # fmt: skip
def test_a_declined_channel_question_is_a_send_time(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "best_send_time"


@pytest.mark.parametrize("question", ["At Risk 用哪个渠道触达最好", "which channel works best for Champions?"])  # fmt: skip
def test_a_channel_question_stays_one(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "best_channel"


# 2. A size per variant asked for a change still to be detected plans a test: with the
#    baseline read it is sized; with the baseline only pointed at ("variant A's rate"), it
#    is asked for, never a store test's verdict.
@pytest.mark.parametrize(
    "question",
    [
        "how many emails per arm would we need to detect a 2 point lift over the control's rate?",
        "每组需要多少人才能测出一个点的提升，基线就用A版本的点击率",
    ],
)  # fmt: skip
def test_a_planned_test_without_its_baseline_is_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    asked_back(planner, question)


def test_a_planned_test_with_its_baseline_is_sized(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "how many sends per arm to detect a 1 point lift from 6%?")
    assert name == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(0.06)
    assert args["minimum_detectable_effect"] == pytest.approx(0.01)


def test_a_planned_test_after_a_store_test_is_no_verdict(planner: OfflinePlanner) -> None:
    name, _ = last_call(
        planner,
        [
            "did variant B win the Double 11 2025 push A/B on clicks?",
            "ok, how many per variant would we need to detect a 2 point lift over A's rate?",
        ],
    )
    assert name != "ab_test"


# 3. 两 is two in a Chinese rate ("两个点", "两个百分点").
@pytest.mark.parametrize(
    ("text", "baseline", "target"),
    [
        ("点击率百分之四，要测出两个点的变化，每组多少人", 0.04, 0.06),
        ("打开率8%，最小可检测提升两个百分点，样本量多少", 0.08, 0.10),
    ],
)  # fmt: skip
def test_liang_points_are_two_points(text: str, baseline: float, target: float) -> None:
    change = read_rate_change(text)
    assert change is not None
    assert change.baseline == pytest.approx(baseline)
    assert change.target == pytest.approx(target)


# 4. "去年的呢" after a campaign's figure: that campaign of last year, not the 2026 one cut
#    to a year it did not run in.
@pytest.mark.parametrize(
    "turns",
    [
        ["今年618邮件活动的打开率", "那去年的呢"],
        ["open rate of the 618 2026 email campaign", "and last year?"],
    ],
)  # fmt: skip
def test_a_year_back_after_a_campaign_names_that_campaign_of_the_year(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["filters"]["campaign"] == ["618 2025 - Email"]


# 5. People pointed at ("这些人", "这批客户", "those people", bare "those") after a segment's
#    profile are that segment: the copy keeps its brief, the export its channel.
@pytest.mark.parametrize(
    "turns",
    [
        ["看一下 Loyal Customers 的画像", "给这批人写条推送，介绍新到的护肤品"],
        ["profile the Loyal Customers segment", "draft an email for those people about the new skincare"],
    ],
)  # fmt: skip
def test_copy_for_the_people_pointed_at_is_for_that_segment(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "generate_copy"
    assert args["segments"] == ["Loyal Customers"]
    assert args.get("product") == "skincare"
    assert not args.get("unclear")


@pytest.mark.parametrize(
    "turns",
    [
        ["who are the Hibernating customers?", "alright, export those for email"],
        ["Hibernating 这群人什么样", "把这些导出来发短信"],
    ],
)  # fmt: skip
def test_an_export_of_those_is_of_that_segment(planner: OfflinePlanner, turns: list[str]) -> None:
    name, args = last_call(planner, turns)
    assert name == "export_audience"
    assert args["segment"] == "Hibernating"


# 6. "and men?", "男的呢" after a figure for women: the same figure for men, not a new audience.
@pytest.mark.parametrize(
    "turns",
    [
        ["去年女顾客的订单数", "男的呢"],
        ["AOV of female customers last quarter", "and the guys?"],
        ["orders from women in August", "what about men?"],
    ],
)  # fmt: skip
def test_another_gender_after_a_figure_swaps_the_filter(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["filters"]["gender"] == ["M"]


# 7. A rate asked again as a count ("and as a headcount?", "人数呢") is the count it counts.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["repurchase rate in September", "and as a headcount?"], "repeat_buyers"),
        (["上个季度的流失率", "人数呢？"], "churned_customers"),
        (["push open rate last month", "and as a number?"], "opens"),
    ],
)  # fmt: skip
def test_a_rate_asked_as_a_count_is_its_count(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == [metric]


def test_a_count_of_a_money_metric_is_not_guessed(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["上个月的客单价", "人数呢？"])
    assert name != "query_metrics" or args["metrics"] != ["aov"]


# 8. Another value set beside the figure ("how does sms compare?", "北京呢，放一起看"):
#    both values, one row each.
@pytest.mark.parametrize(
    ("turns", "dimension", "values"),
    [
        (["push CTR this year", "how does email compare? side by side please"], "channel", ["push", "email"]),
        (["上个月杭州的订单数", "宁波呢？放在一起对比"], "city", ["杭州", "宁波"]),
    ],
)  # fmt: skip
def test_a_value_compared_is_set_beside(
    planner: OfflinePlanner, turns: list[str], dimension: str, values: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["filters"][dimension] == values
    assert args["dimensions"] == [dimension]


# 9. A copy request keeping a length limit ("keep it under the char limit", "控制在字数限制内")
#    is copy; a question on the limit stays a rules question.
@pytest.mark.parametrize(
    "question",
    [
        "push copy for Champions about the autumn sale, keep it within the character limit",
        "给沉睡客户写条短信召回，别超字数",
    ],
)  # fmt: skip
def test_copy_within_the_length_limit_is_copy(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "generate_copy"


@pytest.mark.parametrize("question", ["how long can a push message be?", "推送有字数限制吗"])
def test_a_question_on_the_limit_is_no_copy(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not any(c["name"] == "generate_copy" for c in message.tool_calls)


# 10. Cross-sell said with hyphens ("bought-together") or as "关联推荐/关联商品" of an item.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("most frequently-bought-together items", None),
        ("瑜伽垫的关联推荐", "Yoga Mat"),
        ("瑜伽垫有哪些关联商品", "Yoga Mat"),
    ],
)  # fmt: skip
def test_cross_sell_words(planner: OfflinePlanner, question: str, item: str | None) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules"
    assert args.get("item") == item


# 11. "segment = <conditions>" defines a segment, as "segment: <conditions>" does.
@pytest.mark.parametrize(
    "question",
    ["segment = Zhejiang women who bought makeup in the last 3 months", "人群 = 北京的男性会员，下过3次以上单"],
)  # fmt: skip
def test_a_segment_heading_with_equals_defines_it(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "define_segment"
