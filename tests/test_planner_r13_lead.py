"""Round 13, lead: a cross-sell question for a group of customers the rules cannot be narrowed
to is asked back naming the group, never answered for all customers (our own wordings)."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


@pytest.mark.parametrize(
    ("question", "group"),
    [
        ("黄金会员平时都爱一起买哪些东西", "黄金会员"),
        ("高消费人群常一起下单的商品组合", "高消费人群"),
        ("which products do gold-tier members buy together?", "gold-tier members"),
    ],
)
def test_an_unknown_group_is_asked_back(planner: OfflinePlanner, question: str, group: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert group in message.content


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("忠诚客户平时一起买什么", {"segment": "Loyal Customers"}),
        ("what do all our customers buy together?", {}),
        ("哪些商品经常被一起购买", {}),
    ],
)
def test_segments_and_everyone_still_answer(
    planner: OfflinePlanner, question: str, args: dict
) -> None:
    message = planner._plan(question, [])
    assert [c["name"] for c in message.tool_calls] == ["cross_sell_rules"]
    for key, value in args.items():
        assert message.tool_calls[0]["args"][key] == value
