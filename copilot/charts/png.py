"""Renders a ChartSpec as a PNG offline with matplotlib (for Slack uploads and the terminal).

Chinese labels need a CJK font. The first one found is used: a known family that
matplotlib already lists, else whatever `fc-list :lang=zh` reports (Debian:
`apt-get install fonts-wqy-microhei` or `fonts-noto-cjk`). Without one the chart
still renders, with empty boxes for CJK characters, and matplotlib's missing-glyph
warnings are silenced rather than printed once per character.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from copilot.charts.formats import PALETTE, NumberFormat, format_value
from copilot.charts.spec import ChartSpec, color_max, period_title, value_title, wrap_title

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
)
DPI = 100
MAX_MARKED_POINTS = 36
MAX_LABELLED_BARS = 16  # upright bars beyond this carry no value labels
_TEXT = "#333333"
_GRID = "#E6E6E6"
# rcParams are process-wide: one render at a time, so threads (Slack) do not mix fonts.
_RENDER_LOCK = threading.Lock()


def to_png(spec: ChartSpec, width: int = 900, height: int = 500) -> bytes:
    """The chart as PNG bytes of exactly `width` x `height` pixels, drawn offline."""
    with _RENDER_LOCK, _style():
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        draw = {"line": _line, "bar": _bar, "funnel": _funnel, "heatmap": _heatmap}[spec.kind]
        draw(figure, axes, spec)
        # ~11 px per column of 14 pt bold text: long titles wrap instead of running off.
        title = "\n".join(wrap_title(spec.title, max(20, width // 12)))
        figure.suptitle(title, x=0.01, ha="left", fontsize=14, fontweight="bold")
        if spec.note:
            axes.set_title(spec.note, loc="left", fontsize=10, color="#777777")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


@cache
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None if there is none."""
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    # Fonts installed after matplotlib built its cache: ask fontconfig and register them.
    if not shutil.which("fc-list"):
        return None
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(listing.splitlines()):
        path = line.split(":")[0].strip()
        if not path.lower().endswith((".ttf", ".otf", ".ttc")):
            continue
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None


@contextmanager
def _style() -> Iterator[None]:
    """A clean style, with the CJK font as a per-glyph fallback behind DejaVu Sans."""
    cjk = cjk_font()
    families = ["DejaVu Sans", cjk] if cjk else ["DejaVu Sans"]
    params = {
        "font.family": families,
        "axes.unicode_minus": False,
        "axes.edgecolor": "#BBBBBB",
        "axes.labelcolor": _TEXT,
        "axes.titlecolor": _TEXT,
        "text.color": _TEXT,
        "xtick.color": "#555555",
        "ytick.color": "#555555",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
        "legend.frameon": False,
    }
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    with matplotlib.rc_context(params), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        font_log.setLevel(logging.ERROR)
        try:
            yield
        finally:
            font_log.setLevel(level)


def _line(figure: Figure, axes: Axes, spec: ChartSpec) -> None:
    traces = _traces(spec)
    colours = iter(PALETTE * 2)
    for name, frame, column in traces:
        marker = "o" if len(frame) <= MAX_MARKED_POINTS else None
        axes.plot(
            frame[spec.x], frame[column], label=name, color=next(colours), linewidth=2.2,
            marker=marker, markersize=4,
        )  # fmt: skip
    _value_axis(axes, spec, spec.y_format, spec.y, "y")
    _from_zero(axes, spec, spec.y)
    axes.set_xlabel(spec.label(spec.x))
    if spec.x_format in ("month", "date"):
        months = spec.x_format == "month" and spec.data[spec.x].nunique() <= 12
        axes.xaxis.set_major_locator(MonthLocator() if months else AutoDateLocator())
        axes.xaxis.set_major_formatter(
            DateFormatter("%Y-%m" if spec.x_format == "month" else "%Y-%m-%d")
        )
        figure.autofmt_xdate(rotation=30, ha="right")
    elif max((len(str(v)) for v in spec.data[spec.x]), default=0) * len(spec.data) > 80:
        axes.tick_params(axis="x", labelrotation=30)
    _legend(axes)


def _bar(figure: Figure, axes: Axes, spec: ChartSpec) -> None:
    traces = _traces(spec)
    categories = list(dict.fromkeys(spec.data[spec.x]))
    slots = np.arange(len(categories))
    width = 0.8 / len(traces)
    # Values written on the bars while they fit: 24 upright hour bars would overprint.
    single = len(traces) == 1 and (spec.horizontal or len(categories) <= MAX_LABELLED_BARS)
    base = spec.base_value or 0.0
    for i, (name, frame, column) in enumerate(traces):
        rows = frame.set_index(spec.x).reindex(categories)
        values = rows[column].to_numpy(dtype=float)
        offsets = slots - 0.4 + width * (i + 0.5)
        colour = PALETTE[i % len(PALETTE)]
        # Bars from a baseline (an index from 100): a bar's length is its distance to it.
        shape = {"label": name, "color": colour}
        if column in spec.errors:
            low, high = spec.errors[column]
            spread = [
                np.clip(values - rows[low].to_numpy(dtype=float), 0, None),
                np.clip(rows[high].to_numpy(dtype=float) - values, 0, None),
            ]
            shape["xerr" if spec.horizontal else "yerr"] = spread
            shape["error_kw"] = {"ecolor": "#555555", "capsize": 4, "elinewidth": 1.2}
        if spec.horizontal:
            bars = axes.barh(offsets, values - base, left=base, height=width * 0.9, **shape)
        else:
            bars = axes.bar(offsets, values - base, bottom=base, width=width * 0.9, **shape)
        if single:
            labels = [format_value(v, spec.y_format, spec.currency) for v in values]
            axes.bar_label(bars, labels=labels, padding=3, fontsize=9, color="#555555")
    axis = "x" if spec.horizontal else "y"
    _value_axis(axes, spec, spec.y_format, spec.y, axis)
    # A baseline at zero (or the index's 100), so bars read from it.
    reference = {"color": "#999999", "linewidth": 0.8}
    if spec.base_value is not None:
        reference.update(linestyle=":")
    (axes.axvline if spec.horizontal else axes.axhline)(base, **reference)
    if spec.horizontal:
        axes.set_yticks(slots, categories)
        axes.invert_yaxis()  # first row on top, as in the table
        axes.set_ylabel(spec.label(spec.x))
        axes.margins(x=0.12)  # room for the value labels
    else:
        axes.set_xticks(slots, categories)
        axes.set_xlabel(spec.label(spec.x))
        axes.margins(y=0.1)
        if sum(len(c) for c in categories) > 60:
            axes.tick_params(axis="x", labelrotation=30)
    _legend(axes)


