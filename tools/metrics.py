"""`query_metrics`: marketing metrics by dimension over a period, from the semantic model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

import pandas as pd
from dateutil.relativedelta import relativedelta
from pydantic import Field
from sqlalchemy import select

from knowledge.presentation import (
    N_,
    in_each_language,
    join_list,
    label_in_sentence,
    period_name,
    tr,
)
from knowledge.semantic import MetricQuery, SemanticModel, plan_metric_query
from knowledge.semantic.compiler import MetricPlan, SortKey, with_top_n
from knowledge.semantic.special import churn_base_period, churn_buckets
from knowledge.semantic.values import known_values
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import Campaign
from knowledge.time_ranges import TimeRange
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    listed,
    quoted,
    table_preview,
)
from tools.periods import Periods
from tools.value_labels import dimension_value_labels, stored_filter_values, value_labels


def query_metrics(
    ctx: ToolContext,
    metrics: Annotated[
        list[str],
        Field(
            description="Metric names from the semantic model, e.g. ['revenue', 'aov'] or ['conversion_rate']."
        ),
    ],
    dimensions: Annotated[
        list[str],
        Field(
            description="Dimensions to group by, e.g. ['month'] or ['channel', 'variant']; empty for totals."
        ),
    ] = [],  # noqa: B006 - the schema shows the default; it is never mutated
    filters: Annotated[
        dict[str, list[str]],
        Field(
            description="Dimension values to keep, e.g. {'city': ['上海'], 'channel': ['email', 'sms']}."
        ),
    ] = {},  # noqa: B006
    exclude: Annotated[
        dict[str, list[str]],
        Field(
            description="Dimension values to leave out, e.g. {'city': ['上海']} for 'revenue "
            "excluding Shanghai', {'channel': ['app']} for 'orders outside the app'. Rows with "
            "no value for the dimension (a customer with no city) are kept."
        ),
    ] = {},  # noqa: B006
    time_range: Annotated[
        str | None,
        Field(
            description="Period in words or dates: 'last month', 'last 30 days', '2025-Q3', "
            "'2025-01-01..2025-03-31', '上个月', 'Double 11 2025'. Empty for all time."
        ),
    ] = None,
    compare_to: Annotated[
        str | None,
        Field(
            description="A second period to compare with: 'previous period', 'last year' "
            "(same period a year earlier), or any period such as '2024'."
        ),
    ] = None,
    churn_base: Annotated[
        str | None,
        Field(
            description="Churn metrics only: the period whose buyers the churn is taken of, "
            "when the question names it ('Q1 buyers we lost in Q2': time_range 'Q2', "
            "churn_base 'Q1'); it must end before time_range starts. Empty: the previous "
            "period of equal length."
        ),
    ] = None,
    order_by: Annotated[
        str | None, Field(description="Metric or dimension to sort by (descending for metrics).")
    ] = None,
    limit: Annotated[
        int | None,
        Field(description="Keep only the first N rows (top N; with sort 'asc', bottom N)."),
    ] = None,
    sort: Annotated[
        Literal["asc", "desc"] | None,
        Field(
            description="Direction of the sort key: 'desc' (highest first, the top N) or 'asc' "
            "(lowest first, the bottom N: 'the 3 worst cities'). Empty: metrics descending, "
            "dimensions ascending."
        ),
    ] = None,
    shares: Annotated[
        bool,
        Field(
            description="With a breakdown: add each row's share of the whole as '<metric>_share' "
            "(the same metric, filters and period without the breakdown), e.g. each channel's "
            "share of revenue. Amounts only (revenue, orders, buyers), not ratios such as AOV."
        ),
    ] = False,
) -> ToolOutput:
    """Compute marketing metrics over the store: sales (revenue, orders, buyers, AOV,
    purchase frequency, repurchase and churn rates, new customers, LTV) and campaign
    results (delivered, opens, clicks, conversions, open rate, CTR, conversion rate,
    attributed revenue, cost, ROI, ROAS, CAC, unsubscribe rate).

    Group by a time grain (day/week/month/quarter/year) or dimensions (channel,
    campaign, variant, category, product, city, province, gender, age band, RFM
    segment ...), filter by dimension values, restrict to a period and compare
    with another, or leave values out (`exclude`). Metric and dimension names are listed in
    the system prompt.
    """
    model = ctx.semantic_model
    rfm_run = _rfm_run(ctx, [*dimensions, *filters, *exclude])
    # Only the age band needs "today" (a scan of the orders on big stores): ask only then.
    dims = ctx.semantic_model.dimensions
    ages = any(name in dims and dims[name].compute for name in [*dimensions, *filters, *exclude])
    periods = Periods(ctx)
    today = periods.today if ages else None
    period = periods.resolve(time_range)
    comparison = periods.comparison(time_range, compare_to, period)
    base = _named_churn_base(model, metrics, periods, churn_base, period)
    query = MetricQuery(
        metrics=tuple(dict.fromkeys(metrics)),
        dimensions=tuple(dict.fromkeys(dimensions)),
        # A value given by its label ("数码电子", from a Chinese answer) filters by the stored one.
        filters=stored_filter_values(
            ctx, {k: tuple(v) if isinstance(v, list) else (str(v),) for k, v in filters.items()}
        ),
        start=period.start if period else None,
        end=period.end if period else None,
        reference_date=today,
        exclude=_exclusions(ctx, exclude),
        churn_base=base,
    )
    if limit is not None and limit < 1:
        raise ToolError.of("The limit must be at least 1.")
    if sort not in (None, "asc", "desc"):
        raise ToolError.of("Sort with 'asc' or 'desc'.")
    if comparison is not None and period is None:
        raise ToolError.of("Give a time_range to compare with another period.")
    if shares:
        _check_shares(model, query, comparison)
    # Without a comparison, the engine sorts and keeps the top rows (one more than the row
    # limit, to know whether the table was cut) instead of sending every group.
    top_n = None
    if comparison is None:
        wanted = ctx.limits.row_limit + 1
        top_n = (order_by, sort, min(limit or wanted, wanted))
    frame = _compute(ctx, query, top_n)
    if comparison is not None:
        if period is None:
            raise ToolError.of("Give a time_range to compare with another period.")
        frame = _with_comparison(ctx, frame, query, period, comparison)
    whole_values = _with_shares(ctx, frame, query) if shares else None
    frame = _order_and_limit(model, frame, query, order_by, limit, sort)
    value_columns = [c for c in frame.columns if c not in query.dimensions]
    shown = frame[[*query.dimensions, *value_columns]]
    truncated = len(shown) > ctx.limits.row_limit
    shown = shown.head(ctx.limits.row_limit).reset_index(drop=True)

    labels = dimension_value_labels(ctx, shown, list(query.dimensions))
    filter_labels = value_labels(ctx, {**query.filters, **query.exclude})
    titles = _titles(model, query, period, comparison, filter_labels)
    title = titles["en"]
    data: dict[str, Any] = {
        "metrics": list(query.metrics),
        "dimensions": list(query.dimensions),
        "filters": {k: list(v) for k, v in query.filters.items()},
        "exclude": {k: list(v) for k, v in query.exclude.items()},
        "period": _period_data(period),
        "compare_to": _period_data(comparison),
        "formats": {m: model.metric(m).format for m in query.metrics},
        "row_count": len(shown),
        # The filter values as each answer language names them (the scope of the answer).
        "filter_labels": filter_labels,
        "truncated": truncated,
    }
    if whole_values is not None:
        data["share_of"] = whole_values  # each metric's whole, the share columns' denominator
    if sort is not None and query.dimensions:
        data["sort"] = sort  # "asc": the rows are the lowest first (a bottom N)
    if order_by is not None and query.dimensions:
        data["order_by"] = order_by  # e.g. "revenue_change": ranked by the change, not the value
    if period is not None and period.end == periods.data_end:
        # The period was cut where the store's data ends (not at a running today).
        data["data_end"] = period.end.isoformat()
    if not query.dimensions:
        data["values"] = {
            m: _scalar(shown[m].iloc[0]) if len(shown) else None for m in query.metrics
        }
        if comparison is not None:
            data["previous_values"] = {
                m: _scalar(shown[f"{m}_previous"].iloc[0]) if len(shown) else None
                for m in query.metrics
            }
    whole = periods.comparison(time_range, compare_to, period, like_for_like_days=False)
    if comparison is not None and whole is not None and whole != comparison and not dimensions:
        # The comparison was cut to the running period's days; the whole unit is shown too.
        reference = _compute(ctx, replace(query, start=whole.start, end=whole.end))
        data["whole_compare_to"] = _period_data(whole)
        data["whole_previous_values"] = {
            m: _scalar(reference[m].iloc[0]) if len(reference) else None for m in query.metrics
        }
    if rfm_run is not None:
        data["rfm_run"] = rfm_run
    churn_base = _churn_base(model, query, period)
    if churn_base is not None:
        data["churn_base"] = churn_base
    latest = _latest_campaigns(ctx, query, period, shown)
    if latest is not None:
        data["latest_campaigns"] = latest
    else:
        zero = _zero_denominators(ctx, query, shown)
        if zero:
            data["zero_denominators"] = zero
    text = f"{title}\nperiod: {_period_text(period)}"
    if comparison is not None:
        text += f"\ncompared with: {_period_text(comparison)}"
    if churn_base is not None and churn_base.get("per_bucket"):
        text += f"\nchurn base: each {churn_base['grain']} against the equal-length period before it (the first from {churn_base['start']} to {churn_base['end']})"
    elif churn_base is not None:
        text += f"\nchurn base (buyers of the previous period): {churn_base['start']} to {churn_base['end']}"
    text += f"\n{table_preview(shown)}"
    if truncated:
        text += f"\n(truncated at {ctx.limits.row_limit} rows)"
    chart = "line" if any(model.dimension(d).time_grain for d in query.dimensions) else "bar"
    artifacts = [
        TableArtifact(
            title=title,
            frame=shown,
            truncated=truncated,
            chart=chart,
            formats=column_formats(model, query.metrics, comparison is not None, shares),
            titles=titles,
            value_labels=labels,
        )
    ]
    funnel = _funnel(shown, query)
    if funnel is not None:
        artifacts.append(funnel)
    return ToolOutput(for_model=text, artifacts=artifacts, data=data)


def _exclusions(ctx: ToolContext, exclude: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The values to leave out, as stored (a label such as "数码电子" read back as the value).

    Raises a recoverable ToolError on an unknown dimension, a period dimension, an empty
    list or a value the store does not hold: leaving out a misspelt value would leave out
    nothing, and the whole store's figure would read as the figure without it.
    """
    model = ctx.semantic_model
    given = {k: tuple(v) if isinstance(v, list | tuple) else (str(v),) for k, v in exclude.items()}
    for name, values in given.items():
        if name not in model.dimensions:
            raise ToolError.of(
                "Cannot leave out values of {dimension}: no such dimension; use one of: {known}",
                dimension=quoted(name),
                known=", ".join(d for d, spec in model.dimensions.items() if not spec.time_grain),
            )
        if model.dimensions[name].time_grain:
            raise ToolError.of(
                "Leave a period out with the time range, not with {dimension}.",
                dimension=quoted(name),
            )
        if not values:
            raise ToolError.of(
                "Name the values of {dimension} to leave out.", dimension=quoted(name)
            )
    stored = stored_filter_values(ctx, given)
    for name, values in stored.items():
        known = known_values(ctx.engine, model, name, [str(v) for v in values])
        unknown = [v for v in values if known is not None and str(v) not in known]
        if unknown:
            raise ToolError.of(
                "The store has no {dimension} {values} to leave out; give a value it holds "
                "(check the spelling, or ask for a breakdown by {dimension} to see them).",
                dimension=quoted(name),
                values=listed([str(v) for v in unknown], lambda v, language: quoted(v)(language)),
            )
    return stored


