"""Removing the demo data, so a home never mixes made-up numbers with the user's own.

A home that holds the demo data refuses an import (`DemoStoreError`) unless the
user asks for the demo data to go first: `copilot import ... --replace-demo`
deletes it inside the import's own transaction (all-or-nothing), and `copilot
demo-data --remove` deletes it on its own. What the copilot derived from the
demo customers in its own state store goes too (`forget_demo_state`): saved
segments, their members and churn scores list made-up customer ids. Conversations,
copy drafts (text), the audit log and import history are kept.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, inspect

from knowledge.demo.marker import DEMO_MARKER, read_demo_marker
from knowledge.importers.errors import ImportFileError
from knowledge.store.schema import BUSINESS_TABLES, ChurnScore, SavedSegment, SegmentMember

# Derived from the customers of the data they were built on; meaningless without them.
_DEMO_DERIVED_STATE = (SegmentMember, SavedSegment, ChurnScore)


class DemoStoreError(ImportFileError):
    """An import into a home that holds the demo data, without `replace_demo`."""


def demo_refusal(file_name: str) -> str:
    """The one sentence an import into a demo home is refused with: what to do instead."""
    return (
        f"{file_name}: this home holds the demo data (made-up numbers), and your data is "
        "never mixed with it; nothing was imported. Import again with --replace-demo to "
        "delete the demo data and import the file in one step, or run "
        "`copilot demo-data --remove` first (or set COPILOT_HOME to a new folder)."
    )


def holds_demo_data(engine: Engine) -> bool:
    """Whether the warehouse's business data is the generated demo data."""
    return read_demo_marker(engine) is not None


def remove_demo_rows(conn: Connection) -> None:
    """Delete every business row and the demo note, in the caller's transaction.

    Children first (order items before orders ...), so foreign keys hold at
    every statement; the caller's commit makes the removal and whatever it
    writes next (an import) one atomic change.
    """
    for model in reversed(BUSINESS_TABLES):
        conn.execute(delete(model.__table__))
    if inspect(conn).has_table(DEMO_MARKER.name):
        conn.execute(delete(DEMO_MARKER))


def forget_demo_state(state: Engine) -> dict[str, int]:
    """Delete saved segments, their members and churn scores; rows deleted per table.

    Called right after the demo data's removal committed (two stores share no
    transaction): a crash in between leaves segments that name no stored
    customer, which the next removal or a `segments` delete clears.
    """
    deleted: dict[str, int] = {}
    with state.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        for model in _DEMO_DERIVED_STATE:
            table = model.__table__
            if table.name in existing:
                deleted[table.name] = conn.execute(delete(table)).rowcount or 0
    return deleted
