"""Round 17, which metric(s) a query_metrics question asks for: the orders counted with the
noun in the singular, the returned orders counted as return transactions or refunds, the
money kept after refunds (revenue), and the money before refunds said with a loose sales word
(gross sales). Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


def _plan(planner: OfflinePlanner, question: str) -> dict | None:
    """The query_metrics arguments, or None when the planner asks back or calls another tool."""
    message = planner._plan(question, [])
    if not message.tool_calls or message.tool_calls[0]["name"] != "query_metrics":
        return None
    return message.tool_calls[0]["args"]


# 1. A count word before "order" in the singular (a typo of the plural, often with a value
#    placed between: "number of web order") counts the orders, beside any other metric asked
#    with it; never dropped, never replaced by revenue in a ranking.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("last week how many order on the app", ["orders"]),
        ("top 3 province by number of web order in 2025", ["orders"]),
        ("count of order per channel last month pls", ["orders"]),
        ("net revenue + how many order, march", ["revenue", "orders"]),
        ("teh number of order in Q2?", ["orders"]),
    ],
)
def test_singular_order_after_a_count_word_is_the_orders(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics, args


@pytest.mark.parametrize(
    "question", ["what was the order value last month", "how many first order in march"]
)
def test_a_word_of_its_own_after_order_is_no_order_count(
    planner: OfflinePlanner, question: str
) -> None:
    args = _plan(planner, question)
    assert args is None or args["metrics"] != ["orders"], args


# 2. Return transactions, refunds counted, 退款次数 / 退单量: the returned orders (a count),
#    never all orders, nor the returns' money.
@pytest.mark.parametrize(
    "question",
    [
        "august: number of return transactions by city",
        "how many refunds in Q3, count only",
        "refund count per channel, last month",
        "上个月退款次数 按渠道",
        "今年各城市的退单量",
        "returned transactions 2025, by quarter",
    ],
)
def test_return_transactions_counted_are_the_returned_orders(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["returned_orders"], args


# 3. Money "after" / "net of" / "less" the refunds is what the store kept: revenue (gross
#    sales - returns), never the returns its word names. The returns asked as a figure of
#    their own beside it stay.
@pytest.mark.parametrize(
    "question",
    [
        "sales in september after returns come off",
        "revenue less refunds for Q3",
        "how much did we bring in last month, net of returns",
        "how much did we make in 2025 once refunds are taken off",
        "上个月扣掉退款之后卖了多少钱",
        "今年去掉退货后的销售额",
    ],
)
def test_money_after_refunds_is_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"], args


def test_returns_listed_beside_revenue_after_returns_stay(planner: OfflinePlanner) -> None:
    args = query_args(planner, "Q3 returns, and revenue after returns")
    assert sorted(args["metrics"]) == ["returns", "revenue"], args


# 4. A loose sales word (流水, 交易额, 业绩) with "before refunds" set apart by a space or a
#    bracket is the gross sales, never the revenue and the returns beside it.
@pytest.mark.parametrize(
    "question",
    [
        "上个月app流水 退款前",
        "今年交易额（退货前的）",
        "Q3 流水多少，退款之前的",
        "gmv last month, before refunds",
    ],
)
def test_loose_sales_word_before_refunds_is_gross_sales(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["gross_sales"], args


# 5. A second period set beside the first without "compare" ("with the quarter before next
#    to it", "alongside the month before", "跟前一个季度放在一起看") is the comparison, never
#    dropped; a metric set beside another ("revenue next to orders") compares nothing.
@pytest.mark.parametrize(
    "question",
    [
        "repurchase rate last month, the month before alongside it",
        "Q2 orders with the quarter before next to them",
        "上个月的订单数 上上个月的放在一起",
        "AOV in september side by side with the previous month",
    ],
)
def test_a_period_set_beside_is_the_comparison(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("compare_to"), args


def test_a_metric_set_beside_compares_no_period(planner: OfflinePlanner) -> None:
    args = query_args(planner, "Q3 revenue next to orders")
    assert not args.get("compare_to") and args["metrics"] == ["revenue", "orders"], args


# 6. The members of a noun said together ("all our email campaigns together", "pooled",
#    "合在一起算") are one figure, never a row each; "each" keeps the rows.
@pytest.mark.parametrize(
    "question",
    [
        "all our push campaigns last year together - conversion rate?",
        "email campaigns in 2025 pooled: CTR",
        "今年所有短信活动合在一起算 ROI多少",
        "ROI of all the campaigns this year, lumped together",
    ],
)
def test_members_said_together_are_one_figure(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert not args.get("dimensions"), args


def test_each_member_keeps_its_row(planner: OfflinePlanner) -> None:
    args = query_args(planner, "ROI of each sms campaign this year")
    assert args.get("dimensions") == ["campaign"], args


# 7. Orders said with who sent them back between ("orders people sent back", "orders our
#    customers returned") are the returned orders, never all orders.
@pytest.mark.parametrize(
    "question",
    [
        "orders ppl sent back in august, how many",
        "how many orders that customers returned last month by channel",
        "orders the shoppers brought back in Q3",
    ],
)
def test_orders_someone_sent_back_are_returned_orders(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["returned_orders"], args


# 8. Words that restate the metric beside it: 去重 of the buyers (counted once each), 老客 of
#    the churned (buyers of the previous period by definition); alone, 老客 is still asked.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("上个月 去重后的购买人数", "buyers"),
        ("Q2 deduplicated buyers on the app", "buyers"),
        ("上个月老顾客流失了多少人", "churned_customers"),
        ("老客流失率 上季度", "churn_rate"),
    ],
)
def test_words_restating_the_metric_are_placed(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric], args


def test_old_customers_beside_revenue_are_asked_back(planner: OfflinePlanner) -> None:
    assert _plan(planner, "老客 上个月 销售额") is None


# 9. Short function words with two letters swapped ("teh", "adn") are written out before the
#    question is read, never an unknown word.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("which channel brought in teh most revenue in 2025", ["revenue"]),
        ("orders adn revenue last month", ["orders", "revenue"]),
    ],
)
def test_swapped_short_words_are_read(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics, args


# 10. The channel breakdown said as where the messages reach people (触达渠道, outreach
#     channel), and values given as examples of its rows ("（推送、短信那些）", "and the like",
#     "等）"): every channel, no filter.
@pytest.mark.parametrize(
    "question",
    [
        "今年各触达渠道的打开率",
        "CTR by outreach channel this year (push, sms and the like)",
        "上个月各个触达渠道（短信、邮件那些）的转化率",
        "上个月各品类（护肤、母婴等）的销售额",
    ],
)
def test_example_values_of_a_breakdown_filter_nothing(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") and not args.get("filters"), args
