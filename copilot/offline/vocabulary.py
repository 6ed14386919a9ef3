"""The planner's one vocabulary: semantic-model synonyms, the lexicon, the store's values.

Every reader names metrics and dimensions through this module, so a word is
known (or unknown) the same way everywhere. `unplaced_words` is what "account
for every word" means in code: the content words of a question that no part of
the vocabulary claims, which the planner must ask about rather than drop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import yaml
from rapidfuzz import fuzz, process

from copilot.offline.question import (
    Question,
    compiled_word,
    is_pattern,
    named,
    named_by,
    top_n_spans,
    word_occurs,
)
from copilot.offline.values import ValueIndex
from copilot.offline.words import first_span, literal_spans, replace_literal
from copilot.unicode_text import CJK_CHARS, has_cjk, starts_cjk
from knowledge.place_names import CITY_NAMES_EN, PROVINCE_NAMES_EN
from knowledge.presentation.messages import tr
from knowledge.semantic import SemanticModel

T = TypeVar("T")

LEXICON_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "lexicon.yaml"
# Latin words (with inner ' or -), CJK runs, or single symbols: the units the check looks at.
# A bare number of 3+ digits left after the period is read ("the 816 email") names something.
# (An ordinal written in digits, "2nd", "3rd", is one token: a number, never a word "nd"; so
# is a count with letters glued to it, "90d", "12x": a word to place, never a stray letter.)
_TOKEN = re.compile(
    rf"(?<![a-z0-9])\d+(?:st|nd|rd|th)(?![a-z0-9])"
    rf"|(?<![a-z0-9.,])\d+[a-z][a-z0-9]*(?![a-z0-9])"
    rf"|[a-z][a-z0-9_'’-]*[a-z0-9]|[a-z]|[{CJK_CHARS}]+|(?<![\d.,¥$])\d{{3,}}(?![\d.,%])"
)
_ORDINAL_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)")
# A date written with digits ("2月30日", "13月", "3月20日到3日", "may 20 to 3", "april 31"),
# left in a text after its period is read: the period grammar could not resolve it (an
# impossible day, a reversed or half-written range), so it is a phrase to ask about, never
# digits, stray characters and function words ("may") to drop.
_DATE_PART = r"\d{1,4}\s*(?:年|月份?|日|号)"
_MONTH_DAY = (
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?![\d.,%])"
    r"(?:\s*(?:to|until|till|through|-)\s*\d{1,2}(?![\d.,%]))?"
)
_DATE_FRAGMENT = re.compile(
    rf"(?<![\d.])(?:{_DATE_PART}\s*)+(?:(?:到|至|-|~|～|—|－)\s*(?:{_DATE_PART}\s*)*)?|{_MONTH_DAY}"
)


@dataclass(frozen=True)
class Unsupported:
    """Something people ask about that the semantic model does not measure (yet)."""

    metric: str
    words: tuple[str, ...]
    name_en: str
    name_zh: str
    # Metrics of the semantic model that come close (CAC payback: CAC, ROI), offered in a
    # question back instead of a refusal; never answered unasked.
    offer: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        """Its name in `language` (English for any language but Chinese)."""
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class Lexicon:
    """The contents of knowledge/lexicon.yaml (see its header for each part)."""

    metric_phrases: dict[str, tuple[str, ...]]
    dimension_phrases: dict[str, tuple[str, ...]]
    value_words: dict[str, dict[str, tuple[str, ...]]]
    unsupported: tuple[Unsupported, ...]
    function_words: frozenset[str]
    total_words: tuple[str, ...] = ()
    net_words: tuple[str, ...] = ()
    intent_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    countable: dict[str, list[str]] = field(default_factory=dict)
    table_words: dict[str, list[str]] = field(default_factory=dict)
    column_words: dict[str, list[str]] = field(default_factory=dict)
    copy_brief_words: tuple[str, ...] = ()
    copy_themes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    copy_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    segment_aliases: dict[str, str] = field(default_factory=dict)
    campaign_name_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)
    marketing_channels: dict[str, list[str]] = field(default_factory=dict)
    task_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reader_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # {reader_words list naming a ranking's criterion: metrics a plan may rank by for it}
    ranking_criteria: dict[str, tuple[str, ...]] = field(default_factory=dict)
    metric_pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    metric_pair_patterns: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    # {chat shorthand or dictation slip: the words read}: abbreviations the answer names
    # ("I read “b4” as before"), written `key: {said: words}` in the same table
    said_abbreviations: dict[str, str] = field(default_factory=dict)
    # {written Cantonese word: its Mandarin} (copilot/offline/cantonese.py)
    cantonese: dict[str, str] = field(default_factory=dict)
    unknown_events: tuple[str, ...] = ()
    kind_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    campaign_metrics: dict[str, str] = field(default_factory=dict)
    amount_of: dict[str, str] = field(default_factory=dict)
    count_of: dict[str, str] = field(default_factory=dict)
    rate_of: dict[str, str] = field(default_factory=dict)
    subset_of: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    measured_among: dict[str, tuple[str, ...]] = field(default_factory=dict)
    campaign_review_metrics: tuple[str, ...] = ()
    lower_is_better_metrics: tuple[str, ...] = ()
    distributive: tuple[str, ...] = ()
    order_statuses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    metric_qualifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # {metric: (agreeing patterns, contradicting patterns)}: restated_definitions
    restated_definitions: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict
    )
    dimension_nouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    comparison_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    latin_words: frozenset[str] = frozenset()


def _flat(words: list) -> list[str]:
    """A list with the lists inside it (YAML aliases of shared lists) spelt out in place."""
    return [w for word in words for w in (_flat(word) if isinstance(word, list) else [word])]


def _patterns(entry: dict[str, list] | None) -> tuple[str, ...]:
    """Both languages' patterns of an entry, shared lists (YAML aliases) spelt out."""
    entry = entry or {}
    return tuple(str(w) for lang in ("en", "zh") for w in _flat(entry.get(lang) or []))


def _both(entry: dict[str, list[str]] | None) -> tuple[str, ...]:
    entry = entry or {}
    return tuple(str(w).lower() for lang in ("en", "zh") for w in entry.get(lang) or [])


_GAP_GROUP = "_gap"
_QUANTIFIER = re.compile(r"(?:\{\d*,?\d*\}|[?*+])\??")
_WILDCARD = re.compile(r"\\w|\[\^|(?<!\\)\.")


def _class_end(pattern: str, start: int) -> int:
    """Where the character class opened at `start` closes (a first "]" is a literal)."""
    at = start + 1
    if pattern[at : at + 1] == "^":
        at += 1
    if pattern[at : at + 1] == "]":
        at += 1
    while at < len(pattern) and pattern[at] != "]":
        at += 2 if pattern[at] == "\\" else 1
    return at


def _closing(pattern: str, start: int) -> int:
    """Where the group or class opened at `start` closes (escapes and classes skipped)."""
    if pattern[start] == "[":
        return _class_end(pattern, start)
    depth, at = 0, start
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = _class_end(pattern, at)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return len(pattern) - 1


def gaps_captured(pattern: str) -> str:
    """A metric phrase's pattern with each wildcard gap captured in a named group.

    A phrase such as "customers (any two words) spend" or "客户(任意几个字)的花费" places its
    fixed words only: the words its gap took ("in Kunming", "昆明的") are still the
    question's to account for (a place, a value, a word nothing knows), so `gap_blanked`
    blanks the phrase but them. A gap is a repeated or optional group or class that takes
    any word (`\\w`, `[^...]`, `.`); one inside a lookaround is not a gap of the match.
    """
    out, at = [], 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            out.append(pattern[at : at + 2])
            at += 2
            continue
        if char not in "([":
            out.append(char)
            at += 1
            continue
        end = _closing(pattern, at)
        body = pattern[at : end + 1]
        quantifier = _QUANTIFIER.match(pattern, end + 1)
        if char == "(" and re.match(r"\(\?(?:[=!]|<[=!])", body):
            out.append(body)  # a lookaround: no gap of the match
            at = end + 1
            continue
        head = (
            re.match(r"\((?:\?(?:[:>]|P<\w+>|[aiLmsux-]+:))?", body).group(0) if char == "(" else ""
        )
        inner = gaps_captured(body[len(head) : -1]) if head else ""
        if quantifier and _WILDCARD.search(body) and f"(?P<{_GAP_GROUP}>" not in inner:
            # (the innermost: "(?:[^，]{1,8}?上)?" keeps its 上 a fixed word)
            whole = body + quantifier.group(0)
            out.append(f"(?P<{_GAP_GROUP}>{whole})")
            at = quantifier.end()
            continue
        if char == "(":
            out.append(head + inner + ")")
        else:
            out.append(body)
        at = end + 1
    return "".join(out)


