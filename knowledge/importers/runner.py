"""`import_file`: read, map, validate, then write everything in one transaction.

Nothing touches the store until the whole file has been read and validated;
the writes then run in a single `engine.begin()` block, so a failure at any
point (a bad cell, a constraint the database enforces) leaves the store as it
was. The file's SHA-256 is recorded, so importing the same bytes again is a no-op.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from knowledge.demo.removal import (
    DemoStoreError,
    demo_refusal,
    forget_demo_state,
    holds_demo_data,
    remove_demo_rows,
)
from knowledge.importers.columns import check_target, propose_mapping
from knowledge.importers.errors import ImportFileError
from knowledge.importers.options import ImportOptions
from knowledge.importers.parsing import FieldSpec
from knowledge.importers.reading import read_table_file
from knowledge.importers.sales_orders import write_transactions
from knowledge.importers.tables import fields_for, plan_table
from knowledge.importers.transactions import TRANSACTION_FIELDS, prepare_lines
from knowledge.importers.writing import find_batch, record_import

try:  # DuckDB's bulk path raises the driver's own errors, not SQLAlchemy's.
    import duckdb

    _DRIVER_DATA_ERRORS: tuple[type[Exception], ...] = (
        duckdb.ConstraintException,
        duckdb.ConversionException,
    )
except ImportError:  # pragma: no cover - DuckDB is a dependency, but the importer does not need it
    _DRIVER_DATA_ERRORS = ()


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows read, rows inserted and updated per table, warnings, and
    `summary`: sentences on what the reading rules did (duplicates, credit notes,
    returns, guest and non-merchandise lines, currency, date order)."""

    target: str
    file: str
    rows_read: int
    inserted: dict[str, int]
    updated: dict[str, int]
    skipped_duplicate_file: bool
    column_mapping: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    # Set when the import replaced the demo data: state rows deleted per table
    # (saved segments, their members, churn scores built on the made-up customers).
    removed_demo_state: dict[str, int] | None = None


def import_file(
    engine: Engine,
    target: str,
    path: Path,
    mapping: dict[str, str] | None = None,
    actor: str | None = None,
    *,
    sheet: str | None = None,
    force: bool = False,
    state: Engine | None = None,
    options: ImportOptions | None = None,
    replace_demo: bool = False,
) -> ImportReport:
    """Import `path` into `target` ("transactions" or a business table) all-or-nothing.

    `mapping` (target column -> file column) overrides the automatic matching.
    A byte-identical file already imported into the same target is skipped
    unless `force` is true (e.g. to import it again with a corrected mapping).
    `options` carries the reading rules the file cannot state (date order,
    timezone, duplicates, non-merchandise codes, fixed currency).
    Raises ImportFileError, with the store unchanged, when the file cannot be imported.
    The batch and its audit entry go to `state` (the copilot's own store; None: `engine`)
    right after the data commits.
    A store holding the demo data is never mixed with the user's data: the import
    raises DemoStoreError (nothing written) unless `replace_demo`, which deletes the
    demo data in the import's own transaction, then the state rows built on it.
    """
    books = state if state is not None else engine
    check_target(target)
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file.")
    demo = holds_demo_data(engine)
    if demo and not replace_demo:
        raise DemoStoreError(demo_refusal(path.name))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # Replacing the demo data empties the store: a file imported before it went in is new again.
    if not force and not demo:
        with books.connect() as conn:
            earlier = find_batch(conn, digest, target)
        if earlier is not None:
            return ImportReport(
                target,
                path.name,
                earlier.rows,
                {},
                {},
                True,
                {},
                [
                    f"Skipped: the same file was imported into {target} on "
                    f"{earlier.imported_at:%Y-%m-%d %H:%M} UTC as '{earlier.file_name}'."
                ],
            )
    cells = read_table_file(path, sheet, options.encoding if options else None)
    encoding_note = _encoding_note(path.name, cells.attrs.get("encoding"), options)
    column_mapping = propose_mapping(target, list(cells.columns), mapping)
    fields = TRANSACTION_FIELDS if target == "transactions" else fields_for(target)
    _check_required(target, fields, column_mapping, list(cells.columns), path.name)
    summary: list[str] = []
    if target == "transactions":
        prepared = prepare_lines(cells, column_mapping, path.name, options)
        warnings = list(prepared.warnings)
        summary = list(prepared.summary)

        def write(conn):  # noqa: ANN001, ANN202 - a local closure over `prepared`
            return write_transactions(conn, prepared)
    else:
        plan = plan_table(target, cells, column_mapping, path.name, options)
        warnings = list(plan.warnings)
        write = plan.write
    warnings = encoding_note + warnings
    try:
        with engine.begin() as conn:
            if demo:
                remove_demo_rows(conn)
            inserted, updated, more = write(conn)
            if target == "transactions":
                summary += more
            else:
                warnings += more
        # Two stores share no transaction: the data commits first, so a crash in between
        # only forgets the batch (importing the file again updates the same keys).
        with books.begin() as conn:
            record_import(
                conn,
                target=target,
                file_name=str(path.name),
                content_sha256=digest,
                rows=len(cells),
                actor=actor,
                detail={
                    "file": path.name,
                    "target": target,
                    "sha256": digest,
                    "rows_read": len(cells),
                    "inserted": inserted,
                    "updated": updated,
                    "column_mapping": column_mapping,
                    "warnings": len(warnings),
                    "summary": summary,
                },
            )
    except (IntegrityError, DataError, *_DRIVER_DATA_ERRORS) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ImportFileError(
            f"{path.name}: the store rejected the data ({reason}); nothing was imported."
        ) from exc
    removed = forget_demo_state(books) if demo else None
    return ImportReport(
        target,
        path.name,
        len(cells),
        inserted,
        updated,
        False,
        column_mapping,
        warnings,
        summary,
        removed,
    )


def _encoding_note(file: str, encoding: str | None, options: ImportOptions | None) -> list[str]:
    """A sentence naming the encoding a non-UTF-8 text file was read with (none for UTF-8).

    Said even when the detection was confident, so a user whose names look wrong
    knows what was assumed and how to say otherwise.
    """
    if encoding is None or encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig"):
        return []
    if options is not None and options.encoding is not None:
        return [f"{file} was read as {encoding}, as --encoding asked."]
    return [
        f"{file} is not UTF-8; it was read as {encoding}. If names or cities look wrong, "
        "re-save it as UTF-8 or pass --encoding with the right one."
    ]


def _check_required(
    target: str, fields: list[FieldSpec], mapping: dict[str, str], columns: list[str], file: str
) -> None:
    missing = [f.name for f in fields if f.required and f.name not in mapping]
    if target == "transactions" and not {"product_code", "product_name"} & set(mapping):
        missing.append("product_code or product_name")
    if not missing:
        return
    example = missing[0].split(" ")[0]
    raise ImportFileError(
        f"{file}: missing required column(s) for {target}: {', '.join(missing)}. "
        f"Columns found: {', '.join(columns)}. If one of them holds that data, map it with "
        f"--map target=source (e.g. --map {example}=<column>)."
    )
