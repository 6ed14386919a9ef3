"""Tool steps as they run: a LangChain callback that the chat polls while the agent works.

`Copilot.ask` is not streaming, so the chat runs it on a worker thread with a
`StepListener` set in a context variable; LangChain adds the listener to every
run started in that context (tool calls included, even on LangGraph's pool
threads, which copy the context), and nowhere else, so concurrent users never
see each other's steps.
"""

from __future__ import annotations

import queue
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import register_configure_hook

_LISTENER: ContextVar[StepListener | None] = ContextVar("copilot_web_steps", default=None)
register_configure_hook(_LISTENER, inheritable=True)


@dataclass
class StepEvent:
    """A tool started ("start"), finished ("end") or failed ("error")."""

    kind: str
    run_id: str
    name: str = ""
    args: Any = None
    duration_ms: float | None = None
    error: str | None = None


class StepListener(BaseCallbackHandler):
    """Puts tool starts and ends on a queue; `None` on the queue means the answer is ready."""

    def __init__(self) -> None:
        self.events: queue.Queue[StepEvent | None] = queue.Queue()

    def on_tool_start(
        self,
        serialized: dict[str, Any],
        input_str: str,
        *,
        run_id: UUID,
        inputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        name = (serialized or {}).get("name") or kwargs.get("name") or "tool"
        self.events.put(StepEvent("start", str(run_id), name, inputs or input_str))

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        # The agent's ToolMessage carries the ToolOutput (with its timing) as artifact.
        data = getattr(getattr(output, "artifact", None), "data", None) or {}
        self.events.put(
            StepEvent(
                "end", str(run_id), duration_ms=data.get("duration_ms"), error=data.get("error")
            )
        )

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self.events.put(StepEvent("error", str(run_id), error=str(error)))


def run_with_steps(work: Any, listener: StepListener) -> dict[str, Any]:
    """Start `work()` on a daemon thread with `listener` active; the result lands in the dict.

    The dict gets "value" (or "error") before `None` is put on the listener's queue.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        _LISTENER.set(listener)
        try:
            result["value"] = work()
        except Exception as exc:  # noqa: BLE001 - reported in the chat, never lost in a thread
            result["error"] = exc
        finally:
            listener.events.put(None)

    threading.Thread(target=target, name="copilot-web-ask", daemon=True).start()
    return result
