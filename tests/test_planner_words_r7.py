"""Round 7, "different question" kinds found with the round-7 trap questions
(tests/data/trap_questions_r7.yaml). Every wording here differs from the trap file's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.offline.question import top_n
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A top N written in words ("top five") or before its superlative ("the 4 biggest") is
#    that N, not the default 10.
@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("top seven products by revenue", 7),
        ("best twelve cities", 12),
        ("the four biggest categories by orders", 4),
        ("the 6 largest provinces", 6),
        ("top sixteen products", 16),
        ("top products", 10),
        ("laptop 5 sales", None),
    ],
)
def test_top_n_in_words(text: str, n: int | None) -> None:
    assert top_n(text) == n


def test_a_top_n_in_words_limits_the_breakdown(planner: OfflinePlanner) -> None:
    args = _args(planner, "Show the top eight provinces by orders last quarter")
    assert (args["dimensions"], args["limit"]) == (["province"], 8)
    args = _args(planner, "上个月买家数前十二的城市")
    assert (args["dimensions"], args["limit"]) == (["city"], 12)


# 1b. A superlative said of one thing with no number is its top 1 ("总" there is no "whole"):
#     the low-end word the bottom 1; a plural noun or a list word keeps the whole ranking.
@pytest.mark.parametrize(
    ("question", "limit", "sort"),
    [
        ("去年总订单数最多的城市", 1, None),
        ("上季度退货金额最低的品类", 1, "asc"),
        ("哪一个渠道今年的买家数最多", 1, None),
        ("which category brought the most revenue in Q2", 1, None),
        ("the best-selling product of 2025 by units", 1, None),
        ("the channel with the fewest orders last month", 1, "asc"),
        ("which categories had the highest revenue in Q2", None, None),
        ("去年各城市订单数排名", None, None),
        ("去年订单数最多的两个城市", 2, None),
        # the whole ranking asked for beside the superlative
        ("which category brought the most revenue in Q2? rank them", None, None),
        ("which province has the best AOV this year, sorted from high to low", None, None),
        ("哪个品类去年的销售额最高？排个序", None, None),
    ],
)
def test_a_superlative_of_one_thing_is_its_top_one(
    planner: OfflinePlanner, question: str, limit: int | None, sort: str | None
) -> None:
    args = _args(planner, question)
    assert (args.get("limit"), args.get("sort")) == (limit, sort)


# 1c. A change ranking with no second period compares with the previous period of equal
#     length (said in the answer); the verb before the change ("saw") is the ranking's; asked
#     by the amount, it is asked back (the tool ranks by the relative change only).
@pytest.mark.parametrize(
    ("question", "sort"),
    [
        ("which channel saw the largest decline in orders in Q3", "asc"),
        ("which category experienced the biggest growth in revenue last month", "desc"),
        ("上个月哪个城市的订单数下降最多", "asc"),
        ("今年哪个渠道的销售额涨幅最大", "desc"),
    ],
)
def test_a_change_ranking_without_a_base_compares_with_the_previous_period(
    planner: OfflinePlanner, question: str, sort: str
) -> None:
    args = _args(planner, question)
    assert (args.get("compare_to"), args.get("sort")) == ("previous period", sort)
    assert args["order_by"].endswith("_change")


@pytest.mark.parametrize(
    "question",
    [
        "which city's revenue fell the most by amount, last month vs the month before",
        "which channel's orders fell the most in absolute terms in Q3",
        "上个月哪个品类销售额下降最多，按绝对值",
    ],
)
def test_a_change_ranking_by_amount_is_asked_back(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls


# 2. A top N of a thing named by its plain noun ("campaigns") breaks down by it: never a
#    plain total of the metric.
@pytest.mark.parametrize(
    ("question", "dimension", "n"),
    [
        ("Which were the best four campaigns by click-through rate last year?", "campaign", 4),
        ("top 2 campaigns by conversions this year", "campaign", 2),
        ("去年点击率前三的活动", "campaign", 3),
    ],
)
def test_a_ranked_plain_noun_is_the_breakdown(
    planner: OfflinePlanner, question: str, dimension: str, n: int
) -> None:
    args = _args(planner, question)
    assert (args.get("dimensions"), args.get("limit")) == ([dimension], n)


# 3. What customers spend is revenue (per person: revenue per buyer with its parts), never the
#    marketing cost that the bare word "spend" names.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("what was the spend per person in Q2?", ["revenue_per_buyer", "revenue", "buyers"]),
        (
            "how much does each buyer spend on average this year",
            ["revenue_per_buyer", "revenue", "buyers"],
        ),
        ("上季度人均花了多少钱", ["revenue_per_buyer", "revenue", "buyers"]),
        ("how much have shoppers spent this year?", ["revenue"]),
        ("去年北京会员一共消费了多少钱", ["revenue"]),  # (r18: bare 会员 is asked back)
        ("how much did we spend on push campaigns last year", ["cost"]),
        ("去年短信活动花了多少钱", ["cost"]),
    ],
)
def test_customer_spend_is_revenue(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    assert _args(planner, question)["metrics"] == metrics


# 3b. A per-buyer ratio is the quotient (revenue_per_buyer = revenue / buyers), stated with
#     its two parts, never the parts alone; by a dimension and against a period alike.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("average revenue per buyer in Q2", []),
        ("what's our ARPPU for september", []),
        ("revenue per shopper by channel last quarter", ["channel"]),
        ("去年每位买家平均消费多少", []),
        ("上个月各城市的人均消费", ["city"]),
    ],
)
def test_a_per_buyer_ratio_is_its_quotient(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["revenue_per_buyer", "revenue", "buyers"]
    assert (args.get("dimensions") or []) == dimensions


def test_a_per_buyer_ratio_compared_with_a_period(planner: OfflinePlanner) -> None:
    args = _args(planner, "spend per customer in Q3 vs Q2")
    assert args["metrics"][0] == "revenue_per_buyer"
    assert args.get("compare_to") or "vs" in args["time_range"]


def test_spend_per_order_is_never_read_as_spend_per_person(planner: OfflinePlanner) -> None:
    message = planner._plan("What does the average shopper pay per order in Q3?", [])
    assert not message.tool_calls or message.tool_calls[0]["args"]["metrics"] == ["aov"]


# 4. "campaign channel" is one breakdown (channel), not campaign and channel.
@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("open rate by campaign channel this year", ["channel"]),
        ("今年各活动渠道的打开率", ["channel"]),
        ("open rate by campaign and channel this year", ["campaign", "channel"]),
        ("今年按活动和渠道的打开率", ["campaign", "channel"]),
    ],
)
def test_campaign_channel_is_the_channel(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    assert _args(planner, question)["dimensions"] == dimensions


# 5. GMV beside net sales is the figure before returns (as "total sales" is); round 18: bare
#    GMV is the gross sales too (the field's standard definition, MARKETING.md).
def test_gmv_beside_net_sales_is_gross_sales(planner: OfflinePlanner) -> None:
    assert _args(planner, "GMV and net sales last quarter")["metrics"] == ["gross_sales", "revenue"]
    assert _args(planner, "GMV last quarter")["metrics"] == ["gross_sales"]


# 6. Full-width digits and letters read as ASCII; the lexicon's Chinese category words name
#    the store's categories.
def test_full_width_digits_and_lexicon_category_words(planner: OfflinePlanner) -> None:
    args = _args(planner, "２０２５年零食的订单数")
    assert args["filters"] == {"category": ["food"]}
    assert "2025" in args["time_range"]
    assert _args(planner, "上个月化妆品的销售额")["filters"] == {"category": ["makeup"]}


# 7. Words that carry no slot (British "analysed", polite "hope", "moment") are not asked about;
#    拉新 is new customers.
def test_polite_and_british_words_and_la_xin(planner: OfflinePlanner) -> None:
    args = _args(planner, "Hope all is well! When you have a moment: orders analysed by city, Q3")
    assert (args["metrics"], args["dimensions"]) == (["orders"], ["city"])
    assert _args(planner, "今年每个月拉新多少")["metrics"] == ["new_customers"]


# A comparison that names every value the store has for a dimension ("women vs men": the
# demo store's genders are F and M) is that breakdown; a filter on all values says nothing
# and made the answer read as restricted. Some of the values stay a filter.
def test_naming_every_value_is_a_breakdown_not_a_filter(planner: OfflinePlanner) -> None:
    args = _args(planner, "basket size for men compared with women in 2025")
    assert args.get("dimensions") == ["gender"] and "filters" not in args
    args = _args(planner, "2025年男性和女性客户的订单数对比")
    assert args.get("dimensions") == ["gender"] and "filters" not in args
    args = _args(planner, "orders app vs web in 2025")
    assert args["dimensions"] == ["channel"] and args["filters"] == {"channel": ["app", "web"]}


def _asked(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, f"answered instead: {message.tool_calls}"
    return str(message.content)


# Round 7 "drops": a part of the question that vanished silently.
# a. A breakdown word with a tail that makes it another thing is asked about whole.
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("去年按城市群看订单数", "城市群"),
        ("本月分渠道组的买家数", "渠道组"),
        ("orders by province tier this year", "province tier"),
        ("buyers by channel cluster last month", "channel cluster"),
    ],
)
def test_a_breakdown_word_with_a_tail_is_asked_about(
    planner: OfflinePlanner, question: str, phrase: str
) -> None:
    assert phrase in _asked(planner, question)


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("去年按渠道类型的订单数", "channel"),
        ("orders by channel type", "channel"),
        ("revenue at category level", "category"),
    ],
)
def test_a_harmless_tail_keeps_the_breakdown(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert _args(planner, question)["dimensions"] == [dimension]


# b. A homophone typo of a short breakdown word after a breakdown marker is read, not dropped.
def test_a_breakdown_typo_after_a_marker_is_read(planner: OfflinePlanner) -> None:
    assert _args(planner, "今年按省分的订单数")["dimensions"] == ["province"]
    assert _args(planner, "去年按渠到统计买家数")["dimensions"] == ["channel"]


# c. Cross-sell for an item the store lacks asks back naming it, never all rules.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what sells with the moon rocket toy", "moon rocket toy"),
        ("跟火星拖鞋一起买的东西", "火星拖鞋"),
    ],
)
def test_cross_sell_for_an_unknown_item_asks_back(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    assert item in _asked(planner, question)


def test_cross_sell_bought_with_a_store_item(planner: OfflinePlanner) -> None:
    message = planner._plan("what is usually bought together with the yoga mat?", [])
    assert message.tool_calls[0]["name"] == "cross_sell_rules"
    assert message.tool_calls[0]["args"].get("item") == "Yoga Mat"


# d. A new-customer qualifier holds for every metric of its list: all are named back.
@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("orders and AOV for first-time buyers this year", ["Orders", "AOV"]),
        ("首单客户的订单数和销售额", ["订单数", "销售额"]),
        # Through the list: returns beside revenue, revenue beside orders, orders qualified.
        (
            "returns, revenue and orders of first-time buyers in 2025",
            ["Returns", "Revenue", "Orders"],
        ),
    ],
)
def test_a_cohort_qualifier_names_every_listed_metric(
    planner: OfflinePlanner, question: str, names: list[str]
) -> None:
    text = _asked(planner, question)
    assert all(name in text for name in names), text


# The RFM segment "New Customers" is spelt like the metric "new customers" (first-time buyers
# of a period). With an RFM run saved, the lower-case words are the metric (they counted the
# RFM segments, or asked back, depending on which test had saved a run before); written as
# the segment's name, or beside "segment", they are the segment.
def test_new_customers_is_the_metric_unless_written_as_the_segment(tmp_path) -> None:  # noqa: ANN001
    from knowledge.semantic import load_semantic_model
    from tests.conftest import AS_OF, own_store_planner
    from tools import ToolContext, rfm_segments

    def save_an_rfm_run(engine) -> None:  # noqa: ANN001
        rfm_segments(ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF))

    planner = own_store_planner(tmp_path, save_an_rfm_run)
    args = _args(planner, "number of new customers in 2025 per sales channel")
    assert args["metrics"] == ["new_customers"] and args["dimensions"] == ["channel"]
    assert "filters" not in args
    args = _args(planner, "2025年新客户有多少")
    assert args["metrics"] == ["new_customers"] and "filters" not in args
    args = _args(planner, "orders from New Customers in 2025")
    assert args["metrics"] == ["orders"] and args["filters"] == {"rfm_segment": ["New Customers"]}


def test_the_pinyin_table_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A homophone check reads snownlp's pinyin table once per process, not its whole file
    for each pair of characters (about 80 ms a question that had a candidate typo)."""
    from pathlib import Path

    from copilot.offline import typos

    opened: list[str] = []
    real_open = Path.open

    def counting_open(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    typos._pinyin_table.cache_clear()
    monkeypatch.setattr(Path, "open", counting_open)
    assert typos._sounds_alike("到", "道")  # dao
    assert typos._sounds_alike("事", "市")  # shi
    assert not typos._sounds_alike("城", "渠")
    assert opened.count("pinyin.txt") == 1