def _rfm_run(ctx: ToolContext, used: list[str]) -> dict[str, str] | None:
    """The saved RFM run an RFM-segment breakdown or filter reads (None when none is used).

    With none saved, the RFM segmentation runs now as rfm_segments runs it (the default
    reference date, saved, deterministic SQL), so nobody has to ask for it first; the run
    is then marked `computed_now` for the answer to say so.
    """
    if "rfm_segment" not in used:
        return None
    from tools.segments.saved import latest_rfm_run

    run = latest_rfm_run(ctx)
    if run is None:
        from tools.segments.rfm_report import rfm_segments

        rfm_segments(ctx)
        run = latest_rfm_run(ctx)
        if run is None:  # nothing could be saved: say so rather than answer for everyone
            raise ToolError.of(
                "No RFM segmentation is saved yet, so there are no RFM segments to break "
                "down or filter by. Ask me to segment customers by RFM first (that saves the "
                "segments), then ask again."
            )
        run = {**run, "computed_now": "yes"}
    return run


FUNNEL_STAGES = ("delivered", "opens", "clicks", "conversions")


def column_formats(
    model: SemanticModel, metrics: tuple[str, ...], compared: bool, shares: bool = False
) -> dict[str, str]:
    """The unit of each value column, from the semantic model's metric formats.

    `<metric>_previous` is in the metric's unit; `<metric>_change` is a relative
    change (current / previous - 1) and `<metric>_share` a fraction of the whole, both
    percents whatever the metric's unit.
    """
    formats = {m: model.metric(m).format for m in metrics}
    if compared:
        for m in metrics:
            formats[f"{m}_previous"] = formats[m]
            formats[f"{m}_change"] = "percent"
    if shares:
        for m in metrics:
            formats[f"{m}_share"] = "percent"
    return formats


