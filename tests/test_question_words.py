"""`Question.has` finds plain cue words without a regex, with the regex's exact result."""

from __future__ import annotations

import random
import re

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
