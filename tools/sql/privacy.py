"""Masking personal data (customer names, emails, phones, review texts) in free-SQL results.

Which result columns carry personal data is found from the query itself by
column lineage (`tools/sql/lineage.py`: through aliases, CTEs, subqueries,
functions, aggregates, concatenation and whole-row values), not from column
names: `campaigns.name` is not personal, `c.name AS who` is. A query whose
lineage cannot be traced is refused, not sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
from sqlglot import exp

from tools.base import ToolError
from tools.sql.lineage import UntraceableQuery, output_kinds
from tools.sql.pii_text import email_spans, phone_spans, replace_spans

# (table, column) -> kind of mask. "text" is free text that may hold anything
# personal: emails and phones inside it are masked (and names, by the gate).
PERSONAL_COLUMNS: dict[tuple[str, str], str] = {
    ("customers", "name"): "name",
    ("customers", "email"): "email",
    ("customers", "phone"): "phone",
    ("reviews", "text"): "text",
}
_PERSONAL_TABLES = {table for table, _ in PERSONAL_COLUMNS}


def personal_kinds(
    tree: exp.Query, schema: Mapping[str, Mapping[str, str]], dialect: str, copy: bool = True
) -> list[str | None]:
    """The mask kind of each output column (None = not personal).

    With `copy` False, `tree` is qualified in place (faster; the caller no longer needs it).
    A column built from one kind keeps it ("email"); from several, or from a
    whole row, it is "mixed" (masked whole). Raises ToolError when the lineage
    cannot be traced: such a result is never sent.
    """
    try:
        kinds = output_kinds(tree, schema, dialect, PERSONAL_COLUMNS, copy=copy)
    except UntraceableQuery as exc:
        raise ToolError.of(
            "Refused: this query reads customers' personal data and where its result "
            "columns come from could not be traced ({reason}), so it is not run. Select "
            "plain columns by name (no whole-row values, struct fields or COLUMNS()), "
            "or aggregate.",
            reason=str(exc),
        ) from exc
    return [None if not k else (next(iter(k)) if len(k) == 1 else "mixed") for k in kinds]


def reads_personal_table(tables: frozenset[str]) -> bool:
    """Whether the query reads a table that holds personal data."""
    return bool(tables & _PERSONAL_TABLES)


def mask_frame(frame: pd.DataFrame, kinds: list[str | None]) -> tuple[pd.DataFrame, list[str]]:
    """`frame` with personal values masked, and the names of the masked columns.

    Every non-null value of a personal column is masked (numbers, lists and
    structs too, as text). Raises ToolError if `kinds` does not match the columns.
    """
    if len(kinds) != len(frame.columns):
        raise ToolError.of(
            "Refused: the result has {columns} columns but {traced} were "
            "traced, so personal data could not be masked reliably; name each column.",
            columns=len(frame.columns),
            traced=len(kinds),
        )
    masked = frame.copy()
    names: list[str] = []
    for position, column in enumerate(frame.columns):
        kind = kinds[position]
        if kind is None:
            continue
        values = masked.iloc[:, position]
        if values.notna().any():
            # isetitem replaces the column (a number column becomes text).
            masked.isetitem(position, values.astype(object).map(lambda v, k=kind: _mask_any(v, k)))
            names.append(str(column))
    return masked, names


def _mask_any(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    if isinstance(value, bytes):
        return "*" * min(len(value), 8)
    return mask_value(value if isinstance(value, str) else str(value), kind)


# One email and nothing else; several (string_agg) or email plus text is masked whole.
_ONE_EMAIL = re.compile(r"([^@\s,;]{1,64})@([A-Za-z0-9.-]{1,255})")
_ONE_PHONE = re.compile(r"\+?[\d ().-]{1,30}")
MAX_PHONE_DIGITS = 15  # E.164


def mask_value(value: object, kind: str) -> object:
    """One value masked: 王** for names, a***@example.com, 138****5678, emails/phones in text.

    A value that is not exactly one email or one phone (an aggregate such as
    string_agg(email, ','), a concatenation, a whole row as JSON) is masked whole:
    its first character and a few stars.
    """
    if not isinstance(value, str) or not value:
        return value
    text = value.strip()
    if kind == "text":
        return mask_text(value)
    if kind == "email":
        email = _ONE_EMAIL.fullmatch(text)
        return f"{email.group(1)[0]}***@{email.group(2)}" if email else _mask_name(text)
    if kind == "phone":
        digits = sum(ch.isdigit() for ch in text)
        if _ONE_PHONE.fullmatch(text) and digits <= MAX_PHONE_DIGITS:
            return _mask_phone(text)
        return _mask_name(text)
    return _mask_name(text)


def mask_text(text: str) -> str:
    """Free text with each email and phone number in it masked (linear in its length)."""
    spans = [*email_spans(text), *phone_spans(text)]
    if not spans:
        return text
    return replace_spans(text, spans, _mask_found)


def _mask_found(found: str, start: int = 0) -> str:
    if "@" in found:
        local, _, domain = found.partition("@")
        return f"{local[:1]}***@{domain}"
    return _mask_phone(found)


def mask_name(text: str) -> str:
    """A name (or any value masked whole): its first character and 2 to 6 stars."""
    return _mask_name(text)


def mask_phone(text: str) -> str:
    """A phone number with all but its first 3 and last 4 digits masked."""
    return _mask_phone(text)


def _mask_name(text: str) -> str:
    """The first character and a few stars (their number hides long names' length)."""
    return text[0] + "*" * min(max(2, len(text) - 1), 6) if text else text


def _mask_phone(text: str) -> str:
    """Keep the first 3 and last 4 digits, mask the others (separators stay)."""
    total = sum(ch.isdigit() for ch in text)
    if total < 8:
        return "*" * len(text)
    seen = 0
    out = []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 3 or seen > total - 4 else "*")
        else:
            out.append(ch)
    return "".join(out)
