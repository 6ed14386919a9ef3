"""A fake OpenAI-compatible HTTP server for offline tests.

The server listens on ``127.0.0.1`` (ephemeral port) in a background thread and speaks
just enough of the OpenAI REST API for the real ``openai`` client and langchain-openai's
``ChatOpenAI`` to work against it:

* ``POST /v1/chat/completions`` -- JSON, or Server-Sent Events when ``"stream": true``
  (``stream_options.include_usage`` adds the trailing usage chunk);
* ``GET /v1/models`` and ``GET /v1/models/{id}``.

Responses are scripted up front and consumed one per chat request, in order::

    from tests.fakes.openai_server import FakeOpenAIServer, error, text, tool_calls

    with FakeOpenAIServer() as server:
        server.script(
            error(429, "slow down", retry_after=0.01),
            tool_calls([("lookup_customer", {"id": 7})]),
            text("Done."),
        )
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert len(server.requests) == 3
        assert "alice@example.com" not in server.all_request_text()

As a pytest fixture::

    @pytest.fixture
    def openai_server() -> Iterator[FakeOpenAIServer]:
        with FakeOpenAIServer() as server:
            yield server

Every request (including ``GET /v1/models`` and unknown paths) is recorded in
:attr:`FakeOpenAIServer.requests`. When the script runs dry the server answers ``500``
with ``"fake server: no scripted response left"`` and ``x-should-retry: false`` so the
client fails at once instead of retrying.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, TypeAlias

from tests.fakes.loopback import LoopbackServer, QuietServer

__all__ = [
    "DelayResponse",
    "ErrorResponse",
    "FakeOpenAIServer",
    "FnResponse",
    "RecordedRequest",
    "ScriptedResponse",
    "TextResponse",
    "ToolCallsResponse",
    "delay",
    "error",
    "fn",
    "text",
    "tool_calls",
]

NO_SCRIPT_LEFT_MESSAGE = "fake server: no scripted response left"
"""Error message returned when a chat request arrives and the script queue is empty."""

_STREAM_PARTS = 3
"""Into how many chunks streamed content / tool arguments are split."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request received by the fake server.

    Attributes:
        path: Request path including any query string, e.g. ``"/v1/chat/completions"``.
        headers: Request headers with **lower-cased** names.
        body_json: The parsed JSON body, or ``None`` when the body is empty / not JSON.
        raw_text: The raw body decoded as UTF-8 (undecodable bytes replaced).
        method: The HTTP method (``"POST"``, ``"GET"``...).
    """

    path: str
    headers: dict[str, str]
    body_json: Any
    raw_text: str
    method: str = "POST"

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` of the request body (empty list when absent)."""
        if isinstance(self.body_json, dict):
            messages = self.body_json.get("messages")
            if isinstance(messages, list):
                return messages
        return []


# --------------------------------------------------------------------------- script


@dataclass(frozen=True)
class TextResponse:
    """An assistant message with plain text content."""

    content: str
    finish_reason: str = "stop"


@dataclass(frozen=True)
class ToolCallSpec:
    """One tool call of a :class:`ToolCallsResponse`.

    ``arguments`` is sent verbatim, so it may be deliberately invalid JSON.
    ``call_id`` of ``None`` means "allocate the next ``call_N`` id".
    """

    name: str
    arguments: str
    call_id: str | None = None


@dataclass(frozen=True)
class ToolCallsResponse:
    """An assistant message carrying ``tool_calls`` (``finish_reason="tool_calls"``)."""

    calls: tuple[ToolCallSpec, ...]
    content: str | None = None
    finish_reason: str = "tool_calls"


@dataclass(frozen=True)
class ErrorResponse:
    """An HTTP error with an OpenAI-shaped body ``{"error": {...}}``."""

    status: int
    message: str
    type: str
    code: str | None
    retry_after: float | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DelayResponse:
    """Sleep ``seconds`` before answering with ``then`` (to provoke client timeouts)."""

    seconds: float
    then: ScriptedResponse


@dataclass(frozen=True)
class FnResponse:
    """Compute the response from the parsed request body at request time."""

    func: Callable[[dict[str, Any]], ScriptedResponse | str]


ScriptedResponse: TypeAlias = (
    TextResponse | ToolCallsResponse | ErrorResponse | DelayResponse | FnResponse
)
"""Anything :meth:`FakeOpenAIServer.script` accepts (plain ``str`` is shorthand for text)."""


def text(content: str, *, finish_reason: str = "stop") -> TextResponse:
    """Script an assistant text message."""
    return TextResponse(content=content, finish_reason=finish_reason)


