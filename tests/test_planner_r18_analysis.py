"""Round 18, the analysis tools: errands refused though a data word is near ("the regional
review"), an unmeasured basket metric asked back rather than answered with cross-sell rules,
low-star review counts and reputation rankings by SQL, sample sizes from levels in points,
per-mille points and an MDE, each variant's figures versus a yes/no difference (a test), and a
gap in points that counts nothing among typed A/B counts. Every wording here is our own; each
family has near-misses that must still be answered otherwise, asked back or refused."""

from __future__ import annotations

import pytest

from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.numbers import read_rate_change
from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, last_call, planned_call


# 1. Errands (travel, rooms, rides) are refused, whatever review or meeting is beside them.
@pytest.mark.parametrize(
    "question",
    [
        "could you book me a flight to Xiamen for Thursday, the quarterly review is there",
        "pls reserve a hotel room near the office for next week's business review",
        "get me a train ticket to Nanjing, I have the regional review on Monday",
        "帮我订一张下周三去成都的机票，要去开区域复盘会",
        "帮忙订间酒店，周五年度评审会在杭州",
        "给我叫个车去机场",
    ],
)
def test_errand_refused(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "book" in reply or "代订" in reply


def test_errand_near_misses_still_answered(planner: OfflinePlanner) -> None:
    # a flight or hotel that is a store's product or a review of it stays the data's
    name, _ = planned_call(planner, "how do customers feel about skincare in their reviews?")
    assert name == "review_sentiment"
    name, _ = planned_call(planner, "what was revenue last month?")
    assert name == "query_metrics"


# 2. An unmeasured basket metric (add-to-cart) with no item is asked back, naming it.
@pytest.mark.parametrize(
    "question",
    [
        "what's our add-to-cart rate for last month",
        "add to cart numbers during Double 11 2025?",
        "show me the add to cart rate in 618 2026 please",
    ],
)
def test_unmeasured_basket_metric_asked_back(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "add" in reply.lower() and "cart" in reply.lower()


def test_basket_words_with_an_item_stay_cross_sell(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "what do people add to the cart with the yoga mat")
    assert name == "cross_sell_rules" and args.get("item") == "Yoga Mat"
    name, _ = planned_call(planner, "what do customers buy together in 618 2026")
    assert name == "cross_sell_rules"


# 3. Low-star reviews counted (overall or per category) and reputation by mean rating: SQL.
@pytest.mark.parametrize(
    ("question", "grouped"),
    [
        ("差评总共有多少条", False),
        ("1星和2星的评论各品类分别有多少条", True),
        ("how many 1 and 2 star reviews per category", True),
        ("number of bad reviews by product category?", True),
        ("一两星的差评数量，按类目拆一下", True),
    ],
)
def test_low_star_reviews_counted(planner: OfflinePlanner, question: str, grouped: bool) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "rating <= 2" in args["sql"]
    assert ("GROUP BY p.category" in args["sql"]) is grouped


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("各个类目的平均评分，口碑最好的是哪个", "DESC"),
        ("按品类看评论平均分 口碑最差的是哪个", "ASC"),
        ("category with the worst reputation by average star rating", "ASC"),
    ],
)
def test_reputation_ranks_the_mean_rating(
    planner: OfflinePlanner, question: str, direction: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "run_sql"
    assert "AVG(r.rating)" in args["sql"] and f"ORDER BY 3 {direction}" in args["sql"]


def test_feeling_without_a_rating_stays_sentiment(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "护肤品的评论口碑怎么样，大家情绪正面吗")
    assert name == "review_sentiment"


# 4. Sample sizes: a level said in points, per-mille points, an MDE said absolute.
@pytest.mark.parametrize(
    ("text", "baseline", "target"),
    [
        ("现在转化率4个点，想检测出1个点的提升，每组多少人", 0.04, 0.05),
        ("目前点击率大概3个百分点 想看出0.5个点", 0.03, 0.035),
        ("转化目前千分之六，想测出3个千分点的变化", 0.006, 0.009),
        ("open rate 20%, MDE 3 percentage points absolute", 0.20, 0.23),
        ("currently 5 points CTR, want to detect +1 point", 0.05, 0.06),
    ],
)
def test_rate_change_in_points(text: str, baseline: float, target: float) -> None:
    change = read_rate_change(text)
    assert change is not None
    assert change.baseline == pytest.approx(baseline)
    assert change.target == pytest.approx(target)


def test_points_after_a_change_word_stay_the_effect() -> None:
    change = read_rate_change("目前点击率3%，想提升1个点")
    assert change is not None and change.baseline == pytest.approx(0.03)
    assert change.target == pytest.approx(0.04)


@pytest.mark.parametrize(
    "question",
    [
        "下周想做个短信AB，转化率现在2%，想看出0.5个点的差别，得准备多少用户",
        "现在转化率6个点 新文案要是能相对提升10% 每组得放多少人",
        "click rate 4%, MDE 1 percentage point absolute, sample needed?",
        "现在打开千分之九，想多测出3个千分点，每组样本量多大",
    ],
)
def test_sample_size_planned(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_sample_size"
    assert 0 < args["baseline_rate"] < 0.1


def test_sample_size_without_numbers_asks(planner: OfflinePlanner) -> None:
    asked_back(planner, "下个月想做个推送AB，得准备多少用户")


# 5. Each variant's figures are a query by variant; a yes/no difference is the test.
@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("双11 2025那个推送AB测试，两个版本各送达多少、转化多少", ["delivered", "conversions"]),
        ("2026春节邮件AB 两个版本打开率分别多少", ["open_rate"]),
        ("春节邮件AB两个版本各打开多少", ["opens"]),
    ],
)
def test_each_variant_figures_are_a_query(
    planner: OfflinePlanner, question: str, metrics: list[str]
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert args["metrics"] == metrics and args["dimensions"] == ["variant"]


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("双11推送文案测试 两组的退订率有差别吗", "unsubscribe_rate"),
        (
            "in the Double 11 push A/B, is there any difference in unsubscribe rate?",
            "unsubscribe_rate",
        ),
        ("春节邮件AB测试 两个版本点击率有没有差别", "ctr"),
        ("double 11 push test: do the two variants really differ on opens?", "open_rate"),
    ],
)
def test_yes_no_difference_is_the_test(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "ab_test" and args["metric"] == metric


def test_what_difference_stays_the_figures(planner: OfflinePlanner) -> None:
    name, _ = planned_call(planner, "双11推送AB测试两个版本的打开率有什么差别")
    assert name == "query_metrics"


def test_figures_then_significance(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["双11 2025推送AB测试 两个版本各送达多少、转化多少", "这差距显著吗"]
    )
    assert name == "ab_test"


# 6. Typed A/B counts: a gap said in points is no count of either variant.
@pytest.mark.parametrize(
    "text",
    [
        "A组 5% 转化，共2000人；B组 6% 转化，也是2000人。这1个点的差距靠谱吗",
        "A: 2000 users, 5% converted; B: 2000 users, 6% converted. is the 1pp gap real?",
        "A组2000人转化率5%，B组2000人转化率6%，差了1个百分点，显著吗",
    ],
)
def test_point_gap_is_no_count(text: str) -> None:
    typed = read_typed_counts(text)
    assert typed is not None and typed.problem is None
    assert [c["events"] for c in typed.counts] == [100, 120]


def test_rates_without_sizes_still_asked() -> None:
    typed = read_typed_counts("A组转化5%，B组转化6%，差1个点，显著吗")
    assert typed is not None and not typed.counts
