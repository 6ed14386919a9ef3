"""The OpenAI-compatible chat model (OpenAI, Ollama, vLLM, DeepSeek, Qwen ...).

Loaded by `copilot.chat_models.build_chat_model` only when the settings name a
remote model, so an offline start imports neither httpx nor openai nor
LangChain's chat-model base (issue 10: start-up time).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk

from copilot.chat_models import (
    MAX_RESPONSE_BYTES,
    MAX_STREAMED_ARGUMENT_CHARS,
    MAX_STREAMED_TEXT_CHARS,
    ModelReplyTooLarge,
)
from copilot.settings import Settings

_STREAM_REFUSED = (400, 422, 500, 501)
"""HTTP statuses with which servers refuse streaming with tools (then one plain request)."""


class DeadlineTransport(httpx.HTTPTransport):
    """An HTTP transport that bounds a whole call, body included, not each read.

    httpx's read timeout restarts with every byte, and llama.cpp sends an SSE ping
    every 15 s while it reads a long prompt, so a per-read limit never fires.
    """

    def __init__(self, total_s: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.total_s = total_s

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.total_s
        response = super().handle_request(request)
        response.stream = _DeadlineStream(response.stream, deadline, self.total_s)
        return response


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner: Any, deadline: float, total_s: float) -> None:
        self.inner, self.deadline, self.total_s = inner, deadline, total_s

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout(f"the whole call took more than {self.total_s:g} s")
            received += len(chunk)
            if received > MAX_RESPONSE_BYTES:
                raise ModelReplyTooLarge(
                    f"The model server sent more than {MAX_RESPONSE_BYTES:,} bytes for one "
                    "reply; the call was stopped. Ask again in smaller steps."
                )
            yield chunk

    def close(self) -> None:
        self.inner.close()


def _openai_class() -> type:
    """ChatOpenAI that falls back to one plain request when a server refuses to stream."""
    import openai
    from langchain_openai import ChatOpenAI

    class CopilotChatOpenAI(ChatOpenAI):
        """Streams when it can; a stream refused with an HTTP error, or closed with
        nothing in it (llama-cpp-python with `tool_choice: auto`), is asked again without
        streaming, so `COPILOT_LLM_STREAM=auto` works on every server."""

        stream_fallback: bool = True

        def _stream(
            self,
            messages: list[BaseMessage],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> Iterator[ChatGenerationChunk]:
            produced = False
            reply = _ReplyBuffer()
            try:
                for chunk in super()._stream(
                    messages, stop=stop, run_manager=run_manager, **kwargs
                ):
                    produced = True
                    reply.add(chunk)
            except openai.APIStatusError as exc:
                if produced or not self.stream_fallback or exc.status_code not in _STREAM_REFUSED:
                    raise
            if produced:
                yield reply.merged()
                return
            if not self.stream_fallback:
                # An empty stream is an empty reply (the guard reports it), not a crash.
                empty = AIMessageChunk(content="", response_metadata={"empty_stream": True})
                yield ChatGenerationChunk(message=empty)
                return
            kwargs.pop("stream_usage", None)
            result = self._generate(messages, stop=stop, **{**kwargs, "stream": False})
            message = result.generations[0].message
            chunk = AIMessageChunk(
                content=message.content,
                id=message.id,
                response_metadata={**message.response_metadata, "stream_fallback": True},
                tool_call_chunks=[
                    {
                        "name": call["name"],
                        "args": json.dumps(call["args"], ensure_ascii=False),
                        "id": call["id"],
                        "index": index,
                        "type": "tool_call_chunk",
                    }
                    for index, call in enumerate(getattr(message, "tool_calls", []))
                ],
            )
            yield ChatGenerationChunk(message=chunk)

    return CopilotChatOpenAI


class _ReplyBuffer:
    """A streamed reply gathered in linear time, within the budgets above.

    LangChain adds each chunk to the reply so far, re-parsing the partial JSON of
    every tool call's arguments and copying the text each time: quadratic in the
    reply's length (a call padded with a million spaces, sent in small chunks, pins
    a CPU for minutes). Here pieces go into lists and the sizes are checked as they
    arrive; one merged chunk per reply is passed on. Nothing is lost: the copilot
    shows a model's text only after the grounding guard has checked it anyway.
    """

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.text_chars = 0
        self.calls: dict[Any, dict[str, Any]] = {}
        self.argument_chars = 0
        self.rest: ChatGenerationChunk | None = None  # ids, metadata, usage, finish reason

    def add(self, chunk: ChatGenerationChunk) -> None:
        message = chunk.message
        if not isinstance(message, AIMessageChunk) or not isinstance(message.content, str):
            # OpenAI-compatible chat completions stream text as str; anything else is a bug.
            raise TypeError(f"unexpected streamed chunk {type(message).__name__}")
        self.texts.append(message.content)
        self.text_chars += len(message.content)
        if self.text_chars > MAX_STREAMED_TEXT_CHARS:
            raise ModelReplyTooLarge(
                f"The model's reply went over {MAX_STREAMED_TEXT_CHARS:,} characters; the call "
                "was stopped. Ask again in smaller steps."
            )
        for piece in message.tool_call_chunks:
            call = self.calls.setdefault(piece.get("index"), {"args": []})
            for key in ("name", "id"):
                if piece.get(key):
                    call[key] = piece[key]
            call["args"].append(piece.get("args") or "")
            self.argument_chars += len(piece.get("args") or "")
        if self.argument_chars > MAX_STREAMED_ARGUMENT_CHARS:
            raise ModelReplyTooLarge(
                f"The model sent tool-call arguments over {MAX_STREAMED_ARGUMENT_CHARS:,} "
                "characters; the call was stopped. Ask again in smaller steps."
            )
        bare = message.model_copy(
            update={
                "content": "",
                "tool_call_chunks": [],
                "tool_calls": [],
                "invalid_tool_calls": [],
            }
        )
        bare_chunk = ChatGenerationChunk(message=bare, generation_info=chunk.generation_info)
        self.rest = bare_chunk if self.rest is None else self.rest + bare_chunk

    def merged(self) -> ChatGenerationChunk:
        """The whole reply as one chunk: the text, each tool call's full arguments, the metadata."""
        rest = self.rest.message if self.rest is not None else AIMessageChunk(content="")
        message = AIMessageChunk(
            content="".join(self.texts),
            id=rest.id,
            additional_kwargs=rest.additional_kwargs,
            response_metadata=rest.response_metadata,
            usage_metadata=rest.usage_metadata,
            tool_call_chunks=[
                {
                    "name": call.get("name"),
                    "args": "".join(call["args"]),
                    "id": call.get("id"),
                    "index": index,
                    "type": "tool_call_chunk",
                }
                for index, call in self.calls.items()
            ],
        )
        info = self.rest.generation_info if self.rest is not None else None
        return ChatGenerationChunk(message=message, generation_info=info)


def openai_model(settings: Settings) -> BaseChatModel:
    """The OpenAI-compatible chat model the settings describe (URL, key, model, limits)."""
    timeout = httpx.Timeout(settings.llm_timeout_s, connect=min(10.0, settings.llm_timeout_s))
    return _openai_class()(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        # A local endpoint (Ollama, vLLM) needs no key, but the client insists on one.
        api_key=settings.api_key or "not-needed",
        timeout=timeout,
        max_retries=settings.llm_max_retries,
        temperature=0,
        http_client=httpx.Client(
            transport=DeadlineTransport(settings.llm_timeout_s), timeout=timeout
        ),
        disable_streaming=settings.llm_stream == "false",
        stream_fallback=settings.llm_stream == "auto",
    )
