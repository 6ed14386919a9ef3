"""Unicode of any kind is stored or replaced, never a crash: lone surrogates, GBK arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.conversations import load_turns
from copilot.settings import Settings
from copilot.unicode_text import argument_text, clean_text, has_cjk, starts_cjk
from knowledge.demo import generate_demo_data
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.openai_server import text as reply

ROOT = Path(__file__).resolve().parent.parent


def test_one_test_of_chinese_text() -> None:
    # Round 7 review: the planner's language, vocabulary and accounting share this one test.
    assert has_cjk("revenue 上个月") and not has_cjk("revenue last month")
    assert starts_cjk("星空促销") and not starts_cjk("a星空") and not starts_cjk("")


def test_clean_text_and_argument_text() -> None:
    assert clean_text("ok \ud800 \udfff") == "ok \ufffd \ufffd"
    assert clean_text("普通 text 😀") == "普通 text 😀"
    gbk = "上个月的销售额是多少？".encode("gbk")
    as_python_reads_it = gbk.decode("utf-8", "surrogateescape")  # PEP 383, a UTF-8 locale
    assert argument_text(as_python_reads_it) == "上个月的销售额是多少？"
    assert argument_text(b"\xff\xfe\xfa".decode("utf-8", "surrogateescape")) != ""


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_lone_surrogate_in_a_question_is_replaced(kind: str, tmp_path: Path) -> None:
    engine = connect_store(f"{kind}:///{tmp_path}/store.{kind}")
    generate_demo_data(engine, customers=60, seed=7)
    copilot = Copilot(Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=engine)
    answer = copilot.ask("revenue last month \ud800?", conversation_id="c1")
    assert answer.conversation_id == "c1"
    turns = load_turns(engine, "c1")
    assert turns[0]["content"] == "revenue last month \ufffd?"
    answer.text.encode("utf-8")  # printable and storable
    engine.dispose()


def test_lone_surrogate_in_a_remote_reply_is_replaced(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with FakeOpenAIServer() as server:
        server.script(reply("Revenue rose \ud83d but fine."))
        settings = Settings(
            home=tmp_path,
            as_of=AS_OF,
            llm_base_url=server.base_url,
            llm_api_key="k",
            llm_model="fake-model",
            llm_max_retries=0,
        )
        answer = Copilot(settings, engine=duckdb_demo_engine).ask("how is revenue?")
    answer.text.encode("utf-8")
    assert "\ud83d" not in answer.text


def test_gbk_encoded_command_line_question(tmp_path: Path) -> None:
    question = "上个月的销售额是多少？".encode("gbk")
    env = {
        **os.environ,
        "COPILOT_HOME": str(tmp_path),
        "COPILOT_DEMO_CUSTOMERS": "150",
        "COPILOT_AS_OF": "2026-11-01",
        "PYTHONPATH": str(ROOT),
        "LC_ALL": "C.UTF-8",
        "PYTHONUTF8": "1",
    }
    env.pop("COPILOT_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"copilot.frontends.cli", b"ask", question, b"--json"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    payload = json.loads(result.stdout)
    assert payload["error"] is None
    assert payload["tool_calls"][0]["name"] == "query_metrics"
