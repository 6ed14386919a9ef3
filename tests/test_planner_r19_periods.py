"""Round 19 wave 1, periods and follow-ups (engineer periods): the previous whole unit said
"full / complete", a possessive typed without its apostrophe, a comparison counted back
from the question's own period (环比上月 after a named month, 和再前一个月比), a comparison
verb softened by 一下, a span of time said without its length asked back (never answered for
all time), and follow-ups that swap a metric, narrow by "<value> orders only", widen the
window to a new length or compare year on year in shorthand. Every wording here is our own;
none is a held-out set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period, parse_period
from tests.conftest import asked_back, last_call, query_args

TODAY = date(2026, 11, 1)


def _span(text: str) -> tuple[date, date]:
    found = find_period(text, TODAY)
    assert found is not None, text
    return found.range.start, found.range.end


def _compared(text: str) -> tuple[date, date]:
    found = find_period(text, TODAY)
    assert found is not None and found.compare_to is not None, (text, found)
    return found.compare_to.start, found.compare_to.end


# 1. The previous whole unit said with "full / complete / whole" is the previous unit.
@pytest.mark.parametrize(
    "text",
    [
        "the last full quarter",
        "for the last complete qtr",
        "prior full quarter net sales",
        "previous whole quarter",
        "上一个完整季度的销售额",
        "上个完整季度",
        "上一个完整的季度",
    ],
)
def test_the_previous_full_unit_is_the_previous_unit(text: str) -> None:
    assert _span(text) == (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    "text, span",
    [
        ("last full month", (date(2026, 10, 1), date(2026, 10, 31))),
        ("上一个完整月", (date(2026, 10, 1), date(2026, 10, 31))),
        ("the last complete year", (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_the_previous_full_unit_other_units(text: str, span: tuple[date, date]) -> None:
    assert _span(text) == span


# 2. "prior-year H1": the hyphenated adjective is the year before.
@pytest.mark.parametrize("text", ["prior-year H1", "the previous-year H1", "last-year H1 orders"])
def test_a_hyphenated_prior_year_is_the_year_before(text: str) -> None:
    assert _span(text) == (date(2025, 1, 1), date(2025, 6, 30))


# 3. A possessive typed without its apostrophe before the figure; "last mo".
@pytest.mark.parametrize(
    "text",
    ["last months revenue", "need last months sales by city", "prior months orders", "last mo rev"],
)
def test_last_months_before_the_figure_is_last_month(text: str) -> None:
    assert _span(text) == (date(2026, 10, 1), date(2026, 10, 31))


def test_last_weeks_before_the_figure_is_last_week() -> None:
    assert _span("last weeks orders pls") == (date(2026, 10, 19), date(2026, 10, 25))


@pytest.mark.parametrize(
    "text", ["revenue over the last months", "sales for last months", "aov in the last months"]
)
def test_near_miss_the_last_months_is_no_period(text: str) -> None:
    assert find_period(text, TODAY) is None


# 4. 环比上月 after a named month counts back from that month, not from today.
@pytest.mark.parametrize(
    "text, before",
    [
        ("2026年3月的订单数 环比上月", (date(2026, 2, 1), date(2026, 2, 28))),
        ("2026年1月销售额环比上个月怎么样", (date(2025, 12, 1), date(2025, 12, 31))),
        ("2026年5月客单价，环比上一个月", (date(2026, 4, 1), date(2026, 4, 30))),
        ("Q2 2026 revenue QoQ vs last quarter", (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_pop_after_a_named_period_counts_back_from_it(text: str, before: tuple) -> None:
    assert _compared(text) == before


def test_near_miss_vs_last_month_without_pop_word_stays_last_month() -> None:
    # no 环比 / MoM: "last month" is the month before today, said as the other period
    assert _compared("Jan 2026 orders vs last month") == (date(2026, 10, 1), date(2026, 10, 31))


# 5. 和再前一个月比 / 对比一下前一个月: the month before the question's own.
@pytest.mark.parametrize(
    "text",
    [
        "上个月网站的订单，和再前一个月比一下",
        "上个月的销售额，跟再前面一个月比",
        "上个月销售额 顺便对比一下前一个月",
        "上个月客单价，和往前一个月对比",
    ],
)
def test_the_month_before_the_period_counts_back_from_it(text: str) -> None:
    assert _compared(text) == (date(2026, 9, 1), date(2026, 9, 30))


# 6. A comparison verb softened by 一下 before the other period.
@pytest.mark.parametrize(
    "text, other",
    [
        ("9月的人均消费，顺便同比一下去年9月", (date(2025, 9, 1), date(2025, 9, 30))),
        ("8月订单数，对比一下去年8月", (date(2025, 8, 1), date(2025, 8, 31))),
        ("Q3销售额 比一下去年Q3", (date(2025, 7, 1), date(2025, 9, 30))),
    ],
)
def test_a_softened_comparison_verb_still_compares(text: str, other: tuple) -> None:
    assert _compared(text) == other


def test_the_tool_reads_the_compared_phrase_whole() -> None:
    found = find_period("2026年1月的净销售额 环比上月", TODAY)
    assert found is not None and found.compare_to is not None
    assert parse_period("last months", TODAY).start == date(2026, 10, 1)


# 7. A span of time said without its length is asked back, never answered for all time.
@pytest.mark.parametrize(
    "question, words",
    [
        ("revenue by city over the last months", "last months"),
        ("aov in recent months", "recent months"),
        ("orders for the past few weeks", "past few weeks"),
        ("最近几个月各渠道的销售额", "最近几个月"),
        ("前几周的订单数是多少", "前几周"),
        ("return rate by category these past months", "past months"),
    ],
)
def test_a_period_without_its_length_is_asked_back(
    planner: OfflinePlanner, question: str, words: str
) -> None:
    assert words in asked_back(planner, question)


@pytest.mark.parametrize(
    "question, period",
    [
        ("revenue by city for the last 3 months", "last 3 months"),
        ("last months revenue by city", "last months"),
        ("最近3个月各渠道的销售额", "最近3个月"),
    ],
)
def test_near_miss_a_period_with_its_length_is_read(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    assert query_args(planner, question)["time_range"] == period


# 8. Follow-ups: a swap takes the metric it names out.
@pytest.mark.parametrize(
    "second, metric",
    [
        ("swap aov for return rate", "return_rate"),
        ("replace the aov with orders, keep the rest", "orders"),
        ("switch aov to units please", "units"),
        ("return rate instead, everything else the same", "return_rate"),
        ("把客单价换成复购率", "repurchase_rate"),
        ("指标改成订单数，其它不变", "orders"),
    ],
)
def test_a_swap_replaces_the_metric_shown(
    planner: OfflinePlanner, second: str, metric: str
) -> None:
    first = "上个月各渠道的客单价" if not second.isascii() else "aov by channel last month"
    name, args = last_call(planner, [first, second])
    assert name == "query_metrics", args
    assert args["metrics"] == [metric], args
    assert args["dimensions"] == ["channel"]


def test_near_miss_add_keeps_both(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["aov by channel last month", "add the return rate too"])
    assert name == "query_metrics", args
    assert set(args["metrics"]) == {"aov", "return_rate"}, args


# 9. "<value> orders only": the figure shown, for that value.
@pytest.mark.parametrize(
    "second",
    ["mini-program orders only", "app orders only pls", "web orders alone", "just app orders"],
)
def test_value_orders_only_narrows_keeping_the_rate(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["repeat rate this year", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["repurchase_rate"], args
    assert len(args["filters"]["channel"]) == 1


def test_near_miss_orders_only_is_the_orders(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue last month", "orders only"])
    assert name == "query_metrics", args
    assert args["metrics"] == ["orders"], args


# 10. The window widened to a new length: only the number changes.
@pytest.mark.parametrize(
    "first, second, period",
    [
        ("近30天杭州的客单价", "时间窗口放到90天再看", "近90天"),
        ("近30天杭州的客单价", "把周期拉长到60天", "近60天"),
        ("aov in hangzhou last 30 days", "widen the window to 90 days", "last 90 days"),
        ("aov in hangzhou last 30 days", "stretch it to 60d", "last 60 days"),
    ],
)
def test_the_window_widened_to_a_length(
    planner: OfflinePlanner, first: str, second: str, period: str
) -> None:
    name, args = last_call(planner, [first, second])
    assert name == "query_metrics", args
    assert args["time_range"] == period
    assert args["metrics"] == ["aov"]


# 11. YoY written against Chinese ("YoY看一下") after a period: compared a year back.
@pytest.mark.parametrize("second", ["YoY看一下", "yoy看看", "同比看一下", "QoQ呢"])
def test_shorthand_comparison_glued_to_chinese(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["上个月小程序的客单价", second])
    assert name == "query_metrics", args
    assert args["time_range"] == "上个月", args
    assert args.get("compare_to"), args


# 12. Chat shorthand of a follow-up ("the month b4", "wat abt").
def test_chat_shorthand_month_before(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue by channel in september 2026", "and the month b4?"])
    assert name == "query_metrics", args
    assert args["time_range"] == "2026-08-01 to 2026-08-31", args


def test_chat_shorthand_what_about_a_city(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["orders from shanghai in sept", "wat abt beijing then"])
    assert name == "query_metrics", args
    assert args["filters"] == {"city": ["北京"]}, args


# 13. Three months running, listed, are one span; two listed or not running are not.
@pytest.mark.parametrize(
    "text", ["rev for jul aug sep combined", "Jul, Aug, Sep revenue", "7月、8月、9月的销售额"]
)
def test_three_months_running_listed_are_one_span(text: str) -> None:
    assert _span(text) == (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize("text", ["jul aug revenue", "jul sep oct revenue"])
def test_near_miss_months_not_running_stay_apart(text: str) -> None:
    assert _span(text) == (date(2026, 7, 1), date(2026, 7, 31))


# 14. "compares YoY with H1 2025": the base said after the shorthand.
@pytest.mark.parametrize(
    "text, base",
    [
        ("H1 sales and how they compare YoY with H1 2025", (date(2025, 1, 1), date(2025, 6, 30))),
        ("Q3 revenue, YoY against Q3 2025", (date(2025, 7, 1), date(2025, 9, 30))),
        ("Q2 orders QoQ vs Q1 2026", (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_the_base_said_after_a_shorthand_comparison(text: str, base: tuple) -> None:
    assert _compared(text) == base


# 15. Words restating the period's extent are read with it; other days are asked about.
@pytest.mark.parametrize(
    "question, period",
    [
        ("10/25到10/31这7天的逐日销售额", "10/25到10/31"),
        ("2026-10-01到2026-10-10共10天的订单数", "2026-10-01到2026-10-10"),
        ("revenue 2026-10-01 to 2026-10-07 (7 days)", "2026-10-01 to 2026-10-07"),
        ("2026年第36周（ISO周）的销售额", "2026年第36周"),
        ("orders in week 40 (ISO week)", "week 40"),
    ],
)
def test_restated_extent_is_read_with_the_period(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    assert query_args(planner, question)["time_range"] == period


@pytest.mark.parametrize("question", ["10/25到10/31这5天的销售额", "10/1到10/7这10天的订单数"])
def test_near_miss_a_length_that_disagrees_is_asked(planner: OfflinePlanner, question: str) -> None:
    asked_back(planner, question)


def test_a_bracketed_end_day_restates_the_window() -> None:
    from copilot.offline.question import _restates_extent

    window = find_period("trailing 90d", TODAY)
    assert window is not None
    from copilot.offline.clock import reading_as_of

    with reading_as_of(TODAY):
        assert _restates_extent("ending 31 Oct", window.range)
        assert _restates_extent("through Oct 31", window.range)
        assert _restates_extent("截至10月31日", window.range)
        assert not _restates_extent("ending 20 Oct", window.range)


# 16. The whole promotion window of a festival restates the festival's window.
@pytest.mark.parametrize(
    "question",
    [
        "去年双11整个活动窗口里小程序的销售额",
        "去年双十一的整个档期，销售额多少",
        "revenue over the whole Double 11 2025 promo window",
        "orders in the entire 618 2026 campaign window",
    ],
)
def test_the_whole_window_of_a_festival(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["time_range"]


# 17. A "same, but <value> orders only" follow-up narrows, keeping the figure.
def test_same_but_value_orders_only(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["net sales for the last full quarter", "same, but web orders only"]
    )
    assert name == "query_metrics", args
    assert args["metrics"] == ["revenue"], args
    assert args["filters"] == {"channel": ["web"]}, args
