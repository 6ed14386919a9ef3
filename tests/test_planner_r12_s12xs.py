"""Round 12, set 12's cross-sell and A/B questions (engineer "s12xs").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A pronoun ("it", "它") is never an item: the item the question names elsewhere is, or
#    the planner asks which item is meant.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what do makeup shoppers usually grab alongside it?", "makeup"),
        ("which things do our baby buyers throw in with it", "baby"),
    ],
)
def test_a_pronoun_item_is_the_item_named_in_the_question(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert args["item"].lower().startswith(item), args


@pytest.mark.parametrize(
    "question", ["what do people tend to pick up alongside it?", "顾客一般和它一起买什么"]
)
def test_a_pronoun_item_with_nothing_named_is_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    reply = asked_back(planner, question)
    assert "它" in reply or "“it”" in reply, reply


# 2. Things that "appear / turn up together" in baskets, and "basket affinity", are cross-sell.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what items turn up together in Loyal Customers' orders?", {"segment": "Loyal Customers"}),
        ("basket affinity between categories in 2025", {"level": "category"}),
        ("哪几样东西总是一起出现在购物车里", {}),
        ("按品类看购物篮的关联度", {"level": "category"}),
    ],
)
def test_together_in_baskets_and_affinity_are_cross_sell(
    planner: OfflinePlanner, question: str, expected: dict
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert expected.items() <= args.items(), args


# 3. "the link / association between X and Y" beside "lift" is that pair's lift.
@pytest.mark.parametrize(
    "question",
    [
        "what's the association between makeup and skincare orders — lift please",
        "how tight is the connection between skincare and makeup buys, as lift?",
    ],
)
def test_a_link_between_two_items_with_lift_is_their_pair(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert {args["item"].lower()[:4], args["paired_with"].lower()[:4]} == {"make", "skin"}, args


# 4. A campaign named by its id with its two versions compared is that campaign's A/B test.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("对比一下CMP007两个版本的点击率", "ctr"),
        ("compare the click rates of the two versions of CMP007", "ctr"),
    ],
)
def test_two_versions_of_a_campaign_id_compared_are_its_test(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    tool, args = planned_call(planner, question)
    # (round 17 reads an id as the store's campaign of that id, CMP007: its name is passed on)
    assert (tool, args.get("campaign"), args.get("metric")) == (
        "ab_test",
        "Double 11 2025 - Push A/B",
        metric,
    )
