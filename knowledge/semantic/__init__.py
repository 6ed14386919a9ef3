"""The semantic model: named metrics, dimensions and their synonyms, compiled to SQL."""

from knowledge.semantic.compiler import MetricQuery, compile_metric_query
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
    "MetricQuery",
    "SemanticModel",
    "compile_metric_query",
    "load_semantic_model",
]
