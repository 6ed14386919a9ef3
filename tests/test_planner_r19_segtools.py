"""Round 19, the segment tools: saved segments said as kept now (存着, 系统里, 圈过的,
保存下来); cohort retention with the first order written "1st" or 第一次, the first-order
month named as the grouping and the cohort table called a matrix; a churn prediction asked as a
state reached ahead ("likely to go lapsed", "probably lost within N days") or a risk score per
customer; RFM turned down with no verb between (不要RFM) beside a clustering; "segment of
<people> buying / who ..." is a rule, never the RFM run; a rule's any-order condition said as
a valid order or a bare purchase, and its no-order condition said with 有效. Every wording here
is our own, EN and ZH, with near-misses that must go elsewhere or be asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


# 1. Saved segments said as kept now: the listing, never an RFM run.
@pytest.mark.parametrize(
    "question",
    [
        "后台存着的客群有哪些",
        "我们建过的分群都列出来看看",
        "平台上保存下来的人群有几个",
        "我存着的那些分群，给我看看",
        "系统里存着几个人群包？列一下",
    ],
)
def test_saved_segments_said_as_kept_now_are_listed(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "list_segments"


def test_rfm_counts_in_the_system_are_still_the_rfm_table(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "现在系统里的RFM分群各有多少人")
    assert name == "rfm_segments"


# 2. Cohort retention with the first order said in other words.
@pytest.mark.parametrize(
    "question",
    [
        "customers whose 1st order was in march, how many came back in april",
        "each first-order month, how well does it retain",
        "3月第一次购买的客户 4月还有多少再买",
        "按第一次下单月份做留存",
        "同期群留存矩阵 看今年的",
        "people with their 1st purchase in may - how many bought again in june?",
    ],
)
def test_cohort_with_first_order_in_other_words(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "cohort_retention"


@pytest.mark.parametrize(
    "question", ["what was the repurchase rate in feb", "how many new customers in january"]
)
def test_period_metrics_stay_metrics(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "query_metrics"


def test_a_first_order_word_beside_revenue_is_asked_back(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "1st order revenue last month")


# 3. A churn prediction asked as a state reached ahead, or a risk score per customer.
@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("who's likely to become churned in the next 30 days", 30),
        ("list buyers probably lost within 45 days", 45),
        ("which customers are expected to go dormant over the coming 60 days", 60),
        ("give me a lapse score for each customer", None),
        ("risk score per buyer pls, 90 day horizon", 90),
    ],
)
def test_churn_prediction_as_a_state_ahead(
    planner: OfflinePlanner, question: str, days: int | None
) -> None:
    name, args = planned_call(planner, question)
    assert name == "predict_churn"
    assert args.get("horizon_days") == days


@pytest.mark.parametrize(
    "question", ["how many customers churned last quarter", "churn rate last month"]
)
def test_churn_in_the_past_is_the_metric(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "query_metrics"


# 4. RFM turned down with no verb between, beside a clustering: the personas.
@pytest.mark.parametrize(
    "question",
    [
        "不要RFM，自动聚几类人群",
        "别RFM了，按行为聚类看看画像",
        "不用RFM，帮我聚成4类",
        "不要RFM那一套，自动分几类客户",
    ],
)
def test_rfm_turned_down_bare_leaves_the_clustering(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "customer_personas"


def test_rfm_asked_for_is_still_rfm(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "用RFM给客户分群")
    assert name == "rfm_segments"


# 5. "segment of <people> buying / who ...": a rule segment, never the RFM run.
@pytest.mark.parametrize(
    "question",
    [
        "segment of women who bought skincare this year",
        "audience of shoppers aged 25-35",
        "segment of buyers spending over 5000",
        "a segment of shanghai customers who ordered twice",
    ],
)
def test_segment_of_described_people_is_a_rule(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "define_segment"


def test_segment_of_unknown_people_is_asked_not_rfm(planner: OfflinePlanner) -> None:
    assert asked_back(planner, "segment of 80s borns buying diapers this yr")


@pytest.mark.parametrize("question", ["segment our customers", "segment my customers with RFM"])
def test_plain_segmentation_is_still_rfm(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "rfm_segments"


# 6. A rule's any-order condition said as a valid order or a bare purchase; its no-order
# condition said with 有效.
@pytest.mark.parametrize(
    "question",
    [
        "新建人群：近90天有过有效订单的上海客户",
        "create a segment of women having at least one valid order in the last 60 days",
        "建个分群 最近一个月买过的女性客户",
        "save a segment: buyers with a completed order in the last 30 days and email consent",
    ],
)
def test_rule_any_valid_order_in_a_period(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    orders = args["definition"]["orders"]
    assert orders["min"] == 1 and orders.get("period")


@pytest.mark.parametrize(
    "question", ["新建人群：最近90天没有有效订单的客户", "建个分群：近两个月没有有效订单的女性"]
)
def test_rule_no_valid_order_in_a_period(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "define_segment"
    assert args["definition"]["orders"]["max"] == 0


# 7. 'define a segment "X": ...': the quoted name right after the segment noun is the name,
# and the request keeps its noun.
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ('define a segment "big spenders": spent over 3000', "big spenders"),
        ('create an audience "sh ladies" - women in shanghai', "sh ladies"),
        ("新建分群“上海女性”：上海的女性客户", "上海女性"),
        ('save a segment "app joiners": signed up via the app', "app joiners"),
    ],
)
def test_quoted_name_after_the_segment_noun(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    tool, args = planned_call(planner, question)
    assert (tool, args["name"]) == ("define_segment", name)
    assert args["definition"]


# 8. A last order dated before a day: ordered, and none from that day on; the spend beside
# it is over all time, never within that day.
@pytest.mark.parametrize(
    "question",
    [
        "create a segment: last order before 2026-03-01, spent over 2000",
        'define a segment "old spenders": last purchase was before 2026-04-15 and spend above 1500',
        "新建分群：最后一次下单在2026年3月1日之前、累计消费超过2000的客户",
    ],
)
def test_last_order_before_a_day(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    definition = args["definition"]
    assert definition.get("last_order_before")
    assert "period" not in definition["spend"]


# Near-miss: a spend said net of returns is asked back (a segment's spend is before returns).
@pytest.mark.parametrize(
    "question",
    [
        "create a segment: last order before 2026-03-01, net spend over 2000",
        "新建分群：净消费超过2000的上海客户",
    ],
)
def test_net_spend_in_a_rule_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    assert "net" in asked_back(planner, question).lower() or "净" in asked_back(planner, question)


# 9. A decade said before "born" ("90s borns", "1980s-born"): those ten birth years; a
# purchase said with "buying" beside it is kept, never dropped.
@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("create a segment of 1980s-born women", 1980),
        ("new segment: 00s born shoppers in shanghai", 2000),
        ("segment of 70s borns buying skincare this year", 1970),
    ],
)
def test_decade_before_born_is_a_birth_range(
    planner: OfflinePlanner, question: str, first: int
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment"
    assert (args["definition"]["min_birth_year"], args["definition"]["max_birth_year"]) == (
        first,
        first + 9,
    )


def test_buying_a_category_beside_a_birth_decade_is_kept(planner: OfflinePlanner) -> None:
    _, args = planned_call(planner, "segment of 90s borns buying sports gear this yr")
    purchases = args["definition"].get("purchases") or []
    assert purchases and purchases[0]["categories"] == ["sports"]