def tool_calls(
    calls: Sequence[tuple[str, Mapping[str, Any] | str] | tuple[str, Mapping[str, Any] | str, str]],
    content: str | None = None,
) -> ToolCallsResponse:
    """Script an assistant message that calls tools.

    Args:
        calls: ``(name, args)`` or ``(name, args, call_id)`` tuples. ``args`` is a dict
            (serialised with ``json.dumps``) or a raw string sent as-is -- use a string
            to deliver INVALID JSON arguments. Ids default to ``call_1``, ``call_2``...
            numbered per server, so they stay unique across a conversation.
        content: Optional assistant text sent alongside the tool calls.
    """
    specs: list[ToolCallSpec] = []
    for entry in calls:
        name, args = entry[0], entry[1]
        call_id = entry[2] if len(entry) > 2 else None  # type: ignore[misc]
        arguments = args if isinstance(args, str) else json.dumps(dict(args), ensure_ascii=False)
        specs.append(ToolCallSpec(name=name, arguments=arguments, call_id=call_id))
    return ToolCallsResponse(calls=tuple(specs), content=content)


_ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "model_not_found"),
    408: ("timeout_error", "timeout"),
    409: ("conflict_error", None),
    422: ("invalid_request_error", None),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    500: ("server_error", "internal_error"),
    502: ("server_error", "bad_gateway"),
    503: ("server_error", "service_unavailable"),
    504: ("server_error", "gateway_timeout"),
}


def error(
    status: int,
    message: str,
    retry_after: float | None = None,
    *,
    type: str | None = None,  # noqa: A002 - mirrors the OpenAI field name
    code: str | None = None,
    should_retry: bool | None = None,
    headers: Mapping[str, str] | None = None,
) -> ErrorResponse:
    """Script an HTTP error with an OpenAI-shaped body.

    Args:
        status: HTTP status, e.g. 429, 500, 503.
        message: ``error.message``.
        retry_after: Seconds for the ``retry-after`` header (floats allowed; the openai
            client honours values in ``(0, 120]``, refuses to retry above 120 s,
            and otherwise uses its own 0.5 s exponential back-off).
        type: ``error.type``; defaults to a realistic value for ``status``.
        code: ``error.code``; defaults to a realistic value for ``status``.
        should_retry: If set, sends ``x-should-retry: true/false`` which the openai
            client obeys over its status-code heuristics.
        headers: Extra response headers.
    """
    default_type, default_code = _ERROR_KINDS.get(
        status, ("server_error" if status >= 500 else "invalid_request_error", None)
    )
    extra = dict(headers or {})
    if should_retry is not None:
        extra["x-should-retry"] = "true" if should_retry else "false"
    return ErrorResponse(
        status=status,
        message=message,
        type=type or default_type,
        code=code if code is not None else default_code,
        retry_after=retry_after,
        headers=extra,
    )


def delay(seconds: float, then: ScriptedResponse | str | None = None) -> DelayResponse:
    """Script a response that is sent only after ``seconds`` (default payload: empty text)."""
    return DelayResponse(seconds=seconds, then=_coerce(then if then is not None else text("")))


def fn(func: Callable[[dict[str, Any]], ScriptedResponse | str]) -> FnResponse:
    """Script a response computed from the parsed request body (e.g. a reactive planner).

    ``func`` receives the JSON body (``model``, ``messages``, ``tools``...) and returns any
    scripted response, or a plain string as shorthand for :func:`text`.
    """
    return FnResponse(func=func)


def _coerce(response: ScriptedResponse | str) -> ScriptedResponse:
    if isinstance(response, str):
        return text(response)
    if not isinstance(
        response, TextResponse | ToolCallsResponse | ErrorResponse | DelayResponse | FnResponse
    ):
        raise TypeError(f"not a scripted response: {response!r}")
    return response


# --------------------------------------------------------------------------- server


