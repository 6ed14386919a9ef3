"""Round 18, words: metrics said in paraphrase (what one checkout is worth, the money that went
back for returned goods, separate return orders, what each new customer cost, 进来的新客,
下单的人数, a ratio restated after its abbreviation), a segment's name inside a longer metric
word, comparisons said with a verb of placing, significance asked in other words, and the unknown word named back (a holiday before 那波活动, 达人-like words).
Every wording here is our own; each family has a near-miss that must still ask back."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, planned_call, query_args


# 1. Metric paraphrases: each read as its metric, in EN and ZH.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("what's one checkout worth on average for app orders, last quarter?", "aov"),
        ("average checkout value in September please", "aov"),
        ("how much cash went back to customers for things they sent back in August?", "returns"),
        ("in Q2, what money went back to customers for goods they sent back?", "returns"),
        ("in September, how many separate return orders did we process?", "returned_orders"),
        ("distinct return orders we processed last month", "returned_orders"),
        ("for sms campaigns this year, what did each new customer end up costing us?", "cac"),
        ("how many brand-new shoppers did we win last month?", "new_customers"),
        ("上个月进来了多少新客", "new_customers"),
        ("最近两周进来的首单新客有多少", "new_customers"),
        ("2025年各城市下单的人数", "buyers"),
        ("上季度下单人数是多少", "buyers"),
    ],
)
def test_metric_paraphrase_read_as_its_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_checkout_worth_near_miss_still_asks(planner: OfflinePlanner) -> None:
    # a word nothing places beside the paraphrase is still named, never dropped
    assert "zorbly" in asked_back(planner, "what is one checkout worth for zorbly buyers?").lower()


# 2. A ratio restated after its abbreviation inside the brackets: read, not asked back.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("上个月邮件的点击率（CTR，点击/送达）是多少", "ctr"),
        ("上个月推送的点击打开率（CTOR，点击/打开）", "click_to_open_rate"),
    ],
)
def test_ratio_restated_after_abbreviation(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


# 3. The year-ago comparison said with a verb of placing.
@pytest.mark.parametrize(
    "question",
    [
        "net sales by city for Q2, set against the same quarter a year earlier",
        "monthly revenue this year sitting next to the same months last year",
        "orders in Q1 laid beside the same quarter of last year",
    ],
)
def test_placing_verb_year_ago_comparison(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    period = find_period(args["time_range"], date(2026, 11, 1))
    assert args.get("compare_to") or (period is not None and period.compare_to is not None)


def test_placing_verb_near_miss_unknown_word_still_named(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "net sales by city for Q2, set against the zorbly benchmark")
    assert "zorbly" in reply.lower()


# 4. Significance asked in other words: the test's verdict.
@pytest.mark.parametrize(
    "question",
    [
        "Spring Festival 2026 - Email A/B: B looks better on opens, is that statistically solid?",
        "did variant B of the Spring Festival 2026 email genuinely convert better, statistically speaking?",
    ],
)
def test_significance_wordings_run_the_test(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "ab_test"


# 5. The unknown word named back: a holiday pointed at as a campaign, a 人-word.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("母亲节那次活动的转化率是多少", "母亲节"),
        ("what was the ROI of that Black Friday campaign?", "Black Friday"),
        ("红人种草渠道上个月的订单数", "红人"),
        ("网红达人渠道今年带来多少销售额", "达人"),
    ],
)
def test_unknown_word_named_back(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word.lower() in asked_back(planner, question).lower()


def test_pointed_campaign_without_holiday_still_asks_which(planner: OfflinePlanner) -> None:
    assert "那个活动" in asked_back(planner, "那个活动的ROI")
