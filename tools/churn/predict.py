"""`predict_churn`: who is likely to churn (and to buy again), validated out of time.

Cutoffs (MARKETING.md: features up to a cutoff, label from the window after it):
scoring date S (the `cutoff` argument, or the last day of data); test cutoff
T2 = S - horizon, the latest whose label window (T2, S] is complete; training
cutoff T1 = T2 - horizon, so the model learns from an earlier period and is
judged on a later one. The scoring model is then refitted on T2 and applied
to every buyer as of S.

Reachable and lapsed (MARKETING.md: churned = no valid order in the window): a
buyer whose last valid order is more than `horizon_days` before S has already
had a whole window without an order, so has already churned by the model's own
definition. Such a customer is "already lapsed" (a win-back audience), not "at
risk": the risk list ranks the reachable customers first and the risk bands
count only them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

import pandas as pd
from pydantic import Field

from knowledge.presentation import segment_name
from knowledge.presentation.numbers import format_percent
from knowledge.store.fetch import QueryTimeoutError
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    quoted,
    table_preview,
    titled,
)
from tools.churn.features import features_at, labels_at, load_history
from tools.churn.model import (
    FEATURE_LABELS,
    MODEL_VERSION,
    churn_probability,
    drivers,
    fit,
    importances,
    validate,
)
from tools.churn.store import save_scores
from tools.fit_cache import FITS, fingerprint
from tools.periods import reference_today, resolve_period
from tools.profiles.members import find_segment, member_ids

HIGH_RISK = 0.7  # P(churn) at or above this is "high risk"
LOW_RISK = 0.4  # below this is "low risk" (likely to buy again)
BAND_EDGES = tuple(i / 10 for i in range(11))  # the risk histogram: ten bands of 10 points
TOP_DRIVERS_CHARTED = 8
REACHABLE, LAPSED = "reachable", "lapsed"


def predict_churn(
    ctx: ToolContext,
    cutoff: Annotated[
        str | None,
        Field(
            description="Score customers as of this date (YYYY-MM-DD, or a period: its last "
            "day): data on or before it. "
            "Empty: the last day of data."
        ),
    ] = None,
    horizon_days: Annotated[
        int,
        Field(description="Churned = no valid order in this many days after the cutoff."),
    ] = 90,
    save_scores: Annotated[
        bool, Field(description="Store every customer's score (table churn_scores) for targeting.")
    ] = True,
    segment: Annotated[
        str | None,
        Field(
            description="Saved segment or RFM segment name, e.g. 'Champions': every customer is "
            "still scored, and the list and risk counts are that segment's members. "
            "Empty: every customer."
        ),
    ] = None,
) -> ToolOutput:
    """Predict which customers will churn (no valid order in the next horizon) or buy again.

    Trains a gradient-boosting model on per-customer features (recency,
    frequency, spend, recent orders and trend, category breadth, cancellations
    and returns, campaign opens/clicks/unsubscribes, review ratings), validates
    it out of time (train on an earlier cutoff, test on a later one) against a
    recency-only baseline (AUC, top-decile lift), explains the main drivers and
    scores every buyer: churn probability and repurchase probability = 1 - churn.
    With `segment` (a saved or RFM segment), every buyer is still scored (and
    stored) the same way, and the list and risk counts are limited to that
    segment's members.
    """
    if not 7 <= horizon_days <= 365:
        raise ToolError.of("horizon_days must be between 7 and 365.")
    run = score_customers(ctx, _score_day(ctx, cutoff), horizon_days, save=save_scores)
    score_day, test_cut, train_cut = run.score_day, run.test_cut, run.train_cut
    validation, ranked, now_x, p = run.validation, run.ranked, run.now_x, run.p
    reasons = copy.deepcopy(run.reasons)  # shared by every request: never handed out to edit
    version = run.version
    scored_all = len(p)
    ref = None
    if segment and segment.strip():
        # Score everyone (the model and the stored scores do not depend on the segment),
        # then keep the segment's members for the list and the counts.
        ref = find_segment(ctx, segment)
        members = set(member_ids(ctx, ref))
        keep = p.index.astype(str).isin(members)
        now_x, p = now_x[keep], p[keep]
    reachable = now_x["recency_days"] <= horizon_days
    table = _risk_table(now_x, p, reachable)
    data = _data(score_day, test_cut, train_cut, horizon_days, validation, reasons, p, reachable)
    data.update(saved=save_scores, model_version=version, segment=None, all_scored=scored_all)
    if ref is not None:
        data.update(segment=ref.name, segment_kind=ref.kind, segment_members=len(members))
    return ToolOutput(
        for_model=_text(data, table),
        artifacts=[
            TableArtifact(
                **_risk_title(ref, score_day, horizon_days),
                frame=table.head(ctx.limits.row_limit).reset_index(drop=True),
                truncated=len(table) > ctx.limits.row_limit,
                chart="none",  # one bar per customer says nothing; the histogram does
                formats=_RISK_FORMATS,
            ),
            TableArtifact(
                **titled(
                    "Churn risk distribution as of {date} (customers per band)",
                    date=str(score_day),
                ),
                frame=risk_distribution(p, reachable),
                chart="histogram",
                formats={"reachable_customers": "integer", "lapsed_customers": "integer"},
            ),
            TableArtifact(
                **titled("Top churn drivers (AUC points lost when the feature is shuffled)"),
                frame=driver_table(ranked),
                chart="bar",
                formats={"importance": "number"},
            ),
            TableArtifact(**titled("Out-of-time validation"), frame=_validation_table(validation)),
        ],
        data=data,
    )


class ChurnDataError(ToolError):
    """The store's orders cannot train the churn model (too little history, one label)."""


