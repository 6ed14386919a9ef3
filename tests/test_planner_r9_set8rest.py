"""Round 9, the last kinds of held-out set 8. Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. "distinct / unique" customers (去重客户数) who bought something is the buyers metric (a
#    count-distinct), not the size of a rule segment, and "unique" is no unplaced word.
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("number of distinct buyers from Hangzhou who purchased skincare in Q2", {"city": ["杭州"], "category": ["skincare"]}),
        ("how many unique shoppers in Shanghai ordered makeup last month?", {"city": ["上海"], "category": ["makeup"]}),
        ("上个月杭州买过护肤品的去重客户数", {"city": ["杭州"], "category": ["skincare"]}),
    ],
)  # fmt: skip
def test_distinct_customers_who_bought_are_the_buyers_metric(
    planner: OfflinePlanner, question: str, filters: dict[str, list[str]]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["buyers"]
    assert args.get("dimensions", []) == []
    assert args["filters"] == filters


# 2. A category and the noun it qualifies ("skincare items", "baby products") name the
#    category: no breakdown by product, unless the products themselves are ranked or picked.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("sales of skincare items in Q2", []),
        ("revenue from makeup products last month, by week", ["week"]),
        ("the five best baby products by revenue in Q2", ["product"]),
        ("which skincare products sold most last quarter", ["product"]),
    ],
)
def test_a_category_with_its_noun_is_the_category(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args.get("dimensions", []) == dimensions
    assert len(args["filters"]["category"]) == 1


# 3. "top N with the lowest X" / "X最低的N个" rank ascending (the bottom N, lowest first);
#    "top N by X" stays descending.
@pytest.mark.parametrize(
    ("question", "ascending"),
    [
        ("top 4 provinces with the lowest revenue in 2025", True),
        ("the top 2 channels with the smallest order count last month", True),
        ("2025年订单数最低的4个省份", True),
        ("top 4 provinces by revenue in 2025", False),
        ("2025年销售额最高的4个省份", False),
    ],
)
def test_top_n_with_the_lowest_is_a_bottom_n(
    planner: OfflinePlanner, question: str, ascending: bool
) -> None:
    args = _args(planner, question)
    assert args["limit"] in (2, 4)
    assert args.get("sort", "desc") == ("asc" if ascending else "desc"), args


# 4. Money with the returns "netted off" / "net of refunds" / "扣除退款后" is revenue (gross
#    sales - returns), asked alone: the returns word restates it and is no unplaced word.
@pytest.mark.parametrize(
    "question",
    [
        "what came in over Q2 after the refunds were deducted off?",
        "app sales in May net of returns",
        "5月扣掉退货后的营收",
    ],
)
def test_money_with_returns_netted_off_is_revenue(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["revenue"]


# 5. "spend" cut by customers or products (gender, category), which the campaign cost cannot
#    reach, is what the customers spent: the revenue. The cost's own words keep the cost.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Q2 skincare: how does spend split between men and women?", "revenue"),
        ("2025年彩妆的花费男女各多少", "revenue"),
        ("marketing spend by channel in 2025", "cost"),
        ("campaign cost by gender last month", "cost"),
    ],
)
def test_spend_cut_by_customers_is_revenue(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# 6. A metric set aside right after a contrast word ("ROAS not ROI", "而不是销售额") is not
#    computed beside the one asked for.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("ROAS not ROI for the Double 11 2025 - SMS campaign", ["roas"]),
        ("orders, not revenue, by channel last month", ["orders"]),
        ("上个月各渠道的订单数而不是销售额", ["orders"]),
        ("revenue and orders by channel last month", ["revenue", "orders"]),
    ],
)
def test_a_metric_set_aside_is_not_computed(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 7. A marketplace named as a sales channel of the shop ("京东渠道", "the Tmall channel") is a
#    channel the store lacks: asked about by its name, not refused as another company's data.
@pytest.mark.parametrize(
    ("question", "named"),
    [("京东渠道上个月的订单数", "京东"), ("revenue from the Tmall channel in 2025", "Tmall")],
)
def test_a_marketplace_channel_is_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert named in str(message.content)
    assert "other companies" not in str(message.content) and "竞争对手" not in str(message.content)


# 8. An unknown Chinese word glued to a metric phrase ("回购" + "周期") is asked about as the
#    whole phrase the user wrote, not its last half (which names nothing the user meant).
@pytest.mark.parametrize(
    ("question", "named"),
    [("今年的平均回购周期是几天", "回购周期"), ("去年的复购间隔平均多少天", "复购间隔")],
)
def test_an_unknown_word_after_a_metric_phrase_is_named_whole(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert f"「{named}」" in str(message.content)
