"""Round 16 wave 2, metrics, periods and values: a share of sales said as lost to returns
(the return rate), each buyer's contribution (revenue per buyer), GMV with its "before
returns" qualifier after it (gross sales), a city's short form (SH, BJ; SZ is two store
cities), an exclusion said "entirely", "right before" of a compared period, and a festival
campaign named without a year where the store ran it in several years (asked back). Every
wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, asked_back, query_args


@pytest.mark.parametrize(
    "question",
    [
        "what percentage of September sales did we lose to refunds?",
        "share of last month's revenue given back as returns",
        "what % of Q3 takings did the refunds eat",
        "上个月退款吃掉了营收的几成？",
        "9月因为退款我们损失了营收的百分之几",
    ],
)
def test_share_of_sales_lost_to_returns_is_the_return_rate(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["return_rate"]


@pytest.mark.parametrize(
    "question",
    [
        "how much net does every shopper bring in, Q2 by channel",
        "what does each customer contribute on average last quarter",
        "平均每位会员贡献了多少净收入？按城市",
        "每个客户贡献多少净销售额，上季度",
    ],
)
def test_each_buyers_contribution_is_revenue_per_buyer(
    planner: OfflinePlanner, question: str
) -> None:
    assert "revenue_per_buyer" in query_args(planner, question)["metrics"]


@pytest.mark.parametrize(
    "question",
    [
        "GMV in Q3 (the figure before refunds) please",
        "Q2 GMV? the one before returns",
        "上季度的GMV是多少？(算退款前的那个)",
        "今年一季度销售额多少？（含退货前的）",
    ],
)
def test_gmv_with_its_before_returns_qualifier_is_gross_sales(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["gross_sales"]


def test_gmv_alone_is_gross_sales(planner: OfflinePlanner) -> None:
    # Round 18: the field's GMV (gross merchandise value) is before returns, so a bare GMV is
    # the gross sales and the answer says so; "GMV net of returns" is the revenue.
    assert query_args(planner, "Q3 GMV")["metrics"] == ["gross_sales"]
    assert query_args(planner, "Q3 GMV net of returns")["metrics"] == ["revenue"]


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("Q3 orders excluding SH", ["上海"]),
        ("revenue last month, ex-BJ", ["北京"]),
        ("Q3 revenue outside Beijing, leave BJ out entirely", ["北京"]),
    ],
)
def test_city_short_form_left_out(
    planner: OfflinePlanner, question: str, left_out: list[str]
) -> None:
    assert query_args(planner, question)["exclude"] == {"city": left_out}


def test_short_form_of_two_store_cities_is_asked_back(planner: OfflinePlanner) -> None:
    assert "SZ" in asked_back(planner, "SZ revenue last month")


def test_entirely_alone_is_still_asked_back(planner: OfflinePlanner) -> None:
    assert "entirely" in asked_back(planner, "Q3 revenue, entirely")


@pytest.mark.parametrize(
    "question",
    [
        "618 2025 revenue vs the period right before it",
        "Double 11 2025 orders compared with the period immediately before",
    ],
)
def test_right_before_compares_the_previous_period(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("compare_to") == "previous period", args


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("ROI of the 618 promo", "618"),
        ("sales from the Double 11 campaign", "Double 11"),
        ("双11那次的订单数", "双11"),
        ("618那一波的成本是多少", "618"),
    ],
)
def test_festival_campaign_without_a_year_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    reply = asked_back(planner, question)
    assert named in reply and "2025" in reply


@pytest.mark.parametrize(
    "question",
    [
        "revenue during 618",
        "ROI of the 618 2025 email campaign",
        "this year's 618 campaign revenue",
        "去年双11那次的订单数",
    ],
)
def test_festival_with_its_year_or_as_days_is_answered(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)


def test_compare_to_n_weeks_right_before_keeps_the_comparison(planner: OfflinePlanner) -> None:
    # (a comparison said with "compare to" is never dropped from the answer)
    args = query_args(planner, "how did 618 2025 orders compare to the 2 weeks just before?")
    found = find_period(args["time_range"], AS_OF)
    assert found is not None and found.compare_to is not None, args
    assert found.compare_to.days == 14
