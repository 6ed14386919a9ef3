"""Picks a fitting chart for a result table: line over time, bar by category, funnel, heatmap."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pandas as pd

from copilot.charts.formats import NumberFormat, column_format, column_label
from copilot.charts.spec import ChartArtifact, ChartSpec, XFormat
from tools.base import TableArtifact

MAX_BARS = 20  # categories shown in a bar chart (the largest ones)
MAX_SERIES = 10  # lines or bar groups; more is unreadable
LONG_LABEL = 12  # display width (CJK counts 2) from which bars turn horizontal
MAX_VERTICAL_BARS = 8
SCALE_RATIO = 10.0  # metrics further apart than this do not share an axis

_STAGE_NAMES = {"stage", "step", "funnel_stage", "阶段", "步骤", "环节"}
_TIME_NAMES = {"day", "date", "week", "month", "quarter", "year", "period"}
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}([ T].*)?$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^\d{4}-W\d{2}$", re.IGNORECASE)
_PERIOD_COLUMN = re.compile(
    r"^(m|w|d|p|month|week|day|period)?[ _-]?\d+$|^第?\d+[月周天期]?$", re.IGNORECASE
)


def chart_for_table(
    table: TableArtifact, language: str = "en", currency: str = "¥"
) -> ChartSpec | None:
    """The chart that fits `table` (its `chart` hint first, else inferred), or None if none does."""
    frame = _with_numeric_columns(table.frame)
    if frame.empty or frame.shape[1] < 2:
        return None
    first = frame.columns[0]
    others = list(frame.columns[1:])
    metrics = [c for c in others if _is_numeric(frame[c])]
    dims = [c for c in others if c not in metrics]
    hint = (table.chart or "").lower() or None
    if not metrics or (len(frame) < 2 and hint != "heatmap"):
        return None  # a number, or a single row of numbers, needs no chart
    base = {"title": table.title, "language": language, "currency": currency}
    if hint == "funnel" or (hint is None and str(first).lower() in _STAGE_NAMES):
        return _funnel(frame, first, metrics[0], base)
    if hint == "heatmap":
        return _heatmap(frame, first, metrics, base)
    time = _time_values(frame[first])
    if hint == "line" or (hint is None and time is not None):
        return _line(frame, first, metrics, dims, time, base)
    return _bar(frame, first, metrics, dims, time, base)


def charts_for(artifacts: list, language: str = "en", currency: str = "¥") -> list[ChartArtifact]:
    """One chart per table artifact that deserves one, in the artifacts' order."""
    charts = []
    for artifact in artifacts:
        if getattr(artifact, "kind", None) != "table":
            continue
        spec = chart_for_table(artifact, language=language, currency=currency)
        if spec is not None:
            charts.append(ChartArtifact(title=artifact.title, spec=spec))
    return charts


# --- the four kinds ----------------------------------------------------------------------


def _line(frame, x, metrics, dims, time, base) -> ChartSpec | None:  # noqa: ANN001
    data = frame.copy()
    x_format: XFormat = "category"
    if time is not None:
        data[x], x_format = time
    if dims:
        # Long format (time x dimension -> one metric): one line per dimension value.
        series, metric = dims[0], metrics[0]
        if data[x].nunique() < 2:
            return _bar(frame, series, [metric], [], None, base)
        data = _top_series(data[[x, series, metric]], series, metric)
        data = data.sort_values([x, series], kind="stable").reset_index(drop=True)
        if x_format == "category":
            data[x] = data[x].astype(str)
        return _spec("line", data, x, (metric,), base, series=series, x_format=x_format)
    left, right = _split_axes(data, metrics)
    data = data[[x, *left, *right]].sort_values(x, kind="stable").reset_index(drop=True)
    if x_format == "category":
        data[x] = data[x].astype(str)  # years, quarters, labels: a category axis, in order
    return _spec("line", data, x, tuple(left), base, y2=tuple(right), x_format=x_format)


def _bar(frame, x, metrics, dims, time, base) -> ChartSpec:  # noqa: ANN001
    data = frame.copy()
    total = data[x].nunique()
    series = dims[0] if dims and len(metrics) == 1 else None
    if series:
        data = _top_series(data[[x, series, metrics[0]]], series, metrics[0])
        values = (metrics[0],)
    else:
        values = tuple(m for m in metrics if _compatible(data, metrics[0], m))
        data = data[[x, *values]]
    if time is not None:
        data[x] = _time_labels(*time)
        data = data.sort_values(x, kind="stable")
    elif total > MAX_BARS:
        keep = data.groupby(x, sort=False)[values[0]].sum().nlargest(MAX_BARS).index
        data = data[data[x].isin(keep)].sort_values(values[0], ascending=False, kind="stable")
    data[x] = data[x].astype(str)
    data = data.reset_index(drop=True)
    labels = data[x].unique()
    horizontal = time is None and (
        len(labels) > MAX_VERTICAL_BARS or max(_width(v) for v in labels) > LONG_LABEL
    )
    note = _top_note(total, base["language"]) if total > MAX_BARS and time is None else None
    return _spec("bar", data, x, values, base, series=series, horizontal=horizontal, note=note)


def _funnel(frame, stage, metric, base) -> ChartSpec | None:  # noqa: ANN001
    data = frame[[stage, metric]].dropna().reset_index(drop=True)
    if len(data) < 2:
        return None
    data[stage] = data[stage].astype(str)
    return _spec("funnel", data, stage, (metric,), base)


