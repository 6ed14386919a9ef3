"""One conversation per browser, kept across reloads: the browser's cookie and the restored chat.

Why: Gradio gives every page load a new session hash, so a reload (or reopening a
closed tab) started an empty conversation although the answers, a background job's
too, were saved in the store. `BrowserCookie` gives each browser a random, HttpOnly
cookie that `ConversationIds` (chat.py) keys the conversation on in place of the
session hash; `chat.restored_chat` rebuilds the chat from the stored turns when the
page loads. Tables and charts are not stored with a turn, so a restored answer shows its
text and its tool steps (the results panel starts empty).
"""

from __future__ import annotations

import os
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from knowledge.store.schema import Conversation

BROWSER_COOKIE = "copilot-browser"
"""The cookie naming the browser (32 random hex digits; HttpOnly, so page scripts cannot read it)."""
_COOKIE_AGE_S = 90 * 24 * 3600


class BrowserCookie:
    """ASGI middleware: a response to a request without the browser cookie sets one."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or _has_cookie(scope):
            await self.app(scope, receive, send)
            return
        value = (
            f"{BROWSER_COOKIE}={secrets.token_hex(16)}; Path=/; Max-Age={_COOKIE_AGE_S}; "
            "HttpOnly; SameSite=Lax"
        )

        async def send_with_cookie(message: dict) -> None:
            if message.get("type") == "http.response.start":
                headers = [*message.get("headers", []), (b"set-cookie", value.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _has_cookie(scope: dict) -> bool:
    for name, raw in scope.get("headers") or []:
        if name == b"cookie":
            cookie = SimpleCookie()
            try:
                cookie.load(raw.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed header: give the browser a new one
                return False
            if BROWSER_COOKIE in cookie:
                return True
    return False


def latest_generation(state: Engine, base_id: str) -> int:
    """The highest generation of `base_id` in the store (`base_id`, `base_id-1`, ...; 0 if none).

    The chat's clear button starts the next generation (chat.ConversationIds); after a
    server restart the newest stored one is the browser's conversation again.
    """
    with state.connect() as conn:
        ids = conn.execute(
            select(Conversation.conversation_id).where(
                Conversation.conversation_id.like(f"{base_id}%")
            )
        ).scalars()
        generations = [0]
        for conversation_id in ids:
            rest = conversation_id[len(base_id) :]
            if rest.startswith("-") and rest[1:].isdigit():
                generations.append(int(rest[1:]))
    return max(generations)


SECRET_FILE = "web-conversation.key"
"""The file in the copilot's home holding the secret that conversation ids are keyed with."""


def conversation_secret(home: Path) -> bytes:
    """The home's secret for conversation ids (32 random bytes, created once, owner-only).

    Raises OSError when the home cannot be written (the UI cannot start without it).
    """
    path = Path(home) / SECRET_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    # O_EXCL: of two servers starting at once on one home, both end up with the first's key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secret)
    return secret
