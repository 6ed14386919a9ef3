"""Round 17, metric words and restated definitions: a refused kind beside a pair of metrics,
the net amount and the top line as the sales, attributed deals, how goods move (动销) and
the basis a figure is counted on (口径), and the cost of each customer a campaign won as its
CAC. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. A refused kind ("不要比率", "skip the percentage") is read even where a pair's phrase
#    (the churned counted with their share) runs over it: the count alone, no rate.
@pytest.mark.parametrize(
    "question",
    [
        "10月 新客 和 流失了多少人，只要人数，不要比率",
        "上月新客数、流失人数分别多少？不要百分比",
        "8月流失了多少客户，只要人数别给百分比",
        "新客和流失客户数，上季度，不用给比例",
        "Q2 new buyers and how many churned - skip the percentage",
        "churned customers and new customers in May, counts only, not the rate",
    ],
)
def test_refused_rate_kind_drops_the_pairs_rate(planner: OfflinePlanner, question: str) -> None:
    metrics = query_args(planner, question)["metrics"]
    assert "churn_rate" not in metrics and "churned_customers" in metrics, metrics


def test_churn_count_and_share_asked_together_keep_both(planner: OfflinePlanner) -> None:
    metrics = query_args(planner, "上季度流失多少人，占比多少")["metrics"]
    assert metrics == ["churned_customers", "churn_rate"]


# 2. Words of the net sales: 净额 and the "top line" are the revenue.
@pytest.mark.parametrize(
    "question",
    [
        "上个月的净额是多少",
        "今年Q2净额多少",
        "what was the top line in March",
        "topline for last quarter vs the one before",
        "Top-line, net of returns, for 2025",
    ],
)
def test_net_amount_and_top_line_are_revenue(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["revenue"]


def test_net_amount_by_an_unknown_dimension_still_asks_back(planner: OfflinePlanner) -> None:
    assert "会员等级" in asked_back(planner, "上个月净额按会员等级拆一下")


# 3. 归因成交 (deals attributed to campaigns) is the attributed revenue.
@pytest.mark.parametrize(
    "question",
    ["去年短信的归因成交是多少", "25年推送一共花了多少钱，归因成交额多少", "今年邮件带来的归因GMV"],
)
def test_attributed_deals_are_attributed_revenue(planner: OfflinePlanner, question: str) -> None:
    assert "attributed_revenue" in query_args(planner, question)["metrics"]


# 4. 动销 (how goods move) restates the units or the sales named beside it; alone it is
#    asked back, never guessed.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("上个月动销前三的品类，按件数", "units"),
        ("本季度哪两个商品动销最快？看件数", "units"),
        ("上个月动销最好的三个品类，按金额算", "revenue"),
    ],
)
def test_moving_goods_restates_the_metric_beside(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_moving_goods_alone_is_asked_back(planner: OfflinePlanner) -> None:
    message = planner._plan("上月哪个商品动销最好", [])
    assert not message.tool_calls


# 5. 口径 (the basis counted on) beside a kind or a definition: that basis, read.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Q3 销售额前五的商品，金额口径，不看件数", "revenue"),
        ("上季度各品类的GMV，按退货前口径", "gross_sales"),
        ("今年各渠道销售额，按金额口径", "revenue"),
        ("上季度各品类GMV（退货前口径）", "gross_sales"),
    ],
)
def test_basis_word_restates_the_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_basis_of_an_unknown_thing_still_asks_back(planner: OfflinePlanner) -> None:
    assert "发货" in asked_back(planner, "上季度销售额，按发货口径")


# 6. The cost of each customer a campaign won ("brought in", "acquired") is its CAC, never
#    the cost beside what each customer spends.
@pytest.mark.parametrize(
    "question",
    [
        "social campaigns in 2025: cost per customer they brought in?",
        "SMS last year, cost per new customer it brought in",
        "push in Q3 - cost per customer it actually won",
        "email this year: the cost per acquired customer",
    ],
)
def test_cost_per_customer_won_is_cac(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["cac"]


def test_what_each_customer_brings_in_stays_revenue_per_buyer(planner: OfflinePlanner) -> None:
    metrics = query_args(planner, "what does each customer bring in on average, last quarter")
    assert "revenue_per_buyer" in metrics["metrics"] and "cac" not in metrics["metrics"]


# 7. The channel customers first / originally signed up through is the signup channel.
@pytest.mark.parametrize(
    "question",
    [
        "new customers in 2024 broken down by the channel they first registered through",
        "orders last month by the channel customers originally joined via",
        "2025 buyers split by the channel they initially signed up on",
    ],
)
def test_originally_signed_up_channel_is_signup_channel(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["dimensions"] == ["signup_channel"]


# 8. A margin the store cannot compute is named as written ("contribution margin"), not by
#    its last word; a sales channel asked of a campaign figure is named as the user wrote it.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("contribution margin per category for Q1?", "contribution margin"),
        ("what's our operating margin this year", "operating margin"),
        ("上季度各品类的边际贡献", "边际贡献"),
    ],
)
def test_margin_named_in_full(planner: OfflinePlanner, question: str, named: str) -> None:
    assert named in asked_back(planner, question)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("小程序上投放的ROI是多少", "小程序"),
        ("ROI of our mini-program ads last quarter", "mini-program"),
    ],
)
def test_sales_channel_of_a_campaign_metric_named_as_written(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert f"{named}」" in asked_back(planner, question) or f"“{named}”" in asked_back(
        planner, question
    )


# 9. How many times one person comes to buy is the purchase frequency (orders / buyers), and
#    the deals a campaign brought back (带来/带回来多少成交) its attributed revenue.
@pytest.mark.parametrize("question", ["上海的顾客去年平均一个人来买几次", "上个月每人买几次"])
def test_times_each_person_buys_is_purchase_frequency(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["purchase_frequency"]


def test_deals_a_campaign_brought_back_are_attributed_revenue(planner: OfflinePlanner) -> None:
    metrics = query_args(planner, "去年邮件活动花了多少，带回来多少成交")["metrics"]
    assert metrics == ["cost", "attributed_revenue"]
