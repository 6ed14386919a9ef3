"""Round 13, regressions of the round's merges: a gender word inside a segment's name, a
request before 关联推荐 read as an item, a festival's campaigns turning plain revenue into
attributed revenue, and "orders that came in" read as returned orders. Every wording here
is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call, planner_over, query_args


# 1. "guys" / "men" inside an identifier-like segment name is part of the name, never a
#    gender: an unknown name is asked back, naming it.
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("export sh_gym_guys for an sms blast", "sh_gym_guys"),
        ("give me a profile of bj_office_men", "bj_office_men"),
        ("what do the folks in hz_young_guys look like", "hz_young_guys"),
        ("把sz_game_guys导出成邮件名单", "sz_game_guys"),
        ("分析一下cd_men_2025这个分群的画像", "cd_men_2025"),
    ],
)
def test_a_gender_word_inside_an_identifier_name_is_the_name(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    reply = asked_back(planner, question)
    assert name in reply


def test_a_value_written_whole_as_an_identifier_still_matches(planner: OfflinePlanner) -> None:
    # near-miss: a gender said as a word beside an identifier-like name is still the gender
    tool, args = planned_call(planner, "how many guys do we have")
    assert "M" in str(args)


def test_a_gender_word_inside_a_saved_segments_name_is_the_segment(
    duckdb_demo_engine,  # noqa: ANN001
) -> None:
    own = planner_over(duckdb_demo_engine)
    own.values.add("segment", "Weekend Guys")
    tool, args = planned_call(own, "export Weekend Guys for push")
    assert tool == "export_audience"
    assert args["segment"] == "Weekend Guys"


# 2. Recomputing a named segment is its refresh, not a new rule segment.
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("rerun nb_coffee_guys against the newest data", "nb_coffee_guys"),
        ("refresh xm_shoe_guys on fresh data", "xm_shoe_guys"),
        ("重新计算一下wh_bike_guys这个分群", "wh_bike_guys"),
        ("recompute sz_tech_guys with today's data please", "sz_tech_guys"),
        ("用今天的数据重新计算ty_car_guys", "ty_car_guys"),
        ("用最新数据刷新一下bj_makeup_men", "bj_makeup_men"),
    ],
)
def test_recomputing_an_identifier_named_segment_refreshes_it(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "refresh_segment"
    assert args["name"] == name


# 3. A festival's promo / sale named as "during / over / in" is the window; plain revenue,
#    orders or units are never turned into the campaigns' attributed revenue.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("sales by category during this year's 618 promo", "revenue"),
        ("units sold in the Double 11 2025 sale", "units"),
        ("orders over last year's double 11 promo, by channel", "orders"),
        ("revenue of this year's 618 campaigns", "revenue"),
        ("今年618大促期间各品类卖了多少钱", "revenue"),
    ],
)
def test_plain_store_figures_over_a_festival_stay_its_window(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert "campaign" not in args.get("filters", {})
    assert args["time_range"]


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("the 618 campaigns' attributed revenue this year", "attributed_revenue"),
        ("what did this year's 618 campaigns cost", "cost"),
        ("去年双11活动的总花费", "cost"),
    ],
)
def test_the_festivals_own_campaign_figures_filter_its_campaigns(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert args["filters"]["campaign"]


# 4. A request before 关联推荐 ("针对X做个") names whom it is for, never an item.
@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("给冠军客户做个关联推荐吧", "Champions"),
        ("针对沉睡客户来一份关联推荐", "Hibernating"),
        ("面向忠诚客户出个搭配推荐", "Loyal Customers"),
    ],
)
def test_a_request_before_the_cross_sell_cue_is_the_segment(
    planner: OfflinePlanner, question: str, segment: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules"
    assert args.get("segment") == segment
    assert "item" not in args


def test_an_unknown_item_before_the_cross_sell_cue_is_still_asked_back(
    planner: OfflinePlanner,
) -> None:
    # near-miss: a real item phrase (not a request) that the store lacks is asked about
    assert "飞碟模型" in asked_back(planner, "飞碟模型的关联推荐")


# 5. Orders that "came in" through a channel are orders; "came back" / "sent back" are returns.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("orders that came in through the web in September", "orders"),
        ("how many orders which came in via the mini program last week", "orders"),
        ("orders that were sent back last month", "returned_orders"),
        ("orders which came back as refunds in October", "returned_orders"),
    ],
)
def test_orders_that_came_in_are_orders(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_orders_through_an_unknown_channel_are_asked_back_as_orders(
    planner: OfflinePlanner,
) -> None:
    reply = asked_back(planner, "orders that came in through Kuaishou last month")
    assert "Kuaishou" in reply
    assert "Returned" not in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("再往前推一个季度看看", None),
        ("前两个月的订单数", None),
        ("前十二个月每月销售额", None),
        ("销售额前五的品类", 5),
        ("倒数两名", 2),
    ],
)
def test_a_span_of_time_back_is_no_top_n(text: str, expected: int | None) -> None:
    # "前一个季度" / "前两个月" count time back; "前五" ranks.
    from copilot.offline.question import top_n

    assert top_n(text) == expected
