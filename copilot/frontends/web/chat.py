"""The chat: tool steps while the agent works, then the answer, drafts and a results panel."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import Answer
from copilot.conversations import load_turns
from copilot.frontends.table_csv import csv_bytes
from copilot.frontends.web.browser import BROWSER_COOKIE, conversation_secret, latest_generation
from copilot.frontends.web.results import ResultItem, result_items
from copilot.frontends.web.steps import StepEvent, StepListener, ask_with_steps, run_with_steps
from copilot.offline.question import language_of
from knowledge.presentation import N_, channel_name, column_label, segment_name, tr

# Columns of generate_copy's drafts table that are not copy text.
_DRAFT_META = ("segment", "channel", "variant", "checks_passed", "failed_checks")
_CSV_MAX_AGE_S = 3600.0
THINKING = N_("Thinking …")  # the pending step's title until the first tool starts
# A markdown list item: "- x", "* x", "1. x".
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s")


class ConversationIds:
    """One conversation per browser; clearing the chat starts a new one.

    The browser is named by its cookie (web/browser.py: random, HttpOnly), so a
    reload or a reopened tab continues the conversation; a client without it (an
    API client that keeps no cookies) is named by Gradio's session hash. Either is
    chosen by the client, so a conversation is bound to it AND who presents it: the
    login's access-token cookie (unique per login when the UI has a password) and
    the logged-in user name. The id is an HMAC of these under a server secret: a
    client that presents another session's hash gets a conversation of its own, and
    ids reveal no cookie or session hash. Given the copilot's `home`, the secret is
    kept there (browser.conversation_secret; else one per process) and the newest
    conversation read from `state`, so a browser finds its conversation again after a
    restart of the server.
    """

    def __init__(self, state: Engine | None = None, home: Path | None = None) -> None:
        self._generation: dict[str, int] = {}
        self._lock = threading.Lock()
        self._state = state
        self._secret = conversation_secret(home) if home is not None else secrets.token_bytes(32)

    def _key(self, request: gr.Request | None) -> str | None:
        cookies = dict(getattr(request, "cookies", None) or {})
        browser = cookies.get(BROWSER_COOKIE)
        session = f"browser:{browser}" if browser else getattr(request, "session_hash", None)
        if not session:
            return None
        tokens = sorted(
            f"{name}={value}" for name, value in cookies.items() if name.startswith("access-token")
        )
        owner = "\n".join([str(session), str(getattr(request, "username", None) or ""), *tokens])
        return hmac.new(self._secret, owner.encode(), hashlib.sha256).hexdigest()[:32]

    def current(self, request: gr.Request | None) -> str | None:
        """The browser's conversation id (None without a session: a new conversation)."""
        key = self._key(request)
        if key is None:
            return None
        with self._lock:
            generation = self._generation.get(key)
        if generation is None:  # first seen since the start: the newest stored one
            generation = latest_generation(self._state, f"web-{key}") if self._state else 0
            with self._lock:
                generation = self._generation.setdefault(key, generation)
        return f"web-{key}" + (f"-{generation}" if generation else "")

    def restart(self, request: gr.Request | None) -> None:
        """Forget the browser's conversation (the chat's clear button)."""
        if self.current(request) is None:  # also reads the stored generation once
            return
        key = self._key(request)
        with self._lock:
            self._generation[key] = self._generation.get(key, 0) + 1  # type: ignore[index]


class CsvFiles:
    """Writes result tables as CSV files for download, pruning files older than an hour."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="copilot-web-"))
        self._count = 0
        self._lock = threading.Lock()

    def write(self, title: str, frame: pd.DataFrame) -> str:
        """The path of a new CSV (UTF-8 with BOM, so Excel reads Chinese) of `frame`."""
        with self._lock:
            self._count += 1
            count = self._count
        if count % 200 == 0:
            self._prune()
        slug = re.sub(r"[^0-9A-Za-z]+", "-", title).strip("-").lower()[:60] or "table"
        path = self.directory / f"{slug}-{count}.csv"
        # The one CSV writer of every front end (cells such as =HYPERLINK(...) as text).
        path.write_bytes(csv_bytes(frame))
        return str(path)

    def _prune(self) -> None:
        cutoff = time.time() - _CSV_MAX_AGE_S
        for old in self.directory.glob("*.csv"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)


def respond(
    copilot: Copilot, message: str, conversation_id: str | None
) -> Iterator[tuple[list[gr.ChatMessage], list[ResultItem] | Any]]:
    """Chat messages as the agent works (steps), then the answer; the results go with the last."""
    listener = StepListener()
    result = run_with_steps(
        lambda: ask_with_steps(copilot, message, conversation_id, listener), listener
    )
    zh = language_of(message) == "zh"
    thinking = gr.ChatMessage(
        content="", metadata={"title": tr("zh" if zh else "en", THINKING), "status": "pending"}
    )
    steps: dict[str, gr.ChatMessage] = {}
    yield [thinking], gr.skip()
    while (event := listener.events.get()) is not None:
        _apply(steps, event, "zh" if zh else "en")
        yield list(steps.values()), gr.skip()
    answer = result.get("value")
    if answer is None:
        error = result.get("error")
        yield [*steps.values(), failed_message(error, "zh" if zh else "en")], []
        return
    # The panel speaks the language of this (the latest) question, in the store's currency.
    items = result_items(answer, language_of(message), copilot.context.currency)
    yield [*_finished(steps, answer, "zh" if zh else "en"), *answer_messages(answer, zh)], items


def _apply(steps: dict[str, gr.ChatMessage], event: StepEvent, language: str = "en") -> None:
    """Show a started tool as running, a finished one as done with its time (in `language`)."""
    if event.kind == "start":
        steps[event.run_id] = gr.ChatMessage(
            content=_args_text(event.args),
            metadata={
                "title": tr(language, "Running {tool} …", tool=event.name),
                "status": "pending",
            },
        )
        return
    step = steps.get(event.run_id)
    if step is None:
        return
    step.metadata = _done_metadata(event.name, event.duration_ms, event.error, language)


def _finished(
    steps: dict[str, gr.ChatMessage], answer: Answer, language: str = "en"
) -> list[gr.ChatMessage]:
    """The steps as the answer records them (names, arguments, times, errors), all done."""
    if not answer.tool_calls:
        return list(steps.values())
    return [
        gr.ChatMessage(
            content=_args_text(call.args),
            metadata=_done_metadata(call.name, call.duration_ms, call.error, language),
        )
        for call in answer.tool_calls
    ]


def _done_metadata(
    name: str, duration_ms: float | None, error: str | None, language: str = "en"
) -> dict[str, Any]:
    # The tool's name is a code (as in the audit log); the words around it follow the question.
    title = f"{name} · {duration_ms:.0f} ms" if duration_ms is not None else name
    if error:
        title += " · " + tr(language, "error")
    return {"title": title, "status": "done"}


def failed_message(error: object, language: str = "en") -> gr.ChatMessage:
    """The chat's message when the copilot itself crashed (the reason as raised)."""
    return gr.ChatMessage(content=tr(language, "The copilot failed: {error}", error=error))


