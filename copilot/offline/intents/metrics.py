"""Metric questions: reading them into query_metrics calls and writing the answer."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from copilot.offline.campaigns import campaign_named
from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question, clean_period_phrase, named, top_n
from copilot.offline.vocabulary import dimension_synonyms, metric_synonyms, with_gross_sales
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import find_period
from tools.base import ToolOutput

_ROWS_LISTED = 20
FUNNEL = ["delivered", "opens", "clicks", "conversions", "conversion_rate"]


def read_metric_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """query_metrics arguments for a question that names a metric, else None."""
    model = ctx.semantic_model
    metrics = with_gross_sales(question.text, named(question.text, metric_synonyms(model)), model)
    if metrics == ["revenue"] and _counts_items(question):
        metrics = ["units"]  # "how many laptops did we sell": sell counts items, not money
    if "units" in metrics and not question.has("revenue", "gmv", "turnover", "销售额", "营收"):
        metrics = [m for m in metrics if m != "revenue"]  # "how many units did we sell"
    if question.has("funnel", "漏斗"):
        metrics = list(dict.fromkeys([*FUNNEL, *metrics]))
    if not metrics and top_n(question.text) and _ranks_things(question, model):
        # "Top 3 product categories" ranks by sales: revenue, and the answer says so.
        metrics = ["revenue"]
    if not metrics:
        return None
    dimensions = named(question.text, dimension_synonyms(model))
    filters = dict(question.filters)
    time_range = question.time_range
    campaign = campaign_named(question, ctx.values) if "campaign" not in filters else None
    if campaign:
        # "the 618 2026 email (campaign)" is that campaign: it sets the period and channel.
        filters.pop("channel", None)
        filters["campaign"] = [campaign]
        time_range = None
    # "revenue in Shanghai" filters by city; "email vs SMS" compares, so it groups too.
    compared = [d for d, values in filters.items() if len(values) > 1]
    dimensions = [
        d for d in dict.fromkeys([*dimensions, *compared]) if d not in filters or d in compared
    ][:2]
    args: dict[str, Any] = {"metrics": metrics}
    if dimensions:
        args["dimensions"] = dimensions
    if filters:
        args["filters"] = filters
    if time_range:
        args["time_range"] = time_range
        compare_to = _second_period(question)
        if compare_to:
            args["compare_to"] = compare_to
    elif "churn_rate" in metrics:
        # Churn compares two periods; without one, the latest full month is the usual reading.
        args["time_range"] = "last month"
    limit = top_n(question.text) if dimensions else None
    if limit:
        args["limit"] = limit
        args["order_by"] = metrics[0]
    return args


_COMPARE = re.compile(
    r"\b(?:compare|compared|comparing|vs\.?|versus|against)\b|对比|相比|比较|和.{0,12}比", re.I
)


_YEAR_BEFORE = re.compile(
    r"\b(?:the )?(?:year before|previous year|prior year|a year earlier)\b|前一年|上一年"
    r"|\bsame (?:month|period|quarter|week|day|time) (?:last|previous|a) (?:year|yr)\b|去年同期",
    re.I,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?:the )?(?:month|week|quarter|period) before\b|\bprevious (?:month|week|quarter|period)\b|上一期|环比",
    re.I,
)


def _second_period(question: Question) -> str | None:
    """The other period of "compare this year's revenue with last year", when the period
    phrase itself did not carry it (the two periods are apart in the sentence)."""
    if not _COMPARE.search(question.raw):
        return None
    match = find_period(question.raw, date.today())
    if match is None or match.compare_to is not None:
        return None
    if _YEAR_BEFORE.search(question.raw):
        return "last year"  # "compare with the year before": the same dates a year earlier
    if _PERIOD_BEFORE.search(question.raw):
        return "previous period"
    rest = question.raw
    for start, end in match.all_spans or (match.span,):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    other = find_period(rest, date.today())
    if other is None:
        return None
    phrase = clean_period_phrase(rest[other.span[0] : other.span[1]])
    if match.range.start == match.range.end and other.range.start != other.range.end:
        # "2025年双十一当天 ... 和2024年双十一比": the other year's festival day, not its window.
        day = phrase + ("当天" if question.language == "zh" else " day itself")
        again = find_period(day, date.today())
        if again is not None and again.range.start == again.range.end:
            return day
    return phrase


def _ranks_things(question: Question, model: SemanticModel) -> bool:
    """Whether a "top N" question names a non-time breakdown to rank ("top 3 categories")."""
    return any(
        model.dimension(d).time_grain is None
        for d in named(question.text, dimension_synonyms(model))
    )


def _counts_items(question: Question) -> bool:
    """Whether "sell" asks for a count of items ("how many ... sell", "卖了几件"), not money."""
    return question.has(
        r"how many", r"number of", r"#\s*of", "多少件", "几件", "多少个", "多少台", "多少瓶"
    ) and not question.has(r"how much", "revenue", "多少钱", "金额")


def format_value(value: float | None, kind: str, currency: str) -> str:
    """A metric value as people read it: ¥1,234.50, 1,234, 12.3%."""
    if value is None or pd.isna(value):
        return "n/a"
    if kind == "money":
        return f"{currency}{value:,.2f}"
    if kind == "integer":
        return f"{value:,.0f}"
    if kind == "percent":
        return f"{value:.1%}"
    return f"{value:,.2f}"


def write_metric_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a query_metrics result: the number(s), context, a next step."""
    model, currency = ctx.semantic_model, ctx.currency
    data = output.data
    if "error" in data:
        return error_text(data["error"], language)
    period = data.get("period")
    period_text = _period_text(period, language)
    formats = data["formats"]
    labels = {m: model.metric(m).label.in_language(language) for m in data["metrics"]}
    if not data["dimensions"]:
        return _totals_text(data, labels, formats, period_text, language, currency)
    frame = output.artifacts[0].frame if output.artifacts else pd.DataFrame()
    return _breakdown_text(frame, data, model, labels, formats, period_text, language, currency)


