"""Round 20, follow-ups that change one thing and carry the rest: an event pointed back at
with another year ("2023年那次的呢", "that campaign in 2024") is the same campaign's run in that
year; "if we only count X" and "换成只看X" narrow the figure shown (no new metric, no new
segment); months listed to split a period into ("break it into Apr, May, Jun") are rows of
the period shown, not a new period. Wordings are our own; near-misses keep their reading."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


# 1. An event pointed back at, in another year: the same campaign of that year.
@pytest.mark.parametrize(
    "follow_up",
    ["2024年那次的ROAS呢", "2024年那场的看一下", "and that campaign in 2024?"],
)
def test_event_pointed_back_in_another_year(planner: OfflinePlanner, follow_up: str) -> None:
    name, args = last_call(planner, ["去年双11社交广告的ROAS多少", follow_up])
    assert name == "query_metrics"
    assert args["filters"]["campaign"] == ["Double 11 2024 - Social Ads"]
    assert args["metrics"] == ["roas"]


def test_year_alone_without_pointer_after_store_figure(planner: OfflinePlanner) -> None:
    # no campaign shown: a year is only a period, never a campaign
    name, args = last_call(planner, ["去年的ROAS多少", "2024年的呢"])
    assert name == "query_metrics"
    assert "campaign" not in (args.get("filters") or {})


# 2. "if we only count X" / "换成只看X": the figure shown, narrowed.
@pytest.mark.parametrize(
    ("first", "follow_up", "metric", "dimension", "value"),
    [
        ("average order value per city in Q2", "and if we only count orders made on the web?",
         "aov", "channel", "web"),
        ("AOV by channel last quarter", "what if we just include women?", "aov", "gender", "F"),
        ("今年各渠道的订单数", "换成只看男性顾客", "orders", "gender", "M"),
        ("上个月各城市的销售额", "改成只算小程序的", "revenue", "channel", "mini_program"),
    ],
)
def test_narrowing_keeps_the_figure(
    planner: OfflinePlanner, first: str, follow_up: str, metric: str, dimension: str, value: str
) -> None:
    name, args = last_call(planner, [first, follow_up])
    assert name == "query_metrics"
    assert args["metrics"] == [metric]
    assert args["filters"][dimension] == [value]
    assert args.get("dimensions")


def test_metric_swap_still_swaps(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["AOV by city in Q2", "what about orders instead?"])
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"]


# 3. Months listed to split the period shown into.
@pytest.mark.parametrize(
    "follow_up",
    ["could you break it into Apr, May, Jun?", "split that into April, May and June"],
)
def test_months_listed_split_the_period(planner: OfflinePlanner, follow_up: str) -> None:
    name, args = last_call(planner, ["web revenue in Q2 2026", follow_up])
    assert name == "query_metrics"
    assert args["dimensions"] == ["month"]
    assert args["time_range"] == "Q2 2026"
    assert args["filters"]["channel"] == ["web"]


def test_part_of_the_months_is_that_part(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["web revenue in Q2 2026", "split out April and May"])
    assert name == "query_metrics"
    assert args["dimensions"] == ["month"]
    assert args["time_range"] == "2026-04-01 to 2026-05-31"


def test_month_named_alone_is_still_a_new_period(planner: OfflinePlanner) -> None:
    # no list and no splitting verb: the month in place of the quarter
    name, args = last_call(planner, ["web revenue in Q2 2026", "and in July?"])
    assert name == "query_metrics"
    assert "dimensions" not in args
    assert "July" in args["time_range"] or "7" in args["time_range"]


def test_split_with_more_asked_reads_on(planner: OfflinePlanner) -> None:
    # a metric and another grain beside the months: not a bare split of the figure shown
    name, args = last_call(planner, ["web revenue in Q2 2026", "what about orders per day in Apr and May"])
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"]
    assert args.get("dimensions") != ["month"]
