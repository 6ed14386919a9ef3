"""Round 11 (engineer repeatpop): counts of repeat buyers of a population, ARPU. Every
wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


def _reply(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, f"answered instead: {message.tool_calls}"
    return message.content


# ARPU is revenue per user of the whole base (buyers or not); MARKETING.md defines none and the
# store has revenue per buyer (ARPPU): asked back naming ARPU and offering revenue per buyer,
# never answered with it (nor with revenue, its metric word alone).
@pytest.mark.parametrize(
    ("question", "word", "offered"),
    [
        ("ARPU for the first quarter?", "ARPU", "Revenue per buyer"),
        ("how did arpu move by channel this year", "arpu", "Revenue per buyer"),
        ("what was the average revenue per user in September", "average revenue per user", "Revenue per buyer"),
        ("今年上半年的ARPU", "ARPU", "人均消费"),
        ("9月份每用户平均收入是多少", "每用户平均收入", "人均消费"),
    ],
)
def test_arpu_is_asked_back_offering_revenue_per_buyer(
    planner: OfflinePlanner, question: str, word: str, offered: str
) -> None:
    reply = _reply(planner, question)
    assert f"“{word}”" in reply and offered in reply


@pytest.mark.parametrize(
    "question", ["ARPPU in September", "average revenue per paying user last quarter", "每位买家平均消费"]
)
def test_revenue_per_buyer_words_still_read_it(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["args"]["metrics"][0] == "revenue_per_buyer"
