"""Round 15, store values and campaigns as the question names them: a value set aside beside
another of its dimension read as a filter or a breakdown; a festival's send of a relative
year pointed at ("今年618那个推送") read as the channel over the festival; values listed beside
a breakdown of another dimension made a second breakdown; a breakdown the store has no field
for dropped when a function word split its words; an unknown campaign named without its kind
noun; the whole store set aside with no part named answered for the whole store. Every
wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner


def _plan(planner: OfflinePlanner, question: str):
    return planner._plan(question, [])


def _call(planner: OfflinePlanner, question: str) -> dict:
    message = _plan(planner, question)
    assert message.tool_calls, f"asked back instead: {message.content}"
    assert message.tool_calls[0]["name"] == "query_metrics", message.tool_calls
    return message.tool_calls[0]["args"]


def _asked_back(planner: OfflinePlanner, question: str) -> str:
    message = _plan(planner, question)
    assert not message.tool_calls, message.tool_calls
    return message.content


# 1. A value set aside beside another of its dimension is neither a filter nor a breakdown.
@pytest.mark.parametrize(
    ("question", "dimension", "kept"),
    [
        ("revenue from the app, not web, last month", "channel", ["app"]),
        ("orders last month in Shanghai rather than Beijing", "city", ["上海"]),
        ("上个月app的销售额，不要小程序的", "channel", ["app"]),
        ("上季度北京的订单数，而不是上海", "city", ["北京"]),
    ],
)
def test_value_set_aside_beside_another_is_no_filter(
    planner: OfflinePlanner, question: str, dimension: str, kept: list[str]
) -> None:
    args = _call(planner, question)
    assert args["filters"][dimension] == kept
    assert dimension not in (args.get("dimensions") or [])


@pytest.mark.parametrize(
    "question",
    [
        "open rate of the 618 2026 email campaign - the email one, not the push",
        "2026年618邮件那次的打开率，不要推送的",
    ],
)
def test_channel_set_aside_beside_a_campaign_keeps_the_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    args = _call(planner, question)
    assert args["filters"] == {"campaign": ["618 2026 - Email"]}
    assert not args.get("dimensions")


def test_value_set_aside_alone_stays_an_exclusion(planner: OfflinePlanner) -> None:
    args = _call(planner, "orders last quarter excluding the app")
    assert args.get("exclude") == {"channel": ["app"]}
    assert "channel" not in (args.get("filters") or {})


# 2. A festival's send of a relative year, pointed at, is that campaign in its own window.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("去年双11那次短信的转化率", "Double 11 2025 - SMS"),
        ("今年618这个邮件的打开率", "618 2026 - Email"),
        ("last year's Double 11 SMS open rate", "Double 11 2025 - SMS"),
        ("clicks on this year's 618 push", "618 2026 - Push"),
    ],
)
def test_festival_send_of_a_relative_year_is_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _call(planner, question)
    assert args["filters"] == {"campaign": [campaign]}


# 3. Values listed beside a breakdown of another dimension narrow it; no second breakdown.
@pytest.mark.parametrize(
    ("question", "dimension", "breakdown"),
    [
        ("宁波和南京今年的订单数，按渠道看", "city", "channel"),
        ("orders in Shanghai and Beijing last quarter by month", "city", "month"),
        ("email and sms clicks this year by month", "channel", "month"),
    ],
)
def test_values_beside_another_breakdown_are_a_filter(
    planner: OfflinePlanner, question: str, dimension: str, breakdown: str
) -> None:
    args = _call(planner, question)
    assert args["dimensions"] == [breakdown]
    assert len(args["filters"][dimension]) == 2


def test_values_compared_beside_another_breakdown_stay_rows(planner: OfflinePlanner) -> None:
    args = _call(planner, "Shanghai vs Beijing revenue this year by month")
    assert set(args["dimensions"]) == {"month", "city"}


# 4. A breakdown the store has no field for is asked back naming it, never dropped.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("按会员积分段看今年的销售额", "积分"),
        ("上个月客单价按积分等级拆一下", "积分"),
        ("AOV this year by reward points tier", "points"),
    ],
)
def test_breakdown_with_no_store_field_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in _asked_back(planner, question)


@pytest.mark.parametrize(
    "question", ["how did the spring promo do?", "conversion rate of the flash promo"]
)
def test_unknown_campaign_is_named_with_its_kind_noun(
    planner: OfflinePlanner, question: str
) -> None:
    assert "promo" in _asked_back(planner, question)


# 5. The whole store set aside with no part named is asked back, never answered whole.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("orders last quarter - not the whole store though", "whole store"),
        ("上个月的客单价，不是全店的", "全店"),
    ],
)
def test_whole_set_aside_with_no_part_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in _asked_back(planner, question)


def test_whole_set_aside_beside_a_value_answers_the_value(planner: OfflinePlanner) -> None:
    args = _call(planner, "AOV in Hangzhou last month, not the whole store")
    assert args["filters"] == {"city": ["杭州"]}
