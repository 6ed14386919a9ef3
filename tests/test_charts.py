"""Charts for result tables: the chart picked, its plotly traces and its offline PNG."""

from __future__ import annotations

import io
import socket
import warnings
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from copilot import charts
from copilot.charts import (
    ChartArtifact,
    chart_for_table,
    charts_for,
    cjk_font,
    to_plotly,
    to_png,
)
from tools.base import TableArtifact

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONTHS = [date(2025, m, 1) for m in range(1, 13)]
CITIES_ZH = ["上海", "北京", "广州", "深圳", "杭州", "成都"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts are drawn offline: any connection attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chart tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def monthly_revenue() -> TableArtifact:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"month": MONTHS, "revenue": rng.uniform(5e5, 1.5e6, 12).round(2)})
    # Shuffled on purpose: the chart must run in time order.
    return TableArtifact("Revenue by month", frame.sample(frac=1.0, random_state=3))


def city_revenue() -> TableArtifact:
    frame = pd.DataFrame({"city": CITIES_ZH, "revenue": [1.2e6, 9.8e5, 7.1e5, 6.9e5, 4.2e5, 3.3e5]})
    return TableArtifact("各城市销售额", frame)


def month_channel_revenue() -> TableArtifact:
    rng = np.random.default_rng(2)
    rows = [
        (m.strftime("%Y-%m"), channel, float(rng.uniform(1e5, 5e5)))
        for m in MONTHS[:6]
        for channel in ("app", "web", "wechat")
    ]
    return TableArtifact(
        "Revenue by month and channel", pd.DataFrame(rows, columns=["month", "channel", "revenue"])
    )


def funnel_table() -> TableArtifact:
    frame = pd.DataFrame(
        {"stage": ["delivered", "opened", "clicked", "converted"], "count": [10000, 4200, 900, 130]}
    )
    return TableArtifact("Campaign funnel", frame, chart="funnel")


def cohort_table() -> TableArtifact:
    cohorts = [f"2025-{m:02d}" for m in range(1, 6)]
    cells = {
        str(k): [
            1.0 if k == 0 else round(0.4 * 0.8**k + 0.01 * i, 4) if i + k < 5 else np.nan
            for i in range(5)
        ]
        for k in range(5)
    }
    return TableArtifact(
        "Cohort retention", pd.DataFrame({"cohort": cohorts, **cells}), chart="heatmap"
    )


# --- which chart ---------------------------------------------------------------------------


def test_monthly_revenue_is_a_line_over_months_in_time_order() -> None:
    table = monthly_revenue()
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "line"
    assert spec.x == "month" and spec.y == ("revenue",) and spec.y_format == "money"
    expected = table.frame.sort_values("month")
    figure = to_plotly(spec)
    assert [type(t) for t in figure.data] == [go.Scatter]
    assert list(pd.to_datetime(figure.data[0].x)) == list(pd.to_datetime(expected["month"]))
    assert list(figure.data[0].y) == list(expected["revenue"])
    assert figure.layout.xaxis.type == "date"
    assert figure.layout.yaxis.tickprefix == "¥"


@pytest.mark.parametrize(
    ("labels", "x_values"),
    [
        (["2025-03", "2025-01", "2025-02"], ["2025-01", "2025-02", "2025-03"]),
        (["2025-Q3", "2025-Q1", "2025-Q2"], ["2025-Q1", "2025-Q2", "2025-Q3"]),
    ],
)
def test_period_strings_make_a_line_in_time_order(labels: list[str], x_values: list[str]) -> None:
    table = TableArtifact("Orders", pd.DataFrame({"period": labels, "orders": [3, 1, 2]}))
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "line"
    shown = pd.Series(to_plotly(spec).data[0].x)
    if spec.x_format == "month":
        shown = pd.to_datetime(shown).dt.strftime("%Y-%m")
    assert list(shown) == x_values
    assert list(to_plotly(spec).data[0].y) == [1, 2, 3]


def test_revenue_by_chinese_city_is_a_bar_in_table_order() -> None:
    table = city_revenue()
    spec = chart_for_table(table, language="zh")
    assert spec is not None and spec.kind == "bar" and not spec.horizontal
    assert spec.label("city") == "城市"
    bar = to_plotly(spec).data[0]
    assert isinstance(bar, go.Bar)
    assert list(bar.x) == CITIES_ZH
    assert list(bar.y) == table.frame["revenue"].tolist()


def test_many_categories_show_the_top_20_as_horizontal_bars() -> None:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {"city": [f"C{i}" for i in range(30)], "repeat_rate": rng.uniform(0, 0.6, 30)}
    )
    spec = chart_for_table(TableArtifact("Repeat rate by city", frame))
    assert spec is not None and spec.kind == "bar" and spec.horizontal
    assert spec.y_format == "percent" and "20" in (spec.note or "")
    bar = to_plotly(spec).data[0]
    top = frame.nlargest(20, "repeat_rate")
    assert bar.orientation == "h"
    assert list(bar.y) == top["city"].tolist()
    assert np.allclose(bar.x, top["repeat_rate"])
    assert to_plotly(spec).layout.xaxis.tickformat == ".0%"


