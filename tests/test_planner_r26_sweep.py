"""Round 26, kinds found in the round-25 code by two sealed sets' writers (26a: a BI analyst in
half-SQL and a finance business partner writing formal Chinese; 26b: European interns'
English and a content operator typing Chinese on a phone), each with a near miss that must
keep its old reading:

- Chinese typed on a phone separates its clauses with spaces ("周会要用 宝子们帮我看下上个月
  销售额 老板肯定会问"): a space between two Chinese characters ends a clause, so the clauses
  of context are set aside as punctuated ones are; a clause that only names something
  ("Atlantis - revenue last month?") is never set aside as talk;
- a comparison said in its own clause ("跟9月比是涨了还是跌了", "also the comparison with the
  November before") was dropped silently; a plan of one figure for one period that loses a
  comparison is now asked back, and "the November before" / "vs the one before" are read;
- "about" held the A/B cue "ab", so a clause of context with "about" in it was kept as data;
- European English ("how much clients", "since 90 days", "the actual year", "eventually",
  "how big was"), half-SQL names ("purchase_frequency by age_band", "group by", "desc"),
  numbered sub-questions ("：1. 退货金额；2. 退货率"), formal request verbs (列示, 提供, 测算,
  进行, 以便) and a follow-up correcting the question before ("sorry, I meant the Q3 of last
  year, not this one")."""

from __future__ import annotations

from datetime import date

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, last_call, period_read, planned_call, query_args
from tests.test_follow_ups import copilot  # (the offline Copilot over the demo store)

