"""Round 17, the analysis tools: cross-sell asked many ways (the item as the buyers' subject,
the topic before a dash, shortened product names), A/B counts typed with rates beside their
sizes, low-star review counts ranked (run_sql, not sentiment), knowledge questions about
length limits and method notes, and refusals of admin requests and letters to write. Every
wording here is our own; each family has near-misses that must still ask back or refuse."""

from __future__ import annotations

import pytest

from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


def _refused_or_asked(planner: OfflinePlanner, question: str) -> str:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    return message.content


# 1. Cross-sell: the item a question's buyers are named by, in EN and ZH, terse and long.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what do shoppers usually take together with the Yoga Mat?", "Yoga Mat"),
        ("what do people take along with the yoga mat", "Yoga Mat"),
        ("next best offer for customers buying the Robot Vacuum?", "Robot Vacuum"),
        ("next-best-product for people purchasing the Yoga Mat pls", "Yoga Mat"),
        (
            "Camping Tent buyers: what do they add to the cart? give support, confidence, lift",
            "Camping Tent",
        ),
        ("yoga mat buyers - what else do they normally grab?", "Yoga Mat"),
        ("Yoga Mat: what else should we pitch to its buyers?", "Yoga Mat"),
        ("Robot Vacuum — which products have real lift with it?", "Robot Vacuum"),
        (
            "cross-sell rules for the Robot Vacuum; skip pairs resting on under 5 baskets",
            "Robot Vacuum",
        ),
        ("basket analysis on the camping tent, for the newsletter", "Camping Tent"),
        ("扫地机器人的买家 一般还顺带推点啥", "Robot Vacuum"),
        ("瑜伽垫的顾客，结账时顺手推什么好", "Yoga Mat"),
        ("气垫买的人 还能顺便推荐点什么", "Cushion Foundation"),
        ("买瑜伽垫的一般搭点啥", "Yoga Mat"),
    ],
)
def test_cross_sell_item_of_the_buyers(planner: OfflinePlanner, question: str, item: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules"
    assert args.get("item") == item


def test_cross_sell_store_wide_family(planner: OfflinePlanner) -> None:
    for question in (
        "哪些东西经常一起被买？",
        "帮我做个购物篮关联分析",
        "商品之间一起被购买的情况",
    ):
        name, args = planned_call(planner, question)
        assert name == "cross_sell_rules" and "item" not in args, question


# 2. Shortened product names: each word stands for a word of one store name; the head noun
#    decides between a product and its accessory. A name that fits none is asked about.
@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("what pairs well with the vit c serum?", "Vitamin C Brightening Serum"),
        ("what goes well with the hyaluronic cream", "Hyaluronic Moisturising Cream"),
        ("a good add-on to recommend when a customer buys the x12 phone", "Smartphone X12"),
        ("what do people buy together with the x12 case", "Phone Case X12"),
    ],
)
def test_cross_sell_shortened_names(planner: OfflinePlanner, question: str, item: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "cross_sell_rules"
    assert args.get("item") == item


def test_cross_sell_near_misses_ask_back(planner: OfflinePlanner) -> None:
    # "it" names no item: asked, not the whole store's rules
    assert "it" in asked_back(planner, "anything showing a lift next to it?")
    # words that fit no store product are asked about
    assert "zz9 gadget" in asked_back(planner, "what goes well with the zz9 gadget?")


# 3. A/B counts typed with a rate beside the size: the events are the rate of that size when
#    it is a whole count; a rounded rate, or rates without sizes, are asked about.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "A 4000 sms, 2.5% bought; B 4000 sms, 3.1% bought. does B really win?",
            [(4000, 100), (4000, 124)],
        ),
        (
            "variant A 1200 push notifications, 4.5% clicked; variant B 1200 push notifications, 5.25% clicked",
            [(1200, 54), (1200, 63)],
        ),
        ("A组发了1500张券 核销率6%，B组1500张 核销率7.2%，差异显著吗", [(1500, 90), (1500, 108)]),
        ("A 送达6000 打开率20%，B 送达6000 打开率21.5%，有区别吗", [(6000, 1200), (6000, 1290)]),
        ("两版标题 A曝光5000点击200 B曝光5000点击240 有统计意义吗", [(5000, 200), (5000, 240)]),
        ("A发了2000条 有30单 B发了2000条 有41单 能下结论吗", [(2000, 30), (2000, 41)]),
        (
            "pilot: A went to 16 people, 2 bought; B went to 15, 7 bought. is B better?",
            [(16, 2), (15, 7)],
        ),
        (
            "A reached 25 people and 2 converted, B reached 24 and 7 converted, significant?",
            [(25, 2), (24, 7)],
        ),
    ],
)
def test_ab_counts_with_rates_and_sizes(question: str, counts: list[tuple[int, int]]) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and typed.problem is None, typed
    assert [(c["trials"], c["events"]) for c in typed.counts] == counts


