"""Typed columns from text cells: dates, datetimes, whole numbers, money, booleans, text.

Every parser is vectorised (files can have millions of lines) and reports the
cells it could not read as CellProblems, so one error lists them all.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Column, Date, DateTime, Integer, Numeric, String, Table

from knowledge.importers.currency import AMOUNT_MARKS
from knowledge.importers.dates import excel_serials, resolve_date_order, with_offset_to_local
from knowledge.importers.errors import CellProblem
from knowledge.importers.options import ImportOptions

Kind = Literal["str", "int", "decimal", "date", "datetime", "bool"]

TRUE_WORDS = frozenset({"true", "t", "1", "yes", "y", "是", "对", "真", "已", "on"})
FALSE_WORDS = frozenset({"false", "f", "0", "no", "n", "否", "不", "假", "未", "off"})

# PostgreSQL's INTEGER is 32-bit; a bigger value would fail mid-transaction.
_INT_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class FieldSpec:
    """How one target column is parsed and checked.

    `required`: the file must have the column; `not_null`: every row needs a
    value; `is_key`: an identifier, so '17850.0' (a spreadsheet's float) means '17850'.
    """

    name: str
    kind: Kind
    required: bool = False
    not_null: bool = False
    max_length: int | None = None
    is_key: bool = False
    max_abs: float | None = None


def table_fields(table: Table) -> list[FieldSpec]:
    """FieldSpecs of a store table: required = NOT NULL and no default."""
    return [_column_field(column) for column in table.columns]


def _column_field(column: Column) -> FieldSpec:
    kind: Kind
    max_abs = None
    if isinstance(column.type, Boolean):
        kind = "bool"
    elif isinstance(column.type, Integer):
        kind = "int"
    elif isinstance(column.type, Numeric):
        kind = "decimal"
        precision, scale = column.type.precision or 18, column.type.scale or 0
        max_abs = 10.0 ** (precision - scale)
    elif isinstance(column.type, DateTime):
        kind = "datetime"
    elif isinstance(column.type, Date):
        kind = "date"
    else:
        kind = "str"
    mandatory = not column.nullable and column.default is None
    length = column.type.length if isinstance(column.type, String) else None
    is_key = column.primary_key or column.name.endswith("_id") or column.name == "sku"
    return FieldSpec(column.name, kind, mandatory, mandatory, length, is_key, max_abs)


def parse_frame(
    cells: pd.DataFrame,
    fields: list[FieldSpec],
    mapping: dict[str, str],
    options: ImportOptions | None = None,
    file: str = "",
) -> tuple[pd.DataFrame, list[CellProblem]]:
    """Typed columns (named by target column) for every mapped field, and the bad cells.

    Raises ImportFileError when a date column reads both day-first and
    month-first and `options` does not say which (see `resolve_date_order`).
    """
    options = options or ImportOptions()
    out = pd.DataFrame(index=cells.index)
    problems: list[CellProblem] = []
    for spec in fields:
        source = mapping.get(spec.name)
        if source is None:
            continue
        if spec.kind in ("date", "datetime"):
            dayfirst = resolve_date_order(cells[source], source, options.date_order, file)
            values, bad = parse_datetimes(
                cells[source], spec, dayfirst=dayfirst, timezone=options.timezone
            )
            values = values.dt.normalize() if spec.kind == "date" else values
            bad = bad & cells[source].notna()
        else:
            values, bad = parse_column(cells[source], spec)
        out[spec.name] = values
        problems += _problems(cells[source], bad, source, spec)
        if spec.not_null:
            missing = cells[source].isna()
            problems += [
                CellProblem(int(r), source, None, "is empty") for r in cells.index[missing]
            ]
    return out, problems


def parse_column(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    """(typed values, mask of present cells that do not parse) for one column."""
    parser = {
        "str": _parse_str,
        "int": _parse_int,
        "decimal": _parse_decimal,
        "date": _parse_date,
        "datetime": parse_datetimes,
        "bool": _parse_bool,
    }[spec.kind]
    values, bad = parser(text, spec)
    return values, bad & text.notna()


_REASONS: dict[Kind, str] = {
    "str": "is too long",
    "int": "is not a whole number",
    "decimal": "is not a number",
    "date": "is not a date",
    "datetime": "is not a date/time",
    "bool": "is not yes/no (true/false, 1/0, 是/否, Y/N)",
}


def _problems(text: pd.Series, bad: pd.Series, source: str, spec: FieldSpec) -> list[CellProblem]:
    if not bad.any():
        return []
    reason = _REASONS[spec.kind]
    if spec.kind == "str":
        reason = f"is longer than {spec.max_length} characters"
    # Only the first few are shown, but the count must be right.
    rows = text.index[bad]
    return [CellProblem(int(r), source, str(text[r]), reason) for r in rows]


def _parse_str(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    values = text.astype("str")
    if spec.is_key:
        values = values.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
    if spec.max_length is not None:
        bad = values.str.len().fillna(0) > spec.max_length
    else:
        bad = pd.Series(False, index=text.index)
    return values, bad


def _numbers(text: pd.Series) -> pd.Series:
    """Floats from text such as '1,234.50', '¥12', '$3', 'EUR 5', '12.0'; NaN where unreadable."""
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = text.notna() & numbers.isna()
    if retry.any():  # the slow cleaning only for the cells that need it
        cleaned = text[retry].str.replace(AMOUNT_MARKS, "", regex=True, case=False).str.strip()
        # Thousands separators only in their proper places, so '1,5' stays unreadable.
        cleaned = cleaned.str.replace(r"(?<=\d),(?=\d{3}(\D|$))", "", regex=True)
        numbers[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    return numbers


def _parse_int(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    numbers = _numbers(text)
    ok = numbers.notna() & (numbers % 1 == 0) & (numbers.abs() <= _INT_LIMIT)
    values = numbers.where(ok).astype("Int64")
    return values, ~ok


def _parse_decimal(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    numbers = _numbers(text)
    ok = numbers.notna() & np.isfinite(numbers)
    if spec.max_abs is not None:
        ok &= numbers.abs() < spec.max_abs
    return numbers.where(ok), ~ok


def parse_datetimes(
    text: pd.Series,
    spec: FieldSpec | None = None,
    *,
    dayfirst: bool | None = None,
    timezone: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Naive datetimes from ISO, US ('12/1/2010 8:26'), day-first and Chinese ('2024年3月5日') text.

    `dayfirst` fixes the order of numeric dates (None: month-first and
    day-first are both tried and the reading with fewer failures kept, so one
    column is never read two ways); cells in another format are then parsed one
    by one. Excel serial day numbers are converted; cells with an offset or Z
    are converted to `timezone` (None: their wall-clock time is kept).
    """
    special = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if text.notna().any():
        special = excel_serials(text)
        if timezone is not None:
            special = special.fillna(with_offset_to_local(text.astype("str"), timezone))
    if not special.notna().any():
        return _parse_plain_datetimes(text, dayfirst)
    rest = text.where(special.isna())
    if not rest.notna().any():
        return special, pd.Series(False, index=text.index)
    values, bad = _parse_plain_datetimes(rest, dayfirst)
    return values.where(special.isna(), special), bad & special.isna()


def _parse_plain_datetimes(text: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, pd.Series]:
    cleaned = text.astype("str")
    chinese = cleaned.str.contains("年", regex=False).fillna(False).astype(bool)
    if chinese.any():
        cleaned = cleaned.copy()
        cleaned[chinese] = (
            cleaned[chinese]
            .str.replace(r"(\d)\s*[年月]\s*(?=\d)", r"\1-", regex=True)
            .str.replace(r"(\d)\s*日", r"\1", regex=True)
        )
    present = cleaned.notna()
    best: pd.Series | None = None
    for order in (False, True) if dayfirst is None else (dayfirst,):
        parsed = _to_datetime(cleaned, dayfirst=order, fmt=None)
        if best is None or parsed.isna().sum() < best.isna().sum():
            best = parsed
        if not (present & parsed.isna()).any():
            break
    assert best is not None
    retry = present & best.isna()
    if retry.any():
        best = best.copy()
        best[retry] = _to_datetime(cleaned[retry], dayfirst=bool(dayfirst), fmt="mixed")
    return best, present & best.isna()


def _to_datetime(text: pd.Series, *, dayfirst: bool, fmt: str | None) -> pd.Series:
    with warnings.catch_warnings():
        # "Could not infer format" is expected for odd columns; the fallback handles it.
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(text, errors="coerce", dayfirst=dayfirst, format=fmt)
        except (ValueError, TypeError, OverflowError):
            # Mixed time zones: read each cell's wall-clock time.
            parsed = pd.to_datetime(
                text.str.replace(r"([+-]\d{2}:?\d{2}|Z)$", "", regex=True),
                errors="coerce",
                dayfirst=dayfirst,
                format=fmt,
            )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[us]")


def _parse_date(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    stamps, bad = parse_datetimes(text, spec)
    return stamps.dt.normalize(), bad


def _parse_bool(text: pd.Series, spec: FieldSpec) -> tuple[pd.Series, pd.Series]:
    words = text.astype("str").str.strip().str.lower()
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values[words.isin(TRUE_WORDS)] = True
    values[words.isin(FALSE_WORDS)] = False
    return values, values.isna()


def round_money(values: pd.Series) -> pd.Series:
    """Half-up rounding to cents; the nudge absorbs binary error (1.005 is stored as 1.00499...)."""
    values = values.astype("float64")
    return np.sign(values) * np.floor(values.abs() * 100 + 0.5 + 1e-7) / 100
