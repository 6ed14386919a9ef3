"""Round 16, which metric and which ranking: the worst and the best of a metric where less is
better, net said as a verb or beside gross, a count word beside a count metric, product
rankings, orders holding a product, and relative periods written short. Every wording here
is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. "Worst" / "best" follow the metric's good end: of a metric where less is better (return
#    rate, churn, CAC, unsubscribes) the worst is the highest, the best the lowest; never
#    asked back. Of a metric where more is better the worst stays the lowest.
@pytest.mark.parametrize(
    ("question", "metric", "sort"),
    [
        ("which province was worst on return rate in 2025", "return_rate", "desc"),
        ("the 2 worst channels for churn rate last month, pls", "churn_rate", "desc"),
        ("worst 3 campaigns on unsubscribe rate this year??", "unsubscribe_rate", "desc"),
        ("今年退货率最糟糕的两个城市", "return_rate", "desc"),
        ("去年CAC最差的三个活动", "cac", "desc"),
        ("which channel had the best churn rate in Q3", "churn_rate", "asc"),
        ("the three best campaigns by CAC in 2025", "cac", "asc"),
        ("今年退订率最好的渠道是哪个", "unsubscribe_rate", "asc"),
        ("退货率最低的3个品类 去年", "return_rate", "asc"),
        ("the 3 worst cities by AOV last quarter", "aov", "asc"),
        ("top 3 best campaigns by CAC this year", "cac", "asc"),
        ("top 2 worst provinces by return rate, 2025", "return_rate", "desc"),
    ],
)
def test_worst_and_best_follow_the_metrics_good_end(
    planner: OfflinePlanner, question: str, metric: str, sort: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric] and len(args["dimensions"]) == 1
    assert args.get("sort", "desc") == sort, args


@pytest.mark.parametrize("question", ["best sellers by units in 2025", "今年爆款前五 按件数"])
def test_best_selling_is_no_direction_of_the_metric(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("sort") != "asc", args


# 2. A count's unit said beside a count of the same things ("in orders", "counting orders",
#    "how many orders", "按单数算", "多少单") is that count's unit, never all orders beside it;
#    beside the returns' money it makes their count (the returned orders). Listed apart with
#    a joining word ("orders and returned orders") both stay.
@pytest.mark.parametrize(
    "question",
    [
        "refunds we had in May 2026, counted in orders",
        "how many returns came in during Q2, as orders pls",
        "orders that got refunded in Chengdu last month, how many orders",
        "returned orders by channel in 2025 - counting orders not money",
        "5月退款按单数算有多少",
        "上个季度退货一共几笔",
        "去年退货有多少单 按渠道",
    ],
)
def test_a_count_unit_beside_a_count_is_its_unit(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returned_orders"]


@pytest.mark.parametrize(
    "question",
    [
        "how many orders and how many returned orders in May 2026",
        "returned orders next to orders, split by channel, previous quarter",
        "上个月订单数和退货订单数",
    ],
)
def test_counts_listed_apart_both_stay(planner: OfflinePlanner, question: str) -> None:
    assert sorted(query_args(planner, question)["metrics"]) == ["orders", "returned_orders"]


@pytest.mark.parametrize(
    "question", ["上个月销售额多少，几单", "revenue and how many orders in May 2026"]
)
def test_a_count_word_beside_its_own_money_is_its_count(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["revenue", "orders"]


# 3. Net said as a verb ("what did we really net"), or beside gross ("gross rev and the net"),
#    is the net sales (revenue); a gap or difference asked between two figures is read off
#    them side by side. Net before another noun (net new customers) is still asked about.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("so what did we really net in August", ["revenue"]),
        ("how much have we actually netted this year?", ["revenue"]),
        ("gross rev and the net, Q2 2026", ["gross_sales", "revenue"]),
        ("net revenue vs gross for Chengdu in 2025 - need both", ["gross_sales", "revenue"]),
        (
            "gross sales and refunds for Q3, I want to see the difference",
            ["gross_sales", "returns"],
        ),
        ("今年毛销售额和退货额，看看差距", ["gross_sales", "returns"]),
    ],
)
def test_net_as_a_verb_or_beside_gross_is_net_sales(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert sorted(query_args(planner, question)["metrics"]) == sorted(metrics)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("how many net new customers did we get last month", "net"),
        ("revenue gap last month", "gap"),
    ],
)
def test_net_or_gap_without_its_figures_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


# 4. The items that sell best named by it ("top sellers", "bestsellers", "畅销品", "爆款") are a
#    ranking of the products, by units when units are named, by revenue otherwise; a purpose
#    clause about delisting or restocking is framing, the bottom N still the lowest.
@pytest.mark.parametrize(
    ("question", "metric", "limit", "sort"),
    [
        ("our top 5 sellers last month by units sold", "units", 5, None),
        ("bestsellers in Q3 - top 3 pls", "revenue", 3, None),
        ("best-selling items of 2025, top ten by pieces", "units", 10, None),
        ("上个月热销商品前三，按件数", "units", 3, None),
        ("今年畅销款前5名", "revenue", 5, None),
        (
            "the 3 weakest SKUs by units this year, trying to decide which ones to drop",
            "units",
            3,
            "asc",
        ),
        ("去年销量最低的5个商品，想看看哪些该下架", "units", 5, "asc"),
    ],
)
def test_sellers_rank_the_products(
    planner: OfflinePlanner, question: str, metric: str, limit: int, sort: str | None
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args["dimensions"], args.get("limit"), args.get("sort")) == (
        [metric],
        ["product"],
        limit,
        sort,
    )


def test_a_delisting_decision_alone_is_no_figure(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "which products should we delist")


# 5. Orders that included (contained, had in them) a product are the orders filtered to it.
@pytest.mark.parametrize(
    "question",
    [
        "how many orders contained a yoga mat in Q2 2026",
        "orders that included the Yoga Mat last month?",
        "no. of orders with a yoga mat in them this yr",
        "上个月含有防滑瑜伽垫的订单数",
        "今年包含防滑瑜伽垫的订单有多少",
    ],
)
def test_orders_that_hold_a_product_are_filtered_to_it(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args["filters"]) == (["orders"], {"product": ["Yoga Mat"]})


def test_orders_holding_an_unknown_thing_are_asked_back(planner: OfflinePlanner) -> None:
    assert "free gifts" in asked_back(planner, "how many orders included free gifts last month")


# 6. Order counts in the plural ("weekly order counts", "order counts per quarter") are orders.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("weekly order counts for September", "week"),
        ("order counts by month this year", "month"),
        ("2025 order counts per quarter pls", "quarter"),
    ],
)
def test_order_counts_are_orders(planner: OfflinePlanner, question: str, dimension: str) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args["dimensions"]) == (["orders"], [dimension])


# 7. A relative window with its unit's letter glued ("last 30d", "the 30d before", "prior 4w")
#    compared with the window before it: the previous period of the same length.
@pytest.mark.parametrize(
    "question",
    [
        "revenue from web orders in the last 60d vs the 60d before",
        "buyers past 7d vs prior 7d",
        "AOV last 90d compared with the 90d prior",
    ],
)
def test_a_short_window_against_the_one_before(planner: OfflinePlanner, question: str) -> None:
    from datetime import date

    from knowledge.time_ranges import find_period

    args = query_args(planner, question)
    found = find_period(args["time_range"], today=date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    days = (found.range.end - found.range.start).days
    assert (found.range.start - found.compare_to.end).days == 1
    assert (found.compare_to.end - found.compare_to.start).days == days


# 7b. A period restated as its rolling window ("last week like last 7 days", "i.e. the past 30
#     days", "也就是最近7天"): the window said second is the one meant.
@pytest.mark.parametrize(
    ("question", "window"),
    [
        ("orders in hangzhou last week like the last 7 days", "7 days"),
        ("revenue last month i.e. the past 30 days", "30 days"),
        ("上周也就是最近7天的买家数", "7天"),
    ],
)
def test_a_period_restated_as_its_window_is_the_window(
    planner: OfflinePlanner, question: str, window: str
) -> None:
    time_range = query_args(planner, question)["time_range"]
    assert window in time_range and "week" not in time_range and "month" not in time_range
