"""Saving segments (RFM, K-means personas) into `saved_segments` and `segment_members`.

A new run replaces the earlier segments of the same kind: rows whose name is
reused keep their segment id (updated in place), new names get new rows, and
earlier rows not produced again lose their members and are deleted. Members are
synchronised, not rewritten: only customers who left or joined a segment are
deleted or inserted, so re-saving (nearly) unchanged segments is cheap. That
matters on DuckDB, where committing the deletion of a million indexed member
rows takes about 20 seconds.

DuckDB cannot delete or rename a parent row whose child rows were deleted in the
same transaction (its foreign keys are checked against the transaction's start),
so on DuckDB the empty stale rows are deleted right after the commit; everything
a reader sees (names, sizes, members) still changes in the one transaction.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Select, and_, delete, exists, insert, select, update

from knowledge.presentation.numbers import format_count
from knowledge.store.bulk import insert_frame
from knowledge.store.database import new_id, utcnow
from knowledge.store.fetch import fetch_frame
from knowledge.store.schema import Customer, SavedSegment, SegmentMember
from knowledge.store.state import warehouse_sees_state
from knowledge.warehouse_mapping_reads import mapped_statement
from tools.base import ToolContext, ToolError, listed

_SEGMENTS = SavedSegment.__table__
_MEMBERS = SegmentMember.__table__

# Given {segment name: segment id}, a SELECT of the new (segment_id, customer_id) pairs.
MembersQuery = Callable[[dict[str, str]], Select]
_DELETE_CHUNK = 5_000
MAX_SEGMENT_NAME = 200
"""Characters of a segment name: the saved_segments.name column's length."""
# Members of a segment are computed by one scoring query; generous, as it runs inside a save.
_FETCH_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class NewSegment:
    """A segment to save: its name, definition (stored as JSON), size and, optionally, members."""

    name: str
    definition: dict[str, Any]
    size: int
    members: pd.Series | None = None  # customer ids; None when a MembersQuery gives them


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


@contextmanager
def duckdb_write_lock(engine: Engine) -> Iterator[None]:
    """Writes to one DuckDB database, one at a time within this process (elsewhere: no-op).

    DuckDB's optimistic concurrency fails the second of two transactions that
    touch the same rows ("Conflict on update"), and only one process can hold a
    DuckDB file open for writing, so a lock per database in this process makes
    concurrent saves (four segmentation questions at once) queue instead of fail.
    SQLite and PostgreSQL state stores queue in the database itself (see below).
    """
    if engine.dialect.name != "duckdb":
        yield
        return
    key = engine.url.render_as_string(hide_password=True)
    with _WRITE_LOCKS_GUARD:
        lock = _WRITE_LOCKS.setdefault(key, threading.Lock())
    with lock:
        yield


def check_segment_name(name: str) -> str:
    """The name stripped; a ToolError saying what to fix when it is empty or too long."""
    name = name.strip()
    if not name:
        raise ToolError.of("Give the segment a name.")
    if len(name) > MAX_SEGMENT_NAME:
        raise ToolError.of(
            "The segment name is {size} characters long (limit {limit}); choose a shorter name.",
            size=format_count(len(name)),
            limit=MAX_SEGMENT_NAME,
        )
    return name


