"""Round 12 (engineer dev12tools): kinds read from development set 12d's segment, profile,
churn, cross-sell, export and SQL questions. Every wording here is our own, not the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call as _call


# 1. Saved segments named as kept for later ("stashed", "put aside", "tucked away"): the
#    saved list, never a refusal.
@pytest.mark.parametrize(
    "question",
    [
        "which segments have we stashed so far?",
        "list the audiences I put aside",
        "show me the audiences we tucked away",
    ],
)
def test_kept_for_later_segments_are_the_saved_list(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question) == ("list_segments", {})


# 2. Cross-sell said with a verb of adding to the same basket ("throw in / pick up / grab
#    alongside X": X's partners) or as selling in combination (搭售, 组合销售).
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what do shoppers usually toss in alongside makeup?", "makeup"),
        ("what gets picked up along with the Yoga Mat?", "Yoga Mat"),
    ],
)
def test_a_basket_verb_beside_an_item_is_cross_sell(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args.get("item")) == ("cross_sell_rules", item)


@pytest.mark.parametrize("question", ["最近30天有哪些商品适合搭售", "给我一些组合销售的思路"])
def test_selling_in_combination_is_cross_sell(planner: OfflinePlanner, question: str) -> None:
    assert _call(planner, question)[0] == "cross_sell_rules"


# 3. Churn prediction asked as each customer's chance of buying again ("how likely each one
#    is to shop again", "再买的可能性", "还会再来买的概率"): the scored prediction, never the
#    store's repurchase rate or buyer count.
@pytest.mark.parametrize(
    "question",
    [
        "rate our customers by how likely each one is to shop again",
        "how likely are our members to order again?",
        "给每个买家打分：他们再买的可能性有多大",
        "每位客户还会再来买的概率",
    ],
)
def test_the_chance_of_buying_again_per_customer_is_a_prediction(
    planner: OfflinePlanner, question: str
) -> None:
    assert _call(planner, question)[0] == "predict_churn"


# 4. Export: a channel followed by its audience noun ("the social audience", "社交广告人群",
#    "短信名单") is the export's channel; another channel named only as the identifiers hashed
#    ("邮箱也加密", "with hashed emails") is no second destination to ask about.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("export the social audience of At Risk with hashed emails", "social"),
        ("把Champions的短信名单导出来，邮箱也加密一下", "sms"),
    ],
)
def test_the_channel_of_the_audience_noun_is_the_exports(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args["channel"], args.get("hashed")) == ("export_audience", channel, True)


# 5. Export: a segment's audience handed over ("hand me", "pass over", "give me the X
#    audience") for a channel is its exported list, never a close call between a profile and
#    a new rule segment.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("hand over the Champions audience, we're texting them", "Champions", "sms"),
        ("give me the At Risk audience for email", "At Risk", "email"),
    ],
)
def test_an_audience_handed_over_is_an_export(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args["segment"], args["channel"]) == ("export_audience", segment, channel)


# 5b. A segment's people's (phone) numbers for a text campaign / blast are its SMS export list.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("we want the Champions customers' numbers for a text blast", "Champions"),
        (
            "Loyal Customers members' phone numbers please, for our next text campaign",
            "Loyal Customers",
        ),
        ("冠军客户的手机号，我们要发短信", "Champions"),
    ],
)
def test_a_segments_numbers_for_a_text_campaign_are_its_sms_export(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    name, args = _call(planner, question)
    assert (name, args["segment"], args["channel"]) == ("export_audience", segment, "sms")


# 6. A segment's typical traits ("the typical age", "favourite category", 典型年龄, 最喜欢的
#    品类) are what its profile shows: the profile, never a question back about a metric.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("what is the favourite category of the At Risk segment", "At Risk"),
        ("typical city and age of our Loyal Customers?", "Loyal Customers"),
        ("Champions客户的典型年龄和最喜欢的品类", "Champions"),
    ],
)
def test_typical_traits_of_a_segment_are_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert _call(planner, question) == ("profile_segment", {"segment": segment})
