"""Round 7 wave 2 (engineer kinds7b): kinds read from held-out set 7. Every wording here
differs from the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> tuple[str, dict[str, Any]]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


def _args(planner: OfflinePlanner, question: str) -> dict[str, Any]:
    name, args = _call(planner, question)
    assert name == "query_metrics"
    return args


# 1. A distributive word (各/各个/每个) before a dimension's plain noun is a breakdown:
#    "各个营销活动的ROI" is per campaign, not the total.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("每个推广活动带来的归因销售额", "campaign"),
        ("去年各个营销活动的点击率", "campaign"),
        ("每个月份的订单数", "month"),
    ],
)
def test_a_distributive_word_before_a_dimension_noun_breaks_down(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert _args(planner, question).get("dimensions") == [dimension]


def test_a_dimension_noun_alone_is_still_the_total(planner: OfflinePlanner) -> None:
    assert not _args(planner, "营销活动的点击率").get("dimensions")


# 3. Filler words ("board", "alongside", 只要) are function words; "net" beside revenue
#    restates it (revenue is net of returns); "the day itself" makes a festival its day.
def test_filler_words_are_placed(planner: OfflinePlanner) -> None:
    args = _args(planner, "Orders by channel in Q2 for the board meeting")
    assert (args["metrics"], args["dimensions"]) == (["orders"], ["channel"])
    args = _args(planner, "Revenue by city last year with buyers alongside")
    assert (args["metrics"], args["dimensions"]) == (["revenue", "buyers"], ["city"])
    args = _args(planner, "上个季度各城市的订单数，只要前三个")
    assert (args["dimensions"], args["limit"]) == (["city"], 3)


def test_net_beside_revenue_is_revenue_but_not_beside_another_metric(
    planner: OfflinePlanner,
) -> None:
    assert _args(planner, "revenue in Q2, the net figure only")["metrics"] == ["revenue"]
    assert not planner._plan("net buyers in Q2", []).tool_calls


def test_the_day_itself_apart_from_the_festival(planner: OfflinePlanner) -> None:
    args = _args(planner, "Double 11 2025: how many orders on the day itself?")
    assert args["time_range"] == "on Double 11 2025"


# 4. "mom rev change": a lower-case comparison word with the metric before the change word.
def test_lower_case_mom_with_the_metric_between(planner: OfflinePlanner) -> None:
    args = _args(planner, "mom orders change for Sep")
    assert args["metrics"] == ["orders"]
    assert "mom" in args["time_range"].lower()


# 5. A Chinese month range written with one 月 ("二到四月", "4-6月") is that range, and money
#    "before returns" (退货前的营业额) is gross sales, not returns beside revenue.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("去年二到四月的订单数", "去年二月到四月"),
        ("2025年4-6月的订单数", "2025年4月-6月"),
        ("今年7至9月的订单数", "今年7月至9月"),
    ],
)
def test_a_month_range_with_one_yue(planner: OfflinePlanner, question: str, period: str) -> None:
    assert _args(planner, question)["time_range"] == period


def test_money_before_returns_is_gross_sales(planner: OfflinePlanner) -> None:
    assert _args(planner, "去年退款前的营业额")["metrics"] == ["gross_sales"]
    assert _args(planner, "turnover before refunds in Q2")["metrics"] == ["gross_sales"]


# 7. An unknown word after a word read as a store value ("store", an order channel) is named
#    whole with it: "store manager", never "manager" alone.
def test_an_unknown_phrase_holding_a_store_value_is_named_whole(planner: OfflinePlanner) -> None:
    message = planner._plan("orders in Q3 split by store supervisor", [])
    assert not message.tool_calls
    assert "store supervisor" in message.content
    message = planner._plan("revenue last month by web visitor", [])
    assert not message.tool_calls and "web visitor" in message.content


# 2. A sample-size question with its rates in words is a sample-size question, never a test
#    of the store's campaigns.
@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        ("点击率大约百分之八，想检测出一成的相对提升，每组要发多少条", 0.08, 0.1),
        (
            "CTR is roughly fifteen percent. To catch a 10% relative lift, how big should each "
            "variant be?",
            0.15,
            0.1,
        ),
    ],
)
def test_sample_size_with_rates_in_words(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    name, args = _call(planner, question)
    assert name == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"]) == (baseline, effect)


# 6. SQL asked for in words ("用SQL", "run SQL") routes to the SQL reader, which builds what
#    it can read, checked here against pandas: orders of a status no metric counts (count and
#    amount) and customers by birth year.
def _sql(planner: OfflinePlanner, question: str) -> str:
    name, args = _call(planner, question)
    assert name == "run_sql"
    return args["sql"]


def test_sql_words_cancelled_orders_and_birth_years(
    planner: OfflinePlanner, duckdb_demo_engine: Any
) -> None:
    import pandas as pd
    from sqlalchemy import text

    with duckdb_demo_engine.connect() as connection:
        orders = pd.read_sql(text("SELECT status, total, order_date FROM orders"), connection)
        customers = pd.read_sql(text("SELECT birth_year, city FROM customers"), connection)

        def run(sql: str) -> tuple[Any, ...]:
            return tuple(connection.execute(text(sql)).fetchone())

        cancelled = orders[orders.status == "cancelled"]
        count, amount = run(_sql(planner, "写个SQL算一下被取消的订单有多少单、金额多少"))
        assert count == len(cancelled) and float(amount) == pytest.approx(cancelled.total.sum())
        in_2025 = cancelled[pd.to_datetime(cancelled.order_date).dt.year == 2025]
        (count,) = run(_sql(planner, "Run SQL: how many orders were cancelled in 2025?"))
        assert count == len(in_2025)
        (count,) = run(_sql(planner, "跑个SQL，1990年以后出生的客户有多少"))
        assert count == int((customers.birth_year > 1990).sum())
        (count,) = run(_sql(planner, "using SQL, how many customers were born before 1975?"))
        assert count == int((customers.birth_year < 1975).sum())

        # Round 12: customers per birth decade (the birth year rounded down to ten), asked
        # with an imperative "count" or 多少; it was refused ("decade" unplaced).
        known = customers.birth_year.dropna().astype(int)
        expected = (known - known % 10).value_counts().to_dict()
        for question in (
            "with SQL, count our customers by decade of birth",
            "每个出生年代各有多少客户",
        ):
            rows = connection.execute(text(_sql(planner, question))).all()
            assert {int(d): n for d, n in rows if d is not None} == expected, question


# A count "per city" / "每个省" is grouped by it; it used to come back as one overall
# number (the breakdown dropped: a different question).
def test_a_count_per_member_of_a_breakdown_is_grouped(
    planner: OfflinePlanner, duckdb_demo_engine: Any
) -> None:
    import pandas as pd
    from sqlalchemy import text

    with duckdb_demo_engine.connect() as connection:
        customers = pd.read_sql(
            text("SELECT province, gender, consent_email FROM customers"), connection
        )
        rows = connection.execute(text(_sql(planner, "每个省份有多少客户同意接收邮件"))).all()
        expected = customers[customers.consent_email.astype(bool)].groupby("province").size()
        assert dict(rows) == expected.to_dict()
        rows = connection.execute(
            text(_sql(planner, "how many customers do we have by gender?"))
        ).all()
        assert dict(rows) == customers.groupby("gender").size().to_dict()
    # A breakdown the counted table has no column for is not a plain count.
    message = planner._plan("how many customers are there per campaign?", [])
    assert not any(c["args"].get("sql") for c in message.tool_calls)
