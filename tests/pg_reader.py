"""The engine questions run on: on PostgreSQL, the non-superuser role `copilot_reader`.

`scripts/postgres.sh` creates the role (LOGIN, NOSUPERUSER, no file-reading
roles) and exports COPILOT_TEST_POSTGRES_READER_URL; the store's tables are
granted to it read-only here, per test database.
"""

from __future__ import annotations

import functools
import os

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

READER_URL_VARIABLE = "COPILOT_TEST_POSTGRES_READER_URL"


@functools.cache
def question_time_engine(engine: Engine) -> Engine:
    """`engine` itself on DuckDB and SQLite; on PostgreSQL, the same database as the reader role."""
    if engine.dialect.name != "postgresql":
        return engine
    reader = os.environ.get(READER_URL_VARIABLE)
    if not reader:
        if os.environ.get("CI"):
            pytest.fail(f"{READER_URL_VARIABLE} is not set; source scripts/postgres.sh")
        pytest.skip(f"set {READER_URL_VARIABLE} (scripts/postgres.sh does) for PostgreSQL run_sql")
    role = make_url(reader)
    with engine.begin() as conn:
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role.username}"'))
    url = engine.url.set(username=role.username, password=role.password)
    return create_engine(url, pool_pre_ping=True)