def replace_segments(
    engine: Engine,
    kind: str,
    segments: list[NewSegment],
    *,
    replace_names: Collection[str] | None = None,
    members_query: MembersQuery | None = None,
    source: Engine | None = None,
) -> dict[str, str]:
    """Save `segments` as `kind`, replacing earlier ones; returns {name: segment id}.

    Earlier segments of `kind` are replaced: all of them, or only those named in
    `replace_names`. Members come from each segment's `members`, or, computed
    in the database, from `members_query`. A name already used by a segment of
    another kind is an error. `source` is the warehouse `members_query` reads; when it
    is another database than `engine` (the state store), the members are fetched
    from it and synchronised from the rows.

    The whole save is one transaction; on SQLite state stores it begins IMMEDIATE
    and on PostgreSQL it locks the segment table first, so concurrent saves queue
    instead of failing on the same new key.
    """
    names = [check_segment_name(s.name) for s in segments]
    by_name: pd.DataFrame | None = None
    if members_query is not None and source is not None and source is not engine:
        # Read the members before the save begins, keyed by name (ids are given out inside),
        # so the state store is locked only for the writes.
        query = members_query({name: name for name in names})
        by_name = fetch_frame(source, query, _FETCH_TIMEOUT_S).set_axis(
            ["segment", "customer_id"], axis=1
        )
    with duckdb_write_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"LOCK TABLE {_SEGMENTS.name} IN SHARE ROW EXCLUSIVE MODE")
        existing = conn.execute(
            select(_SEGMENTS.c.segment_id, _SEGMENTS.c.name, _SEGMENTS.c.kind)
        ).all()
        clash = sorted(n for _, n, k in existing if n in names and k != kind)
        if clash:
            raise ToolError.of(
                "A saved segment that is not {kind} already has the name {names}; "
                "rename or delete it first.",
                kind=kind,
                names=listed(clash),
            )
        earlier = {
            name: sid
            for sid, name, k in existing
            if k == kind and (replace_names is None or name in replace_names)
        }
        now = utcnow()
        ids: dict[str, str] = {}
        for segment in segments:
            values = {
                "definition": json.dumps(segment.definition, ensure_ascii=False, default=str),
                "size": int(segment.size),
                "updated_at": now,
            }
            if segment.name in earlier:
                ids[segment.name] = earlier[segment.name]
                conn.execute(
                    update(_SEGMENTS)
                    .where(_SEGMENTS.c.segment_id == ids[segment.name])
                    .values(**values)
                )
            else:
                ids[segment.name] = new_id()
                conn.execute(
                    insert(_SEGMENTS).values(
                        segment_id=ids[segment.name],
                        name=segment.name,
                        kind=kind,
                        created_at=now,
                        **values,
                    )
                )
        old_ids = list(earlier.values())
        if by_name is not None:
            new = by_name.assign(segment_id=by_name["segment"].map(ids))
            _sync_from_frame(conn, old_ids, new[["segment_id", "customer_id"]])
        elif members_query is not None:
            _sync_from_query(conn, old_ids, members_query(ids))
        else:
            frames = [
                pd.DataFrame({"segment_id": ids[s.name], "customer_id": s.members.astype(str)})
                for s in segments
                if s.members is not None
            ]
            new = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            _sync_from_frame(conn, old_ids, new)
        stale = [sid for name, sid in earlier.items() if name not in ids]
        if stale and conn.dialect.name != "duckdb":
            conn.execute(delete(_SEGMENTS).where(_SEGMENTS.c.segment_id.in_(stale)))
    if stale and engine.dialect.name == "duckdb":
        with duckdb_write_lock(engine), engine.begin() as conn:
            conn.execute(delete(_SEGMENTS).where(_SEGMENTS.c.segment_id.in_(stale)))
    return ids


def _sync_from_query(conn: Connection, old_ids: list[str], new: Select) -> None:
    """Members of the earlier segments become exactly the pairs `new` selects."""
    pairs = new.subquery("new_members")
    same = and_(
        pairs.c.segment_id == _MEMBERS.c.segment_id, pairs.c.customer_id == _MEMBERS.c.customer_id
    )
    if old_ids:
        conn.execute(
            delete(_MEMBERS).where(_MEMBERS.c.segment_id.in_(old_ids), ~exists().where(same))
        )
    conn.execute(
        insert(_MEMBERS).from_select(
            ["segment_id", "customer_id"],
            select(pairs.c.segment_id, pairs.c.customer_id).where(
                ~exists().where(same).correlate(pairs)
            ),
        )
    )


