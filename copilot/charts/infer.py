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
INDEX = "index"  # a unit: 100 = the baseline (a segment against all customers)
INDEX_BASE = 100.0

_STAGE_NAMES = {"stage", "step", "funnel_stage", "阶段", "步骤", "环节"}
_TIME_NAMES = {"day", "date", "week", "month", "quarter", "year", "period"}
# A relative change is a ratio whatever it changes: "revenue_change" is a percent, not money.
_RATIO_SUFFIX = re.compile(r"(^|_)(change|growth)$")
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
    """The chart that fits `table` (its `chart` hint first, else inferred), or None if none does.

    Value axes take their unit from `table.formats` (the tool knows it from the semantic
    model), else from the column's name; `<value>_ci_low` / `<value>_ci_high` columns are
    drawn as error bars on `<value>`, never as bars of their own.
    """
    hint = (table.chart or "").lower() or None
    if hint == "none":
        return None
    frame = _without_constant_keys(table.frame_in(language))  # store labels ("数码电子")
    frame = _with_numeric_columns(frame)
    if frame.empty or frame.shape[1] < 2:
        return None
    first = frame.columns[0]
    others = list(frame.columns[1:])
    intervals = _intervals(frame, others)
    bounds = {c for pair in intervals.values() for c in pair}
    metrics = [c for c in others if _is_numeric(frame[c]) and c not in bounds]
    if table.chart_values:
        metrics = [c for c in table.chart_values if c in metrics] or metrics
    dims = [
        c
        for c in others
        if c not in metrics and c not in bounds and not _is_numeric(frame[c])
        and not _determined_by(frame, first, c)
    ]  # fmt: skip
    if not metrics or (len(frame) < 2 and hint != "heatmap"):
        return None  # a number, or a single row of numbers, needs no chart
    if hint not in ("funnel", "heatmap", "histogram"):
        first, dims = _time_first(frame, first, dims)
    units = {str(c): _unit(table, c) for c in frame.columns}
    for value, (low, high) in intervals.items():
        units[str(low)] = units[str(high)] = units[str(value)]
    base = {"title": table.title, "language": language, "currency": currency}
    roles = {"units": units, "intervals": intervals}
    if hint == "funnel" or (hint is None and str(first).lower() in _STAGE_NAMES):
        return _funnel(frame, first, metrics[0], base, roles)
    if hint == "heatmap":
        return _heatmap(frame, first, metrics, base, roles)
    if hint == "histogram":
        return _bar(frame, first, metrics, dims, None, base, roles, in_order=True)
    time = _time_values(frame[first])
    if hint == "line" or (hint is None and time is not None):
        return _line(frame, first, metrics, dims, time, base, roles)
    return _bar(frame, first, metrics, dims, time, base, roles)


def _time_first(frame: pd.DataFrame, first: object, dims: list) -> tuple[object, list]:
    """(x, dims) with time on the x-axis: a table keyed by a category, then a time grain
    ("revenue by channel by month") draws one series per category over time, not the
    months as series over the categories."""
    if _time_values(frame[first]) is not None:
        return first, dims
    for dim in dims:
        if _time_values(frame[dim]) is not None:
            return dim, [first, *(d for d in dims if d != dim)]
    return first, dims


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


def _line(frame, x, metrics, dims, time, base, roles) -> ChartSpec | None:  # noqa: ANN001
    data = frame.copy()
    x_format: XFormat = "category"
    if time is not None:
        data[x], x_format = time
    if dims:
        # Long format (time x dimension -> one metric): one line per dimension value.
        series, metric = dims[0], metrics[0]
        if data[x].nunique() < 2:
            return _bar(frame, series, [metric], [], None, base, roles)
        data = _top_series(data[[x, series, metric]], series, metric)
        data = data.sort_values([x, series], kind="stable").reset_index(drop=True)
        if x_format == "category":
            data[x] = data[x].astype(str)
        return _spec("line", data, x, (metric,), base, roles, series=series, x_format=x_format)
    # One unit per chart: the main measure and those like it; the rest stay in the table.
    values = [m for m in metrics if _compatible(data, metrics[0], m, roles["units"])]
    data = data[[x, *values]].sort_values(x, kind="stable").reset_index(drop=True)
    if x_format == "category":
        data[x] = data[x].astype(str)  # years, quarters, labels: a category axis, in order
    return _spec("line", data, x, tuple(values), base, roles, x_format=x_format)


