"""Round 13 (wrongsb): a rule segment never drops what its people bought when the store has
no such category or product; it asks back naming the word and the closest categories."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.offline.intents.audience import read_rule_segment
from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from knowledge.semantic import load_semantic_model


@pytest.fixture(scope="module")
def context(duckdb_demo_engine: Engine) -> PlannerContext:
    model = load_semantic_model()
    values = ValueIndex.from_store(duckdb_demo_engine, model)
    return PlannerContext(model, values)


def _read(question: str, context: PlannerContext):  # noqa: ANN202
    return read_rule_segment(read_question(question, context.values), context)


@pytest.mark.parametrize(
    ("question", "word", "closest"),
    [
        (
            "create a segment of shoppers who picked up beauty stuff since June but nothing "
            "in apparel",
            "beauty",
            "makeup",
        ),
        (
            "save an audience: women who purchased beauty items over the past quarter",
            "beauty",
            "makeup",
        ),
        ("save a segment of people who ordered pet food last year", "pet", None),
        ("build a segment: buyers of sports who never bought toys this year", "toys", None),
        ("帮我建一个分群：最近两个月买过美妆、没买过数码的女性", "美妆", "彩妆"),
        ("把今年购买过宠物用品的客户保存为分群", "宠物用品", None),
    ],
)
def test_an_unknown_purchase_object_is_asked_back(
    context: PlannerContext, question: str, word: str, closest: str | None
) -> None:
    read = _read(question, context)
    assert isinstance(read, AskBack), read
    assert word in read.text
    if closest is not None:
        assert closest in read.text


@pytest.mark.parametrize(
    ("question", "categories"),
    [
        (
            "save a segment of shoppers who bought makeup this year but nothing from sports",
            ["makeup"],
        ),
        ("create a segment: customers who purchased skin care in 2025", ["skincare"]),
        ("把今年买过彩妆、但没买过运动的客户存成分群", ["makeup"]),
        (
            "save a segment of people who bought them again this year after buying baby products",
            None,
        ),
    ],
)
def test_known_purchase_objects_still_define_the_rule(
    context: PlannerContext, question: str, categories: list[str] | None
) -> None:
    read = _read(question, context)
    assert isinstance(read, dict), read
    if categories is not None:
        bought = [p for p in read["definition"]["purchases"] if p.get("bought", True)]
        assert bought[0]["categories"] == categories


@pytest.mark.parametrize(
    "question",
    [
        "what segments did we save this week?",
        "list the saved segments we set up in September",
        "上周我们存了哪些分群？",
        "列出今年保存的分群",
    ],
)
def test_saved_segments_of_a_period_are_all_listed_saying_the_period_is_not_applied(
    context: PlannerContext, question: str
) -> None:
    # Round 18: rather than ask back, every saved segment is listed with its last update and
    # the answer says the list was not cut to the period named (never a list said to be of it).
    from copilot.offline.intents.segment_admin import read_list_segments, unfiltered_period_note

    asked = read_question(question, context.values)
    assert read_list_segments(asked, context) == {}
    assert unfiltered_period_note(asked)


@pytest.mark.parametrize("question", ["what segments do we have saved?", "我们存了哪些分群"])
def test_saved_segments_without_a_period_are_listed(context: PlannerContext, question: str) -> None:
    from copilot.offline.intents.segment_admin import read_list_segments

    assert read_list_segments(read_question(question, context.values), context) == {}


_BY_CITY = {
    "name": "query_metrics",
    "args": {"metrics": ["orders"], "dimensions": ["city"], "time_range": "last quarter"},
}
_TOTAL = {
    "name": "query_metrics",
    "args": {"metrics": ["revenue"], "time_range": "2025", "filters": {"channel": ["app"]}},
}


@pytest.mark.parametrize(
    ("previous", "question", "n"),
    [
        (_BY_CITY, "which 4 cities make up the bulk of it?", 4),
        (_BY_CITY, "and which two cities accounted for most of that?", 2),
        (_BY_CITY, "其中哪两个城市占了大头？", 2),
        (_TOTAL, "which five cities account for most of that?", 5),
        (_TOTAL, "其中哪三个城市贡献最多？", 3),
    ],
)
def test_which_n_of_the_previous_figure_is_its_top_n(
    context: PlannerContext, previous: dict, question: str, n: int
) -> None:
    from copilot.offline.followups import read_follow_up

    name, args = read_follow_up(read_question(question, context.values), previous, context)
    assert name == "query_metrics"
    assert args["limit"] == n and args["dimensions"] == ["city"]
    assert args["metrics"] == previous["args"]["metrics"]
    assert args["time_range"] == previous["args"]["time_range"]
    assert args.get("filters") == previous["args"].get("filters")


def test_a_breakdown_without_a_number_is_not_cut(context: PlannerContext) -> None:
    from copilot.offline.followups import read_follow_up

    _name, args = read_follow_up(read_question("and by city?", context.values), _TOTAL, context)
    assert args["dimensions"] == ["city"] and "limit" not in args


@pytest.mark.parametrize(
    "question",
    [
        "上周下单超过一次的顾客有几位",
        "按购买频次给客户分组",
        "customers who purchased more than twice in May",
    ],
)
def test_counts_and_purchase_attributes_are_no_unknown_object(
    context: PlannerContext, question: str
) -> None:
    from copilot.offline.intents.purchase_objects import unplaced_purchase_objects

    assert unplaced_purchase_objects(question, context.values) == []
