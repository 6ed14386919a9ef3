"""What a rule's people bought, or did not buy, must be a store value.

"customers who bought beauty in the last 90 days but nothing from sports": the store sells
makeup and skincare, not "beauty"; a segment saved with the sports condition alone is
another segment. The word right after a purchase verb (lexicon reader_words
purchase_object_lead) is placed when it starts a store value (category, product, channel),
a period, a count or one of purchase_object_generic; otherwise the question is asked back
naming it, with the store's categories, closest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.offline.clock import planner_today
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import load_lexicon, reader_pattern, value_name
from copilot.offline.words import literal_spans
from copilot.unicode_text import has_cjk
from knowledge.presentation import join_list, tr
from knowledge.time_ranges import find_period

# An English object: words up to a function word of the purchase ("in", "last", ...).
_EN_WORD = re.compile(r"[A-Za-z][\w'-]*")
# A Chinese object: characters up to a particle, joiner or punctuation.
_ZH_OBJECT = re.compile(r"[^\s的和或但及与、，。；,.;!?！？在从于却而]{1,8}")
_COUNT = re.compile(r"\d|[一二两三四五六七八九十几多]+\s*(?:次|单|笔|回)")
# Categories offered as the closest: those the embedding scores this near the best one.
_CLOSE_MARGIN = 0.025


def _value_spans(raw: str, values: ValueIndex) -> list[tuple[int, int]]:
    """Where the question names a store value or one of the lexicon's category words."""
    spans = [span for _dimension, _value, span in values.find(raw)]
    lowered = raw.lower()
    for words in load_lexicon().categories.values():
        for word in words:
            spans += literal_spans(lowered, word.lower(), bounded=not has_cjk(word))
    return spans


def _placed_at(raw: str, at: int, spans: list[tuple[int, int]]) -> bool:
    rest = raw[at:]
    if not rest.strip() or re.match(r"\s*[^\w\s]", rest):
        return True
    if any(start <= at < end or start == at for start, end in spans):
        return True
    if _COUNT.match(rest) or reader_pattern("purchase_object_generic").match(rest):
        return True
    found = find_period(rest, planner_today())
    return found is not None and found.span[0] == 0


def _object_words(raw: str, at: int, spans: list[tuple[int, int]]) -> str:
    """The unplaced object as written: English words up to a placed one, or a Chinese run."""
    if has_cjk(raw[at : at + 1]):
        match = _ZH_OBJECT.match(raw, at)
        text = match.group(0) if match else raw[at : at + 2]
        for start, _end in spans:
            if at < start < at + len(text):
                text = raw[at:start]
        return text
    words: list[str] = []
    position = at
    while len(words) < 3:
        match = _EN_WORD.match(raw, position)
        if match is None or (words and _placed_at(raw, match.start(), spans)):
            break
        words.append(match.group(0))
        position = match.end()
        gap = re.match(r"\s+", raw[position:])
        if gap is None:
            break
        position += gap.end()
    return " ".join(words)


def unplaced_purchase_objects(
    raw: str, values: ValueIndex, measures: Iterable[str] = ()
) -> list[str]:
    """The words after a purchase verb that are no store value, period or count, as written
    ("beauty" in "bought beauty in the last 90 days", "美妆" in "买过美妆"); [] when each is.

    `measures`: the vocabulary's words of a metric, measured or not; a purchase word inside
    one ("购买漏斗", "购买频次") names that measure, not a purchase with an object."""
    from copilot.offline.intents.rule_parts import order_count  # rule_parts imports more

    counted = order_count(raw)
    # ("购买不少于3次", "purchased no fewer than 4 times": the count bound is the object)
    spans = _value_spans(raw, values) + list(counted.spans if counted else ())
    lowered = raw.lower()
    measured = [
        span
        for word in measures
        if word
        for span in literal_spans(lowered, word.lower(), bounded=not has_cjk(word))
    ]
    joiner = reader_pattern("value_siblings")
    ages = reader_pattern("rule_age_words")
    unplaced: list[str] = []
    for lead in reader_pattern("purchase_object_lead").finditer(raw):
        if any(start <= lead.start() < end for start, end in measured):
            continue
        at = lead.end()
        while at < len(raw):
            if not _placed_at(raw, at, spans):
                unplaced.append(_object_words(raw, at, spans))
                break
            # "bought makeup and beauty": each value joined to the first is an object too.
            value = next((end for start, end in spans if start == at), None)
            sibling = joiner.match(raw, value) if value is not None else None
            if sibling is None or sibling.end() == value:
                break
            if ages.match(raw, sibling.end()):
                break  # "买过彩妆、年龄30岁以下": the next condition is the people's age
            at = sibling.end()
    return list(dict.fromkeys(w for w in unplaced if w.strip()))


def _category_name(value: str, values: ValueIndex, language: str) -> str:
    """A category as the answer's language names it: a Chinese question gets the store's
    (or the lexicon's) Chinese word for "makeup" (彩妆)."""
    if language != "zh" or has_cjk(value):
        return value_name(value, "category", values, language)
    words = [w for w, entry in values.entries.items() if entry == ("category", value)]
    words += load_lexicon().categories.get(value, [])
    return next((w for w in words if has_cjk(w)), value)


def _closest(word: str, values: ValueIndex, language: str) -> tuple[list[str], list[str]]:
    """(the closest categories, all of them closest first), as the answer names them: the
    shipped multilingual embedding scores each against `word`; those within _CLOSE_MARGIN of
    the best count as close."""
    stored = sorted(values.stored.get("category") or load_lexicon().categories)
    names = [_category_name(v, values, language) for v in stored]
    try:
        from copilot.offline.routing import embed

        vectors = embed([word, *names])
    except Exception:  # noqa: BLE001 - no embedding: the categories, none called close
        return [], names
    scores = [float(s) for s in vectors[1:] @ vectors[0]]
    order = sorted(range(len(names)), key=lambda i: -scores[i])
    best = scores[order[0]]
    close = [names[i] for i in order[:3] if scores[i] >= best - _CLOSE_MARGIN]
    return close, [names[i] for i in order]


def unplaced_object_question(words: list[str], values: ValueIndex, language: str) -> str:
    """A question back naming what was bought that the store has no such value of, with its
    closest categories and all of them."""
    close, names = _closest(words[0], values, language)
    quoted = join_list([tr(language, "“{word}”", word=w) for w in words], language)
    if close:
        return tr(
            language,
            "This store has no category or product called {words}, and I won't save a segment "
            "without that condition. Closest: {close} (all categories: {all}). Which did you "
            "mean?",
            words=quoted,
            close=join_list(close, language),
            all=tr(language, ", ").join(names),
        )
    return tr(
        language,
        "This store has no category or product called {words}, and I won't save a segment "
        "without that condition. Its categories are: {all}. Which did you mean?",
        words=quoted,
        all=tr(language, ", ").join(names),
    )