def _totals_text(
    data: dict[str, Any],
    labels: dict[str, str],
    formats: dict[str, str],
    period_text: str,
    language: str,
    currency: str,
) -> str:
    values = data["values"]
    filters = _filters_text(data["filters"], language)
    # No data is a missing value; a count of 0 (a month with orders but no new customer) is 0.
    if all(values.get(m) is None or pd.isna(values.get(m)) for m in data["metrics"]):
        return (
            f"{period_text}{filters}没有相关数据，因此没有可报告的数字。"
            if language == "zh"
            else f"There is no data {period_text}{filters.rstrip(',')}, so there is nothing to report."
        )
    previous = data.get("previous_values") or {}
    parts = [
        (
            labels[m],
            format_value(values.get(m), formats[m], currency)
            + _change_text(values.get(m), previous.get(m), formats[m], currency, data, language),
        )
        for m in data["metrics"]
    ]
    if language == "zh":
        body = "，".join(f"{label}为 {value}" for label, value in parts)
        return f"{period_text}{filters}的{body}。\n\n下一步：可以按月、按渠道或按城市拆分看看。"
    if len(parts) == 1:
        label, value = parts[0]
        sentence = f"{label} {period_text}{filters} was {value}."
    else:
        body = "; ".join(f"{label}: {value}" for label, value in parts)
        sentence = f"{period_text[0].upper()}{period_text[1:]}{filters.rstrip(',')}: {body}."
    return f"{sentence}\n\nNext: break it down by month, channel or city."


