"""The terminal's side of human confirmation: y/N for each pending action, or `--yes`."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from copilot.answer import Answer
from copilot.frontends.cli_output import console, err_console


def cli_actor() -> str:
    """The audit log's actor for a confirmation given in the terminal: cli:<login name>."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli:unknown"


def settle_pending(
    copilot,  # noqa: ANN001 - a Copilot; imported lazily by the CLI for a fast --help
    answer: Answer,
    assume_yes: bool,
    ask: Callable[[str], bool] | None = None,
    quiet: bool = False,
) -> list[Answer]:
    """Confirm (or decline) each of the answer's pending actions; returns what confirming said.

    With `assume_yes` every action runs; on a terminal each is asked y/N; when
    stdin is not a terminal and `--yes` is not given, nothing runs and stderr says
    how to confirm. `quiet` keeps stdout clean (for --json): messages go to stderr.
    """
    results: list[Answer] = []
    if not answer.pending_actions:
        return results
    interactive = sys.stdin.isatty()
    if not assume_yes and not interactive and ask is None:
        err_console.print(
            "[yellow]Not confirmed: this needs your confirmation, and stdin is not a "
            "terminal. Run the same command with --yes to confirm, or ask on a terminal.[/yellow]"
        )
        for action in answer.pending_actions:
            action.status = "declined"
        return results
    ask = ask or _ask_on_terminal
    for action in answer.pending_actions:
        if not (assume_yes or ask(f"{action.summary}: go ahead?")):
            action.status = "declined"
            err_console.print(f"Not done: {action.summary}.")
            continue
        done = copilot.confirm(action.action_id, cli_actor(), answer.conversation_id)
        action.status = "confirmed" if done.status == "answered" else "failed"
        action.result = done.text
        results.append(done)
        (err_console if quiet else console).print(done.text, markup=False, highlight=False)
    return results


def _ask_on_terminal(prompt: str) -> bool:
    from rich.prompt import Confirm

    return Confirm.ask(prompt, default=False, console=err_console)
