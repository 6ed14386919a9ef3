"""Round 13, engineer "dates": words the planner understood but asked back about (or read
as a different question). Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period, parse_period
from tests.conftest import asked_back, query_args

TODAY = date(2026, 11, 1)


# 1. A day written with an ordinal, a bare day of the same month, or a day before 起 /
#    "onwards", is a period's start or end: never that day alone.
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("revenue from the 4th of June to the 19th", date(2026, 6, 4), date(2026, 6, 19)),
        ("orders from July 2nd to the 9th", date(2026, 7, 2), date(2026, 7, 9)),
        ("the 5th to the 25th of August", date(2026, 8, 5), date(2026, 8, 25)),
        ("from the 2nd to the 12th of April 2025", date(2025, 4, 2), date(2025, 4, 12)),
        ("between the 1st and 14th of Feb", date(2026, 2, 1), date(2026, 2, 14)),
        ("AOV Jan 6-13", date(2026, 1, 6), date(2026, 1, 13)),
        ("sales since the 3rd of June", date(2026, 6, 3), TODAY),
        ("buyers since 2 July 2026", date(2026, 7, 2), TODAY),
        ("revenue from June 5th onwards", date(2026, 6, 5), TODAY),
        ("6月3号起的营收", date(2026, 6, 3), TODAY),
        ("7月2日开始的订单量", date(2026, 7, 2), TODAY),
        ("从4月5号到4月18号的客单价", date(2026, 4, 5), date(2026, 4, 18)),
        ("4月5日至18日的销售额", date(2026, 4, 5), date(2026, 4, 18)),
        ("8月2号到19号下单的人数", date(2026, 8, 2), date(2026, 8, 19)),
        ("5号到6月20号的订单", date(2026, 6, 5), date(2026, 6, 20)),
    ],
)
def test_a_day_as_a_period_start_or_end(text: str, first: date, last: date) -> None:
    found = find_period(text, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (first, last)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # a count after "to" is not the range's end
        ("orders from March 3 to 20 customers", date(2026, 3, 3)),
        # a time of day, a percentage
        ("orders on Aug 2 at 10:30", date(2026, 8, 2)),
        ("conversion on Mar 3 to 20%", date(2026, 3, 3)),
        # "and" joins the ends only after "between"
        ("orders on May 3 and 20 more", date(2026, 5, 3)),
        # campaigns that began on a day are not a period since then
        ("5月1日开始的活动", date(2026, 5, 1)),
    ],
)
def test_what_is_not_a_day_range_keeps_the_one_day(text: str, day: date) -> None:
    found = find_period(text, TODAY)
    assert found is not None
    assert (found.range.start, found.range.end) == (day, day)


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("What was GMV from the 2nd of September to the 16th?", date(2026, 9, 2), None),
        ("orders since the 1st of August 2026", date(2026, 8, 1), "to date"),
        ("net sales between Aug 3rd and Sept 14th", date(2026, 8, 3), date(2026, 9, 14)),
        ("9月1号起的订单数", date(2026, 9, 1), "to date"),
        ("从8月3号到20号的销售额", date(2026, 8, 3), date(2026, 8, 20)),
    ],
)
def test_a_day_range_reaches_the_tool(
    planner: OfflinePlanner, question: str, first: date, last: date | str | None
) -> None:
    phrase = query_args(planner, question)["time_range"]
    period = parse_period(phrase, TODAY)
    assert period.start == first
    if last == "to date":
        assert period.end == TODAY
    elif last is None:
        assert period.end == date(2026, 9, 16)
    else:
        assert period.end == last


@pytest.mark.parametrize(
    ("question", "named"),
    [("revenue Feb 3 to 30th", "Feb 3"), ("sales March 20 to the 3rd", "March 20")],
)
def test_a_day_range_it_cannot_read_asks_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    """An end the month lacks, or an end before the start: not the first day alone."""
    assert find_period(question, TODAY) is None
    assert named in asked_back(planner, question)


# 2. A channel or category value written with a hyphen, an underscore or its last word in
#    the other number is that value, not a campaign's name.
@pytest.mark.parametrize(
    ("question", "channel", "dimensions"),
    [
        ("ROAS for each social ad campaign", "social", ["campaign"]),
        ("ROAS of every social_ads campaign in 2025", "social", ["campaign"]),
        ("spend on social-ad campaigns last year", "social", None),
        ("orders through mini programs last month", "mini_program", None),
        ("revenue from the mini_program channel by month", "mini_program", ["month"]),
        ("conversion rate of the text-message campaigns", "sms", None),
    ],
)
def test_a_channel_written_another_way_is_the_channel(
    planner: OfflinePlanner, question: str, channel: str, dimensions: list[str] | None
) -> None:
    args = query_args(planner, question)
    assert args["filters"] == {"channel": [channel]}
    assert args.get("dimensions") == dimensions


def test_a_name_is_not_found_in_the_other_number(planner: OfflinePlanner) -> None:
    """Names (campaigns, products) are written as they are: only value words get variants."""
    from copilot.offline.values import ValueIndex

    index: ValueIndex = planner.values
    assert index.entries.get("social ad") == ("channel", "social")
    assert not any(
        d == "campaign" and w.endswith("social ad") for w, (d, _) in index.entries.items()
    )


# 3. A verb between the campaign noun and the metric ("drove", "yielded", "拉动") says what
#    the campaign did, never its name: the top campaign by that metric.
@pytest.mark.parametrize(
    "question",
    [
        "which campaign drove the most revenue in 2025?",
        "what campaign yielded the most attributed revenue in 2025",
        "which promo drives the highest sales?",
        "哪个活动拉动的销售额最高",
        "哪场活动带动的收入最多",
        "2025年哪个活动贡献了最多的销售额",
    ],
)
def test_a_verb_after_the_campaign_noun_is_no_name(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["campaign"]
    assert args.get("limit") == 1
    assert args["metrics"] == ["attributed_revenue"]


def test_an_unknown_name_after_the_campaign_noun_still_asks_back(planner: OfflinePlanner) -> None:
    assert "Moonbeam" in asked_back(planner, "revenue of the campaign Moonbeam last year")


# 5. A demonstrative between a campaign's name and 活动 ("这波", "那次") keeps the name: the
#    name is matched (or asked about by name), never "which campaign do you mean by 这波活动".
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("流失老客召回这波活动的点击率", "召回"),
        ("老客回流那一波活动带来的销售额", "老客回流"),
        ("沉睡用户唤醒那次活动的转化率", "唤醒"),
    ],
)
def test_a_name_before_a_demonstrative_is_still_the_name(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    reply = asked_back(planner, question)
    # unknown, or a word the store's campaigns are known by (召回/唤醒: the Win-back ones)
    assert ("店里没有叫「" in reply or "店里有几个活动叫「" in reply) and name in reply
    assert "Double 11 2024 - SMS" in reply or "Win-back 2025 - Email" in reply  # offered


def test_a_store_campaign_before_a_demonstrative_is_that_campaign(planner: OfflinePlanner) -> None:
    args = query_args(planner, "双11 2025短信那波活动的打开率")
    assert args["filters"] == {"campaign": ["Double 11 2025 - SMS"]}


def test_a_demonstrative_alone_still_asks_which_campaign(planner: OfflinePlanner) -> None:
    assert "这波活动" in asked_back(planner, "这波活动的转化率")
