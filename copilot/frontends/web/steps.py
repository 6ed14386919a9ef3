"""Tool steps as they run: the agent's own step events, queued for the chat to poll.

The chat runs the question on a worker thread (`run_with_steps`) through
`ask_with_steps`, which reads `Copilot.stream`: each tool call is reported when
the model asks for it (`ToolStarted`) and when its result is in (`ToolFinished`),
whatever the chat model, offline planner or remote. Each question has its own
`StepListener`, so concurrent users never see each other's steps. (The steps
used to come from LangChain callbacks, which the offline path no longer loads:
its tools are not LangChain runnables; issue 10.)
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from copilot.answer import AgentEvent, Answer, AnswerReady, ToolFinished, ToolStarted

if TYPE_CHECKING:
    from copilot.agent import Copilot


@dataclass
class StepEvent:
    """A tool started ("start"), finished ("end") or failed ("error")."""

    kind: str
    run_id: str
    name: str = ""
    args: Any = None
    duration_ms: float | None = None
    error: str | None = None


@dataclass
class StepListener:
    """Puts tool starts and ends on a queue; `None` on the queue means the answer is ready."""

    events: queue.Queue[StepEvent | None] = field(default_factory=queue.Queue)
    # Started, not yet finished: (run id, tool name), in the order the model asked for them.
    running: list[tuple[str, str]] = field(default_factory=list)
    # Called (on the worker thread) after each event is queued: a waiting coroutine's
    # wake-up (web/jobs.py), so it need not poll the queue.
    wakers: list[Callable[[], None]] = field(default_factory=list)

    def put(self, event: StepEvent | None) -> None:
        """Queue `event` and wake whoever waits for it."""
        self.events.put(event)
        for wake in list(self.wakers):
            wake()

    def record(self, event: AgentEvent) -> None:
        """Queue the step event of one agent event (text and the answer itself are not steps)."""
        if isinstance(event, ToolStarted):
            run_id = uuid.uuid4().hex
            self.running.append((run_id, event.name))
            self.put(StepEvent("start", run_id, event.name, event.args))
        elif isinstance(event, ToolFinished) and self.running:
            # Tools run in the order they were asked for: the first running one of that name.
            at = next((i for i, (_, name) in enumerate(self.running) if name == event.name), 0)
            run_id, name = self.running.pop(at)
            kind = "error" if event.error else "end"
            self.put(StepEvent(kind, run_id, name, None, event.duration_ms, event.error))


def ask_with_steps(
    copilot: Copilot,
    question: str,
    conversation_id: str | None,
    listener: StepListener,
    tool_slot: Callable[[ToolStarted], AbstractContextManager[object] | None] | None = None,
) -> Answer:
    """`copilot.ask(question)` from the web, with each tool step reported to `listener`.

    `tool_slot(event)`, when given, is called for each tool asked for until it returns a
    context manager (None: this call needs no slot); that is entered before the tool
    runs and held until the answer. Planning (the model's first reply, milliseconds
    for the offline planner) never waits for it, so a clarification or a refusal
    without tools is answered at once however busy the workers are (web/jobs.py).
    The agent's stream runs a tool only when it is asked for its next event, which is
    why entering the slot between the two events holds the tool back.
    """
    answer: Answer | None = None
    with ExitStack() as held:
        for event in copilot.stream(question, conversation_id, source="web"):
            listener.record(event)
            if isinstance(event, ToolStarted) and tool_slot is not None:
                slot = tool_slot(event)
                if slot is not None:
                    held.enter_context(slot)
                    tool_slot = None  # one slot for the rest of the question
            if isinstance(event, AnswerReady):
                answer = event.answer
    assert answer is not None  # the stream always ends with the answer
    return answer


def run_with_steps(work: Any, listener: StepListener) -> dict[str, Any]:
    """Start `work()` on a daemon thread; the result lands in the dict.

    The dict gets "value" (or "error") before `None` is put on the listener's queue.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = work()
        except Exception as exc:  # noqa: BLE001 - reported in the chat, never lost in a thread
            result["error"] = exc
        finally:
            listener.put(None)

    threading.Thread(target=target, name="copilot-web-ask", daemon=True).start()
    return result