def _args_text(args: Any) -> str:
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return f"```\n{args}\n```"
    return "```json\n" + json.dumps(args, ensure_ascii=False, indent=1, default=str) + "\n```"


def answer_messages(answer: Answer, zh: bool = False) -> list[gr.ChatMessage]:
    """The answer's text, a pointer to the results panel, and each copy draft on its own."""
    text = paragraphs_after_lists(answer.text)
    drafts = [t for t in answer.tables if _is_drafts(t.frame)]
    if any(len(t.frame) > 1 and not _is_drafts(t.frame) for t in answer.tables):
        text += "\n\n*" + tr("zh" if zh else "en", "Tables and charts: see Results.") + "*"
    if answer.grounding:  # the grounding guard's note, as `ask --json` and Slack show it
        text += f"\n\n*{answer.grounding}*"
    messages = [gr.ChatMessage(content=text)]
    for table in drafts:
        language = "zh" if zh else "en"
        messages += [
            gr.ChatMessage(content=draft_markdown(row, language)) for row in _rows(table.frame)
        ]
    return messages


def paragraphs_after_lists(text: str) -> str:
    """The text with a blank line between a list item and a plain line right after it.

    Markdown reads such a line as the item's continuation ("- Most valuable: ... What to
    do:" on one line); the writers end a list with a single newline, as a terminal shows it.
    """
    lines, fenced = [], False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
        elif (
            not fenced and lines and stripped and not line[:1].isspace()
            and not _LIST_ITEM.match(line) and _LIST_ITEM.match(lines[-1])
        ):  # fmt: skip
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def _is_drafts(frame: pd.DataFrame) -> bool:
    return {"checks_passed", "failed_checks", "variant"} <= set(frame.columns)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def draft_markdown(row: dict[str, Any], language: str = "en") -> str:
    """One draft in `language`: its segment, channel and variant, each part, and its checks."""
    if row.get("checks_passed"):
        status = tr(language, "✓ all checks passed")
    else:
        failed = row.get("failed_checks") or tr(language, "see table")
        status = tr(language, "⚠ failed checks: {checks}", checks=failed)
    variant = tr(language, "variant {variant}", variant=row.get("variant"))
    segment = segment_name(str(row.get("segment")), language)
    channel = channel_name(str(row.get("channel")), language)
    head = f"**{segment} · {channel} · {variant}** — {status}"
    parts = [
        f"**{column_label(name, language)}:** {value}"
        for name, value in row.items()
        if name not in _DRAFT_META and value not in (None, "")
    ]
    return "\n\n".join([head, *parts])


def message_json(message: gr.ChatMessage) -> dict[str, Any]:
    """A chat message as the `/chat` API returns it: role, content, metadata (step title)."""
    return {
        "role": message.role,
        "content": message.content,
        "metadata": dict(message.metadata or {}),
    }


def answer_json(copilot: Copilot, question: str, conversation_id: str | None) -> dict[str, Any]:
    """The `ask --json` contract plus the conversation id (for the `/ask` API)."""
    answer = copilot.ask(question, conversation_id=conversation_id, source="web")
    return {**answer.to_json(), "conversation_id": answer.conversation_id}


def restored_chat(state: Engine, conversation_id: str | None) -> list[dict[str, Any]]:
    """The stored conversation as chat messages: each question, its tool steps, its answer.

    Messages are dicts as the chatbot's state holds them (role, content, metadata).
    """
    if not conversation_id:
        return []
    messages: list[dict[str, Any]] = []
    language = "en"
    for turn in load_turns(state, conversation_id):
        if turn["role"] == "user":
            language = language_of(turn["content"])
            messages.append({"role": "user", "content": turn["content"], "metadata": {}})
            continue
        payload = turn.get("payload") or {}
        for call in payload.get("tool_calls") or []:
            metadata = _done_metadata(
                str(call.get("name")), call.get("duration_ms"), call.get("error"), language
            )
            messages.append(
                {"role": "assistant", "content": _args_text(call.get("args")), "metadata": metadata}
            )
        messages.append({"role": "assistant", "content": turn["content"], "metadata": {}})
    return messages
