"""One home, many real processes: `copilot ui` running while ask, chat, import and a second ui run.

Issue 10 item 3: every combination works, readers never block each other, a
writer waits and then succeeds, nothing is lost, and nobody holds the store
while idle. Each process here is a real `copilot` subprocess on loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from copilot.conversations import load_turns
from knowledge.store.database import connect_warehouse
from knowledge.store.state import connect_state

ROOT = Path(__file__).resolve().parents[1]
STEP_TIMEOUT_S = 900  # two shared cores: each process spends ~10 s of CPU just starting


def copilot_command() -> list[str]:
    found = shutil.which("copilot")
    return [found] if found else [sys.executable, "-m", "copilot.frontends.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COPILOT_DEMO_CUSTOMERS": "300",
        "COPILOT_AS_OF": "2026-11-01",
        "COPILOT_LLM_PROVIDER": "offline",
        "COPILOT_STORE_WAIT_S": "600",
    }
    for name in ("COPILOT_DATABASE_URL", "COPILOT_STATE_URL", "COPILOT_UI_AUTH"):
        env.pop(name, None)
    return env


def start_ui(home: Path, port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [*copilot_command(), "ui", "--port", str(port)],
            env=environment(home),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_until_served(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the UI exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"the UI at {url} did not serve in time:\n{log.read_text()[-3000:]}")


def run(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*copilot_command(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(home),
        cwd=ROOT,
        timeout=STEP_TIMEOUT_S,
    )


def team_store(home: Path) -> None:
    """A home holding a team's own data (the demo generator's rows without its demo note).

    Importing into a home that holds the demo data is refused (never mixed), so the
    concurrent import below needs a store of the user's own.
    """
    from knowledge.demo import generate_demo_data
    from knowledge.demo.marker import clear_demo_marker
    from knowledge.store import connect_store

    home.mkdir(parents=True)
    engine = connect_store(f"duckdb:///{home}/store.duckdb")
    try:
        generate_demo_data(engine, customers=300, seed=42)
        clear_demo_marker(engine)
    finally:
        engine.dispose()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_ui_ask_chat_import_and_a_second_ui_on_one_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    customers = tmp_path / "new_customers.csv"
    customers.write_text(
        "customer_id,name,city\nP-0001,Ana Lima,Lisbon\nP-0002,Wei Zhang,Shanghai\n"
        "P-0003,Sam Okafor,Lagos\n",
        encoding="utf-8",
    )
    first_port, second_port = free_port(), free_port()
    first_log, second_log = tmp_path / "ui1.log", tmp_path / "ui2.log"
    team_store(home)  # an import into a demo home is refused: the team's own data
    first_ui = start_ui(home, first_port, first_log)
    second_ui: subprocess.Popen | None = None
    try:
        wait_until_served(f"http://127.0.0.1:{first_port}/", first_ui, first_log)
        ui_answer: dict = {}

        def ask_the_ui() -> None:
            from gradio_client import Client

            client = Client(f"http://127.0.0.1:{first_port}/", verbose=False)
            ui_answer.update(client.predict("What was revenue last month?", api_name="/ask"))

        results: dict[str, subprocess.CompletedProcess[str]] = {}
        jobs = {
            "ask": lambda: run(
                home, "ask", "Top 3 cities by orders in 2026", "--json", "--conversation", "p-ask"
            ),
            "chat": lambda: run(
                home,
                "chat",
                "--conversation",
                "p-chat",
                stdin="What was revenue last month?\nand by channel?\n/exit\n",
            ),
            "import": lambda: run(home, "import", "customers", str(customers)),
        }
        threads = [
            threading.Thread(target=lambda n=name, job=job: results.__setitem__(n, job()))
            for name, job in jobs.items()
        ]
        threads.append(threading.Thread(target=ask_the_ui))
        second_ui = start_ui(home, second_port, second_log)
        for thread in threads:
            thread.start()
        wait_until_served(f"http://127.0.0.1:{second_port}/", second_ui, second_log)
        for thread in threads:
            thread.join(timeout=STEP_TIMEOUT_S)

        for name in jobs:
            result = results[name]
            assert result.returncode == 0, f"{name}: {result.stderr[-3000:]}"
            assert "Traceback" not in result.stderr, f"{name}: {result.stderr[-3000:]}"
        asked = json.loads(results["ask"].stdout)
        assert asked["error"] is None and asked["tables"], asked
        assert "Revenue by channel" in results["chat"].stdout
        assert "Imported 3 rows" in results["import"].stdout
        assert ui_answer.get("error") is None and ui_answer.get("tables"), ui_answer
        # Both UIs still answer after all that.
        for port in (first_port, second_port):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                assert response.status == 200

        # Idle UIs hold nothing: another import goes through without waiting on them.
        more = tmp_path / "more_customers.csv"
        more.write_text("customer_id,name,city\nP-0004,Lea Roth,Berlin\n", encoding="utf-8")
        again = run(home, "import", "customers", str(more))
        assert again.returncode == 0, again.stderr[-3000:]
        assert "waiting for other copilot processes" not in again.stderr
    finally:
        stop(first_ui)
        if second_ui is not None:
            stop(second_ui)

    # Nothing was lost: the imported rows and every conversation are there.
    warehouse = connect_warehouse(f"duckdb:///{home}/store.duckdb")
    with warehouse.connect() as conn:
        imported = conn.execute(
            text("SELECT count(*) FROM customers WHERE customer_id LIKE 'P-000%'")
        ).scalar_one()
    warehouse.dispose()
    assert imported == 4
    state = connect_state(f"sqlite:///{home}/state.sqlite")
    assert [t["role"] for t in load_turns(state, "p-ask")] == ["user", "assistant"]
    assert [t["role"] for t in load_turns(state, "p-chat")] == ["user", "assistant"] * 2
    assert len(load_turns(state, ui_answer["conversation_id"])) == 2
    with state.connect() as conn:
        batches = conn.execute(text("SELECT count(*) FROM import_batches")).scalar_one()
    state.dispose()
    assert batches == 2
