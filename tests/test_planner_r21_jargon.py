"""Round 21: dashboard and e-commerce shorthand, from a sweep of growth-team jargon (our own
wordings, written before a new sealed set was read):

- "the week of Oct 5" / "10月5日那周" is that week (Monday to Sunday), "the week starting
  Oct 7" the seven days from it, and "the weekend of Oct 17" / "10月17日那个周末" that
  Saturday and Sunday: never the one day named, which answered a different question;
- "10月17-18日", "10月17到18号": a day range with its 日 said once;
- "TY vs LY" is this year against last year (it had read last year alone), T90D a trailing
  window, "prev." previous, CR the conversion rate;
- 连带率 of a period is items per ticket (units per order, which the store lacks), while
  an item's 连带率 is still what sells with it.
"""

from __future__ import annotations

from datetime import date

import pytest

from copilot.messages import HumanMessage
from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import last_call

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("net sales for the week of Oct 5", date(2026, 10, 5), date(2026, 10, 11)),
        ("orders in the wk of Oct 7", date(2026, 10, 5), date(2026, 10, 11)),
        ("sales for the week starting 7 October", date(2026, 10, 7), date(2026, 10, 13)),
        ("10月7日所在的那周的销售额", date(2026, 10, 5), date(2026, 10, 11)),
        ("10月5日那一周卖了多少", date(2026, 10, 5), date(2026, 10, 11)),
        ("revenue the weekend of Oct 17", date(2026, 10, 17), date(2026, 10, 18)),
        ("10月18日那个周末的订单数", date(2026, 10, 17), date(2026, 10, 18)),
        ("10月17-18日的销售额", date(2026, 10, 17), date(2026, 10, 18)),
        ("10月17到18号的订单数", date(2026, 10, 17), date(2026, 10, 18)),
    ],
)
def test_weeks_weekends_and_day_ranges_of_a_day(question: str, start: date, end: date) -> None:
    found = find_period(question, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("orders on Oct 5", date(2026, 10, 5), date(2026, 10, 5)),
        ("10月5日的销售额", date(2026, 10, 5), date(2026, 10, 5)),
        ("revenue on Friday Oct 16", date(2026, 10, 16), date(2026, 10, 16)),
    ],
)
def test_a_day_alone_stays_a_day(question: str, start: date, end: date) -> None:
    found = find_period(question, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


@pytest.mark.parametrize(
    ("question", "metric", "time_range"),
    [
        ("GMV TY vs LY", "gross_sales", "this year vs last year"),
        ("buyers T90D", "buyers", "last 90 days"),
        ("rev prev. month", "revenue", "previous month"),
        ("CR of push campaigns last month", "conversion_rate", "last month"),
    ],
)
def test_dashboard_shorthand(
    planner: OfflinePlanner, question: str, metric: str, time_range: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["metrics"] == [metric]
    assert args["time_range"] == time_range


def test_thank_you_ty_is_not_this_year(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue last month, ty"])
    assert name == "query_metrics"
    assert args["time_range"] == "last month"


@pytest.mark.parametrize("question", ["上个月连带率", "今年的连带率是多少"])
def test_period_attach_rate_is_units_per_order(planner: OfflinePlanner, question: str) -> None:
    reply = planner.invoke([HumanMessage(content=question)])
    assert not reply.tool_calls
    assert "连带率" in reply.content and "每单平均件数" in reply.content


def test_item_attach_rate_is_cross_sell(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["瑜伽垫的连带率"])
    assert name == "cross_sell_rules"
    assert args["item"] == "Yoga Mat"


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("avg rev/buyer last qtr", "revenue_per_buyer"),
        ("orders/buyer last quarter", "purchase_frequency"),
        ("rev/order last month", "aov"),
        ("revenue per order last month", "aov"),
        ("spend / customer YTD", "revenue_per_buyer"),
    ],
)
def test_a_slash_before_a_unit_noun_is_per(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["metrics"][0] == metric


def test_two_plurals_joined_by_a_slash_stay_two_metrics(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["orders/buyers last month"])
    assert name == "query_metrics"
    assert args["metrics"] == ["orders", "buyers"]


@pytest.mark.parametrize("question", ["女性客户今年的人均消费", "今年女性客户的人均消费"])
def test_a_per_person_metric_of_a_group_is_no_segment(
    planner: OfflinePlanner, question: str
) -> None:
    # nothing asks to define or save a segment: the rule reader's question back yields to
    # the metric reader's filled call
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["metrics"][0] == "revenue_per_buyer"
    assert args["filters"] == {"gender": ["F"]}


def test_saving_a_segment_said_still_asks_about_an_unread_condition(
    planner: OfflinePlanner,
) -> None:
    reply = planner.invoke([HumanMessage(content="把今年的女性客户存成一个分群，条件是人均消费")])
    assert all(c["name"] != "query_metrics" for c in reply.tool_calls)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("I'm putting together the QBR deck and need Q3 AOV by channel", "aov"),
        ("we're prepping the board update so I need net sales YTD", "revenue"),
        ("I am working on the monthly report and want to see orders by city last month", "orders"),
    ],
)
def test_the_work_a_figure_is_for_is_framing(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    name, args = last_call(planner, [question])
    assert name == "query_metrics"
    assert args["metrics"] == [metric]


def test_a_work_clause_without_a_need_verb_is_not_set_aside(planner: OfflinePlanner) -> None:
    # the framing pattern needs its need/want verb: without it the clause is not framing and
    # is asked about, never answered as another metric
    reply = planner.invoke(
        [HumanMessage(content="I'm putting together the returns report: return rate in Q3?")]
    )
    assert not reply.tool_calls
    assert "putting" in reply.content