def _heatmap(frame, cohort, metrics, base) -> ChartSpec | None:  # noqa: ANN001
    periods = [m for m in metrics if _PERIOD_COLUMN.match(str(m).strip())] or metrics
    data = frame[[cohort, *periods]].copy()
    time = _time_values(data[cohort])
    data[cohort] = _time_labels(*time) if time is not None else data[cohort].astype(str)
    cells = data[periods].to_numpy(dtype=float)
    rates = any(column_format(p) == "percent" for p in periods) or (
        pd.notna(cells).any() and float(pd.DataFrame(cells).abs().max().max()) <= 1.0
    )
    fmt: NumberFormat = "percent" if rates else column_format(periods[0])
    return _spec("heatmap", data.reset_index(drop=True), cohort, tuple(periods), base, y_format=fmt)


# --- helpers -----------------------------------------------------------------------------


def _spec(kind, data, x, y, base, **extra) -> ChartSpec:  # noqa: ANN001, ANN003
    """A spec with labels for every column and formats from the value columns' names."""
    language = base["language"]
    labels = {str(c): column_label(c, language) for c in data.columns}
    y2 = extra.get("y2", ())
    extra.setdefault("y_format", column_format(y[0]))
    if y2:
        formats = {column_format(c) for c in y2}
        extra["y2_format"] = formats.pop() if len(formats) == 1 else "number"
    return ChartSpec(kind=kind, x=x, y=tuple(y), data=data, labels=labels, **base, **extra)


def _with_numeric_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with object columns of numbers (Decimal from some drivers) made float."""
    out = frame.copy()
    for column in out.columns[1:]:
        values = out[column]
        if not _is_numeric(values) and _textual(values) and values.notna().any():
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.notna().sum() == values.notna().sum():
                out[column] = numbers.astype(float)
    return out


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _textual(values: pd.Series) -> bool:
    """Object or string dtype (pandas 3 gives text columns a string dtype, not object)."""
    return values.dtype == object or pd.api.types.is_string_dtype(values)


def _time_values(values: pd.Series) -> tuple[pd.Series, XFormat] | None:
    """The column as sortable time values and how to show them, or None if it is not time."""
    present = values.dropna()
    if present.empty:
        return None
    if isinstance(values.dtype, pd.PeriodDtype):
        return _dates(values.dt.to_timestamp())
    if pd.api.types.is_datetime64_any_dtype(values):
        return _dates(pd.to_datetime(values))
    if _textual(values) and all(isinstance(v, date | datetime) for v in present):
        return _dates(pd.to_datetime(values))
    if _textual(values) and all(isinstance(v, str) for v in present):
        text = values.str.strip()
        if present.str.strip().str.match(_MONTH).all():
            return pd.to_datetime(text, format="%Y-%m"), "month"
        if present.str.strip().str.match(_DAY).all():
            return _dates(pd.to_datetime(text, errors="coerce"))
        if present.str.strip().str.match(_QUARTER).all() or present.str.match(_WEEK).all():
            # Quarters and ISO weeks stay labels; sorting the text is chronological.
            return text.str.upper(), "category"
    if _is_numeric(values) and str(values.name).lower() in _TIME_NAMES:
        return values, "category"  # a year or month number
    return None


def _dates(values: pd.Series) -> tuple[pd.Series, XFormat]:
    """Dates, shown as months when every one is the first of a month."""
    present = values.dropna()
    monthly = bool((present.dt.day == 1).all() and (present.dt.normalize() == present).all())
    return values, ("month" if monthly and present.nunique() > 1 else "date")


def _time_labels(values: pd.Series, x_format: XFormat) -> pd.Series:
    """Time values as short text labels (for bar categories and heatmap rows)."""
    if x_format == "month":
        return values.dt.strftime("%Y-%m")
    if x_format == "date":
        return values.dt.strftime("%Y-%m-%d")
    return values.astype(str)


def _split_axes(frame: pd.DataFrame, metrics: list) -> tuple[list, list]:
    """Metrics on the left axis (like the first one) and on a right axis (the rest)."""
    left = [m for m in metrics if _compatible(frame, metrics[0], m)]
    return left, [m for m in metrics if m not in left]


def _compatible(frame: pd.DataFrame, first, other) -> bool:  # noqa: ANN001
    """Whether two metrics can share an axis: same unit and a similar scale."""
    if column_format(first) != column_format(other):
        return False
    a, b = (float(frame[c].abs().max() or 0.0) for c in (first, other))
    return min(a, b) * SCALE_RATIO >= max(a, b)


def _top_series(data: pd.DataFrame, series, metric) -> pd.DataFrame:  # noqa: ANN001
    """Only the MAX_SERIES largest series (by total absolute value)."""
    totals = data.groupby(series, sort=False)[metric].apply(lambda v: v.abs().sum())
    keep = totals.nlargest(MAX_SERIES).index
    return data[data[series].isin(keep)]


def _width(value: object) -> int:
    """Display width of a label (CJK characters are two columns wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _top_note(total: int, language: str) -> str:
    return (
        f"前 {MAX_BARS} 名（共 {total} 个）" if language == "zh" else f"Top {MAX_BARS} of {total}"
    )
