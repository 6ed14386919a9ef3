"""Round-11 rule segments that account for every condition, with this file's own wordings in
English and Chinese: a condition the rule reader cannot place (an age, a spend without a
comparison, a category with no purchase) is asked back naming its words, never dropped; a
birth year ("born before 1988", "85后") and an age bound ("women older than 40", "30岁以下")
are read as the customers' birth year and age; "grabbed X" is a purchase."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner


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
        ("建一个分群：上海的85后男性", {"genders": ["M"], "min_birth_year": 1985, "max_birth_year": 1989}),
        ("建一个分群：1992年以后出生的女性", {"genders": ["F"], "min_birth_year": 1993}),
        ("create a segment of men older than 40 in Beijing", {"genders": ["M"], "min_age": 41}),
        ("新建人群：30岁以下的女性客户", {"genders": ["F"], "max_age": 30}),
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
