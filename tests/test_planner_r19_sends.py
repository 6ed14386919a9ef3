"""Round 19 (found in wave 1, predates it): messages sent set beside the delivered ones
("sent vs delivered") answered the delivered count alone, "sent" read as talk about the
messages. Both counts are asked: send_count (every message sent, bounced or not) and
delivered. Our own wordings; near-misses keep "sent" as talk."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


@pytest.mark.parametrize(
    "question",
    [
        "sent vs delivered by campaign",
        "messages sent and delivered per campaign last year",
        "deliveries against sends for each campaign in 2025",
        "各活动的发送数和送达数",
        "每个活动送达量对比发送量",
    ],
)
def test_sent_beside_delivered_asks_both_counts(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics", (name, args)
    assert set(args["metrics"]) == {"send_count", "delivered"}, args


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("delivered by campaign last month", ["delivered"]),
        ("open rate of the emails sent in June", ["open_rate"]),
    ],
)
def test_sent_as_talk_stays_talk(planner: OfflinePlanner, question: str, metrics: list) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == metrics, (name, args)
