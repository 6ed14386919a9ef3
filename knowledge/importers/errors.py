"""The one error an import raises, and how bad cells are turned into a message a user can act on."""

from __future__ import annotations

from dataclasses import dataclass

# Enough examples to see the pattern; the rest is a count, so a huge bad file
# does not produce a huge message.
MAX_REPORTED_PROBLEMS = 5


class ImportFileError(ValueError):
    """A file cannot be imported; the message says what to fix (file, row, column).

    Raised before anything is written, or after the transaction rolled back, so
    the store is unchanged whenever a caller sees it.
    """


@dataclass(frozen=True)
class CellProblem:
    """One value that cannot be imported.

    `row` is the spreadsheet row number (header = row 1, first data row = 2);
    `column` is the column's name in the file, as the user knows it.
    """

    row: int
    column: str
    value: str | None
    reason: str

    def describe(self) -> str:
        """A short sentence such as: row 7, column 'Quantity': 'abc' is not a whole number."""
        if self.value is None:
            return f"row {self.row}, column '{self.column}': {self.reason}"
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return f"row {self.row}, column '{self.column}': '{shown}' {self.reason}"


def raise_for_problems(file: str, problems: list[CellProblem]) -> None:
    """Raise one ImportFileError listing the first few problems (in row order) and the count."""
    if not problems:
        return
    ordered = sorted(problems, key=lambda p: (p.row, p.column))
    shown = "; ".join(p.describe() for p in ordered[:MAX_REPORTED_PROBLEMS])
    more = len(ordered) - MAX_REPORTED_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    noun = "value" if len(ordered) == 1 else "values"
    raise ImportFileError(
        f"{file}: {len(ordered)} {noun} cannot be imported: {shown}{tail}. "
        "Fix the file and import it again; nothing was imported."
    )


def rows_preview(rows: list[int], limit: int = 10) -> str:
    """'3, 8, 12' or '3, 8, 12, ... (40 rows)' for messages and warnings."""
    head = ", ".join(str(r) for r in rows[:limit])
    return head if len(rows) <= limit else f"{head}, ... ({len(rows)} rows)"
