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


def sales_by_city(engine: Engine) -> pd.DataFrame:
    """Net-sales order rows (as `sales_orders`) with the customer's city (None when unknown)."""
    with engine.connect() as conn:
        frame = pd.read_sql(
            text(
                "SELECT o.order_id, o.order_date, o.status, o.total, o.channel, c.city "
                "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"
            ),
            conn,
        )
    frame["order_date"] = pd.to_datetime(frame["order_date"]).dt.date
    frame["total"] = frame["total"].astype(float)
    sales = ((frame["status"] == "completed") | (frame["total"] < 0)) & (
        frame["status"] != "cancelled"
    )
    return frame[sales]


def test_revenue_excluding_a_city_is_the_whole_minus_its_part(demo_engine: Engine) -> None:
    """An additive metric left out of one city is the whole less that city's part, computed
    with pandas; a breakdown, a top N, shares and a comparison keep leaving it out."""
    ctx = context(demo_engine)
    sales = sales_by_city(demo_engine)
    october = sales[
        (sales["order_date"] >= date(2026, 10, 1)) & (sales["order_date"] <= date(2026, 10, 31))
    ]
    september = sales[
        (sales["order_date"] >= date(2026, 9, 1)) & (sales["order_date"] <= date(2026, 9, 30))
    ]
    expected = october["total"].sum() - october.loc[october["city"] == "上海", "total"].sum()
    assert 0 < expected < october["total"].sum()

    output = query_metrics(
        ctx, metrics=["revenue"], time_range="last month", exclude={"city": ["上海"]}
    )
    assert output.data["values"]["revenue"] == pytest.approx(expected, abs=0.01)
    assert output.data["exclude"] == {"city": ["上海"]} and output.data["filters"] == {}
    assert output.artifacts[0].titles["en"] == "Revenue, excluding 上海 (October 2026)"
    assert "不含上海" in output.artifacts[0].titles["zh"]

    by_channel = query_metrics(
        ctx,
        metrics=["revenue"],
        dimensions=["channel"],
        time_range="last month",
        exclude={"city": ["上海"]},
        shares=True,
    )
    assert by_channel.artifacts[0].frame["revenue"].sum() == pytest.approx(expected, abs=0.01)
    assert by_channel.data["share_of"]["revenue"] == pytest.approx(expected, abs=0.01)

    top = query_metrics(
        ctx,
        metrics=["revenue"],
        dimensions=["city"],
        time_range="last month",
        limit=3,
        exclude={"city": ["上海", "北京"]},
    )
    others = october[~october["city"].isin(["上海", "北京"])].groupby("city")["total"].sum()
    assert "上海" not in set(top.artifacts[0].frame["city"])
    assert list(top.artifacts[0].frame["revenue"]) == pytest.approx(
        list(others.sort_values(ascending=False).head(3)), abs=0.01
    )

    compared = query_metrics(
        ctx,
        metrics=["revenue"],
        time_range="last month",
        compare_to="previous period",
        exclude={"city": ["上海"]},
    )
    before = september["total"].sum() - september.loc[september["city"] == "上海", "total"].sum()
    assert compared.data["previous_values"]["revenue"] == pytest.approx(before, abs=0.01)


def test_a_row_with_no_value_is_not_left_out(tmp_path) -> None:  # noqa: ANN001
    """ "Excluding 上海" keeps a customer with no city (NULL NOT IN (...) alone would drop
    their orders): the city left out is 上海, and they are not in 上海."""
    from knowledge.demo import generate_demo_data
    from tests.conftest import connect_store

    engine = connect_store(f"duckdb:///{tmp_path}/store.duckdb")
    generate_demo_data(engine, customers=60, seed=3)
    with engine.begin() as conn:
        conn.execute(text("UPDATE customers SET city = NULL WHERE city = '北京'"))
    ctx = context(engine)
    sales = sales_by_city(engine)
    assert sales["city"].isna().any()
    whole = query_metrics(ctx, metrics=["revenue", "orders"])
    shanghai = query_metrics(ctx, metrics=["revenue", "orders"], filters={"city": ["上海"]})
    rest = query_metrics(ctx, metrics=["revenue", "orders"], exclude={"city": ["上海"]})
    for metric in ("revenue", "orders"):
        assert rest.data["values"][metric] == pytest.approx(
            whole.data["values"][metric] - shanghai.data["values"][metric], abs=0.01
        )
    expected = sales.loc[sales["city"] != "上海", "total"].sum()  # NaN != 上海: kept
    assert rest.data["values"]["revenue"] == pytest.approx(expected, abs=0.01)
    engine.dispose()


def test_a_value_to_leave_out_is_checked(duckdb_demo_engine: Engine) -> None:
    """Leaving out a value the store does not hold would leave out nothing: the whole
    store's figure read as the figure without it. The error names what to fix."""
    ctx = context(duckdb_demo_engine)
    with pytest.raises(ToolError, match="no 'city' 'Atlantis' to leave out"):
        query_metrics(ctx, metrics=["revenue"], exclude={"city": ["Atlantis"]})
    with pytest.raises(ToolError, match="no such dimension; use one of: .*city"):
        query_metrics(ctx, metrics=["revenue"], exclude={"colour": ["red"]})
    with pytest.raises(ToolError, match="time range"):
        query_metrics(ctx, metrics=["revenue"], exclude={"month": ["2026-10"]})
    # A label of a stored value ("护肤", the Chinese category name) leaves out the value.
    by_label = query_metrics(ctx, metrics=["orders"], exclude={"category": ["护肤"]})
    by_value = query_metrics(ctx, metrics=["orders"], exclude={"category": ["skincare"]})
    assert by_label.data["values"] == by_value.data["values"]
    assert by_label.data["exclude"] == {"category": ["skincare"]}


@pytest.mark.parametrize(
    ("time_range", "compare_to"),
    [("2026-03-08", "2025"), ("2026年3月8日", "2025年"), ("March 8 2026 vs 2025", None)],
)
def test_one_day_against_a_whole_year_is_that_day_of_the_year(
    duckdb_demo_engine: Engine, time_range: str, compare_to: str | None
) -> None:
    """A day set against a whole year compares that day of the year, never the year's total."""
    ctx = context(duckdb_demo_engine)
    output = query_metrics(ctx, metrics=["orders"], time_range=time_range, compare_to=compare_to)
    other = output.data["compare_to"]
    assert (str(other["start"]), str(other["end"])) == ("2025-03-08", "2025-03-08")


def test_a_part_of_a_year_against_a_whole_year_is_the_same_dates_of_it(
    duckdb_demo_engine: Engine,
) -> None:
    """(round 27) "618推送点击率，跟2025年比": the 618 days of 2025, never all of 2025; a whole
    year said as whole ("vs full-year 2025") stays whole."""
    ctx = context(duckdb_demo_engine)
    output = query_metrics(ctx, metrics=["orders"], time_range="618 2026", compare_to="2025年")
    other = output.data["compare_to"]
    assert (str(other["start"]), str(other["end"])) == ("2025-06-01", "2025-06-18")
    whole = query_metrics(
        ctx, metrics=["orders"], time_range="618 2026", compare_to="full-year 2025"
    )
    assert (str(whole.data["compare_to"]["start"]), str(whole.data["compare_to"]["end"])) == (
        "2025-01-01",
        "2025-12-31",
    )
