"""`query_metrics`: marketing metrics by dimension over a period, from the semantic model."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from pydantic import Field

from knowledge.semantic import MetricQuery, SemanticModel, compile_metric_query
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview
from tools.periods import resolve_period


def query_metrics(
    ctx: ToolContext,
    metrics: Annotated[
        list[str],
        Field(description="Metric names from the semantic model, e.g. ['revenue', 'aov']."),
    ],
    dimensions: Annotated[
        list[str],
        Field(description="Dimensions to group by, e.g. ['month'] or ['city']; empty for totals."),
    ] = [],  # noqa: B006 - the schema shows the default; it is never mutated
    filters: Annotated[
        dict[str, list[str]],
        Field(description="Dimension values to keep, e.g. {'city': ['上海']}."),
    ] = {},  # noqa: B006
    time_range: Annotated[
        str | None,
        Field(
            description="Period in words or dates: 'last month', 'last 30 days', '2025-Q3', "
            "'2025-01-01..2025-03-31', '上个月', 'Double 11 2025'. Empty for all time."
        ),
    ] = None,
    order_by: Annotated[
        str | None, Field(description="Metric or dimension to sort by (descending for metrics).")
    ] = None,
    limit: Annotated[int | None, Field(description="Keep only the first N rows (top N).")] = None,
) -> ToolOutput:
    """Compute marketing metrics (revenue, orders, buyers, AOV ...) over valid orders.

    Group by time grain (day/week/month/quarter/year) or a dimension (channel,
    city, province, gender, ...), filter by dimension values, restrict to a
    period. Use this for any number the semantic model defines; metric names
    and dimensions are listed in the system prompt.
    """
    model = ctx.semantic_model
    period = resolve_period(ctx, time_range)
    query = MetricQuery(
        metrics=tuple(dict.fromkeys(metrics)),
        dimensions=tuple(dict.fromkeys(dimensions)),
        filters={k: tuple(v) if isinstance(v, list) else (str(v),) for k, v in filters.items()},
        start=period.start if period else None,
        end=period.end if period else None,
    )
    try:
        compiled = compile_metric_query(model, query, ctx.engine.dialect.name)
    except ValueError as exc:
        raise ToolError(str(exc)) from exc

    frame = _run(ctx, compiled, list(query.dimensions))
    frame = _add_ratios(model, frame, list(query.metrics))
    frame = _order_and_limit(model, frame, query, order_by, limit)
    shown = frame[[*query.dimensions, *query.metrics]]
    truncated = len(shown) > ctx.limits.row_limit
    shown = shown.head(ctx.limits.row_limit)

    period_label = period.label if period else "all time"
    title = _title(model, query, period_label)
    data: dict[str, Any] = {
        "metrics": list(query.metrics),
        "dimensions": list(query.dimensions),
        "filters": {k: list(v) for k, v in query.filters.items()},
        "period": (
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "label": period.label,
            }
            if period
            else None
        ),
        "formats": {m: model.metric(m).format for m in query.metrics},
        "row_count": len(shown),
        "truncated": truncated,
    }
    if not query.dimensions:
        data["values"] = {
            m: _scalar(shown[m].iloc[0]) if len(shown) else None for m in query.metrics
        }
    text = f"{title}\nperiod: {_period_text(period)}\n{table_preview(shown)}"
    if truncated:
        text += f"\n(truncated at {ctx.limits.row_limit} rows)"
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(title=title, frame=shown.reset_index(drop=True), truncated=truncated)
        ],
        data=data,
    )


def _run(ctx: ToolContext, compiled: list, dimensions: list[str]) -> pd.DataFrame:
    frames = []
    for part in compiled:
        try:
            frame = fetch_frame(ctx.engine, part.statement, ctx.limits.query_timeout_s)
        except QueryTimeoutError as exc:
            raise ToolError(str(exc)) from exc
        for metric in part.metrics:
            frame[metric] = pd.to_numeric(frame[metric], errors="coerce").astype(float)
        frames.append(frame)
    result = frames[0]
    for frame in frames[1:]:
        result = (
            result.merge(frame, on=dimensions, how="outer")
            if dimensions
            else pd.concat([result, frame], axis=1)
        )
    for name in dimensions:
        if ctx.semantic_model.dimension(name).time_grain:
            result[name] = pd.to_datetime(result[name]).dt.date
    if not dimensions and result.empty:
        result = pd.DataFrame([{c: None for c in result.columns}])
    return result


def _add_ratios(model: SemanticModel, frame: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    for name in metrics:
        metric = model.metric(name)
        if metric.ratio and name not in frame.columns:
            num, den = metric.ratio
            frame = _add_ratios(model, frame, [num, den])
            denominator = frame[den].where(frame[den] != 0)
            frame[name] = frame[num] / denominator
    for name in metrics:
        if model.metric(name).aggregate in ("count", "count_distinct"):
            frame[name] = frame[name].fillna(0)
    return frame


def _order_and_limit(
    model: SemanticModel,
    frame: pd.DataFrame,
    query: MetricQuery,
    order_by: str | None,
    limit: int | None,
) -> pd.DataFrame:
    time_dims = [d for d in query.dimensions if model.dimension(d).time_grain]
    if order_by and order_by not in frame.columns:
        raise ToolError(
            f"Cannot sort by {order_by!r}; sort by one of: {', '.join([*query.dimensions, *query.metrics])}"
        )
    if order_by in query.metrics or (order_by is None and query.dimensions and not time_dims):
        key = order_by or query.metrics[0]
        frame = frame.sort_values(
            [key, *query.dimensions],
            ascending=[False] + [True] * len(query.dimensions),
            na_position="last",
        )
    elif query.dimensions:
        frame = frame.sort_values([order_by] if order_by else list(query.dimensions))
    if limit is not None:
        if limit < 1:
            raise ToolError("limit must be at least 1")
        frame = frame.head(limit)
    return frame.reset_index(drop=True)


def _title(model: SemanticModel, query: MetricQuery, period_label: str) -> str:
    names = ", ".join(model.metric(m).label.en for m in query.metrics)
    by = (
        f" by {', '.join(model.dimension(d).label.en.lower() for d in query.dimensions)}"
        if query.dimensions
        else ""
    )
    where = "".join(f", {k} = {'/'.join(v)}" for k, v in query.filters.items())
    return f"{names}{by}{where} ({period_label})"


def _period_text(period) -> str:  # noqa: ANN001
    if period is None:
        return "all time"
    return f"{period.start.isoformat()} to {period.end.isoformat()} ({period.label})"


def _scalar(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
