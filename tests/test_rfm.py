"""RFM scores and segments against an independent pandas computation, on every database."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, delete, select

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.segments import (
    read_persona_question,
    read_rfm_question,
    write_rfm_answer,
)
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from knowledge.importers import import_file
from knowledge.importers.options import ImportOptions
from knowledge.store import connect_store
from knowledge.store.schema import Order, SavedSegment, SegmentMember
from tests.conftest import AS_OF
from tools.base import ToolContext
from tools.segments import rfm_segments, rfm_table, saved_members, segment_map

RETAIL_SAMPLE = Path(__file__).parent / "data" / "online_retail_sample.csv"

# MARKETING.md's 10-segment map written out pair by pair (R score, F score) -> segment.
EXPECTED_MAP = {
    **{(5, f): "Champions" for f in (4, 5)},
    **{(r, f): "Loyal Customers" for r in (3, 4) for f in (4, 5)},
    **{(r, f): "Potential Loyalists" for r in (4, 5) for f in (2, 3)},
    (5, 1): "New Customers",
    (4, 1): "Promising",
    (3, 3): "Need Attention",
    **{(3, f): "About to Sleep" for f in (1, 2)},
    **{(r, f): "At Risk" for r in (1, 2) for f in (3, 4)},
    **{(r, 5): "Can't Lose Them" for r in (1, 2)},
    **{(r, f): "Hibernating" for r in (1, 2) for f in (1, 2)},
}


def _as_date(value) -> date:  # noqa: ANN001
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _percent_rank_scores(values: pd.Series) -> list[int]:
    """MARKETING.md's score from pandas' rank(method='min'), in exact integer arithmetic.

    percent_rank = (rank - 1) / (n - 1) with ties sharing the lowest rank;
    score = min(5, 1 + floor(5 x percent_rank)); a lone buyer is the best one (5).
    """
    n = len(values)
    if n == 1:
        return [5]
    ranks = values.rank(method="min").astype(int)
    return [min(5, 1 + (5 * (int(r) - 1)) // (n - 1)) for r in ranks]


def pandas_rfm(engine: Engine, as_of: date | None = None) -> pd.DataFrame:
    """MARKETING.md's RFM, computed from the raw orders with pandas and plain Python."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Order.customer_id, Order.order_date, Order.status, Order.total)
        ).all()
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "status", "total"])
    orders["order_date"] = orders["order_date"].map(_as_date)
    orders["total"] = orders["total"].map(lambda v: Decimal(str(v)))
    valid = orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]
    ref = as_of or valid["order_date"].max() + timedelta(days=1)
    valid = valid[valid["order_date"] < ref]
    # Returns: orders with a negative total that are not cancelled, before the reference date.
    returns = orders[
        (orders["total"] < 0) & (orders["status"] != "cancelled") & (orders["order_date"] < ref)
    ]
    returned = returns.groupby("customer_id")["total"].sum()
    grouped = valid.groupby("customer_id")
    out = pd.DataFrame(
        {
            "last": grouped["order_date"].max(),
            "frequency": grouped.size(),
            "monetary": grouped["total"].sum(),
        }
    )
    net = out["monetary"] + returned.reindex(out.index).fillna(Decimal(0)).map(Decimal)
    out["monetary"] = net.map(lambda d: float(round(d, 2)))
    out = out[out["monetary"] > 0].reset_index()
    out["recency"] = [(ref - d).days for d in out["last"]]
    out["r"] = _percent_rank_scores(out["last"].map(date.toordinal))
    out["f"] = _percent_rank_scores(out["frequency"])
    out["m"] = _percent_rank_scores(out["monetary"])
    out["segment"] = [EXPECTED_MAP[(r, f)] for r, f in zip(out["r"], out["f"], strict=True)]
    return out.sort_values("customer_id").reset_index(drop=True)


def assert_same_rfm(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got["customer_id"]) == list(want["customer_id"])
    for column in ("recency", "frequency", "r", "f", "m", "segment"):
        assert list(got[column]) == list(want[column]), column
    np.testing.assert_allclose(got["monetary"], want["monetary"], atol=0.005)


def test_segment_map_gives_every_pair_one_segment() -> None:
    assert segment_map() == EXPECTED_MAP
    assert len(EXPECTED_MAP) == 25


