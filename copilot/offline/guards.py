"""Shape checks of a finished plan against explicit markers of the question.

Readers that place words one by one can lose or bend a condition and still produce a
confident plan: "revenue of the top 500 customers" read as the whole store's revenue,
"每个买家平均贡献多少" read as revenue, "return rate of the 5 best sellers" ranked by the
return rate. Whatever reader made the plan, the markers the question states must be
accounted for by it:

1. every number the question states is used by a call (period, comparison, limit,
   filter value, count of values listed ...);
2. an average / per-head marker needs a metric that is not an additive sum or count;
3. a rate / share / percentage marker needs a rate metric, a comparison (a % change) or a
   part-and-whole pair of calls (a share);
4. a ranking that names its criterion ("best-selling", 退得最多) ranks by it.

A marker accounted for passes silently; one that is not makes the planner ask back,
naming the words, instead of answering a different question. The marker words are the
lexicon's (reader_words guard_*, ranked_by_*; ranking_criteria).
"""

from __future__ import annotations

import json
import re
from typing import Any

from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question, names_two_periods
from copilot.offline.vocabulary import (
    blank,
    load_lexicon,
    metric_qualifiers,
    metric_synonyms,
    reader_pattern,
)
from knowledge.presentation.messages import tr
from knowledge.semantic import SemanticModel
from knowledge.time_ranges.numerals import EN_WORDS, to_int

_ADDITIVE = {"sum", "count", "count_distinct"}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万"
_EN_NUMBER_WORDS = sorted((w for w in EN_WORDS if w not in ("one", "a", "an")), key=len)


