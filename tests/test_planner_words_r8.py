"""Round 8 (wave 2), kinds found with held-out set 8's English metric questions. Every
wording here is our own; none is the set's."""

from __future__ import annotations

from typing import Any

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. An opt-out share ("opt-out %", "退订比例") is the unsubscribe rate, a metric: never the
#    knowledge base's opt-out rules, which the bare word "opt-out" still asks for.
@pytest.mark.parametrize(
    ("question", "dimensions", "channel"),
    [
        ("SMS opt-out percentage per campaign in 2025", ["campaign"], ["sms"]),
        ("email opt-out rate", [], ["email"]),
        ("opt-out % on our push sends, by campaign", ["campaign"], ["push"]),
        ("短信退订占比", [], ["sms"]),
        ("邮件的退订比例按活动", ["campaign"], ["email"]),
    ],
)
def test_an_opt_out_share_is_the_unsubscribe_rate(
    planner: OfflinePlanner, question: str, dimensions: list[str], channel: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["unsubscribe_rate"]
    assert args.get("dimensions", []) == dimensions
    assert args.get("filters", {}).get("channel") == channel


@pytest.mark.parametrize(
    "question", ["how do we handle opt-outs", "what must the email opt-out line say?"]
)
def test_the_opt_out_rules_are_still_knowledge(planner: OfflinePlanner, question: str) -> None:
    assert planner._plan(question, []).tool_calls[0]["name"] == "search_knowledge"


# 2. A lower-case comparison word beside its change word ("qoq growth") reaches the tool as a
#    phrase it can read alone: it failed with "Cannot understand the period 'qoq'".
@pytest.mark.parametrize("question", ["qoq growth in web revenue", "app buyers, wow change"])
def test_a_lower_case_comparison_reaches_the_tool_readable(
    planner: OfflinePlanner, question: str
) -> None:
    from datetime import date

    from knowledge.time_ranges import find_period

    args = _args(planner, question)
    found = find_period(args["time_range"], date(2026, 11, 1))
    assert found is not None and found.compare_to is not None


# 3. Words that add nothing to a metric question: a share named "fraction" / "proportion",
#    "calendar 2024", "plus" joining two metrics, chat shorthand ("gonna"), layout words ("put
#    ... next to each other", "nothing else"). They were asked about.
@pytest.mark.parametrize(
    ("question", "metrics", "period"),
    [
        ("what proportion of buyers came back in 2025", ["repurchase_rate"], "2025"),
        ("orders by city in calendar 2024", ["orders"], "2024"),
        (
            "gonna need web revenue for last month plus the orders",
            ["revenue", "orders"],
            "last month",
        ),
        ("put AOV and orders next to each other for Q2", ["aov", "orders"], "Q2"),
        ("AOV for Q1, nothing else", ["aov"], "Q1"),
    ],
)
def test_words_that_add_nothing_to_a_metric_question(
    planner: OfflinePlanner, question: str, metrics: list[str], period: str
) -> None:
    args = _args(planner, question)
    assert (args["metrics"], args["time_range"]) == (metrics, period)


# 4. "the N strongest" ranks like "the N best": top N, never the default 10 or a question back.
def test_the_n_strongest_is_a_top_n(planner: OfflinePlanner) -> None:
    args = _args(planner, "the two strongest channels by orders in 2025")
    assert (args["dimensions"], args["limit"]) == (["channel"], 2)
    args = _args(planner, "strongest 4 provinces for revenue last year")
    assert (args["dimensions"], args["limit"]) == (["province"], 4)


# 5. More names of metrics: "click-through" alone (CTR), what one new customer cost (CAC,
#    never the campaign's whole cost), "what an order is worth" (AOV), "quantity shifted"
#    (units).
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("open rate and click-through by email campaign in 2025", ["open_rate", "ctr"]),
        ("what did each brand-new customer cost us in the Win-back 2025 - Email campaign", ["cac"]),
        ("Win-back 2025 - Email: cost per new buyer", ["cac"]),
        ("每个新客户平均花了多少钱 618 2026 - Push", ["cac"]),
        ("what's an order worth on web last quarter", ["aov"]),
        ("units moved by category in 2025", ["units"]),
    ],
)
def test_more_names_of_metrics(planner: OfflinePlanner, question: str, metrics: list[str]) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 6. "the 618 2026 push": a period with a channel noun after it names that period's one
#    campaign of the channel (it pooled the channel over the festival window); "push
#    notifications during 618" stays the channel over the period.
def test_a_period_with_a_channel_noun_names_its_campaign(planner: OfflinePlanner) -> None:
    args = _args(planner, "conversion rate of the 618 2026 push")
    assert args["filters"] == {"campaign": ["618 2026 - Push"]}
    assert args["time_range"] == "618 2026"  # (round 14: the campaign's own window)
    args = _args(planner, "open rate of push notifications during 618 2026")
    assert args["filters"] == {"channel": ["push"]} and args["time_range"] == "618 2026"


