"""First start: a new home gets the demo store so the copilot works out of the box.

Demo data is only ever created by choice: on the very first start of a home
(no store file yet, so no import was ever tried into it) or by `copilot
demo-data`. A store that exists but is empty (say, its first import failed)
stays empty, and answers say so instead of silently filling it with made-up
numbers. Whether a store holds demo data is the note in the store itself
(`knowledge.demo.marker`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from copilot.settings import Settings
from knowledge.store import connect_store, is_empty

if TYPE_CHECKING:
    from knowledge.demo import DemoSummary


def embedded_store_path(settings: Settings) -> Path | None:
    """The embedded DuckDB file of the home, or None when a store URL is configured."""
    return None if settings.database_url else settings.home_dir / "store.duckdb"


def will_create_demo_store(settings: Settings) -> bool:
    """Whether opening the store now creates the demo store: first start of a new home only.

    A store the user configured (COPILOT_DATABASE_URL) is never filled automatically.
    """
    path = embedded_store_path(settings)
    return path is not None and not path.exists()


def open_store(settings: Settings, progress: Callable[[str, float], None] | None = None) -> Engine:
    """The store; on the first start of a new home it is filled with the demo data first.

    `progress(stage, fraction)` follows the demo generation (not called otherwise).
    """
    first_start = will_create_demo_store(settings)
    engine = connect_store(settings.store_url)
    if first_start and is_empty(engine):
        from knowledge.demo import generate_demo_data  # the generator loads only when it runs

        generate_demo_data(
            engine, customers=settings.demo_customers, seed=settings.demo_seed, progress=progress
        )
    return engine


def describe_summary(summary: DemoSummary) -> str:
    """One line about what a demo store holds."""
    return (
        f"{summary.customers:,} customers, {summary.orders:,} orders, "
        f"{summary.campaign_messages:,} campaign messages, {summary.reviews:,} reviews "
        f"in {summary.seconds:.1f} s"
    )
