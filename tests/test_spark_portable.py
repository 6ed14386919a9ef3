"""Portable SQL compiled per engine, and the Spark hooks' pure parts (no Spark server needed)."""

from __future__ import annotations

from datetime import date

import pytest
from pyhive.sqlalchemy_hive import HiveDialect
from sqlalchemy import Date, column, create_engine, literal, select, table
from sqlalchemy.dialects import postgresql, sqlite

from copilot.agent import calls_until_failure
from copilot.messages import AIMessage, ToolMessage
from knowledge.store.portable import days_between, period_start, ranks_exactly
from knowledge.store.spark import is_read_statement
from tools.base import ToolOutput
from tools.segments.rfm import rfm_select
from tools.sql.guard import check_select

orders = table("orders", column("order_date", Date))


def _sql(expression, dialect) -> str:  # noqa: ANN001
    return str(
        select(expression.label("x"))
        .select_from(orders)
        .compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    )


def test_days_between_compiles_to_each_engines_day_difference() -> None:
    days = days_between(orders.c.order_date, literal(date(2026, 11, 1), Date))
    # Spark: `date - date` is an interval there, so datediff(end, start).
    assert "datediff('2026-11-01', `orders`.`order_date`)" in _sql(days, HiveDialect())
    assert "julianday('2026-11-01') - julianday(orders.order_date)" in _sql(days, sqlite.dialect())
    assert "('2026-11-01' - orders.order_date)" in _sql(days, postgresql.dialect())


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_days_between_and_period_start_run_in_the_engine(kind: str, tmp_path) -> None:  # noqa: ANN001
    engine = create_engine(f"{kind}:///{tmp_path}/x.db")
    when = literal(date(2026, 5, 20), Date)
    statement = select(
        days_between(when, literal(date(2026, 11, 1), Date)).label("days"),
        *[period_start(grain, when).label(grain) for grain in ("week", "month", "quarter", "year")],
    )
    with engine.connect() as conn:
        row = conn.execute(statement).one()
    assert row.days == 165
    assert [str(v)[:10] for v in row[1:]] == [
        "2026-05-18",
        "2026-05-01",
        "2026-04-01",
        "2026-01-01",
    ]


def test_unknown_grain_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown time grain 'fortnight'"):
        period_start("fortnight", orders.c.order_date)


def test_rfm_on_spark_uses_quantile_cutoffs_not_a_global_window() -> None:
    sql = str(rfm_select("hive", date(2026, 11, 1)).compile(dialect=HiveDialect()))
    assert "percentile_approx" in sql and "max_by" in sql
    assert " OVER " not in sql.upper()
    exact = str(rfm_select("duckdb", date(2026, 11, 1)).compile(dialect=postgresql.dialect()))
    assert "percent_rank() OVER" in exact
    assert not ranks_exactly("hive") and ranks_exactly("duckdb")


def test_only_queries_count_as_reads() -> None:
    for sql in ("SELECT 1", " (SELECT 1)", "WITH a AS (SELECT 1) SELECT * FROM a", "SHOW TABLES"):
        assert is_read_statement(sql), sql
    for sql in ("INSERT INTO t VALUES (1)", "CREATE TABLE t (a INT)", "SET x=1", "", "-- c"):
        assert not is_read_statement(sql), sql


def test_run_sql_guard_reads_spark_sql() -> None:
    checked = check_select(
        "SELECT `status`, count(*) FROM default.orders GROUP BY 1", "hive", ["orders"]
    )
    assert checked.tables == frozenset({"orders"})


def test_a_failed_tool_call_stays_in_the_record_with_its_error() -> None:
    messages = [
        AIMessage(
            "", tool_calls=[{"name": "query_metrics", "args": {"metrics": ["revenue"]}, "id": "a"}]
        ),
        ToolMessage("ok", tool_call_id="a", artifact=ToolOutput(for_model="ok")),
        AIMessage("", tool_calls=[{"name": "rfm_segments", "args": {}, "id": "b"}]),
    ]
    records = calls_until_failure(messages, "The store could not be queried: boom")
    assert [(r.name, r.error) for r in records] == [
        ("query_metrics", None),
        ("rfm_segments", "The store could not be queried: boom"),
    ]


def test_importing_into_a_spark_warehouse_is_refused_before_connecting() -> None:
    from knowledge.store.database import StoreUnavailableError, writable_warehouse

    # Port 1: nothing listens; the refusal comes before any connection is tried.
    with pytest.raises(StoreUnavailableError, match="read-only to the copilot"):
        with writable_warehouse("hive://127.0.0.1:1/default"):
            pass


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM orders", "SELECT a FROM orders LIMIT 11"),
        ("SELECT a FROM orders LIMIT 5", "SELECT a FROM orders LIMIT 5"),
        (
            "SELECT a FROM orders ORDER BY a LIMIT 500 OFFSET 3",
            "SELECT a FROM orders ORDER BY a LIMIT 11 OFFSET 3",
        ),
        (
            "SELECT a FROM orders UNION ALL SELECT b FROM orders",
            "SELECT a FROM orders UNION ALL SELECT b FROM orders LIMIT 11",
        ),
    ],
)
def test_run_sql_pushes_its_row_limit_into_the_engine(sql: str, expected: str) -> None:
    from tools.sql.run import limited_sql

    assert limited_sql(check_select(sql, "hive", ["orders"]), "spark", 11) == expected


