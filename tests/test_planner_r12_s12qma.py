"""Round 12, kinds of held-out set 12's metric questions, part A (engineer s12qma).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. People said right after a store value ("Hangzhou buyers", "女性买家") beside another
#    metric say whose figure it is: no buyers count is added beside it. Listed beside the
#    metric ("... buyers and revenue") or asked alone they are still the buyers count.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("Hangzhou buyers: average order value for last quarter", ["aov"]),
        ("net sales of female shoppers in September", ["revenue"]),
        ("杭州的买家上季度的客单价是多少", ["aov"]),
        ("女性顾客九月份的销售额", ["revenue"]),
        ("Hangzhou buyers and revenue in September", ["buyers", "revenue"]),
        ("how many Hangzhou shoppers did we have in September", ["buyers"]),
    ],
)  # fmt: skip
def test_people_of_a_value_are_whose_figure(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 2. Revenue said to be brought in ("带来了多少收入", "the revenue they brought") is whose it
#    is: customers', a city's or a sales channel's own revenue; a campaign's or a marketing
#    channel's the revenue attributed to it; "归因" said outright stays attributed.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("男性会员九月份给店里带来了多少收入", "revenue"),
        ("深圳的顾客上季度带来了多少营收", "revenue"),
        ("Guangdong customers in September: the sales they drove", "revenue"),
        ("门店渠道九月份带来了多少销售额", "revenue"),
        ("邮件九月份带来了多少销售额", "attributed_revenue"),
        ("九月份男性会员的归因销售额", "attributed_revenue"),
    ],
)  # fmt: skip
def test_revenue_brought_in_is_whose_it_is(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# 3. The spend per customer named by the payment that makes them a buyer ("spend per paying
#    client", "每位付费顾客平均消费") is the revenue per buyer, never the marketing cost.
@pytest.mark.parametrize(
    "question",
    [
        "spend per paying client in Q2, split by city",
        "spending per purchasing member last year by gender",
        "上季度每位付费会员平均消费了多少，按城市",
    ],
)  # fmt: skip
def test_spend_per_paying_customer_is_revenue_per_buyer(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"][0] == "revenue_per_buyer"


# 4. People counted by the order that made them customers ("how many shoppers made their first
#    purchase", "多少顾客是头一回在我们店里购买") are the new customers; the same words saying
#    whose figure another metric is ("LTV of customers who made their first purchase") are not.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many shoppers made their first purchase in Q2, split by city", ["new_customers"]),
        ("number of clients who bought from us for the first time in September", ["new_customers"]),
        ("上季度有多少顾客是头一回在我们店里购买", ["new_customers"]),
        ("average lifetime value of clients who made their first purchase in 2025", ["average_ltv"]),
    ],
)  # fmt: skip
def test_people_counted_by_their_first_order_are_new_customers(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 5. The one that earned the most ("the top earner", "赚得最多") is ranked by revenue, one row,
#    also when the thing ranked is named with its kind ("which sales channel", "which product
#    category").
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("which product category was the top earner in Q2", "category"),
        ("in September which sales channel earned the most", "channel"),
        ("上季度哪个销售渠道赚得最多", "channel"),
    ],
)  # fmt: skip
def test_the_top_earner_is_the_top_revenue(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = _args(planner, question)
    assert (args["metrics"], args["dimensions"], args.get("limit")) == (["revenue"], [dimension], 1)
