"""Rates in sample-size questions: the baseline and the target are never swapped."""

from __future__ import annotations

import pytest

from copilot.offline.numbers import RateChange, read_rate_change


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many users do I need to detect a 15% relative uplift over a 2% baseline?",
            RateChange(baseline=0.02, relative_effect=0.15),
        ),
        (
            "Our open rate is 18%. How many recipients per variant to detect a drop to 15%?",
            RateChange(baseline=0.18, target=0.15),
        ),
        ("detect a change from 18% to 15%", RateChange(baseline=0.18, target=0.15)),
        ("baseline 0.18, target 0.15", RateChange(baseline=0.18, target=0.15)),
        (
            "Sample size for baseline CTR 4%, MDE 10% relative, 80% power, alpha 0.05",
            RateChange(baseline=0.04, relative_effect=0.10),
        ),
        (
            "打开率想从18%提到20%，功效80%，显著性水平5%，每组多少人",
            RateChange(baseline=0.18, target=0.20),
        ),
    ],
)
def test_baseline_and_change(question: str, expected: RateChange) -> None:
    got = read_rate_change(question)
    assert got is not None
    assert got.baseline == pytest.approx(expected.baseline)
    assert (got.target is None) == (expected.target is None)
    if expected.target is not None:
        assert got.target == pytest.approx(expected.target)
    if expected.relative_effect is not None:
        assert got.relative_effect == pytest.approx(expected.relative_effect)


def test_points_are_an_absolute_change() -> None:
    got = read_rate_change("we convert at 3.5%. want to detect +0.5pp")
    assert got is not None and got.target == pytest.approx(0.04)
    got = read_rate_change("基线转化率5%，想检测到1个百分点的提升")
    assert got is not None and got.absolute_effect == pytest.approx(0.01)


def test_no_baseline_means_no_reading() -> None:
    assert read_rate_change("how many users do I need for an A/B test?") is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many users do I need to detect a 10% lift on a 3% conversion rate?",
         RateChange(baseline=0.03, relative_effect=0.10)),
        ("our conversion is 3%, how many users to detect a 10% lift?",
         RateChange(baseline=0.03, relative_effect=0.10)),
        ("how many users for a 5% lift on 4% CTR", RateChange(baseline=0.04, relative_effect=0.05)),
        ("how many users per variant do I need to detect a lift from 2% to 2.5% conversion?",
         RateChange(baseline=0.02, target=0.025)),
        ("转化率3%，想检测10%的提升需要多少样本", RateChange(baseline=0.03, relative_effect=0.10)),
    ],
)  # fmt: skip
def test_a_rate_right_before_a_lift_word_is_the_effect(question: str, expected: RateChange) -> None:
    assert read_rate_change(question) == expected


def test_tenths_before_a_change_word_are_a_rate() -> None:
    # 成 counts tenths ("三成" = 30%) before a word of change; 成都 / 成交 are no rates.
    change = read_rate_change("目前点击率3%，想检测三成的相对提升，样本量需要多少")
    assert change == RateChange(baseline=0.03, target=None, relative_effect=0.3)
    assert read_rate_change("成都的成交率3%，想检测提升到4%") == RateChange(
        baseline=0.03, target=0.04, relative_effect=None
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Rates written in words ("fifteen percent", "百分之八") are read like "15%", "8%".
        (
            "Click rate is about fifteen percent; how many per variant to catch a ten percent "
            "relative lift?",
            RateChange(baseline=0.15, relative_effect=0.10),
        ),
        (
            "点击率大约百分之八，想检测出百分之十的相对提升，每组需要多少人",
            RateChange(baseline=0.08, relative_effect=0.10),
        ),
        ("基线百分之二点五，想看出三成的相对提升", RateChange(baseline=0.025, relative_effect=0.3)),
        (
            "baseline twenty-five per cent, detect a 10% relative lift",
            RateChange(baseline=0.25, relative_effect=0.10),
        ),
    ],
)
def test_rates_in_words(question: str, expected: RateChange) -> None:
    assert read_rate_change(question) == expected


def test_power_in_words() -> None:
    from copilot.offline.numbers import read_test_settings

    assert read_test_settings("with ninety percent power").power == 0.9
