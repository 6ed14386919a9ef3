"""Round 16 wave 2, follow-up and SQL kinds (engineer followups2): a breakdown added with a
verb of adding, the unit just before said with 前一, a comparison naming the period a year
back, the signup channel named by its source, a count's money asked as its value, and SQL
counts grouped by two columns or by the order status, checked against pandas on the demo
store. Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF, asked_back, last_call, planned_call
from tools.base import ToolContext
from tools.sql.run import run_sql


# 1. A verb of adding said with a breakdown ("add X to that", "now add X", 再加上X, 把X也加进来)
#    keeps the breakdown shown and adds the one named; "instead" puts it in place.
@pytest.mark.parametrize(
    ("turns", "dimensions"),
    [
        (["orders by channel in Q2 2026", "add gender to it"], ["channel", "gender"]),
        (["aov per category in August", "now add province"], ["category", "province"]),
        (["8月各渠道的订单数", "再加上城市"], ["channel", "city"]),
        (["8月各渠道的订单数", "把性别也加进来"], ["channel", "gender"]),
        # near-miss: a replacement keeps one breakdown only
        (["orders by channel in Q2 2026", "add nothing, by city instead"], ["city"]),
    ],
)  # fmt: skip
def test_a_verb_of_adding_adds_the_breakdown_named(
    planner: OfflinePlanner, turns: list[str], dimensions: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["dimensions"] == dimensions


# 2. "前一个月呢" after a month: the month just before that one, counted back from it.
@pytest.mark.parametrize(
    ("turns", "period"),
    [
        (["2026年9月的订单数", "那前一个月呢"], "2026-08-01 to 2026-08-31"),
        (["2026年8月的客单价", "前一个月的呢"], "2026-07-01 to 2026-07-31"),
        (["2026年第三季度的销售额", "那前一个季度呢"], "2026-04-01 to 2026-06-30"),
    ],
)
def test_the_unit_just_before_said_with_qian_yi(
    planner: OfflinePlanner, turns: list[str], period: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["time_range"] == period
    assert not args.get("compare_to")


# 3. A comparison that names the period shown a year back is the same period last year beside
#    it, not a question asked back; another year named is compared as named.
@pytest.mark.parametrize(
    ("turns", "compare_to"),
    [
        (["去年的订单数", "和前年对比一下"], "去年同期"),
        (["2025年的销售额", "跟2024年比较呢"], "去年同期"),
        (["orders in 2025", "vs 2024?"], "last year"),
    ],
)
def test_a_comparison_naming_the_year_back_is_last_year(
    planner: OfflinePlanner, turns: list[str], compare_to: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["compare_to"] == compare_to
    assert args["time_range"] in ("去年", "2025年", "2025", "2025年的", "in 2025")


# 4. New customers are customers: split by where they signed up (注册来源, signup source).
@pytest.mark.parametrize(
    "turns",
    [
        ["2026年三季度的新客有多少", "按注册来源渠道拆分"],
        ["new customers last quarter", "split by signup source"],
        ["2026年三季度新客按注册来源看"],
    ],
)
def test_new_customers_by_their_signup_source(planner: OfflinePlanner, turns: list[str]) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == ["new_customers"]
    assert args["dimensions"] == ["signup_channel"]


# 5. "and the value?" after a count of returned orders: the returns' amount, same period.
@pytest.mark.parametrize(
    "turns",
    [
        ["returned orders in July", "and the value?"],
        ["7月退货单数", "货值呢"],
    ],
)
def test_the_value_of_a_count_is_its_money(planner: OfflinePlanner, turns: list[str]) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == ["returns"]


def _ctx(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def _table(engine: Engine, name: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(f"SELECT * FROM {name}"), conn)  # noqa: S608 - a fixed name


def _ran(planner: OfflinePlanner, engine: Engine, question: str) -> pd.DataFrame:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql", (tool, args)
    return run_sql(_ctx(engine), **args).artifacts[0].frame


# 6. A count grouped by two columns of one table, the second joined by "x", ×, "and" or 和.
@pytest.mark.parametrize(
    ("question", "columns"),
    [
        ("sql please: customers per gender x city, counts only", ["gender", "city"]),
        ("write me sql - number of customers by province × language", ["province", "language"]),
        ("sql: how many customers per city and signup_channel", ["city", "signup_channel"]),
        ("用sql统计每个城市和性别的客户数", ["city", "gender"]),
    ],
)
def test_sql_count_grouped_by_two_columns(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, columns: list[str]
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _table(duckdb_demo_engine, "customers").groupby(columns).size()
    got = {tuple(row[:2]): int(row[2]) for row in frame.itertuples(index=False)}
    assert got == {k: int(v) for k, v in expected.items()}


# 7. Orders counted per status, every status (no validity condition).
@pytest.mark.parametrize(
    "question",
    [
        "sql: how many orders in each order status",
        "写个SQL：每个订单状态各多少单",
        "SQL查一下各类状态分别有几单",
    ],
)
def test_sql_orders_counted_per_status(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _table(duckdb_demo_engine, "orders").groupby("status").size()
    assert {r[0]: int(r[1]) for r in frame.itertuples(index=False)} == {
        k: int(v) for k, v in expected.items()
    }


# near-miss: a word the writer cannot place still gets the SQL question back, no query
@pytest.mark.parametrize(
    "question",
    ["sql: orders per status weighted by loyalty", "SQL：每个订单状态的复购意愿各多少单"],
)
def test_sql_with_an_unplaced_word_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert asked_back(planner, question)
