"""Charts for result tables: pick one (`chart_for_table`), draw it (`to_plotly`, `to_png`).

Charts are presentation: tools only hint with `TableArtifact.chart`; front ends call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from copilot.charts.infer import chart_for_table, charts_for
from copilot.charts.spec import ChartArtifact, ChartSpec

if TYPE_CHECKING:
    from copilot.charts.plotly_chart import to_plotly
    from copilot.charts.png import cjk_font, to_png


def __getattr__(name: str) -> Any:
    """The renderers load on first use (PEP 562): matplotlib and plotly cost ~1 s to import,
    and `copilot ask` never draws."""
    if name == "to_plotly":
        from copilot.charts.plotly_chart import to_plotly

        return to_plotly
    if name in ("to_png", "cjk_font"):
        from copilot.charts import png

        return getattr(png, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ChartArtifact",
    "ChartSpec",
    "chart_for_table",
    "charts_for",
    "cjk_font",
    "to_plotly",
    "to_png",
]