def test_ab_counts_near_misses(planner: OfflinePlanner) -> None:
    # a rate that gives no whole count of that size: asked, never rounded
    assert read_typed_counts("A 2400 texts 3.15% converted, B 2400 texts 3.9% converted").problem
    # rates alone: asked for the sizes
    text = asked_back(planner, "A converted 3.1%, B converted 3.9%, is that significant?")
    assert "A" in text and "B" in text


def test_ab_counts_with_rates_reach_the_test(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "A组2000人 转化率5%，B组2000人 转化率6%，显著吗")
    assert name == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == [(2000, 100), (2000, 120)]


# 4. The items with the most low-star reviews: a count ranked (run_sql), not the sentiment.
@pytest.mark.parametrize(
    ("question", "level", "limit"),
    [
        ("哪个产品差评最多？一星二星都算", 2, 10),
        ("which product has the most 1 and 2 star reviews", 2, 10),
        ("top 5 products by number of bad reviews", 2, 5),
        ("差评最多的前3个商品，只算1星", 1, 3),
    ],
)
def test_low_star_reviews_ranked(
    planner: OfflinePlanner, question: str, level: int, limit: int
) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert f"r.rating <= {level}" in args["sql"] and f"LIMIT {limit}" in args["sql"]


def test_low_star_near_misses(planner: OfflinePlanner) -> None:
    # the feeling read from the text stays review sentiment
    name, _ = planned_call(planner, "which product has the most negative sentiment in reviews?")
    assert name == "review_sentiment"
    name, _ = planned_call(planner, "哪个商品的负面情感最多")
    assert name == "review_sentiment"


# 5. Knowledge: a length limit in characters, the method notes named as where the answer is.
@pytest.mark.parametrize(
    "question",
    [
        "sms body max how many chars?",
        "how many characters allowed in an email subject line",
        "push title character limit?",
        "per the method notes, what do we do when a test's sample is too small",
        "方法说明里 样本量不够怎么办",
        "按方法说明中的写法，测试样本太少时怎么处理",
    ],
)
def test_knowledge_length_and_method_notes(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "search_knowledge"


def test_sample_size_without_notes_still_asks_for_rates(planner: OfflinePlanner) -> None:
    # no rates and no notes named: the sample-size question asks for its baseline
    text = asked_back(planner, "样本量要多少才够？")
    assert "基线" in text


# 6. Refusals: admin or facilities requests and letters to write are not the reviews.
@pytest.mark.parametrize(
    "question",
    [
        "help me write a complain letter to the landlord, the water heater broke",
        "draft complain email to property management about the noisy aircon",
        "帮我写封投诉信给物业，空调坏了",
        "开通微信支付商户号需要准备哪些资料",
        "how do I open a merchant account for our mini program",
    ],
)
def test_refusals_of_admin_and_letters(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert not any(
        c["name"] in {"review_sentiment", "search_knowledge"} for c in message.tool_calls
    )


def test_complaints_in_reviews_still_sentiment(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "what do customers complain about in reviews?")
    assert name == "review_sentiment"
