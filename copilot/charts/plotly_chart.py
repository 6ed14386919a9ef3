"""Renders a ChartSpec as an interactive plotly figure (for Gradio's `gr.Plot`).

Building a figure fetches nothing: the front end (Gradio) bundles plotly.js.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from copilot.charts.formats import (
    PALETTE,
    NumberFormat,
    format_value,
    plotly_hover_format,
    plotly_tick_format,
)
from copilot.charts.spec import ChartSpec, color_max, period_title, value_title, wrap_title

# Browsers pick the first installed family; the CJK ones cover Chinese labels.
FONT_FAMILY = (
    "Inter, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', "
    "'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif"
)
MAX_MARKED_POINTS = 36  # beyond this, markers on lines are clutter
MAX_LABELLED_BARS = 16  # upright bars beyond this carry no value labels (hover has them)
# A longer title wraps (plotly never wraps it and cuts it off); the results panel can be
# 360 px narrow, where a 17 px title holds about 44 columns.
TITLE_COLUMNS = 44


def to_plotly(spec: ChartSpec) -> go.Figure:
    """An interactive plotly figure for the spec: titles, axis labels, hover formats."""
    figure = go.Figure()
    draw = {"line": _line, "bar": _bar, "funnel": _funnel, "heatmap": _heatmap}[spec.kind]
    draw(figure, spec)
    title = "<br>".join(wrap_title(spec.title, TITLE_COLUMNS))
    title = title if not spec.note else f"{title}<br><sup>{spec.note}</sup>"
    figure.update_layout(
        template="plotly_white",
        # Just above the plot, pushing it down as far as the title's lines need.
        title={
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 17},
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"b": 12},
            "automargin": True,
        },
        font={"family": FONT_FAMILY, "size": 13, "color": "#333"},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 30, "t": 30, "b": 50},
        hovermode="x unified" if spec.kind == "line" else "closest",
        # The legend sits under the chart, where it can take as many rows as a narrow
        # panel needs: above the plot it grew upwards over the title.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "xanchor": "left",
            "x": 0,
        },
        showlegend=len(figure.data) > 1,
    )
    return figure


def _line(figure: go.Figure, spec: ChartSpec) -> None:
    for name, frame, column in _traces(spec):
        figure.add_trace(
            go.Scatter(
                x=frame[spec.x],
                y=frame[column],
                name=name,
                mode="lines+markers" if len(frame) <= MAX_MARKED_POINTS else "lines",
                line={"width": 2.5},
                hovertemplate=f"{name}: {_hover(spec.y_format, spec.currency, 'y')}<extra></extra>",
            )
        )
    _x_axis(figure, spec)
    figure.update_yaxes(**_value_axis(spec, spec.y_format, spec.y))


def _bar(figure: go.Figure, spec: ChartSpec) -> None:
    traces = _traces(spec)
    base = spec.base_value
    # Values written on the bars while they fit: 24 upright hour bars would overprint.
    fits = spec.horizontal or spec.data[spec.x].nunique() <= MAX_LABELLED_BARS
    for name, frame, column in traces:
        values, labels = frame[column].astype(float), frame[spec.x]
        text = [format_value(v, spec.y_format, spec.currency) for v in values]
        # From a baseline (an index from 100) a bar's length is its distance to the baseline;
        # the hover shows the value itself.
        lengths = values - base if base is not None else values
        bar: dict[str, Any] = {
            "x": lengths if spec.horizontal else labels,
            "y": labels if spec.horizontal else lengths,
            "orientation": "h" if spec.horizontal else "v",
            "name": name,
            "text": text if len(traces) == 1 and fits else None,
            "textposition": "outside",
            "cliponaxis": False,
        }
        # customdata = [value, interval low, interval high]: the hover shows the value itself.
        low, high = spec.errors.get(column, (column, column))
        bar["customdata"] = frame[[column, low, high]].to_numpy(dtype=float)
        interval = f" ({_interval_hover(spec)})" if column in spec.errors else ""
        category = "y" if spec.horizontal else "x"
        bar["hovertemplate"] = (
            f"%{{{category}}}<br>{name}: "
            f"{_hover(spec.y_format, spec.currency, 'customdata[0]')}{interval}<extra></extra>"
        )
        if base is not None:
            bar["base"] = base
        if column in spec.errors:
            bar["error_x" if spec.horizontal else "error_y"] = _error_bars(frame, spec, column)
        figure.add_trace(go.Bar(**bar))
    value_axis = _value_axis(spec, spec.y_format, spec.y)
    category_axis = {"title": {"text": spec.label(spec.x)}, "type": "category"}
    if spec.horizontal:
        # First row on top, as in the table.
        figure.update_yaxes(**category_axis, autorange="reversed", automargin=True)
        figure.update_xaxes(**value_axis)
    else:
        figure.update_xaxes(**category_axis)
        figure.update_yaxes(**value_axis)
    if base is not None:
        line = {"line_color": "#888", "line_width": 1, "line_dash": "dot"}
        (figure.add_vline if spec.horizontal else figure.add_hline)(base, **line)
    figure.update_layout(barmode="group", bargap=0.25)


def _error_bars(frame: Any, spec: ChartSpec, column: str) -> dict[str, Any]:
    """Asymmetric error bars from the interval columns (a rate's interval is not symmetric)."""
    low, high = spec.errors[column]
    values = frame[column].astype(float)
    return {
        "type": "data",
        "symmetric": False,
        "array": (frame[high].astype(float) - values).clip(lower=0).tolist(),
        "arrayminus": (values - frame[low].astype(float)).clip(lower=0).tolist(),
        "color": "#555",
        "thickness": 1.5,
        "width": 6,
    }


def _interval_hover(spec: ChartSpec) -> str:
    fmt = plotly_hover_format(spec.y_format)
    prefix = spec.currency if spec.y_format == "money" else ""
    return f"{prefix}%{{customdata[1]:{fmt}}} – {prefix}%{{customdata[2]:{fmt}}}"


def _funnel(figure: go.Figure, spec: ChartSpec) -> None:
    column = spec.y[0]
    figure.add_trace(
        go.Funnel(
            y=spec.data[spec.x],
            x=spec.data[column],
            name=spec.label(column),
            textinfo="value+percent initial",
            marker={"color": PALETTE[0]},
            connector={"line": {"color": "#ccc", "width": 1}},
            hovertemplate="%{y}<br>%{x:,.0f} (%{percentInitial:.1%} of first, "
            "%{percentPrevious:.1%} of previous)<extra></extra>",
        )
    )
    figure.update_yaxes(title={"text": spec.label(spec.x)})


def _heatmap(figure: go.Figure, spec: ChartSpec) -> None:
    cells = spec.data[list(spec.y)].to_numpy(dtype=float)
    hover = plotly_hover_format(spec.y_format)
    small = cells.size <= 300  # write the value in each cell when it still fits
    figure.add_trace(
        go.Heatmap(
            z=cells,
            x=[spec.label(c) for c in spec.y],
            y=spec.data[spec.x].astype(str),
            colorscale="Blues",
            zmin=0 if (cells[cells == cells] >= 0).all() else None,
            zmax=color_max(cells),
            hoverongaps=False,
            texttemplate=f"%{{z:{'.0%' if spec.y_format == 'percent' else '~s'}}}"
            if small
            else None,
            colorbar={"tickformat": plotly_tick_format(spec.y_format) or None},
            hovertemplate=f"{spec.label(spec.x)} %{{y}}, %{{x}}: %{{z:{hover}}}<extra></extra>",
        )
    )
    figure.update_yaxes(
        title={"text": spec.label(spec.x)}, type="category", autorange="reversed", automargin=True
    )
    figure.update_xaxes(type="category", side="top", title={"text": period_title(spec)})


def _traces(spec: ChartSpec) -> list[tuple[str, Any, str]]:
    """(legend name, rows, value column) for each trace of a line or bar chart."""
    if spec.series:
        column = spec.y[0]
        return [
            (str(value), rows, column) for value, rows in spec.data.groupby(spec.series, sort=False)
        ]
    return [(spec.label(c), spec.data, c) for c in spec.y]


def _x_axis(figure: go.Figure, spec: ChartSpec) -> None:
    axis: dict[str, Any] = {"title": {"text": spec.label(spec.x)}}
    if spec.x_format == "month":
        axis.update(type="date", tickformat="%Y-%m", hoverformat="%Y-%m", dtick="M1")
        if spec.data[spec.x].nunique() > 12:
            axis.pop("dtick")
    elif spec.x_format == "date":
        axis.update(type="date", tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d")
    else:
        axis.update(type="category")
    figure.update_xaxes(**axis)


def _value_axis(spec: ChartSpec, fmt: NumberFormat, columns: tuple[str, ...]) -> dict[str, Any]:
    values = spec.data[list(columns)].to_numpy(dtype=float)
    nonnegative = bool((values[values == values] >= 0).all())
    title = value_title(spec, columns)
    if spec.base_value is not None:  # bars from a baseline: the axis shows the values
        values = np.append(values, spec.base_value)
    axis: dict[str, Any] = {
        "title": {"text": title},
        "tickformat": plotly_tick_format(fmt),
        "tickprefix": spec.currency if fmt == "money" else "",
        "hoverformat": plotly_hover_format(fmt),
        "rangemode": "tozero" if nonnegative else "normal",
        "zeroline": True,
        "gridcolor": "#eee",
        "automargin": True,
    }
    present = values[values == values]
    if fmt == "integer":
        # Counts have whole ticks: below 10 plotly would step by 0.5.
        axis["tickformat"] = ",d"
        if present.size and np.abs(present).max() <= 10:
            axis.update(dtick=1, tick0=0)
    if spec.base_value is not None:
        axis.update(rangemode="normal")
    return axis


def _hover(fmt: NumberFormat, currency: str, key: str) -> str:
    prefix = currency if fmt == "money" else ""
    return f"{prefix}%{{{key}:{plotly_hover_format(fmt)}}}"
