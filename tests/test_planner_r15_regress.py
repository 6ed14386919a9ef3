"""Round 15, regressions after the wave 0 and wave 1 merges (engineer regress): the kinds
the merges had broken, in our own wordings."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, converse, planned_call, query_args


def _after(planner: OfflinePlanner, first: str, second: str) -> Any:  # noqa: ANN401
    """The reply to `second` as a follow-up of `first` (the history the agent stores)."""
    return converse(planner, [first, second])


# 1. A follow-up restating a merchandise figure's definition ("and without shipping?") is
#    that figure again, the words it restated carried to the answer; one contradicting it
#    ("含运费") is asked back. One mechanism (restated_definitions) for every such metric.
@pytest.mark.parametrize(
    ("first", "second", "metric"),
    [
        ("how much did each buyer spend in September", "and leaving out delivery fees?", "revenue_per_buyer"),
        ("今年的人均消费金额", "那去掉运费呢", "revenue_per_buyer"),
        ("average order value in Q3", "what about without the shipping?", "aov"),
    ],
)  # fmt: skip
def test_a_restated_merchandise_definition_is_the_same_figure(
    planner: OfflinePlanner, first: str, second: str, metric: str
) -> None:
    reply = _after(planner, first, second)
    assert reply.tool_calls and metric in reply.tool_calls[0]["args"]["metrics"]
    assert "filters" not in reply.tool_calls[0]["args"]  # no shipping line filtered on
    shown, restated = reply.response_metadata["metric_definitions"]
    assert metric in shown and restated and restated.lower() in second.lower()


@pytest.mark.parametrize(
    ("first", "second"),
    [("上季度的客单价", "那含运费的呢"), ("spend per buyer last month", "and including shipping fees?")],
)  # fmt: skip
def test_a_follow_up_contradicting_a_merchandise_definition_is_asked_back(
    planner: OfflinePlanner, first: str, second: str
) -> None:
    reply = _after(planner, first, second)
    assert not reply.tool_calls
    assert ("运费" in reply.content) or ("shipping" in reply.content)


# 2. A comparison period said apart from the first, words of the question between, is the
#    compare_to in the first one's year; the time range is the first period alone.
@pytest.mark.parametrize(
    ("question", "first", "other"),
    [
        ("revenue for March 2025 - and how does that compare to February?", "March 2025", "February 2025"),
        ("new customers in Q3 2024, how do they stack up against Q2?", "Q3 2024", "Q2 2024"),
    ],
)  # fmt: skip
def test_a_comparison_period_said_apart_is_the_compare_to(
    planner: OfflinePlanner, question: str, first: str, other: str
) -> None:
    args = query_args(planner, question)
    assert args["time_range"] == first and args["compare_to"] == other


# 3. "for each status" is one count per status (the status column grouped), not one count
#    over every status.
@pytest.mark.parametrize(
    "question", ["sql: count orders for every status", "sql: how many orders for each status"]
)
def test_sql_orders_for_each_status_group_by_status(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and "GROUP BY status" in args["sql"]


def test_sql_orders_regardless_of_status_still_count_every_status(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "sql: number of orders in 2025 regardless of status")
    assert tool == "run_sql" and "GROUP BY" not in args["sql"] and "cancelled" in args["sql"]


# 4. An open age band ("under 25", "55岁以上") in a rule segment is the rule's age bound, no
#    filter it cannot hold.
@pytest.mark.parametrize(
    ("question", "bound", "value"),
    [
        ("保存分群 old_email：55岁以上、开通邮件订阅的客户", "min_age", 55),
        ("save a segment called old_sms: customers 55 and over who agreed to SMS", "min_age", 55),
    ],
)  # fmt: skip
def test_an_open_age_band_is_the_rules_age_bound(
    planner: OfflinePlanner, question: str, bound: str, value: int
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment" and args["definition"][bound] == value


# 5. 沉睡 with any people noun is the RFM segment Hibernating (round 13); other states no
#    field records stay asked back.
@pytest.mark.parametrize("question", ["沉睡买家画像", "把沉睡客群导出成短信名单"])
def test_chinese_hibernating_with_any_people_noun_is_the_segment(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert "Hibernating" in str(args)


@pytest.mark.parametrize("question", ["休眠会员有多少人", "how many idle shoppers do we have"])
def test_other_undefined_states_are_still_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    asked_back(planner, question)
