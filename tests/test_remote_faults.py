"""The agent against a fake OpenAI-compatible endpoint and the real `openai` client:
streaming, retries, errors, malformed and unknown tool calls, endless loops. No fault
may leave a conversation corrupted (every question stored with its answer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import AnswerReady, TextDelta, ToolFinished, ToolStarted
from copilot.conversations import load_turns
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer, delay, error, text, tool_calls

REVENUE_CALL = ("query_metrics", {"metrics": ["revenue"], "time_range": "last month"})


def remote(engine: Engine, tmp_path: Path, server: FakeOpenAIServer, **extra) -> Copilot:  # noqa: ANN003
    settings = Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url=server.base_url,
        llm_api_key="k",
        llm_model="fake-model",
        **{"llm_max_retries": 0, **extra},
    )
    return Copilot(settings, engine=engine)


def assert_conversation_whole(engine: Engine, conversation_id: str) -> None:
    roles = [t["role"] for t in load_turns(engine, conversation_id)]
    assert roles and roles == ["user", "assistant"] * (len(roles) // 2)


@pytest.fixture
def server():  # noqa: ANN201
    with FakeOpenAIServer() as fake:
        yield fake


def test_streaming_tool_steps_and_text(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(tool_calls([REVENUE_CALL]), text("Revenue last month was as shown in the table."))
    events = list(
        remote(duckdb_demo_engine, tmp_path, server).stream("revenue last month?", "stream")
    )
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("ToolStarted") < kinds.index("ToolFinished") < kinds.index("AnswerReady")
    started = next(e for e in events if isinstance(e, ToolStarted))
    assert (started.name, started.args) == REVENUE_CALL
    finished = next(e for e in events if isinstance(e, ToolFinished))
    assert finished.error is None and finished.duration_ms is not None
    # The HTTP replies streamed, but the user sees the text only once it has passed the
    # grounding guard (a streamed draft could show a number no tool produced).
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert deltas == ["Revenue last month was as shown in the table."]
    assert kinds.index("TextDelta") > kinds.index("ToolFinished")
    assert all(r.body_json.get("stream") for r in server.chat_requests)
    assert isinstance(events[-1], AnswerReady) and events[-1].answer.error is None
    assert_conversation_whole(duckdb_demo_engine, "stream")


def test_rate_limit_then_success_is_retried(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(error(429, "slow down", retry_after=0.01), text("Hello."))
    answer = remote(duckdb_demo_engine, tmp_path, server, llm_max_retries=2).ask("hi", "retry")
    assert answer.error is None and answer.text == "Hello."
    assert len(server.chat_requests) == 2


def test_server_error_is_a_clear_message(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(error(500, "boom"))
    answer = remote(duckdb_demo_engine, tmp_path, server).ask("hi", "five-hundred")
    assert answer.error is not None and "HTTP 500" in answer.error
    assert_conversation_whole(duckdb_demo_engine, "five-hundred")


def test_timeout_is_a_clear_message(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(delay(3.0, then=text("too late")))
    answer = remote(duckdb_demo_engine, tmp_path, server, llm_timeout_s=0.5).ask("hi", "timeout")
    assert answer.error is not None and "did not answer within 0.5 s" in answer.error
    assert_conversation_whole(duckdb_demo_engine, "timeout")


def test_unreachable_model_is_a_clear_message(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url="http://127.0.0.1:9/v1",
        llm_api_key="k",
        llm_max_retries=0,
    )
    answer = Copilot(settings, engine=duckdb_demo_engine).ask("hi", "unreachable")
    assert answer.error is not None and "unreachable" in answer.error
    assert_conversation_whole(duckdb_demo_engine, "unreachable")


def test_invalid_json_arguments_are_a_clear_message(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(tool_calls([("query_metrics", '{"metrics": revenue, last month}')]))
    answer = remote(duckdb_demo_engine, tmp_path, server).ask("revenue?", "bad-json")
    assert answer.error is not None and "not valid JSON" in answer.error
    assert "query_metrics" in answer.error
    assert len(server.chat_requests) == 1
    assert_conversation_whole(duckdb_demo_engine, "bad-json")


def test_unknown_tool_goes_back_to_the_model(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(
        tool_calls([("delete_everything", {})]), text("I cannot do that; here is what I can do.")
    )
    answer = remote(duckdb_demo_engine, tmp_path, server).ask("wipe it", "unknown-tool")
    # Every tool call of the turn failed and the model said so: an honest refusal.
    assert answer.status == "refused" and "not a valid tool" in answer.error
    assert answer.tool_calls[0].name == "delete_everything" and answer.tool_calls[0].error
    tool_message = server.chat_requests[1].body_json["messages"][-1]
    assert tool_message["role"] == "tool" and "not a valid tool" in tool_message["content"]
    assert_conversation_whole(duckdb_demo_engine, "unknown-tool")


def test_endless_tool_loop_stops_at_the_step_limit(
    duckdb_demo_engine: Engine, tmp_path: Path, server: FakeOpenAIServer
) -> None:
    server.script(*[tool_calls([REVENUE_CALL]) for _ in range(10)])
    answer = remote(duckdb_demo_engine, tmp_path, server, max_tool_steps=3).ask("loop", "loop")
    assert len([c for c in answer.tool_calls if c.error is None]) == 3
    assert answer.status == "error" and "COPILOT_MAX_TOOL_STEPS=3" in answer.error
    assert len(server.chat_requests) <= 5
    assert_conversation_whole(duckdb_demo_engine, "loop")


def test_a_whole_call_is_bounded_even_when_the_server_keeps_pinging(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    """llama.cpp keeps a long prompt read alive with SSE pings; a per-read timeout
    never fires, the whole-call limit does."""
    import time
    from http.server import BaseHTTPRequestHandler

    from tests.fakes.loopback import LoopbackServer

    class Pinging(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def do_POST(self) -> None:  # noqa: N802 - http.server API
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                time.sleep(0.1)

    class PingServer(LoopbackServer):
        handler = Pinging

    with PingServer() as server:
        settings = Settings(
            home=tmp_path,
            as_of=AS_OF,
            llm_base_url=f"http://127.0.0.1:{server.port}/v1",
            llm_api_key="k",
            llm_max_retries=0,
            llm_timeout_s=1.0,
            llm_stream="true",
        )
        copilot = Copilot(settings, engine=duckdb_demo_engine)  # start-up is not the call
        started = time.monotonic()
        answer = copilot.ask("hi", "pings")
        elapsed = time.monotonic() - started
    assert answer.status == "error" and "did not answer within 1 s" in answer.error
    assert elapsed < 5.0  # not the 6 s the pings would last
