"""The Slack bot as Slack drives it: signed HTTP requests to the real Bolt app.

The bot answers with the offline copilot on the demo store and talks to a fake
Slack Web API (tests/fakes/slack_api.py). Each test runs its own bot; leaving
`running_bot` waits for all background work, so "nothing was posted" is a fact,
not a guess about timing.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.answer import Answer, ToolCallRecord
from copilot.frontends.slack import (
    SlackConfig,
    SlackConfigError,
    answer_blocks,
    build_app,
    make_http_server,
    question_text,
    socket_mode_handler,
    to_mrkdwn,
)
from copilot.frontends.slack.dedupe import SeenEvents
from copilot.frontends.slack.handlers import REFUSAL
from copilot.frontends.slack.render import split_sections
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.fakes.slack_api import FakeSlackAPI

SECRET = "test-signing-secret"
# Revenue = net sales (MARKETING.md): completed orders and returns on their own dates.
NET_SALES = "(status = 'completed' OR total < 0) AND status <> 'cancelled'"
_ts = itertools.count(1)


# --------------------------------------------------------------------------- harness


@dataclass
class RecordingCopilot:
    """The real copilot, recording each ask; with `gate` set, asks wait until it opens."""

    inner: Copilot
    gate: threading.Event | None = None
    asked: list[tuple[str, str | None, str]] = field(default_factory=list)

    def ask(self, question: str, conversation_id: str | None = None, source: str = "api") -> Answer:
        self.asked.append((question, conversation_id, source))
        if self.gate is not None:
            assert self.gate.wait(30), "the test never opened the gate"
        return self.inner.ask(question, conversation_id, source)


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("slack-home")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


@contextmanager
def running_bot(asker: Any, slack: FakeSlackAPI, **config: Any) -> Iterator[str]:
    """Serve the bot on a free loopback port; on exit, wait for every answer in progress."""
    executor = ThreadPoolExecutor(max_workers=4)
    settings = SlackConfig(
        bot_token="xoxb-test", signing_secret=SECRET, api_url=slack.base_url, **config
    )
    server = make_http_server(build_app(asker, settings, executor=executor), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        executor.shutdown(wait=True)


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    """Slack's request signature: v0= HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def send(
    url: str,
    body: bytes,
    content_type: str = "application/json",
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """POST a request signed as Slack signs it."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(body, stamp, secret),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.read().decode(), dict(exc.headers))


def new_ts() -> str:
    return f"1790000{next(_ts):03d}.000100"


def event_body(event: dict[str, Any], event_id: str | None = None, team: str = "T1") -> bytes:
    """An Events API callback as Slack sends it."""
    payload = {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{event['ts'].replace('.', '')}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
    }
    return json.dumps(payload).encode()


def mention(
    question: str, ts: str, channel: str = "C1", user: str = "U1", thread_ts: str | None = None
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {question}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_body(
    question: str, slack: FakeSlackAPI, user: str = "U1", channel: str = "C2"
) -> bytes:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "marketing",
            "user_id": user,
            "command": "/copilot",
            "text": question,
            "response_url": slack.response_url(),
            "trigger_id": f"trigger-{next(_ts)}",
            "api_app_id": "A1",
        }
    ).encode()


def message_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a posted message: its sections and context."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [element["text"] for element in block["elements"]]
    return "\n".join(parts)


# --------------------------------------------------------------------------- truth from SQL


def sales_orders(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(text(f"SELECT order_date, total FROM orders WHERE {NET_SALES}"), conn)
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def monthly_revenue_2026(engine: Engine) -> pd.Series:
    orders = sales_orders(engine)
    orders = orders[(orders.order_date >= "2026-01-01") & (orders.order_date < "2026-11-01")]
    return orders.groupby(orders.order_date.dt.strftime("%Y-%m"))["total"].sum().astype(float)


def revenue_october_2026(engine: Engine) -> float:
    orders = sales_orders(engine)
    month = orders[(orders.order_date >= "2026-10-01") & (orders.order_date < "2026-11-01")]
    return float(month["total"].sum())


# --------------------------------------------------------------------------- the bot over HTTP


def test_mention_is_acked_at_once_then_answered_in_thread_with_files(
    copilot: Copilot, slack: FakeSlackAPI, duckdb_demo_engine: Engine
) -> None:
    asker = RecordingCopilot(copilot, gate=threading.Event())
    ts = new_ts()
    with running_bot(asker, slack) as url:
        reply = send(url, event_body(mention("revenue by month this year", ts)))
        # The ack came back while the copilot was still held at the gate.
        assert reply.status == 200
        slack.wait_for(lambda _: asker.asked)
        assert slack.messages(channel="C1") == []
        asker.gate.set()
        answer = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=ts))[0]
        uploads = slack.wait_for(lambda s: len(s.uploads) >= 2 and s.uploads)

    assert asker.asked == [("revenue by month this year", f"slack-T1-C1-{ts}", "slack")]
    expected = monthly_revenue_2026(duckdb_demo_engine)
    shown = message_text(answer)
    assert f"highest: {expected.idxmax()} with ¥{expected.max():,.2f}" in shown
    assert f"lowest: {expected.idxmin()} with ¥{expected.min():,.2f}" in shown
    assert "mode: offline" in shown and "`query_metrics`" in shown
    assert all(len(b["text"]["text"]) <= 3000 for b in answer["blocks"] if b["type"] == "section")

    csv_file, png_file = uploads
    assert (csv_file.filename.endswith(".csv"), png_file.filename.endswith(".png")) == (True, True)
    assert {(u.channel, u.thread_ts) for u in uploads} == {("C1", ts)}
    table = pd.read_csv(io.StringIO(csv_file.data.decode("utf-8-sig")))
    # The web's CSV writer (round 4): headers as the answer labels them.
    months = pd.to_datetime(table["Month"]).dt.strftime("%Y-%m")
    assert list(months) == list(expected.index)
    assert table["Revenue"].tolist() == pytest.approx(expected.tolist())
    assert png_file.data.startswith(b"\x89PNG\r\n\x1a\n")
    reactions = slack.calls("reactions.add")
    assert [(c.args["channel"], c.args["timestamp"]) for c in reactions] == [("C1", ts)]


def test_follow_up_in_the_thread_continues_the_conversation(
    copilot: Copilot, slack: FakeSlackAPI, duckdb_demo_engine: Engine
) -> None:
    root, follow_up = new_ts(), new_ts()
    with running_bot(copilot, slack) as url:
        assert send(url, event_body(mention("revenue by month this year", root))).status == 200
        slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=root))
        body = event_body(mention("orders by month this year", follow_up, thread_ts=root))
        assert send(url, body).status == 200
        slack.wait_for(lambda s: len(s.messages(channel="C1", thread_ts=root)) == 2)

    with duckdb_demo_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT role, content FROM conversation_messages "
                "WHERE conversation_id = :c ORDER BY seq"
            ),
            {"c": f"slack-T1-C1-{root}"},
        ).all()
    assert [role for role, _ in rows] == ["user", "assistant", "user", "assistant"]
    assert [rows[0][1], rows[2][1]] == ["revenue by month this year", "orders by month this year"]


def test_answers_with_demo_figures_carry_the_demo_note_as_in_the_cli(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    figures, refusal = new_ts(), new_ts()
    with running_bot(copilot, slack) as url:
        assert send(url, event_body(mention("revenue by month this year", figures))).status == 200
        assert (
            send(url, event_body(mention("what is the weather in Paris?", refusal))).status == 200
        )
        answered = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=figures))[0]
        refused = slack.wait_for(lambda s: s.messages(channel="C1", thread_ts=refusal))[0]
    assert "These numbers come from the demo data" in message_text(answered)
    # No figures, no note about where figures come from.
    assert "demo data" not in message_text(refused)


def test_direct_message_is_answered_in_its_thread(
    copilot: Copilot, slack: FakeSlackAPI, duckdb_demo_engine: Engine
) -> None:
    ts = new_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "text": "What was revenue last month?",
        "ts": ts,
    }
    with running_bot(copilot, slack) as url:
        assert send(url, event_body(event)).status == 200
        answer = slack.wait_for(lambda s: s.messages(channel="D1", thread_ts=ts))[0]
    assert f"¥{revenue_october_2026(duckdb_demo_engine):,.2f}" in message_text(answer)


def test_slash_command_answers_in_a_thread_under_the_question(
    copilot: Copilot, slack: FakeSlackAPI, duckdb_demo_engine: Engine
) -> None:
    with running_bot(copilot, slack) as url:
        reply = send(
            url,
            command_body("What was revenue last month?", slack),
            "application/x-www-form-urlencoded",
        )
        assert reply.status == 200
        assert json.loads(reply.body)["response_type"] == "ephemeral"
        parent = slack.wait_for(lambda s: s.calls("chat.postMessage"))[0]
        assert parent.args["channel"] == "C2" and "thread_ts" not in parent.args
        assert "What was revenue last month?" in parent.args["text"]
        thread = parent.response["ts"]
        answer = slack.wait_for(lambda s: s.messages(channel="C2", thread_ts=thread))[0]
    assert f"¥{revenue_october_2026(duckdb_demo_engine):,.2f}" in message_text(answer)


def test_slash_command_where_the_bot_cannot_post_answers_privately(
    copilot: Copilot, slack: FakeSlackAPI, duckdb_demo_engine: Engine
) -> None:
    slack.fail("chat.postMessage", "not_in_channel")
    with running_bot(copilot, slack) as url:
        body = command_body("What was revenue last month?", slack)
        assert send(url, body, "application/x-www-form-urlencoded").status == 200
        private = slack.wait_for(lambda s: s.calls("response_url"))[0]
    assert private.args["response_type"] == "ephemeral"
    assert f"¥{revenue_october_2026(duckdb_demo_engine):,.2f}" in message_text(private.args)


def test_forged_signature_and_stale_timestamp_are_rejected(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    asker = RecordingCopilot(copilot)
    with running_bot(asker, slack) as url:
        forged = send(url, event_body(mention("revenue", new_ts())), secret="not-the-secret")
        stale = send(
            url, event_body(mention("revenue", new_ts())), timestamp=int(time.time()) - 6 * 60
        )
        unsigned = urllib.request.Request(url, data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(unsigned, timeout=10)
    assert (forged.status, stale.status, missing.value.code) == (401, 401, 401)
    assert asker.asked == []
    assert slack.calls("chat.postMessage") == []


def test_slack_retries_are_acked_and_answered_once(copilot: Copilot, slack: FakeSlackAPI) -> None:
    asker = RecordingCopilot(copilot)
    first, lost = new_ts(), new_ts()
    body = event_body(mention("What was revenue last month?", first))
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    with running_bot(asker, slack) as url:
        assert send(url, body).status == 200
        slack.wait_for(lambda s: s.messages(thread_ts=first))
        again = send(url, body, headers=retry)
        twice = send(url, body, headers={**retry, "X-Slack-Retry-Num": "2"})
        # A retry of an event whose first delivery never reached us is answered.
        unseen = send(url, event_body(mention("orders last month", lost)), headers=retry)
    assert (again.status, twice.status, unseen.status) == (200, 200, 200)
    assert again.headers.get("x-slack-no-retry") == "1"
    assert len(slack.messages(thread_ts=first)) == 1
    assert len(slack.messages(thread_ts=lost)) == 1
    assert [q for q, _, _ in asker.asked] == ["What was revenue last month?", "orders last month"]


def test_allowlists_ignore_mentions_and_refuse_commands_privately(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    asker = RecordingCopilot(copilot)
    allowed, blocked, other_team, blocked_dm = new_ts(), new_ts(), new_ts(), new_ts()
    dm = {"type": "message", "channel_type": "im", "channel": "D7", "user": "U1", "ts": blocked_dm}
    with running_bot(
        asker,
        slack,
        allowed_users=frozenset({"U1"}),
        allowed_teams=frozenset({"T1"}),
        allowed_channels=frozenset({"C1", "C2"}),
    ) as url:
        assert (
            send(url, event_body(mention("revenue last month", blocked, user="U9"))).status == 200
        )
        body = event_body(mention("revenue last month", other_team), team="T666")
        assert send(url, body).status == 200
        assert send(url, event_body({**dm, "text": "revenue last month"})).status == 200
        refused = send(
            url, command_body("revenue", slack, user="U9"), "application/x-www-form-urlencoded"
        )
        assert send(url, event_body(mention("revenue last month", allowed))).status == 200
    assert json.loads(refused.body) == {"response_type": "ephemeral", "text": REFUSAL}
    assert [m["thread_ts"] for m in slack.messages()] == [allowed]
    assert [c for _, c, _ in asker.asked] == [f"slack-T1-C1-{allowed}"]


def test_url_verification_other_events_and_health_check(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    challenge = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    with running_bot(copilot, slack) as url:
        reply = send(url, challenge.encode())
        other = {"type": "reaction_added", "user": "U1", "reaction": "tada", "ts": new_ts()}
        assert send(url, event_body(other)).status == 200
        with urllib.request.urlopen(url.replace("/slack/events", "/healthz"), timeout=10) as r:
            health = r.read()
    assert (reply.status, json.loads(reply.body)["challenge"], health) == (200, "abc123", b"ok")


def test_socket_mode_handler_uses_the_app_token_and_api_url(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    config = SlackConfig(bot_token="xoxb-test", app_token="xapp-test", api_url=slack.base_url)
    with ThreadPoolExecutor(max_workers=1) as executor:
        handler = socket_mode_handler(
            build_app(copilot, config.validate(), executor=executor), "xapp-test"
        )
    assert handler.client.app_token == "xapp-test"
    assert handler.client.web_client.base_url == slack.base_url
    assert config.socket_mode


# --------------------------------------------------------------------------- pieces


def test_markdown_becomes_slack_mrkdwn() -> None:
    markdown = (
        "## Revenue\n**Total**: ¥1,000 & rising\n- *north* up\n  - [report](https://x.io/a?b=1)\n"
        "```python\nx = a**b < c\n```\n| city | orders |\n|---|---|\n| 上海 | 3 |\n~~old~~ `a*b*c`"
    )
    assert to_mrkdwn(markdown).split("\n") == [
        "*Revenue*",
        "*Total*: ¥1,000 &amp; rising",
        "• _north_ up",
        "    • <https://x.io/a?b=1|report>",
        "```x = a**b &lt; c```",
        "```",
        "| city | orders |",
        "|---|---|",
        "| 上海 | 3 |",
        "```",
        "~old~ `a*b*c`",
    ]


def test_long_answers_split_into_sections_of_at_most_3000_characters() -> None:
    paragraph = "Revenue grew in every city. " * 40
    code = "```\n" + "\n".join(f"row {i}" for i in range(900)) + "\n```"
    long_text = "\n\n".join([paragraph] * 6 + [code, "x" * 7000])
    sections = split_sections(long_text)
    assert all(len(s) <= 3000 for s in sections)
    assert all(s.count("```") % 2 == 0 for s in sections)
    assert "".join(sections).count("row 899") == 1
    joined = "".join(s.replace("```", "").replace("\n", "").replace(" ", "") for s in sections)
    assert joined == long_text.replace("```", "").replace("\n", "").replace(" ", "")
    answer = Answer(
        text=long_text,
        mode="offline",
        conversation_id="c",
        tool_calls=[ToolCallRecord("query_metrics", {}), ToolCallRecord("query_metrics", {})],
    )
    blocks = answer_blocks(answer)
    assert [b["type"] for b in blocks] == ["section"] * len(sections) + ["context"]
    assert blocks[-1]["elements"][0]["text"] == "mode: offline · tools: `query_metrics`"


def test_question_text_drops_the_bot_mention_and_unwraps_markup() -> None:
    raw = "<@UBOT> revenue &amp; orders in <#C1|marketing> for <@U2> see <https://x.io|this>"
    assert question_text(raw, "UBOT") == "revenue & orders in #marketing for @U2 see this"


@pytest.mark.parametrize(
    ("team", "channel", "user", "allowed"),
    [
        ("T1", "C1", "U1", True),
        ("T2", "C1", "U1", False),
        ("T1", "C9", "U1", False),
        ("T1", "C1", "U9", False),
        ("T1", "D1", "U1", True),
    ],
)
def test_allowlist(team: str, channel: str, user: str, allowed: bool) -> None:
    config = SlackConfig(
        bot_token="x",
        signing_secret="s",
        allowed_teams=frozenset({"T1"}),
        allowed_channels=frozenset({"C1", "dm"}),
        allowed_users=frozenset({"U1"}),
    )
    assert config.allows(team, channel, user) is allowed
    assert SlackConfig(bot_token="x", signing_secret="s").allows(team, channel, user)


def test_direct_messages_need_dm_on_a_channel_allowlist() -> None:
    config = SlackConfig(bot_token="x", signing_secret="s", allowed_channels=frozenset({"C1"}))
    assert not config.allows("T1", "D1", "U1")


def test_seen_events_expire_and_stay_bounded() -> None:
    now = [0.0]
    seen = SeenEvents(ttl_s=10, max_size=3, clock=lambda: now[0])
    assert (seen.first_time("a"), seen.first_time("a")) == (True, False)
    now[0] = 11.0
    assert seen.first_time("a")
    for key in "bcde":
        seen.first_time(key)
    assert len(seen) == 3 and seen.first_time("a")


def test_config_from_settings_and_what_it_requires(tmp_path: Path) -> None:
    settings = SimpleNamespace(
        slack_bot_token="xoxb-1",
        slack_signing_secret="sec",
        slack_app_token=None,
        slack_allowed_teams="T1, T2",
        slack_allowed_channels="",
        slack_allowed_users="U1 U2",
        slack_port=4000,
    )
    config = SlackConfig.from_settings(settings, port=None)
    assert (config.allowed_teams, config.allowed_users) == ({"T1", "T2"}, {"U1", "U2"})
    assert (config.port, config.host, config.socket_mode) == (4000, "127.0.0.1", False)
    with pytest.raises(SlackConfigError, match="SIGNING_SECRET"):
        SlackConfig(bot_token="xoxb-1").validate()
    with pytest.raises(SlackConfigError, match="BOT_TOKEN"):
        SlackConfig.from_settings(SimpleNamespace(), signing_secret="s")
    assert SlackConfig(bot_token="xoxb-1", app_token="xapp-1").validate().socket_mode


def test_csv_upload_keeps_chinese_readable() -> None:
    from copilot.frontends.slack import answer_files
    from tools.base import TableArtifact

    frame = pd.DataFrame({"city": ["上海", "北京"], "orders": [3, 5]})
    answer = Answer("x", "offline", "c", artifacts=[TableArtifact("各城市订单", frame)])
    (upload,) = answer_files(answer, "zh")
    assert upload["filename"] == "各城市订单.csv"
    rows = list(csv.reader(io.StringIO(upload["content"].decode("utf-8-sig"))))
    # The web's CSV writer: headers in the question's language (round 4: one writer).
    assert rows == [["城市", "订单数"], ["上海", "3"], ["北京", "5"]]


# --------------------------------------------------------------------------- hostile requests


def raw_post(url: str, headers: dict[str, str], body: bytes) -> tuple[int, float]:
    """POST with exactly these headers (no Content-Length added): (status, seconds)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.hostname}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    started = time.perf_counter()
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        try:  # the server may answer and close before reading a refused body
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        reply = b""
        try:
            while chunk := conn.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass
    return int(reply.split(b" ", 2)[1]), time.perf_counter() - started


