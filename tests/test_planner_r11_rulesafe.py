"""Round-11 rule segments that account for every condition, with this file's own wordings in
English and Chinese: a condition the rule reader cannot place (an age, a spend without a
comparison, a category with no purchase) is asked back naming its words, never dropped; a
birth year ("born before 1988", "85后") and an age bound ("women older than 40", "30岁以下")
are read as the customers' birth year and age; "grabbed X" is a purchase."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


def _plan(planner: OfflinePlanner, question: str) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    message = planner._plan(question, [])
    calls = [(c["name"], c["args"]) for c in message.tool_calls]
    return calls, str(message.content)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "save a segment of women born before 1988 who bought skincare",
            {"genders": ["F"], "max_birth_year": 1987},
        ),
        (
            "建一个分群：上海的85后男性",
            {"genders": ["M"], "min_birth_year": 1985, "max_birth_year": 1989},
        ),
        ("建一个分群：1992年以后出生的女性", {"genders": ["F"], "min_birth_year": 1992}),
        ("create a segment of men older than 40 in Beijing", {"genders": ["M"], "min_age": 41}),
        ("新建人群：30岁以下的女性客户", {"genders": ["F"], "max_age": 30}),
        # A decade of birth is its ten birth years.
        (
            "save a segment of Shanghai men born in the 1980s with 2+ orders this year",
            {"genders": ["M"], "min_birth_year": 1980, "max_birth_year": 1989},
        ),
        (
            "建一个分群：1980年代出生的上海男性",
            {"genders": ["M"], "min_birth_year": 1980, "max_birth_year": 1989},
        ),
    ],
)
def test_birth_year_and_age_bounds_are_read(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    calls, _ = _plan(planner, question)
    assert calls and calls[0][0] == "define_segment", calls
    definition = calls[0][1]["definition"]
    assert {k: definition.get(k) for k in expected} == expected, definition


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("save a segment of women whose spend is 4500", "4500"),
        ("建一个分群：女性，消费是4500元", "4500"),
        ("create a segment of men aged about forty who bought skincare", "aged"),
    ],
)
def test_an_unplaced_condition_is_asked_back(
    planner: OfflinePlanner, question: str, words: str
) -> None:
    calls, text = _plan(planner, question)
    assert not calls, calls
    assert words in text


@pytest.mark.parametrize(
    "question",
    [
        "save a segment of women who grabbed skincare last year",
        "建一个分群：去年入手过护肤品的女性",
    ],
)
def test_grabbed_is_a_purchase(planner: OfflinePlanner, question: str) -> None:
    calls, _ = _plan(planner, question)
    assert calls and calls[0][0] == "define_segment", calls
    purchases = calls[0][1]["definition"].get("purchases")
    assert purchases and purchases[0]["categories"] == ["skincare"], purchases


def test_gathering_the_people_together_is_no_cross_sell(planner: OfflinePlanner) -> None:
    calls, _ = _plan(
        planner, "men under 30 who shop via the app, can you put them together as a group?"
    )
    assert calls and calls[0][0] == "define_segment", calls
    definition = calls[0][1]["definition"]
    assert definition["max_age"] == 29 and definition["purchases"][0]["channels"] == ["app"]


@pytest.mark.parametrize(
    ("question", "spend"),
    [
        ("shoppers who spent more than 3,000 overall but nothing since July", {"min": 3000.0}),
        ("总消费超过三千元但七月以后没再下单的用户", {"min": 3000.0}),
        ("customers who spent over 4,000 in total but nothing since July", {"min": 4000.0}),
        (
            "customers who spent more than 3,000 this year but haven't ordered since July",
            {"min": 3000.0, "period": "this year"},
        ),
    ],
)
def test_a_spend_keeps_its_own_period_beside_a_since(
    planner: OfflinePlanner, question: str, spend: dict[str, Any]
) -> None:
    calls, _ = _plan(planner, question)
    assert calls and calls[0][0] == "define_segment", calls
    definition = calls[0][1]["definition"]
    assert definition["spend"] == spend and definition.get("no_order_since"), definition


def test_an_unread_since_period_is_asked_back(planner: OfflinePlanner) -> None:
    calls, text = _plan(
        planner, "customers who spent more than 3,000 this year but haven't ordered since May"
    )
    assert not calls, calls
    assert "since May" in text


@pytest.mark.parametrize(
    ("question", "channel"),
    [
        (
            "make an audience of web shoppers who spent over 1,500 this year but haven't "
            "ordered since July, save it as web_lapsed",
            "web",
        ),
        ("建一个分群：小程序买家，今年消费超过1000但8月以来没下单", "mini_program"),
    ],
)
def test_a_channel_said_of_the_buyers_survives_a_negation_elsewhere(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    calls, _ = _plan(planner, question)
    assert calls and calls[0][0] == "define_segment", calls
    definition = calls[0][1]["definition"]
    assert definition["purchases"][0]["channels"] == [channel], definition
    assert definition.get("no_order_since"), definition


def test_a_channel_inside_the_negation_is_not_read_as_ordered(planner: OfflinePlanner) -> None:
    calls, _ = _plan(planner, "save a segment of women who haven't ordered via the app this year")
    assert not calls or not any(
        p.get("channels") for p in calls[0][1]["definition"].get("purchases", [])
    ), calls


# A birth-year count that asks for SQL by name ("跑个SQL") is the SQL count the user named,
# not a close call against the (unsaved) rule segment that reads the same birth year.
def test_a_birth_year_count_asked_in_sql_is_run_sql(planner: OfflinePlanner) -> None:
    calls, content = _plan(planner, "跑个SQL，1985年以前出生的客户有多少人")
    assert calls, f"asked back instead: {content}"
    name, args = calls[0]
    assert name == "run_sql"
    assert "birth_year < 1985" in args["sql"]


# One convention for a bound's own number (knowledge/lexicon.yaml comparison_words): Chinese
# 以上/以下/以内/以后/以前 include it, 超过/不到/之前 exclude it; English "under"/"over"/
# "after"/"before" exclude it, "or under"/"at least"/"or later"/"since" include it. The
# segment's name states the bound applied.
@pytest.mark.parametrize(
    ("question", "expected", "name"),
    [
        ("segment of men 28 or under in Hangzhou", {"max_age": 28}, "28 or under"),
        ("segment of men under 28 in Hangzhou", {"max_age": 27}, "27 or under"),
        ("segment of women aged at least 45", {"min_age": 45}, "45+"),
        ("segment of women over 45 years old", {"min_age": 46}, "46+"),
        ("segment of men born 1988 or later", {"min_birth_year": 1988}, "born 1988 or later"),
        ("segment of men born after 1988", {"min_birth_year": 1989}, "born 1989 or later"),
        ("segment of men born since 1988", {"min_birth_year": 1988}, "born 1988 or later"),
        ("新建人群：杭州28岁以下的男性", {"max_age": 28}, "28岁及以下"),
        ("新建人群：不到28岁的男性", {"max_age": 27}, "27岁及以下"),
        ("新建人群：45岁以上的女性", {"min_age": 45}, "45岁及以上"),
        ("新建人群：超过45岁的女性", {"min_age": 46}, "46岁及以上"),
        ("新建人群：1988年以后出生的男性", {"min_birth_year": 1988}, "1988年及以后出生"),
        ("新建人群：1988年以前出生的男性", {"max_birth_year": 1988}, "1988年及以前出生"),
        ("新建人群：1988年之前出生的男性", {"max_birth_year": 1987}, "1987年及以前出生"),
    ],
)
def test_a_bound_includes_its_number_by_one_convention_and_the_name_says_so(
    planner: OfflinePlanner, question: str, expected: dict[str, Any], name: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment", args
    definition = args["definition"]
    assert {k: definition.get(k) for k in expected} == expected, definition
    assert name in args["name"], args["name"]
