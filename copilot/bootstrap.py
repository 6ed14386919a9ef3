"""First start: open the warehouse and the state store; the embedded default gets demo data.

Two stores (DESIGN.md): the warehouse holds the user's data and is only read
by questions; the state store holds what the copilot saves. On the embedded
DuckDB warehouse, the demo data of a first start is written through the
bounded-wait write path, so a second process starting at the same moment
waits instead of failing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from copilot.settings import Settings
from knowledge.demo import DemoSummary, generate_demo_data
from knowledge.store.database import (
    connect_warehouse,
    has_orders_table,
    is_empty,
    writable_warehouse,
)
from knowledge.store.state import connect_state, migrate_state, share_state_with


@dataclass(frozen=True)
class Stores:
    """The warehouse (user's data, read by questions) and the copilot's own state store."""

    warehouse: Engine
    state: Engine


def print_waiting(message: str) -> None:
    """Show a lock-wait progress line on stderr (stdout may carry JSON)."""
    print(message, file=sys.stderr, flush=True)


def open_stores(settings: Settings, progress: Callable[[str, float], None] | None = None) -> Stores:
    """Both stores, ready: demo data on the first start of the embedded default, old state migrated.

    A store the user configured (COPILOT_DATABASE_URL) is never filled automatically.
    Raises StoreUnavailableError (StoreBusyError after waiting too long).
    """
    wait = settings.store_wait_s
    if settings.database_url is None:
        _fill_demo_store_once(settings, progress)
    warehouse = connect_warehouse(settings.store_url, wait_s=wait, progress=print_waiting)
    state = connect_state(settings.state_store_url, wait_s=wait)
    migrate_state(warehouse, state)
    share_state_with(warehouse, state)
    return Stores(warehouse, state)


def open_store(settings: Settings, progress: Callable[[str, float], None] | None = None) -> Engine:
    """The warehouse only (for callers that never write state); see `open_stores`."""
    return open_stores(settings, progress).warehouse


def _fill_demo_store_once(
    settings: Settings, progress: Callable[[str, float], None] | None
) -> None:
    """Create the embedded store with demo data when it does not exist or holds no orders."""
    path = settings.home_dir / "store.duckdb"
    if path.exists():
        reader = connect_warehouse(
            settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
        )
        try:
            if has_orders_table(reader) and not is_empty(reader):
                return
        finally:
            reader.dispose()
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
