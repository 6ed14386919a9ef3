"""Round 18, which metric(s) a query_metrics question asks for: a figure refused beside the
asked one ("X, not Y", "不是Y") is never shown; GMV is the gross sales (before returns) and
GMV net of returns the revenue; a population said as whose rate it is (买家流失率) is no count
of its own; new customers a campaign brought are the acquired customers; a breakdown set
aside or pooled over ("not per variant", "(any channel)", "不分渠道") is none; a Chinese
unmeasured word straddling a store word (月活 inside 每个月活动) is no word of the question;
loose verbs of the asked metric (orders a send brought, hit unsubscribe, sent back beside the
return rate). Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import AS_OF, asked_back, query_args


# 1. A figure refused after a contrast or refusal word that opens its own clause is dropped;
#    the asked one stays alone.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("refunds in August - the money, not how many orders", ["returns"]),
        ("how much did we refund last month? the value, not the number of orders", ["returns"]),
        ("上个月退款退了多少钱，要金额，不是退了几单", ["returns"]),
        ("8月退货金额是多少（不要退货单数）", ["returns"]),
        ("revenue for Q3, not orders", ["revenue"]),
        ("上季度退货单数，不是退货金额", ["returned_orders"]),
        ("orders last week; not the revenue", ["orders"]),
    ],
)
def test_refused_figure_is_not_shown(planner: OfflinePlanner, question: str, metrics: list) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 1b. Near-misses: "not" inside its clause, or a refused clause naming no metric, keep the ask.
def test_not_inside_a_clause_is_no_refused_figure(planner: OfflinePlanner) -> None:
    assert query_args(planner, "revenue and orders last month")["metrics"] == ["revenue", "orders"]
    assert query_args(planner, "上个月退货金额和退货单数")["metrics"] == [
        "returns",
        "returned_orders",
    ]


# 2. GMV is the gross merchandise value: the sales before returns (gross sales); GMV net of
#    returns (after refunds, 扣掉退货的) is the revenue.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("GMV last month", ["gross_sales"]),
        ("what was the gmv in Q2", ["gross_sales"]),
        ("上个月的GMV是多少", ["gross_sales"]),
        ("今年每个月的gmv", ["gross_sales"]),
        ("gross merchandise value for 2025", ["gross_sales"]),
        ("GMV for Q3, net of returns", ["revenue"]),
        ("net GMV by month this year", ["revenue"]),
        ("GMV after refunds last quarter", ["revenue"]),
        ("上个月GMV（扣除退款后）", ["revenue"]),
    ],
)
def test_gmv_is_gross_sales_unless_net_of_returns(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


def test_gmv_beside_revenue_is_both(planner: OfflinePlanner) -> None:
    assert query_args(planner, "GMV and net revenue last month")["metrics"] == [
        "gross_sales",
        "revenue",
    ]


# 3. A population said as whose rate or count it is ("buyer churn", "买家流失率") is its
#    base, no figure beside it; listed apart ("buyers and churn rate") both are asked.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("buyer churn rate last quarter", ["churn_rate"]),
        ("上个月买家流失率", ["churn_rate"]),
        ("买家复购率 今年", ["repurchase_rate"]),
        ("今年上半年的买家复购率是多少", ["repurchase_rate"]),
        ("how many of our Q2 buyers did we lose in Q3? count not rate", ["churned_customers"]),
        ("churned count for Q3 vs Q2 buyers", ["churned_customers"]),
    ],
)
def test_population_said_as_whose_rate_is_no_count(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("buyers and churn rate last month", ["buyers", "churn_rate"]),
        ("上个月的买家数和流失率", ["buyers", "churn_rate"]),
    ],
)
def test_population_listed_apart_is_asked(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 4. New customers the campaigns brought in, or whose first order is credited to a send, are
#    the acquired customers; new customers with no campaign stay new customers.
@pytest.mark.parametrize(
    "question",
    [
        "how many new customers did campaigns bring in last year",
        "first-time buyers that were brought in by our campaigns in 2025?",
        "customers whose first order was attributed to a campaign, 2025",
        "活动带来了多少新客 去年",
        "今年首单归因于活动的客户有多少",
        "how many new buyers did our email sends actually win in Q3",
    ],
)
def test_new_customers_a_campaign_brought_are_acquired(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["acquired_customers"]


def test_new_customers_with_no_campaign_stay_new(planner: OfflinePlanner) -> None:
    assert query_args(planner, "how many new customers did we get last year")["metrics"] == [
        "new_customers"
    ]
    assert query_args(planner, "去年拉了多少新客")["metrics"] == ["new_customers"]


# 5. A breakdown set aside or pooled over is no breakdown; a plain one stays.
@pytest.mark.parametrize(
    "question",
    [
        "orders last month, not per channel",
        "orders last month regardless of city",
        "net sales Q3, whatever the channel",
        "上个月订单数，不分渠道",
        "上个月订单数 不限渠道",
    ],
)
def test_breakdown_set_aside_is_none(planner: OfflinePlanner, question: str) -> None:
    assert not query_args(planner, question).get("dimensions")


def test_plain_breakdown_stays(planner: OfflinePlanner) -> None:
    assert query_args(planner, "上个月各渠道的订单数")["dimensions"] == ["channel"]
    assert query_args(planner, "revenue last month by channel")["dimensions"] == ["channel"]


# 6. A Chinese unmeasured word read across the edge of a store word is no word: 月活 inside
#    每个月活动; said on its own it is still refused.
def test_unmeasured_word_straddling_a_store_word_is_none(planner: OfflinePlanner) -> None:
    args = query_args(planner, "今年每个月活动带来的转化数")
    assert args["metrics"] == ["conversions"]


def test_unmeasured_word_on_its_own_is_refused(planner: OfflinePlanner) -> None:
    assert "月活" in asked_back(planner, "上个月的月活是多少")


# 7. Loose verbs of the asked metric: orders a send brought (conversions), hit unsubscribe
#    (unsubscribes), sent back beside the return rate, 转化单数.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("the Win-back 2026 email - how many orders did it bring", ["conversions"]),
        ("Win-back 2026 email: orders it brought in?", ["conversions"]),
        ("今年活动带来的转化单数", ["conversions"]),
        ("how many people hit unsubscribe on email this year", ["unsubscribes"]),
        (
            "sms this year: how many clicked unsubscribe? the count, we've got the rate",
            ["unsubscribes"],
        ),
        (
            "which products got sent back the most last year - return rate by product",
            ["return_rate"],
        ),
    ],
)
def test_loose_words_of_the_asked_metric(
    planner: OfflinePlanner, question: str, metrics: list
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


# 8. The answer of GMV says how it was read (gross sales, before returns), in the question's
#    language; a plain gross sales question has no such line.
@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("gmv")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("gmv for May 2026", "as GMV (gross sales, before returns)"),
        ("2026年5月的GMV", "理解为GMV（总销售额，扣除退货之前）"),
    ],
)
def test_gmv_answer_says_how_it_was_read(copilot: Copilot, question: str, said: str) -> None:
    answer = copilot.ask(question)
    assert answer.to_json()["status"] == "answered", answer.text
    assert said in answer.text, answer.text


def test_gross_sales_answer_has_no_gmv_line(copilot: Copilot) -> None:
    answer = copilot.ask("gross sales for May 2026")
    assert "GMV" not in answer.text, answer.text


# 9. The rest of a dimension after an exclusion, said with a qualifier before its noun (其他推广
#    渠道, 其余营销渠道): restates the exclusion, one total.
@pytest.mark.parametrize(
    "question",
    [
        "今年上半年 除了邮件 其他推广渠道一共花了多少",
        "上个月除了短信以外，其余营销渠道总共花了多少",
        "除了push 别的推广渠道今年一共花了多少钱",
    ],
)
def test_rest_of_the_channels_after_an_exclusion(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["cost"]
    assert args.get("exclude", {}).get("channel")
    assert not args.get("dimensions")
