"""Round 14, A/B questions read as another question or asked back though they can be read:
a size per variant asked as the "minimum audience" (sample size, not the store's test), a
variant's events given as a rate of its size ("820人点击率10%"), and variants named as
offers ("25 got offer A"). Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


# 1. "minimum / smallest audience per-variant to detect +Npp": a sample size, absolute change.
@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        ("ctr is about 3%; smallest per-arm audience to spot a +1pp move?", 0.03, 0.01),
        ("conversion at 10% - minimum sample per-group to detect +2 points", 0.10, 0.02),
    ],
)
def test_minimum_audience_per_variant_is_a_sample_size(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(baseline)
    assert args["minimum_detectable_effect"] == pytest.approx(effect)
    assert args["relative"] is False


# 2. A variant's rate beside its size: the rate is no event count of that size.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("A组400人点击率是5%，B组500人点击了30个", [(400, 20), (500, 30)]),
        ("邮件测试：A组1000人打开率20%，B组1000人打开了230个", [(1000, 200), (1000, 230)]),
    ],
)
def test_rate_beside_a_size_gives_the_events(question: str, counts: list[tuple[int, int]]) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and typed.problem is None
    assert [(c["trials"], c["events"]) for c in typed.counts] == counts


# 3. Variants named as offers, their size said before the name: an A/B test on typed counts.
def test_offers_named_by_letter_are_variants(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "quick pilot: 40 got offer A and 3 bought, 38 got offer B and 9 bought - real?"
    )
    assert tool == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == [(40, 3), (38, 9)]


def test_offer_followed_by_an_article_is_no_variant() -> None:
    assert read_typed_counts("we offer a 10% discount to 500 users and 20 bought") is None
