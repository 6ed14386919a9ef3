"""Round 15 wave 1, follow-up kinds (engineer followups). Every wording here is our own;
none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import converse, last_call


# 1. A Chinese breakdown verb and the rows, nothing else ("拆成每周"), splits the figure shown.
@pytest.mark.parametrize(
    ("turns", "dimension"),
    [
        (["去年的订单数", "细分成各渠道看看"], "channel"),
        (["上个月的客单价", "拆成每周"], "week"),
        (["今年二季度的销售额", "拆开按城市"], "city"),
    ],
)
def test_a_chinese_breakdown_verb_splits_the_figure_shown(
    planner: OfflinePlanner, turns: list[str], dimension: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["dimensions"] == [dimension]
    assert args.get("time_range")


# 2. A part of the buyers just counted, named by a word alone: its count, same period.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["buyers in Q2 2026", "how many of those were repeat customers?"], "repeat_buyers"),
        (["buyers in Q2 2026", "and how many were first-timers"], "new_customers"),
        (["上季度下单人数", "这当中新客户多少"], "new_customers"),
        (["上季度下单人数", "里面有多少是回头客"], "repeat_buyers"),
    ],
)
def test_a_part_of_the_buyers_shown_is_counted_for_the_same_period(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == [metric]
    assert args["time_range"] in ("Q2 2026", "上季度")


# 3. What the figure shown counts in is answered from its definition; what else is asked is
#    computed, nothing more (the component named is no metric asked for).
@pytest.mark.parametrize(
    ("turns", "metrics"),
    [
        (["revenue in August 2026", "is that after refunds? show the gross number too"],
         ["gross_sales"]),
        (["revenue in August 2026", "does it count returns?"], ["revenue"]),
        (["2026年8月的销售额", "这个扣了退货吗？把退货额也单列"], ["returns"]),
        (["2026年8月的销售额", "含不含退款？"], ["revenue"]),
    ],
)  # fmt: skip
def test_a_definition_question_computes_only_what_else_is_asked(
    planner: OfflinePlanner, turns: list[str], metrics: list[str]
) -> None:
    reply = converse(planner, turns)
    assert [c["name"] for c in reply.tool_calls] == ["query_metrics"]
    args = reply.tool_calls[0]["args"]
    assert args["metrics"] == metrics
    assert args["time_range"] in ("August 2026", "2026年8月")
    assert reply.response_metadata["metric_definitions"][0] == ["revenue"]


# 4. A merchandise figure asked without shipping is the same figure, said so.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["gross sales in 2025", "ok but excluding postage?"], "gross_sales"),
        (["上个月的客单价", "不含运费呢"], "aov"),
    ],
)
def test_a_merchandise_figure_without_shipping_is_the_same_figure(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    reply = converse(planner, turns)
    assert reply.tool_calls[0]["args"]["metrics"] == [metric]
    # (one mechanism with the restated definitions, round 15: the words restated travel to the
    # answer, which states the definition and that the figure is the same)
    shown, restated = reply.response_metadata["metric_definitions"]
    assert shown == [metric] and restated and restated in turns[1]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", ["How Revenue is counted", "returns", "merchandise"]),
        ("zh", ["销售额的口径", "退货"]),
    ],
)
def test_the_definition_said_is_the_semantic_models(
    planner: OfflinePlanner, language: str, said: list[str]
) -> None:
    from copilot.offline.followups import definitions_text

    text = definitions_text(["revenue"], None, language, planner.semantic_model)
    assert all(word in text for word in said)
    restated = "without shipping" if language == "en" else "不含运费"
    fees = definitions_text(["gross_sales"], restated, language, planner.semantic_model)
    assert restated in fees and (("the same" in fees) if language == "en" else ("不变" in fees))


# 5. A follow-up after a question asked back on a word goes on from the reading of the
#    rest, and the word it went on without is carried to the answer.
@pytest.mark.parametrize(
    ("turns", "dimension"),
    [
        (["orders last month for the zorblat review", "and per channel?"], "channel"),
        (["上个月订单数，给zorblat会议用", "按城市呢"], "city"),
    ],
)
def test_a_follow_up_after_a_question_back_reads_the_rest(
    planner: OfflinePlanner, turns: list[str], dimension: str
) -> None:
    first = converse(planner, turns[:1])
    assert not first.tool_calls  # the first turn is asked back
    reply = converse(planner, turns)
    assert reply.tool_calls[0]["args"]["metrics"] == ["orders"]
    assert reply.tool_calls[0]["args"]["dimensions"] == [dimension]
    assert reply.response_metadata["words_set_aside"]


# 6. A metric swapped in that cannot take the breakdown kept is asked about, not failed.
@pytest.mark.parametrize(
    ("turns", "word"),
    [
        (["revenue per category for last month", "swap that for the open rate"], "open rate"),
        (["上个月各品类的销售额", "换成打开率"], "打开率"),
    ],
)
def test_a_metric_without_the_breakdown_kept_is_asked_about(
    planner: OfflinePlanner, turns: list[str], word: str
) -> None:
    name, text = last_call(planner, turns)
    assert name is None
    assert word in text.lower()


# 7. Returned orders break down by category (return orders with a returned line of it).
@pytest.mark.parametrize(
    "turns",
    [
        ["refund rate per category in Q3 2026", "now the count of return orders instead"],
        ["2026年三季度各品类退货率", "换成退货订单数"],
    ],
)
def test_returned_orders_keep_a_category_breakdown(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics"
    assert args["metrics"] == ["returned_orders"]
    assert args["dimensions"] == ["category"]


def test_returned_orders_by_category_add_up_to_the_total(duckdb_demo_engine) -> None:  # noqa: ANN001
    from knowledge.semantic import load_semantic_model
    from tools.base import ToolContext
    from tools.metrics import query_metrics

    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=load_semantic_model())
    period = "2026-01-01 to 2026-10-31"
    total = query_metrics(ctx, metrics=["returned_orders"], dimensions=[], time_range=period)
    split = query_metrics(
        ctx, metrics=["returned_orders"], dimensions=["category"], time_range=period
    )
    assert "error" not in split.data
    whole, parts = total.artifacts[0].frame, split.artifacts[0].frame
    assert parts["returned_orders"].sum() >= whole["returned_orders"].iloc[0] > 0
