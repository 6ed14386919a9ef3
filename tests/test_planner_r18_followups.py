"""Round 18 wave 1, follow-up kinds (engineer followups): a turn read against the result
before it. A metric set beside the figure shown is added, one said to be seen already is
set aside; a count noun said of where it came from narrows, keeping the figure; another
channel's campaign of "the same" event is that event's; a period with no metric of its own
is the figure shown for it; the same span a year back; the figure shown split into the
values named; the values set apart by a verb alone; two values or two periods joined into
one figure; significance after per-variant figures or among campaign rows. Every wording
here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


# 1. Add a metric vs swap it: "next to it" / "beside that" / 放在旁边 adds; a figure said to be
#    seen ("件数看完了", "done with units") is the one set aside.
@pytest.mark.parametrize(
    "second",
    [
        "put the return rate next to it",
        "show aov beside that please",
        "can I get orders alongside it",
        "return rate next to those figures",
        "把退货率放在旁边",
        "旁边再放一列客单价",
    ],
)
def test_a_metric_set_beside_the_figure_is_added(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["revenue by channel in Q3", second])
    assert name == "query_metrics", args
    assert args["metrics"][0] == "revenue" and len(args["metrics"]) == 2, args
    assert args["dimensions"] == ["channel"]
    assert args["time_range"] == "Q3"


@pytest.mark.parametrize(
    "second",
    [
        "件数看完了，金额呢",
        "单量看过了 销售额呢",
        "done with units - now revenue",
        "finished with the units, revenue now",
        "ok seen the units, what about revenue",
    ],
)
def test_a_metric_said_to_be_seen_is_swapped_out(planner: OfflinePlanner, second: str) -> None:
    first = "各品类上季度卖了几件" if not second.isascii() else "units by category last quarter"
    if "单量" in second:
        first = "各品类上季度多少单"
    name, args = last_call(planner, [first, second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["revenue"], args
    assert args["dimensions"] == ["category"]


def test_near_miss_a_metric_named_alone_still_replaces(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue by channel in Q3", "now the return rate"])
    assert name == "query_metrics"
    assert args["metrics"] == ["return_rate"]


# 2. A subset: a count noun said of where it came from ("orders placed on the website")
#    narrows the figure shown; it names no metric of its own.
@pytest.mark.parametrize(
    "second",
    [
        "and just for orders placed on the website?",
        "only orders that came in through the app",
        "just the orders made via the mini program",
        "only for orders coming from our web store",
    ],
)
def test_a_count_noun_said_of_its_source_narrows_the_figure(
    planner: OfflinePlanner, second: str
) -> None:
    name, args = last_call(planner, ["average order value in August", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["aov"], args
    assert set(args["filters"]) == {"channel"}
    assert args["time_range"] == "August"


def test_near_miss_orders_asked_outright_are_the_new_figure(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["average order value in August", "how many orders on web?"])
    assert name == "query_metrics"
    assert args["metrics"] == ["orders"]


@pytest.mark.parametrize(
    "second",
    ["女客的单独拉一下", "男客单拎一下", "女客户单独拉出来", "女生的单独拿出来"],
)
def test_values_set_apart_by_a_verb_alone_narrow_the_breakdown(
    planner: OfflinePlanner, second: str
) -> None:
    name, args = last_call(planner, ["上个月各品类净销售额", second])
    assert name == "query_metrics", args
    assert args["dimensions"] == ["category"]
    assert list(args["filters"]) == ["gender"] and len(args["filters"]["gender"]) == 1


# 3. The figure shown split into the values named: one row per value, beside the breakdown.
@pytest.mark.parametrize(
    "second",
    [
        "can you also cut each channel into female and male?",
        "split those between men and women",
        "break each one down into male and female please",
        "每个渠道再拆成男女",
    ],
)
def test_the_figure_split_into_values_named_adds_their_breakdown(
    planner: OfflinePlanner, second: str
) -> None:
    name, args = last_call(planner, ["revenue by channel this year", second])
    assert name == "query_metrics", args
    assert args["dimensions"] == ["channel", "gender"], args
    assert not (args.get("filters") or {}).get("gender")


# 4. Another period: with no metric of its own, the figure shown for it (the breakdown kept);
#    "the same time last year" is the span shown a year back, not the whole year.
@pytest.mark.parametrize(
    ("second", "period"),
    [
        ("去年一整年男女各是多少", "去年"),
        ("2025全年按性别呢", None),
        ("and for all of 2025 by gender?", None),
        ("q2 split by gender", None),
    ],
)
def test_a_period_with_no_metric_keeps_the_figure_shown(
    planner: OfflinePlanner, second: str, period: str | None
) -> None:
    name, args = last_call(planner, ["今年人均消费多少（按买家算）", "男女分开算一下", second])
    assert name == "query_metrics", args
    assert args["metrics"][0] == "revenue_per_buyer", args
    assert args["dimensions"] == ["gender"]
    assert args["time_range"] != "今年"
    if period:
        assert args["time_range"] == period


@pytest.mark.parametrize(
    "second",
    ["对比下25年的三季度", "和2025年同一季度比一下", "compare with the same quarter of 2025"],
)
def test_a_period_set_beside_with_no_metric_compares(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["三季度客单价多少", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["aov"]
    assert args.get("compare_to") in ("去年同期", "last year", "2025-07-01 to 2025-09-30"), args


@pytest.mark.parametrize(
    "second",
    [
        "那去年同一时间段是多少？",
        "去年同一时段呢",
        "去年这个时候呢",
        "and this time last year?",
        "what about the same stretch last year",
    ],
)
def test_the_same_time_last_year_is_the_span_a_year_back(
    planner: OfflinePlanner, second: str
) -> None:
    name, args = last_call(planner, ["revenue from March 1 to April 15 2026", second])
    assert name == "query_metrics", args
    assert args["time_range"] == "2025-03-01 to 2025-04-15", args


def test_near_miss_last_year_alone_is_the_whole_year(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue from March 1 to April 15 2026", "去年全年呢"])
    assert name == "query_metrics"
    assert args["time_range"] != "2025-03-01 to 2025-04-15"


# 5. Another channel's campaign of "the same" event, no year said: that event's, and its run.
@pytest.mark.parametrize(
    ("first", "second", "campaign"),
    [
        (
            "ctr of Double 11 2025 - SMS",
            "what about the social ads one from the same Double 11?",
            "Double 11 2025 - Social Ads",
        ),
        (
            "ctr of Double 11 2025 - SMS",
            "same Double 11, social ads?",
            "Double 11 2025 - Social Ads",
        ),
        (
            "conversion rate for 618 2026 - Push",
            "and the email one from that 618?",
            "618 2026 - Email",
        ),
        ("2025双11短信的点击率", "同一个双11的社交广告呢", "Double 11 2025 - Social Ads"),
    ],
)
def test_another_channel_of_the_same_event_is_that_events_campaign(
    planner: OfflinePlanner, first: str, second: str, campaign: str
) -> None:
    name, args = last_call(planner, [first, second])
    assert name == "query_metrics", args
    assert args["filters"]["campaign"] == [campaign], args
    if args.get("time_range"):
        assert args["time_range"] == campaign.split(" - ")[0]


def test_near_miss_a_year_said_names_that_years_campaign(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["ctr of Double 11 2025 - SMS", "and the Double 11 2026 social ads?"]
    )
    assert name == "query_metrics"
    assert args["filters"]["campaign"] == ["Double 11 2026 - Social Ads"]


# 6. "Those two together": two values asked one at a time, joined, are one figure; two
#    periods asked one at a time, joined, are one span when they meet, a question when not.
@pytest.mark.parametrize(
    "third",
    ["两个城市加起来的客单价是多少", "这两个城市合起来的客单价", "aov for both cities combined"],
)
def test_two_values_joined_are_one_figure(planner: OfflinePlanner, third: str) -> None:
    name, args = last_call(planner, ["北京上个月的订单数", "上海呢，同一个月", third])
    assert name == "query_metrics", args
    assert sorted(args["filters"]["city"]) == sorted(["北京", "上海"])
    assert not args.get("dimensions"), args


def test_near_miss_two_values_without_joining_are_a_row_each(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["北京上个月的订单数", "上海呢，同一个月", "两个城市的客单价"])
    assert name == "query_metrics"
    assert args.get("dimensions") == ["city"]


@pytest.mark.parametrize(
    "third",
    [
        "what was the return rate across both months together?",
        "return rate for the two months combined",
        "这两个月加起来的退货率",
        "两个月合计的退货率是多少",
    ],
)
def test_two_periods_joined_are_one_span(planner: OfflinePlanner, third: str) -> None:
    name, args = last_call(planner, ["returns in June 2026", "and July 2026?", third])
    assert name == "query_metrics", args
    assert args["metrics"] == ["return_rate"]
    assert args["time_range"] == "2026-06-01 to 2026-07-31", args


def test_near_miss_two_periods_apart_are_asked_about(planner: OfflinePlanner) -> None:
    name, text = last_call(
        planner, ["returns in June 2026", "and August 2026?", "both months combined return rate"]
    )
    assert name is None
    assert "2026-06-01" in text and "2026-08" in text


# 7. Significance after per-variant figures (the rate of the counts shown), or of the A/B
#    campaign among campaign rows when the question names the test.
@pytest.mark.parametrize(
    ("first", "metric"),
    [
        ("delivered and conversions by variant for Double 11 2025 - Push A/B", "conversion"),
        ("Double 11 2025 - Push A/B 各版本的送达数和转化数", "conversion"),
        ("clicks by variant for Double 11 2025 - Push A/B", "ctr"),
        ("ctr by variant for Spring Festival 2026 - Email A/B", "ctr"),
    ],
)
@pytest.mark.parametrize("second", ["is that gap significant?", "这个差距显著吗"])
def test_significance_after_per_variant_figures_tests_that_campaign(
    planner: OfflinePlanner, first: str, metric: str, second: str
) -> None:
    name, args = last_call(planner, [first, second])
    assert name == "ab_test", args
    assert "A/B" in args["campaign"]
    assert args["metric"] == metric


@pytest.mark.parametrize(
    "third",
    [
        "was the A/B one significant on that metric?",
        "那个AB测试显著吗",
        "is the test one significant?",
    ],
)
def test_significance_of_the_test_among_campaign_rows(planner: OfflinePlanner, third: str) -> None:
    name, args = last_call(planner, ["ctr per campaign in 2025", "only the push ones", third])
    assert name == "ab_test", args
    assert args == {"campaign": "Double 11 2025 - Push A/B", "metric": "ctr"}


def test_near_miss_significance_across_campaign_rows_is_asked_back(
    planner: OfflinePlanner,
) -> None:
    # a difference between campaigns is no test of one campaign's variants
    name, text = last_call(planner, ["ctr per campaign in 2025", "is the difference significant?"])
    assert name is None
    assert "A/B" in text


@pytest.mark.parametrize(
    "third",
    [
        "两个活动的ROAS放一起比",
        "这两个活动的ROI对比一下",
        "roas for the two campaigns",
        "both campaigns' ROAS side by side",
    ],
)
def test_the_two_campaigns_asked_one_at_a_time_are_both_shown(
    planner: OfflinePlanner, third: str
) -> None:
    name, args = last_call(planner, ["ctr of Double 11 2025 - SMS", "and social ads?", third])
    assert name == "query_metrics", args
    assert args["filters"]["campaign"] == ["Double 11 2025 - SMS", "Double 11 2025 - Social Ads"]
    assert args["dimensions"] == ["campaign"]


# 8. After a question back, a word asked about is set aside only where it was left unread: the
#    period read from its first mention stays, so "the same time last year" has a span to move.
@pytest.mark.parametrize(
    "second",
    ["那去年同一时间段是多少？", "去年同期呢", "and the same stretch last year?"],
)
def test_a_period_word_asked_about_elsewhere_keeps_the_period_read(
    planner: OfflinePlanner, second: str
) -> None:
    first = "今年到现在的订单数？我想知道今年是不是比去年强劲"
    name, args = last_call(planner, [first, second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["orders"]
    assert args["time_range"].startswith("2025-01-01 to 2025-"), args
    assert not args["time_range"].endswith("-12-31"), args
