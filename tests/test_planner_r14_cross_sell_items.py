"""Round 14, cross-sell items read with words glued to them: a frequency adverb between the
item and 跟/和 ("手机壳通常跟什么一起买") and a buyer in the progressive ("if a customer is
buying X"). Our own wordings."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("扫地机器人往往和哪些商品一起下单", "Robot Vacuum"),
        ("瑜伽垫平时跟什么一起买", "Yoga Mat"),
        (
            "if a customer is purchasing the Robot Vacuum, what could we recommend to them?",
            "Robot Vacuum",
        ),
        ("if somebody's ordering the Yoga Mat, what do we suggest alongside?", "Yoga Mat"),
    ],
)
def test_cross_sell_item_without_glued_words(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules" and args["item"] == item
