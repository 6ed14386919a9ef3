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
from functools import cache

from copilot.unicode_text import has_cjk

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
    compounds = _cjk_compounds() if not bounded else frozenset()
    start = text.find(word)
    while start != -1:
        end = start + size
        if not bounded and text[end - 1 : end + 1] in compounds:
            # "按天" inside "按天气": the word's last character starts another word.
            start = text.find(word, start + 1)
        elif not bounded or (
            # (no boundary is kept on a Chinese edge of the word: "a版" ends in Chinese, so
            # "a版b版" holds it, as "a版和b版" does; other edges keep it)
            (start == 0 or text[start - 1] not in _WORD_CHARS or has_cjk(word[0]))
            and (end == length or text[end] not in _WORD_CHARS or has_cjk(word[-1]))
        ):
            yield start, end
            start = text.find(word, end)
        else:
            start = text.find(word, start + 1)


@cache
def _cjk_compounds() -> frozenset[str]:
    """Two-character Chinese words (lexicon reader_words `cjk_compounds`) whose first
    character ends a known word ("天" of "按天"): a match cut there is not that word."""
    from copilot.offline.vocabulary import reader_words  # the lexicon reader imports this module

    return frozenset(reader_words("cjk_compounds"))


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
