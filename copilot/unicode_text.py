"""Text that can always be stored, sent and printed: no lone surrogates.

A lone surrogate (U+D800-U+DFFF) cannot be encoded as UTF-8, so a question or
a reply holding one made the database, the HTTP client or the terminal raise.
On POSIX, Python turns command-line bytes that are not UTF-8 (a question typed
in a GBK/GB18030 terminal) into such surrogates (PEP 383); `argument_text`
recovers those as GB18030 when they decode that way.

It also holds the one test of what is Chinese text (`has_cjk`, `starts_cjk`), which
the planner's language, vocabulary and accounting all use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache

_SURROGATE = re.compile("[\ud800-\udfff]")

# The CJK unified ideographs: what makes a question, a word or a character Chinese.
CJK_CHARS = "\u4e00-\u9fff"
CJK = re.compile(f"[{CJK_CHARS}]")


@lru_cache(maxsize=16384)
def has_cjk(text: str) -> bool:
    """Whether `text` contains a Chinese character (memoised: the readers ask it of the same
    vocabulary words for every question, about 2000 times a question)."""
    return CJK.search(text) is not None


def starts_cjk(text: str) -> bool:
    """Whether `text` begins with a Chinese character (False for an empty text)."""
    return CJK.match(text) is not None


def clean_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (unchanged when there is none)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def argument_text(argument: str) -> str:
    """A command-line argument as text: UTF-8, else GB18030 (Chinese terminals), else replaced.

    Arguments Python could not decode carry their bytes as surrogate escapes;
    those bytes are decoded again here instead of reaching the copilot as surrogates.
    """
    try:
        argument.encode("utf-8")
        return argument
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(argument)
    except UnicodeEncodeError:
        return clean_text(argument)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    """OpenCC's Traditional-to-Simplified converter (phrases first, then characters), built
    on first use: its dictionaries ship in the package, so it works offline."""
    from opencc import OpenCC

    return OpenCC("t2s").convert


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """`text` with Traditional Chinese written in Simplified ("未來一季度內會流失的客戶" ->
    "未来一季度内会流失的客户"); Simplified Chinese and other text are unchanged.

    The planner's vocabulary, store values and answers are Simplified: a question typed
    in Traditional is read once through this at its entry (copilot/offline/planner.py), so
    every reader sees one script. The conversion is OpenCC's maintained tables (issue 11),
    never a character list of our own.
    """
    if not has_cjk(text):
        return text
    return _to_simplified()(text)


# A word of the question the answer repeats: a quoted one ("「推播」", "“氣炸鍋”"), or, in a reply
# without figures, a whole run of Chinese between punctuation ("这样读不了：气炸锅。").
_QUOTED = re.compile("「([^「」]+)」|“([^“”]+)”")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


def in_own_script(answer: str, question: str, *, runs: bool = False) -> str:
    """`answer` with the words it repeats from `question` written as the user wrote them.

    The planner reads a Traditional question in Simplified (`simplified`), so the words it
    echoes back ("I don't know 「气炸锅」") come out Simplified; a user who wrote 氣炸鍋 is
    shown 氣炸鍋. Only a quoted word (and, with `runs`, a whole Chinese run between
    punctuation, as a clarification lists them) found in the Simplified question is restored,
    never the answer's own text. OpenCC's t2s keeps one character per character; a
    conversion that did not is left as it is.
    """
    read = simplified(question)
    if read == question or len(read) != len(question):
        return answer

    def own(word: str) -> str:
        at = read.find(word)
        while at >= 0:
            wrote = question[at : at + len(word)]
            if wrote != word:
                return wrote
            at = read.find(word, at + 1)
        return word

    def quoted(m: re.Match[str]) -> str:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        return m.group(0).replace(inner, own(inner))

    answer = _QUOTED.sub(quoted, answer)
    if runs:
        answer = _CJK_RUN.sub(lambda m: own(m.group(0)) if len(m.group(0)) > 1 else m.group(0), answer)
    return answer
