"""Round 22, kinds found by a sweep of our own wordings (not the sealed sets 22 and 22b):

- a stored A/B test named by a channel it did not run on ("results of the Double 11 2025
  email": the Double 11 2025 test is a push test) is asked about, never answered with the
  other channel's test or with every test;
- a team asking for a figure ("compliance wants ...", "finance needs ...", "合规部门要看...")
  is who asks, not a question about the compliance rules;
- a share of the delivered messages that unsubscribed or converted is that rate, never a
  share of the whole store's delivered; "how many emails did we send" is the send count;
- "revenue compared to last year" / "vs last month" with no other period compare the
  running period (or, a day old, the last complete one) with it, never the other period
  alone; "change from Q2 to Q3" sets Q3 against Q2, never one span Apr-Sep;
- "2025 (Jan-Jun)": those months of 2025; "attributed revenue from campaigns" is one metric;
- 大盘 is the whole store, "X的销售额占全店多少" a share, 啥水平 how the figure stands;
- a definition question naming a document ("per our metric definitions doc, is return rate
  money over money or a count of orders?") is asked of the knowledge base.
Each with a near miss that must keep its old reading."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, last_call, query_args

_DAY_AFTER_DATA = date(2026, 11, 1)


def test_a_test_of_a_channel_it_did_not_run_on_is_asked_about(planner: OfflinePlanner) -> None:
    for question in ("results of the Double 11 2025 email", "双11 2025邮件AB测试结果"):
        name, reply = last_call(planner, [question])
        assert name is None, reply
    reply = asked_back(planner, "did the sms A/B test win")
    assert "sms" in reply and "Double 11 2025 - Push A/B" in reply
    # near miss: the channel the test ran on still names it
    name, args = last_call(planner, ["results of the Double 11 2025 push test"])
    assert (name, args["campaign"]) == ("ab_test", "Double 11 2025 - Push A/B")
    name, args = last_call(planner, ["春节邮件AB测试哪个版本赢了"])
    assert (name, args["campaign"]) == ("ab_test", "Spring Festival 2026 - Email A/B")


@pytest.mark.parametrize(
    ("question", "metrics", "channel"),
    [
        (
            "compliance wants the unsubscribe rate of email campaigns this year",
            ["unsubscribe_rate"],
            ["email"],
        ),
        ("合规部门要看今年邮件的退订率", ["unsubscribe_rate"], ["email"]),
        ("finance needs the Q3 net sales", ["revenue"], None),
        ("what % of delivered emails unsubscribed this year", ["unsubscribe_rate"], ["email"]),
        ("送达的短信里有百分之几退订了", ["unsubscribe_rate"], ["sms"]),
        ("% of delivered pushes that converted in 2026", ["conversion_rate"], ["push"]),
        ("how many emails did we send last month", ["send_count"], ["email"]),
        ("上个月发了多少封邮件", ["send_count"], ["email"]),
    ],
)
def test_a_team_asking_and_shares_of_sends(
    planner: OfflinePlanner, question: str, metrics: list[str], channel: list[str] | None
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert (args.get("filters") or {}).get("channel") == channel


@pytest.mark.parametrize(
    "question",
    [
        "合规要求退订链接怎么写",
        "compliance needs to know our SMS opt-out rules",
        "退订了的用户还能发短信吗",
    ],
)
def test_the_rules_asked_stay_with_the_knowledge_base(
    planner: OfflinePlanner, question: str
) -> None:
    name, _ = last_call(planner, [question])
    assert name == "search_knowledge"


@pytest.mark.parametrize(
    ("question", "start", "end", "compare_start", "compare_end"),
    [
        ("revenue compared to last year", "2026-01-01", "2026-11-01", "2025-01-01", "2025-11-01"),
        ("orders vs last year", "2026-01-01", "2026-11-01", "2025-01-01", "2025-11-01"),
        # a day into November: October against September, as reports give it
        ("revenue vs last month", "2026-10-01", "2026-10-31", "2026-09-01", "2026-09-30"),
        ("销售额比上个月涨了还是跌了", "2026-10-01", "2026-10-31", "2026-09-01", "2026-09-30"),
        (
            "how did revenue change from Q2 to Q3",
            "2026-07-01",
            "2026-09-30",
            "2026-04-01",
            "2026-06-30",
        ),
        ("从二季度到三季度销售额变化多大", "2026-07-01", "2026-09-30", "2026-04-01", "2026-06-30"),
        (
            "how did AOV move from June to September in Shanghai",
            "2026-09-01",
            "2026-09-30",
            "2026-06-01",
            "2026-06-30",
        ),
    ],
)
def test_a_comparison_with_one_period_said(
    planner: OfflinePlanner,
    question: str,
    start: str,
    end: str,
    compare_start: str,
    compare_end: str,
) -> None:
    # The phrases the tool reads again, read on the day after the demo data (2026-11-01).
    args = query_args(planner, question)
    found = find_period(args["time_range"], _DAY_AFTER_DATA)
    compare = (
        find_period(args["compare_to"], _DAY_AFTER_DATA).range
        if args.get("compare_to")
        else found.compare_to
    )
    assert (str(found.range.start), str(found.range.end)) == (start, end)
    assert compare is not None
    assert (str(compare.start), str(compare.end)) == (compare_start, compare_end)


@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        ("revenue from Q2 to Q3", "from Q2 to Q3"),  # a span, no change asked
        ("从6月到9月的订单数", "从6月到9月"),
        ("revenue 2025 (Jan-Jun)", "Jan-Jun 2025"),
        ("2025年（1-6月）销售额", "2025年1月-6月"),
        ("FY2025 (Jan-Dec) gross sales", "FY2025"),  # the whole year restated: a label
        ("orders on 11 Nov 2024 (Singles Day)", "on 11 Nov 2024"),
    ],
)
def test_spans_and_brackets(planner: OfflinePlanner, question: str, time_range: str) -> None:
    assert query_args(planner, question)["time_range"] == time_range


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("attributed revenue from campaigns last year", ["attributed_revenue"]),
        ("大盘销售额上个月多少", ["revenue"]),
        ("上个月客单价啥水平", ["aov"]),
    ],
)
def test_words_for_the_figure_itself(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert not args.get("filters")


@pytest.mark.parametrize("question", ["上海的销售额占全店多少", "上海的销售额占大盘多少"])
def test_a_share_said_after_the_metric(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    calls = [(c["name"], c["args"]) for c in message.tool_calls]
    assert len(calls) == 2  # the part and the whole
    assert calls[0][1]["filters"] == {"city": ["上海"]}
    assert not calls[1][1].get("filters")


def test_a_ratio_of_two_metrics_is_no_share(planner: OfflinePlanner) -> None:
    # near miss: "退款金额占总销售额的百分比" is the return rate, returns over gross sales
    args = query_args(planner, "本季度退款多少，退款金额占总销售额的百分比也算一下")
    assert "return_rate" in args["metrics"]


def test_a_definition_named_in_a_document_is_asked_of_it(planner: OfflinePlanner) -> None:
    for question in (
        "per our metric definitions doc, is return rate money over money or a count of orders?",
        "退货率是按金额还是按单数算的",
    ):
        name, _ = last_call(planner, [question])
        assert name == "search_knowledge"
    # near miss: the figure asked per the document is the figure
    args = query_args(
        planner, "per our metric definitions doc, what was the return rate last month"
    )
    assert args["metrics"] == ["return_rate"]


# --- second sweep: rankings over time, other tools' dropped filters -----------------


@pytest.mark.parametrize(
    ("question", "dimension", "sort"),
    [
        ("which month had the highest revenue this year", "month", None),
        ("which day had the most orders last month", "day", None),
        ("哪个月销售额最高", "month", None),
        ("今年哪个季度订单最少", "quarter", "asc"),
        ("which week in Q3 had the lowest AOV", "week", "asc"),
        ("今年销售额最好的月份", "month", None),
    ],
)
def test_a_ranking_over_time_units(
    planner: OfflinePlanner, question: str, dimension: str, sort: str | None
) -> None:
    # (these had answered the period's total: the unit asked was dropped)
    args = query_args(planner, question)
    assert args["dimensions"] == [dimension]
    assert args["limit"] == 1
    assert args.get("sort") == sort


def test_the_month_before_last_said_colloquially(planner: OfflinePlanner) -> None:
    args = query_args(planner, "上个月比前个月多卖了多少钱")
    found = find_period(args["time_range"], _DAY_AFTER_DATA)
    assert (str(found.range.start), str(found.compare_to.start)) == ("2026-10-01", "2026-09-01")
    # near miss: 每个月份 stays a breakdown by month
    assert query_args(planner, "今年每个月份的订单数")["dimensions"] == ["month"]


def test_the_whole_other_period_said(planner: OfflinePlanner) -> None:
    args = query_args(planner, "revenue this year so far vs the whole of last year")
    assert args["compare_to"] == "2025-01-01 to 2025-12-31"


def test_a_follow_up_ranking_by_growth_ranks_by_the_change(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["GMV last month", "by category please", "which one grew most vs the month before"]
    )
    assert name == "query_metrics"
    assert (args["order_by"], args["sort"], args["limit"]) == ("gross_sales_change", "desc", 1)
    assert args["compare_to"] == "previous period"
    # near miss: "which one is highest" ranks by the level
    name, args = last_call(planner, ["revenue by city last month", "which one is highest"])
    assert (args["order_by"], args["limit"]) == ("revenue", 1)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("export the phone numbers of Champions in Shanghai", "Shanghai"),
        ("把上海的冠军客户导出来发短信", "上海"),
        ("best send time for SMS in Shanghai", "Shanghai"),
        ("personas of our female buyers", "female"),
        ("cohort retention for Shanghai customers", "Shanghai"),
        ("which Beijing customers are likely to churn", "Beijing"),
        ("profile female Champions", "female"),
    ],
)
def test_a_value_another_tool_cannot_filter_is_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


@pytest.mark.parametrize(
    ("question", "tool", "key", "value"),
    [
        ("export the phone numbers of Champions", "export_audience", "channel", "sms"),
        ("best send time for SMS", "best_send_time", "channel", "sms"),
        ("best moment to email the Hibernating guys", "best_send_time", "segment", "Hibernating"),
        ("create a segment of Champions in Shanghai", "define_segment", "name", None),
        # an order channel names where the message goes, not the customers
        (
            "Champions + app push: what weekday and what o'clock should I schedule it for",
            "best_send_time",
            "segment",
            "Champions",
        ),
    ],
)
def test_near_misses_keep_their_tool(
    planner: OfflinePlanner, question: str, tool: str, key: str, value: str | None
) -> None:
    name, args = last_call(planner, [question])
    assert name == tool
    assert key in args and (value is None or args[key] == value)


def test_a_follow_up_naming_both_periods_compares_them_whole(planner: OfflinePlanner) -> None:
    # (found driving the web UI: the month ranking had been kept and "Q3 vs Q2" set beside
    # this year as its comparison)
    name, args = last_call(
        planner,
        [
            "which month had the highest revenue this year?",
            "and how did revenue change from Q2 to Q3?",
        ],
    )
    assert name == "query_metrics"
    assert args["time_range"] == "Q3 vs Q2"
    assert not {"dimensions", "limit", "order_by", "compare_to"} & set(args)
    # a breakdown by a value stays: each city's Q3 against its Q2
    name, args = last_call(planner, ["revenue by city last month", "how about Q3 vs Q2"])
    assert (args["dimensions"], args["time_range"]) == (["city"], "Q3 vs Q2")


def test_near_misses_of_the_round(planner: OfflinePlanner) -> None:
    # "去年同一季度" is one period set against the one shown, not two of its own
    name, args = last_call(planner, ["北京上季度买家数", "换成去年同一季度看看"])
    found = find_period(args["time_range"], _DAY_AFTER_DATA)
    assert (str(found.range.start), str(found.range.end)) == ("2025-07-01", "2025-09-30")
    # a value asked as a share of the segment is the profile's mix, no filter
    name, args = last_call(
        planner,
        [
            "想给Loyal Customers做个专属权益，先帮我分析下这群人：主要在哪些城市、女性占比、偏好买什么"
        ],
    )
    assert (name, args["segment"]) == ("profile_segment", "Loyal Customers")


# --- development: kinds of sets 22 and 22b, read after their unseen measurement --------


def test_the_first_quarters_said_with_no_year(planner: OfflinePlanner) -> None:
    args = query_args(planner, "前三季度净销售额多少")
    found = find_period(args["time_range"], _DAY_AFTER_DATA)
    assert (str(found.range.start), str(found.range.end)) == ("2026-01-01", "2026-09-30")
    # near miss: 三季度 alone is the third quarter
    found = find_period(query_args(planner, "三季度销售额")["time_range"], _DAY_AFTER_DATA)
    assert (str(found.range.start), str(found.range.end)) == ("2026-07-01", "2026-09-30")


@pytest.mark.parametrize(
    "question",
    [
        "Write me a polite out-of-office message for my Christmas holiday",
        "中秋快到了，帮我写首咏月的古诗，我自己发朋友圈用",
    ],
)
def test_personal_writing_is_refused(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert message.response_metadata.get("copilot_status") == "refused"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("规划里想写空气炸锅这个品，它今年销量有多少台", "空气炸锅"),
        ("抖音注册的那批人，上季度下了多少单", "抖音"),
    ],
)
def test_a_thing_pointed_at_is_never_set_aside(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


def test_a_category_said_with_its_goods_noun(planner: OfflinePlanner) -> None:
    # (a fresh tester's question: 商品类目 had ranked products, 商品 read apart from 类目)
    args = query_args(planner, "上个季度哪5个商品类目的销售额最高？")
    assert (args["dimensions"], args["limit"]) == (["category"], 5)
    # near miss: 商品 alone ranks the products
    assert query_args(planner, "上个季度销售额最高的5个商品")["dimensions"] == ["product"]
