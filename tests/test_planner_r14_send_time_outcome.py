"""Round 14, a send-time question whose "people who opened / clicked" is the count it
maximises ("几点发点击的用户最多"), not a group to limit the answer to: the send time over
all customers. A group described before another verb is still asked about. Our own wordings."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("过去的数据里，短信星期几几点发出去，打开的用户数最高", "sms"),
        ("推送一般哪天什么时候发，点击的人比较多", "push"),
    ],
)
def test_openers_counted_most_are_the_outcome_not_a_group(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "best_send_time" and args.get("channel") == channel
    assert "segment" not in args


def test_a_group_described_by_its_purchases_is_still_asked_about(planner: OfflinePlanner) -> None:
    assert "周末买东西" in asked_back(planner, "周末买东西的会员适合几点发邮件")
