"""The web UI answers questions through its Gradio API, one conversation per session."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from gradio_client import Client
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.conversations import load_turns
from copilot.frontends.web import build_app
from copilot.settings import Settings
from tests.conftest import AS_OF


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(duckdb_demo_engine: Engine, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    settings = Settings(home=tmp_path_factory.mktemp("web"), as_of=AS_OF, llm_provider="offline")
    app = build_app(Copilot(settings, engine=duckdb_demo_engine))
    port = free_port()
    app.queue().launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True
    )
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_chat_endpoint_answers_both_languages(served: str, duckdb_demo_engine: Engine) -> None:
    with duckdb_demo_engine.connect() as conn:
        expected = float(
            conn.execute(
                text(
                    "SELECT SUM(total) FROM orders WHERE status NOT IN ('cancelled','returned') "
                    "AND total > 0 AND order_date BETWEEN '2026-10-01' AND '2026-10-31'"
                )
            ).scalar_one()
        )
    client = Client(served, verbose=False)
    english = client.predict("What was revenue last month?", api_name="/chat")
    chinese = client.predict("上个月的销售额是多少？", api_name="/chat")
    assert f"¥{expected:,.2f}" in english
    assert f"¥{expected:,.2f}" in chinese
    assert "query_metrics" in english
    # Tables are rendered as Markdown under the text.
    breakdown = client.predict("Revenue by month this year", api_name="/chat")
    assert "| month | revenue |" in breakdown


def test_each_browser_session_has_its_own_conversation(
    served: str, duckdb_demo_engine: Engine
) -> None:
    first, second = Client(served, verbose=False), Client(served, verbose=False)
    first.predict("orders last month", api_name="/chat")
    second.predict("buyers last month", api_name="/chat")
    with duckdb_demo_engine.connect() as conn:
        ids = (
            conn.execute(text("SELECT conversation_id FROM conversations WHERE source = 'web'"))
            .scalars()
            .all()
        )
    web_ids = [i for i in ids if i.startswith("web-")]
    assert len(web_ids) >= 2
    questions = {load_turns(duckdb_demo_engine, i)[0]["content"] for i in web_ids}
    assert {"orders last month", "buyers last month"} <= questions
