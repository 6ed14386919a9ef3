"""Parts of a rule segment the question states beyond who the people are: spend (overall or
in categories), purchases of products or categories bought or never bought, channel
consent, and a name made from the definition when the request gives none.

Each reader returns a piece of define_segment's `definition` (tools/segments/rule_compiler
`RuleDefinition`); nothing here guesses a condition the words do not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from copilot.offline.clock import planner_today
from copilot.offline.numbers import EN_SMALL_NUMBERS, cn_below_wan, cn_count
from copilot.offline.question import Question, compiled_word
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import (
    comparison_alternation,
    integer_bound,
    load_lexicon,
    reader_pattern,
    reader_words,
)
from knowledge.place_names import english_aliases
from knowledge.presentation import N_, channel_name, join_list, segment_name, tr
from knowledge.time_ranges.numerals import to_int

# "3000", "2,000", "3k", "1.2m", "5千", "1.2万", "1w", "五千", "两万", "一万二" (12,000: the
# digit after the last unit counts in the next lower one, as said); a digit number that runs on
# ("3万5") is not read at all (never as its first part), so its words are asked about.
_NUMBER = (
    r"[¥$￥]?\s*(\d[\d,]*(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*"
    r"(k(?![A-Za-z])|m(?![A-Za-z])|mn\b|million\b|thousand\b|千|百万|万|w(?![A-Za-z]))?"
    r"(?![\d一二两三四五六七八九十百千万])\s*(?:元|块|yuan|rmb)?"
)


@cache
def _spend_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(at least, at most): "spent 3000+", "spent over 3000", "消费超过3000", "消费满3000元"."""
    verb = r"(?:spent|spend(?:s|ing)?|paid|消费(?:金额)?|花费|花了|累计消费|总消费|消费额)"
    # "whose lifetime spend is over 2,000": a linking verb only before a comparison.
    verb += (
        r"(?:\s+(?:is|was|are|were|totals?|totall?ing)"
        r"(?=\s+(?:over|more|above|at|under|less|below|[<>])))?"
    )
    at_least = re.compile(
        verb
        + r"\s*(?:over|more than|above|at least|>=?|超过|满|大于|高于|不低于|至少|达到|在)?\s*"
        + _NUMBER
        + r"\s*(?:\+|or more|and (?:above|up|over)|plus|以上|及以上)?",
        re.I,
    )
    at_most = re.compile(
        verb + r"\s*(?:under|less than|below|at most|<=?|不到|低于|少于|小于|不超过)\s*" + _NUMBER,
        re.I,
    )
    return at_least, at_most


