"""The `copilot` command line (typer + rich).

Exit codes: 0 success, 1 the copilot could not answer / the work failed,
2 bad usage or bad input (a clear message says what to fix).

Only typer and rich load at import: every command imports what it needs in its
body, so `copilot --help` stays fast (see benchmarks/startup_bench.py).
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from copilot.evaluation.cli import eval_command
from copilot.frontends.cli_knowledge import knowledge_app
from copilot.frontends.cli_output import (
    console,
    err_console,
    fail,
    print_answer,
    print_grounding_note,
    print_store_note,
    progress_bar,
)
from copilot.frontends.cli_segments import segments_app
from copilot.frontends.quick_start import collecting, start_up
from copilot.unicode_text import argument_text

app = typer.Typer(
    help="Marketing copilot: ask your customer, order and campaign data questions.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(segments_app, name="segments")
app.add_typer(knowledge_app, name="knowledge")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in English or Chinese.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (stable contract).")
    ] = False,
    conversation: Annotated[
        str | None,
        typer.Option(
            help="Conversation name for follow-up questions: any name works and is created on "
            "first use; ask again with the same name to follow up (--json shows the id used).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Confirm raw exports / segment saves it asks for (else y/N on a terminal).",
        ),
    ] = False,
) -> None:
    """Ask one question and print the answer (exit 0 answered, 1 error, 3 refused, 4 clarify)."""
    with start_up():
        from copilot.frontends.cli_confirm import settle_pending
        from copilot.offline.question import language_of
        from copilot.store_label import store_label

    question = argument_text(question)  # a GBK terminal's bytes are read as GB18030
    if not as_json:
        with _one_question() as copilot:
            answer = copilot.ask(question, conversation_id=conversation, source="cli")
            label = store_label(copilot.engine)
        print_answer(answer, language_of(question), copilot.context.currency)
        print_store_note(label.note(language_of(question), answer))
        if answer.tool_calls:
            calls = ", ".join(f"{c.name}({c.duration_ms or 0:.0f} ms)" for c in answer.tool_calls)
            err_console.print(f"[dim]mode: {answer.mode}; tools: {calls}[/dim]")
        print_grounding_note(answer)
        settle_pending(copilot, answer, yes)
        raise typer.Exit(_exit_code(answer))
    from copilot.answer import Answer
    from copilot.errors import explain_fatal_error
    from copilot.settings import get_settings

    store = None  # what the store holds, when it could be opened
    # With --json, stdout always holds one JSON object, whatever fails (settings, store,
    # model): scripts parse it and branch on `status`.
    try:
        with ExitStack() as question_scope:
            with err_console.capture() as captured:  # the store's own error message, if any
                copilot = question_scope.enter_context(_one_question())
            answer = copilot.ask(question, conversation_id=conversation, source="cli")
            store = store_label(copilot.engine).to_json()
        settle_pending(copilot, answer, yes, quiet=True)
    except typer.Exit:
        # One line: the console wrapped the message at its width.
        printed = " ".join(captured.get().split()).removeprefix("Error:").strip()
        reason = printed or "The store could not be opened."
        err_console.print(f"[red]Error:[/red] {reason}")
        answer = Answer(text=reason, mode="", conversation_id=conversation or "", error=reason)
        answer.status = "error"
    except Exception as exc:  # noqa: BLE001 - every failure is reported in the contract
        try:
            reason = explain_fatal_error(exc, get_settings())
        except Exception:  # noqa: BLE001 - the settings themselves are what failed
            reason = f"The copilot could not start: {type(exc).__name__}: {exc}"
        answer = Answer(text=reason, mode="", conversation_id=conversation or "", error=reason)
        answer.status = "error"
    # The conversation the answer belongs to (the name given, or the one made up for this
    # question): the --conversation of a follow-up, as the web /ask API returns it.
    payload = {**answer.to_json(), "conversation_id": answer.conversation_id or None, "store": store}
    print(json.dumps(payload, ensure_ascii=False, default=str))
    raise typer.Exit(_exit_code(answer))


def _exit_code(answer) -> int:  # noqa: ANN001 - an Answer
    """The answer's exit code; 1 when an action confirmed with it failed."""
    failed = any(a.status == "failed" for a in answer.pending_actions)
    return 1 if failed else answer.exit_code


