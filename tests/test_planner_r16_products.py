"""Round 16, products: a product named by a short form of its catalogue name (its Chinese
head noun, its name with the middle or the pack size left out), follow-ups that switch the
product, cross-sell for a named item, orders that contain a product, and product asks the
store cannot answer (a measure it lacks, a group it has no breakdown for) asked back naming
the word. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call, query_args


# 1. A product named by a short form of its name is that product, with confidence.
@pytest.mark.parametrize(
    ("question", "product"),
    [
        ("跑鞋上个月卖了多少件", "Running Shoes"),  # 缓震跑鞋: the head noun
        ("今年降噪耳机的销售额是多少", "Noise-Cancelling Earbuds"),  # the middle left out
        ("耳机去年卖了多少钱", "Noise-Cancelling Earbuds"),
        ("纸尿裤 去年 订单数", "Diapers L (60)"),  # the pack size left out
        ("羽绒服这个月销量多少", "Down Jacket"),
        ("上季度瑜伽垫的购买人数", "Yoga Mat"),
        ("帮我看下面膜上个月的退货", "Sheet Mask Pack (10)"),
        ("units of diapers L last month", "Diapers L (60)"),
        ("revenue from yoga blocks this yr", "Yoga Blocks (2)"),
        ("how many orders had Running Socks in 2025", "Running Socks (3)"),
    ],
)
def test_product_short_form_is_the_product(
    planner: OfflinePlanner, question: str, product: str
) -> None:
    args = query_args(planner, question)
    assert args["filters"].get("product") == [product], args


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("羽绒裤上个月卖了多少", "羽绒裤"),  # near miss of 羽绒服: not sold here
        ("电动牙刷上个月销量", "电动牙刷"),
        ("瑜伽上个月销售额", "瑜伽"),  # the mat and the blocks: which one?
        ("精华今年卖了多少钱", "精华"),  # two serums end with it
        ("电器类上个月的销售额", "电器"),  # a kind of goods, not the charger
        ("revenue of diapers XL last month", "diapers XL"),
        # another product with the same head noun: its whole name, not the store's product
        ("宝宝防晒喷雾今年销量", "宝宝防晒喷雾"),
        ("儿童跑鞋上个月卖了多少双", "儿童跑鞋"),
    ],
)
def test_product_not_sold_or_shared_short_form_is_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


# 2. A follow-up that names another product switches the product, the rest kept.
@pytest.mark.parametrize(
    ("turns", "product"),
    [
        (["瑜伽垫去年卖了多少件", "跑鞋的呢"], "Running Shoes"),
        (["降噪耳机上个月多少单", "换成羽绒服"], "Down Jacket"),
        (["units of Yoga Mat last year", "and the running shoes?"], "Running Shoes"),
        (["revenue of yoga mat in 2025", "same for the down jacket?"], "Down Jacket"),
    ],
)
def test_follow_up_switches_the_product(
    planner: OfflinePlanner, turns: list[str], product: str
) -> None:
    tool, args = last_call(planner, turns)
    assert tool == "query_metrics", args
    assert args["filters"]["product"] == [product]
    assert args["time_range"]  # the first turn's period kept


# 3. Orders that contain a product: the product's filter.
@pytest.mark.parametrize(
    "question",
    [
        "number of orders that had a Down Jacket in them during Q4 2025",
        "orders containing the down jacket last month",
        "count of orders that contained a Down Jacket this year?",
        "how many orders include down jackets in 2025",
    ],
)
def test_orders_containing_a_product_filter_on_it(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["orders"]
    assert args["filters"]["product"] == ["Down Jacket"]


# 4. Cross-sell for a named item ("what goes with X"), the basket words read.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what goes with the diapers L in the cart usually", "Diapers L (60)"),
        ("what goes with the yoga mat?", "Yoga Mat"),
        ("so what else goes with running shoes in the cart", "Running Shoes"),
        ("买纸尿裤的人还会一起买什么", "Diapers L (60)"),
        ("跑鞋一般跟什么一起买", "Running Shoes"),
    ],
)
def test_what_goes_with_a_named_item_is_its_cross_sell(
    planner: OfflinePlanner, question: str, item: str
) -> None:
    assert planned_call(planner, question) == ("cross_sell_rules", {"item": item})


def test_what_goes_with_an_item_not_sold_is_asked_back(planner: OfflinePlanner) -> None:
    assert "electric toothbrush" in asked_back(
        planner, "what goes with electric toothbrush in the basket"
    )


# 5. A measure the store lacks, asked of a group, is asked back: never the group's count.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("北京客户的NPS多少", "NPS"),
        ("上海用户的净推荐值是多少", "净推荐值"),
        ("杭州会员NPS是多少啊", "NPS"),
        ("what's the NPS of Shanghai customers", "NPS"),
        ("瑜伽垫还有多少库存", "库存"),
        ("which product has the highest margin last year", "margin"),
    ],
)
def test_unknown_measure_of_a_group_is_asked_back_not_counted(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_group_count_without_unknown_measure_still_counts(planner: OfflinePlanner) -> None:
    # the near miss: with no unknown measure the count of the group is the answer
    tool, args = planned_call(planner, "北京客户有多少")
    assert tool in {"run_sql", "query_metrics"}, args


# 6. A ranking of a group the store has no breakdown for names the group's word.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("哪家供应商的货退得最多", "供应商"),
        ("哪个供应商卖得最多", "供应商"),
        ("哪个业务员卖得最多", "业务员"),
        ("which vendor had the most returned orders last year", "vendor"),
        ("which supplier sells the most", "supplier"),
    ],
)
def test_ranking_an_unknown_group_names_it(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_ranking_a_known_group_is_answered(planner: OfflinePlanner) -> None:
    tool, args = planned_call(planner, "哪个城市销售额最高")
    assert tool == "query_metrics" and args["dimensions"] == ["city"]
