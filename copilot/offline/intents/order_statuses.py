"""Counts of orders by status: the statuses a question puts in or keeps out.

"Orders in October including the cancelled and returned ones" counts every order of the
month; "only the cancelled ones" those of one status; "excluding returns" all but one.
Valid orders (MARKETING.md) exclude the cancelled and returned ones, so each of these is a
different number from the orders metric: the reader counts exactly the statuses asked,
and lists each status's count beside the total so the answer shows what it holds.
"""

from __future__ import annotations

import re
from functools import cache

from copilot.offline.question import Question
from copilot.offline.vocabulary import reader_pattern

# MARKETING.md's valid order (the orders metric), on the orders table.
VALID = "status NOT IN ('cancelled', 'returned') AND total > 0"
# The statuses valid orders leave out, in the order a breakdown lists them.
_NOT_VALID = ("cancelled", "returned")
# A status word's orders: "cancelled orders", "退货单", "取消的订单", "orders that were
# returned", "the ones that were cancelled", "退货有几笔".
_ORDER_NOUN = re.compile(r"(?i)\borders?\b|\bpurchases\b|订单|单|笔")
_QUALIFIES_AFTER = re.compile(
    r"(?i)^\s*(?:的|了|掉)?\s*(?:(?:多少|几)\s*(?:个|张)?\s*)?(?:orders?\b|ones\b|订单|单|笔)"
)
# A status word that is a noun of orders itself ("cancellations", "撤单"): no order word needed.
_STATUS_NOUN = re.compile(r"(?i)(?:cancellations?|撤单)$")
_QUALIFIES_BEFORE = re.compile(
    r"(?i)\b(?:orders?|ones|purchases)\b[^,.;?!]{0,30}\b(?:were|was|got|been|are|is|being)\s+$"
)
# A status listed after another takes its cue ("cancelled or returned", "取消和退货").
_LIST_JOINER = re.compile(r"(?i)^\s*(?:,|/|、|or|and|&|和|或|与|及|以及|或者|跟)?\s*$")
_CLAUSE_END = re.compile(r"[.;?!。；？！]")
_COUNT = re.compile(
    r"(?i)how many|number|count|amount|value|total|sum|多少|数量|(?:单|笔)数|几|金额|总额|合计"
)
_AVERAGE = re.compile(r"(?i)\baverage\b|\bmean\b|\bavg\b|\btypical\b|平均|均值|人均|单均")
_AMOUNT = re.compile(
    r"(?i)\bamounts?\b|\bvalue\b|\brevenue\b|\bmoney\b|\bsales\b|金额|总额|多少钱|销售额"
)


@cache
def _status_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from copilot.offline.vocabulary import load_lexicon

    found = []
    for status, words in load_lexicon().order_statuses.items():
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        found.append((status, re.compile(rf"(?i)(?<![a-z])(?:{alternatives})(?![a-z])")))
    return tuple(found)


def _mentions(raw: str) -> list[tuple[int, int, str]]:
    """(start, end, status) of each status word, in text order, longest first at a place."""
    spans: list[tuple[int, int, str]] = []
    for status, pattern in _status_words():
        for match in pattern.finditer(raw):
            if not any(match.start() < e and s < match.end() for s, e, _ in spans):
                spans.append((match.start(), match.end(), status))
    return sorted(spans)


def _cue(raw: str, start: int) -> str | None:
    """ "in" or "out" when the nearest cue of the clause before `start` puts the status in
    or keeps it out ("including", "不含"), else None."""
    before = raw[max(0, start - 40) : start]
    clause = _CLAUSE_END.split(before)[-1]
    cues = [
        (match.end(), -match.start(), kind)
        for kind, name in (("out", "status_excluded"), ("in", "status_included"))
        for match in reader_pattern(name).finditer(clause)
    ]
    # the latest cue wins; of two ending together the longer ("不含" over its "含")
    best = max(cues) if cues else None
    return best[2] if best else None


def status_scope(question: Question) -> tuple[set[str], set[str], bool] | None:
    """(statuses counted in, statuses kept out, whether every status counts) a question asks
    of its orders, or None when it names no status of orders and no "regardless of status"."""
    raw = question.raw
    every = bool(reader_pattern("status_any").search(raw))
    inside: set[str] = set()
    outside: set[str] = set()
    previous: tuple[int, str | None] | None = None
    named = False
    for start, end, status in _mentions(raw):
        cue = _cue(raw, start)
        if cue is None and previous is not None and _LIST_JOINER.match(raw[previous[0] : start]):
            cue = previous[1]
        qualified = (
            cue is not None
            or _STATUS_NOUN.search(raw[start:end])
            or _QUALIFIES_AFTER.match(raw[end:])
            or _QUALIFIES_BEFORE.search(raw[max(0, start - 50) : start])
            or (previous is not None and _LIST_JOINER.match(raw[previous[0] : start]))
        )
        previous = (end, cue)
        if not qualified:
            continue
        named = True
        (outside if cue == "out" else inside).add(status)
        if cue == "in":
            inside.add("valid")
    if not (named or every):
        return None
    return inside, outside, every


