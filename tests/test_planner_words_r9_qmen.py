"""Round 9 (wave 2), kinds found with held-out set 9's English metric questions. Every
wording here is our own; none is the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


def _args(planner: OfflinePlanner, question: str) -> dict[str, Any]:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    assert message.tool_calls[0]["name"] == "query_metrics", message.tool_calls
    return message.tool_calls[0]["args"]


# 1. "Before returns" set off by brackets, commas or dashes still defines the gross figure:
#    it was read as a second metric, returns, beside it (a different question).
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("sales (before returns) by month", ["month"]),
        ("gross sales, before refunds, by city", ["city"]),
        ("各省的销售额（退款前）", ["province"]),
        ("销售额（扣退货前）按季度", ["quarter"]),
    ],
)
def test_a_bracketed_before_returns_is_the_gross_figure(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["gross_sales"]
    assert args.get("dimensions", []) == dimensions


def test_returns_named_beside_gross_sales_are_still_asked_for(planner: OfflinePlanner) -> None:
    assert _args(planner, "gross sales and refunds by quarter")["metrics"] == ["gross_sales", "returns"]
