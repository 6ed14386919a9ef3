"""Round 13, kinds of development set 13d's English metric questions (engineer d13a).
Every wording here is our own; none is the set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import parse_period
from tests.conftest import asked_back, planned_call, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)
_TODAY = date(2026, 11, 5)


# 1. Columns said of the answer's layout ("both columns", "分两列") ask for no schema: the
#    metrics are answered; a question about the store's columns is still the schema.
@pytest.mark.parametrize(
    "question",
    [
        "orders and revenue by channel last month, in separate columns",
        "Q2 units and AOV per category - two columns please",
        "上个月各渠道的订单数和销售额，分两列",
    ],
)  # fmt: skip
def test_layout_columns_are_no_schema_question(planner: OfflinePlanner, question: str) -> None:
    assert len(_args(planner, question)["metrics"]) == 2


@pytest.mark.parametrize("question", ["what columns does the orders table have?", "订单表有哪些字段"])  # fmt: skip
def test_the_stores_columns_are_still_the_schema(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "describe_data"


# 2. The gross figure with its definition said after the period ("before refunds are
#    deducted", "扣退货之前") restates it: gross sales alone, never returns beside it.
@pytest.mark.parametrize(
    "question",
    [
        "gross revenue last quarter, i.e. before refunds are deducted",
        "makeup gross sales in 2025 (before any returns)",
        "今年毛销售额是多少，扣退货之前的",
    ],
)  # fmt: skip
def test_gross_with_its_definition_is_gross_alone(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["gross_sales"]


# 3. Orders described by a relative clause of returning ("orders which got refunded") are the
#    returned orders, never orders plus the returns' money or a repurchase.
@pytest.mark.parametrize(
    "question",
    [
        "how many orders that were sent back in August?",
        "count of orders which got refunded last quarter",
        "orders that came back as refunds this year, just the number",
    ],
)  # fmt: skip
def test_orders_that_came_back_are_returned_orders(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["returned_orders"]


# 4. The money customers "got back" on returns is the returns' amount; "back" without a
#    returns word is still asked about.
@pytest.mark.parametrize("question", ["how much did customers get back in refunds last month?", "money customers got back on returns in 2025"])  # fmt: skip
def test_money_got_back_on_returns_is_returns(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["returns"]


def test_back_without_returns_is_asked(planner: OfflinePlanner) -> None:
    assert "back" in asked_back(planner, "revenue back in March?").lower()


# 5. Sales "attributed to" a campaign named by its festival shorthand (D11) and channel.
@pytest.mark.parametrize("question", ["revenue attributed to the D11 2025 SMS send", "how much revenue was attributed to the Double 11 2025 sms blast"])  # fmt: skip
def test_attributed_to_a_campaign(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["attributed_revenue"]
    assert args["filters"] == {"campaign": ["Double 11 2025 - SMS"]}


# 6. A festival followed by its channel with the year said apart ("the 618 email this year")
#    is that campaign, the year kept as the period; without a channel noun it is the period.
def test_festival_channel_with_year_apart_is_the_campaign(planner: OfflinePlanner) -> None:
    args = _args(planner, "618 email last year - click rate?")
    assert args["filters"] == {"campaign": ["618 2025 - Email"]}
    assert args["time_range"] == "618 2025"  # the campaign's window (r17: the year picks it)


def test_a_festival_period_alone_names_no_campaign(planner: OfflinePlanner) -> None:
    args = _args(planner, "revenue during 618 last year")
    assert "campaign" not in (args.get("filters") or {})


# 7. SKUs are the products; "repeat-purchase rate" with its hyphen is the repurchase rate.
def test_skus_are_products(planner: OfflinePlanner) -> None:
    args = _args(planner, "best 3 SKUs by revenue last month")
    assert args["dimensions"] == ["product"]


def test_hyphenated_repeat_purchase_rate(planner: OfflinePlanner) -> None:
    assert _args(planner, "repeat-purchase rate in Q2")["metrics"] == ["repurchase_rate"]


# 8. "ex-<value>" excludes it; "ex-<word>" that is no store value is asked about.
def test_ex_value_excludes_it(planner: OfflinePlanner) -> None:
    args = _args(planner, "last month's orders, ex-Beijing")
    assert args["exclude"] == {"city": ["北京"]}


def test_ex_non_value_is_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "last month's orders, ex-partners")


# 9. Where they ordered set aside beside the sign-up channel restates it.
@pytest.mark.parametrize("question", ["revenue in Q2 from customers who registered on the app, wherever they shop now", "上季度在小程序注册的客户的销售额，不管在哪下单"])  # fmt: skip
def test_wherever_they_ordered_beside_signup(planner: OfflinePlanner, question: str) -> None:
    filters = _args(planner, question)["filters"]
    assert set(filters) == {"signup_channel"}


def test_wherever_without_signup_is_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "revenue in Q2, wherever they shop now")


# 10. Periods: "trailing 30d", "back half of 2025", "Jul + Aug".
@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("trailing 30d", date(2026, 10, 6), date(2026, 11, 4)),
        ("back half of 2025", date(2025, 7, 1), date(2025, 12, 31)),
        ("front half of 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("Jul + Aug 2026", date(2026, 7, 1), date(2026, 8, 31)),
    ],
)  # fmt: skip
def test_period_shorthands(phrase: str, start: date, end: date) -> None:
    period = parse_period(phrase, _TODAY)
    assert (period.start, period.end) == (start, end)
