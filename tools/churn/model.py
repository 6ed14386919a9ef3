"""The churn model: fit, out-of-time validation against a recency baseline, drivers in words."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from knowledge.presentation.messages import N_, tr
from knowledge.presentation.numbers import (
    currency_symbol,
    format_count,
    format_number,
    format_percent,
)
from tools.churn.features import FEATURES

if TYPE_CHECKING:  # scikit-learn loads in the functions: ~0.5 s on every start otherwise
    from sklearn.ensemble import HistGradientBoostingClassifier

MODEL_VERSION = "churn-hgb-1"
MIN_DRIVER_RATIO = 1.2  # a driver told in words must change the churn rate by at least this
RANDOM_STATE = 0
_F = TypeVar("_F", bound=Callable[..., Any])


def _one_thread(func: _F) -> _F:
    """Run with one OpenMP thread: on small data and few cores, threads make HGB 10-20x slower."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with threadpool_limits(limits=1, user_api="openmp"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_model() -> HistGradientBoostingClassifier:
    """A small, regularised gradient-boosting classifier; missing values need no imputation."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    # early_stopping=False: a validation split drawn at random would make runs differ.
    return HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=30,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=RANDOM_STATE,
    )


@_one_thread
def fit(features: pd.DataFrame, labels: pd.Series) -> HistGradientBoostingClassifier:
    """The model fitted on customers that have both features and a label."""
    X, y = _aligned(features, labels)
    if y.nunique() < 2:
        raise ValueError("every customer has the same label; nothing to learn")
    return new_model().fit(X, y)


@_one_thread
def churn_probability(model: HistGradientBoostingClassifier, features: pd.DataFrame) -> pd.Series:
    """P(churn) per customer."""
    return pd.Series(
        model.predict_proba(features[list(FEATURES)])[:, 1], index=features.index, name="p"
    )


def top_decile_lift(labels: pd.Series, scores: pd.Series) -> float:
    """Churn rate among the 10% highest scores over the overall churn rate (ties by id)."""
    frame = pd.DataFrame({"y": labels, "s": scores}).sort_index(kind="stable")
    frame = frame.sort_values("s", ascending=False, kind="stable")
    top = frame.head(max(1, int(np.ceil(len(frame) * 0.1))))
    base = frame["y"].mean()
    return float(top["y"].mean() / base) if base else float("nan")


@dataclass(frozen=True)
class Validation:
    """Out-of-time quality of the model and of the recency baseline on the later cutoff."""

    model_auc: float
    baseline_auc: float
    model_lift: float
    baseline_lift: float
    train_customers: int
    test_customers: int
    train_churn_rate: float
    test_churn_rate: float

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@_one_thread
def validate(
    train_x: pd.DataFrame, train_y: pd.Series, test_x: pd.DataFrame, test_y: pd.Series
) -> tuple[Validation, HistGradientBoostingClassifier]:
    """Train on the earlier cutoff, score the later one; the baseline ranks by recency alone."""
    from sklearn.metrics import roc_auc_score

    model = fit(train_x, train_y)
    X, y = _aligned(test_x, test_y)
    if y.nunique() < 2:
        raise ValueError("every customer of the test period has the same label")
    p = churn_probability(model, X)
    recency = X["recency_days"]  # longer since the last order = more likely to churn
    return (
        Validation(
            model_auc=float(roc_auc_score(y, p)),
            baseline_auc=float(roc_auc_score(y, recency)),
            model_lift=top_decile_lift(y, p),
            baseline_lift=top_decile_lift(y, recency),
            train_customers=int(len(train_y)),
            test_customers=int(len(y)),
            train_churn_rate=float(train_y.mean()),
            test_churn_rate=float(y.mean()),
        ),
        model,
    )


def _aligned(features: pd.DataFrame, labels: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    common = features.index.intersection(labels.index).sort_values()
    return features.loc[common, list(FEATURES)], labels.loc[common].astype(int)


# Each feature as a chart or table label: (English, Chinese).
FEATURE_LABELS: dict[str, tuple[str, str]] = {
    "recency_days": ("Days since last order", "距上次下单天数"),
    "frequency": ("Orders (lifetime)", "累计订单数"),
    "monetary": ("Lifetime spend", "累计消费"),
    "aov": ("Average order value", "客单价"),
    "tenure_days": ("Days since first order", "距首单天数"),
    "orders_30d": ("Orders in the last 30 days", "近 30 天订单数"),
    "orders_90d": ("Orders in the last 90 days", "近 90 天订单数"),
    "orders_180d": ("Orders in the last 180 days", "近 180 天订单数"),
    "trend_90d": ("Order trend (90 days vs the 90 before)", "近 90 天下单趋势"),
    "days_between_orders": ("Days between orders", "平均下单间隔天数"),
    "overdue_ratio": ("Days since last order / usual gap", "距上次下单 / 平常间隔"),
    "category_breadth": ("Categories bought", "购买品类数"),
    "problem_order_share": ("Share of orders cancelled or returned", "取消或退货订单占比"),
    "messages_90d": ("Messages received (90 days)", "近 90 天收到营销消息数"),
    "opens_90d": ("Message opens (90 days)", "近 90 天打开次数"),
    "clicks_90d": ("Message clicks (90 days)", "近 90 天点击次数"),
    "unsubscribed": ("Unsubscribed", "退订过"),
    "review_count": ("Reviews written", "评价数"),
    "review_rating_avg": ("Average review rating", "平均评分"),
}

# Each feature's side of the median in words (catalogue ids, {t} its threshold):
# (above the median, at or below it).
_PHRASES: dict[str, tuple[str, str]] = {
    "recency_days": (N_("no order in {t}+ days"), N_("an order within {t} days")),
    "frequency": (N_("{t}+ orders"), N_("{t} or fewer orders")),
    "monetary": (N_("lifetime spend of {t}+"), N_("lifetime spend of {t} or less")),
    "aov": (N_("an average order of {t}+"), N_("an average order of {t} or less")),
    "tenure_days": (N_("a first order {t}+ days ago"), N_("a first order within {t} days")),
    "orders_30d": (N_("{t}+ orders in the last 30 days"), N_("{t} or fewer orders in the last 30 days")),
    "orders_90d": (N_("{t}+ orders in the last 90 days"), N_("{t} or fewer orders in the last 90 days")),
    "orders_180d": (N_("{t}+ orders in the last 180 days"), N_("{t} or fewer orders in the last 180 days")),
    "trend_90d": (N_("buying more than in the 90 days before"), N_("buying less than in the 90 days before")),
    "days_between_orders": (N_("{t}+ days between orders"), N_("{t} or fewer days between orders")),
    "overdue_ratio": (N_("a next order {t}x+ later than their usual gap"), N_("a next order due within {t}x their usual gap")),
    "category_breadth": (N_("{t}+ categories bought"), N_("{t} or fewer categories bought")),
    "problem_order_share": (N_("{t}+ of orders cancelled or returned"), N_("{t} or less of orders cancelled or returned")),
    "messages_90d": (N_("{t}+ marketing messages in the last 90 days"), N_("{t} or fewer marketing messages in the last 90 days")),
    "opens_90d": (N_("{t}+ message opens in the last 90 days"), N_("{t} or fewer message opens in the last 90 days")),
    "clicks_90d": (N_("{t}+ message clicks in the last 90 days"), N_("{t} or fewer message clicks in the last 90 days")),
    "unsubscribed": (N_("an unsubscribe"), N_("no unsubscribe")),
    "review_count": (N_("{t}+ reviews written"), N_("{t} or fewer reviews written")),
    "review_rating_avg": (N_("an average rating of {t}+"), N_("an average rating of {t} or less")),
}  # fmt: skip
# The low side of a count whose median is 0, said as "no ...".
_ZERO = {
    "orders_30d": N_("no order in the last 30 days"),
    "orders_90d": N_("no order in the last 90 days"),
    "orders_180d": N_("no order in the last 180 days"),
    "opens_90d": N_("no message opens in the last 90 days"),
    "clicks_90d": N_("no message clicks in the last 90 days"),
    "messages_90d": N_("no marketing messages in the last 90 days"),
    "review_count": N_("no reviews written"),
    "problem_order_share": N_("no cancelled or returned orders"),
    "trend_90d": N_("no more orders than in the 90 days before"),
}


@_one_thread
def importances(model: HistGradientBoostingClassifier, X: pd.DataFrame, y: pd.Series) -> pd.Series:
    """Permutation importance of every feature: the mean drop in AUC when it is shuffled.

    Index = feature names, strongest first (ties in FEATURES order); values in AUC
    points (0.05 = the AUC falls by 0.05), <= 0 for a feature the model does not use.
    """
    from sklearn.inspection import permutation_importance

    X, y = _aligned(X, y)
    result = permutation_importance(
        model, X, y, scoring="roc_auc", n_repeats=3, random_state=RANDOM_STATE
    )
    order = np.argsort(-result.importances_mean, kind="stable")
    return pd.Series(
        result.importances_mean[order], index=[FEATURES[i] for i in order], name="importance"
    )


def drivers(
    model: HistGradientBoostingClassifier,
    X: pd.DataFrame,
    y: pd.Series,
    top: int = 3,
    ranked: pd.Series | None = None,
    currency: str = "¥",
) -> list[dict[str, Any]]:
    """The features that matter most (permutation importance on AUC), each told in words.

    The words compare observed churn: customers on the risky side of the
    feature's median against the rest ("2.1x as likely to churn, 81% vs 38%").
    `ranked` = `importances(model, X, y)` when already computed; `currency` is the
    store's, for spend thresholds ("lifetime spend of ¥1,200+").
    """
    ranked = importances(model, X, y) if ranked is None else ranked
    X, y = _aligned(X, y)
    out = []
    for name, importance in list(ranked.items())[: top * 2]:
        if importance <= 0 or len(out) == top:
            break
        described = _describe(name, X[name], y, currency)
        # A feature that matters only in interaction reads badly as "1.0x as likely": skip it.
        if described is not None and described["ratio"] >= MIN_DRIVER_RATIO:
            out.append({"feature": name, "importance": round(float(importance), 4), **described})
    return out


def _describe(
    name: str, values: pd.Series, y: pd.Series, currency: str = "¥"
) -> dict[str, Any] | None:
    known = values.notna()
    if known.sum() < 10 or values[known].nunique() < 2:
        return None
    high_risk = values[known].corr(y[known], method="spearman") > 0
    threshold = float(values[known].median())
    if high_risk:
        group = (
            known & (values >= threshold)
            if threshold > values[known].min()
            else known & (values > threshold)
        )
    else:
        group = (
            known & (values <= threshold)
            if threshold < values[known].max()
            else known & (values < threshold)
        )
    rest = ~group
    if group.sum() == 0 or rest.sum() == 0:
        return None
    group_rate, rest_rate = float(y[group].mean()), float(y[rest].mean())
    if rest_rate == 0:
        return None
    ratio = group_rate / rest_rate
    shown = float(values[group].min() if high_risk else values[group].max())
    en, zh = (_phrase(name, high_risk, shown, language, currency) for language in ("en", "zh"))
    return {
        "direction": "higher" if high_risk else "lower",
        "threshold": round(shown, 2),
        "group_churn_rate": round(group_rate, 4),
        "rest_churn_rate": round(rest_rate, 4),
        "ratio": round(ratio, 2),
        "text_en": _driver_text("en", en, ratio, group_rate, rest_rate),
        "text_zh": _driver_text("zh", zh, ratio, group_rate, rest_rate),
    }


def _driver_text(language: str, phrase: str, ratio: float, group: float, rest: float) -> str:
    """'customers with 3+ orders are 2.1x as likely to churn (81% vs 38%)' in a language."""
    ratio_text = format_number(ratio, language, 1, fixed=True)
    group_text, rest_text = (format_percent(r, language, 0) for r in (group, rest))
    if language == "zh" and phrase[-1].isdigit():
        phrase += " "  # Chinese sets a figure apart from the characters after it ("¥1,200 的")
    return tr(
        language,
        "customers with {phrase} are {ratio}x as likely to churn ({group} vs {rest})",
        phrase=phrase,
        ratio=ratio_text,
        group=group_text,
        rest=rest_text,
    )


def _phrase(name: str, high: bool, threshold: float, language: str, currency: str) -> str:
    """The feature's side of the median in words, its threshold formatted by kind:
    a share in %, a ratio or rating with one decimal, spend in the store's currency,
    else a whole count of days, orders or messages."""
    if not high and threshold == 0 and name in _ZERO:
        return tr(language, _ZERO[name])
    phrase = _PHRASES[name][0 if high else 1]
    if name == "problem_order_share":
        t = format_percent(threshold, language, 0)
    elif name in ("overdue_ratio", "review_rating_avg"):
        t = format_number(threshold, language, 1, fixed=True)
    elif name in _MONEY_FEATURES:
        # Whole currency units read better in a sentence than cents (¥1,200, not ¥1,200.00).
        t = currency_symbol(currency) + format_count(threshold, language)
    else:
        t = format_count(threshold, language)
    return tr(language, phrase, t=t)


# Features in the store's currency.
_MONEY_FEATURES = frozenset({"monetary", "aov"})
