"""The store's own values (cities, channels, ...) so questions can name them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from copilot.offline.clock import planner_today
from copilot.offline.words import literal_spans
from knowledge.place_names import city_short_forms, english_aliases
from knowledge.semantic import SemanticModel
from knowledge.semantic.values import DATED, DESCRIBED, WITHIN, dimension_values, reads_state
from knowledge.store.facts_cache import FactsCache

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A value written bare after a joiner: a code of letters or digits, with a suffix of its noun.
_BARE_VALUE = re.compile(r"([a-z0-9]{1,3})(?![a-z0-9])(?:\s*(?:组|版本|版))?")
_FOLLOWING_WORD = re.compile(r"\s+([a-z]+)(?![a-z])")
# Words that pick or rank the products themselves ("the top 5 baby products", "which skincare
# items"): there the noun after the category still asks for the products.
_RANKS = re.compile(
    r"(?<![a-z])(?:top|bottom|best|worst|which|each|every|per|most|least|ranked|ranking|list"
    r"|best-selling|bestselling|top-selling)(?![a-z])"
)


# A Chinese category word said with 类 ("母婴类", "母婴类产品", "护肤类商品") is the same
# category: the class word and the trade nouns after it add nothing.
def _category_nouns() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lexicon's nouns of goods said after a category (reader_words.category_nouns): the
    Latin ones ("goods", "gear") and the Chinese trade nouns ("产品", "用品")."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    nouns = tuple(w.lower() for w in reader_words("category_nouns"))
    return (
        tuple(n for n in nouns if not _CJK.search(n)),
        tuple(n for n in nouns if _CJK.search(n)),
    )


def _class_forms(word: str) -> list[str]:
    """A Chinese category word and its forms with 类 and a trade noun ("母婴" -> "母婴类",
    "母婴类产品", "母婴商品"...)."""
    trade = _category_nouns()[1]
    head = next((word[: -len(n)] for n in trade if word.endswith(n)), word)
    if len(head) < 2 or head.endswith(("类", "品")):
        return [word]
    return [word, f"{head}类", *(f"{head}类{n}" for n in trade), *(f"{head}{n}" for n in trade)]


@dataclass
class ValueIndex:
    """Words (a value or an alias of it) -> (dimension, stored value)."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Breakdown words whose end can start a value word of their own dimension ("男女" and
    # "女客户" in "男女客户"): word -> dimension (see `find`).
    breakdown_words: dict[str, str] = field(default_factory=dict)
    # Every stored value of each indexed dimension, codes included (gender "F", "M").
    stored: dict[str, set[str]] = field(default_factory=dict)
    # The warehouse's (dimension, value, alias) rows the index was built from: kept so that
    # re-reading the state's values (saved segments) does not query the warehouse again.
    warehouse_rows: tuple[tuple[str, str, str | None], ...] = ()
    # The product breakdown's plain English nouns ("products", "items"): written right after a
    # category ("baby products") they are part of the category's name, not a breakdown.
    product_nouns: frozenset[str] = frozenset()
    # What the store says of each value of a dimension with a `descriptions` column (a
    # campaign's goal): dimension -> value -> text. Never a word that finds the value (`find`):
    # only what a question back about a value the store lacks offers first.
    descriptions: dict[str, dict[str, str]] = field(default_factory=dict)
    # The broader dimension's values each value lies in (a dimension's `within`: a city's
    # province): (dimension, broader dimension) -> value -> broader values.
    within: dict[tuple[str, str], dict[str, set[str]]] = field(default_factory=dict)
    # Each value's own days (a dimension's `starts` / `ends`: a campaign's run), as a period
    # phrase "2026-04-08..2026-04-22": dimension -> value -> phrase.
    days: dict[str, dict[str, str]] = field(default_factory=dict)

    def replace_with(self, other: ValueIndex) -> None:
        """Take `other`'s values in place: the planner holds this object, so a segment saved
        during a conversation (an RFM run, a rule segment) is known from the next question."""
        (
            self.entries,
            self.breakdown_words,
            self.stored,
            self.warehouse_rows,
            self.product_nouns,
            self.descriptions,
            self.within,
            self.days,
        ) = (
            other.entries,
            other.breakdown_words,
            other.stored,
            other.warehouse_rows,
            other.product_nouns,
            other.descriptions,
            other.within,
            other.days,
        )

    def with_state_reread(self, state: Engine, model: SemanticModel) -> ValueIndex:
        """This index with the values kept in the copilot's `state` store (saved segment
        names, RFM run segments) read again and the warehouse's values kept as they were:
        what a tool that saved segments changed, without a query of the warehouse."""
        return self._indexed(list(self.warehouse_rows), _state_rows(state, model), model)

    @classmethod
    def from_store(
        cls,
        engine: Engine,
        model: SemanticModel,
        cache: FactsCache | None = None,
        state: Engine | None = None,
    ) -> ValueIndex:
        """Index the distinct values (and aliases) of every column dimension of the semantic model.

        With a `cache`, the warehouse's values come from it (no statement while the
        warehouse is unchanged); saved-segment names are always read live, from the
        copilot's `state` store when given (they are not warehouse data).
        """
        if cache is None:
            warehouse = list(dimension_values(engine, model, lambda d: not reads_state(model, d)))
            return cls._indexed(warehouse, _state_rows(engine, model), model)
        warehouse = list(cache.facts(engine, model).values)
        return cls._indexed(
            warehouse, _state_rows(state if state is not None else engine, model), model
        )

    @classmethod
    def _indexed(
        cls,
        warehouse: list[tuple[str, str, str | None]],
        state: list[tuple[str, str, str | None]],
        model: SemanticModel,
    ) -> ValueIndex:
        """The index of the warehouse's and the state's (dimension, value, alias) rows."""
        index = cls(warehouse_rows=tuple(warehouse))
        values = [*warehouse, *state]
        from copilot.offline.vocabulary import lowered_metric_words  # it imports this module

        # A value spelt like a metric's word (the RFM segment "New Customers", the metric "new
        # customers") is not found by that word: the metric is; the segment's own readers
        # (written as a name, beside "segment") still reach it.
        metric_words = lowered_metric_words(model)
        for dimension, value, text in [row for row in values if row[0].startswith(DESCRIBED)]:
            if text:
                index.descriptions.setdefault(dimension[len(DESCRIBED) :], {})[value] = text
        values = [row for row in values if not row[0].startswith(DESCRIBED)]
        for dimension, value, days in [row for row in values if row[0].startswith(DATED)]:
            if days:
                index.days.setdefault(dimension[len(DATED) :], {})[value] = days
        values = [row for row in values if not row[0].startswith(DATED)]
        for dimension, value, broader in [row for row in values if row[0].startswith(WITHIN)]:
            narrow, _, wide = dimension[len(WITHIN) :].partition(":")
            index.within.setdefault((narrow, wide), {}).setdefault(value, set()).add(broader or "")
        values = [row for row in values if not row[0].startswith(WITHIN)]
        for dimension, value, alias in values:
            index.stored.setdefault(dimension, set()).add(value)
            if dimension == "language":  # "zh"/"en" would match ordinary words
                continue
            if value.lower() in metric_words:
                continue
            index.add(dimension, value)
            if alias:
                index.add(dimension, value, alias)
            for word in model.dimension(dimension).value_aliases.get(value, []):
                index.add(dimension, value, word)
        # ("ex-SH", "BJ vs SH": a city's short form where it names one store city only)
        for form, city in city_short_forms(index.stored.get("city", set())).items():
            index.add("city", city, form)
        # A computed dimension's values are no column's: the age bands ("25-34") are named as
        # the compiler writes them, so "women 25-34" keeps its band as a filter.
        from knowledge.semantic.compiler import AGE_BANDS

        for dimension, spec in model.dimensions.items():
            if spec.compute == "age_band" and dimension not in index.stored:
                for _, _, band in AGE_BANDS:
                    index.stored.setdefault(dimension, set()).add(band)
                    index.add(dimension, band)
        if "rfm_segment" in model.dimensions and "rfm_segment" not in index.stored:
            index._add_rfm_segment_names(metric_words)
        from copilot.offline.vocabulary import load_lexicon  # vocabulary imports this module

        # Values stored as codes (gender "F") are named by the lexicon's words ("women", "女性").
        for dimension, by_value in load_lexicon().value_words.items():
            if dimension in model.dimensions:
                for value, words in by_value.items():
                    for word in words:
                        index.entries.setdefault(word, (dimension, value))
        # The lexicon's Chinese category words ("电子产品", "化妆品", "零食") name a category the
        # store has under its key; a key the store lacks gets no words. (Its English words stay
        # out: the typo reader would correct near words to them, "Gadget Kings" to "gadgets".)
        stored = {v for d, v in index.entries.values() if d == "category"}
        if "category" in model.dimensions:
            for value, words in load_lexicon().categories.items():
                if value in stored:
                    for word in words:
                        if len(word) >= 2 and _CJK.search(word):
                            for form in _class_forms(word.lower()):
                                index.entries.setdefault(form, ("category", value))
        index._add_campaign_heads()
        index._add_other_numbers(("campaign", "product", "customer"))
        index._add_product_short_forms(model)
        index._add_name_plurals(("product", "category"))
        from copilot.offline.vocabulary import dimension_synonyms

        index.breakdown_words = _overlapping(index.entries, dimension_synonyms(model))
        if "product" in model.dimensions:
            nouns = [w.lower() for w in model.dimension("product").synonyms.en if w.isalpha()]
            nouns += list(_category_nouns()[0])  # ("sports gear", "home goods")
            index.product_nouns = frozenset(nouns + [f"{w}s" for w in nouns if not w.endswith("s")])
        return index

    def _add_rfm_segment_names(self, metric_words: frozenset[str]) -> None:
        """The RFM segments' names as words of rfm_segment when no RFM run is saved: a filter
        by one runs the segmentation first (query_metrics), so "orders of at-risk customers"
        filters as it would with a run saved. Not `stored`: which segments a run fills is
        not known before it runs."""
        from tools.segments.rfm import SEGMENT_RULES  # tools import nothing from copilot

        for rule in SEGMENT_RULES:
            if rule.name.lower() not in metric_words:
                self.add("rfm_segment", rule.name)

    def _add_campaign_heads(self) -> None:
        """A campaign named without its channel tail by a name holding words beyond its period
        ("the Win-back 2026 email" for "Win-back 2026 - Email"): the name is read as the
        campaign first, before any of its words ("back") is read alone. Only a head that one
        campaign has: "618 2026" is a period (and two campaigns' head)."""
        from knowledge.time_ranges import find_period

        today = planner_today()
        heads: dict[str, list[str]] = {}
        for value in self.stored.get("campaign", ()):
            head = value.split(" - ", 1)[0].strip()
            if head == value:
                continue
            match = find_period(head, today)
            rest = head if match is None else head[: match.span[0]] + head[match.span[1] :]
            if len(rest.strip(" -")) >= 3:
                heads.setdefault(head.lower(), []).append(value)
        for head, values in heads.items():
            if len(values) == 1:
                self.entries.setdefault(head, ("campaign", values[0]))

    def _add_other_numbers(self, names: tuple[str, ...]) -> None:
        """A value word of two or more Latin words is found with its last word in the other
        number too ("social ad" for "social ads", "mini programs" for "mini program"); not
        for names (a campaign, a product, a customer), which are written as they are."""
        for word, (dimension, value) in list(self.entries.items()):
            if dimension in names:
                continue
            spaced = _spaced(word)
            head, _, last = spaced.rpartition(" ")
            if not head or not re.fullmatch(r"[a-z ]+", spaced) or len(last) < 3:
                continue
            other = last[:-1] if last.endswith("s") and not last.endswith("ss") else f"{last}s"
            self.entries.setdefault(f"{head} {other}", (dimension, value))

    def _add_product_short_forms(self, model: SemanticModel) -> None:
        """The short forms marketers name a product by: its Chinese name's head ("瑜伽垫",
        "跑鞋" for 防滑瑜伽垫, 缓震跑鞋), that name with its middle left out ("降噪耳机" for
        降噪真无线耳机), and either name without its pack size ("diapers L" for "Diapers L (60)",
        "纸尿裤" for 婴儿纸尿裤 L码 60片). A form only one product has finds it; a form two
        products share ("精华", "瑜伽"), one the vocabulary uses ("手机" of 手机号), a noun
        of a kind of goods (lexicon reader_words.generic_goods: "电器" of 充电器), or a word
        already found stays out: the question back names it."""
        owners: dict[str, set[str]] = {}
        for word, (dimension, value) in list(self.entries.items()):
            if dimension != "product":
                continue
            for form in _short_forms(word):
                owners.setdefault(form, set()).add(value)
        from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

        generic = {w.lower() for w in reader_words("generic_goods")}
        unique = frozenset(f for f, vs in owners.items() if len(vs) == 1)
        used = _in_vocabulary(unique, model)
        for form in sorted(unique - used - generic):
            self.entries.setdefault(form, ("product", next(iter(owners[form]))))

    def _add_name_plurals(self, dimensions: tuple[str, ...]) -> None:
        """A product or category name said in the plural ("down jackets" for "Down Jacket",
        "羽绒服们"): the English plural of its last word, and a Chinese name with 们, find the
        value as the name does. Only the regular plural of the whole last word: a near miss
        ("jacket" alone, "羽绒裤") stays unknown, and the question back names it."""
        for word, (dimension, value) in list(self.entries.items()):
            if dimension not in dimensions:
                continue
            if _CJK.search(word) and not re.search(r"[a-z]", word):
                self.entries.setdefault(f"{word}们", (dimension, value))
                continue
            spaced = _spaced(word)
            head, _, last = spaced.rpartition(" ")
            if not re.fullmatch(r"[a-z]{3,}", last) or last.endswith("s"):
                continue
            for plural in _english_plurals(last):
                self.entries.setdefault(f"{head} {plural}".strip(), (dimension, value))

    def add(self, dimension: str, value: str, word: str | None = None) -> None:
        """Make `value` findable by itself, by `word`, and by its English name for Chinese places."""
        # Short codes (gender F/M) would match inside ordinary words.
        if len(value) < 2:
            return
        words = [word] if word else [value, *english_aliases(value)]
        for text in words:
            if len(text) >= 2:
                self.entries.setdefault(text.lower(), (dimension, value))

    def names_every_value(self, dimension: str, values: list[str]) -> bool:
        """Whether `values` are all the values the store has for `dimension` ("women vs men")."""
        stored = self.stored.get(dimension)
        return bool(stored) and stored <= set(values)

    def names_every_value_within(
        self, dimension: str, values: list[str], filters: dict[str, list[str]]
    ) -> bool:
        """Whether `values` are all the store's values of `dimension` that lie in a broader
        dimension's values filtered on ("深圳和广州" of 广东, whose cities they are): each lies
        in them, and no other value does, so the broader filter holds them already."""
        for (narrow, wide), parents in self.within.items():
            if narrow != dimension or not filters.get(wide):
                continue
            inside = {v for v, ps in parents.items() if ps & set(filters[wide])}
            if inside and inside == set(values):
                return True
        return False

    def knows(self, dimension: str) -> bool:
        """Whether the store holds any value of this dimension (e.g. a saved RFM run)."""
        return any(d == dimension for d, _ in self.entries.values())

    def written_as(self, question: str, dimension: str | None = None) -> dict[str, str]:
        """{value: the words the question names it with} ("上海": "Shanghai", "F": "女性"), of
        one dimension or all, the first match of `find` for each value: for messages that
        quote the user's own words rather than the store's codes."""
        said: dict[str, str] = {}
        for found_in, value, (start, end) in self.find(question):
            if dimension is None or found_in == dimension:
                said.setdefault(value, question[start:end])
        return said

    def find(
        self, question: str, written: str | None = None
    ) -> list[tuple[str, str, tuple[int, int]]]:
        """(dimension, value, span) for every value named in the question, longest first.
        `written`: the question as written (same length, original casing), where one-letter
        codes are judged ("A和B" names variants, "revenue a and b" names none)."""
        # A hyphen between two letters or digits is a space for this match, in the question and
        # in the words ("text-message" is the word "text message", "mini program" matches
        # "mini-program"): the same length, so every span stays the question's own.
        lowered = _spaced(question.lower())
        found: list[tuple[str, str, tuple[int, int]]] = []
        taken: list[tuple[int, int]] = []
        # "男女客户": the breakdown word 男女 (by gender) comes first, so 女客户 is no filter.
        breakdowns = [
            (dimension, span)
            for word, dimension in self.breakdown_words.items()
            if word in lowered
            for span in literal_spans(lowered, word, bounded=_bounded(word))
        ]
        # Only the words the question holds can match (a word not in it has no span):
        # filtering before the (stable) longest-first sort keeps the order of the rest.
        held = [word for word in self.entries if _spaced(word) in lowered]
        identifiers = _identifiers(question.lower())
        for word in sorted(held, key=len, reverse=True):
            for span in literal_spans(lowered, _spaced(word), bounded=_bounded(word)):
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                if any(
                    span != ident and span[0] < ident[1] and ident[0] < span[1]
                    for ident in identifiers
                ):
                    continue  # "guys" of "gz_tech_guys": part of a name, no value
                dimension, value = self.entries[word]
                if any(
                    d == dimension and start < span[0] < end < span[1]
                    for d, (start, end) in breakdowns
                ):
                    continue
                if dimension == "category" and self.product_nouns and not _RANKS.search(lowered):
                    noun = _FOLLOWING_WORD.match(lowered, span[1])
                    if noun and noun.group(1) in self.product_nouns:
                        span = (span[0], noun.end())  # "baby products": the category
                found.append((dimension, value, span))
                taken.append(span)
        siblings = self._siblings(lowered, found, taken)
        if written is None or len(written) != len(lowered):
            written = question
        return [*found, *siblings, *self._bare_pair(lowered, taken, written)]

    def _bare_pair(
        self, lowered: str, taken: list[tuple[int, int]], written: str
    ) -> list[tuple[str, str, tuple[int, int]]]:
        """Two one-letter codes of one dimension written bare against each other ("B vs A
        conversion", "A和B的转化率"): both values, never dropped as stray letters (which answered
        the whole campaign's figure). A slash ("A/B") is the test's name, not two values; a
        letter of another word or a value already read is no code."""
        from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

        joiner = reader_pattern("value_siblings")
        letters = list(re.finditer(r"(?<![a-z0-9/])[a-z](?![a-z0-9/])", lowered))

        def joined(a: re.Match[str], b: re.Match[str]) -> bool:
            join = joiner.match(lowered, a.end())
            return join is not None and join.end() == b.start()

        for i, first in enumerate(letters):
            join = joiner.match(lowered, first.end())
            if join is None or join.group(0).strip() == "/":
                continue
            second = re.compile(r"([a-z])(?![a-z0-9/])").match(lowered, join.end())
            if second is None or second.group(1) == first.group(0):
                continue
            # A longer run of joined letters ("R, F, M", "A, B and C") is a sequence of its
            # own (RFM's letters), never two codes out of it.
            if (i > 0 and joined(letters[i - 1], first)) or (
                i + 2 < len(letters)
                and letters[i + 1].start() == second.start()
                and joined(letters[i + 1], letters[i + 2])
            ):
                continue
            spans = [first.span(), second.span()]
            if any(a < e and s < b for a, b in spans for s, e in taken):
                continue
            codes = (first.group(0), second.group(1))
            owners = [
                (dimension, {v.lower(): v for v in stored})
                for dimension, stored in self.stored.items()
                if all(code in {v.lower() for v in stored} for code in codes)
            ]
            if len(owners) == 1:
                dimension, named = owners[0]
                # Letters are codes when written as the store spells them ("A和B") or when
                # the question is about a test ("conversion of a vs b in the a/b test");
                # "revenue a and b" names no variant.
                as_stored = all(
                    written[a:b] == named[c] for c, (a, b) in zip(codes, spans, strict=True)
                )
                if not as_stored and not _about_a_test(lowered):
                    continue
                return [
                    (dimension, named[code], span) for code, span in zip(codes, spans, strict=True)
                ]
        return []

    def _siblings(
        self,
        lowered: str,
        found: list[tuple[str, str, tuple[int, int]]],
        taken: list[tuple[int, int]],
    ) -> list[tuple[str, str, tuple[int, int]]]:
        """Values written bare after a value of their dimension and a joiner: "variant A and
        B", "A组对比B版" name both variants; a bare "B" alone names nothing (lexicon
        reader_words.value_siblings). Only values spelt inside the first one's word count
        (a code named by its noun: "variant a" holds "a"), with the noun or a suffix again
        optional ("A组和B组")."""
        from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

        joiner = reader_pattern("value_siblings")
        siblings: list[tuple[str, str, tuple[int, int]]] = []
        for dimension, value, (start, end) in found:
            if not re.search(rf"(?<![a-z]){re.escape(value.lower())}(?![a-z])", lowered[start:end]):
                continue
            others = {v.lower(): v for v in self.stored.get(dimension, ()) if v != value}
            at = end
            while others:
                join = joiner.match(lowered, at)
                if join is None:
                    break
                bare = _BARE_VALUE.match(lowered, join.end())
                if bare is None or bare.group(1) not in others:
                    break
                span = (join.end(), bare.end())
                if any(span[0] < e and s < span[1] for s, e in taken):
                    break
                siblings.append((dimension, others.pop(bare.group(1)), span))
                taken.append(span)
                at = bare.end()
        return siblings