def test_long_category_labels_turn_bars_horizontal() -> None:
    frame = pd.DataFrame(
        {"segment": ["Lapsed high spenders", "New customers"], "buyers": [120, 80]}
    )
    spec = chart_for_table(TableArtifact("Buyers by segment", frame))
    assert spec is not None and spec.kind == "bar" and spec.horizontal


def test_long_format_month_by_channel_gives_one_line_per_channel() -> None:
    table = month_channel_revenue()
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "line" and spec.series == "channel"
    figure = to_plotly(spec)
    assert sorted(t.name for t in figure.data) == ["app", "web", "wechat"]
    expected = table.frame.pivot(index="month", columns="channel", values="revenue").sort_index()
    for trace in figure.data:
        assert isinstance(trace, go.Scatter)
        shown = pd.to_datetime(pd.Series(trace.x)).dt.strftime("%Y-%m").tolist()
        assert shown == expected.index.tolist()
        assert np.allclose(trace.y, expected[trace.name].to_numpy())


def test_category_then_month_puts_time_on_the_x_axis() -> None:
    """"revenue by channel by month" lists channel first: still one line per channel over
    the months, not the months as bar groups over the channels."""
    month_first = month_channel_revenue().frame
    frame = month_first[["channel", "month", "revenue"]].sort_values(["channel", "month"])
    spec = chart_for_table(TableArtifact("Revenue by channel and month", frame))
    assert spec is not None and spec.kind == "line"
    assert spec.x == "month" and spec.series == "channel"
    figure = to_plotly(spec)
    assert sorted(t.name for t in figure.data) == ["app", "web", "wechat"]
    expected = frame.pivot(index="month", columns="channel", values="revenue").sort_index()
    for trace in figure.data:
        shown = pd.to_datetime(pd.Series(trace.x)).dt.strftime("%Y-%m").tolist()
        assert shown == expected.index.tolist()
        assert np.allclose(trace.y, expected[trace.name].to_numpy())


def test_metrics_in_different_units_are_not_mixed_on_one_chart() -> None:
    frame = pd.DataFrame(
        {
            "month": MONTHS[:4],
            "revenue": [1e6, 1.2e6, 0.9e6, 1.1e6],
            "repeat_rate": [0.2, 0.25, 0.22, 0.3],
        }
    )
    spec = chart_for_table(TableArtifact("Revenue and repeat rate", frame))
    # The main measure is drawn; the rate in another unit stays in the table.
    assert spec is not None and spec.y == ("revenue",) and spec.y_format == "money"
    figure = to_plotly(spec)
    assert [t.name for t in figure.data] == ["Revenue"]
    assert "yaxis2" not in figure.to_plotly_json()["layout"]


def test_funnel_keeps_stages_in_order() -> None:
    table = funnel_table()
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "funnel"
    trace = to_plotly(spec).data[0]
    assert isinstance(trace, go.Funnel)
    assert list(trace.y) == table.frame["stage"].tolist()
    assert list(trace.x) == table.frame["count"].tolist()


def test_cohort_table_is_a_heatmap_of_its_values() -> None:
    table = cohort_table()
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "heatmap" and spec.y_format == "percent"
    trace = to_plotly(spec).data[0]
    assert isinstance(trace, go.Heatmap)
    expected = table.frame.drop(columns="cohort").to_numpy(dtype=float)
    assert np.allclose(np.asarray(trace.z, dtype=float), expected, equal_nan=True)
    assert list(trace.y) == table.frame["cohort"].tolist()
    # Period 0 is 100% by definition; the colour scale follows the later periods.
    assert trace.zmax == pytest.approx(np.nanmax(expected[:, 1:]))


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"metric": ["revenue"], "value": [123456.0]}),
        pd.DataFrame({"revenue": [123456.0], "orders": [321]}),
        pd.DataFrame({"city": ["上海", "北京"]}),
        pd.DataFrame({"month": [], "revenue": []}),
    ],
)
def test_a_single_number_or_no_numbers_gets_no_chart(frame: pd.DataFrame) -> None:
    assert chart_for_table(TableArtifact("Revenue", frame)) is None


def test_decimal_values_from_a_driver_are_charted_as_numbers() -> None:
    frame = pd.DataFrame({"city": ["A", "B"], "revenue": [Decimal("10.50"), Decimal("7.25")]})
    spec = chart_for_table(TableArtifact("Revenue", frame))
    assert spec is not None and spec.kind == "bar"
    assert list(to_plotly(spec).data[0].y) == [10.5, 7.25]


