"""Round 15 wave 2, non-metric tool kinds (engineer tools2): software requests refused,
cross-sell asked as add-ons or "what else to push", an English item held by several names,
exports as send files / 推送人群, saved segments still there, personas as groups that emerge,
churn said as no order from now on, SQL over signup dates, the signup channel said with 的.
Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.outcome import STATUS_KEY
from tests.conftest import asked_back, last_call, planned_call


# 1. Writing software or scraping other sites is out of scope: refused, never a copy brief;
#    a video script (marketing copy) and SQL stay answered.
@pytest.mark.parametrize(
    "question",
    [
        "code me a web crawler that collects douyin comments",
        "build a javascript bot to scrape reviews off a marketplace",
        "帮我写个爬虫抓取抖音的评论",
        "帮我写一段java代码统计日志",
    ],
)
def test_software_requests_are_refused(planner: OfflinePlanner, question: str) -> None:
    reply = planner._plan(question, [])
    assert not reply.tool_calls, reply.tool_calls
    assert reply.response_metadata.get(STATUS_KEY) == "refused"


def test_sql_is_still_written(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "写个SQL：各省份的客户数")[0] == "run_sql"


# 2. Cross-sell asked as add-ons, as what else to push / promote, or 搭配卖什么, with the
#    buyers of an item named first.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        (
            "a shopper just ordered the Ultrabook 14 - which add-ons should we pitch?",
            "Ultrabook 14",
        ),
        ("people buying the yoga mat, what else can we promote to them", "Yoga Mat"),
        ("customers who bought the robot vacuum: what else do we offer them", "Robot Vacuum"),
        ("买瑜伽垫的顾客，搭配推点什么", "Yoga Mat"),
    ],
)
def test_cross_sell_as_add_ons_or_what_else(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("item")) == ("cross_sell_rules", item)


# 3. An English word held by several product names is the product it heads (the head noun,
#    then only an edition or model code); one it only modifies is another thing.
def test_an_english_item_is_the_product_it_heads(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "what else do stroller buyers pick up? what to upsell")
    assert (tool, args.get("item")) == ("cross_sell_rules", "Stroller Lite")


def test_an_english_word_heading_no_name_or_several_is_asked(planner: OfflinePlanner) -> None:
    assert "Yoga Mat" in asked_back(planner, "what goes well with yoga?")


# 4. Exports said as a send / mailing file, or a channel's 推送人群; 推送 after 邮件 / 短信
#    is the sending, not the push channel.
@pytest.mark.parametrize(
    ("question", "segment", "channel"),
    [
        ("give me the Loyal Customers as an email send file for the spring blast",
         "Loyal Customers", "email"),
        ("hand over the At Risk group as an SMS mailing file", "At Risk", "sms"),
        ("需要一份冠军客户的邮件推送人群", "Champions", "email"),
        ("要一份流失风险客户的push推送名单", "At Risk", "push"),
    ],
)  # fmt: skip
def test_send_files_and_push_audiences_are_exports(
    planner: OfflinePlanner, question: str, segment: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("segment"), args.get("channel")) == ("export_audience", segment, channel)


# 5. Segments made last time, asked whether still there: the saved list.
@pytest.mark.parametrize(
    "question",
    [
        "上回做的几个人群包还在吗？列一下",
        "前几天保存的客群还在不在，列个清单",
        "之前建的分群还在吗",
    ],
)
def test_saved_segments_still_there_are_listed(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "list_segments"


# 6. Groups that emerge by themselves from behaviour are clusters (personas).
@pytest.mark.parametrize(
    "question",
    [
        "which customer groups appear naturally in our behavioural data",
        "what groupings emerge if we let the shopping data speak?",
        "行为数据里自然形成了哪些客群？",
    ],
)
def test_groups_that_emerge_are_personas(planner: OfflinePlanner, question: str) -> None:
    assert planned_call(planner, question)[0] == "customer_personas"


# 7. No order from now on, beside a horizon, is what churn means: the prediction for it.
@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("未来30天可能不再购买的客户有哪些", 30),
        ("接下来两个月可能不再下单的人", 60),
        ("who probably won't buy again in the next 60 days", 60),
    ],
)
def test_no_order_from_now_on_is_the_churn_prediction(
    planner: OfflinePlanner, question: str, days: int
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args.get("horizon_days")) == ("predict_churn", days)


def test_a_past_no_order_beside_churn_is_still_a_condition(planner: OfflinePlanner) -> None:
    assert (
        planned_call(planner, "有流失风险：三个月没消费，至少买过3次的客户")[0] != "predict_churn"
    )


# 8. SQL over customers who signed up in a year: dated by signup_date.
@pytest.mark.parametrize(
    "question",
    ["写个SQL：2025年注册了多少客户", "sql: count the customers who signed up during 2025"],
)
def test_sql_counts_signups_in_a_year(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql"
    assert "FROM customers" in args["sql"] and "signup_date" in args["sql"]
    assert "2025-01-01" in args["sql"] or args.get("period")


# 9. The channel they signed up on, said with 的, splits new customers by signup channel.
def test_signup_channel_said_with_de_splits_new_customers(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["上个月新客数", "按他们最初注册的渠道拆开看看"])
    assert name == "query_metrics"
    assert args["metrics"] == ["new_customers"] and args["dimensions"] == ["signup_channel"]