def _plain(amount: float) -> str:
    """An amount as written in a segment's name: "12000", "1200000", "99.5" (never "1.2e+06")."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _amount(match: re.Match[str]) -> float:
    number = match.group(1)
    value = float(number.replace(",", "")) if number[0].isdigit() else float(cn_count(number) or 0)
    scale = {
        "k": 1000, "thousand": 1000, "千": 1000, "万": 10000, "w": 10000,
        "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "百万": 1_000_000,
    }.get((match.group(2) or "").lower(), 1)  # fmt: skip
    return round(value * scale, 6)


def spend_condition(question: Question, categories: list[str]) -> dict[str, Any] | None:
    """The spend range the question states, with its period and, for "spent 3000+ on
    electronics", its categories; None when no spend is stated.

    Shape: {"min": 3000.0, "period": "2025", "categories": ["electronics"]}.
    """
    at_least, at_most = _spend_patterns()
    raw = question.raw
    low, high = at_least.search(raw), at_most.search(raw)
    if low is None and high is None:
        return None
    condition: dict[str, Any] = {}
    if high is not None:
        condition["max"] = _amount(high)
    elif low is not None:
        condition["min"] = _amount(low)
    if question.time_range:
        condition["period"] = question.time_range
    if categories and re.search(r"(?i)\bon\b|在.{0,8}(?:上|类|品类)|买.{0,8}(?:花|消费)", raw):
        condition["categories"] = categories
    return condition


_NEVER = re.compile(
    r"(?i)\b(?:never|not|didn'?t|did not|haven'?t|have not|hasn'?t|without)\s+(?:yet\s+|ever\s+)?"
    r"(?:bought|buy|buying|purchased|ordered)\b\s*(?:any\s+|the\s+|a\s+)?$"
    # "but nothing from home", "no purchases in baby": nothing of the value bought.
    r"|\b(?:nothing|none|no\s+(?:purchases?|orders?))\s+(?:at\s+all\s+)?(?:from|in|of)\s+(?:the\s+|our\s+)?$"
    r"|(?:没(?:有)?|从没|从未|未|不曾)(?:买过?|购买过?|下单过?)\s*(?:任何)?\s*$"
    # "bought electronics but never makeup": the verb of the purchase said before is implied.
    r"|\b(?:but|and|yet)\s+(?:never|not)\s+(?:any\s+|the\s+)?$"
)


def purchase_conditions(question: Question, values: ValueIndex) -> list[dict[str, Any]]:
    """Products / categories bought, and those never bought ("bought the Stroller Lite but
    never bought Diapers"), as RuleDefinition purchases; [] when none is named.

    A value counts as never bought when a negated purchase verb ends the text just
    before it (within the same clause).
    """
    bought: dict[str, list[str]] = {"categories": [], "products": []}
    never: dict[str, list[str]] = {"categories": [], "products": []}
    raw = question.raw
    for dimension, value, (start, _end) in values.find(raw):
        if dimension not in ("product", "category"):
            continue
        before = re.split(r"[,.;，。；]", raw[max(0, start - 40) : start])[-1]
        target = never if _NEVER.search(before) else bought
        key = "products" if dimension == "product" else "categories"
        if value not in target[key]:
            target[key].append(value)
    out: list[dict[str, Any]] = []
    for condition, is_bought in ((bought, True), (never, False)):
        parts = {k: v for k, v in condition.items() if v}
        if not parts:
            continue
        if is_bought and bought_each(question, bought):
            # "bought both skincare and baby", "护肤和母婴都买过": each one bought, one
            # condition per value (a rule's conditions all hold), never any one of them.
            for key, names in parts.items():
                for name in names:
                    one: dict[str, Any] = {key: [name]}
                    if question.time_range:
                        one["period"] = question.time_range
                    out.append(one)
            continue
        if question.time_range:
            parts["period"] = question.time_range
        if not is_bought:
            parts["bought"] = False
        out.append(parts)
    return out


def bought_each(question: Question, bought: dict[str, list[str]]) -> bool:
    """Whether two or more things bought are said as each bought ("both", 都买过, 也买过)."""
    if sum(len(v) for v in bought.values()) < 2:
        return False
    return bool(reader_pattern("purchase_all_of").search(question.raw))


def buys_each_of(question: Question, values: ValueIndex) -> bool:
    """Whether the question's people bought each of two or more things ("customers who
    bought both skincare and baby"): a rule of one condition per thing, no filter of them."""
    if not reader_pattern("rule_purchase_verbs").search(question.raw):
        return False
    bought = [c for c in purchase_conditions(question, values) if c.get("bought", True)]
    return len(bought) >= 2


@dataclass(frozen=True)
class OrderCount:
    """An order-count condition the question states: `condition` is RuleDefinition's orders
    ({"min": 3} / {"max": 2}; no period), `spans` where it is written in the raw question;
    `unheld` names the words when the rule cannot hold them exactly (then no condition)."""

    condition: dict[str, int]
    spans: tuple[tuple[int, int], ...]
    unheld: str | None = None


def _count_number(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in EN_SMALL_NUMBERS:
        return EN_SMALL_NUMBERS[text]
    return cn_below_wan(text) if text else None


def order_count(raw: str) -> OrderCount | None:
    """The condition on how many valid orders a customer placed ("at least 3 orders",
    "ordered more than 5 times", "下过3次及以上订单", "超过5单", "最多2次"), else None.

    Order counts are whole numbers, so "more than N" is exactly at least N+1 and "fewer
    than N" at most N-1; two bounds of one side that disagree, or a bound below zero, are
    not held (`unheld` names them), never one of them dropped.
    """
    bounds: dict[str, list[int]] = {"min": [], "max": []}
    spans: list[tuple[int, int]] = []
    verbs = [re.compile(p, re.I) for p in reader_words("order_behaviour")]
    patterns = [(p, False) for p in reader_words("order_count")]
    patterns += [(p, True) for p in reader_words("order_count_times")]
    for pattern, needs_verb in patterns:
        for match in re.finditer(pattern, raw):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue
            if needs_verb and not any(v.search(raw[: match.start()]) for v in verbs):
                continue  # "revenue grew more than 3 times": no count of orders
            for name, text in match.groupdict().items():
                if text is None:
                    continue
                number = _count_number(text)
                if number is None:
                    continue
                kind = name.rstrip("0123456789")
                spans.append(match.span())
                if kind == "ge":
                    bounds["min"].append(number)
                elif kind == "gt":
                    bounds["min"].append(number + 1)
                elif kind == "le":
                    bounds["max"].append(number)
                else:
                    bounds["max"].append(number - 1)
                break
    if not spans:
        return None
    spans.sort()
    words = "; ".join(raw[start:end] for start, end in spans)
    condition = {key: values[0] for key, values in bounds.items() if values}
    if (
        any(len(set(values)) > 1 for values in bounds.values())
        or condition.get("max", 0) < 0
        or condition.get("min", 0) > condition.get("max", condition.get("min", 0))
    ):
        return OrderCount({}, tuple(spans), unheld=words)
    ordering = [re.compile(p) for p in reader_words("order_verbs")]
    if (
        "max" in condition
        and "min" not in condition
        and any(v.search(raw[start:end]) for v in ordering for start, end in spans)
    ):
        # "ordered fewer than 3 times": they ordered, so at least once; "customers with
        # fewer than 3 orders" counts those with none too.
        condition["min"] = 1 if condition["max"] >= 1 else 0
    return OrderCount(condition, tuple(spans))


# "but haven't ordered at all in 2026", "但2026年一单都没下", "but no orders in 2026",
# "没再买过护肤品": a purchase or order negated, in a clause of its own.
_NO_ORDER = re.compile(
    r"(?i)\b(?:no|zero|without(?:\s+an?|\s+any)?)\s+(?:more\s+|further\s+)?(?:orders?|purchases?)\b"
    r"|\b(?:haven'?t|hasn'?t|have not|has not|didn'?t|did not|not|never)\s+(?:yet\s+|ever\s+|again\s+)?"
    r"(?:ordered|order|placed (?:an|any) orders?|bought|buy|purchased|purchase)\b"
    r"|一单(?:都|也)?没(?:有)?下|(?:没有|无)(?:任何)?(?:有效的?)?订单|零(?:有效)?订单"
    r"|(?:再也没有?|没有?再?|未再?|不再|从未|从没)(?:下过?单|下单|买过?|购买过?|消费过?)"
    # "3+ orders in total but none in the last 180 days": none of those orders in a period.
    r"|\bnone\b(?=\s+(?:at\s+all\s+)?(?:in|during|within|over|for)\b)"
    # "bought in 2025 but nothing in 2026", "...but not at all / not once this year".
    r"|\b(?:nothing|not\s+(?:at\s+all|once|a\s+single\s+(?:one|order|time)))"
    r"(?=\s+(?:at\s+all\s+)?(?:in|during|within|over|for|this|last|so\s+far)\b)"
)
# "半年没下单", "三个月内没买过", "6 months without an order", "haven't ordered for 90 days":
# a bare duration beside a negated order is a recency condition, the last N of the period.
_ZH_SPAN = r"(?:半年|(?:\d+|[一二两三四五六七八九十]+)\s*(?:个)?(?:月|天|周|星期|年))"
_ZH_RECENCY = re.compile(
    r"(?<![近去内\d一二两三四五六七八九十])(?:超过|已经|已|有)?("
    + _ZH_SPAN
    + r")(?:以上|多|之?内|以内)?(?:了|都|一直|还)*"
    r"(?=(?:都|一直|还)?(?:没有?|未|不曾|从未)(?:再)?(?:下过?单|下单|买过?|购买过?|消费过?|(?:有效的?)?订单))"
)
_EN_SPAN = (
    r"(?:half\s+a\s+year|a\s+year|(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve)(?:\+|\s+or\s+more|\s+plus)?\s*(?:months?|days?|weeks?|years?))"
    # "60+ days", "90 or more days": at least that span, no order in the last of it.
    r"(?:\s+or\s+(?:more|longer)|\s*\+)?"
)
_EN_NEGATED_ORDER = (
    r"(?:haven'?t|hasn'?t|have not|has not|didn'?t|did not|not|never|no)\s+(?:\w+\s+){0,2}?"
    r"(?:ordered|bought|purchased|orders?|purchases?)"
)
_EN_RECENCY = re.compile(
    r"(?i)(?<=" + r"\s)(?:for|in|over)\s+(?:(?:over|more than|at least)\s+)?(" + _EN_SPAN + r")\b"
    # "have gone 90 days without an order": the verb of the span is part of the recency.
    r"|\b(?:(?:(?:have|has|had)\s+)?(?:gone|went|been)\s+)?(?:(?:over|more than|at least)\s+)?"
    r"(" + _EN_SPAN + r")(?=\s+(?:without|with no)\s)"
)


def recency_written_out(raw: str) -> str:
    """The question with a bare duration of a negated order written as the last N: "半年没下单"
    -> "近半年没下单", "haven't ordered for six months" -> "haven't ordered in the last six
    months", "6 months without an order" -> "in the last 6 months without an order"."""
    raw = _ZH_RECENCY.sub(lambda m: "近" + m.group(1), raw)
    negated = re.search(
        r"(?i)" + _EN_NEGATED_ORDER + r"|\bwithout\s+(?:an?\s+|any\s+)?"
        r"(?:orders?|ordering|buying|purchas\w*)",
        raw,
    )
    if negated is None:
        return raw

    def last(match: re.Match[str]) -> str:
        span = (match.group(1) or match.group(2)).lower()
        span = re.sub(r"\s*(?:\+|\bor\s+(?:more|longer)|\bplus)\s*", " ", span).strip()
        span = {"half a year": "6 months", "a year": "12 months"}.get(
            re.sub(r"\s+", " ", span), span
        )
        span = re.sub(r"^an?\s+(?=months?|weeks?|days?)", "1 ", span)
        span = re.sub(r"^(?:1|one|an?)\s+year$", "12 months", span)
        return f"in the last {span}"

    return _EN_RECENCY.sub(last, raw)


# A purchase or an order said in the clause before a negated one ("ordered in 2025 but ...").
_PURCHASE_VERB = re.compile(
    r"(?i)\b(?:bought|buy|buying|purchased?|ordered|orders?|placed)\b|买|购|下(?:过)?单|消费"
)
_CLAUSE_CUT = re.compile(r"(?i)\b(?:but|yet|while|and)\b|但(?:是)?|却|可是|而|[,，;；、]")
_OF_IT = re.compile(r"(?i)\b(?:it|them|that|those|again)\b|再(?:买|购买)|该品类|这类|同类")
_AT_ALL = re.compile(r"(?i)\bat all\b|\banything\b|\bany orders?\b|一单|任何")
_SINCE = re.compile(r"(?i)\bsince\b|以来|之后|以后|自从")


def _negated_clause_cut(raw: str, cuts: list[re.Match[str]], negation: int) -> re.Match[str] | None:
    """The cut that starts the negated order's clause: the last one before the negation,
    or an earlier one when the period stands before a word like 却 ("今年却一单没下": the
    period is the negated clause's), never past a purchase said before the negation."""
    if not cuts:
        return None
    for cut in reversed(cuts):
        if _PURCHASE_VERB.search(raw[cut.end() : negation]):
            break
        if _period_of(raw[cut.end() :]) is not None:
            return cut
    return cuts[-1]


def order_gap(question: Question, values: ValueIndex) -> dict[str, Any] | None:
    """A purchase in one period and no order (or none of it) in another: "bought baby products
    in 2025 but haven't ordered at all in 2026" -> purchases [{categories [baby], period 2025}]
    and orders {max 0, period 2026}; "...没再买过护肤品" / "haven't bought it again" -> a
    purchase of those items in the second period with bought False.

    None unless a negated order stands in a clause of its own after the purchase clause and
    that clause names its own period; a first clause that buys nothing named but names a
    period ("ordered in 2025 but not in 2026") is any order in it; {"unheld": ...} when it
    names neither (one order count cannot hold two periods).
    """
    raw = question.raw
    negation = _NO_ORDER.search(raw)
    if negation is None:
        return None
    cuts = [m for m in _CLAUSE_CUT.finditer(raw, 0, negation.start())]
    cut = _negated_clause_cut(raw, cuts, negation.start())
    if cut is None:
        return None
    first, second = raw[: cut.start()], raw[cut.end() :]
    if _SINCE.search(second):
        return None  # "no order since Double 11": no_order_since
    period_b = _period_of(second)
    if period_b is None:
        return None
    period_a = _period_of(first)
    if period_a == period_b:
        return None
    bought = _items(first, values)
    if not bought and not _PURCHASE_VERB.search(first):
        # "上海的男性，最近90天没买过": nothing bought before the negation, so no gap between
        # two periods; the negated order alone is a recency condition (no_orders_in).
        return None
    if not bought and period_a is None:
        return {"unheld": second.strip()}
    # "ordered in 2025 but not in 2026": any order in the first period is a purchase of it.
    purchase: dict[str, Any] = dict(bought)
    if period_a:
        purchase["period"] = period_a
    named_after = _items(second, values)
    if named_after or (_OF_IT.search(second) and not _AT_ALL.search(second)):
        negated = {**(named_after or bought), "period": period_b, "bought": False}
        return {"purchases": [purchase, negated], "span": negation.span()}
    return {
        "purchases": [purchase],
        "orders": {"max": 0, "period": period_b},
        "span": negation.span(),  # where the negated order is said
    }


_WHO = re.compile(r"(?i)\b(?:who|that|which)\b|的(?=[^的]*没)")


def count_then_recency(question: Question) -> dict[str, Any] | None:
    """An order count and, in a clause after it, no order in a recent period: "3+ orders in
    total but none in the last 180 days", "累计下单3次以上，但最近180天没买过" -> orders
    {"min": 3} (over the count's own period, all time when it names none) and
    last_order_before "last 180 days" (has ordered, none since that period began).

    None unless the count is held and the negated order, after it, names its own period.
    """
    counted = order_count(question.raw)
    if counted is None or counted.unheld is not None or not counted.condition.get("min"):
        return None
    raw = question.raw
    count_end = max(end for _start, end in counted.spans)
    negation = _NO_ORDER.search(raw, count_end)
    if negation is None:
        return _recency_then_count(raw, counted)
    if _SINCE.search(raw[count_end:]):
        return None
    cuts = list(_CLAUSE_CUT.finditer(raw, count_end, negation.start()))
    cuts += list(_WHO.finditer(raw, count_end, negation.start()))
    cuts.sort(key=lambda m: m.start())
    cut = _negated_clause_cut(raw, cuts, negation.start())
    if cut is None:
        return None
    return _count_and_recency(counted, raw[: cut.start()], raw[cut.end() :])


def _recency_then_count(raw: str, counted: Any) -> dict[str, Any] | None:
    """The same two conditions the other way round: "no order in the last 180 days and at
    least 2 orders", "最近180天没买过、累计下单2次以上": the negated clause, cut from the
    count's, names the recent period; None unless both clauses stand apart."""
    count_start = min(start for start, _end in counted.spans)
    negation = _NO_ORDER.search(raw[:count_start])
    if negation is None or _SINCE.search(raw[:count_start]):
        return None
    cuts = list(_CLAUSE_CUT.finditer(raw, negation.end(), count_start))
    if not cuts:
        return None
    return _count_and_recency(counted, raw[cuts[-1].end() :], raw[: cuts[-1].start()])


def _count_and_recency(
    counted: Any, count_clause: str, recency_clause: str
) -> dict[str, Any] | None:
    """The order count (over its clause's period, if it names one) and the last order before
    the recency clause's period; None when that clause names no period."""
    period = _period_of(recency_clause)
    if period is None:
        return None
    orders: dict[str, Any] = dict(counted.condition)
    count_period = _period_of(count_clause)
    if count_period is not None:
        orders["period"] = count_period
    return {"orders": orders, "last_order_before": period}


def spend_period_before(raw: str) -> str | None:
    """The period of the clause before a negated order ("spent over 2,000 this year but
    haven't ordered since August" -> "this year"; "累计消费超过五千但六月以后没再下单" -> None:
    all time)."""
    negation = re.search(r"(?i)\bnothing\b", raw) or _NO_ORDER.search(raw)
    if negation is None:
        return None
    cuts = list(_CLAUSE_CUT.finditer(raw, 0, negation.start()))
    first = raw[: cuts[-1].start()] if cuts else raw[: negation.start()]
    return _period_of(first)


def no_orders_in(question: Question) -> dict[str, Any] | None:
    """No order at all in the question's period, said with no purchase beside it ("customers
    who haven't ordered in the last 180 days", "过去半年没下过单的客户"): orders {max 0, period};
    None without a negated order or a period, or when the period is a "since" (no_order_since).
    """
    if question.time_range is None or _SINCE.search(question.raw):
        return None
    negation = _NO_ORDER.search(question.raw)
    if negation is None:
        return None
    cuts = list(_CLAUSE_CUT.finditer(question.raw, 0, negation.start()))
    if not cuts:
        return {"max": 0, "period": question.time_range}
    # "1,000+ spent in twelve months, yet no purchase for 60 days": the negated clause's
    # own period, never the spend's; a negated clause with none holds no period read here.
    period = _period_of(question.raw[cuts[-1].end() :])
    return {"max": 0, "period": period} if period else None


def no_order_spans(text: str) -> list[re.Match[str]]:
    """The negated orders of `text` ("haven't ordered", "没再买", "no purchases")."""
    return list(_NO_ORDER.finditer(text))


def negated_order(question: Question) -> bool:
    """Whether the question negates an order ("haven't ordered", "没下单")."""
    return _NO_ORDER.search(question.raw) is not None


def went_quiet_in(question: Question) -> dict[str, Any] | None:
    """Customers who went quiet over the question's period ("went quiet in the last 60 days",
    "stopped buying this quarter"): they ordered before and none since the period began
    (last_order_before). None without those words or a period, or with a "since" (no order
    after a date: no_order_since)."""
    if question.time_range is None or _SINCE.search(question.raw):
        return None
    if not reader_pattern("went_quiet").search(question.raw):
        return None
    return {"last_order_before": question.time_range}


def _period_of(text: str) -> str | None:

    from copilot.offline.question import clean_period_phrase
    from knowledge.time_ranges import find_period

    period = find_period(text, planner_today())
    return clean_period_phrase(period.phrase(text)) if period else None


def _items(text: str, values: ValueIndex) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for dimension, value, _span in values.find(text):
        if dimension in ("product", "category"):
            key = "products" if dimension == "product" else "categories"
            if value not in found.get(key, []):
                found.setdefault(key, []).append(value)
    return found


def consents(question: Question, channel: str | None) -> list[str]:
    """The channel the customers must have consented to ("同意邮件", "opted in to SMS")."""
    if channel is None or channel not in ("email", "sms", "push", "social"):
        return []
    return [channel] if reader_pattern("consent").search(question.raw) else []


def refused_consents(raw: str) -> tuple[list[str], list[str]]:
    """The channels the customers must NOT have consented to ("不同意邮件", "no email consent",
    "opted out of push"), and, when there are any, the channels the rest of the text names
    beside a consent word (the consents given: "同意短信 但 不同意邮件")."""
    refused: list[str] = []
    rest = raw
    for found in reader_pattern("consent_refused").finditer(raw):
        said = found.group(0).lower()
        for channel in load_lexicon().marketing_channels:
            words = [*_channel_words(channel), channel, *(["text"] if channel == "sms" else [])]
            if channel not in refused and any(w.lower() in said for w in words):
                refused.append(channel)
        rest = rest[: found.start()] + " " * (found.end() - found.start()) + rest[found.end() :]
    if not refused or not reader_pattern("consent").search(rest):
        return refused, []
    lowered = rest.lower()
    given = [
        c
        for c in load_lexicon().marketing_channels
        if c not in refused and any(_names(lowered, w) for w in _channel_words(c))
    ]
    return refused, given


def consented_channels(question: Question, channel: str | None) -> list[str] | None:
    """Every channel a count's customers must have consented to: all the marketing channels
    ("所有渠道都授权", "opted in on every channel"), each channel named beside a consent
    word ("email and SMS both allowed"), or the one channel `consents` finds. None when the
    channels are alternatives ("email or SMS"): consent to any one is another count."""
    raw = question.raw
    if not reader_pattern("consent").search(raw):
        return []
    channels = list(load_lexicon().marketing_channels)
    if reader_pattern("every_channel").search(raw):
        return channels
    lowered = raw.lower()
    named = [c for c in channels if any(_names(lowered, w) for w in _channel_words(c))]
    if len(named) < 2:
        return consents(question, channel)
    return None if reader_pattern("either_channel").search(raw) else named


def _channel_words(channel: str) -> list[str]:
    return load_lexicon().marketing_channels.get(channel, [])


def _names(text: str, word: str) -> bool:
    return compiled_word(re.escape(word.lower())).search(text) is not None


def customer_languages(raw: str) -> list[str]:
    """The language codes the customers' own language setting must have ("whose language is
    English", "语言设置是中文"): lexicon reader_words customer_language_<code>."""
    return [c for c in ("en", "zh") if reader_pattern(f"customer_language_{c}").search(raw)]


def churn_probability_bound(raw: str) -> tuple[float, tuple[int, int]] | None:
    """The lower bound on the predicted churn probability a question states ("churn risk
    over 70%" -> 0.7, "流失概率高于0.6" -> 0.6) and where it is written, else None."""
    for pattern in reader_words("churn_probability_bound"):
        match = re.search(pattern, raw, re.I)
        if match is None:
            continue
        text = match.group("value").replace(" ", "")
        if "成" in text:  # "六成" = 0.6, "六成五" = 0.65, "六成半" = 0.65
            tenths, _, rest = text.partition("成")
            value = to_int(tenths) / 10 + (
                0.05 if rest == "半" else to_int(rest) / 100 if rest else 0
            )
        elif text.startswith("百分之"):
            value = to_int(text[3:]) / 100
        else:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        if 0 <= value <= 1:
            return value, match.span()
    return None


def generated_name(definition: dict[str, Any], language: str) -> str:
    """A short name made from the definition, for a request that gives none ("买过扫地机器人的
    人 存成一个分群" -> "买过Robot Vacuum"); at most 60 characters."""
    parts: list[str] = []
    genders = definition.get("genders") or []
    if genders:
        parts.append(tr(language, "Women") if genders == ["F"] else tr(language, "Men"))
    if "min_age" in definition and "max_age" in definition:
        low, high = definition["min_age"], definition["max_age"]
        parts.append(tr(language, "{low}-{high}", low=low, high=high))
    elif "max_age" in definition:
        parts.append(tr(language, "{age} or under", age=definition["max_age"]))
    elif "min_age" in definition:
        parts.append(tr(language, "{age}+", age=definition["min_age"]))
    if "min_birth_year" in definition or "max_birth_year" in definition:
        low, high = definition.get("min_birth_year"), definition.get("max_birth_year")
        if low is not None and high is not None:
            parts.append(tr(language, "born {low}-{high}", low=low, high=high))
        elif low is not None:
            parts.append(tr(language, "born {year} or later", year=low))
        else:
            parts.append(tr(language, "born {year} or earlier", year=high))
    places = definition.get("cities", []) + definition.get("provinces", [])
    parts += [_place(p, language) for p in places]
    for code in definition.get("languages", []):
        speakers = _SPEAKERS.get(code)
        parts.append(tr(language, speakers) if speakers else code)
    signed_up = "/".join(definition.get("signup_channels", []))
    if signed_up:
        parts.append(tr(language, "signed up via {value}", value=signed_up))
    for channel in definition.get("consents", []):
        consent = _CONSENTS.get(channel)
        parts.append(
            tr(language, consent) if consent else tr(language, "{channel} consent", channel=channel)
        )
    for channel in definition.get("no_consents", []):
        parts.append(tr(language, "no {channel} consent", channel=channel_name(channel, language)))
    for purchase in definition.get("purchases", []):
        categories = [_category(c, language) for c in purchase.get("categories", [])]
        items = "/".join(purchase.get("products", []) + categories)
        via = "/".join(purchase.get("channels", []))
        if via:
            parts.append(tr(language, "ordered via {channels}", channels=via))
        if via and not items:
            continue
        if not items and purchase.get("period"):  # any order in the period
            parts.append(
                tr(language, "ordered {period}", period=purchase["period"])
                if purchase.get("bought", True)
                else tr(language, "no order {period}", period=purchase["period"])
            )
            continue
        if purchase.get("bought", True):
            parts.append(tr(language, "bought {items}", items=items))
        elif purchase.get("period"):
            parts.append(
                tr(language, "no {items} {period}", items=items, period=purchase["period"])
            )
        else:
            parts.append(tr(language, "never bought {items}", items=items))
    spend = definition.get("spend")
    if spend:
        bound = f"{_plain(spend['min'])}+" if "min" in spend else f"<={_plain(spend['max'])}"
        on = "/".join(_category(c, language) for c in spend.get("categories", []))
        parts.append(
            tr(language, "spent {bound} on {on}", bound=bound, on=on)
            if on
            else tr(language, "spent {bound}", bound=bound)
        )
    orders = definition.get("orders")
    if orders and orders.get("max") and orders.get("min") == orders["max"]:
        parts.append(tr(language, "{count} orders", count=orders["max"]))
    elif orders and orders.get("max") and "min" in orders:
        parts.append(tr(language, "{low}-{high} orders", low=orders["min"], high=orders["max"]))
    elif orders and "min" in orders:
        parts.append(tr(language, "{count}+ orders", count=orders["min"]))
    elif orders and orders.get("max"):
        parts.append(tr(language, "at most {count} orders", count=orders["max"]))
    elif orders and orders.get("max") == 0 and orders.get("period"):
        parts.append(tr(language, "no orders {period}", period=orders["period"]))
    if definition.get("last_order_before"):
        parts.append(tr(language, "no orders {period}", period=definition["last_order_before"]))
    for rfm in definition.get("rfm_segments", []):
        parts.append(segment_name(rfm, language))
    if definition.get("min_churn_probability") is not None:
        parts.append(
            tr(language, "churn {bound}+", bound=f"{definition['min_churn_probability']:g}")
        )
    # English names are words apart; Chinese ones run together, a Latin word keeping a space.
    name = (
        "".join(f"{p} " if p.isascii() else p for p in parts)
        if language == "zh"
        else " ".join(parts)
    )
    return (name.strip() or tr(language, "New segment"))[:60].strip()


# The customers' language codes and consent channels as a generated name writes them.
_SPEAKERS = {"en": N_("English-speaking"), "zh": N_("Chinese-speaking")}
_CONSENTS = {
    "email": N_("email consent"),
    "sms": N_("sms consent"),
    "push": N_("push consent"),
    "social": N_("social consent"),
}


def _place(value: str, language: str) -> str:
    """A stored place (Chinese, "上海") as a name in the answer's language ("Shanghai")."""
    if language != "en":
        return value
    english = english_aliases(value)
    return english[0] if english else value


def _category(key: str, language: str) -> str:
    """A stored category key ("skincare") as a name in the answer's language: in Chinese,
    the lexicon's first Chinese word for it ("护肤品"); the key where it has none."""
    if language == "en":
        return key
    from copilot.offline.vocabulary import load_lexicon

    words = load_lexicon().categories.get(key, [])
    return next((w for w in words if not w.isascii()), key)


_SEGMENT_PHRASE_EN = re.compile(
    r"(?i)\b(?:the|our|my|a)\s+([a-z0-9][\w'&+ -]{1,40}?)\s+(?:segment|audience|group)\b"
)
_SEGMENT_PHRASE_ZH = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?)(?:这个|那个)?(?:分群|人群包?|客群)"
)
# A segment name written as one identifier: words joined by underscores ("gz_tech_guys").
_IDENTIFIER_NAME = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)(?![A-Za-z0-9_])")
_GENERIC = re.compile(
    r"(?i)^(?:this|that|each|every|all|any|one|new|rfm|saved|custom|whole|entire|same|other|"
    r"这个|那个|每个|所有|各个|一个|新|已保存的?|自定义的?)$"
)


