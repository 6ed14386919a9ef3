"""The warehouse's slow-changing facts (value index, row counts, date span), cached on disk.

Building them takes ~25 statements (one SELECT DISTINCT per dimension column,
the row counts, the order span): on a cluster each is a round trip. They change
only when data is loaded, so they are kept in a JSON file under the home
directory, keyed by the warehouse URL (without password), the mapping and the
semantic model's dimensions, and reused while the warehouse's fingerprint holds:

- the embedded DuckDB file: its size and modification time (and its WAL's), read
  from the file system: no statement at all, and any import or demo-data run
  (which writes the file) refreshes the cache on the next start;
- any other warehouse: row counts and the latest order date in one statement,
  checked at most every `max_age_s` seconds (COPILOT_WAREHOUSE_CACHE_S); within
  that window the cached facts are used without asking the warehouse.

A cache file that cannot be read or written is ignored (the facts are then read
from the warehouse, as without a cache): the cache only saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from knowledge.semantic.model import SemanticModel
from knowledge.semantic.values import dimension_values, reads_state
from knowledge.store.summary import order_span, render_summary, table_counts
from knowledge.warehouse_mapping import ENTITIES, MappingError, WarehouseMapping
from knowledge.warehouse_mapping_check import mapping_report

# Bump when the JSON layout changes, so an old file is rebuilt instead of misread.
CACHE_VERSION = 2  # 2: the latest valid order counts guest orders
DEFAULT_MAX_AGE_S = 300.0


@dataclass
class WarehouseFacts:
    """What the copilot reads once from the warehouse: counts, order span, dimension values."""

    counts: dict[str, int]
    first_order: str | None
    last_order: str | None
    latest_valid_order: str | None
    # (dimension, stored value, alias such as the Chinese category name), for the
    # dimensions over warehouse data; saved-segment names live in the state, read live.
    values: list[tuple[str, str, str | None]] = field(default_factory=list)

    @classmethod
    def read(cls, engine: Engine, model: SemanticModel) -> WarehouseFacts:
        """Read every fact from the warehouse (about 2 + one per dimension column statements).

        A mapped warehouse is checked first (the start-up check): a MappingError lists
        every missing table, column or wrong type with the mapping line to fix.
        """
        tables = model.warehouse
        if not tables.is_identity:
            ok, report = mapping_report(engine, tables)
            if not ok:
                raise MappingError(report)
        first, last, latest = order_span(engine, tables)
        return cls(
            counts=table_counts(engine, tables),
            first_order=_iso(first),
            last_order=_iso(last),
            latest_valid_order=_iso(latest),
            values=list(dimension_values(engine, model, lambda d: not reads_state(model, d))),
        )

    def summary(self) -> str:
        """The store summary text (knowledge.store.summary.store_summary's)."""
        first = date.fromisoformat(self.first_order) if self.first_order else None
        last = date.fromisoformat(self.last_order) if self.last_order else None
        return render_summary(self.counts, first, last)


class FactsCache:
    """Warehouse facts in `directory`, refreshed when the warehouse's fingerprint changes."""

    def __init__(self, directory: Path, max_age_s: float = DEFAULT_MAX_AGE_S) -> None:
        self.directory = directory
        self.max_age_s = max_age_s

    def facts(self, engine: Engine, model: SemanticModel) -> WarehouseFacts:
        """The cached facts when still current, else freshly read (and stored).

        An in-memory database has no identity across runs: its facts are always read.
        """
        if engine.url.database in (None, "", ":memory:") and engine.dialect.name in (
            "duckdb",
            "sqlite",
        ):
            return WarehouseFacts.read(engine, model)
        path = self.directory / f"warehouse-{_key(engine, model)}.json"
        stored = _load(path)
        local = _file_fingerprint(engine)
        now = time.time()
        if stored is not None:
            if local is not None and stored["fingerprint"] == local:
                return _facts(stored)
            if local is None and now - stored["checked_at"] < self.max_age_s:
                return _facts(stored)
        fingerprint = local or remote_fingerprint(engine, model.warehouse)
        if stored is not None and stored["fingerprint"] == fingerprint:
            stored["checked_at"] = now
            _save(path, stored)
            return _facts(stored)
        facts = WarehouseFacts.read(engine, model)
        _save(
            path,
            {
                "version": CACHE_VERSION,
                "fingerprint": fingerprint,
                "checked_at": now,
                "facts": asdict(facts),
            },
        )
        return facts


def remote_fingerprint(engine: Engine, tables: WarehouseMapping) -> str:
    """Row counts of every business table and the latest order time, in one statement."""
    orders = tables.table("orders")
    parts = [
        select(func.count()).select_from(tables.table(name)).scalar_subquery().label(name)
        for name in ENTITIES
    ]
    latest = select(func.max(orders.c.ordered_at)).scalar_subquery().label("latest")
    with engine.connect() as conn:
        row = conn.execute(select(*parts, latest)).one()
    return "|".join(str(value) for value in row)


def _file_fingerprint(engine: Engine) -> str | None:
    """Size and mtime of an embedded DuckDB / SQLite file and its WAL; None for a server."""
    if engine.dialect.name not in ("duckdb", "sqlite"):
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    stamps = []
    for path in (database, f"{database}.wal", f"{database}-wal"):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        stamps.append(f"{Path(path).name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(stamps) or None


def _key(engine: Engine, model: SemanticModel) -> str:
    """Which warehouse, through which mapping, indexed for which dimensions."""
    mapping = model.warehouse
    parts = [
        engine.url.render_as_string(hide_password=True),
        repr(sorted((name, repr(t)) for name, t in mapping.tables.items())),
        repr(sorted((n, d.model_dump_json()) for n, d in model.dimensions.items())),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _load(path: Path) -> dict | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("version") != CACHE_VERSION:
        return None
    return stored


def _save(path: Path, stored: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader in another process never sees half a file.
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass


def _facts(stored: dict) -> WarehouseFacts:
    raw = stored["facts"]
    values = [(d, v, a) for d, v, a in raw.get("values", [])]
    return WarehouseFacts(
        counts=raw["counts"],
        first_order=raw["first_order"],
        last_order=raw["last_order"],
        latest_valid_order=raw["latest_valid_order"],
        values=values,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
