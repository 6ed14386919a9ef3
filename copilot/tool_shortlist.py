"""Which tools a question can need: the offline planner's own reading of it.

A small local model reads the whole first request before it answers (about 20 s per
1,000 tokens on two CPU cores), and 20 tool schemas are most of it. The planner
already maps a question to the tool it would call; that tool and its close
relatives are sent, and all tools when the planner has no reading (unsure).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock
from typing import TYPE_CHECKING

from copilot.messages import AIMessage, BaseMessage
from copilot.offline import OfflinePlanner

if TYPE_CHECKING:  # LangChain's tools load with a remote model only (issue 10)
    from langchain_core.tools import BaseTool

RELATED: dict[str, tuple[str, ...]] = {
    "query_metrics": ("run_sql", "describe_data"),
    "run_sql": ("describe_data", "query_metrics"),
    "describe_data": ("run_sql", "query_metrics"),
    "cohort_retention": ("query_metrics",),
    "ab_test": ("ab_sample_size", "query_metrics"),
    "ab_sample_size": ("ab_test",),
    "rfm_segments": ("profile_segment", "customer_personas"),
    "customer_personas": ("rfm_segments", "profile_segment"),
    "profile_segment": ("rfm_segments", "list_segments"),
    "define_segment": ("list_segments", "refresh_segment", "profile_segment"),
    "refresh_segment": ("list_segments",),
    "list_segments": ("profile_segment",),
    "export_audience": ("list_segments", "rfm_segments"),
    "best_send_time": ("best_channel",),
    "best_channel": ("best_send_time",),
    "generate_copy": ("search_knowledge", "rfm_segments"),
    "search_knowledge": ("generate_copy",),
    "predict_churn": ("query_metrics",),
    "cross_sell_rules": ("query_metrics",),
    "review_sentiment": ("query_metrics",),
}
"""Tools worth offering beside the planned one: the usual second step or alternative."""


class QuestionReader:
    """The offline planner's reading of a question: the tools it would call (cached)."""

    def __init__(self, planner: OfflinePlanner, tools: Sequence[BaseTool], size: int = 64) -> None:
        self._planner = planner.bind_tools(list(tools))
        self._cache: OrderedDict[tuple[str, ...], tuple[str, ...]] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def planned_tools(self, messages: Sequence[BaseMessage]) -> tuple[str, ...]:
        """Names of the tools the planner would call for the last question (may be empty).

        `messages` ends with the question; earlier ones are the conversation, which the
        planner needs for follow-ups ("and by city?").
        """
        key = tuple(f"{m.type}:{m.text}" for m in messages[-6:])
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        try:
            reply = self._planner.invoke(list(messages))
        except Exception:  # noqa: BLE001 - no reading means "unsure": every tool is sent
            reply = AIMessage("")
        names = tuple(c["name"] for c in getattr(reply, "tool_calls", []) or [])
        with self._lock:
            self._cache[key] = names
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return names


def compact(tool: BaseTool) -> BaseTool:
    """The tool with its description cut to the docstring's first paragraph.

    The parameters keep their own descriptions (the examples small models need);
    the rest of a docstring is for people reading the code.
    """
    first = tool.description.split("\n\n")[0].replace("\n", " ").strip()
    if first == tool.description:
        return tool
    return tool.model_copy(update={"description": first})


def shortlist(planned: Sequence[str], available: Sequence[str]) -> list[str] | None:
    """The tools to send for a question the planner reads as `planned`; None = all."""
    if not planned:
        return None
    wanted: list[str] = []
    for name in planned:
        wanted += [name, *RELATED.get(name, ())]
    chosen = [name for name in dict.fromkeys(wanted) if name in available]
    return chosen or None
