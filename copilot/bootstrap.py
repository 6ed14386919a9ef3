"""First start: open the warehouse and the state store; a new home gets the demo store.

Two stores (DESIGN.md): the warehouse holds the user's data and is only read
by questions; the state store holds what the copilot saves.

Demo data is only ever created by choice: on the very first start of a home
(no store file yet, so no import was ever tried into it) or by `copilot
demo-data`. A store that exists but is empty (say, its first import failed)
stays empty, and answers say so instead of silently filling it with made-up
numbers. Whether a store holds demo data is the note in the store itself
(`knowledge.demo.marker`). The demo data of a first start is written through
the bounded-wait write path, so a second process starting at the same moment
waits instead of failing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from copilot.settings import Settings
from knowledge.store.database import (
    connect_warehouse,
    hold_warehouse,
    is_empty,
    writable_warehouse,
)
from knowledge.store.state import connect_state, migrate_state, share_state_with
from knowledge.store.upgrade import add_missing_columns, missing_columns

if TYPE_CHECKING:
    from knowledge.demo import DemoSummary


@dataclass(frozen=True)
class Stores:
    """The warehouse (user's data, read by questions) and the copilot's own state store."""

    warehouse: Engine
    state: Engine


def print_waiting(message: str) -> None:
    """Show a lock-wait progress line on stderr (stdout may carry JSON)."""
    print(message, file=sys.stderr, flush=True)


def embedded_store_path(settings: Settings) -> Path | None:
    """The embedded DuckDB file of the home, or None when a store URL is configured."""
    return None if settings.database_url else settings.home_dir / "store.duckdb"


def will_create_demo_store(settings: Settings) -> bool:
    """Whether opening the store now creates the demo store: first start of a new home only.

    A store the user configured (COPILOT_DATABASE_URL) is never filled automatically.
    """
    path = embedded_store_path(settings)
    return path is not None and not path.exists()


def open_stores(
    settings: Settings,
    progress: Callable[[str, float], None] | None = None,
    hold: ExitStack | None = None,
) -> Stores:
    """Both stores, ready: demo data on the first start of a new home, old state migrated.

    `progress(stage, fraction)` follows the demo generation (not called otherwise).
    The embedded warehouse is opened once for the checks and migrations here (each
    open of the DuckDB file costs ~30 ms of CPU); with `hold` it stays open until
    that stack closes (one question: `copilot ask`), else it is released on return.
    Raises StoreUnavailableError (StoreBusyError after waiting too long).
    """
    wait = settings.store_wait_s
    if will_create_demo_store(settings):
        _create_demo_store(settings, progress)
    with ExitStack() as opening:
        warehouse = connect_warehouse(
            settings.store_url, wait_s=wait, progress=print_waiting, hold=opening
        )
        if embedded_store_path(settings) is not None:
            _upgrade_embedded_store(settings, warehouse, opening)
        state = connect_state(settings.state_store_url, wait_s=wait)
        migrate_state(warehouse, state)
        share_state_with(warehouse, state)
        if hold is not None:
            hold.enter_context(opening.pop_all())  # the caller's block releases it
    return Stores(warehouse, state)


def open_store(settings: Settings, progress: Callable[[str, float], None] | None = None) -> Engine:
    """The warehouse only (for callers that never write state); see `open_stores`."""
    return open_stores(settings, progress).warehouse


def _upgrade_embedded_store(settings: Settings, warehouse: Engine, held: ExitStack) -> None:
    """Add the columns an earlier version's store lacks (the embedded file only: a
    warehouse the user configured is never written). `held` holds the read-only open
    of the file (`hold_warehouse`); it is released while the upgrade writes."""
    missing = missing_columns(warehouse)
    if missing:
        held.close()  # DuckDB opens a file read-only or read-write in a process, not both
        with writable_warehouse(
            settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
        ) as engine:
            add_missing_columns(engine, missing_columns(engine))
        held.enter_context(hold_warehouse(warehouse))


def _create_demo_store(settings: Settings, progress: Callable[[str, float], None] | None) -> None:
    """Create the embedded store of a new home with the demo data."""
    from knowledge.demo import generate_demo_data  # the generator loads only when it runs

    with writable_warehouse(
        settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
    ) as engine:
        if is_empty(engine):  # another process may have filled it while we waited
            generate_demo_data(
                engine,
                customers=settings.demo_customers,
                seed=settings.demo_seed,
                progress=progress,
            )


def describe_summary(summary: DemoSummary) -> str:
    """One line about what a demo store holds."""
    return (
        f"{summary.customers:,} customers, {summary.orders:,} orders, "
        f"{summary.campaign_messages:,} campaign messages, {summary.reviews:,} reviews "
        f"in {summary.seconds:.1f} s"
    )
