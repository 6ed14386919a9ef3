"""The copilot's capabilities: typed functions over a ToolContext returning ToolOutput.

`TOOLS` is the one registry; the agent turns it into LangChain tools in one place.
"""

from tools.ab_testing import ab_sample_size, ab_test
from tools.base import Limits, TableArtifact, ToolContext, ToolError, ToolOutput
from tools.metrics import query_metrics

TOOLS = [query_metrics, ab_test, ab_sample_size]

__all__ = [
    "TOOLS",
    "Limits",
    "TableArtifact",
    "ToolContext",
    "ToolError",
    "ToolOutput",
    "query_metrics",
]
