"""Importing customer, product, order, campaign and review files into the store.

Imports are validated before anything is written (errors name the file, the
spreadsheet row and the column), all-or-nothing (one transaction) and
idempotent (rows are keyed by their primary key; a byte-identical file is
recognised by its SHA-256 and skipped).

Targets: "transactions" (a line-level sales log such as the UCI Online Retail
file or a Chinese shop export, which fills customers, products, orders and
order items) or one business table by name.
"""

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