@dataclass(frozen=True)
class ScoringRun:
    """One scoring of every buyer as of `score_day`, with the out-of-time check behind it."""

    score_day: date
    test_cut: date
    train_cut: date
    horizon_days: int
    version: str
    validation: Any  # tools.churn.model.Validation
    ranked: pd.Series
    reasons: list[dict[str, Any]]  # shared with the fit cache: copy before editing
    now_x: pd.DataFrame
    p: pd.Series  # P(churn) per customer id


def score_customers(
    ctx: ToolContext, score_day: date, horizon_days: int = 90, *, save: bool = True
) -> ScoringRun:
    """Fit (or reuse) the churn model and score every buyer as of `score_day`; store the
    scores (`churn_scores`) when `save`. predict_churn and the rule segments that need
    scores both come here, so a score is the same whichever asked for it."""
    horizon = timedelta(days=horizon_days)
    test_cut, train_cut = score_day - horizon, score_day - 2 * horizon
    try:
        history = load_history(ctx.engine, score_day, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    first = history.orders.loc[history.orders["valid"], "order_date"].min()
    if pd.isna(first) or first.date() > train_cut - timedelta(days=30):
        raise ChurnDataError.of(
            "Churn prediction needs valid orders from before {first_needed} "
            "(two {days}-day windows plus a month of history before {score_day}); "
            "use a shorter horizon_days or a later cutoff.",
            first_needed=(train_cut - timedelta(days=30)).isoformat(),
            days=horizon_days,
            score_day=score_day.isoformat(),
        )
    train_x, train_y = features_at(history, train_cut), labels_at(history, train_cut, horizon_days)
    test_x, test_y = features_at(history, test_cut), labels_at(history, test_cut, horizon_days)
    try:
        # The same features and labels give the same fit (fixed seeds): reuse it (fit_cache.py).
        fitted = FITS.get_or_fit(
            "predict_churn",
            # The drivers' sentences name money in the store's currency: part of the key.
            fingerprint(MODEL_VERSION, ctx.currency, train_x, train_y, test_x, test_y),
            lambda: _fit_and_explain(train_x, train_y, test_x, test_y, ctx.currency),
        )
    except ValueError as exc:
        # scikit-learn's own (English) reason, quoted in a sentence of the answer's language.
        raise ChurnDataError.of(
            "Cannot train a churn model on this data: {reason}.", reason=str(exc)
        ) from exc
    now_x = features_at(history, score_day)
    p = churn_probability(fitted.model, now_x)
    version = f"{MODEL_VERSION}:{test_cut.isoformat()}:{horizon_days}d"
    if save:
        _save(ctx, p, score_day, version)
    return ScoringRun(
        score_day,
        test_cut,
        train_cut,
        horizon_days,
        version,
        fitted.validation,
        fitted.ranked,
        fitted.reasons,
        now_x,
        p,
    )


def default_score_day(ctx: ToolContext) -> date:
    """The day predict_churn scores at when no cutoff is given: the last full day of data."""
    return _score_day(ctx, None)


@dataclass(frozen=True)
class FittedChurn:
    """What one churn fit yields: validation figures, the scoring model, drivers."""

    validation: Any  # tools.churn.model.Validation
    model: Any  # HistGradientBoostingClassifier refitted on the test cutoff
    ranked: pd.Series  # permutation importance per feature, strongest first
    reasons: list[dict[str, Any]]  # the top drivers told in words


def _fit_and_explain(
    train_x: pd.DataFrame,
    train_y: pd.Series,
    test_x: pd.DataFrame,
    test_y: pd.Series,
    currency: str,
) -> FittedChurn:
    """Validate out of time, refit on the latest complete window, rank the drivers (CPU: seconds)."""
    validation, _ = validate(train_x, train_y, test_x, test_y)
    model = fit(test_x, test_y)  # refit on the latest complete window for scoring
    ranked = importances(model, test_x, test_y)
    reasons = drivers(model, test_x, test_y, ranked=ranked, currency=currency)
    return FittedChurn(validation, model, ranked, reasons)


_RISK_FORMATS = {
    "churn_probability": "percent",
    "repurchase_probability": "percent",
    "recency_days": "integer",
    "frequency": "integer",
    "monetary": "money",
}


def risk_distribution(p: pd.Series, reachable: pd.Series) -> pd.DataFrame:
    """Customers per 10-point band of churn probability, reachable and already lapsed apart.

    Shape: 10 rows (0-10% ... 90-100%, the last band includes 100%) x
    [churn_probability (band label), reachable_customers, lapsed_customers].
    """
    edges = list(BAND_EDGES)
    # Band labels read the same in both languages ("10%–20%"): whole percentages.
    labels = [
        f"{format_percent(low, digits=0)}–{format_percent(high, digits=0)}"
        for low, high in zip(edges, edges[1:], strict=False)
    ]
    # Right-open bands, the last one closed: a probability of exactly 1 falls in 90-100%.
    band = pd.cut(p.clip(upper=edges[-1] - 1e-12), edges, right=False, labels=labels)
    counts = pd.crosstab(band, reachable.reindex(p.index)).reindex(labels, fill_value=0)
    return pd.DataFrame(
        {
            "churn_probability": labels,
            "reachable_customers": counts.get(True, pd.Series(0, index=labels))
            .astype(int)
            .to_numpy(),
            "lapsed_customers": counts.get(False, pd.Series(0, index=labels))
            .astype(int)
            .to_numpy(),
        }
    )


def driver_table(ranked: pd.Series) -> pd.DataFrame:
    """The features the model leans on most (importance > 0), strongest first.

    Shape: up to TOP_DRIVERS_CHARTED rows x [driver (English label), feature, importance
    (mean drop in AUC when the feature is shuffled, in points: 18.4 = AUC 0.90 -> 0.716)].
    """
    used = ranked[ranked > 0].head(TOP_DRIVERS_CHARTED) * 100
    return pd.DataFrame(
        {
            "driver": [FEATURE_LABELS[f][0] for f in used.index],
            "feature": list(used.index),
            "importance": used.round(2).to_numpy(),
        }
    )


def _score_day(ctx: ToolContext, cutoff: str | None) -> date:
    if cutoff and cutoff.strip():
        try:
            return date.fromisoformat(cutoff.strip()[:10])
        except ValueError:
            pass
        # A period ("September", "2026年8月"): scored at its last day.
        try:
            period = resolve_period(ctx, cutoff)
        except ToolError:
            period = None
        if period is None:
            raise ToolError.of(
                "Cannot read cutoff {value}; give it as YYYY-MM-DD.", value=quoted(cutoff)
            )
        return period.end
    # The last full day of data: the day before "today" as the store sees it.
    return reference_today(ctx) - timedelta(days=1)


def _save(ctx: ToolContext, p: pd.Series, score_day: date, version: str) -> None:
    save_scores(ctx.state_engine, p, score_day, version)


def _risk_table(now_x: pd.DataFrame, p: pd.Series, reachable: pd.Series) -> pd.DataFrame:
    """Every scored customer: the reachable ones first by churn risk, then the lapsed ones."""
    table = pd.DataFrame(
        {
            "customer_id": now_x.index,
            "status": reachable.map({True: REACHABLE, False: LAPSED}).to_numpy(),
            "churn_probability": p.round(4).to_numpy(),
            "repurchase_probability": (1 - p).round(4).to_numpy(),
            "risk": pd.cut(
                p, [-0.01, LOW_RISK, HIGH_RISK, 1.01], right=False, labels=["low", "medium", "high"]
            )
            .astype(str)
            .to_numpy(),
            "recency_days": now_x["recency_days"].astype(int).to_numpy(),
            "frequency": now_x["frequency"].astype(int).to_numpy(),
            "monetary": now_x["monetary"].round(2).to_numpy(),
            "_lapsed": (~reachable).to_numpy(),
        }
    )
    table = table.sort_values(
        ["_lapsed", "churn_probability", "monetary", "customer_id"],
        ascending=[True, False, False, True],
    )
    return table.drop(columns="_lapsed").reset_index(drop=True)


def _risk_title(ref: Any, score_day: date, horizon_days: int) -> dict[str, Any]:
    if ref is None:
        return titled(
            "Churn risk as of {date} (next {days} days; already lapsed customers listed last)",
            date=str(score_day),
            days=horizon_days,
        )
    return titled(
        "Churn risk of {segment} as of {date} (next {days} days; already lapsed customers "
        "listed last)",
        segment=lambda language: segment_name(ref.name, language),
        date=str(score_day),
        days=horizon_days,
    )


def _data(
    score_day: date,
    test_cut: date,
    train_cut: date,
    horizon_days: int,
    validation: Any,
    reasons: list[dict[str, Any]],
    p: pd.Series,
    reachable: pd.Series,
) -> dict[str, Any]:
    """The facts for the writer; the risk bands count reachable customers only."""
    high = reachable & (p >= HIGH_RISK)
    low = reachable & (p < LOW_RISK)
    return {
        "as_of": score_day.isoformat(),
        "horizon_days": horizon_days,
        "train_cutoff": train_cut.isoformat(),
        "test_cutoff": test_cut.isoformat(),
        "validation": validation.as_dict(),
        "beats_baseline": validation.model_auc > validation.baseline_auc,
        "drivers": reasons,
        "scored_customers": int(len(p)),
        "reachable_customers": int(reachable.sum()),
        "lapsed_customers": int((~reachable).sum()),
        "mean_churn_probability": round(float(p[reachable].mean()), 4) if reachable.any() else None,
        # Reachable = a valid order within the horizon, the window the churn label uses.
        "thresholds": {"high": HIGH_RISK, "low": LOW_RISK, "active_days": horizon_days},
        "bands": {
            "high": int(high.sum()),
            "medium": int((reachable & ~high & ~low).sum()),
            "low": int(low.sum()),
            "lapsed": int((~reachable).sum()),
        },
        # High risk and still reachable: the win-back audience worth paying for.
        "high_risk_active": int(high.sum()),
        "likely_to_buy_again": int(low.sum()),
    }


def _validation_table(v: Any) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score": ["model", "recency baseline"],
            "auc": [round(v.model_auc, 4), round(v.baseline_auc, 4)],
            "top_decile_lift": [round(v.model_lift, 3), round(v.baseline_lift, 3)],
        }
    )