@pytest.mark.parametrize("as_of", [None, date(2026, 3, 15)])
def test_rfm_table_matches_pandas(demo_engine: Engine, as_of: date | None) -> None:
    got = rfm_table(demo_engine, as_of)
    want = pandas_rfm(demo_engine, as_of)
    assert len(want) > 300
    assert_same_rfm(got, want)
    # Tie-aware: equal values always share a score, and scores rise with the value.
    for column, value in (("r", "recency"), ("f", "frequency"), ("m", "monetary")):
        per_value = got.groupby(value)[column].nunique()
        assert (per_value == 1).all(), column
        ordered = got.sort_values(value, ascending=(column != "r"))[column]
        assert ordered.is_monotonic_increasing, column
        assert got[column].max() == 5


def test_every_buyer_in_exactly_one_segment(demo_engine: Engine) -> None:
    table = rfm_table(demo_engine)
    assert table["customer_id"].is_unique
    assert table["segment"].notna().all()
    assert set(table["segment"]) <= set(EXPECTED_MAP.values())


def _clear_rfm_segments(engine: Engine) -> None:
    segments, members = SavedSegment.__table__, SegmentMember.__table__
    ids = select(segments.c.segment_id).where(segments.c.kind == "rfm")
    with engine.begin() as conn:
        conn.execute(delete(members).where(members.c.segment_id.in_(ids)))
    with engine.begin() as conn:  # DuckDB checks foreign keys against the transaction's start
        conn.execute(delete(segments).where(segments.c.kind == "rfm"))


def _saved_rfm(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                SavedSegment.segment_id,
                SavedSegment.name,
                SavedSegment.size,
                SavedSegment.definition,
            ).where(SavedSegment.kind == "rfm")
        ).all()
    return pd.DataFrame(rows, columns=["segment_id", "name", "size", "definition"])


def test_rfm_segments_summary_and_saving_replaces(demo_engine: Engine) -> None:
    ctx = ToolContext(engine=demo_engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]
    _clear_rfm_segments(demo_engine)
    try:
        early = rfm_segments(ctx, as_of="2026-03-15")
        first = _saved_rfm(demo_engine)
        assert {json.loads(d)["as_of"] for d in first["definition"]} == {"2026-03-15"}

        output = rfm_segments(ctx)
        want = pandas_rfm(demo_engine)
        assert output.data["as_of"] == "2026-11-01"  # the day after the last demo order
        rows = {s["name"]: s for s in output.data["segments"]}
        expected = want.groupby("segment").agg(
            customers=("customer_id", "size"),
            revenue=("monetary", "sum"),
            recency=("recency", "mean"),
        )
        assert set(rows) == set(expected.index)
        for name, row in rows.items():
            assert row["customers"] == expected.loc[name, "customers"]
            assert row["revenue_share"] == pytest.approx(
                expected.loc[name, "revenue"] / want["monetary"].sum(), abs=1e-6
            )
            assert row["avg_recency_days"] == pytest.approx(
                expected.loc[name, "recency"], abs=0.051
            )
        assert sum(r["customer_share"] for r in rows.values()) == pytest.approx(1.0)

        # Saved again: one row per segment, ids of reused names kept, members replaced.
        second = _saved_rfm(demo_engine)
        assert second["name"].is_unique and set(second["name"]) == set(rows)
        kept = set(first["name"]) & set(second["name"])
        assert kept and all(
            first.set_index("name").loc[n, "segment_id"]
            == second.set_index("name").loc[n, "segment_id"]
            for n in kept
        )
        for name, group in want.groupby("segment"):
            members = saved_members(demo_engine, name)
            assert sorted(members) == sorted(group["customer_id"])
            assert second.set_index("name").loc[name, "size"] == len(group)
        assert early.data["buyers"] < output.data["buyers"]
    finally:
        _clear_rfm_segments(demo_engine)


def test_imported_transaction_log_rfm_matches_pandas(tmp_path: Path) -> None:
    engine = connect_store(f"duckdb:///{tmp_path}/retail.duckdb")
    import_file(
        engine, "transactions", RETAIL_SAMPLE, options=ImportOptions(date_order="month-first")
    )
    want = pandas_rfm(engine)
    assert len(want) >= 5
    assert_same_rfm(rfm_table(engine), want)
    engine.dispose()


def _question(text: str):  # noqa: ANN202
    return read_question(text, ValueIndex())


@pytest.mark.parametrize(
    "text",
    ["segment my customers with RFM", "RFM analysis", "用RFM给客户分群", "RFM分析"],
)
def test_rfm_questions_are_read(text: str) -> None:
    ctx = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert read_rfm_question(_question(text), ctx) == {}
    assert read_persona_question(_question(text), ctx) is None


