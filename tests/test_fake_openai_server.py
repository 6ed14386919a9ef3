"""Prove the fake OpenAI-compatible server with the real ``openai`` and langchain clients."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

try:  # `tests` is a package only when the repo root is importable
    from tests.fakes.openai_server import (
        NO_SCRIPT_LEFT_MESSAGE,
        FakeOpenAIServer,
        delay,
        error,
        fn,
        text,
        tool_calls,
    )
except ModuleNotFoundError:  # pytest's rootdir-less "prepend" import mode
    from fakes.openai_server import (  # type: ignore[no-redef]
        NO_SCRIPT_LEFT_MESSAGE,
        FakeOpenAIServer,
        delay,
        error,
        fn,
        text,
        tool_calls,
    )

_ENV_TO_CLEAR = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
    "LANGCHAIN_TRACING",
    "LANGCHAIN_TRACING_V2",
    "LANGSMITH_ENDPOINT",
)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxies, no tracing, no tiktoken downloads, and no non-loopback sockets."""
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    import tiktoken

    def _no_tiktoken(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("tiktoken would download encodings; tests must stay offline")

    monkeypatch.setattr(tiktoken, "get_encoding", _no_tiktoken)
    monkeypatch.setattr(tiktoken, "encoding_for_model", _no_tiktoken)

    real_connect = socket.socket.connect

    def _loopback_only(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (
            "127.0.0.1",
            "::1",
            "localhost",
        ):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    """A running fake server, closed after the test."""
    with FakeOpenAIServer(models=("fake-model", "fake-model-mini")) as fake:
        yield fake


def _client(server: FakeOpenAIServer, **kwargs: Any) -> openai.OpenAI:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 5.0)
    return openai.OpenAI(base_url=server.base_url, api_key="test", **kwargs)


def _chat(server: FakeOpenAIServer, **kwargs: Any) -> ChatOpenAI:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 5.0)
    return ChatOpenAI(base_url=server.base_url, api_key="test", model="fake-model", **kwargs)


@tool
def lookup_customer(customer_id: int) -> str:
    """Look up a customer by id."""
    return f"customer {customer_id}"


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


# --------------------------------------------------------------------------- server basics


def test_base_url_models_and_lifecycle() -> None:
    fake = FakeOpenAIServer(models=("a-model", "b-model"))
    with pytest.raises(RuntimeError):
        _ = fake.base_url
    with fake:
        assert fake.base_url == f"http://127.0.0.1:{fake.port}/v1"
        client = _client(fake)
        assert [m.id for m in client.models.list()] == ["a-model", "b-model"]
        assert client.models.retrieve("b-model").id == "b-model"
        assert fake.requests[0].method == "GET"
        assert fake.requests[0].path == "/v1/models"
        assert fake.chat_requests == []
    started = time.monotonic()
    fake.close()  # idempotent
    assert time.monotonic() - started < 0.5


def test_unknown_path_is_404(server: FakeOpenAIServer) -> None:
    response = httpx.post(f"{server.base_url}/embeddings", json={"input": "x"}, timeout=5)
    assert response.status_code == 404
    assert "unknown path" in response.json()["error"]["message"]


# --------------------------------------------------------------------------- openai, JSON


def test_non_streaming_text(server: FakeOpenAIServer) -> None:
    server.script(text("Hello from the fake."))
    completion = _client(server).chat.completions.create(
        model="fake-model-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == "fake-model-mini"  # echoed
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == "Hello from the fake."
    assert choice.message.tool_calls is None
    assert choice.finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer test"
    assert request.headers["content-type"].startswith("application/json")
    assert request.body_json["model"] == "fake-model-mini"
    assert request.messages == [{"role": "user", "content": "hi"}]
    assert json.loads(request.raw_text) == request.body_json
    assert server.remaining == 0


def test_non_streaming_tool_calls(server: FakeOpenAIServer) -> None:
    server.script(
        tool_calls(
            [("get_weather", {"city": "Zürich"}), ("get_weather", {"city": "Oslo"})],
            content="Checking.",
        ),
        tool_calls([("get_weather", {"city": "Rome"})]),
    )
    client = _client(server)
    first = client.chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "weather?"}], tools=[WEATHER_TOOL]
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Checking."
    calls = choice.message.tool_calls
    assert calls is not None
    assert [c.id for c in calls] == ["call_1", "call_2"]
    assert [c.type for c in calls] == ["function", "function"]
    assert [json.loads(c.function.arguments) for c in calls] == [
        {"city": "Zürich"},
        {"city": "Oslo"},
    ]

    second = client.chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "again"}], tools=[WEATHER_TOOL]
    )
    assert second.choices[0].message.tool_calls[0].id == "call_3"  # unique per server
    assert server.requests[0].body_json["tools"][0]["function"]["name"] == "get_weather"


