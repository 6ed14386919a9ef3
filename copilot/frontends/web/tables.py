"""Result tables for the screen: any tool's frame becomes a readable, sortable Gradio table.

Tools return frames of every dtype (None in an object column, nullable integers,
booleans, datetimes, Decimals from some drivers, lists of items); `screen_frame`
turns each column into numbers or text first, so rendering never depends on a
tool's dtypes, and `column_widths` sizes columns from their content so headers
such as "variant" never wrap letter by letter. Numbers are shown by the one
formatting layer (knowledge.presentation: money in the store's currency, rates
as %, counts as integers) and, for an answer, headers are the column labels in
the question's language (`TableStyle`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import gradio as gr
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from knowledge.presentation.labels import cell_formatter, table_labels

# Column widths in px: ~8 px per character at the UI's 14 px font (CJK counts two), plus
# the cell's padding and the sort arrow. Long text columns stop at WIDEST_PX and wrap.
PX_PER_CHAR = 8
CELL_PADDING_PX = 34
NARROWEST_PX = 64
WIDEST_PX = 320
HEADER_WRAP_CHARS = 18  # headers longer than this may wrap (at spaces) rather than widen
LONGEST_WORD = 14  # a narrowed text column keeps words up to this many characters whole
SAMPLE_ROWS = 200  # rows measured for the widths; tables are capped by the row limit anyway
# An absolute server path to a file (knowledge sources, export files): shown as its file name,
# since the server's folders mean nothing to the person reading and need not be disclosed.
_SERVER_PATH = re.compile(r"^(?:/|[A-Za-z]:[\\/])(?:[^\n]*[/\\])?([^/\\\n]+\.\w{1,8})$")


@dataclass(frozen=True)
class TableStyle:
    """How a table reads: headers in `language` (None: the column names, as the workspace
    tabs show their own tables), numbers in the store's `currency`, and the tool's declared
    column formats (TableArtifact.formats) where it knows them."""

    language: str | None = None
    currency: str = "¥"
    formats: dict[str, str] = field(default_factory=dict)

    def headers(self, columns: list[str]) -> dict[str, str]:
        """{column: header}: the labels in the answer's language, or the names themselves."""
        if self.language is None:
            return {c: c for c in columns}
        return table_labels(columns, self.language)


PLAIN = TableStyle()