def test_a_store_error_keeps_the_failing_call_in_the_answer(tmp_path) -> None:  # noqa: ANN001
    from sqlalchemy import text

    from copilot.agent import Copilot
    from copilot.settings import Settings
    from knowledge.store import connect_store
    from tests.conftest import AS_OF
    from tests.fakes.chat_models import ScriptedChatModel, tool_call

    engine = connect_store(f"sqlite:///{tmp_path}/broken.sqlite")
    copilot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"),
        engine=engine,
        chat_model=ScriptedChatModel(script=[tool_call("query_metrics", {"metrics": ["revenue"]})]),
        mode="scripted",
    )
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE orders"))
    answer = copilot.ask("revenue?")
    assert [c.name for c in answer.tool_calls] == ["query_metrics"]
    assert "store could not be queried" in (answer.tool_calls[0].error or "")


def test_a_profile_reads_churn_scores_from_the_state_store(tmp_path) -> None:  # noqa: ANN001
    # A warehouse without the copilot's tables (as Spark): the churn row of a profile
    # comes from the scores predict_churn saved in the state store (it was missing on Spark).
    import pandas as pd
    from sqlalchemy import text

    from knowledge.demo import generate_demo_data
    from knowledge.semantic import load_semantic_model
    from knowledge.store import connect_store
    from knowledge.store.state import connect_state
    from tests.conftest import AS_OF
    from tools import ToolContext
    from tools.churn.store import save_scores
    from tools.profiles.profile import profile_segment
    from tools.segments import rfm_table

    warehouse = connect_store(f"duckdb:///{tmp_path}/warehouse.duckdb")
    generate_demo_data(warehouse, customers=80, seed=7)
    with warehouse.begin() as conn:
        conn.execute(text("DROP TABLE churn_scores"))
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    buyers = rfm_table(warehouse, AS_OF)
    champions = set(buyers.loc[buyers["segment"] == "Champions", "customer_id"])
    # Champions at 0.1, everyone else at 0.5: the segment's mean is 0.1, the baseline between.
    scores = pd.Series(
        [0.1 if c in champions else 0.5 for c in buyers["customer_id"]],
        index=buyers["customer_id"],
    )
    save_scores(state, scores, AS_OF, "test")
    ctx = ToolContext(
        engine=warehouse, state=state, semantic_model=load_semantic_model(), as_of=AS_OF
    )
    table = profile_segment(ctx, "Champions").artifacts[0].frame
    row = table[table["feature"] == "mean churn probability"]
    assert len(row) == 1, "the profile has no churn row"
    assert row["segment"].iloc[0] == 0.1
    assert row["baseline"].iloc[0] == round(float(scores.mean()), 4)
    warehouse.dispose()
    state.dispose()


def test_a_dialects_type_wrappers_read_as_their_kind() -> None:
    # PyHive reflects Spark's DATE, TIMESTAMP and DECIMAL as TypeDecorators.
    from pyhive.sqlalchemy_hive import HiveDate, HiveDecimal, HiveTimestamp

    from knowledge.warehouse_mapping_check import kind_of_type_name, value_kind

    assert [value_kind(t()) for t in (HiveDate, HiveTimestamp, HiveDecimal)] == [
        "date",
        "timestamp",
        "number",
    ]
    assert kind_of_type_name("timestamp_ntz") == "timestamp"
    assert kind_of_type_name("decimal(14,2)") == "number"


def test_sparks_not_found_error_makes_has_table_false() -> None:
    # Spark 4 names a missing table TABLE_OR_VIEW_NOT_FOUND; PyHive only knew Hive's text.
    from sqlalchemy.exc import OperationalError

    from knowledge.store.spark import spark_read_only

    engine = create_engine("hive://127.0.0.1:9/default")  # never connects here
    messages = {
        "gone": "Error running query: [TABLE_OR_VIEW_NOT_FOUND] The table `gone` cannot be found.",
        "broken": "Error running query: [INTERNAL_ERROR] something else",
    }

    def describe(connection, table_name, schema):  # noqa: ANN001, ANN202 - PyHive's signature
        if table_name == "here":
            return [("a", "string", None)]
        raise OperationalError(f"DESCRIBE {table_name}", {}, Exception(messages[table_name]))

    engine.dialect._get_table_columns = describe
    spark_read_only(engine)
    assert engine.dialect.has_table(None, "here") is True
    assert engine.dialect.has_table(None, "gone") is False
    with pytest.raises(OperationalError, match="INTERNAL_ERROR"):
        engine.dialect.has_table(None, "broken")
