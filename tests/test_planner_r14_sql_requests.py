"""Round 14, questions that ask for SQL (or a query) by name: run_sql with a statement
the planner writes, or a question back naming what it cannot write, never another tool.
Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql_text

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A count asked for as a query, with a no-order clause that names the orders metric.
@pytest.mark.parametrize(
    "question",
    [
        "sql: number of customers who have zero orders",
        "quick query: count of customers with no valid purchases",
        "用SQL数一下从来没下过单的客户有多少",
    ],
)
def test_sql_count_with_a_no_order_clause_is_not_exists(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql"
    assert "NOT EXISTS" in args["sql"] and "FROM customers" in args["sql"]


# 2. "including those who never ordered": every customer, no condition on orders.
@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("用sql统计一下各城市的会员数（也算上没买过东西的）", "city"),
        ("with sql, how many customers per gender, including those who never bought", "gender"),
    ],
)
def test_sql_count_including_non_buyers_has_no_order_condition(
    planner: OfflinePlanner, question: str, column: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql"
    assert "EXISTS" not in args["sql"] and f"GROUP BY {column}" in args["sql"]


# 3. An average number of lines per valid order, over merchandise lines only.
@pytest.mark.parametrize(
    "question",
    ["sql please - mean count of line items per order", "跑个SQL：平均每笔订单有几行商品"],
)
def test_sql_average_lines_per_order(
    planner: OfflinePlanner, duckdb_demo_engine, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and "AVG" in args["sql"] and "merchandise" in args["sql"]
    with duckdb_demo_engine.connect() as connection:
        value = connection.execute(sql_text(args["sql"])).scalar()
    assert value is not None and value >= 1


# 4. Products ranked by their average rating with a minimum number of reviews.
@pytest.mark.parametrize(
    ("question", "minimum"),
    [
        ("sql: the top average rating among products with at least 8 reviews", 8),
        ("写个sql，评价至少15条的商品中平均评分最低的是哪些", 15),
    ],
)
def test_sql_best_rated_with_a_review_minimum(
    planner: OfflinePlanner, duckdb_demo_engine, question: str, minimum: int
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql"
    assert f"HAVING COUNT(*) >= {minimum}" in args["sql"]
    with duckdb_demo_engine.connect() as connection:
        rows = connection.execute(sql_text(args["sql"])).fetchall()
    assert all(row[2] >= minimum for row in rows)


# 5. SQL asked for what the planner cannot write: asked back, never another tool.
@pytest.mark.parametrize(
    "question",
    [
        "write me a query for the churn probability of each customer",
        "跑个sql看看各城市的退货金额走势",
    ],
)
def test_sql_request_it_cannot_write_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "SQL" in reply


# 6. A channel opted into beside a signup channel: a consent, not a second signup channel.
def test_sql_count_opted_into_a_channel_is_consent(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "query: how many customers registered through the app and opted into email?"
    )
    assert tool == "run_sql"
    assert "consent_email" in args["sql"] and "'email'" not in args["sql"]


# 7. The average rating per product category, as SQL.
@pytest.mark.parametrize(
    "question", ["sql: mean star rating by category", "写个sql看看按品类的平均评分"]
)
def test_sql_average_rating_per_category(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and "GROUP BY p.category" in args["sql"]
