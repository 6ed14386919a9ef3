"""What the command line shows: consoles, progress bars, tables, errors and answers."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.console import RenderableType

console = Console()
err_console = Console(stderr=True)


@contextmanager
def progress_bar(description: str):
    """A rich progress bar fed by `progress(stage, fraction)` callbacks."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task(description, total=1.0)

        def update(stage: str, fraction: float) -> None:
            progress.update(task, description=f"{description}: {stage}", completed=fraction)

        yield update


def fail(message: str, code: int = 2) -> None:
    """Say what to fix and exit (2 = bad usage or input, 1 = the work failed)."""
    err_console.print(f"[red]Error:[/red] {message}")
    raise typer.Exit(code)


def print_answer(answer, language: str = "en", currency: str = "¥") -> None:  # noqa: ANN001
    """An Answer's text, then its tables (headers, values and numbers in the question's language)."""
    print_markdown(answer.text)
    for table in answer.tables:
        if table.frame.shape != (1, 1):  # a single number is already in the text
            console.print(
                rich_table(table.title, table.shown_in(language), language, currency, table.formats)
            )


def print_markdown(text: str, target: Console | None = None) -> None:
    """Answer text: rendered Markdown on a terminal, the text as written when piped.

    On a terminal `**bold**`, lists and tables are drawn by rich, never shown raw.
    Piped (a file, another program) the Markdown source is printed unchanged, unwrapped
    and without rich markup, so scripts read the same text `ask --json` gives.
    The writers break lines with a single newline, which Markdown would join into
    one paragraph, so each becomes a hard break.
    """
    target = target or console
    if target.is_terminal:
        # Loaded here: rich's Markdown brings markdown-it and pygments (~0.1 s of CPU),
        # which a piped answer and `ask --json` never use.
        from rich.markdown import Markdown

        target.print(Markdown(_SINGLE_NEWLINE.sub("  \n", text)))
    else:
        target.print(text, markup=False, highlight=False, soft_wrap=True)


_SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")


def print_grounding_note(answer) -> None:  # noqa: ANN001
    """The grounding guard's note on stderr when it replaced or withheld a model's answer."""
    if answer.grounding and not answer.grounding.startswith("checked"):
        err_console.print(f"[yellow]{answer.grounding}[/yellow]")


def print_store_note(note: str | None) -> None:
    """The line that says where an answer's numbers come from (demo data, missing tables)."""
    if note:
        console.print(note, style="dim", markup=False, highlight=False)


def rich_table(
    title: str,
    frame,  # noqa: ANN001
    language: str = "en",
    currency: str = "¥",
    formats: dict[str, str] | None = None,
) -> RenderableType:
    """A DataFrame as a rich table (first 50 rows): human headers, numbers formatted by
    their column's kind (counts as integers, rates as %, money in the store's currency),
    number columns right-aligned so digits line up.

    A narrow terminal folds the text columns; a number is never cut: its column is as
    wide as its widest figure (the header wraps instead), and the first (label) column
    keeps its width. A table that cannot fit so is drawn one row at a time (`_records`). The title breaks between
    words, never inside a Chinese word when a break point is near (`wrap_words`).
    """
    from rich.cells import cell_len
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    from knowledge.presentation import display_frame

    head = frame.head(50)
    shown = display_frame(head, language, currency, formats=formats)
    table = Table()
    needed = 1  # the left border; each column adds its padding and a separator
    for position, (column, shown_name) in enumerate(zip(head.columns, shown.columns, strict=False)):
        numeric = head[column].dtype.kind in "iuf"  # ints and floats; not bools or text
        header = str(shown_name)
        widest = max((cell_len(str(v)) for v in shown.iloc[:, position]), default=0)
        if numeric:
            # A fixed width is never collapsed by rich: the text columns give way first.
            # As wide as the header's longest word too: "Returned orders" breaks between its
            # words ("Returned / orders"), never inside one ("Return/ed/orders").
            width = max(widest, min(cell_len(header), _NUMBER_HEADER_WIDTH), _longest_word(header))
            table.add_column(header, justify="right", width=width, overflow="fold")
        elif position == 0:
            # The row's label (variant, segment, month) is never squeezed away.
            width = max(min(max(widest, 1), _LABEL_MIN_WIDTH), _longest_word(header))
            table.add_column(header, justify="left", min_width=width, overflow="fold")
        else:
            width = max(min(max(widest, 1), _TEXT_MIN_WIDTH), _longest_word(header))
            table.add_column(header, justify="left", min_width=width, overflow="fold")
        needed += width + 3
    for row in shown.itertuples(index=False):
        table.add_row(*row)
    if needed > console.width and len(shown.columns) > 2:
        return _records(title, shown)
    width = min(Measurement.get(console, console.options, table).maximum, console.width)
    table.title = Text("\n".join(wrap_words(title, max(width, 10))))
    return table


def _longest_word(header: str) -> int:
    """Cells of the header's longest English word, the least a column needs for its header
    to break only between words. Chinese breaks between any two characters, so a Chinese
    run asks for no more than a number column's header width."""
    from rich.cells import cell_len

    words = [w for w in header.split() if w]
    return max(
        (cell_len(w) if w.isascii() else min(cell_len(w), _NUMBER_HEADER_WIDTH) for w in words),
        default=0,
    )


def _records(title: str, shown) -> RenderableType:  # noqa: ANN001 - a display frame
    """A table too wide for the terminal, one row at a time: 'header  value' lines under
    the row's label, so no column is squeezed to nothing."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [Text("\n".join(wrap_words(title, max(console.width, 10))))]
    for row in shown.itertuples(index=False):
        record = Table(show_header=False, box=box.SIMPLE, title=Text(str(row[0]), style="bold"))
        record.add_column(no_wrap=True, style="dim")
        record.add_column(justify="right", overflow="fold")
        for header, value in zip(shown.columns[1:], row[1:], strict=True):
            if str(value).strip():  # a cell left empty for this row (the baseline's lift)
                record.add_row(str(header), str(value))
        parts.append(record)
    return Group(*parts)


# Cells a number column's header may take before it wraps (three Chinese characters).
_NUMBER_HEADER_WIDTH = 6
# Cells the first (label) column keeps however narrow the terminal; a text column's least.
_LABEL_MIN_WIDTH = 16
_TEXT_MIN_WIDTH = 6
# Where a line may break: after spaces and punctuation, before an opening bracket; never
# inside a run of Chinese characters ("北京", "10月") unless the run alone is wider than a line.
_BREAK_AFTER = re.compile(r"\s+|[，、。：；！？）)\]》」』,;:]|(?=[（(\[《「『])")


def wrap_words(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells, broken at word boundaries.

    English breaks at spaces; Chinese after punctuation and before an opening bracket.
    A piece wider than a line is folded.
    """
    from rich.cells import cell_len, chop_cells

    pieces, start = [], 0
    for match in _BREAK_AFTER.finditer(text):
        end = match.end() if match.end() > match.start() else match.start()
        if end > start:
            pieces.append(text[start:end])
            start = end
    if start < len(text):
        pieces.append(text[start:])
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if cell_len((line + piece).rstrip()) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = piece.lstrip()
        while cell_len(line.rstrip()) > width:  # one word wider than a line: fold it
            first, *_ = chop_cells(line, width)
            lines.append(first)
            line = line[len(first) :]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]
