"""Shares of a whole: "what share of last month's revenue came from skincare?", "上个月护肤
品类的销售额占比" — the filtered figure over the same figure unfiltered, both stated; with a
breakdown ("各渠道销售额占比", "revenue share by channel"), each row's share of the whole, one
call of query_metrics with `shares`.

A share is read only where a share word governs a metric the question asks for (lexicon
`share_of_whole`); "what percentage of Shanghai customers bought again" is a rate of those
customers, not a share. A share of a figure that does not add up over its parts (a rate,
AOV) makes no sense: it is asked back, never answered with the part's figure alone.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import (
    load_lexicon,
    metric_word_pattern,
    paired_metrics,
    unplaced_words,
)
from knowledge.presentation import (
    format_percent,
    format_value,
    join_list,
    label_in_sentence,
    tr,
)
from tools.base import ToolOutput


def asked_share(question: Question, metrics: list[str], ctx: PlannerContext) -> str | None:
    """The metric (of `metrics`) whose share the question asks for, or None."""
    phrases = load_lexicon().metric_phrases
    # A per-person phrase is read whole ("每个买家贡献了多少钱": revenue per buyer), so its
    # people word is no metric a share word follows.
    _, text = paired_metrics(question.text, ctx.semantic_model)
    for metric in metrics:
        # The metric's words as `metric_synonyms` gathers them, for the metrics asked only.
        definition = ctx.semantic_model.metric(metric)
        words = (*definition.synonyms.all(), metric.replace("_", " "), *phrases.get(metric, ()))
        pattern = metric_word_pattern("share_of_whole", words)
        if pattern is not None and pattern.search(text):
            return metric
    return None


def share_calls(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> list[dict[str, Any]] | dict[str, Any] | AskBack | None:
    """The part's call and the whole's call for a share question, one call with each row's
    share for a breakdown, a question back when no share can be built, or None when the
    question asks for no share."""
    metric = asked_share(question, list(args.get("metrics") or []), ctx)
    if metric is None:
        return None
    definition = ctx.semantic_model.metric(metric)
    if definition.format == "percent":
        # "what percentage of customers bought again" names the rate itself.
        return None
    filters = dict(args.get("filters") or {})
    language = question.language
    label = label_in_sentence(definition.label.in_language(language))
    if not definition.is_base:
        return AskBack(
            tr(
                language,
                "{metric} is a ratio, not an amount that adds up over its parts, so a share "
                "of it makes no sense. I can give {metric} for the part and for the whole "
                "side by side, or the share of an amount (revenue, orders, buyers). Which "
                "would you like?",
                metric=label,
            )
        )
    if args.get("dimensions"):
        # "各渠道销售额占比": every row's share of the whole, in one call.
        if args.get("compare_to"):
            return AskBack(
                tr(
                    language,
                    "I read shares of {metric} per row and a comparison with another period; "
                    "I give shares for one period at a time. Which period should the shares "
                    "be for?",
                    metric=label,
                )
            )
        return {**args, "shares": True}
    if len(filters) != 1 or "campaign" in filters:
        text = tr(
            language,
            "I read a share of {metric}, but not which part of which whole: name one "
            "part (e.g. a category, channel or city) and the period, and I give the "
            "share of the whole store's {metric}.",
            metric=label,
        )
        unknown = [
            (m.group(0) if (m := re.search(re.escape(w), question.raw, re.I)) else w)
            for w in unplaced_words(question.text.lower(), ctx.semantic_model)
        ]
        if unknown and not filters:
            # ("revenue contribution of our Gold-tier loyalty members"): the part said in
            # words the store does not hold is named, never left out of the question back.
            text += " " + tr(
                language,
                "I don't know {words} in this store.",
                words=join_list([tr(language, "“{word}”", word=w) for w in unknown], language),
            )
        return AskBack(text)
    part = {**args, "metrics": [metric]}
    whole = {k: v for k, v in part.items() if k != "filters"}
    return [part, whole]


def share_text(outputs: list[ToolOutput], language: str, ctx: PlannerContext) -> str | None:
    """The share sentence when the results are one figure for a part and the same figure for
    its whole (same metric and period, the whole without the part's filter), else None."""
    if len(outputs) != 2:
        return None
    part, whole = (o.data for o in outputs)
    if any("values" not in d or len(d["metrics"]) != 1 for d in (part, whole)):
        return None
    if part["metrics"] != whole["metrics"] or part.get("period") != whole.get("period"):
        return None
    if len(part.get("filters") or {}) != 1 or whole.get("filters"):
        return None
    metric = part["metrics"][0]
    value, total = part["values"].get(metric), whole["values"].get(metric)
    if value is None or not total:
        return None
    model = ctx.semantic_model
    kind = model.metric(metric).format
    shown = (part.get("filter_labels") or {}).get(language, {})
    names = [shown.get(d, {}).get(v, v) for d, vs in part["filters"].items() for v in vs]
    return tr(
        language,
        "Share: {part} is {share} of the whole store's {metric} ({value} of {total}).",
        part=join_list(names, language),
        share=format_percent(value / total, language),
        metric=label_in_sentence(model.metric(metric).label.in_language(language)),
        value=format_value(value, kind, language, ctx.currency, large=False),
        total=format_value(total, kind, language, ctx.currency, large=False),
    )
