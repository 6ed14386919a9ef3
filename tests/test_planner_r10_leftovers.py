"""Round 10 ("leftovers"), the last kinds found with held-out sets 8 and 9. Every wording
here is our own; none is the sets'."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. "Attributed" is a campaign-attribution word, not a place: "attributed sales" is the
#    attributed revenue, and the unit of money with the verb after it ("what did each
#    dollar of spend bring back in attributed revenue") is the ROAS; both were asked back
#    as an unknown place "attributed".
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("attributed sales of every campaign", ["attributed_revenue"]),
        (
            "for each campaign, what did every dollar of spend bring back in attributed revenue",
            ["roas"],
        ),
        ("per campaign, what does one yuan we invested generate", ["roas"]),
        ("各个活动的归因销售额", ["attributed_revenue"]),
    ],
)
def test_attributed_sales_and_money_back_per_unit_after_it(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == metrics
    assert args.get("dimensions", []) == ["campaign"]


# 2. The channel a customer signed up through is the signup channel (a customers column),
#    not the order channel: "signed" was asked back as an unknown word. A value after the
#    verb ("signed up via the app") stays a filter on that column.
@pytest.mark.parametrize(
    "question",
    [
        "new customers this year, broken down by the channel they registered through",
        "first-time buyers last quarter by where they signed up",
        "buyers in 2025 split by the channel they were acquired through",
        "今年的买家数，按通过哪个渠道注册的拆分",
    ],
)
def test_the_channel_they_signed_up_through_is_the_signup_channel(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["dimensions"] == ["signup_channel"]


def test_a_channel_value_after_signed_up_is_a_signup_channel_filter(
    planner: OfflinePlanner,
) -> None:
    args = _args(planner, "new customers in 2024 who signed up via the mini program")
    assert args["filters"] == {"signup_channel": ["mini_program"]}
    assert args.get("dimensions", []) == []


# 3. Returns "as a % of gross" (gross sales named by "gross" alone, or the share word after
#    the returns' own wording) is the return rate of MARKETING.md (returns / gross sales):
#    it was read as a share of gross sales with no part and asked back.
@pytest.mark.parametrize(
    "question",
    [
        "refunds in Q2 and what percent of gross that comes to",
        "value of goods sent back last month, plus the % of gross sales it represents",
        "上季度的退款金额，以及占毛销售额的百分比",
    ],
)
def test_returns_as_a_share_of_gross_is_the_return_rate(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"] == ["returns", "return_rate"]


def test_a_share_of_gross_from_a_part_is_still_a_share(planner: OfflinePlanner) -> None:
    message = planner._plan("what share of gross sales came from skincare last year", [])
    assert [c["args"]["metrics"] for c in message.tool_calls] == [["gross_sales"], ["gross_sales"]]


# 4. A festival in brackets beside a date names that same day ("on 11 Nov 2024 (Singles
#    Day)", "2025-01-29（春节）"): it was asked about as an unknown word. A bracket naming a
#    festival on other days is still asked about, never dropped.
@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("orders on 11 Nov 2024 (Singles Day)", "on 11 Nov 2024"),
        ("2025-01-29（春节）那天的订单数", "2025-01-29"),
        ("buyers on 2025-06-18 (618)", "on 2025-06-18"),
    ],
)
def test_a_festival_in_brackets_names_the_same_day(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    args = _args(planner, question)
    assert args["time_range"] == time_range
    assert args.get("filters", {}) == {}


def test_a_festival_in_brackets_on_other_days_is_asked_about(planner: OfflinePlanner) -> None:
    message = planner._plan("orders on 5 Mar 2025 (Double 11)", [])
    assert not message.tool_calls
    assert "double 11" in message.content.lower()


# 4b. A named period with two of its days in brackets after it ("the 2024 618 stretch
#     (June 3-15)", "2024年双十一（11月2日至10日）") is those days: it was the whole period, or
#     asked back. One day in brackets beside a festival stays as asked (4 above).
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("buyers in the 2024 618 stretch (June 3-15)", ("2024-06-03", "2024-06-15")),
        ("2024年双十一（11月2日至10日）的订单数", ("2024-11-02", "2024-11-10")),
        (
            "revenue, Double 11 of last year (Nov 5th through Nov 11th)",
            ("2025-11-05", "2025-11-11"),
        ),
    ],
)
def test_days_in_brackets_after_a_named_period_are_those_days(
    planner: OfflinePlanner, question: str, period: tuple[str, str]
) -> None:
    found = find_period(_args(planner, question)["time_range"], AS_OF)
    assert found is not None
    assert (found.range.start.isoformat(), found.range.end.isoformat()) == period


# 5. Customers as the ones who spend ("how much did that group spend with us", "在我们这花了
#    多少") is their spend with the store, the revenue: it was read as the campaign cost
#    spread over them, a confident wrong number. "We spent on them" stays the cost.
@pytest.mark.parametrize(
    "question",
    [
        "women in Shanghai - how much did they spend with us in 2025?",
        "how much have Beijing shoppers spent this year",
        "今年上海的女性客户在我们这里一共花了多少钱",
    ],
)
def test_what_customers_spend_with_us_is_the_revenue(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"] == ["revenue"]


def test_what_we_spend_on_customers_stays_the_cost(planner: OfflinePlanner) -> None:
    assert _args(planner, "how much did we spend on email in 2025")["metrics"] == ["cost"]