def unknown_segment(question: Question, values: ValueIndex) -> str | None:
    """A question back for a segment named that the store does not hold ("profile the VIP
    members segment"): it names the words and lists the RFM and saved segment names.
    None when the question names no segment by a phrase of its own."""
    from tools.segments.rfm import SEGMENT_RULES

    match = (
        # "export sh_app_gals for email": a name written as one identifier is the
        # segment asked about, whatever segment word stands elsewhere
        _IDENTIFIER_NAME.search(question.raw)
        or _SEGMENT_PHRASE_EN.search(question.raw)
        or _SEGMENT_PHRASE_ZH.search(question.raw)
    )
    if match is None:
        return None
    phrase = re.sub(
        r"^(?:给|把|对|请|帮|我|看看|看一下|看|分析|导出|描述|介绍|画像|一下)+",
        "",
        match.group(1).strip(),
    )
    if not phrase or _GENERIC.match(phrase):
        return None
    if any(compiled_word(p).search(phrase.lower()) for p in reader_words("personas")):
        return None  # "做个用户画像分群": a clustering into personas, named by what it is
    language = question.language
    listing = tr(language, ", ").join(segment_name(r.name, language) for r in SEGMENT_RULES)
    saved = sorted({v for d, v in values.entries.values() if d == "segment"})
    if saved:
        listing += tr(language, "; saved segments: {names}", names=tr(language, ", ").join(saved))
    return tr(
        language,
        "There is no segment called “{phrase}”. The RFM segments are: {segments}. Which one "
        "do you mean?",
        phrase=phrase,
        segments=listing,
    )