def _breakdown_text(
    frame: pd.DataFrame,
    data: dict[str, Any],
    model: SemanticModel,
    labels: dict[str, str],
    formats: dict[str, str],
    period_text: str,
    language: str,
    currency: str,
) -> str:
    metric = data["metrics"][0]
    dims = data["dimensions"]
    dim_labels = [model.dimension(d).label.in_language(language) for d in dims]
    filters = _filters_text(data["filters"], language) if data["filters"] else ""
    if frame.empty:
        return (
            f"{period_text}{filters}没有相关数据。"
            if language == "zh"
            else f"There is no data {period_text}{filters}."
        )
    fmt = lambda v: format_value(v, formats[metric], currency)  # noqa: E731
    key = lambda row: " / ".join(_label(row[d], model.dimension(d).time_grain) for d in dims)  # noqa: E731
    rows = frame.dropna(subset=[metric])
    top = rows.loc[rows[metric].idxmax()] if not rows.empty else None
    low = rows.loc[rows[metric].idxmin()] if not rows.empty else None
    base = model.metric(metric)
    total = rows[metric].sum() if base.is_base and base.measures[0].aggregate == "sum" else None
    is_time = model.dimension(dims[0]).time_grain is not None
    compared = None
    if f"{metric}_previous" in frame.columns and total:
        before = frame[f"{metric}_previous"].sum()
        compared = (total, before) if before else None
    by = "、".join(dim_labels) if language == "zh" else ", ".join(x.lower() for x in dim_labels)
    if language == "zh":
        lines = [f"{period_text}{filters}按{by}的{labels[metric]}（共 {len(frame)} 行，见下表）："]
        if top is not None:
            lines.append(f"- 最高：{key(top)}，{fmt(top[metric])}")
            lines.append(f"- 最低：{key(low)}，{fmt(low[metric])}")
        if total is not None and top is not None and total:
            lines.append(f"- 最高一项占合计的 {top[metric] / total:.1%}")
        if compared is not None:
            total_now, total_before = compared
            lines.append(
                f"- 合计 {fmt(total_now)}，对比{data['compare_to']['label']}的 {fmt(total_before)}"
                f"（{total_now / total_before - 1:+.1%}）"
            )
        if is_time and len(rows) >= 2:
            last, prev = rows.iloc[-1][metric], rows.iloc[-2][metric]
            if prev:
                lines.append(
                    f"- 最近一期比上一期{'增长' if last >= prev else '下降'} {abs(last / prev - 1):.1%}"
                )
        if not is_time and len(dims) == 1 and len(frame) <= _ROWS_LISTED:
            lines.append(f"- 列出的：{'、'.join(key(row) for _, row in frame.iterrows())}")
        lines.append("\n下一步：可以筛选某个城市或渠道，或换一个指标对比。")
        return "\n".join(lines)
    lines = [f"{labels[metric]} by {by} {period_text}{filters} ({len(frame)} rows, table below):"]
    if top is not None:
        lines.append(f"- highest: {key(top)} with {fmt(top[metric])}")
        lines.append(f"- lowest: {key(low)} with {fmt(low[metric])}")
    if total is not None and top is not None and total:
        lines.append(f"- the highest is {top[metric] / total:.1%} of the total shown")
    if compared is not None:
        total_now, total_before = compared
        lines.append(
            f"- in total {fmt(total_now)} vs {fmt(total_before)} in {data['compare_to']['label']} "
            f"({total_now / total_before - 1:+.1%})"
        )
    if is_time and len(rows) >= 2:
        last, prev = rows.iloc[-1][metric], rows.iloc[-2][metric]
        if prev:
            lines.append(
                f"- the latest period is {'up' if last >= prev else 'down'} {abs(last / prev - 1):.1%} on the one before"
            )
    if not is_time and len(dims) == 1 and len(frame) <= _ROWS_LISTED:
        # Named in full so a follow-up ("what is their total?") can sum exactly these rows.
        lines.append(f"- rows shown: {', '.join(key(row) for _, row in frame.iterrows())}")
    lines.append("\nNext: filter to one city or channel, or compare another metric.")
    return "\n".join(lines)


def _change_text(
    value: float | None,
    previous: float | None,
    kind: str,
    currency: str,
    data: dict[str, Any],
    language: str,
) -> str:
    """ " (vs ¥X in 2025, +12.0%)" when the query compared two periods."""
    if previous is None or data.get("compare_to") is None:
        return ""
    label = data["compare_to"]["label"]
    before = format_value(previous, kind, currency)
    change = f", {value / previous - 1:+.1%}" if value is not None and previous else ""
    if language == "zh":
        return f"（对比{label}的 {before}{change.replace(', ', '，')}）"
    return f" (vs {before} in {label}{change})"


def _label(value: Any, grain: str | None) -> str:
    if grain and isinstance(value, date):
        if grain == "month":
            return value.strftime("%Y-%m")
        if grain == "quarter":
            return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
        if grain == "year":
            return str(value.year)
        return value.isoformat()
    return str(value)


def _period_text(period: dict | None, language: str) -> str:
    if period is None:
        return "全部时间" if language == "zh" else "over all time"
    span = f"{period['start']} – {period['end']}"
    label = period["label"]
    # "last month" reads without "in"; "October 2026" reads with it.
    preposition = (
        "" if label.split(" ")[0].lower() in ("last", "this", "past", "previous", "year") else "in "
    )
    if period["start"] in label:  # the label already shows its dates
        return label if language == "zh" else f"{preposition}{label}"
    if language == "zh":
        return f"{label}（{span}）"
    return f"{preposition}{label} ({span})"


def _filters_text(filters: dict[str, list[str]], language: str) -> str:
    """The scope the number covers, restated: " for 上海, app" or ", whole store" when unfiltered.

    Codes too short to read alone (gender "F") are shown with their dimension.
    """
    if not filters:
        return "（全店）" if language == "zh" else ", whole store,"
    values = [
        f"{dimension.replace('_', ' ')} {v}" if len(v) <= 2 else v
        for dimension, vs in filters.items()
        for v in vs
    ]
    return f"（{'、'.join(values)}）" if language == "zh" else f" for {', '.join(values)}"


def error_text(error: str, language: str) -> str:
    """A tool's recoverable error, told plainly."""
    if language == "zh":
        return f"这个问题我没能算出来：{error}"
    return f"I could not compute that: {error}"


METRICS_INTENT = Intent(tool="query_metrics", read=read_metric_question, write=write_metric_answer)