DAY_AFTER_THE_DATA = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("question", "metrics", "compare"),
    [
        # a phone's clauses: the reason and the boss set aside, the comparison kept
        (
            "周会要用 宝子们帮我看下上个月销售额多少 跟9月比是涨了还是跌了🔥 老板肯定会问",
            ["revenue"],
            "9月",
        ),
        ("今年每个月拉了多少新客", ["new_customers"], None),
    ],
)
def test_a_phones_space_separated_clauses_are_read_as_clauses(
    planner: OfflinePlanner, question: str, metrics: list[str], compare: str | None
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == metrics
    assert args.get("compare_to") == compare


def test_a_reason_typed_after_a_space_is_set_aside_and_named(planner: OfflinePlanner) -> None:
    message = planner._plan(
        "英文用户的平均LTV是多少 想看看海外宝子值不值得单独运营 如果明显高我就去申请英文内容预算",
        [],
    )
    assert message.tool_calls[0]["args"]["metrics"] == ["average_ltv"]
    assert message.tool_calls[0]["args"]["filters"] == {"language": ["en"]}


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Atlantis - what was revenue last month?", "Atlantis"),
        ("亚特兰蒂斯。上个月销售额多少？", "亚特兰蒂斯"),
        # a phone's space before the ask: the unknown place stays asked about
        ("亚特兰蒂斯 上个月销售额多少", "亚特兰蒂斯"),
    ],
)
def test_a_clause_that_only_names_something_is_asked_about(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


def test_a_greeting_clause_is_still_set_aside(planner: OfflinePlanner) -> None:
    assert query_args(planner, "Hi team - what was revenue last month?")["metrics"] == ["revenue"]


def test_a_context_clause_with_about_in_it_is_no_ab_test(planner: OfflinePlanner) -> None:
    args = query_args(
        planner,
        "How much clients ordered over the mini program since 90 days? We think about making "
        "a special mini program action, so I need the actual number",
    )
    assert args["metrics"] == ["buyers"]
    assert args["filters"] == {"channel": ["mini_program"]}
    found = find_period(args["time_range"], DAY_AFTER_THE_DATA)
    assert (found.range.start, found.range.end) == (date(2026, 8, 3), date(2026, 10, 31))


@pytest.mark.parametrize(
    "question",
    [
        "Down Jacket units in November, also the comparison with the November before",
        "Down Jacket units in November vs the previous November",
    ],
)
def test_the_named_month_before_is_the_same_month_a_year_earlier(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    found = find_period(args["time_range"], DAY_AFTER_THE_DATA)
    assert found.compare_to is not None or args.get("compare_to")
    compare = found.compare_to or find_period(args["compare_to"], DAY_AFTER_THE_DATA).range
    assert (found.range.start, compare.start) == (date(2025, 11, 1), date(2024, 11, 1))


def test_vs_the_one_before_is_the_period_before(planner: OfflinePlanner) -> None:
    args = query_args(planner, "topline for last quarter vs the one before")
    found = find_period(args["time_range"], DAY_AFTER_THE_DATA)
    assert found.compare_to is not None
    assert (found.compare_to.start, found.compare_to.end) == (date(2026, 4, 1), date(2026, 6, 30))


def test_a_comparison_the_plan_cannot_hold_is_asked_back(planner: OfflinePlanner) -> None:
    # (no second period is named: the comparison would be dropped)
    assert "comparison" in asked_back(planner, "orders last month, plus a comparison please")


def test_a_comparison_of_values_side_by_side_is_kept(planner: OfflinePlanner) -> None:
    args = query_args(planner, "compare revenue for app and web last month")
    assert args["filters"] == {"channel": ["app", "web"]}


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions", "filters"),
    [
        ("New clients per month since January?", ["new_customers"], ["month"], None),
        ("purchase_frequency by age_band, YTD", ["purchase_frequency"], ["age_band"], None),
        ("distinct buyers group by province, YTD, top 5 desc", ["buyers"], ["province"], None),
        (
            "avg LTV for customers whose signup_channel = store?",
            ["average_ltv"],
            None,
            {"signup_channel": ["store"]},
        ),
        (
            "How big is the churn in Shanghai for last quarter?",
            ["churn_rate"],
            None,
            {"city": ["上海"]},
        ),
        ("请列示2025年各月：1. 退货金额；2. 退货率。", ["returns", "return_rate"], ["month"], None),
        (
            "短信渠道本年累计：1. 送达量；2. 点击率。",
            ["delivered", "ctr"],
            None,
            {"channel": ["sms"]},
        ),
        ("近90天单笔平均退货金额，请分渠道列示。", ["average_return_value"], ["channel"], None),
        ("请按公司口径测算10月客户流失率。", ["churn_rate"], None, None),
        (
            "请按RFM分层列示各层客户的平均LTV（历史累计净额）。",
            ["average_ltv"],
            ["rfm_segment"],
            None,
        ),
    ],
)
def test_learners_english_half_sql_and_formal_requests_are_read(
    planner: OfflinePlanner,
    question: str,
    metrics: list[str],
    dimensions: list[str] | None,
    filters: dict | None,
) -> None:
    args = query_args(planner, question)
    assert args["metrics"][: len(metrics)] == metrics
    assert args.get("dimensions") == dimensions
    assert (args.get("filters") or None) == filters


def test_since_n_units_is_the_last_n_units(planner: OfflinePlanner) -> None:
    assert period_read(planner, "orders since 3 months", DAY_AFTER_THE_DATA) == (
        date(2026, 8, 1),
        date(2026, 10, 31),
    )
    # "since 3 months ago" is since a day, not a window: not this reading's
    assert find_period("since 3 months ago", DAY_AFTER_THE_DATA) is None or (
        find_period("since 3 months ago", DAY_AFTER_THE_DATA).range.end >= date(2026, 10, 31)
    )


def test_a_follow_up_correcting_the_question_before_replaces_its_period(
    planner: OfflinePlanner,
) -> None:
    tool, args = last_call(
        planner,
        ["how was the average basket in Q3", "sorry, I meant the Q3 of last year, not this one"],
    )
    assert tool == "query_metrics"
    found = find_period(args["time_range"], DAY_AFTER_THE_DATA)
    assert (found.range.start, found.range.end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert args["metrics"] == ["aov"]


def test_a_correction_inside_one_question_still_keeps_what_it_does_not_restate(
    planner: OfflinePlanner,
) -> None:
    args = query_args(planner, "orders in May, scratch that, June")
    assert args["metrics"] == ["orders"]
    assert "June" in args["time_range"]


def test_a_definition_asked_of_two_metrics_goes_to_the_knowledge_base(
    planner: OfflinePlanner,
) -> None:
    assert planned_call(planner, "本系统中ROI与ROAS的定义分别是什么？")[0] == "search_knowledge"


def test_sharing_phone_numbers_with_an_agency_is_refused(planner: OfflinePlanner) -> None:
    reply = asked_back(
        planner,
        "Quick legal q: does PIPL let us share customer phone numbers with our Singapore agency?",
    )
    assert "personal data" in reply


def test_how_many_to_send_is_a_sample_size(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "打开率25% 想验证新标题能不能拉到28% 要发多少")
    assert tool == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"]) == (0.25, 0.03)


def test_keywords_typed_apart_are_conditions_never_talk(planner: OfflinePlanner) -> None:
    # (a space-split fragment with no speaker, wish or end particle is a condition of the ask:
    # the coupon, which the store does not hold, is asked about, never dropped)
    assert "优惠券" in asked_back(planner, "10月 用了优惠券 和 没用优惠券 的订单 各多少")


def test_a_count_of_the_whole_table_with_a_word_it_did_not_read_is_asked_back(
    planner: OfflinePlanner,
) -> None:
    assert "score" in asked_back(planner, "how many customers are there with an R score of 5?")
    assert planned_call(planner, "how many products are in the catalogue?")[1] == {
        "sql": "SELECT COUNT(*) AS products FROM products"
    }


@pytest.mark.parametrize(
    "question",
    ["Which 10 clients wrote the most reviews?", "how many reviews did each product get"],
)
def test_a_count_of_reviews_is_no_sentiment_analysis(
    planner: OfflinePlanner, question: str
) -> None:
    asked_back(planner, question)  # (a count over the reviews table or the sentiment: asked)


def test_a_follow_up_summing_by_another_breakdown_keeps_it(planner: OfflinePlanner) -> None:
    tool, args = last_call(planner, ["请提供今年1—10月各月净销售额。", "改为按省份汇总。"])
    assert tool == "query_metrics" and args["dimensions"] == ["province"]
    tool, args = last_call(planner, ["revenue by month this year", "ok what's the total?"])
    assert "dimensions" not in args


def test_a_campaign_channel_left_out_in_chinese(planner: OfflinePlanner) -> None:
    tool, args = last_call(planner, ["今年各渠道营销活动的送达量与转化率", "剔除社交渠道。"])
    assert args["exclude"] == {"channel": ["social"]}


def test_an_audience_whose_file_is_asked_is_exported(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner,
        "My manager wants a social ads audience with the Need Attention clients, can you "
        "prepare the file?",
    )
    assert (tool, args) == ("export_audience", {"segment": "Need Attention", "channel": "social"})


@pytest.mark.parametrize(
    ("turns", "filters"),
    [
        (["上海近30天订单量", "加上北京 分城市看"], {"city": ["上海", "北京"]}),
        (["orders in Shanghai last 30 days", "add Beijing, by city"], {"city": ["上海", "北京"]}),
        # near miss: a value named in place of the one shown replaces it
        (["orders in Shanghai last 30 days", "what about Beijing?"], {"city": ["北京"]}),
    ],
)
def test_a_value_added_joins_the_one_shown(
    planner: OfflinePlanner, turns: list[str], filters: dict
) -> None:
    assert last_call(planner, turns)[1]["filters"] == filters


def test_pinyin_initials_are_read_and_named(planner: OfflinePlanner) -> None:
    message = planner._plan("上月dd量多少", [])
    assert message.tool_calls[0]["args"]["metrics"] == ["orders"]
    # a payment method the store does not keep, named as read
    assert "支付宝" in asked_back(planner, "上个月zfb付款的dd有多少")


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "Version A: 3.400 mails, 102 orders. Version B: 3.350 mails, 131 orders. "
            "Is B significantly better?",
            [("A", 3400, 102), ("B", 3350, 131)],
        ),
        # one count written the European way says the others are too
        (
            "A went to 12.480 persons and 1.310 clicked, B went to 12.515 and 1.402 clicked. "
            "A winner?",
            [("A", 12480, 1310), ("B", 12515, 1402)],
        ),
        # near miss: commas as thousands marks, as before
        (
            "A: 1,000 visitors, 50 conversions; B: 1,000 visitors, 65 conversions",
            [("A", 1000, 50), ("B", 1000, 65)],
        ),
    ],
)
def test_counts_with_european_thousands_marks(
    planner: OfflinePlanner, question: str, counts: list[tuple[str, int, int]]
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_test"
    assert [(c["variant"], c["trials"], c["events"]) for c in args["counts"]] == counts


def test_a_decimal_stays_a_decimal_without_a_counted_noun() -> None:
    from copilot.offline.numbers import counts_in

    assert [c.value for c in counts_in("AOV went from 3.400 to 3.5")] == [3.4, 3.5]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["Best push time for Loyal Customers?"], ("best_send_time", "push")),
        (
            ["帮我跑个RFM", "At Risk那群人长啥样", "行 把他们导成短信名单 准备召回"],
            ("export_audience", "sms"),
        ),
    ],
)
def test_a_channel_said_inside_the_ask(
    planner: OfflinePlanner, turns: list[str], expected: tuple[str, str]
) -> None:
    tool, args = last_call(planner, turns)
    assert (tool, args["channel"]) == expected


