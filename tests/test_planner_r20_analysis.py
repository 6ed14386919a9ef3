"""Round 20, analysis tools: things said as each bought ("both", 都买过) are one rule
condition each, never a filter any of them meets; staff evaluation and spreadsheet macros are
refused; a figure the store does not measure asked of an A/B test is asked back; a product's
reviews or an average star rating is never answered with the whole store's sentiment. Every
wording is our own; each family has near-misses answered otherwise or asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. Each of two things bought: one purchase condition each (all hold).
@pytest.mark.parametrize(
    "question",
    [
        "how many shoppers picked up both electronics and sports items",
        "customers who bought home goods as well as food, how many",
        "电子和运动两个品类都买过的顾客有几个",
        "买过母婴又买过食品的客户数",
    ],
)
def test_each_bought_is_one_condition_each(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    purchases = args["definition"]["purchases"]
    assert len(purchases) == 2
    assert all(len(p.get("categories", [])) == 1 for p in purchases)


def test_either_bought_stays_a_filter(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "customers who bought electronics or sports items")
    assert name == "query_metrics"
    assert len(args["filters"]["category"]) == 2


@pytest.mark.parametrize(
    "question",
    [
        "sales from people who bought both electronics and sports",
        "电子和运动都买过的客户贡献了多少销售额",
    ],
)
def test_metric_of_each_bought_asks_back(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "electronics" in reply


# 2. Staff evaluation and spreadsheet macros are refused.
@pytest.mark.parametrize(
    "question",
    [
        "write up our department's performance reviews for this year",
        "rank my five account managers for the promotion round",
        "give me an excel macro that mails the report every monday",
        "帮我写个表格宏，每天自动汇总数据",
    ],
)
def test_staff_and_macros_refused(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert "outside what I do" in message.content or "不在我能做的范围" in message.content


def test_review_summary_still_sentiment(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "what do the reviews say about our skincare")
    assert name == "review_sentiment"


# 3. An unmeasured figure of an A/B test is asked back, named.
@pytest.mark.parametrize(
    "question",
    [
        "which variant of the push test got the better NPS",
        "NPS of version B in the spring email experiment?",
    ],
)
def test_unmeasured_figure_of_a_test_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert "NPS" in asked_back(planner, question)


def test_test_verdict_still_answered(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "was the spring email test's winner significant?")
    assert name == "ab_test"


# 4. A product's reviews or a star average: never the whole store's sentiment.
@pytest.mark.parametrize(
    "question",
    [
        "what's the mean star rating of Smartwatch S3 reviews",
        "how do buyers feel about the Smartwatch S3",
    ],
)
def test_product_reviews_not_store_sentiment(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not any(c["name"] == "review_sentiment" for c in message.tool_calls)


def test_category_sentiment_still_answered(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "how do customers feel about our electronics")
    assert name == "review_sentiment"
    assert args.get("category") == "electronics"
