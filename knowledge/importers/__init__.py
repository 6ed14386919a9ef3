"""Importing customer, product, order, campaign and review files into the store.

Imports are validated before anything is written (errors name the file, the
spreadsheet row and the column), all-or-nothing (one transaction) and
idempotent (rows are keyed by their primary key; a byte-identical file is
recognised by its SHA-256 and skipped).

Targets: "transactions" (a line-level sales log such as the UCI Online Retail
file or a Chinese shop export, which fills customers, products, orders and
order items) or one business table by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from knowledge.importers.columns import (
        IMPORT_TARGETS,
        normalise_header,
        parse_mapping_args,
        propose_mapping,
        target_columns,
    )
    from knowledge.importers.errors import ImportFileError
    from knowledge.importers.options import ImportOptions
    from knowledge.importers.reading import read_table_file
    from knowledge.importers.runner import ImportReport, import_file

# Names load their submodule on first use (PEP 562): a question reads the store's
# currency (`knowledge.importers.currency`) and must not load the import machinery (issue 10).
_SUBMODULE_OF = {
    "IMPORT_TARGETS": "columns",
    "normalise_header": "columns",
    "parse_mapping_args": "columns",
    "propose_mapping": "columns",
    "target_columns": "columns",
    "ImportFileError": "errors",
    "ImportOptions": "options",
    "read_table_file": "reading",
    "ImportReport": "runner",
    "import_file": "runner",
}

__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)

__all__ = [
    "IMPORT_TARGETS",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "import_file",
    "normalise_header",
    "parse_mapping_args",
    "propose_mapping",
    "read_table_file",
    "target_columns",
]