def test_a_definition_asked_last_goes_to_the_knowledge_base(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "Our repurchase rate definition, exactly?")[0] == (
        "search_knowledge"
    )


def test_a_share_of_customers_lost_is_the_churn_rate(planner: OfflinePlanner) -> None:
    assert query_args(planner, "% of clients lost in September?")["metrics"] == ["churn_rate"]


def test_a_minimal_effect_and_a_power_size_a_test(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "Conversion is actually 3%, minimal effect 20% relative, and we want power 90%"
    )
    assert tool == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"], args["power"]) == (
        0.03,
        0.2,
        0.9,
    )


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("近90天按RFM分层看销售额 哪层贡献最多 我好决定触达优先级 钱要花在刀刃上", ["rfm_segment"]),
        # which rows are hits is a judgement of the rows: no product breakdown added
        (
            "今年618期间各品类卖了多少 给双12选品做参考 哪个品类是真爆款哪个是陪跑的 一目了然那种",
            ["category"],
        ),
    ],
)
def test_a_phones_reasons_and_judgements_are_set_aside(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"] and args["dimensions"] == dimensions
    assert "limit" not in args


def test_a_number_ending_a_sentence_is_no_list_item(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "Rank provinces by net revenue over the last 90 days and report the top 3."
    )
    assert args["limit"] == 3


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # a breakdown by the shops inside the store channel, which the store does not record
        ("请按门店拆分上月销售额，用于门店考核。", "按门店"),
        # a member day is an event of the brand's own, not active users (日活)
        ("会员日活动的投入产出比是多少？", "会员日"),
        ("本年营销预算执行率是多少？", "预算执行率"),
    ],
)
def test_what_the_store_does_not_hold_is_named(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    assert named in asked_back(planner, question)


def test_a_holiday_campaign_in_a_store_without_campaigns_says_so(tmp_path) -> None:  # noqa: ANN001
    from sqlalchemy import text

    from tests.conftest import own_store_planner

    def drop_campaigns(engine) -> None:  # noqa: ANN001
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM campaign_messages"))
            conn.execute(text("DELETE FROM campaigns"))

    bare = own_store_planner(tmp_path, drop_campaigns)
    reply = asked_back(bare, "how did the Black Friday campaign do?")
    assert "no campaigns" in reply and "Black Friday" in reply
    assert "I don't know" not in reply  # (Black Friday's days are known)


def test_a_ratio_of_a_zero_denominator_is_said_so_never_no_campaigns(
    duckdb_demo_engine,
    tmp_path,  # noqa: ANN001
) -> None:
    """CAC of campaigns that ran but acquired no customer: no "there were no campaigns", no
    crash drawing an empty chart (fresh tester f26)."""
    answer = copilot(duckdb_demo_engine, tmp_path).ask(
        "2026年双11的短信和社交广告活动 CAC 各多少", "cac"
    )
    assert answer.tool_calls and answer.tool_calls[0].name == "query_metrics"
    assert "分母获客数为 0" in answer.text
    assert "没有投放活动" not in answer.text and "没有记录" not in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Q3 各品类销售额，不看数码",
        "Q3 各 category net sales 环比 Q2, 不看 electronics, 谁跌得最多?",
        "Q3 各品类销售额 不看electronics",
    ],
)
def test_a_value_one_does_not_look_at_is_left_out(planner: OfflinePlanner, question: str) -> None:
    # (was the opposite: the figure of electronics alone, found by fresh tester f26)
    args = query_args(planner, question)
    assert args["exclude"] == {"category": ["electronics"]}
    assert args["dimensions"] == ["category"] and "filters" not in args