def described_group(question: Question) -> str | None:
    """A question back for a group of customers described by a clause ("customers who tend to
    buy at night", "晚上下单的顾客") when no segment was read: the audience tools take a
    segment, and answering for all customers would drop the description. None otherwise."""
    # Each pattern on its own: they share the `clause` group name.
    matches = (re.search(p, question.raw, re.I) for p in reader_words("described_group"))
    # "打开的人最多" (when the most people open): the count maximised, not a group described.
    outcome = reader_pattern("group_as_outcome")
    match = next((m for m in matches if m and not outcome.match(question.raw[m.end() :])), None)
    if match is None:
        return None
    clause = match.group("clause").strip()
    if not clause:
        return None
    return tr(
        question.language,
        "I can't limit this to customers described as “{clause}”: it needs a segment, and "
        "answering for all customers would be a different answer. Name an RFM or saved "
        "segment, or define one first (e.g. “create a segment of customers who …”).",
        clause=clause,
    )


# "born after 1995", "1995年以后出生", "出生于1990年之前", "born 1995 or later", "90后" / "95后",
# "born in the 1980s" / "1980年代出生" (the decade's ten years):
# the birth year bounds (RuleDefinition min_birth_year / max_birth_year; the store keeps the
# birth year only). Whether the year itself is in is the lexicon's comparison_words.
@cache
def _born_rule() -> re.Pattern[str]:
    before, after = comparison_alternation("before"), comparison_alternation("after")
    year = r"(?:19|20)\d\d"
    to = r"\s*(?:-|–|—|~|～|to|and|through|thru|until|到|至)\s*"
    return re.compile(
        # a range of birth years, both ends in ("born 1995-2000", "born between 1995 and 2000",
        # "1995到2000年出生", "出生在1995至2000年之间"): checked first, so one end is never read alone
        rf"(?i)\bborn\s+(?:between\s+|from\s+|in\s+)?(?P<r1>{year}){to}(?P<r2>{year})\b"
        rf"|(?P<r3>{year})\s*年?{to}(?P<r4>{year})\s*年?\s*(?:之间)?(?:的)?(?:出生|生人|生)"
        rf"|出生(?:年份|年)?(?:在|于|是)?\s*(?P<r5>{year})\s*年?{to}(?P<r6>{year})\s*年?"
        rf"|\bborn\s+(?:in\s+)?(?:the\s+)?(?P<dec>(?:19|20)\d0)['’]?s\b"
        rf"|(?P<dec2>(?:19|20)\d0)\s*年代(?:出生|生人)|出生(?:于|在)?\s*(?P<dec3>(?:19|20)\d0)\s*年代"
        rf"|\bborn\s+(?:(?P<en>{before}|in)\s+)(?P<y1>{year})\b"
        rf"|\bborn\s+(?:in\s+)?(?P<y4>{year})\s*(?P<en4>{after})"
        rf"|出生(?:年份|年)?(?:在|于|是)?\s*(?P<y2>{year})\s*年?\s*(?P<zh2>{after})?"
        rf"|(?P<y3>{year})\s*年?\s*(?P<zh3>{after})?(?:的)?出生"
        r"|(?<![\d年月.])(?P<gen>[05-9][05])后(?![天日周月年个])"
        # "90s borns", "1990s-born shoppers": the decade said before the word born.
        r"|(?<![\w.])(?P<dec4>(?:19|20)?[0-9]0)['’]?s[\s-]*borns?\b"
    )