def screen_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every column numeric (int or float) or text; missing cells become "".

    Booleans show as ✓ / ✗ (language-neutral), datetimes as ISO dates (with the time only
    when one is set), Decimals and numeric text from a driver as floats, lists and dicts
    as their items joined by ", ". Column names become unique strings.
    """
    shown = pd.DataFrame(index=range(len(frame)))
    for position, name in enumerate(_unique_names(frame.columns)):
        shown[name] = _screen_column(frame.iloc[:, position].reset_index(drop=True))
    return shown


def _unique_names(columns: pd.Index) -> list[str]:
    names: list[str] = []
    for column in columns:
        name = str(column) if not isinstance(column, tuple) else " ".join(map(str, column))
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def _screen_column(values: pd.Series) -> pd.Series:
    """One column as int64, float64 or object text (see screen_frame)."""
    if pd.api.types.is_bool_dtype(values):
        return values.map(_cell_text).astype(object)
    if pd.api.types.is_integer_dtype(values):
        # Nullable integers with a gap become floats (NaN), which the table leaves blank.
        return values.astype("int64") if values.notna().all() else values.astype("float64")
    if pd.api.types.is_float_dtype(values):
        return values.astype("float64")
    if pd.api.types.is_numeric_dtype(values):  # complex, or a numeric extension type
        return values.map(_cell_text).astype(object)
    present = values.dropna()
    present = present[[not _missing(v) for v in present]]
    if len(present) and all(_plain_number(v) for v in present):
        return pd.to_numeric(values.map(_number_or_nan), errors="coerce").astype("float64")
    return values.map(_cell_text).astype(object)


def _plain_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _number_or_nan(value: Any) -> float:
    return float(value) if _plain_number(value) else float("nan")


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (but not a list, whose truth value is ambiguous)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def _cell_text(value: Any) -> str:
    """A cell as the text a person reads."""
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        return ", ".join(_cell_text(v) for v in list(value))
    if _missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "✓" if value else "✗"
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else str(stamp)[:16]
    if isinstance(value, date | time | pd.Period | pd.Timedelta):
        return str(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    text = str(value)
    path = _SERVER_PATH.match(text)
    return path.group(1) if path else text


def display_frame(frame: pd.DataFrame, style: TableStyle = PLAIN) -> Styler:
    """The frame styled for the screen: numbers by their kind, headers per `style`.

    The Styler only changes what is shown; numeric cells keep their numbers, so sorting
    is numeric.
    """
    shown = screen_frame(frame)
    formatters = _number_formats(shown, style)
    headers = style.headers(list(shown.columns))
    shown = shown.rename(columns=headers)
    return shown.style.format({headers[c]: f for c, f in formatters.items()}, na_rep="")


def _number_formats(shown: pd.DataFrame, style: TableStyle) -> dict[str, Callable[[Any], str]]:
    """{column: how a cell shows} of the numeric columns of a screen frame."""
    language = style.language or "en"
    return {
        column: cell_formatter(
            column, shown[column], language, style.currency, formats=style.formats
        )
        for column in shown.columns
        if pd.api.types.is_numeric_dtype(shown[column])
    }


def column_types(frame: pd.DataFrame) -> list[str]:
    """Gradio datatypes of the screen frame: numbers sort as numbers, everything else as text."""
    shown = screen_frame(frame)
    return ["number" if pd.api.types.is_numeric_dtype(shown[c]) else "str" for c in shown.columns]


def text_width(value: object) -> int:
    """Display width of a text in character cells (CJK characters are two wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def column_widths(
    frame: pd.DataFrame, fit_px: int | None = None, style: TableStyle = PLAIN
) -> list[str]:
    """A px width per column: its header or widest shown cell, clamped to a readable range.

    A long header wraps at its spaces rather than widening its column; a short one
    ("variant", "size") always fits on one line. With `fit_px` (the width the table has
    on the page), text columns give up width, widest first, down to their header's
    width, so numbers and dates stay whole and the long names wrap instead.
    """
    shown = screen_frame(frame.head(SAMPLE_ROWS))
    formats = _number_formats(shown, style)
    headers = style.headers(list(shown.columns))
    widths = []
    for column in shown.columns:
        label = headers[column]
        header = text_width(label)
        if header > HEADER_WRAP_CHARS:
            header = max(HEADER_WRAP_CHARS, *(text_width(w) for w in label.split()))
        fmt = formats.get(column)
        cells = [text_width(_shown_text(v, fmt)) for v in shown[column]]
        px = max([header, *cells]) * PX_PER_CHAR + CELL_PADDING_PX
        widths.append(min(WIDEST_PX, max(NARROWEST_PX, px)))
    if fit_px is not None:
        widths = _fit(shown, widths, fit_px, headers)
    return [f"{w}px" for w in widths]


def _fit(shown: pd.DataFrame, widths: list[int], fit_px: int, headers: dict[str, str]) -> list[int]:
    """Narrow the text columns (widest first, never below their header) to fit `fit_px`."""
    widths = list(widths)
    floors = [
        min(
            w,
            max(
                NARROWEST_PX,
                max(_header_floor(headers[c]), _word_floor(shown[c])) * PX_PER_CHAR
                + CELL_PADDING_PX,
            ),
        )
        if shown[c].dtype == object
        else w
        for c, w in zip(shown.columns, widths, strict=True)
    ]
    while sum(widths) > fit_px:
        room = [w - f for w, f in zip(widths, floors, strict=True)]
        widest = max(range(len(widths)), key=lambda i: (room[i] > 0, widths[i]))
        if room[widest] <= 0:
            break
        # Down to the next widest text column at most, so the width is taken from the wide
        # columns in turn (a copy text and a long name both wrap) rather than from one alone.
        others = [w for i, w in enumerate(widths) if i != widest and room[i] > 0]
        step = widths[widest] - max(others) if others else room[widest]
        step = max(1, min(room[widest], sum(widths) - fit_px, step or 1))
        widths[widest] -= step
    return widths


def _word_floor(values: pd.Series) -> int:
    """The longest word of a text column's cells, in cells (at most LONGEST_WORD), so a
    narrowed column wraps between words instead of inside one ("Clean / ser")."""
    longest = 0
    for value in values:
        for word in str(value).split():
            if not any(text_width(ch) == 2 for ch in word):  # Chinese wraps anywhere
                longest = max(longest, text_width(word))
    return min(longest, LONGEST_WORD)


def _header_floor(header: str) -> int:
    """The narrowest a text column's header lets it be, in cells: its longest word, and a
    Chinese header ("是否通过检查") may take two lines, so half its width."""
    words = header.split() or [header]
    return max(
        (text_width(w) + 1) // 2 if any(text_width(ch) == 2 for ch in w) else text_width(w)
        for w in words
    )


def _shown_text(value: Any, fmt: Callable[[Any], str] | None) -> str:
    """A screen-frame cell as display_frame shows it."""
    if fmt is None:
        return str(value)
    return "" if pd.isna(value) else fmt(value)


def needs_wrap(frame: pd.DataFrame, fit_px: int | None = None, style: TableStyle = PLAIN) -> bool:
    """Whether some cell is wider than its column (copy drafts, long names): then cells wrap."""
    shown = screen_frame(frame.head(SAMPLE_ROWS))
    widths = [int(w.removesuffix("px")) for w in column_widths(frame, fit_px, style)]
    return any(
        text_width(v) * PX_PER_CHAR + CELL_PADDING_PX > width
        for c, width in zip(shown.columns, widths, strict=True)
        if shown[c].dtype == object
        for v in shown[c]
    )


def table_props(
    frame: pd.DataFrame, fit_px: int | None = None, style: TableStyle = PLAIN
) -> dict[str, Any]:
    """Value, datatypes, widths and wrapping of a table for `frame` (for creation or update).

    `fit_px`: the width the table has on the page, when its columns must fit in it;
    `style`: the headers' language, the currency and the tool's column formats.
    """
    return {
        "value": display_frame(frame, style),
        "datatype": column_types(frame),
        "column_widths": column_widths(frame, fit_px, style),
        "wrap": needs_wrap(frame, fit_px, style),
    }


def table_component(
    frame: pd.DataFrame,
    label: str | None = None,
    fit_px: int | None = None,
    style: TableStyle = PLAIN,
    **kwargs: Any,
) -> gr.Dataframe:
    """A read-only, sortable table with copy and fullscreen buttons."""
    return gr.Dataframe(
        **table_props(frame, fit_px, style),
        interactive=False,
        label=label,
        show_label=label is not None,
        buttons=["copy", "fullscreen"],
        max_height=420,
        **kwargs,
    )


def table_update(frame: pd.DataFrame, fit_px: int | None = None) -> gr.Dataframe:
    """What an event returns to show `frame` in an existing table (widths follow the data)."""
    return gr.Dataframe(**table_props(frame, fit_px))