def _check_shares(model: SemanticModel, query: MetricQuery, comparison: TimeRange | None) -> None:
    """Shares need a breakdown, one period and amounts: a ratio (AOV, a rate) does not add
    up over its parts, so a row's AOV over the whole's AOV is no share of anything."""
    if not query.dimensions:
        raise ToolError.of("Shares need a breakdown: give dimensions, e.g. ['channel'].")
    if comparison is not None:
        raise ToolError.of(
            "Shares are for one period at a time: ask for one period, without a comparison."
        )
    ratios = [m for m in query.metrics if not model.metric(m).is_base]
    if ratios:
        raise ToolError.of(
            "{metrics} is a ratio, not an amount that adds up over its parts, so it has no "
            "share of a whole; ask for shares of an amount such as revenue, orders or buyers.",
            metrics=", ".join(ratios),
        )


def _with_shares(
    ctx: ToolContext, frame: pd.DataFrame, query: MetricQuery
) -> dict[str, float | None]:
    """Add `<metric>_share` = the row's value / the whole's (same filters and period, no
    breakdown) to `frame`, in place; return each metric's whole.

    The whole is computed, not summed from the rows: a top N shows only some rows, and a
    customer counted in two rows (buyers in two channels) is one buyer of the whole, so
    the shares of a distinct count may add up to more than 100%.
    """
    whole = _compute(ctx, replace(query, dimensions=()))
    values: dict[str, float | None] = {}
    for name in query.metrics:
        total = _scalar(whole[name].iloc[0]) if len(whole) else None
        values[name] = total
        share = frame[name].astype(float) / total if total else float("nan")
        frame[f"{name}_share"] = share
    return values


