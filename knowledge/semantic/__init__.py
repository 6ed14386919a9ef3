"""The semantic model: named metrics, dimensions and their synonyms, compiled to SQL."""

from knowledge.semantic.compiler import MetricPlan, MetricQuery, plan_metric_query
from knowledge.semantic.model import (
    Dimension,
    Fact,
    Metric,
    SemanticModel,
    load_semantic_model,
)

__all__ = [
    "Dimension",
    "Fact",
    "Metric",
    "MetricPlan",
    "MetricQuery",
    "SemanticModel",
    "load_semantic_model",
    "plan_metric_query",
]