def _bar(frame, x, metrics, dims, time, base, roles, in_order: bool = False) -> ChartSpec | None:  # noqa: ANN001, E501
    """Bars by category; `in_order` keeps the rows' order and upright bars (a histogram)."""
    data = frame.copy()
    total = data[x].nunique()
    units, intervals = roles["units"], roles["intervals"]
    series = dims[0] if dims and len(metrics) == 1 else None
    if series:
        values = (metrics[0],)
        bounds = list(intervals.get(metrics[0], ()))
        data = _top_series(data[[x, series, metrics[0], *bounds]], series, metrics[0])
    else:
        # A histogram's series count the same rows: all are drawn, whatever their scale.
        values = tuple(
            m for m in metrics if _compatible(data, metrics[0], m, units, any_scale=in_order)
        )
        if not values:
            return None  # (no value to draw: CAC with no customer acquired is empty)
        bounds = [b for v in values for b in intervals.get(v, ())]
        data = data[[x, *values, *bounds]]
    cut = total > MAX_BARS and time is None and not in_order
    if time is not None:
        data[x] = _time_labels(*time)
        data = data.sort_values(x, kind="stable")
    elif cut:
        keep = data.groupby(x, sort=False)[values[0]].sum().nlargest(MAX_BARS).index
        data = data[data[x].isin(keep)].sort_values(values[0], ascending=False, kind="stable")
    data[x] = data[x].astype(str)
    data = data.reset_index(drop=True)
    labels = data[x].unique()
    horizontal = (time is None and not in_order) and (
        len(labels) > MAX_VERTICAL_BARS or max(_width(v) for v in labels) > LONG_LABEL
    )
    note = _top_note(total, base["language"]) if cut else None
    errors = {v: intervals[v] for v in values if v in intervals}
    return _spec(
        "bar", data, x, values, base, roles, series=series, horizontal=horizontal, note=note,
        errors=errors,
    )  # fmt: skip


def _funnel(frame, stage, metric, base, roles) -> ChartSpec | None:  # noqa: ANN001
    data = frame[[stage, metric]].dropna().reset_index(drop=True)
    if len(data) < 2:
        return None
    data[stage] = data[stage].astype(str)
    return _spec("funnel", data, stage, (metric,), base, roles)


def _heatmap(frame, cohort, metrics, base, roles) -> ChartSpec | None:  # noqa: ANN001
    periods = [m for m in metrics if _PERIOD_COLUMN.match(str(m).strip())] or metrics
    data = frame[[cohort, *periods]].copy()
    time = _time_values(data[cohort])
    data[cohort] = _time_labels(*time) if time is not None else data[cohort].astype(str)
    cells = data[periods].to_numpy(dtype=float)
    units = roles["units"]
    rates = any(units[str(p)] == "percent" for p in periods) or (
        pd.notna(cells).any() and float(pd.DataFrame(cells).abs().max().max()) <= 1.0
    )
    fmt = "percent" if rates else units[str(periods[0])]
    return _spec(
        "heatmap", data.reset_index(drop=True), cohort, tuple(periods), base, roles, y_format=fmt
    )


# --- helpers -----------------------------------------------------------------------------


def _spec(kind, data, x, y, base, roles, **extra) -> ChartSpec:  # noqa: ANN001, ANN003
    """A spec with labels for every column and each value axis in its columns' unit."""
    language = base["language"]
    units = roles["units"]
    labels = {str(c): column_label(c, language) for c in data.columns}
    first = extra.pop("y_format", None) or units[str(y[0])]
    if first == INDEX and kind == "bar":
        extra["base_value"] = INDEX_BASE
    extra["y_format"] = _number_format(first)
    return ChartSpec(kind=kind, x=x, y=tuple(y), data=data, labels=labels, **base, **extra)


def _unit(table: TableArtifact, column: object) -> str:
    """A column's unit: as the tool declared it, else read from its name.

    A relative change or lift is a ratio whatever it changes ("revenue_change" is a
    percent, not money), so that suffix is read before the metric word.
    """
    declared = table.formats.get(str(column))
    if declared:
        return declared
    if _RATIO_SUFFIX.search(str(column).lower()):
        return "percent"
    return column_format(str(column))


def _number_format(unit: str) -> NumberFormat:
    """The number format an axis of this unit is drawn in (an index reads as a whole number)."""
    if unit == INDEX:
        return "integer"
    return unit if unit in ("percent", "money", "integer", "number") else "number"  # type: ignore[return-value]


def _intervals(frame: pd.DataFrame, columns: list) -> dict:
    """Value column -> (low, high) for every `<value>_ci_low` / `<value>_ci_high` pair present."""
    names = {str(c): c for c in columns}
    found = {}
    for name, column in names.items():
        low, high = names.get(f"{name}_ci_low"), names.get(f"{name}_ci_high")
        if low is not None and high is not None and _is_numeric(frame[column]):
            found[column] = (low, high)
    return found


def _without_constant_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without leading label columns that hold one value for every row.

    A campaign id repeated on both variants' rows names the table, not a category:
    the next label column (the variant) is what the bars compare.
    """
    out = frame
    while (
        len(out) > 1
        and out.shape[1] > 2
        and not _is_numeric(out.iloc[:, 0])
        and not _is_numeric(out.iloc[:, 1])
        and out.iloc[:, 0].nunique(dropna=False) == 1
    ):
        out = out.iloc[:, 1:]
    return out


def _determined_by(frame: pd.DataFrame, x: object, column: object) -> bool:
    """Whether `column` holds one value per `x` value (a name beside its id), so adds no series."""
    pairs = frame[[x, column]].astype(str)
    return bool((pairs.groupby(pairs.columns[0])[pairs.columns[1]].nunique() <= 1).all())


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


def _compatible(
    frame: pd.DataFrame,
    first: object,
    other: object,
    units: dict[str, str],
    any_scale: bool = False,
) -> bool:
    """Whether two metrics can share an axis: same unit and (unless `any_scale`) a similar scale."""
    if units[str(first)] != units[str(other)]:
        return False
    if any_scale:
        return True
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
