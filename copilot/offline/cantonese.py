"""Written Cantonese read as Mandarin: "我哋之前儲存咗邊啲分群" is "我们之前储存了哪些分群".

The vocabulary is Mandarin; a question typed in Cantonese (after its Traditional script is
written in Simplified, copilot/unicode_text.py) has its Cantonese function words written in
their Mandarin equivalents, longest first, from the lexicon's `cantonese` table. Only words
that are not Mandarin themselves are in the table (嘅, 咗, 幾多, 邊啲 ...), so a Mandarin
question is unchanged."""

from __future__ import annotations

import re
from functools import cache

from copilot.offline.vocabulary import load_lexicon


@cache
def _table() -> tuple[re.Pattern[str], dict[str, str]] | None:
    table = load_lexicon().cantonese
    if not table:
        return None
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), table


def as_mandarin(text: str) -> str:
    """`text` with the Cantonese words of the lexicon's table written in Mandarin."""
    found = _table()
    if found is None or not re.search(r"[\u4e00-\u9fff]", text):
        return text
    pattern, table = found
    return pattern.sub(lambda m: table[m.group(0)], text)
