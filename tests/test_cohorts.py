"""Cohort retention against an independent pandas computation, on every database."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import ToolContext, ToolError
from tools.cohorts import cohort_retention


def test_retention_matches_pandas(demo_engine: Engine) -> None:
    ctx = ToolContext(engine=demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)
    output = cohort_retention(ctx, time_range="2025", periods=3)
    with demo_engine.connect() as conn:
        orders = pd.read_sql(
            text("SELECT customer_id, order_id, ordered_at, order_date, status, total FROM orders"),
            conn,
        )
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    valid = orders[
        ~orders["status"].isin(["cancelled", "returned"]) & (orders["total"].astype(float) > 0)
    ]
    valid = valid.sort_values(["customer_id", "ordered_at", "order_id"])
    first = valid.groupby("customer_id")["order_date"].first()
    month = lambda d: d.dt.year * 12 + d.dt.month  # noqa: E731
    valid = valid.assign(
        m=month(valid["order_date"]), cohort=valid["customer_id"].map(month(first))
    )
    cohorts = first[(first.dt.year == 2025)]
    got = output.artifacts[0].frame.set_index("cohort")
    assert len(got) == 12
    for customer_month in sorted(month(cohorts).unique()):
        members = cohorts[month(cohorts) == customer_month].index
        label = f"{(customer_month - 1) // 12:04d}-{(customer_month - 1) % 12 + 1:02d}"
        assert got.at[label, "customers"] == len(members)
        for k in (1, 2, 3):
            active = valid[
                (valid["customer_id"].isin(members)) & (valid["m"] == customer_month + k)
            ]
            assert got.at[label, f"month_{k}"] == pytest.approx(
                active["customer_id"].nunique() / len(members)
            )
    assert output.artifacts[0].chart == "heatmap"


def test_unobservable_months_are_empty_and_empty_period_is_an_error(
    duckdb_demo_engine: Engine,
) -> None:
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)
    frame = cohort_retention(ctx, time_range="last month", periods=2).artifacts[0].frame
    assert list(frame["cohort"]) == ["2026-10"]
    assert frame["month_1"].isna().all()
    with pytest.raises(ToolError, match="No customers"):
        cohort_retention(ctx, time_range="2010")
