"""Round 10, kinds of development set 10d left after the first pass (English metric
questions asked back). Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

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
