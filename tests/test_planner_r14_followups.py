"""Round 14 wave 1, follow-up kinds (engineer followups). Every wording here is our own;
none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call

PUSH_TEST = "Double 11 2025 - Push A/B"


# 1. A significance question after a campaign's A/B test keeps that test: its campaign and
#    its rate, never the store's default test of another rate.
@pytest.mark.parametrize(
    "second",
    ["so was that difference down to chance?", "is the B-A gap a fluke or real", "这个差异显著吗"],
)
def test_significance_after_a_campaign_test_keeps_campaign_and_rate(
    planner: OfflinePlanner, second: str
) -> None:
    name, args = last_call(planner, [f"click-through rate of the {PUSH_TEST} test", second])
    assert name == "ab_test"
    assert args == {"campaign": PUSH_TEST, "metric": "ctr"}


def test_chance_words_after_variant_rates_test_those_rates(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, [f"{PUSH_TEST}: ctr per variant", "could that gap just be luck?"]
    )
    assert name == "ab_test"
    assert args == {"campaign": PUSH_TEST, "metric": "ctr"}


# 2. A bare breakdown verb ("split by X", "break it down per Y") is a breakdown follow-up.
@pytest.mark.parametrize(
    ("turns", "dimension"),
    [
        (["orders in 2025", "break down by city"], "city"),
        (["refund amount in 2025", "and split by channel"], "channel"),
    ],
)
def test_a_bare_breakdown_verb_splits_the_previous_figure(
    planner: OfflinePlanner, turns: list[str], dimension: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["dimensions"] == [dimension]
    assert args["time_range"] == "2025"


# 3. Values given as examples of a breakdown's rows filter nothing.
@pytest.mark.parametrize(
    ("turns", "dimension"),
    [
        (["refund amount last year", "now per channel (app, web and so on)"], "channel"),
        (["上个月各城市销售额", "按品类看（比如护肤、母婴）"], "category"),
    ],
)
def test_example_values_of_a_breakdown_filter_nothing(
    planner: OfflinePlanner, turns: list[str], dimension: str
) -> None:
    _, args = last_call(planner, turns)
    assert args["dimensions"] == [dimension]
    assert not (args.get("filters") or {}).get(dimension)


# 4. "加上按月拆" / "add a split by month": the breakdown joins the one shown.
@pytest.mark.parametrize(
    "turns",
    [
        ["上季度各城市的销售额", "再加上按月份拆"],
        ["revenue per city last quarter", "add a split by month"],
    ],
)
def test_an_added_breakdown_keeps_the_one_shown(planner: OfflinePlanner, turns: list[str]) -> None:
    _, args = last_call(planner, turns)
    assert args["dimensions"] == ["city", "month"]


# 5. "筛一下，只留…" / "keep only …": a filter on the previous query, not a new segment.
@pytest.mark.parametrize(
    ("turns", "gender"),
    [
        (["今年各渠道的订单数", "筛选一下，只保留男性客户"], "M"),
        (["revenue by city this year", "ok keep only the women"], "F"),
    ],
)
def test_keeping_only_some_customers_narrows_the_query(
    planner: OfflinePlanner, turns: list[str], gender: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["filters"] == {"gender": [gender]}
    assert args.get("dimensions")
    assert args.get("time_range")


# 6. "swap that for X" / "换成X": X in place of the metric, the rest kept.
@pytest.mark.parametrize(
    ("turns", "metrics"),
    [
        (["ROI by channel this year", "swap that for CTR"], ["ctr"]),
        (["refund rate per category in 2025", "switch to the refund amount instead"], ["returns"]),
        (["今年各城市的订单数", "换成人均消费"], ["revenue_per_buyer", "revenue", "buyers"]),
    ],
)
def test_a_swapped_metric_keeps_breakdown_and_period(
    planner: OfflinePlanner, turns: list[str], metrics: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == metrics
    assert args.get("dimensions")
    assert args.get("time_range")


# 7. Only the kind of figure named ("the rate instead", "金额呢", "as a rate?"): the rate
#    or money of the same thing.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["returns amount in 2025", "by category", "make it the rate this time"], "return_rate"),
        (["近30天退货单数", "按渠道拆", "那金额呢"], "returns"),
        (["how many churned customers last quarter", "as a rate?"], "churn_rate"),
    ],
)
def test_the_kind_of_figure_named_is_of_the_same_thing(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    _, args = last_call(planner, turns)
    assert args["metrics"] == [metric]


def test_a_rate_of_a_figure_without_one_is_not_made_up(planner: OfflinePlanner) -> None:
    name, _ = last_call(planner, ["revenue last month", "as a percentage"])
    assert name is None


# 8. A channel said as where customers signed up is a signup channel in a follow-up too.
@pytest.mark.parametrize(
    ("turns", "channel"),
    [
        (["new customers in Q3", "and of them, how many registered in the app?"], "app"),
        (["今年的新客数", "其中通过小程序注册的有多少"], "mini_program"),
    ],
)
def test_a_signup_channel_in_a_follow_up(
    planner: OfflinePlanner, turns: list[str], channel: str
) -> None:
    _, args = last_call(planner, turns)
    assert args["metrics"] == ["new_customers"]
    assert args["filters"] == {"signup_channel": [channel]}


# 9. A count noun right after the value kept says whose figure it is.
@pytest.mark.parametrize(
    ("turns", "channel"),
    [
        (["aov last quarter", "ok and just app orders?"], "app"),
        (["上季度客单价", "只看小程序订单"], "mini_program"),
    ],
)
def test_a_count_noun_after_the_value_kept_keeps_the_metric(
    planner: OfflinePlanner, turns: list[str], channel: str
) -> None:
    _, args = last_call(planner, turns)
    assert args["metrics"] == ["aov"]
    assert args["filters"] == {"channel": [channel]}


def test_a_count_asked_beside_the_value_still_swaps(planner: OfflinePlanner) -> None:
    _, args = last_call(planner, ["revenue last quarter", "just app, and the orders"])
    assert args["metrics"] == ["orders"]


# 10. An export naming no segment right after one segment's profile exports that segment.
@pytest.mark.parametrize(
    ("turns", "segment", "channel"),
    [
        (["Champions的画像", "导出来 发短信用"], "Champions", "sms"),
        (["profile the At Risk customers", "export for email"], "At Risk", "email"),
    ],
)
def test_an_export_after_a_profile_is_of_that_segment(
    planner: OfflinePlanner, turns: list[str], segment: str, channel: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "export_audience"
    assert args == {"segment": segment, "channel": channel}


def test_an_export_after_a_metric_is_not_a_metric_filter(planner: OfflinePlanner) -> None:
    name, _ = last_call(planner, ["revenue last month", "export the sms list"])
    assert name != "query_metrics"
