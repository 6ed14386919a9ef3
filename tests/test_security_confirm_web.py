"""Human confirmation in the web UI: the `/confirm` API and the session-bound pending actions."""

from __future__ import annotations

from pathlib import Path

from gradio_client import Client
from sqlalchemy import Engine, text

from copilot.confirmation import open_actions
from tests.servers import login_status, offline_copilot, served_web


def test_web_confirm_runs_only_this_sessions_action_as_the_logged_in_user(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    copilot = offline_copilot(tmp_path, duckdb_demo_engine)
    with served_web(copilot, ("ana", "s3cret")) as url:
        owner = Client(url, auth=("ana", "s3cret"), verbose=False)
        reply = owner.predict(
            "export the At Risk segment for SMS with phone numbers", api_name="/ask"
        )
        [pending] = reply["pending_actions"]
        assert pending["status"] == "pending" and not list(tmp_path.glob("exports/*.csv"))
        assert [a.action_id for a in open_actions(copilot.state, reply["conversation_id"])] == [
            pending["action_id"]
        ]
        intruder = Client(url, auth=("ana", "s3cret"), verbose=False)
        refused = intruder.predict(pending["action_id"], api_name="/confirm")
        assert refused["status"] == "error" and not list(tmp_path.glob("exports/*.csv"))
        done = owner.predict(pending["action_id"], api_name="/confirm")
        assert done["status"] == "answered", done
        assert len(list(tmp_path.glob("exports/*.csv"))) == 1
        assert open_actions(copilot.state, reply["conversation_id"]) == []
    with duckdb_demo_engine.connect() as conn:
        actor = conn.execute(
            text("SELECT actor FROM audit_log WHERE entry_id = :e"),
            {"e": f"confirmed-{pending['action_id']}"},
        ).scalar_one()
    assert actor == "web:ana"


def test_login_throttle_counts_per_address_and_over_all_clients() -> None:
    from copilot.frontends.web.login import LoginThrottle

    now, address = [1000.0], ["10.0.0.1"]
    throttle = LoginThrottle("ana", "right", clock=lambda: now[0], address=lambda: address[0])
    # One address spraying usernames: locked after 10 failures, whatever the names.
    assert not any(throttle(f"user-{i}", "guess") for i in range(10))
    assert throttle.locked("someone-new", "10.0.0.1")
    assert not throttle("ana", "right")  # the right password waits too, from that address
    address[0] = "10.0.0.2"
    assert throttle("ana", "right")  # another address is not held up by it
    # Many addresses, few guesses each: the global cap stops them all.
    now[0] += 3600
    for i in range(50):
        address[0] = f"10.1.{i // 250}.{i % 250}"
        throttle(f"name-{i}", "guess")
    address[0] = "10.9.9.9"
    assert throttle.locked("anyone", "10.9.9.9") and not throttle("ana", "right")
    now[0] += 3600  # long after: all locks have expired
    assert throttle("ana", "right")


def test_login_over_http_is_throttled_per_address(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with served_web(offline_copilot(tmp_path, duckdb_demo_engine), ("ana", "s3cret")) as url:
        # Different usernames each time: the per-username count never reaches 5.
        assert all(login_status(url, f"user-{i}", "guess") >= 400 for i in range(12))
        assert login_status(url, "ana", "s3cret") >= 400  # this address is locked
