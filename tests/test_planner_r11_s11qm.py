"""Round 11 wave 2, kinds of set 11's metric and follow-up failures (engineer s11qm). Every
wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A campaign named by its period and channel word with "on the" before it ("On the 618
#    2025 push, ..."): the period reads as the day ("on 618 2025"), but the send is the
#    campaign, never the channel on that day.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("On the 618 2025 push, how much did every new customer cost?", "618 2025 - Push"),
        ("on the Spring Festival 2026 sms what was the open rate", "Spring Festival 2026 - SMS"),
    ],
)  # fmt: skip
def test_on_the_period_and_send_noun_is_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    # (round 14: a campaign named with no period takes its own window, never the day)
    assert args["time_range"] == campaign.split(" - ")[0]


# 2. "A/B" written between Chinese characters ("推送A/B各版本") names the A/B campaign: no `\b`
#    stands between Chinese characters and Latin letters.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("看下2025双11推送A/B各版本的打开率", "Double 11 2025 - Push A/B"),
        ("2026春节邮件A/B每个版本的点击率是多少", "Spring Festival 2026 - Email A/B"),
    ],
)  # fmt: skip
def test_ab_between_chinese_characters_names_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    assert args["dimensions"] == ["variant"]


# 3. A distributive word with a measure word before the campaign noun ("每场活动", "各次活动",
#    "每一波活动"): one figure per campaign, as "每个活动" is.
@pytest.mark.parametrize(
    "question",
    ["短信渠道各次活动的点击率", "推送每一波活动的转化率分别是多少", "每场活动的ROI"],
)  # fmt: skip
def test_each_campaign_with_a_measure_word_breaks_down_by_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    assert _args(planner, question)["dimensions"] == ["campaign"]


# 4. A superlative said of a dimension's label with no number ("转化率最低的活动是哪一个",
#    "ROI最好的活动"): the top (or bottom) 1 by that dimension, never the store's one total.
@pytest.mark.parametrize(
    ("question", "sort"),
    [("去年点击率最高的活动是哪一个", None), ("今年转化率最低的活动", "asc")],
)  # fmt: skip
def test_a_superlative_before_a_dimension_label_is_its_top_one(
    planner: OfflinePlanner, question: str, sort: str | None
) -> None:
    args = _args(planner, question)
    assert args["dimensions"] == ["campaign"] and args["limit"] == 1
    assert args.get("sort") == sort


# 5. Two variants set side by side with no verdict word ("B beside A", "A和B并排"): one row per
#    variant of the test named, never the test's verdict (a different question).
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("open rate of the Double 11 2025 push test, B beside A", "Double 11 2025 - Push A/B"),
        ("conversion on the Spring Festival 2026 email test with A alongside B", "Spring Festival 2026 - Email A/B"),
    ],
)  # fmt: skip
def test_variants_side_by_side_are_the_rates_by_variant(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["dimensions"] == ["variant"]
    assert args["filters"] == {"campaign": [campaign]}


def test_a_verdict_beside_the_variants_stays_the_test(planner: OfflinePlanner) -> None:
    message = planner._plan("is A beside B a significant gap in the Double 11 2025 push test?", [])
    assert message.tool_calls[0]["name"] == "ab_test"


# 6. "quantity" (and "qty", written out by the abbreviations) is the units sold; "purchaser"
#    and "client" are buyers in the spend-per-person pair, never a typo asked about.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("revenue and qty per channel in September", ["revenue", "units"]),
        ("what quantity did we sell in Q3", ["units"]),
        ("how much does a typical purchaser spend with us in a year, 2025", ["revenue_per_buyer", "revenue", "buyers"]),
        ("in 2025 what did each client spend, per person", ["revenue_per_buyer", "revenue", "buyers"]),
    ],
)  # fmt: skip
def test_quantity_and_purchaser_words(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 7. A revenue noun joined to the units word by and/&/和 ("sales & qty", "件数和营业额") asks
#    both: "sales" was dropped beside the units as if it were the verb of "how many units did
#    we sell" (a confident different answer). "how many units did we sell" stays the units.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("sales & qty by category this year", ["revenue", "units"]),
        ("qty and sales per city last week", ["units", "revenue"]),
        ("units sold and sales by category", ["units", "revenue"]),
        ("按渠道看营业额和卖出件数", ["revenue", "units"]),
        ("件数和销售额按品类", ["units", "revenue"]),
        ("how many units did we sell last month", ["units"]),
        ("上个月卖了多少件", ["units"]),
    ],
)  # fmt: skip
def test_sales_joined_to_units_are_both_asked(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics
