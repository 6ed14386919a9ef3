"""Round 19, metric words and stated definitions: a definition the question states beside the
asked metric (in brackets, after "i.e." / "defined as" / 口径) that agrees with the store's is
read as that metric only, never as extra figures; a lapse of buyers asked as a share is the
churn rate alone, asked as a head count the churned customers alone; "流失了多少老客" counts
the churned; a breakdown's head noun pointed back at ("按注册渠道…，哪个渠道…") is the same
breakdown. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. The repurchase rate's ratio restated with whose orders left implicit: the rate alone.
@pytest.mark.parametrize(
    "question",
    [
        "repurchase rate for Q3 (>=2 valid orders in the quarter / buyers)",
        "Q2 repurchase rate in Shanghai (2+ orders in the period / buyers)",
        "what's our repurchase rate last month, i.e. two or more orders over all buyers",
        "repurchase rate this year (at least 2 completed orders / customers), vs last year",
        "上个月复购率（下单两次及以上的买家/买家）",
    ],
)
def test_restated_repurchase_ratio_is_the_rate_only(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["repurchase_rate"]


# 2. The average LTV restated as the mean all-time net spend per buyer: that one figure.
@pytest.mark.parametrize(
    "question",
    [
        "Beijing customers: average lifetime net spend per customer, i.e. historical LTV",
        "historical LTV (mean all-time spend per buyer) for women",
        "avg all time net revenue per buyer - i.e. average LTV - for Hangzhou",
        "深圳客户的历史LTV，也就是每个买家历史累计消费的平均值",
        "人均历史累计消费（即平均LTV）",
    ],
)
def test_restated_ltv_is_average_ltv_only(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["average_ltv"]


def test_spend_per_buyer_without_ltv_named_stays_spend_per_buyer(planner: OfflinePlanner) -> None:
    # near-miss: the definition alone, no LTV named, is not blanked into nothing
    assert "average_ltv" not in query_args(planner, "revenue per buyer last quarter")["metrics"]


# 3. Buyers of one period who did not buy in the next, asked as a share (or as churn with the
#    lapse as its gloss): the rate alone; asked as a head count: the count alone; neither: both.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "churn last quarter - i.e. the share of Q2 buyers who didn't order again in Q3",
            ["churn_rate"],
        ),
        ("what percentage of Q2 buyers didn't come back in Q3?", ["churn_rate"]),
        ("Q3 churn, meaning the proportion of Q2 shoppers with no order in Q3", ["churn_rate"]),
        ("三季度流失率：二季度买过、三季度没再买的", ["churn_rate"]),
        ("二季度买过、三季度没再下单的客户占比多少", ["churn_rate"]),
        ("how many Q2 buyers didn't come back in Q3", ["churned_customers"]),
        ("二季度买过、三季度没再买的有多少人", ["churned_customers"]),
        ("Q2 buyers who didn't order in Q3", ["churned_customers", "churn_rate"]),
    ],
)
def test_lapse_asked_by_kind_is_that_figure(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args.get("churn_base")  # the buyers' own quarter stays the base


# 4. The churned counted with the old customers' noun: a count, never the rate.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("上季度一共流失了多少老客？", ["churned_customers"]),
        ("上个月流失了几个老顾客", ["churned_customers"]),
        ("上季度流失了多少老客户，要人数不要比例", ["churned_customers"]),
        ("how many old customers did we lose last quarter", ["churned_customers"]),
        ("how many existing customers have churned this quarter", ["churned_customers"]),
        ("上季度流失了多少老客，占比多少", ["churned_customers", "churn_rate"]),
        ("上季度老客流失率", ["churn_rate"]),
    ],
)
def test_churned_old_customers_counted(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 5. A breakdown's head noun said again and pointed back at is the same breakdown.
@pytest.mark.parametrize(
    "question",
    [
        "今年按注册渠道看复购率，看看哪个渠道的会员最爱回购",
        "各注册渠道的复购率，哪个渠道最高",
        "repurchase rate by signup channel this year, which channel is best",
        "AOV by signup channel for Q3 - which channel's customers spend the most?",
    ],
)
def test_head_noun_pointed_back_is_the_same_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["dimensions"] == ["signup_channel"]


@pytest.mark.parametrize(
    "question",
    [
        "今年按注册渠道和按渠道的复购率",
        "repurchase rate this year by signup channel and by channel",
        "按注册渠道看复购率，再按渠道拆一下",
    ],
)
def test_both_channels_listed_stay_two_breakdowns(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["dimensions"] == ["signup_channel", "channel"]


# 6. Metric words a CRM or DTC team uses for a store metric, and a definition that agrees
#    restated beside it: that metric, nothing asked back.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("去年双十一gmv，先不扣退货", ["gross_sales"]),
        ("上个月GMV，还没扣退款的", ["gross_sales"]),
        ("gross sales last month before returns get netted off", ["gross_sales"]),
        ("双11 2026 那波短信实际触达了几个人", ["delivered"]),
        ("今年每个月的新客（口径：首单落在当月）", ["new_customers"]),
        ("new customers per month this year (first valid order in that month)", ["new_customers"]),
        ("new-to-file customers per quarter in 2025", ["new_customers"]),
        ("how many new to file buyers last month", ["new_customers"]),
        ("what did we pay per acquired customer on the 2025 spring festival sms", ["cac"]),
    ],
)
def test_crm_metric_words_and_agreeing_definitions(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics
