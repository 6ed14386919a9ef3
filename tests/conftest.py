"""Shared fixtures: small seeded demo stores on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from knowledge.demo import generate_demo_data
from knowledge.store import connect_store

if TYPE_CHECKING:  # imported lazily: most test files need no planner
    from copilot.offline.planner import OfflinePlanner

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


# Statements that write or change something, by their first keyword (for the Spark
# tests' check that the copilot sends only queries to a warehouse).
WRITE_KEYWORDS = frozenset(
    {"insert", "update", "delete", "merge", "create", "drop", "alter", "truncate", "set",
     "cache", "uncache", "refresh", "msck", "load", "add", "reset", "use", "analyze"}
)  # fmt: skip


@pytest.fixture(scope="session")
def spark_warehouse() -> Iterator[tuple[Engine, list[str]]]:
    """The Spark warehouse at COPILOT_TEST_SPARK_URL (scripts/spark.sh loads the demo store
    into it) and the list of every statement sent to it, recorded as the driver gets it."""
    url = os.environ.get("COPILOT_TEST_SPARK_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("COPILOT_TEST_SPARK_URL is not set; CI must start Spark (scripts/spark.sh)")
        pytest.skip("set COPILOT_TEST_SPARK_URL (scripts/spark.sh does) to run the Spark tests")
    from sqlalchemy import event

    from knowledge.store.database import connect_warehouse

    engine = connect_warehouse(url)
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, sql, *rest: sent.append(sql))
    yield engine, sent
    engine.dispose()


@pytest.fixture(scope="module")
def spark_sent() -> Iterator[list[str]]:
    """Every statement any Spark (hive dialect) engine is sent while the module runs,
    whichever engine sends it (the copilot's own, not only `spark_warehouse`'s)."""
    from sqlalchemy import event

    sent: list[str] = []

    def record(conn, cursor, sql, *rest) -> None:  # noqa: ANN001
        if conn.dialect.name == "hive":
            sent.append(sql)

    event.listen(Engine, "before_cursor_execute", record)
    yield sent
    event.remove(Engine, "before_cursor_execute", record)


def planned_call(planner: OfflinePlanner, question: str) -> tuple[str, dict]:
    """(tool name, arguments) of the first call the planner makes for `question`; fails,
    showing the reply, when it asks back (planner wording tests)."""
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


def asked_back(planner: OfflinePlanner, question: str) -> str:
    """The planner's question back for `question`; fails, showing the calls, when it calls a tool."""
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    return message.content


def query_args(planner: OfflinePlanner, question: str) -> dict:
    """The arguments of the one query_metrics call the planner makes for `question`; fails,
    showing the reply, when it asks back or calls another tool (planner wording tests)."""
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    assert message.tool_calls[0]["name"] == "query_metrics", message.tool_calls
    return message.tool_calls[0]["args"]


def period_read(planner: OfflinePlanner, question: str, today: date) -> tuple[date, date]:
    """The first and last day of the period the one query_metrics call for `question` reads,
    counted from `today` (planner period tests)."""
    from knowledge.time_ranges import find_period

    found = find_period(query_args(planner, question).get("time_range") or "", today)
    assert found is not None, question
    return found.range.start, found.range.end


def converse(planner: OfflinePlanner, turns: list[str]) -> Any:
    """Plan every turn with the history the agent stores (calls and status); the last reply
    (follow-up wording tests)."""
    from copilot.messages import AIMessage, BaseMessage, HumanMessage
    from copilot.outcome import STATUS_KEY

    history: list[BaseMessage] = []
    reply = None
    for turn in turns:
        reply = planner._plan(turn, history)
        calls = [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
        status = "answered" if calls else reply.response_metadata.get(STATUS_KEY)
        payload = {"status": status, "tool_calls": calls}
        history += [
            HumanMessage(turn),
            AIMessage(reply.content or "done", response_metadata={"copilot_payload": payload}),
        ]
    assert reply is not None
    return reply


def last_call(planner: OfflinePlanner, turns: list[str]) -> tuple[str | None, Any]:
    """(tool name, arguments) of the last turn's first call, planned with the history the
    agent stores; (None, the reply's text) when that turn asks back or refuses."""
    reply = converse(planner, turns)
    if not reply.tool_calls:
        return None, str(reply.content)
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


def planner_over(engine: Engine) -> OfflinePlanner:
    """The offline planner over the store `engine`, with every tool and the shipped
    semantic model, its values read from that store."""
    from copilot.offline.planner import OfflinePlanner
    from copilot.offline.values import ValueIndex
    from knowledge.semantic import load_semantic_model
    from tools import TOOLS

    model = load_semantic_model()
    return OfflinePlanner(
        semantic_model=model,
        values=ValueIndex.from_store(engine, model),
        tool_names=tuple(t.__name__ for t in TOOLS),
    )


def own_store_planner(
    directory: Path, prepare: Callable[[Engine], object] | None = None
) -> OfflinePlanner:
    """The offline planner over a small DuckDB demo store of its own in `directory`: the
    session's demo store gathers segments and RFM runs other tests saved, which would make
    a reading depend on test order. `prepare(engine)` runs on the new store before its
    values are read (e.g. to save an RFM run); the store is closed afterwards (the planner
    keeps the values it read, not the store)."""
    engine = connect_store(f"duckdb:///{directory / 'store.duckdb'}")
    try:
        generate_demo_data(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
        if prepare is not None:
            prepare(engine)
        return planner_over(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def planner(duckdb_demo_engine: Engine) -> OfflinePlanner:
    """The offline planner over the small DuckDB demo store, with every tool: what the
    planner tests read questions with. A module that needs a store of its own (e.g.
    test_planner_routing) defines its own `planner` with `own_store_planner`."""
    return planner_over(duckdb_demo_engine)


@pytest.fixture
def marked_catalogue(monkeypatch: pytest.MonkeyPatch) -> str:
    """The Chinese catalogue with every sentence it gives wrapped in ⟦ ⟧, so a test can
    tell a sentence read from the catalogue from one written inline in a writer."""
    import gettext

    from knowledge.presentation import messages

    real = messages.translations

    class Marked(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "⟦" + real("zh").gettext(message) + "⟧"

    monkeypatch.setattr(
        messages, "translations", lambda language: Marked() if language == "zh" else real(language)
    )
    return "zh"
