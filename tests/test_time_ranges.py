"""Table-driven tests for knowledge.time_ranges (English and Chinese period phrases)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.time_ranges import CHINESE_NEW_YEAR, PeriodMatch, find_period, parse_period

NOV1 = date(2026, 11, 1)  # first day of a month: "this month" is a single day
MAR15 = date(2026, 3, 15)  # mid-month, mid-quarter, after Chinese New Year 2026 (Feb 17)
D = date

# (text, today, start, end)
PARSE_CASES: list[tuple[str, date, date, date]] = [
    # absolute years, quarters, months, days
    ("2025", NOV1, D(2025, 1, 1), D(2025, 12, 31)),
    ("2025年", NOV1, D(2025, 1, 1), D(2025, 12, 31)),
    ("in 2025", NOV1, D(2025, 1, 1), D(2025, 12, 31)),
    ("2026", NOV1, D(2026, 1, 1), D(2026, 11, 1)),  # running year is cut at today
    ("Q3 2025", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("2025 Q3", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("2025-Q3", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("2025Q4", NOV1, D(2025, 10, 1), D(2025, 12, 31)),
    ("Q3-2025", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("2025年第三季度", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("2025年Q3", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("the third quarter of 2025", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    ("Q2", MAR15, D(2025, 4, 1), D(2025, 6, 30)),  # Q2 2026 has not started
    ("Q1", MAR15, D(2025, 1, 1), D(2025, 3, 31)),  # the running Q1 is not complete
    ("March 2025", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("Mar 2025", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("2025-03", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("2025/3", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("2025年3月", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("2024年2月", NOV1, D(2024, 2, 1), D(2024, 2, 29)),
    ("3月", NOV1, D(2026, 3, 1), D(2026, 3, 31)),
    ("3月份", MAR15, D(2025, 3, 1), D(2025, 3, 31)),  # the latest complete March
    ("12月", MAR15, D(2025, 12, 1), D(2025, 12, 31)),  # after today's month -> last year
    ("十二月", MAR15, D(2025, 12, 1), D(2025, 12, 31)),
    ("二月", MAR15, D(2026, 2, 1), D(2026, 2, 28)),
    ("December", MAR15, D(2025, 12, 1), D(2025, 12, 31)),
    ("2025-03-05", NOV1, D(2025, 3, 5), D(2025, 3, 5)),
    ("2025/3/5", NOV1, D(2025, 3, 5), D(2025, 3, 5)),
    ("2025年3月5日", NOV1, D(2025, 3, 5), D(2025, 3, 5)),
    ("Mar 5, 2025", NOV1, D(2025, 3, 5), D(2025, 3, 5)),
    ("5 March 2025", NOV1, D(2025, 3, 5), D(2025, 3, 5)),
    ("3月5号", NOV1, D(2026, 3, 5), D(2026, 3, 5)),
    ("2025年上半年", NOV1, D(2025, 1, 1), D(2025, 6, 30)),
    ("H2 2025", NOV1, D(2025, 7, 1), D(2025, 12, 31)),
    # explicit ranges
    ("from 2025-01-01 to 2025-03-31", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("2025-01-01..2025-03-31", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("2025-01-01 – 2025-03-31", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("between Jan and Mar 2025", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("Jan-Mar 2025", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("from March to May 2025", NOV1, D(2025, 3, 1), D(2025, 5, 31)),
    ("2025年1月到3月", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("2025年1月至2025年3月", NOV1, D(2025, 1, 1), D(2025, 3, 31)),
    ("1月1日至3月31日", NOV1, D(2026, 1, 1), D(2026, 3, 31)),
    ("12月到2月", MAR15, D(2025, 12, 1), D(2026, 2, 28)),  # wraps over new year
    ("2025-10-01 to 2026-12-31", NOV1, D(2025, 10, 1), D(2026, 11, 1)),  # cut at today
    ("since 2025-03-01", NOV1, D(2025, 3, 1), D(2026, 11, 1)),
    ("2025年以来", MAR15, D(2025, 1, 1), D(2026, 3, 15)),
    ("自3月以来", NOV1, D(2026, 3, 1), D(2026, 11, 1)),
    # relative, English
    ("today", NOV1, D(2026, 11, 1), D(2026, 11, 1)),
    ("yesterday", NOV1, D(2026, 10, 31), D(2026, 10, 31)),
    ("last 7 days", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("past 30 days", NOV1, D(2026, 10, 2), D(2026, 10, 31)),
    ("the last seven days", MAR15, D(2026, 3, 8), D(2026, 3, 14)),
    ("last 12 weeks", MAR15, D(2025, 12, 15), D(2026, 3, 8)),  # whole Mon-Sun weeks
    ("last 6 months", NOV1, D(2026, 5, 1), D(2026, 10, 31)),
    ("last 6 months", MAR15, D(2025, 9, 1), D(2026, 2, 28)),
    ("last 2 quarters", MAR15, D(2025, 7, 1), D(2025, 12, 31)),
    ("the past year", MAR15, D(2025, 3, 1), D(2026, 2, 28)),  # 12 whole months
    ("last week", NOV1, D(2026, 10, 19), D(2026, 10, 25)),  # Nov 1 2026 is a Sunday
    ("last week", MAR15, D(2026, 3, 2), D(2026, 3, 8)),
    ("this week", MAR15, D(2026, 3, 9), D(2026, 3, 15)),
    ("last month", NOV1, D(2026, 10, 1), D(2026, 10, 31)),
    ("last month", MAR15, D(2026, 2, 1), D(2026, 2, 28)),
    ("this month", NOV1, D(2026, 11, 1), D(2026, 11, 1)),
    ("This Month", MAR15, D(2026, 3, 1), D(2026, 3, 15)),
    ("the month before last", MAR15, D(2026, 1, 1), D(2026, 1, 31)),
    ("last quarter", NOV1, D(2026, 7, 1), D(2026, 9, 30)),
    ("last quarter", MAR15, D(2025, 10, 1), D(2025, 12, 31)),
    ("this quarter", NOV1, D(2026, 10, 1), D(2026, 11, 1)),
    ("last year", NOV1, D(2025, 1, 1), D(2025, 12, 31)),
    ("this year", NOV1, D(2026, 1, 1), D(2026, 11, 1)),
    ("year to date", MAR15, D(2026, 1, 1), D(2026, 3, 15)),
    ("YTD", NOV1, D(2026, 1, 1), D(2026, 11, 1)),
    ("month to date", MAR15, D(2026, 3, 1), D(2026, 3, 15)),
    ("the year before last", NOV1, D(2024, 1, 1), D(2024, 12, 31)),
    ("March last year", NOV1, D(2025, 3, 1), D(2025, 3, 31)),
    ("Q3 of last year", NOV1, D(2025, 7, 1), D(2025, 9, 30)),
    # relative, Chinese
    ("今天", MAR15, D(2026, 3, 15), D(2026, 3, 15)),
    ("昨天", MAR15, D(2026, 3, 14), D(2026, 3, 14)),
    ("最近7天", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("近7天", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("过去30天", NOV1, D(2026, 10, 2), D(2026, 10, 31)),
    ("最近七天", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("最近三十天", NOV1, D(2026, 10, 2), D(2026, 10, 31)),
    ("近一个月", NOV1, D(2026, 10, 1), D(2026, 10, 31)),
    ("最近3个月", NOV1, D(2026, 8, 1), D(2026, 10, 31)),
    ("近十二个月", MAR15, D(2025, 3, 1), D(2026, 2, 28)),
    # 最近/近/过去 and past/recent weeks slide (7·N days ending yesterday); 上周/last N weeks are calendar
    ("近两周", MAR15, D(2026, 3, 1), D(2026, 3, 14)),
    ("最近一周", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("过去1周", MAR15, D(2026, 3, 8), D(2026, 3, 14)),
    ("the past week", NOV1, D(2026, 10, 25), D(2026, 10, 31)),
    ("recent 2 weeks", NOV1, D(2026, 10, 18), D(2026, 10, 31)),
    ("last 2 weeks", NOV1, D(2026, 10, 12), D(2026, 10, 25)),
    ("近半年", MAR15, D(2025, 9, 1), D(2026, 2, 28)),
    ("近一年", MAR15, D(2025, 3, 1), D(2026, 2, 28)),
    ("上周", MAR15, D(2026, 3, 2), D(2026, 3, 8)),
    ("本周", MAR15, D(2026, 3, 9), D(2026, 3, 15)),
    ("这周", MAR15, D(2026, 3, 9), D(2026, 3, 15)),
    ("上个月", MAR15, D(2026, 2, 1), D(2026, 2, 28)),
    ("上月", NOV1, D(2026, 10, 1), D(2026, 10, 31)),
    ("上上个月", MAR15, D(2026, 1, 1), D(2026, 1, 31)),
    ("本月", MAR15, D(2026, 3, 1), D(2026, 3, 15)),
    ("这个月", NOV1, D(2026, 11, 1), D(2026, 11, 1)),
    ("上季度", MAR15, D(2025, 10, 1), D(2025, 12, 31)),
    ("上个季度", NOV1, D(2026, 7, 1), D(2026, 9, 30)),
    ("本季度", MAR15, D(2026, 1, 1), D(2026, 3, 15)),
    ("去年", MAR15, D(2025, 1, 1), D(2025, 12, 31)),
    ("今年", MAR15, D(2026, 1, 1), D(2026, 3, 15)),
    ("前年", MAR15, D(2024, 1, 1), D(2024, 12, 31)),
    ("今年以来", NOV1, D(2026, 1, 1), D(2026, 11, 1)),
    ("年初至今", MAR15, D(2026, 1, 1), D(2026, 3, 15)),
    ("去年3月", MAR15, D(2025, 3, 1), D(2025, 3, 31)),
    ("去年第四季度", MAR15, D(2025, 10, 1), D(2025, 12, 31)),
    ("今年上半年", NOV1, D(2026, 1, 1), D(2026, 6, 30)),
    # shopping festivals (default windows)
    # (round 27) named bare while running: the latest completed one, as a month is; said as
    # running ("so far", "目前"), the running one, cut at today
    ("Double 11", NOV1, D(2025, 10, 20), D(2025, 11, 11)),
    ("Double 11", MAR15, D(2025, 10, 20), D(2025, 11, 11)),
    ("double eleven", MAR15, D(2025, 10, 20), D(2025, 11, 11)),
    ("11.11", MAR15, D(2025, 10, 20), D(2025, 11, 11)),
    ("Singles' Day 2024", NOV1, D(2024, 10, 20), D(2024, 11, 11)),
    ("双十一", MAR15, D(2025, 10, 20), D(2025, 11, 11)),
    ("双11", MAR15, D(2025, 10, 20), D(2025, 11, 11)),
    ("last year's Double 11", NOV1, D(2025, 10, 20), D(2025, 11, 11)),
    ("Double 11 2025", NOV1, D(2025, 10, 20), D(2025, 11, 11)),
    ("去年双十一期间", NOV1, D(2025, 10, 20), D(2025, 11, 11)),
    ("618", NOV1, D(2026, 6, 1), D(2026, 6, 18)),
    ("618", MAR15, D(2025, 6, 1), D(2025, 6, 18)),
    ("6.18", NOV1, D(2026, 6, 1), D(2026, 6, 18)),
    ("2025年618", NOV1, D(2025, 6, 1), D(2025, 6, 18)),
    ("Spring Festival", NOV1, D(2026, 1, 27), D(2026, 2, 23)),  # CNY 2026-02-17
    ("Chinese New Year 2025", NOV1, D(2025, 1, 8), D(2025, 2, 4)),  # CNY 2025-01-29
    ("CNY", MAR15, D(2026, 1, 27), D(2026, 2, 23)),
    ("春节", MAR15, D(2026, 1, 27), D(2026, 2, 23)),
    ("年货节", NOV1, D(2026, 1, 27), D(2026, 2, 23)),
    ("去年春节", MAR15, D(2025, 1, 8), D(2025, 2, 4)),
]


@pytest.mark.parametrize(("text", "today", "start", "end"), PARSE_CASES)
def test_parse_period(text: str, today: date, start: date, end: date) -> None:
    r = parse_period(text, today)
    assert (r.start, r.end) == (start, end), r.label
    assert r.end <= today


# (text, today, label, grain)
LABEL_CASES = [
    ("2026年10月", NOV1, "2026年10月", "month"),
    ("October 2026", NOV1, "October 2026", "month"),
    ("last 30 days", NOV1, "last 30 days (2026-10-02 – 2026-10-31)", "day"),
    ("最近7天", NOV1, "最近7天（2026-10-25 至 2026-10-31）", "day"),
    ("last month", NOV1, "last month (October 2026)", "month"),
    ("上个月", NOV1, "上个月（2026年10月）", "month"),
    ("Q3 2025", NOV1, "Q3 2025", "quarter"),
    ("2025年第三季度", NOV1, "2025年第三季度", "quarter"),
    ("2026", NOV1, "2026 (to 2026-11-01)", "year"),
    ("今年", NOV1, "今年（2026-01-01 至 2026-11-01）", "year"),
    ("last 12 weeks", MAR15, "last 12 weeks (2025-12-15 – 2026-03-08)", "week"),
    ("去年双十一", NOV1, "2025年双十一（2025-10-20 至 2025-11-11）", "day"),
    ("Double 11 2025", NOV1, "Double 11 2025 (2025-10-20 – 2025-11-11)", "day"),
    ("2025年1月到3月", NOV1, "2025年第一季度", "month"),
    ("from March to May 2025", NOV1, "March – May 2025", "month"),
    ("2025-03-05", NOV1, "2025-03-05", "day"),
    ("2025年3月5日", NOV1, "2025年3月5日", "day"),
]


@pytest.mark.parametrize(("text", "today", "label", "grain"), LABEL_CASES)
def test_labels_follow_the_phrase_language(text: str, today: date, label: str, grain: str) -> None:
    r = parse_period(text, today)
    assert (r.label, r.grain_hint) == (label, grain)


# (question, today, expected phrase cut out by span, start, end, compare (start, end) or None)
FIND_CASES = [
    (
        "Compare Q1 and Q2 2025",
        NOV1,
        "Q1 and Q2 2025",
        D(2025, 1, 1),
        D(2025, 3, 31),
        (D(2025, 4, 1), D(2025, 6, 30)),
    ),  # fmt: skip
    (
        "Q3 2025 vs Q2 by channel",
        NOV1,
        "Q3 2025 vs Q2",
        D(2025, 7, 1),
        D(2025, 9, 30),
        (D(2025, 4, 1), D(2025, 6, 30)),
    ),  # fmt: skip
    (
        "去年双十一和今年双十一对比",
        NOV1,
        "去年双十一和今年双十一对比",
        D(2025, 10, 20),
        D(2025, 11, 11),
        (D(2026, 10, 20), D(2026, 11, 1)),
    ),  # fmt: skip
    ("What was revenue last month?", NOV1, "last month", D(2026, 10, 1), D(2026, 10, 31), None),
    ("上个月的销售额是多少？", NOV1, "上个月的", D(2026, 10, 1), D(2026, 10, 31), None),
    (
        "email vs SMS conversion last quarter",
        NOV1,
        "last quarter",
        D(2026, 7, 1),
        D(2026, 9, 30),
        None,
    ),
    ("去年双十一期间各品类销售额", NOV1, "去年双十一期间", D(2025, 10, 20), D(2025, 11, 11), None),
    ("revenue in 2025 by channel", NOV1, "in 2025", D(2025, 1, 1), D(2025, 12, 31), None),
    (
        "Top 10 products in the last 30 days",
        NOV1,
        "in the last 30 days",
        D(2026, 10, 2),
        D(2026, 10, 31),
        None,
    ),
    (
        "Shanghai women 25-35 who bought skincare in the last 90 days",
        NOV1,
        "in the last 90 days",
        D(2026, 8, 3),
        D(2026, 10, 31),
        None,
    ),  # fmt: skip
    ("2025年3月各渠道的转化率", NOV1, "2025年3月", D(2025, 3, 1), D(2025, 3, 31), None),
    ("最近3个月复购率", NOV1, "最近3个月", D(2026, 8, 1), D(2026, 10, 31), None),
    ("618 customers who came back", NOV1, "618", D(2026, 6, 1), D(2026, 6, 18), None),
    (
        "revenue by month this year vs last year",
        NOV1,
        "this year vs last year",
        D(2026, 1, 1),
        D(2026, 11, 1),
        (D(2025, 1, 1), D(2025, 12, 31)),
    ),  # fmt: skip
    (
        "Q3 2025 vs Q3 2024 revenue",
        NOV1,
        "Q3 2025 vs Q3 2024",
        D(2025, 7, 1),
        D(2025, 9, 30),
        (D(2024, 7, 1), D(2024, 9, 30)),
    ),  # fmt: skip
    (
        "Q3 2025 revenue compared to last year",
        NOV1,
        "Q3 2025",
        D(2025, 7, 1),
        D(2025, 9, 30),
        (D(2024, 7, 1), D(2024, 9, 30)),
    ),  # fmt: skip
    (
        "sales this month compared with last month",
        MAR15,
        "this month compared with last month",
        D(2026, 3, 1),
        D(2026, 3, 15),
        (D(2026, 2, 1), D(2026, 2, 28)),
    ),  # fmt: skip
    (
        "How is revenue compared to last year?",
        MAR15,
        "compared to last year",
        D(2026, 1, 1),
        D(2026, 3, 15),
        (D(2025, 1, 1), D(2025, 3, 15)),
    ),  # fmt: skip
    (
        "revenue last quarter year over year",
        NOV1,
        "last quarter year over year",
        D(2026, 7, 1),
        D(2026, 9, 30),
        (D(2025, 7, 1), D(2025, 9, 30)),
    ),  # fmt: skip
    (
        "AOV last month, MoM",
        NOV1,
        "last month, MoM",
        D(2026, 10, 1),
        D(2026, 10, 31),
        (D(2026, 9, 1), D(2026, 9, 30)),
    ),  # fmt: skip
    (
        "上个月销售额环比",
        NOV1,
        "上个月",
        D(2026, 10, 1),
        D(2026, 10, 31),
        (D(2026, 9, 1), D(2026, 9, 30)),
    ),  # fmt: skip
    (
        "本月销售额同比增长多少",
        MAR15,
        "本月",
        D(2026, 3, 1),
        D(2026, 3, 15),
        (D(2025, 3, 1), D(2025, 3, 15)),
    ),  # fmt: skip
    (
        "今年和去年对比各渠道ROI",
        NOV1,
        "今年和去年对比",
        D(2026, 1, 1),
        D(2026, 11, 1),
        (D(2025, 1, 1), D(2025, 12, 31)),
    ),  # fmt: skip
    (
        "最近7天环比",
        NOV1,
        "最近7天环比",
        D(2026, 10, 25),
        D(2026, 10, 31),
        (D(2026, 10, 18), D(2026, 10, 24)),
    ),  # fmt: skip
    ("销售额同比", MAR15, "同比", D(2026, 1, 1), D(2026, 3, 15), (D(2025, 1, 1), D(2025, 3, 15))),
    (
        "本季度与上季度相比",
        MAR15,
        "本季度与上季度相比",
        D(2026, 1, 1),
        D(2026, 3, 15),
        (D(2025, 10, 1), D(2025, 12, 31)),
    ),  # fmt: skip
    (
        "2024年2月环比",
        NOV1,
        "2024年2月环比",
        D(2024, 2, 1),
        D(2024, 2, 29),
        (D(2024, 1, 1), D(2024, 1, 31)),
    ),  # fmt: skip
    (
        "2024年2月同比",
        NOV1,
        "2024年2月同比",
        D(2024, 2, 1),
        D(2024, 2, 29),
        (D(2023, 2, 1), D(2023, 2, 28)),
    ),  # fmt: skip
]


@pytest.mark.parametrize(("question", "today", "phrase", "start", "end", "compare"), FIND_CASES)
def test_find_period(
    question: str,
    today: date,
    phrase: str,
    start: date,
    end: date,
    compare: tuple[date, date] | None,
) -> None:
    m = find_period(question, today)
    assert isinstance(m, PeriodMatch)
    assert question[m.span[0] : m.span[1]] == phrase
    assert (m.range.start, m.range.end) == (start, end)
    got = (m.compare_to.start, m.compare_to.end) if m.compare_to else None
    assert got == compare


@pytest.mark.parametrize(
    "question",
    [
        "top 10 products",
        "Who are our Champions?",
        "show the last order of each customer",
        "SKU 2025 stock level",
        "order #2025 status",
        "customers who spent over 2000 yuan",
        "满2000元减200的券效果如何",
        "May I see the RFM segments?",
        "products for mom",
        "各品类销售额",
        "revenue in CNY by channel",
        "plan next month's campaign",  # future periods have no data
        "forecast for 2030",
        "",
    ],
)
def test_find_period_none(question: str) -> None:
    assert find_period(question, NOV1) is None


def test_may_is_a_month_next_to_a_number_or_capitalised() -> None:
    assert find_period("revenue in May 2025", NOV1).range.start == D(2025, 5, 1)  # type: ignore[union-attr]
    assert find_period("What was revenue in May?", NOV1).range.start == D(2026, 5, 1)  # type: ignore[union-attr]


def test_span_lets_the_caller_remove_the_phrase() -> None:
    q = "What was revenue last month?"
    m = find_period(q, NOV1)
    assert m is not None
    assert (q[: m.span[0]] + q[m.span[1] :]).strip() == "What was revenue ?"


def test_all_spans_lists_separate_pieces() -> None:
    m = find_period("Q3 2025 revenue compared to last year", NOV1)
    assert m is not None and len(m.all_spans) == 2


CAMPAIGNS = {
    "double11": [(D(2024, 10, 24), D(2024, 11, 12)), (D(2025, 10, 15), D(2025, 11, 13))],
    "618": [(D(2025, 5, 20), D(2025, 6, 20))],
    # Spring Festival campaigns start in December: the one nearest the default window wins.
    "spring_festival": [(D(2024, 12, 20), D(2025, 2, 5)), (D(2025, 12, 22), D(2026, 2, 25))],
}

# (text, today, start, end)
EVENT_CASES = [
    ("last year's Double 11", NOV1, D(2025, 10, 15), D(2025, 11, 13)),
    ("Double 11 2024", NOV1, D(2024, 10, 24), D(2024, 11, 12)),
    ("Double 11 2023", NOV1, D(2023, 10, 20), D(2023, 11, 11)),  # no campaign: default
    ("Double 11", MAR15, D(2025, 10, 15), D(2025, 11, 13)),
    ("2025年618", NOV1, D(2025, 5, 20), D(2025, 6, 20)),
    ("618", NOV1, D(2026, 6, 1), D(2026, 6, 18)),  # 2026 campaign not recorded
    ("2025年春节", NOV1, D(2024, 12, 20), D(2025, 2, 5)),
    ("春节", MAR15, D(2025, 12, 22), D(2026, 2, 25)),
]


@pytest.mark.parametrize(("text", "today", "start", "end"), EVENT_CASES)
def test_campaign_windows_override_defaults(text: str, today: date, start: date, end: date) -> None:
    r = parse_period(text, today, CAMPAIGNS)
    assert (r.start, r.end) == (start, end)


def test_chinese_new_year_dates() -> None:
    assert set(CHINESE_NEW_YEAR) == set(range(1900, 2100))  # computed (lunardate), r17
    assert all(D(y, 1, 21) <= d <= D(y, 2, 20) for y, d in CHINESE_NEW_YEAR.items())


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("revenue last month", "Cannot understand the period 'revenue last month'"),
        ("gibberish", "try e.g. 'last 30 days'"),
        ("", "Cannot understand the period ''"),
        ("2025-02-30", "day is out of range"),
        ("2027", "starts after today"),
        ("next month", "starts after today"),
        ("Q3 2025 vs Q3 2024", "Cannot understand the period"),  # a comparison, not a period
    ],
)
def test_parse_period_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="try e.g.") as info:
        parse_period(text, NOV1)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("orders in 03/2025", date(2025, 3, 1), date(2025, 3, 31)),
        ("sales 12/1998", date(1998, 12, 1), date(1998, 12, 31)),
        ("2025年双十一当天的订单数", date(2025, 11, 11), date(2025, 11, 11)),
        ("revenue on Double 11 day itself 2024", date(2024, 11, 11), date(2024, 11, 11)),
        ("618当天卖了多少", date(2026, 6, 18), date(2026, 6, 18)),
        ("2025年双十一的销售额", date(2025, 10, 20), date(2025, 11, 11)),  # the window
    ],
)
def test_month_year_forms_and_a_festival_main_day(text: str, start: date, end: date) -> None:
    match = find_period(text, date(2026, 11, 1))
    assert match is not None
    assert (match.range.start, match.range.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("November", date(2025, 11, 1), date(2025, 11, 30)),
        ("11月", date(2025, 11, 1), date(2025, 11, 30)),
        ("Q4", date(2025, 10, 1), date(2025, 12, 31)),  # this Q4 is running: last year's
        ("Nov 1", date(2026, 11, 1), date(2026, 11, 1)),  # a day is itself
    ],
)
def test_a_month_beginning_today_is_last_years(text: str, start: date, end: date) -> None:
    # On the month's first day nothing of it is complete: "November" is last November,
    # not a one-day period with no data answered as zero.
    found = parse_period(text, date(2026, 11, 1))
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "compare"),
    [
        # The N units just before the question's own period, not N days back from today.
        (
            "orders in the last 7 days vs the previous 7 days",
            (date(2026, 10, 18), date(2026, 10, 24)),
        ),
        ("最近14天的销售额，跟之前14天比一下", (date(2026, 10, 4), date(2026, 10, 17))),
        ("上个月的订单数和前两个月比", (date(2026, 8, 1), date(2026, 9, 30))),
        # Round 8 (qmzh): quarters too ("季度" was left unplaced).
        ("今年第二季度的订单数，和前一个季度相比", (date(2026, 1, 1), date(2026, 3, 31))),
        (
            "revenue last month compared with the prior 3 months",
            (date(2026, 7, 1), date(2026, 9, 30)),
        ),
    ],
)
def test_a_comparison_with_the_previous_n_units(text: str, compare: tuple[date, date]) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.compare_to.start, found.compare_to.end) == compare


def test_the_previous_n_days_alone_is_a_period_not_a_comparison() -> None:
    found = find_period("revenue in the previous 30 days", date(2026, 11, 1))
    assert found is not None and found.compare_to is None
    assert (found.range.start, found.range.end) == (date(2026, 10, 2), date(2026, 10, 31))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # "on" a festival is its day; "during" it, or its promotion, is the window.
        ("what did we sell on double eleven in 2025", date(2025, 11, 11), date(2025, 11, 11)),
        ("orders on 618 in 2026", date(2026, 6, 18), date(2026, 6, 18)),
        ("orders during 618 in 2026", date(2026, 6, 1), date(2026, 6, 18)),
        ("sales on the Double 11 promotion in 2025", date(2025, 10, 20), date(2025, 11, 11)),
        # "the day itself" said apart from the festival's name is its day too.
        ("Double 11 2025 orders - just the day itself", date(2025, 11, 11), date(2025, 11, 11)),
        ("2026年618的订单，只算当天", date(2026, 6, 18), date(2026, 6, 18)),
    ],
)
def test_on_a_festival_is_its_day(text: str, start: date, end: date) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and (found.range.start, found.range.end) == (start, end)


def test_the_previous_n_days_without_a_period_is_left_to_the_conversation() -> None:
    # "和再往前14天比一下" counts back from the previous answer's period (followups.py),
    # never from this month.
    assert find_period("和再往前14天比一下", date(2026, 11, 1)) is None


@pytest.mark.parametrize(
    ("text", "compare"),
    [
        # Lower-case abbreviations beside a word of change are the comparison.
        ("qoq growth in orders this quarter", (date(2026, 7, 1), date(2026, 8, 1))),
        # (alone, the last complete week against the one before: Oct 19-25 vs Oct 12-18)
        ("web sales wow %", (date(2026, 10, 12), date(2026, 10, 18))),
        ("orders last month, change mom", (date(2026, 9, 1), date(2026, 9, 30))),
        # ... also with the metric between ("mom rev change").
        ("mom orders change for Sep", (date(2026, 8, 1), date(2026, 8, 31))),
        ("qoq web revenue growth for Q3", (date(2026, 4, 1), date(2026, 6, 30))),
    ],
)
def test_a_lower_case_comparison_abbreviation_beside_a_change_word(
    text: str, compare: tuple[date, date]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.compare_to.start, found.compare_to.end) == compare


@pytest.mark.parametrize("text", ["orders my mom placed", "wow, look at that", "qoq"])
def test_a_lower_case_abbreviation_alone_is_not_a_comparison(text: str) -> None:
    assert find_period(text, date(2026, 11, 1)) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("本季度订单数同比上年同期有变化吗", ("同比", "上年同期")),
        ("这个月的客单价环比上期如何", ("环比", "上期")),
        ("AOV this year yoy vs the same period last year", ("yoy", "the same period last year")),
    ],
)
def test_two_words_for_one_comparison_are_both_the_periods(
    text: str, words: tuple[str, ...]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    used = [text[start:end] for start, end in found.all_spans]
    for word in words:
        assert any(word in part for part in used), (word, used)


@pytest.mark.parametrize(
    ("text", "period", "compare"),
    [
        # "vs the previous month" after a period is the month before THAT period, not the
        # month before today (which made "last month vs previous month" compare October with
        # itself, and "September vs previous month" compare it with October).
        (
            "gmv last month versus previous month",
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 9, 1), date(2026, 9, 30)),
        ),
        (
            "orders in August 2026 against the prior month",
            (date(2026, 8, 1), date(2026, 8, 31)),
            (date(2026, 7, 1), date(2026, 7, 31)),
        ),
        (
            "buyers 2026 Q2 compared with the quarter before",
            (date(2026, 4, 1), date(2026, 6, 30)),
            (date(2026, 1, 1), date(2026, 3, 31)),
        ),
        (
            "sessions last week vs the preceding week",
            (date(2026, 10, 19), date(2026, 10, 25)),
            (date(2026, 10, 12), date(2026, 10, 18)),
        ),
        # A named year against "the previous year" is the year before it.
        (
            "revenue 2024 compared to the previous year",
            (date(2024, 1, 1), date(2024, 12, 31)),
            (date(2023, 1, 1), date(2023, 12, 31)),
        ),
    ],
)
def test_vs_the_previous_unit_counts_back_from_the_asked_period(
    text: str, period: tuple[date, date], compare: tuple[date, date]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.range.start, found.range.end) == period
    assert (found.compare_to.start, found.compare_to.end) == compare


def test_the_previous_month_alone_is_last_month() -> None:
    found = find_period("aov in the previous month", date(2026, 11, 1))
    assert found is not None and found.compare_to is None
    assert (found.range.start, found.range.end) == (date(2026, 10, 1), date(2026, 10, 31))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # The first or last N units OF a period cut that period; they were read as the whole
        # year ("the first three months of 2026" answered all of 2026).
        ("sales for the opening two months of 2025", date(2025, 1, 1), date(2025, 2, 28)),
        ("the final 3 months of 2024 by city", date(2024, 10, 1), date(2024, 12, 31)),
        ("orders in the first 7 days of September 2026", date(2026, 9, 1), date(2026, 9, 7)),
        ("the first four months of the year", date(2026, 1, 1), date(2026, 4, 30)),
        ("2025年的头两个月", date(2025, 1, 1), date(2025, 2, 28)),
        ("去年最后一个月的订单", date(2025, 12, 1), date(2025, 12, 31)),
        ("2026年8月后5天", date(2026, 8, 27), date(2026, 8, 31)),
        # Quarters too: "the first two quarters of last year" was read as the whole year.
        ("orders in the first two quarters of last year", date(2025, 1, 1), date(2025, 6, 30)),
        ("the closing 3 quarters of 2024", date(2024, 4, 1), date(2024, 12, 31)),
        ("去年前三个季度的订单", date(2025, 1, 1), date(2025, 9, 30)),
        ("2024年后两季度", date(2024, 7, 1), date(2024, 12, 31)),
    ],
)
def test_the_first_or_last_units_of_a_period(text: str, start: date, end: date) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is None
    assert (found.range.start, found.range.end) == (start, end)


def test_the_last_n_months_of_something_else_stays_rolling() -> None:
    found = find_period("revenue over the last 3 months of data", date(2026, 11, 1))
    assert found is not None
    assert (found.range.start, found.range.end) == (date(2026, 8, 1), date(2026, 10, 31))


@pytest.mark.parametrize(
    ("text", "period", "compare"),
    [
        # A period-over-period word with no period is the last complete unit against the one
        # before (it was the running month, one day old on the 1st: no data to compare).
        (
            "orders, month-over-month",
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 9, 1), date(2026, 9, 30)),
        ),
        (
            "客单价环比如何",
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 9, 1), date(2026, 9, 30)),
        ),
        (
            "QoQ buyers",
            (date(2026, 7, 1), date(2026, 9, 30)),
            (date(2026, 4, 1), date(2026, 6, 30)),
        ),
        # Year over year alone stays this year to date against the same days a year earlier.
        (
            "buyers YoY",
            (date(2026, 1, 1), date(2026, 11, 1)),
            (date(2025, 1, 1), date(2025, 11, 1)),
        ),
    ],
)
def test_a_comparison_word_alone_compares_the_last_complete_unit(
    text: str, period: tuple[date, date], compare: tuple[date, date]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.range.start, found.range.end) == period
    assert (found.compare_to.start, found.compare_to.end) == compare


@pytest.mark.parametrize(
    ("text", "period", "compare"),
    [
        # "a year earlier" / "the same month last year" are the same dates a year earlier
        # (the comparison was dropped, or "earlier" asked about).
        (
            "web orders last quarter vs that same quarter a year earlier",
            (date(2026, 7, 1), date(2026, 9, 30)),
            (date(2025, 7, 1), date(2025, 9, 30)),
        ),
        (
            "AOV in March vs a year before",
            (date(2026, 3, 1), date(2026, 3, 31)),
            (date(2025, 3, 1), date(2025, 3, 31)),
        ),
        (
            "last month's revenue next to the same month last year",
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2025, 10, 1), date(2025, 10, 31)),
        ),
    ],
)
def test_a_year_earlier_is_the_year_ago_comparison(
    text: str, period: tuple[date, date], compare: tuple[date, date]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.range.start, found.range.end) == period
    assert (found.compare_to.start, found.compare_to.end) == compare


@pytest.mark.parametrize(
    ("text", "period", "compare"),
    [
        # "the same stretch / window / span of last year": the same dates a year earlier, said
        # loosely (the comparison was dropped and the noun asked about).
        (
            "email open rate this quarter vs the same window last year",
            (date(2026, 10, 1), date(2026, 11, 1)),
            (date(2025, 10, 1), date(2025, 11, 1)),
        ),
        (
            "web orders in October against the same span a year earlier",
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2025, 10, 1), date(2025, 10, 31)),
        ),
        (
            "units ytd vs that same stretch last year",
            (date(2026, 1, 1), date(2026, 11, 1)),
            (date(2025, 1, 1), date(2025, 11, 1)),
        ),
    ],
)
def test_the_same_stretch_of_last_year_is_the_year_ago_comparison(
    text: str, period: tuple[date, date], compare: tuple[date, date]
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None and found.compare_to is not None
    assert (found.range.start, found.range.end) == period
    assert (found.compare_to.start, found.compare_to.end) == compare


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # A year said in words (it was no period, and "twenty twenty" was asked about).
        ("orders in two thousand and twenty four by month", (date(2024, 1, 1), date(2024, 12, 31))),
        ("revenue in Q3 twenty twenty-four", (date(2024, 7, 1), date(2024, 9, 30))),
        ("March twenty twenty-six", (date(2026, 3, 1), date(2026, 3, 31))),
        ("buyers in twenty nineteen", (date(2019, 1, 1), date(2019, 12, 31))),
    ],
)
def test_a_year_in_words(text: str, period: tuple[date, date]) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None
    assert (found.range.start, found.range.end) == period


@pytest.mark.parametrize("text", ["top twenty five products", "the twenty five best customers"])
def test_twenty_and_a_small_number_is_a_count_not_a_year(text: str) -> None:
    assert find_period(text, date(2026, 11, 1)) is None


# A named period with two of its days in brackets is those days, in the named period's
# year ("the 2024 Double 11 stretch (Nov 4-10)", "2024年618（6月5日至12日）"); one day in
# brackets, or days outside the named period, leave the period as it was read before.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("sales in the 2024 Double 11 stretch (Nov 4-10)", date(2024, 11, 4), date(2024, 11, 10)),
        ("Double 11 2024 (Nov 2nd to Nov 9th) buyers", date(2024, 11, 2), date(2024, 11, 9)),
        ("2024年618（6月5日至12日）的买家", date(2024, 6, 5), date(2024, 6, 12)),
        ("去年双十一期间（11月3日到11月10日）", date(2025, 11, 3), date(2025, 11, 10)),
        ("orders in 2024 (Aug 5-11)", date(2024, 8, 5), date(2024, 8, 11)),
    ],
)
def test_two_days_in_brackets_are_the_named_periods_days(text: str, start: date, end: date) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("sales in the 2024 Double 11 stretch (Nov 4)", date(2024, 10, 20), date(2024, 11, 11)),
        ("Double 11 2024 (Mar 2-9) buyers", date(2024, 10, 20), date(2024, 11, 11)),
        ("orders on 12 Nov 2024 (Double 11)", date(2024, 11, 12), date(2024, 11, 12)),
        ("2024-06-18（618）的买家", date(2024, 6, 18), date(2024, 6, 18)),
    ],
)
def test_one_day_or_a_festival_in_brackets_keeps_its_reading(
    text: str, start: date, end: date
) -> None:
    found = find_period(text, date(2026, 11, 1))
    assert found is not None
    assert (found.range.start, found.range.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("第四季度", date(2025, 10, 1), date(2025, 12, 31)),
        ("四季度", date(2025, 10, 1), date(2025, 12, 31)),
        ("H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("下半年", date(2025, 7, 1), date(2025, 12, 31)),
        ("Q3", date(2026, 7, 1), date(2026, 9, 30)),  # complete: this year's
        ("this quarter", date(2026, 10, 1), date(2026, 11, 1)),  # said as running
    ],
)
def test_a_bare_running_unit_is_the_latest_completed_one(text: str, start: date, end: date) -> None:
    found = parse_period(text, date(2026, 11, 1))
    assert (found.start, found.end) == (start, end)


def test_a_bare_running_quarter_with_yoy_compares_the_completed_one() -> None:
    match = find_period("Q4 net revenue and its yoy change", date(2026, 11, 1))
    assert match is not None and match.compare_to is not None
    assert (match.range.start, match.range.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert (match.compare_to.start, match.compare_to.end) == (date(2024, 10, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("5月上旬", date(2026, 5, 1), date(2026, 5, 10)),
        ("2025年7月中旬", date(2025, 7, 11), date(2025, 7, 20)),
        ("2月下旬", date(2026, 2, 21), date(2026, 2, 28)),
        ("8月下半月", date(2026, 8, 16), date(2026, 8, 31)),
        ("6月上半个月", date(2026, 6, 1), date(2026, 6, 15)),
        ("the back half of June", date(2026, 6, 16), date(2026, 6, 30)),
        ("first half of Aug 2025", date(2025, 8, 1), date(2025, 8, 15)),
        ("late April", date(2026, 4, 21), date(2026, 4, 30)),
        ("mid-July", date(2026, 7, 11), date(2026, 7, 20)),
    ],
)
def test_a_part_of_a_month_is_those_days(text: str, start: date, end: date) -> None:
    found = parse_period(text, date(2026, 11, 1))
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("week 41", date(2026, 10, 5), date(2026, 10, 11)),
        ("wk 10 of 2025", date(2025, 3, 3), date(2025, 3, 9)),
        ("第41周", date(2026, 10, 5), date(2026, 10, 11)),
        ("2025年第二周", date(2025, 1, 6), date(2025, 1, 12)),
        ("week 45", date(2025, 11, 3), date(2025, 11, 9)),  # this year's is not complete
    ],
)
def test_a_week_number_is_its_iso_week(text: str, start: date, end: date) -> None:
    found = parse_period(text, date(2026, 11, 1))
    assert (found.start, found.end) == (start, end)


def test_a_week_of_a_month_is_not_a_week_of_the_year() -> None:
    found = find_period("7月第三周的订单", date(2026, 11, 1))
    assert found is not None and found.span == (0, 2)


@pytest.mark.parametrize(
    "question",
    [
        "Double 11 sales so far",
        "目前双十一的销售额",
        "今年双11的销售额",
        "the Double 11 that just started",
    ],
)
def test_a_festival_said_as_running_is_the_running_one(question: str) -> None:
    """(round 27) A festival named bare while it runs is its latest completed occurrence (as a
    month is); said as running, it is the running one, cut at today."""
    found = find_period(question, NOV1)
    assert found is not None
    assert (found.range.start, found.range.end) == (D(2026, 10, 20), D(2026, 11, 1))
