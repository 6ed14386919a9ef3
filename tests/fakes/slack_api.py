"""A fake Slack Web API on loopback for offline tests of the Slack bot.

The server listens on ``127.0.0.1`` (ephemeral port) in a background thread and
answers the methods the bot uses with Slack-shaped JSON (``{"ok": true, ...}``):
``auth.test``, ``chat.postMessage``, ``chat.postEphemeral``, ``reactions.add``,
``files.getUploadURLExternal`` + the upload URL it hands out +
``files.completeUploadExternal`` (what ``WebClient.files_upload_v2`` calls), and
``apps.connections.open``. Point the real ``slack_sdk.WebClient`` at it::

    with FakeSlackAPI() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.messages(channel="C1")[0]["text"] == "hi"

Every call is recorded with its arguments merged from the query string, a form
body and a JSON body (JSON-encoded ``blocks`` / ``files`` arguments decoded).
``wait_for(predicate)`` polls until the bot's background work shows up.
``fail(method, error)`` makes a method answer ``{"ok": false, "error": ...}``;
``uploads_fail = True`` makes the upload URL answer HTTP 500 (not a Slack API error).
Unknown methods answer ``{"ok": false, "error": "unknown_method"}``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import LoopbackServer, QuietServer

__all__ = ["FakeSlackAPI", "SlackCall", "Upload"]

T = TypeVar("T")
_JSON_ARGS = ("blocks", "attachments", "files")


@dataclass(frozen=True)
class SlackCall:
    """One Web API call: the method name (``chat.postMessage``), its arguments and headers."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Upload:
    """A file that went through all three steps of ``files_upload_v2``."""

    file_id: str
    filename: str
    title: str
    data: bytes
    channel: str | None
    thread_ts: str | None


class FakeSlackAPI(LoopbackServer):
    """Slack's Web API on loopback, recording calls. Thread-safe; a context manager."""

    def __init__(
        self, team_id: str = "T1", bot_user_id: str = "UBOT", bot_id: str = "BBOT"
    ) -> None:
        super().__init__()
        self.team_id, self.bot_user_id, self.bot_id = team_id, bot_user_id, bot_id
        self._changed = threading.Condition()
        self._calls: list[SlackCall] = []
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._uploads: list[Upload] = []
        self.uploads_fail = False
        self._failures: dict[str, str] = {}
        self._counter = itertools.count(1)

    # -- lifecycle ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The Web API base URL to give ``WebClient(base_url=...)``."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A slash command ``response_url``; what is posted to it is recorded as ``response_url``."""
        return f"{self.url}/response/{name}"

    # -- scripting and reading -----------------------------------------------------

    def fail(self, method: str, error: str) -> None:
        """Make ``method`` answer ``{"ok": false, "error": error}`` from now on."""
        with self._changed:
            self._failures[method] = error

    def calls(self, method: str | None = None) -> list[SlackCall]:
        """The calls so far (of one method when given), in arrival order."""
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(self, channel: str | None = None, thread_ts: str | None = None) -> list[dict]:
        """The arguments of every ``chat.postMessage`` (to one channel / thread when given)."""
        return [
            c.args
            for c in self.calls("chat.postMessage")
            if (channel is None or c.args.get("channel") == channel)
            and (thread_ts is None or c.args.get("thread_ts") == thread_ts)
        ]

    @property
    def uploads(self) -> list[Upload]:
        """Files uploaded and completed, in order."""
        with self._changed:
            return list(self._uploads)

    def wait_for(self, predicate: Callable[[FakeSlackAPI], T], timeout: float = 20.0) -> T:
        """Wait until ``predicate(self)`` is truthy and return it; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate(self)
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [c.method for c in self._calls]
                    raise AssertionError(f"timed out waiting; calls so far: {methods}")
                self._changed.wait(min(left, 0.2))

    # -- serving (called by the handler) ------------------------------------------------

    def _next(self) -> int:
        with self._changed:
            return next(self._counter)

    def _record(self, call: SlackCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            failure = self._failures.get(method)
        if failure:
            return {"ok": False, "error": failure}
        n = self._next()
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake Team",
                "user": "copilot",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"{1_800_000_000 + n}.{n:06d}"
            message = {"type": "message", "ts": ts, "text": args.get("text"), "bot_id": self.bot_id}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1_800_000_000 + n}.{n:06d}"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{n:08d}"
            with self._changed:
                self._pending_files[file_id] = {"filename": args.get("filename"), "data": None}
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete(args)
        if method == "apps.connections.open":
            return {"ok": True, "url": "ws://127.0.0.1:9/"}
        if method in ("reactions.add", "reactions.remove", "conversations.info"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _complete(self, args: dict[str, Any]) -> dict[str, Any]:
        done: list[dict[str, Any]] = []
        with self._changed:
            for item in args.get("files") or []:
                pending = self._pending_files.pop(item["id"], None)
                if pending is None or pending["data"] is None:
                    return {"ok": False, "error": "file_not_found"}
                title = item.get("title") or pending["filename"]
                self._uploads.append(
                    Upload(
                        file_id=item["id"],
                        filename=pending["filename"],
                        title=title,
                        data=pending["data"],
                        channel=args.get("channel_id"),
                        thread_ts=args.get("thread_ts"),
                    )
                )
                done.append({"id": item["id"], "name": pending["filename"], "title": title})
            self._changed.notify_all()
        return {"ok": True, "files": done}

    def _store_upload(self, file_id: str, data: bytes) -> bool:
        with self._changed:
            pending = self._pending_files.get(file_id)
            if pending is None:
                return False
            pending["data"] = data
            return True


class _Handler(BaseHTTPRequestHandler):
    server: QuietServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server API
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        kind = "text/plain" if isinstance(payload, bytes) else "application/json; charset=utf-8"
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        """Slack's SDK sends some methods as GET with query arguments."""
        self.do_POST()

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        """Route ``/api/<method>``, ``/upload/<file_id>`` and ``/response/<name>``."""
        fake = self.server.fake
        parts = urlsplit(self.path)
        raw = self._body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        if parts.path.startswith("/upload/"):
            if fake.uploads_fail:
                self._send(500, b"upload failed")
                return
            ok = fake._store_upload(parts.path.removeprefix("/upload/"), raw)
            self._send(200 if ok else 404, b"OK" if ok else b"unknown file")
            return
        args = _arguments(parts.query, raw, headers.get("content-type", ""))
        if parts.path.startswith("/response/"):
            fake._record(SlackCall("response_url", args, headers))
            self._send(200, b"ok")
            return
        if not parts.path.startswith("/api/"):
            self._send(404, {"ok": False, "error": "not_found"})
            return
        method = parts.path.removeprefix("/api/")
        payload = fake._answer(method, args)
        fake._record(SlackCall(method, args, headers, payload))
        self._send(200, payload)


def _arguments(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    """A request's arguments from its query string, form body or JSON body."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type and text.strip():
        body = json.loads(text)
        if isinstance(body, dict):
            args.update(body)
    elif text:
        args.update(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_ARGS:
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except json.JSONDecodeError:
                pass
    return args


FakeSlackAPI.handler = _Handler
