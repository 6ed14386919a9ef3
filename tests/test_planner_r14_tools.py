"""Round 14, engineer "tools": the kinds outside query_metrics that the round-14 development
sets showed misread: A/B counts said in Chinese numerals or sent "with version A", and
others below. Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. A/B counts: a Chinese numeral with a unit right after a bare variant letter ("B 三千人")
#    is that variant's number; "N with version B" is how many got version B.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("A 五千人 点击400 B 五千人 点击455 差异显著吗", [(5000, 400), (5000, 455)]),
        ("A 3千人 下单90，B 三千人 下单120", [(3000, 90), (3000, 120)]),
        (
            "we emailed 2400 people with version A and got 96 orders, and 2400 with version B "
            "and got 130 orders - real difference?",
            [(2400, 96), (2400, 130)],
        ),
        (
            "sent 650 w/ variant A, 26 signed up; 650 w/ variant B, 41 signed up",
            [(650, 26), (650, 41)],
        ),
    ],
)
def test_ab_counts_with_chinese_numerals_or_sent_with_a_variant_are_read(
    planner: OfflinePlanner, question: str, counts: list[tuple[int, int]]
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == counts


# 2. A segment's portrait: one persona of a named segment, its typical member, "长啥样", and
#    a segment set aside beside the one asked about ("..., not the X ones").
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("loyal customers persona - gender, age and favourite categories", "Loyal Customers"),
        ("the typical At Risk shopper: which cities, what age?", "At Risk"),
        ("冠军客户一般长什么样 年龄 城市", "Champions"),
        ("profile the need-attention group, not the at risk ones", "Need Attention"),
        ("看看流失风险客户的画像，而不是沉睡客户", "At Risk"),
    ],
)
def test_a_named_segments_portrait_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert planned_call(planner, question) == ("profile_segment", {"segment": segment})


# 3. Grouping shoppers "into a few types / kinds" is the clustering, even with the groups'
#    word quoted.
@pytest.mark.parametrize(
    "question",
    [
        "split our customers into some 'kinds' by their shopping habits and explain each",
        "group buyers into a handful of types and tell me about them",
    ],
)
def test_grouping_shoppers_into_types_is_the_clustering(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"
