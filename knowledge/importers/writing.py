"""Writing prepared frames into the store: upserts by key, import batches and the audit log.

An update is a delete of the keys that already exist followed by one bulk
insert, all inside the caller's transaction: one code path for DuckDB, SQLite
and PostgreSQL, fast because inserts go through `insert_frame`. Key lists are
sent in chunks so no statement exceeds a driver's parameter limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Literal

import pandas as pd
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    Numeric,
    Table,
    delete,
    select,
    tuple_,
)

from knowledge.store.bulk import insert_frame
from knowledge.store.database import new_id, utcnow
from knowledge.store.schema import AuditLog, ImportBatch

# Parameters per statement: SQLite allows 32766 and PostgreSQL 65535.
KEY_CHUNK = 10_000

UpsertMode = Literal["replace", "fill", "insert_missing"]


def conform(
    frame: pd.DataFrame, table: Table, defaults: dict[str, object] | None = None
) -> pd.DataFrame:
    """The frame with the table's column types, and defaults where values are missing.

    Column defaults in the schema are applied by SQLAlchemy only to ORM inserts,
    and `insert_frame` writes NULL for them, so they are filled in here.
    """
    out = pd.DataFrame(index=frame.index)
    fill = {
        c.name: c.default.arg
        for c in table.columns
        if c.default is not None and c.default.is_scalar
    }
    fill.update(defaults or {})
    for column in table.columns:
        name = column.name
        if name not in frame.columns and name not in fill:
            continue
        values = frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)
        values = _typed(values, column.type)
        if name in fill:
            values = values.where(values.notna(), fill[name])
        out[name] = values
    return out


def _typed(values: pd.Series, sql_type: object) -> pd.Series:
    if isinstance(sql_type, Boolean):
        return values.astype("boolean")
    if isinstance(sql_type, Integer):
        return pd.to_numeric(values.astype(object), errors="coerce").astype("Int64")
    if isinstance(sql_type, Numeric):
        return pd.to_numeric(values.astype(object), errors="coerce").astype("float64")
    if isinstance(sql_type, DateTime):
        return pd.to_datetime(values).astype("datetime64[us]")
    if isinstance(sql_type, Date):
        stamps = pd.to_datetime(values)
        # Date objects, so every driver binds a DATE rather than a timestamp.
        return pd.Series(
            [d.date() if pd.notna(d) else None for d in stamps], index=values.index, dtype=object
        )
    return values.astype(object).where(values.notna(), None)


def _chunks(keys: pd.DataFrame, key_cols: list[str]) -> Iterator[list]:
    size = KEY_CHUNK // len(key_cols)
    if len(key_cols) == 1:
        values = keys[key_cols[0]].tolist()
    else:
        values = [tuple(row) for row in keys[key_cols].itertuples(index=False)]
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _key_filter(table: Table, key_cols: list[str], chunk: list):
    if len(key_cols) == 1:
        return table.c[key_cols[0]].in_(chunk)
    return tuple_(*(table.c[c] for c in key_cols)).in_(chunk)


def fetch_rows(
    conn: Connection,
    table: Table,
    key_cols: list[str],
    keys: pd.DataFrame,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """The stored rows (all columns, or `columns`) whose keys are among `keys`."""
    wanted = [table.c[c] for c in (columns or [c.name for c in table.columns])]
    names = [c.name for c in wanted]
    rows: list = []
    unique = keys[key_cols].drop_duplicates()
    for chunk in _chunks(unique, key_cols):
        rows += conn.execute(select(*wanted).where(_key_filter(table, key_cols, chunk))).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=names)


def delete_rows(conn: Connection, table: Table, key_cols: list[str], keys: pd.DataFrame) -> None:
    """Delete the rows whose keys are among `keys`."""
    for chunk in _chunks(keys[key_cols].drop_duplicates(), key_cols):
        conn.execute(delete(table).where(_key_filter(table, key_cols, chunk)))


def upsert_frame(
    conn: Connection,
    table: Table,
    frame: pd.DataFrame,
    key_cols: list[str],
    mode: UpsertMode,
    defaults: dict[str, object] | None = None,
) -> tuple[int, int]:
    """Insert new keys and update existing ones; returns (inserted, updated).

    replace: the frame's columns overwrite the stored values, other columns keep theirs.
    fill: only the frame's non-missing values overwrite (never null out stored data).
    insert_missing: stored rows are left alone.
    """
    if frame.empty:
        return 0, 0
    frame = frame.reset_index(drop=True)
    columns = None if mode != "insert_missing" else key_cols
    existing = fetch_rows(conn, table, key_cols, frame, columns)
    if existing.empty:
        insert_frame(conn, table, conform(frame, table, defaults))
        return len(frame), 0
    stored = pd.MultiIndex.from_frame(existing[key_cols])
    is_stored = pd.MultiIndex.from_frame(frame[key_cols]).isin(stored)
    if mode == "insert_missing":
        new_rows = frame[~is_stored]
        insert_frame(conn, table, conform(new_rows, table, defaults))
        return len(new_rows), 0
    existing = conform(existing, table).set_index(key_cols)
    incoming = conform_partial(frame, table).set_index(key_cols)
    if mode == "fill":
        merged = incoming.combine_first(existing)
    else:
        kept = [c for c in existing.columns if c not in incoming.columns]
        merged = incoming.join(existing[kept], how="left")
    merged = merged.reset_index()
    delete_rows(conn, table, key_cols, frame[is_stored])
    insert_frame(conn, table, conform(merged, table, defaults))
    updated = int(is_stored.sum())
    return len(frame) - updated, updated


def conform_partial(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Like `conform`, but only the frame's own columns and no defaults (for merging)."""
    names = [c.name for c in table.columns if c.name in frame.columns]
    return pd.DataFrame({n: _typed(frame[n], table.c[n].type) for n in names}, index=frame.index)


def find_batch(conn: Connection, content_sha256: str, target: str) -> ImportBatch | None:
    """The earlier import of a byte-identical file into the same target, if any."""
    row = conn.execute(
        select(ImportBatch.__table__)
        .where(ImportBatch.content_sha256 == content_sha256, ImportBatch.target == target)
        .order_by(ImportBatch.imported_at)
    ).first()
    return row  # type: ignore[return-value]


def record_import(
    conn: Connection,
    *,
    target: str,
    file_name: str,
    content_sha256: str,
    rows: int,
    actor: str | None,
    detail: dict,
) -> str:
    """Write the import batch and its audit-log entry; returns the batch id."""
    import_id = new_id()
    now: datetime = utcnow()
    conn.execute(
        ImportBatch.__table__.insert().values(
            import_id=import_id,
            target=target,
            file_name=file_name[-500:],
            content_sha256=content_sha256,
            rows=rows,
            imported_at=now,
        )
    )
    conn.execute(
        AuditLog.__table__.insert().values(
            entry_id=new_id(),
            logged_at=now,
            actor=actor,
            action="import",
            detail=json.dumps({"import_id": import_id, **detail}, ensure_ascii=False, default=str),
        )
    )
    return import_id
