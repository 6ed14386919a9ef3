"""Round 15, wave 2, the words around and inside a question that are not the question:
polite and personal wrapping (lexicon reader_words `framing_clauses`), a note choosing one of
two dimensions (`dimension_choice`), extra figures said as the unit or definition of the one
asked (a count of its own noun, gross sales' definition, a kind set aside), and people of a
customer attribute who ordered (`people_group_ordered`): the buyers with that filter. Every
wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, query_args


# 1. Polite and personal wrapping: greetings, apologies, who asks, sign-offs.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        (
            "Hello there, so sorry for bothering you again! I just joined the team and my lead "
            "asked me to pull a number. What were our buyers in September? Thanks a ton!",
            "buyers",
        ),
        ("hey all - I'm the new analyst here. Orders in August please? Much appreciated", "orders"),
        (
            "你好，不好意思打扰一下，我是刚入职的新人，主管让我查一下上个月的买家数，麻烦了，多谢！",
            "buyers",
        ),
        ("您好，打扰了！组长让我看一下9月的订单数，谢谢您！", "orders"),
    ],
)
def test_polite_and_personal_wrapping_is_read(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert not args.get("dimensions")
    assert not args.get("filters")


@pytest.mark.parametrize(
    ("question", "word"),
    [
        (
            "Hi! I'm the new marketer. My boss asked me to check revenue from Atlantis in May. Thanks!",
            "atlantis",
        ),
        (
            "您好，打扰了，我是新来的实习生，领导让我看一下上个月宠物用品的销售额，谢谢！",
            "宠物用品",
        ),
    ],
)
def test_unknown_word_inside_polite_wrapping_is_still_asked(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question).lower()


def test_an_apology_corrects_nothing_but_a_sorry_still_does(planner: OfflinePlanner) -> None:
    assert query_args(planner, "sorry to trouble you, orders in March?")["metrics"] == ["orders"]
    assert "June" in query_args(planner, "orders in May, sorry, June")["time_range"]


# 2. A note choosing one of two dimensions: the chosen one filters, the refused one is no
#    breakdown, and the note's words ask nothing.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        (
            "revenue from the app in June - signup channel I mean, not the order channel",
            "signup_channel",
        ),
        ("revenue from the app in June, the order channel not the signup channel", "channel"),
        ("6月小程序注册用户的销售额（注意是注册渠道，不是下单渠道）", "signup_channel"),
        ("6月小程序的销售额，按下单渠道算，不是注册渠道", "channel"),
    ],
)
def test_note_choosing_a_dimension_picks_the_filter(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"]
    assert list(args["filters"]) == [dimension]
    assert not args.get("dimensions")


# 3. Extra figures said as the unit or the definition of the one asked.
@pytest.mark.parametrize(
    "question",
    [
        "orders returned in August? I want the number of orders, not the money",
        "returned orders in May: the count of orders, not the amount",
    ],
)
def test_count_of_its_own_noun_is_no_second_figure(planner: OfflinePlanner, question: str) -> None:
    assert query_args(planner, question)["metrics"] == ["returned_orders"]


def test_count_of_another_noun_is_still_asked(planner: OfflinePlanner) -> None:
    args = query_args(planner, "returned orders and the number of orders in August")
    assert set(args["metrics"]) == {"returned_orders", "orders"}


@pytest.mark.parametrize(
    "question",
    [
        "Shanghai gross sales in Q3 - gross, before we take the refunds off",
        "gross sales last month, before finance nets out returns",
        "上海今年的毛销售额，退货扣掉之前的",
    ],
)
def test_gross_before_returns_are_taken_off_adds_no_returns(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["gross_sales"]


def test_gross_sales_and_returns_still_asks_both(planner: OfflinePlanner) -> None:
    assert set(query_args(planner, "上海今年的毛销售额和退货")["metrics"]) == {
        "gross_sales",
        "returns",
    }


def test_kind_set_aside_drops_a_figure_with_no_pair(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "how many yoga mats did we sell in Q3? he wants the pieces, not the dollars"
    )
    assert args["metrics"] == ["units"]


# 4. People of a customer attribute who ordered in a period: the buyers with that filter.
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("how many people from Shanghai placed an order last month?", {"city": ["上海"]}),
        ("how many shoppers from Ningbo made a purchase in Q2", {"city": ["宁波"]}),
        ("how many English-speaking customers bought from us in Q3?", {"language": ["en"]}),
        (
            "how many folks who first registered via the app ordered in the past 30 days",
            {"signup_channel": ["app"]},
        ),
        ("上个月有多少通过小程序注册的客户下过单", {"signup_channel": ["mini_program"]}),
        ("二季度有多少北京的客户下单", {"city": ["北京"]}),
    ],
)
def test_people_of_a_customer_attribute_who_ordered_are_buyers(
    planner: OfflinePlanner, question: str, filters: dict
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["buyers"]
    assert args["filters"] == filters
    assert args["time_range"]


def test_saving_people_who_ordered_stays_a_segment(planner: OfflinePlanner) -> None:
    tool, _ = planned_call(
        planner,
        "save the people who signed up in the app and placed an order last month as a segment",
    )
    assert tool == "define_segment"


def test_a_note_opener_asks_nothing_but_its_content_is_read(planner: OfflinePlanner) -> None:
    assert query_args(planner, "8月的订单数，请注意是有效订单")["metrics"] == ["orders"]
    assert "宠物用品" in asked_back(planner, "8月的订单数，注意：宠物用品")
