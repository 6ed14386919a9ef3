"""Round 15, engineer "words": product names in the plural, how an item sells, customers gone
quiet, a metric's definition restated in the question, and a list written as key = value.
Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, query_args


# 1. A product named in the plural or in lower case is the product, through the store's values;
#    a near miss that is no plural stays asked back, naming the word.
@pytest.mark.parametrize(
    ("question", "product"),
    [
        ("units of Running Shoes sold in September", "Running Shoes"),
        ("revenue from yoga mats in Q3", "Yoga Mat"),
        ("Bluetooth Speakers units sold this year", "Bluetooth Speaker"),
        ("silk scarves revenue last quarter", "Silk Scarf"),
        ("蓝牙音箱们今年的销售额", "Bluetooth Speaker"),
    ],
)
def test_product_name_in_the_plural_filters_the_product(
    planner: OfflinePlanner, question: str, product: str
) -> None:
    assert query_args(planner, question)["filters"] == {"product": [product]}


@pytest.mark.parametrize(
    ("question", "word"),
    [("revenue of speakers this year", "speakers"), ("雨衣们的销售额", "雨衣")],
)
def test_product_near_miss_in_the_plural_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


# 2. How a product or category sells, with no figure named: its revenue and units.
@pytest.mark.parametrize(
    "question",
    [
        "how is the Bluetooth Speaker selling?",
        "how well did yoga mats sell in August",
        "how are skincare products doing this quarter",
        "蓝牙音箱卖得怎么样",
        "护肤品这个季度卖得如何",
    ],
)
def test_how_an_item_sells_is_its_revenue_and_units(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue", "units"]
    assert args["filters"].get("product") or args["filters"].get("category")


def test_how_the_business_does_is_still_asked_back(planner: OfflinePlanner) -> None:
    assert "Which numbers" in asked_back(planner, "how did we do in September")


# 3. Customers gone quiet over a period ordered before and none since (a rule segment, counted);
#    no order in N days is no order in that period.
@pytest.mark.parametrize(
    "question",
    ["shoppers who went dormant over the last 45 days", "最近45天沉寂了的客户"],
)
def test_customers_gone_quiet_are_last_order_before_the_period(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment" and args["save"] is False
    assert set(args["definition"]) == {"last_order_before"}


@pytest.mark.parametrize(
    "question", ["45天没下过单的人", "customers who haven't placed an order in the last 45 days"]
)
def test_no_order_in_n_days_is_no_order_in_that_period(
    planner: OfflinePlanner, question: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    assert args["definition"]["orders"]["max"] == 0


def test_spend_and_a_negated_order_keep_both_periods(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "今年消费超过3000、但近45天没下过单的用户")
    assert tool == "define_segment"
    assert args["definition"]["orders"] == {"max": 0, "period": "近45天"}
    assert args["definition"]["spend"]["min"] == 3000


# 4. A ratio's definition restated beside it is context when it is the store's, and asked back
#    naming both when it is not.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("AOV in September (net sales divided by orders)", "aov"),
        ("click rate of SMS campaigns, i.e. clicks / delivered", "ctr"),
        ("今年的客单价（销售额除以订单数）", "aov"),
    ],
)
def test_restated_definition_that_agrees_is_answered(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("AOV in September (revenue over buyers)", "Revenue / Buyers"),
        ("今年的客单价（销售额/购买人数）", "销售额 / 购买人数"),
    ],
)
def test_restated_definition_that_contradicts_is_asked_back(
    planner: OfflinePlanner, question: str, written: str
) -> None:
    assert written in asked_back(planner, question)


def test_confirming_adverb_frames_a_definition(planner: OfflinePlanner) -> None:
    assert query_args(planner, "net sales for August, refunds netted out naturally")["metrics"] == [
        "revenue"
    ]


# 5. A list written as key = value, comma-joined.
@pytest.mark.parametrize(
    ("question", "language", "consent"),
    [
        ("shoppers: language = Chinese, opted in to SMS", "zh", "sms"),
        ("用户：语言=英文，同意邮件", "en", "email"),
    ],
)
def test_key_value_conditions_define_the_list(
    planner: OfflinePlanner, question: str, language: str, consent: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    assert args["definition"]["languages"] == [language]
    assert args["definition"]["consents"] == [consent]


def test_key_value_list_given_a_name_is_saved(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "a list: opted in to push, language = English. call it en_push_fans"
    )
    assert tool == "define_segment" and "save" not in args
    assert args["name"] == "en_push_fans"
    assert args["definition"] == {"consents": ["push"], "languages": ["en"]}


def test_going_quiet_in_the_future_is_no_rule_segment(planner: OfflinePlanner) -> None:
    message = planner._plan("which shoppers will go dormant over the next 45 days", [])
    assert not message.tool_calls or message.tool_calls[0]["name"] != "define_segment"
