"""The `copilot` command run as a subprocess, as people and scripts use it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from knowledge.store import connect_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "online_retail_sample.csv"
# UCI dates (12/1/2010) read both ways in a sample of early December: the user says which.
MONTH_FIRST = ("--date-order", "month-first")


def copilot_command() -> list[str]:
    """The installed console script, or the module when the package is not installed."""
    found = shutil.which("copilot")
    return [found] if found else [sys.executable, "-m", "copilot.frontends.cli"]


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COPILOT_DEMO_CUSTOMERS": "300",
        "COPILOT_AS_OF": "2026-11-01",
        "COLUMNS": "200",  # rich folds wide tables to the terminal; a pipe has none
        **env,
    }
    environment.pop("COPILOT_DATABASE_URL", None) if "COPILOT_DATABASE_URL" not in env else None
    return subprocess.run(
        [*copilot_command(), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=180,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:  # noqa: ANN001
    return tmp_path_factory.mktemp("cli-home")


def test_ask_json_contract_on_first_start_demo_store(home: Path) -> None:
    result = run(home, "ask", "What was revenue last month?", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {
        "status",
        "answer",
        "mode",
        "tool_calls",
        "tables",
        "error",
        "grounding",
        "pending_actions",  # added with human confirmation (issue 17): a new key, same contract
        "conversation_id",  # the --conversation of a follow-up (round 9): a new key
        "store",
    }
    assert payload["status"] == "answered"
    assert payload["mode"] == "offline"
    # First start of a new home: the demo store, and the answer says so.
    assert payload["store"] == {
        "kind": "demo",
        "empty_tables": [],
        "demo": {"customers": 300, "seed": 42, "end_date": "2026-10-31"},
    }
    assert payload["error"] is None
    assert payload["tool_calls"] == [
        {"name": "query_metrics", "args": {"metrics": ["revenue"], "time_range": "last month"}}
    ]
    engine = connect_store(f"duckdb:///{home}/store.duckdb", create=False)
    with engine.connect() as conn:
        expected = conn.execute(
            text(
                # Revenue = net sales: completed orders and returns (negative) on their dates.
                "SELECT SUM(total) FROM orders WHERE (status = 'completed' OR total < 0) "
                "AND status <> 'cancelled' AND order_date BETWEEN '2026-10-01' AND '2026-10-31'"
            )
        ).scalar_one()
    engine.dispose()
    table = payload["tables"][0]
    assert table["columns"] == ["revenue"]
    assert table["rows"][0][0] == pytest.approx(float(expected))
    assert f"¥{float(expected):,.2f}" in payload["answer"]

    chinese = json.loads(run(home, "ask", "上个月的销售额是多少？", "--json").stdout)
    assert chinese["tables"][0]["rows"] == table["rows"]
    assert "销售额" in chinese["answer"]


def test_ask_plain_text_and_refusal(home: Path) -> None:
    result = run(home, "ask", "Top 3 cities by orders in 2026")
    assert result.returncode == 0, result.stderr
    assert "Orders by city" in result.stdout
    assert "nanobind" not in result.stderr
    refusal = run(home, "ask", "what's the weather?", "--json")
    assert refusal.returncode == 3  # refused (issue 10: a refusal is not a success)
    assert json.loads(refusal.stdout)["tool_calls"] == []
    assert json.loads(refusal.stdout)["status"] == "refused"


def test_demo_data_refuses_to_overwrite_without_replace(tmp_path: Path) -> None:
    first = run(tmp_path, "demo-data", "--customers", "50")
    assert first.returncode == 0, first.stderr
    again = run(tmp_path, "demo-data", "--customers", "50")
    assert again.returncode == 2
    assert "--replace" in again.stderr
    replaced = run(tmp_path, "demo-data", "--customers", "60", "--seed", "3", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "60 customers" in replaced.stdout


def test_import_transactions_is_idempotent_and_bad_files_change_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.sqlite"
    first = run(
        tmp_path, "import", "transactions", str(SAMPLE), *MONTH_FIRST, COPILOT_DATABASE_URL=url
    )
    assert first.returncode == 0, first.stderr
    assert "Imported" in first.stdout
    engine = connect_store(url)

    def counts() -> tuple[int, int]:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT COUNT(*) FROM orders")).scalar_one(),
                conn.execute(text("SELECT COUNT(*) FROM order_items")).scalar_one(),
            )

    before = counts()
    assert before[0] > 0
    second = run(
        tmp_path, "import", "transactions", str(SAMPLE), *MONTH_FIRST, COPILOT_DATABASE_URL=url
    )
    assert second.returncode == 0
    assert "already imported" in second.stdout
    assert counts() == before

    bad = tmp_path / "bad.csv"
    bad.write_text("InvoiceNo,StockCode,Quantity\n1,A,2\n", encoding="utf-8")
    failed = run(tmp_path, "import", "transactions", str(bad), COPILOT_DATABASE_URL=url)
    assert failed.returncode == 3  # a refused file (README: import's exit codes), not bad usage
    assert "missing" in failed.stderr.lower() and "--map" in failed.stderr
    assert counts() == before
    engine.dispose()


def test_settings_markdown_is_the_readme_table() -> None:
    result = subprocess.run(
        [*copilot_command(), "settings", "--markdown"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- settings-table:start -->")[1].split("<!-- settings-table:end -->")[
        0
    ]
    assert section.strip() == result.stdout.strip()


def test_help_everywhere() -> None:
    for args in (
        ["--help"],
        ["ask", "--help"],
        ["import", "--help"],
        ["demo-data", "--help"],
        ["ui", "--help"],
    ):
        result = subprocess.run(
            [*copilot_command(), *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, args
        assert "Usage" in result.stdout
        # A flag reads `--help`, not `--help <bool>` (typer 0.29 printed a type after flags).
        assert "<bool>" not in result.stdout, args
        assert result.stderr == "", args


def test_chat_keeps_the_conversation_and_shows_tool_steps(home: Path) -> None:
    environment = {**os.environ, "COPILOT_HOME": str(home), "COPILOT_AS_OF": "2026-11-01"}
    environment.pop("COPILOT_DATABASE_URL", None)
    result = subprocess.run(
        [*copilot_command(), "chat", "--conversation", "cli-test"],
        input="What was revenue last month?\nand by channel?\n/exit\n",
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "→ query_metrics" in result.stderr and "← query_metrics" in result.stderr
    assert "Revenue by channel" in result.stdout  # the follow-up used the first question
    # Conversations live in the state store, apart from the warehouse (issue 15, two stores).
    from copilot.conversations import load_turns
    from knowledge.store.state import connect_state

    state = connect_state(f"sqlite:///{home}/state.sqlite")
    assert [t["role"] for t in load_turns(state, "cli-test")] == ["user", "assistant"] * 2
    state.dispose()


def test_copy_batch_writes_checked_drafts(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts.csv"
    result = run(
        home, "copy", "--segments", "all", "--channel", "sms", "--language", "zh",
        "--variants", "2", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    import pandas as pd

    drafts = pd.read_csv(out, encoding="utf-8-sig")
    assert len(drafts) >= 4 and drafts["checks_passed"].all()
    assert drafts["segment"].nunique() * 2 == len(drafts)
    assert drafts["text"].str.contains("回T退订").all()
    assert "pass every check" in result.stderr


def test_knowledge_add_list_search_remove(tmp_path: Path) -> None:
    doc = tmp_path / "returns.md"
    doc.write_text(
        "# Returns policy\n\nCustomers may return items within 30 days.\n", encoding="utf-8"
    )
    added = run(tmp_path, "knowledge", "add", str(doc))
    assert added.returncode == 0, added.stderr
    listed = run(tmp_path, "knowledge", "list")
    assert "returns.md" in listed.stdout and "brand_guidelines" in listed.stdout
    found = run(
        tmp_path,
        "knowledge",
        "search",
        "How many days do customers have to return items?",
        "-k",
        "3",
    )
    assert "Returns policy" in found.stdout
    removed = run(tmp_path, "knowledge", "remove", str(doc))
    assert removed.returncode == 0 and "Removed" in removed.stdout
    missing = run(tmp_path, "knowledge", "add", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "nope.md" in missing.stderr


def test_segments_rfm_list_profile_export(home: Path) -> None:
    assert run(home, "segments", "rfm").returncode == 0
    listed = run(home, "segments", "list")
    assert listed.returncode == 0 and "Champions" in listed.stdout and "rfm" in listed.stdout
    profile = run(home, "segments", "profile", "Champions")
    # Headers are human labels now (issue 13: no snake_case), so "Index", not "index".
    assert profile.returncode == 0 and "Index" in profile.stdout
    exported = run(home, "segments", "export", "Champions", "--channel", "email", "--hashed")
    assert exported.returncode == 0, exported.stderr
    hashed_file = Path(exported.stdout.split("hashed file: ")[1].split()[0])
    assert hashed_file.exists() and hashed_file.is_relative_to(home / "exports")
    unknown = run(home, "segments", "export", "No Such Segment", "--channel", "sms")
    assert unknown.returncode == 2 and "No Such Segment" in unknown.stderr


def test_plain_answers_on_demo_data_say_so_and_stderr_stays_quiet(home: Path) -> None:
    run(home, "ask", "What was revenue last month?", "--json")  # first start: demo store
    answer = run(home, "ask", "What was revenue last month?")
    assert answer.returncode == 0, answer.stderr
    assert "demo data (300 made-up customers)" in answer.stdout
    # Only our own one-line summary; no library warnings, no progress bar on an existing store.
    assert answer.stderr.splitlines() == [
        line for line in answer.stderr.splitlines() if line.startswith("mode: offline; tools:")
    ]
    assert len(answer.stderr.splitlines()) == 1
    chinese = run(home, "ask", "上个月的销售额是多少？")
    assert "演示数据" in chinese.stdout
    as_json = run(home, "ask", "上个月的销售额是多少？", "--json")
    assert as_json.stderr == ""
    assert json.loads(as_json.stdout)["store"]["kind"] == "demo"


def test_a_refusal_on_demo_data_has_no_demo_note(home: Path) -> None:
    run(home, "ask", "What was revenue last month?", "--json")  # first start: demo store
    refusal = run(home, "ask", "what's the weather?")
    assert refusal.returncode == 3
    assert "demo data" not in refusal.stdout


@pytest.mark.parametrize("columns", [80, 60])
def test_a_wide_table_keeps_every_column_on_a_narrow_terminal(home: Path, columns: int) -> None:
    run(home, "ask", "What was revenue last month?", "--json")  # first start: demo store
    result = run(home, "ask", "did the Double 11 push A/B test work?", COLUMNS=str(columns))
    assert result.returncode == 0, result.stderr
    # The answer's text is printed unwrapped when piped; the table is drawn to the width.
    lines = result.stdout.split("A/B test: conversion rate by variant")[1].splitlines()
    assert all(len(line) <= columns for line in lines if "demo data" not in line), result.stdout
    # No column squeezed to nothing: each header and each variant's row reads whole.
    assert "┃┃" not in result.stdout and "││" not in result.stdout
    for header in ("Variant", "Delivered", "Conversions", "Conversion rate"):
        assert any(line.strip().startswith(header) for line in lines), result.stdout
    variants = [line.split()[-1] for line in lines if line.strip().startswith("Variant")]
    assert variants == ["A", "B"], result.stdout


def test_slack_without_network_is_a_runtime_error_in_one_sentence(home: Path) -> None:
    run(home, "ask", "What was revenue last month?", "--json")  # first start: demo store
    result = run(
        home,
        "slack",
        COPILOT_SLACK_BOT_TOKEN="xoxb-test",
        COPILOT_SLACK_SIGNING_SECRET="secret",
        COPILOT_SLACK_API_URL="http://127.0.0.1:9/api/",  # nothing listens on port 9
    )
    assert result.returncode == 1, result.stderr  # README: 1 = the work failed; 2 = bad usage
    assert "Cannot reach Slack at http://127.0.0.1:9/api/" in " ".join(result.stderr.split())
    assert "slack_sdk" not in result.stderr and "ERROR" not in result.stderr, result.stderr


def test_a_failed_first_import_leaves_the_store_empty_not_demo(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("InvoiceNo,StockCode,Quantity\n1,A,2\n", encoding="utf-8")
    failed = run(tmp_path, "import", "transactions", str(bad))
    assert failed.returncode == 3
    result = run(tmp_path, "ask", "What was revenue last month?", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["store"]["kind"] == "empty"
    assert payload["store"]["demo"] is None
    assert "orders" in payload["store"]["empty_tables"]
    plain = run(tmp_path, "ask", "What was revenue last month?")
    assert "The store is empty" in plain.stdout
    assert "copilot import" in plain.stdout and "copilot demo-data" in plain.stdout
    assert "Traceback" not in plain.stderr
    engine = connect_store(f"duckdb:///{tmp_path}/store.duckdb")
    with engine.connect() as conn:  # nothing was generated behind the user's back
        assert conn.execute(text("SELECT COUNT(*) FROM customers")).scalar_one() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM orders")).scalar_one() == 0
    engine.dispose()
    # Demo data only by choice: `copilot demo-data` fills it and labels it.
    chosen = run(tmp_path, "demo-data", "--customers", "40")
    assert chosen.returncode == 0, chosen.stderr
    labelled = json.loads(run(tmp_path, "ask", "What was revenue last month?", "--json").stdout)
    assert labelled["store"]["kind"] == "demo"
    assert labelled["store"]["demo"]["customers"] == 40


def test_a_store_with_only_campaigns_answers_what_it_can(tmp_path: Path) -> None:
    campaigns = tmp_path / "campaigns.csv"
    campaigns.write_text(
        "campaign_id,name,channel,start_date,end_date,cost\n"
        "C1,Spring SMS,sms,2026-03-01,2026-03-10,1200\n"
        "C2,Summer email,email,2026-06-01,2026-06-15,800\n",
        encoding="utf-8",
    )
    imported = run(tmp_path, "import", "campaigns", str(campaigns))
    assert imported.returncode == 0, imported.stderr
    for question in ("What was revenue last month?", "segment my customers with RFM"):
        result = run(tmp_path, "ask", question, "--json")
        # Answered, or an honest refusal (no orders to score): never a traceback.
        assert result.returncode in (0, 1, 3), result.stderr
        assert "Traceback" not in result.stderr
        payload = json.loads(result.stdout)
        assert payload["store"]["kind"] == "user"
        assert "orders" in payload["store"]["empty_tables"]
        assert "campaigns" not in payload["store"]["empty_tables"]
    plain = run(tmp_path, "ask", "What was revenue last month?")
    assert "No rows yet in customers, products, orders" in plain.stdout
    # The store is not empty, so demo data needs --replace, and then replaces the campaigns.
    refused = run(tmp_path, "demo-data", "--customers", "30")
    assert refused.returncode == 2 and "--replace" in refused.stderr
    assert run(tmp_path, "demo-data", "--customers", "30", "--replace").returncode == 0


def test_ui_serves_its_page_quietly_with_the_demo_badge(home: Path) -> None:
    import socket
    import time
    import urllib.request

    run(home, "ask", "What was revenue last month?", "--json")  # the demo store exists
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "COPILOT_HOME": str(home)}
    environment.pop("COPILOT_DATABASE_URL", None)
    process = subprocess.Popen(
        [*copilot_command(), "ui", "--port", str(port)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 170
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=5) as r:
                    page = r.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert "store-badge" in page and "demo data (made-up numbers)" in page
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    # No library warnings, no "share=True" hint, no demo progress bar on an existing store.
    assert "share=True" not in out + err
    assert "Warning" not in err and "Preparing the demo store" not in err
    assert "Creating the demo store" not in out  # said only on a new home's first start
    assert err.strip() == "", err


def test_raw_export_waits_for_yes_and_the_audit_names_the_terminal_user(home: Path) -> None:
    question = "export the At Risk segment for SMS with phone numbers"

    def raw_files() -> list[Path]:
        return [p for p in (home / "exports").glob("at-risk-sms-*.csv") if "sha256" not in p.name]

    before = raw_files()
    piped = run(home, "ask", question, "--json")  # stdin is not a terminal: nothing runs
    payload = json.loads(piped.stdout)
    assert [a["status"] for a in payload["pending_actions"]] == ["declined"], piped.stderr
    assert "--yes" in piped.stderr and raw_files() == before
    confirmed = run(home, "ask", question, "--json", "--yes")
    assert confirmed.returncode == 0, confirmed.stderr
    [action] = json.loads(confirmed.stdout)["pending_actions"]
    assert action["status"] == "confirmed" and "raw file:" in action["result"]
    assert len(raw_files()) == len(before) + 1
    from knowledge.store.state import connect_state

    state = connect_state(f"sqlite:///{home}/state.sqlite")
    with state.connect() as conn:
        actors = (
            conn.execute(
                text("SELECT actor FROM audit_log WHERE action IN ('export_raw', 'confirmed')")
            )
            .scalars()
            .all()
        )
    state.dispose()
    assert actors and all(a.startswith("cli:") for a in actors)


def test_importing_one_row_says_one_row(tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
    url = f"sqlite:///{tmp_path}/store.sqlite"
    result = run(tmp_path, "import", "transactions", str(one), *MONTH_FIRST, COPILOT_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert "Imported 1 row from" in said and "1 rows" not in said
