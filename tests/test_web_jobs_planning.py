"""The web chat's background jobs as a user sees them (issue 17 item 8, issue 10).

Planning comes first and needs no worker: a clarification or a refusal is answered
in the chat at once, never as a background job, even when every worker is busy.
A job that does go to the background shows one notice (no step left spinning), and
its answer is posted under one "done" notice.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import AgentEvent, Answer, AnswerReady, ToolFinished, ToolStarted
from copilot.conversations import load_turns
from copilot.frontends.web import jobs
from copilot.frontends.web.jobs import JobBoard, poll_updates, respond_or_background
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tools.fit_cache import AskSlots
from tools.segments.rules import define_segment

# Generous: the budget is not what these tests check, and 8 engineers share 2 cores.
LONG_BUDGET_S = 120.0
DONE_TITLES = ("Background job done", "后台任务完成")


async def _collect(updates: AsyncIterator[Any]) -> list[Any]:
    return [update async for update in updates]


def _reply(board: JobBoard, copilot: Any, question: str, conversation: str) -> list[Any]:
    """Every update of the chat's reply to `question`: (messages, items, background)."""
    return asyncio.run(_collect(respond_or_background(board, copilot, question, conversation)))


def _as_history(question: str, messages: list[Any]) -> list[dict[str, Any]]:
    """The chat's state after a reply: the user's question, then the reply's messages."""
    return [
        {"role": "user", "content": question, "metadata": {}},
        *(
            {"role": m.role, "content": m.content, "metadata": dict(m.metadata or {})}
            for m in messages
        ),
    ]


def _titles(messages: list[dict[str, Any]]) -> list[str]:
    return [str((m.get("metadata") or {}).get("title") or "") for m in messages]


def _pending(messages: list[Any]) -> list[Any]:
    """Messages the chatbot shows with a spinner."""
    return [
        m
        for m in messages
        if ((m.get("metadata") if isinstance(m, dict) else m.metadata) or {}).get("status")
        == "pending"
    ]


