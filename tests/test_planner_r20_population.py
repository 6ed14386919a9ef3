"""Customers described by an event other than buying ("buyers who have not returned
anything", "revenue from people who clicked a push", "没打开过邮件的客户"): the metric query
narrows rows by store values only, so a figure for them is asked back, never answered for
all customers; a figure that measures the event itself is still answered."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("buyers since June who have not returned anything", "have not returned anything"),
        ("Q3 net sales from shoppers who never returned an order", "never returned an order"),
        ("how many customers who sent something back bought again in Q3", "sent something back"),
        ("revenue last month from people who clicked a push", "clicked a push"),
        ("AOV of customers who opened the newsletter this year", "opened the newsletter"),
        ("clicks from members who haven't unsubscribed", "haven't unsubscribed"),
        ("6月以来没有退过货的买家有多少", "没有退过货"),
        ("上季度没打开过邮件的客户的销售额", "没打开过邮件"),
        ("今年点击过推送的会员贡献了多少销售额", "点击过推送"),
    ],
)
def test_customers_described_by_another_event_are_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        # The event is what is measured: the figure answers it.
        ("returns in Q3 from customers who returned items", ["returns"]),
        ("how many customers unsubscribed last month", ["unsubscribes"]),
        # Buying is what the metric queries count: a purchase clause stays a filter or period.
        ("how many buyers bought skincare last month", ["buyers"]),
    ],
)
def test_the_event_measured_or_a_purchase_is_answered(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert query_args(planner, question)["metrics"] == metrics
