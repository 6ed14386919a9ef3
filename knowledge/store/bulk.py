"""Fast bulk inserts of DataFrames into a store table, inside the caller's transaction."""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy import Connection, Table

_BATCH_ROWS = 50_000


def insert_frame(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert every row of `frame` (columns named as in `table`) and return the row count.

    DuckDB takes the DataFrame natively (columnar, no Python row objects); other
    databases get batched executemany. Either way the rows join the caller's
    transaction, so a failure later rolls them back too.
    """
    if frame.empty:
        return 0
    columns = [c.name for c in table.columns if c.name in frame.columns]
    frame = frame[columns]
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        view = f"_bulk_{table.name}"
        raw.register(view, frame)
        try:
            cols = ", ".join(f'"{c}"' for c in columns)
            raw.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{view}"')
        finally:
            try:
                raw.unregister(view)
            except Exception:  # noqa: BLE001 - an aborted transaction drops the view anyway
                pass
        return len(frame)
    records = _python_records(frame)
    for start in range(0, len(records), _BATCH_ROWS):
        conn.execute(table.insert(), records[start : start + _BATCH_ROWS])
    return len(records)


def _python_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (NaN/NaT become None) for DB-API drivers."""
    out = frame.astype(object).where(frame.notna(), None)
    records = out.to_dict("records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.to_pydatetime()
            elif isinstance(value, float) and math.isnan(value):
                record[key] = None
    return records
