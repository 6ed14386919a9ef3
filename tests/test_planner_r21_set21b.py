"""Round 21, kinds of the different answers on set 21b once it had been measured unseen at
the round's start and end (our own wordings, with near-misses):

- a bracket without a year after a one-year period holds months of that year: "FY2025
  (Jan-Dec)" is 2025 (it had read Jan-Dec of the latest year, 2026); a bracket holding
  fewer months of it ("2025 (Jan-Jun)") is asked about; a relative bracket still restates
  ("上个月（近30天）" is the last 30 days);
- a store value and nothing else ("Ningbo?") after a figure swaps that value in;
- a change said as a fraction ("a fifth better") is that relative effect for a sample size.
"""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("FY2025 (Jan-Dec) gross sales", "FY2025"),
        ("2025年（1-12月）销售额", "2025年"),
        ("Q3 2025 (Jul-Sep) revenue", "Q3 2025"),
        ("上个月（近30天）销售额", "近30天"),
        ("last week-ish (past 7 days) revenue", "past 7 days"),
    ],
)
def test_a_bracket_restating_months_of_the_periods_year(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["time_range"] == time_range


def test_a_bracket_of_fewer_months_reads_them_in_the_year(planner: OfflinePlanner) -> None:
    # (round 22: the months in the bracket, of the year said before it; was asked back)
    name, args = last_call(planner, ["2025 (Jan-Jun) revenue"])
    assert name == "query_metrics"
    assert args["time_range"] == "Jan-Jun 2025"


@pytest.mark.parametrize(
    ("follow_up", "dimension", "value"),
    [("Ningbo?", "city", "宁波"), ("and web?", "channel", "web")],
)
def test_a_value_alone_after_a_figure_swaps_it_in(
    planner: OfflinePlanner, follow_up: str, dimension: str, value: str
) -> None:
    name, args = last_call(planner, ["Hangzhou AOV in Sept", follow_up])
    assert name == "query_metrics"
    assert args["metrics"] == ["aov"]
    assert value in args["filters"][dimension]


@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        (
            "SMS conv is 0.013 for us. smallest change worth acting on = a fifth better "
            "(relative). n per variant at the usual 95/80?",
            0.013,
            0.2,
        ),
        (
            "baseline 3%, want to detect a quarter higher conversion, sample size per group?",
            0.03,
            0.25,
        ),
    ],
)
def test_a_fraction_better_is_a_relative_effect(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    name, args = last_call(planner, [question])
    assert name == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(baseline)
    assert args["minimum_detectable_effect"] == pytest.approx(effect)


@pytest.mark.parametrize(
    ("first", "follow_up"),
    [
        (
            "FY2025 (Jan-Dec) gross sales, merchandise only",
            "ok now take the returns off that - what's left?",
        ),
        ("上个月的GMV", "扣除退货后是多少？"),
    ],
)
def test_returns_taken_off_the_gross_figure_is_net_sales(
    planner: OfflinePlanner, first: str, follow_up: str
) -> None:
    name, args = last_call(planner, [first, follow_up])
    assert name == "query_metrics"
    assert args["metrics"] == ["revenue"]


def test_the_returns_asked_after_gross_stay_the_returns(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["last month's gross sales", "and the returns?"])
    assert name == "query_metrics"
    assert args["metrics"] == ["returns"]
