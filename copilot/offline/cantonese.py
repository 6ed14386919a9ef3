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


# Cantonese joins two things with 同 ("北京同天津唔使計" = 北京和天津不算); Mandarin words that
# hold 同 (同比, 同期, 相同, 不同, 同事 ...) are not that joining word.
_AND = re.compile(
    r"(?<=[\u4e00-\u9fffA-Za-z0-9])(?<![相不共认如赞等一])同"
    r"(?![比期样一时事学意步类款行业月周年季档批等])(?=[\u4e00-\u9fffA-Za-z])"
)


def as_mandarin(text: str) -> str:
    """`text` with the Cantonese words of the lexicon's table written in Mandarin; in a
    question that holds any of them, 同 joining two things is 和."""
    found = _table()
    if found is None or not re.search(r"[\u4e00-\u9fff]", text):
        return text
    pattern, table = found
    said = pattern.sub(lambda m: table[m.group(0)], text)
    return _AND.sub("和", said) if said != text else said
