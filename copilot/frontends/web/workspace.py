"""What the Segments, Data and Knowledge tabs do, as plain functions over a Copilot."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from copilot.agent import Copilot
from knowledge.importers import (
    IMPORT_TARGETS,
    ImportFileError,
    import_file,
    propose_mapping,
    read_table_file,
    target_columns,
)
from knowledge.importers.tables import fields_for
from knowledge.importers.transactions import TRANSACTION_FIELDS
from knowledge.presentation import format_count, format_number, format_percent, ntr
from knowledge.store.database import StoreUnavailableError, writable_engine
from knowledge.store.summary import table_counts
from tools.audience_export import export_audience
from tools.base import ToolError
from tools.profiles.profile import COLUMNS as PROFILE_COLUMNS
from tools.profiles.profile import profile_segment
from tools.segments.rfm import SEGMENT_NAMES
from tools.segments.rules import list_segments

SEGMENT_COLUMNS = ["segment", "kind", "size", "updated_at"]
NO_SAVED_SEGMENTS = (
    "No saved segments yet. The RFM segments below are computed on the fly; save your own "
    "from the chat, e.g. *Define a segment of customers in Shanghai who bought in the last "
    "90 days*."
)
# What the profile table shows before a segment is profiled (or when it could not be): its
# own headers and no rows, never an empty grid with placeholder headers "1 2 3".
PROFILE_HINT = "Pick a segment and press **Profile** to compare it with all customers."
EXPORT_PREVIEW_COLUMNS = ["customer_id", "name", "email", "phone"]
MAPPING_COLUMNS = ["target column", "file column", "required"]
CHANNELS = ("email", "sms", "push", "social")
EXPORT_KINDS = {"hashed (ad platforms)": "hashed", "contact data (audited)": "raw"}
PREVIEW_ROWS = 8
ACTOR = "web"


@dataclass(frozen=True)
class Outcome:
    """A tab action's message (Markdown), its table and, for exports, the file written."""

    message: str
    frame: pd.DataFrame
    file: str | None = None


# --- Segments --------------------------------------------------------------------------


def saved_segments(copilot: Copilot) -> pd.DataFrame:
    """Saved segments with kind, size and last update (empty frame when there are none)."""
    output = list_segments(copilot.context)
    if not output.artifacts:
        return pd.DataFrame(columns=SEGMENT_COLUMNS)
    return output.artifacts[0].frame[SEGMENT_COLUMNS].rename(columns={"updated_at": "updated"})


def segment_choices(copilot: Copilot, saved: pd.DataFrame | None = None) -> list[str]:
    """Saved segment names, then the RFM segments (computed on the fly) not saved under that name."""
    saved = saved_segments(copilot) if saved is None else saved
    names = [str(n) for n in saved["segment"]]
    taken = {n.lower() for n in names}
    return names + [n for n in SEGMENT_NAMES if n.lower() not in taken]


def empty_profile() -> pd.DataFrame:
    """The profile table with its headers and no rows (before a segment is profiled)."""
    return pd.DataFrame(columns=PROFILE_COLUMNS)


def empty_export_preview() -> pd.DataFrame:
    """The masked preview with its headers and no rows (before an export)."""
    return pd.DataFrame(columns=EXPORT_PREVIEW_COLUMNS)


def segment_profile(copilot: Copilot, segment: str | None) -> Outcome:
    """The segment's profile table (feature, segment, baseline, index) and a one-line summary."""
    if not segment:
        return Outcome("Pick a segment first.", empty_profile())
    try:
        output = profile_segment(copilot.context, segment)
    except ToolError as exc:
        return Outcome(f"⚠ {exc}", empty_profile())
    data = output.data
    lines = [
        f"**{data['segment']}** ({data['kind']}): {format_count(data['size'])} of "
        f"{format_count(data['customers'])} customers ({format_percent(data['share'])}). "
        "Index = segment ÷ all customers."
    ]
    lines += [
        f"- {h['feature']}: {format_percent(h['segment'])} vs {format_percent(h['baseline'])} "
        f"({format_number(h['index'], digits=1)}×)"
        for h in data.get("highlights", [])
    ]
    return Outcome("\n".join(lines), output.artifacts[0].frame)


def segment_export(copilot: Copilot, segment: str | None, channel: str, kind: str) -> Outcome:
    """Export the segment's consented customers for `channel`: masked preview and the CSV file."""
    if not segment:
        return Outcome("Pick a segment first.", empty_export_preview())
    mode = EXPORT_KINDS.get(kind, kind)
    try:
        output = export_audience(
            replace(copilot.context, actor=ACTOR),  # the audit log names the front end
            segment,
            channel,  # type: ignore[arg-type] - checked by the dropdown
            raw=mode == "raw",
            hashed=mode == "hashed",
        )
    except ToolError as exc:
        return Outcome(f"⚠ {exc}", empty_export_preview())
    data = output.data
    file = next(iter(data["files"].values()), None)
    message = (
        f"**{format_count(data['rows'])}** customers of {data['segment']} consented to {channel} "
        f"({format_count(data['excluded_no_consent'])} of {format_count(data['members'])} left out). "
        f"File: `{Path(file).name if file else '-'}`"
        + (" (written to the audit log)." if mode == "raw" else ".")
    )
    return Outcome(message, output.artifacts[0].frame, file)


# --- Data ------------------------------------------------------------------------------


