"""Does an answer stay in its question's language? The check behind issue 13's "Done when".

What a person reads of an answer (its text, table titles and headers, chart titles
and axis labels) must be in the language of the question, except for what is not
a translation matter:

- the store's own values as stored (a city "上海", a channel "mini_program", a
  product or campaign name): they are data, quoted as they are;
- words the question itself used (a Chinese question that says "RFM" or "email");
- quotations of the store's own text: passages of the user's documents (Markdown
  block quotes, file names such as channel_playbooks.md, and the source line under
  a quoted passage, which cites the section by the document's own heading), copy
  the user asked for in the other language (quoted as a block quote) and phrases
  of customer reviews (a Chinese complaint quoted in an English answer);
- a small fixed set of codes and units that Chinese marketing reports write in
  Latin letters (ALLOWED_CODES).

Everything else is a mix: Chinese characters in an English answer, or an English
word in a Chinese one ("Revenue by channel in 上个月" fails both ways).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Codes and units Chinese reports write in Latin letters; kept small on purpose.
ALLOWED_CODES = frozenset(
    {
        "RFM", "AOV", "CTR", "ROI", "ROAS", "CAC", "LTV", "GMV", "SMS", "KPI", "SQL", "CSV",
        "A", "B", "AB", "AUC", "z", "App", "F", "T", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "p", "K", "M", "ID", "K-means",
        "CNY", "RMB", "USD", "EUR", "GBP", "JPY",
    }
)  # fmt: skip
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
# ISO dates and numbers with letters inside ("2026-Q3", "3x") are not words.
_NOT_WORDS = re.compile(
    r"\b\d{4}-Q[1-4]\b|\b\d+(?:\.\d+)?[a-zA-Z]{1,2}\b|\bQ[1-4]\b|[\w.-]+\.(?:md|txt|pdf|docx|csv)\b"
)
# A command in backticks ("`copilot knowledge add 文件或文件夹`") is typed as it is, in any
# language: code, not words of the answer.
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]+\.(?:md|txt|pdf|docx|csv)\b")
# A Markdown block quote: a passage quoted from the user's documents, in their language;
# a merge field of a copy draft ({first_name}) is filled per customer, not read.
_QUOTE_LINE = re.compile(r"^\s*>.*$|\{[a-z_]+\}", re.M)
# The source line under a quoted passage: "（来源：file.md § Heading）" / "(source: file.md §
# Heading)". The heading is the document's own title, cited as written (as a file name is).
_CITATION = re.compile(
    r"[（(](?:来源|source)[:：] ?[^\s§]+\.(?:md|txt|pdf|docx|html?) § [^\n]*[)）]$", re.M
)


@dataclass(frozen=True)
class Mix:
    """One piece of other-language text in what an answer shows."""

    where: str  # "answer", "table title", "table header", "chart title", ...
    text: str  # the shown text
    foreign: tuple[str, ...]  # the offending words or characters

    def __str__(self) -> str:
        return f"{self.where}: {', '.join(self.foreign)} in {self.text[:160]!r}"


def foreign_words(
    text: str,
    language: str,
    store_values: Iterable[str] = (),
    question: str = "",
    store_texts: Iterable[str] = (),
) -> list[str]:
    """The words of `text` that are in the other language and not allowed.

    English (`language` != "zh"): runs of Chinese characters. Chinese: Latin
    words. Store values and the question's own words are removed first, the
    longest first, so a product "Vitamin C Serum" is removed whole.
    """
    remaining = _QUOTE_LINE.sub(" ", text)
    remaining = _CITATION.sub(" ", remaining)
    remaining = _CODE_SPAN.sub(" ", remaining)
    remaining = _FILE_NAME.sub(" ", remaining)  # before values: "zh" inside "x.zh.md"
    for value in sorted({v for v in store_values if v}, key=len, reverse=True):
        if value.isascii():
            # A Latin value is a whole word: gender "F" must not eat the F of "RFM".
            if len(value) > 1:
                remaining = re.sub(
                    rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", " ", remaining
                )
        else:
            remaining = remaining.replace(value, " ")
    if language == "zh":
        asked = {w.lower() for w in _LATIN_WORD.findall(question)}
        remaining = _NOT_WORDS.sub(" ", remaining)
        return [
            word
            for word in _LATIN_WORD.findall(remaining)
            if word not in ALLOWED_CODES
            and word.upper() not in ALLOWED_CODES
            and word.lower() not in asked
        ]
    asked_cjk = set(_CJK.findall(question))
    corpus = "\n".join(store_texts)
    return [run for run in _CJK.findall(remaining) if run not in asked_cjk and run not in corpus]


def language_mixes(
    shown: Iterable[tuple[str, str]],
    language: str,
    store_values: Iterable[str] = (),
    question: str = "",
    store_texts: Iterable[str] = (),
) -> list[Mix]:
    """Every (where, text) pair that mixes languages, with the offending words."""
    values, texts = list(store_values), list(store_texts)
    mixes = []
    for where, text in shown:
        foreign = foreign_words(text, language, values, question, texts)
        if foreign:
            mixes.append(Mix(where, text, tuple(dict.fromkeys(foreign))))
    return mixes
