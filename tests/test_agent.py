"""The agent loop end to end: offline planner, scripted model, and a fake OpenAI endpoint."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.conversations import load_turns
from copilot.settings import Settings
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tests.fakes.chat_models import ScriptedChatModel, tool_call
from tests.fakes.openai_server import FakeOpenAIServer, fn, tool_calls


def settings(tmp_path: Path, **overrides) -> Settings:  # noqa: ANN003
    return Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline", **overrides)


def revenue_between(engine: Engine, start: date, end: date) -> float:
    with engine.connect() as conn:
        return float(
            conn.execute(
                text(
                    "SELECT SUM(total) FROM orders WHERE (status = 'completed' OR total < 0) "
                    "AND status <> 'cancelled' AND order_date BETWEEN :s AND :e"
                ),
                {"s": start, "e": end},
            ).scalar_one()
        )


@pytest.mark.parametrize("question", ["What was revenue last month?", "上个月的销售额是多少？"])
def test_offline_planner_answers_revenue_last_month(
    demo_engine: Engine, tmp_path: Path, question: str
) -> None:
    copilot = Copilot(settings(tmp_path), engine=demo_engine)
    answer = copilot.ask(question)
    expected = revenue_between(demo_engine, date(2026, 10, 1), date(2026, 10, 31))
    assert answer.error is None
    assert answer.mode == "offline"
    assert [c.name for c in answer.tool_calls] == ["query_metrics"]
    assert answer.tool_calls[0].args["metrics"] == ["revenue"]
    assert f"¥{expected:,.2f}" in answer.text
    assert answer.tool_calls[0].duration_ms is not None


def test_offline_breakdown_returns_a_table(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    copilot = Copilot(settings(tmp_path), engine=duckdb_demo_engine)
    answer = copilot.ask("Top 3 cities by orders in 2026")
    assert answer.tool_calls[0].args == {
        "metrics": ["orders"],
        "dimensions": ["city"],
        "time_range": "2026",
        "limit": 3,
        "order_by": "orders",
    }
    table = answer.to_json()["tables"][0]
    assert table["columns"] == ["city", "orders"]
    assert len(table["rows"]) == 3
    assert table["rows"][0][0] in answer.text


def test_offline_filter_from_store_values(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    copilot = Copilot(settings(tmp_path), engine=duckdb_demo_engine)
    english = copilot.ask("AOV in Shanghai over the last 30 days")
    chinese = copilot.ask("上海最近30天的客单价")
    assert english.tool_calls[0].args["filters"] == {"city": ["上海"]}
    assert chinese.tool_calls[0].args["filters"] == {"city": ["上海"]}
    en_table, zh_table = english.to_json()["tables"][0], chinese.to_json()["tables"][0]
    assert (en_table["columns"], en_table["rows"]) == (zh_table["columns"], zh_table["rows"])


def test_offline_out_of_scope_is_an_honest_refusal(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    copilot = Copilot(settings(tmp_path), engine=duckdb_demo_engine)
    for question in ["What will the weather be tomorrow?", "给我讲个笑话"]:
        answer = copilot.ask(question)
        assert answer.tool_calls == []
        assert "¥" not in answer.text
        assert "won't make up" in answer.text or "不会编造" in answer.text


def test_conversation_is_stored_and_reused(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    model = ScriptedChatModel(script=[AIMessage("first"), AIMessage("second")])
    copilot = Copilot(
        settings(tmp_path), engine=duckdb_demo_engine, chat_model=model, mode="scripted"
    )
    copilot.ask("hello", conversation_id="conv-1")
    copilot.ask("again", conversation_id="conv-1")
    turns = load_turns(duckdb_demo_engine, "conv-1")
    assert [(t["role"], t["content"]) for t in turns] == [
        ("user", "hello"),
        ("assistant", "first"),
        ("user", "again"),
        ("assistant", "second"),
    ]
    # The second call saw the first exchange as history.
    assert [m.text for m in model.received[1][1:]] == ["hello", "first", "again"]


def test_recoverable_tool_error_goes_back_to_the_model(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    model = ScriptedChatModel(
        script=[
            tool_call("query_metrics", {"metrics": ["profit"]}, "call_1"),
            tool_call("query_metrics", {"metrics": ["revenue"], "time_range": "2025"}, "call_2"),
            AIMessage("Revenue in 2025 was computed."),
        ]
    )
    copilot = Copilot(
        settings(tmp_path), engine=duckdb_demo_engine, chat_model=model, mode="scripted"
    )
    answer = copilot.ask("profit in 2025?")
    assert answer.error is None
    assert [c.error is not None for c in answer.tool_calls] == [True, False]
    error_message = model.received[1][-1]
    assert "Unknown metric 'profit'" in error_message.text
    assert len(answer.tables) == 1


def test_endless_tool_loop_is_stopped_by_the_step_limit(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    calls = [tool_call("query_metrics", {"metrics": ["orders"]}, f"call_{i}") for i in range(20)]
    model = ScriptedChatModel(script=calls)
    copilot = Copilot(
        settings(tmp_path, max_tool_steps=3),
        engine=duckdb_demo_engine,
        chat_model=model,
        mode="scripted",
    )
    answer = copilot.ask("loop forever")
    assert len([c for c in answer.tool_calls if c.error is None]) <= 3
    assert len(load_turns(duckdb_demo_engine, answer.conversation_id)) == 2


def test_fatal_store_error_is_reported_and_conversation_kept(tmp_path: Path) -> None:
    engine = connect_store(f"sqlite:///{tmp_path}/broken.sqlite")
    copilot = Copilot(
        settings(tmp_path),
        engine=engine,
        chat_model=ScriptedChatModel(script=[tool_call("query_metrics", {"metrics": ["revenue"]})]),
        mode="scripted",
    )
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE orders"))
    answer = copilot.ask("revenue?")
    assert answer.error is not None and "store could not be queried" in answer.error
    assert [t["role"] for t in load_turns(engine, answer.conversation_id)] == ["user", "assistant"]


def test_same_loop_runs_against_an_openai_compatible_endpoint(
    demo_engine: Engine, tmp_path: Path
) -> None:
    expected = revenue_between(demo_engine, date(2026, 10, 1), date(2026, 10, 31))

    def summarise(body: dict) -> str:
        tool_result = body["messages"][-1]
        assert tool_result["role"] == "tool"
        return f"From the tool: {tool_result['content'].splitlines()[-1]}"

    with FakeOpenAIServer(models=("fake-model",)) as server:
        server.script(
            tool_calls([("query_metrics", {"metrics": ["revenue"], "time_range": "last month"})]),
            fn(summarise),
        )
        remote = Settings(
            home=tmp_path,
            as_of=AS_OF,
            llm_base_url=server.base_url,
            llm_api_key="test-key",
            llm_model="fake-model",
            llm_max_retries=0,
        )
        answer = Copilot(remote, engine=demo_engine).ask("What was revenue last month?")
        requests = server.chat_requests
    assert answer.error is None
    assert answer.mode == "fake-model"
    assert answer.to_json()["tool_calls"] == [
        {"name": "query_metrics", "args": {"metrics": ["revenue"], "time_range": "last month"}}
    ]
    assert f"{expected:.2f}".rstrip("0").rstrip(".") in answer.text.replace(",", "")
    first = requests[0].body_json
    # Only the tools the offline planner's reading of the question can need are sent.
    assert [t["function"]["name"] for t in first["tools"]] == [
        "query_metrics",
        "run_sql",
        "describe_data",
    ]
    assert first["tool_choice"] == "auto"
    assert answer.status == "answered" and answer.grounding.startswith("checked")
    assert first["messages"][0]["role"] == "system"
    assert requests[0].headers["authorization"] == "Bearer test-key"
    assert json.dumps(requests[1].body_json).count("tool_call_id") == 1
