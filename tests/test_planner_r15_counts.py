"""Round 15, query shape and counts: order counts that put statuses in or keep them out,
a gender group's buyers said with an order verb, two asks in one sentence (a count beside a
rate, a breakdown beside its top), and the customers' average age per attribute. Every
wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


def _sql(planner: OfflinePlanner, question: str) -> str:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql", (tool, args)
    return args["sql"]


# 1. Orders counted with the statuses the question names: never one status silently.
@pytest.mark.parametrize(
    "question",
    [
        "Total orders placed in March 2026 counting cancelled and returned ones too?",
        "2026年3月一共多少订单，包括取消的和退货的",
        "How many orders in March 2026, whatever their status?",
        "2026年3月不管什么状态的订单有多少",
    ],
)
def test_orders_of_every_status_are_all_orders(planner: OfflinePlanner, question: str) -> None:
    sql = _sql(planner, question)
    assert "status = 'cancelled'" in sql and "status = 'returned'" in sql  # each listed
    assert "status IN ('cancelled', 'returned')" in sql  # and counted in the total
    assert "'2026-03-01' AND '2026-03-31'" in sql


@pytest.mark.parametrize(
    "question", ["number of returned orders in March 2026", "2026年3月退货单一共几笔"]
)
def test_returned_orders_alone_are_their_metric(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args["metrics"]) == ("query_metrics", ["returned_orders"])


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("how many orders got cancelled in March 2026", "cancelled"),
        ("2026年3月被取消的订单有几笔", "cancelled"),
    ],
)
def test_one_status_counts_that_status_only(
    planner: OfflinePlanner, question: str, status: str
) -> None:
    sql = _sql(planner, question)
    assert f"status IN ('{status}')" in sql
    assert "NOT IN" not in sql


@pytest.mark.parametrize(
    "question",
    ["orders in March 2026 not counting returned ones: how many?", "2026年3月不含退货的订单数"],
)
def test_a_status_kept_out_counts_the_rest(planner: OfflinePlanner, question: str) -> None:
    sql = _sql(planner, question)
    assert "status IN ('cancelled')" in sql  # the other status kept in, beside valid orders
    assert "status = 'returned'" not in sql and "IN ('returned')" not in sql


def test_returns_money_stays_a_metric(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "2026年3月的订单数和退货金额")
    assert tool == "query_metrics"
    assert set(args["metrics"]) == {"orders", "returns"}


# 3. "how many <gender group> ordered in <period>": the buyers with that filter.
@pytest.mark.parametrize(
    ("question", "gender"),
    [
        ("how many men bought from us in Q2?", "M"),
        ("how many ladies ordered in Q2", "F"),
        ("二季度有多少男性下单", "M"),
    ],
)
def test_gender_group_that_ordered_is_buyers(
    planner: OfflinePlanner, question: str, gender: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics"
    assert args["metrics"] == ["buyers"]
    assert args["filters"] == {"gender": [gender]}
    assert args["time_range"]


# 2. Two asks in one sentence: each answered.
@pytest.mark.parametrize(
    "question", ["2026年3月北京的客户数和客单价各是多少", "上个月上海的顾客数和复购率"]
)
def test_count_beside_a_values_people_is_its_own_figure(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics"
    assert "buyers" in args["metrics"] and len(args["metrics"]) == 2


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("各城市上个月的订单数，哪个城市最多", "city"),
        ("revenue per category for last month - which category was highest?", "category"),
        ("orders per channel in May; which channel had the most?", "channel"),
    ],
)
def test_breakdown_beside_its_top_gives_the_whole_breakdown(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "query_metrics"
    assert args["dimensions"] == [dimension]
    assert not args.get("limit")


def test_the_top_alone_is_still_one_row(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "上个月订单数最多的城市")
    assert tool == "query_metrics"
    assert args["limit"] == 1


# 4. The customers' average age per attribute: as of the store's today, from birth_year.
@pytest.mark.parametrize(
    ("question", "column"),
    [("mean age of our customers per gender", "gender"), ("各省份客户的平均年龄", "province")],
)
def test_average_age_per_attribute(planner: OfflinePlanner, question: str, column: str) -> None:
    sql = _sql(planner, question)
    assert "AS average_age" in sql and "birth_year" in sql
    assert f"GROUP BY {column}" in sql
    assert "MAX(order_date)" in sql  # the store's today, not the machine's alone
