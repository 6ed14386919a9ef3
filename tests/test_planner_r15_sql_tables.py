"""SQL asked for in the store's own terms (tables, columns, statuses): one grouped aggregate
or ranked listing over one table, written from the schema and checked against pandas."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF, asked_back, planned_call
from tools.base import ToolContext
from tools.sql.run import run_sql


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def _table(engine: Engine, name: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(f"SELECT * FROM {name}"), conn)  # noqa: S608 - a fixed name


def _ran(planner: OfflinePlanner, engine: Engine, question: str) -> pd.DataFrame:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql", (tool, args)
    output = run_sql(_ctx(engine), **args)
    return output.artifacts[0].frame


def _numbers(frame: pd.DataFrame) -> list:
    return sorted(round(float(x), 4) for x in frame.select_dtypes("number").to_numpy().ravel())


# 1. A count of a table's rows per one or two of its columns, named as the schema spells them
#    or by the semantic model's dimension words (EN + ZH).
@pytest.mark.parametrize(
    ("question", "table", "by"),
    [
        ("sql: number of orders for each status", "orders", ["status"]),
        ("写个SQL：customers 表里每个 gender 的人数", "customers", ["gender"]),
        (
            "sql: customers by province and signup_channel",
            "customers",
            ["province", "signup_channel"],
        ),
        ("跑个sql，按城市统计 customers 表的行数", "customers", ["city"]),
    ],
)
def test_sql_table_count_per_column(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, table: str, by: list
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _table(duckdb_demo_engine, table).groupby(by).size()
    assert len(frame) == len(expected)
    assert _numbers(frame) == sorted(float(x) for x in expected)


# 2. A sum of a numeric column per group, ranked and cut to the first N.
@pytest.mark.parametrize(
    "question",
    [
        "sql: sum of amount per sku in order_items, top 5",
        "写条SQL：order_items 按 sku 的 amount 合计，取前5",
    ],
)
def test_sql_table_sum_per_column_top_n(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    items = _table(duckdb_demo_engine, "order_items")
    expected = items.groupby("sku")["amount"].sum().astype(float).nlargest(5)
    assert len(frame) == 5
    assert sorted(round(float(x), 2) for x in frame.iloc[:, 1]) == sorted(
        round(x, 2) for x in expected
    )


# 3. Rows ranked by a number, with the columns asked for.
def test_sql_table_rows_ranked_by_a_column(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    frame = _ran(
        planner, duckdb_demo_engine, "sql: the 5 biggest order totals along with customer ids"
    )
    orders = _table(duckdb_demo_engine, "orders")
    expected = orders["total"].astype(float).nlargest(5)
    assert sorted(frame["total"].astype(float)) == sorted(expected)
    assert "customer_id" in frame.columns


# 4. A status the semantic model names, counted per a second table's key held in this one.
def test_sql_table_count_per_key_with_status(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    frame = _ran(planner, duckdb_demo_engine, "sql: the 10 customers with most cancelled orders")
    orders = _table(duckdb_demo_engine, "orders")
    counts = orders[orders["status"] == "cancelled"].groupby("customer_id").size()
    assert sorted(frame.iloc[:, 1]) == sorted(counts.nlargest(10))


# 5. The share of consenting customers per group (no table named: the columns tell it).
@pytest.mark.parametrize(
    ("question", "flag"),
    [("sql：按性别的同意短信比例", "consent_sms"), ("SQL：各性别同意邮件的比例", "consent_email")],
)
def test_sql_table_consent_share_per_group(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, flag: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    customers = _table(duckdb_demo_engine, "customers")
    expected = customers.groupby("gender")[flag].mean()
    assert _numbers(frame) == sorted(round(float(x), 4) for x in expected)


# 6. Conditions (a status, a comparison) and a period on the table's date column.
def test_sql_table_count_with_conditions_and_period(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    question = "sql: number of completed orders where total > 100 per order_date for 2026-09"
    frame = _ran(planner, duckdb_demo_engine, question)
    orders = _table(duckdb_demo_engine, "orders")
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    keep = (
        (orders["status"] == "completed")
        & (orders["total"].astype(float) > 100)
        & orders["order_date"].between(date(2026, 9, 1), date(2026, 9, 30))
    )
    expected = orders[keep].groupby("order_date").size()
    assert sorted(frame.iloc[:, 1]) == sorted(expected)


# 7. A word the shape cannot place is asked back, never dropped.
@pytest.mark.parametrize(
    "question", ["sql: customers by favourite colour", "写个SQL：customers 表按星座的人数"]
)
def test_sql_table_unplaced_word_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    asked_back(planner, question)


# 8. A count and a sum side by side per group, the table named in Chinese prose.
def test_sql_table_count_and_sum_per_status(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    question = "写个SQL：orders 表按 status 统计订单数以及 total 合计"
    frame = _ran(planner, duckdb_demo_engine, question)
    orders = _table(duckdb_demo_engine, "orders")
    grouped = orders.groupby("status")
    assert sorted(frame.iloc[:, 1]) == sorted(grouped.size())
    assert sorted(round(float(x), 2) for x in frame.iloc[:, 2]) == sorted(
        round(float(x), 2) for x in grouped["total"].sum()
    )
