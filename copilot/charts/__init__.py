"""Charts for result tables: pick one (`chart_for_table`), draw it (`to_plotly`, `to_png`).

Charts are presentation: tools only hint with `TableArtifact.chart`; front ends call these.
"""

from copilot.charts.infer import chart_for_table, charts_for
from copilot.charts.plotly_chart import to_plotly
from copilot.charts.png import cjk_font, to_png
from copilot.charts.spec import ChartArtifact, ChartSpec

__all__ = [
    "ChartArtifact",
    "ChartSpec",
    "chart_for_table",
    "charts_for",
    "cjk_font",
    "to_plotly",
    "to_png",
]
