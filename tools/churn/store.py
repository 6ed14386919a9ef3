"""The `churn_scores` table (`knowledge.store.schema.ChurnScore`): per-customer churn
probabilities of each scoring run. A new run for the same `as_of` replaces that
date's rows in one transaction.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, delete, func, select

from knowledge.store.bulk import insert_frame
from knowledge.store.database import utcnow
from knowledge.store.fetch import fetch_frame
from knowledge.store.schema import ChurnScore

CHURN_SCORES = ChurnScore.__table__


def ensure_table(engine: Engine) -> None:
    """Create `churn_scores` in a store made before the table existed."""
    CHURN_SCORES.create(engine, checkfirst=True)


def save_scores(engine: Engine, scores: pd.Series, as_of: date, model_version: str) -> int:
    """Store P(churn) per customer (index customer_id) for `as_of`; returns the row count."""
    ensure_table(engine)
    frame = pd.DataFrame(
        {
            "customer_id": scores.index.astype(str),
            "as_of": [as_of] * len(scores),
            "scored_at": [utcnow()] * len(scores),
            "probability": scores.to_numpy(dtype=float),
            "model_version": model_version,
        }
    )
    from tools.segments.saved import duckdb_write_lock  # here: tools.segments imports churn

    # Two churn questions at once on a DuckDB store would conflict on the same rows.
    with duckdb_write_lock(engine), engine.begin() as conn:
        conn.execute(delete(CHURN_SCORES).where(CHURN_SCORES.c.as_of == as_of))
        return insert_frame(conn, CHURN_SCORES, frame)


def churn_risk_customers(engine: Engine, timeout_s: float = 60.0) -> pd.DataFrame:
    """The latest run's scores: customer_id, as_of, probability, repurchase_probability, model_version.

    Sorted by probability (highest risk first), then customer id; empty when
    nothing was scored yet.
    """
    columns = ["customer_id", "as_of", "probability", "repurchase_probability", "model_version"]
    latest = select(func.max(CHURN_SCORES.c.scored_at)).scalar_subquery()
    run_as_of = (
        select(func.max(CHURN_SCORES.c.as_of))
        .where(CHURN_SCORES.c.scored_at == latest)
        .scalar_subquery()
    )
    try:
        frame = _fetch_latest(engine, run_as_of, timeout_s)
    except Exception as exc:  # DuckDB's native path raises its own errors, not SQLAlchemy's
        if not _no_such_table(exc):
            raise
        return pd.DataFrame(columns=columns)  # a store made before the table existed
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["probability"] = pd.to_numeric(frame["probability"]).astype(float)
    frame["repurchase_probability"] = 1.0 - frame["probability"]
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    frame = frame.sort_values(["probability", "customer_id"], ascending=[False, True])
    return frame[columns].reset_index(drop=True)


def _fetch_latest(engine: Engine, run_as_of, timeout_s: float) -> pd.DataFrame:  # noqa: ANN001
    """The rows of one scoring run (the warehouse sees the state's table, or the one store has it)."""
    return fetch_frame(
        engine,
        select(
            CHURN_SCORES.c.customer_id,
            CHURN_SCORES.c.as_of,
            CHURN_SCORES.c.probability,
            CHURN_SCORES.c.model_version,
        ).where(CHURN_SCORES.c.as_of == run_as_of),
        timeout_s,
    )


def _no_such_table(exc: Exception) -> bool:
    message = str(exc).lower()
    return CHURN_SCORES.name in message and ("does not exist" in message or "no such" in message)