def birth_condition(raw: str) -> tuple[dict[str, int], tuple[int, int]] | None:
    """The birth-year bounds a question states and where: "born after 1995" -> min 1996,
    "1992年以后出生" -> min 1992 (the lexicon's comparison_words), "90后" -> 1990-1999,
    "95后" -> 1995-1999; None when it states none."""
    match = _born_rule().search(raw)
    if match is None:
        return None
    for low, high in (("r1", "r2"), ("r3", "r4"), ("r5", "r6")):
        if match.group(low):
            first, last = sorted((int(match.group(low)), int(match.group(high))))
            return {"min_birth_year": first, "max_birth_year": last}, match.span()
    decade = match.group("dec") or match.group("dec2") or match.group("dec3")
    short = match.group("dec4")
    if short:  # "90s borns": two digits are the century's before 2000 from 50 on
        decade = (
            short if len(short) == 4 else str((1900 if int(short) >= 50 else 2000) + int(short))
        )
    if decade:
        # "born in the 1990s", "1990年代出生": the ten birth years of the decade.
        return {"min_birth_year": int(decade), "max_birth_year": int(decade) + 9}, match.span()
    if match.group("gen"):
        two = int(match.group("gen"))
        start = (1900 if two >= 50 else 2000) + two
        return {"min_birth_year": start, "max_birth_year": start - start % 10 + 9}, match.span()
    year = int(next(match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)))
    before = match.group("en")
    after = match.group("en4") or match.group("zh2") or match.group("zh3")
    bound = (
        integer_bound(before, "before", year)
        if before and before.lower() != "in"
        else integer_bound(after, "after", year)
        if after
        else None
    )
    if bound is None:
        return {"min_birth_year": year, "max_birth_year": year}, match.span()
    return {f"{side}_birth_year": value for side, value in bound.items()}, match.span()


