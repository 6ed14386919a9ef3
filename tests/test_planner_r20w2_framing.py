"""Round 20 wave 2, framing: words of the question are never set aside as framing when they
change the figure. A clause saying how the figure is given (a ratio, a share, a unit, a sort)
is no context; a speaker's preamble ("the app team asked:", 门店那边问：) is who asks, never a
filter; a bare topic before an ask that refers back to it ("the X - is it selling?") is what
the ask is about, asked back by name when unknown; "active customers" with no window is asked
back, never all-time buyers. Every wording is our own; near-misses keep their reading."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


def _asked_back(planner: OfflinePlanner, question: str) -> str:
    return str(asked_back(planner, question))


# 1. A clause saying how the figure is given is never context.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("上个月短信活动发出去的里面多少人点了？给我占比", "占比"),
        ("双11的推送，送达以后有多少打开？给我百分比", "百分比"),
    ],
)
def test_instruction_clause_is_not_context(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    message = planner._plan(question, [])
    # asked back, or the rates: never the counts answered with the instruction set aside
    assert "背景" not in str(message.content) and word
    if message.tool_calls:
        metrics = message.tool_calls[0]["args"]["metrics"]
        assert all(m.endswith("rate") or m == "ctr" for m in metrics)


@pytest.mark.parametrize(
    "question",
    [
        "给老板汇报用的，上个月销售额多少？",
        "need it to share with the board - what was revenue last month?",
    ],
)
def test_real_context_still_set_aside(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == ["revenue"]


# 2. A speaker's preamble is who asks, never a filter.
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("门店同事问：上海客户去年在小程序下了多少单？", {"channel": ["mini_program"], "city": ["上海"]}),
        ("门店那边想知道，北京今年有多少单？", {"city": ["北京"]}),
        ("the app team asked: how many orders came from Shenzhen last month?", {"city": ["深圳"]}),
        ("the store folks want to know - how many orders came from Chengdu last month?", {"city": ["成都"]}),
    ],
)
def test_speaker_preamble_is_no_filter(
    planner: OfflinePlanner, question: str, filters: dict[str, list[str]]
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"]
    assert args.get("filters") == filters


@pytest.mark.parametrize(
    "question", ["门店渠道今年北京有多少单？", "how many store orders came from Shenzhen last month?"]
)
def test_channel_said_as_data_stays_a_filter(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["filters"]["channel"] == ["store"]


# 3. A bare topic before an ask that refers to it is kept: unknown, it is asked back by name.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("the standing desk - how's it doing? revenue this year please", "standing desk"),
        ("our new serum: how are its sales this year?", "serum"),
        ("那款空气炸锅，卖得怎么样？今年的销量", "空气炸锅"),
    ],
)
def test_topic_before_ask_is_asked_back(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word in _asked_back(planner, question)


@pytest.mark.parametrize(
    "question",
    [
        "hi there - how many units did we sell last month?",
        "the boss is asking - what were units sold last month?",
    ],
)
def test_pleasantry_before_ask_still_set_aside(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args.get("filters") in (None, {})


# 4. "active customers" with no stated window is asked back naming it.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("heads up from finance: how many active buyers do we have at the moment?", "active buyers"),
        ("how many active shoppers are there?", "active shoppers"),
        ("现在一共有多少活跃顾客？", "活跃顾客"),
    ],
)
def test_active_customers_asked_back(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word in _asked_back(planner, question)


def test_active_with_stated_window_is_buyers(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "active customers in the last 90 days")
    assert name == "query_metrics"
    assert args["metrics"] == ["buyers"]


def test_active_users_still_refused(planner: OfflinePlanner) -> None:
    assert "active users" in _asked_back(planner, "how many daily active users yesterday")
