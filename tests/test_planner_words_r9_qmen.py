"""Round 9 (wave 2), kinds found with held-out set 9's English metric questions. Every
wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. "Before returns" set off by brackets, commas or dashes still defines the gross figure:
#    it was read as a second metric, returns, beside it (a different question).
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("sales (before returns) by month", ["month"]),
        ("gross sales, before refunds, by city", ["city"]),
        ("各省的销售额（退款前）", ["province"]),
        ("销售额（扣退货前）按季度", ["quarter"]),
    ],
)
def test_a_bracketed_before_returns_is_the_gross_figure(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["gross_sales"]
    assert args.get("dimensions", []) == dimensions


def test_returns_named_beside_gross_sales_are_still_asked_for(planner: OfflinePlanner) -> None:
    assert _args(planner, "gross sales and refunds by quarter")["metrics"] == [
        "gross_sales",
        "returns",
    ]


# 2. Money back for each unit of money put in is the ROAS (attributed revenue / cost): it was
#    read as attributed revenue beside the repurchase rate ("came back"), or asked about.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("for each campaign, how much revenue did we get back per dollar spent", ["campaign"]),
        ("how many yuan came back for every yuan of ad spend on the SMS campaigns", []),
        ("每投入一块钱带来多少销售额，按活动", ["campaign"]),
        ("各个活动每花1元换回多少钱", ["campaign"]),
    ],
)
def test_money_back_per_unit_of_money_put_in_is_the_roas(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["roas"]
    assert args.get("dimensions", []) == dimensions


# 3. The cost "to win / land / acquire each new customer" is the CAC: the acquisition verb
#    between "cost" and the new customer, and "each" / "every", left it asked about; in
#    Chinese "拉一个新客户要花多少钱" was the cost beside the new customers.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        (
            "how much did it cost to acquire each new customer through the 618 2026 push campaign",
            [],
        ),
        ("what did it cost us to land every brand new buyer, per campaign", ["campaign"]),
        ("拉一个新客户要花多少钱，按活动", ["campaign"]),
        ("短信活动获取每个新买家的成本", []),
    ],
)
def test_the_cost_to_win_each_new_customer_is_the_cac(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["cac"]
    assert args.get("dimensions", []) == dimensions


def test_what_campaigns_cost_is_still_the_cost(planner: OfflinePlanner) -> None:
    assert _args(planner, "what did the SMS campaigns cost us in 2025")["metrics"] == ["cost"]


# 4. Verbs of comparing ("stack up against", "measure up against") between two periods name
#    the comparison made, like "change": they were asked about.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("web revenue in Q3 and how does that measure up against Q2", ["revenue"]),
        ("how do app orders in June stack up against May", ["orders"]),
    ],
)
def test_verbs_of_comparing_two_periods_are_placed(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    from datetime import date

    from knowledge.time_ranges import find_period

    args = _args(planner, question)
    assert args["metrics"] == metrics
    found = find_period(args["time_range"], date(2026, 11, 1))
    assert found is not None and found.compare_to is not None


def test_a_verb_of_comparing_without_a_second_period_is_asked_about(
    planner: OfflinePlanner,
) -> None:
    assert not planner._plan("AOV last month, how does it stack up", []).tool_calls


# 5. Orders named by a store value after a preposition ("AOV of web orders", "小程序订单的客单
#    价") are the orders the other metric is computed over: the order count was added beside
#    it (a different question). Asking for the count still gets it.
@pytest.mark.parametrize(
    ("question", "metrics", "channel"),
    [
        ("AOV of web orders in September", ["aov"], ["web"]),
        ("revenue from app orders last month", ["revenue"], ["app"]),
        ("return rate on app orders", ["return_rate"], ["app"]),
        ("小程序订单的客单价", ["aov"], ["mini_program"]),
        ("门店订单的退货率", ["return_rate"], ["store"]),
        ("AOV and the number of web orders", ["aov", "orders"], ["web"]),
        ("小程序订单的客单价和订单数", ["orders", "aov"], ["mini_program"]),
        ("网站订单数和客单价", ["orders", "aov"], ["web"]),
    ],
)
def test_orders_of_a_value_are_what_the_metric_is_computed_over(
    planner: OfflinePlanner, question: str, metrics: list[str], channel: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == metrics
    assert args["filters"]["channel"] == channel


# 6. "Placed" beside orders restates what an order is: it was asked about. Beside another
#    metric it is still asked about.
def test_orders_placed_are_the_orders(planner: OfflinePlanner) -> None:
    args = _args(planner, "orders placed on the app last week")
    assert (args["metrics"], args["filters"]["channel"]) == (["orders"], ["app"])


def test_placed_beside_another_metric_is_asked_about(planner: OfflinePlanner) -> None:
    assert not planner._plan("revenue placed", []).tool_calls


# 7. British spellings of the store's words: "mini programme" is the mini_program channel.
@pytest.mark.parametrize(
    "question", ["orders through the mini programme last month", "Mini-Programme revenue by week"]
)
def test_the_british_spelling_of_a_value(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["filters"]["channel"] == ["mini_program"]


# 8. "注册时的渠道" (the channel they signed up through) is the signup channel.
@pytest.mark.parametrize(("question", "metrics"), [("新客数按注册时的渠道", ["new_customers"])])
def test_the_channel_they_signed_up_through_is_the_signup_channel(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = _args(planner, question)
    assert (args["metrics"], args["dimensions"]) == (metrics, ["signup_channel"])


# 9. First-time purchasers / shoppers are the new customers, not the buyers.
@pytest.mark.parametrize(
    "question", ["first-time shoppers last month", "first time purchasers by city in Q2"]
)
def test_first_time_purchasers_are_new_customers(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["new_customers"]


# 10. "Click-to-open" without "rate", beside another rate or alone, is the click-to-open rate
#     (as "click-through" is the CTR): "open" and "click" were asked about.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("push click-to-open by month in 2025", ["click_to_open_rate"]),
        (
            "open rate, click-through and click-to-open for SMS",
            ["open_rate", "ctr", "click_to_open_rate"],
        ),
    ],
)
def test_click_to_open_alone_is_the_rate(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 11. Units that "went out the door" were sold: beside units the idiom restates them ("door"
#     was asked about); beside another metric alone it is still asked about.
def test_units_out_the_door_are_the_units(planner: OfflinePlanner) -> None:
    args = _args(planner, "how many units went out the door in March, by city")
    assert (args["metrics"], args["dimensions"]) == (["units"], ["city"])


def test_out_the_door_beside_revenue_alone_is_asked_about(planner: OfflinePlanner) -> None:
    assert not planner._plan("revenue out the door", []).tool_calls


# "All/所有/全部 + a breakdown noun", or "total/总" with the noun and no breakdown or ranking
# word, is the whole (one figure); it was read as revenue by product (80 rows).
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("what were the total sales of all the products in October 2026", []),
        ("sales of all our products last quarter", []),
        ("本季度全部商品加起来卖了多少钱", []),
        ("去年售出商品的总金额是多少", []),
        ("去年各商品的销售额", ["product"]),
        ("按商品看去年的销售额", ["product"]),
        ("sales per product last quarter", ["product"]),
        ("the 3 best-selling products last quarter", ["product"]),
        ("total revenue monthly in 2025", ["month"]),
    ],
)
def test_all_or_total_with_a_breakdown_noun_is_the_whole(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    assert _args(planner, question).get("dimensions", []) == dimensions
