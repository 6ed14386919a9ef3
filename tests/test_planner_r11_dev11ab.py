"""Round 11 (engineer dev11ab): kinds read from development set 11d's A/B and clarify
questions. Every wording here is our own, not the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back as _asked_back
from tests.conftest import planned_call as _call


# 1. A campaign named by the words of its name beyond its period ("win-back") that two
#    store campaigns share (Win-back 2025 and 2026) is asked about, naming both; "win" in
#    "win-back" is no verdict of an A/B test (it picked the store's email A/B test).
@pytest.mark.parametrize(
    "question",
    [
        "what did the win-back mailing return on spend?",
        "Win-back emails: how many conversions?",
        "show me ROI for the win-back",
    ],
)
def test_campaign_words_shared_by_two_campaigns_are_asked_about(
    planner: OfflinePlanner, question: str
) -> None:
    text = _asked_back(planner, question)
    assert "win-back" in text.lower()
    assert "Win-back 2025 - Email" in text and "Win-back 2026 - Email" in text


def test_campaign_words_with_their_year_name_one_campaign(planner: OfflinePlanner) -> None:
    message = planner._plan("Win-back 2025 email: conversions", [])
    assert "Win-back 2026" not in message.content
    for call in message.tool_calls:
        assert call["name"] != "ab_test"


# 2. Whether a difference is real or chance, asked in other words than "significant"
#    ("is that difference just noise?", "差距是不是碰巧", "有没有统计学意义"), is the test's
#    verdict even where the variants are compared by a rate ("open rates of the two versions").
@pytest.mark.parametrize(
    ("question", "campaign", "metric"),
    [
        (
            "the Spring Festival 2026 email: open rates of the two versions, or is that "
            "difference just noise?",
            "Spring Festival 2026 - Email A/B",
            "open_rate",
        ),
        (
            "for the Double 11 2025 push, compare the two versions' click rates: real gap or luck?",
            "Double 11 2025 - Push A/B",
            "ctr",
        ),
        ("双11 2025推送两个版本的点击率差距是不是碰巧", "Double 11 2025 - Push A/B", "ctr"),
        (
            "春节2026邮件两个版本的转化率差别有没有统计学意义",
            "Spring Festival 2026 - Email A/B",
            "conversion",
        ),
    ],
)
def test_real_or_chance_asks_the_test(
    planner: OfflinePlanner, question: str, campaign: str, metric: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args.get("campaign"), args.get("metric")) == ("ab_test", campaign, metric)


# 3. The test's size asked in plain words ("how big should the test be?", "what size
#    should the experiment be?", "测试得做多大"), with a baseline and a change to
#    detect, is a sample-size question.
@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        (
            "open rate is 20% now; to spot a 10% relative rise, how big should the test be?",
            0.2,
            0.1,
        ),
        (
            "conversion 3 percent today, hoping to see +0.5 points: what size should the "
            "experiment be?",
            0.03,
            0.005,
        ),
        ("现在转化率2%，想看出0.4个百分点的提升，测试得做多大", 0.02, 0.004),
    ],
)
def test_size_of_the_test_asked_in_plain_words(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    name, args = _call(planner, question)
    assert name == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"]) == (baseline, effect)


# 4. "How did <marketplace> do" (a part of the business asked about, "京东去年卖得如何") is
#    the shop's own sales there, a channel the store lacks: asked back naming it, not
#    refused as another company's figures; "<marketplace>'s revenue" stays refused.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("how did Pinduoduo do in March?", "Pinduoduo"),
        ("How did Amazon do last year?", "Amazon"),
        ("京东去年卖得如何", "京东"),
        ("天猫上个月表现怎么样", "天猫"),
    ],
)
def test_how_a_marketplace_did_is_asked_about(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert message.response_metadata.get("copilot_status") == "clarify", message.content
    assert word in message.content


def test_a_marketplaces_own_figures_stay_refused(planner: OfflinePlanner) -> None:
    message = planner._plan("what was Amazon's revenue last year?", [])
    assert message.response_metadata.get("copilot_status") == "refused", message.content
