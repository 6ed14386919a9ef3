"""The copilot's capabilities: typed functions over a ToolContext returning ToolOutput.

`TOOLS` is the one registry; the agent turns it into LangChain tools in one place.
"""

from tools.base import Limits, TableArtifact, ToolContext, ToolError, ToolOutput
from tools.metrics import query_metrics

TOOLS = [query_metrics]

__all__ = [
    "TOOLS",
    "Limits",
    "TableArtifact",
    "ToolContext",
    "ToolError",
    "ToolOutput",
    "query_metrics",
]
