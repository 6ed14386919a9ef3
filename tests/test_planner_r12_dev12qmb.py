"""Round 12, set 12d's metric questions, part B (engineer "dev12qmb").
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. What each (every) member of a breakdown "brought in" is its revenue, broken down by it.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("what did every channel pull in last quarter?", "channel"),
        ("how much did every city take in in 2025", "city"),
        ("2025年每个省份进账多少", "province"),
    ],
)
def test_what_each_member_brought_in_is_revenue_by_it(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert args["dimensions"] == [dimension]


# 2. When the customers signed up, said beside the sign-up verb ("originally", "一开始"),
#    restates the signup-channel filter: a customer signs up once.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("orders last month from shoppers who initially signed up in store", "store"),
        ("2025 net sales of customers originally registered on the mini program", "mini_program"),
        ("一开始在小程序注册的客户上个月的营收", "mini_program"),
        ("当初通过app注册的顾客三季度下了多少单", "app"),
    ],
)
def test_a_signup_time_word_restates_the_signup_channel(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    assert query_args(planner, question)["filters"] == {"signup_channel": [channel]}


# 3. A store campaign named by its own words around its period ("the 2025 win-back email":
#    "Win-back 2025 - Email") is that campaign, its words placed; whether it "paid for itself"
#    (回本) is its ROI.
@pytest.mark.parametrize(
    ("question", "metrics", "campaign"),
    [
        ("click-through rate of the 2025 win-back email", ["ctr"], "Win-back 2025 - Email"),
        ("did the 2025 win-back email pay for itself?", ["roi"], "Win-back 2025 - Email"),
        ("618 2026 Email活动回本了吗", ["roi"], "618 2026 - Email"),
    ],
)
def test_a_campaign_named_by_its_own_words_around_its_period(
    planner: OfflinePlanner, question: str, metrics: list[str], campaign: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args["filters"] == {"campaign": [campaign]}


# 4. A group of people (这帮人, 那批会员, 他们) as the ones who spent: what they paid us, the
#    revenue, never the marketing cost; "we" spending stays the cost.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("广州这帮人上个月一共花了多少钱", "revenue"),
        ("深圳那批会员去年花了多少钱", "revenue"),
        ("上个月我们在广州花了多少钱", "cost"),
    ],
)
def test_a_group_that_spent_is_revenue(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


# 5. Beside the average LTV, whose lifetime it is (the customers first sold to, acquired, whose
#    first order fell in the period; all they spent since) restates the cohort the period
#    selects: no revenue, new or acquired customers beside it.
@pytest.mark.parametrize(
    "question",
    [
        "mean lifetime value of the shoppers we first sold to in 2025",
        "average historical value of clients acquired in Q2, i.e. all they've spent with us since",
        "2025年第一次下单的顾客的平均终身价值，算此后累计消费",
    ],
)
def test_an_ltv_cohort_restates_the_period(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["average_ltv"]
    assert "filters" not in args
