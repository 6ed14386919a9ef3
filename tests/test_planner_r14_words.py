"""Round 14, plain words that made the planner ask back though the question is clear (net as
a verb, a campaign's own verb, a signup channel said as a clause, orders that turned out
returned, "one number is fine"), and questions back that must name the unmeasured term
whole. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, query_args


# 1. "net" said as a verb is the net sales; a remark on how little is wanted is framing.
@pytest.mark.parametrize(
    "question",
    [
        "how much did we net last month? a single number",
        "what did we net in Q2, ballpark is fine",
        "we netted how much this year",
    ],
)
def test_net_as_a_verb_is_revenue(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["revenue"]


# 2. Orders that turned out returned are the returned orders, never all orders.
@pytest.mark.parametrize(
    "question",
    [
        "in September how many orders wound up being returned",
        "count of orders that ended up returned this year",
        "how many orders being returned in Q2",
    ],
)
def test_orders_that_turned_out_returned_are_returned_orders(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["returned_orders"]


# 3. The verb a campaign does ("the campaigns we sent") names no metric and no filter.
def test_sent_beside_campaigns_is_no_unknown_word(planner: OfflinePlanner) -> None:
    args = query_args(planner, "click-through rate of every campaign we sent this year")
    assert args["metrics"] == ["ctr"] and args["dimensions"] == ["campaign"]


# 4. The signup channel said as a clause about the people.
@pytest.mark.parametrize(
    "question",
    [
        "average LTV by the channel customers registered through",
        "average lifetime value per channel users joined via",
    ],
)
def test_signup_channel_said_as_a_clause(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["dimensions"] == ["signup_channel"]


# 5. An unmeasured thing is named whole in the question back (EN and ZH).
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("share of abandoned checkouts on the app last month", "cart abandonment"),
        ("上个月app的弃购率是多少", "购物车放弃率"),
        ("今年的存货周转率", "存货周转率"),
        ("orders by utm source in September", "utm"),
        ("9月订单按流量来源拆分", "UTM"),
    ],
)
def test_unmeasured_term_is_named_whole(planner: OfflinePlanner, question: str, name: str) -> None:
    assert name.lower() in asked_back(planner, question).lower()


# 6. "as of now / today" is the current RFM run (its date from the data, not the clock), and
#    a segment's count may be said as a noun after it.
@pytest.mark.parametrize(
    "question",
    [
        "At Risk headcount as of today",
        "how many Hibernating customers are there as of today",
        "截至今天冠军客户的人数",
    ],
)
def test_rfm_as_of_now_is_the_current_run(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "rfm_segments" and "as_of" not in args


# 7. Saved segments asked about as someone else's work (a colleague, the team).
@pytest.mark.parametrize(
    "question",
    [
        "has somebody in our team saved audiences already? list them",
        "did my colleagues build segments? which ones",
        "团队里的人有没有建过人群？看看有哪些",
    ],
)
def test_saved_segments_by_the_team_are_listed(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "list_segments"
