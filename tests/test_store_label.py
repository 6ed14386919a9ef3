"""The store says itself whether it holds demo data, and what it is missing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from copilot.store_label import store_label
from knowledge.demo import generate_demo_data
from knowledge.demo.marker import (
    DEMO_MARKER,
    adopt_legacy_store,
    clear_demo_marker,
    ensure_marker_table,
)
from knowledge.store import connect_store, reset_business_data
from knowledge.store.schema import ImportBatch


@pytest.fixture(params=["duckdb", "sqlite"])
def engine(request, tmp_path: Path) -> Engine:  # noqa: ANN001
    suffix = "duckdb" if request.param == "duckdb" else "sqlite"
    engine = connect_store(f"{request.param}:///{tmp_path}/store.{suffix}")
    yield engine
    engine.dispose()


def test_the_demo_generator_writes_its_note(engine: Engine) -> None:
    generate_demo_data(engine, customers=30, seed=5, end_date=date(2026, 6, 30))
    label = store_label(engine)
    assert label.kind == "demo"
    assert label.empty_tables == ()
    assert label.to_json() == {
        "kind": "demo",
        "empty_tables": [],
        "demo": {"customers": 30, "seed": 5, "end_date": "2026-06-30"},
    }
    assert "30 made-up customers" in label.note("en")
    assert "演示数据" in label.note("zh")
    assert label.badge and "demo" in label.badge


def test_an_empty_store_says_how_to_get_data(engine: Engine) -> None:
    label = store_label(engine)
    assert label.kind == "empty"
    assert "orders" in label.empty_tables and len(label.empty_tables) == 7
    note = label.note("en")
    assert "copilot import" in note and "copilot demo-data" in note
    assert "copilot demo-data" in label.note("zh")


def test_a_store_with_only_campaigns_is_the_users_and_names_what_is_missing(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO campaigns (campaign_id, name, channel, start_date, end_date, cost) "
                "VALUES ('C1', 'Spring', 'sms', '2026-03-01', '2026-03-10', 100)"
            )
        )
    label = store_label(engine)
    assert label.kind == "user" and label.demo is None
    assert "campaigns" not in label.empty_tables and "orders" in label.empty_tables
    assert "No rows yet in customers, products, orders" in label.note("en")


def test_deleting_the_demo_data_clears_the_note(engine: Engine) -> None:
    generate_demo_data(engine, customers=20, seed=1)
    reset_business_data(engine)
    clear_demo_marker(engine)
    assert store_label(engine).kind == "empty"
    generate_demo_data(engine, customers=25, seed=2)
    assert store_label(engine).to_json()["demo"]["customers"] == 25


def _drop_note_table(engine: Engine) -> None:
    """What a store written by a version without the note looks like."""
    with engine.begin() as conn:
        DEMO_MARKER.drop(conn)


def test_an_older_versions_first_start_store_is_adopted_as_demo_once(engine: Engine) -> None:
    generate_demo_data(engine, customers=20, seed=3)
    _drop_note_table(engine)
    assert store_label(engine).kind == "user"  # no note: nothing to go on yet
    assert adopt_legacy_store(engine) is True
    label = store_label(engine)
    assert label.kind == "demo"
    demo = label.to_json()["demo"]
    assert (demo["customers"], demo["seed"]) == (20, None)  # the seed is not known afterwards
    with engine.connect() as conn:  # the last day is the latest order's
        last = conn.execute(text("SELECT MAX(order_date) FROM orders")).scalar_one()
    assert demo["end_date"] == str(last)[:10]
    assert adopt_legacy_store(engine) is False  # once


def test_an_older_store_with_recorded_imports_is_not_called_demo(engine: Engine) -> None:
    generate_demo_data(engine, customers=20, seed=3)
    _drop_note_table(engine)
    with engine.begin() as conn:
        conn.execute(
            ImportBatch.__table__.insert().values(
                import_id="b1",
                target="transactions",
                file_name="sales.csv",
                content_sha256="0" * 64,
                rows=10,
                imported_at=datetime(2026, 1, 1),
            )
        )
    assert adopt_legacy_store(engine) is False
    assert store_label(engine).kind == "user"


def test_a_store_this_version_opened_is_never_adopted(engine: Engine) -> None:
    ensure_marker_table(engine)  # what open_store and `copilot import` do first
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO orders (order_id, customer_id, order_date, ordered_at, status, "
                "channel, total) VALUES ('o1', 'c1', '2026-01-02', '2026-01-02 10:00:00', "
                "'completed', 'online', 10)"
            )
        )
    assert adopt_legacy_store(engine) is False
    assert store_label(engine).kind == "user"
