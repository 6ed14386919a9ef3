"""The terminal shows answers as rendered Markdown; a pipe gets the text as written."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pandas as pd
import pytest
from rich.console import Console

from copilot.frontends import cli_output
from copilot.frontends.cli_output import print_answer, print_markdown
from tools.base import TableArtifact

ANSWER = (
    "Revenue last month was **¥1,234,567.89**, up **12.5%** on the month before.\n"
    "Compared with [last year] it is flat.\n"
    "- Top channel: **app**\n"
    "- 上海 led the cities with **¥300,000.00**"
)


def terminal(colour: bool = False) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(
        file=out, force_terminal=True, width=100, color_system="standard" if colour else None
    )
    return console, out


def piped() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=False, width=40), out


def test_a_terminal_shows_rendered_markdown_never_raw_markers() -> None:
    console, out = terminal()
    print_markdown(ANSWER, console)
    shown = out.getvalue()
    assert "**" not in shown
    lines = [line.rstrip() for line in shown.splitlines() if line.strip()]
    # Every line the writer broke stays its own line (Markdown would join them).
    assert lines[0].startswith("Revenue last month was ¥1,234,567.89, up 12.5%")
    assert lines[1] == "Compared with [last year] it is flat."  # not eaten as rich markup
    assert lines[2].strip() == "• Top channel: app"
    assert lines[3].strip() == "• 上海 led the cities with ¥300,000.00"


def test_bold_is_drawn_as_bold_on_a_colour_terminal() -> None:
    console, out = terminal(colour=True)
    print_markdown("Revenue was **¥1,234**.", console)
    shown = out.getvalue()
    assert "\x1b[1m¥1,234\x1b[0m" in shown and "**" not in shown


def test_a_pipe_gets_the_text_exactly_as_written() -> None:
    console, out = piped()
    print_markdown(ANSWER, console)
    # Unchanged: no wrapping at the console width, no markup eaten, no styling codes.
    assert out.getvalue() == ANSWER + "\n"


def test_print_answer_renders_the_text_then_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    console, out = terminal()
    monkeypatch.setattr(cli_output, "console", console)
    frame = pd.DataFrame({"channel": ["app", "web"], "revenue": [1200.5, 800.25]})
    answer = SimpleNamespace(text=ANSWER, tables=[TableArtifact("Revenue by channel", frame)])
    print_answer(answer)
    shown = out.getvalue()
    assert "**" not in shown and "Revenue by channel" in shown
    assert shown.index("Top channel") < shown.index("Revenue by channel")
    assert "1,200.5" in shown and "web" in shown


@pytest.mark.parametrize("width", [160, 100])
def test_table_headers_break_between_words_not_inside_them(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """"Return/ed/orders", "Revenu/e,/relati/ve change" at 160 columns: a header's words stay
    whole (the column is as wide as its longest word); the table still fits the terminal."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=width, color_system=None)
    monkeypatch.setattr(cli_output, "console", console)
    frame = pd.DataFrame(
        {
            "channel": ["mini_program", "app"],
            "returned_orders": [23.0, 22.0],
            "revenue": [203332.3, 346284.9],
            "returned_orders_previous": [14.0, 14.0],
            "revenue_previous": [116264.0, 164438.0],
            "returned_orders_change": [0.643, 0.571],
            "revenue_change": [0.749, 1.106],
        }
    )
    console.print(cli_output.rich_table("Returned orders and revenue by channel", frame))
    drawn = out.getvalue()
    assert all(len(line) <= width for line in drawn.splitlines())
    header = [line for line in drawn.splitlines() if "┃" in line]
    words = {w for line in header for cell in line.split("┃") for w in cell.split()}
    assert {"Returned", "orders", "orders,", "Revenue,", "relative", "change", "(comparison"} <= (
        words
    ), drawn
    assert not words & {"Return", "ed", "Revenu", "relati", "ve"}, drawn
