"""Round 11, kinds of development set 11d's metric questions (engineer dev11qm). Every
wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A period's send on one channel pointed at as one occurrence ("双11短信那一场", "618推送
#    那次", "the 618 push that time") is that campaign, never the channel over the period.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("2025年618推送那次的ROI是多少", "618 2025 - Push"),
        ("双11 2025短信那一场花了多少钱", "Double 11 2025 - SMS"),
        ("2026年春节短信这次的打开率", "Spring Festival 2026 - SMS"),
        ("how many orders did the 618 2025 push bring that time", "618 2025 - Push"),
    ],
)  # fmt: skip
def test_a_send_pointed_at_once_is_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    # no period said beside it: the campaign's own window (its festival head), not all time
    assert args.get("time_range") == campaign.split(" - ")[0]


def test_a_channel_over_a_period_stays_the_channel(planner: OfflinePlanner) -> None:
    args = _args(planner, "去年618期间推送的打开率")
    assert args["filters"] == {"channel": ["push"]}


# 2. More words that leave a store value out ("leaving out", "setting aside", "ignoring",
#    "minus" before a value, "撇开", "刨除"): the value is excluded, never the filter to it.
@pytest.mark.parametrize(
    ("question", "exclude"),
    [
        ("orders last month, ignoring the app", {"channel": ["app"]}),
        ("setting aside skincare, how many units did we sell in October", {"category": ["skincare"]}),
        ("revenue in Q3 minus Shanghai", {"city": ["上海"]}),
        ("AOV in August, leaving out offline stores", {"channel": ["store"]}),
        ("撇开线下门店，9月的销售额是多少", {"channel": ["store"]}),
        ("刨除护肤品以外，上个月的订单数", {"category": ["skincare"]}),
    ],
)  # fmt: skip
def test_more_words_leave_a_value_out(
    planner: OfflinePlanner, question: str, exclude: dict[str, list[str]]
) -> None:
    args = _args(planner, question)
    assert args["exclude"] == exclude
    assert not args.get("filters")


def test_minus_before_no_store_value_is_no_exclusion(planner: OfflinePlanner) -> None:
    message = planner._plan("AOV last month leaving out the big spenders", [])
    assert not message.tool_calls
    assert "leaving out the big" in message.content


# 3. "逐季度", "逐年", "quarter by quarter", "year by year": one row per period grain, as 逐月
#    and "month by month" are.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("2024年逐季度的订单数", "quarter"),
        ("客单价逐季看一下，2025年", "quarter"),
        ("revenue quarter by quarter in 2025", "quarter"),
        ("repurchase rate year by year 2024-2025", "year"),
        ("2024到2025年逐年的新客数", "year"),
        ("week-by-week orders last month", "week"),
    ],
)  # fmt: skip
def test_step_by_step_grains_break_down(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert _args(planner, question)["dimensions"] == [dimension]


# 4. A predictive model declined beside a metric ("just the rate, no forecast needed", "we
#    don't want a churn model", "不需要预测"): the metric, neither a question back on the
#    model's words nor the churn-prediction tool.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("churn rate in Q2, we don't want a churn model", "churn_rate"),
        ("churn rate last month, no prediction needed", "churn_rate"),
        ("repurchase rate in August, I don't need any forecasting", "repurchase_rate"),
        ("上季度流失率，不需要模型", "churn_rate"),
        ("上个月的复购率，不用做预测", "repurchase_rate"),
    ],
)  # fmt: skip
def test_a_declined_model_leaves_the_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


def test_a_prediction_asked_stays_a_prediction(planner: OfflinePlanner) -> None:
    message = planner._plan("which customers are likely to churn? I don't need the rate", [])
    assert [c["name"] for c in message.tool_calls] == ["predict_churn"]


# 5. The per-person denominator restated beside a per-buyer figure ("spend per customer (per
#    head, not per order)", "人均消费（按人头算，不是按单）") is placed by it; "revenue per head",
#    "per capita spend" name it. Beside another metric ("AOV per person") it is still asked.
@pytest.mark.parametrize(
    "question",
    [
        "spend per customer (per head, not per order) in Q3",
        "revenue per head in Beijing last month",
        "per capita spend in the app channel this year",
        "人均消费是多少（按人头算，不是按单）",
    ],
)
def test_the_per_person_denominator_is_placed(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"][0] == "revenue_per_buyer"


def test_per_person_beside_another_metric_is_asked(planner: OfflinePlanner) -> None:
    message = planner._plan("AOV per person last month", [])
    assert not message.tool_calls
    assert "person" in message.content


# 6. A count that restates the values listed ("杭州和南京两个城市", "三座城市", "both cities",
#    "the two channels") is placed by them; a count that lists more than was named ("北京三地")
#    is still asked about.
@pytest.mark.parametrize(
    ("question", "dimension", "count"),
    [
        ("杭州和南京两个城市上个月的订单数分别多少", "city", 2),
        ("杭州、南京、苏州三座城市的客单价", "city", 3),
        ("revenue in Beijing and Shanghai last month, both cities separately", "city", 2),
        ("orders last month for the app and the mini program - the two channels side by side", "channel", 2),
    ],
)  # fmt: skip
def test_a_count_restating_the_values_is_placed(
    planner: OfflinePlanner, question: str, dimension: str, count: int
) -> None:
    args = _args(planner, question)
    assert len(args["filters"][dimension]) == count


def test_a_count_beyond_the_values_is_asked(planner: OfflinePlanner) -> None:
    message = planner._plan("上个月北京三地的销售额", [])
    assert not message.tool_calls
    assert "三地" in message.content


# 7. "placed / made more than one order (purchase)" counts the orders as "ordered more than
#    once" does: their share of the customers is the repurchase rate, their number the repeat
#    buyers.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("what share of Q3 buyers made more than one purchase", "repurchase_rate"),
        ("percentage of customers who placed more than one order in August", "repurchase_rate"),
        ("how many customers placed more than one order last month", "repeat_buyers"),
    ],
)  # fmt: skip
def test_more_than_one_order_is_a_repeat_purchase(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# 8. What sales "brought in" is the revenue, never dropped beside another metric ("how many
#    units ... and what did they bring in"); pieces counted by their pack ("how many jars",
#    "卖了多少瓶") are the units sold.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many units of makeup did we sell in August and what did they bring in", {"units", "revenue"}),
        ("how many jars did we sell last month", {"units"}),
        ("上个月护肤品卖了多少瓶", {"units"}),
    ],
)  # fmt: skip
def test_brought_in_is_revenue_and_packs_are_units(
    planner: OfflinePlanner, question: str, metrics: set[str]
) -> None:
    assert set(_args(planner, question)["metrics"]) == metrics
