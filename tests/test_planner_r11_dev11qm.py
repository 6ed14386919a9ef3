"""Round 11, kinds of development set 11d's metric questions (engineer dev11qm). Every
wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A period's send on one channel pointed at as one occurrence ("双11短信那一场", "618推送
#    那次", "the 618 push that time") is that campaign, never the channel over the period.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("2025年618推送那次的ROI是多少", "618 2025 - Push"),
        ("双11 2025短信那一场花了多少钱", "Double 11 2025 - SMS"),
        ("2026年春节短信这次的打开率", "Spring Festival 2026 - SMS"),
        ("how many orders did the 618 2025 push bring that time", "618 2025 - Push"),
    ],
)  # fmt: skip
def test_a_send_pointed_at_once_is_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    assert "time_range" not in args


def test_a_channel_over_a_period_stays_the_channel(planner: OfflinePlanner) -> None:
    args = _args(planner, "去年618期间推送的打开率")
    assert args["filters"] == {"channel": ["push"]}
