"""Round 11 (engineer repeatpop): counts of repeat buyers of a population, ARPU. Every
wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


# ARPU is read as revenue per buyer (round 14: marketers say ARPU of a period's paying
# customers); the answer names the metric computed, with its two parts beside it.
@pytest.mark.parametrize(
    "question",
    [
        "ARPU for the first quarter?",
        "how did arpu move by channel this year",
        "what was the average revenue per user in September",
        "今年上半年的ARPU",
        "9月份每用户平均收入是多少",
    ],
)
def test_arpu_is_read_as_revenue_per_buyer(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    assert message.tool_calls[0]["args"]["metrics"][0] == "revenue_per_buyer"


@pytest.mark.parametrize(
    "question", ["ARPPU in September", "average revenue per paying user last quarter", "每位买家平均消费"]
)
def test_revenue_per_buyer_words_still_read_it(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["args"]["metrics"][0] == "revenue_per_buyer"
