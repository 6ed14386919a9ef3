"""Each row's share of the whole ("revenue share by channel", "各渠道销售额占比"): the tool's
`shares` column against an independent SQL count, the planner's reading, and the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from copilot.offline.planner import OfflinePlanner
from knowledge.presentation.labels import column_label
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import Limits, ToolContext, ToolError, query_metrics

VALID_ORDERS = "status = 'completed' AND total > 0"
Q3 = "order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"


def context(engine: Engine) -> ToolContext:
    return ToolContext(
        engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF, limits=Limits()
    )


def test_each_channels_share_of_orders_matches_sql(duckdb_demo_engine: Engine) -> None:
    output = query_metrics(
        context(duckdb_demo_engine),
        metrics=["orders"],
        dimensions=["channel"],
        time_range="2026-Q3",
        shares=True,
    )
    with duckdb_demo_engine.connect() as conn:
        every = conn.execute(text(f"SELECT COUNT(*) FROM orders WHERE {VALID_ORDERS} AND {Q3}"))
        whole = every.scalar_one()
        per_channel = dict(
            conn.execute(
                text(
                    f"SELECT channel, COUNT(*) FROM orders WHERE {VALID_ORDERS} AND {Q3} "
                    "GROUP BY channel"
                )
            ).all()
        )
    frame = output.artifacts[0].frame
    assert output.data["share_of"] == {"orders": whole}
    assert output.artifacts[0].formats["orders_share"] == "percent"
    got = dict(zip(frame["channel"], frame["orders_share"], strict=True))
    assert got == pytest.approx({c: n / whole for c, n in per_channel.items()})
    assert sum(got.values()) == pytest.approx(1.0)


def test_a_top_n_keeps_the_whole_of_every_row(duckdb_demo_engine: Engine) -> None:
    """The share of a top 3 is over the whole store, not over the 3 rows shown; a buyer in
    two cities' rows is one buyer of the whole."""
    output = query_metrics(
        context(duckdb_demo_engine),
        metrics=["buyers"],
        dimensions=["city"],
        time_range="2026-Q3",
        limit=3,
        shares=True,
    )
    with duckdb_demo_engine.connect() as conn:
        whole = conn.execute(
            text(f"SELECT COUNT(DISTINCT customer_id) FROM orders WHERE {VALID_ORDERS} AND {Q3}")
        ).scalar_one()
    frame = output.artifacts[0].frame
    assert len(frame) == 3 and output.data["share_of"] == {"buyers": whole}
    assert list(frame["buyers_share"]) == pytest.approx(list(frame["buyers"] / whole))
    assert frame["buyers_share"].sum() < 1


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"metrics": ["aov"], "dimensions": ["channel"]}, "ratio"),
        ({"metrics": ["revenue"]}, "breakdown"),
        (
            {
                "metrics": ["revenue"],
                "dimensions": ["channel"],
                "time_range": "last month",
                "compare_to": "previous period",
            },
            "one period",
        ),
    ],
)
def test_shares_that_mean_nothing_are_refused_with_the_fix(
    duckdb_demo_engine: Engine, arguments: dict, says: str
) -> None:
    with pytest.raises(ToolError, match=says):
        query_metrics(context(duckdb_demo_engine), shares=True, **arguments)


@pytest.mark.parametrize(
    ("question", "metric", "dimension"),
    [
        ("revenue share by channel last month", "revenue", "channel"),
        ("what percentage of 2025 orders did each city bring, top 5", "orders", "city"),
        ("上个月各渠道的销售额占比", "revenue", "channel"),
        ("今年各品类订单数的比重", "orders", "category"),
        # A contribution to a metric by a breakdown is that metric's share per row.
        ("revenue contribution by city in 2025", "revenue", "city"),
        ("each channel's contribution to total revenue last quarter", "revenue", "channel"),
        ("今年各城市的订单贡献", "orders", "city"),
        ("上季度各渠道对销售额的贡献", "revenue", "channel"),
    ],
)
def test_a_share_per_row_is_one_call_with_shares(
    planner: OfflinePlanner, question: str, metric: str, dimension: str
) -> None:
    message = planner._plan(question, [])
    assert len(message.tool_calls) == 1, message.content
    args = message.tool_calls[0]["args"]
    assert args["metrics"] == [metric] and args["dimensions"] == [dimension]
    assert args["shares"] is True


@pytest.mark.parametrize("question", ["AOV share by channel last month", "各渠道客单价占比"])
def test_a_share_of_a_ratio_per_row_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert "AOV" in message.content or "客单价" in message.content


def test_the_answer_states_the_whole_and_each_rows_share(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    from copilot.agent import Copilot
    from copilot.settings import Settings

    with duckdb_demo_engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT channel, COUNT(*) FROM orders WHERE {VALID_ORDERS} AND {Q3} "
                "GROUP BY channel"
            )
        ).all()
    whole = sum(n for _, n in rows)
    bot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )
    answer = bot.ask("what share of Q3 2026 orders did each channel bring?")
    assert answer.status == "answered"
    assert f"{whole:,}" in answer.text
    for _, count in rows:
        assert f"{count / whole:.1%}" in answer.text
    assert "of the total shown" not in answer.text  # the whole, not the rows shown


def test_share_columns_are_labelled_from_the_metric() -> None:
    model = load_semantic_model()
    assert column_label("revenue_share", "zh", model) == "销售额占比"
    assert column_label("orders_share", "en", model) == "Orders share"
    # The RFM table's own share columns keep their catalogued headers.
    assert column_label("customer_share", "zh", model) == "客户占比"