def test_only_looking_at_a_value_still_filters_to_it(planner: OfflinePlanner) -> None:
    assert query_args(planner, "只看数码 Q3销售额")["filters"] == {"category": ["electronics"]}


@pytest.mark.parametrize(
    ("question", "order_by", "sort"),
    [
        ("YTD 各 city 的 revenue vs 去年同期, 按 growth % 排个 top 5", "revenue_change", "desc"),
        ("上个季度 vs Q2, 哪个 age band 的 buyers 掉得最多?", "buyers_change", "asc"),
    ],
)
def test_a_change_ranking_said_in_mixed_chinese_and_english(
    planner: OfflinePlanner, question: str, order_by: str, sort: str
) -> None:
    # (was ranked by the level: a different question, found by fresh tester f26)
    args = query_args(planner, question)
    assert (args["order_by"], args["sort"]) == (order_by, sort)


@pytest.mark.parametrize(
    "question",
    [
        "2026年哪个邮件活动的退订率最高",
        "2026年的邮件活动里哪个退订率最高",
        "2026 年的 email campaigns 里哪个 unsubscribe rate 最高?",
    ],
)
def test_which_campaign_of_a_channel_is_asked_per_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    # (was one pooled rate over every email campaign)
    args = query_args(planner, question)
    assert args["dimensions"] == ["campaign"] and args["filters"] == {"channel": ["email"]}


