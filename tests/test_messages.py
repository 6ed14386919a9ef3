"""copilot.messages: the loop's own messages, and their conversion around a LangChain model."""

from __future__ import annotations

import pytest
from langchain_core import messages as lc

from copilot.messages import (
    AIMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    from_langchain,
    to_langchain,
)

CALL = {"name": "query_metrics", "args": {"metrics": ["revenue"]}, "id": "c1", "type": "tool_call"}


def test_a_conversation_goes_to_langchain_and_back_unchanged() -> None:
    artifact = object()  # a ToolOutput in the loop; any object must survive the trip
    conversation = [
        SystemMessage("rules"),
        HumanMessage("What was revenue in 2025?"),
        AIMessage("", tool_calls=[CALL], response_metadata={"copilot_status": "answered"}),
        ToolMessage("revenue 12", tool_call_id="c1", name="query_metrics", artifact=artifact),
        AIMessage("Revenue in 2025 was 12."),
    ]
    converted = to_langchain(conversation)
    assert [type(m) for m in converted] == [
        lc.SystemMessage,
        lc.HumanMessage,
        lc.AIMessage,
        lc.ToolMessage,
        lc.AIMessage,
    ]
    assert converted[2].tool_calls[0]["args"] == {"metrics": ["revenue"]}
    assert converted[3].artifact is artifact and converted[3].tool_call_id == "c1"
    back = [from_langchain(m) for m in converted]
    assert back == conversation
    assert back[3].artifact is artifact


def test_a_langchain_reply_becomes_the_loops_message() -> None:
    reply = lc.AIMessage(
        content=[{"type": "text", "text": "Hello "}, "world"],
        tool_calls=[CALL],
        invalid_tool_calls=[{"name": "x", "args": "{", "id": "bad", "error": None}],
    )
    ours = from_langchain(reply)
    assert isinstance(ours, AIMessage)
    assert ours.text == "Hello world"  # text blocks joined, as LangChain's .text
    assert ours.tool_calls[0]["name"] == "query_metrics"
    assert ours.invalid_tool_calls[0]["id"] == "bad"
    chunk = from_langchain(lc.AIMessageChunk(content="partial"))
    assert isinstance(chunk, AIMessage) and chunk.text == "partial"


def test_model_copy_replaces_fields_and_keeps_the_original() -> None:
    message = ToolMessage("secret", tool_call_id="t", status="error")
    copy = message.model_copy(update={"content": "masked"})
    assert (copy.content, copy.tool_call_id, copy.status) == ("masked", "t", "error")
    assert message.content == "secret"


def test_an_unknown_message_type_is_refused() -> None:
    with pytest.raises(ValueError, match="not a message the copilot uses"):
        from_langchain(lc.FunctionMessage(content="x", name="f"))
