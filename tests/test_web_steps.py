"""The web chat's live tool steps come from the agent's own step events (issue 10: the
offline path no longer runs LangChain tools, whose callbacks used to report them)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import ToolFinished, ToolStarted
from copilot.frontends.web.steps import StepListener, ask_with_steps, run_with_steps
from copilot.settings import Settings
from tests.conftest import AS_OF


def _drain(listener: StepListener) -> list:
    events = []
    while (event := listener.events.get(timeout=600)) is not None:
        events.append(event)
    return events


def test_an_offline_question_reports_its_tool_as_it_starts_and_ends(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=duckdb_demo_engine)
    listener = StepListener()
    result = run_with_steps(
        lambda: ask_with_steps(copilot, "What was revenue in 2025?", None, listener), listener
    )
    events = _drain(listener)
    assert [(e.kind, e.name) for e in events] == [
        ("start", "query_metrics"),
        ("end", "query_metrics"),
    ]
    assert events[0].run_id == events[1].run_id
    assert events[0].args == {"metrics": ["revenue"], "time_range": "2025"}
    assert events[1].duration_ms is not None and events[1].error is None
    assert result["value"].status == "answered"


def test_steps_pair_up_in_order_and_a_failed_tool_is_an_error() -> None:
    listener = StepListener()
    listener.record(ToolStarted("rfm_segments", {}))
    listener.record(ToolStarted("query_metrics", {"metrics": ["revenue"]}))
    listener.record(ToolStarted("rfm_segments", {"n": 2}))
    listener.record(ToolFinished("rfm_segments", 5.0, None))
    listener.record(ToolFinished("query_metrics", None, "bad metric"))
    listener.record(ToolFinished("rfm_segments", 7.0, None))
    listener.events.put(None)
    events = _drain(listener)
    started = {e.run_id: e.args for e in events if e.kind == "start"}
    finished = [(e.kind, e.name, started[e.run_id], e.error) for e in events if e.kind != "start"]
    assert finished == [
        ("end", "rfm_segments", {}, None),
        ("error", "query_metrics", {"metrics": ["revenue"]}, "bad metric"),
        ("end", "rfm_segments", {"n": 2}, None),
    ]
    assert listener.running == []


def test_step_titles_and_a_crash_follow_the_questions_language() -> None:
    from copilot.frontends.web.chat import _apply, failed_message
    from copilot.frontends.web.steps import StepEvent

    steps: dict = {}
    _apply(steps, StepEvent("start", "r1", "query_metrics", {"metrics": ["revenue"]}), "zh")
    assert steps["r1"].metadata["title"] == "正在运行 query_metrics …"
    _apply(steps, StepEvent("error", "r1", "query_metrics", None, 12.0, "boom"), "zh")
    assert steps["r1"].metadata == {"title": "query_metrics · 12 ms · 出错", "status": "done"}
    english: dict = {}
    _apply(english, StepEvent("start", "r2", "rfm_segments", {}))
    assert english["r2"].metadata["title"] == "Running rfm_segments …"
    assert failed_message("disk full", "zh").content == "助手出错了：disk full"
    assert failed_message("disk full").content == "The copilot failed: disk full"
