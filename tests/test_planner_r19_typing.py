"""Round 19, fast phone typing: chat shorthand and dictation slips written out once, before the
question is read, through the lexicon's abbreviations (`key: {said: words}`), and named in the
answer ("I read “b4” as before"); a one-letter shorthand only between words, "mo" only beside
a period word. Every wording here is our own; each family has near-misses that must still be
read otherwise or asked back."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from copilot.offline.typos import read_typos, reading_note
from tests.conftest import asked_back, last_call, planned_call


def _read(planner: OfflinePlanner, question: str):  # noqa: ANN202 - a TypoReading
    return read_typos(question, planner.semantic_model, planner.values)


# 1. "before" typed as b4: gross sales, and the answer says how b4 was read.
@pytest.mark.parametrize(
    "question",
    [
        "gross sales b4 refunds in q2",
        "sales b4 returns for 618 2026 pls",
        "gmv b4 returns for the spring festival 2026",
        "gmv b4 any returns this yr",
    ],
)
def test_b4_read_as_before(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == ["gross_sales"]
    assert ("b4", "before") in _read(planner, question).corrections


def test_shorthand_named_in_the_reading_note(planner: OfflinePlanner) -> None:
    reading = _read(planner, "champs r there atm?")
    note = reading_note(reading.corrections, "en")
    assert "“b4”" not in note and "“r” as are" in note and "“atm”" in note


# 2. "mo" is a month only beside a period word.
@pytest.mark.parametrize(
    "question",
    [
        "orders last mo",
        "aov this mo so far",
        "new customers by mo in 2026",
        "revenue prev mo by city",
    ],
)
def test_mo_beside_a_period_word_is_a_month(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics"
    assert "month" in str(args).lower() or "2026" in str(args)


def test_mo_alone_is_not_read_as_a_month(planner: OfflinePlanner) -> None:
    assert not any(t == "mo" for t, _ in _read(planner, "revenue for mo please").corrections)


# 3. Dictated metric names ("are oh eye") read as the metric.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("are oh eye for the 618 2026 email", "roi"),
        ("what was the are oh eye on double 11 2025 sms", "roi"),
        ("see tee are for 618 2026 push", "ctr"),
        ("ay oh vee last quarter", "aov"),
    ],
)
def test_dictated_metric_names(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == [metric]


# 4. One-letter shorthand (r = are, n = and) only between words; never beside a number or sign.
@pytest.mark.parametrize(
    "question",
    [
        "champs who r they",
        "who r the champions, profile pls",
        "give me a profile of champs",
        "冠军客户 都是什么样的人",
    ],
)
def test_champs_profile(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "profile_segment" and args.get("segment") == "Champions"


def test_one_letter_shorthand_not_read_beside_numbers(planner: OfflinePlanner) -> None:
    reading = _read(planner, "variant A n = 4500 with 113 orders, B n=4400 with 150")
    assert not reading.corrections
    reading = _read(planner, "what is the R score of champions")
    assert not reading.corrections


def test_follow_up_in_shorthand(planner: OfflinePlanner) -> None:
    _, first = last_call(planner, ["orders by channel last month"])
    name, args = last_call(planner, ["orders by channel last mo", "n the month b4?"])
    assert name == "query_metrics" and args["metrics"] == ["orders"]
    assert args.get("time_range") and args["time_range"] != first.get("time_range")


# 5. Chinese chat fillers (来着, 拉下) are talk, not an unplaced word.
@pytest.mark.parametrize(
    "question",
    [
        "上季度流失率是多少来着",
        "上个月客单价多少来着",
        "按渠道拉下上个月的销售额",
        "帮我按城市拉下这个月订单数",
    ],
)
def test_chinese_fillers_are_talk(planner: OfflinePlanner, question: str) -> None:
    name, _ = planned_call(planner, question)
    assert name == "query_metrics"


# 6. Near-misses: an unknown campaign nickname and a city not in the store are still asked back.
def test_near_misses_still_asked_back(planner: OfflinePlanner) -> None:
    assert "zeppelin" in asked_back(planner, "ctr for the zeppelin thing we did b4 618").lower()
    reply = asked_back(planner, "rev from lhasa custs last mo")
    assert "lhasa" in reply.lower()


# 7. One A/B test spoken of without its name, with two in the store: asked which.
@pytest.mark.parametrize(
    "question",
    [
        "is the ab test sig",
        "did the a/b test win or not",
        "this experiment significant?",
        "那个ab测试显著吗",
        "那个实验的差异显著不",
    ],
)
def test_one_unnamed_test_asked_which(planner: OfflinePlanner, question: str) -> None:
    reply = asked_back(planner, question)
    assert "Push A/B" in reply and "Email A/B" in reply


def test_named_or_all_tests_still_answered(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "is the spring festival 2026 email test sig")
    assert name == "ab_test" and args.get("campaign") == "Spring Festival 2026 - Email A/B"
    name, args = planned_call(planner, "are all the a/b tests significant")
    assert name == "ab_test" and "campaign" not in args


# 8. Follow-up "sig or nah" after a test's figures: the test on that campaign.
def test_sig_or_nah_follow_up(planner: OfflinePlanner) -> None:
    name, args = last_call(
        planner, ["ctr by variant for the double 11 2025 push a/b", "diff sig or nah"]
    )
    assert name == "ab_test" and args.get("campaign") == "Double 11 2025 - Push A/B"


# 9. A two-character metric word one homophone away (pinyin input), beside a known word.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("9月新课有多少", "new_customers"),
        ("今年新课多少个", "new_customers"),
        ("上周定单多少", "orders"),
        ("上个月定单有几个", "orders"),
    ],
)
def test_two_character_homophone(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == [metric]


def test_two_character_homophone_not_read_in_unknown_words(planner: OfflinePlanner) -> None:
    assert not _read(planner, "大开眼界 上个月销售额").corrections
    asked_back(planner, "上个月的新款销售额")


# 10. "returns came back": the returned orders, never the customers coming back.
@pytest.mark.parametrize(
    "question",
    [
        "how many returns came back in aug",
        "number of returns that came back last mo",
        "how many returns got sent back in q3 by channel",
        "returns were sent back how many times in 618 2026",
    ],
)
def test_returns_came_back_are_returned_orders(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == ["returned_orders"]


# 11. Gross sales said as returns not yet deducted (先不扣退货).
@pytest.mark.parametrize("question", ["上季度gmv 先不扣退货", "今年618的gmv 暂不扣退货"])
def test_gross_sales_returns_not_yet_deducted(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == ["gross_sales"]


# 12. The noun said again as its verb (退货退了几单): one count of returned orders.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("这周退货退了几单", "returned_orders"),
        ("上季度退款退了多少单来着", "returned_orders"),
        ("上个月退货退了多少钱", "returns"),
    ],
)
def test_noun_said_again_as_verb(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics" and args["metrics"] == [metric]