def test_rfm_as_of_is_read() -> None:
    ctx = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    args = read_rfm_question(_question("RFM segments as of 2026-6-1"), ctx)
    assert args == {"as_of": "2026-06-01"}


@pytest.mark.parametrize("text", ["how many Champions have we got", "冠军客户有多少人"])
def test_a_named_segment_is_read_without_a_semantic_model(text: str) -> None:
    """Readers are called with a model-less context in tests: no metric words then, and a
    named segment counts the RFM segments (the metric words once raised without a model)."""
    from copilot.offline.vocabulary import lowered_metric_words

    assert lowered_metric_words(None) == frozenset()
    ctx = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert read_rfm_question(_question(text), ctx) == {}


def test_segment_names_spelt_like_a_metric_are_the_metric_given_the_model() -> None:
    """One place reads which RFM segments a question names: with the semantic model, "new
    customers" is the metric unless written as the segment's name."""
    from copilot.offline.intents.segments import rfm_segment_names
    from knowledge.semantic import load_semantic_model

    model = load_semantic_model()
    assert rfm_segment_names(_question("how many new customers in 2025"), model) == []
    assert rfm_segment_names(_question("orders from New Customers"), model) == ["New Customers"]
    assert rfm_segment_names(_question("how many new customers in 2025")) == ["New Customers"]
    assert rfm_segment_names(_question("Champions and At Risk"), model) == ["Champions", "At Risk"]


def test_rfm_answer_uses_the_tool_numbers(duckdb_demo_engine: Engine) -> None:
    ctx = ToolContext(engine=duckdb_demo_engine, semantic_model=None)  # type: ignore[arg-type]
    output = rfm_segments(ctx, save=False)
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    english = write_rfm_answer(output, "en", planner)
    chinese = write_rfm_answer(output, "zh", planner)
    biggest = next(s for s in output.data["segments"] if s["name"] == output.data["biggest"])
    assert f"{output.data['buyers']:,} buyers" in english
    assert f"Biggest: {biggest['name']} with {biggest['customers']:,}" in english
    assert biggest["action"] in english
    assert biggest["name_zh"] in chinese and biggest["action_zh"] in chinese


@pytest.mark.parametrize("text", ["revenue by RFM segment", "各分群的销售额"])
def test_metric_questions_by_segment_are_left_to_query_metrics(text: str) -> None:
    from knowledge.semantic import load_semantic_model

    ctx = PlannerContext(semantic_model=load_semantic_model())
    assert read_rfm_question(_question(text), ctx) is None
    assert read_persona_question(_question(text), ctx) is None
    assert read_rfm_question(_question("segment my customers with RFM"), ctx) == {}


def test_returns_lower_monetary_and_full_returners_are_not_buyers(tmp_path: Path) -> None:
    """M is net of returns (orders with a negative total, not cancelled) dated before the
    reference date; M <= 0: no buyer."""
    engine = connect_store(f"duckdb:///{tmp_path}/returns.duckdb")
    rows = [
        # (order_id, customer, date, status, total)
        ("P1", "Kept", date(2024, 5, 1), "completed", "80.00"),
        ("R1", "Kept", date(2024, 5, 20), "completed", "-30.00"),
        ("P2", "Gone", date(2024, 5, 2), "completed", "50.00"),
        ("R2", "Gone", date(2024, 5, 25), "returned", "-50.00"),
        ("P3", "Plain", date(2024, 6, 3), "completed", "40.00"),
        ("C3", "Plain", date(2024, 6, 4), "cancelled", "-40.00"),  # a cancelled credit note
    ]
    with engine.begin() as conn:
        conn.execute(
            Order.__table__.insert(),
            [
                {
                    "order_id": oid,
                    "customer_id": cid,
                    "ordered_at": datetime(d.year, d.month, d.day, 10),
                    "order_date": d,
                    "status": status,
                    "total": Decimal(total),
                }
                for oid, cid, d, status, total in rows
            ],
        )
    table = rfm_table(engine).set_index("customer_id")
    want = pandas_rfm(engine).set_index("customer_id")
    # As of 21 May, Gone's return (25 May) has not happened yet: Gone is still a buyer.
    early = rfm_table(engine, date(2024, 5, 21)).set_index("customer_id")
    engine.dispose()
    assert list(early.index) == ["Gone", "Kept"]
    assert early.loc["Kept", "monetary"] == pytest.approx(50.0)
    assert list(table.index) == ["Kept", "Plain"]
    assert table.loc["Kept", "monetary"] == pytest.approx(50.0)
    assert table.loc["Plain", "monetary"] == pytest.approx(40.0)
    assert list(want.index) == list(table.index)
    assert list(want["m"]) == list(table["m"]) == [5, 1]


