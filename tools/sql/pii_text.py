"""Finding emails and phone numbers inside free text, in time linear in its length.

Used for free-text columns (review texts) in SQL results and, with the store's
names added, by the privacy gate in front of a remote model (`copilot/privacy.py`).

Why not one regex per kind: `[A-Za-z0-9._%+-]+@...` retried at every start
position of an 80,000-letter word is quadratic. Here emails are found from each
'@' outwards with bounded lengths (local part 64, domain 255 characters, RFC
5321), and phone candidates use a pattern whose every quantifier is bounded, so
each start position costs a constant; the candidates are then checked with
Google's libphonenumber rules (`phonenumbers`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

import phonenumbers

MAX_LOCAL = 64
MAX_DOMAIN = 255
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])")
# An optional +country code and (area code), then 1 to 6 digit groups split by
# one space, dot or dash. Every quantifier is bounded: constant work per position.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,6}){0,5}(?![\w])"
)
_PHONE_WINDOW = re.compile(r"[\d(+][\d ().+-]{6,80}")
# Regions whose national formats are tried for numbers written without +country.
PHONE_REGIONS = ("CN", "US", "GB")
_CN_MOBILE = re.compile(r"(?:86)?1[3-9]\d{9}")
_DECIMAL = re.compile(r"\d+\.\d{1,3}")
_DATE_LIKE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")


def email_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each email address in `text`, left to right."""
    at = text.find("@")
    last_end = 0
    while at != -1:
        start = at
        while start > max(last_end, at - MAX_LOCAL) and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        domain = _DOMAIN.match(text[at + 1 : at + 1 + MAX_DOMAIN])
        if start < at and domain:
            end = at + 1 + domain.end()
            yield start, end
            last_end = end
            at = text.find("@", end)
        else:
            at = text.find("@", at + 1)


def phone_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each phone number in `text` (international, CN, US and UK forms).

    A fast scan (its pattern starts with a character class, which the regex
    engine skips to) finds stretches of digits and phone punctuation with at
    least 7 characters; the exact candidate pattern runs inside those only.
    """
    for window in _PHONE_WINDOW.finditer(text):
        for match in _PHONE_CANDIDATE.finditer(text, window.start(), window.end()):
            if is_phone_number(match.group(0)):
                yield match.span()


@functools.lru_cache(maxsize=4096)  # texts repeat numbers; parsing one costs ~0.1 ms
def is_phone_number(candidate: str) -> bool:
    """Whether a short digit string is a phone number (valid in a region, or +country)."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if not 7 <= len(digits) <= 15 or _DATE_LIKE.search(candidate):
        return False
    if candidate == digits:
        # A bare digit run is an amount or an id unless it is a Chinese mobile.
        return bool(_CN_MOBILE.fullmatch(digits))
    if _DECIMAL.fullmatch(candidate):
        return False  # 12345678.90 is an amount
    try:
        if candidate.lstrip().startswith("+"):
            return phonenumbers.is_possible_number(phonenumbers.parse(candidate, None))
        return any(
            phonenumbers.is_valid_number(phonenumbers.parse(candidate, region))
            for region in PHONE_REGIONS
        )
    except phonenumbers.NumberParseException:
        return False


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def replace_spans(text: str, spans: list[tuple[int, int]], mask: Callable[[str, int], str]) -> str:
    """`text` with each (merged) span replaced by `mask(span_text, start)`; linear in len(text)."""
    parts: list[str] = []
    position = 0
    for start, end in merge_spans(spans):
        parts.append(text[position:start])
        parts.append(mask(text[start:end], start))
        position = end
    parts.append(text[position:])
    return "".join(parts)
