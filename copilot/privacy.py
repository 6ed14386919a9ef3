"""The privacy gate: whatever goes to a remote model passes `mask_personal_data`.

Emails, phone numbers (international, Chinese, US and UK forms, checked with
libphonenumber) and the store's own customer names (any case, with or without
accents: "josé garcía", "Sean O'Brien", "MCKENZIE LEE", 王小明 inside a longer
run) are masked in every message (the user's question, history, tool results
such as review texts). Every pattern does work linear in the text's length.
Tool results that hold customer-level rows are withheld unless
`COPILOT_ALLOW_RAW_ROWS` is set; aggregates pass. The name index follows the
store: it is rebuilt when the customers table's row count or largest id
changes (an import), checked before each model call. The offline planner runs
in-process, so it needs no gate.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine, func, select

from copilot.loop import Middleware, ModelRequest, ModelResponse
from copilot.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from knowledge.store.schema import Customer
from tools.base import TableArtifact, ToolOutput
from tools.sql.pii_text import email_spans, phone_spans, replace_spans
from tools.sql.privacy import mask_name, mask_phone

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_NOT_WORD = re.compile(r"[\W_]")
# Columns that make a table customer-level rather than an aggregate.
ROW_LEVEL_COLUMNS = {"customer_id", "name", "email", "phone", "order_id", "message_id", "review_id"}
MAX_NAME_TOKENS = 6


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _fold(text: str) -> str:
    """Lower case with every non-letter/digit a space, one character for one (same length)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters (İ)
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _NOT_WORD.sub(" ", lowered)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD_RUN = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# For ASCII text str.translate is several times faster than a regex substitution.
_ASCII_PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


def _strip_accents(text: str) -> str:
    """José -> Jose (decomposed, combining marks removed; C-speed passes only)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return text if decomposed == text else _COMBINING.sub("", decomposed)


class NameIndex:
    """The store's customer names, to find them inside free text in linear time.

    Latin-script names are matched as sequences of 2 to 6 words, case-insensitively
    and with or without accents; Chinese names (2-4 characters) also inside longer
    runs of Chinese text.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._build(names)

    def _build(self, names: Iterable[str]) -> None:
        self.names: set[str] = set()
        self.cjk: set[str] = set()
        self.latin: set[tuple[str, ...]] = set()
        self.first_tokens: set[str] = set()
        self.max_name_chars = 0
        for name in names:
            if not name or len(name.strip()) < 2:
                continue
            name = name.strip()
            self.names.add(name)
            if _CJK_RUN.fullmatch(name) and len(name) <= 4:
                self.cjk.add(name)
                continue
            for variant in {name, _strip_accents(name)}:
                tokens = tuple(_fold(variant).split())
                if 2 <= len(tokens) <= MAX_NAME_TOKENS:
                    self.latin.add(tokens)
                    self.max_name_chars = max(self.max_name_chars, 2 * len(variant) + 8)
                    self.first_tokens.add(tokens[0])
        self.cjk_prefixes = {n[:2] for n in self.cjk}
        surnames = "".join(sorted({n[0] for n in self.cjk}))
        self._cjk_start = re.compile(f"[{re.escape(surnames)}]") if surnames else None

    @classmethod
    def from_store(cls, engine: Engine, limit: int = 2_000_000) -> NameIndex:
        """An index that follows the store's customers (see `LiveNameIndex`)."""
        return LiveNameIndex(engine, limit)

    def current(self) -> NameIndex:
        """The index to use now (a live index refreshes itself first)."""
        return self

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each customer name in `text`."""
        return self._latin_spans(text) + self._cjk_spans(text)

    def find(self, text: str) -> list[str]:
        """Customer names that occur in the text, as written there, longest first."""
        return sorted({text[a:b] for a, b in self.spans(text)}, key=len, reverse=True)

    def _latin_spans(self, text: str) -> list[tuple[int, int]]:
        if not self.latin:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters lower-case to two characters (İ)
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        sources = [lowered]
        if not lowered.isascii():
            plain = _strip_accents(lowered)
            if len(plain) == len(text):  # offsets still match the text
                sources.append(plain)
        spans: list[tuple[int, int]] = []
        for source in sources:
            # Set intersection runs in C: most texts hold no customer's first word at all.
            words = (
                source.translate(_ASCII_PUNCTUATION).split()
                if source.isascii()
                else _NON_WORD_RUN.sub(" ", source).split()
            )
            for first in self.first_tokens.intersection(words):
                spans += self._occurrences(source, first)
        return spans

    def _occurrences(self, source: str, first: str) -> list[tuple[int, int]]:
        """Names starting with the word `first`, found with str.find (no regex scan)."""
        spans = []
        at = source.find(first)
        while at != -1:
            end = at + len(first)
            before = source[at - 1] if at else " "
            after = source[end] if end < len(source) else " "
            if not _is_word_char(before) and not _is_word_char(after):
                spans += self._names_at(source, at)
            at = source.find(first, at + 1)
        return spans

    def _names_at(self, source: str, start: int) -> list[tuple[int, int]]:
        """Spans of indexed names that begin at `start` (words of a bounded window)."""
        window = source[start : start + self.max_name_chars + 1]
        tokens: list[str] = []
        ends: list[int] = []
        for match in _WORD.finditer(window):
            tokens.append(match.group(0))
            ends.append(match.end())
            if len(tokens) == MAX_NAME_TOKENS:
                break
        return [
            (start, start + ends[size - 1])
            for size in range(2, len(tokens) + 1)
            if tuple(tokens[:size]) in self.latin
        ]

    def _cjk_spans(self, text: str) -> list[tuple[int, int]]:
        if self._cjk_start is None:
            return []
        spans = []
        prefixes = self.cjk_prefixes
        for match in self._cjk_start.finditer(text):
            start = match.start()
            if text[start : start + 2] not in prefixes:
                continue
            for size in (2, 3, 4):
                if text[start : start + size] in self.cjk:
                    spans.append((start, start + size))
        return spans


class LiveNameIndex(NameIndex):
    """A NameIndex over the store that rebuilds itself after customers are imported.

    `current()` compares the customers table's row count and largest id with
    those seen at the last build (one cheap query, at most every `check_every_s`
    seconds) and reloads the names when either changed.
    """

    def __init__(self, engine: Engine, limit: int = 2_000_000, check_every_s: float = 1.0) -> None:
        self.engine = engine
        self.limit = limit
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._version: tuple[Any, Any] | None = None
        super().__init__(())
        self.current()

    def current(self) -> NameIndex:
        now = time.monotonic()
        if now - self._checked_at < self.check_every_s and self._version is not None:
            return self
        with self._lock:
            with self.engine.connect() as conn:
                version = tuple(
                    conn.execute(select(func.count(), func.max(Customer.customer_id))).one()
                )
                if version != self._version:
                    names = conn.execute(
                        select(Customer.name).where(Customer.name.is_not(None)).limit(self.limit)
                    ).scalars()
                    self._build(names)
                    self._version = version
            self._checked_at = time.monotonic()
        return self


# One message to the remote model holds at most this many characters; the rest
# is cut before masking, so masking time is bounded whatever a tool or a model returns.
MAX_GATED_CHARS = 100_000


def cap_length(text: str, limit: int = MAX_GATED_CHARS) -> str:
    """`text` cut to `limit` characters, with a note saying how much was cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit:,} more characters not sent]"


