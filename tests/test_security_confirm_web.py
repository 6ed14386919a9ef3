"""Human confirmation in the web UI: the `/confirm` API and the session-bound pending actions."""

from __future__ import annotations

import socket
from pathlib import Path

from gradio_client import Client
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.confirmation import open_actions
from copilot.frontends.web import build_app, start
from copilot.settings import Settings
from tests.conftest import AS_OF


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_web_confirm_runs_only_this_sessions_action_as_the_logged_in_user(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    copilot = Copilot(settings, engine=duckdb_demo_engine)
    app = start(build_app(copilot), "127.0.0.1", free_port(), auth=("ana", "s3cret"), block=False)
    try:
        owner = Client(app.local_url, auth=("ana", "s3cret"), verbose=False)
        reply = owner.predict(
            "export the At Risk segment for SMS with phone numbers", api_name="/ask"
        )
        [pending] = reply["pending_actions"]
        assert pending["status"] == "pending" and not list(tmp_path.glob("exports/*.csv"))
        assert [a.action_id for a in open_actions(copilot.state, reply["conversation_id"])] == [
            pending["action_id"]
        ]
        intruder = Client(app.local_url, auth=("ana", "s3cret"), verbose=False)
        refused = intruder.predict(pending["action_id"], api_name="/confirm")
        assert refused["status"] == "error" and not list(tmp_path.glob("exports/*.csv"))
        done = owner.predict(pending["action_id"], api_name="/confirm")
        assert done["status"] == "answered", done
        assert len(list(tmp_path.glob("exports/*.csv"))) == 1
        assert open_actions(copilot.state, reply["conversation_id"]) == []
    finally:
        app.close()
    with duckdb_demo_engine.connect() as conn:
        actor = conn.execute(
            text("SELECT actor FROM audit_log WHERE entry_id = :e"),
            {"e": f"confirmed-{pending['action_id']}"},
        ).scalar_one()
    assert actor == "web:ana"
