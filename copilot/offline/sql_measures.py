"""The measure a SQL request names, checked against the SQL the planner wrote for it.

A request for a query ("写个SQL：各品类平均分", "SQL: share of customers by province") can be
read by a writer that places its grouping and its table and leaves the measure word to the
lexicon's function words: the query then counts rows where an average, a median, a share
or a maximum was asked, a confident answer to another question. Whatever writer made the
run_sql call, a measure the question names must show in the SQL's own shape (an AVG, a
percentile, a division, a MAX / MIN or an order), or the planner asks back naming the word.
The marker words are the lexicon's (guard_sql_*, guard_rate, guard_share)."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.vocabulary import reader_pattern

# (marker reader, what in the SQL accounts for it), the first marker left unaccounted named
_ACCOUNTED = (
    ("guard_sql_median", re.compile(r"(?i)\bPERCENTILE_(?:CONT|DISC)\b|\bMEDIAN\s*\(")),
    (
        "guard_sql_average",
        re.compile(r"(?i)\bAVG\s*\(|\bPERCENTILE_(?:CONT|DISC)\b|\bMEDIAN\s*\(|/"),
    ),
    ("guard_rate", re.compile(r"(?i)\bAVG\s*\(\s*CASE\b|/")),
    ("guard_share", re.compile(r"(?i)\bAVG\s*\(\s*CASE\b|/")),
    ("guard_sql_extreme", re.compile(r"(?i)\b(?:MAX|MIN)\s*\(|\bLIMIT\b|\b(?:DESC|ASC)\b")),
)


def unmeasured_sql_word(text: str, calls: list[dict[str, Any]]) -> str | None:
    """The measure word of `text` (its set-aside markers blanked) that no run_sql call of
    the plan computes; None when every one is, or when the plan is not all run_sql."""
    if not calls or any(c.get("name") != "run_sql" for c in calls):
        return None
    statements = [str((c.get("args") or {}).get("sql") or "") for c in calls]
    for reader, accounted in _ACCOUNTED:
        marker = reader_pattern(reader).search(text)
        if marker and not any(accounted.search(sql) for sql in statements):
            return marker.group(0).strip()
    return None
