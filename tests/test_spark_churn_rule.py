"""A rule segment on churn probability reads the scores from the copilot's state store.

Churn scores are the copilot's own rows (predict_churn writes them to the state
store). A rule with `min_churn_probability` must give the same members whether
the warehouse sees the state tables (the embedded DuckDB warehouse, through its
in-memory copy) or not (Spark: the ids go to the warehouse as `IN (ids)`), and
must send the warehouse nothing but queries. Runs on DuckDB, no Spark needed; the
same rule on a real Spark is in tests/test_spark_analytics.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select, text

from knowledge.demo import generate_demo_data
from knowledge.semantic import load_semantic_model
from knowledge.store.database import connect_warehouse, writable_warehouse
from knowledge.store.schema import SavedSegment, SegmentMember
from knowledge.store.state import connect_state, share_state_with
from tests.conftest import AS_OF, WRITE_KEYWORDS
from tools import ToolContext
from tools.churn.store import save_scores
from tools.segments.rules import define_segment

_FIRST_WORD = re.compile(r"^[\s(]*([A-Za-z]+)")
RULE = {"min_churn_probability": 0.5, "genders": ["F"]}


def churn_scores(customer_ids: list[str]) -> pd.Series:
    """Fixed, spread-out probabilities: 0.0, 0.1, ..., 0.9 by position in id order."""
    ids = sorted(customer_ids)
    return pd.Series([(i % 10) / 10 for i in range(len(ids))], index=ids)


def expected_members(customers: pd.DataFrame, scores: pd.Series) -> list[str]:
    """Women whose latest score is at least 0.5, computed in pandas."""
    women = set(customers.loc[customers["gender"] == "F", "customer_id"].astype(str))
    return sorted(c for c, p in scores.items() if p >= 0.5 and c in women)


@pytest.fixture
def two_stores(tmp_path) -> Iterator[tuple[Engine, Engine, list[str]]]:  # noqa: ANN001
    """A read-only DuckDB warehouse without churn_scores, a SQLite state store holding
    two scoring runs, and the list of statements the warehouse is sent."""
    url = f"duckdb:///{tmp_path}/warehouse.duckdb"
    with writable_warehouse(url) as engine:
        generate_demo_data(engine, customers=80, seed=7)
        with engine.begin() as conn:  # the scores can only come from the state store
            conn.execute(text("DROP TABLE IF EXISTS churn_scores"))
    warehouse = connect_warehouse(url)
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    share_state_with(warehouse, state)
    sent: list[str] = []
    event.listen(warehouse, "before_cursor_execute", lambda c, cur, sql, *rest: sent.append(sql))
    yield warehouse, state, sent
    warehouse.dispose()
    state.dispose()


def _customers(warehouse: Engine) -> pd.DataFrame:
    with warehouse.connect() as conn:
        return pd.read_sql(text("SELECT customer_id, gender FROM customers"), conn)


def _saved_members(state: Engine, name: str) -> list[str]:
    statement = (
        select(SegmentMember.customer_id)
        .join(SavedSegment, SavedSegment.segment_id == SegmentMember.segment_id)
        .where(SavedSegment.name == name)
    )
    with state.connect() as conn:
        return sorted(str(row[0]) for row in conn.execute(statement))


def _only_queries(sent: list[str]) -> None:
    assert sent, "nothing reached the warehouse"
    words = [(_FIRST_WORD.match(s) or [None, ""])[1].lower() for s in sent]
    writing = [s for s, w in zip(sent, words, strict=True) if w in WRITE_KEYWORDS]
    assert not writing, f"statements that write reached the warehouse: {writing}"


@pytest.mark.parametrize("sees_state", [True, False], ids=["duckdb-copy", "ids-like-spark"])
def test_a_churn_rule_segment_reads_the_state_stores_latest_scores(
    two_stores, monkeypatch, sees_state: bool
) -> None:  # noqa: ANN001
    warehouse, state, sent = two_stores
    customers = _customers(warehouse)
    scores = churn_scores(customers["customer_id"].astype(str).tolist())
    # An older run where everyone is at risk: only the latest run may count.
    save_scores(state, scores * 0 + 0.99, date(2026, 1, 1), "old")
    save_scores(state, scores, AS_OF, "test")
    if not sees_state:
        # What a Spark warehouse is: it cannot read the state tables (share_state_with
        # registers it so); the members then reach it as ids read from the state store.
        monkeypatch.setattr("tools.segments.saved.warehouse_sees_state", lambda engine: False)
    ctx = ToolContext(
        engine=warehouse, state=state, semantic_model=load_semantic_model(), as_of=AS_OF
    )
    sent.clear()
    out = define_segment(ctx, "At risk women", RULE)

    want = expected_members(customers, scores)
    assert 5 < len(want) < len(customers) / 2
    assert out.data["size"] == len(want)
    assert _saved_members(state, "At risk women") == want
    _only_queries(sent)
    if not sees_state:
        assert not [s for s in sent if "churn_scores" in s], "the warehouse was asked for scores"


def test_a_churn_rule_without_scores_scores_now_into_the_state_store(two_stores) -> None:  # noqa: ANN001
    """No scores anywhere: the rule scores the customers now (as predict_churn would) and
    stores them in the state store, never in the warehouse, and counts from them."""
    warehouse, state, sent = two_stores
    ctx = ToolContext(
        engine=warehouse, state=state, semantic_model=load_semantic_model(), as_of=AS_OF
    )
    sent.clear()
    out = define_segment(ctx, "none", RULE, save=False)

    assert out.data["churn_scored_now"]["as_of"] == (AS_OF - timedelta(days=1)).isoformat()
    with state.connect() as conn:
        stored = pd.read_sql(text("SELECT customer_id, probability FROM churn_scores"), conn)
    scores = pd.Series(stored["probability"].to_numpy(), index=stored["customer_id"].astype(str))
    assert out.data["size"] == len(expected_members(_customers(warehouse), scores))
    _only_queries(sent)
