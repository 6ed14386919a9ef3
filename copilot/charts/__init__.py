"""Charts for result tables: pick one (`chart_for_table`), draw it (`to_plotly`, `to_png`).

Charts are presentation: tools only hint with `TableArtifact.chart`; front ends call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copilot.charts.infer import chart_for_table, charts_for
from copilot.charts.spec import ChartArtifact, ChartSpec
from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from copilot.charts.plotly_chart import to_plotly
    from copilot.charts.png import cjk_font, to_png


# The renderers load on first use: matplotlib and plotly cost ~1 s to import, and
# `copilot ask` never draws.
__getattr__ = lazy_exports(
    __name__, {"to_plotly": "plotly_chart", "to_png": "png", "cjk_font": "png"}
)


__all__ = [
    "ChartArtifact",
    "ChartSpec",
    "chart_for_table",
    "charts_for",
    "cjk_font",
    "to_plotly",
    "to_png",
]
