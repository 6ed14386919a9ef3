"""Round 17, routing to the customer tools: a segment's traits asked in plain words are its
profile (never the best channel to reach it, nor the RFM table); send times asked by a
moment, a clock hour, a weekday or a part of the day; clustering with RFM as one of its
inputs, clustering before copy for each group, and a clustered portrait are personas; a
consent refused is a condition of a segment or a count (never read as consent); a save
request is never the RFM table; an RFM segment counted beside a figure set aside. Every
wording here is our own, EN and ZH, with near-misses that must go elsewhere or be asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. A named segment's traits asked in plain words (age, where they live, what and where they
#    buy): its profile. "which channel do they buy from" is where they shop, not how to reach.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("At Risk 那批人 一般几岁 住在哪", "At Risk"),
        ("Champions 这群客户爱买什么、都在哪个渠道下单", "Champions"),
        ("Hibernating folks: how old are they and which channel do they buy from", "Hibernating"),
        (
            "profile the Need Attention group - what channel do they mostly shop on?",
            "Need Attention",
        ),
        ("Promising vs everyone else: how do they differ on age and gender", "Promising"),
        ("即将沉睡的客户 多大年纪 主要买啥", "About to Sleep"),
    ],
)
def test_segment_traits_in_plain_words_are_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("segment")) == ("profile_segment", segment)


# Near-misses: the channel to reach a segment stays best_channel; one trait alone is no profile.
@pytest.mark.parametrize(
    "question",
    ["which channel should we use to reach At Risk customers?", "Champions 用哪个渠道触达最好"],
)
def test_channel_to_reach_a_segment_stays_best_channel(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "best_channel"


# 2. When to send, asked by a moment, a clock hour, a weekday or a part of the day.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("what's the best moment to email Loyal Customers", "email"),
        ("短信一般几个钟点发 打开率高", "sms"),
        ("推送 上午还是晚上发效果好", "push"),
        ("邮件周几发比较好", "email"),
        ("morning or evening for the push to At Risk?", "push"),
        ("Champions 短信的发送窗口怎么定", "sms"),
    ],
)
def test_send_time_by_moment_hour_weekday_or_daypart(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("channel")) == ("best_send_time", channel)


def test_send_time_keeps_the_segment_beside_people_slang(planner: OfflinePlanner) -> None:
    """ "Hibernating dudes": the segment, not a gender segment saved instead."""
    tool, args = planned_call(planner, "best moment to email the Hibernating guys")
    assert (tool, args.get("segment"), args.get("channel")) == (
        "best_send_time",
        "Hibernating",
        "email",
    )


# Near-miss: the hour orders come in is a metric by hour, not a send time.
def test_which_hour_orders_come_in_is_no_send_time(planner: OfflinePlanner) -> None:
    message = planner._plan("周几下单的人最多", [])
    assert not any(c["name"] == "best_send_time" for c in message.tool_calls)


# 3. Clustering: RFM as one input, copy for each group the clustering makes, a clustered portrait.
@pytest.mark.parametrize(
    "question",
    [
        "kmeans using RFM + channel mix + age, what clusters do we get",
        "cluster buyers on rfm scores plus category share",
        "用RFM+品类偏好做个聚类，看看有哪几类人",
        "cluster our shoppers and write one line for each cluster",
        "聚个类 然后每类写一句话描述",
        "what kind of shopper do we have? clustering please, not RFM",
        "有没有学生党、上班族这类人群 做个聚类画像",
    ],
)
def test_clustering_asks_are_personas(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# Near-misses: RFM itself, and copy for named segments, stay what they are.
def test_rfm_alone_and_copy_for_named_segments_stay(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "run RFM on our buyers")[0] == "rfm_segments"
    tool, _ = planned_call(planner, "write an sms for Champions about the winter sale")
    assert tool == "generate_copy"


# 4. A consent refused is a condition: of the rule (no_consents), or of a count (NOT consent).
@pytest.mark.parametrize(
    ("question", "refused", "given"),
    [
        ("存个分群：上海客户 同意推送 但不同意短信", ["sms"], ["push"]),
        ("save a segment: Chengdu women, sms consent yes, email consent no", ["email"], ["sms"]),
        ("new audience: customers who opted out of email", ["email"], []),
        ("建个分群：没授权短信的北京客户", ["sms"], []),
    ],
)
def test_refused_consent_is_a_rule_condition(
    planner: OfflinePlanner, question: str, refused: list[str], given: list[str]
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    assert args["definition"].get("no_consents") == refused
    assert args["definition"].get("consents", []) == given


def test_refused_consent_in_a_count_is_not_consent(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "how many Shanghai customers have no sms consent")
    assert tool == "run_sql"
    assert "NOT COALESCE(consent_sms" in args["sql"]
    assert "WHERE consent_sms" not in args["sql"]


# 5. A save request with its rule after a colon is never the RFM table.
@pytest.mark.parametrize(
    "question",
    ["存个分群：杭州 女性", "segment pls: women in Shenzhen", "存一下人群包：成都的男性客户"],
)
def test_save_request_is_never_the_rfm_table(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not any(c["name"] == "rfm_segments" for c in message.tool_calls)


# 6. An RFM segment counted beside a figure set aside: the RFM table, not that figure.
@pytest.mark.parametrize(
    "question",
    [
        "RFM里New Customers那层多少人（不是本月的新客数）",
        "how many people sit in the New Customers RFM tier (not this month's new customer count)",
    ],
)
def test_rfm_segment_count_beside_a_figure_set_aside(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


def test_new_customers_metric_alone_stays_a_metric(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "这个月新客数多少")
    assert (tool, args["metrics"]) == ("query_metrics", ["new_customers"])


def test_unknown_group_portrait_is_still_asked_back(planner: OfflinePlanner) -> None:
    assert "数码达人" in asked_back(planner, "给数码达人这个分群做个画像")


# 7. Churn predicted in chat shorthand, over a horizon in weeks or said as a window.
@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("churn predict for Champions over the next 45 days", 45),
        ("who's gonna churn in the next 3 weeks", 21),
        ("which shoppers will stop shopping w us - 30-day window", 30),
        ("anyone about to ghost us? 60 day horizon", 60),
        ("who is likely to quit buying in the next 4 weeks", 28),
    ],
)
def test_churn_shorthand_with_weeks_or_window(
    planner: OfflinePlanner, question: str, days: int
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("horizon_days")) == ("predict_churn", days)


def test_churn_rate_last_month_stays_a_metric(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "churn rate last month")
    assert (tool, args["metrics"]) == ("query_metrics", ["churn_rate"])


# 8. The saved segments asked by where to find them, "do we have any", or their names.
@pytest.mark.parametrize(
    "question",
    [
        "where can i see the segments we saved?",
        "wat segments r saved rn",
        "do we have any audiences saved for Shanghai already?",
        "之前存的人群包都叫什么",
        "quick rundown of our saved audiences pls",
    ],
)
def test_saved_segments_asked_loosely(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "list_segments"


# 9. An RFM segment's size with its average spend or orders, or its share as a percent.
@pytest.mark.parametrize(
    "question",
    [
        "At Risk: how many people, and what do they spend on average?",
        "流失风险那层 有几个人 平均下过几单",
        "what percentage of buyers are Champions",
        "Loyal Customers count + avg orders",
    ],
)
def test_rfm_segment_size_with_its_averages(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "rfm_segments"


def test_segment_metric_over_a_period_stays_a_metric(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "average order value of Champions last month")
    assert (tool, args["metrics"]) == ("query_metrics", ["aov"])