def _about_a_test(lowered: str) -> bool:
    """Whether the question is about a test or its variants (the lexicon's ab_test cues)."""
    from copilot.offline.question import word_occurs  # question imports this module
    from copilot.offline.vocabulary import intent_cues

    return any(word_occurs(p, lowered) for p in intent_cues("ab_test"))


def _state_rows(state: Engine, model: SemanticModel) -> list[tuple[str, str, str | None]]:
    """The (dimension, value, alias) rows of the dimensions kept in the copilot's state
    (saved segment names), read live: they are not warehouse data."""
    return list(dimension_values(state, model, lambda d: reads_state(model, d)))


def _overlapping(
    entries: dict[str, tuple[str, str]], breakdowns: dict[str, list[str]]
) -> dict[str, str]:
    """The breakdown words whose last characters begin a value word of the same dimension
    ("男女" of gender and "女客户"), each with its dimension: where both are written
    overlapping, the breakdown word, read first, wins (`ValueIndex.find`)."""
    found: dict[str, str] = {}
    for dimension, words in breakdowns.items():
        values = [w for w, (d, _) in entries.items() if d == dimension]
        for word in (w.lower() for w in words):
            if any(
                value.startswith(word[cut:])
                and len(value) > len(word) - cut
                and not (_bounded(value) and word[cut - 1].isalnum())  # Latin starts a word
                for value in values
                for cut in range(1, len(word))
            ):
                found[word] = dimension
    return found