def store_counts(copilot: Copilot) -> pd.DataFrame:
    """Row count of every business table."""
    counts = table_counts(copilot.engine)
    return pd.DataFrame({"table": list(counts), "rows": list(counts.values())})


def required_columns(target: str) -> set[str]:
    """The target columns a file must have."""
    fields = TRANSACTION_FIELDS if target == "transactions" else fields_for(target)
    return {f.name for f in fields if f.required}


def upload_preview(path: str | None, target: str) -> Outcome:
    """The file's first rows and the proposed mapping (in `frame`'s attrs as 'mapping')."""
    if not path:
        return Outcome("Upload a CSV, Excel or Parquet file.", pd.DataFrame())
    try:
        cells = read_table_file(Path(path))
        mapping = propose_mapping(target, list(cells.columns))
    except ImportFileError as exc:
        return Outcome(f"⚠ {exc}", pd.DataFrame())
    required = required_columns(target)
    table = pd.DataFrame(
        [
            [column, mapping.get(column, ""), "yes" if column in required else ""]
            for column in target_columns(target)
        ],
        columns=MAPPING_COLUMNS,
    )
    missing = sorted(required - set(mapping))
    if target == "transactions" and not {"product_code", "product_name"} & set(mapping):
        missing.append("product_code or product_name")
    message = f"**{Path(path).name}**: {len(cells):,} rows, {len(cells.columns)} columns. " + (
        f"⚠ No file column found for: {', '.join(missing)}; type the file column in the mapping."
        if missing
        else "Every required column is matched; check the mapping, then import."
    )
    preview = cells.head(PREVIEW_ROWS).reset_index(names="row")
    preview.attrs["mapping"] = table
    return Outcome(message, preview)


def mapping_from_table(table: pd.DataFrame | None) -> dict[str, str]:
    """target column -> file column from the (possibly edited) mapping table."""
    if table is None or table.empty:
        return {}
    pairs = table[MAPPING_COLUMNS[:2]].fillna("").astype(str).itertuples(index=False, name=None)
    return {target: source.strip() for target, source in pairs if source.strip()}


def run_import(copilot: Copilot, path: str | None, target: str, mapping: pd.DataFrame) -> Outcome:
    """Import the file into `target` with the mapping; the message says what happened."""
    if not path:
        return Outcome("Upload a file first.", store_counts(copilot))
    state = copilot.state if copilot.state is not copilot.engine else None
    try:
        # The warehouse is writable only for the import; other processes wait meanwhile.
        with writable_engine(copilot.engine, wait_s=copilot.settings.store_wait_s) as engine:
            report = import_file(
                engine, target, Path(path), mapping_from_table(mapping), actor=ACTOR, state=state
            )
    except ImportFileError as exc:
        return Outcome(f"⚠ Nothing was imported. {exc}", store_counts(copilot))
    except StoreUnavailableError as exc:
        return Outcome(f"⚠ Nothing was imported. {exc}", store_counts(copilot))
    if report.skipped_duplicate_file:
        message = "ℹ " + " ".join(report.warnings)
    else:
        written = ", ".join(
            f"{table}: {report.inserted.get(table, 0):,} new, {report.updated.get(table, 0):,} updated"
            for table in sorted(set(report.inserted) | set(report.updated))
        )
        message = "✓ " + ntr(
            "en",
            "Imported {shown} row from {file} into {target}. {written}.",
            "Imported {shown} rows from {file} into {target}. {written}.",
            report.rows_read,
            shown=format_count(report.rows_read),
            file=report.file,
            target=target,
            written=written,
        )
        if report.warnings:
            message += "\n\n" + "\n".join(f"- {w}" for w in report.warnings[:10])
    return Outcome(message, store_counts(copilot))


# --- Knowledge -------------------------------------------------------------------------


def documents(copilot: Copilot) -> pd.DataFrame:
    """The stored documents: file name (not the server path), chunks, when added."""
    rows = [(Path(d.source).name, d.chunks, d.added_at) for d in copilot.knowledge.list()]
    return pd.DataFrame(rows, columns=["document", "chunks", "added"])


def add_documents(copilot: Copilot, paths: list[str] | None) -> Outcome:
    """Copy the uploads under the home directory (stable sources), then add them."""
    if not paths:
        return Outcome("Choose one or more documents first.", documents(copilot))
    folder = copilot.settings.home_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for path in paths:
        target = folder / Path(path).name
        shutil.copyfile(path, target)
        kept.append(target)
    report = copilot.knowledge.add(kept)
    message = f"Documents: {report.summary()}."
    for source, why in getattr(report, "failed", {}).items():
        message += f"\n- ⚠ {Path(source).name}: {why}"
    return Outcome(message, documents(copilot))


def search_documents(copilot: Copilot, query: str, k: int = 5) -> str:
    """The best passages for `query` as Markdown, each with its source."""
    if not query.strip():
        return "Type what you are looking for, e.g. *brand voice* or *优惠券规则*."
    passages = copilot.knowledge.search(query.strip(), k=k)
    if not passages:
        return "No passage matches; add documents first."
    return "\n\n---\n\n".join(
        f"**{p.citation}** · similarity {p.score:.2f}\n\n> " + p.text.strip().replace("\n", "\n> ")
        for p in passages
    )


def import_targets() -> list[str]:
    """The import targets, transactions first."""
    return list(IMPORT_TARGETS)
