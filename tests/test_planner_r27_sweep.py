"""Round 27, kinds found in the round-26 code by the unseen sets 26c/26d read after the round and
by two new sealed sets' writers (27a: a Slack-bot user and a store manager typing by voice;
27b: business English of Singapore and India, and Traditional Chinese / Cantonese), each with a
near miss that must keep its old reading:

- a part of a year set against a bare year ("Q3 2026 vs 2025", "2025年双11对比2024年") was
  compared with the WHOLE year; it is now the same part in that year, and a part said once
  before two years ("Spring Festival SMS conversion, 2026 vs 2025") is that part in each;
- a ranking no call breaks down ("哪几个营销活动ROI排名前三") was answered with one pooled
  figure; it is asked back, and "前三的营销活动" / "哪几个营销活动" name the campaign breakdown;
- a legal verdict ("need a legal yes/no", GDPR, "can we get fined") quoted the compliance
  notes as if they answered it; it is refused;
- "the Double 11 campaign last year" pooled its three campaigns; it asks which one;
- a follow-up "与去年春节的短信活动相比" kept this year's campaign; it sets both side by side;
- "男女比例" read as a filter on women; "over 40," with a comma lost its age;
- values "separately, not combined" were pooled, "不用分开计，给个总数" was split;
- a new-customer count of a campaign channel (社媒广告 拉新) counted orders through that
  channel (0); it is the customers the campaigns acquired;
- spoken fillers ("嗯 只要女的"), "一个月一个月的", "open rate each?", "buyers also buy?",
  "acquisition (signup) channel", "anything saved under segments yet?"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, last_call, planned_call, query_args
from tests.test_follow_ups import copilot  # (the offline Copilot over the demo store)

DAY_AFTER_THE_DATA = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("phrase", "first", "second"),
    [
        (
            "Q3 2026 vs 2025",
            (date(2026, 7, 1), date(2026, 9, 30)),
            (date(2025, 7, 1), date(2025, 9, 30)),
        ),
        (
            "March 2026 vs 2025",
            (date(2026, 3, 1), date(2026, 3, 31)),
            (date(2025, 3, 1), date(2025, 3, 31)),
        ),
        (
            "2025年双11对比2024年",
            (date(2025, 10, 20), date(2025, 11, 11)),
            (date(2024, 10, 20), date(2024, 11, 11)),
        ),
        # said once, then two years set against each other
        (
            "Q3 revenue 2026 vs 2025",
            (date(2026, 7, 1), date(2026, 9, 30)),
            (date(2025, 7, 1), date(2025, 9, 30)),
        ),
        # near miss: two whole years stay whole
        (
            "2026 vs 2025",
            (date(2026, 1, 1), date(2026, 11, 1)),
            (date(2025, 1, 1), date(2025, 12, 31)),
        ),
    ],
)
def test_a_part_of_a_year_against_a_bare_year_is_that_part_of_it(
    phrase: str, first: tuple[date, date], second: tuple[date, date]
) -> None:
    found = find_period(phrase, DAY_AFTER_THE_DATA)
    assert found is not None and found.compare_to is not None
    assert (found.range.start, found.range.end) == first
    assert (found.compare_to.start, found.compare_to.end) == second


def test_a_festival_campaign_said_before_two_years_is_each_years_campaign(
    planner: OfflinePlanner,
) -> None:
    args = query_args(planner, "Spring Festival SMS campaign conversion rate, 2026 vs 2025")
    assert sorted(args["filters"]["campaign"]) == [
        "Spring Festival 2025 - SMS",
        "Spring Festival 2026 - SMS",
    ]
    assert args["dimensions"] == ["campaign"]
    # near miss: one year said is that year's campaign alone
    one = query_args(planner, "the Spring Festival 2026 SMS campaign conversion rate")
    assert one["filters"]["campaign"] == ["Spring Festival 2026 - SMS"]


def test_a_ranking_no_call_breaks_down_is_asked_back(planner: OfflinePlanner) -> None:
    args = query_args(planner, "今年ROI排名前三的营销活动是哪几个")
    assert args["dimensions"] == ["campaign"] and args["limit"] == 3
    assert query_args(planner, "今年哪几个营销活动ROI排名前三")["dimensions"] == ["campaign"]
    # near misses: a span of months back is no ranking
    assert "dimensions" not in query_args(planner, "前三季度销售额")


def test_a_ranking_left_without_its_breakdown_is_never_one_figure(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "top 3 by revenue last month")
    assert "top 3" in reply


@pytest.mark.parametrize(
    "question",
    [
        "Is it GDPR-compliant to keep emailing lapsed EU customers after 2 years? need a legal yes/no",
        "> legal asked: can we get fined under PIPL for texting ppl who never opted in? need a yes/no",
        "按GDPR 我们能不能继续给欧洲老客户发邮件",
    ],
)
def test_a_legal_verdict_is_refused(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls
    assert "legal" in message.content or "法律" in message.content


def test_the_brands_own_rules_still_go_to_the_knowledge_base(planner: OfflinePlanner) -> None:
    assert (
        planned_call(planner, "are we allowed to say best ever in an SMS?")[0] == "search_knowledge"
    )


def test_the_one_campaign_of_a_festival_with_several_is_asked_about(
    planner: OfflinePlanner,
) -> None:
    reply = asked_back(planner, "Conversion rate for the Double 11 campaign last year pls")
    assert "Double 11 2025 - SMS" in reply and "Double 11 2025 - Social Ads" in reply
    # near miss: the campaigns in the plural are all of them
    args = query_args(planner, "conversion rate of the Double 11 2025 campaigns")
    assert len(args["filters"]["campaign"]) == 3


def test_last_years_festival_campaign_is_set_beside_this_years(planner: OfflinePlanner) -> None:
    tool, args = last_call(
        planner, ["今年春节期间短信活动的转化率是多少", "与去年春节的短信活动相比如何"]
    )
    assert tool == "query_metrics"
    assert sorted(args["filters"]["campaign"]) == [
        "Spring Festival 2025 - SMS",
        "Spring Festival 2026 - SMS",
    ]
    # near miss: "the same Double 11" is the one shown, on the other channel
    tool, args = last_call(
        planner,
        ["Double 11 2025 SMS conversion rate", "and the social ads one from the same Double 11"],
    )
    assert args["filters"]["campaign"] == ["Double 11 2025 - Social Ads"]


def test_both_genders_named_are_no_filter_and_a_layers_portrait_is_its_profile(
    planner: OfflinePlanner,
) -> None:
    tool, args = planned_call(
        planner,
        "快睡着的 about to sleep 那批客户，主要在哪些城市、男女比例、平均花多少，给我个画像",
    )
    assert (tool, args) == ("profile_segment", {"segment": "About to Sleep"})
    # near miss: one gender named stays the condition
    assert planned_call(planner, "men over 40 how many")[1]["definition"]["genders"] == ["M"]


def test_an_age_bound_before_a_comma_is_read(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "men over 40, how many")
    assert tool == "define_segment"
    assert args["definition"] == {"genders": ["M"], "min_age": 41}


def test_a_count_of_the_whole_table_with_a_number_it_did_not_use_is_asked_back(
    planner: OfflinePlanner,
) -> None:
    assert "over 40" in asked_back(planner, "customers over 40, how many")
    # near miss: a plain count of the table
    assert planned_call(planner, "how many customers do we have")[0] == "run_sql"


@pytest.mark.parametrize(
    ("question", "split"),
    [
        (
            "Revenue per buyer for Shanghai and Hangzhou in Oct - both separately, not combined pls.",
            True,
        ),
        ("廣州同深圳上個月營收加埋係幾多？唔使分開計，俾個總數我就得", False),
        ("深圳和广州上个月销售额加一起", False),
        ("上海和北京上个月销售额分别多少", True),
    ],
)
def test_values_apart_or_together_as_said_even_negated(
    planner: OfflinePlanner, question: str, split: bool
) -> None:
    args = query_args(planner, question)
    assert ("city" in (args.get("dimensions") or [])) is split
    assert len(args["filters"]["city"]) == 2


def test_new_customers_of_a_campaign_channel_are_those_its_campaigns_acquired(
    planner: OfflinePlanner,
) -> None:
    assert query_args(planner, "new customers from SMS last month")["metrics"] == [
        "acquired_customers"
    ]
    assert query_args(planner, "双十一 社媒广告 拉新多少人 cac多少")["metrics"] == [
        "acquired_customers",
        "cac",
    ]
    # near miss: an order channel keeps the first orders placed through it
    assert query_args(planner, "new customers in the app last month")["metrics"] == [
        "new_customers"
    ]


def test_a_spoken_filler_before_a_follow_up_keeps_it_a_follow_up(planner: OfflinePlanner) -> None:
    tool, args = last_call(planner, ["嗯 今年 一个月一个月的 新客数 列一下", "嗯 只要女的"])
    assert tool == "query_metrics"
    assert args["dimensions"] == ["month"] and args["filters"] == {"gender": ["F"]}
    # near miss: 那个 before a noun points at it, no filler
    assert "那个活动" in asked_back(planner, "那个活动的ROI")


@pytest.mark.parametrize(
    ("question", "tool", "key", "value"),
    [
        ("2026 campaigns - open rate each?", "query_metrics", "dimensions", ["campaign"]),
        ("Robot Vacuum buyers also buy?", "cross_sell_rules", "item", "Robot Vacuum"),
        (
            "revenue by acquisition (signup) channel last month",
            "query_metrics",
            "dimensions",
            ["signup_channel"],
        ),
        (
            "tell me about the New Customers segment (the rfm one, not first-time buyers in general)",
            "profile_segment",
            "segment",
            "New Customers",
        ),
        (
            "any time of day where our emails get opened more? not for a specific group, just overall",
            "best_send_time",
            "channel",
            "email",
        ),
        (
            "how many orders did we take ON 11.11 last yr - the day itself",
            "query_metrics",
            "metrics",
            ["orders"],
        ),
    ],
)
def test_phrasings_of_27a_and_27b(
    planner: OfflinePlanner, question: str, tool: str, key: str, value: object
) -> None:
    called, args = planned_call(planner, question)
    assert called == tool
    assert args[key] == value


def test_saved_segments_asked_whether_any_exist(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "anything saved under segments yet?")[0] == "list_segments"


def test_l90d_buyers_by_rfm_segment_is_a_metric_of_the_period(planner: OfflinePlanner) -> None:
    message = planner._plan("L90D buyers split by RFM segment", [])
    assert message.tool_calls[0]["name"] == "query_metrics"
    assert message.tool_calls[0]["args"]["dimensions"] == ["rfm_segment"]


def test_a_layer_split_by_values_the_store_lacks_is_asked_back(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "Loyalty tier mix within Champions - how many Gold vs Platinum?")
    assert "gold" in reply.lower() and "platinum" in reply.lower()
    # near miss: a layer's size in the RFM reader's own words
    assert (
        planned_call(planner, "the New Customers tier plus Promising, how many people in total?")[0]
        == "rfm_segments"
    )


def test_a_black_friday_test_result_is_asked_about(planner: OfflinePlanner) -> None:
    assert "black friday" in asked_back(planner, "@copilot black friday email results? ty").lower()
    assert planned_call(planner, "spring festival email A/B results?")[0] == "ab_test"


def test_a_gross_margin_for_a_pl_review_is_no_review_sentiment(planner: OfflinePlanner) -> None:
    reply = asked_back(
        planner, "Pls advise gross margin by category for H1, finance is asking for P&L review"
    )
    assert "gross margin" in reply


def test_an_opinion_after_keywords_typed_apart_is_set_aside(planner: OfflinePlanner) -> None:
    args = query_args(planner, "护肤和彩妆 近三十天 销售额 对比一下，彩妆这个月感觉拉胯")
    assert args["time_range"] == "近三十天"
    assert sorted(args["filters"]["category"]) == ["makeup", "skincare"]


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("四星以上的评论有多少条", "rating >= 4"),
        ("how many reviews with 4 stars or more", "rating >= 4"),
        # near miss: a star level alone is that level
        ("4星的评论有多少条", "rating = 4"),
    ],
)
def test_a_star_level_with_a_bound_counts_the_bound(
    planner: OfflinePlanner, question: str, condition: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "run_sql" and condition in args["sql"]


def test_under_n_stars_is_below_n(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "how many reviews under 3 stars")
    assert tool == "run_sql" and "rating <= 2" in args["sql"]


def test_a_misheard_metric_corrected_by_voice_is_replaced(planner: OfflinePlanner) -> None:
    args = query_args(planner, "那个 消费额 不对 销售额 按品类排一下 前三 去年的")
    assert args["metrics"] == ["revenue"] and args["dimensions"] == ["category"]
    # near miss: a store value before the marker stays
    assert query_args(planner, "revenue in Shanghai, sorry, I mean AOV")["filters"] == {
        "city": ["上海"]
    }


@pytest.mark.parametrize(
    ("question", "key", "value"),
    [
        ("六幺八推送点击率", "filters", {"channel": ["push"]}),
        ("十月客单价 中英文用户对比一下", "dimensions", ["language"]),
        ("今年到目前為止，各通路的客單價", "dimensions", ["channel"]),
        ("2025 年簡訊行銷的轉換率是多少？", "filters", {"channel": ["sms"]}),
        ("推播每個活動的開信率", "metrics", ["open_rate"]),
        ("門市通路第三季營收，跟第二季比起來到底如何？", "filters", {"channel": ["store"]}),
        ("去年各品類嘅退貨率係點？", "dimensions", ["category"]),
    ],
)
def test_spoken_numbers_and_taiwan_hong_kong_usage(
    planner: OfflinePlanner, question: str, key: str, value: object
) -> None:
    assert query_args(planner, question)[key] == value


def test_a_figure_beside_when_it_is_needed_is_answered(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "return rate per sales channel for oct, need it for the ops sync in 10 min"
    )
    assert args["metrics"] == ["return_rate"] and args["dimensions"] == ["channel"]
    # near miss: an unknown name beside a bare figure is still asked about
    assert "Atlantis" in asked_back(planner, "orders last month, Atlantis")


def test_a_bare_both_sets_the_two_values_asked_one_at_a_time(planner: OfflinePlanner) -> None:
    tool, args = last_call(
        planner,
        [
            "AOV for Shanghai last month?",
            "And Beijing?",
            "Put both side by side with previous month",
        ],
    )
    assert tool == "query_metrics"
    assert args["filters"]["city"] == ["上海", "北京"]
    assert args["compare_to"] == "previous period"


def test_a_value_with_one_also_can_swaps_the_value(planner: OfflinePlanner) -> None:
    tool, args = last_call(
        planner, ["What was our email campaigns conversion % in 2025 overall?", "SMS one also can?"]
    )
    assert tool == "query_metrics"
    assert args["filters"] == {"channel": ["sms"]} and args["time_range"] == "2025"


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("Champions 分群的客人都是什麼背景？年齡、城市、消費", "profile_segment"),
        (
            "Kindly push the New Customers segment to our social ads account for lookalike seeding",
            "export_audience",
        ),
    ],
)
def test_a_layers_background_and_a_lookalike_seed(
    planner: OfflinePlanner, question: str, tool: str
) -> None:
    assert planned_call(planner, question)[0] == tool


def test_a_train_timetable_is_refused(planner: OfflinePlanner) -> None:
    message = planner._plan("高鐵台北到高雄最晚一班是幾點？", [])
    assert not message.tool_calls


def test_a_comparison_declined_is_not_made(planner: OfflinePlanner) -> None:
    message = planner._plan(
        "Kindly share last month net sales versus the same month last year, my GM wants YoY only, not MoM.",
        [],
    )
    assert len(message.tool_calls) == 1
    assert message.tool_calls[0]["args"].get("compare_to") != "previous period"
    # near miss: both asked are both made
    assert len(planner._plan("last month revenue, MoM and YoY", []).tool_calls) == 2


def test_an_occasion_a_deck_is_for_is_no_period_nor_filter(planner: OfflinePlanner) -> None:
    args = query_args(
        planner,
        "Dear team, for the Women's Day planning deck I need buyer count gender wise for the last 30 days.",
    )
    assert args["time_range"] == "last 30 days"
    assert args["dimensions"] == ["gender"] and "filters" not in args


def test_cheapest_to_acquire_ranks_cac_from_the_lowest(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "cac by campaign, whole history pls - which one buys customers cheapest?"
    )
    assert args["metrics"] == ["cac"] and args.get("sort") == "asc"


def test_counts_said_in_chinese_numerals_are_read() -> None:
    from copilot.offline.question import write_out_spoken_counts

    assert write_out_spoken_counts("A发了五百条 成交十二个 B发了五百二 成交二十个") == (
        "A发了500条 成交12个 B发了520 成交20个"
    )
    # near misses: names, months, spans and single counts of things stay as said
    kept = "双十一 十一月 三十天 十二个月 第二十 两个渠道 哪一个"
    assert write_out_spoken_counts(kept) == kept


def test_ab_counts_and_points_said_aloud(planner: OfflinePlanner) -> None:
    tool, args = planned_call(
        planner, "然后短信两个版本 A发了三千 转化九十 B发了三千 转化一百零五哈 B是不是更好"
    )
    assert tool == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == [(3000, 90), (3000, 105)]
    tool, args = planned_call(planner, "打开率二十个点左右 要看出三个点的差别 一组多少人")
    assert tool == "ab_sample_size"
    assert (args["baseline_rate"], args["minimum_detectable_effect"], args["relative"]) == (
        0.2,
        0.03,
        False,
    )


def test_a_chinese_place_the_store_lacks_is_asked_about_whole(planner: OfflinePlanner) -> None:
    assert "台中" in asked_back(planner, "台中門市上個月營收多少？")
    # near miss: a place the store holds is its filter
    assert query_args(planner, "上海上个月销售额")["filters"] == {"city": ["上海"]}


def test_running_a_campaign_names_no_campaign(planner: OfflinePlanner) -> None:
    reply = planner._plan(
        "那个 圈一下 最近九十天 小程序下过三单以上的 女的 存起来 下周搞活动用", []
    ).content
    assert "周搞活动" not in reply
    # near miss: a name before the campaign noun is a campaign asked about
    assert "星空" in asked_back(planner, "星空促销的转化率")


def test_customers_we_actually_lost_are_the_churned_count(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "@copilot q3 - how many customers did we actually lose? a headcount, not the %"
    )
    assert args["metrics"] == ["churned_customers"]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            ["上个月销售额按渠道", "就看门店的 跟前一个月比一下"],
            {"filters": {"channel": ["store"]}, "compare_to": "上一期"},
        ),
        (
            ["上个月销售额按渠道", "只看门店 跟上个月比"],
            {"filters": {"channel": ["store"]}, "compare_to": "上一期"},
        ),
        (
            ["上季度客单价前五的城市", "嗯 不看客单价了 换成每个人花多少"],
            {"dimensions": ["city"], "limit": 5},
        ),
        # (formal written Chinese, from 27c read after the end measurement)
        (["烦请提供十月份退货率。", "与去年同期相较如何？"], {"compare_to": "去年同期"}),
        (["上季度购买人数多少？", "仅限女性客户。"], {"filters": {"gender": ["F"]}}),
    ],
)
def test_chinese_follow_ups_narrowing_comparing_or_swapping(
    planner: OfflinePlanner, turns: list[str], expected: dict
) -> None:
    tool, args = last_call(planner, turns)
    assert tool == "query_metrics"
    for key, value in expected.items():
        assert args[key] == value


def test_a_filtered_churn_rate_says_what_the_filter_picks(planner: OfflinePlanner) -> None:
    from copilot.offline.intents.metrics import _with_churn_base

    base = {"start": "2025-07-04", "end": "2025-12-31"}
    said = _with_churn_base("Churn rate ... was 8.6%.", base, "en", filtered=True)
    assert "no valid order at all" in said
    assert "no valid order at all" not in _with_churn_base("x", base, "en")


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("那个 Hibernating 睡着的那批 都啥人啊", "Hibernating"),
        ("Can't Lose Them 這班高價值但好耐冇嚟嘅客，背景係點？", "Can't Lose Them"),
    ],
)
def test_who_a_layer_is_asked_in_chinese_is_its_profile(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    assert planned_call(planner, question) == ("profile_segment", {"segment": segment})


def test_the_seven_days_before_in_chinese_are_the_previous_period(planner: OfflinePlanner) -> None:
    found = find_period("最近7天客单价 vs 前7天", DAY_AFTER_THE_DATA)
    assert found is not None and found.compare_to is not None
    assert (found.compare_to.start, found.compare_to.end) == (
        date(2026, 10, 18),
        date(2026, 10, 24),
    )


def test_low_star_reviews_of_one_product_are_counted_for_it(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "how many 1-star reviews did the Smartphone X12 get")
    assert tool == "run_sql"
    assert "r.rating <= 1" in args["sql"] and "'Smartphone X12'" in args["sql"]
    # near miss: no product named counts them all
    assert "JOIN" not in planned_call(planner, "差评一共多少条")[1]["sql"]


def test_every_word_of_an_unmeasured_thing_is_named(planner: OfflinePlanner) -> None:
    reply = asked_back(planner, "can u pull impressions + cpm for the social ads last quarter")
    assert "impressions" in reply and "cpm" in reply


def test_and_also_is_no_restatement(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "北京那边 去年一整年 净销售额是多少 还有 就是 买家数 一起给我 我要写总结"
    )
    assert args["metrics"] == ["revenue", "buyers"]


def test_an_age_range_said_in_chinese_numerals(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "建个分群 重庆成都 二十五到三十五岁 买过彩妆的 要有短信授权")
    assert tool == "define_segment"
    assert (args["definition"]["min_age"], args["definition"]["max_age"]) == (25, 35)


def test_a_segment_of_big_orders_is_no_catalogue_listing(planner: OfflinePlanner) -> None:
    message = planner._plan("建个分组 深圳的 男的 单笔三千块以上 而且单子里有数码产品的", [])
    assert all(c["name"] != "run_sql" for c in message.tool_calls)


def test_festival_campaigns_set_against_another_years_are_both(planner: OfflinePlanner) -> None:
    args = query_args(
        planner, "ROI of the Double 11 2026 campaigns vs the Double 11 2025 campaigns"
    )
    assert "Double 11 2025 - SMS" in args["filters"]["campaign"]
    assert "Double 11 2026 - SMS" in args["filters"]["campaign"]
    assert "compare_to" not in args


def test_that_campaign_after_a_top_one_is_the_one_shown(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    bot = copilot(duckdb_demo_engine, tmp_path)
    first = bot.ask("哪个活动转化率最高？", "top")
    shown = first.tool_calls[0]
    assert shown.args.get("limit") == 1
    answer = bot.ask("And what was that campaign's ROAS and cost?", "top")
    call = answer.tool_calls[0]
    assert call.args["metrics"] == ["roas", "cost"]
    assert len(call.args["filters"]["campaign"]) == 1 and "limit" not in call.args


# After the end measurement, from the unseen sets 27c/27d read then (reported apart).
def test_a_festival_said_running_outside_its_phrase_is_the_running_one(
    planner: OfflinePlanner,
) -> None:
    from dataclasses import replace

    on_the_day = replace(planner, as_of=DAY_AFTER_THE_DATA)  # (Double 11 2026 still to come)
    running = query_args(on_the_day, "Double 11 revenue so far")["time_range"]
    bare = query_args(on_the_day, "双11期间 每天的订单量拉个表")["time_range"]
    found = find_period(running, DAY_AFTER_THE_DATA)
    assert found is not None and found.range.start == date(2026, 10, 20)
    found = find_period(bare, DAY_AFTER_THE_DATA)
    assert found is not None and found.range.start == date(2025, 10, 20)


def test_classical_how_much_is_no_count_of_boxes(planner: OfflinePlanner) -> None:
    assert "units" not in query_args(planner, "上月彩妆品类净销售额环比几何？")["metrics"]


def test_segments_on_file_are_the_saved_ones(planner: OfflinePlanner) -> None:
    assert planned_call(planner, "Any segments on file?")[0] == "list_segments"


def test_and_draft_after_an_audience_pull_is_copy_for_that_segment(planner: OfflinePlanner) -> None:
    tool, args = last_call(
        planner,
        [
            "Start with a profile of Can't Lose Them",
            "Good — pull them as an SMS audience",
            "and draft the SMS — win-back angle, no product push",
        ],
    )
    assert tool == "generate_copy"
    assert args["segments"] == ["Can't Lose Them"]
