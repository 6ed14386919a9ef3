"""Round 10 (engineer devtools2): kinds read from development set 10d's analysis-tool
questions. Every wording here is our own, not the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> tuple[str, dict[str, Any]]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


# 1. Cross-sell: "in the same cart as X" names the item after "as"; a dash or colon ends
#    the item of "people who buy X"; a category named with a generic noun ("baby
#    products") is the category; 顺带/顺手/捎带 + a verb of taking is "also buy".
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what lands in the same cart as the Yoga Mat?", "Yoga Mat"),
        ("what gets bought in the same order as skincare items last quarter?", "skincare"),
        ("customers who bought a Yoga Mat: what else did they pick up?", "Yoga Mat"),
        ("shoppers who purchase the Yoga Mat – what else goes in?", "Yoga Mat"),
        ("买护肤品的顾客通常还顺手带点啥", "skincare"),
        ("买母婴用品的人一般还捎带着买什么", "baby"),
    ],
)
def test_cross_sell_item_wordings(planner: OfflinePlanner, question: str, item: str) -> None:
    name, args = _call(planner, question)
    assert (name, args["item"]) == ("cross_sell_rules", item)


# 2. Knowledge: words that may not be used, said with a negated verb or "off-limits",
#    ask the compliance rules, not the data.
@pytest.mark.parametrize(
    "question",
    [
        "which terms can't we put in a product description?",
        "list the off-limits words for our ads",
        "any claims the platform will not let us print on the banner?",
    ],
)
def test_words_not_allowed_ask_the_knowledge_base(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "search_knowledge"


# 3. Typed A/B counts: two-digit English number words ("twelve", "twenty-two") are counts;
#    甲/乙 name variants A/B; 发出/投放/发了 give a size.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "variant A: twelve orders from three hundred visitors; variant B: twenty-two "
            "orders from three hundred and five visitors. significant?",
            [(300, 12), (305, 22)],
        ),
        ("甲组发出1200条，下单36；乙组发出1180条，下单52，差别显著吗", [(1200, 36), (1180, 52)]),
        (
            "方案甲投放两千人转化八十，方案乙投放两千人转化一百一十，乙更好吗？",
            [(2000, 80), (2000, 110)],
        ),
    ],
)
def test_typed_counts_in_words_and_stem_names(
    planner: OfflinePlanner, question: str, counts: list[tuple[int, int]]
) -> None:
    name, args = _call(planner, question)
    assert name == "ab_test"
    assert [(c["variant"], c["trials"], c["events"]) for c in args["counts"]] == [
        ("A", *counts[0]),
        ("B", *counts[1]),
    ]


# 4. A/B verdict: "statistically reliable", "a real winner" ask for the test like
#    "significant"; a channel's one A/B campaign is named by the channel alone.
@pytest.mark.parametrize(
    "question",
    ["is the push subject-line test statistically reliable?", "did the push experiment produce a real winner?"],
)
def test_verdict_wordings_test_the_channels_campaign(planner: OfflinePlanner, question: str) -> None:
    name, args = _call(planner, question)
    assert name == "ab_test"
    assert "push" in args.get("campaign", "").lower()


# 5. Sample size: "what sample / audience size would we need" with a baseline and a change
#    plans a test, though a rate is named.
@pytest.mark.parametrize(
    ("question", "baseline"),
    [
        ("click rate is 5% today. what sample do we need to notice a 1pt gain?", 0.05),
        ("conversion is 3% now; what audience size would we need to spot a 10% relative gain?", 0.03),
    ],
)
def test_what_sample_would_we_need_plans_a_test(
    planner: OfflinePlanner, question: str, baseline: float
) -> None:
    name, args = _call(planner, question)
    assert (name, args["baseline_rate"]) == ("ab_sample_size", baseline)


# 6. Cohort: new customers coming back in their Nth month (第N个月回来/回购) is retention by
#    cohort; 按首购月份看 groups by the first-purchase month.
@pytest.mark.parametrize(
    "question",
    ["每批新客在第三个月还会回来下单的比例", "新客户第二个月回购的比例，按首购月份看"],
)
def test_new_customers_back_in_their_nth_month_is_retention(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "cohort_retention"