def _funnel(figure: Figure, axes: Axes, spec: ChartSpec) -> None:
    stages = spec.data[spec.x].tolist()
    values = spec.data[spec.y[0]].to_numpy(dtype=float)
    top = values.max() if len(values) else 0.0
    slots = np.arange(len(stages))
    # Centred bars: each stage's width is its count, so the shape narrows like a funnel.
    axes.barh(slots, values, left=(top - values) / 2, height=0.72, color=PALETTE[0])
    for slot, value in zip(slots, values, strict=True):
        share = value / values[0] if values[0] else float("nan")
        text = f"{value:,.0f}  ({format_value(share, 'percent')})"
        if value >= top * 0.35:  # fits inside the bar
            axes.text(
                top / 2, slot, text, ha="center", va="center", fontsize=10,
                color="white", fontweight="bold",
            )  # fmt: skip
        else:  # beside the narrow bar
            axes.text((top + value) / 2 + top * 0.01, slot, text, ha="left", va="center",
                      fontsize=10)  # fmt: skip
    axes.set_yticks(slots, stages)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_xlim(0, top * 1.02 if top else 1)
    for side in ("bottom", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)


def _heatmap(figure: Figure, axes: Axes, spec: ChartSpec) -> None:
    cells = spec.data[list(spec.y)].to_numpy(dtype=float)
    masked = np.ma.masked_invalid(cells)
    low = 0.0 if masked.count() and masked.min() >= 0 else None
    image = axes.imshow(masked, cmap="Blues", aspect="auto", vmin=low, vmax=color_max(cells))
    rows = spec.data[spec.x].astype(str).tolist()
    axes.set_xticks(range(len(spec.y)), [spec.label(c) for c in spec.y])
    axes.set_yticks(range(len(rows)), rows)
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    axes.set_xlabel(period_title(spec))
    axes.set_ylabel(spec.label(spec.x))
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    if cells.size <= 300:
        high = image.norm.vmax
        for (row, col), value in np.ndenumerate(cells):
            if value != value:
                continue
            text = _cell_text(value, spec.y_format)
            dark = low is not None and (value - low) / ((high - low) or 1.0) > 0.55
            axes.text(
                col, row, text, ha="center", va="center", fontsize=8,
                color="white" if dark else _TEXT,
            )  # fmt: skip
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.ax.yaxis.set_major_formatter(_formatter(spec.y_format, spec.currency))
    bar.outline.set_visible(False)


def _cell_text(value: float, fmt: NumberFormat) -> str:
    return f"{value:.0%}" if fmt == "percent" else format_value(value, fmt)


def _traces(spec: ChartSpec) -> list[tuple[str, object, str]]:
    """(legend name, rows, value column) for each line or bar group."""
    if spec.series:
        return [
            (str(value), rows, spec.y[0])
            for value, rows in spec.data.groupby(spec.series, sort=False)
        ]
    return [(spec.label(c), spec.data, c) for c in spec.y]


def _value_axis(
    axes: Axes, spec: ChartSpec, fmt: NumberFormat, columns: tuple[str, ...], axis: str
) -> None:
    """Format, title, grid and a zero baseline for a value axis."""
    target = axes.yaxis if axis == "y" else axes.xaxis
    target.set_major_formatter(_formatter(fmt, spec.currency))
    if fmt == "integer":  # counts have whole ticks, never 0.5
        target.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    target.set_label_text(value_title(spec, columns))
    axes.grid(True, axis=axis, color=_GRID, linewidth=0.8)
    axes.set_axisbelow(True)


def _from_zero(axes: Axes, spec: ChartSpec, columns: tuple[str, ...]) -> None:
    """Start a line chart's value axis at zero when no value is negative (honest slopes)."""
    values = spec.data[list(columns)].to_numpy(dtype=float)
    values = values[values == values]
    if values.size and (values >= 0).all():
        axes.set_ylim(0, (values.max() or 1.0) * 1.08)


def _formatter(fmt: NumberFormat, currency: str) -> FuncFormatter:
    if fmt == "percent":
        return FuncFormatter(lambda v, _: f"{v:.0%}")
    if fmt == "number":
        # Ticks of small plain numbers keep their digits: 0.025, not a rounded "0.03".
        return FuncFormatter(
            lambda v, _: f"{v:,.4g}" if abs(v) < 100 else format_value(v, fmt, currency)
        )
    return FuncFormatter(lambda v, _: format_value(v, fmt, currency) if v else "0")


def _legend(axes: Axes) -> None:
    handles, labels = axes.get_legend_handles_labels()
    if len(handles) > 1:
        axes.legend(
            handles, labels, loc="lower right", bbox_to_anchor=(1, 1.0), ncols=min(len(handles), 5),
            fontsize=9, borderaxespad=0.2,
        )  # fmt: skip
