"""Reading documents into titled sections: Markdown, plain text, PDF, Word and HTML.

A section is the unit a citation names: a Markdown / HTML (h1-h3) / Word heading,
or a PDF page. Section text keeps paragraphs apart with blank lines so chunking
can split at paragraph boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer


class DocumentError(Exception):
    """A document that cannot be read: unsupported type, unreadable or empty file."""


@dataclass(frozen=True)
class Section:
    """A titled part of a document; `path` is the heading trail (outermost first)."""

    title: str
    text: str
    path: tuple[str, ...] = ()


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_WORD_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_HTML_BLOCKS = (
    "p",
    "li",
    "div",
    "pre",
    "blockquote",
    "tr",
    "table",
    "ul",
    "ol",
    "dt",
    "dd",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
)


def read_text_file(path: Path) -> str:
    """A text file's content: UTF-8 first, else the detected encoding (GBK files are common)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise DocumentError(f"{path}: not a text file (unknown encoding)") from None
        return str(best)


def read_markdown(path: Path) -> list[Section]:
    """Sections at every Markdown heading; text before the first heading has no title."""
    return markdown_sections(read_text_file(path))


def markdown_sections(text: str) -> list[Section]:
    """Split Markdown text at its headings (not inside fenced code)."""
    sections: list[Section] = []
    trail: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        body = "\n".join(lines).strip()
        if body:
            titles = tuple(t for _, t in trail)
            sections.append(Section(titles[-1] if titles else "", body, titles))
        lines.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _MD_HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            trail[:] = [(lvl, t) for lvl, t in trail if lvl < level] + [(level, heading.group(2))]
        else:
            lines.append(line)
    flush()
    return sections


def read_plain_text(path: Path) -> list[Section]:
    """A plain text file is one untitled section."""
    text = read_text_file(path).strip()
    return [Section("", text)] if text else []


def read_pdf(path: Path) -> list[Section]:
    """One section per PDF page ("page 3"), with pypdf's extracted text."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from exc
    return [
        Section(f"page {number}", text.strip(), (f"page {number}",))
        for number, text in enumerate(pages, start=1)
        if text.strip()
    ]


def read_docx(path: Path) -> list[Section]:
    """Sections at Word headings ("Heading 1-3", "Title"); tables become ' | ' rows."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable Word .docx file ({exc})") from exc
    blocks: list[tuple[int | None, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            blocks.append((None, "\n".join(rows)))
            continue
        style = block.style.name if block.style is not None else ""
        match = _WORD_HEADING.match(style.strip())
        level = 1 if style == "Title" else int(match.group(1)) if match else None
        # Deeper headings stay in the text: sections stop at level 3, like HTML.
        blocks.append((level if level is not None and level <= 3 else None, block.text))
    return _sections_from_blocks(blocks)


def read_html(path: Path) -> list[Section]:
    """The body's text, split into sections at h1-h3; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(read_text_file(path), "lxml")
    body = soup.body or soup
    for tag in body.find_all(["script", "style", "noscript", "nav", "template"]):
        tag.decompose()
    blocks: list[tuple[int | None, str]] = []
    # Marker lines stand in for headings so one get_text() keeps the document order.
    for tag in body.find_all(["h1", "h2", "h3"]):
        tag.replace_with(f"\n\n\x00{tag.name[1]}\x00{tag.get_text(' ', strip=True)}\n\n")
    for tag in body.find_all("br"):
        tag.replace_with("\n")
    for tag in body.find_all(_HTML_BLOCKS):
        tag.insert_after("\n\n")
    for part in re.split(r"\n\s*\n", body.get_text()):
        marker = re.fullmatch(r"\s*\x00(\d)\x00(.*?)\s*", part, re.S)
        if marker:
            blocks.append((int(marker.group(1)), marker.group(2)))
        else:
            # Whitespace inside an HTML paragraph is not significant.
            blocks.append((None, " ".join(part.split())))
    return _sections_from_blocks(blocks)


def _sections_from_blocks(blocks: list[tuple[int | None, str]]) -> list[Section]:
    """Sections from (heading level or None, text) blocks in document order."""
    sections: list[Section] = []
    trail: list[tuple[int, str]] = []
    paragraphs: list[str] = []

    def flush() -> None:
        body = "\n\n".join(p for p in paragraphs if p.strip()).strip()
        if body:
            titles = tuple(t for _, t in trail)
            sections.append(Section(titles[-1] if titles else "", body, titles))
        paragraphs.clear()

    for level, text in blocks:
        if level is not None and text.strip():
            flush()
            trail[:] = [(lvl, t) for lvl, t in trail if lvl < level] + [(level, text.strip())]
        elif text.strip():
            paragraphs.append(text.strip())
    flush()
    return sections


READERS: dict[str, Callable[[Path], list[Section]]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
}


SUPPORTED = ", ".join(sorted(READERS))


def is_supported(path: Path) -> bool:
    """Whether there is a reader for this file's type."""
    return path.suffix.lower() in READERS


def read_sections(path: Path) -> list[Section]:
    """The sections of one document; DocumentError (naming the file) when it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(f"{path}: unsupported file type (supported: {SUPPORTED})")
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    try:
        return reader(path)
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
