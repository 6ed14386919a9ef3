"""Round 10, kinds of development set 10d left after the first pass (English metric
questions asked back). Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. Everyday names of a metric a marketer uses: pieces / items that "moved" or "went out"
#    (出了多少件) are units sold; the ticket / basket value or size is the AOV; the lifetime
#    spend of customers is the average LTV.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many pieces went out in August on web", "units"),
        ("items moved last month", "units"),
        ("9月app出了多少件", "units"),
        ("average ticket size by channel this year", "aov"),
        ("avg basket value last month", "aov"),
        ("上个月的平均交易额", "aov"),
        ("average lifetime spend of customers who first bought in Q1", "average_ltv"),
        ("2025年新客的人均终身消费", "average_ltv"),
    ],
)
def test_everyday_metric_names(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# 2. A hyphen between two words is their space for the store's values: "text-message" is
#    the sms channel's "text message", "mini-program" the mini program.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("unsubscribe rate of our text-message sends last year", "sms"),
        ("open rate of text-messages in 2025", "sms"),
        ("orders on the mini-program last month", "mini_program"),
    ],
)
def test_a_hyphen_joins_the_words_of_a_value(planner: OfflinePlanner, question: str, channel: str) -> None:
    assert _args(planner, question)["filters"] == {"channel": [channel]}


# 4. An ordinal in digits ("2nd", "3rd") is a number, never a leftover word "nd"; buying
#    "a second time" (第二次购买) is buying again: the repurchase rate.
@pytest.mark.parametrize(
    "question",
    [
        "what share of last quarter's customers ordered a 2nd time",
        "what percentage of Q3 customers made a second purchase",
        "上季度有多少比例的客户第二次购买",
    ],
)
def test_buying_a_second_time_is_the_repurchase_rate(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["repurchase_rate"]


def test_a_digit_ordinal_is_no_unknown_word() -> None:
    from copilot.offline.vocabulary import unplaced_words
    from knowledge.semantic import load_semantic_model

    assert unplaced_words("the 2nd and the 3rd", load_semantic_model()) == []



# 5. The previous equal window named in words ("vs the seven days before", "against the 2
#    weeks prior to that"): a comparison with the period just before, never dropped.
@pytest.mark.parametrize(
    "question",
    [
        "orders in the last 30 days vs the 30 days before",
        "revenue in the last 2 weeks against the 2 weeks prior to that",
    ],
)
def test_the_n_days_before_is_the_previous_period(planner: OfflinePlanner, question: str) -> None:
    found = find_period(_args(planner, question)["time_range"], AS_OF)
    assert found is not None and found.compare_to is not None
    assert found.compare_to.end < found.range.start


# 6. A question back after a typo was read names the typo as written: the word to fix.
def test_a_question_back_names_the_typo_read(planner: OfflinePlanner) -> None:
    message = planner._plan("show the retrun per channel in September", [])
    assert not message.tool_calls
    assert "retrun" in message.content
