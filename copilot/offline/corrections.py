"""A question corrected by its own writer ("revenue in March, scratch that, April", "上个月的
销售额，哦不对，上上个月"): the correction replaces what it restates, and only the corrected
question is read (lexicon reader_words self_correction)."""

from __future__ import annotations

import re

from copilot.offline.clock import planner_today
from copilot.offline.question import named_by
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import blank, dimension_synonyms, metric_synonyms, reader_words
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import find_period

# A correction marker followed by a refusal ("X I mean, not Y") restates nothing.
_REFUSING = re.compile(r"[\s,，]*(?:not\b|rather\s+than\b|instead\s+of\b|不是|而不是)", re.I)


# The reading a correction turns down, said last with no word of its own ("..., not this
# one", "rather than that one", "，不是这个").
_TURNED_DOWN = re.compile(
    r"[\s,，;；]*(?:\b(?:not|rather\s+than|instead\s+of)\s+(?:this|that|the\s+current|the\s+other)"
    r"(?:\s+one)?|不是(?:这个|那个|今年的?|这次的?))[\s.。!！]*$",
    re.I,
)


def self_corrected(raw: str, values: ValueIndex, model: SemanticModel) -> str:
    """The question as corrected: the words after the last correction marker, with what of
    the words before it they do not restate (a period, the metrics, the breakdowns, a dimension's values:
    each is replaced when the correction says one). The question unchanged without a marker
    or with nothing after it."""
    cut = None
    for pattern in reader_words("self_correction"):
        for found in re.finditer(pattern, raw, flags=re.IGNORECASE):
            if found.group(0).strip() and (cut is None or found.start() > cut.start()):
                cut = found
    if cut is None:
        return raw
    before, after = raw[: cut.start()], raw[cut.end() :]
    markers_only = before
    for pattern in reader_words("self_correction"):
        markers_only = re.sub(pattern, " ", markers_only, flags=re.IGNORECASE)
    if not re.search(r"\w", markers_only) and re.search(r"\w", after):
        # "sorry, I meant the Q3 of last year, not this one" after a figure: a follow-up
        # correcting the question before; what it restates is read as the follow-up, and the
        # one it turns down ("not this one", "不是这个") names nothing of its own
        # ("sorry, I meant ...": each marker in turn)
        return self_corrected(_TURNED_DOWN.sub("", after).strip(), values, model) or raw
    if not re.search(r"\w", after) or not re.search(r"\w", before):
        return raw
    if _REFUSING.match(after):
        # "buyers, people I mean, not how many orders", "人数，我是说，不是比例": what follows
        # the marker refuses a figure, it restates nothing; the contrast readers read it.
        return raw
    today = planner_today()
    corrected = find_period(after, today)
    stated = find_period(before, today)
    if corrected is not None and stated is not None:
        for start, end in stated.all_spans or (stated.span,):
            before = before[:start] + " " * (end - start) + before[end:]
    synonyms = metric_synonyms(model)
    if named_by(after.lower(), synonyms):
        before = blank(before.lower(), [word for _, word in named_by(before.lower(), synonyms)])
        # ("消费额 不对 销售额", "一个人 一年 来几次 就是 购买频次"): the words said right before
        # the marker are the ones restated, even when they name no metric of ours (misheard, or
        # said in plain words: voice input), back to a word holding a period or a store value
        period = find_period(before, today)
        spans = list(period.all_spans or (period.span,)) if period else []
        for word in reversed(list(re.finditer(r"[^\s,，、。;；]+", before))):
            said = word.group()
            if any(a < word.end() and word.start() < b for a, b in spans):
                break
            if values.find(said.lower()) or find_period(said, today) is not None:
                break
            before = before[: word.start()] + " " * len(said) + before[word.end() :]
    # A breakdown the correction names replaces the one it restates ("weekly orders, sorry,
    # by day"); the corrected period's own words ("the past 7 days") name no breakdown.
    said = after.lower()
    if corrected is not None:
        for start, end in corrected.all_spans or (corrected.span,):
            said = said[:start] + " " * (end - start) + said[end:]
    breakdowns = dimension_synonyms(model)
    negated = _REFUSING.match(said)
    if named_by(said, breakdowns) and not negated:  # ("X I mean, not the Y": a choice)
        words = [word for _, word in named_by(before.lower(), breakdowns)]
        gone = blank(before.lower(), words)  # (lowered: the case of the rest is kept)
        before = "".join(" " if g == " " else c for c, g in zip(before, gone, strict=True))
        before = re.sub(r"(?:\b(?:by|per|each)|按照|按|分)\s*$", "", before.rstrip())
    restated = {dimension for dimension, _, _ in values.find(after.lower())}
    for dimension, _, (start, end) in values.find(before.lower()):
        if dimension in restated:
            before = before[:start] + " " * (end - start) + before[end:]
    before = re.sub(r"[\s.…,，、;；]+$", "", before)
    return f"{before} {after}".strip()