def test_invalid_json_tool_arguments_delivered_raw(server: FakeOpenAIServer) -> None:
    raw = '{"city": "Oslo",,'
    server.script(tool_calls([("get_weather", raw, "call_custom")]), tool_calls([("x", raw)]))
    client = _client(server)
    call = (
        client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "?"}]
        )
        .choices[0]
        .message.tool_calls[0]
    )
    assert call.id == "call_custom"
    assert call.function.arguments == raw

    chunks = client.chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "?"}], stream=True
    )
    streamed = "".join(
        tc.function.arguments or ""
        for chunk in chunks
        for choice in chunk.choices
        for tc in choice.delta.tool_calls or []
        if tc.function is not None
    )
    assert streamed == raw


# --------------------------------------------------------------------------- openai, SSE


def test_streaming_text_with_usage(server: FakeOpenAIServer) -> None:
    content = "Segment A converts best on weekends."
    server.script(text(content), text(content))
    client = _client(server)
    messages = [{"role": "user", "content": "insight?"}]

    chunks = list(
        client.chat.completions.create(
            model="fake-model",
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    pieces = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(pieces) > 1
    assert "".join(pieces) == content
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert server.requests[0].body_json["stream_options"] == {"include_usage": True}

    without_usage = list(
        client.chat.completions.create(model="fake-model", messages=messages, stream=True)
    )
    assert without_usage[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in without_usage)


def test_streaming_tool_calls_reassembled_by_client(server: FakeOpenAIServer) -> None:
    server.script(
        tool_calls(
            [("get_weather", {"city": "Lisbon", "unit": "C"}), ("get_weather", {"city": "Oslo"})]
        )
    )
    with _client(server).chat.completions.stream(
        model="fake-model",
        messages=[{"role": "user", "content": "weather?"}],
        tools=[WEATHER_TOOL],
    ) as stream:
        events = [event.type for event in stream]
        completion = stream.get_final_completion()
    assert "tool_calls.function.arguments.delta" in events
    assert events.count("tool_calls.function.arguments.done") == 2
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert calls is not None
    assert [(c.id, c.function.name) for c in calls] == [
        ("call_1", "get_weather"),
        ("call_2", "get_weather"),
    ]
    assert [json.loads(c.function.arguments) for c in calls] == [
        {"city": "Lisbon", "unit": "C"},
        {"city": "Oslo"},
    ]


# --------------------------------------------------------------------------- errors


def test_429_then_success_is_retried(server: FakeOpenAIServer) -> None:
    server.script(error(429, "Rate limit reached", retry_after=0.01), text("ok after retry"))
    started = time.monotonic()
    completion = _client(server, max_retries=1).chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.choices[0].message.content == "ok after retry"
    assert len(server.requests) == 2
    assert server.requests[0].body_json == server.requests[1].body_json
    assert server.requests[1].headers.get("x-stainless-retry-count") == "1"
    assert time.monotonic() - started < 1.0  # honoured retry-after instead of back-off


def test_429_surfaces_rate_limit_error_without_retries(server: FakeOpenAIServer) -> None:
    server.script(error(429, "Rate limit reached", retry_after=3))
    with pytest.raises(openai.RateLimitError) as exc_info:
        _client(server).chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert exc_info.value.status_code == 429
    assert exc_info.value.code == "rate_limit_exceeded"
    assert exc_info.value.response.headers["retry-after"] == "3"


def test_500_surfaces_internal_server_error(server: FakeOpenAIServer) -> None:
    server.script(error(500, "boom"))
    with pytest.raises(openai.InternalServerError) as exc_info:
        _client(server, max_retries=0).chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    err = exc_info.value
    assert err.status_code == 500
    assert err.message == "boom" or "boom" in err.message
    assert err.body == {
        "message": "boom",
        "type": "server_error",
        "param": None,
        "code": "internal_error",
    }
    assert len(server.requests) == 1


def test_503_and_custom_error_fields(server: FakeOpenAIServer) -> None:
    server.script(error(503, "overloaded", should_retry=False, type="overloaded", code="busy"))
    with pytest.raises(openai.APIStatusError) as exc_info:
        _client(server, max_retries=3).chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert exc_info.value.status_code == 503
    assert exc_info.value.type == "overloaded" and exc_info.value.code == "busy"
    assert len(server.requests) == 1  # x-should-retry: false is obeyed


def test_empty_script_is_an_obvious_non_retried_500(server: FakeOpenAIServer) -> None:
    with pytest.raises(openai.InternalServerError, match="no scripted response left"):
        _client(server, max_retries=2).chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert NO_SCRIPT_LEFT_MESSAGE == "fake server: no scripted response left"
    assert len(server.requests) == 1


def test_delay_triggers_client_timeout(server: FakeOpenAIServer) -> None:
    server.script(delay(2.0, then=text("too late")), text("on time"))
    client = _client(server, timeout=0.5, max_retries=0)
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert time.monotonic() - started < 1.5
    # The server keeps working for the next request.
    reply = client.chat.completions.create(
        model="fake-model", messages=[{"role": "user", "content": "again"}]
    )
    assert reply.choices[0].message.content == "on time"


def test_close_is_fast_while_a_handler_is_delayed() -> None:
    fake = FakeOpenAIServer().start()
    fake.script(delay(30, then=text("never")))
    url = f"{fake.base_url}/chat/completions"

    def call() -> None:
        try:
            httpx.post(url, json={"model": "m", "messages": []}, timeout=10)
        except httpx.HTTPError:
            pass

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    deadline = time.monotonic() + 5
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    fake.close()
    assert time.monotonic() - started < 1.0
    worker.join(timeout=5)
    assert not worker.is_alive()


# --------------------------------------------------------------------------- fn + recording


def test_fn_reacts_to_request_and_privacy_text(server: FakeOpenAIServer) -> None:
    def planner(body: dict[str, Any]) -> Any:
        last = body["messages"][-1]
        if last["role"] == "tool":
            return text(f"Tool said: {last['content']}")
        return tool_calls([("lookup_customer", {"customer_id": 7})])

    server.script(fn(planner), fn(planner), fn(lambda body: f"model={body['model']}"))
    client = _client(server)
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Who is customer 7? Jörg Müller"}]
    first = client.chat.completions.create(model="fake-model", messages=messages)
    call = first.choices[0].message.tool_calls[0]
    messages += [
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "VIP"},
    ]
    second = client.chat.completions.create(model="fake-model", messages=messages)
    assert second.choices[0].message.content == "Tool said: VIP"
    third = client.chat.completions.create(model="fake-model-mini", messages=messages)
    assert third.choices[0].message.content == "model=fake-model-mini"

    everything = server.all_request_text()
    assert "Jörg Müller" in everything
    assert "authorization: Bearer test" in everything
    assert "POST /v1/chat/completions" in everything
    assert "alice@example.com" not in everything
    server.clear_requests()
    assert server.all_request_text() == ""


def test_fn_exception_is_reported(server: FakeOpenAIServer) -> None:
    def broken(_body: dict[str, Any]) -> Any:
        raise ValueError("planner bug")

    server.script(fn(broken))
    with pytest.raises(openai.InternalServerError, match="planner bug"):
        _client(server, max_retries=2).chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert len(server.requests) == 1


def test_concurrent_requests_each_get_one_response(server: FakeOpenAIServer) -> None:
    server.script(*[text(f"r{i}") for i in range(8)])
    client = _client(server)
    results: list[str] = []
    lock = threading.Lock()

    def call() -> None:
        reply = client.chat.completions.create(
            model="fake-model", messages=[{"role": "user", "content": "hi"}]
        )
        with lock:
            results.append(reply.choices[0].message.content or "")

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(results) == sorted(f"r{i}" for i in range(8))
    assert server.remaining == 0


# --------------------------------------------------------------------------- langchain


def test_chat_openai_bind_tools_invoke(server: FakeOpenAIServer) -> None:
    server.script(
        tool_calls([("lookup_customer", {"customer_id": 42})]),
        tool_calls([("lookup_customer", "{not json")]),
    )
    model = _chat(server).bind_tools([lookup_customer])
    message = model.invoke("hi")
    assert isinstance(message, AIMessage)
    assert message.tool_calls == [
        {
            "name": "lookup_customer",
            "args": {"customer_id": 42},
            "id": "call_1",
            "type": "tool_call",
        }
    ]
    assert message.response_metadata["finish_reason"] == "tool_calls"
    assert message.usage_metadata is not None and message.usage_metadata["total_tokens"] > 0

    body = server.requests[0].body_json
    assert body["model"] == "fake-model"
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["tools"][0]["function"]["name"] == "lookup_customer"

    broken = model.invoke("again")
    assert broken.tool_calls == []
    assert broken.invalid_tool_calls[0]["args"] == "{not json"
    assert broken.invalid_tool_calls[0]["name"] == "lookup_customer"


def test_chat_openai_stream_text_and_tools(server: FakeOpenAIServer) -> None:
    server.script(
        text("Three segments stand out."),
        tool_calls([("lookup_customer", {"customer_id": 5})]),
        text("with usage"),
    )
    chat = _chat(server)
    chunks = list(chat.stream("summarise"))
    assert len(chunks) > 2
    assert all(isinstance(c, AIMessageChunk) for c in chunks)
    assert "".join(str(c.content) for c in chunks) == "Three segments stand out."
    assert "stream_options" not in server.requests[0].body_json  # custom base_url: off by default
    assert server.requests[0].body_json["stream"] is True

    merged: AIMessageChunk | None = None
    for chunk in chat.bind_tools([lookup_customer]).stream("who?"):
        merged = chunk if merged is None else merged + chunk
    assert merged is not None
    assert merged.tool_calls == [
        {"name": "lookup_customer", "args": {"customer_id": 5}, "id": "call_1", "type": "tool_call"}
    ]

    usage_chunks = list(_chat(server, stream_usage=True).stream("usage"))
    assert server.requests[2].body_json["stream_options"] == {"include_usage": True}
    assert any(c.usage_metadata and c.usage_metadata["total_tokens"] > 0 for c in usage_chunks)


def test_chat_openai_async_and_retry(server: FakeOpenAIServer) -> None:
    server.script(error(503, "busy", retry_after=0.01), text("async ok"))
    chat = _chat(server, max_retries=1)
    reply = asyncio.run(chat.ainvoke("hi"))
    assert reply.content == "async ok"
    assert len(server.requests) == 2
