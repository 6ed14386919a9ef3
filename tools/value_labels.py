"""Labels for the store values in a tool's table, per answer language (`TableArtifact.value_labels`).

Two sources: the store's own label column named by the semantic model (`aliases:
products.category_zh`, so "electronics" reads "数码电子" in a Chinese answer), and the
product's words for values it names itself (RFM segments, message and order channels).
The way back too: a filter given by its label ("数码电子", "冠军客户": a follow-up on
a Chinese answer, or a remote model that read one) filters by the stored value.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from knowledge.presentation import channel_name, segment_name
from knowledge.presentation.messages import LANGUAGES
from knowledge.presentation.values import ValueLabels, labels_by_language, merge_labels
from knowledge.semantic.values import stored_labels
from tools.base import ToolContext


def value_labels(ctx: ToolContext, values_by_dimension: dict[str, Iterable[object]]) -> ValueLabels:
    """Labels of the given values of each dimension, where any are known.

    A store label column is read for these values only (one small SELECT per such
    dimension); its language is the column's suffix (`category_zh` -> zh).
    """
    model = ctx.semantic_model
    parts: list[ValueLabels] = []
    for name, given in values_by_dimension.items():
        if name not in model.dimensions:
            continue
        values = list(dict.fromkeys(v for v in given if isinstance(v, str)))
        if not values:
            continue
        spec = model.dimensions[name]
        if spec.aliases:
            language = spec.aliases.rpartition("_")[2] if "_" in spec.aliases else "zh"
            found = stored_labels(ctx.engine, model, name, values)
            if found:
                parts.append({language: {name: found}})
        named = _product_words(name)
        if named is not None:
            parts.append(labels_by_language(name, values, named))
    return merge_labels(*parts)


def dimension_value_labels(
    ctx: ToolContext, frame: pd.DataFrame, dimensions: list[str]
) -> ValueLabels:
    """Labels of the values of each dimension column of `frame` that has any."""
    return value_labels(
        ctx, {d: frame[d].dropna().unique().tolist() for d in dimensions if d in frame.columns}
    )


def stored_filter_values(
    ctx: ToolContext, filters: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Filters with every value given by its label replaced by the stored value it names
    ("数码电子" -> "electronics", "冠军客户" -> "Champions"); other values as given."""
    model = ctx.semantic_model
    out: dict[str, tuple[str, ...]] = {}
    for name, values in filters.items():
        back: dict[str, str] = {}
        spec = model.dimensions.get(name)
        if spec is not None and spec.aliases:
            back |= stored_labels(ctx.engine, model, name, list(values), from_labels=True)
        named = _product_words(name)
        if named is not None:
            back |= _reverse(named, values)
        out[name] = tuple(back.get(v, v) for v in values)
    return out


def _product_words(dimension: str):  # noqa: ANN202 - a naming function or None
    """The product's own names for a dimension's values: RFM segments, channels."""
    if dimension.endswith("segment"):
        return segment_name
    if dimension.endswith("channel"):
        return channel_name
    return None


def _reverse(named, values: Iterable[str]) -> dict[str, str]:  # noqa: ANN001
    """{label: stored value} for the values that are labels of known stored values."""
    from knowledge.presentation.names import MESSAGE_CHANNELS, ORDER_CHANNELS, RFM_SEGMENTS

    known = [*RFM_SEGMENTS, *MESSAGE_CHANNELS, *ORDER_CHANNELS]
    labels = {named(k, language): k for k in known for language in LANGUAGES if language != "en"}
    return {v: labels[v] for v in values if v in labels and labels[v] != v}
