"""Shared fixtures: small seeded demo stores on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from knowledge.demo import generate_demo_data
from knowledge.store import connect_store

DEMO_CUSTOMERS = 400
DEMO_SEED = 7
# Relative periods in tests count from here (the demo data ends 2026-10-31).
AS_OF = date(2026, 11, 1)
DATABASES = ("duckdb", "sqlite", "postgresql")


def postgres_url(worker: str, purpose: str = "demo") -> str:
    """A fresh PostgreSQL database for this test worker and purpose (COPILOT_TEST_POSTGRES_URL)."""
    base = os.environ.get("COPILOT_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("COPILOT_TEST_POSTGRES_URL is not set; CI must start PostgreSQL")
        pytest.skip(
            "set COPILOT_TEST_POSTGRES_URL (scripts/postgres.sh does) to run PostgreSQL tests"
        )
    name = f"copilot_test_{purpose}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def store_url(kind: str, directory, worker: str) -> str:  # noqa: ANN001
    """A URL for a new, empty store of the given database kind."""
    if kind == "duckdb":
        return f"duckdb:///{directory}/store.duckdb"
    if kind == "sqlite":
        return f"sqlite:///{directory}/store.sqlite"
    return postgres_url(worker)


@pytest.fixture(scope="session")
def worker_id_safe(request) -> str:  # noqa: ANN001
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session", params=DATABASES)
def demo_engine(request, tmp_path_factory, worker_id_safe) -> Iterator[Engine]:  # noqa: ANN001
    """A small demo store on each database kind (generated once per session)."""
    kind = request.param
    url = store_url(kind, tmp_path_factory.mktemp(f"demo-{kind}"), worker_id_safe)
    engine = connect_store(url)
    generate_demo_data(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def duckdb_demo_engine(tmp_path_factory) -> Iterator[Engine]:  # noqa: ANN001
    """The small demo store on DuckDB only, for tests that need no cross-database check."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('demo-duck')}/store.duckdb")
    generate_demo_data(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_scratch_url(worker_id_safe) -> str:  # noqa: ANN001
    """An empty PostgreSQL database of this worker's own, for tests that reset it themselves."""
    return postgres_url(worker_id_safe, "scratch")
