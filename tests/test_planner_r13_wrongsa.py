"""Round 13, three confident wrong answers: a returned order's average amount read as the
returned-order count, what refunds cost read with the campaigns' cost beside them, and a
festival's campaigns read as the festival's window over every send. Every wording here is
our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. The average amount of a returned order is returns / returned orders (a ratio metric
#    stated as such), never the returned-order count its order word names.
@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("去年退货单的平均金额", "去年"),
        ("上个月退款订单平均多少钱", "上个月"),
        ("今年平均每笔退货多少钱", "今年"),
        ("what was the average amount of a returned order last month?", "last month"),
        ("mean value per refund this year", "this year"),
        ("the returned orders' average value in 2025", "2025"),
    ],
)
def test_average_amount_of_a_returned_order_is_returns_over_returned_orders(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["average_return_value"]
    assert args.get("time_range") == time_range
    ratio = planner.semantic_model.metric("average_return_value").ratio
    assert list(ratio) == ["returns", "returned_orders"]


@pytest.mark.parametrize(
    "question",
    ["上个月退了几单", "how many orders were returned last month", "退货单数量"],
)
def test_the_returned_order_count_stays_the_count(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returned_orders"]


# An average amount of anything else counted has no metric: asked back, never the count.
@pytest.mark.parametrize(
    "question",
    [
        "average value of the conversions last month",
        "上个月转化的平均金额",
        "mean amount of our clicks",
    ],
)
def test_an_average_amount_of_a_count_asks_back(planner: OfflinePlanner, question: str) -> None:
    message = asked_back(planner, question)
    assert "average amount" in message or "平均金额" in message


# 2. "Cost" said of refunds or returns is the refunded money, not the campaigns' cost.
@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("what did returns cost us last month?", "last month"),
        ("the total cost of customer refunds this year", "this year"),
        ("how much have refunds really cost the shop in 2025", "2025"),
        ("上个月退款一共花了我们多少钱", "上个月"),
        ("今年退货的损失是多少", "今年"),
        ("去年退款成本", "去年"),
    ],
)
def test_what_refunds_cost_is_the_returns(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["returns"]
    assert args.get("time_range") == time_range


@pytest.mark.parametrize(
    "question", ["refunds and campaign spend last month", "上个月的退款金额和营销费用"]
)
def test_campaign_cost_named_beside_refunds_stays(planner: OfflinePlanner, question: str) -> None:
    assert sorted(query_args(planner, question)["metrics"]) == ["cost", "returns"]


def test_return_on_cost_is_the_roi(planner: OfflinePlanner) -> None:
    assert query_args(planner, "return on cost last year")["metrics"] == ["roi"]


# 3. A festival's campaigns are the store campaigns named after that festival's period: the
#    filter, by campaign when each is asked apart; the year said after them picks the year.
_618_2026 = ["618 2026 - Email", "618 2026 - Push"]
_618_2025 = ["618 2025 - Email", "618 2025 - Push"]
_D11_2025 = ["Double 11 2025 - Push A/B", "Double 11 2025 - SMS", "Double 11 2025 - Social Ads"]


@pytest.mark.parametrize(
    ("question", "campaigns", "apart"),
    [
        ("conversions of the 618 campaigns in 2025", _618_2025, False),
        ("what did each of this year's 618 campaigns bring in attributed revenue", _618_2026, True),
        ("ROI of the Double 11 campaigns last year, one by one", _D11_2025, True),
        ("total spend on the 2025 Double 11 promotions", _D11_2025, False),
        ("2025年618的活动一共花了多少成本", _618_2025, False),
        ("去年双十一几个活动分别的点击率", _D11_2025, True),
        ("去年双11活动的归因销售额", _D11_2025, False),
    ],
)
def test_a_festivals_campaigns_are_the_filter(
    planner: OfflinePlanner, question: str, campaigns: list[str], apart: bool
) -> None:
    args = query_args(planner, question)
    assert sorted(args["filters"]["campaign"]) == campaigns
    # the campaigns are the filter; their own window (the festival head) is the period
    assert args.get("time_range") == campaigns[0].split(" - ")[0]
    assert ("campaign" in args.get("dimensions", [])) is apart


def test_a_festivals_campaigns_on_one_channel(planner: OfflinePlanner) -> None:
    args = query_args(planner, "Double 11 2025 SMS and social ads campaigns: clicks")
    assert sorted(args["filters"]["campaign"]) == [
        "Double 11 2025 - SMS",
        "Double 11 2025 - Social Ads",
    ]
    assert "channel" not in args["filters"]


@pytest.mark.parametrize(
    ("question", "time_range"),
    [("618期间推送的打开率", "618期间"), ("click rate during Double 11 2025", "Double 11 2025")],
)
def test_a_festival_without_campaign_words_stays_its_window(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    args = query_args(planner, question)
    assert "campaign" not in args.get("filters", {})
    assert args["time_range"] == time_range


# The festival's days said with a campaign word ("the promo window", "活动期间"), or a store
# figure no campaign can be cut by (orders), stay the festival's window over the store.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("revenue over the Double 11 2025 promo period", "revenue"),
        ("2025年双十一活动期间卖了多少钱", "revenue"),
        ("how many orders came in during the 618 2025 campaigns", "orders"),
        ("2025年618活动的订单量", "orders"),
    ],
)
def test_a_festivals_days_or_store_figures_stay_its_window(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert "campaign" not in args.get("filters", {})
    assert args["time_range"]