@app.command()
def chat(
    conversation: Annotated[
        str | None, typer.Option(help="Continue this conversation (its id); default: a new one.")
    ] = None,
) -> None:
    """Chat in the terminal: tool steps as they run, tables, history kept. /new starts over, /exit quits."""
    import uuid

    from rich.prompt import Prompt

    with start_up():
        from copilot.answer import AnswerReady, ToolFinished, ToolStarted
        from copilot.frontends.cli_confirm import settle_pending
        from copilot.offline.question import language_of
        from copilot.store_label import store_label

    copilot = _copilot()
    conversation_id = conversation or f"cli-{uuid.uuid4().hex[:12]}"
    interactive = sys.stdin.isatty()
    console.print(f"[dim]mode: {copilot.mode} · conversation {conversation_id} · /new, /exit[/dim]")
    while True:
        try:
            question = Prompt.ask("[bold]you[/bold]") if interactive else input()
        except (EOFError, KeyboardInterrupt):
            break
        question = question.strip()
        if question in ("/exit", "/quit", "exit", "quit"):
            break
        if question == "/new":
            conversation_id = f"cli-{uuid.uuid4().hex[:12]}"
            console.print(f"[dim]new conversation {conversation_id}[/dim]")
            continue
        if not question:
            continue
        for event in copilot.stream(question, conversation_id, source="cli"):
            if isinstance(event, ToolStarted):
                err_console.print(
                    f"[dim]→ {event.name} {json.dumps(event.args, ensure_ascii=False)}[/dim]"
                )
            elif isinstance(event, ToolFinished):
                status = (
                    f"error: {event.error}" if event.error else f"{event.duration_ms or 0:.0f} ms"
                )
                err_console.print(f"[dim]← {event.name} ({status})[/dim]")
            elif isinstance(event, AnswerReady):
                print_answer(event.answer, language_of(question), copilot.context.currency)
                print_grounding_note(event.answer)
                label = store_label(copilot.engine)
                print_store_note(label.note(language_of(question), event.answer))
                settle_pending(copilot, event.answer, assume_yes=False)


@app.command()
def ui(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
) -> None:
    """Start the web UI (on the demo store on first start)."""
    with start_up():  # the web UI's import alone makes ~200,000 long-lived objects
        from copilot.frontends.web import launch
        from copilot.settings import get_settings

    settings = get_settings()
    from copilot.bootstrap import will_create_demo_store

    if will_create_demo_store(settings):  # one line; an existing store opens silently
        console.print(
            f"Creating the demo store ({settings.demo_customers:,} made-up customers, not your "
            "data) on this first start; this can take half a minute. `copilot import` replaces it "
            "with your own (--replace-demo)."
        )
    copilot = _copilot()
    launch(
        copilot, host=host or settings.ui_host, port=port or settings.ui_port, auth=settings.ui_auth
    )


