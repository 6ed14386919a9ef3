"""Numbers written as digits, Chinese numerals or English words."""

from __future__ import annotations

import re

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100}

EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90,
}  # fmt: skip

#: Regex fragment for a small count in any of the supported spellings.
NUMBER = (
    r"(?:\d{1,3}|[零〇一二两三四五六七八九十百]{1,4}|"
    + "|".join(sorted(EN_WORDS, key=len, reverse=True))
    + ")"
)

#: Chinese numerals that can name a month (一 … 十二).
CN_MONTH = r"(?:十[一二]|[一二三四五六七八九十])"


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral ("十二", "三十", "二十一", "一百", "三千", "两千五", "一万二")
    to int. A count said the spoken way, its last unit left out ("五百二" = 520, "一千二" =
    1200), and any count in thousands or ten thousands is read by the cn2an library (loaded
    only then: ~0.3 s); the plain forms below 1000 are read here."""
    if any(u in text for u in "千万亿") or re.fullmatch(r".*[百][一二两三四五六七八九]", text):
        import cn2an  # a maintained converter of Chinese numerals (smart mode: spoken forms)

        try:
            return int(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"not a Chinese numeral: {text!r}") from exc
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            # "十" on its own means 10, so a missing leading digit counts as 1.
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def to_int(text: str) -> int:
    """Parse a count written as digits, Chinese numerals or an English word."""
    word = text.strip().lower()
    if word.isdigit():
        return int(word)
    if word in EN_WORDS:
        return EN_WORDS[word]
    return cn_to_int(word)