# 7. How often one customer ordered is the purchase frequency (orders / buyers): it was asked
#    about ("buyer", "shopper" in the singular were unplaced).
@pytest.mark.parametrize(
    "question",
    [
        "how many times did each buyer order in 2025",
        "on average how often did a shopper buy from us last year",
        "2025年每个顾客平均下了几次单",
    ],
)
def test_how_often_one_customer_ordered(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["purchase_frequency"]


# A metric's plural ("conversion rates") is read as the metric: a word written in a
# lexicon pattern ("rates?") once made "rates" a known word, so it was no longer read as
# rate and the question was asked back.
@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("the conversion rates by channel last month", ["conversion_rate"], ["channel"]),
        ("open rates by campaign in 2025", ["open_rate"], ["campaign"]),
        ("return rates by category last quarter", ["return_rate"], ["category"]),
    ],
)
def test_a_rate_in_the_plural_is_the_rate(
    planner: OfflinePlanner, question: str, metrics: list[str], dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == metrics and args.get("dimensions", []) == dimensions


# 7. A bottom N ("the 3 worst cities", "订单最少的3个城市", "倒数三名") is the lowest N
#    (sort 'asc'), never the top N; "the worst" of a metric where less is better (CAC) is
#    its highest N; "lowest AOV" without an N is still the whole breakdown.
@pytest.mark.parametrize(
    ("question", "dimension", "limit"),
    [
        ("the four weakest provinces for revenue in 2025", "province", 4),
        ("which 2 channels brought the fewest buyers last quarter", "channel", 2),
        ("bottom five categories by units this year", "category", 5),
        ("the 3 worst cities by orders in 2025", "city", 3),
        ("2025年销售额最低的5个省份", "province", 5),
        ("去年买家数倒数三名的渠道", "channel", 3),
        ("2025年订单最少的两个城市", "city", 2),
    ],
)
def test_a_bottom_n_sorts_ascending(
    planner: OfflinePlanner, question: str, dimension: str, limit: int
) -> None:
    args = _args(planner, question)
    assert (args["dimensions"], args["limit"], args.get("sort")) == ([dimension], limit, "asc")


@pytest.mark.parametrize(
    "question", ["the 3 worst campaigns by CAC in 2025", "2025年退货率最差的3个品类"]
)
def test_the_worst_where_less_is_better_is_its_highest(
    planner: OfflinePlanner, question: str
) -> None:
    # (round 16: the worst CAC or return rate is the costliest, no longer asked back)
    args = _args(planner, question)
    assert (args["limit"], args.get("sort")) == (3, "desc")


@pytest.mark.parametrize(
    "question", ["which province had the lowest AOV in 2025", "2025年客单价最低的省份"]
)
def test_the_lowest_without_an_n_is_still_the_breakdown(
    planner: OfflinePlanner, question: str
) -> None:
    # (round 10: a superlative of one thing is its bottom 1, no longer every row)
    args = _args(planner, question)
    assert (args["metrics"], args["dimensions"], args.get("limit"), args.get("sort")) == (
        ["aov"],
        ["province"],
        1,
        "asc",
    )


def test_a_top_n_is_no_bottom_n(planner: OfflinePlanner) -> None:
    for question in ("top 3 cities by orders in 2025", "2025年订单最多的3个城市"):
        args = _args(planner, question)
        assert (args["limit"], args.get("sort")) == (3, None)
    args = _args(planner, "top 3 cities by orders in 2025 with at least some repeat buyers")
    assert (args.get("limit"), args.get("sort")) == (3, None)


def test_a_bottom_n_follow_up_sorts_ascending_and_a_top_n_after_it_does_not(
    planner: OfflinePlanner,
) -> None:
    from copilot.offline.followups import read_follow_up
    from copilot.offline.question import read_question

    previous = {"name": "query_metrics", "args": _args(planner, "2025年按城市的订单数")}
    bottom = read_follow_up(
        read_question("倒数前三呢", planner._context.values), previous, planner._context
    )
    assert bottom is not None and bottom[1]["sort"] == "asc" and bottom[1]["limit"] == 3
    again = {**previous, "args": bottom[1]}
    top = read_follow_up(read_question("前3名呢", planner._context.values), again, planner._context)
    assert top is not None and "sort" not in top[1] and top[1]["limit"] == 3


def test_the_answer_says_it_is_the_lowest_n(
    planner: OfflinePlanner, duckdb_demo_engine: Any
) -> None:
    from copilot.offline.intents.metrics import write_metric_answer
    from tests.test_metrics_top_n import context
    from tools import query_metrics

    for question, words in [
        ("the 3 worst cities by orders in 2025", "the lowest 3, lowest first"),
        ("2025年订单最少的3个城市", "订单数最少的3个，从低到高"),
    ]:
        args = _args(planner, question)
        output = query_metrics(context(duckdb_demo_engine), **args)
        frame = output.artifacts[0].frame
        assert list(frame["orders"]) == sorted(frame["orders"])
        language = "zh" if "年" in question else "en"
        assert words in write_metric_answer(output, language, planner._context)


# A ranking by how many people ("the cities with the most customers") with no metric named
# ranks by buyers; it was ranked by revenue (a different question). A plain "top 3 cities"
# still ranks by sales.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("which four provinces have the fewest shoppers?", ["buyers"]),
        ("which 2 cities had the most members in 2025", ["buyers"]),
        ("会员最多的两个城市", ["buyers"]),
        ("顾客最少的3个省份", ["buyers"]),
        ("top 3 cities last quarter", ["revenue"]),
    ],
)
def test_a_ranking_by_people_ranks_by_buyers(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# Round 9 (w2qmzh). A day-by-day breakdown (逐日, "day by day") is per day, as 逐月 is per month.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("2025年618期间逐日的订单数", "day"),
        ("revenue day by day last week", "day"),
        ("上个月逐周的客单价", "week"),
    ],
)
def test_a_unit_by_unit_breakdown_is_per_that_unit(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert _args(planner, question)["dimensions"] == [dimension]


# Round 9 (w2qmzh). 笔均 ("per transaction": 笔均消费, 笔单价) is the AOV: an order is the
# transaction; the money of what was sold (卖出的X金额) is the revenue.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("上个月App渠道的笔均消费", "aov"),
        ("今年各城市笔单价", "aov"),
        ("上个月杭州小程序卖出的彩妆金额", "revenue"),
    ],
)
def test_per_transaction_spend_is_the_aov_and_money_sold_the_revenue(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# Round 9 (w2qmzh). A campaign's new customers ("拉来了几个新客", "how many new customers did
# it bring in") are the customers it acquired, as its revenue is the attributed revenue.
@pytest.mark.parametrize(
    "question",
    [
        "618 2026邮件活动花了多少钱，拉来了几个新客",
        "how many new customers did the Double 11 2026 SMS campaign bring in",
        "新客数按活动",
    ],
)
def test_a_campaigns_new_customers_are_its_acquired_customers(
    planner: OfflinePlanner, question: str
) -> None:
    assert "acquired_customers" in _args(planner, question)["metrics"]


# Round 9. An unknown word where a place goes ("in X", "from X", "X的") is asked back with
# the store's closest places (city, province), not with the list of breakdowns; an unknown
# word where a breakdown goes ("按X", "by X") is a breakdown the store lacks, not a value.
def _asked(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    return str(message.content)


@pytest.mark.parametrize(
    ("question", "word", "shown"),
    [
        ("What was revenue in Atlantis last month?", "Atlantis", "Shanghai (city)"),
        ("orders from Atlantis this year", "Atlantis", "Beijing (city)"),
        ("上个月拉萨的销售额是多少？", "拉萨", "上海（城市）"),
    ],
)
def test_an_unknown_place_is_asked_back_with_the_stores_places(
    planner: OfflinePlanner, question: str, word: str, shown: str
) -> None:
    text = _asked(planner, question)
    assert word in text and shown in text
    assert "break metrics down by" not in text and "从这些维度中选择" not in text


def test_the_closest_places_come_first_when_one_is_close(planner: OfflinePlanner) -> None:
    text = _asked(planner, "上个月广洲的销售额")
    assert "最接近的：广州（城市）" in text


@pytest.mark.parametrize(
    ("question", "lacks", "breakdowns"),
    [
        ("按国家的销售额", "没有这个维度", "城市"),
        ("revenue by country last month", "no such breakdown", "city"),
    ],
)
def test_an_unknown_breakdown_is_not_called_a_store_value(
    planner: OfflinePlanner, question: str, lacks: str, breakdowns: str
) -> None:
    text = _asked(planner, question)
    assert lacks in text and breakdowns in text
    assert "店内的值" not in text and "value I know" not in text


# Round 9 (w2qmzh). Customers who ordered at least twice in the period are the repeat buyers
# (MARKETING.md: buyers with 2+ valid orders); their share of the customers is the repurchase
# rate. Never all buyers nor the orders.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many customers ordered more than once last month", "repeat_buyers"),
        ("how many people placed two or more orders in Q3", "repeat_buyers"),
        ("今年买过至少两次的客户有多少", "repeat_buyers"),
        ("2025年购买过不止一次的人有几个", "repeat_buyers"),
        ("what percentage of customers ordered more than once last month", "repurchase_rate"),
        ("上个月下过两次及以上订单的客户占比", "repurchase_rate"),
    ],
)
def test_customers_with_two_or_more_orders_are_the_repeat_buyers(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# Round 10 (lead). "How many customers bought again" counts them: the repeat buyers, not the
# repurchase rate (which a share or "rate" wording still asks for).
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many shoppers bought again in September", "repeat_buyers"),
        ("how many of our customers came back to buy in Q3", "repeat_buyers"),
        ("how many buyers made a second purchase last month", "repeat_buyers"),
        ("九月有多少顾客回购了", "repeat_buyers"),
        ("第三季度复购了几个客户", "repeat_buyers"),
        ("what share of shoppers bought again in September", "repurchase_rate"),
        ("九月复购率", "repurchase_rate"),
    ],
)
def test_how_many_bought_again_counts_the_repeat_buyers(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert _args(planner, question)["metrics"] == [metric]


# The share of a period's buyers who bought at least twice (in that period) is the repurchase
# rate of that period (MARKETING.md), however the share, the people's period ("2025's
# buyers") or the point back to it ("that same month", "当年") is said; never the repeat
# buyers' count, nor a question back on the words pointing to the period.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("what % of customers ordered more than once last year", "last year"),
        ("what share of 2025's buyers bought at least twice that year?", "2025"),
        (
            "what proportion of last month's shoppers bought two or more times within that "
            "same month?",
            "last month",
        ),
        ("of last year's buyers, what % purchased more than once in the same year?", "last year"),
        ("去年的买家里有百分之多少在当年买了至少两次？", "去年"),
        ("上个月的客户中有多少比例下过两次及以上？", "上个月"),
    ],
)
def test_the_share_of_a_periods_buyers_buying_twice_is_the_repurchase_rate(
    planner: OfflinePlanner, question: str, period: str
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["repurchase_rate"] and args["time_range"] == period
