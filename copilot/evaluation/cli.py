"""`copilot eval`: run the evaluation set against a fresh demo store (or a given store)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer


def eval_command(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Question YAML file or folder (default: shipped set)."),
    ] = None,
    customers: Annotated[
        int, typer.Option(min=10, help="Customers in the fresh demo store.")
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the fresh demo store.")] = 42,
    store_url: Annotated[
        str | None, typer.Option(help="Evaluate on this store instead of a fresh demo store.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    output: Annotated[
        Path | None, typer.Option(help="Also write the report (markdown or JSON) to this file.")
    ] = None,
) -> None:
    """Ask the evaluation questions and report accuracy, refusals, follow-ups and latency."""
    from copilot.agent import Copilot  # heavy: only when the command runs
    from copilot.evaluation.questions import load_questions
    from copilot.evaluation.report import format_report, report_json
    from copilot.evaluation.runner import evaluation_as_of, run_evaluation
    from copilot.settings import get_settings
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store

    questions = load_questions(file)
    with tempfile.TemporaryDirectory(prefix="copilot-eval-") as home:
        url = store_url or f"duckdb:///{Path(home) / 'store.duckdb'}"
        engine = connect_store(url)
        if store_url is None:
            generate_demo_data(engine, customers=customers, seed=seed)
        settings = get_settings().model_copy(
            update={"home": Path(home), "as_of": evaluation_as_of(), "database_url": url}
        )
        copilot = Copilot(settings, engine=engine)
        report = run_evaluation(
            copilot,
            questions,
            engine,
            progress=lambda i, n, r: typer.echo(
                f"[{i}/{n}] {'ok ' if r.correct else 'FAIL'} {r.id}", err=True
            ),
        )
        report.extra["customers"] = None if store_url else customers
        report.extra["seed"] = None if store_url else seed
        report.store = "fresh demo store" if store_url is None else store_url
        text = report_json(report) if as_json else format_report(report)
        engine.dispose()
    if output:
        output.write_text(text, encoding="utf-8")
    typer.echo(text)
