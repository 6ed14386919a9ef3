"""Round 14 wave 2, the shape of a query_metrics call (engineer shape). Every wording here
is our own; none is a held-out set's."""

from __future__ import annotations

import pytest

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.offline.planner import OfflinePlanner
from copilot.outcome import STATUS_KEY
from tests.conftest import last_call, query_args


# 1. Every value of a dimension listed beside its breakdown is the breakdown: no filter.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("orders per sales channel in September: web, app, store and mini program", "channel"),
        ("各销售渠道（网站、APP端、门店、小程序）上个月的销售额分别多少", "channel"),
        ("英文用户和中文用户各自的订单数是多少", "language"),
        ("average order value per language, english-speaking vs chinese-speaking customers",
         "language"),
    ],
)  # fmt: skip
def test_every_value_beside_its_breakdown_is_no_filter(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    args = query_args(planner, question)
    assert dimension in args.get("dimensions", [])
    assert dimension not in (args.get("filters") or {})


def test_some_values_beside_a_breakdown_stay_a_filter(planner: OfflinePlanner) -> None:
    args = query_args(planner, "revenue by channel, only web and app, last month")
    assert sorted(args["filters"]["channel"]) == ["app", "web"]


# 2. "what % of turnover came back as returns": a % sign after a word (no word boundary before
#    it) opens the share phrase too, so the return rate is read, never the repurchase rate
#    ("came back") nor the returns' amount beside it.
@pytest.mark.parametrize(
    "question",
    [
        "home - what % of revenue came back as refunds in 2025",
        "what % of our sales got sent back last month",
        "electronics, what % of sales were returned this year?",
    ],
)
def test_percent_sign_of_sales_returned_is_the_return_rate(
    planner: OfflinePlanner, question: str
) -> None:
    assert query_args(planner, question)["metrics"] == ["return_rate"]


# 3. An exchange rate between currencies is the market's figure: refused, never the
#    store's conversion rate; a currency said alone is the store's own money.
@pytest.mark.parametrize(
    "question",
    [
        "how many yuan is one euro right now",
        "quick one: usd into rmb rate this morning?",
        "现在一美元能换多少人民币",
        "英镑兑人民币的汇率今天多少",
    ],
)
def test_currency_exchange_is_refused(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert message.response_metadata.get(STATUS_KEY) == "refused"


def test_a_currency_said_alone_is_the_stores_money(planner: OfflinePlanner) -> None:
    assert query_args(planner, "net sales in yuan for september")["metrics"] == ["revenue"]


# 4. Each variant's rate of a stored A/B test is a metric query by variant with the test's
#    campaign; only a verdict (significance, which won) runs the test.
@pytest.mark.parametrize(
    "question",
    [
        "the Double 11 2025 push test: click rate for A and B please",
        "Double 11 2025 push A/B - what conversion rate did A and B each get",
        "2025双11推送测试里A版B版的点击率各是多少",
        "2025双11推送测试，A组B组各自的转化率",
    ],
)
def test_each_variants_rate_of_a_test_is_a_query_by_variant(
    planner: OfflinePlanner, question: str
) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["variant"]
    assert "variant" not in (args.get("filters") or {})
    assert args["filters"]["campaign"] == ["Double 11 2025 - Push A/B"]


def test_each_variants_rate_with_a_verdict_asked_runs_the_test(planner: OfflinePlanner) -> None:
    message = planner._plan("Double 11 2025 push test: click rate for A and B - did B win?", [])
    assert [c["name"] for c in message.tool_calls] == ["ab_test"]


# 5. The value just filtered on, said again with a breakdown, splits that figure: the
#    metric query kept with its filter and period, the breakdown added, no segment made.
@pytest.mark.parametrize(
    "turns",
    [
        ["今年截至目前的订单数", "男性客户下了多少单", "男性的按省份拆开看看"],
        [
            "orders so far this year",
            "how many of those orders came from men",
            "break the men down by province",
        ],
        ["上个月的买家数", "其中女性多少", "女性这一块按渠道分一下"],
    ],
)
def test_the_filtered_value_split_by_a_breakdown_keeps_the_query(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    tool, args = last_call(planner, turns)
    assert tool == "query_metrics", args
    assert len(args["filters"]["gender"]) == 1
    assert args["dimensions"] in (["province"], ["channel"])


def test_a_segment_asked_of_the_filtered_value_is_still_made(planner: OfflinePlanner) -> None:
    tool, _ = last_call(
        planner, ["orders last month", "only men", "save the men as a segment, split by city"]
    )
    assert tool == "define_segment"


# 6. A festival of a named year with the channel right after it ("2025年618邮件") is that
#    year's one store campaign of the channel; the festival's window said ("期间") stays
#    the channel over the period.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("2025年618邮件一共带来多少转化", "618 2025 - Email"),
        ("2026春节短信的点击率是多少", "Spring Festival 2026 - SMS"),
        ("去年双十一短信有多少人退订", "Double 11 2025 - SMS"),
    ],
)
def test_festival_year_and_channel_name_one_campaign(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = query_args(planner, question)
    assert args["filters"].get("campaign") == [campaign]
    assert "channel" not in args["filters"]


def test_festival_window_said_beside_a_channel_is_no_campaign(planner: OfflinePlanner) -> None:
    args = query_args(planner, "2025年618期间邮件的点击率")
    assert args["filters"] == {"channel": ["email"]}


# 7. "the same quarter of <year>" after a figure: the period shown moved into that year (a
#    year back is the same period last year), never the whole year named.
@pytest.mark.parametrize(
    ("turns", "compare_to"),
    [
        (["第三季度的订单数", "跟2025年同一个季度比一下"], "去年同期"),
        (["revenue in Q2", "compare that with the same quarter of 2025"], "last year"),
        (["revenue in Q2", "compare it against the same quarter in 2024"],
         "2024-04-01 to 2024-06-30"),
    ],
)  # fmt: skip
def test_same_span_of_a_named_year_is_compared(
    planner: OfflinePlanner, turns: list[str], compare_to: str
) -> None:
    tool, args = last_call(planner, turns)
    assert tool == "query_metrics", args
    assert args.get("compare_to") == compare_to
    assert args["time_range"] == turns[0].split()[-1] or args["time_range"] == "第三季度"


def test_same_span_of_a_named_year_alone_moves_the_period(planner: OfflinePlanner) -> None:
    tool, args = last_call(planner, ["十月的销售额", "2024年同一个月呢"])
    assert (tool, args["time_range"]) == ("query_metrics", "2024-10-01 to 2024-10-31")


# 8. A ranking asked on another figure after a top N keeps the top N, counted anew by that
#    figure, not the rows just listed reordered.
@pytest.mark.parametrize(
    "second",
    ["ok, rank those on orders instead", "sort them by buyers now", "那按订单数重新排一下"],
)
def test_ranking_anew_after_a_top_n_keeps_the_cut_not_the_rows(
    planner: OfflinePlanner, second: str
) -> None:
    history: list[BaseMessage] = [
        HumanMessage("top 3 cities by revenue this year"),
        AIMessage(
            "Revenue by city (3 rows):\n- rows shown: Shanghai, Beijing, Shenzhen",
            response_metadata={
                "copilot_payload": {
                    "status": "answered",
                    "tool_calls": [
                        {
                            "name": "query_metrics",
                            "args": {
                                "metrics": ["revenue"],
                                "dimensions": ["city"],
                                "time_range": "this year",
                                "limit": 3,
                                "order_by": "revenue",
                            },
                        }
                    ],
                }
            },
        ),
    ]
    message = planner._plan(second, history)
    args = message.tool_calls[0]["args"]
    assert args.get("limit") == 3
    assert "city" not in (args.get("filters") or {})