# "under 25", "over 30 years old", "25 or under", "25岁以下", "30岁以上", "不到25岁": one age
# bound, whether the age itself is in by the lexicon's comparison_words (a comma or stop
# after the number ends the clause, "men over 40, how many"; "over 3,000" is no age). A bare "under 25"
# counts as an age only beside the people it describes ("women under 25") or with a word of
# age ("aged", "years old"); "spent over 5,000" is no age.
_AGE_WHO = (
    r"(?P<who>\b(?:women|woman|men|man|females?|males?|ladies|gentlemen|customers?|people|"
    r"shoppers?|buyers?|users?|members?|clients?|anyone|those|aged?|ages?)\s+)"
)
_UNIT = r"(?P<unit>\s*(?:years?(?:\s+old)?|y/?o|yrs?)\b)?"


@cache
def _age_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    before, after = comparison_alternation("before"), comparison_alternation("after")
    return (
        re.compile(
            rf"(?i)(?:{_AGE_WHO}|\b)(?P<op>{before})\s+(?P<n>\d{{1,2}})(?!\d|[,.]\d|%){_UNIT}"
        ),
        re.compile(rf"(?i){_AGE_WHO}(?P<n>\d{{1,2}})(?!\d|[,.]\d|%){_UNIT}\s*(?P<op>{after})"),
        re.compile(
            rf"(?P<n>\d{{1,2}})\s*(?:周)?岁\s*(?P<op>{after})"
            rf"|(?P<op2>{before})\s*(?P<n2>\d{{1,2}})\s*(?:周)?岁"
        ),
    )