def _funnel(frame: pd.DataFrame, query: MetricQuery) -> TableArtifact | None:
    """The campaign funnel as stage rows, when totals of three or more stages were asked for."""
    stages = [s for s in FUNNEL_STAGES if s in query.metrics]
    if query.dimensions or len(stages) < 3 or frame.empty:
        return None
    table = pd.DataFrame({"stage": stages, "count": [frame[s].iloc[0] for s in stages]})
    titles = in_each_language(lambda language: tr(language, "Campaign funnel"))
    return TableArtifact(title=titles["en"], frame=table, chart="funnel", titles=titles)


def _compute(
    ctx: ToolContext,
    query: MetricQuery,
    top_n: tuple[str | None, str | None, int] | None = None,
) -> pd.DataFrame:
    """Run the plan's SELECTs, merge them on the dimensions and finish derived metrics.

    `top_n` = (order_by, sort, row count): pushed into the engine as ORDER BY ... LIMIT when the
    plan is one SELECT holding every sort key (no ratio computed after the fetch);
    otherwise every group is fetched and the caller sorts and cuts in pandas.
    """
    model = ctx.semantic_model
    try:
        plan = plan_metric_query(model, query, ctx.engine.dialect.name)
    except ValueError as exc:
        # The semantic model's own reason for the model to correct itself; an answer in
        # another language tells the user in that language what to change.
        raise ToolError.beside(
            str(exc),
            N_(
                "These metrics cannot be computed this way: the metrics, the breakdown and the "
                "filters do not fit together. Ask with another breakdown or filter."
            ),
        ) from exc
    if top_n is not None:
        order_by, sort, rows = top_n
        _push_top_n(plan, query, _sort_keys(model, query, order_by, sort), rows)
    dimensions = list(query.dimensions)
    result: pd.DataFrame | None = None
    for part in plan.parts:
        try:
            frame = fetch_frame(ctx.engine, part.statement, ctx.limits.query_timeout_s)
        except QueryTimeoutError as exc:
            raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
        for column in part.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
            if dimensions and column in model.metrics and _is_sum(model, column):
                # A group that exists (a campaign with messages) but has nothing to add up is 0.
                frame[column] = frame[column].fillna(0.0)
        for name in dimensions:
            if model.dimension(name).time_grain:
                frame[name] = pd.to_datetime(frame[name]).dt.date
        if result is None:
            result = frame
        elif dimensions:
            result = result.merge(frame, on=dimensions, how="outer")
        else:
            result = pd.concat(
                [result.reset_index(drop=True), frame.reset_index(drop=True)], axis=1
            )
    assert result is not None
    if not dimensions and result.empty:
        result = pd.DataFrame([{c: None for c in result.columns}])
    for name, finish in plan.finishers:
        result[name] = finish(result)
    for name in query.metrics:
        metric = model.metric(name)
        if metric.format == "integer" and name in result:
            result[name] = result[name].fillna(0)
    return result[[*dimensions, *query.metrics]]