def _sync_from_frame(conn: Connection, old_ids: list[str], new: pd.DataFrame) -> None:
    """Members of the earlier segments become exactly the (segment_id, customer_id) rows of `new`."""
    columns = ["segment_id", "customer_id"]
    new = new.reindex(columns=columns).astype(str)
    old = pd.DataFrame(columns=columns)
    if old_ids:
        statement = select(_MEMBERS.c.segment_id, _MEMBERS.c.customer_id).where(
            _MEMBERS.c.segment_id.in_(old_ids)
        )
        old = _frame(conn, statement, columns).astype(str)
    diff = old.merge(new, on=columns, how="outer", indicator=True)
    removed = diff[diff["_merge"] == "left_only"]
    kept = set(diff.loc[diff["_merge"] == "both", "segment_id"])
    for segment_id, group in removed.groupby("segment_id"):
        where = _MEMBERS.c.segment_id == segment_id
        if segment_id not in kept:  # every member left: one statement, no id lists
            conn.execute(delete(_MEMBERS).where(where))
            continue
        customers = group["customer_id"].tolist()
        for start in range(0, len(customers), _DELETE_CHUNK):
            chunk = customers[start : start + _DELETE_CHUNK]
            conn.execute(delete(_MEMBERS).where(where, _MEMBERS.c.customer_id.in_(chunk)))
    added = diff.loc[diff["_merge"] == "right_only", columns]
    insert_frame(conn, _MEMBERS, added.reset_index(drop=True))


def _frame(conn: Connection, statement: Select, columns: list[str]) -> pd.DataFrame:
    """Rows of `statement` inside the caller's transaction; natively on DuckDB (no row objects)."""
    if conn.dialect.name == "duckdb":
        statement = mapped_statement(conn, statement)  # compiled here, not by conn.execute
        compiled = statement.compile(
            dialect=conn.dialect, compile_kwargs={"render_postcompile": True}
        )
        params = [compiled.params[name] for name in compiled.positiontup or []]
        raw = conn.connection.driver_connection
        return raw.execute(str(compiled), params).df().set_axis(columns, axis=1)
    return pd.DataFrame(conn.execute(statement).all(), columns=columns)


def saved_members(engine: Engine, name: str) -> pd.Series:
    """The customer ids of a saved segment by name (empty when there is no such segment)."""
    statement = (
        select(_MEMBERS.c.customer_id)
        .join(_SEGMENTS, _SEGMENTS.c.segment_id == _MEMBERS.c.segment_id)
        .where(_SEGMENTS.c.name == name)
        .order_by(_MEMBERS.c.customer_id)
    )
    with engine.connect() as conn:
        return pd.Series([row[0] for row in conn.execute(statement)], name="customer_id")


def read_saved(ctx: ToolContext, statement: Select) -> list[Any]:
    """Rows of a query on `saved_segments` / `segment_members`, read from the state store.

    Saved segments are written to the copilot's own state store (`ctx.state_engine`);
    a separate warehouse (Spark) has no such tables, and the embedded DuckDB
    warehouse only sees a copy of them. So reads about saved segments go there.
    """
    with ctx.state_engine.connect() as conn:
        return list(conn.execute(statement).all())


def members_for_warehouse(ctx: ToolContext, members: Select) -> Select:
    """A SELECT customer_id for warehouse queries, from `members` (a SELECT over the state tables).

    Where the warehouse sees the state tables (the embedded store) it is `members`
    itself; elsewhere (Spark) the ids are read from the state store and the
    warehouse gets `SELECT customer_id FROM customers WHERE customer_id IN (ids)`,
    one bound value per member (nothing is written to the warehouse).
    """
    if warehouse_sees_state(ctx.engine):
        return members
    ids = sorted({str(row[0]) for row in read_saved(ctx, members)})
    return select(Customer.customer_id).where(Customer.customer_id.in_(ids))


def latest_rfm_run(ctx: ToolContext) -> dict[str, str] | None:
    """The saved RFM run ({as_of, saved}: its reference date and the day it was saved),
    or None when no RFM segmentation is saved: what an RFM-segment filter or breakdown uses."""
    statement = select(SavedSegment.definition, SavedSegment.updated_at).where(
        SavedSegment.kind == "rfm"
    )
    rows = read_saved(ctx, statement)
    if not rows:
        return None
    definition, saved = max(rows, key=lambda row: row[1])
    as_of = json.loads(definition or "{}").get("as_of")
    return {"as_of": str(as_of or ""), "saved": saved.date().isoformat()}
