"""Reading CSV, TSV, Excel and Parquet files into a frame of text cells, whatever their encoding.

Every cell comes back as text (or missing), so that parsing, and its error
messages, work the same for every format. The frame's index is the row number
a spreadsheet user sees: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd

from knowledge.importers.errors import ImportFileError

TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")

# Spellings of "no value" that exports write into cells.
MISSING_TOKENS = frozenset({"", "nan", "null", "none", "n/a", "#n/a", "nat", "<na>"})

# CJK-encoded bytes seldom contain C0 control characters; decoded garbage does.
_MAX_CONTROL_SHARE = 0.001


def read_table_file(
    path: Path, sheet: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """The file's table as text cells (missing = NA), indexed by spreadsheet row number.

    CSV and TSV (by suffix, or a tab delimiter sniffed from the header line),
    Excel (.xlsx/.xls; `sheet` picks a sheet, default every sheet with the first
    sheet's header, stacked) and Parquet. `encoding` (a Python codec name such as
    gbk or shift_jis) overrides the detection for CSV/TSV.
    `attrs["encoding"]` of the result names the text encoding read (None for
    Excel and Parquet, which carry their own).
    Raises ImportFileError for a missing, empty, header-only or undecodable file,
    and for one whose encoding cannot be told with confidence.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    used: str | None = None
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(path, sheet)
    elif suffix in PARQUET_SUFFIXES:
        frame = _read_parquet(path)
    else:
        frame, used = _read_delimited(path, path.read_bytes(), encoding)
    cells = _finish(frame, path.name)
    cells.attrs["encoding"] = used
    return cells


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file; (text, name of the encoding used).

    With `encoding`, exactly that codec (bytes it cannot read are an error).
    Else UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030, Western
    (Windows-1252) text, else charset-normalizer's guess when it is confident.
    Refused (ImportFileError saying to re-save as UTF-8 or pass --encoding):
    binary data, a guess charset-normalizer is not confident of (it recognised
    no language, or the text reads as a mess), no guess at all (Latin-1 would
    decode any bytes into garbage), and text with control, private-use,
    unassigned or replacement characters, which a wrong guess leaves behind.

    The Western check comes before charset-normalizer because on a small file
    (a few accented names) its statistics have too little to go on and it
    picks, e.g., UTF-16 or a Central European code page: mojibake.
    """
    if encoding is not None:
        return _decode_as(data, name, encoding), codecs.lookup(encoding).name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:65536]:
        raise _undecodable(name, "it contains NUL bytes, so it is binary, not a text table")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text, used = _try_gb18030(data), "gb18030"
    if text is None:
        text, used = _try_western(data), "cp1252"
    if text is None:
        best = charset_normalizer.from_bytes(data).best()
        if best is None or best.coherence <= _MIN_COHERENCE or best.chaos > _MAX_CHAOS:
            guess = f" (the best guess, {best.encoding}, is unsure)" if best is not None else ""
            raise _unsure(name, f"its encoding cannot be told with confidence{guess}")
        text, used = str(best), best.encoding
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise _undecodable(name, "its bytes are not text in any known encoding")
    odd = _wrong_guess_characters(text)
    if odd:
        raise _unsure(name, f"read as {used} it holds characters a wrong guess leaves ({odd})")
    return text, used


# charset-normalizer's coherence is 0 when it recognised no language in the decoded
# words (garbage, or a file too small to tell): a guess, not a detection.
_MIN_COHERENCE = 0.0
_MAX_CHAOS = 0.2
# Private use (Co), unassigned (Cn), surrogates (Cs) and U+FFFD: never in a real table.
_WRONG_GUESS_CATEGORIES = frozenset({"Co", "Cn", "Cs"})


def _wrong_guess_characters(text: str) -> str:
    """Up to three characters of `text` that a wrong decoding leaves, repr'd; '' if none."""
    found: list[str] = []
    for char in text[:200_000]:
        if char == "\ufffd" or unicodedata.category(char) in _WRONG_GUESS_CATEGORIES:
            if char not in found:
                found.append(char)
            if len(found) == 3:
                break
    return ", ".join(f"U+{ord(c):04X}" for c in found)


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    """`data` decoded with the user's codec; an ImportFileError naming the first bad byte."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(
            f"Unknown encoding '{encoding}'; use a name such as utf-8, gbk, big5, shift_jis "
            "or cp1252."
        ) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name}: the bytes at offset {exc.start} are not valid {encoding}; pass the "
            "encoding the file was saved in with --encoding, or re-save it as UTF-8. "
            "Nothing was imported."
        ) from None


def _unsure(name: str, why: str) -> ImportFileError:
    return ImportFileError(
        f"{name}: not imported because it is not UTF-8 and {why}. Re-save it as UTF-8 "
        "(e.g. in Excel: Save As, CSV UTF-8), or pass the encoding it was saved in with "
        "--encoding (e.g. --encoding gbk, big5, shift_jis or cp1251)."
    )


def _try_gb18030(data: bytes) -> str | None:
    """The text if the bytes read as Chinese GBK/GB18030, else None.

    GB18030 accepts many Latin-1 byte sequences too ("Zürich" decodes to a CJK
    character), so the decode is only trusted when nearly every non-ASCII
    character is a common GB2312 character, which mis-decoded Latin-1 is not.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return text
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return text if common >= 0.9 * len(wide) else None


