"""Budgets of a model call enforced while the reply streams in, not after it is built."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.chat_models import MAX_STREAMED_ARGUMENT_CHARS, MAX_STREAMED_TEXT_CHARS
from tests.fakes import openai_server
from tests.fakes.openai_server import FakeOpenAIServer, tool_calls
from tests.fakes.openai_server import text as reply
from tests.servers import remote_copilot


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stream text and arguments in 64-character pieces, as a hostile server may."""

    def split(value: str, parts: int = 3) -> list[str]:
        return [value[i : i + 64] for i in range(0, len(value), 64)]

    monkeypatch.setattr(openai_server, "_split", split)


def remote(tmp_path: Path, engine: Engine, base_url: str) -> Copilot:
    """The fake model, streamed (tests/servers.py)."""
    return remote_copilot(tmp_path, engine, base_url, llm_stream="true")


def test_padded_tool_call_is_stopped_while_streaming(
    duckdb_demo_engine: Engine, tmp_path: Path, small_chunks: None
) -> None:
    padded = '{"metrics": ["revenue"]' + " " * 1_000_000 + "}"
    with FakeOpenAIServer() as server:
        server.script(tool_calls([("query_metrics", padded)]), reply("Done."))
        copilot = remote(tmp_path, duckdb_demo_engine, server.base_url)
        started = time.process_time()
        answer = copilot.ask("revenue last month")
        cpu = time.process_time() - started
    assert answer.status == "error"
    assert f"{MAX_STREAMED_ARGUMENT_CHARS:,} characters" in answer.text
    assert answer.tool_calls == []  # the call never ran
    assert cpu < 20, cpu  # a generous bound: without the budget this takes minutes


def test_endless_text_is_stopped_while_streaming(
    duckdb_demo_engine: Engine, tmp_path: Path, small_chunks: None
) -> None:
    with FakeOpenAIServer() as server:
        server.script(reply("lorem ipsum " * (MAX_STREAMED_TEXT_CHARS // 10)))
        answer = remote(tmp_path, duckdb_demo_engine, server.base_url).ask("revenue last month")
    assert answer.status == "error"
    assert f"{MAX_STREAMED_TEXT_CHARS:,} characters" in answer.text


def test_ordinary_streamed_tool_calls_still_work(
    duckdb_demo_engine: Engine, tmp_path: Path, small_chunks: None
) -> None:
    args = {"metrics": ["orders"], "time_range": "last month", "dimensions": ["channel"]}
    with FakeOpenAIServer() as server:
        server.script(
            tool_calls([("query_metrics", args), ("list_segments", {})]),
            reply("Here are the orders by channel."),
        )
        answer = remote(tmp_path, duckdb_demo_engine, server.base_url).ask(
            "orders by channel last month"
        )
    assert [c.name for c in answer.tool_calls] == ["query_metrics", "list_segments"]
    assert answer.tool_calls[0].args == args
    assert answer.status == "answered" and answer.tables
