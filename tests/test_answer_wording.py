"""What the metric answers say about their data: ties, partial periods, no campaigns (issue 13)."""

from __future__ import annotations

import pandas as pd

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.metrics import write_metric_answer
from knowledge.semantic import load_semantic_model
from tools.base import TableArtifact, ToolOutput

CTX = PlannerContext(load_semantic_model())
OCTOBER = {
    "start": "2026-10-01",
    "end": "2026-10-31",
    "label": "上个月（2026年10月）",
    "grain": "month",
}


def _breakdown(frame: pd.DataFrame, metric: str, dimension: str, period=OCTOBER) -> ToolOutput:  # noqa: ANN001
    data = {
        "metrics": [metric],
        "dimensions": [dimension],
        "filters": {},
        "period": period,
        "compare_to": None,
        "formats": {metric: CTX.semantic_model.metric(metric).format},
    }
    return ToolOutput("", [TableArtifact("t", frame)], data)


def _total(metric: str, value, previous, period: dict, compare_to: dict) -> ToolOutput:  # noqa: ANN001
    """A metric's total over `period` beside its `previous` value over `compare_to`."""
    data = {
        "metrics": [metric],
        "dimensions": [],
        "filters": {},
        "period": period,
        "compare_to": compare_to,
        "formats": {metric: CTX.semantic_model.metric(metric).format},
        "values": {metric: value},
        "previous_values": {metric: previous},
    }
    return ToolOutput("", [], data)


def test_ties_are_named_as_ties() -> None:
    frame = pd.DataFrame({"channel": ["app", "web", "store"], "orders": [5.0, 5.0, 2.0]})
    text = write_metric_answer(_breakdown(frame, "orders", "channel"), "en", CTX)
    assert "- highest (a tie): app and web with 5" in text
    assert "- lowest: store with 2" in text
    level = pd.DataFrame({"channel": ["app", "web"], "orders": [5.0, 5.0]})
    text = write_metric_answer(_breakdown(level, "orders", "channel"), "zh", CTX)
    assert "全部持平" in text and "最高" not in text and "最低" not in text


def test_a_chinese_period_label_reads_in_english_in_an_english_answer() -> None:
    frame = pd.DataFrame({"channel": ["app", "web"], "revenue": [10.0, 5.0]})
    text = write_metric_answer(_breakdown(frame, "revenue", "channel"), "en", CTX)
    assert "Revenue by channel in October 2026 (2026-10-01 – 2026-10-31)" in text
    assert "上个月" not in text


def test_a_running_month_is_not_compared_with_whole_months() -> None:
    from datetime import date

    months = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    frame = pd.DataFrame({"month": months, "revenue": [100.0, 120.0, 3.0]})
    year = {"start": "2026-01-01", "end": "2026-11-01", "label": "this year", "grain": "year"}
    text = write_metric_answer(_breakdown(frame, "revenue", "month", year), "en", CTX)
    assert "2026-11 is to date (data up to 2026-11-01)" in text
    assert "2026-10 vs 2026-09: up 20.0%" in text
    assert "down" not in text  # not "down 97.5%" for a month one day old


def test_a_partial_last_period_is_not_ranked_highest_or_lowest() -> None:
    from datetime import date

    months = [date(2024, 1, 1), date(2024, 2, 1)]
    frame = pd.DataFrame({"month": months, "revenue": [100.0, 300.0]})
    cut = {"start": "2024-01-01", "end": "2024-02-10", "label": "2024", "grain": "year"}
    output = _breakdown(frame, "revenue", "month", cut)
    output.data["data_end"] = "2024-02-10"
    for language in ("en", "zh"):
        text = write_metric_answer(output, language, CTX)
        # One whole month left: no highest/lowest line, no share of "the highest".
        assert "highest" not in text and "lowest" not in text
        assert "最高" not in text and "最低" not in text
    text = write_metric_answer(output, "en", CTX)
    assert "2024-02 is cut short (the data ends 2024-02-10)" in text
    three = pd.DataFrame(
        {
            "month": [date(2024, 1, 1), *months[1:], date(2024, 3, 1)],
            "revenue": [100.0, 80.0, 900.0],
        }
    )
    march = {"start": "2024-01-01", "end": "2024-03-05", "label": "2024", "grain": "year"}
    text = write_metric_answer(_breakdown(three, "revenue", "month", march), "en", CTX)
    assert "- highest: 2024-01 with" in text and "- lowest: 2024-02 with" in text
    assert "2024-03 with" not in text


