"""RFM segment counts on the full demo store (2000 customers, seed 42) against an independent
pandas reading of MARKETING.md: reference date, net monetary > 0, tie-aware percent-rank scores
and the 10-segment map, all written here from the page, not from tools/segments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from tools.base import ToolContext
from tools.segments import rfm_segments, rfm_table


def _segment(r: int, f: int) -> str:
    """MARKETING.md's table read row by row (first matching row wins; the rows do not overlap)."""
    if r == 5 and f >= 4:
        return "Champions"
    if r in (3, 4) and f >= 4:
        return "Loyal Customers"
    if r >= 4 and f in (2, 3):
        return "Potential Loyalists"
    if r == 5 and f == 1:
        return "New Customers"
    if r == 4 and f == 1:
        return "Promising"
    if r == 3 and f == 3:
        return "Need Attention"
    if r == 3 and f <= 2:
        return "About to Sleep"
    if r <= 2 and f in (3, 4):
        return "At Risk"
    if r <= 2 and f == 5:
        return "Can't Lose Them"
    return "Hibernating"


def _scores(values: pd.Series, ascending: bool, ties: str = "min") -> pd.Series:
    """score = min(5, 1 + floor(5 x percent_rank)), percent_rank = (rank - 1) / (n - 1), exact."""
    n = len(values)
    rank = values.rank(method=ties, ascending=ascending).astype(int)
    return np.minimum(5, 1 + (5 * (rank - 1)) // max(n - 1, 1)).astype(int)


def reference_rfm(engine: Engine, ties: str = "min") -> pd.DataFrame:
    """Per buyer: recency, frequency, monetary, r, f, m, segment, from the raw tables."""
    with engine.connect() as conn:
        orders = pd.read_sql(text("SELECT * FROM orders WHERE customer_id IS NOT NULL"), conn)
        items = pd.read_sql(text("SELECT order_id, amount, merchandise FROM order_items"), conn)
    merchandise = items[items["merchandise"].astype(bool)]
    amount = merchandise.groupby("order_id")["amount"].sum().astype(float)
    orders["merch"] = orders["order_id"].map(amount).fillna(0.0)
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    status = orders["status"]
    valid = orders[~status.isin(["cancelled", "returned"]) & (orders["total"].astype(float) > 0)]
    returns = orders[status == "returned"]
    reference = valid["order_date"].max() + pd.Timedelta(days=1)
    per = valid.groupby("customer_id")
    out = pd.DataFrame(
        {"last": per["order_date"].max(), "frequency": per.size(), "gross": per["merch"].sum()}
    )
    returned = returns.groupby("customer_id")["merch"].sum().reindex(out.index).fillna(0.0)
    out["monetary"] = out["gross"] + returned
    out = out[out["monetary"] > 0].copy()
    out["recency"] = (reference - out["last"]).dt.days
    out["r"] = _scores(out["recency"], ascending=False, ties=ties)
    out["f"] = _scores(out["frequency"], ascending=True, ties=ties)
    out["m"] = _scores(out["monetary"], ascending=True, ties=ties)
    out["segment"] = [_segment(r, f) for r, f in zip(out["r"], out["f"], strict=True)]
    return out.sort_index()


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """`copilot demo-data --customers 2000 --seed 42`, the store a tester checks by hand."""
    path: Path = tmp_path_factory.mktemp("rfm-full-demo") / "store.duckdb"
    engine = connect_store(f"duckdb:///{path}")
    generate_demo_data(engine, customers=2000, seed=42)
    yield engine
    engine.dispose()


def _tool_counts(engine: Engine) -> dict[str, int]:
    output = rfm_segments(ToolContext(engine=engine, semantic_model=None), save=False)  # type: ignore[arg-type]
    table = output.artifacts[0].frame
    return dict(zip(table["segment"], table["customers"].astype(int), strict=True))


def test_rfm_segment_counts_match_the_reference_on_the_full_demo(full_demo: Engine) -> None:
    want = reference_rfm(full_demo)
    assert _tool_counts(full_demo) == want["segment"].value_counts().to_dict()
    got = rfm_table(full_demo).set_index("customer_id").sort_index()
    assert list(got.index) == list(want.index)
    for column in ("recency", "frequency", "r", "f", "m", "segment"):
        assert list(got[column]) == list(want[column]), column
    np.testing.assert_allclose(got["monetary"], want["monetary"], atol=0.005)


def test_rfm_ties_not_sharing_the_lowest_rank_change_the_counts(full_demo: Engine) -> None:
    """Why a rough check can disagree: ranking ties by their highest rank (pandas' 'max', or
    quantile cuts) lifts whole blocks of equal recency / frequency a score, so Champions grows;
    the page's percent_rank gives equal values the lowest rank."""
    page = reference_rfm(full_demo)["segment"].value_counts()
    rough = reference_rfm(full_demo, ties="max")["segment"].value_counts()
    assert rough["Champions"] > page["Champions"]
    assert _tool_counts(full_demo)["Champions"] == page["Champions"]