@pytest.fixture
def busy_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every worker busy with other questions for the whole test (one slot, held)."""
    slots = AskSlots(1)
    monkeypatch.setattr(jobs, "ASKS", slots)
    monkeypatch.setattr(jobs, "ACK_S", LONG_BUDGET_S)
    with slots.slot():
        yield


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory) -> Copilot:  # noqa: ANN001
    settings = Settings(
        home=tmp_path_factory.mktemp("web-plan"), as_of=AS_OF, llm_provider="offline"
    )
    return Copilot(settings, engine=duckdb_demo_engine)


@pytest.mark.parametrize(
    ("question", "unclear"),
    [
        ("给微信渠道的沉睡客户写一条短信", "微信"),
        ("Write an SMS for Hibernating customers about the Zorbleflux launch", "zorbleflux"),
    ],
)
def test_a_copy_brief_with_an_unclear_word_is_asked_back_at_once(
    copilot: Copilot, busy_workers: None, question: str, unclear: str
) -> None:
    board = JobBoard()
    started = time.monotonic()
    replies = _reply(board, copilot, question, f"plan-{unclear}")
    messages, _, background = replies[-1]
    # In the chat, before any worker is free: not a background job, no notice.
    assert not background
    assert time.monotonic() - started < LONG_BUDGET_S
    text = "\n".join(str(m.content) for m in messages)
    assert unclear in text.lower(), text
    assert "后台" not in text and "background" not in text.lower()
    assert board.background(f"plan-{unclear}") == []
    assert _pending(messages) == []
    # Saved in the conversation like any answer.
    turns = load_turns(copilot.state, f"plan-{unclear}")
    assert [t["role"] for t in turns] == ["user", "assistant"]
    assert turns[-1]["content"] == messages[-1].content


class _Scripted:
    """Enough of Copilot for the job board: plays `events`, waiting for `go` where told."""

    def __init__(self, *events: AgentEvent | str) -> None:
        self.events = events
        self.go = threading.Event()

    def stream(
        self, question: str, conversation_id: str | None = None, source: str = "api"
    ) -> Iterator[AgentEvent]:
        for event in self.events:
            if event == "wait":
                assert self.go.wait(60)
            else:
                yield event  # type: ignore[misc]


def _answer(text: str, status: str = "answered") -> Answer:
    return Answer(text=text, mode="offline", conversation_id="c", status=status)  # type: ignore[arg-type]


def test_a_refusal_without_tools_is_answered_at_once(busy_workers: None) -> None:
    refusal = _answer("I can't answer that offline.", "refused")
    messages, _, background = _reply(JobBoard(), _Scripted(AnswerReady(refusal)), "q?", "c")[-1]
    assert not background
    assert messages[-1].content == "I can't answer that offline."


def test_a_heavy_tool_that_declines_at_once_answers_in_the_chat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jobs, "ACK_S", LONG_BUDGET_S)
    monkeypatch.setattr(jobs, "HEAVY_GRACE_S", 30.0)  # the decline comes well within it
    declined = _Scripted(
        ToolStarted("customer_personas", {}),
        ToolFinished("customer_personas", 3.0, "too few buyers"),
        AnswerReady(_answer("Too few buyers for personas.", "refused")),
    )
    messages, _, background = _reply(JobBoard(), declined, "cluster my customers", "c")[-1]
    assert not background
    assert messages[-1].content == "Too few buyers for personas."


def test_a_working_heavy_tool_goes_to_the_background_with_one_notice() -> None:
    slow = _Scripted(
        ToolStarted("customer_personas", {}),
        "wait",
        ToolFinished("customer_personas", 3.0),
        AnswerReady(_answer("Four personas.")),
    )
    board = JobBoard()
    try:
        replies = _reply(board, slow, "把客户分成几类并描述一下", "c")
        messages, _, background = replies[-1]
        assert background
        # The notice alone, in the question's language: no step beside it to spin on.
        assert len(messages) == 1 and "已转到后台运行" in messages[0].content
        assert "customer_personas" in messages[0].content  # the running step, listed in it
    finally:
        slow.go.set()


def _finish_in_background(monkeypatch: pytest.MonkeyPatch, question: str) -> tuple[Any, ...]:
    """A job that went to the background and has finished: (board, chat reply messages)."""
    monkeypatch.setattr(jobs, "SETTLE_S", 0.0)
    slow = _Scripted(
        ToolStarted("predict_churn", {}),
        "wait",
        ToolFinished("predict_churn", 3.0),
        AnswerReady(_answer("120 customers are likely to churn.")),
    )
    board = JobBoard()
    messages, _, background = _reply(board, slow, question, "c")[-1]
    assert background
    slow.go.set()
    job = board.background("c")[0]
    deadline = time.monotonic() + 60
    while not job.drain():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return board, messages


def test_the_posted_answer_has_one_done_notice_and_no_spinner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    board, messages = _finish_in_background(monkeypatch, "Who is likely to churn?")
    history = _as_history("Who is likely to churn?", messages)
    posted, _, running = poll_updates(board, "c", history)
    assert posted is not None and not running
    titles = _titles(posted)
    assert sum(any(done in t for done in DONE_TITLES) for t in titles) == 1, titles
    assert _pending(posted) == []
    assert posted[-1]["content"] == "120 customers are likely to churn."
    assert poll_updates(board, "c", posted) == (None, None, False)  # posted once


def test_a_notice_with_questions_after_it_points_down_to_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    board, messages = _finish_in_background(monkeypatch, "哪些客户可能流失？")
    history = [
        *_as_history("哪些客户可能流失？", messages),
        {"role": "user", "content": "上个月的销售额是多少？", "metadata": {}},
        {"role": "assistant", "content": "上个月销售额 ¥1", "metadata": {}},
    ]
    posted, _, _ = poll_updates(board, "c", history)
    assert posted is not None
    titles = _titles(posted)
    assert sum("后台任务完成" in t for t in titles) == 1, titles
    assert "结果见下方" in titles[1]  # the notice, where it stood, points down
    assert posted[-1]["content"] == "120 customers are likely to churn."
    assert _pending(posted) == []


@pytest.fixture
def store_with_a_saved_segment(tmp_path: Path) -> Iterator[Copilot]:
    engine = connect_store(f"duckdb:///{tmp_path}/store.duckdb")
    generate_demo_data(engine, customers=150, seed=5)
    copilot = Copilot(
        Settings(home=tmp_path / "home", as_of=AS_OF, llm_provider="offline"), engine=engine
    )
    define_segment(copilot.context, "Shanghai Women", {"cities": ["Shanghai"], "gender": "F"})
    yield copilot
    engine.dispose()


@pytest.mark.parametrize(
    ("question", "names"),
    [
        (
            "Export the 'VIP Whales' segment as an SMS list",
            ["'VIP Whales'", "Shanghai Women", "Champions", "Hibernating"],
        ),
        (
            "导出「超级VIP」分群的短信名单",
            ["「超级VIP」", "Shanghai Women", "冠军客户", "沉睡客户"],
        ),
    ],
)
def test_an_unknown_segment_in_an_export_lists_the_valid_ones(
    store_with_a_saved_segment: Copilot, question: str, names: list[str]
) -> None:
    messages, _, background = _reply(JobBoard(), store_with_a_saved_segment, question, "x")[-1]
    assert not background
    text = str(messages[-1].content)
    for name in names:  # the saved segment and the RFM segments, in the question's language
        assert name in text, text
    if "「" in question:
        assert "Champions" not in text
