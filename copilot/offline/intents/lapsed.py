"""Buyers of one period who did not buy in a later one ("Q2 buyers who didn't come back in
Q3", "上半年买过、最近90天没再买的", "Q1 buyers we lost in Q2").

The churned customers (and churn rate) of a period count exactly this. Their base is the
previous period of equal length (MARKETING.md; knowledge.semantic.special) unless the call
names another: when the buyers' period is not that base (Q2 before Q3 is one day short of
Q3's base), the query names it as `churn_base`, never answered with a plain buyer count.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from copilot.offline.clock import planner_today
from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.intents.rule_parts import order_count
from copilot.offline.question import Question, clean_period_phrase
from copilot.offline.vocabulary import (
    breakdowns_named,
    reader_pattern,
    reader_words,
    task_cue_tools,
)
from knowledge.presentation.messages import tr
from knowledge.semantic.special import churn_base_period
from knowledge.time_ranges import TimeRange, find_period

# "haven't bought since March", "双十一以来没下过单": no order after a date, to this day.
_SINCE = re.compile(r"\bsince\b|以来|自从|之后一直", re.I)
# Filters that say who the buyers are (customer attributes), not what they bought.
_WHO = frozenset(
    {
        "city",
        "province",
        "gender",
        "age_band",
        "signup_channel",
        "language",
        "rfm_segment",
        "segment",
    }
)


def read_lapsed_buyers(
    question: Question, ctx: PlannerContext
) -> tuple[dict[str, Any], Question] | AskBack | None:
    """query_metrics arguments (churned customers and churn rate) for buyers of one period
    with no order in a later one (the first named as the churn base unless it is the second's
    previous period of equal length), with the question as read (both periods and the lapse's
    words placed, for the accounting of its other words); None when the question is not
    that."""
    model = ctx.semantic_model
    if not {"churned_customers", "churn_rate"} <= set(model.metrics):
        return None
    if not reader_pattern("bought_then_not").search(question.raw):
        return None
    if _SINCE.search(question.raw) or task_cue_tools(question):
        return None  # "no order since March", a segment to save: the rule-segment reader's
    counted_orders = order_count(question.raw)
    if counted_orders is not None and counted_orders.unheld is None:
        # "近30天没下单、但去年下过3单以上": an order count in one period is a rule segment's
        # condition (each period with its clause), which a churn count cannot hold.
        return None
    periods = _two_periods(question.raw)
    if periods is None:
        return None
    if periods[0][0].start > periods[1][0].start and _named_again_after(question.raw, periods):
        # "三季度流失率：二季度买过、三季度没再买", "October churn: September buyers with no
        # order in October": the period asked first is said again after the buyers' one,
        # where the lapse is told: the lapse runs forwards.
        periods = [periods[1], periods[0]]
    elif periods[0][0].start > periods[1][0].start and _base_restated_after(question.raw, periods):
        # "churned custs in Oct (Sept buyers who didn't come back)", "Q3 churn rate - the share
        # of the prior period's buyers who did not purchase again": churn asked of the first
        # period, then the buyers it counts from, the period just before it: the lapse runs
        # forwards.
        periods = [periods[1], periods[0]]
    if periods[0][0].start > periods[1][0].start:
        # "上半年买过、下半年没有再买" in November: the first half said is this year's and the
        # second, not over yet, last year's; sorted by date the lapse would run backwards.
        # Which years are meant is asked, never the lapse answered the other way round.
        return AskBack(_reversed_periods(periods, question.language))
    (earlier, earlier_phrase), (later, later_phrase) = periods
    if earlier.end >= later.start:
        return None  # not one period after the other: no lapse between them
    args: dict[str, Any] = {
        "metrics": ["churned_customers", "churn_rate"],
        "time_range": later_phrase,
    }
    counted = [
        m.span()
        for w in reader_words("count_not_rate")
        for m in re.finditer(rf"(?<![a-z]){re.escape(w)}(?![a-z])", question.text)
    ]
    if counted:
        args["metrics"] = ["churned_customers"]  # "a headcount, not %": the count alone
    else:
        args["metrics"] = _figures_asked(question, model) or args["metrics"]
    if churn_base_period(later.start, later.end) != (earlier.start, earlier.end):
        # "Q1 buyers we lost in Q2": Q1 is not Q2's previous period of equal length (one
        # day short), so the base is named to the tool rather than taken as equal.
        args["churn_base"] = earlier_phrase
    if set(question.filters) - _WHO:
        return None  # "July skincare buyers": whether August's order must be skincare too
    if question.filters:
        args["filters"] = dict(question.filters)  # "July buyers in Shanghai": who they are
    breakdown = breakdowns_named(question.text, model)
    if set(breakdown) - _WHO:
        return None  # the churn is broken down by who the buyers are only
    if breakdown:
        args["dimensions"] = breakdown  # "..., by city": never dropped
    text = question.text
    # The periods, the lapse's own words ("did not come back", "lost in") and the purchase
    # of the first period ("下过单"): read.
    patterns = [
        reader_pattern("bought_then_not"),
        *(re.compile(p) for p in reader_words("order_verbs")),
    ]
    lapse = [m.span() for pattern in patterns for m in pattern.finditer(question.raw)]
    lapse += counted
    for found in [*_spans(question.raw), *lapse]:
        text = text[: found[0]] + " " * (found[1] - found[0]) + text[found[1] :]
    return args, replace(question, text=text, time_range=later_phrase)


def _figures_asked(question: Question, model: Any) -> list[str]:
    """The one churn figure the question asks by name or by its kind ("customer churn - i.e.
    the share of Q2 buyers who didn't order again", "流失了多少人：二季度买过三季度没买的"):
    the rate alone, or the count alone; [] when it names neither or both (both are shown)."""
    from copilot.offline.vocabulary import metrics_named

    lapse = reader_pattern("bought_then_not")
    text = lapse.sub(lambda m: " " * len(m.group(0)), question.text)
    named = {m for m in metrics_named(text, model) if m in ("churn_rate", "churned_customers")}
    if reader_pattern("churn_rate_kind").search(text):
        named.add("churn_rate")
    if reader_pattern("churn_count_kind").search(text):
        named.add("churned_customers")
    return list(named) if len(named) == 1 else []


def _reversed_periods(periods: list[tuple[TimeRange, str]], language: str) -> str:
    (first, first_phrase), (second, second_phrase) = periods
    return tr(
        language,
        "I read “{first}” as {first_dates} and “{second}” as {second_dates}, so the period "
        "you name first comes after the one you name second. Which years do you mean for each?",
        first=first_phrase,
        first_dates=f"{first.start} – {first.end}",
        second=second_phrase,
        second_dates=f"{second.start} – {second.end}",
    )


def _named_again_after(raw: str, periods: list[tuple[TimeRange, str]]) -> bool:
    """Whether the first period of `periods` is named again after the second one."""
    today = planner_today()
    spans = _spans(raw)
    if len(spans) < 2:
        return False
    rest = raw
    for start, end in spans:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    again = find_period(rest, today)
    first, _ = periods[0]
    return (
        again is not None
        and again.span[0] > max(e for _, e in spans)
        and (again.range.start, again.range.end) == (first.start, first.end)
    )


def _base_restated_after(raw: str, periods: list[tuple[TimeRange, str]]) -> bool:
    """Whether churn is named before the second period and that period ends the day before
    the first begins: the first is the period asked, the second the buyers churn counts from."""
    from datetime import timedelta

    (first, _), (second, _) = periods
    if second.end + timedelta(days=1) != first.start:
        return False
    spans = _spans(raw)
    said = reader_pattern("churn_said").search(raw)
    return bool(said and len(spans) >= 2 and said.start() < sorted(spans)[-1][0])


def _spans(raw: str) -> list[tuple[int, int]]:
    """Where the question's periods stand (both of them)."""
    today = planner_today()
    spans: list[tuple[int, int]] = []
    for _ in range(2):
        rest = raw
        for start, end in spans:
            rest = rest[:start] + " " * (end - start) + rest[end:]
        found = find_period(rest, today)
        if found is None:
            break
        spans += list(found.all_spans or (found.span,))
    return spans


def _two_periods(raw: str) -> list[tuple[TimeRange, str]] | None:
    """The two periods a question names, each with its phrase, or None without two."""
    today = planner_today()
    first = find_period(raw, today)
    if first is None:
        return None
    if first.compare_to is not None:  # "Q2 vs Q3" read as one comparison phrase
        return [(first.range, first.range.label), (first.compare_to, first.compare_to.label)]
    rest = raw
    for start, end in first.all_spans or (first.span,):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    second = find_period(rest, today)
    if second is None:
        return None
    return [
        (first.range, clean_period_phrase(first.phrase(raw))),
        (second.range, clean_period_phrase(second.phrase(rest))),
    ]