def compiled_phrases(patterns: Iterable[str]) -> re.Pattern[str]:
    """One pattern of a metric's phrases, each gap a numbered group (`gaps_captured`)."""
    # (the lexicon's phrases are read lower-cased: a named group's "(?P<" comes back as "(?p<")
    joined = "|".join(gaps_captured(p.replace("(?p<", "(?P<")) for p in patterns)
    count = iter(range(joined.count(f"(?P<{_GAP_GROUP}>")))
    return re.compile(
        re.sub(
            re.escape(f"(?P<{_GAP_GROUP}>"), lambda _: f"(?P<{_GAP_GROUP}{next(count)}>", joined
        ),
        re.I,
    )


def gap_blanked(pattern: re.Pattern[str], text: str) -> str:
    """`text` with the pattern's matches blanked but the words their gaps took (`gaps_captured`)."""

    def blanked(match: re.Match[str]) -> str:
        kept = list(match.group(0))
        start = match.start()
        spans = [
            match.span(name)
            for name, value in match.groupdict().items()
            if name.startswith(_GAP_GROUP) and value is not None
        ]
        for i in range(len(kept)):
            if not any(s <= start + i < e for s, e in spans):
                kept[i] = " "
        return "".join(kept)

    return pattern.sub(blanked, text)


def _bounded(word: str) -> bool:
    """Latin words match on word boundaries, Chinese ones anywhere (`question.word_pattern`)."""
    return not has_cjk(word)


@cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the lexicon once. Raises FileNotFoundError / yaml.YAMLError on a broken install."""
    # libyaml's loader when the install has it: ten times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    words = raw.get("function_words") or {}
    return Lexicon(
        metric_phrases={k: _both(v) for k, v in (raw.get("metric_phrases") or {}).items()},
        dimension_phrases={k: _both(v) for k, v in (raw.get("dimension_phrases") or {}).items()},
        value_words={
            dim: {value: tuple(w.lower() for w in ws) for value, ws in by_value.items()}
            for dim, by_value in (raw.get("value_words") or {}).items()
        },
        unsupported=tuple(
            Unsupported(
                u["metric"], _both(u), u["en_name"], u["zh_name"], tuple(u.get("offer") or ())
            )
            for u in raw.get("unsupported") or []
        ),
        # Framing words (who asks, hedges, "as a chart") count as function words.
        function_words=frozenset(
            str(w).lower()
            for group in (words, raw.get("framing_words") or {})
            for lang in ("en", "zh")
            for w in group.get(lang) or []
        ),
        total_words=_both((raw.get("total_beside_net") or {}).get("total")),
        net_words=_both((raw.get("total_beside_net") or {}).get("net")),
        intent_cues={
            tool: tuple(str(w) for lang in ("en", "zh") for w in (entry or {}).get(lang) or [])
            for tool, entry in (raw.get("intent_cues") or {}).items()
        },
        countable={table: list(_both(e)) for table, e in (raw.get("countable") or {}).items()},
        table_words={t: list(_both(e)) for t, e in (raw.get("table_words") or {}).items()},
        column_words={c: list(_both(e)) for c, e in (raw.get("column_words") or {}).items()},
        copy_brief_words=_both(raw.get("copy_brief_words")),
        copy_themes={k: _both(v) for k, v in (raw.get("copy_themes") or {}).items()},
        copy_roles={k: _both(v) for k, v in (raw.get("copy_roles") or {}).items()},
        segment_aliases={
            str(k).lower(): str(v) for k, v in (raw.get("segment_aliases") or {}).items()
        },
        campaign_name_words={
            str(k).lower(): tuple(str(w).lower() for w in v)
            for k, v in (raw.get("campaign_name_words") or {}).items()
        },
        categories={k: [str(w) for w in v] for k, v in (raw.get("categories") or {}).items()},
        marketing_channels={
            k: [str(w) for w in v] for k, v in (raw.get("marketing_channels") or {}).items()
        },
        reader_words={
            name: tuple(str(w) for w in words or [])
            for name, words in (raw.get("reader_words") or {}).items()
        },
        ranking_criteria={
            str(k): tuple(str(m) for m in v) for k, v in (raw.get("ranking_criteria") or {}).items()
        },
        abbreviations={
            str(k).lower(): str(v)
            for k, v in (raw.get("abbreviations") or {}).items()
            if not isinstance(v, dict)
        },
        said_abbreviations={
            str(k): str(v["said"])
            for k, v in (raw.get("abbreviations") or {}).items()
            if isinstance(v, dict)
        },
        cantonese={str(k): str(v) for k, v in (raw.get("cantonese") or {}).items()},
        unknown_events=_both(raw.get("unknown_events")),
        kind_words={k: _both(v) for k, v in (raw.get("kind_words") or {}).items()},
        campaign_metrics={str(k): str(v) for k, v in (raw.get("campaign_metrics") or {}).items()},
        amount_of={str(k): str(v) for k, v in (raw.get("amount_of") or {}).items()},
        count_of={str(k): str(v) for k, v in (raw.get("count_of") or {}).items()},
        rate_of={str(k): str(v) for k, v in (raw.get("rate_of") or {}).items()},
        measured_among={
            str(k): tuple(str(m) for m in v or ())
            for k, v in (raw.get("measured_among") or {}).items()
        },
        subset_of={
            str(k): {str(m): tuple(str(w) for w in ws) for m, ws in (v or {}).items()}
            for k, v in (raw.get("subset_of") or {}).items()
        },
        campaign_review_metrics=tuple(raw.get("campaign_review_metrics") or ()),
        lower_is_better_metrics=tuple(raw.get("lower_is_better_metrics") or ()),
        distributive=_both(raw.get("distributive")),
        order_statuses={k: _both(v) for k, v in (raw.get("order_statuses") or {}).items()},
        metric_qualifiers={k: _both(v) for k, v in (raw.get("metric_qualifiers") or {}).items()},
        restated_definitions={
            k: (_patterns(v.get("agrees")), _patterns(v.get("contradicts")))
            for k, v in (raw.get("restated_definitions") or {}).items()
        },
        dimension_nouns={k: _both(v) for k, v in (raw.get("dimension_nouns") or {}).items()},
        comparison_words={k: _both(v) for k, v in (raw.get("comparison_words") or {}).items()},
        metric_pairs=tuple(
            (tuple(entry["metrics"]), _both(entry)) for entry in raw.get("metric_pairs") or []
        ),
        metric_pair_patterns=tuple(
            (tuple(entry["metrics"]), compiled_phrases(patterns))
            for entry in raw.get("metric_pairs") or []
            if (patterns := _both(entry.get("patterns")))
        ),
        task_cues={
            tool: tuple(str(w) for lang in ("en", "zh") for w in (entry or {}).get(lang) or [])
            for tool, entry in (raw.get("task_cues") or {}).items()
        },
        latin_words=frozenset(_latin_words_of(raw)),
    )


# Sections whose keys are words too (an abbreviation as written, a store value, a category
# or channel key); elsewhere a key names a list, a metric or a reader, not a word.
_WORD_KEYS = frozenset(
    {"abbreviations", "value_words", "categories", "marketing_channels", "campaign_name_words"}
)
_LATIN_WORD = re.compile(r"[a-z]+")


def _latin_words_of(node: object, keys_are_words: bool = False) -> set[str]:
    """The Latin words of the lexicon's word lists: every plain entry, never a regex
    pattern's source (its words are listed in pattern_words) and never a comment (the YAML
    parser has dropped those)."""
    if isinstance(node, str):
        return set() if is_pattern(node) else set(_LATIN_WORD.findall(node.lower()))
    words: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if keys_are_words:
                words |= _latin_words_of(str(key))
            words |= _latin_words_of(value, keys_are_words or key in _WORD_KEYS)
    elif isinstance(node, list):
        for value in node:
            words |= _latin_words_of(value, keys_are_words)
    return words


def lexicon_latin_words() -> frozenset[str]:
    """Every Latin word the lexicon lists (see `_latin_words_of`): known to the planner."""
    return load_lexicon().latin_words


def intent_cues(tool: str) -> tuple[str, ...]:
    """The lexicon's cue patterns for one intent (for `Question.has`); () when it has none."""
    return load_lexicon().intent_cues.get(tool, ())


def reader_words(name: str) -> tuple[str, ...]:
    """One reader's cue patterns from the lexicon's reader_words (e.g. "rfm", "churn_prediction").

    Raises KeyError naming the list when the lexicon lacks it (a broken install or a typo).
    """
    words = load_lexicon().reader_words
    if name not in words:
        raise KeyError(f"knowledge/lexicon.yaml has no reader_words list {name!r}")
    return words[name]


