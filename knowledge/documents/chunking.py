"""Cutting sections into passages of about 800 characters at paragraph boundaries.

Chinese costs the embedding model about 0.7 tokens a character against 0.2 for
English, so a CJK character counts twice toward the size: a chunk then stays
well inside e5's 512-token window in both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.documents.readers import Section

MAX_CHARS = 800
# A short last paragraph is repeated at the start of the next chunk, for context.
OVERLAP_CHARS = 200

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；])\s*")


@dataclass(frozen=True)
class Chunk:
    """One passage of a section, as it is stored and searched."""

    section: str
    section_path: tuple[str, ...]
    text: str


def text_size(text: str) -> int:
    """Length with CJK characters counted twice (they cost the model more tokens)."""
    return len(text) + len(_CJK.findall(text))


def language_of(text: str) -> str:
    """'zh' when Chinese characters make up a real share of the letters, else 'en'.

    A Chinese signature like 【悦享生活】 inside English text keeps it English.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    # One Chinese character carries about as much as a short English word.
    return "zh" if cjk and cjk * 4 >= latin else "en"


def chunk_sections(sections: list[Section], max_chars: int = MAX_CHARS) -> list[Chunk]:
    """All chunks of a document, section by section, in order."""
    return [
        Chunk(section.title, section.path, text)
        for section in sections
        for text in split_text(section.text, max_chars)
    ]


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Pieces of at most ~max_chars, cut at paragraphs, then sentences, then hard."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces = [piece for p in paragraphs for piece in _fit(p, max_chars)]
    chunks: list[str] = []
    current: list[str] = []
    for piece in pieces:
        candidate = "\n\n".join([*current, piece])
        if current and text_size(candidate) > max_chars:
            chunks.append("\n\n".join(current))
            last = current[-1]
            carried = [last] if text_size(last) <= OVERLAP_CHARS else []
            if carried and text_size("\n\n".join([*carried, piece])) > max_chars:
                carried = []
            current = [*carried, piece]
        else:
            current.append(piece)
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def _fit(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph as pieces no bigger than max_chars (sentences first, then hard cuts)."""
    if text_size(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(paragraph) if s):
        for part in _hard_cut(sentence, max_chars):
            # Chinese sentences follow each other without a space.
            sep = "" if current.endswith(("。", "！", "？", "；")) else " "
            joined = f"{current}{sep}{part}" if current else part
            if current and text_size(joined) > max_chars:
                pieces.append(current)
                current = part
            else:
                current = joined
    if current:
        pieces.append(current)
    return pieces


def _hard_cut(text: str, max_chars: int) -> list[str]:
    """Cut text with no sentence end into pieces of at most max_chars."""
    parts: list[str] = []
    start, size = 0, 0
    for index, char in enumerate(text):
        cost = text_size(char)
        if size + cost > max_chars:
            parts.append(text[start:index])
            start, size = index, 0
        size += cost
    return [*parts, text[start:]] if start < len(text) else parts
