"""Round 19, SQL requests and analysis tools: workplace paperwork refused (never a copy
brief), a subject-line split asked with a verb ("out-open") tested, the review count beside a
category's average rating read as that SQL's own column, the messages sent as a count metric,
the N most reviewed items ranked by their reviews, cross-sell asked "for" an item with the
cue's noun left out, and "it" standing for the one product the question names. Every wording
is our own; each family has near-misses that must still be answered otherwise or asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. Workplace paperwork (leave requests, resignation letters, notes to HR) is refused.
@pytest.mark.parametrize(
    "question",
    [
        "draft my annual leave request to HR for the week after next",
        "can you write an email to human resources asking for two days off",
        "pls write a resignation letter for me, last day is friday",
        "帮我写个请假条，下周一想调休",
        "写一封辞职信给公司",
        "帮我起草一份病假申请邮件给人事",
    ],
)
def test_workplace_paperwork_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "HR" in reply


def test_holiday_copy_for_customers_is_still_copy(planner: OfflinePlanner) -> None:
    name, _ = planned_call(
        planner, "holiday email for VIP customers about the Spring Festival sale"
    )
    assert name == "generate_copy"
    name, _ = planned_call(planner, "给高价值客户写一条春节促销短信")
    assert name == "generate_copy"


# 2. A split test asked with a verb of winning on a metric ("out-open", "out-click").
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Spring Festival 2026 email split: did the B subject line out-open A?", "open_rate"),
        ("spring festival 2026 email test - did one version really out-click the other", "ctr"),
        ("Spring Festival 2026 email A/B: did variant A out-convert B?", "conversion"),
    ],
)
def test_split_test_verb_names_the_metric(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_test"
    assert args["campaign"] == "Spring Festival 2026 - Email A/B"
    assert args["metric"] == metric


def test_possessive_s_is_no_variant_letter(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "did the Double 11 2025 push test's variant B win?")
    assert name == "ab_test" and args.get("variant") == "B"


# 3. The review count beside a category's average star rating: the rating's SQL.
@pytest.mark.parametrize(
    "question",
    [
        "mean star rating per category, plus how many reviews each is based on",
        "avg rating by category w/ the review count underlying it",
        "每个类目的平均评分和评价条数",
        "各品类平均星级，以及各自的样本量",
    ],
)
def test_rating_by_category_with_counts(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "GROUP BY p.category" in args["sql"] and "AVG(r.rating)" in args["sql"]
    assert "COUNT(*)" in args["sql"]


def test_rating_with_sentiment_is_still_sentiment(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "average rating by category and the sentiment behind each")
    assert name == "review_sentiment"


# 4. The messages sent (bounced or not) are a count metric; the SQL cue 写条SQL names a query.
@pytest.mark.parametrize(
    "question",
    [
        "sql: number of sends per campaign",
        "写一条sql，统计每个活动的发送量",
        "写条SQL 每个活动发出多少条消息",
    ],
)
def test_send_count_sql(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "COUNT(*) AS send_count" in args["sql"] and "campaigns.name" in args["sql"]
    assert "delivered" not in args["sql"]


def test_send_count_metric(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "每个渠道的发送量和送达量")
    assert name == "query_metrics"
    assert args["metrics"] == ["send_count", "delivered"]
    # "messages sent" describing the opens' messages adds no second metric
    name, args = planned_call(planner, "opens of the messages sent last month")
    assert name == "query_metrics" and args["metrics"] == ["opens"]


def test_write_one_sql_cue(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "写条SQL：各活动的送达数和退订数")
    assert name == "run_sql" and "unsubscribed" in args["sql"]


# 5. "the N most reviewed skus": the column's values ranked by the table's rows.
@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("sql pls: 3 most reviewed skus", 3),
        ("query: the 7 most reviewed sku", 7),
        ("写个SQL：被评论最多的前4个sku", 4),
    ],
)
def test_most_reviewed_ranked(planner: OfflinePlanner, question: str, limit: int) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert args["sql"].startswith("SELECT sku, COUNT(*)") and "FROM reviews" in args["sql"]
    assert args["sql"].endswith(f"LIMIT {limit}")


# 6. Cross-sell asked "for" an item with the cue's noun left out: that item, not all baskets.
@pytest.mark.parametrize(
    "question",
    [
        "attach items for the yoga mat?",
        "cross-sell for Yoga Mat pls",
        "good add-on products for the Yoga Mat",
        "attach suggestions for the yoga mat",
    ],
)
def test_cross_sell_for_an_item(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules" and args.get("item") == "Yoga Mat"


def test_cross_sell_for_an_unknown_item_asked_back(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "attach items for the Flux Capacitor?")
    assert "Flux Capacitor" in reply


# 7. "it" beside the one store product the question names is that product.
@pytest.mark.parametrize(
    "question",
    [
        "想给瑜伽垫做个搭配，什么跟它一起买得多",
        "planning a bundle around the Yoga Mat - what sells with it",
    ],
)
def test_it_is_the_named_product(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules" and args.get("item") == "Yoga Mat"


def test_it_with_no_store_product_asked_back(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "想给火星礼盒配个组合，哪些商品跟它一起买的多")
    assert "它" in reply


# 8. The rate by the hour of sending ("按发送小时", "by send hour") is the send-time analysis,
#    and "哪个时段打开的人多" asks the count larger, no group of customers described.
@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("邮件按发送小时看打开率，哪个点最好", "email"),
        ("sms open rate by send hour - which hour is best", "sms"),
        ("推送 哪个时段点击的人多", "push"),
        ("短信几点发，打开的人多？", "sms"),
    ],
)
def test_rate_by_send_hour(planner: OfflinePlanner, question: str, channel: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "best_send_time" and args.get("channel") == channel


def test_described_buyers_still_asked_back(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "晚上下单的顾客有多少")
    assert "下单的顾客" in reply


# 9. A size per group asked with the effect to detect ("识别出", "每组样本？"): a test planned.
@pytest.mark.parametrize(
    "question",
    [
        "当前转化率2%，希望能识别出0.5个百分点的提升，每组样本？",
        "现在点击率6%，要分辨出1个百分点的提升，每个版本的样本量？",
    ],
)
def test_sample_size_per_group(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_sample_size" and args["relative"] is False


# 10. Reviews of a star level said as the column's condition, counted per category by SQL;
#     the products table named for the join is no per-product breakdown.
@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("写个SQL：rating=1的评价，join商品表，按类目统计", "r.rating = 1"),
        (
            "sql - reviews with rating<=2 joined to the products table, count per category",
            "r.rating <= 2",
        ),
        ("SQL: rating = 3 reviews counted by category", "r.rating = 3"),
    ],
)
def test_star_condition_counted_per_category(
    planner: OfflinePlanner, question: str, condition: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert f"WHERE {condition} GROUP BY p.category" in args["sql"]
    assert "LIMIT" not in args["sql"]


# 11. The largest orders of a status, with the customer's own city: one SELECT joining customers.
@pytest.mark.parametrize(
    "question",
    [
        "sql: 5 largest completed orders in 2025 with each customer's city",
        "写个SQL：2025年金额最大的5个订单，带上客户所在城市",
    ],
)
def test_largest_orders_with_customer_city(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "JOIN customers c ON c.customer_id = o.customer_id" in args["sql"]
    assert "c.city" in args["sql"] and args["sql"].endswith("LIMIT 5")
    assert "'2025-01-01' AND '2025-12-31'" in args["sql"]


# 12. Customers with no valid order "counted by" a field of theirs: the count per that field.
@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("sql: shoppers who never bought anything, counted by city", "city"),
        ("query: customers without any valid order, counts by gender", "gender"),
        ("写个SQL：从没下过单的客户，按注册渠道计数", "signup_channel"),
    ],
)
def test_never_ordered_counted_by(planner: OfflinePlanner, question: str, column: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "NOT EXISTS" in args["sql"] and f"GROUP BY {column}" in args["sql"]
