"""The store's own values (cities, channels, ...) so questions can name them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Engine

from copilot.offline.words import literal_spans
from knowledge.place_names import english_aliases
from knowledge.semantic import SemanticModel
from knowledge.semantic.values import dimension_values, reads_state
from knowledge.store.facts_cache import FactsCache


@dataclass
class ValueIndex:
    """Words (a value or an alias of it) -> (dimension, stored value)."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)

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
        index = cls()
        if cache is None:
            values = list(dimension_values(engine, model))
        else:
            values = list(cache.facts(engine, model).values)
            segments = state if state is not None else engine
            values += dimension_values(segments, model, lambda d: reads_state(model, d))
        for dimension, value, alias in values:
            if dimension == "language":  # "zh"/"en" would match ordinary words
                continue
            index.add(dimension, value)
            if alias:
                index.add(dimension, value, alias)
            for word in model.dimension(dimension).value_aliases.get(value, []):
                index.add(dimension, value, word)
        from copilot.offline.vocabulary import load_lexicon  # vocabulary imports this module

        # Values stored as codes (gender "F") are named by the lexicon's words ("women", "女性").
        for dimension, by_value in load_lexicon().value_words.items():
            if dimension in model.dimensions:
                for value, words in by_value.items():
                    for word in words:
                        index.entries.setdefault(word, (dimension, value))
        return index

    def add(self, dimension: str, value: str, word: str | None = None) -> None:
        """Make `value` findable by itself, by `word`, and by its English name for Chinese places."""
        # Short codes (gender F/M) would match inside ordinary words.
        if len(value) < 2:
            return
        words = [word] if word else [value, *english_aliases(value)]
        for text in words:
            if len(text) >= 2:
                self.entries.setdefault(text.lower(), (dimension, value))

    def knows(self, dimension: str) -> bool:
        """Whether the store holds any value of this dimension (e.g. a saved RFM run)."""
        return any(d == dimension for d, _ in self.entries.values())

    def find(self, question: str) -> list[tuple[str, str, tuple[int, int]]]:
        """(dimension, value, span) for every value named in the question, longest first."""
        lowered = question.lower()
        found: list[tuple[str, str, tuple[int, int]]] = []
        taken: list[tuple[int, int]] = []
        for word in sorted(self.entries, key=len, reverse=True):
            for span in literal_spans(lowered, word, bounded=_bounded(word)):
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                dimension, value = self.entries[word]
                found.append((dimension, value, span))
                taken.append(span)
        return found


def _bounded(word: str) -> bool:
    """Match a word on word boundaries when it is Latin, anywhere when it is Chinese."""
    return re.search(r"[a-z0-9]", word) is not None
