"""Shared test set-up: a free port, the web UI served on it, offline and fake-remote copilots."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.settings import Settings
from tests.conftest import AS_OF


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_copilot(home: Path, engine: Engine, **settings: Any) -> Copilot:
    """A copilot with the offline planner, its home in `home`, on `engine`."""
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline", **settings), engine=engine
    )


def remote_copilot(
    home: Path, engine: Engine, base_url: str, knowledge: object = None, **settings: Any
) -> Copilot:
    """A copilot whose model is the fake OpenAI server at `base_url` (no retries)."""
    config = Settings(
        home=home,
        as_of=AS_OF,
        llm_base_url=base_url,
        llm_api_key="k",
        llm_model="fake-model",
        llm_max_retries=0,
        **settings,
    )
    return Copilot(config, engine=engine, knowledge=knowledge)


@contextmanager
def served_web(
    copilot: Copilot, auth: tuple[str, str] | Callable[[str, str], bool] | None = None
) -> Iterator[str]:
    """The copilot's web UI on 127.0.0.1 (a free port) while the block runs; yields its URL."""
    from copilot.frontends.web import build_app, start

    app = start(build_app(copilot), "127.0.0.1", free_port(), auth=auth, block=False)
    try:
        yield app.local_url
    finally:
        app.close()


def login_status(url: str, username: str, password: str) -> int:
    """The HTTP status of a form login to the web UI at `url` (200, or the error code)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(url + "login", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
