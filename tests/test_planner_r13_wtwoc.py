"""Round 13, wave 2 (engineer wtwoc): kinds of set 13's metric questions that were asked
back where they should be answered. Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args

_args = query_args


# 1. "LY" is last year: "vs same period LY" keeps the year-ago comparison.
@pytest.mark.parametrize(
    "question",
    ["orders by channel, this year so far vs same period LY", "AOV YTD compared with the same period LY"],
)  # fmt: skip
def test_ly_is_last_year(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert "last year" in args["time_range"] or args.get("compare_to"), args


# 2. Channel values said as shoppers say them: in-store is the store, 网页端 the web.
@pytest.mark.parametrize(
    ("question", "key", "channel"),
    [
        ("Shanghai revenue last month excluding in-store sales", "exclude", "store"),
        ("units sold in-store in September", "filters", "store"),
        ("上个月网页端的订单数", "filters", "web"),
        ("九月网页上的销售额", "filters", "web"),
    ],
)  # fmt: skip
def test_channel_words(planner: OfflinePlanner, question: str, key: str, channel: str) -> None:
    assert _args(planner, question)[key]["channel"] == [channel]


# 3. People who ordered, counted with the count after them: the buyers, not a segment to save.
@pytest.mark.parametrize(
    "question",
    ["最近30天在小程序下过单的有多少人", "上个月买过东西的客户有几个", "八月份在官网下过单的一共有多少人"],
)  # fmt: skip
def test_ordered_then_counted_is_buyers(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["buyers"]


def test_ordered_people_saved_as_a_segment_is_no_count(planner: OfflinePlanner) -> None:
    message = planner._plan("把上个月下过单的客户存成一个分群", [])
    assert not message.tool_calls or message.tool_calls[0]["name"] != "query_metrics"


# 4. "全体" (the whole base) and "历史"/"historical" beside a lifetime value restate it.
@pytest.mark.parametrize(
    "question", ["所有会员历史上的平均LTV", "全体顾客的历史平均LTV", "average historical LTV across all customers"]
)  # fmt: skip
def test_historical_ltv_of_everyone(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["average_ltv"] and not args.get("filters"), args


def test_historical_beside_another_metric_is_still_asked(planner: OfflinePlanner) -> None:
    assert "历史" in asked_back(planner, "历史订单数")


# 5. A bare 除 opens an exclusion ("除护肤品以外"), also after a month said with 份, and the
#    goods named after it ("以外的商品") are what is left, never a breakdown by product.
@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("八月除护肤品以外的毛销售额", "category", "skincare"),
        ("七月份除上海以外的订单数", "city", "上海"),
        ("八月除护肤品以外的商品销售额", "category", "skincare"),
        ("八月除了门店之外其余的产品卖了多少钱", "channel", "store"),
    ],
)  # fmt: skip
def test_bare_chu_exclusion(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    args = _args(planner, question)
    assert args["exclude"] == {dimension: [value]} and not args.get("dimensions"), args


def test_chu_with_other_words_is_still_asked(planner: OfflinePlanner) -> None:
    asked_back(planner, "九月除护肤品老客以外的销售额")


def test_goods_without_exclusion_stay_a_breakdown(planner: OfflinePlanner) -> None:
    assert _args(planner, "八月各商品的销售额")["dimensions"] == ["product"]


# 6. The gross figure said by what is not taken off ("不扣退货", "未扣除退款"): gross sales
#    alone, never returns beside it; "扣掉退货" (taken off) is no gross figure.
@pytest.mark.parametrize(
    "question", ["八月毛销售额，未扣退货", "八月总销售额不扣退货", "八月毛销售额（不扣除退货）", "八月未扣退款的营收"]
)  # fmt: skip
def test_gross_said_as_not_deducted(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["gross_sales"]


def test_returns_taken_off_is_no_gross(planner: OfflinePlanner) -> None:
    message = planner._plan("八月扣掉退货的销售额", [])
    assert not any(c["args"].get("metrics") == ["gross_sales"] for c in message.tool_calls)
