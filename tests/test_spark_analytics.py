"""The analytics tools on a real Spark server give DuckDB's answers and send it only queries.

Needs COPILOT_TEST_SPARK_URL: a Spark Thrift server holding the small seeded demo
store (scripts/spark.sh starts one on loopback and loads it with
scripts/spark_demo.py, the same generator and seed as the `duckdb_demo_engine`
fixture). Skipped without it, except in CI, where it must run.

RFM on Spark scores against approximate quantile cut-offs (percentile_approx)
instead of a global percent_rank window. With accuracy 10,000 the quantiles of a
store under 10,000 buyers are exact order statistics, so on this store (about
400 buyers) the scores must equal DuckDB's exactly: the tolerance is zero.
"""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from tests.conftest import AS_OF, WRITE_KEYWORDS
from tools import ToolContext, ToolError
from tools.base import Limits
from tools.churn import customer_features
from tools.cohorts import cohort_retention
from tools.metrics import query_metrics
from tools.segments import rfm_segments, rfm_table
from tools.sql.run import run_sql

pytestmark = pytest.mark.spark

_FIRST_WORD = re.compile(r"^[\s(]*([A-Za-z]+)")


@pytest.fixture
def spark(spark_warehouse: tuple[Engine, list[str]]) -> Engine:
    """The Spark engine; after the test, every statement it was sent must be a query."""
    engine, sent = spark_warehouse
    first = len(sent)
    yield engine
    statements = sent[first:]
    assert statements, "the test sent nothing to Spark"
    writing = [s for s in statements if _first_word(s) in WRITE_KEYWORDS]
    assert not writing, f"statements that write reached Spark: {writing}"


def _first_word(sql: str) -> str:
    match = _FIRST_WORD.match(sql)
    return match.group(1).lower() if match else ""


# A local Spark on a small shared CI machine takes tens of seconds for a query that a
# cluster runs in a few; the default 30 s limit would stop it (the limit itself is
# checked by test_time_limit_cancels_the_query_on_spark).
SPARK_LIMITS = Limits(query_timeout_s=600.0)


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(
        engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF, limits=SPARK_LIMITS
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values made comparable across drivers: dates as ISO text, decimals as floats."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.map(lambda v: isinstance(v, date | pd.Timestamp)).any():
            out[column] = values.map(lambda v: str(v)[:10])
        elif values.map(lambda v: isinstance(v, Decimal | int | float)).all():
            out[column] = pd.to_numeric(values).astype(float).round(6)
    return out.reset_index(drop=True)


METRIC_QUESTIONS = [
    {"metrics": ["revenue", "orders", "aov"], "dimensions": ["month"], "time_range": "2025"},
    {"metrics": ["revenue"], "dimensions": ["category"], "time_range": "2026-Q3"},
    {"metrics": ["repurchase_rate", "buyers"], "dimensions": ["quarter"], "time_range": "2025"},
    {"metrics": ["churn_rate"], "dimensions": [], "time_range": "2026-Q3"},
    {"metrics": ["open_rate", "ctr"], "dimensions": ["channel"], "time_range": None},
]


@pytest.mark.parametrize("question", METRIC_QUESTIONS, ids=lambda q: "+".join(q["metrics"]))
def test_query_metrics_match_duckdb(spark: Engine, duckdb_demo_engine: Engine, question) -> None:  # noqa: ANN001
    got = query_metrics(_ctx(spark), **question)
    want = query_metrics(_ctx(duckdb_demo_engine), **question)
    assert len(want.artifacts[0].frame) > 0
    pd.testing.assert_frame_equal(
        _plain(got.artifacts[0].frame), _plain(want.artifacts[0].frame), check_dtype=False
    )


def test_rfm_scores_match_duckdb_exactly(spark: Engine, duckdb_demo_engine: Engine) -> None:
    got = rfm_table(spark)
    want = rfm_table(duckdb_demo_engine)
    assert len(want) > 300
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_rfm_segments_match_and_say_approximate(spark: Engine, duckdb_demo_engine: Engine) -> None:
    got = rfm_segments(_ctx(spark), save=False)
    want = rfm_segments(_ctx(duckdb_demo_engine), save=False)
    assert got.data["approximate"] is True and want.data["approximate"] is False
    assert "approximate" in got.for_model and "approximate" not in want.for_model
    assert got.data["segments"] == want.data["segments"]
    assert got.data["buyers"] == want.data["buyers"]


def test_cohort_retention_matches_duckdb(spark: Engine, duckdb_demo_engine: Engine) -> None:
    got = cohort_retention(_ctx(spark), time_range="2025", periods=3)
    want = cohort_retention(_ctx(duckdb_demo_engine), time_range="2025", periods=3)
    pd.testing.assert_frame_equal(
        _plain(got.artifacts[0].frame), _plain(want.artifacts[0].frame), check_dtype=False
    )


def test_churn_features_match_duckdb(spark: Engine, duckdb_demo_engine: Engine) -> None:
    cutoff = date(2026, 6, 30)
    got = customer_features(spark, cutoff)
    want = customer_features(duckdb_demo_engine, cutoff)
    assert len(want) > 300
    pd.testing.assert_frame_equal(_plain(got), _plain(want), check_dtype=False)


def test_run_sql_runs_on_spark_with_the_guard(spark: Engine, duckdb_demo_engine: Engine) -> None:
    sql = (
        "SELECT status, count(*) AS n, sum(total) AS total FROM orders "
        "WHERE status LIKE '%e%' GROUP BY status ORDER BY status"
    )
    got = run_sql(_ctx(spark), sql)
    want = run_sql(_ctx(duckdb_demo_engine), sql)
    assert got.data["row_count"] == want.data["row_count"] > 0
    pd.testing.assert_frame_equal(
        _plain(got.artifacts[0].frame), _plain(want.artifacts[0].frame), check_dtype=False
    )
    refused = {
        "DROP TABLE orders": "DROP",
        "INSERT INTO orders SELECT * FROM orders": "INSERT",
        "SELECT reflect('java.lang.System', 'exit', 0)": "reflect",
        "SELECT * FROM parquet.`/etc/passwd`": "not a table",
        "SELECT * FROM conversations": "copilot's own tables",
    }
    for bad, reason in refused.items():
        with pytest.raises(ToolError, match=re.escape(reason)):
            run_sql(_ctx(spark), bad)


def test_a_database_error_is_an_error_not_an_empty_result(spark: Engine) -> None:
    with pytest.raises(ToolError, match="refused the query"):
        run_sql(_ctx(spark), "SELECT no_such_column FROM orders")


def test_writes_are_refused_before_they_reach_spark(spark: Engine) -> None:
    # Refused by the engine's hook before the driver sees it (the fixture's record of
    # what was sent then holds no CREATE), and Spark has no such table afterwards.
    with pytest.raises(Exception, match="read-only"), spark.connect() as conn:
        conn.execute(text("CREATE TABLE copilot_probe (a INT)"))
    with spark.connect() as conn:
        assert not conn.execute(text("SHOW TABLES LIKE 'copilot_probe'")).fetchall()


def test_time_limit_cancels_the_query_on_spark(spark: Engine) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="longer than 2 s"):
        fetch_frame(spark, text("SELECT count(*) FROM range(100000000000)"), 2)
    # Cancelled, not run to the end (hours on this machine); polling adds at most ~0.5 s.
    assert time.monotonic() - started < 60


