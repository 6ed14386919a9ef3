"""The `copilot ask --json` contract for every outcome: `status`, `error` and the exit code
(0 answered, 1 error, 3 refused, 4 clarify), and always one JSON object on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.settings import Settings
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tests.fakes.chat_models import ScriptedChatModel, tool_call
from tests.test_cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ask-json-home")


def ask_json(home: Path, question: str, **env: str) -> tuple[dict, int]:
    result = run(home, "ask", question, "--json", **env)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, (result.stdout, result.stderr)  # one JSON object, nothing else
    return json.loads(lines[0]), result.returncode


def test_answered(home: Path) -> None:
    payload, code = ask_json(home, "What was revenue last month?")
    assert (payload["status"], payload["error"], code) == ("answered", None, 0)
    assert payload["answer"].startswith("Revenue")


def test_clarification(home: Path) -> None:
    payload, code = ask_json(home, "How are we doing?")
    assert (payload["status"], payload["error"], code) == ("clarify", None, 4)
    assert payload["tool_calls"] == []


def test_refusal_keeps_the_reason_in_error(home: Path) -> None:
    payload, code = ask_json(home, "What will the weather be tomorrow?")
    assert (payload["status"], code) == ("refused", 3)
    assert payload["error"] and "won't make up" in payload["error"]


def test_a_tool_refusal_is_refused_in_the_question_language(tmp_path: Path) -> None:
    payload, code = ask_json(tmp_path, "Build customer personas", COPILOT_DEMO_CUSTOMERS="6")
    assert (payload["status"], code) == ("refused", 3)
    assert [c["name"] for c in payload["tool_calls"]] == ["customer_personas"]
    assert "buyers" in payload["error"]
    chinese, code = ask_json(tmp_path, "给客户做用户画像", COPILOT_DEMO_CUSTOMERS="6")
    assert (chinese["status"], code) == ("refused", 3)
    assert "至少需要" in chinese["answer"]  # the tool's own Chinese reason


def test_fatal_store_error_still_prints_the_json_object(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:9/nothing"
    payload, code = ask_json(tmp_path, "What was revenue last month?", COPILOT_DATABASE_URL=url)
    assert (payload["status"], code) == ("error", 1)
    assert "Cannot open the store" in payload["error"] and "\n" not in payload["error"]


def test_invalid_settings_still_print_the_json_object(tmp_path: Path) -> None:
    payload, code = ask_json(tmp_path, "revenue?", COPILOT_LLM_PROVIDER="bogus")
    assert (payload["status"], code) == ("error", 1)
    assert "llm_provider" in payload["error"]


def test_a_tool_that_fails_is_an_error(tmp_path: Path) -> None:
    engine = connect_store(f"sqlite:///{tmp_path}/broken.sqlite")
    model = ScriptedChatModel(script=[tool_call("query_metrics", {"metrics": ["revenue"]})])
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=engine, chat_model=model, mode="scripted")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE orders"))
    answer = copilot.ask("revenue?")
    payload = answer.to_json()
    assert (payload["status"], answer.exit_code) == ("error", 1)
    assert "store could not be queried" in payload["error"]


def test_a_recoverable_tool_error_then_an_answer_is_answered(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    from langchain_core.messages import AIMessage

    model = ScriptedChatModel(
        script=[
            tool_call("query_metrics", {"metrics": ["profit"]}, "call_1"),
            tool_call("query_metrics", {"metrics": ["revenue"], "time_range": "2025"}, "call_2"),
            AIMessage("Revenue in 2025 is in the table."),
        ]
    )
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    answer = Copilot(settings, engine=duckdb_demo_engine, chat_model=model, mode="scripted").ask(
        "profit in 2025?"
    )
    assert (answer.status, answer.error, answer.exit_code) == ("answered", None, 0)


def test_the_conversation_used_is_in_the_json_and_any_name_starts_one(home: Path) -> None:
    """`--conversation` takes any name (created on first use) and `--json` reports it, so a
    script can ask the follow-up; without one, the new conversation's id is reported."""
    first, _ = ask_json(home, "What was revenue last month?")
    assert first["conversation_id"]
    named, _ = ask_json_in(home, "What was revenue last month?", "my-q4-review")
    assert named["conversation_id"] == "my-q4-review"
    follow_up, code = ask_json_in(home, "and by channel?", "my-q4-review")
    assert (follow_up["conversation_id"], code) == ("my-q4-review", 0)
    assert follow_up["tool_calls"][0]["args"]["dimensions"] == ["channel"]
    help_text = run(home, "ask", "--help", COLUMNS="200").stdout
    assert "any name works and is created on first use" in " ".join(help_text.split())


def ask_json_in(home: Path, question: str, conversation: str) -> tuple[dict, int]:
    result = run(home, "ask", question, "--json", "--conversation", conversation)
    return json.loads(result.stdout.strip().splitlines()[-1]), result.returncode
