"""Round 17, campaigns named the way marketers say them: by their id ("CMP004"), by the send
pointed at with a measure word ("那条短信", "那封邮件"), by the channel word of their name in
other words ("texts", "社媒广告"), by the festival's other name (年中大促 = 618), by what
their A/B test varied ("主题行测试", "subject-line test"), its variants as "两组" / "A版B版"
(a metric per variant, not the test) unless a verdict (p值) is asked; a channel's send said
bare ("how'd the email go") asked back naming it; a rival's figures (隔壁, 竞争对手)
refused, never answered with the store's own campaigns. Every wording here is our own."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call, query_args


def _campaigns(args: dict) -> list[str]:
    return list((args.get("filters") or {}).get("campaign") or [])


# 1. A campaign named by its id: the id is the campaign's other name (the dimension's
#    aliases column), and the number in it is no condition left unused.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("CMP007 conversion rate, both variants together", "Double 11 2025 - Push A/B"),
        ("cmp003 roi pls", "Spring Festival 2025 - SMS"),
        ("what did CMP003 cost us?", "Spring Festival 2025 - SMS"),
        ("CMP003这个活动的投资回报率是多少", "Spring Festival 2025 - SMS"),
        ("活动CMP007的点击率", "Double 11 2025 - Push A/B"),
    ],
)
def test_campaign_id_names_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    assert _campaigns(query_args(planner, question)) == [campaign]


def test_unknown_campaign_id_is_asked_back(planner: OfflinePlanner) -> None:
    assert "CMP098" in asked_back(planner, "CMP098 open rate")


# 2. The send pointed at with a measure word ("那条短信", "那封邮件") beside a festival of a
#    year is that year's campaign of the channel, not the channel over the festival's days.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("今年年货节那条短信的点击率", "Spring Festival 2026 - SMS"),
        ("去年春节那条短信 退订了多少人", "Spring Festival 2025 - SMS"),
        ("今年双11那一条短信，转化率咋样", "Double 11 2026 - SMS"),
        ("2025年618那封邮件的打开率", "618 2025 - Email"),
    ],
)
def test_measure_word_points_at_one_send(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    assert _campaigns(query_args(planner, question)) == [campaign]


# 3. A channel said in other words ("texts", "社媒广告", "social media ads") is that channel,
#    so the festival's send on it is its campaign; no word is left over as a campaign's name.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("去年双11社媒广告花了多少", "Double 11 2025 - Social Ads"),
        ("2024双十一社媒广告的获客成本", "Double 11 2024 - Social Ads"),
        ("cost of the Double 11 2025 social media ads", "Double 11 2025 - Social Ads"),
        ("unsubscribes from the Spring Festival 2026 texts", "Spring Festival 2026 - SMS"),
    ],
)
def test_channel_in_other_words_names_the_send(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    assert _campaigns(query_args(planner, question)) == [campaign]


# 4. 年中大促 is the 618 festival (its usual Chinese name), not an unknown event.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("2025年的年中大促那封邮件 投资回报率", "618 2025 - Email"),
        ("今年年中大促的推送 打开率多少", "618 2026 - Push"),
    ],
)
def test_mid_year_sale_is_618(planner: OfflinePlanner, question: str, campaign: str) -> None:
    assert _campaigns(query_args(planner, question)) == [campaign]


def test_mid_year_sale_window_over_the_store(planner: OfflinePlanner) -> None:
    args = query_args(planner, "去年年中大促期间全店卖了多少")
    assert not _campaigns(args)
    assert "年中大促" in str(args.get("time_range"))


# 5. What an A/B test varied names its campaign: a subject line is an email's, so the
#    store's email A/B campaign is the test.
@pytest.mark.parametrize(
    "question",
    [
        "主题行测试 点击率差异显著吗",
        "邮件主题行那个测试，转化率B是不是更好",
        "was the subject-line test significant on conversions?",
        "subject line test - did B win on opens",
    ],
)
def test_subject_line_test_is_the_email_ab(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_test"
    assert args["campaign"] == "Spring Festival 2026 - Email A/B"


# 6. The variants said as "两组" / "A版B版" with no verdict asked: each variant's figure (a
#    metric by variant); a verdict (p值, 显著) asks for the test.
@pytest.mark.parametrize(
    "question",
    [
        "春节邮件AB测试 两组的点击率分别多少",
        "年货节邮件A版B版的打开率各是多少",
        "春节那个邮件AB 两个组转化率各多少",
    ],
)
def test_two_groups_figure_is_a_metric_per_variant(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["dimensions"] == ["variant"]
    assert _campaigns(args) == ["Spring Festival 2026 - Email A/B"]


@pytest.mark.parametrize(
    "question",
    ["春节邮件AB测试 打开率B比A低 p值多少", "春节邮件AB两组点击率差异 给个p 值"],
)
def test_p_value_asks_for_the_test(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_test"
    assert args["campaign"] == "Spring Festival 2026 - Email A/B"


# 7. A festival said without its year beside an A/B campaign of another year: the campaign's
#    run, not the latest festival's days (which hold none of it).
def test_festival_without_year_takes_the_test_campaign_run(planner: OfflinePlanner) -> None:
    args = query_args(planner, "双11推送AB测试各版本的点击率")
    assert _campaigns(args) == ["Double 11 2025 - Push A/B"]
    assert "2026" not in str(args.get("time_range"))


# 8. A channel's send said bare, with no period or name: which campaign is asked, naming it.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("quick one, how did the email do", "email"),
        ("how'd the texts go?", "texts"),
        ("so how was the social ads campaign performing", "social ads"),
        ("how did our push perform", "push"),
    ],
)
def test_bare_channel_send_is_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


# 9. Another company's figures (the shop next door, a rival) are refused: never the store's
#    own campaigns of the festival listed as if they were meant.
@pytest.mark.parametrize(
    "question",
    [
        "隔壁那家今年618卖了多少",
        "竞争对手双十一的销售额有吗",
        "隔壁店这次双11的订单量大概多少",
    ],
)
def test_rival_figures_are_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "Double 11 2025" not in reply and "618 2026 - " not in reply
    assert "竞争对手" in reply or "其他公司" in reply


# 10. Near misses: a neighbouring city is no rival; a send said "on the" festival's day
#     with no send noun stays the day.
def test_neighbouring_city_is_not_a_rival(planner: OfflinePlanner) -> None:
    reply = planner._plan("隔壁城市苏州今年的销售额", [])
    assert "竞争对手" not in str(reply.content)


def test_festival_send_after_on_the_names_the_campaign(planner: OfflinePlanner) -> None:
    args = query_args(planner, "open rate on the singles day push last year")
    assert _campaigns(args) == ["Double 11 2025 - Push A/B"]
    day = query_args(planner, "sales on double 11 last year")
    assert not _campaigns(day)


# 11. "msgs" / "msg" are a campaign's messages said short: no unknown campaign called "msgs".
@pytest.mark.parametrize(
    "question",
    [
        "new customers during 618 2026, overall, not only those who came from our msgs",
        "first-time buyers during double 11 2025 - whole store, not just via promo msgs",
    ],
)
def test_msgs_are_messages(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["new_customers"]
    assert not _campaigns(args)


# 12. A difference asked about as luck or real after the variants' figures: the test.
@pytest.mark.parametrize(
    "second",
    [
        "差这么多 是运气还是真的",
        "这个差距是真的还是巧合",
        "is that gap luck or real?",
        "real or just a fluke?",
    ],
)
def test_luck_or_real_after_variant_figures_is_the_test(
    planner: OfflinePlanner, second: str
) -> None:
    tool, args = last_call(planner, ["春节邮件AB测试 各版本的转化率", second])
    assert tool == "ab_test", args
    assert args["campaign"] == "Spring Festival 2026 - Email A/B"


# 13. A campaign's period written short by the initials of its festival's words and its year
#     ("SF26", "sf'25"), derived from the store's names; a year the store has none of stays
#     unknown.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("SF26 email A/B, open rate per variant", "Spring Festival 2026 - Email A/B"),
        ("roi of the sf25 sms?", "Spring Festival 2025 - SMS"),
        ("SF'26 短信的退订率", "Spring Festival 2026 - SMS"),
        ("what did the SF2025 texts cost", "Spring Festival 2025 - SMS"),
    ],
)
def test_short_festival_name_names_the_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    assert _campaigns(query_args(planner, question)) == [campaign]


def test_short_name_of_a_year_without_campaigns_is_asked_back(planner: OfflinePlanner) -> None:
    assert "SF27" in asked_back(planner, "SF27 email open rate")
