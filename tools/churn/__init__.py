"""Churn and repurchase prediction: features, model, stored scores and the `predict_churn` tool."""

from tools.churn.features import customer_features, features_at, labels_at, load_history
from tools.churn.predict import predict_churn
from tools.churn.store import CHURN_SCORES, churn_risk_customers

__all__ = [
    "CHURN_SCORES",
    "churn_risk_customers",
    "customer_features",
    "features_at",
    "labels_at",
    "load_history",
    "predict_churn",
]
