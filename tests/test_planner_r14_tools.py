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
