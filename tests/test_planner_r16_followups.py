"""Round 16 wave 1, follow-up and campaign-word kinds (engineer followups). Every wording here
is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.evaluation.heldout import judge_turn, names_word
from copilot.offline.planner import OfflinePlanner
from tests.conftest import converse, last_call


# 1. A word of addition said with a breakdown ("too", "as well", "also", 也, 顺便) keeps the
#    breakdown shown and adds the one named; "instead" / 换成 puts it in place.
@pytest.mark.parametrize(
    ("turns", "dimensions"),
    [
        (["orders by city in Q3 2026", "by channel as well"], ["city", "channel"]),
        (["orders by city in Q3 2026", "ok and split it by gender too pls"], ["city", "gender"]),
        (["revenue per category last quarter", "can you also break it out by channel"],
         ["category", "channel"]),
        (["上季度各品类的销售额", "渠道也拆一下"], ["category", "channel"]),
        (["上季度各品类的销售额", "顺便按城市分一下"], ["category", "city"]),
        # near-misses: a replacement keeps one breakdown only
        (["orders by city in Q3 2026", "by channel instead"], ["channel"]),
        (["上季度各品类的销售额", "换成按渠道"], ["channel"]),
    ],
)  # fmt: skip
def test_a_word_of_addition_adds_the_breakdown_named(
    planner: OfflinePlanner, turns: list[str], dimensions: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["dimensions"] == dimensions


# 2. A follow-up that says only a number changes the previous call's one number: the churn
#    horizon, the days of a "last N days" period; with a unit, in days.
@pytest.mark.parametrize(
    ("turns", "key", "value"),
    [
        (["who might churn in the next 60 days", "make it 45"], "horizon_days", 45),
        (["who might churn in the next 60 days", "what about 2 weeks instead?"],
         "horizon_days", 14),
        (["接下来90天哪些客户可能流失", "改成30天"], "horizon_days", 30),
        (["接下来90天哪些客户可能流失", "那两个月呢"], "horizon_days", 60),
        (["revenue over the past 30 days", "make it 14"], "time_range", "past 14 days"),
        (["最近60天的下单人数", "换成十天呢"], "time_range", "最近十天"),
        (["最近60天的下单人数", "那3周呢"], "time_range", "最近3周"),
        (["predict churn over the coming 120 days", "2 months then"], "horizon_days", 60),
        (["最近60天的下单人数", "20天的呢"], "time_range", "最近20天"),
    ],
)  # fmt: skip
def test_a_bare_number_changes_the_previous_calls_number(
    planner: OfflinePlanner, turns: list[str], key: str, value: object
) -> None:
    name, args = last_call(planner, turns)
    assert name in ("predict_churn", "query_metrics")
    assert args[key] == value


def test_a_bare_number_keeps_the_rest_of_the_metric_query(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["最近60天上海的订单数", "换成15天呢"])
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"] and args["filters"] == {"city": ["上海"]}
    assert args["time_range"] == "最近15天"


@pytest.mark.parametrize(
    "turns",
    [
        # nothing in the previous call counts in days: no number to change, never a guess
        ["revenue last month", "make it 30"],
        ["上个月的客单价", "换成7天呢"],
    ],
)
def test_a_bare_number_with_no_number_to_change_answers_no_figure(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    reply = converse(planner, turns)
    assert not reply.tool_calls


# 3. A channel's sends said with 投放 are the channel's campaigns, not a campaign named so.
@pytest.mark.parametrize(
    "question",
    ["近60天社媒投放的点击率", "上个月social投放的打开率是多少", "去年短信投放的点击率"],
)
def test_a_channels_sends_are_that_channels_campaigns(
    planner: OfflinePlanner, question: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert set(args["filters"]) == {"channel"}
    assert "campaign" not in args["filters"]


# 4. A promotion pointed at or said bare ("那次促销", "the big sale") is asked about, naming it.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("那次促销效果咋样", "那次促销"),
        ("呃 大促的数据怎么样", "大促"),
        ("how was the big sale", "the big sale"),
        ("so how did that promo go?", "that promo"),
    ],
)
def test_a_promotion_not_named_is_asked_about_by_its_word(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    reply = converse(planner, [question])
    assert not reply.tool_calls
    assert word in str(reply.content)


def test_a_named_festival_promotion_is_not_asked_about(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["618大促的订单数"])
    assert name == "query_metrics"


# 5. The held-out checker: a word is named whatever its case, spaces or hyphens; any other
#    difference is not naming it.
@pytest.mark.parametrize(
    ("answer", "word", "named"),
    [
        ("I don't know a campaign called “spring sale”.", "Spring-Sale", True),
        ("No campaign called “Back To School” here.", "back-to-school", True),
        ("店里没有叫「双 十二」的活动。", "双十二", True),
        ("I don't know a campaign called “autumn”.", "Mid-Autumn", False),
        ("I don't know a campaign called “mid summer”.", "Mid-Autumn", False),
        # A bare year in a set's YAML arrives as an int: its digits are the word.
        ("There was no SMS campaign in 2023 to compare with.", 2023, True),
        ("There was no SMS campaign in 2023 to compare with.", 2024, False),
    ],
)
def test_the_checker_names_a_word_across_case_space_and_hyphen(
    answer: str, word: str, named: bool
) -> None:
    assert names_word(answer, word) is named

    class NoPeriods:
        def resolve(self, *_: object) -> None:
            return None

    verdict = judge_turn({"status": "clarify", "must_name": [word]}, [], answer, NoPeriods())
    assert verdict.correct is named
