"""`Question.has` finds plain cue words without a regex, with the regex's exact result."""

from __future__ import annotations

import random
import re
from types import MappingProxyType

import pytest

from copilot.offline.question import Question, word_occurs, word_pattern

# Letters, digits, a space, a hyphen, Chinese, and regex syntax (so some patterns are regexes).
_ALPHABET = "ab1 -上海a?()"


def _regex_says(pattern: str, text: str) -> bool | None:
    try:
        return re.search(word_pattern(pattern), text) is not None
    except re.error:
        return None  # not a valid pattern: nothing to compare


def test_same_answer_as_the_regex_on_random_patterns() -> None:
    rng = random.Random(11)
    compared = 0
    for _ in range(4000):
        text = "".join(rng.choice(_ALPHABET[:-3]) for _ in range(rng.randint(0, 14)))
        pattern = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 4)))
        expected = _regex_says(pattern, text)
        if expected is None:
            continue
        compared += 1
        assert word_occurs(pattern, text) is expected, (pattern, text)
    assert compared > 2000


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("aov", "what was aov last month", True),
        ("aov", "saov", False),  # a word boundary, as the regex's guard
        ("a/b test", "run an a/b test", True),
        ("a/?b", "an ab test", True),  # a real regex is still a regex
        ("cohorts?", "cohort retention", True),
        ("分群", "rfm分群", True),  # Chinese needs no boundary
        ("rfm", "rfm分群", True),
    ],
)
def test_cue_words(pattern: str, text: str, found: bool) -> None:
    assert word_occurs(pattern, text) is found
    assert Question(text, "en", text).has("nothing-here", pattern) is found


def test_named_by_scans_only_the_words_the_text_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A synonym table holds thousands of words; only those in the text are scanned
    (scanning all of them, per reader and per question, doubled the planner's time)."""
    from copilot.offline import question

    scanned: list[str] = []
    real = question.literal_spans

    def counting(text: str, word: str, *, bounded: bool):  # noqa: ANN202 - as literal_spans
        scanned.append(word)
        return real(text, word, bounded=bounded)

    monkeypatch.setattr(question, "literal_spans", counting)
    synonyms = {f"m{i}": [f"Word{i}", f"其他{i}"] for i in range(500)}
    synonyms["revenue"] = ["Revenue", "sales"]
    synonyms["new"] = ["new customers", "customers"]
    found = question.named_by("sales from new customers", synonyms)
    assert found == [("revenue", "sales"), ("new", "new customers")]
    assert sorted(scanned) == ["customers", "new customers", "sales"]


def test_named_by_same_answer_as_scanning_every_word() -> None:
    """Filtering before the longest-first sort keeps the readings: ties keep table order."""
    from copilot.offline.question import has_cjk, literal_spans, named_by

    def every_word(text: str, synonyms: dict[str, list[str]]) -> list[tuple[str, str]]:
        candidates = sorted(
            ((w.lower(), n) for n, ws in synonyms.items() for w in ws),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        taken: list[tuple[int, int]] = []
        hits = []
        for word, name in candidates:
            for span in literal_spans(text, word, bounded=not has_cjk(word)):
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                taken.append(span)
                hits.append((span[0], name, word))
        return [(n, w) for _, n, w in sorted(hits)]

    rng = random.Random(5)
    letters = "ab 上海"
    for _ in range(2000):
        synonyms = {
            f"n{i}": ["".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))]
            for i in range(rng.randint(1, 6))
        }
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert named_by(text, synonyms) == every_word(text, synonyms), (text, synonyms)

        # The vocabulary's read-only tables are lower-cased once and read the same.
        frozen = MappingProxyType({n: tuple(ws) for n, ws in synonyms.items()})
        assert named_by(text, frozen) == every_word(text, synonyms), (text, synonyms)


def test_a_read_only_synonym_table_is_lower_cased_once() -> None:
    """Round 10 (planner overhead): named_by lower-cased every synonym of the vocabulary's
    tables (thousands) for each call; a read-only table's words are lower-cased once and
    kept with it; a plain dict (which a caller may change) is read afresh."""
    from copilot.offline.question import _lowered_synonyms

    table = MappingProxyType({"revenue": ("Revenue", "GMV"), "orders": ("Orders",)})
    first = _lowered_synonyms(table)
    assert first == (("revenue", "revenue"), ("gmv", "revenue"), ("orders", "orders"))
    assert _lowered_synonyms(table) is first
    plain = {"revenue": ["Revenue"]}
    assert list(_lowered_synonyms(plain)) == [("revenue", "revenue")]
    plain["revenue"].append("Sales")
    assert list(_lowered_synonyms(plain)) == [("revenue", "revenue"), ("sales", "revenue")]
