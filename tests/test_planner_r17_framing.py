"""Round 17, the words around the ask: a figure someone else reported, to be checked (a
claim, never a condition nor a number the plan must use, named in the answer), what a report
did with it or where it reports a part, when the data ends, a breakdown declined, a
bracket restating where the period ends, an English sentence naming a few places in Chinese.
Every wording here is our own; each family has near-misses that must still ask back."""

from __future__ import annotations

import pytest

from copilot.offline.claims import claimed_numbers, without_claims
from copilot.offline.planner import OfflinePlanner
from copilot.offline.question import language_of
from tests.conftest import asked_back, query_args


# 1. A claimed figure: a source reporting a number, EN and ZH.
@pytest.mark.parametrize(
    ("question", "metric", "claim"),
    [
        (
            "the board pack says last month's orders came in at 2.3k - what's the real count?",
            "orders",
            "2.3k",
        ),
        ("our dashboard shows ~88k revenue for March, is that right?", "revenue", "~88k"),
        ("finance has AOV at 412 for Q2; what's the actual figure", "aov", "412"),
        (
            "the CMO's slide puts repurchase rate at 70% in H1 2026, check it",
            "repurchase_rate",
            "70%",
        ),
        ("报表上写的上个月销售额大概30万，帮我核一下", "revenue", "30万"),
        ("领导说今年上半年复购率有七成左右，对不对", "repurchase_rate", "七成左右"),
    ],
)
def test_claimed_figure_is_a_claim_not_a_condition(
    planner: OfflinePlanner, question: str, metric: str, claim: str
) -> None:
    args = query_args(planner, question)
    assert metric in args["metrics"]
    assert not args.get("filters") and not args.get("limit")
    assert any(claim in said for said in claimed_numbers(question))


def test_claim_without_a_source_is_no_claim(planner: OfflinePlanner) -> None:
    # no one reports the number: it is the question's own (a condition asked back or used)
    assert claimed_numbers("revenue of orders at 10% off last month") == []
    assert claimed_numbers("上个月销售额大概30万的城市有哪些") == []
    assert without_claims("top 5 products by revenue") == "top 5 products by revenue"


def test_claimed_figure_keeps_the_period_and_metric_around_it() -> None:
    rest = without_claims("the deck says Q2 orders came in at 5.1k, what's the real number")
    assert "Q2 orders" in rest and "5.1k" not in rest


# 2. What a report did with the figure, and when the data ends: no period, no filter.
@pytest.mark.parametrize(
    "question",
    [
        "ROI for the 2026 win-back email on its own - the report lumped it together with last year's",
        "orders in October (we're only 2 days into November, the data runs to Oct 31)",
    ],
)
def test_report_aside_is_no_period(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert "last year" not in str(args.get("time_range") or "").lower()
    assert "november" not in str(args.get("time_range") or "").lower()


# 3. A breakdown declined: one total.
@pytest.mark.parametrize(
    "question",
    [
        "上个月app和web两个渠道一共多少订单，不用分开算",
        "orders from app and web last month combined, no need to split it out",
    ],
)
def test_declined_breakdown_is_one_total(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert not args.get("dimensions")


# 4. A bracket restating where the period ends; inside the period it is an exclusion.
def test_period_end_restated_in_brackets(planner: OfflinePlanner) -> None:
    args = query_args(planner, "2月到8月（9月先不算）的订单数按渠道")
    assert "channel" in args["dimensions"]
    asked_back(planner, "2月到9月（9月先不算）的订单数")


# 5. English naming a few places in Chinese is English; Chinese with a few Latin words is not.
def test_language_of_english_with_chinese_names() -> None:
    assert language_of("revenue for October but leave out 北京 and 上海 from the total") == "en"
    assert language_of("上个月 email 渠道的 GMV 是多少") == "zh"


# 6. The number guard: a dated day outside the plan's period is no restatement of it.
def test_dated_day_outside_plan_is_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "orders per month between 15.03.2026 and 20.05.2026 from the loyalty pack")


# 7. Repeat buyers said as what they did in the period, EN and ZH.
@pytest.mark.parametrize(
    "question",
    [
        "how many shoppers bought more than once in July",
        "in Q2, how many customers ordered twice or more?",
        "7月下单两次及以上的顾客有多少",
    ],
)
def test_repeat_buyers_said_as_orders_in_the_period(planner: OfflinePlanner, question: str) -> None:
    assert "repeat_buyers" in query_args(planner, question)["metrics"]


# 8. A purpose said as the task under way or where the figure goes next.
@pytest.mark.parametrize(
    "question",
    [
        "scoping our autumn reactivation plan: how many new customers came in August?",
        "units sold in Q2 for electronics? plugging it into our replenishment model",
    ],
)
def test_purpose_as_task_or_destination(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"]


def test_task_label_with_a_condition_is_still_read(planner: OfflinePlanner) -> None:
    # a value said in the label is data: the label is not set aside as context, its words
    # are asked about and the value is kept in the reading
    said = asked_back(planner, "scoping the 上海 flows: how many new customers came in August?")
    assert "上海" in said and "scoping" in said


# 9. A named quarter to date ("Q4-to-date") is the running quarter so far, not last year's Q4.
def test_named_quarter_to_date_is_the_running_quarter() -> None:
    from datetime import date

    from knowledge.time_ranges import find_period

    found = find_period("Q4 to date orders vs a year ago", date(2026, 11, 15))
    assert found is not None and found.range.start == date(2026, 10, 1)
    assert found.range.end == date(2026, 11, 15)
    earlier = find_period("Q2-to-date orders", date(2026, 11, 15))
    assert earlier is not None and earlier.range.start == date(2026, 4, 1)
