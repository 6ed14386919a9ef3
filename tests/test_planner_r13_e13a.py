"""Round 13, kinds of development set 13e's metric and clarify questions (engineer e13a):
CRM and operations jargon. Every wording here is our own; none is the set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args

_args = query_args


# 1. A count with a unit letter glued after "last" ("last 90d", "past 12m", "trailing 4w") is
#    the rolling period; a count with letters glued anywhere else ("30s", "90x", "next 60d")
#    is a word to place, asked about, never a stray letter dropped (the whole store's figure).
@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("units sold over the last 30d", date(2026, 10, 2), date(2026, 10, 31)),
        ("refunds past 6m", date(2026, 5, 1), date(2026, 10, 31)),
        ("orders, last 60days", date(2026, 9, 2), date(2026, 10, 31)),
    ],
)  # fmt: skip
def test_count_with_a_glued_unit_after_last_is_a_period(
    phrase: str, start: date, end: date
) -> None:
    found = find_period(phrase, date(2026, 11, 1))
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


def test_glued_unit_period_reaches_the_call(planner: OfflinePlanner) -> None:
    assert _args(planner, "AOV in Hangzhou, last 30d")["time_range"] == "last 30d"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("net sales from shoppers in their 40s", "40s"),
        ("orders in Chengdu, next 60d", "60d"),
        ("杭州的订单数 45x", "45x"),
    ],
)  # fmt: skip
def test_count_with_letters_elsewhere_is_asked_about(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


# 2. The low or high end of a Chinese ranking said with an operations word before its N
#    (垫底的5个, 最能打的两个, 排名靠后的三个) is that end's N, sorted that way; "which one
#    ... 最能打 / 垫底" is the top (bottom) one.
@pytest.mark.parametrize(
    ("question", "limit", "sort"),
    [
        ("九月销售额垫底的5个品类", 5, "asc"),
        ("上季度订单数排名靠后的三个渠道", 3, "asc"),
        ("上个月购买人数最能打的两个城市", 2, None),
        ("九月哪个城市的客单价垫底", 1, "asc"),
        ("上季度哪个渠道最给力（看订单数）", 1, None),
    ],
)  # fmt: skip
def test_chinese_ranking_ends_before_n(
    planner: OfflinePlanner, question: str, limit: int, sort: str | None
) -> None:
    args = _args(planner, question)
    assert args["limit"] == limit
    assert args.get("sort") == sort


# 3. Jargon that maps to a metric without doubt: 净销售 (net sales, revenue), 触达了多少人 /
#    触达量 (messages delivered), "gross vs net" (both), SKUs (products); 一起给我 / 一并 only
#    frame a list of metrics.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("九月彩妆的净销售", ["revenue"]),
        ("2025年双十一短信的触达量", ["delivered"]),
        ("去年春节短信触达了多少人，点击率多少", ["delivered", "ctr"]),
        ("net vs gross sales in Q2", ["gross_sales", "revenue"]),
        ("上季度毛销售和净销售", ["gross_sales", "revenue"]),
        ("九月订单数+客单价 一并给我", ["orders", "aov"]),
        ("上个月的销售额和退货率一起看", ["revenue", "return_rate"]),
    ],
)  # fmt: skip
def test_jargon_of_a_metric(planner: OfflinePlanner, question: str, metrics: list[str]) -> None:
    assert _args(planner, question)["metrics"] == metrics


def test_skus_are_products_and_back_half_is_h2(planner: OfflinePlanner) -> None:
    args = _args(planner, "5 best SKUs by units in the back half of 2025")
    assert args["dimensions"] == ["product"] and args["limit"] == 5
    found = find_period("revenue in the back half of 2025", date(2026, 11, 1))
    assert found is not None and (found.range.start, found.range.end) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )


# 4. A campaign named by another word for its name's own word (召回 / 唤醒 / winback for
#    "Win-back") is that campaign; a narrower period inside its year picks it and is kept
#    beside it; with no period it is still asked which one.
@pytest.mark.parametrize(
    ("question", "campaign", "period_kept"),
    [
        ("2025年唤醒邮件的点击率", "Win-back 2025 - Email", False),
        ("去年4月那次老客召回邮件的转化率", "Win-back 2025 - Email", True),
        ("click rate of the 2026 winback email", "Win-back 2026 - Email", False),
    ],
)  # fmt: skip
def test_campaign_named_by_another_word(
    planner: OfflinePlanner, question: str, campaign: str, period_kept: bool
) -> None:
    args = _args(planner, question)
    assert args["filters"]["campaign"] == [campaign]
    if period_kept:
        assert "time_range" in args
    else:  # (round 14: a campaign named with no period takes its own days from the store)
        assert (
            args["time_range"]
            == {"2025": "2025-04-08..2025-04-22", "2026": "2026-04-08..2026-04-22"}[
                campaign.split()[1]
            ]
        )


def test_campaign_word_without_a_period_is_asked(planner: OfflinePlanner) -> None:
    text = asked_back(planner, "召回邮件的点击率是多少")
    assert "Win-back 2025 - Email" in text and "Win-back 2026 - Email" in text


# 5. Jargon with no metric here is named in the question back, with the closest metrics.
@pytest.mark.parametrize(
    ("question", "word", "offered"),
    [
        ("九月彩妆的件单价", "件单价", "客单价"),
        ("average selling price of makeup last quarter", "average selling price", "AOV"),
        ("上个月小程序的购买漏斗", "购买漏斗", "订单数"),
        ("show me the checkout funnel for September", "checkout funnel", "Orders"),
        ("九月官网的下单漏斗", "下单漏斗", "订单数"),
        ("what was the CAC payback period for the 2025 SMS campaigns", "CAC payback period", "CAC"),
        ("双十一短信活动多久回本", "多久回本", "投资回报率"),
    ],
)  # fmt: skip
def test_unmeasured_jargon_is_named_with_the_closest(
    planner: OfflinePlanner, question: str, word: str, offered: str
) -> None:
    text = asked_back(planner, question)
    assert word in text and offered in text


def test_campaign_funnel_is_still_answered(planner: OfflinePlanner) -> None:
    assert "delivered" in _args(planner, "SMS campaign funnel for Q3")["metrics"]


# 6. A value tier no store field holds (高净值, high net worth, VIP) counted is asked back with
#    the RFM segments closest to it, never answered with every customer; a plain count is not.
@pytest.mark.parametrize(
    "question",
    ["高净值客户一共有几位", "how many high-net-worth shoppers are there", "VIP会员有多少人"],
)
def test_value_tier_counted_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert "RFM" in asked_back(planner, question)


def test_plain_customer_count_still_counts(planner: OfflinePlanner) -> None:
    message = planner._plan("一共有多少位顾客", [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "run_sql"


# 7. Marketplaces asked about as sales channels ("Taobao vs Pinduoduo orders", "天猫的销售额")
#    are named in a question back with the store's own sales channels; the market's figures
#    (market share) are still refused.
@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Taobao vs Pinduoduo orders in Q3", ["Taobao", "Pinduoduo"]),
        ("上个月天猫的销售额", ["天猫"]),
        ("京东和拼多多今年的订单数", ["京东", "拼多多"]),
    ],
)  # fmt: skip
def test_marketplaces_as_channels_are_named(
    planner: OfflinePlanner, question: str, names: list[str]
) -> None:
    text = asked_back(planner, question)
    assert all(n in text for n in names)
    assert "mini_program" in text


def test_market_share_is_still_refused(planner: OfflinePlanner) -> None:
    text = asked_back(planner, "what is JD.com's market share")
    assert "other companies" in text
