"""The store's own values (cities, channels, ...) so questions can name them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from knowledge.place_names import english_aliases
from knowledge.semantic import SemanticModel
from knowledge.store.schema import Base

# Dimensions with more distinct values than this are not indexed (ids, free text).
_MAX_VALUES_PER_DIMENSION = 2000


@dataclass
class ValueIndex:
    """Words (a value or an alias of it) -> (dimension, stored value)."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, engine: Engine, model: SemanticModel) -> ValueIndex:
        """Index the distinct values of every column dimension of the semantic model."""
        index = cls()
        tables = Base.metadata.tables
        with engine.connect() as conn:
            for dimension in model.dimensions.values():
                if dimension.column is None or dimension.table not in tables:
                    continue
                column = tables[dimension.table].c[dimension.column_name]
                values = (
                    conn.execute(
                        select(column)
                        .distinct()
                        .where(column.is_not(None))
                        .limit(_MAX_VALUES_PER_DIMENSION + 1)
                    )
                    .scalars()
                    .all()
                )
                if len(values) > _MAX_VALUES_PER_DIMENSION:
                    continue
                for value in values:
                    index.add(dimension.name, str(value))
        return index

    def add(self, dimension: str, value: str) -> None:
        """Make `value` (and its English name, for Chinese places) findable."""
        # Short codes (gender F/M) would match inside ordinary words.
        if len(value) < 2:
            return
        for word in (value, *english_aliases(value)):
            self.entries.setdefault(word.lower(), (dimension, value))

    def find(self, question: str) -> list[tuple[str, str, tuple[int, int]]]:
        """(dimension, value, span) for every value named in the question, longest first."""
        lowered = question.lower()
        found: list[tuple[str, str, tuple[int, int]]] = []
        taken: list[tuple[int, int]] = []
        for word in sorted(self.entries, key=len, reverse=True):
            for match in re.finditer(_word_pattern(word), lowered):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                dimension, value = self.entries[word]
                found.append((dimension, value, span))
                taken.append(span)
        return found


def _word_pattern(word: str) -> str:
    """Match a word on word boundaries when it is Latin, anywhere when it is Chinese."""
    escaped = re.escape(word)
    if re.search(r"[a-z0-9]", word):
        return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
    return escaped
