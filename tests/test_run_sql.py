"""run_sql and describe_data against independent pandas computations, on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, text

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.sql_answers import write_describe_answer, write_sql_answer
from knowledge.demo.marker import DEMO_MARKER
from tests.conftest import AS_OF
from tools.base import Limits, ToolContext, ToolError, ToolOutput
from tools.sql import describe_data, run_sql

VALID = "status NOT IN ('cancelled', 'returned') AND total > 0"


# run_sql, describe_data and their writers never read the semantic model.
NO_MODEL: Any = None


@functools.cache
def context(engine: Engine, row_limit: int = 1000, timeout_s: float = 30.0) -> ToolContext:
    limits = Limits(row_limit=row_limit, query_timeout_s=timeout_s)
    return ToolContext(engine=engine, semantic_model=NO_MODEL, limits=limits, as_of=AS_OF)


def raw_table(engine: Engine, name: str) -> pd.DataFrame:
    """A whole table read without the code under test."""
    with engine.connect() as conn:
        return pd.read_sql(text(f"SELECT * FROM {name}"), conn)


def valid_orders(engine: Engine) -> pd.DataFrame:
    orders = raw_table(engine, "orders")
    orders["total"] = orders["total"].astype(float)
    return orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]


def test_revenue_by_channel_matches_pandas(demo_engine: Engine) -> None:
    output = run_sql(
        context(demo_engine),
        f"SELECT channel, SUM(total) AS revenue, COUNT(*) AS orders FROM orders WHERE {VALID} "
        "GROUP BY channel ORDER BY channel",
    )
    got = output.artifacts[0].frame
    expected = valid_orders(demo_engine).groupby("channel")["total"].agg(["sum", "count"])
    assert list(got["channel"]) == list(expected.index)
    assert got["revenue"].astype(float).round(2).tolist() == expected["sum"].round(2).tolist()
    assert got["orders"].astype(int).tolist() == expected["count"].tolist()
    assert output.data["columns"] == ["channel", "revenue", "orders"]
    assert output.data["row_count"] == len(expected) and output.data["truncated"] is False


def test_cte_and_join_match_pandas(demo_engine: Engine) -> None:
    output = run_sql(
        context(demo_engine),
        f"""WITH valid AS (SELECT customer_id, total FROM orders WHERE {VALID}),
                spend AS (SELECT customer_id, SUM(total) AS spent FROM valid GROUP BY customer_id)
            SELECT c.city, COUNT(*) AS buyers, SUM(s.spent) AS spent
            FROM spend s JOIN customers c ON c.customer_id = s.customer_id
            GROUP BY c.city ORDER BY spent DESC, c.city LIMIT 5""",
    )
    orders = valid_orders(demo_engine)
    customers = raw_table(demo_engine, "customers")
    spend = orders.groupby("customer_id", as_index=False)["total"].sum()
    joined = spend.merge(customers[["customer_id", "city"]], on="customer_id")
    expected = (
        joined.groupby("city")
        .agg(buyers=("customer_id", "count"), spent=("total", "sum"))
        .reset_index()
        .sort_values(["spent", "city"], ascending=[False, True])
        .head(5)
    )
    got = output.artifacts[0].frame
    assert got["city"].tolist() == expected["city"].tolist()
    assert got["buyers"].astype(int).tolist() == expected["buyers"].tolist()
    assert got["spent"].astype(float).round(2).tolist() == expected["spent"].round(2).tolist()


def test_single_value_is_in_data(demo_engine: Engine) -> None:
    output = run_sql(
        context(demo_engine),
        f"SELECT COUNT(DISTINCT customer_id) AS buyers FROM orders WHERE {VALID}",
    )
    assert output.data["value"] == valid_orders(demo_engine)["customer_id"].nunique()


def test_row_limit_sets_truncated(demo_engine: Engine) -> None:
    ids = sorted(raw_table(demo_engine, "orders")["order_id"])
    output = run_sql(
        context(demo_engine, row_limit=10), "SELECT order_id FROM orders ORDER BY order_id"
    )
    assert output.data["truncated"] is True and output.artifacts[0].truncated is True
    assert output.artifacts[0].frame["order_id"].tolist() == ids[:10]
    assert "truncated at 10 rows" in output.for_model
    exact = run_sql(
        context(demo_engine, row_limit=10), "SELECT order_id FROM orders ORDER BY order_id LIMIT 10"
    )
    assert exact.data["truncated"] is False and exact.data["row_count"] == 10


def test_time_limit_stops_a_slow_query(demo_engine: Engine) -> None:
    with pytest.raises(ToolError, match="ran longer than 0.2 s"):
        run_sql(
            context(demo_engine, timeout_s=0.2),
            "SELECT COUNT(*) FROM orders a, orders b, orders c WHERE a.total + b.total + c.total > 0",
        )
    # The connection is usable afterwards.
    assert run_sql(context(demo_engine), "SELECT COUNT(*) AS n FROM products").data["value"] == len(
        raw_table(demo_engine, "products")
    )


@pytest.mark.parametrize(
    ("sql", "fragment", "reason"),
    [
        ("SELECT no_such_column FROM orders", "no_such_column", "database refused"),
        # Functions are allowed from a list: an unknown one never reaches the database.
        ("SELECT no_such_function(total) FROM orders", "no_such_function", "not on the list"),
    ],
)
def test_database_errors_come_back_as_tool_errors(
    demo_engine: Engine, sql: str, fragment: str, reason: str
) -> None:
    with pytest.raises(ToolError, match=reason) as error:
        run_sql(context(demo_engine), sql)
    assert fragment in str(error.value).lower()


def test_parse_errors_say_what_is_wrong(demo_engine: Engine) -> None:
    with pytest.raises(ToolError, match="could not be parsed"):
        run_sql(context(demo_engine), "SELECT (total FROM orders")


def expected_mask(kind: str, value: str) -> str:
    if kind == "email":
        local, domain = value.split("@")
        return f"{local[0]}***@{domain}"
    if kind == "phone":
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return value[0] + "*" * min(max(2, len(value) - 1), 6)


def test_personal_data_is_masked(demo_engine: Engine) -> None:
    raw = raw_table(demo_engine, "customers").sort_values("customer_id").head(5)
    output = run_sql(
        context(demo_engine),
        "SELECT customer_id, name, email, phone, city FROM customers ORDER BY customer_id LIMIT 5",
    )
    got = output.artifacts[0].frame
    for kind in ("name", "email", "phone"):
        assert got[kind].tolist() == [expected_mask(kind, v) for v in raw[kind]]
    assert got["city"].tolist() == raw["city"].tolist()
    assert got["customer_id"].tolist() == raw["customer_id"].tolist()
    assert sorted(output.data["masked_columns"]) == ["email", "name", "phone"]
    for value in [*raw["name"], *raw["email"], *raw["phone"]]:
        assert value not in output.for_model


def test_masking_follows_aliases_and_ctes(demo_engine: Engine) -> None:
    raw = raw_table(demo_engine, "customers").sort_values("customer_id").head(3)
    output = run_sql(
        context(demo_engine),
        "WITH p AS (SELECT customer_id AS id, email AS contact FROM customers) "
        "SELECT x.id, UPPER(x.contact) AS who, LENGTH(x.contact) AS n FROM p AS x ORDER BY x.id LIMIT 3",
    )
    got = output.artifacts[0].frame
    assert got["who"].tolist() == [expected_mask("email", v.upper()) for v in raw["email"]]
    # A length of an email is not personal data.
    assert got["n"].astype(int).tolist() == [len(v) for v in raw["email"]]
    # A phone turned into a number is still a phone.
    numbers = run_sql(
        context(demo_engine),
        "SELECT CAST(phone AS BIGINT) AS p FROM customers ORDER BY customer_id LIMIT 3",
    )
    assert numbers.artifacts[0].frame["p"].tolist() == [
        expected_mask("phone", v) for v in raw["phone"]
    ]


def test_non_personal_names_are_not_masked(demo_engine: Engine) -> None:
    campaigns = raw_table(demo_engine, "campaigns").sort_values("campaign_id")
    output = run_sql(context(demo_engine), "SELECT name FROM campaigns ORDER BY campaign_id")
    assert output.artifacts[0].frame["name"].tolist() == campaigns["name"].tolist()
    assert output.data["masked_columns"] == []


def test_describe_data_lists_every_table(demo_engine: Engine) -> None:
    output = describe_data(context(demo_engine))
    tables = {t["name"]: t for t in output.data["tables"]}
    # Every table but the demo note (bookkeeping that says the data is made up, not data).
    assert set(tables) == set(inspect(demo_engine).get_table_names()) - {DEMO_MARKER.name}
    with demo_engine.connect() as conn:
        for name, table in tables.items():
            assert table["rows"] == conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one()
    orders_columns = {c["name"] for c in tables["orders"]["columns"]}
    assert {"order_id", "customer_id", "order_date", "status", "total"} <= orders_columns
    assert "cancelled" in output.data["valid_order_rule"]
    raw = raw_table(demo_engine, "customers")
    for value in [*raw["email"], *raw["phone"], *raw["name"]]:
        assert value not in output.for_model


def test_describe_one_table_in_detail(demo_engine: Engine) -> None:
    output = describe_data(context(demo_engine), table="orders")
    assert output.data["table"] == "orders"
    statuses = next(c for c in output.data["tables"][0]["columns"] if c["name"] == "status")
    assert (
        set(statuses["samples"]) <= {"completed", "cancelled", "returned"} and statuses["samples"]
    )
    assert "completed, cancelled or returned" in output.for_model  # the column's description
    with pytest.raises(ToolError, match="Unknown table"):
        describe_data(context(demo_engine), table="ordres")


def test_answers_in_english_and_chinese(duckdb_demo_engine: Engine) -> None:
    planner = PlannerContext(semantic_model=NO_MODEL)
    one = run_sql(context(duckdb_demo_engine), "SELECT COUNT(*) AS products FROM products")
    count = len(raw_table(duckdb_demo_engine, "products"))
    assert f"products = {count:,}" in write_sql_answer(one, "en", planner)
    assert f"products = {count:,}" in write_sql_answer(one, "zh", planner)
    many = run_sql(context(duckdb_demo_engine, row_limit=5), "SELECT sku, price FROM products")
    assert "5 rows" in write_sql_answer(many, "en", planner)
    assert "截断" in write_sql_answer(many, "zh", planner)
    described = describe_data(context(duckdb_demo_engine))
    orders = len(raw_table(duckdb_demo_engine, "orders"))
    assert f"orders: {orders:,} rows" in write_describe_answer(described, "en", planner)
    assert f"orders: {orders:,} 行" in write_describe_answer(described, "zh", planner)


def test_the_tables_listing_counts_rows_by_the_catalogue_plural() -> None:
    """The listing of describe_data comes from the message catalogue: '1 row', '2 rows',
    '2 行', with the store's thousands separator."""
    planner = PlannerContext(semantic_model=NO_MODEL)
    tables = [
        {"name": "gifts", "rows": 1, "business": True},
        {"name": "orders", "rows": 12345, "business": True},
    ]
    described = ToolOutput(for_model="", data={"tables": tables})
    english = write_describe_answer(described, "en", planner)
    assert "- gifts: 1 row\n- orders: 12,345 rows" in english
    assert english.startswith("The store has 2 business tables")
    chinese = write_describe_answer(described, "zh", planner)
    assert "- gifts: 1 行\n- orders: 12,345 行" in chinese
    assert chinese.startswith("数据库里有 2 张业务表")