def test_one_time_buyers_never_get_f_4_or_5_when_repeat_buyers_exist(demo_engine: Engine) -> None:
    table = rfm_table(demo_engine)
    assert (table["frequency"] > 1).any()
    assert table.loc[table["frequency"] == 1, "f"].max() <= 3
    assert "Champions" not in set(table.loc[table["frequency"] == 1, "segment"])


def test_a_metric_by_rfm_segment_reads_the_saved_run_and_names_it(
    duckdb_demo_engine: Engine,
) -> None:
    """Round 8: a breakdown (or filter) by RFM segment reads the saved RFM run and the answer
    says which run (its as-of date, the day it was saved); with none saved it is computed now, saved, and the answer says so
    (it returned an empty table, written as "no data")."""
    from copilot.offline.intents.metrics import write_metric_answer
    from knowledge.semantic import load_semantic_model
    from tools import query_metrics
    from tools.segments.saved import latest_rfm_run

    engine = duckdb_demo_engine
    ctx = ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)
    _clear_rfm_segments(engine)
    try:
        # None saved: the segmentation runs now (as rfm_segments would, saved) and the
        # answer says so, instead of sending the user to run a step first.
        now = query_metrics(ctx, metrics=["revenue"], dimensions=["rfm_segment"])
        assert now.data["rfm_run"]["computed_now"]
        assert now.data["rfm_run"] == {**latest_rfm_run(ctx), "computed_now": "yes"}
        planner = PlannerContext(semantic_model=ctx.semantic_model)
        assert "computed now" in write_metric_answer(now, "en", planner)
        assert "刚刚" in write_metric_answer(now, "zh", planner)
        again = query_metrics(ctx, metrics=["revenue"], dimensions=["rfm_segment"])
        assert "computed_now" not in again.data["rfm_run"]
        rfm_segments(ctx, as_of="2026-06-01")
        output = query_metrics(ctx, metrics=["revenue"], dimensions=["rfm_segment"])
        assert output.data["rfm_run"]["as_of"] == "2026-06-01"
        assert "as of 2026-06-01" in write_metric_answer(output, "en", planner)
        assert "截至 2026-06-01" in write_metric_answer(output, "zh", planner)
        one = query_metrics(ctx, metrics=["orders"], filters={"rfm_segment": ["Champions"]})
        assert one.data["rfm_run"]["as_of"] == "2026-06-01"
        plain = query_metrics(ctx, metrics=["orders"])
        assert "rfm_run" not in plain.data
    finally:
        _clear_rfm_segments(engine)


def test_the_saved_segments_example_is_a_segment_this_run_has() -> None:
    """ "(e.g. 'Champions')" only when the run has Champions; else a segment it has."""
    from copilot.offline.intents.segments import write_rfm_answer
    from tools.base import ToolOutput

    def segment(name: str, customers: int) -> dict:
        return {
            "name": name, "customers": customers, "customer_share": 0.5, "revenue_share": 0.5,
            "action": "act", "action_zh": "行动",
        }  # fmt: skip

    def written(names: list[tuple[str, int]]) -> str:
        segments = [segment(n, c) for n, c in names]
        data = {
            "segments": segments, "biggest": segments[0]["name"],
            "most_valuable": segments[-1]["name"], "as_of": "2026-11-01", "buyers": 20,
            "saved": True,
        }  # fmt: skip
        planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
        return write_rfm_answer(ToolOutput("", [], data), "en", planner)

    without = written([("Hibernating", 12), ("Loyal", 8)])
    assert "Champions" not in without and "(e.g. 'Loyal')" in without
    assert "(e.g. 'Champions')" in written([("Hibernating", 12), ("Champions", 8)])


def test_the_rfm_chart_shows_customers_per_segment_only(demo_engine: Engine) -> None:
    # Customers and average recency days shared one axis ("Customers / Avg recency days").
    from copilot.charts import chart_for_table

    ctx = ToolContext(engine=demo_engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]
    table = rfm_segments(ctx, save=False).artifacts[0]
    assert "avg_recency_days" in table.frame.columns  # the other measures stay in the table
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "bar" and spec.y == ("customers",)
    assert spec.y_format == "integer"