@app.command()
def slack(
    port: Annotated[
        int | None, typer.Option(help="Port of the HTTP endpoint (default 3000).")
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
) -> None:
    """Run the Slack bot: Socket Mode when an app token is set, else HTTP on /slack/events."""
    import logging

    from copilot.frontends.slack import (
        SlackConfig,
        SlackConfigError,
        SlackUnreachableError,
        run_slack,
    )
    from copilot.settings import get_settings

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = SlackConfig.from_settings(get_settings(), port=port, host=host)
        run_slack(_copilot(), config)
    except SlackConfigError as exc:
        fail(str(exc))  # 2: a setting to fix
    except SlackUnreachableError as exc:
        fail(str(exc), code=1)  # 1: the work failed (README: exit codes)


@app.command("demo-data")
def demo_data(
    customers: Annotated[int, typer.Option(min=10, help="Number of customers.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    end_date: Annotated[
        str | None, typer.Option(help="Last day of the data (YYYY-MM-DD); default 2026-10-31.")
    ] = None,
    replace: Annotated[bool, typer.Option(help="Delete the store's business data first.")] = False,
    remove: Annotated[
        bool,
        typer.Option(
            help="Delete the demo data (and segments and churn scores built on it); "
            "generate nothing."
        ),
    ] = False,
) -> None:
    """Fill the store with deterministic demo data (customers, orders, campaigns, reviews)."""
    if remove:
        _remove_demo_data()
        return
    from copilot.bootstrap import describe_summary, print_waiting
    from copilot.settings import get_settings
    from copilot.store_label import store_label
    from knowledge.demo import DEMO_END_DATE, generate_demo_data
    from knowledge.demo.marker import clear_demo_marker
    from knowledge.store import reset_business_data
    from knowledge.store.database import StoreUnavailableError, writable_warehouse

    try:
        last_day = date.fromisoformat(end_date) if end_date else DEMO_END_DATE
    except ValueError:
        fail(f"--end-date must look like 2026-10-31, not {end_date!r}")
    settings = get_settings()
    try:
        with writable_warehouse(
            settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
        ) as engine:
            # Any business row counts (a store holding only campaigns is not empty).
            if store_label(engine).kind != "empty":
                if not replace:
                    fail(
                        "The store already holds data; pass --replace to delete it and regenerate."
                    )
                reset_business_data(engine)
                clear_demo_marker(engine)
            with progress_bar("Generating demo data") as progress:
                summary = generate_demo_data(
                    engine, customers=customers, seed=seed, end_date=last_day, progress=progress
                )
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    console.print(f"Demo store ready: {describe_summary(summary)}.")


def _remove_demo_data() -> None:
    """`copilot demo-data --remove`: delete the demo data; a store of the user's own is kept."""
    from copilot.bootstrap import print_waiting
    from copilot.settings import get_settings
    from knowledge.demo.removal import forget_demo_state, holds_demo_data, remove_demo_rows
    from knowledge.store.database import StoreUnavailableError, writable_warehouse
    from knowledge.store.state import connect_state

    settings = get_settings()
    try:
        with writable_warehouse(
            settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
        ) as engine:
            if not holds_demo_data(engine):
                fail("The store does not hold the demo data; nothing was removed.", code=3)
            with engine.begin() as conn:
                remove_demo_rows(conn)
        state = connect_state(settings.state_store_url, wait_s=settings.store_wait_s)
        removed = forget_demo_state(state)
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    console.print(
        "Removed the demo data; the store is empty, ready for `copilot import`. "
        + _removed_state_sentence(removed)
    )


def _removed_state_sentence(removed: dict[str, int]) -> str:
    """What went from the copilot's own state with the demo data, as one sentence."""
    segments = removed.get("saved_segments", 0)
    scores = removed.get("churn_scores", 0)
    return (
        f"Deleted {segments} saved segment(s) and {scores} churn score(s) built on it; "
        "conversations and copy drafts are kept."
    )


@app.command("import")
def import_(
    target: Annotated[
        str, typer.Argument(help="`transactions` (a line-level sales log) or a table name.")
    ],
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Excel or Parquet file.")],
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping override, target=source (repeatable)."),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(help="Excel sheet to read (default: every sheet with the first's header)."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Import again even if this exact file was imported before.")
    ] = False,
    date_order: Annotated[
        str | None,
        typer.Option(help="day-first or month-first, for dates such as 03/04/2024."),
    ] = None,
    keep_duplicates: Annotated[
        bool, typer.Option(help="Keep lines that repeat an earlier line exactly.")
    ] = False,
    non_merchandise: Annotated[
        str | None,
        typer.Option(
            help="Extra product codes that are postage, fees or adjustments (comma-separated)."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="Text encoding of a CSV/TSV file, e.g. gbk (default: detected)."),
    ] = None,
    replace_demo: Annotated[
        bool,
        typer.Option(
            help="If the store holds the demo data, delete it in the same transaction first."
        ),
    ] = False,
) -> None:
    """Import a file into the store: all rows or none; re-importing does not duplicate.

    Exit codes: 0 imported (or already imported), 1 the store could not be opened or
    written, 2 bad usage (unknown option, target, encoding or missing file), 3 the
    file was refused (nothing imported; the message says what to fix).
    """
    from copilot.bootstrap import print_waiting
    from copilot.settings import get_settings
    from knowledge.importers import ImportFileError, import_file, parse_mapping_args
    from knowledge.importers.columns import check_target
    from knowledge.importers.options import ImportOptions
    from knowledge.store.database import StoreUnavailableError, writable_warehouse
    from knowledge.store.state import connect_state

    settings = get_settings()
    try:  # bad usage (exit 2): what the command line itself gets wrong
        options = ImportOptions(
            date_order=date_order or settings.date_order,  # type: ignore[arg-type]
            timezone=settings.timezone,
            keep_duplicates=keep_duplicates,
            non_merchandise=tuple((non_merchandise or "").split(",")),
            currency=settings.currency,
            encoding=encoding,
        )
        mapping = parse_mapping_args(map_ or [])
        check_target(target)
    except ImportFileError as exc:
        fail(str(exc))
    if not file.is_file():
        fail(f"{file}: no such file.")
    try:
        state = connect_state(settings.state_store_url, wait_s=settings.store_wait_s)
        # The warehouse is opened for writing only now and released right after. Opening
        # creates the store before the import is tried: a home whose first import fails is
        # no longer new, so it never gets demo data by surprise (copilot.bootstrap).
        with writable_warehouse(
            settings.store_url, wait_s=settings.store_wait_s, progress=print_waiting
        ) as engine:
            report = import_file(
                engine,
                target,
                file,
                mapping=mapping or None,
                actor="cli",
                sheet=sheet,
                force=force,
                state=state,
                options=options,
                replace_demo=replace_demo,
            )
    except ImportFileError as exc:
        fail(str(exc), code=3)  # the file was refused; nothing was imported
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    if report.removed_demo_state is not None:
        console.print(
            "Deleted the demo data before importing. "
            + _removed_state_sentence(report.removed_demo_state)
        )
    if report.skipped_duplicate_file:
        console.print(f"{file} was already imported; nothing changed.")
        return
    for line in report.summary:
        console.print(line)
    for warning in report.warnings:
        err_console.print(f"[yellow]Warning:[/yellow] {warning}")
    counts = ", ".join(
        f"{table}: {report.inserted.get(table, 0)} new, {report.updated.get(table, 0)} updated"
        for table in sorted(set(report.inserted) | set(report.updated))
    )
    from knowledge.presentation import format_count, ntr

    console.print(
        ntr(
            "en",
            "Imported {shown} row from {file} ({counts}).",
            "Imported {shown} rows from {file} ({counts}).",
            report.rows_read,
            shown=format_count(report.rows_read),
            file=file,
            counts=counts,
        )
    )


@app.command("copy")
def copy_(
    segments: Annotated[
        str, typer.Option(help="'all' (every RFM segment) or segment names, comma-separated.")
    ] = "all",
    channel: Annotated[
        str,
        typer.Option(help="email, sms, push, social or search_ad; comma-separated for several."),
    ] = "sms",
    goal: Annotated[
        str, typer.Option(help="What the copy is for.")
    ] = "promote the products our customers buy",
    product: Annotated[
        str | None, typer.Option(help="A catalogue product or category to feature.")
    ] = None,
    offer: Annotated[str | None, typer.Option(help="The offer: '20% off', '满300减50'.")] = None,
    language: Annotated[
        str, typer.Option(help="Language of the copy: en or zh; 'en,zh' for both.")
    ] = "en",
    tone: Annotated[str | None, typer.Option(help="Tone of voice, e.g. warm.")] = None,
    variants: Annotated[int, typer.Option(min=1, max=4, help="Drafts per segment.")] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Also write the drafts to a .csv, .json or .md file.")
    ] = None,
    event: Annotated[
        str | None, typer.Option(help="Occasion: 'Double 11', '618', 'the Autumn Tea Festival'.")
    ] = None,
    promo_code: Annotated[str | None, typer.Option(help="Promo code, e.g. TEAFEST15.")] = None,
    deadline: Annotated[
        str | None, typer.Option(help="When the offer ends: '11 November', '11月11日'.")
    ] = None,
    cta: Annotated[str | None, typer.Option(help="Your own call to action.")] = None,
) -> None:
    """Write checked copy drafts per segment (saved in the store); exit 1 if any still fails a check."""
    from copilot.bootstrap import open_stores
    from copilot.context import tool_context
    from copilot.settings import get_settings
    from knowledge.store.database import StoreUnavailableError
    from tools.base import ToolError
    from tools.copywriting import draft_copy, write_drafts_file
    from tools.copywriting.brief import BriefExtras
    from tools.copywriting.pipeline import save_drafts

    if out is not None and out.suffix.lower() not in (".csv", ".json", ".md"):
        fail(f"--out must end in .csv, .json or .md, not {out.name!r}")
    languages = [x.strip() for x in language.split(",") if x.strip()]
    channels = [x.strip() for x in channel.split(",") if x.strip()]
    if not languages or any(x not in ("en", "zh") for x in languages):
        fail("--language must be en, zh or en,zh")
    settings = get_settings()
    try:
        stores = open_stores(settings)
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    ctx = tool_context(settings, stores.warehouse, state=stores.state)
    names = "all" if segments.strip().lower() == "all" else [s.strip() for s in segments.split(",")]
    extras = BriefExtras(event, promo_code, deadline, cta)
    checked = []
    try:
        for one_channel in channels:
            for one_language in languages:
                drafts, briefs = draft_copy(
                    ctx, names, one_channel, goal, product, offer, one_language, tone, variants,
                    extras=extras,
                )  # fmt: skip
                save_drafts(stores.state, drafts, briefs)
                checked += drafts
    except ToolError as exc:
        fail(str(exc))
    for item in checked:
        status = (
            "[green]ok[/green]"
            if item.passed
            else "[red]fails: " + ", ".join(c.name for c in item.failed()) + "[/red]"
        )
        console.print(f"[bold]{item.draft.segment}[/bold] v{item.draft.variant} {status}")
        for part, text in item.draft.parts.items():
            console.print(f"  {part}: {text}", markup=False, highlight=False)
    if out is not None:
        write_drafts_file(checked, out)
        err_console.print(f"Wrote {len(checked)} drafts to {out}")
    passed = sum(item.passed for item in checked)
    err_console.print(f"{passed} of {len(checked)} drafts pass every check.")
    raise typer.Exit(0 if passed == len(checked) else 1)


app.command("eval")(eval_command)

BENCHMARKS = {
    "metrics": "metrics_bench.py",
    "segmentation": "segmentation_bench.py",
    "overhead": "agent_overhead.py",
    "demo-data": "demo_data_bench.py",
    "ui": "ui_load.py",
    "startup": "startup_bench.py",
}


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def bench(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=f"Which benchmark: {', '.join(BENCHMARKS)}.")],
) -> None:
    """Run a benchmark script of the repository (extra options go to the script; see its --help)."""
    import subprocess

    if name not in BENCHMARKS:
        fail(f"Unknown benchmark {name!r}; choose one of: {', '.join(BENCHMARKS)}")
    script = Path(__file__).resolve().parents[2] / "benchmarks" / BENCHMARKS[name]
    if not script.exists():
        fail(f"{script} is not here: benchmarks run from a clone of the repository")
    raise typer.Exit(subprocess.call([sys.executable, str(script), *ctx.args]))


