"""Round 15, the non-metric tools read from loose wordings: a product named where a category
could stand (cross-sell), basket words and same-order words, A/B counts written loosely
(trials / wins, "variant 2,480 / 99"), a sample size asked before its group (多少条每组),
personas asked with copy as the next step, and copy briefs with a length limit or an ad's
parts. Our own wordings."""

from __future__ import annotations

import pytest

from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.planner import OfflinePlanner
from tests.conftest import planned_call


@pytest.mark.parametrize(
    ("question", "item"),
    [
        # A product named where the reader looks for a category's buyers.
        ("bundle ideas for Bluetooth Speaker buyers", "Bluetooth Speaker"),
        ("what should we cross-sell to Robot Vacuum customers?", "Robot Vacuum"),
        # The buyers named first, as the subject, with "upsell".
        ("Down Jacket buyers: what can we upsell to them?", "Down Jacket"),
        # "when / whenever someone buys X" with nothing after the item.
        (
            "which other products land in the cart whenever a customer buys the Wool Coat?",
            "Wool Coat",
        ),
        ("what else ends up in the basket when shoppers order the Silk Scarf", "Silk Scarf"),
        # A Latin name with spaces inside 买了…的人.
        ("买过Power Bank 20000mAh的顾客还经常买什么", "Power Bank 20000mAh"),
        # Bought in the same order (同单), how often said before it.
        ("跟 Mixed Nuts Gift Box 常同单下单的是哪些商品", "Mixed Nuts Gift Box"),
        ("哪些东西和 Ceramic Tea Cup Set 一般同单购买", "Ceramic Tea Cup Set"),
    ],
)
def test_cross_sell_item_named_loosely(planner: OfflinePlanner, question: str, item: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules" and args.get("item") == item and "category" not in args


@pytest.mark.parametrize(
    "question",
    ["cross-sell ideas for makeup buyers", "skincare shoppers - what to upsell them"],
)
def test_cross_sell_category_buyers_stay_a_category(planner: OfflinePlanner, question: str) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "cross_sell_rules" and "item" not in args


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "checkout test: control 3,100 visitors / 93 orders, variant 3,050 / 122 - real lift?",
            [(3100, 93), (3050, 122)],
        ),
        (
            "significance please: A 1200 trials 60 wins, B 1180 trials 83 wins",
            [(1200, 60), (1180, 83)],
        ),
        (
            "A had 640 attempts and 32 successes, B had 610 attempts and 45 successes",
            [(640, 32), (610, 45)],
        ),
    ],
)
def test_ab_counts_written_loosely(question: str, expected: list[tuple[int, int]]) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and typed.counts, typed
    assert [(c["trials"], c["events"]) for c in typed.counts] == expected


def test_ab_variant_number_with_thousands_separator_is_no_name() -> None:
    typed = read_typed_counts("control 4,000 sends 120 clicks, variant 3,900 / 150")
    assert typed is not None and "Variant 3" not in typed.variants


@pytest.mark.parametrize(
    ("question", "baseline", "effect"),
    [
        ("转化率4%，目标提升到5%，要多少人每组", 0.04, 0.01),
        ("点击率10%，想提到12%，每个版本需要发多少条", 0.10, 0.02),
    ],
)
def test_sample_size_asked_before_or_after_the_group(
    planner: OfflinePlanner, question: str, baseline: float, effect: float
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "ab_sample_size"
    assert args["baseline_rate"] == pytest.approx(baseline)
    assert args["minimum_detectable_effect"] == pytest.approx(effect)


@pytest.mark.parametrize(
    "question",
    [
        "build customer clusters first, then I'll draft an email per cluster",
        "give me 4 personas so we can write SMS copy for each",
        "先帮我做个客户画像聚类，之后按画像写短信文案",
        "用k-means分几类人，然后再按每类写推送文案",
    ],
)
def test_personas_with_copy_as_the_next_step(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "customer_personas"


@pytest.mark.parametrize(
    "question",
    ["write an email for every persona", "按每个persona写一条短信文案"],
)
def test_copy_for_personas_without_a_clustering_asked_stays_copy(
    planner: OfflinePlanner, question: str
) -> None:
    message = planner._plan(question, [])
    assert all(c["name"] != "customer_personas" for c in message.tool_calls)


@pytest.mark.parametrize(
    ("question", "channel"),
    [
        (
            "push about the Oolong Tea Gift Tin for Loyal Customers, keep under the limit",
            "push",
        ),
        ("wechat ad headline + description about the Yoga Mat", "social"),
        ("social ad headline and ad description for the Running Shoes", "social"),
        ("search ad headline + description on the Running Shoes", "search_ad"),
    ],
)
def test_copy_brief_with_limit_or_ad_parts(
    planner: OfflinePlanner, question: str, channel: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "generate_copy" and args["channel"] == channel and not args.get("unclear")


@pytest.mark.parametrize(
    "question",
    [
        "what does our cohort write-up explain",
        "what do the RFM methodology notes say about recency",
        "客户分层的方法文档里写了啥",
        "知识库里关于RFM打分是怎么说的",
    ],
)
def test_document_asked_about_is_the_knowledge_base(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "search_knowledge"


@pytest.mark.parametrize("question", ["segment customers with RFM", "跑一下RFM分群"])
def test_rfm_without_a_document_stays_rfm(planner: OfflinePlanner, question: str) -> None:
    tool, _ = planned_call(planner, question)
    assert tool == "rfm_segments"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ('customers in Beijing who bought makeup, call it "capital glam"', "capital glam"),
        ('圈一下上海买过护肤的女性，命名"沪上护肤女"', "沪上护肤女"),
    ],
)
def test_segment_named_by_a_naming_phrase_without_a_save_verb(
    planner: OfflinePlanner, question: str, name: str
) -> None:
    tool, args = planned_call(planner, question)
    assert tool == "define_segment" and args["name"] == name
    # The naming words are no condition ("call" is no product, 命名 no category).
    assert "products" not in str(args["definition"])
