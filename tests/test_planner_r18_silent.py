"""Round 18, silent readings: churn over a time breakdown in the engine (each bucket against
the equal-length period before it, MARKETING.md), checked against pandas on every database;
and the planner's readings of kinds that used to give a number for another question."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import ToolContext, query_metrics
from tools.base import ToolError


def _context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def valid_orders(demo_engine: Engine) -> pd.DataFrame:
    with demo_engine.connect() as conn:
        orders = pd.read_sql(
            text(
                "SELECT o.order_id, o.customer_id, o.order_date, o.status, o.total, c.city "
                "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"
            ),
            conn,
        )
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    orders["total"] = orders["total"].astype(float)
    valid = ~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)
    return orders[valid & orders["customer_id"].notna()]


def _buyers(orders: pd.DataFrame, start: date, end: date) -> set:
    dated = orders[(orders["order_date"] >= start) & (orders["order_date"] <= end)]
    return set(dated["customer_id"])


def _expected_churn(orders: pd.DataFrame, start: date, end: date) -> tuple[int, int]:
    """(base buyers, churned) of start..end against the equal-length period before it."""
    length = (end - start).days + 1
    base = _buyers(orders, start - timedelta(days=length), start - timedelta(days=1))
    return len(base), len(base - _buyers(orders, start, end))


MONTHS = [
    (date(2026, 7, 1), date(2026, 7, 31)),
    (date(2026, 8, 1), date(2026, 8, 31)),
    (date(2026, 9, 1), date(2026, 9, 30)),
]


def test_churn_by_month_is_each_month_against_the_equal_length_period_before_it(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    output = query_metrics(
        _context(demo_engine),
        metrics=["churn_rate", "churned_customers"],
        dimensions=["month"],
        time_range="2026-07-01..2026-09-30",
    )
    frame = output.artifacts[0].frame.set_index("month")
    assert list(frame.index) == [start for start, _ in MONTHS]
    for start, end in MONTHS:
        base, churned = _expected_churn(valid_orders, start, end)
        assert frame.loc[start, "churned_customers"] == churned
        assert frame.loc[start, "churn_rate"] == pytest.approx(churned / base)
    # September's base is the 30 days before it (Aug 2-31), not the calendar month August.
    august = _buyers(valid_orders, date(2026, 8, 1), date(2026, 8, 31))
    thirty = _buyers(valid_orders, date(2026, 8, 2), date(2026, 8, 31))
    if august != thirty:
        september = date(2026, 9, 1)
        wrong = len(august - _buyers(valid_orders, september, MONTHS[2][1])) / len(august)
        assert frame.loc[september, "churn_rate"] != pytest.approx(wrong)
    assert output.data["churn_base"].get("per_bucket") is True


def test_churn_by_quarter_clips_the_buckets_to_the_period(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    """A period that starts mid-quarter: the first bucket is the part of the quarter asked."""
    output = query_metrics(
        _context(demo_engine),
        metrics=["churn_rate"],
        dimensions=["quarter"],
        time_range="2026-05-15..2026-09-30",
    )
    frame = output.artifacts[0].frame.set_index("quarter")
    spans = [(date(2026, 5, 15), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30))]
    assert list(frame.index) == [date(2026, 4, 1), date(2026, 7, 1)]
    for label, (start, end) in zip(frame.index, spans, strict=True):
        base, churned = _expected_churn(valid_orders, start, end)
        assert frame.loc[label, "churn_rate"] == pytest.approx(churned / base)


def test_churn_by_month_and_city_groups_the_base_by_city(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    output = query_metrics(
        _context(demo_engine),
        metrics=["churned_customers"],
        dimensions=["month", "city"],
        time_range="2026-08-01..2026-09-30",
    )
    frame = output.artifacts[0].frame
    for start, end in MONTHS[1:]:
        length = (end - start).days + 1
        before = valid_orders[
            (valid_orders["order_date"] >= start - timedelta(days=length))
            & (valid_orders["order_date"] < start)
        ]
        current = _buyers(valid_orders, start, end)
        for city, rows in before.groupby("city"):
            expected = len(set(rows["customer_id"]) - current)
            got = frame[(frame["month"] == start) & (frame["city"] == city)]["churned_customers"]
            assert int(got.iloc[0]) == expected


def test_churn_by_month_with_a_named_base_is_refused(demo_engine: Engine) -> None:
    with pytest.raises(ToolError):
        query_metrics(
            _context(demo_engine),
            metrics=["churn_rate"],
            dimensions=["month"],
            time_range="2026-07-01..2026-09-30",
            churn_base="2026-04-01..2026-06-30",
        )
