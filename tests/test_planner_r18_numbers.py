"""Round 18, numbers and dates as people type them: tenths (成) and per-mille rates, basis points
and hedged rates in a sample size, loose figures quoted from a report, spend thresholds with
million / 万 / Chinese numerals, ISO week dates, TTM / LTM, 财年 years, the beginning and end
of a month (月初 / 月底), "up to and including" and to-date periods cut at a stated day. Every
wording here is our own; each family keeps a near-miss that must not be read as a number or
a period."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.claims import claimed_numbers
from copilot.offline.intents.rule_parts import churn_probability_bound
from copilot.offline.numbers import read_rate_change
from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, planned_call

TODAY = date(2026, 12, 3)


def _span(text: str) -> tuple[date, date] | None:
    found = find_period(text, TODAY)
    return None if found is None else (found.range.start, found.range.end)


# 1. Rates in tenths (成): a level, a target, a change; "X成Y" and "X成半".
@pytest.mark.parametrize(
    ("text", "baseline", "target", "relative"),
    [
        ("点击率现在两成，希望拉到两成五，每个版本多少人", 0.20, 0.25, None),
        ("复购率三成五左右，想提升到四成，样本要多大", 0.35, 0.40, None),
        ("转化率一成半上下，目标两成的相对提升，需要多少样本", 0.15, None, 0.20),
        ("打开率是四成，要看出它降到三成五，每组几个人", 0.40, 0.35, None),
    ],
)
def test_tenths_rates_in_a_sample_size(
    text: str, baseline: float, target: float | None, relative: float | None
) -> None:
    change = read_rate_change(text)
    assert change is not None
    assert change.baseline == pytest.approx(baseline)
    if target is not None:
        assert change.target == pytest.approx(target)
    else:
        assert change.relative_effect == pytest.approx(relative)


def test_tenths_near_misses_are_no_rates() -> None:
    # "七八成" is seventy or eighty: no single level, so no baseline is read from it
    assert read_rate_change("打开率七八成，想看一成的相对提升") is None
    # 成交 / 成都 are words, not tenths
    assert read_rate_change("成都成交三成五单，每组要多少人") is None


# 2. Basis points, hedged rates, per mille.
@pytest.mark.parametrize(
    ("text", "baseline", "target"),
    [
        ("CTR sits near 4% today; how big a test to spot a 25 bps gain?", 0.04, 0.0425),
        ("signup rate is 12-ish %, how many visitors to see it reach 14%?", 0.12, 0.14),
        ("our reply rate is 8%-ish; size a test for a lift to 10%", 0.08, 0.10),
        ("下单率3%，想测出40个基点的提升，每组多少人", 0.03, 0.034),
        ("退款率千分之五，想看到降到千分之三，每组要多少单", 0.005, 0.003),
    ],
)
def test_points_and_hedged_rates_in_a_sample_size(
    text: str, baseline: float, target: float
) -> None:
    change = read_rate_change(text)
    assert change is not None
    assert change.baseline == pytest.approx(baseline)
    assert change.target == pytest.approx(target)


def test_sample_size_with_tenths_is_planned(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "打开率大概两成，想检测到涨到两成五，每组需要多少人？")
    assert tool == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(0.20)
    assert args["minimum_detectable_effect"] == pytest.approx(0.05)


# 3. Loose figures quoted from a report: named whole, never cut to a part.
@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("运营说上周新客一成半来自直播，核一下", "一成半"),
        ("周报上写的退货率七八成是老客，对不对", "七八成"),
        ("老板说这个月订单两千出头，帮我核一下", "两千出头"),
        ("财务说上个月退款40来个，对不对", "40来个"),
        ("看板显示上个月退货率百分之十二，是不是真的", "百分之十二"),
        ("the VP says app buyers make up about two-thirds of orders, true?", "two-thirds"),
        ("finance says refunds ran a couple hundred thousand in Q3, right?", "a couple hundred"),
        ("the agency report says open rate was 30-ish % in October", "30-ish %"),
    ],
)
def test_loose_claimed_figures_are_named_whole(question: str, claim: str) -> None:
    assert any(claim in said for said in claimed_numbers(question)), claimed_numbers(question)


def test_loose_figure_without_a_source_is_no_claim() -> None:
    assert claimed_numbers("新客一成半来自直播吗") == []
    assert claimed_numbers("which cities make up half of orders") == []


# 4. Spend thresholds: million, 万, w, Chinese numerals that run on.
@pytest.mark.parametrize(
    ("question", "minimum"),
    [
        ("segment of shoppers whose spend is over 1.5m", 1_500_000),
        ("how big is the segment of customers who spent more than 8k", 8_000),
        ("累计消费超过1.5万的客户分群有多大", 15_000),
        ("消费满一万五的人群有多少", 15_000),
        ("消费超过2w的客户分群有多大", 20_000),
    ],
)
def test_spend_thresholds_with_magnitudes(
    planner: OfflinePlanner, question: str, minimum: float
) -> None:
    tool, args = planned_call(planner, question)
    assert tool in ("define_segment", "profile_segment"), (tool, args)
    spend = (args.get("definition") or args).get("spend") or {}
    assert spend.get("min") == pytest.approx(minimum), args


# 5. Week numbers, TTM / LTM, fiscal years said in Chinese.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("GMV for 2026-W40", date(2026, 9, 28), date(2026, 10, 4)),
        ("orders in W40 please", date(2026, 9, 28), date(2026, 10, 4)),
        ("sessions W40 2026 by channel", date(2026, 9, 28), date(2026, 10, 4)),
        ("net sales TTM by channel", date(2025, 12, 1), date(2026, 11, 30)),
        ("AOV LTM", date(2025, 12, 1), date(2026, 11, 30)),
        ("24财年的订单数", date(2024, 1, 1), date(2024, 12, 31)),
        ("2025财年度销售额", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_week_dates_trailing_twelve_and_fiscal_years(text: str, start: date, end: date) -> None:
    assert _span(text) == (start, end)


def test_week_date_near_misses() -> None:
    # "2w" is two weeks or 20,000, never ISO week 2; a weekday of a week date is no whole week
    assert _span("orders over 2w") is None
    found = _span("revenue on 2026-W40-2")
    assert found != (date(2026, 9, 28), date(2026, 10, 4))
    # a fiscal year said to start in April is not read as the calendar year
    assert _span("财年4月开始，25财年的销售额") != (date(2025, 1, 1), date(2025, 12, 31))


# 6. The beginning and end of a month (月初 / 月底 / 月末): its first and last thirds.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("9月初的客单价", date(2026, 9, 1), date(2026, 9, 10)),
        ("看一下8月底的退货", date(2026, 8, 21), date(2026, 8, 31)),
        ("2025年7月末的新客", date(2025, 7, 21), date(2025, 7, 31)),
    ],
)
def test_month_beginning_and_end(text: str, start: date, end: date) -> None:
    assert _span(text) == (start, end)


def test_month_end_as_a_cut_off_is_no_month_part() -> None:
    # "截至8月底" / "8月底前": the month's end is where a period stops, not its last days
    assert _span("截至8月底的销售额") != (date(2026, 8, 21), date(2026, 8, 31))
    assert _span("8月底前的订单") != (date(2026, 8, 21), date(2026, 8, 31))
    # a range ending at a month's end still ends on its last day
    assert _span("7月5日到8月底的订单") == (date(2026, 7, 5), date(2026, 8, 31))


# 7. "up to and including" and to-date periods cut at a stated day.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("refunds Sep 3 up to and including Oct 9", date(2026, 9, 3), date(2026, 10, 9)),
        ("clicks from Aug 10 up to Aug 20", date(2026, 8, 10), date(2026, 8, 20)),
        ("revenue YTD as of Oct 31", date(2026, 1, 1), date(2026, 10, 31)),
        ("orders QTD through Nov 20", date(2026, 10, 1), date(2026, 11, 20)),
        ("本年至今截至10月31日的销售额", date(2026, 1, 1), date(2026, 10, 31)),
    ],
)
def test_inclusive_ends_and_to_date_cut_at_a_day(text: str, start: date, end: date) -> None:
    assert _span(text) == (start, end)


def test_a_quarter_as_of_a_day_is_not_stretched() -> None:
    # "Q3 as of Nov 15": Q3 as known on that day, never July 1 to November 15
    assert _span("Q3 revenue as of Nov 15") != (date(2026, 7, 1), date(2026, 11, 15))


def test_week_date_with_a_weekday_is_asked_back(planner: OfflinePlanner) -> None:
    assert "w40" in asked_back(planner, "revenue on 2026-W40-2").lower()


# 8. A churn-probability bound said in tenths or in words.
@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("把流失概率高于七成的人圈出来存成分群", 0.7),
        ("流失风险超过百分之八十的顾客，保存下来", 0.8),
        ("流失概率不低于五成半的客户存个分群", 0.55),
        ("save everyone whose churn risk is over 65% as a segment", 0.65),
    ],
)
def test_churn_bound_in_tenths_and_words(text: str, bound: float) -> None:
    found = churn_probability_bound(text)
    assert found is not None and found[0] == pytest.approx(bound)


def test_churn_tenths_need_the_churn_word() -> None:
    assert churn_probability_bound("复购率高于七成的客户存成分群") is None