def _push_top_n(plan: MetricPlan, query: MetricQuery, keys: list[SortKey], rows: int) -> None:
    """Sort and cut the plan's only SELECT in the engine, when that gives the same table."""
    if not query.dimensions or len(plan.parts) != 1 or plan.finishers or not keys:
        return
    part = plan.parts[0]
    columns = {*query.dimensions, *part.columns}
    if any(key.column not in columns for key in keys):
        return
    plan.parts[0] = part.__class__(part.fact, with_top_n(part.statement, keys, rows), part.columns)


def _sort_keys(
    model: SemanticModel, query: MetricQuery, order_by: str | None, sort: str | None = None
) -> list[SortKey]:
    """The table's order: by a metric (the first metric when a non-time dimension is asked
    for), descending unless `sort` is "asc", else by the dimensions, ascending unless `sort`
    is "desc"; ties broken by every dimension, ascending. NULLs sort last either way."""
    dimensions = list(query.dimensions)
    time_dims = [d for d in dimensions if model.dimension(d).time_grain]
    if order_by in query.metrics or (order_by is None and dimensions and not time_dims):
        key = order_by or query.metrics[0]
        first = SortKey(
            key, descending=sort != "asc", zero_for_null=bool(dimensions) and _is_sum(model, key)
        )
        return [first, *(SortKey(d) for d in dimensions)]
    if not dimensions:
        return []
    leading = [order_by] if order_by else []
    keys = [SortKey(c) for c in dict.fromkeys([*leading, *dimensions])]
    if sort == "desc":
        keys[0] = SortKey(keys[0].column, descending=True)
    return keys


def _is_sum(model: SemanticModel, name: str) -> bool:
    metric = model.metric(name)
    return metric.is_base and all(m.aggregate == "sum" for m in metric.measures)


def _with_comparison(
    ctx: ToolContext,
    frame: pd.DataFrame,
    query: MetricQuery,
    period: TimeRange,
    comparison: TimeRange,
) -> pd.DataFrame:
    """Add `<metric>_previous` and `<metric>_change` (relative) for the comparison period.

    With a time grain, the comparison's buckets are shifted onto the current
    period's (October last year sits beside October this year).
    """
    model = ctx.semantic_model
    other = _compute(
        ctx, MetricQuery(**{**query.__dict__, "start": comparison.start, "end": comparison.end})
    )
    time_dims = [d for d in query.dimensions if model.dimension(d).time_grain]
    for name in time_dims:
        shift = _bucket_shift(period.start, comparison.start, model.dimension(name).time_grain)
        other[name] = other[name].map(lambda d, s=shift: d + s if isinstance(d, date) else d)
    other = other.rename(columns={m: f"{m}_previous" for m in query.metrics})
    if query.dimensions:
        merged = frame.merge(other, on=list(query.dimensions), how="left")
    else:
        merged = pd.concat([frame.reset_index(drop=True), other.reset_index(drop=True)], axis=1)
    for name in query.metrics:
        previous = merged[f"{name}_previous"].astype(float)
        merged[f"{name}_change"] = merged[name].astype(float) / previous.where(previous != 0) - 1
    return merged


