"""Context clauses: the words around an ask that say why it is asked, who asks, how soon, or
what the figure is for ("- my manager is deciding on shelf space", "为了给代理商做方案",
"运营同学问："), found by their shape rather than listed one phrase at a time.

A clause is context when (a) no word of it is data (no metric, breakdown, store value,
period, number, tool word or segment name), (c) it has the shape of context (lexicon
reader_words `context_shape`) and (d) it holds no condition (`context_condition`, and no
unplaced word that looks like a name). (b), that another clause holds the ask, is the
planner's to check: it reads the rest on its own (copilot/offline/planner.py). The answer
says what was set aside; nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from copilot.offline.clock import planner_today
from copilot.offline.intents.base import PlannerContext
from copilot.offline.vocabulary import (
    _blank_lowered,
    _build_known_words,
    _per_model,
    _segment_spans,
    breakdowns_named,
    load_lexicon,
    metrics_named,
    reader_words,
    unsupported_in,
)
from copilot.unicode_text import has_cjk
from knowledge.time_ranges import find_period

# Where one clause ends and the next begins: sentence marks, brackets, a colon (not a
# time's), a comma (not a number's), a full stop before a space, a spaced or long dash.
_BETWEEN = re.compile(
    r"\s*(?:[，。；！？;!?()（）：]|,(?!\d)|\.(?=\s|$)|:(?!\d)|\s[-–—]+\s|[—–]+)[\s，。；！？;!?,.]*"
)
# An unplaced word that looks like a name: Capitalised after a clause's first word, a Latin
# word in a Chinese clause, a quoted word.
_CAPITALISED = re.compile(r"(?<=\s)(?!I\b|I[''’])[A-Z][\w-]*")
_QUOTED = re.compile(r"[\"“”‘’「」『』]|(?<!\w)'|'(?!\w)")
_LATIN = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Clause:
    """One clause of a question: its span (without the marks around it) and the mark after it."""

    start: int
    end: int
    mark: str


def clauses_of(text: str) -> list[Clause]:
    """The question cut into clauses at sentence marks, brackets, colons and spaced dashes."""
    found: list[Clause] = []
    at = 0
    for mark in _BETWEEN.finditer(text):
        if mark.start() > at:
            found.append(Clause(at, mark.start(), mark.group(0).strip()))
        at = mark.end()
    if at < len(text) and text[at:].strip():
        found.append(Clause(at, len(text), ""))
    return found


@cache
def _shapes() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("context_shape"))


@cache
def _conditions() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("context_condition"))


def _shape_end(words: str, mark: str) -> int | None:
    """Where the context shape the clause opens with ends (a label is read with its colon)."""
    said = words + (":" if ":" in mark or "：" in mark else "")
    for shape in _shapes():
        found = shape.match(said)
        if found:
            return min(found.end(), len(words))
    return None


def holds_data(words: str, ctx: PlannerContext) -> bool:
    """Whether any word of the clause is placed as data: a number, a period, a store value,
    a metric, a breakdown, a segment, an unmeasured metric or a tool's cue word."""
    lowered = words.lower()
    model = ctx.semantic_model
    if re.search(r"\d", words) or find_period(words, planner_today()) is not None:
        return True
    if ctx.values.find(lowered, words) or _segment_spans(lowered):
        return True
    if metrics_named(lowered, model) or breakdowns_named(lowered, model):
        return True
    if unsupported_in(lowered, model) is not None:
        return True
    if _blank_lowered(lowered, _per_model(model, "known_words", _build_known_words)) != lowered:
        return True
    cues = load_lexicon().intent_cues.values()
    return any(re.search(p, lowered, re.IGNORECASE) for patterns in cues for p in patterns)


def _holds_condition(words: str, shape_end: int) -> bool:
    if any(c.search(words) for c in _conditions()):
        return True
    if _QUOTED.search(words):
        return True
    if has_cjk(words):
        return bool(_LATIN.search(words))
    return bool(_CAPITALISED.search(words[shape_end:]))


def context_spans(text: str, ctx: PlannerContext) -> list[Clause]:
    """The clauses of `text` that are context by their shape, with no data and no condition
    in them (a question of one clause has none: the ask is the whole of it)."""
    clauses = clauses_of(text)
    if len(clauses) < 2:
        return []
    found = []
    for clause in clauses:
        words = text[clause.start : clause.end].strip()
        end = _shape_end(words, clause.mark)
        if end is None or _holds_condition(words, end) or holds_data(words, ctx):
            continue
        found.append(clause)
    return found if len(found) < len(clauses) else []


def without_clauses(text: str, clauses: list[Clause]) -> str:
    """`text` with the clauses taken out, each with the mark before it (or after it, for the
    question's first clause), so the rest reads as written."""
    every = clauses_of(text)
    cut: list[tuple[int, int]] = []
    for clause in clauses:
        at = every.index(clause)
        if at == 0:
            end = every[1].start if len(every) > 1 else len(text)
            cut.append((clause.start, end))
        else:
            cut.append((every[at - 1].end, clause.end))
    merged: list[list[int]] = []
    for start, end in sorted(cut):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + text[end:]
    return text.strip()
