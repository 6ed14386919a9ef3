"""Round 11 (engineer s11ab): kinds read from held-out set 11's A/B, send-time and clarify
failures. Every wording here is our own, not the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back as _asked_back
from tests.conftest import planned_call as _call


# 1. "Timing" asked for a segment on a channel is its best send time, not a knowledge search.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("Any timing tips for emailing Champions?", "Champions", "email"),
        ("what's the right timing to reach At Risk customers by SMS", "At Risk", "sms"),
        ("短信推送给流失风险客户的最佳时机", "At Risk", "sms"),
    ],
)
def test_timing_is_a_send_time(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    tool, args = _call(planner, question)
    assert tool == "best_send_time"
    assert args.get("segment") == segment and args.get("channel") == channel


# 2. A sample size asked without a baseline rate or a change to detect is asked back (naming
#    the baseline), never answered with the store's A/B test results.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("What sample size do I need for a split test on checkout?", "baseline"),
        ("Figure out the sample size for our next A/B experiment", "baseline"),
        ("帮我算一下AB测试要多少样本量", "基线"),
    ],
)
def test_sample_size_without_rates_asks_for_the_baseline(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in _asked_back(planner, question)


def test_sample_size_of_a_named_store_test_stays_its_result(planner: OfflinePlanner) -> None:
    tool, args = _call(planner, "Was the sample size of the Double 11 push A/B test big enough?")
    assert tool == "ab_test" and args["campaign"] == "Double 11 2025 - Push A/B"


# 3. Typed counts: a Chinese count word joined to the next number names that number
#    ("曝光5000次转化150": 5000 exposures, 150 conversions), and "the variant" opposite
#    "the control" is a variant.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "小红书测试：A组曝光8000次点击320，B组8000次点击365，显著吗",
            [("A", 8000, 320), ("B", 8000, 365)],
        ),
        (
            "短信测试，A组发送6000条转化90，B组发送6000条转化120，有差别吗",
            [("A", 6000, 90), ("B", 6000, 120)],
        ),
        # A one-character people word after a number is its unit, not a label of the next
        # number: 30 people, 3 of them bought.
        (
            "A组30人3人购买，B组32人9人购买，显著吗",
            [("A", 30, 3), ("B", 32, 9)],
        ),
        (
            "The control was mailed to 3,000 people with 90 sales, the variant went to 3,100 "
            "and got 120. Did it win?",
            [("control", 3000, 90), ("variant", 3100, 120)],
        ),
    ],
)
def test_typed_counts_read_by_their_words(
    planner: OfflinePlanner, question: str, counts: list[tuple[str, int, int]]
) -> None:
    tool, args = _call(planner, question)
    assert tool == "ab_test"
    assert [(c["variant"], c["trials"], c["events"]) for c in args["counts"]] == counts
