"""When a web question arrived, and where the time to its first reply went.

Why: round 3's 50-user run gave first replies p95 11.1 s although the chat
answered or sent its notice 6 s after the question *reached the job code*; the
time before that (Gradio's queue, a concurrency slot, a worker) was invisible.
Now each question's first reply is measured from its ARRIVAL at the server:

    arrived  -> the HTTP request that queued the event reached the app
                (`ArrivalStamp`, an ASGI middleware, stamps the request's scope)
    handler  -> the handler started (Gradio's queue and event loop in between)
    slot     -> the job's worker got an ask slot (tools/fit_cache.py AskSlots)
    replied  -> the answer or the background notice was ready to send

`/ask_job` and `/job` return these as `timing` (seconds after arrival), so a
load test can put server-side latency beside what its clients saw, and each
first reply is logged at DEBUG on the `copilot.web.timing` logger.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("copilot.web.timing")

ARRIVED_KEY = "copilot.arrived"
"""The ASGI scope key holding `time.monotonic()` at the request's arrival."""


class ArrivalStamp:
    """ASGI middleware: stamps every HTTP request's scope with its arrival time (monotonic s).

    Gradio's queued events keep the HTTP request that queued them (`/queue/join`), so
    a handler reads the stamp from its `gr.Request` with `arrived_at`.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") == "http":
            scope[ARRIVED_KEY] = time.monotonic()
        await self.app(scope, receive, send)


def arrived_at(request: Any) -> float:
    """The arrival time of the request behind a Gradio handler's `gr.Request` (monotonic s).

    Falls back to now when there is no stamped HTTP request (a direct call, a test).
    """
    raw = getattr(request, "request", None)  # gr.Request wraps the HTTP request
    scope = getattr(raw, "scope", None)
    stamp = scope.get(ARRIVED_KEY) if isinstance(scope, dict) else None
    return float(stamp) if isinstance(stamp, int | float) else time.monotonic()


@dataclass
class ReplyTrace:
    """Monotonic timestamps of one question's first reply (see the module docstring)."""

    arrived: float
    handler: float
    slot: float | None = None
    replied: float | None = None

    def as_json(self) -> dict[str, float | None]:
        """Seconds after arrival: queue_s (to the handler), slot_s, reply_s (to the reply)."""

        def after(moment: float | None) -> float | None:
            return None if moment is None else round(moment - self.arrived, 3)

        return {
            "queue_s": after(self.handler),
            "slot_s": after(self.slot),
            "reply_s": after(self.replied),
        }

    def log(self, what: str, question: str) -> None:
        """One DEBUG line per first reply: what it was, and where its time went."""
        if logger.isEnabledFor(logging.DEBUG):
            figures = " ".join(f"{k}={v}" for k, v in self.as_json().items())
            logger.debug("first reply (%s) %s: %r", what, figures, question[:80])
