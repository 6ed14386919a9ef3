"""web/timing.py: a question's arrival is stamped on its HTTP request and read by the handler."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import gradio as gr

from copilot.frontends.web.timing import ARRIVED_KEY, ArrivalStamp, ReplyTrace, arrived_at


def test_arrival_is_stamped_on_http_requests_only() -> None:
    seen: list[dict[str, Any]] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        seen.append(scope)

    before = time.monotonic()
    asyncio.run(ArrivalStamp(app)({"type": "http"}, None, None))
    asyncio.run(ArrivalStamp(app)({"type": "lifespan"}, None, None))
    assert before <= seen[0][ARRIVED_KEY] <= time.monotonic()
    assert ARRIVED_KEY not in seen[1]


class _HttpRequest:
    """What a Gradio handler's gr.Request wraps: the HTTP request that queued the event."""

    def __init__(self, scope: dict[str, Any]) -> None:
        self.scope = scope


def test_the_handler_reads_the_arrival_of_the_request_that_queued_it() -> None:
    arrived = time.monotonic() - 7.5
    request = gr.Request(request=_HttpRequest({"type": "http", ARRIVED_KEY: arrived}))  # type: ignore[arg-type]
    assert arrived_at(request) == arrived
    # No stamped request (a direct call): now.
    before = time.monotonic()
    assert before <= arrived_at(gr.Request()) <= time.monotonic()
    assert before <= arrived_at(None) <= time.monotonic()


def test_trace_reports_seconds_after_arrival() -> None:
    trace = ReplyTrace(arrived=100.0, handler=101.5, slot=102.25, replied=104.0)
    assert trace.as_json() == {"queue_s": 1.5, "slot_s": 2.25, "reply_s": 4.0}
    assert ReplyTrace(arrived=100.0, handler=100.5).as_json()["slot_s"] is None