def age_bound(raw: str) -> tuple[dict[str, int], tuple[int, int]] | None:
    """One age bound a question states ("women under 25" -> max_age 24, "25岁以下" -> max 25,
    "over 30 years old" -> min 31, "women 25 or under" -> max 25) and where, else None."""
    before_en, after_en, zh = _age_patterns()
    for pattern, position in ((before_en, "before"), (after_en, "after")):
        for match in pattern.finditer(raw):
            if position == "before" and not (match.group("who") or match.group("unit")):
                continue
            bound = integer_bound(match.group("op"), position, int(match.group("n")))
            if bound is not None:
                start = match.start("op") if position == "before" else match.start("n")
                return {f"{k}_age": v for k, v in bound.items()}, (start, match.end())
    match = zh.search(raw)
    if match is None:
        return None
    if match.group("op"):
        bound = integer_bound(match.group("op"), "after", int(match.group("n")))
    else:
        bound = integer_bound(match.group("op2"), "before", int(match.group("n2")))
    if bound is None:
        return None
    return {f"{k}_age": v for k, v in bound.items()}, match.span()


# An amount of spend ("spend is 3000", "消费3000") that a rule must place or ask about (the
# words of an age or a birth are the lexicon's rule_age_words).
_SPEND_WORDS = re.compile(
    r"(?i)\b(?:spend(?:s|ing)?|spent|paid|lifetime value|ltv)\b[^,.;?!，。；？！]{0,30}?"
    r"[¥$￥]?\s*\d[\d,]*(?:\.\d+)?\s*(?:k\b|元|块|yuan|rmb)?"
    r"|(?:消费|花费|花了|花)[^，。；？！,;?!]{0,12}?(?:\d[\d,.]*|[一二两三四五六七八九十百千万]{2,})"
    r"\s*(?:千|万)?\s*(?:元|块)?"
)


