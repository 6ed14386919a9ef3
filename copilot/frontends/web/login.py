"""The web UI's login check, with failed attempts throttled per username, per client
address and over all clients.

Gradio calls the login check with the username and password only. `ClientAddress`,
an ASGI middleware installed through `launch(app_kwargs=...)`, puts the client's
address in a context variable for the request, and Gradio's login route (an async
function calling the check in the same task) sees it.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("copilot_client_address", default=None)
"""The address of the client whose request is being served (None outside a request)."""


class ClientAddress:
    """ASGI middleware: the client's address (the TCP peer) in CLIENT_ADDRESS for the request.

    X-Forwarded-For is not read: any client can write it, and a throttle keyed on a
    header the attacker chooses throttles nothing. Behind a proxy every client has
    the proxy's address; the per-username and global limits still hold.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        token = CLIENT_ADDRESS.set(str(client[0]) if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT_ADDRESS.reset(token)


@dataclass(frozen=True)
class Limit:
    """Failures allowed within `window_s` before a lock of `lockout_s`, doubling per failure
    beyond, up to `max_lockout_s`."""

    failures: int
    window_s: float
    lockout_s: float
    max_lockout_s: float


class LoginThrottle:
    """Gradio's login check with failed attempts throttled three ways.

    - per username: after 5 wrong passwords in 15 min, logins as that username are
      refused (even a right password) for 30 s, doubling per further failure up to 1 h;
    - per client address: after 10 failures (any usernames) in 15 min, that address
      is refused the same way, so one client cannot spray usernames;
    - over all clients: after 50 failures in a minute, every login is refused for a
      minute or more, so guesses spread over many addresses stay slow too.
    30 guesses take hours instead of a second. At most MAX_TRACKED keys are
    remembered, oldest forgotten first.
    """

    MAX_FAILURES = 5
    FAILURE_WINDOW_S = 900.0
    LOCKOUT_S = 30.0
    MAX_LOCKOUT_S = 3600.0
    MAX_TRACKED = 10_000
    PER_ADDRESS = Limit(failures=10, window_s=900.0, lockout_s=30.0, max_lockout_s=3600.0)
    GLOBAL = Limit(failures=50, window_s=60.0, lockout_s=60.0, max_lockout_s=900.0)

    def __init__(
        self,
        username: str,
        password: str,
        clock: Callable[[], float] = time.monotonic,
        address: Callable[[], str | None] = CLIENT_ADDRESS.get,
    ) -> None:
        self._username = username
        self._password = password
        self._clock = clock
        self._address = address
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, username: str, password: str) -> bool:
        """Whether to let this login in (False when wrong or while any of its keys is locked)."""
        now = self._clock()
        keys = self._keys(username)
        with self._lock:
            if any(self._locked_until.get(key, 0.0) > now for key, _ in keys):
                self._record_failure(keys, now)
                return False
        right = hmac.compare_digest(username.encode(), self._username.encode()) & (
            hmac.compare_digest(password.encode(), self._password.encode())
        )
        with self._lock:
            if right:
                for key, _ in keys[:2]:  # the user and the address; the global count stays
                    self._failures.pop(key, None)
                    self._locked_until.pop(key, None)
                return True
            self._record_failure(keys, now)
            return False

    def locked(self, username: str, address: str | None = None) -> bool:
        """Whether logins as `username` (from `address`, if given) are refused at the moment."""
        keys = [f"user:{username}", "global"] + ([f"addr:{address}"] if address else [])
        with self._lock:
            now = self._clock()
            return any(self._locked_until.get(key, 0.0) > now for key in keys)

    def _keys(self, username: str) -> list[tuple[str, Limit]]:
        user = Limit(self.MAX_FAILURES, self.FAILURE_WINDOW_S, self.LOCKOUT_S, self.MAX_LOCKOUT_S)
        keys = [(f"user:{username}", user)]
        address = self._address()
        if address:
            keys.append((f"addr:{address}", self.PER_ADDRESS))
        keys.append(("global", self.GLOBAL))
        return keys

    def _record_failure(self, keys: list[tuple[str, Limit]], now: float) -> None:
        for key, limit in keys:
            recent = [t for t in self._failures.pop(key, []) if t > now - limit.window_s]
            recent.append(now)
            self._failures[key] = recent
            extra = len(recent) - limit.failures
            if extra >= 0:
                delay = min(limit.lockout_s * 2 ** min(extra, 20), limit.max_lockout_s)
                if self._locked_until.get(key, 0.0) < now + delay:
                    self._locked_until[key] = now + delay
                    logger.warning(
                        "login %s locked for %.0f s (%d failures)", key, delay, len(recent)
                    )
        while len(self._failures) > self.MAX_TRACKED:
            old, _ = self._failures.popitem(last=False)
            self._locked_until.pop(old, None)
