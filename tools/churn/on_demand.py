"""Churn scores computed when a segment needs them, so nobody has to ask for a prediction first.

A rule with a churn-probability bound reads the latest stored scores. When
there are none, or valid orders came in after the day they were scored at
(they are older than the data), the scores are computed now with predict_churn's
own code and defaults (features up to the last full day of data, a 90-day
window, the fixed seed) and stored as predict_churn stores them; the caller
says in its answer that it did so.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from knowledge.presentation.numbers import format_count
from knowledge.store.schema import Order, valid_order
from tools.base import ToolContext, ToolError

DEFAULT_HORIZON_DAYS = 90  # predict_churn's default window


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def latest_scored_day(ctx: ToolContext) -> date | None:
    """The `as_of` of the latest stored scoring run, None when nothing is scored yet."""
    from tools.segments.rule_compiler import churn_table

    table = churn_table(ctx.state_engine)
    if table is None:
        return None
    latest = select(func.max(table.c.scored_at)).scalar_subquery()
    statement = select(func.max(table.c.as_of)).where(table.c.scored_at == latest)
    with ctx.state_engine.connect() as conn:
        return _as_date(conn.execute(statement).scalar_one_or_none())


def _newer_orders(ctx: ToolContext, scored: date, score_day: date) -> bool:
    """Whether a valid order is dated after `scored` (up to `score_day`): data the scores miss."""
    day = Order.order_date
    statement = select(func.count()).where(valid_order(), day > scored, day <= score_day)
    with ctx.engine.connect() as conn:
        return bool(conn.execute(statement).scalar_one())


def ensure_current_scores(ctx: ToolContext) -> dict[str, Any] | None:
    """Score every buyer now when no scores are stored or they are older than the data.

    Returns what the answer states about a scoring done now (as_of, model and baseline
    AUC, customers scored), or None when the stored scores were current.
    """
    from tools.churn.predict import ChurnDataError, default_score_day, score_customers

    score_day = default_score_day(ctx)
    scored = latest_scored_day(ctx)
    if scored is not None and (scored >= score_day or not _newer_orders(ctx, scored, score_day)):
        return None
    try:
        run = score_customers(ctx, score_day, DEFAULT_HORIZON_DAYS, save=True)
    except ChurnDataError as exc:
        raise ToolError.of(
            "This segment needs predicted churn probabilities, and the churn model cannot "
            "be trained on this store: it needs valid orders over about {days} days before "
            "{date}. Leave out the churn-probability condition, or import more order history.",
            days=format_count(2 * DEFAULT_HORIZON_DAYS + 30),
            date=score_day.isoformat(),
        ) from exc
    return {
        "as_of": run.score_day.isoformat(),
        "horizon_days": run.horizon_days,
        "model_auc": round(float(run.validation.model_auc), 3),
        "baseline_auc": round(float(run.validation.baseline_auc), 3),
        "scored_customers": int(len(run.p)),
        "previous_as_of": scored.isoformat() if scored is not None else None,
    }
