"""Human confirmation in Slack: a Confirm button under the answer, or "confirm <id>" in the thread."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from sqlalchemy import Engine, text

from copilot.agent import Copilot
from tests.fakes.slack_api import FakeSlackAPI
from tests.test_slack import (  # noqa: F401 - fixtures
    copilot,
    event_body,
    mention,
    message_text,
    new_ts,
    running_bot,
    send,
    slack,
)

RAW = "export the At Risk segment for SMS with phone numbers"


def raw_files(copilot: Copilot) -> list:  # noqa: F811
    return sorted((copilot.settings.home_dir / "exports").glob("at-risk-sms-*.csv"))


def button_press(action_id: str, channel: str, thread_ts: str, user: str) -> bytes:
    """A block_actions interaction as Slack posts it (form-encoded `payload`)."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T1", "domain": "t1"},
        "user": {"id": user, "team_id": "T1"},
        "api_app_id": "A1",
        "channel": {"id": channel, "name": "marketing"},
        "container": {"type": "message", "channel_id": channel, "thread_ts": thread_ts},
        "message": {"type": "message", "ts": "1799999999.000100", "thread_ts": thread_ts},
        "trigger_id": "trigger-confirm",
        "response_url": "http://127.0.0.1:1/unused",
        "actions": [
            {
                "type": "button",
                "action_id": "copilot_confirm_0",
                "block_id": "copilot_confirm",
                "value": action_id,
                "action_ts": "1799999999.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def pending_id(message: dict) -> str:
    [block] = [b for b in message["blocks"] if b["type"] == "actions"]
    return block["elements"][0]["value"]


def test_slack_button_confirms_as_the_user_who_pressed_it(
    copilot: Copilot,  # noqa: F811
    slack: FakeSlackAPI,  # noqa: F811
    duckdb_demo_engine: Engine,
) -> None:
    before = raw_files(copilot)
    root = new_ts()
    with running_bot(copilot, slack) as url:
        assert send(url, event_body(mention(RAW, root))).status == 200
        [answer] = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=root))
        action_id = pending_id(answer)
        assert "Nothing was done yet" in message_text(answer) and raw_files(copilot) == before
        reply = send(
            url,
            button_press(action_id, "C1", root, "U7"),
            "application/x-www-form-urlencoded",
        )
        assert reply.status == 200
        done = slack.wait_for(lambda s: len(s.messages(channel="C1", thread_ts=root)) == 2)
    assert "confirmed by slack:U7" in message_text(
        slack.messages(channel="C1", thread_ts=root)[1]
    ), done
    assert len(raw_files(copilot)) == len(before) + 1
    with duckdb_demo_engine.connect() as conn:
        actor = conn.execute(
            text("SELECT actor FROM audit_log WHERE entry_id = :e"), {"e": f"confirmed-{action_id}"}
        ).scalar_one()
    assert actor == "slack:U7"


def test_typed_confirm_in_another_thread_is_refused_in_the_same_thread_runs(
    copilot: Copilot,  # noqa: F811
    slack: FakeSlackAPI,  # noqa: F811
) -> None:
    before = raw_files(copilot)
    root, other = new_ts(), new_ts()
    with running_bot(copilot, slack) as url:
        send(url, event_body(mention(RAW, root)))
        [answer] = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=root))
        action_id = pending_id(answer)
        send(url, event_body(mention(f"confirm {action_id}", other)))
        [refused] = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=other))
        assert "No pending action" in message_text(refused) and raw_files(copilot) == before
        send(url, event_body(mention(f"confirm {action_id}", new_ts(), thread_ts=root)))
        slack.wait_for(lambda s: len(s.messages(channel="C1", thread_ts=root)) == 2)
    assert len(raw_files(copilot)) == len(before) + 1
