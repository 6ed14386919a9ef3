"""How chart values read: the formatting layer (knowledge.presentation) as the charts use it."""

from __future__ import annotations

from knowledge.presentation import NumberFormat, column_format
from knowledge.presentation import column_label as _column_label
from knowledge.presentation import format_value as _format_value

__all__ = [
    "PALETTE",
    "NumberFormat",
    "column_format",
    "column_label",
    "format_value",
    "plotly_hover_format",
    "plotly_tick_format",
]


def column_label(name: str, language: str = "en") -> str:
    """A readable axis/legend label for a column ("repeat_rate" -> "Repeat rate" / "复购率"),
    from the semantic model and the message catalogue (knowledge.presentation)."""
    return _column_label(name, language)


def format_value(value: float, fmt: NumberFormat, currency: str = "¥", language: str = "en") -> str:
    """A value as a compact chart label (1.2M, 123.5万, 34.5%): the one formatting layer's
    `format_value` in its compact form."""
    return _format_value(value, fmt, language, currency, compact=True)


def plotly_tick_format(fmt: NumberFormat) -> str:
    """A d3 format string for an axis of this format."""
    return ".0%" if fmt in ("percent", "points") else ""


def plotly_hover_format(fmt: NumberFormat) -> str:
    """A d3 format string for hover text of this format."""
    return {"percent": ".1%", "points": ".1%", "money": ",.2f", "integer": ",.0f", "number": ",.2~f"}[fmt]


# One palette for both renderers (Tableau 10: distinct, colour-blind friendly enough).
PALETTE = (
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2",
    "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)  # fmt: skip
