"""Round 11 (engineer tools3): tool cues of sets 10 and 11's cross-sell, knowledge, cohort,
A/B and clarification questions. Every wording here is our own, not the sets'."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call as _call


# 1. Cross-sell: items that "land / end up / show up in the same basket" are bought together;
#    "tend to" is a function word (never a typo of "trend"); the item after "same cart as"
#    ends before "most often" / "the most".
@pytest.mark.parametrize(
    "question",
    [
        "Which items tend to end up in the same cart?",
        "what products usually show up inside the same order",
    ],
)
def test_items_landing_in_one_basket_are_cross_sell(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "cross_sell_rules"


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what shows up in the same cart as the yoga mat most often?", "Yoga Mat"),
        ("which product lands in the same order as the Yoga Mat the most", "Yoga Mat"),
    ],
)
def test_the_item_after_same_basket_as_ends_before_most_often(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args["item"]) == ("cross_sell_rules", item)


# 2. Knowledge: words said to be banned after them ("terms we are barred from using",
#    "哪些字眼是禁止使用的") ask the brand guidelines.
@pytest.mark.parametrize(
    "question",
    [
        "which terms are we barred from putting in an ad",
        "Any phrases that are prohibited in our emails?",
        "品牌文案里哪些字眼是禁止使用的",
        "短信里不准出现的说法有哪些",
    ],
)
def test_banned_words_said_after_them_are_a_knowledge_question(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "search_knowledge"


# 3. Cohort: the customers of a first-order month, and how many of them stayed (留下来,
#    stuck around): retention of that cohort.
@pytest.mark.parametrize(
    "question",
    [
        "三月首购的那拨客户，之后几个月留下来了多少",
        "people who first ordered in March: how many stuck around afterwards?",
    ],
)
def test_first_order_cohort_that_stayed_is_retention(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "cohort_retention"


# 4. A/B: a store test named only by what it varied (subject lines: the email test; 推送文案:
#    the push test), and whether its difference is real said in other words (靠得住, a
#    "gap ... really real" far from its noun).
@pytest.mark.parametrize(
    ("question", "channel_word"),
    [
        (
            "Was the click-rate difference between our two tested subject lines in fact genuine?",
            "Email",
        ),
        ("推送文案两个版本的点击率差距可靠吗", "Push"),
    ],
)
def test_a_store_test_named_by_what_it_varied(
    planner: OfflinePlanner, question: str, channel_word: str
) -> None:
    name, args = _call(planner, question)
    assert name == "ab_test"
    assert channel_word in args["campaign"] and "A/B" in args["campaign"]
    assert args["metric"] == "ctr"


# 4b. A channel said outright wins over the one a varied thing implies: "the push test of
#     its subject lines" is the push test, never two channels and no campaign.
def test_a_channel_said_outright_wins_over_what_was_varied(planner: OfflinePlanner) -> None:
    name, args = _call(
        planner, "did the push test of two subject lines give a statistically reliable winner?"
    )
    assert name == "ab_test"
    assert "Push" in args.get("campaign", "")
