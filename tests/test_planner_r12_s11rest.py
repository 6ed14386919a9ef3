"""Round 12, kinds of set 11's remaining questions back (engineer s11rest). Every wording
here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. "but" joining a filter to the figure asked ("June orders, but only from customers in
#    Chengdu"): a connective, not a word to ask about.
@pytest.mark.parametrize(
    ("question", "city"),
    [
        ("June orders, but only from customers living in Chengdu", "成都"),
        ("AOV last quarter but just for Wuhan shoppers", "武汉"),
    ],
)  # fmt: skip
def test_but_before_a_filter_is_a_connective(
    planner: OfflinePlanner, question: str, city: str
) -> None:
    args = query_args(planner, question)
    assert args["filters"] == {"city": [city]}


# 2. The money handed back on goods that came back is the returns (an amount), not revenue.
@pytest.mark.parametrize(
    "question",
    [
        "how much did we hand back for returned items in September?",
        "what was the money back on returned merchandise last month",
    ],
)  # fmt: skip
def test_money_handed_back_on_returned_goods_is_returns(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["returns"]


# 3. A campaign called a "blast" or "mailing" after "each": one row per campaign, the channel
#    said between them kept as the filter.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("click-through rate of every email blast", "email"),
        ("conversion rate for each push mailing", "push"),
    ],
)  # fmt: skip
def test_each_blast_is_a_breakdown_by_campaign(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["campaign"]
    assert args["filters"] == {"channel": [channel]}


# 4. A campaign pointed at on the first question and described by words no store campaign
#    is called ("星空促销那个活动", no Chinese alias of any campaign name): the question back
#    names those words and lists the store's campaigns; words of several campaigns' names
#    ("Win-back那个活动": 2025 and 2026) list those. Never one campaign guessed.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("春季焕新那个活动的点击率", "春季焕新"),
        ("周年庆的那场活动转化率多少", "周年庆"),
    ],
)  # fmt: skip
def test_a_pointed_campaign_described_by_unknown_words_names_them(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    reply = asked_back(planner, question)
    assert named in reply
    assert "618 2025 - Email" in reply  # the store's campaigns offered


def test_a_pointed_campaign_named_by_words_of_several_lists_them(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "Win-back那个活动的点击率是多少")
    assert "Win-back 2025 - Email" in reply and "Win-back 2026 - Email" in reply


def test_a_campaign_only_pointed_at_is_still_asked_which(planner: OfflinePlanner) -> None:
    assert "this campaign" in asked_back(planner, "what was the ROI of this campaign?")