# Latin text puts accented letters inside words, one at a time; double-byte encodings
# (Big5, Shift-JIS, EUC-KR) read as Windows-1252 give runs of two or more instead.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_WESTERN_SYMBOLS = frozenset("£€¥©®°±§¶·«»¿¡–—‘’“”„…•ªº×÷µ¢¤¦¨¬¯´¸¹²³¼½¾\xa0")
_MIN_ISOLATED_SHARE = 0.7


def _try_western(data: bytes) -> str | None:
    """The text if the bytes read as Windows-1252 (else Latin-1) Western text, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return text
    if not all(c.isalpha() or c in _WESTERN_SYMBOLS for c in wide):
        return None
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(text))
    return text if 1 - in_runs / len(wide) >= _MIN_ISOLATED_SHARE else None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    bad = sum(1 for c in sample if c not in "\t\r\n" and unicodedata.category(c) == "Cc")
    return bad / len(sample)


def _undecodable(name: str, why: str) -> ImportFileError:
    return ImportFileError(
        f"{name}: cannot read the file because {why}. Save it as CSV (UTF-8), Excel or Parquet."
    )


def _read_delimited(path: Path, data: bytes, encoding: str | None) -> tuple[pd.DataFrame, str]:
    """The delimited table as text, and the encoding it was read with."""
    if not data.strip():
        raise ImportFileError(
            f"{path.name}: the file is empty; expected a header row and data rows."
        )
    text, used = decode_text(data, path.name, encoding)
    sep = _delimiter(text, path.suffix.lower())
    try:
        # skip_blank_lines=False keeps index == record number, so row numbers stay right.
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError as exc:
        raise ImportFileError(f"{path.name}: the file is empty; expected a header row.") from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ImportFileError(
            f"{path.name}: the table is malformed ({exc}). Check delimiters and quotes on that line."
        ) from exc
    return frame, used


def _delimiter(text: str, suffix: str) -> str:
    """Tab for .tsv/.tab, else whichever of tab, semicolon or comma the header line uses most."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(path)
    except ImportError as exc:
        raise ImportFileError(
            f"{path.name}: reading this Excel format needs an extra package ({exc}); "
            "save the file as .xlsx or CSV instead."
        ) from exc
    except Exception as exc:  # openpyxl/xlrd raise many types for a corrupt workbook
        raise ImportFileError(f"{path.name}: not a readable Excel workbook ({exc}).") from exc
    with book:
        if sheet is not None and sheet not in book.sheet_names:
            raise ImportFileError(
                f"{path.name}: no sheet named '{sheet}'; sheets: {', '.join(book.sheet_names)}."
            )
        if sheet is not None:
            return pd.read_excel(book, sheet_name=sheet, dtype=object)
        sheets = pd.read_excel(book, sheet_name=None, dtype=object)
    return _stack_sheets(sheets, path.name)


def _stack_sheets(sheets: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """Every non-empty sheet, one under the other, when they share the first sheet's header.

    A workbook whose log runs over several sheets (one per month, or split at
    Excel's row limit) is imported whole; a sheet with another header is an
    error naming it, so nothing is silently left out. Rows are numbered on
    across sheets (the second sheet's first row follows the first sheet's last).
    """
    filled = {title: frame for title, frame in sheets.items() if len(frame.columns) > 0}
    if len(filled) <= 1:
        return next(iter(filled.values()), next(iter(sheets.values())))
    first_title, first = next(iter(filled.items()))
    header = [str(c).strip() for c in first.columns]
    for title, frame in filled.items():
        other = [str(c).strip() for c in frame.columns]
        if other != header:
            raise ImportFileError(
                f"{name}: sheet '{title}' has other columns ({', '.join(other[:8])}) than sheet "
                f"'{first_title}' ({', '.join(header[:8])}); all sheets with one header are "
                "imported together. Choose one sheet with --sheet <name>, or give the sheets "
                "the same header."
            )
    return pd.concat(
        [frame.set_axis(header, axis=1) for frame in filled.values()], ignore_index=True
    )


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises its own error types for corrupt files
        raise ImportFileError(f"{path.name}: not a readable Parquet file ({exc}).") from exc


def _finish(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Text cells, clean header names, all-empty rows dropped, index = spreadsheet row number."""
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    if len(frame.columns) == 0:
        raise ImportFileError(f"{name}: no header row found; the first row must name the columns.")
    text = pd.DataFrame({col: _as_text(frame[col]) for col in frame.columns}, index=frame.index)
    text.index = pd.RangeIndex(2, len(text) + 2, name="row")
    text = text[text.notna().any(axis=1)]
    if text.empty:
        raise ImportFileError(
            f"{name}: the file has a header row ({', '.join(frame.columns[:10])}) but no data rows."
        )
    return text


def _as_text(column: pd.Series) -> pd.Series:
    """The column as stripped text, missing tokens as NA; whole floats lose their '.0'."""
    if pd.api.types.is_float_dtype(column.dtype):
        # Excel and Parquet store ids such as CustomerID as floats when a cell is empty.
        whole = column.notna() & np.isfinite(column) & (column % 1 == 0)
        out = column.astype(object).where(~whole, column[whole].astype("Int64").astype(object))
        column = out
    elif pd.api.types.is_datetime64_any_dtype(column.dtype):
        column = column.astype(object)
    if isinstance(column.dtype, pd.StringDtype):
        # CSV columns (read as text): vectorised, since these files can be large.
        text = column.str.strip()
        return text.where(~text.str.lower().isin(MISSING_TOKENS))
    values = column.astype(object).map(_cell_text)
    return pd.Series(values, index=column.index, dtype="str")


def _cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return None if text.lower() in MISSING_TOKENS else text
