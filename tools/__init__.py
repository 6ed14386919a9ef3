"""The copilot's capabilities: typed functions over a ToolContext returning ToolOutput.

`TOOLS` is the one registry; the agent turns it into LangChain tools in one place.
"""

from tools.ab_testing import ab_sample_size, ab_test
from tools.audience_export import export_audience
from tools.base import Limits, TableArtifact, ToolContext, ToolError, ToolOutput
from tools.churn import predict_churn
from tools.cohorts import cohort_retention
from tools.copywriting import generate_copy
from tools.cross_sell import cross_sell_rules
from tools.knowledge_search import search_knowledge
from tools.metrics import query_metrics
from tools.profiles.profile import profile_segment
from tools.reviews.sentiment import review_sentiment
from tools.segments import customer_personas, rfm_segments
from tools.segments.rules import define_segment, list_segments, refresh_segment
from tools.send_time import best_channel, best_send_time
from tools.sql import describe_data, run_sql

TOOLS = [
    query_metrics,
    cohort_retention,
    ab_test,
    ab_sample_size,
    cross_sell_rules,
    predict_churn,
    rfm_segments,
    customer_personas,
    define_segment,
    refresh_segment,
    list_segments,
    profile_segment,
    best_send_time,
    best_channel,
    export_audience,
    review_sentiment,
    generate_copy,
    search_knowledge,
    run_sql,
    describe_data,
]

__all__ = [
    "TOOLS",
    "Limits",
    "TableArtifact",
    "ToolContext",
    "ToolError",
    "ToolOutput",
    "ab_sample_size",
    "ab_test",
    "best_channel",
    "best_send_time",
    "define_segment",
    "export_audience",
    "generate_copy",
    "list_segments",
    "profile_segment",
    "refresh_segment",
    "review_sentiment",
    "rfm_segments",
    "cohort_retention",
    "cross_sell_rules",
    "customer_personas",
    "describe_data",
    "predict_churn",
    "query_metrics",
    "run_sql",
    "search_knowledge",
]