def mask_personal_data(text: str, names: NameIndex | None = None) -> str:
    """The text with emails, phone numbers and known customer names masked.

    Work is linear in len(text): emails are found from each '@', phones by a
    bounded pattern checked with libphonenumber, names by word sequences.
    """
    index = names.current() if names is not None else None
    kinds: dict[int, str] = {}
    spans: list[tuple[int, int]] = []
    for kind, found in (
        ("email", email_spans(text)),
        ("phone", phone_spans(text)),
        ("name", index.spans(text) if index is not None else ()),
    ):
        for span in found:
            kinds.setdefault(span[0], kind)
            spans.append(span)
    if not spans:
        return text

    def mask(found: str, start: int) -> str:
        kind = kinds.get(start, "name")
        if kind == "phone":
            return mask_phone(found)
        if kind == "email":
            local, _, domain = found.partition("@")
            return f"{local[:1]}***@{domain}"
        return mask_name(found)

    return replace_spans(text, spans, mask)


def is_row_level(output: Any) -> bool:
    """Whether a tool result carries customer-level rows (not only aggregates)."""
    if not isinstance(output, ToolOutput):
        return False
    return any(
        isinstance(a, TableArtifact) and ROW_LEVEL_COLUMNS & {str(c) for c in a.frame.columns}
        for a in output.artifacts
    )


NOTE_FOR_MODEL = "note_for_model"
"""ToolOutput.data key of a line the model sees even when the rows are withheld."""


def gate_message(
    message: BaseMessage, names: NameIndex | None, allow_raw_rows: bool
) -> BaseMessage:
    """A copy of the message fit to leave the machine."""
    if isinstance(message, ToolMessage) and not allow_raw_rows and is_row_level(message.artifact):
        output: ToolOutput = message.artifact
        table = next(a for a in output.artifacts if isinstance(a, TableArtifact))
        withheld = (
            f"[{len(table.frame)} customer-level rows with columns {', '.join(map(str, table.frame.columns))} "
            "were shown to the user but withheld from the model; ask for an aggregate instead.]"
        )
        note = output.data.get(NOTE_FOR_MODEL)  # e.g. "awaits the user's confirmation"
        if isinstance(note, str) and note:
            withheld += "\n" + mask_personal_data(cap_length(note, 2_000), names)
        return message.model_copy(update={"content": withheld})
    if isinstance(message, (HumanMessage, ToolMessage, AIMessage)):
        content = message.content
        if isinstance(content, str):
            masked = mask_personal_data(cap_length(content), names)
            return message.model_copy(update={"content": masked})
        if isinstance(content, list):  # content blocks: mask every text part
            blocks = [_mask_block(block, names) for block in content]
            return message.model_copy(update={"content": blocks})
    return message


def _mask_block(block: Any, names: NameIndex | None) -> Any:
    if isinstance(block, str):
        return mask_personal_data(cap_length(block), names)
    if isinstance(block, dict) and isinstance(block.get("text"), str):
        return {**block, "text": mask_personal_data(cap_length(block["text"]), names)}
    return block


class PrivacyGate(Middleware):
    """Agent middleware that gates every request to the (remote) chat model."""

    def __init__(self, names: NameIndex | None, allow_raw_rows: bool = False) -> None:
        super().__init__()
        self.names = names
        self.allow_raw_rows = allow_raw_rows

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        messages = [gate_message(m, self.names, self.allow_raw_rows) for m in request.messages]
        return handler(request.override(messages=messages))
