"""Long segment names: a clear error at save time; exports of long names get safe file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, insert, select

from knowledge.semantic import load_semantic_model
from knowledge.store.database import new_id, utcnow
from knowledge.store.schema import Customer, SavedSegment, SegmentMember
from tests.conftest import AS_OF
from tools.audience_export import export_audience
from tools.base import ToolContext, ToolError
from tools.segments.rules import define_segment
from tools.segments.saved import MAX_SEGMENT_NAME


def context(engine: Engine, exports: Path | None = None) -> ToolContext:
    return ToolContext(
        engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF, exports_dir=exports
    )


def test_a_300_character_name_is_refused_with_a_clear_error(duckdb_demo_engine: Engine) -> None:
    with pytest.raises(ToolError, match=f"300 characters long \\(limit {MAX_SEGMENT_NAME}\\)"):
        define_segment(context(duckdb_demo_engine), "w" * 300, {"genders": ["F"]})
    with pytest.raises(ToolError, match="name"):
        define_segment(context(duckdb_demo_engine), "   ", {"genders": ["F"]})


@pytest.mark.parametrize("name", ["长" * 300, "Sale " * 59 + "Sale", "a/../../" * 40])
def test_export_of_a_long_name_writes_a_short_safe_file(
    duckdb_demo_engine: Engine, tmp_path: Path, name: str
) -> None:
    # A store written by an earlier version (DuckDB does not enforce the column length).
    with duckdb_demo_engine.begin() as conn:
        customers = (
            conn.execute(
                select(Customer.customer_id).where(Customer.consent_sms.is_(True)).limit(5)
            )
            .scalars()
            .all()
        )
        segment_id = new_id()
        now = utcnow()
        conn.execute(
            insert(SavedSegment).values(
                segment_id=segment_id,
                name=name,
                kind="rule",
                definition="{}",
                size=5,
                created_at=now,
                updated_at=now,
            )
        )
        conn.execute(
            insert(SegmentMember), [{"segment_id": segment_id, "customer_id": c} for c in customers]
        )
    try:
        ctx = context(duckdb_demo_engine, tmp_path)
        out = export_audience(ctx, name, "sms", raw=True, hashed=True)
    finally:  # the demo store is shared by the session's tests
        with duckdb_demo_engine.begin() as conn:
            conn.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment_id))
        with duckdb_demo_engine.begin() as conn:
            conn.execute(delete(SavedSegment).where(SavedSegment.segment_id == segment_id))
    for path in map(Path, out.data["files"].values()):
        assert path.exists() and path.parent == tmp_path
        assert len(path.name.encode("utf-8")) < 255


def test_concurrent_saves_on_a_duckdb_state_store_queue(tmp_path: Path) -> None:
    """Issue 17 item 7 on a single DuckDB store (state and warehouse in one file, as the
    load benchmark and embedded set-ups run): concurrent RFM saves and churn scores used
    to fail with "Conflict on update"."""
    import threading
    from datetime import date

    import pandas as pd

    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store
    from tools.churn.store import save_scores
    from tools.segments.saved import NewSegment, replace_segments

    engine = connect_store(f"duckdb:///{tmp_path}/store.duckdb")
    generate_demo_data(engine, customers=200, seed=3)
    with engine.connect() as conn:
        ids = pd.Series(conn.execute(select(Customer.customer_id)).scalars().all())
    errors: list[BaseException] = []

    def save(index: int) -> None:
        try:
            for _ in range(3):
                half = ids.sample(frac=0.5, random_state=index)
                segments = [
                    NewSegment("Champions", {"method": "rfm"}, len(half), half),
                    NewSegment(
                        "At Risk", {"method": "rfm"}, len(ids) - len(half), ids.drop(half.index)
                    ),
                ]
                replace_segments(engine, "rfm", segments)
                save_scores(engine, pd.Series(0.5, index=ids), date(2026, 11, 1), f"v{index}")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    with engine.connect() as conn:
        names = conn.execute(select(SavedSegment.name).where(SavedSegment.kind == "rfm")).scalars()
        assert sorted(names) == ["At Risk", "Champions"]
    engine.dispose()
