"""Round 13, RFM: a metric broken down or filtered by RFM segment is called with no RFM run
saved (the tool runs the segmentation first and says so); "run RFM and each tier's share of
sales" is the RFM table itself; RFM segment names that are everyday words ("most
promising", "need attention") are no filter when used in passing. This file's own wordings."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


@pytest.fixture(scope="module")
def planner_without_rfm(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    """A planner over a store of its own with no RFM run saved (the session store may hold
    one another test saved)."""
    from tests.conftest import own_store_planner

    return own_store_planner(tmp_path_factory.mktemp("r13-no-rfm"))


def _calls(planner: OfflinePlanner, question: str) -> list[tuple[str, dict[str, Any]]]:
    message = planner._plan(question, [])
    return [(c["name"], c["args"]) for c in message.tool_calls]


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("net sales split by RFM segment for 2024", "revenue"),
        ("AOV per RFM segment this year", "aov"),
        ("按RFM分群看一下今年的订单数", "orders"),
        ("各RFM客群去年的销售额", "revenue"),
    ],
)
def test_a_breakdown_by_rfm_segment_is_called_without_a_saved_run(
    planner_without_rfm: OfflinePlanner, question: str, metric: str
) -> None:
    [(name, args)] = _calls(planner_without_rfm, question)
    assert name == "query_metrics"
    assert args["metrics"] == [metric] and args["dimensions"] == ["rfm_segment"]


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("what did our Champions spend in September", "Champions"),
        ("orders placed by Hibernating customers this year", "Hibernating"),
        ("冠军客户这个季度的订单量", "Champions"),
        ("沉睡客户九月份的销售额是多少", "Hibernating"),
        ("revenue of customers who need attention in 2025", "Need Attention"),
        ("sales from promising shoppers last quarter", "Promising"),
    ],
)
def test_a_metric_of_a_named_rfm_segment_filters_by_it_without_a_saved_run(
    planner_without_rfm: OfflinePlanner, question: str, segment: str
) -> None:
    [(name, args)] = _calls(planner_without_rfm, question)
    assert name == "query_metrics"
    assert args["filters"] == {"rfm_segment": [segment]}


@pytest.mark.parametrize(
    "question",
    [
        "which sales channel looks most promising for revenue this year",
        "which campaigns need attention this month, by open rate",
    ],
)
def test_an_everyday_word_spelt_like_a_segment_is_no_segment_filter(
    planner_without_rfm: OfflinePlanner, question: str
) -> None:
    # "most promising" / "need attention" said of channels or campaigns: filtering by the
    # RFM segment would answer a different question.
    for _, args in _calls(planner_without_rfm, question):
        assert "rfm_segment" not in (args.get("filters") or {})


@pytest.mark.parametrize(
    "question",
    [
        "compute the RFM segments and what portion of sales each one accounts for",
        "do RFM for me and give each group's contribution to revenue",
        "帮我算一下RFM，各层销售额占比多少",
        "做一次RFM分层，看看每一层的销售额贡献",
    ],
)
def test_running_rfm_with_each_segments_share_of_sales_is_the_rfm_table(
    planner_without_rfm: OfflinePlanner, question: str
) -> None:
    assert [name for name, _ in _calls(planner_without_rfm, question)] == ["rfm_segments"]


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        # No run asked for: the share by segment is a metric breakdown with shares.
        ("revenue share per RFM segment", "query_metrics"),
        ("各RFM分群的销售额占比", "query_metrics"),
    ],
)
def test_a_share_by_rfm_segment_without_a_run_word_stays_a_breakdown(
    planner_without_rfm: OfflinePlanner, question: str, tool: str
) -> None:
    [(name, args)] = _calls(planner_without_rfm, question)
    assert name == tool and args["dimensions"] == ["rfm_segment"] and args.get("shares")


def test_running_rfm_with_a_period_is_not_the_rfm_table(
    planner_without_rfm: OfflinePlanner,
) -> None:
    # An RFM run has no period to honour: never the run's table for "last month".
    calls = _calls(planner_without_rfm, "run RFM and show each segment's revenue share last month")
    assert "rfm_segments" not in [name for name, _ in calls]
