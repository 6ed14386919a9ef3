"""Round 20 wave 2, metric questions asked back that the store answers: a checking verb
("double check", "confirm", 核对) frames a figure question; "ever" and "since we started" say
all time; "same stretch" is the same period; 再上一个季度 is the period before the last one;
注册进来 is signing up; 归因销售 and "acquisition cost per newly won customer" name metrics.
A share of people ("what % bought twice") beside a comparison is asked back, never answered
with a count. Every wording is our own; each family has a near-miss still asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A checking verb frames the figure asked.
@pytest.mark.parametrize(
    "question, metric",
    [
        ("I want to double-check our 2025 orders", "orders"),
        ("please verify last month's AOV for me", "aov"),
        ("PPT里写的去年退货率，帮我核对一下", "return_rate"),
        ("confirm the churn rate for 2025", "churn_rate"),
    ],
)
def test_checking_verb_frames_a_figure(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == [metric]


def test_checking_verb_keeps_an_unknown_word_asked(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "can you double check the pet food sales last month")


# 2. "ever": all of them, all time (no period).
@pytest.mark.parametrize(
    "question",
    [
        "open rate of every SMS campaign we've ever sent",
        "unsubscribe rate per email campaign since we started",
    ],
)
def test_ever_is_all_time(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["dimensions"] == ["campaign"]
    assert not args.get("time_range")


def test_since_an_unknown_start_stays_asked(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "unsubscribe rate per email campaign since the rebrand")


# 3. "same stretch" is the same period.
def test_same_stretch_is_same_period(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "buyers this year vs the same stretch of 2025")
    assert name == "query_metrics"
    assert args["metrics"] == ["buyers"]
    assert args.get("compare_to") or "same period" in args["time_range"]


def test_stretch_alone_stays_asked(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "revenue over a long stretch")


# 4. 再上一个 is the period before the last one.
@pytest.mark.parametrize(
    "question, compare",
    [
        ("上个月的订单数，和再上个月比", "上上个月"),
        ("上季度销售额对比再上一季度", "上上个季度"),
    ],
)
def test_zai_shang_is_the_one_before_last(planner: OfflinePlanner, question: str, compare: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert compare in (args.get("compare_to") or "") + (args.get("time_range") or "")


# 5. 注册进来 is signing up; 归因销售 and "per newly won customer" name metrics.
def test_signed_up_said_as_coming_in(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "今年通过小程序注册进来的客户，复购率多少")
    assert name == "query_metrics"
    assert args["filters"] == {"signup_channel": ["mini_program"]}


def test_coming_in_alone_stays_asked(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "进来的用户今年复购率")


def test_attributed_sales_short(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "25年双11短信活动带来的归因销售是多少")
    assert name == "query_metrics"
    assert args["metrics"] == ["attributed_revenue"]


def test_cost_per_newly_won_customer(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "cost per newly won customer for the Win-back 2026 - Email campaign")
    assert name == "query_metrics"
    assert args["metrics"] == ["cac"]


# 6. A share of people beside a comparison is not a % change: never a count.
def test_share_of_people_beside_comparison_is_not_a_count(planner: OfflinePlanner) -> None:
    question = "among male customers, what % bought at least twice this year, compared with the same period of 2025"
    try:
        name, args = planned_call(planner, question)
    except AssertionError:
        return  # asked back: fine
    assert name == "query_metrics"
    assert "repeat_buyers" not in args["metrics"]


def test_percent_change_beside_comparison_still_answered(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "orders this month vs the same period last year, in %")
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"]
