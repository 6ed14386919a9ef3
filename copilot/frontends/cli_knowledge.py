"""`copilot knowledge`: add, list, remove and search the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.frontends.cli_output import console, fail, progress_bar

knowledge_app = typer.Typer(
    help="The knowledge base: brand guidelines, playbooks and your documents.",
    no_args_is_help=True,
)


def _knowledge_base():
    from copilot.knowledge_access import LazyKnowledgeBase
    from copilot.settings import get_settings

    kb = LazyKnowledgeBase(get_settings().home_dir / "knowledge")
    with progress_bar("Loading the starter knowledge") as progress:
        return kb.open(progress)


@knowledge_app.command("add")
def knowledge_add(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (Markdown, TXT, PDF, Word, HTML).")
    ],
) -> None:
    """Add documents; unchanged files are skipped, changed ones replaced."""
    from knowledge.documents import DocumentError

    kb = _knowledge_base()
    try:
        with progress_bar("Adding documents") as progress:
            report = kb.add(paths, progress=progress)
    except DocumentError as exc:
        fail(str(exc))
    console.print(report.summary())
    for path in report.unsupported:
        console.print(f"[yellow]skipped (unsupported type):[/yellow] {path}")
    for reason in report.failed.values():
        console.print(f"[red]failed:[/red] {reason}")


@knowledge_app.command("list")
def knowledge_list() -> None:
    """List the stored documents."""
    from rich.table import Table

    table = Table("source", "chunks", "added", "sha256", title="Knowledge base")
    for info in _knowledge_base().list():
        table.add_row(info.source, str(info.chunks), str(info.added_at), info.sha256[:12])
    console.print(table)


@knowledge_app.command("remove")
def knowledge_remove(
    source: Annotated[
        str,
        typer.Argument(help="A source as `copilot knowledge list` shows it, or the file's path."),
    ],
) -> None:
    """Remove one document."""
    from knowledge.documents import DocumentError

    try:
        chunks = _knowledge_base().remove(source)
    except DocumentError as exc:
        fail(str(exc))
    console.print(f"Removed {source} ({chunks} chunks).")


@knowledge_app.command("search")
def knowledge_search(
    query: Annotated[str, typer.Argument(help="What to look up, in English or Chinese.")],
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="How many passages.")] = 5,
) -> None:
    """Show the passages closest to a query, with their sources."""
    for passage in _knowledge_base().search(query, k=k):
        console.print(f"[bold]{passage.citation}[/bold]  (score {passage.score:.3f})")
        console.print(passage.text, markup=False)
        console.print()
