"""`copilot segments`: RFM, list, profile and export from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from copilot.frontends.cli_output import console, fail, rich_table

segments_app = typer.Typer(
    help="Saved segments: RFM, personas, rules; profiles and exports.", no_args_is_help=True
)


def _tool_run(tool, **args):  # noqa: ANN001, ANN003, ANN202
    """Run a tool on the configured store and print its text and tables; errors exit 2."""
    from dataclasses import replace

    from copilot.bootstrap import open_stores
    from copilot.context import tool_context
    from copilot.frontends.cli_confirm import cli_actor
    from copilot.settings import get_settings
    from knowledge.store.database import StoreUnavailableError, hold_warehouse
    from tools.base import ToolError

    settings = get_settings()
    try:
        stores = open_stores(settings)
    except StoreUnavailableError as exc:
        fail(str(exc), code=1)
    ctx = tool_context(settings, stores.warehouse, state=stores.state)
    # The person at the terminal is who the audit log names for files written here.
    ctx = replace(ctx, actor=cli_actor())
    try:
        with hold_warehouse(stores.warehouse):
            output = tool(ctx, **args)
    except ToolError as exc:
        fail(str(exc))
    for artifact in output.artifacts:
        console.print(rich_table(artifact.title, artifact.frame))
    return output


@segments_app.command("list")
def segments_list() -> None:
    """List the saved segments with kind, size and last update."""
    from tools.segments.rules import list_segments

    output = _tool_run(list_segments)
    if not output.artifacts:
        console.print(output.for_model)


@segments_app.command("rfm")
def segments_rfm(
    as_of: Annotated[str | None, typer.Option(help="Score as of this date (YYYY-MM-DD).")] = None,
) -> None:
    """Compute the RFM segments and save them."""
    from tools.segments import rfm_segments

    _tool_run(rfm_segments, as_of=as_of)


@segments_app.command("profile")
def segments_profile(
    name: Annotated[str, typer.Argument(help="Saved or RFM segment name.")],
) -> None:
    """Profile a segment against all customers (index = segment / baseline)."""
    from tools.profiles.profile import profile_segment

    _tool_run(profile_segment, segment=name)


@segments_app.command("export")
def segments_export(
    name: Annotated[str, typer.Argument(help="Saved or RFM segment name.")],
    channel: Annotated[str, typer.Option(help="email, sms, push or social.")] = "sms",
    raw: Annotated[
        bool, typer.Option(help="Write unmasked contact data to a file (audited).")
    ] = False,
    hashed: Annotated[
        bool, typer.Option(help="Write SHA-256 hashed email/phone for ad platforms.")
    ] = False,
) -> None:
    """Export a segment's consented audience for a channel (masked preview; files with --raw/--hashed)."""
    from tools.audience_export import export_audience

    if channel not in ("email", "sms", "push", "social"):
        fail("--channel must be email, sms, push or social")
    output = _tool_run(export_audience, segment=name, channel=channel, raw=raw, hashed=hashed)
    for kind, path in (output.data.get("files") or {}).items():
        console.print(f"{kind} file: {path}")
