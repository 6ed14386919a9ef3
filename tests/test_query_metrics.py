"""query_metrics against an independent pandas computation, on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import ToolContext, ToolError, query_metrics


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def valid_orders(engine: Engine) -> pd.DataFrame:
    """Valid orders joined to customers, computed without the code under test."""
    with engine.connect() as conn:
        frame = pd.read_sql(
            text(
                "SELECT o.order_id, o.customer_id, o.order_date, o.status, o.total, o.channel, c.city "
                "FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
            ),
            conn,
        )
    frame["order_date"] = pd.to_datetime(frame["order_date"]).dt.date
    frame["total"] = frame["total"].astype(float)
    return frame[~frame["status"].isin(["cancelled", "returned"]) & (frame["total"] > 0)]


def sales_orders(engine: Engine) -> pd.DataFrame:
    """Orders whose totals make up net sales: completed ones and return orders."""
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT order_id, order_date, status, total FROM orders"), conn)
    frame["order_date"] = pd.to_datetime(frame["order_date"]).dt.date
    frame["total"] = frame["total"].astype(float)
    return frame[
        ((frame["status"] == "completed") | (frame["total"] < 0)) & (frame["status"] != "cancelled")
    ]


def test_revenue_last_month_matches_direct_sql(demo_engine: Engine) -> None:
    output = query_metrics(context(demo_engine), metrics=["revenue"], time_range="last month")
    with demo_engine.connect() as conn:
        expected = conn.execute(
            text(
                # Revenue = net sales (MARKETING.md): completed orders and returns on their dates.
                "SELECT SUM(total) FROM orders WHERE (status = 'completed' OR total < 0) "
                "AND status <> 'cancelled' AND order_date >= :start AND order_date <= :end"
            ),
            {"start": date(2026, 10, 1), "end": date(2026, 10, 31)},
        ).scalar_one()
    assert output.data["period"]["start"] == "2026-10-01"
    assert output.data["period"]["end"] == "2026-10-31"
    assert output.data["values"]["revenue"] == pytest.approx(float(expected), abs=0.005)
    assert float(expected) > 0


def test_chinese_period_phrase_gives_same_number(demo_engine: Engine) -> None:
    ctx = context(demo_engine)
    english = query_metrics(ctx, metrics=["revenue", "orders"], time_range="last month")
    chinese = query_metrics(ctx, metrics=["revenue", "orders"], time_range="上个月")
    assert english.data["values"] == chinese.data["values"]


def test_all_metrics_by_month_match_pandas(demo_engine: Engine) -> None:
    output = query_metrics(
        context(demo_engine),
        metrics=["revenue", "orders", "buyers", "aov"],
        dimensions=["month"],
        time_range="2025",
    )
    orders = valid_orders(demo_engine)
    orders = orders[
        (orders["order_date"] >= date(2025, 1, 1)) & (orders["order_date"] <= date(2025, 12, 31))
    ]
    orders["month"] = orders["order_date"].map(lambda d: d.replace(day=1))
    expected = orders.groupby("month").agg(
        orders=("order_id", "count"), buyers=("customer_id", "nunique")
    )
    # Revenue = net sales: completed orders' totals plus returns (negative) on their own dates.
    sales = sales_orders(demo_engine)
    sales = sales[sales["order_date"].map(lambda d: d.year == 2025)]
    expected["revenue"] = sales.groupby(sales["order_date"].map(lambda d: d.replace(day=1)))[
        "total"
    ].sum()
    expected["aov"] = expected["revenue"] / expected["orders"]
    got = output.artifacts[0].frame.set_index("month")
    assert list(got.index) == list(expected.index)
    assert len(got) == 12
    for column in ["revenue", "orders", "buyers", "aov"]:
        assert got[column].to_numpy() == pytest.approx(expected[column].to_numpy(), abs=0.005), (
            column
        )


def test_top_cities_with_filter_and_limit(demo_engine: Engine) -> None:
    ctx = context(demo_engine)
    output = query_metrics(ctx, metrics=["orders"], dimensions=["city"], limit=3, time_range="2026")
    orders = valid_orders(demo_engine)
    orders = orders[orders["order_date"] >= date(2026, 1, 1)]
    expected = orders.groupby("city")["order_id"].count().sort_values(ascending=False)
    got = output.artifacts[0].frame
    assert len(got) == 3
    assert list(got["orders"]) == list(expected.head(3).to_numpy())
    top_city = got["city"].iloc[0]
    filtered = query_metrics(
        ctx, metrics=["orders"], filters={"city": [top_city]}, time_range="2026"
    )
    assert filtered.data["values"]["orders"] == expected.iloc[0]


def test_sales_channel_breakdown_sums_to_total(demo_engine: Engine) -> None:
    ctx = context(demo_engine)
    total = query_metrics(ctx, metrics=["revenue"], time_range="last 90 days").data["values"][
        "revenue"
    ]
    by_channel = query_metrics(
        ctx, metrics=["revenue"], dimensions=["channel"], time_range="last 90 days"
    )
    assert by_channel.artifacts[0].frame["revenue"].sum() == pytest.approx(total, abs=0.01)


def test_period_with_no_orders_reports_nothing(duckdb_demo_engine: Engine) -> None:
    output = query_metrics(
        context(duckdb_demo_engine), metrics=["revenue", "orders"], time_range="2010"
    )
    assert output.data["values"] == {"revenue": None, "orders": 0.0}


def test_unknown_metric_is_a_recoverable_error(duckdb_demo_engine: Engine) -> None:
    with pytest.raises(ToolError, match="known metrics: revenue"):
        query_metrics(context(duckdb_demo_engine), metrics=["profit"])


def test_unknown_dimension_and_bad_period_are_recoverable(duckdb_demo_engine: Engine) -> None:
    ctx = context(duckdb_demo_engine)
    with pytest.raises(ToolError, match="known dimensions"):
        query_metrics(ctx, metrics=["revenue"], dimensions=["colour"])
    with pytest.raises(ToolError, match="period"):
        query_metrics(ctx, metrics=["revenue"], time_range="when the moon is blue")


def test_row_limit_marks_truncation(duckdb_demo_engine: Engine) -> None:
    ctx = ToolContext(
        engine=duckdb_demo_engine,
        semantic_model=load_semantic_model(),
        as_of=AS_OF,
        limits=__import__("tools").Limits(row_limit=5),
    )
    output = query_metrics(ctx, metrics=["revenue"], dimensions=["day"], time_range="last 30 days")
    assert output.data["truncated"] is True
    assert len(output.artifacts[0].frame) == 5
    assert "truncated" in output.for_model