class FakeOpenAIServer(LoopbackServer):
    """OpenAI-compatible chat server on loopback that replays scripted responses.

    Use as a context manager (``with FakeOpenAIServer() as server``) or call
    :meth:`start` / :meth:`close` yourself. Thread-safe.
    """

    def __init__(self, models: Sequence[str] = ("fake-model",)) -> None:
        """Create (but do not start) the server; ``models`` is what ``/v1/models`` lists."""
        super().__init__()
        self.models: tuple[str, ...] = tuple(models)
        self._lock = threading.Lock()
        self._queue: deque[ScriptedResponse] = deque()
        self._requests: list[RecordedRequest] = []
        self._call_ids = itertools.count(1)
        self._completion_ids = itertools.count(1)
        self._stopping = threading.Event()

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        """Bind to ``127.0.0.1:0`` and serve in a daemon thread (idempotent)."""
        if self._httpd is None:
            self._stopping.clear()
        return super().start()

    def close(self) -> None:
        """Stop serving quickly: wake delayed handlers, shut down, join the thread."""
        if self._httpd is not None:
            self._stopping.set()
        super().close()

    # -- addresses -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1`` -- pass as ``base_url`` to OpenAI / ChatOpenAI."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting -----------------------------------------------------------------

    def script(self, *responses: ScriptedResponse | str) -> FakeOpenAIServer:
        """Append responses to the queue; each chat request consumes one, in order."""
        coerced = [_coerce(r) for r in responses]
        with self._lock:
            self._queue.extend(coerced)
        return self

    @property
    def remaining(self) -> int:
        """How many scripted responses have not been consumed yet."""
        with self._lock:
            return len(self._queue)

    def _next_response(self) -> ScriptedResponse | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _next_call_id(self) -> str:
        with self._lock:
            return f"call_{next(self._call_ids)}"

    def _next_completion_id(self) -> str:
        with self._lock:
            return f"chatcmpl-fake{next(self._completion_ids):06d}"

    # -- recording -----------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Only the ``POST .../chat/completions`` requests."""
        return [r for r in self.requests if r.path.split("?")[0].endswith("/chat/completions")]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def clear_requests(self) -> None:
        """Forget the recorded requests (the script queue is kept)."""
        with self._lock:
            self._requests.clear()

    def all_request_text(self) -> str:
        """Everything clients sent: paths, headers and bodies, one block per request.

        Bodies appear both raw and re-serialised with ``ensure_ascii=False`` so a search
        for e.g. ``"Müller"`` also hits a client that escaped it as ``"M\\u00fcller"``.
        """
        blocks: list[str] = []
        for req in self.requests:
            lines = [f"{req.method} {req.path}"]
            lines += [f"{name}: {value}" for name, value in req.headers.items()]
            lines += ["", req.raw_text]
            if req.body_json is not None:
                lines.append(json.dumps(req.body_json, ensure_ascii=False))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    # -- response building (called from handler threads) ------------------------------

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is closing; returns False when interrupted."""
        return not self._stopping.wait(max(0.0, seconds))


# --------------------------------------------------------------------------- helpers


def _split(value: str, parts: int = _STREAM_PARTS) -> list[str]:
    """Split ``value`` into at most ``parts`` non-empty pieces (``[]`` for ``""``)."""
    if not value:
        return []
    size = max(1, math.ceil(len(value) / parts))
    return [value[i : i + size] for i in range(0, len(value), size)]


def _approx_tokens(value: str) -> int:
    return max(1, math.ceil(len(value) / 4)) if value else 0


def _usage(prompt_text: str, completion_text: str) -> dict[str, Any]:
    prompt, completion = _approx_tokens(prompt_text), _approx_tokens(completion_text)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


@dataclass(frozen=True)
class _Message:
    """A fully resolved assistant message (tool call ids allocated)."""

    content: str | None
    tool_calls: list[dict[str, Any]]
    finish_reason: str

    @property
    def completion_text(self) -> str:
        args = "".join(c["function"]["name"] + c["function"]["arguments"] for c in self.tool_calls)
        return (self.content or "") + args


class _Handler(BaseHTTPRequestHandler):
    """Request handler; all state lives on ``self.server.fake``."""

    server: QuietServer
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    timeout = 30  # idle keep-alive connections are dropped after this

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silence the default stderr access log."""

    # -- plumbing --------------------------------------------------------------------

    @property
    def fake(self) -> FakeOpenAIServer:
        return self.server.fake

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _record(self) -> RecordedRequest:
        raw = self._read_body()
        raw_text = raw.decode("utf-8", errors="replace")
        try:
            body_json: Any = json.loads(raw_text) if raw_text.strip() else None
        except json.JSONDecodeError:
            body_json = None
        request = RecordedRequest(
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body_json=body_json,
            raw_text=raw_text,
            method=self.command,
        )
        self.fake._record(request)
        return request

    def _send_json(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("x-request-id", f"req_fake_{time.monotonic_ns()}")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # client gave up (e.g. it timed out)

    def _send_error(self, err: ErrorResponse) -> None:
        headers = dict(err.headers)
        if err.retry_after is not None:
            headers.setdefault("retry-after", f"{err.retry_after:g}")
        body = {
            "error": {"message": err.message, "type": err.type, "param": None, "code": err.code}
        }
        self._send_json(err.status, body, headers)

    def _fatal(self, message: str, status: int = 500) -> None:
        """A non-retryable error that makes a broken test obvious."""
        self._send_error(error(status, message, should_retry=False))

    # -- routing ---------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        """Serve ``/v1/models`` and ``/v1/models/{id}``."""
        request = self._record()
        path = request.path.split("?")[0].rstrip("/")
        created = int(time.time())
        if path.endswith("/models"):
            data = [
                {"id": m, "object": "model", "created": created, "owned_by": "fake-openai"}
                for m in self.fake.models
            ]
            self._send_json(200, {"object": "list", "data": data})
            return
        prefix, _, model = path.rpartition("/")
        if prefix.endswith("/models") and model in self.fake.models:
            self._send_json(
                200, {"id": model, "object": "model", "created": created, "owned_by": "fake-openai"}
            )
            return
        self._fatal(f"fake server: unknown path GET {request.path}", status=404)

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        """Serve ``/v1/chat/completions``."""
        request = self._record()
        if not request.path.split("?")[0].rstrip("/").endswith("/chat/completions"):
            self._fatal(f"fake server: unknown path POST {request.path}", status=404)
            return
        if not isinstance(request.body_json, dict):
            self._fatal("fake server: request body is not a JSON object", status=400)
            return
        response: ScriptedResponse | None = self.fake._next_response()
        if response is None:
            self._fatal(NO_SCRIPT_LEFT_MESSAGE)
            return
        self._answer(request, response)

    # -- answering -------------------------------------------------------------------

    def _answer(self, request: RecordedRequest, response: ScriptedResponse) -> None:
        body: dict[str, Any] = request.body_json
        while True:
            if isinstance(response, DelayResponse):
                if not self.fake._sleep(response.seconds):
                    self.close_connection = True
                    return  # server is closing
                response = response.then
            elif isinstance(response, FnResponse):
                try:
                    response = _coerce(response.func(body))
                except Exception as exc:  # noqa: BLE001 - surfaced to the client
                    self._fatal(f"fake server: fn raised {type(exc).__name__}: {exc}")
                    return
            else:
                break
        if isinstance(response, ErrorResponse):
            self._send_error(response)
            return
        message = self._resolve(response)
        model = str(body.get("model") or "fake-model")
        if body.get("stream"):
            options = body.get("stream_options") or {}
            include_usage = bool(isinstance(options, dict) and options.get("include_usage"))
            self._stream(request, message, model, include_usage)
        else:
            self._complete(request, message, model)

    def _resolve(self, response: TextResponse | ToolCallsResponse) -> _Message:
        if isinstance(response, TextResponse):
            return _Message(response.content, [], response.finish_reason)
        calls = [
            {
                "id": spec.call_id or self.fake._next_call_id(),
                "type": "function",
                "function": {"name": spec.name, "arguments": spec.arguments},
            }
            for spec in response.calls
        ]
        return _Message(response.content, calls, response.finish_reason)

    def _complete(self, request: RecordedRequest, message: _Message, model: str) -> None:
        msg: dict[str, Any] = {
            "role": "assistant",
            "content": message.content,
            "refusal": None,
            "annotations": [],
        }
        if message.tool_calls:
            msg["tool_calls"] = message.tool_calls
        payload = {
            "id": self.fake._next_completion_id(),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": msg,
                    "logprobs": None,
                    "finish_reason": message.finish_reason,
                }
            ],
            "usage": _usage(request.raw_text, message.completion_text),
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
        self._send_json(200, payload)

    def _chunks(
        self, request: RecordedRequest, message: _Message, model: str, include_usage: bool
    ) -> Iterator[dict[str, Any]]:
        base = {
            "id": self.fake._next_completion_id(),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            out = dict(base)
            out["choices"] = [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ]
            if include_usage:
                out["usage"] = None
            return out

        yield chunk({"role": "assistant", "content": "", "refusal": None})
        for piece in _split(message.content or ""):
            yield chunk({"content": piece})
        for index, call in enumerate(message.tool_calls):
            function = call["function"]
            head = {
                "index": index,
                "id": call["id"],
                "type": "function",
                "function": {"name": function["name"], "arguments": ""},
            }
            yield chunk({"tool_calls": [head]})
            for piece in _split(function["arguments"]):
                yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        yield chunk({}, message.finish_reason)
        if include_usage:
            final = dict(base)
            final["choices"] = []
            final["usage"] = _usage(request.raw_text, message.completion_text)
            yield final

    def _stream(
        self, request: RecordedRequest, message: _Message, model: str, include_usage: bool
    ) -> None:
        try:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream; charset=utf-8")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.send_header("x-request-id", f"req_fake_{time.monotonic_ns()}")
            self.end_headers()
            for event in self._chunks(request, message, model, include_usage):
                self._write_chunk(f"data: {json.dumps(event)}\n\n".encode())
            self._write_chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()


FakeOpenAIServer.handler = _Handler
