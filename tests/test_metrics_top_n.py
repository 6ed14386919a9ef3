"""Top-N in query_metrics is sorted and cut by the engine (ORDER BY ... LIMIT), same table."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, event

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import Limits, ToolContext, query_metrics


def context(engine: Engine, row_limit: int = 1000) -> ToolContext:
    return ToolContext(
        engine=engine,
        semantic_model=load_semantic_model(),
        as_of=AS_OF,
        limits=Limits(row_limit=row_limit),
    )


def captured_sql(engine: Engine, call) -> tuple[object, list[str]]:  # noqa: ANN001
    statements: list[str] = []

    def capture(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        return call(), statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def test_top_cities_are_limited_in_sql_and_match_a_pandas_sort(demo_engine: Engine) -> None:
    ctx = context(demo_engine)
    everything = query_metrics(ctx, metrics=["orders"], dimensions=["city"], time_range="2026")
    full = everything.artifacts[0].frame
    top, statements = captured_sql(
        demo_engine,
        lambda: query_metrics(
            ctx, metrics=["orders"], dimensions=["city"], time_range="2026", limit=3
        ),
    )
    metric_sql = [s for s in statements if "count(" in s.lower() and "city" in s.lower()]
    assert metric_sql and "LIMIT" in metric_sql[-1].upper()
    assert "ORDER BY" in metric_sql[-1].upper()
    # Ties on the count are broken by the city name, so the cut is deterministic.
    expected = full.sort_values(["orders", "city"], ascending=[False, True], kind="stable").head(3)
    pd.testing.assert_frame_equal(
        top.artifacts[0].frame.reset_index(drop=True), expected.reset_index(drop=True)
    )


def test_ties_are_broken_by_dimension_in_the_engine(duckdb_demo_engine: Engine) -> None:
    """Many genders x channels share order counts in a tiny period: the cut stays stable."""
    ctx = context(duckdb_demo_engine)
    args = {"metrics": ["buyers"], "dimensions": ["channel", "gender"], "time_range": "2026-10-31"}
    full = query_metrics(ctx, **args).artifacts[0].frame
    for n in (1, 2, 4):
        top = query_metrics(ctx, **args, limit=n).artifacts[0].frame
        expected = full.sort_values(
            ["buyers", "channel", "gender"], ascending=[False, True, True], na_position="last"
        ).head(n)
        pd.testing.assert_frame_equal(top, expected.reset_index(drop=True))


def test_ratio_metric_top_n_is_still_right(duckdb_demo_engine: Engine) -> None:
    """AOV is revenue / orders, computed after the fetch: sorted in pandas over every group."""
    ctx = context(duckdb_demo_engine)
    full = query_metrics(ctx, metrics=["aov"], dimensions=["city"]).artifacts[0].frame
    top = query_metrics(ctx, metrics=["aov"], dimensions=["city"], limit=2).artifacts[0].frame
    assert list(top["city"]) == list(full["city"].head(2))
    assert top["aov"].iloc[0] >= top["aov"].iloc[1]


def test_row_limit_is_pushed_down_with_the_truncation_flag(duckdb_demo_engine: Engine) -> None:
    ctx = context(duckdb_demo_engine, row_limit=4)
    output, statements = captured_sql(
        duckdb_demo_engine,
        lambda: query_metrics(ctx, metrics=["revenue"], dimensions=["product"]),
    )
    assert output.data["truncated"] is True
    assert len(output.artifacts[0].frame) == 4
    assert any("LIMIT" in s.upper() for s in statements)


def test_bottom_cities_are_sorted_ascending_in_sql_and_match_a_pandas_sort(
    demo_engine: Engine,
) -> None:
    """sort='asc' + limit is the bottom N: ORDER BY ... ASC LIMIT in the engine, the same
    rows as pandas sorting every city ascending (ties by the city name)."""
    ctx = context(demo_engine)
    full = query_metrics(ctx, metrics=["orders"], dimensions=["city"], time_range="2026")
    bottom, statements = captured_sql(
        demo_engine,
        lambda: query_metrics(
            ctx, metrics=["orders"], dimensions=["city"], time_range="2026", limit=3, sort="asc"
        ),
    )
    metric_sql = [s for s in statements if "count(" in s.lower() and "city" in s.lower()]
    assert metric_sql and "LIMIT" in metric_sql[-1].upper()
    expected = (
        full.artifacts[0]
        .frame.sort_values(["orders", "city"], ascending=[True, True], kind="stable")
        .head(3)
    )
    pd.testing.assert_frame_equal(
        bottom.artifacts[0].frame.reset_index(drop=True), expected.reset_index(drop=True)
    )
    assert bottom.data["sort"] == "asc"
    assert bottom.artifacts[0].frame["orders"].iloc[0] < full.artifacts[0].frame["orders"].iloc[0]


def test_bottom_n_ties_and_nulls_sort_as_pandas(duckdb_demo_engine: Engine) -> None:
    """Ascending: ties by every dimension ascending, NULLs (no ratio) last, as pandas does."""
    ctx = context(duckdb_demo_engine)
    args = {"metrics": ["buyers"], "dimensions": ["channel", "gender"], "time_range": "2026-10-31"}
    full = query_metrics(ctx, **args).artifacts[0].frame
    for n in (1, 2, 4):
        bottom = query_metrics(ctx, **args, limit=n, sort="asc").artifacts[0].frame
        expected = full.sort_values(
            ["buyers", "channel", "gender"], ascending=[True, True, True], na_position="last"
        ).head(n)
        pd.testing.assert_frame_equal(bottom, expected.reset_index(drop=True))
    aov = {"metrics": ["aov"], "dimensions": ["city"]}
    every = query_metrics(ctx, **aov).artifacts[0].frame
    lowest = query_metrics(ctx, **aov, limit=2, sort="asc").artifacts[0].frame
    expected = every.sort_values(["aov", "city"], na_position="last", kind="stable").head(2)
    pd.testing.assert_frame_equal(lowest, expected.reset_index(drop=True))
