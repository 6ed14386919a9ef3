"""Round 18, words a reading swallowed: the words inside a metric phrase's wildcard gap
("customers <in Kunming> spend", "客户<在母婴>上花了多少") are still accounted for; a refusal
after a correction marker ("X I mean, not Y") and a refusal naming its recipient ("别给我比例")
set the refused figure aside; the pool a top N is taken from ("of the campaigns ..., which
three") is the breakdown; days glossing a festival ("（10.20-11.11）") are no second period; and
what customers spent on a thing is revenue. Every wording here is our own; each family has
near-misses that must still be answered otherwise."""

from __future__ import annotations

import re

import pytest

from copilot.offline.clock import planner_today
from copilot.offline.planner import OfflinePlanner
from copilot.offline.vocabulary import compiled_phrases, gap_blanked, gaps_captured
from knowledge.time_ranges import find_period
from tests.conftest import asked_back, query_args


# 1. A metric phrase's gap places none of its words: an unknown place inside it is asked back.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("how much did shoppers in Lhasa spend last month?", "Lhasa"),
        ("what did customers from Harbin spend in Q2", "Harbin"),
        ("how much have buyers in Urumqi spent this year", "Urumqi"),
        ("拉萨的客户上个月一共花了多少钱", "拉萨"),
        ("今年客户在火星用品上花了多少", "火星"),
    ],
)
def test_word_in_a_metric_phrase_gap_asked_back(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question)


def test_known_place_in_a_metric_phrase_gap_still_answered(planner: OfflinePlanner) -> None:
    args = query_args(planner, "how much did customers in Shanghai spend last month?")
    assert args["metrics"] == ["revenue"] and args["filters"].get("city") == ["上海"]
    args = query_args(planner, "上海的客户上个月一共花了多少钱")
    assert args["metrics"] == ["revenue"] and args["filters"].get("city") == ["上海"]


def test_gap_captured_keeps_fixed_words_and_matches_the_same() -> None:
    pattern = r"\bpeople\s+(?:\w+\s+){0,2}?spend\b(?!\s+(?:\w+\s+)?per\b)"
    captured = gaps_captured(pattern)
    assert captured.count("(?P<_gap>") == 1  # (none inside the lookahead)
    compiled = compiled_phrases([pattern, r"客户(?:[^，]{1,8}?上)?花了"])
    text = "did people in lhasa spend much, 客户在母婴上花了"
    assert [m.span() for m in compiled.finditer(text)] == [
        m.span() for m in re.finditer(pattern + r"|客户(?:[^，]{1,8}?上)?花了", text)
    ]
    kept = gap_blanked(compiled, text)
    assert "lhasa" in kept and "people" not in kept and "spend" not in kept
    assert "母婴" in kept and "客户" not in kept and "花了" not in kept


# 2. A refusal after "I mean" sets the refused figure aside; so does 别给我 / 不用给我们.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        (
            "how many unique shoppers bought last month? shoppers I mean, not the order count",
            "buyers",
        ),
        ("orders last month, orders I mean, not revenue", "orders"),
        ("上个月流失的老客户有多少？要人数，别给我比例", "churned_customers"),
        ("上季度流失了多少客户，要个数，不用给我们算比率", "churned_customers"),
    ],
)
def test_refused_figure_set_aside(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_correction_by_i_mean_still_replaces(planner: OfflinePlanner) -> None:
    args = query_args(planner, "revenue in March, I mean April")
    assert args["metrics"] == ["revenue"] and "april" in args["time_range"].lower()
    assert query_args(planner, "上个月流失率是多少")["metrics"] == ["churn_rate"]


# 3. The pool a top N is taken from, named before it, is the breakdown ranked.
@pytest.mark.parametrize(
    "question",
    [
        "of the campaigns we ran in 2025, which three had the best ROI",
        "among our campaigns last year, which 2 had the highest CTR",
        "去年做过的活动当中，转化率前五是哪些",
        "2025年的活动里面，ROI前三的是哪几个",
    ],
)
def test_pool_of_a_top_n_is_the_breakdown(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == ["campaign"] and args.get("limit") in (2, 3, 5)


def test_pool_without_a_ranking_is_no_breakdown(planner: OfflinePlanner) -> None:
    args = query_args(planner, "of all our campaigns last year, what was the total ROI")
    assert not args.get("dimensions")
    args = query_args(planner, "去年的活动里，总的ROI是多少")
    assert not args.get("dimensions")


# 4. Days glossing a festival are no second period; the other year's festival is.
@pytest.mark.parametrize(
    "question",
    [
        "25年双11期间（10.20-11.11）的订单数，跟24年双11比一比",
        "order count for Double 11 2025 (10/20-11/11), compared with Double 11 2024",
    ],
)
def test_festival_gloss_is_no_second_period(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    read = find_period(args["time_range"], planner_today())
    other = args.get("compare_to") or (read.compare_to and read.compare_to.label)
    assert other and "24" in str(other) and "2026" not in str(other), args


def test_dates_of_another_year_still_compared(planner: OfflinePlanner) -> None:
    # (dates with their own year are a period of their own, never a gloss)
    args = query_args(
        planner, "orders 2025-10-20 to 2025-11-11, and compare with 2024-10-20 to 2024-11-11"
    )
    read = find_period(args["time_range"], planner_today())
    other = args.get("compare_to") or (read.compare_to and read.compare_to.label)
    assert other and "2024" in str(other), args


# 5. What customers spent on a thing, each, is revenue, the thing a filter.
@pytest.mark.parametrize(
    "question",
    [
        "今年北京和南京的客户在食品上各花了多少钱",
        "女性客户今年在母婴上分别花了多少",
        "上海的顾客在母婴方面一共花了多少钱",
    ],
)
def test_customers_spend_on_a_thing_is_revenue(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["revenue"] and args["filters"].get("category"), args


def test_acquisition_spend_is_still_cost(planner: OfflinePlanner) -> None:
    args = query_args(planner, "上个月获取新客户花了多少钱")
    assert "revenue" not in args["metrics"], args
