"""Round 16, a fresh tester's three unfair questions back, each fixed as a kind: a category
named with a generic noun of goods after it is that category; a figure the user already has
is set aside like one not needed, beside the figure asked; another company's data is refused
as data the store does not hold, while the store's own benchmarks still answer. Every wording
here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args

_OWN_DATA_ONLY = ("your own store's data", "您自己商店的数据")


# 1. A category name followed by a generic noun of goods ("sports gear", "家居类产品"): the
#    category itself, never an unknown word asked about.
@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("revenue from sports gear in September", "sports"),
        ("return rate of makeup stuff last quarter, as a %", "makeup"),
        ("orders of home goods last month", "home"),
        ("AOV for baby items this year", "baby"),
        ("electronics merchandise sales last month", "electronics"),
        ("上个月服饰产品的销售额", "apparel"),
        ("护肤商品今年的退货率是多少", "skincare"),
        ("运动类商品上季度卖了多少钱", "sports"),
        ("家居类产品九月的订单数", "home"),
    ],
)
def test_category_with_goods_noun_is_the_category(
    planner: OfflinePlanner, question: str, category: str
) -> None:
    args = query_args(planner, question)
    assert args.get("filters", {}).get("category") == [category], args


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("revenue from garden goods in September", "garden goods"),
        ("orders of pet stuff last month", "pet"),
        ("上个月园艺用品的销售额", "园艺用品"),
    ],
)
def test_unknown_word_with_goods_noun_still_asked(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


# 2. What the user already has (or does not need) is framing beside the asked figure: the
#    kind set aside is not computed and its words are not asked about.
@pytest.mark.parametrize(
    "question",
    [
        "repurchase rate last quarter? just the rate, I already have the count",
        "repurchase rate last quarter, we've got the number already",
        "last quarter's repurchase rate - the headcount I already have",
        "repurchase rate for last quarter, don't need the total",
        "上季度的复购率，人数我已经有了",
        "上季度复购率，我们早就有人数了",
        "上季度的复购率，不需要总数",
    ],
)
def test_figure_already_had_is_set_aside(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["repurchase_rate"], args


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("上季度的复购率，呱唧我已经有了", "呱唧"),
    ],
)
def test_unknown_thing_already_had_still_asked(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_a_speakers_clause_beside_a_bare_figure_is_set_aside_and_named(
    planner: OfflinePlanner,
) -> None:
    # (round 27: a bare figure beside someone's talk is read as the ask, as it is when the
    # figure is asked with a question mark; the clause set aside is named in the answer)
    message = planner._plan("repurchase rate last quarter, I already have the flibbertigibbet", [])
    assert message.tool_calls[0]["args"]["metrics"] == ["repurchase_rate"]
    assert message.response_metadata["context_clauses"] == ["I already have the flibbertigibbet"]


# 3. Another company's figures (a brand named in the possessive, other brands, competitors,
#    "benchmark ours", 别家/同行/友商) are refused: the store holds only its own data.
@pytest.mark.parametrize(
    "question",
    [
        "Could you get me Lancome's serum prices? I want to see how ours compare",
        "what does Acme's sales look like this year",
        "how are rival retailers pricing their strollers vs ours",
        "pull other brands' discounts on lipstick so we can benchmark ours",
        "同行的客单价大概多少？",
        "别家的面霜卖多少钱，想和我们的比一比",
        "友商上个月的销量是多少",
        "我们的转化率跟我们家对手比怎么样",
    ],
)
def test_other_companies_data_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert any(words in reply for words in _OWN_DATA_ONLY), reply


@pytest.mark.parametrize(
    "question",
    [
        "benchmark Q3 AOV against Q2",
        "how does Shanghai's revenue last month compare with Beijing's",
        "benchmark our repurchase rate this year against last year",
        "今年的客单价和去年对比",
    ],
)
def test_own_benchmarks_still_answer(planner: OfflinePlanner, question: str) -> None:
    query_args(planner, question)