_INNER_HYPHEN = re.compile(r"(?<=[a-z0-9])[-_](?=[a-z0-9])")


@lru_cache(maxsize=8192)
def _spaced(text: str) -> str:
    """`text` with each hyphen or underscore between two letters or digits written as a
    space ("social-ads", "social_ads", "mini_program")."""
    return _INNER_HYPHEN.sub(" ", text) if "-" in text or "_" in text else text


# A name written as one identifier ("gz_tech_guys", "app_lapsers_2026"): words joined by
# underscores.
_IDENTIFIER = re.compile(r"(?<![a-z0-9_])[a-z0-9]+(?:_[a-z0-9]+)+(?![a-z0-9_])")


def _identifiers(lowered: str) -> list[tuple[int, int]]:
    """The spans of the identifier-like names in a question: a value word inside one is part
    of the name ("guys" of "gz_tech_guys" is no gender); a value written that way whole
    ("social_ads") still matches it."""
    return [m.span() for m in _IDENTIFIER.finditer(lowered)] if "_" in lowered else []


@lru_cache(maxsize=8192)
def _bounded(word: str) -> bool:
    """Match a word on word boundaries when it is Latin, anywhere when it is Chinese."""
    return re.search(r"[a-z0-9]", word) is not None


# A model code in a product name: letters and digits together ("65W", "X12", "S3", "20000mAh").
_CODE = re.compile(r"(?<![a-z0-9])(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,10}(?![a-z0-9])")
_LATIN_WORD = re.compile(r"[a-z]{3,}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _english_plurals(word: str) -> list[str]:
    """The English plurals of a lower-case noun ("jacket" -> "jackets", "box" -> "boxes",
    "battery" -> "batteries", "scarf" -> "scarves" and "scarfs")."""
    if word.endswith(("x", "ch", "sh", "z")):
        return [f"{word}es"]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [f"{word[:-1]}ies"]
    if word.endswith("f") and not word.endswith("ff"):
        return [f"{word[:-1]}ves", f"{word}s"]
    if word.endswith("fe"):
        return [f"{word[:-2]}ves", f"{word}s"]
    return [f"{word}s"]


_PACK = re.compile(r"\s*\([^)]*\)\s*$")
_CODE_SPACE = re.compile(
    r"(?<=[0-9a-z])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=[0-9a-z])", re.I
)


def _short_forms(word: str) -> set[str]:
    """A product name's short forms (see `ValueIndex._add_product_short_forms`): for a
    Chinese name, its noun (its longest Chinese run that ends a word of the name, without
    any model code or size), each ending of that noun of two or more characters, and the
    noun with its middle left out; for an English one, the name without a pack size in
    brackets."""
    if not _CJK.search(word):
        bare = _PACK.sub("", word).strip()
        return {bare} if bare != word and len(bare) >= 3 else set()
    forms: set[str] = set()
    # The whole name written without the space between its model code and its noun
    # ("X12手机壳" for "X12 手机壳"): the name itself, so its noun alone ("手机壳") does not
    # take the noun out of it and leave the code behind as an unknown word.
    compact = _CODE_SPACE.sub("", word)
    if compact != word:
        forms.add(compact)
    # The name's noun: its longest Chinese run that ends the name or a word of it ("补水面膜
    # 10片装", "X12 智能手机"); a run with Latin letters after it ("纯棉T恤") is no head.
    runs = [
        m.group(0) for m in _CJK_RUN.finditer(word) if m.end() == len(word) or word[m.end()] == " "
    ]
    if not runs:
        return forms
    core = max(runs, key=len)
    if core != word:
        forms.add(core)
    for size in range(2, len(core)):
        forms.add(core[-size:])
    for head in range(2, len(core) - 1):
        for tail in range(2, len(core) - head):
            forms.add(core[:head] + core[-tail:])
    return forms


def _in_vocabulary(forms: frozenset[str], model: SemanticModel) -> frozenset[str]:
    """The forms the lexicon or the semantic model's synonyms hold inside a word of theirs
    ("手机" of 手机号): words the vocabulary already reads otherwise."""
    from copilot.offline.vocabulary import (  # vocabulary imports this module
        LEXICON_FILE,
        dimension_synonyms,
        metric_synonyms,
    )

    words = [w for ws in metric_synonyms(model).values() for w in ws]
    words += [w for ws in dimension_synonyms(model).values() for w in ws]
    synonyms = "\n".join(words).lower()
    return _in_lexicon(forms, LEXICON_FILE) | {f for f in forms if f in synonyms}


@lru_cache(maxsize=4)
def _in_lexicon(forms: frozenset[str], path: Path) -> frozenset[str]:
    """The forms the lexicon's words hold (read once per catalogue: the file is large).

    Its entries only, not its comments: an example quoted in a comment ("含有瑜伽垫的订单")
    is no word the vocabulary reads."""
    text = "\n".join(_strings(yaml.safe_load(path.read_text(encoding="utf-8")))).lower()
    return frozenset(f for f in forms if f in text)


def _strings(node: Any) -> Iterator[str]:
    """Every key and string value of a parsed YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def product_mentions(values: ValueIndex, text: str) -> list[tuple[str, tuple[int, int]]]:
    """Products named loosely by their model code and a noun of their name ("65W chargers"
    for "Fast Charger 65W", "X12手机" for "X12 智能手机"): (product, span) when exactly one
    product of the store fits best.

    A code alone is not enough ("X12" is both the phone and its case): a word of the name
    must stand within a few words of it. A match on the name's head noun (its last word in
    English, its last characters in Chinese: 手机 of 智能手机, not of 手机壳) beats a match on
    another word; a tie between products is no match (the accounting then asks).
    """
    found: list[tuple[str, tuple[int, int]]] = []
    for code in _CODE.finditer(text):
        near = text[max(0, code.start() - 24) : code.end() + 24]
        scores: dict[str, tuple[int, str]] = {}
        for word, (dimension, value) in values.entries.items():
            if dimension != "product" or code.group(0) not in _CODE.findall(word):
                continue
            score = _noun_score(word.replace(code.group(0), " "), near)
            if score and score[0] > scores.get(value, (0, ""))[0]:
                scores[value] = score
        if not scores:
            continue
        # The head noun first, then the longer noun ("手机壳" over "手机" for X12手机壳).
        best = max((s, len(n)) for s, n in scores.values())
        winners = [v for v, (s, n) in scores.items() if (s, len(n)) == best]
        if len(winners) == 1:
            found.append((winners[0], _noun_span(text, code, scores[winners[0]][1])))
    return found


def _noun_score(rest: str, near: str) -> tuple[int, str] | None:
    """(2 for the head noun, 1 for another word of the name; the word as `near` writes it)
    when a word of the product name's `rest` (its words but the code) occurs in `near`."""
    latin = _LATIN_WORD.findall(rest)
    nears = _LATIN_WORD.findall(near)
    for index, word in enumerate(reversed(latin)):
        single = _singular(word)
        hit = next(
            (
                n
                for n in nears
                if _singular(n) == single or (len(n) >= 4 and single.endswith(_singular(n)))
            ),
            None,
        )
        if hit:
            return (2 if index == 0 else 1, hit)
    for run in _CJK_RUN.findall(rest):
        for size in range(len(run), 1, -1):
            if run[-size:] in near:
                return (2, run[-size:])
            inner = next(
                (run[i : i + size] for i in range(len(run) - size) if run[i : i + size] in near),
                None,
            )
            if inner:
                return (1, inner)
    return None


def _noun_span(text: str, code: re.Match[str], noun: str) -> tuple[int, int]:
    """The code's span, widened over the noun when it stands right after or before it."""
    after = re.match(r"\s*" + re.escape(noun), text[code.end() :])
    if after:
        return code.start(), code.end() + after.end()
    before = re.search(re.escape(noun) + r"\s*$", text[: code.start()])
    if before:
        return before.start(), code.end()
    return code.span()
