"""Labels for the store values in a tool's table, per answer language (`TableArtifact.value_labels`).

Two sources: the store's own label column named by the semantic model (`aliases:
products.category_zh`, so "electronics" reads "数码电子" in a Chinese answer), and the
product's words for values it names itself (RFM segments, message and order channels).
"""

from __future__ import annotations

import pandas as pd

from knowledge.presentation import channel_name, segment_name
from knowledge.presentation.values import ValueLabels, labels_by_language, merge_labels
from knowledge.semantic.values import stored_labels
from tools.base import ToolContext


def dimension_value_labels(
    ctx: ToolContext, frame: pd.DataFrame, dimensions: list[str]
) -> ValueLabels:
    """Labels of the values of each dimension column of `frame` that has any.

    A store label column is read for the values shown only (one small SELECT per such
    dimension); its language is the column's suffix (`category_zh` -> zh).
    """
    model = ctx.semantic_model
    parts: list[ValueLabels] = []
    for name in dimensions:
        if name not in frame.columns or name not in model.dimensions:
            continue
        values = [v for v in frame[name].dropna().unique().tolist() if isinstance(v, str)]
        if not values:
            continue
        spec = model.dimensions[name]
        if spec.aliases:
            language = spec.aliases.rpartition("_")[2] if "_" in spec.aliases else "zh"
            found = stored_labels(ctx.engine, model, name, values)
            if found:
                parts.append({language: {name: found}})
        if name.endswith("segment"):
            parts.append(labels_by_language(name, values, segment_name))
        if name.endswith("channel"):
            parts.append(labels_by_language(name, values, channel_name))
    return merge_labels(*parts)