def test_a_single_row_has_no_highest_or_lowest() -> None:
    frame = pd.DataFrame({"channel": ["app"], "orders": [5.0]})
    for language in ("en", "zh"):
        text = write_metric_answer(_breakdown(frame, "orders", "channel"), language, CTX)
        assert "highest" not in text and "lowest" not in text
        assert "最高" not in text and "最低" not in text


def test_a_month_to_date_total_says_so_and_compares_like_for_like() -> None:
    output = _total(
        "revenue",
        110.0,
        100.0,
        {"start": "2026-11-01", "end": "2026-11-15", "label": "this month", "grain": "month"},
        {
            "start": "2026-10-01",
            "end": "2026-10-15",
            "label": "last month (2026-10-01 – 2026-10-15)",
        },
    )
    text = write_metric_answer(output, "en", CTX)
    assert "November 2026 to date (2026-11-01 – 2026-11-15)" in text
    assert "compared with the same days of last month" in text
    assert "up 10.0%" in text


def test_rates_are_compared_in_percentage_points() -> None:
    output = _total(
        "repurchase_rate",
        0.827,
        0.748,
        {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"},
        {"start": "2024-01-01", "end": "2024-12-31", "label": "2024"},
    )
    assert "82.7% (vs 74.8% in 2024: +7.9 pp)" in write_metric_answer(output, "en", CTX)
    assert "+7.9 个百分点" in write_metric_answer(output, "zh", CTX)


def test_campaign_metrics_without_campaigns_name_the_latest_campaign() -> None:
    frame = pd.DataFrame({"channel": [], "roi": []})
    output = _breakdown(frame, "roi", "channel")
    output.data["latest_campaigns"] = {
        "campaign": "618 2026 - Email",
        "start": "2026-06-01",
        "end": "2026-06-18",
    }
    text = write_metric_answer(output, "en", CTX)
    assert "There were no campaigns in October 2026" in text
    assert "618 2026 - Email, ran 2026-06-01 – 2026-06-18" in text
    assert "no data" not in text.lower()


def test_query_metrics_names_the_latest_campaign_when_a_period_has_none(
    duckdb_demo_engine,  # noqa: ANN001
) -> None:
    from tests.conftest import AS_OF
    from tools import ToolContext, query_metrics

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=CTX.semantic_model, as_of=AS_OF)
    output = query_metrics(ctx, ["roi"], ["channel"], time_range="last quarter")
    latest = output.data["latest_campaigns"]
    assert latest["end"] < output.data["period"]["start"]
    text = write_metric_answer(output, "zh", CTX)
    assert "没有投放活动" in text and latest["campaign"] in text
    # Sales metrics of the same period are not campaign metrics: no such note.
    sales = query_metrics(ctx, ["revenue"], ["channel"], time_range="last quarter")
    assert "latest_campaigns" not in sales.data


def test_a_running_month_is_compared_with_the_same_days_before() -> None:
    from datetime import date

    from knowledge.time_ranges import parse_period
    from tools.periods import like_for_like

    today = date(2026, 11, 15)
    this_month, last_month = parse_period("this month", today), parse_period("last month", today)
    cut = like_for_like(this_month, last_month)
    assert (cut.start, cut.end) == (date(2026, 10, 1), date(2026, 10, 15))
    whole = parse_period("2026-09", today)
    assert like_for_like(parse_period("last month", today), whole) == whole


def test_a_comparison_period_without_data_is_said_not_left_out() -> None:
    output = _total(
        "orders",
        812,
        None,
        {"start": "2024-01-01", "end": "2024-12-31", "label": "2024"},
        {"start": "2023-01-01", "end": "2023-12-31", "label": "2023"},
    )
    assert "(no data in 2023 to compare with)" in write_metric_answer(output, "en", CTX)
    assert "2023年没有数据可对比" in write_metric_answer(output, "zh", CTX)


