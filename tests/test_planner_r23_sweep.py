"""Round 23, kinds left open by the sets 22 and 22b and by a fresh tester (not the sealed sets
23 and 23b):

- the gross figure restated after its name ("gross sales for Q3, I mean before any of the
  refunds are taken off, finance wants the top line before returns") is the gross sales
  alone, never the net sales and the returns beside it; "扣退货、不含运费的口径" restates the
  net sales;
- a noun pooled ("across every email campaign", "all the email campaigns ... just one
  number", "whole store not just one channel", "各个渠道加起来") is one figure, no breakdown;
- "same but LY" after a quarter or a month is that span a year back; after the year to
  date it is the whole of last year;
- "Oct MTD" is October (one span), never October set against this month to date;
- two rates of a stored A/B campaign with no verdict asked are the campaign's figures;
- share of wallet and a bank's cross-sell ratio are asked about, never another tool;
- segments someone made before are the saved ones; a frequency cap is the playbook's rule;
- "各个省份掉了多少老客" counts the churned by province; "which city grew the most" ranks the
  revenue's change;
- a metric that cannot be narrowed by a filter ("new customers who came from the app") is
  asked about, never a tool error;
- "what do skincare buyers also buy" is cross-sell; "咖啡机" is no 挂耳咖啡.
Each with a near miss that must keep its old reading."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, query_args


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "ok so what did we do in gross sales for Q3, I mean before any of the refunds are "
            "taken off, finance wants the top line before returns",
            ["gross_sales"],
        ),
        ("gross sales for Q3, finance wants the top line before returns", ["gross_sales"]),
        ("今年前三季度净销售额是多少？扣退货、不含运费的口径", ["revenue"]),
        ("上个月不扣退货的销售额", ["gross_sales"]),
        # near misses
        ("revenue and returns for Q3", ["revenue", "returns"]),
        ("top line for Q3", ["revenue"]),
    ],
)
def test_the_gross_or_net_figure_restated(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert query_args(planner, question)["metrics"] == metrics


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("open rate for all the email campaigns we sent this year, just one number", None),
        ("Email open rate for FY25 overall, across every email campaign we sent that year", None),
        ("roi across every sms campaign we sent in 2025", None),
        ("net sales for last month, whole store not just one channel", None),
        ("revenue last month across all channels", None),
        ("各个渠道加起来上个月销售额一共多少", None),
        ("所有渠道合起来的订单数，上个月", None),
        # near misses: a breakdown still asked
        ("open rate for all the email campaigns we sent this year", ["campaign"]),
        ("open rate for every email campaign this year", ["campaign"]),
        ("revenue for every channel last month", ["channel"]),
        ("revenue across channels last month", ["channel"]),
        ("click rate per channel across every campaign in 2026", ["channel"]),
    ],
)
def test_a_noun_pooled_is_one_figure(
    planner: OfflinePlanner, question: str, dimensions: list[str] | None
) -> None:
    assert query_args(planner, question).get("dimensions") == dimensions


@pytest.mark.parametrize(
    ("turns", "time_range"),
    [
        (["orders in Q3", "same but LY"], "2025-07-01 to 2025-09-30"),
        (["Q3订单数", "同样看去年"], "2025-07-01 to 2025-09-30"),
        (["revenue in October 2026", "same thing LY"], "2025-10-01 to 2025-10-31"),
        # near misses: after the year, the whole of last year
        (["orders by channel this year", "same thing for last year"], "last year"),
        (["今年订单数", "同样看去年"], "去年"),
    ],
)
def test_the_same_ask_last_year(planner: OfflinePlanner, turns: list[str], time_range: str) -> None:
    name, args = last_call(planner, turns)
    assert (name, args["time_range"]) == ("query_metrics", time_range)


def test_a_month_to_date_named_is_one_span(planner: OfflinePlanner) -> None:
    args = query_args(planner, "Oct MTD: order count and AOV, women vs men")
    assert args["dimensions"] == ["gender"] and "compare_to" not in args
    # near miss: two to-date months set against each other stay compared
    args = query_args(planner, "revenue Oct MTD vs Sep MTD")
    assert args["time_range"] == "Oct MTD vs Sep MTD"


def test_two_rates_of_an_ab_campaign_are_its_figures(planner: OfflinePlanner) -> None:
    args = query_args(planner, "CTR and click-to-open for the Spring Festival 2026 email A/B")
    assert args["metrics"] == ["ctr", "click_to_open_rate"]
    assert args["filters"]["campaign"] == ["Spring Festival 2026 - Email A/B"]
    # near miss: a verdict asked stays the test
    name, args = last_call(planner, ["did B win the Spring Festival 2026 email A/B on CTR?"])
    assert name == "ab_test"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("What's our share of wallet with the Champions segment?", "share of wallet"),
        ("我们在冠军客户身上的钱包份额大概多少", "钱包份额"),
        ("What's our cross-sell ratio for Q3?", "cross-sell ratio"),
    ],
)
def test_measures_the_store_lacks_are_asked_about(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("嗯 之前大家建的那些分群 都列出来看看", "list_segments"),
        ("我们之前圈的人群有哪些", "list_segments"),
        ("营销邮件每个客户每周最多能发几封", "search_knowledge"),
        ("how many marketing emails can we send a customer per week at most", "search_knowledge"),
        ("what do skincare buyers also buy", "cross_sell_rules"),
        ("护肤品类的买家还会买什么", "cross_sell_rules"),
        # near misses
        ("best time to send emails to Champions", "best_send_time"),
        ("how many emails did we send last month", "query_metrics"),
        ("RFM segments", "rfm_segments"),
    ],
)
def test_the_tool_the_words_ask_for(planner: OfflinePlanner, question: str, tool: str) -> None:
    name, reply = last_call(planner, [question])
    assert name == tool, reply


def test_churned_old_customers_by_province(planner: OfflinePlanner) -> None:
    args = query_args(planner, "10月份各个省份掉了多少老客？就是9月买过、10月一单没下的人头")
    assert (args["metrics"], args["dimensions"]) == (["churned_customers"], ["province"])


@pytest.mark.parametrize(
    "question",
    [
        "which city grew the most last quarter",
        "哪个城市上季度增长最快",
        "fastest growing city last quarter",
    ],
)
def test_growth_ranked_with_no_metric_ranks_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args["order_by"], args["sort"]) == (
        ["revenue"],
        "revenue_change",
        "desc",
    )


def test_new_customers_by_the_channel_of_their_first_order(planner: OfflinePlanner) -> None:
    args = query_args(planner, "how many new customers came from the app last month")
    assert (args["metrics"], args["filters"]) == (["new_customers"], {"channel": ["app"]})
    args = query_args(planner, "new customers in Shanghai last month")
    assert args["metrics"] == ["new_customers"]


def test_a_breakdown_the_metric_cannot_take_is_asked_about(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "orders by campaign last quarter")
    assert "Orders cannot be broken down by campaign" in reply
    assert "订单数无法按活动拆分" in asked_back(planner, "上季度各活动的订单数")
    # near miss: the campaign's own figures by campaign
    assert query_args(planner, "conversions by campaign last quarter")["dimensions"] == ["campaign"]


def test_rfm_for_people_it_cannot_narrow_to_is_asked_about(planner: OfflinePlanner) -> None:
    assert "Beijing" in asked_back(planner, "RFM segments for women in Beijing")


def test_a_chinese_item_named_by_its_head_is_no_other_item(planner: OfflinePlanner) -> None:
    assert "咖啡机" in asked_back(planner, "咖啡机一般和什么一起买")
    # near miss: a generic noun after the name keeps it
    name, args = last_call(planner, ["护肤品一般和什么一起买"])
    assert (name, args.get("item") or args.get("category")) == ("cross_sell_rules", "skincare")


def test_a_follow_up_setting_values_against_each_other(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["What did H1 land at, net sales?", "ok and women vs men on that same number"]
    )
    assert (name, args["dimensions"], args["time_range"]) == ("query_metrics", ["gender"], "H1")


def test_a_month_to_date_named_in_the_grammar() -> None:
    from datetime import date

    from knowledge.time_ranges import find_period

    today = date(2026, 11, 1)
    found = find_period("Oct MTD revenue", today)
    assert (found.range.start, found.range.end, found.compare_to) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        None,
    )
    found = find_period("Nov MTD orders", today)  # the running month: to today
    assert (found.range.start, found.range.end) == (date(2026, 11, 1), today)


def test_item_rules_say_their_baskets_are_all_baskets() -> None:
    from copilot.offline.intents.cross_sell import _rules_answer

    data = {
        "item": "Yoga Mat",
        "baskets": 1234,
        "rules": [],
        "recommendations": [],
        "min_support": 0.01,
        "min_confidence": 0.2,
        "min_baskets": 5,
    }
    text = _rules_answer(data, "en")
    assert "all 1,234 baskets of all customers" in text and "Yoga Mat" in text
    assert "全部 1,234 个订单" in _rules_answer(data, "zh")


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        # a chat mention is whom the message is for, never a word to ask about
        ("@copilot 近30天订单数按渠道分一下 谢谢🙏", ["orders"], ["channel"]),
        ("<@U0ABC12> revenue last month", ["revenue"], None),
        # where the asker learnt a word is context
        ("revenue last month, as we'd say at the bank", ["revenue"], None),
        (
            "Attrition for Q3 please - and put Q2 beside it so I can see the movement.",
            ["churn_rate"],
            None,
        ),
        (
            "Across the whole customer book, what is the average lifetime value per customer?",
            ["average_ltv"],
            None,
        ),
        (
            "return rate for skincare this year? money based pls not order count",
            ["return_rate"],
            None,
        ),
        ("复盘用：618 2026 - Push 送达的人里，有多大比例点了链接？", ["ctr"], None),
        ("what share of delivered emails got clicked this year", ["ctr"], None),
        ("Top-5 cities on net sales for 1H 2026", ["revenue"], ["city"]),
        ("AOV October vs September - is basket size moving?", ["aov"], None),
    ],
)
def test_words_around_the_ask(
    planner: OfflinePlanner, question: str, metrics: list[str], dimensions: list[str] | None
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args.get("dimensions")) == (metrics, dimensions)


def test_an_email_address_is_no_mention(planner: OfflinePlanner) -> None:
    import re

    from copilot.offline.vocabulary import reader_words

    mention = reader_words("framing_clauses")
    assert not any(re.search(p, "send it to ana@shop.com", re.I) for p in mention if "@" in p)


@pytest.mark.parametrize(
    ("question", "time_range"),
    [
        (
            "revenue by month this year for the app channel only, like Jan through Oct",
            "Jan through Oct",
        ),
        ("rolling 12 months net sales by province", "rolling 12 months"),
        ("滚动12个月，每个月的净销售额走势", "滚动12个月"),
    ],
)
def test_periods_restated_or_rolling(
    planner: OfflinePlanner, question: str, time_range: str
) -> None:
    assert query_args(planner, question)["time_range"] == time_range


def test_personas_said_as_the_data_clustering(planner: OfflinePlanner) -> None:
    for question in (
        "规划要讲目标客群，让数据自己聚出几类典型客户来",
        "Could you build behavioural customer personas - similar to how we segmented cardholders at the bank?",
    ):
        name, reply = last_call(planner, [question])
        assert name == "customer_personas", reply


@pytest.mark.parametrize(
    ("question", "metrics", "time_range"),
    [
        (
            "截至9月底，今年累计有效订单数多少？我这边台账是8391单，看看差多少",
            ["orders"],
            "截至9月底，今年累计",
        ),
        (
            "2025全年的毛销售额和退货额分别给我一下，年报要拆开列",
            ["gross_sales", "returns"],
            "2025",
        ),
        ("how much came back as returns in October 2026", ["returns"], "October 2026"),
        (
            "For the 2025 annual pack: how much came back as returns (the money), and how many "
            "orders were returned?",
            ["returns", "returned_orders"],
            "2025",
        ),
        (
            "年度规划要放一页区域分布：2025年每个省各有多少人买过东西（去重人数）",
            ["buyers"],
            "2025年",
        ),
        (
            "Q3 churn rate: share of the prior period's buyers who didn't buy at all in Q3",
            ["churn_rate"],
            "Q3",
        ),
    ],
)
def test_asides_and_definitions_around_the_ask(
    planner: OfflinePlanner, question: str, metrics: list[str], time_range: str
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args["time_range"]) == (metrics, time_range)


def test_customers_coming_back_stay_repeat_buyers(planner: OfflinePlanner) -> None:
    assert query_args(planner, "how many customers came back in October 2026")["metrics"] == [
        "repeat_buyers"
    ]


def test_a_gap_beyond_chance_is_the_tests_verdict(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner,
        ["On conversions, did the two Double 11 2025 push versions differ by more than chance?"],
    )
    assert (name, args["campaign"], args["metric"]) == (
        "ab_test",
        "Double 11 2025 - Push A/B",
        "conversion",
    )


def test_a_share_of_a_part_the_store_lacks_names_it(planner: OfflinePlanner) -> None:
    assert "Gold-tier loyalty" in asked_back(
        planner, "H1 revenue contribution of our Gold-tier loyalty members?"
    )


def test_buyers_of_a_language_and_the_other_one(planner: OfflinePlanner) -> None:
    turns = ["How many English-language customers have bought something this year?"]
    name, args = last_call(planner, turns)
    assert (name, args["metrics"], args["filters"]) == (
        "query_metrics",
        ["buyers"],
        {"language": ["en"]},
    )
    name, args = last_call(planner, [*turns, "and the Chinese-language ones?"])
    assert (name, args["filters"]) == ("query_metrics", {"language": ["zh"]})


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("轻薄羽绒服适合搭什么商品做交叉销售", "Down Jacket"),
        ("真丝围巾常和什么一起买", "Silk Scarf"),
        ("玻尿酸保湿面霜做关联推荐，同单里常出现的是哪些", "Hyaluronic Moisturising Cream"),
    ],
)
def test_a_word_of_the_sentence_after_an_item_is_the_questions(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    name, args = last_call(planner, [question])
    assert (name, args.get("item")) == ("cross_sell_rules", item)


@pytest.mark.parametrize(
    ("second", "compare_to"),
    [
        ("vs the prior month?", "previous period"),
        ("up or down vs the prior month?", "previous period"),
        ("is that up or down on the month before?", "previous period"),
        ("比上个月多还是少", "上一期"),
    ],
)
def test_a_follow_up_asking_the_direction_compares_the_month_before(
    planner: OfflinePlanner, second: str, compare_to: str
) -> None:
    name, args = last_call(planner, ["first-time buyers in September 2026", second])
    assert (name, args["time_range"], args["compare_to"]) == (
        "query_metrics",
        "September 2026",
        compare_to,
    )


def test_a_later_period_said_itself_is_set_beside(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue in 2025", "vs this year?"])
    assert (name, args["time_range"], args["compare_to"]) == ("query_metrics", "2025", "this year")


def test_which_way_a_rate_is_counted_is_asked_of_the_documents(planner: OfflinePlanner) -> None:
    name, _ = last_call(planner, ["退货率是按金额还是按单数算的"])
    assert name == "search_knowledge"
    # near miss: a figure asked with the other count said is asked back, naming both
    assert "order-based" in asked_back(planner, "return rate for skincare this year, order-based")


@pytest.mark.parametrize(
    ("question", "metrics", "filters"),
    [
        (
            "> can someone check AOV for mini program?\nyeah same q here, AOV on mini program "
            "orders in October 2026 pls :pray:",
            ["aov"],
            {"channel": ["mini_program"]},
        ),
        (
            "&gt; 618数据出来了吗\n@copilot 618 2026 那个邮件活动的ROI多少 thx",
            ["roi"],
            {"campaign": ["618 2026 - Email"]},
        ),
    ],
)
def test_a_quoted_chat_line_is_context(
    planner: OfflinePlanner, question: str, metrics: list[str], filters: dict
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    args = message.tool_calls[0]["args"]
    assert (args["metrics"], args.get("filters")) == (metrics, filters)
    assert message.response_metadata.get("context_clauses")


@pytest.mark.parametrize("question", ["what time is it?", "现在几点了", "what's the time now?"])
def test_the_clock_is_refused(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert "clock" in message.content or "时钟" in message.content


def test_the_best_time_to_send_is_still_asked(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["what time is it best to send SMS?"])
    assert (name, args.get("channel")) == ("best_send_time", "sms")


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions", "time_range"),
    [
        (
            "Net sales for Q3 FY26 please - after returns, ex-shipping. FY = calendar year for us.",
            ["revenue"],
            None,
            "Q3 FY26",
        ),
        (
            "1H 2026 net revenue split by how people signed up (app / web / store / mini program)",
            ["revenue"],
            ["signup_channel"],
            "h1 2026",
        ),
        (
            "September: how many orders actually came in through the mini program checkout?",
            ["orders"],
            None,
            "September",
        ),
        (
            "Monthly new-customer intake for 2026 so far, Jan to Oct",
            ["new_customers"],
            ["month"],
            "Jan to Oct",
        ),
    ],
)
def test_finance_and_report_wordings(
    planner: OfflinePlanner,
    question: str,
    metrics: list[str],
    dimensions: list[str] | None,
    time_range: str,
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args.get("dimensions"), args["time_range"]) == (
        metrics,
        dimensions,
        time_range,
    )


def test_a_labelled_definition_question_goes_to_the_documents(planner: OfflinePlanner) -> None:
    question = (
        "Finance question: by the definitions we documented, is our return rate a ratio of "
        "amounts or of order counts?"
    )
    name, _ = last_call(planner, [question])
    assert name == "search_knowledge"


def test_two_counts_of_a_rate_with_a_doubt_stay_the_test(planner: OfflinePlanner) -> None:
    question = (
        "Double 11 2025 push A/B: did one version really get more clicks per delivered message, "
        "or is that within noise?"
    )
    name, args = last_call(planner, [question])
    assert (name, args["metric"]) == ("ab_test", "ctr")


def test_a_festival_push_beside_another_channel_is_the_drive(planner: OfflinePlanner) -> None:
    args = query_args(
        planner,
        "During last year's Double 11 push, what open rate did our text messages get?",
    )
    assert (args["metrics"], args["filters"], args.get("dimensions")) == (
        ["open_rate"],
        {"channel": ["sms"]},
        None,
    )
    # near miss: the push alone is the push campaign
    args = query_args(planner, "open rate of the Double 11 2025 push")
    assert args["filters"] == {"campaign": ["Double 11 2025 - Push A/B"]}


def test_first_time_buyers_counted_and_split(planner: OfflinePlanner) -> None:
    turns = ["2025 first-time buyer count?"]
    assert last_call(planner, turns)[1]["metrics"] == ["new_customers"]
    name, args = last_call(
        planner, ["Chengdu got how many paying customers so far in 2026?", "male female split?"]
    )
    assert (name, args["dimensions"], args["filters"]) == (
        "query_metrics",
        ["gender"],
        {"city": ["成都"]},
    )


@pytest.mark.parametrize(
    ("turns", "filters", "time_range"),
    [
        (
            ["Chengdu net revenue for Q3?", "Chongqing for the same quarter pls"],
            {"city": ["重庆"]},
            "Q3",
        ),
        (["北京上季度销售额", "同一时间段的上海呢"], {"city": ["上海"]}, "上季度"),
    ],
)
def test_another_value_for_the_same_period(
    planner: OfflinePlanner, turns: list[str], filters: dict, time_range: str
) -> None:
    name, args = last_call(planner, turns)
    assert (name, args["filters"], args["time_range"]) == ("query_metrics", filters, time_range)


@pytest.mark.parametrize(
    ("question", "dimensions", "limit"),
    [
        ("今年做的活动里 ROI 最高的三个", ["campaign"], 3),
        (
            "YTD net revenue league table - just the top 5 cities, our area managers want to see "
            "where they rank",
            ["city"],
            5,
        ),
        ("revenue by city this year - how does Beijing rank?", ["city"], None),
        (
            "revenue by city this year, our area managers want to see how Beijing ranks",
            ["city"],
            None,
        ),
        ("各城市今年的销售额，北京排第几", ["city"], None),
    ],
)
def test_rankings_and_a_row_checked_in_them(
    planner: OfflinePlanner, question: str, dimensions: list[str], limit: int | None
) -> None:
    args = query_args(planner, question)
    assert (args.get("dimensions"), args.get("limit"), args.get("filters")) == (
        dimensions,
        limit,
        None,
    )


def test_orders_customers_place(planner: OfflinePlanner) -> None:
    args = query_args(planner, "how many orders did Shanghai customers place in Oct?")
    assert (args["metrics"], args["filters"]) == (["orders"], {"city": ["上海"]})
    # near miss: "place" as a location is not read away
    assert "place" in asked_back(planner, "which place sells the most")


def test_every_channel_listed_in_a_follow_up_is_the_breakdown(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["oct net rev, whole store", "k. app / web / store / mini prog each?"]
    )
    assert (name, args["dimensions"], args.get("filters")) == ("query_metrics", ["channel"], None)
    # near miss: two of the cities listed narrow the breakdown
    name, args = last_call(planner, ["revenue by city last month", "just Beijing and Shanghai"])
    assert sorted(args["filters"]["city"]) == ["上海", "北京"]


# --- development: kinds of the sets 23 and 23b (committed after their unseen measurement)
# and of the round's fresh tester ---


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        (
            "skincare return rate for Q3 - the money one, not # of returned orders",
            ["return_rate"],
            None,
        ),
        (
            "YTD repurchase % among women - ppl w/ 2+ orders over total buyers",
            ["repurchase_rate"],
            None,
        ),
        ("10月退货的单子有几单？分下单渠道看", ["returned_orders"], ["channel"]),
        ("Oct net sales, cut by where the order was placed", ["revenue"], ["channel"]),
        ("618 2026 - Email - how many opened, as a % of delivered", ["open_rate"], None),
        ("近90天流失率，对比的是之前90天的买家", ["churn_rate"], None),
        ("Sept 2026 - count of app orders, completed ones only", ["orders"], None),
    ],
)
def test_sets_23_kinds_of_metric_words(
    planner: OfflinePlanner, question: str, metrics: list[str], dimensions: list[str] | None
) -> None:
    args = query_args(planner, question)
    assert (args["metrics"], args.get("dimensions")) == (metrics, dimensions)


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        (
            "Could you please run the RFM segmentation as of today and give me the number of "
            "customers in each segment, for the retention appendix?",
            "rfm_segments",
        ),
        (
            "Could you size a push test for us: baseline CTR of 4%, and we would like to be able "
            "to detect a 25% relative uplift.",
            "ab_sample_size",
        ),
        ("给重要挽留客户写封邮件，中文，语气诚恳点", "generate_copy"),
        ("买露营帐篷的订单里，还会一起买哪些商品？", "cross_sell_rules"),
        ("买露营帐篷的订单里，经常一起出现的商品有哪些？", "cross_sell_rules"),
    ],
)
def test_sets_23_kinds_of_tools(planner: OfflinePlanner, question: str, tool: str) -> None:
    name, reply = last_call(planner, [question])
    assert name == tool, reply


def test_the_segment_and_the_item_are_read(planner: OfflinePlanner) -> None:
    _, args = last_call(planner, ["给重要挽留客户写封邮件，中文，语气诚恳点"])
    assert "Can't Lose Them" in str(args)
    _, args = last_call(planner, ["买露营帐篷的订单里，还会一起买哪些商品？"])
    assert args.get("item") == "Camping Tent"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("NPS by cohort last qtr", "NPS"),
        ("which customer placed the most orders in Changsha", "customer"),
        ("长沙下单最多的那个客户 一共下了几单", "客户"),
    ],
)
def test_sets_23_kinds_asked_back(planner: OfflinePlanner, question: str, word: str) -> None:
    assert word in asked_back(planner, question)


@pytest.mark.parametrize(
    ("question", "word"),
    [("抖店那边今年卖了多少？跟小程序对比下", "抖店"), ("抖音小店今年GMV做到多少了", "抖音小店")],
)
def test_a_marketplace_shop_is_asked_about(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_another_companys_figures_are_refused(planner: OfflinePlanner) -> None:
    message = planner._plan("what's JD's revenue", [])
    assert not message.tool_calls and "other companies" in message.content


def test_a_same_ask_after_a_question_back_swaps_the_value(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["Sept 2026 - count of app orders, flurbish only", "same thing for web pls"]
    )
    assert (name, args["filters"]) == ("query_metrics", {"channel": ["web"]})
    # near miss: a value given as the answer to the question back replaces the word
    name, args = last_call(planner, ["revenue in Xiamen last month", "ok then hangzhou"])
    assert args["filters"] == {"city": ["杭州"]}