@cache
def comparison_alternation(position: str) -> str:
    """The lexicon's comparison words said `position` ("before" or "after") the number, as
    one regex alternation (escaped, longest first, any spacing): "at\\s*least|over|...".
    Latin words are bounded where they start or end with a letter."""
    words = {
        w
        for group, ws in load_lexicon().comparison_words.items()
        if group.endswith("_" + position)
        for w in ws
    }
    parts = []
    for word in sorted(words, key=len, reverse=True):
        text = r"\s*".join(re.escape(w) for w in word.split())
        if word[0].isascii() and word[0].isalpha():
            text = r"\b" + text
        if word[-1].isascii() and word[-1].isalpha():
            text += r"\b"
        parts.append(text)
    return "|".join(parts)


def comparison_bound(word: str, position: str) -> tuple[str, bool] | None:
    """The bound a comparison word states, said `position` the number: ("min" or "max",
    inclusive), by the lexicon's one convention (comparison_words); None for no such word."""
    key = " ".join(word.lower().split())
    for group, words in load_lexicon().comparison_words.items():
        side, inclusive, at = group.split("_")
        if at == position and key in (" ".join(w.split()) for w in words):
            return ("min" if side == "lower" else "max", inclusive == "inclusive")
    return None


def integer_bound(word: str, position: str, number: int) -> dict[str, int] | None:
    """A whole-number bound ("under 25" -> {"max": 24}, "30岁以下" -> {"max": 30}, "more
    than 2" -> {"min": 3}) by the lexicon's convention; None for no comparison word."""
    bound = comparison_bound(word, position)
    if bound is None:
        return None
    side, inclusive = bound
    shift = 0 if inclusive else (1 if side == "min" else -1)
    return {side: number + shift}


def bound_beside(text: str, start: int, end: int, number: int) -> dict[str, int] | None:
    """The bound a comparison word right after or right before the number at text[start:end]
    states ("4 stars or more" -> {"min": 4}, "四星以上" -> {"min": 4}, "under 3 stars" ->
    {"max": 2}), by the lexicon's convention; None when no comparison word stands beside it."""
    after = re.match(rf"\s*(?:及|或)?\s*({comparison_alternation('after')})", text[end:], re.I)
    before = re.search(rf"({comparison_alternation('before')})\s*$", text[:start], re.I)
    return (integer_bound(after.group(1), "after", number) if after else None) or (
        integer_bound(before.group(1), "before", number) if before else None
    )


@cache
def reader_pattern(name: str) -> re.Pattern[str]:
    """One reader's lexicon patterns as one case-insensitive regex, compiled once, matched
    as written (no word boundaries added): "exclusion", "negated_purchase"."""
    return re.compile("|".join(f"(?:{p})" for p in reader_words(name)), re.I)


def segment_word_in_passing(raw: str, start: int, end: int) -> bool:
    """Whether the RFM segment name at raw[start:end] is an everyday word used in passing
    ("most promising", "need attention", "at risk"; lexicon rfm_everyday_names) rather than
    the segment: not written as a name ("Need Attention"), not quoted, and not right before
    a people or segment noun ("at-risk customers"), nor after one ("customers who need
    attention")."""
    written = raw[start:end]
    if not reader_pattern("rfm_everyday_names").fullmatch(written):
        return False
    if written[:1].isupper() and all(w[:1].isupper() for w in re.split(r"[\s-]+", written)):
        return False
    if raw[start - 1 : start] in "\"“'‘「" and start > 0:
        return False
    if reader_pattern("rfm_segment_nouns_before").search(raw[:start]):
        return False
    return not reader_pattern("rfm_segment_nouns").match(raw, end)


@lru_cache(maxsize=256)
def orders_of_a_value_spans(text: str, raw: str) -> list[tuple[int, int]]:
    """The spans of `text` (the question with its values blanked) naming orders by a store
    value (lexicon `orders_of_a_value`: "AOV of web orders", "counting only orders placed on
    the app", "小程序订单的客单价"): a value stands in the blank, as `raw` shows."""
    from copilot.offline.clock import planner_today
    from knowledge.time_ranges import find_period

    lowered = raw.lower()
    period = find_period(raw, planner_today())
    # A period is blanked too: "the number of orders in may" names no value.
    period_spans = period.all_spans if period else ()
    spans = []
    for pattern in reader_words("orders_of_a_value"):
        for found in re.finditer(pattern, text):
            start, end = found.span("value")
            said = lowered[start:end].strip()
            if said and not any(s < end and start < e for s, e in period_spans):
                spans.append(found.span())
    return spans


