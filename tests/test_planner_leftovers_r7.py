"""Round-7 leftovers of the planner, each with this file's own wordings in English and
Chinese: a metric of an RFM segment with no saved RFM run (a filter: the tool runs it), two comparisons in one
question, campaign reviews, channel-vs-channel conversion, SQL over order lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from copilot.offline.planner import OfflinePlanner


@pytest.fixture(scope="module")
def planner_without_rfm(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    """A planner over a store of its own with no RFM run saved: the session store may hold
    one saved by another test file (then the segment is a filter, rightly)."""
    from tests.conftest import own_store_planner

    return own_store_planner(tmp_path_factory.mktemp("no-rfm"))


def _calls(planner: OfflinePlanner, question: str) -> list[tuple[str, dict[str, Any]]]:
    message = planner._plan(question, [])
    return [(c["name"], c["args"]) for c in message.tool_calls]


def _text(planner: OfflinePlanner, question: str) -> str:
    return str(planner._plan(question, []).content)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("流失风险客户这个季度的销售额", "revenue"),
        ("有流失风险的客户上周下单量", "orders"),
        ("at-risk customers' orders this quarter", "orders"),
    ],
)
def test_a_metric_of_an_rfm_segment_without_a_run_filters_by_it(
    planner_without_rfm: OfflinePlanner, question: str, metric: str
) -> None:
    # Round 13: the tool runs the RFM segmentation when none is saved (and says so), so the
    # segment is a filter; neither the churn model nor the whole store's figure.
    [(name, args)] = _calls(planner_without_rfm, question)
    assert name == "query_metrics" and args["metrics"] == [metric]
    assert args["filters"] == {"rfm_segment": ["At Risk"]}


@pytest.mark.parametrize(
    "question", ["revenue by RFM segment", "按RFM分层看客单价", "orders by RFM last month"]
)
def test_a_metric_by_rfm_segment_without_a_run_is_broken_down_by_it(
    planner_without_rfm: OfflinePlanner, question: str
) -> None:
    # Round 13: the tool runs the segmentation first, so the table is not empty.
    [(name, args)] = _calls(planner_without_rfm, question)
    assert name == "query_metrics" and args["dimensions"] == ["rfm_segment"]


def test_orders_placed_is_the_orders_metric(planner: OfflinePlanner) -> None:
    assert _calls(planner, "本季度下单数")[0][1]["metrics"] == ["orders"]


@pytest.mark.parametrize(
    ("question", "metric", "compared"),
    [
        ("这个季度订单数环比和同比", "orders", ["环比", "同比"]),
        ("上周客单价的同比和环比分别是多少", "aov", ["环比", "同比"]),
        ("同比环比都看一下上个月的销售额", "revenue", ["环比", "同比"]),
        ("orders this quarter, QoQ and YoY", "orders", ["previous period", "last year"]),
        (
            "AOV last week vs the previous week and vs the same week last year",
            "aov",
            ["previous period", "last year"],
        ),
        (
            "last month's revenue vs the month before and vs a year earlier",
            "revenue",
            ["previous period", "last year"],
        ),
        (
            "buyers in September compared with the previous month and with the same month "
            "last year",
            "buyers",
            ["previous period", "last year"],
        ),
    ],
)
def test_two_comparisons_in_one_question_are_two_calls_of_one_period(
    planner: OfflinePlanner, question: str, metric: str, compared: list[str]
) -> None:
    """Round 8: both comparisons are answered, one query_metrics call each over the same
    period (it was asked back: a call compares with one period), neither dropped."""
    calls = _calls(planner, question)
    assert [name for name, _ in calls] == ["query_metrics", "query_metrics"]
    assert [args["compare_to"] for _, args in calls] == compared
    assert all(args["metrics"] == [metric] for _, args in calls)
    assert calls[0][1]["time_range"] == calls[1][1]["time_range"]


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("同比环比都看一下上个月的订单数", ["2026年9月", "2025年10月"]),
        ("orders in Q3: QoQ and YoY", ["Q2 2026", "Q3 2025"]),
    ],
)
def test_two_comparisons_are_one_answer_giving_both(
    duckdb_demo_engine: Engine, tmp_path: Path, question: str, periods: list[str]
) -> None:
    """The answer gives the figure against each comparison period, each from its call, and
    says the next-step hint once."""
    from copilot.agent import Copilot
    from copilot.settings import Settings
    from tests.conftest import AS_OF

    bot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )
    answer = bot.ask(question)
    assert [c.args["compare_to"] for c in answer.tool_calls] == (
        ["环比", "同比"] if "同比" in question else ["previous period", "last year"]
    )
    from knowledge.semantic import load_semantic_model
    from tools import ToolContext, query_metrics

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF)
    previous = [
        query_metrics(ctx, **c.args).data["previous_values"]["orders"] for c in answer.tool_calls
    ]
    assert previous[0] != previous[1]
    text = answer.text
    for period, figure in zip(periods, previous, strict=True):
        assert f"{figure:,.0f} in {period}" in text or f"{period}的 {figure:,.0f}" in text
    hints = [p for p in text.split("\n\n") if p.startswith(("Next", "下一步"))]
    assert len(hints) <= 1


@pytest.mark.parametrize("question", ["这个季度订单数同比", "orders this quarter vs last year"])
def test_one_comparison_is_still_answered(planner: OfflinePlanner, question: str) -> None:
    assert _calls(planner, question)[0][0] == "query_metrics"


@pytest.mark.parametrize(
    ("question", "channels"),
    [
        ("does push or email convert better", {"push", "email"}),
        ("短信和推送哪个转化更高", {"sms", "push"}),
        ("邮件跟推送比，哪个转化更差", {"email", "push"}),
    ],
)
def test_two_channels_compared_on_conversion_is_conversion_rate_by_channel(
    planner: OfflinePlanner, question: str, channels: set[str]
) -> None:
    ((name, args),) = _calls(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == ["conversion_rate"]
    assert args["dimensions"] == ["channel"]
    assert set(args["filters"]["channel"]) == channels


def test_two_channels_with_a_significance_word_stay_a_test(planner: OfflinePlanner) -> None:
    assert _calls(planner, "is push significantly better than email at converting")[0][0] == (
        "ab_test"
    )


@pytest.mark.parametrize(
    "question",
    [
        "can you do a promo results recap",
        "debrief on this year's campaigns",
        "上个月营销活动的表现回顾",
        "给我做个推广效果总结",
    ],
)
def test_a_campaign_review_is_campaign_metrics_by_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    ((name, args),) = _calls(planner, question)
    assert name == "query_metrics"
    assert "campaign" in args["dimensions"]
    assert {"conversion_rate", "roi"} <= set(args["metrics"])


@pytest.mark.parametrize(
    "question", ["what do reviews say about our sports gear", "运动品类的评价怎么样"]
)
def test_customer_reviews_stay_review_sentiment(planner: OfflinePlanner, question: str) -> None:
    assert _calls(planner, question)[0][0] == "review_sentiment"


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("with SQL, list orders having an item with quantity greater than 3", "i.quantity > 3"),
        ("find orders where any line item has quantity over 7", "i.quantity > 7"),
        ("用SQL找出单件商品数量不少于4的订单", "i.quantity >= 4"),
    ],
)
def test_a_line_quantity_condition_is_sql_over_order_items_joined_to_orders(
    planner: OfflinePlanner, question: str, condition: str
) -> None:
    ((name, args),) = _calls(planner, question)
    assert name == "run_sql"
    sql = args["sql"]
    assert "JOIN order_items i ON i.order_id = o.order_id" in sql
    assert condition in sql and "status NOT IN ('cancelled', 'returned')" in sql


def test_the_line_quantity_query_matches_pandas(
    planner: OfflinePlanner, duckdb_demo_engine: Engine
) -> None:
    from tests.test_run_sql import context, raw_table, valid_orders
    from tools.sql import run_sql

    ((_, args),) = _calls(planner, "orders with a single line quantity above 2")
    output = run_sql(context(duckdb_demo_engine), **args)
    got = sorted(output.artifacts[0].frame["order_id"])
    items = raw_table(duckdb_demo_engine, "order_items")
    big = items[(items["quantity"] > 2) & (items["merchandise"] != False)]  # noqa: E712
    want = sorted(set(valid_orders(duckdb_demo_engine)["order_id"]) & set(big["order_id"]))
    assert want and got == want
