"""Round 12, kinds of development set 12d's metric questions, part A (engineer dev12qma).
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. The customer named by the purchase that makes them a buyer ("每个下过单的顾客平均花了",
#    "每位购买过的会员消费了多少") still asks the spend per buyer, never the store's revenue.
@pytest.mark.parametrize(
    "question",
    [
        "去年每位下过单的顾客平均消费了多少钱",
        "上个月平均每个购买过的会员花了多少",
        "今年每个付款的客户平均都花了多少钱",
    ],
)  # fmt: skip
def test_a_buyer_named_by_the_purchase_spends_per_buyer(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"][0] == "revenue_per_buyer"


# 2. The figure asked as a count rather than a share ("要人数不要比例", "the count, not the
#    rate") beside a count metric restates it; beside a rate it is the rate's own count
#    (round 15: MARKETING.md's repurchase rate is the buyers with two or more valid orders
#    over the buyers, so its count is repeat_buyers; before round 15 it was asked back).
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("九月份回头客有多少，要人数不要比例", "repeat_buyers"),
        ("去年的新客数，不是比例", "new_customers"),
        ("repeat customers in August, the raw count not the rate", "repeat_buyers"),
        ("how many unsubscribes did email get last month, not as a percentage", "unsubscribes"),
    ],
)  # fmt: skip
def test_a_count_asked_not_as_a_rate_is_the_count(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize("question", ["九月份的复购率，要人数不要比例", "repurchase rate in August, the raw count not the rate"])  # fmt: skip
def test_a_count_asked_of_a_rate_is_the_rates_count(planner: OfflinePlanner, question: str) -> None:
    """The repurchase rate asked as a count is its numerator, the repeat buyers (round 15's
    framing: the count asked and the rate refused switches to the rate's count), never the
    rate and never another count."""
    args = _args(planner, question)
    assert args["metrics"] == ["repeat_buyers"]


# 3. "came back for another order", "又下了一单" beside the repurchase rate or the repeat
#    buyers restates the second order they count; elsewhere "another" is still asked about.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("What share of last quarter's buyers came back for another purchase?", "repurchase_rate"),
        ("what fraction of 2025's shoppers came back for one more order", "repurchase_rate"),
        ("上个月复购人数，就是又下了一单的客户", "repeat_buyers"),
    ],
)  # fmt: skip
def test_another_order_restates_the_repeat_purchase(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


def test_another_beside_other_metrics_is_still_asked(planner: OfflinePlanner) -> None:
    assert "another" in asked_back(planner, "revenue last month and another thing")


# 4. People opting out ("how many folks opted out", "取消订阅了多少") count the unsubscribes.
@pytest.mark.parametrize(
    "question",
    [
        "how many folks opted out of our emails in September",
        "email open rate last month and how many people unsubbed",
        "上个月短信有多少人取消订阅",
    ],
)  # fmt: skip
def test_opting_out_counts_the_unsubscribes(planner: OfflinePlanner, question: str) -> None:
    assert "unsubscribes" in _args(planner, question)["metrics"]


# 5. "which N <things> <any verb> the most": the things are the ranked breakdown, whatever the
#    verb ("earned", "got", "made"), never the whole store's figure.
@pytest.mark.parametrize(
    ("question", "dimension", "limit"),
    [
        ("which two campaigns got the highest CTR in 2025", "campaign", 2),
        ("which four campaigns earned the best ROI", "campaign", 4),
    ],
)  # fmt: skip
def test_which_n_things_rank_that_breakdown(
    planner: OfflinePlanner, question: str, dimension: str, limit: int
) -> None:
    args = _args(planner, question)
    assert (args.get("dimensions"), args.get("limit")) == ([dimension], limit)


# 6. The money "back" per unit of spend ("got the most back per yuan spent", "each dollar we
#    spent brought back"): the ROAS (attributed revenue / cost).
@pytest.mark.parametrize(
    "question",
    [
        "how much did the email campaigns get back per yuan spent last year",
        "which campaigns got the most back for every dollar spent",
        "2025年双11短信每花一块钱赚回多少",
    ],
)  # fmt: skip
def test_money_back_per_unit_spent_is_the_roas(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["roas"]


# 7. The new customer inside the CAC's own words ("每位新客的获客成本", "the cost to acquire each
#    new customer") restates its denominator: the CAC, never a new-customer cohort asked back;
#    "广告支出回报" without 率 is the ROAS as its other money-back words are.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("2025年双11短信那次每位新客的获客成本", ["cac"]),
        ("2025年618邮件那场的广告支出回报和新客获客成本", ["roas", "cac"]),
        ("the 618 2025 email: cost to acquire each new customer", ["cac"]),
    ],
)  # fmt: skip
def test_the_new_customer_of_the_cac_is_its_denominator(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert sorted(_args(planner, question)["metrics"]) == sorted(metrics)
