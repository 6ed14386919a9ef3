"""Round 21: a ranking verb with no N ranks the thing it names, as a top N does ("rank
campaigns by ROI", "活动按ROAS从高到低排", "按ROI给活动排个序"): one row per campaign, never the
store-wide figure (round 20's development sets answered that one number). And a change
measured from a period ("Q3 revenue and how it moved from Q2") compares with that period,
never drops it. Wordings are our own; near-misses keep their reading."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("rank campaigns by ROI", "roi"),
        ("could you sort our email campaigns on open rate?", "open_rate"),
        ("campaigns ranked by ROAS, last year", "roas"),
        ("compare the campaigns on conversion rate", "conversion_rate"),
        ("活动按ROAS从高到低排", "roas"),
        ("按ROI给活动排个序", "roi"),
        ("去年的活动按点击率排名", "ctr"),
    ],
)
def test_ranking_verb_ranks_the_campaigns(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["metrics"] == [metric]
    assert args["dimensions"] == ["campaign"]


@pytest.mark.parametrize(
    "question",
    ["ROI of all campaigns combined last year", "campaign revenue last month", "活动的总ROI是多少"],
)
def test_campaign_totals_stay_one_figure(planner: OfflinePlanner, question: str) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert "campaign" not in (args.get("dimensions") or [])


@pytest.mark.parametrize(
    "question",
    [
        "Q3 revenue and how it moved from Q2",
        "Q3 revenue, and how did it change from Q2?",
        "orders in September - how did that change from August?",
    ],
)
def test_a_change_from_a_period_compares_with_it(planner: OfflinePlanner, question: str) -> None:
    from copilot.offline.clock import planner_today
    from knowledge.time_ranges import find_period

    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    found = find_period(question, planner_today())
    assert found is not None and found.compare_to is not None
    assert found.compare_to.end < found.range.start


def test_a_period_from_to_stays_a_range(planner: OfflinePlanner) -> None:
    from copilot.offline.clock import planner_today
    from knowledge.time_ranges import find_period

    found = find_period("revenue from Q2 to Q3", planner_today())
    assert found is not None and found.compare_to is None
