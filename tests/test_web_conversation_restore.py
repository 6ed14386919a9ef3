"""One conversation per browser, found again after a reload or a restart (web/browser.py)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine

from copilot.answer import AgentEvent, Answer, AnswerReady, ToolStarted
from copilot.conversations import finish_turn, start_turn
from copilot.frontends.web.browser import (
    BROWSER_COOKIE,
    BrowserCookie,
    conversation_secret,
    latest_generation,
)
from copilot.frontends.web.chat import ConversationIds, restored_chat
from copilot.frontends.web.jobs import JobBoard, restore_jobs
from knowledge.store import connect_store


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Engine]:
    engine = connect_store(f"duckdb:///{tmp_path}/state.duckdb")
    yield engine
    engine.dispose()


def _request(session: str, browser: str | None = None) -> Any:
    """What ConversationIds reads of a gr.Request: the session hash and the cookies."""
    cookies = {BROWSER_COOKIE: browser} if browser else {}
    return SimpleNamespace(session_hash=session, cookies=cookies, username=None)


def _cookies_set(scope: dict) -> list[str]:
    """The Set-Cookie headers BrowserCookie adds to a response to `scope`."""
    sent: list[dict] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(BrowserCookie(app)(scope, None, send))
    headers = sent[0]["headers"]
    return [value.decode() for name, value in headers if name == b"set-cookie"]


def test_a_browser_without_the_cookie_gets_one_and_keeps_it() -> None:
    first = _cookies_set({"type": "http", "headers": []})
    assert len(first) == 1 and first[0].startswith(f"{BROWSER_COOKIE}=")
    assert "HttpOnly" in first[0] and "SameSite=Lax" in first[0]
    token = first[0].split(";")[0].split("=")[1]
    assert len(token) == 32
    again = {"type": "http", "headers": [(b"cookie", f"a=1; {BROWSER_COOKIE}={token}".encode())]}
    assert _cookies_set(again) == []
    assert _cookies_set({"type": "http", "headers": []})[0] != first[0]  # random per browser


def test_a_reload_keeps_the_conversation_and_a_restart_finds_it_again(
    state: Engine, tmp_path: Path
) -> None:
    ids = ConversationIds(state, tmp_path)
    before = ids.current(_request("hash-1", "b" * 32))
    # A reload: a new session hash, the same browser cookie.
    assert ids.current(_request("hash-2", "b" * 32)) == before
    # Another browser, or a client presenting the first one's session hash only, does not.
    assert ids.current(_request("hash-1", "c" * 32)) != before
    assert ids.current(_request("hash-1")) != before
    # The clear button starts a new conversation; after a restart the newest one is found.
    ids.restart(_request("hash-2", "b" * 32))
    cleared = ids.current(_request("hash-2", "b" * 32))
    assert cleared != before and cleared is not None
    start_turn(state, cleared, "How many buyers last month?", "web")
    restarted = ConversationIds(state, tmp_path)
    assert restarted.current(_request("hash-3", "b" * 32)) == cleared
    assert conversation_secret(tmp_path) == conversation_secret(tmp_path)
    assert latest_generation(state, cleared.rsplit("-", 1)[0]) == 1


def test_the_restored_chat_shows_each_question_its_steps_and_answer(state: Engine) -> None:
    start_turn(state, "web-x", "上个月的销售额是多少？", "web")
    payload = {
        "status": "answered",
        "tool_calls": [{"name": "query_metrics", "args": {"metrics": ["net_sales"]}}],
    }
    finish_turn(state, "web-x", "上个月销售额 ¥1,234。", payload)
    start_turn(state, "web-x", "Who is likely to churn?", "web")  # still being answered
    messages = restored_chat(state, "web-x")
    assert [m["role"] for m in messages] == ["user", "assistant", "assistant", "user"]
    assert messages[1]["metadata"] == {"title": "query_metrics", "status": "done"}
    assert "net_sales" in messages[1]["content"]
    assert messages[2]["content"] == "上个月销售额 ¥1,234。"
    assert restored_chat(state, None) == []


class _Held:
    """Enough of Copilot for the job board: a heavy tool that runs until `go`."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def stream(
        self, question: str, conversation_id: str | None = None, source: str = "api"
    ) -> Iterator[AgentEvent]:
        yield ToolStarted("predict_churn", {})
        assert self.go.wait(60)
        yield AnswerReady(Answer(text="12 at risk.", mode="offline", conversation_id="c"))


def test_a_reloaded_page_gets_the_notice_of_a_running_job_and_not_a_finished_one() -> None:
    held = _Held()
    board = JobBoard()
    job = board.start(held, "Who is likely to churn?", "c")  # type: ignore[arg-type]
    job.background = True
    stored = [{"role": "user", "content": "Who is likely to churn?", "metadata": {}}]
    messages, running = restore_jobs(board, "c", stored)
    assert running and len(messages) == 2
    assert messages[1]["metadata"]["id"] == job.job_id  # the poll keeps this notice current
    assert messages[1]["metadata"]["status"] == "pending"
    held.go.set()
    deadline = time.monotonic() + 60
    while not job.drain():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # Finished after the store was read: the poll posts it (the timer keeps running).
    messages, running = restore_jobs(board, "c", stored)
    assert running and messages == stored
    assert board.background("c") == [job]
    # Finished while no page was open: the stored turns hold the answer; not posted again.
    answered = [*stored, {"role": "assistant", "content": "12 at risk.", "metadata": {}}]
    messages, running = restore_jobs(board, "c", answered)
    assert not running and messages == answered
    assert board.background("c") == []
