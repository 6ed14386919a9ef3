"""Round 10 wave 2, tool words missed by set 10 (declined tests, cross-sell verbs, send-time
slots). Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


def _call(planner: OfflinePlanner, question: str) -> tuple[str, dict]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


# 1. A test declined by a bare "no" ("no test", "(no significance)", "no testing") or in
#    Chinese ("不用检验", "不做测试"), in brackets or after a comma, leaves the variant's
#    metric: never the test's analysis.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("open rate of version A in the Double 11 2025 push A/B (rates only, no test)", "open_rate"),
        ("Spring Festival 2026 email A/B: variant B conversion rate, no test", "conversion_rate"),
        ("Spring Festival 2026 - Email A/B variant B conversion rate (no significance)", "conversion_rate"),
        ("Double 11 2025 - Push A/B 中B版本的转化率，不用检验", "conversion_rate"),
        ("Double 11 2025 - Push A/B 中B版本的转化率（不做测试）", "conversion_rate"),
    ],
)  # fmt: skip
def test_a_bare_declined_test_leaves_the_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    tool, args = _call(planner, question)
    assert tool == "query_metrics"
    assert args["metrics"] == [metric]
    assert len(args["filters"]["variant"]) == 1


def test_per_variant_rates_with_no_testing_are_the_metric(planner: OfflinePlanner) -> None:
    tool, args = _call(
        planner, "Spring Festival 2026 email A/B per-variant click rate (no testing please)"
    )
    assert tool == "query_metrics"
    assert args["dimensions"] == ["variant"]


@pytest.mark.parametrize(
    "question",
    [
        "is variant B significantly better in the Spring Festival 2026 email A/B test?",
        "Spring Festival 2026 email A/B: is there no significant difference between variants?",
    ],
)
def test_a_verdict_asked_stays_the_test(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "ab_test"


# 2. "also pick up / also grab / also add ... what?" asks what else goes in the basket:
#    the cross-sell rules of the item or category, never a rule segment of its buyers.
@pytest.mark.parametrize(
    "question",
    [
        "people who buy makeup also grab what?",
        "shoppers who purchase skincare also pick up... anything?",
        "what do customers who buy electronics also add?",
    ],
)
def test_also_pick_up_what_is_cross_sell(planner: OfflinePlanner, question: str) -> None:
    tool, args = _call(planner, question)
    assert tool == "cross_sell_rules"
    assert args.get("item") or args.get("category")


def test_bought_and_also_picked_up_is_no_cross_sell(planner: OfflinePlanner) -> None:
    message = planner._plan("customers who bought skincare and also picked up makeup", [])
    assert [c["name"] for c in message.tool_calls] != ["cross_sell_rules"]


# 3. "slot" / "time slot" / "window" / 时段 name the send time; a channel named by its verb
#    ("emailing", "texting", 发邮件) is its channel, never the best-channel question.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("best slot for texting Loyal customers?", "Loyal Customers", "sms"),
        ("which time slot works best when emailing At Risk customers", "At Risk", "email"),
        ("what's the ideal window for emailing Champions", "Champions", "email"),
        ("给沉睡客户发邮件，什么时段最合适", "Hibernating", "email"),
    ],
)
def test_a_slot_is_the_send_time(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    tool, args = _call(planner, question)
    assert tool == "best_send_time"
    assert args == {"segment": segment, "channel": channel}


def test_the_best_channel_stays_the_channel(planner: OfflinePlanner) -> None:
    assert _call(planner, "best channel for emailing Champions")[0] == "best_channel"
