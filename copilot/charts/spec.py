"""What a chart is, independent of how it is drawn: one spec renders to plotly and to PNG."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from copilot.charts.formats import NumberFormat

ChartKind = Literal["line", "bar", "funnel", "heatmap"]
XFormat = Literal["date", "month", "category"]


# eq=False: a DataFrame field has no single truth value, so specs compare by identity.
@dataclass(frozen=True, eq=False)
class ChartSpec:
    """A chart to draw from `data` (already cut, sorted and in plotting order).

    - line/bar: `x` is the category or time column, `y` the value columns (one trace
      each) unless `series` names a column whose values become the traces (long format,
      exactly one `y`). Every `y` column shares one axis in one unit: a measure in another
      unit (a relative change beside the money it changes) stays in the table, because two
      value axes on one chart are misread.
      `errors` draw an interval around a bar; `base_value` is the line bars grow from.
    - funnel: `x` is the stage column, `y[0]` the count; rows are the stages in order.
    - heatmap: `x` is the row (cohort) column, `y` the period columns whose cells are drawn.
    """

    kind: ChartKind
    title: str
    x: str
    y: tuple[str, ...]
    data: pd.DataFrame
    series: str | None = None
    x_format: XFormat = "category"
    y_format: NumberFormat = "number"
    horizontal: bool = False
    language: str = "en"
    currency: str = "¥"
    labels: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    # Error bars (bar charts): value column -> (lower bound column, upper bound column), in
    # the value's own unit, e.g. a variant's conversion rate and its confidence interval.
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Where bars start (bar charts): 100 for an index, so bars read as above or below the
    # baseline; None = from zero.
    base_value: float | None = None

    def label(self, column: str) -> str:
        """The readable label of a column (axis title, legend entry)."""
        return self.labels.get(column, str(column))


@dataclass
class ChartArtifact:
    """A chart for the front ends, next to the table it was drawn from."""

    title: str
    spec: ChartSpec
    kind: Literal["chart"] = "chart"


def period_title(spec: ChartSpec) -> str:
    """The title over a heatmap's period columns."""
    return "期数" if spec.language == "zh" else "Period"


def wrap_title(text: str, columns: int) -> list[str]:
    """A title cut into lines of at most `columns` display columns (CJK counts 2).

    Breaks at spaces where there are any; a run without spaces (Chinese) breaks
    between characters. A title never runs off the chart.
    """
    lines: list[str] = []
    line = ""
    for token in re.findall(r"\S+\s*|\s+", text):
        pieces = [token] if _width(token.rstrip()) <= columns else list(token)
        for piece in pieces:
            if line and _width(line + piece.rstrip()) > columns:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def value_title(spec: ChartSpec, columns: tuple[str, ...]) -> str:
    """A value axis title: the labels of its columns (the first three), or the series' value."""
    if spec.series:
        return spec.label(columns[0])
    names = [spec.label(c) for c in columns]
    return " / ".join(names) if len(names) <= 3 else " / ".join(names[:3]) + " …"


def color_max(cells: np.ndarray) -> float | None:
    """The top of a heatmap's colour scale.

    In a cohort table period 0 is 100% by definition; scaling to it would wash out
    the periods that matter, so they set the scale when the first column is all ~1.
    """
    present = cells[~np.isnan(cells)]
    if not present.size:
        return None
    rest = cells[:, 1:][~np.isnan(cells[:, 1:])]
    first = cells[:, 0][~np.isnan(cells[:, 0])]
    if rest.size and first.size and first.min() >= 0.99 and present.max() <= 1.0:
        return float(rest.max())
    return float(present.max())
