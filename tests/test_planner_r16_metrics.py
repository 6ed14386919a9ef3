"""Round 16, which metric and which ranking: the worst and the best of a metric where less is
better, net said as a verb or beside gross, a count word beside a count metric, product
rankings, orders holding a product, and relative periods written short. Every wording here
is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. "Worst" / "best" follow the metric's good end: of a metric where less is better (return
#    rate, churn, CAC, unsubscribes) the worst is the highest, the best the lowest; never
#    asked back. Of a metric where more is better the worst stays the lowest.
@pytest.mark.parametrize(
    ("question", "metric", "sort"),
    [
        ("which province was worst on return rate in 2025", "return_rate", "desc"),
        ("the 2 worst channels for churn rate last month, pls", "churn_rate", "desc"),
        ("worst 3 campaigns on unsubscribe rate this year??", "unsubscribe_rate", "desc"),
        ("今年退货率最糟糕的两个城市", "return_rate", "desc"),
        ("去年CAC最差的三个活动", "cac", "desc"),
        ("which channel had the best churn rate in Q3", "churn_rate", "asc"),
        ("the three best campaigns by CAC in 2025", "cac", "asc"),
        ("今年退订率最好的渠道是哪个", "unsubscribe_rate", "asc"),
        ("退货率最低的3个品类 去年", "return_rate", "asc"),
        ("the 3 worst cities by AOV last quarter", "aov", "asc"),
    ],
)
def test_worst_and_best_follow_the_metrics_good_end(
    planner: OfflinePlanner, question: str, metric: str, sort: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert args.get("sort", "desc") == sort, args


@pytest.mark.parametrize(
    "question", ["return rate of our 5 best-selling products this year", "best sellers by units in 2025"]
)
def test_best_selling_is_no_direction_of_the_metric(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("sort") != "asc", args
