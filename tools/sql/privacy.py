"""Masking personal data (customer names, emails, phones) in free-SQL results.

Which result columns carry personal data is found from the query itself with
sqlglot's column lineage (through aliases, CTEs, subqueries and expressions),
not from column names: `campaigns.name` is not personal, `c.name AS who` is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
from sqlglot import exp
from sqlglot.lineage import lineage
from sqlglot.optimizer.qualify import qualify

# (table, column) -> kind of mask
PERSONAL_COLUMNS: dict[tuple[str, str], str] = {
    ("customers", "name"): "name",
    ("customers", "email"): "email",
    ("customers", "phone"): "phone",
}
_PERSONAL_TABLES = {table for table, _ in PERSONAL_COLUMNS}


def personal_kinds(
    tree: exp.Query, schema: Mapping[str, Mapping[str, str]], dialect: str
) -> list[str | None] | None:
    """The mask kind of each output column (None = not personal), or None if unknown.

    None means lineage could not be traced; the caller must then mask conservatively.
    """
    try:
        qualified = qualify(
            tree.copy(), schema=schema, dialect=dialect, validate_qualify_columns=True
        )
        names = qualified.named_selects
        kinds: dict[str, str | None] = {}
        for name in dict.fromkeys(names):
            kinds[name] = _kind_of(name, qualified, schema, dialect)
        counts = [isinstance(e.unalias(), _COUNT_LIKE) for e in qualified.selects]
    except Exception:  # noqa: BLE001 - any failure to trace lineage means "mask conservatively"
        return None
    if len(counts) != len(names):
        return None
    # A count or a length of personal data is not personal data; any other value
    # derived from it (a cast to a number, MAX(phone)) is masked.
    return [None if count else kinds[name] for name, count in zip(names, counts, strict=True)]


_COUNT_LIKE = (exp.Count, exp.Length, exp.ApproxDistinct)


def _kind_of(name: str, tree: exp.Query, schema: Mapping, dialect: str) -> str | None:
    found: set[str] = set()
    root = lineage(name, tree, schema=schema, dialect=dialect)
    for node in root.walk():
        source = node.source
        # Leaves of the lineage are the base-table columns a value comes from.
        if node.downstream or not isinstance(source, exp.Table):
            continue
        column = node.name.rsplit(".", 1)[-1].strip('"').lower()
        kind = PERSONAL_COLUMNS.get((source.name.lower(), column))
        if kind:
            found.add(kind)
    if not found:
        return None
    return found.pop() if len(found) == 1 else "mixed"


def reads_personal_table(tables: frozenset[str]) -> bool:
    """Whether the query reads a table that holds personal data."""
    return bool(tables & _PERSONAL_TABLES)


def mask_frame(
    frame: pd.DataFrame, kinds: list[str | None] | None
) -> tuple[pd.DataFrame, list[str]]:
    """`frame` with personal values masked, and the names of the masked columns.

    Every non-null value of a personal column is masked (numbers too, as text);
    with `kinds` None (lineage unknown), every text column is masked.
    """
    masked = frame.copy()
    names: list[str] = []
    for position, column in enumerate(frame.columns):
        unknown = kinds is None or len(kinds) != len(frame.columns)
        kind = "mixed" if unknown else kinds[position]
        if kind is None:
            continue
        values = masked.iloc[:, position]
        if unknown and not values.map(lambda v: isinstance(v, str)).any():
            continue  # lineage unknown: only text can hold a name, an email or a phone
        if values.notna().any():
            # isetitem replaces the column (a number column becomes text).
            masked.isetitem(position, values.astype(object).map(lambda v, k=kind: _mask_any(v, k)))
            names.append(str(column))
    return masked, names


def _mask_any(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    return mask_value(value if isinstance(value, str) else str(value), kind)


_EMAIL = re.compile(r"^([^@\s]+)@(.+)$")


def mask_value(value: object, kind: str) -> object:
    """One value masked: 王** for names, a***@example.com, 138****5678."""
    if not isinstance(value, str) or not value:
        return value
    text = value.strip()
    email = _EMAIL.match(text)
    if kind == "email" or (kind == "mixed" and email):
        if email:
            return f"{email.group(1)[0]}***@{email.group(2)}"
        return _mask_name(text)
    digits = sum(ch.isdigit() for ch in text)
    if kind == "phone" or (kind == "mixed" and digits >= 7):
        return _mask_phone(text)
    return _mask_name(text)


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