@app.command()
def settings(
    markdown: Annotated[bool, typer.Option(help="Print the settings table as Markdown.")] = False,
) -> None:
    """Show every setting with its current value and help."""
    from rich.table import Table

    from copilot.settings import get_settings, settings_table_markdown

    if markdown:
        print(settings_table_markdown())
        return
    current = get_settings()
    table = Table("variable", "value", "what it does")
    for name, field in type(current).model_fields.items():
        value = getattr(current, name)
        shown = "***" if "key" in name and value else str(value if value is not None else "")
        table.add_row(f"COPILOT_{name.upper()}", shown, field.description or "")
    console.print(table)


@app.command("check-warehouse")
def check_warehouse() -> None:
    """Check that the warehouse holds every table, column and type the mapping names.

    Reads COPILOT_DATABASE_URL and COPILOT_WAREHOUSE_MAPPING; only the warehouse's
    catalogue is read. Exit 0 when all is found, 1 when something is missing (each
    problem names the mapping line to fix), 2 when the mapping file cannot be read.
    """
    from copilot.settings import get_settings
    from knowledge.store.database import StoreUnavailableError, connect_warehouse
    from knowledge.warehouse_mapping import MappingError, load_mapping
    from knowledge.warehouse_mapping_check import mapping_report

    settings = get_settings()
    try:
        mapping = load_mapping(settings.warehouse_mapping)
    except MappingError as exc:
        fail(str(exc))
    try:
        engine = connect_warehouse(settings.store_url, wait_s=settings.store_wait_s)
        ok, report = mapping_report(engine, mapping)
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    console.print(report, markup=False, highlight=False)
    raise typer.Exit(0 if ok else 1)


