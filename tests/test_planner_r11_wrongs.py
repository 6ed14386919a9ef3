"""Round 11, confident wrong answers of round 10 (engineer "wrongs"). Every wording here is
our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. Two values of one dimension joined by and / vs / 和 / 与 / 、 / 对比, the second written
#    bare ("variant A and B", "B组对比A组"), name both: a breakdown by that dimension, never
#    the first value alone.
@pytest.mark.parametrize(
    "question",
    [
        "open rate of version A and B last month, just the rates",
        "clicks for variants B & A in September",
        "variant A vs B click-through rate this year",
        "上个月A组和B组的打开率分别是多少",
        "今年B版与A的点击率，不用做检验",
        "B组对比A组的转化率，只要数字",
    ],
)
def test_two_values_joined_name_both(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert "variant" in args.get("dimensions", []) or sorted(
        args.get("filters", {}).get("variant", [])
    ) == ["A", "B"], args
    assert args.get("filters", {}).get("variant") != ["A"]
    assert args.get("filters", {}).get("variant") != ["B"]
    assert "compare_to" not in args


def test_one_value_named_stays_a_filter(planner: OfflinePlanner) -> None:
    args = _args(planner, "open rate of version A last month, and the clicks")
    assert args["filters"] == {"variant": ["A"]}


# 6. Two adjacent whole periods compared, broken down by that same unit ("one figure per
#    year"): the breakdown over the span of both, one figure per period, not the first
#    period's breakdown with the second as a change.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("orders 2025 vs 2024, one number per year", "2024-01-01 to 2025-12-31"),
        ("2024年和2025年的订单数，按年各一个数", "2024-01-01 to 2025-12-31"),
        ("buyers August vs September 2026, monthly figures", "2026-08-01 to 2026-09-30"),
    ],
)
def test_two_units_compared_by_that_unit_are_one_breakdown(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    args = _args(planner, question)
    assert args["time_range"] == period and "compare_to" not in args
    assert len(args["dimensions"]) == 1


def test_a_comparison_without_that_unit_stays_a_comparison(planner: OfflinePlanner) -> None:
    assert _args(planner, "orders 2025 vs 2024")["time_range"] == "2025 vs 2024"
    assert _args(planner, "orders by month, 2025 vs 2024")["time_range"] == "2025 vs 2024"


# 5. "The most recent A/B test" is one test, the latest in the store (the tool picks it by
#    its dates and the answer names it), never every test.
@pytest.mark.parametrize(
    "question",
    [
        "did B win in our newest A/B test?",
        "how did the last split test turn out",
        "最新的AB测试结果如何",
        "上一次A/B测试谁赢了",
    ],
)
def test_the_most_recent_test_is_one_test(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    call = message.tool_calls[0]
    assert call["name"] == "ab_test" and call["args"].get("latest") is True, call
    assert "campaign" not in call["args"]


def test_every_test_stays_every_test(planner: OfflinePlanner) -> None:
    message = planner._plan("show the results of all our A/B tests", [])
    assert message.tool_calls and "latest" not in message.tool_calls[0]["args"]


# 4. A rule segment counted over a period ("customers with 2+ orders in March") states the
#    window and the order-count bound it used ("两次以上" read as 2 or more, two included).
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_rule_segment_answer_states_its_window_and_bound(language: str) -> None:
    from copilot.offline.intents.audience import write_rule_segment
    from tools.base import ToolOutput

    data = {
        "segment": "2+ orders",
        "size": 120,
        "customers": 1000,
        "share": 0.12,
        "saved": False,
        "conditions": {"orders": {"min": 2.0, "period": "March"}},
        "periods": {"orders": "2026-03-01..2026-03-31 (March 2026)"},
        "overlaps": [],
    }
    text = write_rule_segment(ToolOutput(for_model="", data=data), language, None)
    assert "2026-03-01 – 2026-03-31" in text
    assert ("2 or more" in text) if language == "en" else ("2 单及以上" in text)
    assert "2.0 or more" not in text and "2.0 单" not in text
