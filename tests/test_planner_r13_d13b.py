"""Round 13 (d13b): a denominator set aside, every marketing channel listed, city shorthand,
consent to several channels, and words the planner left over. Every wording is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


def _call(planner: OfflinePlanner, question: str) -> dict:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    return message.tool_calls[0]


# 1. "per buyer, not per order": the order count set aside is never a metric beside the ratio.
@pytest.mark.parametrize(
    "question",
    [
        "上个月每位客户平均花多少，按人头算，不按订单",
        "本月人均消费是多少，按客户算而不是按订单",
        "revenue per buyer last month, per buyer not per order",
    ],
)
def test_per_order_set_aside_is_no_metric(planner: OfflinePlanner, question: str) -> None:
    metrics = query_args(planner, question)["metrics"]
    assert metrics[0] == "revenue_per_buyer"
    assert "orders" not in metrics


def test_per_buyer_set_aside_beside_the_aov(planner: OfflinePlanner) -> None:
    assert query_args(planner, "本月客单价是多少？按订单算，不是按买家")["metrics"] == [
        "aov",
        "orders",
    ]


def test_orders_asked_beside_the_ratio_stay(planner: OfflinePlanner) -> None:
    assert "orders" in query_args(planner, "上个月订单数和人均消费")["metrics"]


# 2. Every marketing channel listed for a send metric: the breakdown, no filter.
@pytest.mark.parametrize(
    "question",
    [
        "compare open rate across email, sms, push and social this year",
        "今年各渠道（短信、邮件、社交广告、推送）的点击率",
    ],
)
def test_every_marketing_channel_listed_is_no_filter(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["channel"]
    assert "filters" not in args


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("邮件和短信的点击率对比", {"email", "sms"}),
        ("ctr of email vs push vs sms", {"email", "push", "sms"}),
    ],
)
def test_some_marketing_channels_stay_a_filter(
    planner: OfflinePlanner, question: str, kept: set[str]
) -> None:
    assert set(query_args(planner, question)["filters"]["channel"]) == kept


# 3. Chinese city shorthand names each city.
def test_city_shorthand_excluded(planner: OfflinePlanner) -> None:
    args = query_args(planner, "除了北上广，哪个城市客单价最高")
    assert set(args["exclude"]["city"]) == {"北京", "上海", "广州"}


def test_city_shorthand_filtered(planner: OfflinePlanner) -> None:
    args = query_args(planner, "北上广深今年的订单数分别多少")
    assert set(args["filters"]["city"]) == {"北京", "上海", "广州", "深圳"}


# 4. Words left over that the planner now places.
@pytest.mark.parametrize(
    ("question", "metrics", "filters"),
    [
        ("去年双11期间护肤品卖了几盒，数量就好", ["units"], {"category": ["skincare"]}),
        ("今年每个季度拉了多少新客户", ["new_customers"], {}),
        ("九月 app 端下单的 buyer 数", ["buyers"], {"channel": ["app"]}),
        ("the buyer count on web in September", ["buyers"], {"channel": ["web"]}),
        (
            "在门店注册的客户，今年带来多少销售额，不管在哪下单",
            ["revenue"],
            {"signup_channel": ["store"]},
        ),
    ],
)
def test_leftover_words_placed(
    planner: OfflinePlanner, question: str, metrics: list[str], filters: dict
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args.get("filters", {}) == filters


def test_ab_without_slash_names_the_test_campaign(planner: OfflinePlanner) -> None:
    args = query_args(planner, "what was the ROI of the Spring Festival AB email campaign")
    assert args["metrics"] == ["roi"]
    assert [c for c in args["filters"]["campaign"] if "A/B" in c]


# 5. Consent to several channels: each one's consent, all of them; alternatives ask back.
@pytest.mark.parametrize(
    ("question", "channels"),
    [
        ("所有营销渠道都同意的会员人数", {"email", "sms", "push", "social"}),
        ("how many customers opted in on every channel", {"email", "sms", "push", "social"}),
        ("短信和推送都授权的客户数", {"sms", "push"}),
        ("how many customers consented to both email and social", {"email", "social"}),
    ],
)
def test_consent_to_several_channels(
    planner: OfflinePlanner, question: str, channels: set[str]
) -> None:
    call = _call(planner, question)
    assert call["name"] == "run_sql"
    sql = call["args"]["sql"]
    assert {c for c in ("email", "sms", "push", "social") if f"consent_{c}" in sql} == channels
    assert " OR " not in sql


def test_consent_to_either_channel_is_not_answered_as_both(planner: OfflinePlanner) -> None:
    message = planner._plan("how many customers consented to push or sms", [])
    assert not message.tool_calls or "AND" not in message.tool_calls[0]["args"].get("sql", "")


def test_never_placed_a_valid_order(planner: OfflinePlanner) -> None:
    call = _call(planner, "how many registered customers never placed a completed order")
    assert call["name"] == "run_sql"
    assert "NOT EXISTS" in call["args"]["sql"]