def status_count_sql(question: Question, period: str, zh: bool, alias) -> dict | None:
    """run_sql counting the orders of the statuses asked (`period`: " AND order_date ..."
    or ""), with each status's count beside the total; None when the question asks no
    status of orders or no count."""
    scope = status_scope(question)
    if scope is None or not _ORDER_NOUN.search(question.raw):
        return None
    if not _COUNT.search(question.raw) or _AVERAGE.search(question.raw):
        return None  # "退货订单的平均金额": an average (a metric), not a count
    inside, outside, every = scope
    if every or (inside and "valid" in inside):
        counted = {"valid", *_NOT_VALID} if every else inside
        counted -= outside
    elif outside:
        counted = ({"valid", *_NOT_VALID} - outside) if not inside else inside - outside
    else:
        counted = set(inside)  # "cancelled orders", "退货单有几笔": that status only
    if counted == {"returned"}:
        return None  # the semantic model's returned_orders metric counts exactly these
    if counted == {"valid"}:
        where, parts = VALID, []
    else:
        conditions = [VALID] if "valid" in counted else []
        named = [s for s in _NOT_VALID if s in counted]
        if named:
            conditions.append("status IN (" + ", ".join(f"'{s}'" for s in named) + ")")
        if not conditions:
            return None
        where = "(" + " OR ".join(f"({c})" for c in conditions) + ")"
        parts = (["valid"] if "valid" in counted else []) + named
    if len(parts) <= 1:
        columns = [alias("COUNT(*)", zh, f"{parts[0]}_orders" if parts else "orders")]
    else:
        columns = [alias("COUNT(*)", zh, "orders")] + [
            alias(f"SUM(CASE WHEN {_when(p)} THEN 1 ELSE 0 END)", zh, f"{p}_orders") for p in parts
        ]
    if _AMOUNT.search(question.raw):
        columns.append(alias("SUM(total)", zh, "amount"))
    return {"sql": f"SELECT {', '.join(columns)} FROM orders WHERE {where}{period}"}


def _when(part: str) -> str:
    return VALID if part == "valid" else f"status = '{part}'"


def counted_statuses(question: Question) -> set[str] | None:
    """The statuses whose orders a question counts ("valid" for valid orders), or None when
    it names no status of orders."""
    scope = status_scope(question)
    if scope is None:
        return None
    inside, outside, every = scope
    if every or (inside and "valid" in inside):
        counted = {"valid", *_NOT_VALID} if every else inside
        return counted - outside
    if outside:
        return ({"valid", *_NOT_VALID} - outside) if not inside else inside - outside
    return set(inside)


def status_breakdown_sql(question: Question, ctx) -> dict | None:  # noqa: ANN001
    """run_sql for the orders of a status no metric counts ("cancelled orders last month by
    channel", "今年每个月取消订单数"), by the semantic model's dimensions, filters and
    period: the orders metric's own SELECT with its rows those of the status, not the
    valid orders (MARKETING.md: a cancelled order is never a valid one).

    The question is read as the same question about orders (the status words, and a "not
    returns" said beside them, taken out); None when that reading is not a plain count of
    orders with every word placed (the callers ask back or read it otherwise)."""
    from copilot.offline.accounting import metric_question_problem
    from copilot.offline.intents.metrics import read_metric_question
    from copilot.offline.intents.segment_admin import fixed_dates
    from copilot.offline.intents.sql_requests import compiled_sql
    from copilot.offline.question import read_question

    counted = counted_statuses(question)
    if not counted or "valid" in counted or counted == {"returned"}:
        return None
    raw = question.raw
    zh = question.language == "zh"
    blanked = [m.span() for m in reader_pattern("status_contrast").finditer(raw)]
    pieces, at = [], 0
    for start, end, _status in _mentions(raw):
        if start < at or any(a <= start < b for a, b in blanked):
            continue
        noun = _QUALIFIES_AFTER.match(raw[end:]) or _QUALIFIES_BEFORE.search(
            raw[max(0, start - 50) : start]
        )
        pieces += [raw[at:start], " " if noun else (" 订单 " if zh else " orders ")]
        at = end
    text = "".join([*pieces, raw[at:]])
    for contrast in reader_pattern("status_contrast").finditer(text):
        text = text.replace(contrast.group(0), " ")
    plain = read_question(text, ctx.values)
    args = read_metric_question(plain, ctx)
    if not isinstance(args, dict) or args.get("metrics") != ["orders"]:
        return None
    if set(args) - {"metrics", "dimensions", "filters", "time_range", "limit", "order_by", "sort"}:
        return None
    if metric_question_problem(plain, args, ctx):
        return None
    dated = set(re.findall(r"\d+", args.get("time_range") or ""))
    if not args.get("limit") and set(re.findall(r"\d+", text)) - dated:
        return None  # a number the reading left out ("the 10 customers with most ..."): not this
    if not args.get("dimensions") and (not args.get("time_range") or fixed_dates(raw) is not None):
        return None  # one count over a fixed period: status_count_sql writes it with its dates
    name = "_".join(sorted(counted)) + "_orders"
    where = f"orders.status in ({', '.join(sorted(counted))})"
    return compiled_sql(ctx, "orders", name, [where], args)