def _bucket_shift(current: date, previous: date, grain: str | None) -> relativedelta:
    if grain in ("month", "quarter", "year"):
        months = (current.year - previous.year) * 12 + current.month - previous.month
        return relativedelta(months=months)
    return relativedelta(days=(current - previous).days)


def _order_and_limit(
    model: SemanticModel,
    frame: pd.DataFrame,
    query: MetricQuery,
    order_by: str | None,
    limit: int | None,
    sort: str | None = None,
) -> pd.DataFrame:
    if order_by and order_by not in frame.columns:
        raise ToolError.of(
            "Cannot sort by {column}; sort by one of: {columns}",
            column=quoted(order_by),
            columns=", ".join([*query.dimensions, *query.metrics]),
        )
    keys = _sort_keys(model, query, order_by, sort)
    if keys:
        # A stable sort on the same keys as the pushed-down ORDER BY: same rows, same order.
        frame = frame.sort_values(
            [k.column for k in keys],
            ascending=[not k.descending for k in keys],
            na_position="last",
            kind="stable",
        )
    if limit is not None:
        if limit < 1:
            raise ToolError.of("The limit must be at least 1.")
        frame = frame.head(limit)
    return frame.reset_index(drop=True)


def _titles(
    model: SemanticModel,
    query: MetricQuery,
    period: TimeRange | None,
    comparison: TimeRange | None,
    filter_labels: dict[str, dict[str, dict[str, str]]] | None = None,
) -> dict[str, str]:
    """The table's title in every answer language: 'Revenue by channel (October 2026)'."""

    def title(language: str) -> str:
        names = join_list(
            [model.metric(m).label.in_language(language) for m in query.metrics], language
        )
        if query.filters:
            shown = (filter_labels or {}).get(language, {})
            values = join_list(
                [shown.get(d, {}).get(v, v) for d, vs in query.filters.items() for v in vs],
                language,
            )
            names = tr(language, "{metrics}, {filters}", metrics=names, filters=values)
        if query.exclude:
            shown = (filter_labels or {}).get(language, {})
            values = join_list(
                [shown.get(d, {}).get(v, v) for d, vs in query.exclude.items() for v in vs],
                language,
            )
            names = tr(language, "{metrics}, excluding {values}", metrics=names, values=values)
        when = period_name(_period_data(period), language)
        if comparison is not None:
            other = period_name(_period_data(comparison), language)
            when = tr(language, "{period} vs {other}", period=when, other=other)
        if not query.dimensions:
            return tr(language, "{metrics} ({period})", metrics=names, period=when)
        by = join_list(
            [
                label_in_sentence(model.dimension(d).label.in_language(language))
                for d in query.dimensions
            ],
            language,
        )
        return tr(
            language,
            "{metrics} by {dimensions} ({period})",
            metrics=names,
            dimensions=by,
            period=when,
        )

    return in_each_language(title)


def _latest_campaigns(
    ctx: ToolContext, query: MetricQuery, period: TimeRange | None, shown: pd.DataFrame
) -> dict[str, str] | None:
    """When campaign metrics found no campaign in the period: the latest campaign before it.

    {"campaign", "start", "end"} of the campaign that ended last before the period
    starts, so the answer can say "no campaigns then; the latest ran in June 2026"
    instead of "no data". None when the period had campaign data or none came before.
    """
    model = ctx.semantic_model
    if period is None or not any(_uses_campaigns(model, m) for m in query.metrics):
        return None
    values = shown[list(query.metrics)] if not shown.empty else shown
    if not values.empty and values.notna().any().any():
        return None
    if _campaigns_ran(ctx, query, period):
        return None  # (campaigns ran: a ratio of them is empty for want of its denominator)
    with ctx.engine.connect() as conn:
        row = conn.execute(
            select(Campaign.name, Campaign.start_date, Campaign.end_date)
            .where(Campaign.start_date < period.start)
            .order_by(Campaign.end_date.desc(), Campaign.name)
            .limit(1)
        ).first()
    if row is None:
        return None
    return {"campaign": row[0], "start": str(row[1])[:10], "end": str(row[2])[:10]}


