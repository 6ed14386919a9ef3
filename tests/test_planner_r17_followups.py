"""Round 17 wave 1b, follow-up kinds (engineer followups): a turn read against the previous
result. A short turn naming only a slot (a metric, a breakdown, a top N, a comparison
shorthand) keeps the period and filters shown; a metric named after a contrast word is set
aside; a plus between the values kept lists them; a named year's equivalent window; luck or
real asked of the comparison shown; the unit of an amount just shown is its count; another
campaign named without a comparison word is put in place; an export naming no segment after
one RFM segment was counted. Every wording here is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import last_call


# 1. A short turn naming only a slot of the metric query just shown keeps its period and
#    filters (read afresh it would answer for the whole store and all time).
@pytest.mark.parametrize(
    ("turns", "changed"),
    [
        (["units of Diapers L sold in store in Q2", "and the money?"], {"metrics": ["revenue"]}),
        (["units of Diapers L sold in store in Q2", "in money"], {"metrics": ["revenue"]}),
        (["aov in the app last month", "orders pls"], {"metrics": ["orders"]}),
        (["上个月小程序的订单数", "销售额呢"], {"metrics": ["revenue"]}),
        (["上个月小程序的客单价", "按城市排一下"], {"dimensions": ["city"]}),
        (["上个月小程序的客单价", "城市维度也拆一下"], {"dimensions": ["city"]}),
        (["aov in the app last month", "city split?"], {"dimensions": ["city"]}),
    ],
)  # fmt: skip
def test_a_turn_naming_only_a_slot_keeps_the_period_and_filters(
    planner: OfflinePlanner, turns: list[str], changed: dict
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    for key, value in changed.items():
        assert args[key] == value
    assert args.get("time_range"), args
    assert args.get("filters"), args


@pytest.mark.parametrize(
    "turns",
    [
        ["上个月小程序的客单价", "按城市排一下", "只要前两个"],
        ["aov in the app last month", "by city", "top 2 is enough"],
    ],
)
def test_a_bare_top_n_cuts_the_breakdown_shown(planner: OfflinePlanner, turns: list[str]) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args["dimensions"] == ["city"]
    assert args["limit"] == 2
    assert args["filters"] == {"channel": ["app"] if "app" in turns[0] else ["mini_program"]}


@pytest.mark.parametrize("shorthand", ["QoQ?", "qoq pls", "quarter over quarter?"])
def test_a_comparison_shorthand_alone_compares_with_the_period_before(
    planner: OfflinePlanner, shorthand: str
) -> None:
    name, args = last_call(planner, ["Q2 revenue by channel", shorthand])
    assert name == "query_metrics", args
    assert args["dimensions"] == ["channel"]
    assert args["compare_to"] == "previous period"
    assert args["time_range"] == "Q2"


def test_near_miss_a_complete_question_is_read_afresh(planner: OfflinePlanner) -> None:
    # a full question of its own, with its own period, is no slot of the one before
    name, args = last_call(planner, ["aov in the app last month", "revenue in 2025 by city"])
    assert name == "query_metrics"
    assert args["time_range"] == "2025" and not args.get("filters")


# 2. A metric named after a contrast word is the one set aside, not one more to show.
@pytest.mark.parametrize(
    "second",
    [
        "now open rate instead of CTR",
        "open rate, not ctr",
        "换成打开率 不看点击率了",
        "看打开率而不是点击率",
    ],
)
def test_a_metric_after_a_contrast_word_is_set_aside(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["2025 CTR by campaign", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["open_rate"]
    assert args["dimensions"] == ["campaign"]


def test_near_miss_a_metric_added_is_kept_beside(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["2025 CTR by campaign", "add open rate too"])
    assert name == "query_metrics"
    assert args["metrics"] == ["ctr", "open_rate"]


# 3. A plus between the values kept lists them (the breakdown stays); a word of adding up
#    joins them.
@pytest.mark.parametrize("second", ["only beijing + shanghai", "只看北京+上海", "just bj + sh pls"])
def test_a_plus_between_values_kept_lists_them(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["revenue per city in August", second])
    assert name == "query_metrics", args
    assert sorted(args["filters"]["city"]) == sorted(["北京", "上海"])
    assert args.get("dimensions") == ["city"]


def test_near_miss_values_added_up_are_one_total(planner: OfflinePlanner) -> None:
    name, args = last_call(planner, ["revenue per city in August", "beijing + shanghai combined"])
    assert name == "query_metrics"
    assert not args.get("dimensions")


# 4. A named year's equivalent window: the span shown, moved into that year.
@pytest.mark.parametrize(
    "second",
    ["same window in 2025?", "2025's matching window", "the corresponding days in 2025"],
)
def test_a_named_years_equivalent_window(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["orders during 618 2026", second])
    assert name == "query_metrics", args
    assert args["time_range"] == "2025-06-01 to 2025-06-18"


# 5. Luck or real, asked of the comparison just shown: the test of that campaign's rate.
@pytest.mark.parametrize(
    "second",
    [
        "A领先这么多 是碰巧还是真的",
        "这个差距是不是运气",
        "is that lead real or luck?",
        "luck or real?",
    ],
)
def test_luck_or_real_asks_for_the_test_of_the_rates_shown(
    planner: OfflinePlanner, second: str
) -> None:
    first = "Spring Festival 2026 email A/B, open rate per variant"
    name, args = last_call(planner, [first, second])
    assert name == "ab_test", args
    assert args["campaign"] == "Spring Festival 2026 - Email A/B"


# 6. The unit of an amount just shown, pointed at, is that amount's count; without a
#    pointer, or after another amount, orders are orders.
@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (["上个月退货金额", "这是多少单"], "returned_orders"),
        (["refund amount in Q3", "how many orders is that?"], "returned_orders"),
        (["今年退了几单", "那退回的钱一共多少"], "returns"),
        # near-miss: the money of all orders, then their count
        (["revenue in Q3", "how many orders is that?"], "orders"),
    ],
)
def test_the_unit_of_an_amount_shown_is_its_count(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "query_metrics", args
    assert args["metrics"] == [metric]
    assert args.get("time_range")


# 7. "they" points back: a breakdown of the people just counted.
@pytest.mark.parametrize(
    "second",
    ["which signup channel did they use", "what cities are they from", "他们是哪个注册渠道来的"],
)
def test_they_points_back_at_the_people_counted(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["new customers in August", second])
    assert name == "query_metrics", args
    assert args["metrics"] == ["new_customers"]
    assert args["dimensions"] in (["signup_channel"], ["city"])
    assert args.get("time_range")


# 8. Another campaign named without a comparison word is put in place of the one shown;
#    with one, both side by side.
@pytest.mark.parametrize("second", ["same thing for the 618 2026 push", "and the 618 2026 push?"])
def test_another_campaign_named_is_put_in_place(planner: OfflinePlanner, second: str) -> None:
    name, args = last_call(planner, ["open rate of the 618 2026 email", second])
    assert name == "query_metrics", args
    assert args["filters"]["campaign"] == ["618 2026 - Push"]


def test_near_miss_a_comparison_puts_both_campaigns_side_by_side(
    planner: OfflinePlanner,
) -> None:
    name, args = last_call(
        planner,
        ["open rate of the 618 2026 email", "compare with the 618 2026 push"],
    )
    assert name == "query_metrics"
    assert len(args["filters"]["campaign"]) == 2


# 9. An export naming no segment, after a count of one RFM segment: that segment's list.
@pytest.mark.parametrize(
    ("turns", "channel"),
    [
        (["how many Loyal Customers are there now", "export for email"], "email"),
        (["At Risk 有多少人", "导出来 发短信用"], "sms"),
        (["At Risk 有多少人", "把其中能发邮件的导出来"], "email"),
    ],
)
def test_an_export_after_one_segment_counted_exports_it(
    planner: OfflinePlanner, turns: list[str], channel: str
) -> None:
    name, args = last_call(planner, turns)
    assert name == "export_audience", args
    assert args["channel"] == channel
    assert args["segment"] in ("Loyal Customers", "At Risk")


def test_near_miss_an_export_after_the_whole_rfm_table_is_asked_back(
    planner: OfflinePlanner,
) -> None:
    name, _ = last_call(planner, ["RFM分群", "导出来发短信"])
    assert name is None


# 10. "The same", said with the count of the rate just shown, is that rate again (点击 is the
#     short name of the CTR shown); without "the same" the count is asked.
@pytest.mark.parametrize(
    ("second", "metric"),
    [
        ("去年那场呢 同样看点击", "ctr"),
        ("and 2025? same, clicks", "ctr"),
        # near-miss: the count asked in place of the rate
        ("点击数是多少", "clicks"),
    ],
)
def test_the_same_said_with_the_rates_count_keeps_the_rate(
    planner: OfflinePlanner, second: str, metric: str
) -> None:
    name, args = last_call(planner, ["Double 11 2026 SMS click-through rate", second])
    assert name == "query_metrics", args
    assert args["metrics"] == [metric]
