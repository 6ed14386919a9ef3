"""Round 13, kinds of held-out set 13's asked-back cases (engineer wtwod).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. Products bought as a set ("商品组合", "product combos") are the cross-sell rules, of
#    the RFM segment named beside them.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("忠诚客户最爱买哪些产品组合", "Loyal Customers"),
        ("冠军客户经常下单的商品组合", "Champions"),
        ("which product combos do our Loyal Customers favour", "Loyal Customers"),
        ("combinations of products the Champions pick most", "Champions"),
    ],
)  # fmt: skip
def test_products_bought_as_a_set_are_cross_sell_rules(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert args.get("segment") == segment


# Near miss: the revenue of a product combination is no basket-rule question.
def test_a_combination_revenue_is_not_cross_sell(planner: OfflinePlanner) -> None:
    try:
        tool, _ = planned_call(planner, "商品组合的销售额是多少")
    except AssertionError:
        return  # asked back: fine
    assert tool != "cross_sell_rules"


# 2. A segment's customers put "into a file" for a channel are its exported audience.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("get the At Risk customers into a spreadsheet for SMS, opted-in ones only", "At Risk", "sms"),
        ("dump the Champions customers to a csv for push, only those who agreed", "Champions", "push"),
        ("把流失风险客户拉成一个文件发短信，只要同意接收的", "At Risk", "sms"),
        ("把冠军客户放进一个表格用于推送，当然只要同意的", "Champions", "push"),
    ],
)  # fmt: skip
def test_customers_put_into_a_file_are_an_export(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "export_audience"
    assert (args["segment"], args["channel"]) == (segment, channel)


# Near miss: a file with no channel is never exported for a guessed channel. (Round 16: it
# gives the members with their consent flags and no contact data, never a channel's list.)
@pytest.mark.parametrize("question", ["put the Champions customers into a file", "把冠军客户整理成一个表格"])  # fmt: skip
def test_a_file_without_a_channel_guesses_none(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args["segment"]) == ("export_audience", "Champions")
    assert "channel" not in args, args
