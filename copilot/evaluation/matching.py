"""Judging one answer: tool arguments, the expected value in the answer, honest refusals."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from copilot.evaluation import checks
from copilot.evaluation.questions import ExpectedValue, TableLocation
from tools.base import TableArtifact

PRESENT = "present"
ABSENT = "absent"
# Numbers as answers print them: ¥1,234.56, 12.3%, 1,971, -0.5, 6.86e-07.
# Chinese answers write large amounts in 万 (10^4) and 亿 (10^8): ¥123.46万.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?\s*(?:%|万|亿)?"
)
_CHINESE_UNITS = {"万": 1e4, "亿": 1e8}
# Quoted example questions in a refusal ("try 'revenue last 30 days'") are not figures.
# An English quote opens and closes off a word, so "can't ... won't" is no quote.
_QUOTED = re.compile(r"(?<![A-Za-z])'[^']*'(?![A-Za-z])|\"[^\"]*\"|“[^”]*”|「[^」]*」|‘[^’]*’")


def args_mismatch(expected: dict[str, Any], actual: dict[str, Any], path: str = "") -> str | None:
    """Why `actual` does not match the expected subset, or None when it does.

    `present` / `absent` test only whether a key is given; a list must hold the
    same items (any order, case-insensitive); {contains: [...]} a superset;
    {any_of: [...]} one of the values; a dict matches recursively as a subset.
    """
    for key, want in expected.items():
        where = f"{path}{key}"
        if want == ABSENT:
            if actual.get(key) not in (None, [], {}):
                return f"{where} should be absent, got {actual[key]!r}"
            continue
        if key not in actual or actual[key] in (None, [], {}):
            if isinstance(want, dict) and ABSENT in want.get("any_of", []):
                continue
            return f"{where} missing"
        if want == PRESENT:
            continue
        problem = _value_mismatch(want, actual[key], where)
        if problem:
            return problem
    return None


def _value_mismatch(want: Any, got: Any, where: str) -> str | None:
    if isinstance(want, dict) and "contains" in want:
        items = _normalised(got if isinstance(got, list) else [got])
        missing = [w for w in want["contains"] if _norm(w) not in items]
        return f"{where} lacks {missing} (got {got!r})" if missing else None
    if isinstance(want, dict) and "any_of" in want:
        ok = any(_value_mismatch(option, got, where) is None for option in want["any_of"])
        return None if ok else f"{where}: {got!r} is none of {want['any_of']!r}"
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{where}: expected a mapping, got {got!r}"
        return args_mismatch(want, got, f"{where}.")
    if isinstance(want, list):
        if not isinstance(got, list):
            got = [got]
        if sorted(_normalised(want)) != sorted(_normalised(got)):
            return f"{where}: expected {want!r}, got {got!r}"
        return None
    if isinstance(want, float) and isinstance(got, int | float):
        return None if math.isclose(want, got, rel_tol=1e-9) else f"{where}: {got!r} != {want!r}"
    return None if _norm(want) == _norm(got) else f"{where}: expected {want!r}, got {got!r}"


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _norm(v)) for k, v in value.items()))
    return value.strip().lower() if isinstance(value, str) else value


def _normalised(values: list[Any]) -> list[Any]:
    return [_norm(v) for v in values]


def expected_value(spec: ExpectedValue, engine: Engine, as_of: Any) -> float | dict[str, float]:
    """The expected number (or {key: number}), computed without the tool under test."""
    if spec.check is not None:
        function = getattr(checks, spec.check)
        return function(engine, as_of, **spec.check_args)
    with engine.connect() as conn:
        rows = conn.execute(text(spec.sql or "")).fetchall()
    if rows and len(rows[0]) >= 2:
        return {str(r[0]): float(r[1]) for r in rows}
    if not rows or rows[0][0] is None:
        raise ValueError("the expected-value SQL returned no value")
    return float(rows[0][0])


def value_mismatch(
    spec: ExpectedValue,
    expected: float | dict[str, float],
    answer_text: str,
    tables: list[TableArtifact],
) -> str | None:
    """Why the answer does not show the expected value, or None when it does."""
    if spec.answer_text is not None:
        values = expected.values() if isinstance(expected, dict) else [expected]
        missing = [
            v for v in values if not _in_text(v, spec.answer_text, answer_text, spec.tolerance)
        ]
        return (
            f"expected {spec.answer_text} {missing[0]!r} not in the answer text"
            if missing
            else None
        )
    location = spec.answer_table
    assert location is not None  # the schema guarantees one place
    frame = _table_with(tables, location)
    if frame is None:
        return f"no result table with column {location.column!r}"
    if isinstance(expected, dict):
        return _keyed_mismatch(frame, location, expected, spec.tolerance)
    row = _row(frame, location)
    if row is None:
        return f"no row {location.row if location.match is None else location.match} in the table"
    got = row[location.column]
    return (
        None
        if _close(got, expected, spec.tolerance)
        else f"table shows {got!r}, expected {expected!r}"
    )


def _table_with(tables: list[TableArtifact], location: TableLocation) -> pd.DataFrame | None:
    for table in tables:
        if location.table and not re.search(location.table, table.title, re.I):
            continue
        if location.column in table.frame.columns:
            return table.frame.reset_index(drop=True)
    return None


def _row(frame: pd.DataFrame, location: TableLocation) -> pd.Series | None:
    if location.match:
        keep = pd.Series(True, index=frame.index)
        for column, value in location.match.items():
            keep &= frame[column].astype(str).str.lower() == str(value).lower()
        hits = frame[keep]
        return hits.iloc[0] if not hits.empty else None
    index = location.row or 0
    return frame.iloc[index] if index < len(frame) else None


def _keyed_mismatch(
    frame: pd.DataFrame, location: TableLocation, expected: dict[str, float], tolerance: float
) -> str | None:
    key = location.key or frame.columns[0]
    shown = {_key_text(k): v for k, v in zip(frame[key], frame[location.column], strict=True)}
    for name, value in expected.items():
        if name not in shown:
            return f"{key} {name!r} missing from the table"
        if not _close(shown[name], value, tolerance):
            return (
                f"{location.column} for {name!r}: table shows {shown[name]!r}, expected {value!r}"
            )
    if location.ordered and [k for k in shown if k in expected] != list(expected):
        return f"rows out of order: {list(shown)[: len(expected)]} vs {list(expected)}"
    if location.ordered and len(shown) != len(expected):
        return f"{len(shown)} rows, expected {len(expected)}"
    return None


def _key_text(value: Any) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _close(got: Any, want: float, tolerance: float) -> bool:
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    if math.isnan(got):
        return False
    return math.isclose(got, want, rel_tol=tolerance, abs_tol=1e-9)


def numbers_in(text_: str) -> list[tuple[float, float]]:
    """(value, rounding step) of every number in a text; percentages as fractions."""
    found = []
    for match in _NUMBER.finditer(text_):
        token = match.group(0).replace(",", "").replace(" ", "")
        percent = token.endswith("%")
        scale = _CHINESE_UNITS.get(token[-1:], 1.0)
        token = token.rstrip("%万亿")
        try:
            value = float(token) * scale
        except ValueError:
            continue
        decimals = len(token.split(".")[1]) if "." in token and "e" not in token.lower() else 0
        step = 10.0**-decimals * scale
        found.append((value / 100, step / 100) if percent else (value, step))
    return found


# Dates and period labels are not figures: "2026-10-01", "2026年10月", "Q3 2026", "October 2026".
_DATES = re.compile(
    r"\b(?:19|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?\b|(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?"
    r"(?:\s*\d{1,2}\s*[日号])?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\bQ[1-4]\s*(?:19|20)\d{2}\b"
    r"|\b(?:19|20)\d{2}(?:\s*-?\s*Q[1-4])?\b",
    re.I,
)
_CURRENCY = "¥￥$€£"


def stated_figures(answer: str, kind: str) -> list[tuple[float, float]]:
    """The figures of one kind the answer states: percentages only with "%", money only
    after a currency sign, counts never inside a date or period label.

    This is what keeps a date's "01" from passing for an expected 100%, and an
    order count from passing for revenue.
    """
    text_ = _DATES.sub(" ", answer)
    found = []
    for match in _NUMBER.finditer(text_):
        token = match.group(0).strip()
        is_percent = token.endswith("%")
        before = text_[max(0, match.start() - 2) : match.start()]
        is_money = any(sign in before for sign in _CURRENCY)
        if kind == "percent" and not is_percent:
            continue
        if kind == "money" and not is_money:
            continue
        if kind in ("integer", "number") and is_percent:
            continue
        found.extend(numbers_in(token))
    return found


def _in_text(value: float, kind: str, answer: str, tolerance: float) -> bool:
    for shown, step in stated_figures(answer, kind):
        if kind == "percent" and abs(shown - value) <= step / 2 + 1e-9:
            return True
        if kind != "percent" and abs(shown - value) <= max(step / 2, abs(value) * tolerance) + 1e-9:
            return True
    return False


def refusal_problem(tool_names: list[str], answer_text: str, question: str) -> str | None:
    """Why an out-of-scope answer is not an honest refusal, or None when it is.

    Honest = no tool was called and the answer states no number of its own:
    numbers quoted from example questions, or repeated from the question, are fine.
    """
    if tool_names:
        return f"called {', '.join(tool_names)} instead of declining"
    asked = {v for v, _ in numbers_in(question)}
    figures = [v for v, _ in numbers_in(_QUOTED.sub(" ", answer_text)) if v not in asked]
    if figures:
        return f"the refusal states numbers {figures[:3]}"
    return None
