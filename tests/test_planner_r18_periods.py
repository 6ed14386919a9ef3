"""Round 18, periods and campaign windows: the ways marketers name a period beside the one the
question reads - the comparison word typed in pinyin, the report the figure is for, a whole
year restated, the store's whole history, a festival counted over its campaign window, the
campaigns that ran in a festival's window, the month after a first order, the buyers' period
churn is counted from, and a follow-up keeping the festival it names. Every wording is our
own; each family has near-misses that must still be asked back or read as before."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period, names_an_event
from tests.conftest import asked_back, last_call, planned_call, query_args

TODAY = date(2026, 11, 1)


# 1. 环比 / 同比 typed in pinyin are the comparison words they stand for.
@pytest.mark.parametrize(
    ("text", "start", "compare_start"),
    [
        ("gmv in september huanbi", date(2026, 9, 1), date(2026, 8, 1)),
        ("orders of Sep, huan bi vs Aug", date(2026, 9, 1), date(2026, 8, 1)),
        ("Huanbi for October revenue", date(2026, 10, 1), date(2026, 9, 1)),
        ("tongbi: units sold in October", date(2026, 10, 1), date(2025, 10, 1)),
        ("August aov, tong-bi please", date(2026, 8, 1), date(2025, 8, 1)),
    ],
)
def test_pinyin_comparison_words_compare(text: str, start: date, compare_start: date) -> None:
    found = find_period(text, TODAY)
    assert found is not None and found.range.start == start
    assert found.compare_to is not None and found.compare_to.start == compare_start


def test_pinyin_comparison_near_miss_is_no_comparison() -> None:
    found = find_period("huanbao orders in september", TODAY)
    assert found is not None and found.compare_to is None


def test_pinyin_comparison_in_a_question_is_answered(planner: OfflinePlanner) -> None:
    args = query_args(planner, "orders of September, and huanbi vs August")
    assert args["metrics"] == ["orders"], args
    read = find_period(args["time_range"], TODAY)
    assert args.get("compare_to") or (read is not None and read.compare_to is not None), args


# 2. The report a figure is for, said in pinyin, is framing.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("for the zhoubao: orders week by week in October", "orders"),
        ("yuebao numbers - aov last month", "aov"),
        ("ribao: how many buyers yesterday", "buyers"),
        ("need it for the Zhoubao, units sold last week", "units"),
    ],
)
def test_pinyin_report_names_are_framing(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_pinyin_report_near_miss_is_asked(planner: OfflinePlanner) -> None:
    assert "zhoubei" in asked_back(planner, "zhoubei orders last week").lower()


# 3. A whole calendar year restated beside the year named; beside no year it is asked.
@pytest.mark.parametrize(
    "question",
    [
        "orders in 2025, full calendar year",
        "ROAS by campaign channel for 2024 - the whole calendar year",
        "2025 retro: new customers, entire calendar yr",
        "2025年自然年的订单数",
        "25年 完整自然年 的客单价",
    ],
)
def test_whole_calendar_year_restates_the_year(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert "202" in args["time_range"] or "25年" in args["time_range"], args


@pytest.mark.parametrize(
    "question", ["revenue for the full calendar year", "orders last quarter, full calendar year"]
)
def test_whole_calendar_year_near_miss_is_asked(planner: OfflinePlanner, question: str) -> None:
    assert "full" in asked_back(planner, question).lower()


# 4. Where the store's data begins: all of history, no period.
@pytest.mark.parametrize(
    "question",
    [
        "all-time CAC by campaign channel, since the data starts",
        "total orders since records began",
        "revenue since day one, by channel",
        "有数据以来的总订单数",
        "从有数据开始算，一共多少买家",
    ],
)
def test_since_the_data_starts_is_all_time(planner: OfflinePlanner, question: str) -> None:
    _, args = planned_call(planner, question)
    assert "time_range" not in args, args


def test_since_another_start_is_asked(planner: OfflinePlanner) -> None:
    assert "refresh" in asked_back(planner, "revenue since the data refresh").lower()


# 5. The month after a first order of new customers: cohort retention.
@pytest.mark.parametrize(
    "question",
    [
        "新客的次月复购怎么样？按首购月份看",
        "首购客户次月的留存情况",
        "新用户次月回购率，各个月份都要",
        "首单客户次月还在买的有多少",
    ],
)
def test_new_customers_next_month_is_cohort_retention(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "cohort_retention"


# 6. A festival counted over its campaign window: the window the period reads already.
@pytest.mark.parametrize(
    "question",
    [
        "25年双十一（按活动档期算）的订单数",
        "2026年618按大促期间来算的客单价",
        "去年双11的销售额，按活动档期",
        "25年双十一大促（以活动档期为准）买家数",
    ],
)
def test_festival_counted_over_its_window(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert names_an_event(args["time_range"], TODAY), args


def test_window_words_beside_a_calendar_period_are_asked(planner: OfflinePlanner) -> None:
    assert "档期" in asked_back(planner, "上个月客单价（按活动档期算）")


# 7. Every campaign that ran in a festival's window: a breakdown over the window, no filter.
@pytest.mark.parametrize(
    "question",
    [
        "CVR for each campaign that ran in the 618 2026 window",
        "click rate per campaign over the Double 11 2025 window",
        "2026春节档 各个活动的打开率",
        "25年双十一档期每个活动的转化率",
    ],
)
def test_campaigns_of_a_festival_window_are_a_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["campaign"], args
    assert "campaign" not in (args.get("filters") or {}), args
    assert names_an_event(args["time_range"], TODAY), args


def test_festival_campaigns_without_a_window_word_keep_their_filter(
    planner: OfflinePlanner,
) -> None:
    args = query_args(planner, "open rate of each 618 2026 campaign")
    assert (args.get("filters") or {}).get("campaign"), args


# 8. Churn with two periods: the earlier restates the buyers' period, the later is asked.
@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("三季度流失率多少？就是二季度买过、三季度没再买的人", "三季度"),
        ("2季度买过的人里，3季度流失了多少", "3季度"),
        ("Q3 churn - Q2 buyers who did not order again in Q3", "Q3"),
        ("October churn: September buyers who didn't order again in October", "October"),
    ],
)
def test_churn_periods_read_the_later_one(
    planner: OfflinePlanner, question: str, asked: str
) -> None:
    args = query_args(planner, question)
    assert {"churn_rate", "churned_customers"} & set(args["metrics"]), args
    assert asked in args["time_range"], args


def test_two_periods_without_churn_are_asked(planner: OfflinePlanner) -> None:
    assert "q2" in asked_back(planner, "Q3 revenue from people who bought in Q2").lower()


# 9. "better than ... the year before": a comparison with the same period last year.
@pytest.mark.parametrize(
    "question",
    [
        "new customers in the 618 2026 sale - better or worse than the year before?",
        "Q3 orders - better than the year before?",
    ],
)
def test_better_than_the_year_before_compares(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question).get("compare_to"), question


# 10. Follow-ups: the festival named again keeps its window; a period to compare with.
@pytest.mark.parametrize(
    "turns",
    [
        ["conversion rate for 618 2026 - Push", "and the email one from the same 618?"],
        ["open rate of the 618 2026 email", "what about the push one from that same 618"],
    ],
)
def test_follow_up_naming_the_festival_keeps_its_window(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert "618" in args.get("time_range", ""), args


@pytest.mark.parametrize(
    "turns",
    [
        ["三季度客单价多少", "对比下25年的三季度"],
        ["三季度订单数", "对比一下去年同期"],
        ["Q3 AOV", "比一下25年三季度"],
    ],
)
def test_follow_up_comparing_with_a_period_compares(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args.get("compare_to"), args
