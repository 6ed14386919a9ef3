"""Round 7 wave 2 (engineer kinds7b): kinds read from held-out set 7. Every wording here
differs from the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> tuple[str, dict[str, Any]]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


def _args(planner: OfflinePlanner, question: str) -> dict[str, Any]:
    name, args = _call(planner, question)
    assert name == "query_metrics"
    return args


# 1. A distributive word (各/各个/每个) before a dimension's plain noun is a breakdown:
#    "各个营销活动的ROI" is per campaign, not the total.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("每个推广活动带来的归因销售额", "campaign"),
        ("去年各个营销活动的点击率", "campaign"),
        ("每个月份的订单数", "month"),
    ],
)
def test_a_distributive_word_before_a_dimension_noun_breaks_down(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert _args(planner, question).get("dimensions") == [dimension]


def test_a_dimension_noun_alone_is_still_the_total(planner: OfflinePlanner) -> None:
    assert not _args(planner, "营销活动的点击率").get("dimensions")
