"""Round 12, wave 2 leftovers (engineer "leftovers12").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. "Lost" beside the returns' money restates it (the money a return takes back is what the
#    store lost): the returns ranked, never asked back as the churned customers; "lost
#    customers" alone stays the churned customers.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("which 3 cities lost us the most money to refunds last year", "city"),
        ("2026年哪5个商品退货亏钱最多", "product"),
        ("2025年哪3个城市退款损失最大", "city"),
    ],
)
def test_lost_beside_returns_is_the_returns_money(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["returns"]
    assert args["dimensions"] == [dimension]


def test_lost_customers_alone_stay_the_churned(planner: OfflinePlanner) -> None:
    assert query_args(planner, "how many lost customers did we have last month")["metrics"] == [
        "churned_customers"
    ]


# 2. A metric listed beside the average LTV of a cohort named by its first order ("customers
#    acquired in 2025") is the cohort's, which only the average LTV can select: asked back,
#    never the whole store's figure for the period; the average LTV alone is answered.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("average ltv and aov of the customers we first sold to last year", "AOV"),
        ("mean LTV plus revenue for buyers we won in 2025", "Revenue"),
        ("2025年第一次下单的客户平均LTV和客单价", "客单价"),
    ],
)
def test_a_metric_beside_a_cohorts_ltv_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    reply = asked_back(planner, question)
    assert named in reply


def test_a_cohorts_ltv_alone_is_answered(planner: OfflinePlanner) -> None:
    assert query_args(planner, "average LTV of the customers we acquired in 2025")["metrics"] == [
        "average_ltv"
    ]


# 3. A campaign metric asked of a send described by a metric's words ("the churned-buyers
#    email", "流失顾客邮件"): the words say which campaign it is, none the store holds, so it
#    is asked back naming them; they are no metric beside it (churn rate, last month).
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("what was the CTR on the churned-buyers email?", "churned-buyers"),
        ("how did the lapsed customers text message do on open rate", "lapsed customers"),
        ("流失顾客邮件的点击率是多少", "流失顾客"),
    ],
)
def test_a_send_described_by_metric_words_is_an_unknown_campaign(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    reply = asked_back(planner, question)
    assert name in reply
    assert "Win-back" in reply or "618" in reply  # the store's campaigns are offered


def test_a_campaign_metric_beside_another_metric_still_answers(planner: OfflinePlanner) -> None:
    args = query_args(planner, "open rate and churn rate of email in 2025")
    assert args["metrics"] == ["open_rate", "churn_rate"]


# 4a. "分开列/分开算/单独列出" after listed values: each listed value on its own row (the
#     breakdown by their dimension), as "separately"; no word left over.
@pytest.mark.parametrize(
    "question", ["今年杭州和宁波的销售额分开列一下", "上个月app和小程序的订单数单独列出来"]
)
def test_listed_values_separately_in_chinese_are_the_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert len(args["dimensions"]) == 1
    assert len(next(iter(args["filters"].values()))) == 2


# 4b. A breakdown by city restricted to a named province, its cities listed: when they are
#     every city the store has in that province (the store's city -> province), the
#     province's filter holds them, no city filter beside it; a part of them stays a filter.
@pytest.mark.parametrize(
    "question",
    [
        "orders in Zhejiang in 2025 for Hangzhou and Ningbo separately",
        "江苏省今年的销售额，南京、苏州分别多少",
    ],
)
def test_every_city_of_the_named_province_is_no_extra_filter(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["city"]
    assert list(args["filters"]) == ["province"]


def test_a_part_of_the_provinces_cities_stays_a_filter(planner: OfflinePlanner) -> None:
    args = query_args(planner, "revenue in Jiangsu last year for Nanjing only")
    assert args["filters"]["city"] == ["南京"]