def signed_headers(body: bytes, stamp: str | None = None) -> dict[str, str]:
    stamp = stamp or str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(body, stamp),
    }


def test_malformed_length_and_timestamp_headers_get_4xx_not_500(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    asker = RecordingCopilot(copilot)
    body = event_body(mention("revenue last month", new_ts()))
    big = b"x" * (3 << 20)  # larger than the 1 MB cap
    with running_bot(asker, slack) as url:
        minus_one, seconds = raw_post(url, {**signed_headers(big), "Content-Length": "-1"}, big)
        missing, _ = raw_post(url, signed_headers(body), body)
        words, _ = raw_post(url, {**signed_headers(body), "Content-Length": "abc"}, body)
        huge, _ = raw_post(url, {**signed_headers(body), "Content-Length": str(1 << 40)}, body)
        short, _ = raw_post(
            url, {**signed_headers(body), "Content-Length": str(len(body) + 10)}, body
        )
        for stamp in ("abc", "1e9", "-5", "99999999999999999999999"):
            headers = {**signed_headers(body, stamp), "Content-Length": str(len(body))}
            assert raw_post(url, headers, body)[0] == 401, stamp
        bad_utf8 = b'{"x": "\xff"}'
        assert (
            raw_post(url, {**signed_headers(bad_utf8), "Content-Length": "12"}, bad_utf8)[0] == 400
        )
    assert (minus_one, missing, words, huge, short) == (400, 411, 400, 413, 400)
    assert seconds < 5
    assert asker.asked == []


def test_slack_connect_user_of_another_team_is_not_answered(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    asker = RecordingCopilot(copilot)
    outsider, insider = new_ts(), new_ts()
    with running_bot(asker, slack, allowed_teams=frozenset({"T1"})) as url:
        shared = {**mention("revenue last month", outsider), "user_team": "T9", "team": "T9"}
        assert send(url, event_body(shared)).status == 200
        command = command_body("revenue", slack) + b"&user_team=T9"
        refused = send(url, command, "application/x-www-form-urlencoded")
        own = {**mention("revenue last month", insider), "user_team": "T1", "team": "T1"}
        assert send(url, event_body(own)).status == 200
    assert json.loads(refused.body) == {"response_type": "ephemeral", "text": REFUSAL}
    assert [c for _, c, _ in asker.asked] == [f"slack-T1-C1-{insider}"]


def test_replayed_slash_command_is_answered_once(copilot: Copilot, slack: FakeSlackAPI) -> None:
    asker = RecordingCopilot(copilot)
    body = command_body("What was revenue last month?", slack)
    stamp = int(time.time())
    with running_bot(asker, slack) as url:
        first = send(url, body, "application/x-www-form-urlencoded", timestamp=stamp)
        slack.wait_for(lambda s: s.calls("chat.postMessage"))
        replay = send(url, body, "application/x-www-form-urlencoded", timestamp=stamp)
    assert (first.status, replay.status) == (200, 200)
    assert [q for q, _, _ in asker.asked] == ["What was revenue last month?"]


def test_a_chinese_command_is_acknowledged_in_chinese(
    copilot: Copilot, slack: FakeSlackAPI
) -> None:
    with running_bot(copilot, slack) as url:
        chinese = send(
            url, command_body("上个月的客单价是多少？", slack), "application/x-www-form-urlencoded"
        )
        english = send(
            url,
            command_body("What was AOV last month?", slack),
            "application/x-www-form-urlencoded",
        )
        slack.wait_for(lambda s: len(s.calls("chat.postMessage")) >= 4)
    assert json.loads(chinese.body)["text"] == "正在查询：上个月的客单价是多少？"
    assert json.loads(english.body)["text"] == "Looking into: What was AOV last month?"


def test_a_failed_attachment_is_told_in_the_thread_and_logged(
    copilot: Copilot, slack: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """The upload URL failing (HTTP 500, no Slack API error) after the answer was posted: one
    sentence in the thread, in the question's language, and the traceback in the log."""
    slack.uploads_fail = True
    english, chinese = new_ts(), new_ts()
    with caplog.at_level("ERROR", logger="copilot.frontends.slack.handlers"):
        with running_bot(copilot, slack) as url:
            send(url, event_body(mention("revenue by month this year", english)))
            send(url, event_body(mention("今年每月的销售额", chinese)))
            posted = slack.wait_for(
                lambda s: (
                    len(s.messages(channel="C1", thread_ts=english)) >= 2
                    and len(s.messages(channel="C1", thread_ts=chinese)) >= 2
                    and s.messages(channel="C1")
                )
            )
    in_english = [m["text"] for m in slack.messages(channel="C1", thread_ts=english)]
    in_chinese = [m["text"] for m in slack.messages(channel="C1", thread_ts=chinese)]
    assert posted and slack.uploads == []
    assert in_english[-1] == "I could not attach the tables and charts; the error was logged."
    assert in_chinese[-1] == "表格和图表未能上传，错误已记录。"
    failures = [r for r in caplog.records if "could not attach" in r.getMessage()]
    assert len(failures) == 2 and all(r.exc_info for r in failures)
