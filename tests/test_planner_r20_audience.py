"""Round 20, segment and audience tools: written Cantonese (嘅 咗 幾多 邊啲 我哋 俾 唔好) and
推播 read as their Mandarin equivalents; a saved-segment listing asked as "got any ... saved" /
"do we already have one I can reuse" (never an RFM run); a named segment's traits listed
without a spread word ("age, gender, which city, what they buy", "人口属性、城市分布") as its
profile; a metric of customers who left a review asked back (never review sentiment). Every
wording is our own; each family has near-misses that must still be answered otherwise or
asked back."""

from __future__ import annotations

import pytest

from copilot.offline.cantonese import as_mandarin
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. Written Cantonese is read as Mandarin; a Mandarin question is unchanged.
def test_cantonese_words_written_in_mandarin() -> None:
    assert as_mandarin("佢哋上个月买咗几多单") == "他们上个月买了多少单"
    assert as_mandarin("我哋边啲分群最大") == "我们哪些分群最大"
    assert as_mandarin("上个月的销售额是多少") == "上个月的销售额是多少"
    assert as_mandarin("revenue last month") == "revenue last month"


@pytest.mark.parametrize(
    "question",
    ["我哋存咗邊啲分群？", "睇下我哋已經儲存咗嘅分群有邊啲"],
)
def test_cantonese_saved_segment_listing(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "list_segments"


@pytest.mark.parametrize(
    "question", ["幫我寫條推播，推廣保濕面霜", "寫一條推播通知俾Champions"]
)
def test_tuibo_is_push(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "generate_copy"
    assert args["channel"] == "push"


# 2. Whether a saved segment exists already is the saved list, not an RFM run.
@pytest.mark.parametrize(
    "question",
    [
        "got any audiences saved from before?",
        "do we already have a saved audience for this, or should I make a new one?",
        "any saved segments I could reuse?",
    ],
)
def test_saved_segment_exists_lists_them(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "list_segments"


def test_rfm_run_is_still_rfm(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "run an RFM segmentation of our buyers")
    assert name == "rfm_segments"


# 3. A named segment's traits listed are its profile.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("At Risk segment - gender, age, city, and what they buy", "At Risk"),
        ("Loyal Customers: age, which cities, what they buy", "Loyal Customers"),
        ("帮我看看Champions分群的人口属性和城市分布", "Champions"),
    ],
)
def test_listed_traits_are_the_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "profile_segment"
    assert args["segment"] == segment


# 4. A metric over customers who reviewed is asked back, never the review sentiment.
@pytest.mark.parametrize(
    "question",
    [
        "orders last month from customers who left a review",
        "how much revenue in Q3 came from shoppers who reviewed something",
    ],
)
def test_metric_of_reviewers_asked_back(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "review" in reply


def test_review_sentiment_still_sentiment(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "how did customers feel about skincare in their reviews last month?")
    assert name == "review_sentiment"
