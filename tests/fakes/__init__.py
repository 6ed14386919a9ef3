"""Test doubles used by the copilot test-suite (no network, no extra dependencies)."""

from .openai_server import (
    DelayResponse,
    ErrorResponse,
    FakeOpenAIServer,
    FnResponse,
    RecordedRequest,
    ScriptedResponse,
    TextResponse,
    ToolCallsResponse,
    delay,
    error,
    fn,
    text,
    tool_calls,
)

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
