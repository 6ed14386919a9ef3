"""Statements per question: the value index and store summary come from a cache.

Counted with a SQLAlchemy before_cursor_execute listener on the warehouse engine
(the DuckDB fast path fires it too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from copilot.agent import Copilot
from copilot.settings import Settings
from knowledge.semantic import load_semantic_model
from knowledge.store import connect_store
from knowledge.store import facts_cache as facts_module
from knowledge.store.facts_cache import FactsCache
from knowledge.store.state import connect_state
from tests.conftest import AS_OF


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def settings(home: Path) -> Settings:
    return Settings(home=home, as_of=AS_OF, llm_provider="offline")


def test_a_metric_question_on_a_warm_cache_sends_few_statements(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    # The copilot's own rows go to their own store, as in a real home: the warehouse file
    # is only read, so its stamp holds between the two runs.
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    with counted(duckdb_demo_engine) as cold:
        Copilot(settings(tmp_path), engine=duckdb_demo_engine, state=state).ask(
            "What was revenue last month?"
        )
    with counted(duckdb_demo_engine) as warm:
        copilot = Copilot(settings(tmp_path), engine=duckdb_demo_engine, state=state)
        start_up = len(warm)
        answer = copilot.ask("What was revenue last month?")
    assert answer.status == "answered"
    # Cold: a SELECT DISTINCT per dimension column, the row counts, the span ...
    assert len(cold) >= 15
    # Warm: no value index or summary statement; the question itself sends at most 3
    # (anchor date, festival windows, the metric query); start-up reads the currency.
    index_or_summary = [
        s for s in warm if ("DISTINCT" in s.upper() and "currency" not in s) or "count(*)" in s
    ]
    assert not index_or_summary
    assert start_up <= 2, warm[:start_up]
    assert len(warm) - start_up <= 3, warm[start_up:]


def add_customer(engine: Engine, customer_id: str, city: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customers (customer_id, city, consent_email, consent_sms, "
                "consent_push, consent_social) VALUES (:id, :city, false, false, false, false)"
            ),
            {"id": customer_id, "city": city},
        )


def small_store(path: Path) -> Engine:
    engine = connect_store(f"duckdb:///{path}")
    add_customer(engine, "c1", "Hangzhou")
    add_customer(engine, "c2", "Suzhou")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO orders (order_id, customer_id, ordered_at, order_date, status, total) "
                "VALUES ('o1', 'c1', TIMESTAMP '2026-01-02 10:00', DATE '2026-01-02', "
                "'completed', 12.50)"
            )
        )
    return engine


def cities(facts) -> set[str]:  # noqa: ANN001
    return {value for dimension, value, _ in facts.values if dimension == "city"}


def test_embedded_file_is_reread_only_when_it_changes(tmp_path: Path) -> None:
    engine = small_store(tmp_path / "store.duckdb")
    model = load_semantic_model()
    cache = FactsCache(tmp_path / "cache")
    first = cache.facts(engine, model)
    assert cities(first) == {"Hangzhou", "Suzhou"}
    assert first.counts["orders"] == 1 and first.latest_valid_order == "2026-01-02"
    with counted(engine) as statements:
        again = cache.facts(engine, model)
    assert statements == [] and cities(again) == cities(first)
    add_customer(engine, "c3", "Ningbo")  # as an import would: the file's stamp changes
    engine.dispose()
    assert "Ningbo" in cities(cache.facts(engine, model))


def test_server_warehouse_is_fingerprinted_at_most_every_max_age(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As for a server: no file to stamp, so the row counts are the fingerprint.
    monkeypatch.setattr(facts_module, "_file_fingerprint", lambda engine: None)
    engine = small_store(tmp_path / "store.duckdb")
    model = load_semantic_model()
    patient = FactsCache(tmp_path / "cache", max_age_s=3600)
    patient.facts(engine, model)
    add_customer(engine, "c3", "Ningbo")
    with counted(engine) as statements:
        trusted = patient.facts(engine, model)
    assert statements == [] and "Ningbo" not in cities(trusted)  # within max age: not asked
    eager = FactsCache(tmp_path / "cache", max_age_s=0)
    with counted(engine) as statements:
        fresh = eager.facts(engine, model)
    assert "Ningbo" in cities(fresh)
    with counted(engine) as statements:
        eager.facts(engine, model)
    assert len(statements) == 1  # unchanged: only the fingerprint statement


def test_saved_segment_names_are_not_frozen_in_the_cache(tmp_path: Path) -> None:
    engine = small_store(tmp_path / "store.duckdb")
    model = load_semantic_model()
    facts = FactsCache(tmp_path / "cache").facts(engine, model)
    assert not {d for d, _, _ in facts.values} & {"rfm_segment", "segment"}