def test_query_metrics_refuses_to_compare_a_period_with_itself(
    duckdb_demo_engine,  # noqa: ANN001
) -> None:
    import pytest

    from tests.conftest import AS_OF
    from tools import ToolContext, query_metrics
    from tools.base import ToolError

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=CTX.semantic_model, as_of=AS_OF)
    with pytest.raises(ToolError, match="comparison is the period itself"):
        query_metrics(ctx, ["aov"], time_range="2025-Q3", compare_to="Q3 2025")
    with pytest.raises(ToolError) as raised:
        query_metrics(ctx, ["aov"], time_range="上个月和上个月比")
    assert "对比的时段就是所问的时段本身" in raised.value.translations["zh"]


def test_every_metric_of_a_one_row_breakdown_is_named_with_its_value(
    duckdb_demo_engine,  # noqa: ANN001
) -> None:
    """"Revenue and orders by month" over one month: the text names both metrics and states
    the one row's values (it named the first metric and listed nothing)."""
    from sqlalchemy import text as sql

    from knowledge.presentation import format_value
    from tests.conftest import AS_OF
    from tools import ToolContext, query_metrics

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=CTX.semantic_model, as_of=AS_OF)
    output = query_metrics(ctx, ["revenue", "orders"], ["month"], time_range="2026-09")
    with duckdb_demo_engine.connect() as conn:
        orders = conn.execute(
            sql(
                "select count(*) from orders where status <> 'cancelled' and total > 0 "
                "and cast(order_date as date) between '2026-09-01' and '2026-09-30'"
            )
        ).scalar()
    assert output.artifacts[0].frame["orders"].tolist() == [orders]
    for language, words in (("en", ("Revenue", "Orders")), ("zh", ("销售额", "订单数"))):
        text = write_metric_answer(output, language, CTX)
        heading = text.splitlines()[0]
        assert all(w in heading for w in words), heading
        assert format_value(orders, "integer", language) in text


def test_a_churn_rate_names_its_base_period(duckdb_demo_engine) -> None:  # noqa: ANN001
    """September's churn is of the buyers of the 30 days before it (MARKETING.md: the previous
    period of equal length), and the answer says which dates those were, in both languages."""
    from tests.conftest import AS_OF
    from tools import ToolContext, query_metrics

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=CTX.semantic_model, as_of=AS_OF)
    output = query_metrics(ctx, ["churn_rate"], time_range="2026-09-01..2026-09-30")
    assert output.data["churn_base"]["start"] == "2026-08-02"
    assert output.data["churn_base"]["end"] == "2026-08-31"
    assert "2026-08-02 to 2026-08-31" in output.for_model
    english = write_metric_answer(output, "en", CTX)
    assert "previous period of equal length (2026-08-02 – 2026-08-31)" in english
    chinese = write_metric_answer(output, "zh", CTX)
    assert "前一个等长周期（2026-08-02 至 2026-08-31）" in chinese
    by_gender = query_metrics(ctx, ["churn_rate"], ["gender"], time_range="2026-09-01..2026-09-30")
    assert "2026-08-02 – 2026-08-31" in write_metric_answer(by_gender, "en", CTX)
    # Other metrics have no churn base.
    assert "churn_base" not in query_metrics(ctx, ["orders"], time_range="last month").data


def test_a_count_is_plural_in_english_and_zeros_offer_no_breakdown() -> None:
    """"Orders ... were 715" (a count is a plural noun), "Revenue ... was"; a total of nothing
    but zeros (an empty store) offers no "break it down" next step."""
    orders = write_metric_answer(_total("orders", 715.0, None, OCTOBER, None), "en", CTX)
    assert ", were 715." in orders and "was 715" not in orders
    revenue = write_metric_answer(_total("revenue", 1000.0, None, OCTOBER, None), "en", CTX)
    assert ", was ¥1,000.00." in revenue and "Next: break it down" in revenue
    empty = write_metric_answer(_total("orders", 0.0, None, OCTOBER, None), "en", CTX)
    assert ", were 0." in empty and "Next:" not in empty
    assert "下一步" not in write_metric_answer(_total("orders", 0.0, None, OCTOBER, None), "zh", CTX)