def unplaced_conditions(
    raw: str, definition: dict[str, Any], category_words: list[str]
) -> list[str]:
    """The words of conditions the rule did not place: an age or birth condition with no age
    or birth year in the definition, an amount of spend with no spend, an order count the
    rule's order condition does not hold, a category named that
    no purchase or spend holds. A rule saved without them would be a different segment."""
    words: list[str] = []
    ages = ("min_age", "max_age", "min_birth_year", "max_birth_year")
    if not any(k in definition for k in ages):
        words += [m.group(0).strip() for m in reader_pattern("rule_age_words").finditer(raw)][:1]
        born = _born_rule().search(raw)
        if born:
            words = [born.group(0).strip()]
    if "spend" not in definition:
        words += [m.group(0).strip() for m in _SPEND_WORDS.finditer(raw)][:1]
    counted = order_count(raw)
    held = definition.get("orders") or {}
    if (
        counted is not None
        and counted.unheld is None
        and any(held.get(k) != v for k, v in counted.condition.items())
    ):
        # "3+ orders but none since June": the count beside the recency is a condition too.
        words += [raw[a:b].strip() for a, b in counted.spans][:1]
    placed = {
        c
        for p in [*definition.get("purchases", []), definition.get("spend") or {}]
        for c in p.get("categories", [])
    }
    words += [w for key, w in category_words if key not in placed]
    return list(dict.fromkeys(words))


def stated_rule_conditions(raw: str) -> list[str]:
    """The words of the customer conditions a question states (an order count, an amount
    spent, no order in a span), in order: what a reading that keeps no condition would drop."""
    found: list[tuple[int, str]] = []
    counted = order_count(raw)
    if counted is not None:
        found += [(start, raw[start:end]) for start, end in counted.spans]
    found += [(m.start(), m.group(0)) for m in _SPEND_WORDS.finditer(raw)]
    written = recency_written_out(raw)
    found += [(m.start(), m.group(0)) for m in _NO_ORDER.finditer(written)]
    found += [(m.start(), m.group(0)) for m in _ZH_RECENCY.finditer(raw)]
    return [word.strip() for _start, word in sorted(found)]


def unplaced_question(words: list[str], language: str) -> str:
    """A question back naming a rule's conditions it could not place."""
    return tr(
        language,
        "I could not read {words} as a condition of the segment, and I won't save a segment "
        "without it. Please restate it, e.g. an age range (“aged 25-35”), a spend with a "
        "comparison (“spent over 3000”), or a purchase (“bought electronics this year”).",
        words=join_list([tr(language, "“{word}”", word=w) for w in words], language),
    )