def _copilot():
    """The Copilot on the home's stores (the demo store on a new home's first start)."""
    with start_up():
        from copilot.agent import Copilot
        from copilot.settings import get_settings

        stores = _stores()
        return Copilot(get_settings(), engine=stores.warehouse, state=stores.state)


def _stores(hold: ExitStack | None = None):  # -> copilot.bootstrap.Stores
    """Both stores, opened (exit 1 with the store's own sentence when that fails);
    with `hold`, the embedded warehouse stays open until that stack closes."""
    from copilot.bootstrap import open_stores, will_create_demo_store
    from copilot.settings import get_settings
    from knowledge.store.database import StoreUnavailableError

    settings = get_settings()
    try:
        if will_create_demo_store(settings):
            with collecting(), progress_bar("Preparing the demo store") as progress:
                return open_stores(settings, progress, hold)
        return open_stores(settings, hold=hold)  # no bar: an existing store opens at once
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)


@contextmanager
def _one_question():  # -> Iterator[Copilot]
    """The Copilot for one `ask`, with the embedded warehouse opened once for all of it.

    Building the copilot, answering and labelling the store read the warehouse
    about ten times; each open of the DuckDB file costs ~30 ms of CPU, a held one
    ~0.1 ms. The hold ends with the block, before any confirmed action writes.
    """
    with ExitStack() as question_scope:
        with start_up():  # loading and opening: see copilot/frontends/quick_start.py
            from copilot.agent import Copilot
            from copilot.settings import get_settings

            stores = _stores(hold=question_scope)  # the open that checked the file, kept
            copilot = Copilot(get_settings(), engine=stores.warehouse, state=stores.state)
        yield copilot


if __name__ == "__main__":
    app()
