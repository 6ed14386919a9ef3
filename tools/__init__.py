"""The copilot's capabilities: typed functions over a ToolContext returning ToolOutput.

`TOOLS` is the one registry; the agent turns it into LangChain tools in one place.
`TOOL_MODULES` names each tool and the module that defines it, in registry order:
a tool's module (and what it imports) loads when the tool is first asked for
(`load_tool`, `TOOLS`, or `from tools import rfm_segments`), so a question that
needs one tool does not pay for the other nineteen (issue 10: start-up time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from knowledge.lazy_exports import lazy_exports
from tools.base import Limits, TableArtifact, ToolContext, ToolError, ToolOutput

TOOL_MODULES: dict[str, str] = {
    "query_metrics": "metrics",
    "cohort_retention": "cohorts",
    "ab_test": "ab_testing",
    "ab_sample_size": "ab_testing",
    "cross_sell_rules": "cross_sell",
    "predict_churn": "churn.predict",
    "rfm_segments": "segments.rfm_report",
    "customer_personas": "segments.persona_report",
    "define_segment": "segments.rules",
    "refresh_segment": "segments.rules",
    "list_segments": "segments.rules",
    "profile_segment": "profiles.profile",
    "best_send_time": "send_time",
    "best_channel": "send_time",
    "export_audience": "audience_export",
    "review_sentiment": "reviews.sentiment",
    "generate_copy": "copywriting.generate",
    "search_knowledge": "knowledge_search",
    "run_sql": "sql.run",
    "describe_data": "sql.describe",
}
"""Tool name -> its module under `tools`, in the order the registry lists them."""

_tool_export = lazy_exports(__name__, TOOL_MODULES)


def load_tool(name: str) -> Callable[..., ToolOutput]:
    """The tool function called `name`, its module imported on first use.

    Raises KeyError naming the known tools when there is no such tool.
    """
    if name not in TOOL_MODULES:
        raise KeyError(f"no tool {name!r}; the tools are {', '.join(TOOL_MODULES)}")
    return _tool_export(name)


def __getattr__(name: str) -> Any:
    """`TOOLS` (every tool function, in order) and each tool by name, loaded on first use."""
    if name == "TOOLS":
        return [load_tool(tool) for tool in TOOL_MODULES]
    value = _tool_export(name)  # AttributeError for any other name
    globals()[name] = value  # later reads skip this hook
    return value


__all__ = [
    "TOOLS",
    "TOOL_MODULES",
    "Limits",
    "TableArtifact",
    "ToolContext",
    "ToolError",
    "ToolOutput",
    "load_tool",
    *TOOL_MODULES,
]
