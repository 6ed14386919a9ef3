"""Scored readings: every matching reader competes, the best reading wins, a close call asks."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline import readings
from copilot.offline.intents import PlannerContext
from copilot.offline.intents.ab_tests import read_ab_test_question
from copilot.offline.intents.cross_sell import read_cross_sell_question
from copilot.offline.planner import OfflinePlanner
from copilot.offline.question import read_question
from copilot.offline.readings import CUE_ONLY, FIRST_READER, OTHER_READER, Reading, choose_reading
from copilot.offline.routing import Verdict
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import task_cue_tools
from knowledge.semantic import load_semantic_model


def _context() -> PlannerContext:
    return PlannerContext(load_semantic_model())


def _similarity(scores: dict[str, float]):  # noqa: ANN202 - a stand-in for the classifier
    def probabilities(text: str, allowed: set[str] | None = None) -> dict[str, float]:
        return {k: v for k, v in scores.items() if allowed is None or k in allowed}

    return probabilities


def _question(text: str):  # noqa: ANN202
    return read_question(text, ValueIndex())


def test_one_reading_needs_no_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any, **__: Any) -> dict[str, float]:
        raise AssertionError("the embedding must not run for a single reading")

    monkeypatch.setattr(readings, "intent_probabilities", fail)
    only = Reading("query_metrics", {"metrics": ["revenue"]}, FIRST_READER)
    assert choose_reading(_question("revenue"), [only], _context()) is only


def test_the_most_specific_reading_is_kept_unless_clearly_beaten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Reading("predict_churn", {}, FIRST_READER)
    other = Reading("query_metrics", {"metrics": ["churn_rate"]}, OTHER_READER)
    question = _question("churn")
    monkeypatch.setattr(
        readings, "intent_probabilities", _similarity({"predict_churn": 0.5, "query_metrics": 0.4})
    )
    assert choose_reading(question, [first, other], _context()) is first
    # 0.9 x 0.8 = 0.72 >= 2 x 0.1: the classifier clearly prefers the later reading.
    monkeypatch.setattr(
        readings, "intent_probabilities", _similarity({"predict_churn": 0.1, "query_metrics": 0.9})
    )
    assert choose_reading(question, [first, other], _context()) is other


def test_a_close_call_asks_naming_both_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Reading("rfm_segments", {}, FIRST_READER)
    other = Reading("list_segments", None, CUE_ONLY)
    # 0.6 x 0.6 = 0.36 beats 0.3 but not by RATIO: neither reading is confident.
    monkeypatch.setattr(
        readings, "intent_probabilities", _similarity({"rfm_segments": 0.3, "list_segments": 0.6})
    )
    verdict = choose_reading(_question("segments"), [first, other], _context())
    assert isinstance(verdict, Verdict)
    assert verdict.tool is None and set(verdict.candidates) == {"rfm_segments", "list_segments"}


def test_a_cue_only_winner_is_called_when_the_parse_fills_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Reading("rfm_segments", {}, FIRST_READER)
    listing = Reading("list_segments", None, CUE_ONLY)
    monkeypatch.setattr(
        readings, "intent_probabilities", _similarity({"rfm_segments": 0.05, "list_segments": 0.9})
    )
    chosen = choose_reading(_question("which segments did we save"), [first, listing], _context())
    assert isinstance(chosen, Reading) and chosen.tool == "list_segments" and chosen.args == {}


def test_a_cue_only_winner_missing_its_arguments_is_asked_about(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Reading("query_metrics", {"metrics": ["buyers"]}, FIRST_READER)
    saving = Reading("define_segment", None, CUE_ONLY)
    monkeypatch.setattr(
        readings,
        "intent_probabilities",
        _similarity({"query_metrics": 0.05, "define_segment": 0.9}),
    )
    question = _question("create an audience of buyers who spent over 900 last year")
    verdict = choose_reading(question, [first, saving], _context())
    assert isinstance(verdict, Verdict) and verdict.candidates == ("define_segment",)
    assert any("period" in m for m in verdict.missing)  # "last year" is never dropped silently


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("please store these shoppers as a new audience", "define_segment"),
        ("I want a list of Chengdu buyers who ordered twice", "define_segment"),
        ("把这些人存成一个人群包", "define_segment"),
        ("which audiences have we saved before?", "list_segments"),
        ("目前有的客群都列出来", "list_segments"),
        ("Loyal Customers 都是些什么人", "profile_segment"),
        ("what does our style guide say about exclamation marks", "search_knowledge"),
        ("邮件签名应该怎么写", "search_knowledge"),
        ("how large a sample do we need per arm", "ab_sample_size"),
    ],
)
def test_task_cues_name_the_task(text: str, tool: str) -> None:
    assert tool in task_cue_tools(_question(text))


def test_a_pair_of_items_is_not_a_clause() -> None:
    context = _context()
    clause = _question("train a churn model and report how well it does (AUC and lift)")
    assert read_cross_sell_question(clause, context) is None
    pair = read_cross_sell_question(_question("lift of Yoga Mat and Water Bottle"), context)
    assert pair is not None and pair["paired_with"]


def test_a_metric_of_the_two_versions_is_a_metric_query() -> None:
    question = _question("两个版本的点击率分别是多少")
    assert read_ab_test_question(question, _context()) is None


def _tool(planner: OfflinePlanner, text: str) -> tuple[str | None, str]:
    message = planner._plan(text, [])
    if message.tool_calls:
        return message.tool_calls[0]["name"], ""
    return None, str(message.content)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # A segment with a condition the rule language cannot hold: saved or asked, never
        # answered as copy, a metric or an RFM run.
        (
            "set up an audience of shoppers who spent more than 4000 this year and allow email",
            {"generate_copy", "query_metrics", "rfm_segments", "run_sql"},
        ),
        ("杭州女性，今年消费超过2000元，帮我建个人群包", {"rfm_segments", "query_metrics"}),
        ("what segments have we saved up to now?", {"rfm_segments"}),
    ],
)
def test_a_named_task_is_never_answered_by_another_tool(
    planner: OfflinePlanner, text: str, wrong: set[str]
) -> None:
    tool, _ = _tool(planner, text)
    assert tool not in wrong


def test_a_quoted_name_does_not_steer_the_similarity() -> None:
    assert readings.unquoted('Refresh the segment "women who bought skincare"') == (
        "Refresh the segment  X "
    )
    assert "母婴" not in readings.unquoted("更新一下分群“北京买过母婴用品的客户”")


def test_similarity_alone_never_calls_a_tool_missing_its_cue_words(
    planner: OfflinePlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot.offline import routing

    monkeypatch.setattr(
        routing, "intent_probabilities", _similarity({"cross_sell_rules": 0.9, "run_sql": 0.1})
    )
    question = read_question("list the priciest products we stock", planner.values)
    assert routing.similar_reading(question, planner._context, planner.tool_names).tool is None


def test_reader_word_lists_live_in_the_lexicon() -> None:
    from copilot.offline.vocabulary import reader_words

    for name in ("rfm", "segmentation", "personas", "churn_prediction", "send_time"):
        assert reader_words(name)
    with pytest.raises(KeyError, match="reader_words"):
        reader_words("no such list")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("刷新一下VIP男士这个分群", "VIP男士"),
        ("please refresh the Big Spenders segment", "Big Spenders"),
        ('Refresh the segment "Big Spenders"', "Big Spenders"),
    ],
)
def test_a_refresh_names_the_segment_quoted_or_not(
    planner: OfflinePlanner, text: str, name: str
) -> None:
    message = planner._plan(text, [])
    assert [c["name"] for c in message.tool_calls] == ["refresh_segment"]
    assert message.tool_calls[0]["args"] == {"name": name}


@pytest.mark.parametrize("text", ["更新一下分群", "update the segment list"])
def test_a_refresh_without_a_name_is_not_a_refresh(text: str) -> None:
    from copilot.offline.intents.segment_admin import read_refresh_segment

    assert read_refresh_segment(_question(text), _context()) is None
