"""Round 16, wave 2 regressions of the whole suite: values compared by a comparative or set
side by side to look at, a product named by its whole name without the space between model
code and noun, and a store campaign whose own name calls it a test. Every wording here is
our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.intents.ab_tests import _named_as_a_test
from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args


# 1. A comparative asked of values listed ("is SMS or email better") asks which one: a row each.
@pytest.mark.parametrize(
    ("question", "dimension", "values"),
    [
        ("did sms or push get the better click-through rate", "channel", {"sms", "push"}),
        ("which did worse on conversion, email or sms", "channel", {"email", "sms"}),
        ("were orders better in Wuhan or Xi'an last quarter", "city", {"武汉", "西安"}),
    ],
)
def test_a_comparative_of_values_listed_is_a_row_each(
    planner: OfflinePlanner, question: str, dimension: str, values: set[str]
) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == [dimension]
    assert set(args["filters"][dimension]) == values


# 2. Values set side by side to look at (摆在一起, 放一起看, 并排) are a row each; put together
#    to be counted (放在一起算) they are one total.
@pytest.mark.parametrize(
    "question",
    [
        "今年武汉和西安的客单价摆一起看看",
        "上季度武汉、西安的订单数放一起看",
        "武汉和西安今年的销售额并排列出来",
    ],
)
def test_values_set_side_by_side_are_a_row_each(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["city"]
    assert sorted(args["filters"]["city"]) == ["武汉", "西安"]


@pytest.mark.parametrize(
    "question", ["今年武汉和西安的订单数放在一起算", "orders this year in Wuhan and Xi'an"]
)
def test_values_listed_without_a_word_apart_are_one_total(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert not args.get("dimensions")
    assert sorted(args["filters"]["city"]) == ["武汉", "西安"]


# 3. A product's whole name with no space between its model code and its noun.
@pytest.mark.parametrize(
    ("question", "product"),
    [
        ("这个月X12智能手机的销售额", "Smartphone X12"),
        ("x12手机壳今年退了多少单", "Phone Case X12"),
    ],
)
def test_a_name_without_its_space_is_the_product(
    planner: OfflinePlanner, question: str, product: str
) -> None:
    assert query_args(planner, question)["filters"]["product"] == [product]


# 4. A store campaign is a test when its own name calls it one, whatever the word.
@pytest.mark.parametrize(
    ("name", "is_test"),
    [
        ("Autumn Email test", True),
        ("Summer Push A/B", True),
        ("会员日短信测试", True),
        ("Checkout experiment 2026", True),
        ("Win-back 2026 - Email", False),
        ("618 2025 - SMS", False),
    ],
)
def test_a_campaign_named_as_a_test_is_one(name: str, is_test: bool) -> None:
    assert _named_as_a_test(name) is is_test