def test_the_tool_hint_wins_over_inference() -> None:
    frame = monthly_revenue().frame
    spec = chart_for_table(TableArtifact("Revenue by month", frame, chart="bar"))
    assert spec is not None and spec.kind == "bar"
    expected = frame.sort_values("month")["month"].map(lambda d: d.strftime("%Y-%m"))
    assert list(to_plotly(spec).data[0].x) == expected.tolist()


def test_charts_for_makes_one_chart_per_table_that_deserves_one() -> None:
    single = TableArtifact("Revenue", pd.DataFrame({"revenue": [1.0]}))
    artifacts = [monthly_revenue(), single, object(), funnel_table()]
    made = charts_for(artifacts)
    assert [type(c) for c in made] == [ChartArtifact, ChartArtifact]
    assert [c.kind for c in made] == ["chart", "chart"]
    assert [c.title for c in made] == ["Revenue by month", "Campaign funnel"]
    assert [c.spec.kind for c in made] == ["line", "funnel"]


def test_a_long_title_wraps_instead_of_running_off() -> None:
    from copilot.charts.spec import wrap_title

    title = "Revenue by month (this year (2026-01-01 – 2026-11-01) vs same period last year)"
    lines = wrap_title(title, 40)
    assert " ".join(lines) == title and all(len(line) <= 40 for line in lines)
    chinese = wrap_title("各城市本年销售额与去年同期对比（按月份，含退货）", 20)
    assert "".join(chinese) == "各城市本年销售额与去年同期对比（按月份，含退货）"
    assert all(sum(2 for _ in line) <= 20 for line in chinese) and len(chinese) == 3
    spec = chart_for_table(TableArtifact(title * 2, monthly_revenue().frame))
    assert spec is not None and "<br>" in to_plotly(spec).layout.title.text


# --- PNG -----------------------------------------------------------------------------------


def decode(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    return Image.open(io.BytesIO(png)).convert("RGB")


@pytest.mark.parametrize(
    "table",
    [monthly_revenue(), city_revenue(), month_channel_revenue(), funnel_table(), cohort_table()],
)
def test_png_has_the_requested_size(table: TableArtifact) -> None:
    spec = chart_for_table(table)
    assert spec is not None
    assert decode(to_png(spec)).size == (900, 500)
    assert decode(to_png(spec, width=640, height=360)).size == (640, 360)


def test_png_bars_are_drawn_in_the_first_palette_colour() -> None:
    spec = chart_for_table(city_revenue())
    assert spec is not None
    pixels = np.asarray(decode(to_png(spec)))
    bar_colour = np.array([0x4E, 0x79, 0xA7])
    assert (np.abs(pixels.astype(int) - bar_colour).sum(axis=2) < 10).mean() > 0.05


def test_chinese_labels_render_without_warnings() -> None:
    spec = chart_for_table(city_revenue(), language="zh")
    assert spec is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = to_png(spec)
    assert decode(png).size == (900, 500)
    assert [str(w.message) for w in caught] == []


def test_without_a_cjk_font_chinese_still_renders_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts.png, "cjk_font", lambda: None)
    spec = chart_for_table(city_revenue(), language="zh")
    assert spec is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = to_png(spec)
    assert decode(png).size == (900, 500)
    assert [str(w.message) for w in caught] == []


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (fonts-wqy-microhei)")
def test_the_cjk_font_found_has_chinese_glyphs() -> None:
    path = font_manager.findfont(
        font_manager.FontProperties(family=cjk_font()), fallback_to_default=False
    )
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) != 0 for ch in "上海北京销售额")


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (fonts-wqy-microhei)")
def test_a_font_matplotlib_does_not_list_is_found_through_fontconfig(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts.png, "CJK_FAMILIES", ())
    charts.png.cjk_font.cache_clear()
    try:
        family = charts.png.cjk_font()
    finally:
        charts.png.cjk_font.cache_clear()
    assert family is not None
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert FT2Font(path).get_char_index(ord("海")) != 0


def test_the_legend_sits_under_the_chart_never_over_the_title() -> None:
    # Above the plot, a legend that wraps to several rows in a narrow panel grew over the
    # title; under the chart it grows into its own margin, and the title pushes the plot down.
    frame = pd.DataFrame(
        {"month": MONTHS[:4], "revenue": [1e6, 1.2e6, 0.9e6, 1.1e6], "orders": [1e6] * 4}
    )
    table = TableArtifact("Revenue this year and last year " * 3, frame.rename(
        columns={"orders": "revenue_previous"}))  # fmt: skip
    layout = to_plotly(chart_for_table(table)).layout
    assert layout.showlegend and layout.legend.yref == "container"
    assert layout.legend.y == 0 and layout.legend.yanchor == "bottom"
    assert layout.title.yref == "paper" and layout.title.yanchor == "bottom"
    assert layout.title.automargin and layout.title.y == 1
