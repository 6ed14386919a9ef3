"""Round 14 wave-1 regressions, by kind, in our own wordings."""

import pytest

from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, query_args


@pytest.mark.parametrize(
    ("question", "channel"),
    [("去年不算门店的订单数", "store"), ("上个月不包括小程序的订单数", "mini_program")],
)
def test_a_metric_name_after_the_values_left_out_stays_the_metric(planner, question, channel):
    """The counted noun right after the values left out is no counted noun when it begins the
    metric's own name (订单数): the value is excluded and the metric kept."""
    args = query_args(planner, question)
    assert args["metrics"] == ["orders"]
    assert args.get("exclude") == {"channel": [channel]}


@pytest.mark.parametrize(
    "question",
    ["open rate of each email campaign last year", "conversions for every push campaign this year"],
)
def test_each_campaign_of_a_channel_is_the_breakdown_by_campaign(planner, question):
    """'each' before a campaign channel whose campaigns are meant is no shop inside a channel."""
    args = query_args(planner, question)
    assert "campaign" in args["dimensions"]


def test_a_customer_metric_by_sales_channel_is_not_asked_as_a_campaign_metric(planner):
    """New customers are no campaign message metric: no ask back about campaign channels."""
    message = planner._plan("how many new customers did each sales channel bring in 2025", [])
    assert "campaign message" not in message.content


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("revenue last month-ish (past 45 days)", "2026-09-17"),
        ("上周前后（近14天）的销售额", "2026-10-18"),
    ],
)
def test_a_bracket_after_a_hedged_period_restates_it_even_when_wider(planner, question, start):
    """After a hedge the bracketed rolling window says the days exactly, also when it holds
    the hedged period; only a bracket after days written out merely names them."""
    found = find_period(query_args(planner, question)["time_range"], AS_OF)
    assert found is not None and found.range.start.isoformat() == start


# A year said beside a festival's campaigns says which festival's: their window, inside the
# year, is the call's period, and the year is no second period left unread.
@pytest.mark.parametrize(
    ("question", "window"),
    [
        ("what did this year's 618 campaigns cost us", "618 2026"),
        ("2025年双十一那几个活动带来的归因收入", "Double 11 2025"),
    ],
)
def test_a_year_holding_the_festival_campaigns_window_is_read(planner, question, window) -> None:  # noqa: ANN001
    args = query_args(planner, question)
    assert args["filters"]["campaign"] and args["time_range"] == window
