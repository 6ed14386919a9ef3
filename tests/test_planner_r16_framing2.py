"""Round 16, wave 2, words around the ask that are not part of it: a relayed question's
relay ("<role> asks:", "<角色>问："), the task and urgency it is wanted for, an intention it
serves, the "what's the story" idiom and a breakdown said as a 维度 (lexicon reader_words
`framing_clauses`); and the typo corrector, which never bends a common, correctly spelt
English word into a store value. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.offline.typos import read_typos
from tests.conftest import asked_back, query_args


# 1. A relayed question, its purpose and its sign-off: the question inside is answered.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("brand asks: what was our order count for September? cheers", "orders"),
        ("our planner q: buyers in August 2026?", "buyers"),
        ("the client wants to know: revenue in July 2026, thanks", "revenue"),
        ("甲方那边想知道：9月的订单数是多少？谢谢", "orders"),
        ("品牌方问：8月买家数多少？他们会计要核对，请尽快", "buyers"),
    ],
)
def test_relayed_question_framing_is_read(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert not args.get("filters")


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("brand asks: revenue from Atlantis in May 2026?", "atlantis"),
        ("甲方问：上个月宠物用品的销售额，麻烦尽快", "宠物用品"),
    ],
)
def test_unknown_word_inside_relayed_question_is_still_asked(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question).lower()


# 2. An intention the ranking serves: why it is asked, never a word to ask about.
@pytest.mark.parametrize(
    "question",
    [
        "lowest 3 categories by orders in Q2 2026, they're considering dropping one",
        "bottom two categories on revenue this year - we are planning to cut them",
    ],
)
def test_intention_beside_ranking_is_framing(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["category"]


# 3. A breakdown said as a dimension noun (维度/角度).
@pytest.mark.parametrize("question", ["渠道维度看看上个月的订单数", "从城市角度看一下今年的销售额"])
def test_breakdown_said_as_dimension_noun(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert len(args["dimensions"]) == 1
    assert args["dimensions"][0] in {"channel", "city"}


def test_unknown_breakdown_said_as_dimension_noun_is_asked(planner: OfflinePlanner) -> None:
    assert "星座" in asked_back(planner, "星座维度看一下上个月的订单数")


# 4. A common English word is never "corrected" into a store value or a known word.
@pytest.mark.parametrize(("word", "not_read_as"), [("story", "store"), ("sitting", "setting")])
def test_common_word_is_no_typo(planner: OfflinePlanner, word: str, not_read_as: str) -> None:
    reading = read_typos(
        f"revenue and the {word} last month", planner.semantic_model, planner.values
    )
    assert not_read_as not in reading.text.split()
    assert not reading.corrections


def test_misspelling_is_still_corrected(planner: OfflinePlanner) -> None:
    reading = read_typos("revnue by chanel last quater", planner.semantic_model, planner.values)
    assert ("quater", "quarter") in reading.corrections


def test_story_idiom_is_not_the_store_channel(planner: OfflinePlanner) -> None:
    args = query_args(planner, "what's the story on orders in September 2026?")
    assert args["metrics"] == ["orders"]
    assert not args.get("filters")


# 5. A correction that names a breakdown replaces the breakdown it restates.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("weekly revenue over the past 6 wks? oops, the past 10 days by day", "day"),
        ("orders by channel in June, scratch that, by city", "city"),
        ("上个月按周的订单数，不对，按天", "day"),
    ],
)
def test_corrected_breakdown_replaces_the_first(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert query_args(planner, question)["dimensions"] == [dimension]


def test_correction_of_period_alone_keeps_the_breakdown(planner: OfflinePlanner) -> None:
    args = query_args(planner, "orders by channel in June, scratch that, in July")
    assert args["dimensions"] == ["channel"]


# 6. A breakdown by a metric word and an unknown one ("by X bracket"): asked back whole.
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("orders by income bracket in June please", "income bracket"),
        ("revenue per sales tranche last month", "sales tranche"),
    ],
)
def test_breakdown_by_metric_word_and_unknown_is_asked_whole(
    planner: OfflinePlanner, question: str, phrase: str
) -> None:
    assert phrase in asked_back(planner, question).lower()


# 7. Where the order was shipped, set aside beside the customer's city: no word to ask about.
@pytest.mark.parametrize(
    "question",
    [
        "top 3 cities by orders in June, not where the parcels were delivered",
        "best 2 cities by revenue this year rather than the shipping address",
    ],
)
def test_shipping_place_set_aside_is_framing(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["city"]
    assert not args.get("filters")


def test_shipping_city_asked_as_breakdown_is_still_asked(planner: OfflinePlanner) -> None:
    assert "shipping" in asked_back(planner, "orders by shipping city in June").lower()


# 8. "home" before the customer's place names the breakdown, not the home category.
@pytest.mark.parametrize(
    "question",
    [
        "top 3 cities by revenue in June by customers' home city, not where orders were shipped",
        "orders by home province in June",
    ],
)
def test_home_place_is_the_customers_place(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] in (["city"], ["province"])
    assert not args.get("filters")


def test_home_category_is_still_a_filter(planner: OfflinePlanner) -> None:
    assert query_args(planner, "orders in the home category in June")["filters"] == {
        "category": ["home"]
    }
