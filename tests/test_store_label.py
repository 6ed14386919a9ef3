"""The store says itself whether it holds demo data, and what it is missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from copilot.store_label import store_label
from knowledge.demo import generate_demo_data
from knowledge.demo.marker import DEMO_MARKER, clear_demo_marker
from knowledge.store import connect_store, reset_business_data


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
    assert label.badge() == "demo data (made-up numbers)"
    assert label.badge("zh") == "演示数据（虚构数字）"


def test_an_empty_store_says_how_to_get_data(engine: Engine) -> None:
    label = store_label(engine)
    assert label.kind == "empty"
    assert "orders" in label.empty_tables and len(label.empty_tables) == 7
    note = label.note("en")
    assert "copilot import" in note and "copilot demo-data" in note
    assert "copilot demo-data" in label.note("zh")
    assert label.badge("zh") == "数据库为空：请在 Data 标签页导入数据"


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


def test_an_older_versions_demo_store_is_recognised_by_its_catalogue(engine: Engine) -> None:
    generate_demo_data(engine, customers=20, seed=3)
    _drop_note_table(engine)  # as an older version wrote it: no note
    label = store_label(engine)
    assert label.kind == "demo"
    demo = label.to_json()["demo"]
    assert (demo["customers"], demo["seed"]) == (20, None)  # the seed is not known afterwards
    with engine.connect() as conn:  # the last day is the latest order's
        last = conn.execute(text("SELECT MAX(order_date) FROM orders")).scalar_one()
    assert demo["end_date"] == str(last)[:10]


def test_a_store_without_the_note_and_with_other_products_is_the_users(engine: Engine) -> None:
    generate_demo_data(engine, customers=20, seed=3)
    _drop_note_table(engine)
    with engine.begin() as conn:  # the user's own product imported on top
        conn.execute(
            text("INSERT INTO products (sku, name_en, price) VALUES ('MY-1', 'My own soap', 9)")
        )
    assert store_label(engine).kind == "user"


def test_the_demo_note_goes_only_with_figures_read_from_the_store(engine: Engine) -> None:
    from copilot.answer import Answer, ToolCallRecord

    generate_demo_data(engine, customers=30, seed=5, end_date=date(2026, 6, 30))
    label = store_label(engine)

    def answer(status: str, *calls: ToolCallRecord) -> Answer:
        return Answer("…", "offline", "c", tool_calls=list(calls), status=status)  # type: ignore[arg-type]

    metrics = ToolCallRecord("query_metrics", {"metrics": ["revenue"]})
    assert "made-up customers" in label.note("en", answer("answered", metrics))
    assert "演示数据" in label.note("zh", answer("answered", metrics))
    counts = ToolCallRecord("ab_test", {"counts": {"A": [30, 0], "B": [30, 4]}})
    no_figures = [
        answer("refused"),
        answer("clarify"),
        answer("answered"),
        answer("answered", counts),
        answer("answered", ToolCallRecord("ab_sample_size", {"baseline_rate": 0.1})),
        answer("answered", ToolCallRecord("query_metrics", {}, error="unknown metric")),
        answer("refused", metrics),
    ]
    for each in no_figures:
        assert label.note("en", each) is None, each
    store_ab = ToolCallRecord("ab_test", {"campaign": "Double 11"})
    assert "made-up customers" in label.note("en", answer("answered", store_ab))


def test_the_notes_come_from_the_catalogue(marked_catalogue: str) -> None:
    """Every sentence of a note is read from the message catalogue, in either language."""
    from copilot.store_label import StoreLabel
    from knowledge.demo.marker import DemoMarker

    demo = DemoMarker(customers=12000, seed=1, end_date=None, created_at=None)
    assert StoreLabel("demo", ("reviews",), demo).note(marked_catalogue) == (
        "⟦以上数字来自演示数据（虚构的 12,000 位客户），不是您的数据。⟧ "
        "⟦这些表还没有数据：reviews；与之相关的问题无从计算。⟧"
    )
    empty = StoreLabel("empty", ("orders",)).note(marked_catalogue)
    assert empty.startswith("⟦数据库是空的：⟦用 `copilot import transactions 文件`")
    assert empty.endswith("⟦或用 `copilot demo-data` 生成演示数据试用⟧。⟧")
    assert StoreLabel("demo", ()).note("en") == (
        "These numbers come from the demo data (made-up customers), not your own."
    )
