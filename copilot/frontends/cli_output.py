"""What the command line shows: consoles, progress bars, tables, errors and answers."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

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
    """An Answer's text, then its tables (headers and numbers in the question's language)."""
    print_markdown(answer.text)
    for table in answer.tables:
        if table.frame.shape != (1, 1):  # a single number is already in the text
            console.print(rich_table(table.title, table.frame, language, currency))


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


def rich_table(title: str, frame, language: str = "en", currency: str = "¥") -> Table:  # noqa: ANN001
    """A DataFrame as a rich table (first 50 rows): human headers, numbers formatted by
    their column's kind (counts as integers, rates as %, money in the store's currency),
    number columns right-aligned so digits line up."""
    from rich.table import Table

    from knowledge.presentation import display_frame

    head = frame.head(50)
    shown = display_frame(head, language, currency)
    table = Table(title=title)
    for column, shown_name in zip(head.columns, shown.columns, strict=False):
        numeric = head[column].dtype.kind in "iuf"  # ints and floats; not bools or text
        table.add_column(str(shown_name), justify="right" if numeric else "left")
    for row in shown.itertuples(index=False):
        table.add_row(*row)
    return table