def test_a_churn_rule_segment_on_spark_has_duckdbs_members(
    spark_warehouse: tuple[Engine, list[str]],
    spark_sent: list[str],
    duckdb_demo_engine: Engine,
    tmp_path,
) -> None:  # noqa: ANN001
    """Churn scores live in the state store; Spark gets the at-risk ids, never a write."""
    from knowledge.store.database import connect_warehouse
    from knowledge.store.state import connect_state, share_state_with
    from tests.test_spark_churn_rule import RULE, churn_scores, expected_members
    from tools.churn.store import save_scores
    from tools.segments.rules import define_segment

    # An engine of its own: share_state_with marks it as one that cannot see the state
    # tables, as the copilot's Spark warehouse is, without changing the session's engine.
    url = spark_warehouse[0].url.render_as_string(hide_password=False)
    spark = connect_warehouse(url)
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    share_state_with(spark, state)
    with duckdb_demo_engine.connect() as conn:
        customers = pd.read_sql(text("SELECT customer_id, gender FROM customers"), conn)
    scores = churn_scores(customers["customer_id"].astype(str).tolist())
    save_scores(state, scores, AS_OF, "test")
    ctx = ToolContext(
        engine=spark,
        state=state,
        semantic_model=load_semantic_model(),
        as_of=AS_OF,
        limits=SPARK_LIMITS,
    )
    first = len(spark_sent)
    out = define_segment(ctx, "At risk women", RULE)
    want = expected_members(customers, scores)
    assert len(want) > 20 and out.data["size"] == len(want)
    with state.connect() as conn:
        saved = conn.execute(
            text(
                "SELECT m.customer_id FROM segment_members m JOIN saved_segments s "
                "USING (segment_id) WHERE s.name = 'At risk women' ORDER BY 1"
            )
        )
        assert [str(r[0]) for r in saved] == want
    sent = spark_sent[first:]
    assert sent and not [s for s in sent if _first_word(s) in WRITE_KEYWORDS]
    assert not [s for s in sent if "churn_scores" in s], "Spark was asked for churn scores"
    spark.dispose()
    state.dispose()


def test_the_mapping_check_reads_sparks_column_types(spark: Engine) -> None:
    # PyHive reflects DATE / DECIMAL as wrappers and Spark 4's timestamp_ntz as an unknown
    # type: `copilot check-warehouse` on Spark printed 14 "not recognised" warnings.
    from knowledge.warehouse_mapping import load_mapping
    from knowledge.warehouse_mapping_check import check_mapping, warehouse_columns

    assert check_mapping(spark, load_mapping(None)) == []
    orders = warehouse_columns(spark, "orders", None)
    assert orders is not None
    kinds = {name: kind for name, (_, kind, _) in orders.items()}
    assert kinds["ordered_at"] == "timestamp" and kinds["order_date"] == "date"
    assert kinds["total"] == "number" and kinds["order_id"] == "text"
    assert warehouse_columns(spark, "no_such_table", None) is None


def test_a_missing_table_is_answered_not_raised(spark: Engine) -> None:
    # PyHive knew Hive's "Table not found" text only; Spark 4's TABLE_OR_VIEW_NOT_FOUND
    # made has_table raise, and `copilot ask` on Spark failed at start (demo_marker).
    from sqlalchemy import inspect

    from knowledge.demo.marker import read_demo_marker

    inspector = inspect(spark)
    assert inspector.has_table("orders")
    assert not inspector.has_table("copilot_no_such_table")
    assert not inspector.has_table("orders", schema="copilot_no_such_schema")
    marker = read_demo_marker(spark)  # no note table on Spark: recognised by its data
    assert marker is not None and marker.customers == 400
