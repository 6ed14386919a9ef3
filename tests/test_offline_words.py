"""The planner's literal word finder matches exactly what the regexes it replaced matched."""

from __future__ import annotations

import random
import re

import pytest

from copilot.offline.words import first_span, literal_spans, replace_literal

_ALPHABET = "ab1 -上海a"


def _regex(word: str, bounded: bool) -> re.Pattern[str]:
    escaped = re.escape(word)
    if not bounded:
        return re.compile(escaped)
    # (a Chinese edge of the word keeps no boundary: "a版" is found in "a版b版")
    before = "" if word and "\u4e00" <= word[0] <= "\u9fff" else "(?<![a-z0-9])"
    after = "" if word and "\u4e00" <= word[-1] <= "\u9fff" else "(?![a-z0-9])"
    return re.compile(f"{before}{escaped}{after}")


@pytest.mark.parametrize("bounded", [True, False])
def test_same_spans_as_the_regex_on_random_texts(bounded: bool) -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        word = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 3)))
        pattern = _regex(word, bounded)
        expected = [m.span() for m in pattern.finditer(text)]
        assert list(literal_spans(text, word, bounded=bounded)) == expected, (text, word)
        search = pattern.search(text)
        assert first_span(text, word, bounded=bounded) == (search.span() if search else None)
        assert replace_literal(
            text, word, lambda found: "#" * len(found), bounded=bounded
        ) == pattern.sub(lambda m: "#" * len(m.group(0)), text), (text, word)


def test_word_boundaries() -> None:
    assert list(literal_spans("aov and saov", "aov", bounded=True)) == [(0, 3)]
    assert list(literal_spans("aaa", "aa", bounded=False)) == [(0, 2)]  # no overlaps
    assert list(literal_spans("上海上海", "上海", bounded=False)) == [(0, 2), (2, 4)]
    assert first_span("revenue", "sales", bounded=True) is None