def test_a_channel_with_no_campaign_in_the_period_is_still_said_so(
    duckdb_demo_engine,
    tmp_path,  # noqa: ANN001
) -> None:
    """618 had email and push campaigns, no SMS one: "no campaigns then (SMS)", never a ratio
    of a zero denominator."""
    answer = copilot(duckdb_demo_engine, tmp_path).ask("618短信活动的点击率", "sms")
    assert "没有投放活动" in answer.text and "分母" not in answer.text


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        # RFM named as what the personas should beat is no RFM table (sets 25, 26c)
        (
            "Cluster the base into behavioural personas - I want something richer than RFM "
            "for the creative team",
            "customer_personas",
        ),
        (
            "can u cluster our customers into personas? something less boring than RFM",
            "customer_personas",
        ),
        # a layer of the RFM table exported, and one described
        ("rfm里 new customers 那层 导个push人群 准备发新人券", "export_audience"),
        ("PL segment (Potential Loyalists) - quick who-are-they", "profile_segment"),
        # near miss: RFM asked
        ("segment my customers with RFM", "rfm_segments"),
    ],
)
def test_rfm_named_beside_another_task_is_that_task(
    planner: OfflinePlanner, question: str, tool: str
) -> None:
    assert planned_call(planner, question)[0] == tool


def test_a_definition_to_use_is_no_definition_asked(planner: OfflinePlanner) -> None:
    # ("pls use the standard definition" instructs; it asks no definition: never the
    # knowledge base in place of the churn asked)
    message = planner._plan(
        "what was churn for the first half of this year? it's going in the board deck so pls "
        "use the standard definition",
        [],
    )
    assert not message.tool_calls or message.tool_calls[0]["name"] == "query_metrics"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("明天上海会不会下雨？周末商场门口的外场活动要不要取消", "天气"),
        ("Can you write me the Liquid template for a Braze win-back canvas?", "code"),
    ],
)
def test_weather_and_another_systems_templates_are_refused(
    planner: OfflinePlanner, question: str, said: str
) -> None:
    # (were asked back as an unknown campaign "外场活动" / "win-back" of two campaigns: set 26c)
    assert said in asked_back(planner, question)


def test_last_weekend_is_never_the_whole_last_week(planner: OfflinePlanner) -> None:
    # ("上周末" read as 上周, the weekend dropped; its days are asked about)
    assert "周末" in asked_back(planner, "上周末的订单有多少")
    assert query_args(planner, "上周的订单有多少")["time_range"] == "上周"


@pytest.mark.parametrize(
    "question", ["商品目录里一共有多少个商品？", "How many products are in the catalogue?"]
)
def test_where_the_counted_things_are_kept_is_no_condition(
    planner: OfflinePlanner, question: str
) -> None:
    assert planned_call(planner, question)[1] == {
        "sql": "SELECT COUNT(*) AS products FROM products"
    }
