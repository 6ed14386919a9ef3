"""Finding a literal word in a question without compiling a regex for it.

The planner looks for every synonym, lexicon phrase and store value in each
question: about 1,500 words. Compiling one regex per word cost 0.1-0.35 s of
CPU on every `copilot ask` (issue 10: start-up time), for patterns that are
plain text with a word-boundary guard. `str.find` with the same guard gives the
same matches as `re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text)`
(or without the guards when `bounded` is false): non-overlapping, left to right,
each search resuming at the end of the previous match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
"""The guard's class `[a-z0-9]`: case-sensitive and ASCII, as in the regex it replaces."""


def literal_spans(text: str, word: str, *, bounded: bool) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of `word` in `text`, as `re.finditer` would give them.

    `bounded`: the character before and after must not be in [a-z0-9]. An empty
    `word` is matched by the regex itself (it matches between characters).
    """
    if not word:
        guard = r"(?<![a-z0-9])(?![a-z0-9])" if bounded else ""
        yield from (match.span() for match in re.finditer(guard, text))
        return
    size, length = len(word), len(text)
    start = text.find(word)
    while start != -1:
        end = start + size
        if not bounded or (
            (start == 0 or text[start - 1] not in _WORD_CHARS)
            and (end == length or text[end] not in _WORD_CHARS)
        ):
            yield start, end
            start = text.find(word, end)
        else:
            start = text.find(word, start + 1)


def first_span(text: str, word: str, *, bounded: bool) -> tuple[int, int] | None:
    """The first span of `literal_spans`, or None when the word does not occur."""
    return next(literal_spans(text, word, bounded=bounded), None)


def replace_literal(
    text: str, word: str, replacement: Callable[[str], str], *, bounded: bool
) -> str:
    """`text` with each occurrence of `word` (see `literal_spans`) replaced by
    `replacement(occurrence)`, as `pattern.sub(lambda m: ..., text)` would."""
    parts: list[str] = []
    at = 0
    for start, end in literal_spans(text, word, bounded=bounded):
        parts += [text[at:start], replacement(text[start:end])]
        at = end
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)
