"""Round 18, the segment tools: the RFM segments' Chinese names (休眠 = Hibernating, 快要 /
将要沉睡 = About to Sleep: the locale file names them 沉睡客户 and 即将沉睡); RFM turned down
in talk ("别给我RFM那套", "forget RFM") is no RFM request; kinds of shoppers "the data
decides" are personas; segments "on file" are the saved ones, and a listing with a period
lists all of them and says the period was not applied; "建成分群" saves a rule; any order in
one period and none in another is a rule; an age after a bought category is the people's.
Every wording here is our own, EN and ZH, with near-misses that must go elsewhere."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. 休眠 + a people noun is the RFM segment Hibernating (its literal name), for any tool.
@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("休眠用户导一份短信名单", "export_audience"),
        ("给休眠会员推送几点发最好", "best_send_time"),
        ("休眠客户都是些什么人，年龄城市分布", "profile_segment"),
        ("把休眠顾客的邮件名单拉出来，准备做召回", "export_audience"),
    ],
)
def test_hibernating_said_as_xiumian_is_that_segment(
    planner: OfflinePlanner, question: str, tool: str
) -> None:
    name, args = planned_call(planner, question)
    assert (name, args.get("segment")) == (tool, "Hibernating")


# Near-miss: a state no segment names stays asked back.
@pytest.mark.parametrize("question", ["不活跃用户有多少", "how many inactive customers do we have"])
def test_other_idle_states_are_still_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert asked_back(planner, question)


# 2. 即将沉睡 said as 快要 / 快 / 将要 is About to Sleep, never Hibernating.
@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("快要沉睡的用户 导个短信名单", "export_audience"),
        ("将要沉睡的客户是哪些人 画像看一下", "profile_segment"),
        ("快沉睡的会员 推送什么时候发", "best_send_time"),
    ],
)
def test_about_to_sleep_in_everyday_words(
    planner: OfflinePlanner, question: str, tool: str
) -> None:
    name, args = planned_call(planner, question)
    assert (name, args.get("segment")) == (tool, "About to Sleep")


def test_copy_for_customers_about_to_sleep_is_for_that_segment(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "帮快要沉睡的客户写条短信，推一下彩妆")
    assert name == "generate_copy"
    assert args.get("segments") == ["About to Sleep"]


def test_plain_chensui_stays_hibernating(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "沉睡客户导一份邮件名单")
    assert (name, args.get("segment")) == ("export_audience", "Hibernating")


# 3. RFM turned down in talk, with clustering asked: personas, never the RFM table.
@pytest.mark.parametrize(
    "question",
    [
        "别再给我看RFM了，按购买行为把客户聚一聚",
        "RFM那套就算了，用聚类看看客户有几种",
        "forget RFM - cluster our shoppers on how they buy",
        "enough of RFM, what clusters do our buyers fall into?",
        "不要再跟我讲RFM，客户按行为分几类，数据说了算",
    ],
)
def test_rfm_turned_down_in_talk_gives_personas(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# Near-miss: RFM asked for, with a negation elsewhere, stays RFM.
@pytest.mark.parametrize("question", ["用RFM给客户分群，别忘了给建议", "segment customers by RFM"])
def test_rfm_asked_stays_rfm(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


# 4. Kinds of shoppers the data decides: personas.
@pytest.mark.parametrize(
    "question",
    [
        "which shopper archetypes do we have?",
        "let the data pick the groups - what customer types are there",
        "客户分几类让数据来决定",
        "what consumer archetypes does our data show?",
    ],
)
def test_kinds_the_data_decides_are_personas(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# 5. Segments kept "on file / on record / in the system": the saved list, not an RFM run.
@pytest.mark.parametrize(
    "question",
    [
        "which segments are on file right now",
        "list the audiences on record",
        "what segments are in the system?",
        "手头有哪些分群",
        "存档的人群包有哪些",
    ],
)
def test_segments_on_file_are_the_saved_list(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "list_segments"


# A listing with a period lists every saved segment and says the period was not applied.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        (
            "I saved a skincare audience last month, forgot the name - list our saved segments",
            "last month",
        ),
        ("上周存了个人群包 名字忘了 已保存的分群都列一下", "上周"),
    ],
)
def test_saved_listing_with_a_period_lists_all_and_says_so(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "list_segments"
    assert period in message.response_metadata.get("reading_note", "")


def test_saved_listing_without_a_period_adds_no_note(planner: OfflinePlanner) -> None:
    message = planner._plan("list our saved segments", [])
    assert "reading_note" not in message.response_metadata


# 6. "建成 / 做成 / 弄成分群": a save; any order in one period and none in another is a rule.
@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("2025年买过、2026年一单没下的客户 做成分群", "2025", "2026"),
        ("去年买过、今年一单都没下的用户，弄成一个人群包", "去年", "今年"),
        (
            "customers who bought in 2025 but nothing in 2026 - save them as a segment",
            "2025",
            "2026",
        ),
        ("save a segment of people who ordered in 2025 but not once in 2026", "2025", "2026"),
    ],
)
def test_ordered_then_none_in_another_period_is_a_rule(
    planner: OfflinePlanner, question: str, first: str, second: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    definition = args["definition"]
    bought, *rest = definition["purchases"]
    assert set(bought) == {"period"} and first in bought["period"]  # any order then
    # none in the second period: no order at all, or no purchase of anything then
    none_after = [p for p in rest if set(p) == {"period", "bought"} and not p["bought"]]
    if none_after:
        assert second in none_after[0]["period"]
    else:
        assert definition["orders"]["max"] == 0 and second in definition["orders"]["period"]


def test_consent_beside_the_order_gap_is_kept(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "去年有订单但今年一单没下、同意短信的客户 建成分群")
    assert name == "define_segment"
    assert args["definition"].get("consents") == ["sms"]
    assert args["definition"]["orders"]["max"] == 0


# Near-miss: bought before with no period of its own and none this year is not a gap rule.
def test_bought_with_no_period_then_none_is_not_a_two_period_rule(planner: OfflinePlanner) -> None:
    message = planner._plan("买过但今年一单没下的客户 建成分群", [])
    for call in message.tool_calls:
        assert call["args"].get("definition", {}).get("purchases") != [{}]


# 7. An age after a bought category ("买过彩妆、25岁以下") is the people's age, not a product.
@pytest.mark.parametrize(
    "question",
    [
        "近60天买过护肤品、年龄25岁以下的客户 存成分群",
        "最近一个月买过母婴用品、35岁以上的女性，保存为分群",
        "save a segment: bought makeup in the last 30 days, aged 40 or over",
    ],
)
def test_an_age_after_a_bought_category_is_the_peoples(
    planner: OfflinePlanner, question: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    definition = args["definition"]
    assert "min_age" in definition or "max_age" in definition
    assert definition["purchases"][0]["categories"]


# Near-miss: an unknown object after the category is still asked about.
def test_an_unknown_bought_object_is_still_asked(planner: OfflinePlanner) -> None:
    assert "美妆" in asked_back(planner, "买过彩妆、美妆的客户存成分群")
