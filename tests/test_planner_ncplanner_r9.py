"""Round 9 (newcomer's findings), kinds found by an outside tester. Every wording here is
our own; none is the tester's."""

from __future__ import annotations

import pandas as pd
import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A ranking whose thing is named after the superlative ("点击率最高的五个活动", "the four
#    cities with the most orders", "哪两个品类销量最高") ranks that thing: the breakdown with
#    the top N, never the whole store's figure.
@pytest.mark.parametrize(
    ("question", "metric", "dimension", "n"),
    [
        ("点击率最高的五个活动", "ctr", "campaign", 5),
        ("转化率最高的两个活动是哪些", "conversion_rate", "campaign", 2),
        ("the four campaigns with the highest open rate", "open_rate", "campaign", 4),
        ("the 4 cities with the most orders", "orders", "city", 4),
        ("哪两个城市订单最多", "orders", "city", 2),
        ("去年销售额最高的3个品类", "revenue", "category", 3),
    ],
)
def test_a_thing_named_after_the_superlative_is_ranked(
    planner: OfflinePlanner, question: str, metric: str, dimension: str, n: int
) -> None:
    args = _args(planner, question)
    assert args["metrics"][0] == metric
    assert args["dimensions"] == [dimension]
    assert args["limit"] == n
    assert args.get("sort") != "asc"


# 2. An amount of returns or refunds ("refund amount", "the return amounts", "退款金额") is
#    the returns metric: a phrase whose head is "amount" never falls back to revenue.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("the 2 categories with the largest refund amount in 2025", ["category"]),
        ("return amounts by channel", ["channel"]),
        ("what was the refund amount last quarter", []),
        ("哪两个城市的退款金额最高", ["city"]),
    ],
)
def test_an_amount_of_returns_is_the_returns_metric(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["returns"]
    assert args.get("dimensions", []) == dimensions


# 4. Per-customer words between 平均 and the metric ("平均每位顾客的终身价值") do not break
#    the metric's reading: it was asked back as a near word.
@pytest.mark.parametrize("question", ["平均每位顾客的终身价值有多少", "去年平均每个顾客的终身价值"])
def test_per_customer_words_inside_an_average_keep_the_metric(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["metrics"] == ["average_ltv"]


# 4b. Orders per person said around the count ("平均每位会员的订单数", "每个顾客平均买几单",
#     "the average number of orders per client") is the purchase frequency, never the order
#     count nor buyers beside orders; spend per person with 的 and the amount
#     ("平均每名买家的消费额") is revenue per buyer (with its parts), not an ask-back.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("去年平均每位会员的订单数", ["purchase_frequency"]),
        ("每个顾客平均买几单", ["purchase_frequency"]),
        ("上个月每位会员的订单量", ["purchase_frequency"]),
        ("the average number of orders per client this year", ["purchase_frequency"]),
        ("how many orders does a typical member make", ["purchase_frequency"]),
        ("平均每名买家的消费额是多少", ["revenue_per_buyer", "revenue", "buyers"]),
    ],
)
def test_per_person_averages_are_not_totals(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 4c. 每个买家 said of another metric says whose figure it is ("去年每位买家的平均终身价值",
#     "每名买家的客单价"): no buyers count beside it; asked for together, both still are.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("去年每位买家的平均终身价值", ["average_ltv"]),
        ("上个月每名买家的客单价", ["aov"]),
        ("上个月的买家数和客单价", ["buyers", "aov"]),
    ],
)
def test_per_buyer_words_add_no_buyers_count(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 3. A ranking by change between two periods ("the biggest decline", "下降最多", "rose the
#    most", "涨幅最大") with a comparison ranks the rows by the relative change: the fall
#    lowest first, the rise highest first. Without a comparison there is no change to rank.
@pytest.mark.parametrize(
    ("question", "metric", "sort"),
    [
        ("which channel had the largest decline in orders in Q3 vs Q2", "orders", "asc"),
        ("哪个品类本季度销售额环比下降最多", "revenue", "asc"),
        (
            "which category rose the most in revenue last month compared with the month before",
            "revenue",
            "desc",
        ),
        ("哪个渠道上个月订单涨幅最大，和前一个月比", "orders", "desc"),
    ],
)
def test_a_ranking_by_change_orders_by_the_change(
    planner: OfflinePlanner, question: str, metric: str, sort: str
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == [metric]
    assert args["order_by"] == f"{metric}_change"
    assert args["sort"] == sort


def test_the_answer_names_the_biggest_fall_by_change_as_computed_apart(
    duckdb_demo_engine,  # noqa: ANN001
) -> None:
    """The biggest fall named is the city whose revenue fell most, relative to the month
    before, as pandas computes it from the order lines (the value ranking named others)."""
    from sqlalchemy import text as sql

    from copilot.offline.intents.base import PlannerContext
    from copilot.offline.intents.metrics import write_metric_answer
    from knowledge.semantic import load_semantic_model
    from tests.conftest import AS_OF
    from tools import ToolContext, query_metrics

    model = load_semantic_model()
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=model, as_of=AS_OF)
    args = {
        "metrics": ["revenue"],
        "dimensions": ["city"],
        "time_range": "2026-09",
        "compare_to": "previous period",
        "order_by": "revenue_change",
        "sort": "asc",
    }
    output = query_metrics(ctx, **args)
    with duckdb_demo_engine.connect() as conn:
        frame = pd.read_sql(
            sql(
                "select c.city, strftime(cast(o.order_date as date), '%Y-%m') as month, "
                "sum(i.amount) as revenue from order_items i join orders o using (order_id) "
                "join customers c using (customer_id) where o.status <> 'cancelled' "
                "and cast(o.order_date as date) between '2026-08-01' and '2026-09-30' "
                "group by 1, 2"
            ),
            conn,
        )
    wide = frame.pivot(index="city", columns="month", values="revenue").fillna(0.0)
    change = (wide["2026-09"] / wide["2026-08"].where(wide["2026-08"] != 0) - 1).dropna()
    assert output.artifacts[0].frame["city"].iloc[0] == change.idxmin()
    text = write_metric_answer(output, "en", PlannerContext(model))
    assert "highest:" not in text and "lowest:" not in text
    if change.min() < 0:
        assert f"biggest fall (relative change): {change.idxmin()}," in text
    else:
        assert f"no city fell; the smallest change was {change.idxmin()}," in text


def test_when_no_row_fell_the_answer_says_so() -> None:
    from copilot.offline.intents.base import PlannerContext
    from copilot.offline.intents.metrics import write_metric_answer
    from knowledge.semantic import load_semantic_model
    from tools.base import TableArtifact, ToolOutput

    frame = pd.DataFrame(
        {"city": ["A", "B"], "revenue": [110.0, 300.0], "revenue_previous": [100.0, 150.0]}
    )
    frame["revenue_change"] = frame["revenue"] / frame["revenue_previous"] - 1
    data = {
        "metrics": ["revenue"],
        "dimensions": ["city"],
        "filters": {},
        "period": {
            "start": "2026-10-01",
            "end": "2026-10-31",
            "label": "October 2026",
            "grain": "month",
        },
        "compare_to": {
            "start": "2026-09-01",
            "end": "2026-09-30",
            "label": "September 2026",
            "grain": "month",
        },
        "formats": {"revenue": "money", "revenue_previous": "money", "revenue_change": "percent"},
        "order_by": "revenue_change",
        "sort": "asc",
    }
    output = ToolOutput("", [TableArtifact("t", frame)], data)
    ctx = PlannerContext(load_semantic_model())
    english = write_metric_answer(output, "en", ctx)
    assert "no city fell; the smallest change was A, up 10.0%" in english
    assert "lowest first" not in english
    assert "没有城市下降；变化最小的是A" in write_metric_answer(output, "zh", ctx)
