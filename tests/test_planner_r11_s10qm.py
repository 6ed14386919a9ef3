"""Round 11, set 10's metric questions asked back over one unplaced word or phrase (own
wordings throughout; none is a set's sentence)."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. Everyday names of a metric: "brand new shoppers" are the new customers, "distinct
#    people who purchased" the buyers, the money "refunded back" / "sent back" the returns,
#    "what each newly acquired customer cost" and "每拉来一个新客户花多少" the CAC,
#    广告花费回报 the ROAS.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many brand new shoppers did we get last month", ["new_customers"]),
        ("count of distinct people who purchased in August, by city", ["buyers"]),
        ("how much was paid back to customers in July", ["returns"]),
        ("what did every newly acquired buyer cost us in 2026", ["cac"]),
        ("今年每拉来一位新顾客得花多少钱", ["cac"]),
        ("上个月各活动的广告花费回报", ["roas"]),
        ("what did we net after returns in August", ["revenue"]),
        (
            "revenue net after returns in August, and how much of it was sent back",
            ["revenue", "returns"],
        ),
    ],
)
def test_everyday_metric_names_r11(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 2. A word that only restates the metric named beside it: "payback" beside ROAS, "how often
#    ... come back" beside orders per buyer; alone, "payback" is still asked about.
def test_payback_beside_roas_restates_it(planner: OfflinePlanner) -> None:
    assert _args(planner, "ROAS and payback per campaign")["metrics"] == ["roas"]
    assert _args(planner, "orders per buyer this year: how often do they come back?")[
        "metrics"
    ] == ["purchase_frequency"]


def test_payback_alone_is_asked_back(planner: OfflinePlanner) -> None:
    reply = planner._plan("payback per campaign in 2025", [])
    assert not reply.tool_calls and "payback" in str(reply.content)


# 3. The delivered messages' share that got a click is the CTR (clicks / delivered), that got
#    opened the open rate: never the share of the whole store's delivered.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("what percentage of delivered emails got clicked in October", "ctr"),
        ("of the sms that got delivered last month, what share were opened", "open_rate"),
        ("上个月送达的邮件中有多少比例被点击", "ctr"),
    ],
)
def test_share_of_delivered_that_acted_is_the_rate(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# 4. A channel said beside a campaign that runs on it is the campaign's own messages; the
#    plural send noun after a campaign's period names that campaign ("the 618 2025 emails").
def test_channel_of_the_named_campaign_is_no_second_filter(planner: OfflinePlanner) -> None:
    args = _args(planner, "“Spring Festival 2025 - SMS”活动的短信点击率")
    assert args["filters"] == {"campaign": ["Spring Festival 2025 - SMS"]}
    args = _args(planner, "open rate of the 618 2025 emails")
    assert args["filters"] == {"campaign": ["618 2025 - Email"]}


# 5. Leaving a value out in words ("leaving Beijing out of it", "北京除外"): the value is
#    excluded, never read as the filter.
@pytest.mark.parametrize(
    "question",
    [
        "orders last month leaving Beijing out of it",
        "orders last month, leave out Beijing",
        "上个月的订单数，北京除外",
    ],
)
def test_leaving_a_value_out_excludes_it(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert args["exclude"] == {"city": ["北京"]} and "city" not in (args.get("filters") or {})


# 6. Framing that names no slot: the meeting the figure is for ("for Friday's stand-up",
#    "周五例会前"), 通过 (via), "两场活动" after the campaigns named, 逐个 after the noun.
@pytest.mark.parametrize(
    ("question", "key", "value"),
    [
        ("AOV in September for Friday's stand-up", "metrics", ["aov"]),
        ("周五例会前要用：9月的客单价", "metrics", ["aov"]),
        ("2026年通过营销活动带来的新客数", "metrics", ["acquired_customers"]),
        # (a rate of two campaigns named: one row each, round 16's rule for a list of values
        # asked of rates; a count or a sum over them would be one total)
        (
            "Double 11 2024 - SMS 和 Double 11 2025 - SMS 两场活动的点击率",
            "dimensions",
            ["campaign"],
        ),
        ("所有活动逐个看转化率", "dimensions", ["campaign"]),
    ],
)
def test_framing_words_place_nothing(
    planner: OfflinePlanner, question: str, key: str, value: list[str]
) -> None:
    assert _args(planner, question)[key] == value


def test_a_weekday_of_the_figure_is_still_asked_about(planner: OfflinePlanner) -> None:
    reply = planner._plan("revenue of Friday's orders", [])
    assert not reply.tool_calls


# 7. A request to compare that names nothing to compare is asked back naming its word.
@pytest.mark.parametrize(
    ("question", "word"), [("could you compare them", "compare"), ("对比一下吧", "对比")]
)
def test_a_bare_compare_request_is_asked_back_by_its_word(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    reply = planner._plan(question, [])
    assert not reply.tool_calls and word in str(reply.content)


def test_a_qualifier_never_breaks_the_phrase_it_is_part_of(planner: OfflinePlanner) -> None:
    args = _args(planner, "how often does a typical shopper order, by city, last year")
    assert args["metrics"] == ["purchase_frequency"]
