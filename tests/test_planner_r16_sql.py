"""Round 16, SQL area: star ratings, cancelled orders and the SQL kinds the offline writer
lacked (an anti-join "never received", lines per order without an SQL cue, a top N by a
summed quantity), each checked against pandas on the demo store, plus near-misses that
must not get a confident number."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF, planned_call
from tools.base import ToolContext
from tools.periods import resolve_period
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


def _rated(engine: Engine) -> pd.DataFrame:
    return _table(engine, "reviews").merge(_table(engine, "products"), on="sku")


# 1. A star rating asked as a figure is the reviews' rating column, never review sentiment.
@pytest.mark.parametrize(
    "question",
    [
        "what's the mean star rating per product category? worst first",
        "avg rating by category pls, lowest to highest",
        "各个品类的平均评分从低到高排一下",
        "评价按类目算平均星级，最差的排前面",
    ],
)
def test_rating_average_per_category_lowest_first(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _rated(duckdb_demo_engine).groupby("category")["rating"].mean().sort_values()
    assert [round(float(x), 3) for x in frame.iloc[:, -1]] == [round(float(x), 3) for x in expected]


@pytest.mark.parametrize(
    "question",
    [
        "overall average review rating?",
        "what is the avg star rating across all our reviews",
        "所有评论的平均评分是多少",
        "评价表整体平均打分多少",
    ],
)
def test_rating_average_overall(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _table(duckdb_demo_engine, "reviews")["rating"].mean()
    assert round(float(frame.iloc[0, -1]), 3) == round(float(expected), 3)


@pytest.mark.parametrize(
    ("question", "n", "minimum", "lowest"),
    [
        ("which 3 products have the lowest average rating, at least 5 reviews", 3, 5, True),
        ("top 4 best rated products with 3+ reviews", 4, 3, False),
        ("平均评分最低的3个商品，评论不少于5条", 3, 5, True),
        ("评分最高的4款产品（至少3条评价）", 4, 3, False),
    ],
)
def test_rating_ranked_products_with_minimum_reviews(
    planner: OfflinePlanner,
    duckdb_demo_engine: Engine,
    question: str,
    n: int,
    minimum: int,
    lowest: bool,
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    grouped = _rated(duckdb_demo_engine).groupby("name_en")["rating"].agg(["count", "mean"])
    kept = grouped[grouped["count"] >= minimum]["mean"]
    expected = kept.nsmallest(n) if lowest else kept.nlargest(n)
    assert len(frame) == min(n, len(kept))
    assert sorted(round(float(x), 3) for x in frame.iloc[:, -1]) == sorted(
        round(float(x), 3) for x in expected
    )


@pytest.mark.parametrize(
    "question",
    [
        "how do shoppers feel about our makeup, any complaints?",
        "评论的情感倾向怎么样，差评多吗",
        "average review sentiment per category",
    ],
)
def test_rating_near_miss_sentiment_stays_sentiment(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "review_sentiment"


# 2. Cancelled orders: status cancelled (never valid orders), by the semantic model's
#    breakdowns and periods, never returns nor unsubscribes.
def _cancelled(engine: Engine, period: str) -> pd.DataFrame:
    orders = _table(engine, "orders")
    orders = orders[orders["status"] == "cancelled"]
    resolved = resolve_period(_ctx(engine), period)
    assert resolved is not None
    dates = pd.to_datetime(orders["order_date"]).dt.date
    return orders[(dates >= resolved.start) & (dates <= resolved.end)]


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("cancelled orders by channel last month", "last month"),
        ("how many cancellations did each sales channel have in the last 90 days", "last 90 days"),
        ("上个月各渠道取消了多少单（只要取消的，不是退货）", "上个月"),
        ("过去90天每个渠道被取消的订单有几笔", "过去90天"),
    ],
)
def test_cancelled_orders_by_channel_over_a_period(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, period: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    expected = _cancelled(duckdb_demo_engine, period).groupby("channel").size()
    got = dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))
    assert got == {k: int(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    "question",
    [
        "cancelled order count per month this year",
        "今年每月的取消订单数",
        "this yr cancellations by month",
    ],
)
def test_cancelled_orders_by_month(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    cancelled = _cancelled(duckdb_demo_engine, "this year")
    expected = cancelled.groupby(pd.to_datetime(cancelled["order_date"]).dt.month).size()
    assert sorted(int(x) for x in frame.iloc[:, 1]) == sorted(int(x) for x in expected)


@pytest.mark.parametrize(
    "question",
    ["top 3 customer cities by cancellations this year", "今年取消订单最多的3个城市"],
)
def test_cancelled_orders_by_customer_city_top_n(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    cancelled = _cancelled(duckdb_demo_engine, "this year").merge(
        _table(duckdb_demo_engine, "customers")[["customer_id", "city"]],
        on="customer_id",
        suffixes=("_order", ""),
    )
    expected = cancelled.groupby("city").size().nlargest(3)
    assert len(frame) == 3
    assert sorted(int(x) for x in frame.iloc[:, 1]) == sorted(int(x) for x in expected)


@pytest.mark.parametrize(
    "question",
    ["how many orders were cancelled in Xiamen last month", "上个月厦门取消了多少单"],
)
def test_cancelled_orders_near_miss_unknown_city_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert "Xiamen" in message.content or "厦门" in message.content


def test_cancelled_never_read_as_unsubscribes(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "上个月取消订单一共几单")
    assert tool == "run_sql"
    assert "cancelled" in args["sql"] and "unsub" not in args["sql"]


# 3. The SQL kinds the offline writer lacked.
@pytest.mark.parametrize(
    "question",
    [
        "how many customers ordered but never received a marketing message?",
        "number of customers who have purchased but never got any campaign message",
        "下过单但从没收到过营销消息的客户数",
        "统计一下买过东西、但一直没收到任何活动消息的客户有多少",
    ],
)
def test_anti_join_customers_never_received_a_message(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    orders = _table(duckdb_demo_engine, "orders")
    valid = orders[(~orders["status"].isin(["cancelled", "returned"])) & (orders["total"] > 0)]
    messages = _table(duckdb_demo_engine, "campaign_messages")
    reached = set(messages[messages["delivered"].astype(bool)]["customer_id"])
    expected = len(set(valid["customer_id"]) - reached)
    assert int(frame.iloc[0, 0]) == expected


@pytest.mark.parametrize(
    ("question", "channel"),
    [("how many customers have never received an sms", "sms"), ("多少客户从没收到过推送", "push")],
)
def test_anti_join_named_channel_only(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str, channel: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    messages = _table(duckdb_demo_engine, "campaign_messages").merge(
        _table(duckdb_demo_engine, "campaigns")[["campaign_id", "channel"]], on="campaign_id"
    )
    reached = set(
        messages[messages["delivered"].astype(bool) & (messages["channel"] == channel)][
            "customer_id"
        ]
    )
    customers = set(_table(duckdb_demo_engine, "customers")["customer_id"])
    assert int(frame.iloc[0, 0]) == len(customers - reached)


@pytest.mark.parametrize(
    "question",
    [
        "avg no. of line items in each completed order",
        "average lines per paid order?",
        "平均每笔订单有几行商品",
        "mean number of items per valid order, roughly",
    ],
)
def test_lines_per_order_without_sql_cue(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    orders = _table(duckdb_demo_engine, "orders")
    valid = orders[(~orders["status"].isin(["cancelled", "returned"])) & (orders["total"] > 0)]
    items = _table(duckdb_demo_engine, "order_items")
    items = items[items["merchandise"].astype(bool) & items["order_id"].isin(valid["order_id"])]
    expected = items.groupby("order_id").size().mean()
    assert round(float(frame.iloc[0, 0]), 3) == round(float(expected), 3)


@pytest.mark.parametrize(
    "question",
    [
        "sql: 5 best selling skus by quantity, all time",
        "write a query for the top 5 products by units sold",
        "用SQL查历史上销量前5的商品",
        "sql 查下有史以来卖得最多的5个商品（按件数）",
    ],
)
def test_top_n_by_summed_quantity(
    planner: OfflinePlanner, duckdb_demo_engine: Engine, question: str
) -> None:
    frame = _ran(planner, duckdb_demo_engine, question)
    orders = _table(duckdb_demo_engine, "orders")
    valid = orders[(~orders["status"].isin(["cancelled", "returned"])) & (orders["total"] > 0)]
    items = _table(duckdb_demo_engine, "order_items")
    items = items[items["merchandise"].astype(bool) & items["order_id"].isin(valid["order_id"])]
    named = items.merge(_table(duckdb_demo_engine, "products"), on="sku")
    expected = named.groupby("name_en")["quantity"].sum().nlargest(5)
    assert len(frame) == 5
    assert sorted(int(x) for x in frame.iloc[:, 1]) == sorted(int(x) for x in expected)


def test_sql_writer_stays_read_only(planner: OfflinePlanner) -> None:
    for question in (
        "cancelled orders by channel last month",
        "avg rating by category",
        "how many customers never received a marketing message",
    ):
        _, args = planned_call(planner, question)
        assert args["sql"].lstrip().upper().startswith("SELECT"), args