def metric_word_pattern(reader: str, words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One reader's lexicon patterns with {metric} standing for any of one metric's `words`
    (escaped, longest first), compiled once: "share_of_whole" ("share of {metric}"),
    "negated_rate" ("没有{metric}"). None when the metric has no words."""
    if not words:
        return None
    alternatives = (
        "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
    )
    patterns = [p.replace("{metric}", alternatives) for p in reader_words(reader)]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


@cache
def _each_compiled(name: str) -> tuple[re.Pattern[str], ...]:
    """One reader's lexicon patterns, each compiled once (case-insensitive), in lexicon order:
    for the readers that apply them one after another ("negation", "contrast")."""
    return tuple(re.compile(p, re.I) for p in reader_words(name))


# Where a negated clause ends: punctuation, a bracket ("(no test)"), a dash, or "just / only / 只 / 仅" that turns to
# what is wanted ("don't need the significance, just the rate").
_CLAUSE_END = re.compile(r"[,;.!?，。；！？、()（）]|\s[-–—]\s|[–—]|\b(?:just|only|but)\b|只|仅|就")


def clause_end(text: str, start: int) -> int:
    """Where the clause going on at `start` ends: its punctuation, bracket, dash or turn to
    what is wanted ("just", "only", "只"), else the text's end."""
    end = _CLAUSE_END.search(text, start)
    return end.start() if end else len(text)


def without_negated(text: str, tasks: tuple[str, ...] | None = None) -> str:
    """`text` with every clause opened by a negation of the lexicon (reader_words.negation:
    "don't need", "no need for", "不用", "不需要") blanked up to where the clause ends, so a
    reader does not take a task the question declines for the task asked. Only a clause
    that names a task (an intent's cue word, or one of `tasks` when given) is blanked:
    "不要上海的" stays an exclusion.
    """
    if tasks is None:
        lexicon = load_lexicon()
        tasks = tuple(
            w
            for words in (*lexicon.intent_cues.values(), *lexicon.task_cues.values())
            for w in words
        ) + reader_words("personas")  # "personas aside": the clustering tool's own words
    for pattern in _each_compiled("negation"):
        at = 0
        while found := pattern.search(text, at):
            end = _CLAUSE_END.search(text, found.end())
            stop = end.start() if end else len(text)
            clause = text[found.end() : stop]
            # A negation may match no character ("personas aside": the clause start before
            # the word set aside); the search goes on at least one character further.
            at = max(found.end(), found.start() + 1)
            if any(word_occurs(w, clause.lower()) for w in tasks):
                text = text[: found.start()] + " " * (stop - found.start()) + text[stop:]
    return text


def without_contrasted(text: str) -> str:
    """`text` with every option set aside ("clicks not opens", "不看点击") blanked up to
    where its clause ends (the lexicon's reader_words.contrast), for a reader choosing
    between two options such as the rate a send time optimises."""
    for pattern in _each_compiled("contrast"):
        while found := pattern.search(text):
            end = _CLAUSE_END.search(text, found.end())
            stop = end.start() if end else len(text)
            text = text[: found.start()] + " " * (stop - found.start()) + text[stop:]
    return text


def _first_word(text: str, reader: str) -> str | None:
    lowered = text.lower()
    found = [m for p in reader_words(reader) if (m := compiled_word(p).search(lowered))]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def bottom_ranking_word(text: str) -> str | None:
    """The word of the text that asks for the low end of a ranking ("fewest", "倒数",
    lexicon reader_words.bottom_ranking), as the text spells it; None without one."""
    return _first_word(text, "bottom_ranking")


def worst_ranking_word(text: str) -> str | None:
    """The word of the text that asks for the worst of a ranking ("worst", "最差", lexicon
    reader_words.worst_ranking): the low end only where higher is better."""
    return _first_word(text, "worst_ranking")


def best_ranking_word(text: str) -> str | None:
    """The word of the text that asks for the best of a ranking ("best", "最好", lexicon
    reader_words.best_ranking): the low end where less is better."""
    return _first_word(text, "best_ranking")


def lower_is_better(metric: str) -> bool:
    """Whether less of the metric is better (cost, CAC, churn: lexicon lower_is_better_metrics)."""
    return metric in load_lexicon().lower_is_better_metrics


def task_cue_tools(question: Question) -> list[str]:
    """Tools whose task the question names by the lexicon's task_cues, in lexicon order:
    they compete in the scored routing even when the tool's own reader could not fill its
    arguments. (A reader's own intent_cues are not used here: a reader that saw them and
    declined, as "conversion rate per variant" is declined by the A/B reader, did so on
    purpose.)"""
    cues = load_lexicon().task_cues
    return [tool for tool, words in cues.items() if question.has(*words)]


Synonyms = Mapping[str, tuple[str, ...]]

# What is read once per semantic model and lexicon: (id(model), id(lexicon), name) ->
# (model, lexicon, value). The model (a Pydantic model, not hashable) and the lexicon are
# kept so their ids cannot be reused by other objects: another model object, or a lexicon
# read again, is another entry. Few models live in one process (tests build a handful).
_PER_MODEL: dict[tuple[int, int, str], tuple[SemanticModel, Lexicon, object]] = {}
_PER_MODEL_LIMIT = 64


def _per_model(model: SemanticModel, name: str, build: Callable[[SemanticModel, Lexicon], T]) -> T:
    """`build(model, lexicon)` computed once per semantic model object and lexicon."""
    lexicon = load_lexicon()
    key = (id(model), id(lexicon), name)
    kept = _PER_MODEL.get(key)
    if kept is None or kept[0] is not model or kept[1] is not lexicon:
        while len(_PER_MODEL) >= _PER_MODEL_LIMIT:
            # the oldest entry goes, never the whole cache: a clear between building a model's
            # metric and dimension words would build the first again (a flaky identity)
            _PER_MODEL.pop(next(iter(_PER_MODEL)))
        kept = _PER_MODEL[key] = (model, lexicon, build(model, lexicon))
    return kept[2]  # type: ignore[return-value]


def metric_synonyms(model: SemanticModel) -> Synonyms:
    """{metric: words}: the semantic model's synonyms plus the lexicon's phrases for its metrics.

    Read once per semantic model and lexicon (the planner asks for it many times a
    question); a read-only mapping of tuples, so no caller can change the cache."""
    return _per_model(model, "metric_synonyms", _build_metric_synonyms)


def _build_metric_synonyms(model: SemanticModel, lexicon: Lexicon) -> Synonyms:
    phrases = lexicon.metric_phrases
    return MappingProxyType(
        {
            m.name: tuple(
                _spaced_too(
                    [
                        *m.synonyms.all(),
                        m.name.replace("_", " "),
                        *([m.name] if "_" in m.name else []),  # "gross_sales": the store's name
                        *phrases.get(m.name, ()),
                    ]
                )
            )
            for m in model.metrics.values()
        }
    )


def lowered_metric_words(model: SemanticModel | None) -> frozenset[str]:
    """Every metric's words (`metric_synonyms`), lower-cased, read once per semantic model:
    a segment name or a stored value spelt like one ("new customers") is the metric. None
    without a semantic model (readers are called with a model-less context in tests)."""
    if model is None:
        return frozenset()
    return _per_model(
        model,
        "lowered_metric_words",
        lambda m, _: frozenset(w.lower() for ws in metric_synonyms(m).values() for w in ws),
    )


_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _spaced_too(words: list[str]) -> list[str]:
    """The words, each hyphenated compound also written with a space ("first-time buyers"
    is also "first time buyers"): people write both, and a compound read only in one
    spelling lets a shorter word inside it ("buyers") name another metric."""
    spaced = [_INNER_HYPHEN.sub(" ", w.lower()) for w in words if "-" in w]
    return [*words, *(w for w in spaced if w not in words)]


_DIMENSION_KEY = "\0dimension:"  # no metric is named so


def metrics_named(text: str, model: SemanticModel, beside: Collection[str] = ()) -> list[str]:
    """The metrics a (blanked) text names, in text order.

    A metric named only by a word of its kind (lexicon `kind_words`: "money", "多少单")
    is left out when another metric of that kind is named: "the most money to
    returns" is the returns' money, "退货订单有多少单" counts the returned orders.
    `beside`: metrics the text named by a phrase already blanked (paired_metrics: "orders
    returned ... how many orders"), which a kind word beside them counts too.
    """
    words: dict[str, list[str]] = {}
    # Breakdown phrases compete in the same longest-match pass, so a metric word inside
    # one is used up by it: "by sales channel" asks for no sales (revenue).
    phrases = {_DIMENSION_KEY + d: ws for d, ws in dimension_synonyms(model).items()}
    # So do the countable things' own names: "订单行" (order lines) names no orders.
    phrases |= {_DIMENSION_KEY + t: list(ws) for t, ws in load_lexicon().countable.items()}
    for name, word in named_by(text, {**metric_synonyms(model), **phrases}):
        if not name.startswith(_DIMENSION_KEY):
            words.setdefault(name, []).append(word)
    lexicon = load_lexicon()
    kinds = lexicon.kind_words
    if _LISTING.search(text.lower()):
        beside = ()  # ("orders, and the ones refunded": listed apart, each its own figure)
    by_kind_only = [
        n
        for n, ws in words.items()
        if all(w in kinds.get(n, ()) for w in ws) and not _listed_apart(text, ws, words, n)
    ]
    # ("退货有多少单", "returns counted in orders": the money's own count, the returned orders)
    counted = {
        money: count
        for count, money in lexicon.amount_of.items()
        if money in words and money not in by_kind_only and count in model.metrics
        for name in by_kind_only
        if count != name
        and _kind(count, model) == _kind(name, model) is not None
        and not any(_AMOUNT_SAID.search(w) for w in words[money])
    }
    named = [counted.get(name, name) for name in words]
    return list(
        dict.fromkeys(
            name
            for name in named
            if name not in by_kind_only
            or not any(
                other not in by_kind_only and _kind(other, model) == _kind(name, model) is not None
                for other in [*named, *beside]
            )
        )
    )


# A money metric named by its amount ("退货金额", "refund value"): the money itself asked,
# which a count word beside it does not turn into a count.
_AMOUNT_SAID = re.compile(r"金额|额|钱|amount|value|money|\$|¥|rmb|sum", re.I)
# A list's joining word between two metrics ("orders and returned orders", "订单数和几单退货").
_LISTING = re.compile(r"\b(?:and|plus|as\s+well\s+as|also|vs\.?|versus)\b|&|和|以及|还有|跟|及|、")


def _listed_apart(text: str, kind_words: list[str], words: dict[str, list[str]], name: str) -> bool:
    """Whether a metric's kind words are listed apart from every other metric named (a
    joining word between them: "how many orders and how many returned orders"), so they ask
    for that metric of their own, not the other's unit."""
    lowered = text.lower()
    spans = [s for w in kind_words if (s := first_span(lowered, w, bounded=_bounded(w)))]
    others = [
        s
        for other, ws in words.items()
        if other != name
        for w in ws
        if (s := first_span(lowered, w, bounded=_bounded(w)))
    ]
    if not spans or not others:
        return False
    return all(
        _LISTING.search(lowered[min(a[1], b[1]) : max(a[0], b[0])]) for a in spans for b in others
    )


def _kind(metric: str, model: SemanticModel) -> str | None:
    """What a metric is: money, or a count of one column ("orders.order_id"
    for orders and returned orders alike); None for rates and other numbers."""
    definition = model.metric(metric)
    if definition.format == "money":
        return "money"
    first = definition.measures[0] if definition.measures else None
    if definition.format == "integer" and first and first.aggregate in ("count", "count_distinct"):
        return first.column
    return None


def paired_metrics(text: str, model: SemanticModel) -> tuple[list[str], str]:
    """The metrics a per-person phrase asks for together ("revenue per buyer": revenue and
    buyers, the two parts of the ratio the semantic model has no metric for), and the text
    with those phrases blanked. Pairs naming a metric the model lacks are skipped."""
    found, text = paired_at(text, model)
    return [m for m, _ in found], text


def _blank_said(match: re.Match[str]) -> str:
    """The phrase a metric pair matched, blanked; only its `said` group where the pattern has
    one (the context before it, "所有活动一共花了多少钱、" before "拉来多少新客", names other
    metrics that stay to be read)."""
    whole = match.group(0)
    if "said" not in match.re.groupindex or match.group("said") is None:
        return " " * len(whole)
    start, end = match.start("said") - match.start(), match.end("said") - match.start()
    return whole[:start] + " " * (end - start) + whole[end:]


def paired_at(text: str, model: SemanticModel) -> tuple[list[tuple[str, int]], str]:
    """`paired_metrics`, each metric with where its phrase starts in the text."""
    found: list[tuple[str, int]] = []
    lexicon = load_lexicon()
    for metrics, pattern in lexicon.metric_pair_patterns:
        match = pattern.search(text) if all(m in model.metrics for m in metrics) else None
        if match:
            found += [(m, match.start()) for m in metrics if m not in dict(found)]
            text = pattern.sub(_blank_said, text)
    for metrics, words in lexicon.metric_pairs:
        if not all(m in model.metrics for m in metrics):
            continue
        for word in sorted(words, key=len, reverse=True):
            span = first_span(text, word, bounded=_bounded(word))
            if span:
                found += [(m, span[0]) for m in metrics if m not in dict(found)]
                text = blank(text, [word])
    return found, text


def metrics_in_said_order(text: str, model: SemanticModel) -> tuple[list[str], list[str], str]:
    """The metrics a (blanked) text asks for, paired ones (`paired_metrics`) and named ones
    (`metrics_named`) together, in the order the text says them ("revenue ..., and how much
    was sent back": revenue, then returns, though the returns are read from a phrase); also
    the paired ones alone and the text with their phrases blanked."""
    paired, rest = paired_at(text, model)
    named = metrics_named(rest, model, [m for m, _ in paired])
    where = dict(paired)
    for name, word in named_by(rest, metric_synonyms(model)):
        span = first_span(rest, word, bounded=_bounded(word))
        if span and name in named:
            where.setdefault(name, span[0])
    ordered = list(dict.fromkeys([*(m for m, _ in paired), *named]))
    ordered.sort(key=lambda m: where.get(m, len(text)))
    return ordered, [m for m, _ in paired], rest


def pair_words() -> list[str]:
    """Every phrase of the lexicon's metric_pairs (known words for the accounting)."""
    return [w for _, words in load_lexicon().metric_pairs for w in words]


def with_gross_sales(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics, with gross sales added when "total sales" stands beside "net sales".

    "Total sales" alone is what most people call revenue (net sales); named in the
    same question as net sales it can only mean the other one, gross sales
    (MARKETING.md: revenue = gross sales - returns).
    """
    lexicon = load_lexicon()
    if "gross_sales" in metrics or "gross_sales" not in model.metrics or "revenue" not in metrics:
        return metrics
    says = [w for w in lexicon.total_words if first_span(text, w, bounded=_bounded(w))]
    net = [w for w in lexicon.net_words if first_span(text, w, bounded=_bounded(w))]
    if not (says and net):
        return metrics
    at = metrics.index("revenue")
    return [*metrics[:at], "gross_sales", *metrics[at:]]


def with_bare_amount(
    text: str, metrics: list[str], model: SemanticModel
) -> tuple[list[str], str | None]:
    """The metrics with the money a bare amount word asks for beside a count, and the amount
    words when their referent is unclear (to ask back about, never to drop).

    "订单数和金额", "orders and value", "几单、多少钱": the amount is the money of what is
    counted (lexicon amount_of: the revenue of orders or units, the returns of returned
    orders); "returns: count and amount" beside that money asks for its count too. A
    metric of money named already ("orders and revenue") is what the amount word restates.
    """
    lexicon = load_lexicon()
    amount = _first_match(text, "bare_amount")
    both = _first_match(text, "count_and_amount")
    if amount is None and both is None:
        return metrics, None
    money = [m for m in metrics if _kind(m, model) == "money"]
    if money:
        if both is None:
            return metrics, None
        counts = [c for m in money for c, of in lexicon.amount_of.items() if of == m]
        added = [c for c in counts[:1] if c in model.metrics and c not in metrics]
        return [*metrics, *added], None
    of = [lexicon.amount_of[m] for m in metrics if m in lexicon.amount_of]
    of = [m for m in dict.fromkeys(of) if m in model.metrics]
    if len(of) == 1:
        return [*metrics, *of], None
    return metrics, (amount or both)


def _first_match(text: str, reader: str) -> str | None:
    """The text of the first match in `text` of a reader's patterns (compiled once as one
    pattern), else None. Its one caller (`with_bare_amount`) asks whether any matches and
    names the matched words in a question back: no lexicon order is relied on."""
    found = reader_pattern(reader).search(text)
    return found.group(0) if found else None


def definition_patterns(metric: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A metric's restated definitions (lexicon restated_definitions): the patterns that
    agree with the semantic model's definition, and those that contradict it."""
    return load_lexicon().restated_definitions.get(metric, ((), ()))


def metric_qualifiers(metrics: list[str]) -> list[str]:
    """The words that only restate one of these metrics ("net" of revenue): placed by it."""
    qualifiers = load_lexicon().metric_qualifiers
    return [w for m in metrics for w in qualifiers.get(m, ())]


def dimension_synonyms(model: SemanticModel) -> Synonyms:
    """{dimension: words}: the semantic model's synonyms plus the lexicon's phrases, plus a
    distributive word before a dimension's plain noun ("各个营销活动", "每个月份", "each
    marketing campaign": English words joined by a space, each language with its own).

    Read once per semantic model and lexicon, read-only (as `metric_synonyms`)."""
    return _per_model(model, "dimension_synonyms", _build_dimension_synonyms)


def _build_dimension_synonyms(model: SemanticModel, lexicon: Lexicon) -> Synonyms:
    phrases = lexicon.dimension_phrases
    out = {}
    for d in model.dimensions.values():
        words = [*d.synonyms.all(), *phrases.get(d.name, ())]
        # The store's own names: "signup_channel", "orders.channel", "customers.city".
        columns = [c for c in (d.column, *d.columns.values()) if c]
        words += [
            w
            for w in dict.fromkeys([d.name, *columns])
            # a column of the orders or customers table only, never a bare "month"
            if w
            and ("_" in w or "." in w)
            and any(c.startswith(("orders.", "customers.")) for c in columns)
            and w not in words
        ]
        nouns = [d.label.zh.lower(), *lexicon.dimension_nouns.get(d.name, ())]
        words += [
            f"{p} {n}" if n.isascii() else f"{p}{n}"
            for n in nouns
            if n not in words
            for p in lexicon.distributive
            if p.isascii() == n.isascii()
        ]
        out[d.name] = tuple(_spaced_too(words))
    return MappingProxyType(out)


_BLANKED = re.compile(r"\s{2,}")
_BLANKED_CJK = re.compile(r"(?<=哪个|哪些)\s{2,}(?=[\u4e00-\u9fff])")


def breakdowns_named(text: str, model: SemanticModel) -> list[str]:
    """The dimensions a (period- and value-blanked) text asks to break down by.

    A store value or period inside a breakdown phrase qualifies it and does not break
    it: "per email campaign" is per campaign (of email), "每个2026年的活动" per campaign.
    """
    # ("哪个邮件活动": a value blanked after 哪个 leaves "哪个活动", as "which email campaign"
    # leaves "which campaign"; "所有短信活动合在一起" stays no "所有活动" breakdown)
    plain = _BLANKED.sub(" ", _BLANKED_CJK.sub("", text))
    found = named(plain, dimension_synonyms(model))
    each = re.search("|".join(f"(?:{p})" for p in reader_words("each_of_those")), plain, re.I)
    if each:
        # "campaigns that ran in May - CTR for each one": the noun said before, one row each
        nouns = load_lexicon().dimension_nouns
        for d in model.dimensions.values():
            words = [d.label.zh.lower(), *nouns.get(d.name, ())]
            before = plain[: each.start()].lower()
            if (
                d.name not in found
                and not d.time_grain
                and any(
                    next(literal_spans(before, w, bounded=not has_cjk(w)), None) for w in words if w
                )
            ):
                found.append(d.name)
    return _without_noun_said_again(plain, found, model)


def _without_noun_said_again(plain: str, found: list[str], model: SemanticModel) -> list[str]:
    """`found` without a dimension whose every word is the head noun of another breakdown's
    word said before it and pointed back at (reader_words noun_pointed_back: "按注册渠道看
    复购率，哪个渠道拉来的会员最好", "by signup channel - which channel's members repeat
    most"): the same breakdown, no second one. "by signup channel and by channel" keeps both."""
    if len(found) < 2:
        return found
    pairs = named_by(plain, dimension_synonyms(model))
    back = reader_pattern("noun_pointed_back")
    lowered = plain.lower()
    dropped = set()
    for name in found:
        words = {w for n, w in pairs if n == name}
        longer = [(n, w) for n, w in pairs if n != name and n in found and n not in dropped]
        if not words or not longer:
            continue
        again = True
        for word in words:
            said = word.lower()
            for start, _ in literal_spans(lowered, said, bounded=not has_cjk(word)):
                earlier = [w.lower() for _, w in longer if w.lower() in lowered[:start]]
                # the noun may carry the pointing word in it ("哪个渠道"): any of its tails
                if not any(
                    any(h.endswith(said[k:]) and h != said[k:] for h in earlier)
                    and back.search(lowered[max(0, start + k - 12) : start + k])
                    for k in range(len(said))
                    if said[k:].strip()
                ):
                    again = False
        if again:
            dropped.add(name)
    return [d for d in found if d not in dropped]


# A dimension synonym that itself says "all" ("all campaigns", "所有活动").
_ALL_IN_WORD = re.compile(r"(?i)(?:all\s|所有|全部)")
# One that says "every" or "all" in English ("every campaign", "all channels").
_EVERY_IN_WORD = re.compile(r"(?i)(?:all|every)\s")


def whole_not_broken_down(
    text: str, dimensions: list[str], model: SemanticModel, raw: str = ""
) -> list[str]:
    """The `dimensions` (named in the blanked `text`) that are a breakdown, without those
    whose noun names the whole: "all/所有/全部" just before it ("上个月所有商品的总销售额",
    "total sales of all products": one figure), or "total/总" in a text with no word of a
    breakdown or a ranking ("本月售出商品的总金额"); "across every/all" before it or
    "combined/加起来" after it ("open rate across every email campaign", "各个渠道加起来"),
    whatever else is said; a noun said with all when the asker wants one figure (`raw`,
    the question as written: "all the email campaigns this year, just one number").
    "各商品的销售额", "按商品", "revenue by product" and "top 5 products" stay breakdowns
    (lexicon: whole_before, whole_total, whole_across, whole_after, whole_one_figure,
    breakdown_marks)."""
    if not dimensions:
        return dimensions
    marked = any(re.search(p, text) for p in reader_words("breakdown_marks"))
    total = not marked and any(re.search(p, text) for p in reader_words("whole_total"))
    one_figure = any(re.search(p, raw) for p in reader_words("whole_one_figure"))
    before = [re.compile(p) for p in reader_words("whole_before")]
    across = [re.compile(p) for p in reader_words("whole_across")]
    after = [re.compile(p) for p in reader_words("whole_after")]
    whole: set[str] = set()
    said_all: set[str] = set()
    plain = _BLANKED.sub(" ", text)
    for name, word in named_by(plain, dimension_synonyms(model)):
        if name not in dimensions or name in whole or model.dimension(name).time_grain:
            continue  # "total revenue monthly": over time is always a breakdown
        spans = list(literal_spans(plain, word, bounded=not has_cjk(word)))
        all_before = bool(spans) and all(any(b.search(plain[:s]) for b in before) for s, _ in spans)
        pooled = bool(spans) and all(
            any(a.search(plain[:s]) for a in across)
            and (
                _EVERY_IN_WORD.match(word)
                or any(b.search(plain[:s]) for b in before)
                or re.search(r"(?i)\b(?:all|every)\b", plain[max(0, s - 16) : s])
            )
            or any(a.search(plain[e:]) for a in after)
            for s, e in spans
        )
        if total or pooled or (not marked and all_before):
            whole.add(name)
        elif all_before or _ALL_IN_WORD.match(word):
            said_all.add(name)
    if one_figure:
        whole |= said_all  # "all the email campaigns we sent, just one number"
    # "click rate per channel across every campaign in 2026", "按渠道看今年所有活动的点击率": beside another
    # breakdown, the noun said with "all" is the scope the breakdown pools, not a second one.
    if said_all and [d for d in dimensions if d not in said_all and d not in whole]:
        whole |= said_all
    return [d for d in dimensions if d not in whole]


def breakdowns_refused(text: str, dimensions: list[str], model: SemanticModel) -> list[str]:
    """The `dimensions` without those whose every word in `text` is set aside or pooled
    right before it (lexicon reader_words `breakdown_refused`: "overall, not per variant",
    "orders (any channel)", "不分渠道", "不限渠道"): the figure over all of its values, one."""
    if not dimensions:
        return dimensions
    before = [re.compile(p, re.I) for p in reader_words("breakdown_refused")]
    plain = _BLANKED.sub(" ", text)
    lowered = plain.lower()
    refused: set[str] = set()
    for name, word in named_by(plain, dimension_synonyms(model)):
        if name not in dimensions:
            continue
        spans = literal_spans(lowered, word.lower(), bounded=not has_cjk(word))
        if spans and all(any(b.search(lowered[:s]) for b in before) for s, _ in spans):
            refused.add(name)
    return [d for d in dimensions if d not in refused]


def unsupported_in(text: str, model: SemanticModel) -> tuple[Unsupported, str] | None:
    """The first unmeasured thing the (already blanked) text asks about, and the word used."""
    for group in load_lexicon().unsupported:
        if group.metric in model.metrics:
            continue  # the model measures it now; its words name the metric instead
        for word in sorted(group.words, key=len, reverse=True):
            at = 0
            while span := first_span(text[at:], word, bounded=_bounded(word)):
                span = (span[0] + at, span[1] + at)
                if not _straddles(text, span, model):
                    return group, text[span[0] : span[1]]
                at = span[0] + 1
    return None


def _straddles(text: str, span: tuple[int, int], model: SemanticModel) -> bool:
    """Whether a Chinese word found at `span` runs across the edge of a known word of the
    store (a metric's or a breakdown's) that overlaps it in part: 月活 inside "每个月活动"
    ends in the middle of 活动 (the campaigns), so it is no word of the question."""
    found = text[span[0] : span[1]]
    if not has_cjk(found):
        return False
    lowered = text.lower()
    window = lowered[max(0, span[0] - 6) : span[1] + 6]
    offset = max(0, span[0] - 6)
    for word in _cjk_store_words(model):
        start = window.find(word)
        while start >= 0:
            a, b = start + offset, start + offset + len(word)
            if (a < span[0] < b < span[1]) or (span[0] < a < span[1] < b):
                return True
            start = window.find(word, start + 1)
    return False


def _cjk_store_words(model: SemanticModel) -> frozenset[str]:
    """The Chinese words of the store's metrics and breakdowns, lower-cased, per model."""
    return _per_model(
        model,
        "cjk_store_words",
        lambda m, _lexicon: frozenset(
            w.lower()
            for synonyms in (metric_synonyms(m), dimension_synonyms(m))
            for ws in synonyms.values()
            for w in ws
            if has_cjk(w) and len(w) > 1
        ),
    )


def blank(text: str, words: list[str]) -> str:
    """The text with every occurrence of the words (longest first) replaced by spaces.

    Of two words of one length, the one written further right goes first: a Chinese
    compound ends in its head ("宠物用品类目": 类目 before 品类, leaving 宠物用品 whole).
    The order used to follow the set's hash order, so a run could read it either way.
    """
    return _blank_lowered(text, {w.lower() for w in words})


def _blank_lowered(text: str, words: Collection[str]) -> str:
    """`blank` of words already lower-cased."""
    present = [w for w in words if w and w in text]
    for word in sorted(present, key=lambda w: (-len(w), -text.rfind(w), w)):
        text = replace_literal(text, word, lambda found: " " * len(found), bounded=_bounded(word))
    return text


def blanked_known_words(text: str, model: SemanticModel) -> str:
    """`text` with every word the vocabulary knows blanked (metrics, dimensions, unsupported
    metrics, segments, pairs, Latin function words): what `unplaced_words` reads."""
    lexicon = load_lexicon()
    # An RFM segment's name is placed whole: "沉睡客户花了多少钱" is that segment's spend, and
    # the customers' spend pattern must not take its 客户 and leave 沉睡 unplaced. The
    # patterns still see its people noun ("沉睡客户上个月消费了多少": 客户 spent).
    # A segment's name inside a metric phrase is part of that phrase ("获取新客户花了多少钱":
    # the money spent winning new customers, not the New Customers segment).
    phrases = [m.span() for _, p in lexicon.metric_pair_patterns for m in p.finditer(text)]
    # So is a segment's name inside a longer metric word ("brand-new customers": the new
    # customers metric, not "brand" beside the New Customers segment).
    longer = _metric_word_spans(text, model)
    segments = [
        (s, e)
        for s, e in _segment_spans(text)
        if not any(a <= s and e <= b for a, b in phrases)
        and not any(a <= s and e <= b and b - a > e - s for a, b in longer)
    ]
    text = _with_people_nouns_only(text, segments)
    for _, pattern in lexicon.metric_pair_patterns:  # "spend per head": placed as a pair
        text = gap_blanked(pattern, text)  # (but the words of its gaps: "in Kunming")
    for words in reader_words("units_per_order"):  # "每单几件": asked about by its reader
        text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    for start, end in top_n_spans(text):  # "top twenty", "前二十": the ranking's number
        text = text[:start] + " " * (end - start) + text[end:]
    for words in reader_words("framing_clauses"):  # "for the MBR deck": why, never what
        text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    for words in reader_words("metric_seen_verbs"):  # "done with units, now revenue"
        text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    # Every Latin known word where it stands in the text as given, overlapping ones too:
    # "attributed revenue from campaigns" holds two names of one metric ("attributed revenue",
    # "revenue from campaigns"), and blanking the longer first would leave "attributed"
    # unplaced. (Chinese words overlap across word breaks: "宠物用品类目" holds 品类 but
    # names no category 品类, so those are blanked longest first only.)
    # (the known words scanned for once; both steps read only those the text holds)
    present = [w for w in _per_model(model, "known_words", _build_known_words) if w and w in text]
    spans = [
        span
        for word in present
        if " " in word and not has_cjk(word)
        for span in literal_spans(text, word, bounded=True)
    ]
    text = _blanked_spans(_blank_lowered(text, present), spans)
    text = _blanked_spans(text, segments)
    return blank(text, [w for w in lexicon.function_words if not has_cjk(w)])


def _metric_word_spans(text: str, model: SemanticModel) -> list[tuple[int, int]]:
    """Where the metrics' words (lower-cased) stand in a lower-cased text."""
    words = {w.lower() for ws in metric_synonyms(model).values() for w in ws}
    return [
        span
        for w in words
        if w and w in text
        for span in literal_spans(text, w, bounded=_bounded(w))
    ]


_PEOPLE_NOUN = re.compile(r"(?:客户|customers)$")


def _segment_spans(text: str) -> list[tuple[int, int]]:
    """Where the RFM segments' names stand in a (lower-cased) text, longest names first."""
    spans: list[tuple[int, int]] = []
    for word in sorted({w.lower() for w in segment_words()}, key=len, reverse=True):
        for start, end in literal_spans(text, word, bounded=_bounded(word)):
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    return spans


def _with_people_nouns_only(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each segment name blanked but its closing people noun (客户, customers)."""
    for start, end in spans:
        noun = _PEOPLE_NOUN.search(text[start:end])
        stop = start + noun.start() if noun else end
        text = text[:start] + " " * (stop - start) + text[stop:]
    return text


def _blanked_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _build_known_words(model: SemanticModel, lexicon: Lexicon) -> frozenset[str]:
    """The words `blanked_known_words` blanks first, lower-cased once per model and lexicon."""
    known = [w for ws in metric_synonyms(model).values() for w in ws]
    known += [w for ws in dimension_synonyms(model).values() for w in ws]
    known += [w for group in lexicon.unsupported for w in group.words]
    known += segment_words()
    known += pair_words()
    return frozenset(w.lower() for w in known)


def unplaced_words(text: str, model: SemanticModel, blanked: str | None = None) -> list[str]:
    """Content words of a (lower-cased, period- and value-blanked) text that nothing claims.

    Adjacent unknown words come back as one phrase ("loyalty tier"). Chinese has
    no spaces, so a CJK run is reduced by the known words inside it and what
    remains (two characters or more) is reported. `blanked`: the text's
    `blanked_known_words`, when the caller has it already.
    """
    lexicon = load_lexicon()
    before = text
    text = blanked if blanked is not None else blanked_known_words(text, model)
    chinese = frozenset(w for w in lexicon.function_words if has_cjk(w))
    letters = _paired_letters(before)
    dates = [m.group(0).strip() for m in _DATE_FRAGMENT.finditer(before)]
    phrases: list[str] = list(dates)
    # A Chinese place the store does not hold (its own are blanked before): named whole, never
    # cut into a character and a function word ("台中" is 台 + 中 "in")
    for place in (*CITY_NAMES_EN, *PROVINCE_NAMES_EN):
        at = text.find(place)
        if at >= 0:
            phrases.append(place)
            text = text[:at] + " " * len(place) + text[at + len(place) :]
    current: list[str] = []
    last_end = -1
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.start() in letters:
            # "revenue a and b": two letters joined, codes of nothing read (variants are
            # read as values where the question is about a test): asked about, not dropped.
            if current:
                phrases.append(" ".join(current))
                current = []
            continue
        if has_cjk(token):
            rest = cjk_residue(token, chinese)
            if len(token) == 1 and token in _ROLE_SUFFIXES:
                # "销售员", "店员": a person's role made from a known word plus one character.
                rest = [_with_preceding(before, match.start(), token)]
            if current:
                phrases.append(" ".join(current))
                current = []
            phrases.extend(rest)
            continue
        if (
            token in lexicon.function_words
            or len(token) < 2
            or _TOP_N_TOKEN.fullmatch(token)
            or _ORDINAL_TOKEN.fullmatch(token)
        ):
            continue
        gap = text[last_end : match.start()] if last_end >= 0 else ""
        if current and gap.strip(" ") == "" and len(gap) <= 2:
            current.append(token)
        else:
            if current:
                phrases.append(" ".join(current))
            current = [token]
        last_end = match.end()
    if current:
        phrases.append(" ".join(current))
    if letters:  # as written between the first and last letter ("a and b"), the article too
        phrases.append(before[min(letters) : max(letters) + 1])
    tails = [
        *dimension_tails(before, model, text),
        *_unknown_breakdowns(before, text, chinese, model),
    ]
    phrases = [p for p in phrases if not any(p in tail for tail in tails)]
    phrases = [p for p in phrases if not glossed_by_segment(before, p)]
    phrases = [p for p in phrases if p in dates or not any(p in d for d in dates)]
    return list(dict.fromkeys([*tails, *phrases]))


def _unknown_breakdowns(
    before: str, blanked: str, chinese: frozenset[str], model: SemanticModel
) -> list[str]:
    """What a Chinese breakdown is by ("按会员积分段看"), where the vocabulary leaves any of its
    characters unclaimed, even one split off by a function word (积 of 积分): the phrase
    whole, a breakdown the store has no field for (lexicon reader_words.breakdown_by_zh).
    An attribute noun right after a breakdown word ("按渠道类型": the channel's type) names
    that breakdown, as "channel type" does in English: it leaves nothing unclaimed (a
    grouping noun such as 等级/组 still makes another thing, `dimension_tails`)."""
    grouping = set(reader_words("grouping_nouns"))
    attributes = sorted(
        (w for w in reader_words("attribute_nouns") if has_cjk(w) and w not in grouping),
        key=len,
        reverse=True,
    )
    ends = [end for _, end in dimension_spans(before, model)]
    found = []
    for match in reader_pattern("breakdown_by_zh").finditer(before):
        start, end = match.span("what")
        what = blanked[start:end]
        for at in ends:
            noun = next((w for w in attributes if before.startswith(w, at)), None)
            if noun and start <= at < end:
                offset = at - start
                what = what[:offset] + " " * len(noun) + what[offset + len(noun) :]
        if any(cjk_residue(run, chinese, shortest=1) for run in what.split()):
            found.append(before[start:end])
    return found


def glossed_by_segment(text: str, phrase: str) -> bool:
    """Whether `phrase` is written right before an RFM segment's name in brackets
    ("重要挽留客户(At Risk)", "top spenders (Champions)"): the bracket says what it names,
    so the segment is read and the phrase is its other name, not a word left unread."""
    from tools.segments.rfm import SEGMENT_RULES  # tools import the vocabulary's users

    names = sorted(
        (n.lower() for r in SEGMENT_RULES for n in (r.name, r.name_zh)), key=len, reverse=True
    )
    gloss = "|".join(re.escape(n) for n in names)
    people = r"(?:\s*(?:customers?|buyers?|members?|shoppers?|users?))?|[\u4e00-\u9fff]{0,2}"
    pattern = rf"{re.escape(phrase)}(?:{people})\s*[(（]\s*(?:{gloss})\s*[)）]"
    return re.search(pattern, text) is not None


_LETTER = re.compile(r"(?<![a-z0-9/'’.-])[a-z](?![a-z0-9/'’.-])")


def _paired_letters(text: str) -> set[int]:
    """Starts of single Latin letters joined to another one ("a and b", "a和b", "x vs y"):
    stray codes, never a word of the question's own (a lone article "a" is)."""
    joiner = reader_pattern("value_siblings")
    found = list(_LETTER.finditer(text))
    starts: set[int] = set()
    for first, second in zip(found, found[1:], strict=False):
        join = joiner.match(text, first.end())
        if join is not None and join.end() == second.start() and join.group(0).strip() != "/":
            starts |= {first.start(), second.start()}
    return starts


def dimension_tails(text: str, model: SemanticModel, blanked: str) -> list[str]:
    """Breakdown words written with a word after them that makes them another thing: "city
    cluster" ("城市群"), "channel group" ("渠道组"), "city tier": not the city or channel
    breakdown, so the whole phrase is unplaced. The tail is a grouping noun of the lexicon
    (reader_words `grouping_nouns`, function words among them), or in Chinese one character
    that no known word claims (the reader would drop it as a stray character). `blanked`:
    the text's `blanked_known_words`."""
    grouping = reader_words("grouping_nouns")
    latin = frozenset(w for w in grouping if not has_cjk(w))
    chinese = tuple(sorted((w for w in grouping if has_cjk(w)), key=len, reverse=True))
    function_words = load_lexicon().function_words
    found: list[str] = []
    for start, end in dimension_spans(text, model):
        if not starts_cjk(text[start]):
            following = re.match(r"\s+([a-z]+)", text[end:])
            if following and following.group(1) in latin:
                found.append(text[start : end + following.end(1)])
            continue
        head = next((w for w in chinese if text.startswith(w, end)), None)
        if head:
            found.append(text[start : end + len(head)])
            continue
        stray = text[end : end + 1]
        if (
            stray
            and starts_cjk(stray)
            and blanked[end : end + 1] == stray
            and not any(text.startswith(w, end) for w in function_words if starts_cjk(w))
            and not (
                blanked[end + 1 : end + 2].strip()
                and not any(text.startswith(w, end + 1) for w in function_words)
            )
        ):
            found.append(text[start : end + 1])
    return found


def dimension_spans(text: str, model: SemanticModel) -> list[tuple[int, int]]:
    """Where the text names a breakdown, longest synonym first (as `named_by` reads it)."""
    words = sorted(
        {w.lower() for ws in dimension_synonyms(model).values() for w in ws}, key=len, reverse=True
    )
    taken: list[tuple[int, int]] = []
    for word in words:
        if word not in text:
            continue
        for span in literal_spans(text, word, bounded=not has_cjk(word)):
            if not any(span[0] < e and s < span[1] for s, e in taken):
                taken.append(span)
    return sorted(taken)


# One character that turns the word before it into a person's role (店员 staff, 销售员
# salesperson, 店长 manager): never dropped as a stray character.
_ROLE_SUFFIXES = frozenset("员长师")
_PERSON_SUFFIXES = frozenset("人")
_TOP_N_TOKEN = re.compile(r"top\d+")


def cjk_residue(run: str, function_words: frozenset[str], shortest: int = 2) -> list[str]:
    """The unknown parts (two characters or more) of a run of Chinese characters, after
    taking the function words out left to right, longest first at each position.

    Scanning left to right keeps a function word from being cut out of the middle of
    another word, as a replace of each function word over the whole run did.
    One-character leftovers are dropped, except a role character after a one-character
    function word ("店" + "员": 店员 is reported).
    """
    longest = max((len(w) for w in function_words), default=0)
    parts: list[str] = []
    current = ""
    last_word = ""
    at = 0
    while at < len(run):
        size = next(
            (
                n
                for n in range(min(longest, len(run) - at), 0, -1)
                if run[at : at + n] in function_words
            ),
            0,
        )
        if size:
            if current and size == 1 and run[at] in _PERSON_SUFFIXES:
                # "达人", "网红达人": unknown characters made a person by 人 are one word,
                # reported whole, never dropped (one character) nor cut before 人.
                parts.append(current + run[at])
                current = ""
                last_word = run[at]
                at += 1
                continue
            if current:
                parts.append(current)
                current = ""
            last_word = run[at : at + size]
            at += size
            continue
        if not current and run[at] in _ROLE_SUFFIXES and len(last_word) == 1:
            current = last_word
        elif not current and (mark := _per_unit_mark_before(run, at, function_words)) is not None:
            # "上海各个区", "每个区": one character counted by "each" is the unit of a breakdown
            # asked for, reported with its mark ("各个区"), never dropped.
            parts.append(run[mark : at + 1])
            at += 1
            continue
        current += run[at]
        at += 1
    if current:
        parts.append(current)
    return [part for part in parts if len(part) >= shortest]


def _per_unit_mark_before(run: str, at: int, function_words: frozenset[str]) -> int | None:
    """Where the per-unit mark ("各个", "每个", "各": lexicon per_unit_marks) ending right
    before run[at] starts, when run[at] is one character standing alone after it (a function
    word or the run's end follows); else None."""
    after = at + 1
    if after < len(run) and not any(run.startswith(w, after) for w in function_words):
        return None
    starts = [
        m.start() for m in reader_pattern("per_unit_marks").finditer(run, 0, at) if m.end() == at
    ]
    return min(starts) if starts else None


def _with_preceding(text: str, at: int, char: str) -> str:
    """`char` with up to two Chinese characters written right before it in `text`."""
    start = at
    while start > 0 and at - start < 2 and starts_cjk(text[start - 1]):
        start -= 1
    return text[start:at] + char


@cache
def segment_words() -> list[str]:
    """The RFM segment names in English and Chinese: words the store's own segmentation uses."""
    from tools.segments.rfm import SEGMENT_RULES  # tools import nothing from copilot

    words = [w for r in SEGMENT_RULES for w in (r.name.lower(), r.name_zh)]
    return [*words, *(w.replace("'", "’") for w in words)]


def suggestions(
    phrase: str,
    model: SemanticModel,
    values: ValueIndex,
    limit: int = 3,
    language: str = "en",
    dimensions: Collection[str] | None = None,
    score_cutoff: float = 80,
) -> list[str]:
    """The closest metric, dimension and store-value names to an unknown phrase (rapidfuzz),
    written in `language`: "Churn rate", "by channel", "上海 (city)" / "流失率", "按渠道".

    With `dimensions`, only the store values of those dimensions, best first, written as
    the language names them ("Shanghai (city)" / "上海（城市）")."""

    def dimension(name: str) -> str:
        if language == "en" or name not in model.dimensions:
            return name.replace("_", " ")
        return model.dimension(name).label.in_language(language)

    choices: dict[str, str] = {}
    if dimensions is not None:
        for word, (name, value) in values.entries.items():
            if name in dimensions:
                shown = value_name(value, name, values, language)
                choices.setdefault(
                    word,
                    tr(language, "{value} ({dimension})", value=shown, dimension=dimension(name)),
                )
    else:
        for name, words in metric_synonyms(model).items():
            label = model.metric(name).label.in_language(language)
            for word in words:
                choices.setdefault(word, label)
        for name, words in dimension_synonyms(model).items():
            # A clause naming a breakdown ("channel they signed up through") is no name to
            # offer: it would put the signup channel beside a misspelt "channel".
            for word in (w for w in words if len(w.split()) <= 3):
                choices.setdefault(word, tr(language, "by {dimension}", dimension=dimension(name)))
        for word, (name, value) in values.entries.items():
            choices.setdefault(
                word, tr(language, "{value} ({dimension})", value=value, dimension=dimension(name))
            )
    numbers = set(re.findall(r"\d+", phrase))
    found = process.extract(
        phrase.lower(),
        [w for w in choices if not _number_named_only(w, phrase.lower(), numbers)],
        scorer=fuzz.WRatio,
        limit=limit * 4,
        score_cutoff=score_cutoff,
    )
    return list(dict.fromkeys(choices[word] for word, _, _ in found))[:limit]


def _number_named_only(word: str, phrase: str, numbers: set[str]) -> bool:
    """Whether a name shares with the phrase only a comparison word and says a number the
    phrase does not hold ("aged under 25", the age band <25, for "under IFRS 15" or "under"
    alone): the comparison word is no near-miss of the name."""
    own = set(re.findall(r"\d+", word))
    if not own or own <= numbers:
        return False
    comparisons = {
        token
        for words in load_lexicon().comparison_words.values()
        for w in words
        for token in w.lower().split()
    }
    shared = set(re.findall(r"[a-z]+", word.lower())) & set(re.findall(r"[a-z]+", phrase))
    return shared <= comparisons


def value_name(value: str, dimension: str, values: ValueIndex, language: str) -> str:
    """A store value as an answer in `language` names it: an English question gets the
    value's Latin name where the store has one ("Shanghai" for 上海), else the value."""
    if language == "zh" or value.isascii():
        return value
    for word, entry in values.entries.items():
        if entry == (dimension, value) and word.isascii():
            return word.title()
    return value