def _campaigns_ran(ctx: ToolContext, query: MetricQuery, period: TimeRange) -> bool:
    """Whether a campaign the query reads ran in `period` (its dates overlap): of the channels
    and campaigns it filters on, none it leaves out. "618 SMS" had no SMS campaign though
    email and push ran: no campaign of it ran."""
    statement = select(Campaign.name).where(
        Campaign.start_date <= period.end, Campaign.end_date >= period.start
    )
    for dimension, column in (("channel", Campaign.channel), ("campaign", Campaign.name)):
        if query.filters.get(dimension):
            statement = statement.where(column.in_(query.filters[dimension]))
        if query.exclude.get(dimension):
            statement = statement.where(column.not_in(query.exclude[dimension]))
    with ctx.engine.connect() as conn:
        return conn.execute(statement.limit(1)).first() is not None


def _zero_denominators(ctx: ToolContext, query: MetricQuery, shown: pd.DataFrame) -> dict[str, str]:
    """{ratio metric: its denominator} for each ratio asked that came out empty because its
    denominator is 0 over the whole answer (CAC when no customer was acquired): the answer
    says so instead of "no data"."""
    model = ctx.semantic_model
    empty = [
        m for m in query.metrics if model.metric(m).ratio and (shown.empty or shown[m].isna().all())
    ]
    found: dict[str, str] = {}
    for metric in empty:
        denominator = model.metric(metric).ratio[1]
        parts = _compute(ctx, replace(query, metrics=(denominator,), dimensions=()))
        total = parts[denominator].fillna(0).sum() if not parts.empty else 0
        if total == 0:
            found[metric] = denominator
    return found


def _uses_campaigns(model: SemanticModel, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a metric reads campaign messages (ROI, CTR ...), directly or through its parts."""
    metric = model.metric(name)
    if any(m.fact == "campaign_messages" for m in metric.measures):
        return True
    parts = list(metric.ratio or ()) + [
        other for other in model.metrics if metric.formula and other in metric.formula
    ]
    return any(_uses_campaigns(model, p, seen | {name}) for p in parts if p not in seen | {name})


def _period_data(period: TimeRange | None) -> dict[str, str] | None:
    if period is None:
        return None
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        # The unit the phrase named ("this month" -> month): a cut one reads "to date".
        "grain": period.grain_hint,
    }


def _churn_base(
    model: SemanticModel, query: MetricQuery, period: TimeRange | None
) -> dict[str, str] | None:
    """The base period of a churn rate asked for (its buyers are the denominator), for the
    answer to name: "previous period of equal length" is not the previous calendar month."""
    if period is None or not any(
        model.metric(m).special in ("churn_rate", "churned_customers") for m in query.metrics
    ):
        return None
    if query.churn_base is not None:
        start, end = query.churn_base
        return {"start": start.isoformat(), "end": end.isoformat(), "label": "", "grain": None,
                "named": True}  # fmt: skip
    grains = [model.dimension(d).time_grain for d in query.dimensions]
    grain = next((g for g in grains if g), None)
    if grain is not None:
        # Churn by month: each month against the equal-length period just before it.
        first = churn_buckets(period.start, period.end, grain)[0]
        start, end = churn_base_period(first[1], first[2])
        return {"start": start.isoformat(), "end": end.isoformat(), "label": "", "grain": grain,
                "per_bucket": True}  # fmt: skip
    start, end = churn_base_period(period.start, period.end)
    return {"start": start.isoformat(), "end": end.isoformat(), "label": "", "grain": None}


def _named_churn_base(
    model: SemanticModel,
    metrics: list[str],
    periods: Periods,
    churn_base: str | None,
    period: TimeRange | None,
) -> tuple[date, date] | None:
    """The churn base the call names, checked: churn metrics only, a period before the
    time range."""
    if not churn_base:
        return None
    if not any(
        m in model.metrics and model.metric(m).special in ("churn_rate", "churned_customers")
        for m in metrics
    ):
        raise ToolError.of("churn_base is for churn_rate and churned_customers only.")
    base = periods.resolve(churn_base)
    if base is None or period is None or base.end >= period.start:
        raise ToolError.of("churn_base must be a period that ends before time_range starts.")
    return base.start, base.end


def _period_text(period: TimeRange | None) -> str:
    if period is None:
        return "all time"
    return f"{period.start.isoformat()} to {period.end.isoformat()} ({period.label})"


def _scalar(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
