"""Tool calls that a model wrote as text instead of `tool_calls`.

Small local models behind llama.cpp's `llama-server --jinja` answer "revenue last
month?" with the right call as a json code block in the message text (see
tests/data/llm-transcripts); Hermes-style templates use `<tool_call>` tags. These
are read into real tool calls, so they run; a block that looks like a call but
cannot be read is reported as a model failure, never shown as the answer.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from knowledge.lazy_regex import lazy_compile

_CODE_BLOCK = lazy_compile(r"```(?:json|tool_call|tool_code)?\s*\n?(.*?)```", re.DOTALL)
_TAGGED = lazy_compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_LOOKS_LIKE_CALL = lazy_compile(r'"(?:name|function)"\s*:', re.DOTALL)


@dataclass(frozen=True)
class TextToolCalls:
    """What the text held: readable calls, and blocks that looked like calls but were not."""

    calls: list[dict[str, Any]]
    unreadable: list[str]

    @property
    def found(self) -> bool:
        return bool(self.calls or self.unreadable)


def read_text_tool_calls(text: str) -> TextToolCalls:
    """Tool calls written in `text` as json code blocks, `<tool_call>` tags or bare JSON.

    Each call is a LangChain tool-call dict `{name, args, id, type}`. Accepted shapes:
    `{"name": ..., "arguments": {...} | "<json>"}` (also `parameters`), the OpenAI
    `{"function": {"name", "arguments"}}`, or a list of these.
    """
    blocks = _TAGGED.findall(text) + _CODE_BLOCK.findall(text)
    stripped = text.strip()
    if not blocks and stripped.startswith(("{", "[")):
        blocks = [stripped]
    calls: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for block in blocks:
        if not _LOOKS_LIKE_CALL.search(block):
            continue
        try:
            parsed = json.loads(block)
        except ValueError:
            unreadable.append(block.strip()[:200])
            continue
        for item in parsed if isinstance(parsed, list) else [parsed]:
            call = _as_call(item)
            if call is None:
                unreadable.append(json.dumps(item, ensure_ascii=False)[:200])
            else:
                calls.append(call)
    return TextToolCalls(calls, unreadable)


def _as_call(item: Any) -> dict[str, Any] | None:
    """One parsed JSON object as a tool call, or None when it is not one."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("function"), dict):
        item = item["function"]
    name = item.get("name")
    args = item.get("arguments", item.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            return None
    if not isinstance(name, str) or not name or not isinstance(args, dict):
        return None
    # Models write "null" for optional arguments they leave out; the schemas forbid null
    # for some, and leaving them out means the same.
    args = {key: value for key, value in args.items() if value is not None}
    return {
        "name": name,
        "args": args,
        "id": f"text_call_{uuid.uuid4().hex[:12]}",
        "type": "tool_call",
    }
