"""A replay server: answers the copilot as real OpenAI-compatible servers did.

`tests/data/llm-transcripts/` holds exchanges recorded on loopback between the copilot
and two real servers running Qwen2.5-Coder-1.5B-Instruct (llama.cpp's `llama-server
--jinja`, and `llama-cpp-python[server]`). A replay server picks, for each request,
the recorded exchange the real server gave to a request of the same shape
(streaming or not, `tool_choice` sent or not) and sends its recorded status and body
byte for byte (JSON, or the SSE stream with its pings).

The recordings hold the model's first reply to a question only. What a server said
after a tool result was not recorded, so a test scripts that part itself
(`after_tool`), and says so.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.fakes.loopback import LoopbackServer

TRANSCRIPTS = Path(__file__).resolve().parents[1] / "data" / "llm-transcripts"


@dataclass(frozen=True)
class Exchange:
    """One recorded request and the server's real response."""

    id: int
    status: int
    request: dict[str, Any]
    response: str

    @property
    def streamed(self) -> bool:
        return bool(self.request.get("stream"))


def load_exchanges(name: str) -> dict[int, Exchange]:
    """The exchanges of `proxy_<name>.jsonl`, by their recorded id."""
    exchanges = {}
    for line in (TRANSCRIPTS / f"proxy_{name}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        exchanges[record["id"]] = Exchange(
            record["id"], record["status"], record["request"], record["response"]
        )
    return exchanges


Chooser = Callable[[dict[str, Any]], Exchange]
AfterTool = Callable[[dict[str, Any]], str]


def llama_server() -> Chooser:
    """llama-server --jinja: the right call as a json code block in the message text,
    streamed (exchange 2) or not (exchange 1), whatever `tool_choice` says."""
    exchanges = load_exchanges("llama_server")
    return lambda body: exchanges[2] if body.get("stream") else exchanges[1]


def lcp_function_calling() -> Chooser:
    """llama-cpp-python, chatml-function-calling: tools ignored unless `tool_choice` is
    sent (10 plain, 7 streamed: "As an AI language model ..."); `auto` gives a real
    tool call (6) but an empty stream when streaming (8); `required` is HTTP 500 (9)."""
    exchanges = load_exchanges("lcp_jinja")

    def choose(body: dict[str, Any]) -> Exchange:
        choice, stream = body.get("tool_choice"), bool(body.get("stream"))
        if choice == "required":
            return exchanges[9]
        if choice == "auto":
            return exchanges[8] if stream else exchanges[6]
        return exchanges[7] if stream else exchanges[10]

    return choose


def lcp_invented_number() -> Chooser:
    """llama-cpp-python given the 20 tools: skips them and invents a number (12,
    "Revenue last month was $1,234,567."); the same reply to every request."""
    exchanges = load_exchanges("lcp_jinja")
    return lambda body: exchanges[12]


class ReplayServer(LoopbackServer):
    """Serves recorded responses chosen by request shape; records every request body."""

    def __init__(self, choose: Chooser, after_tool: AfterTool | None = None) -> None:
        super().__init__()
        self.choose = choose
        self.after_tool = after_tool
        self.bodies: list[dict[str, Any]] = []
        self.served: list[int | str] = []
        self._lock = threading.Lock()

    handler: type[BaseHTTPRequestHandler]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def respond(self, body: dict[str, Any]) -> tuple[int, str, bool]:
        """(status, body text, is SSE) for one chat request."""
        with self._lock:
            self.bodies.append(body)
        messages = body.get("messages", [])
        if messages and messages[-1].get("role") == "tool":
            if self.after_tool is None:
                raise AssertionError("replay: a tool result arrived and no after_tool is scripted")
            with self._lock:
                self.served.append("after_tool")
            return 200, *_scripted(self.after_tool(body), bool(body.get("stream")))
        exchange = self.choose(body)
        with self._lock:
            self.served.append(exchange.id)
        sse = exchange.status == 200 and exchange.streamed
        return exchange.status, exchange.response, sse


def _scripted(content: str, stream: bool) -> tuple[str, bool]:
    """A scripted assistant text in the OpenAI JSON or SSE shape."""
    if not stream:
        message = {"role": "assistant", "content": content}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return json.dumps(
            {"id": "scripted", "object": "chat.completion", "choices": [choice]}
        ), False
    chunks = [{"role": "assistant", "content": content}, {}]
    lines = []
    for index, delta in enumerate(chunks):
        finish = "stop" if index == len(chunks) - 1 else None
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        lines.append(
            "data: "
            + json.dumps({"id": "scripted", "object": "chat.completion.chunk", "choices": [choice]})
        )
    lines.append("data: [DONE]")
    return "\n\n".join(lines) + "\n\n", True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        status, text, sse = self.server.fake.respond(body)  # type: ignore[attr-defined]
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "text/event-stream" if sse else "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


ReplayServer.handler = _Handler
