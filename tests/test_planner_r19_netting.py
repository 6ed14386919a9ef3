"""Round 19 (found in wave 2): revenue asked "not netted" ("do not net it", "un-netted")
contradicts the store's revenue (net of returns); it had been answered as net revenue.
It is asked back naming both; gross sales and returns asked as two lines still answer."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


@pytest.mark.parametrize(
    "question",
    [
        "revenue in 2025, do not net it",
        "net sales last month, don't net off the refunds",
        "revenue Q3, un-netted",
        "what was revenue in September? dont net anything",
    ],
)
def test_revenue_told_not_to_be_netted_is_asked_back(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert "Revenue" in message.content


def test_gross_sales_and_returns_unnetted_still_answer(planner: OfflinePlanner) -> None:
    message = planner._plan("gross sales and returns in 2025 as two lines, don't net them", [])
    calls = message.tool_calls
    assert calls and calls[0]["name"] == "query_metrics", calls
    assert calls[0]["args"]["metrics"] == ["gross_sales", "returns"], calls
