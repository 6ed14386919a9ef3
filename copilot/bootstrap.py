"""First start: the embedded store gets demo data so the copilot works out of the box."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from copilot.settings import Settings
from knowledge.demo import DemoSummary, generate_demo_data
from knowledge.store import connect_store, is_empty


def open_store(settings: Settings, progress: Callable[[str, float], None] | None = None) -> Engine:
    """The store; the embedded default is filled with demo data the first time it is opened.

    A store the user configured (COPILOT_DATABASE_URL) is never filled automatically.
    """
    engine = connect_store(settings.store_url)
    if settings.database_url is None and is_empty(engine):
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