def _text(data: dict[str, Any], table: pd.DataFrame) -> str:
    v = data["validation"]
    lines = []
    if data.get("segment"):
        lines.append(
            f"Limited to segment {data['segment']} ({data['segment_kind']}): "
            f"{data['scored_customers']} of its {data['segment_members']} members scored; "
            f"the model scored all {data['all_scored']} customers."
        )
    lines += [
        f"Churn = no valid order in the {data['horizon_days']} days after the cutoff.",
        f"Out-of-time validation: trained at {data['train_cutoff']}, tested at "
        f"{data['test_cutoff']} ({v['test_customers']} customers, churn rate "
        f"{v['test_churn_rate']:.1%}): model AUC {v['model_auc']:.3f} vs recency baseline "
        f"{v['baseline_auc']:.3f}; top-decile lift {v['model_lift']:.2f} vs {v['baseline_lift']:.2f}.",
        f"Scored {data['scored_customers']} customers as of {data['as_of']}. Already lapsed "
        f"(no valid order in the last {data['horizon_days']} days, so churned by the definition "
        f"above; a win-back audience, listed last): {data['lapsed_customers']}. At risk "
        f"(reachable: ordered within {data['horizon_days']} days): "
        f"{data['reachable_customers']}, of whom {data['bands']['high']} high risk "
        f"(p >= {HIGH_RISK}), {data['bands']['medium']} medium, "
        f"{data['bands']['low']} likely to buy again (p < {LOW_RISK}).",
        "Drivers: " + "; ".join(d["text_en"] for d in data["drivers"]),
        table_preview(table, 15),
    ]
    return "\n".join(lines)