def plan_problem(
    question: Question, calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """A question back naming the words when the plan `calls` ({"name", "args"}) leaves a
    shape marker of `question` unaccounted for; None when every marker is."""
    metric_calls = [c["args"] for c in calls if c.get("name") == "query_metrics"]
    if not metric_calls or len(metric_calls) != len(calls):
        return None
    model = ctx.semantic_model
    zh = question.language == "zh"
    reading = _reading(metric_calls[0], ctx, zh)
    unused = unused_number(question, metric_calls, ctx)
    if unused:
        return tr(
            "zh" if zh else "en",
            "You said “{phrase}”, and the figure I would give does not use that number (I "
            "read the question as: {reading}), so it would answer a different question. "
            "Could you say how “{phrase}” applies, or rephrase?",
            phrase=unused,
            reading=reading,
        )
    metrics = [m for args in metric_calls for m in args.get("metrics") or ()]
    text = _markers_text(question)
    average = reader_pattern("guard_average").search(text)
    if average and metrics and all(_additive(model, m) for m in metrics):
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, an average, but I could only read a total (I read the "
            "question as: {reading}), and I won't give a total for an average. Which average "
            "do you mean (for example revenue per buyer, or average order value)?",
            phrase=average.group(0).strip(),
            reading=reading,
        )
    rate = reader_pattern("guard_rate").search(text)
    if (
        rate
        and metrics
        and not any(_rate(model, m) for m in metrics)
        and not any(
            args.get("compare_to") or names_two_periods(str(args.get("time_range") or ""))
            for args in metric_calls
        )
        and len(metric_calls) == 1
    ):
        return tr(
            "zh" if zh else "en",
            "You asked for “{phrase}”, a rate or share, but I could only read amounts or "
            "counts (I read the question as: {reading}), and I won't give a count for a rate. "
            "Which rate or share do you mean?",
            phrase=rate.group(0).strip(),
            reading=reading,
        )
    criterion = ranking_off_criterion(question, metric_calls)
    if criterion:
        return tr(
            "zh" if zh else "en",
            "You asked about “{phrase}”, which ranks by what was sold or returned, but I would "
            "rank by another figure (I read the question as: {reading}). Should I rank by "
            "units or revenue and show the figure you asked beside it?",
            phrase=criterion,
            reading=reading,
        )
    return None


def _markers_text(question: Question) -> str:
    """The question with the markers set aside blanked ("the count, not the rate")."""
    text = question.raw
    for found in reversed(list(reader_pattern("guard_set_aside").finditer(text))):
        text = text[: found.start()] + " " * (found.end() - found.start()) + text[found.end() :]
    return text


def _additive(model: SemanticModel, name: str) -> bool:
    """A metric summed or counted (revenue, orders, buyers): no average, no rate."""
    metric = model.metrics.get(name)
    if metric is None:
        return False
    return bool(metric.measures) and all(m.aggregate in _ADDITIVE for m in metric.measures)


def _rate(model: SemanticModel, name: str) -> bool:
    """A metric that is a rate or a ratio (conversion rate, ROAS, AOV)."""
    metric = model.metrics.get(name)
    return metric is not None and not _additive(model, name)


def _numbers(text: str) -> list[tuple[int, int, set[str]]]:
    """Every number the text states as (start, end, the forms a call may hold it in)."""
    found: list[tuple[int, int, set[str]]] = []
    for match in re.finditer(r"[A-Za-z]*\d+(?:[.,]\d+)*[A-Za-z]*", text):
        word = match.group(0).lower()
        forms = {word}
        for digits in re.findall(r"\d+(?:[.,]\d+)*", word):
            forms.add(digits.replace(",", ""))
            magnitude = re.search(re.escape(digits) + r"\s*([kKwW万千])", text[match.start() :])
            if magnitude and magnitude.start() == match.group(0).lower().find(digits):
                factor = {"k": 1000, "w": 10000, "万": 10000, "千": 1000}[
                    magnitude.group(1).lower()
                ]
                forms.add(str(round(float(digits.replace(",", "")) * factor)))
        if (
            re.fullmatch(r"\d\d", word)
            and re.match(r"\s*年|\b", text[match.end() :])
            and (
                text[match.end() : match.end() + 1] == "年"
                or text[max(0, match.start() - 1)] in "'’"
            )
        ):
            forms.add(f"20{word}")  # "26年", "'25": the year
        found.append((match.start(), match.end(), forms))
    measure = "|".join(f"(?:{w})" for w in _words("guard_number_measure"))
    for match in re.finditer(f"第?([{_CN_NUMERAL}]+)(?={measure})", text):
        raw = match.group(1)
        try:
            value = to_int(raw)
        except (ValueError, KeyError):
            continue
        if value <= 1 or match.group(0).startswith("第"):
            continue  # 一个/一下: no count; 第二: an ordinal
        found.append((match.start(1), match.end(1), {raw, str(value)}))
    words = "|".join(_EN_NUMBER_WORDS[::-1])
    for match in re.finditer(rf"\b(?:{words})\b", text, re.I):
        value = to_int(match.group(0).lower())
        if value > 1:
            found.append((match.start(), match.end(), {match.group(0).lower(), str(value)}))
    return sorted(found)


def _words(name: str) -> tuple[str, ...]:
    return load_lexicon().reader_words[name]


def unused_number(
    question: Question, metric_calls: list[dict[str, Any]], ctx: PlannerContext
) -> str | None:
    """The phrase around the first number `question` states that no call uses."""
    model = ctx.semantic_model
    text = question.raw
    # A number inside a metric's own name ("7-day retention"), in a phrase restating a metric
    # of the plan ("came back for a 2nd order" of the repurchase rate) or in an exempt phrase
    # is no condition.
    metrics = [m for a in metric_calls for m in a.get("metrics") or ()]
    words = [w for ws in metric_synonyms(model).values() for w in ws] + metric_qualifiers(metrics)
    text = blank(text, [w for w in words if re.search(r"\d", w)])
    text = reader_pattern("guard_number_exempt").sub(lambda m: " " * len(m.group(0)), text)
    dumped = " ".join(json.dumps(a, ensure_ascii=False, default=str).lower() for a in metric_calls)
    counts = {
        len(v)
        for args in metric_calls
        for key in ("filters", "exclude")
        for v in (args.get(key) or {}).values()
        if isinstance(v, list)
    }
    lowered = question.raw.lower()
    for dimension in {d for a in metric_calls for d in a.get("dimensions") or ()}:
        # "the two variants" by variant: every value of the breakdown, counted; "email/sms/
        # push/social 四个渠道" by channel: the values the question lists of it, counted
        stored = ctx.values.stored.get(dimension) or set()
        counts.add(len(stored) or (2 if dimension == "variant" else 0))
        counts.add(
            sum(
                1
                for value in stored
                if re.search(rf"(?<![a-z]){re.escape(value.lower())}(?![a-z])", lowered)
            )
        )
    dated = any(
        a.get("time_range") or (a.get("filters") or {}).get("campaign") for a in metric_calls
    )
    for start, end, forms in _numbers(text):
        if any(_holds(dumped, form) for form in forms):
            continue
        if dated and any(d.start() <= start and end <= d.end() for d in _DATE.finditer(text)):
            # "(11/1-11/11)", "1月27日": the days of a period the plan has, restated; a second
            # period the plan does not use is asked back by the accounting of its words.
            continue
        if any(form.isdigit() and int(form) in counts for form in forms):
            continue  # "北京、上海两地": the count of the values listed
        return _phrase_around(question.raw, start, end)
    return None


# A day written in digits: 11/1, 2026-01-27, 1.27, 1月27日, 27号.
_DATE = re.compile(
    r"(?<![\d/.])\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?(?![\d/])|\b\d{4}-\d{1,2}(?:-\d{1,2})?\b"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[日号]"
)


def _holds(dumped: str, form: str) -> bool:
    """Whether the calls' text holds `form` as a whole number or word (5 is not in 2025)."""
    if re.fullmatch(r"[\d.]+", form):
        return re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", dumped) is not None
    if re.search(r"[a-z]", form) and not re.search(r"\d", form):  # a number word
        return re.search(rf"\b{re.escape(form)}\b", dumped) is not None
    return form in dumped


def _phrase_around(raw: str, start: int, end: int) -> str:
    """The number with the words beside it: "top 500 customers", "前五个商品"."""
    if re.search(r"[\u4e00-\u9fff]", raw[max(0, start - 1) : end + 1]):
        before = re.search(r"[\u4e00-\u9fff]{0,2}$", raw[:start])
        after = re.match(r"[^，,。；;？?！!\s（(）)]{0,4}", raw[end:])
        return (
            (before.group(0) if before else "") + raw[start:end] + (after.group(0) if after else "")
        )
    before = re.search(r"(\S+\s+)?$", raw[:start])
    after = re.match(r"(\s*[^\s,;?!.]+)?", raw[end:])
    phrase = (
        (before.group(0) if before else "") + raw[start:end] + (after.group(0) if after else "")
    )
    return phrase.strip(" ,;:-")


def ranking_off_criterion(question: Question, metric_calls: list[dict[str, Any]]) -> str | None:
    """The criterion words of a ranking ("best-selling") a ranking call does not rank by."""
    criteria = load_lexicon().ranking_criteria
    for args in metric_calls:
        if not (args.get("limit") or args.get("order_by")):
            continue
        ranked_by = args.get("order_by") or next(iter(args.get("metrics") or ()), None)
        for name, allowed in criteria.items():
            found = reader_pattern(name).search(question.raw)
            if found and ranked_by not in allowed:
                return found.group(0)
    return None


def _reading(args: dict[str, Any], ctx: PlannerContext, zh: bool) -> str:
    from copilot.offline.accounting import _reading as reading

    return reading(args, ctx, zh)
