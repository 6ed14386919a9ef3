"""Round 18, wave 2, the segment tools: a straight apostrophe inside a word ("who've",
"haven't", "didn't") is a contraction, never the quote of a segment's name, so a described
rule is no export of a garbled name; an order count beside "nothing since <date>" is over its
own clause's period (all time when it names none), never the since-period of the lapse.
Every wording here is our own, with near-misses that must keep their reading."""

from __future__ import annotations

import pytest

from copilot.offline.intents.audience import segment_in
from copilot.offline.planner import OfflinePlanner
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from tests.conftest import planned_call


# 1. Contractions are no quotes: no segment name is read between two of them.
@pytest.mark.parametrize(
    "question",
    [
        "give me a list of folks who've bought twice but haven't been back since April",
        "list the customers who didn't open anything and weren't reached by SMS",
        "a list of buyers who've spent a lot but haven't come back",
        "we've got a campaign; pull a list of people who haven't ordered lately",
    ],
)
def test_contraction_apostrophes_are_no_quoted_segment(question: str) -> None:
    assert segment_in(read_question(question, ValueIndex())) is None


# Near-miss: a name really quoted with straight or curly quotes is still the segment.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("export the 'Spring Shoppers' segment for SMS", "Spring Shoppers"),
        ("export “Spring Shoppers” to email", "Spring Shoppers"),
        ("把「春季买家」导出来发短信", "春季买家"),
    ],
)
def test_quoted_segment_names_still_read(question: str, segment: str) -> None:
    assert segment_in(read_question(question, ValueIndex())) == segment


# 2. A described rule with contractions is a rule segment, never an export of a name.
@pytest.mark.parametrize(
    "question",
    [
        "make me a list of shoppers who've placed at least 4 orders overall but haven't "
        "ordered since May 1st",
        "build a list of everyone who's ordered 6 or more times but hasn't bought since July 1st",
    ],
)
def test_rule_with_contractions_is_a_rule_segment(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    definition = args["definition"]
    assert definition.get("no_order_since")
    # the count is all-time: the since-period is the lapse's only
    assert "period" not in definition["orders"], definition


# Near-miss: a count with its own period keeps that period.
def test_count_with_its_own_period_keeps_it(planner: OfflinePlanner) -> None:
    name, args = planned_call(
        planner, "customers who spent over 3,000 this year but haven't ordered since August"
    )
    assert name == "define_segment"
    assert args["definition"]["spend"].get("period") == "this year"


# 3. "New Customers" opening an RFM segment's name before "group" / "segment" asks for no
# new segment: the size of that RFM segment is the RFM table's.
@pytest.mark.parametrize(
    "question",
    [
        "what's the headcount of the New Customers RFM group at the moment",
        "size of the New Customers group in RFM today",
        "New Customers这个RFM分层现在有几个人",
        "how big is the new customers rfm group, the segment itself",
    ],
)
def test_new_customers_group_is_the_rfm_segment(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# Near-misses: the new-customers metric, and a new segment really made, keep their tools.
def test_new_customers_metric_and_new_group_kept(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "how many new customers did we get last month")[0] == (
        "query_metrics"
    )
    assert planned_call(planner, "make a new high spenders group: customers who spent over 5000")[
        0
    ] == ("define_segment")


# 4. A raw table queried by its name is a SQL request.
@pytest.mark.parametrize(
    "question",
    [
        "could you query the reviews table for the average rating per category",
        "query the reviews table: average star rating in each product category",
        "去评论表里查一下每个品类的平均星级",
        "查一下reviews表，各品类平均评分多少",
    ],
)
def test_table_queried_by_name_is_sql(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "run_sql"


# Near-miss: a feeling asked of reviews stays sentiment; a 报表 (report) is no table.
def test_review_feeling_and_report_not_sql(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "how do shoppers feel about our skincare in reviews")[0] == (
        "review_sentiment"
    )
    message = planner._plan("查一下销售报表里上个月的销售额", [])
    assert not any(c["name"] == "run_sql" for c in message.tool_calls)
