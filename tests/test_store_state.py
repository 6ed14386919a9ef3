"""The two stores: the copilot's state apart from the warehouse, shared, migrated, and joinable."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from copilot.agent import Copilot
from copilot.bootstrap import open_stores
from copilot.conversations import finish_turn, load_turns, start_turn
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.demo.marker import DEMO_MARKER
from knowledge.store import connect_store
from knowledge.store.database import connect_warehouse, writable_warehouse
from knowledge.store.schema import BUSINESS_TABLES, STATE_TABLES, SavedSegment, SegmentMember
from knowledge.store.state import connect_state, migrate_state, share_state_with
from tools.segments import NewSegment, replace_segments

AS_OF = date(2026, 11, 1)
CUSTOMERS = 300


def settings_for(home: Path, **extra: object) -> Settings:
    return Settings(
        home=home, as_of=AS_OF, demo_customers=CUSTOMERS, demo_seed=5, store_wait_s=60, **extra
    )


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:  # noqa: ANN001
    """A home whose embedded warehouse holds a small demo store (made once)."""
    home = tmp_path_factory.mktemp("two-stores")
    open_stores(settings_for(home))
    return home


def test_tables_are_split_between_the_stores() -> None:
    business = {model.__tablename__ for model in BUSINESS_TABLES}
    state = {model.__tablename__ for model in STATE_TABLES}
    assert not business & state
    assert {"conversations", "saved_segments", "segment_members", "churn_scores"} <= state
    assert {"import_batches", "audit_log", "copy_drafts", "conversation_messages"} <= state


def test_first_start_creates_a_warehouse_without_state_tables(demo_home: Path) -> None:
    warehouse = connect_warehouse(f"duckdb:///{demo_home}/store.duckdb")
    names = set(inspect(warehouse).get_table_names())
    warehouse.dispose()
    # Only the user's data, plus the demo generator's note that this data is the demo's.
    assert names == {model.__tablename__ for model in BUSINESS_TABLES} | {DEMO_MARKER.name}
    state = connect_state(f"sqlite:///{demo_home}/state.sqlite")
    with state.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    state.dispose()


def test_questions_write_only_to_the_state_store(demo_home: Path) -> None:
    stores = open_stores(settings_for(demo_home))
    copilot = Copilot(settings_for(demo_home), engine=stores.warehouse, state=stores.state)
    answer = copilot.ask("Run RFM segmentation", conversation_id="split-1")
    assert answer.error is None and answer.tool_calls[0].error is None
    # Segment membership joins the warehouse's orders with the state's members.
    by_segment = copilot.ask("Revenue last month by RFM segment", conversation_id="split-1")
    assert by_segment.error is None, by_segment.text
    frame = by_segment.tables[0].frame
    with stores.state.connect() as conn:
        names = set(conn.execute(select(SavedSegment.name)).scalars())
        members = conn.execute(select(func.count()).select_from(SegmentMember)).scalar_one()
    assert set(frame["rfm_segment"]) <= names and members > 0
    assert [t["role"] for t in load_turns(stores.state, "split-1")] == ["user", "assistant"] * 2
    # The warehouse file was opened read-only throughout: it still has no state tables.
    assert "segment_members" not in inspect(stores.warehouse).get_table_names()


def test_a_segment_saved_mid_session_is_seen_by_the_next_warehouse_query(demo_home: Path) -> None:
    stores = open_stores(settings_for(demo_home))
    with stores.warehouse.connect() as conn:
        customers = [r[0] for r in conn.execute(text("SELECT customer_id FROM customers LIMIT 7"))]

    def members_of(name: str) -> int:
        query = text(
            "SELECT count(*) FROM segment_members m JOIN saved_segments s "
            "ON s.segment_id = m.segment_id JOIN customers c ON c.customer_id = m.customer_id "
            "WHERE s.name = :name"
        )
        with stores.warehouse.connect() as conn:
            return conn.execute(query, {"name": name}).scalar_one()

    assert members_of("Mid session") == 0
    import pandas as pd

    segment = NewSegment("Mid session", {"method": "rule"}, 7, pd.Series(customers))
    replace_segments(stores.state, "rule", [segment], replace_names={"Mid session"})
    assert members_of("Mid session") == 7


def test_concurrent_segmentation_questions_do_not_conflict(demo_home: Path) -> None:
    """Issue 17 item 7: four segmentation questions at once on one copilot."""
    settings = settings_for(demo_home)
    stores = open_stores(settings)
    copilot = Copilot(settings, engine=stores.warehouse, state=stores.state)
    questions = [
        "Run RFM segmentation",
        "Run RFM segmentation",
        "Which customers are likely to churn?",
        "Run RFM segmentation",
    ]
    answers: dict[int, object] = {}

    def ask(index: int, question: str) -> None:
        answers[index] = copilot.ask(question, conversation_id=f"concurrent-{index}")

    threads = [threading.Thread(target=ask, args=pair) for pair in enumerate(questions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(answers) == 4
    for answer in answers.values():
        assert answer.error is None, answer.text  # type: ignore[attr-defined]
        for call in answer.tool_calls:  # type: ignore[attr-defined]
            assert call.error is None, call.error
    with stores.state.connect() as conn:
        rows = conn.execute(select(SavedSegment.name).where(SavedSegment.kind == "rfm")).all()
        churn = conn.execute(text("SELECT count(DISTINCT customer_id) FROM churn_scores")).scalar()
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)) and "Champions" in names
    assert churn > 0


def test_a_home_of_the_previous_version_is_migrated_once(tmp_path: Path) -> None:
    """The previous layout kept conversations and segments inside the DuckDB file."""
    old = connect_store(f"duckdb:///{tmp_path}/store.duckdb")  # every table, one file
    generate_demo_data(old, customers=60, seed=3)
    start_turn(old, "old-chat", "What was revenue last month?", "cli")
    finish_turn(old, "old-chat", "Revenue was 1.", {"mode": "offline"})
    with old.connect() as conn:
        some = [r[0] for r in conn.execute(text("SELECT customer_id FROM customers LIMIT 3"))]
    import pandas as pd

    replace_segments(old, "rule", [NewSegment("Old VIPs", {"method": "rule"}, 3, pd.Series(some))])
    old.dispose()

    stores = open_stores(settings_for(tmp_path))
    assert [t["content"] for t in load_turns(stores.state, "old-chat")] == [
        "What was revenue last month?",
        "Revenue was 1.",
    ]
    with stores.warehouse.connect() as conn:  # and questions see the migrated segment
        query = "SELECT count(*) FROM segment_members m JOIN saved_segments s USING (segment_id)"
        assert conn.execute(text(query + " WHERE s.name = 'Old VIPs'")).scalar_one() == 3
    stores.warehouse.dispose()
    # A second start copies nothing again.
    assert migrate_state(stores.warehouse, stores.state) == {}
    again = open_stores(settings_for(tmp_path))
    assert len(load_turns(again.state, "old-chat")) == 2


def test_sqlite_warehouse_sees_the_state_through_an_attached_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/warehouse.sqlite"
    with writable_warehouse(url) as engine:
        generate_demo_data(engine, customers=60, seed=3)
    warehouse = connect_warehouse(url)
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    share_state_with(warehouse, state)
    with warehouse.connect() as conn:
        some = [r[0] for r in conn.execute(text("SELECT customer_id FROM customers LIMIT 4"))]
    import pandas as pd

    replace_segments(state, "rule", [NewSegment("Four", {"method": "rule"}, 4, pd.Series(some))])
    query = text(
        "SELECT count(*) FROM segment_members m JOIN customers c USING (customer_id) "
        "JOIN saved_segments s USING (segment_id) WHERE s.name = 'Four'"
    )
    with warehouse.connect() as conn:
        assert conn.execute(query).scalar_one() == 4
    assert "segment_members" not in inspect(warehouse).get_table_names()


def test_state_setting_defaults(tmp_path: Path) -> None:
    assert settings_for(tmp_path).state_store_url == f"sqlite:///{tmp_path}/state.sqlite"
    postgres = "postgresql+psycopg://u:p@db/shop"
    assert settings_for(tmp_path, database_url=postgres).state_store_url == postgres
    chosen = "postgresql+psycopg://u:p@db/copilot"
    assert settings_for(tmp_path, state_url=chosen).state_store_url == chosen


def test_concurrent_saves_of_a_new_segment_name_queue_instead_of_colliding(
    tmp_path: Path,
) -> None:
    """Without BEGIN IMMEDIATE, both writers see no 'Same name' yet and one fails on the key."""
    import pandas as pd

    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    errors: list[str] = []
    barrier = threading.Barrier(6)

    def save(index: int) -> None:
        barrier.wait()
        try:
            segment = NewSegment("Same name", {"run": index}, 2, pd.Series(["a", "b"]))
            replace_segments(state, "rule", [segment], replace_names={"Same name"})
        except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
            errors.append(repr(exc))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with state.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM saved_segments")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM segment_members")).scalar_one() == 2


def test_a_saved_segment_is_known_next_question_without_querying_the_warehouse(
    demo_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a tool saves a segment only the state's values are read again: the segment's
    name is recognised in the next question, and the warehouse's values are not queried
    (neither read live nor through the facts cache)."""
    import copilot.offline.values as values_module

    stores = open_stores(settings_for(demo_home))
    copilot = Copilot(settings_for(demo_home), engine=stores.warehouse, state=stores.state)
    before = dict(copilot.values.entries)
    read_from: list[object] = []
    real = values_module.dimension_values

    def counted(engine, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        read_from.append(engine)
        return real(engine, *args, **kwargs)

    monkeypatch.setattr(values_module, "dimension_values", counted)
    facts = []
    monkeypatch.setattr(copilot.facts_cache, "facts", lambda *a: facts.append(a))
    answer = copilot.ask(
        "save women in Shanghai as a segment called Reread Ladies", conversation_id="reread-1"
    )
    assert [c.name for c in answer.tool_calls] == ["define_segment"], answer.text
    assert answer.tool_calls[0].error is None
    assert read_from == [stores.state] and facts == []
    # Every warehouse value is still there, and the saved name is a value now.
    assert before.items() <= copilot.values.entries.items()
    assert copilot.values.entries.get("reread ladies") == ("segment", "Reread Ladies")
    follow = copilot.ask("revenue last month for Reread Ladies", "reread-2")
    assert follow.tool_calls, follow.text
    call = follow.tool_calls[0]
    assert call.name == "query_metrics", follow.text
    assert "Reread Ladies" in str(call.args.get("filters")), call.args
