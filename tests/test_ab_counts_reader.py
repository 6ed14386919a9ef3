"""Issue 11: A/B tests on numbers the user types are tested as given, never answered with
the store's own campaigns; rates without sizes and numbers of unclear role are asked about."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from statsmodels.stats.proportion import proportions_ztest

from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.numbers import counts_in
from copilot.offline.planner import OfflinePlanner

ROOT = Path(__file__).resolve().parent.parent


def _plan(planner: OfflinePlanner, question: str) -> tuple[str | None, Any]:
    message = planner._plan(question, [])
    if not message.tool_calls:
        return None, str(message.content)
    return message.tool_calls[0]["name"], message.tool_calls[0]["args"]


def _c(*rows: tuple[str, int, int]) -> list[dict[str, Any]]:
    return [{"variant": v, "trials": n, "events": x} for v, n, x in rows]


AB = _c(("A", 1000, 50), ("B", 1000, 65))
ENGLISH = [
    (
        "Variant A: 1000 visitors, 50 conversions; variant B: 1000 visitors, 65 conversions "
        "— is B significantly better?",
        AB,
        "conversion",
    ),
    ("A had 50 conversions out of 1000 visitors, B had 65 out of 1000. B better?", AB, "conversion"),
    ("A 50/1000 vs B 65/1000 significant?", AB, "conversion"),
    ("a: 1,000 sent, 65 clicked. b: 1,000 sent, 80 clicked. which subject line won", _c(("A", 1000, 65), ("B", 1000, 80)), "ctr"),
    ("control converted 50 out of 1000, treatment 65 out of 1000 - is it stat sig?", _c(("control", 1000, 50), ("treatment", 1000, 65)), "conversion"),
    ("our email tool says version A 2000 delivered 120 opened, version B 2000 delivered 150 opened, is B's open rate really higher", _c(("A", 2000, 120), ("B", 2000, 150)), "open_rate"),
    ("A: 5% of 1000, B: 6.5% of 1000 - significant difference?", AB, "conversion"),
    ("1000 visitors and 50 conversions vs 1000 visitors and 65 conversions, is the 2nd better", AB, "conversion"),
    ("A: 1000 visitors, 50 conversions; B: 1000 and 65. significant?", AB, "conversion"),
    ("A 1000/50, B 1000/65, C 1000/80 which variant wins", [*AB, *_c(("C", 1000, 80))], "conversion"),
    ("group A 2.5k users 100 signups, group B 2.5k users 140 signups, is that a real lift", _c(("A", 2500, 100), ("B", 2500, 140)), "conversion"),
    ("ad A: 40,000 impressions 480 clicks; ad B: 40,000 impressions 560 clicks. CTR diff significant??", _c(("A", 40000, 480), ("B", 40000, 560)), "ctr"),
    ("variant A got 120 opens from 2,000 emails, variant B got 150 opens from 2,000 emails in March 2026, signif?", _c(("A", 2000, 120), ("B", 2000, 150)), "open_rate"),
    # The words that name the counts decide the metric, not any word of the question.
    ("A: 1000 visitors, 50 conversions; B: 1000 visitors, 65 conversions (traffic from click ads)", AB, "conversion"),
    # Variants named in the user's own words, one per clause.
    ("control 48 of 1200 converted, new page 69 of 1150 statistically significant?", _c(("control", 1200, 48), ("new page", 1150, 69)), "conversion"),
    ("old subject line: 4000 sent / 120 opens. new subject line: 4000 sent / 170 opens", _c(("old subject line", 4000, 120), ("new subject line", 4000, 170)), "open_rate"),
    # Variants named after their numbers.
    ("we got 250 opens out of 4000 for A and 300 out of 4100 for B, which email wins?", _c(("A", 4000, 250), ("B", 4100, 300)), "open_rate"),
    ("480 clicks out of 6000 sends for variant A, 530 out of 6100 for variant B - which one won?", _c(("A", 6000, 480), ("B", 6100, 530)), "ctr"),
    ("92 orders from 2300 visitors on control and 120 from 2250 on treatment. which is better?", _c(("control", 2300, 92), ("treatment", 2250, 120)), "conversion"),
]  # fmt: skip
CHINESE = [
    ("A组1000人转化50，B组1000人转化65，显著吗？", AB, "conversion"),
    ("A组1000人，转化50；B组1000人，转化65，B组是不是更好", AB, "conversion"),
    ("对照组 2000 人 120 单，实验组 2000 人 150 单，有显著差异吗", _c(("对照组", 2000, 120), ("实验组", 2000, 150)), "conversion"),
    ("A版发了1万封邮件，点击300；B版发了1万封，点击360，点击率差异显著吗", _c(("A", 10000, 300), ("B", 10000, 360)), "ctr"),
    ("两组各1000人，A组转化50，B组转化65，差异显著吗", AB, "conversion"),
    ("A组1000人中50人下单，B组1000人中65人下单，B更好吗", AB, "conversion"),
    ("a组 1000访客 50转化 b组 1000访客 65转化 显著么", AB, "conversion"),
    ("方案A：访客1200，转化48；方案B：访客1150，转化69。哪个方案更好？", _c(("A", 1200, 48), ("B", 1150, 69)), "conversion"),
    ("A组50/1000，B组65/1000，统计上显著吗", AB, "conversion"),
    ("对照组转化率5%（1000人），实验组转化率6.5%（1000人），显著吗", _c(("对照组", 1000, 50), ("实验组", 1000, 65)), "conversion"),
    ("A组1000人转化50，B组1000人转化65，C组1000人转化80，哪个最好", [*AB, *_c(("C", 1000, 80))], "conversion"),
    ("Ａ组１０００人转化５０，Ｂ组１０００人转化６５，显著吗", AB, "conversion"),  # full-width
    ("A组发送2万条 打开1800 B组发送2万条 打开2100 打开率有区别吗", _c(("A", 20000, 1800), ("B", 20000, 2100)), "open_rate"),
    ("新落地页1200人里转化60，旧页面1200人里转化45，显著吗", _c(("新落地页", 1200, 60), ("旧页面", 1200, 45)), "conversion"),
    ("新版本1000人转化65而旧版本1000人转化50，显著吗", _c(("新版", 1000, 65), ("旧版", 1000, 50)), "conversion"),
    ("A版4000人里有250人打开，B版4100人里有300人打开，哪个好", _c(("A", 4000, 250), ("B", 4100, 300)), "open_rate"),
    # One numeral counting people ("两人", "七个人") is a count.
    ("对照组三十人中两人下单，实验组三十人中七个人下单，显著吗", _c(("对照组", 30, 2), ("实验组", 30, 7)), "conversion"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "counts", "metric"), ENGLISH + CHINESE)
def test_typed_counts_are_tested_as_given(
    planner: OfflinePlanner, question: str, counts: list[dict], metric: str
) -> None:
    tool, args = _plan(planner, question)
    assert tool == "ab_test", args
    assert args == {"counts": counts, "metric": metric}


ASK_BACK = [
    # Rates without sizes: the sizes are asked for, by variant.
    ("A converted at 5%, B at 6.5%, is B better?", ["visitors", "sample size", "A and B"]),
    ("variant a 5% conversion, variant b 6.5%: significant?", ["visitors", "A and B"]),
    ("conversion rate 5% vs 6.5%, is that significant?", ["visitors", "A and B"]),
    ("A组转化率5%，B组6.5%，显著吗", ["样本量", "人数", "A和B"]),
    ("A组打开率20%，B组打开率22%，B更好吗？", ["样本量", "打开"]),
    # Which number is which cannot be told.
    ("A 1000 50, B 1000 65 significant?", ["which of your numbers", "conversions"]),
    ("A组1000 50，B组1000 65，显著吗", ["分不清", "转化"]),
    # A rate times a size that is no whole count.
    ("A: 5.2% of 777 visitors, B: 6% of 800", ["whole number", "For A"]),
    # Sizes and counts that cannot be put to variants: never the store's campaigns instead.
    (
        "Our ESP shows 1000 visitors and 50 conversions for the old version and 1000 visitors "
        "and 65 conversions for the new one — significant?",
        ["which variant", "store's own campaigns"],
    ),
    # A variant without its size.
    ("A: 1000 visitors, 50 conversions; B: 65 conversions. significant?", ["size", "B"]),
]


@pytest.mark.parametrize(("question", "named"), ASK_BACK)
def test_numbers_that_cannot_be_tested_are_asked_about(
    planner: OfflinePlanner, question: str, named: list[str]
) -> None:
    tool, text = _plan(planner, question)
    assert tool is None, f"called {tool} {text}"
    assert "?" in text or "？" in text
    for word in named:
        assert word in text


@pytest.mark.parametrize(
    ("question", "tool", "args"),
    [
        # Sample-size questions with rates stay sample-size questions.
        (
            "How many visitors per variant do I need to detect a lift from 5% to 6%?",
            "ab_sample_size",
            {"baseline_rate": 0.05, "minimum_detectable_effect": 0.01, "relative": False},
        ),
        (
            "Our open rate is 18%. How many recipients do I need to detect a drop to 15%?",
            "ab_sample_size",
            {"baseline_rate": 0.18, "minimum_detectable_effect": -0.03, "relative": False},
        ),
        (
            "打开率想从18%提到20%，每组多少人",
            "ab_sample_size",
            {"baseline_rate": 0.18, "minimum_detectable_effect": 0.02, "relative": False},
        ),
        (
            "detect a 15% relative uplift over a 2% baseline: sample size?",
            "ab_sample_size",
            {"baseline_rate": 0.02, "minimum_detectable_effect": 0.15},
        ),
        # Store-campaign A/B questions still test the store's campaigns.
        ("Which variant won the A/B tests?", "ab_test", {"metric": "conversion"}),
        (
            "Is variant B better in the Spring Festival A/B test?",
            "ab_test",
            # The store's one A/B campaign whose name words are named (the tool matched the
            # phrase "spring festival" to the same campaign).
            {
                "campaign": "Spring Festival 2026 - Email A/B",
                "variant": "B",
                "metric": "conversion",
            },
        ),
        ("AB测试结果", "ab_test", {"metric": "conversion"}),
        # Rates of a store campaign it names: the store has the counts. (Round 17 reads an
        # id as the store's campaign of that id: its name is passed on.)
        (
            "In CMP010, A converted 3.1% and B 6.9%, significant?",
            "ab_test",
            {"campaign": "Spring Festival 2026 - Email A/B", "metric": "conversion"},
        ),
        # Numbers that are no A/B counts stay with their own readers.
        ("revenue 2025 vs 2026", "query_metrics", None),
    ],
)
def test_other_questions_keep_their_readings(
    planner: OfflinePlanner, question: str, tool: str, args: dict | None
) -> None:
    got, got_args = _plan(planner, question)
    assert got == tool, got_args
    if args is not None:
        assert got_args == pytest.approx(args)


def test_numbers_in_a_question() -> None:
    text = "A: 1,000 sent, 2.5k users, 2万人, 1w人, 一千人, 6.5%, CMP010, Q4, 1000,500"
    shown = [(text[c.start : c.end], c.value, c.rate) for c in counts_in(text)]
    assert shown == [
        ("1,000", 1000, False),
        ("2.5k", 2500, False),
        ("2万", 20000, False),
        ("1w", 10000, False),
        ("一千", 1000, False),
        ("6.5%", 0.065, True),
        ("1000", 1000, False),
        ("500", 500, False),
    ]


def test_counts_in_chinese_numerals_and_english_words() -> None:
    text = "两百五, 一千二, 三万五, 两百零五, 九十人, eleven thousand, two hundred and six; 双十一, 千分之五"
    assert [c.value for c in counts_in(text)] == [250, 1200, 35000, 205, 90, 11000, 206]
    # A lone numeral counts only before a people counter: "一起", "一下", "第一" do not.
    assert [c.value for c in counts_in("一起看一下第一人，三人，五个人，十名")] == [3, 5, 10]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Sizes written in words, said once for every variant.
        (
            "Two mailers, nine thousand recipients each: version A drew 180 orders, "
            "version B drew 214. Significant?",
            _c(("A", 9000, 180), ("B", 9000, 214)),
        ),
        (
            "A组发了三千条短信，成交一百二；B组发了三千条，成交一百五十。显著吗",
            _c(("A", 3000, 120), ("B", 3000, 150)),
        ),
        # A variant named by what changed ("the new headline"), the other "control".
        (
            "control: 3,000 visitors and 90 signups; the new headline 2,950 visitors and 118 "
            "signups. significant?",
            _c(("control", 3000, 90), ("new headline", 2950, 118)),
        ),
        # Two funnel steps per variant: the earlier step is what the later one is out of.
        (
            "variant A: 60 clicks then 3 purchases; variant B: 55 clicks then 9 purchases. better?",
            _c(("A", 60, 3), ("B", 55, 9)),
        ),
        (
            "A组打开800次、点击40次，B组打开760次、点击57次，差异显著吗",
            _c(("A", 800, 40), ("B", 760, 57)),
        ),
    ],
)
def test_counts_in_words_and_funnel_steps(question: str, expected: list[dict[str, Any]]) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and list(typed.counts) == expected, typed


def test_no_typed_counts_in_questions_without_them() -> None:
    for question in (
        "Is variant B better in the Spring Festival A/B test?",
        "Did version B beat version A in the 2025 Double 11 test?",
        "revenue 2025 vs 2026",
        "how many users do I need to detect a 10% lift on a 3% conversion rate?",
        "A组和B组在2026年春节活动里哪个转化高",
        # Sample-size questions whose clauses hold rates only.
        "Sample size for baseline CTR 4%, MDE 10% relative, 80% power, alpha 0.05",
        "现在短信转化大概1.5%，想看出提高到2%的效果，每组至少要发多少条",
        "revenue was 5000, orders 120, significant?",
    ):
        assert read_typed_counts(question) is None, question


# --- the command line, end to end ------------------------------------------------------------


def _ask(home: Path, question: str) -> dict[str, Any]:
    environment = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COPILOT_DEMO_CUSTOMERS": "300",
        "COPILOT_AS_OF": "2026-11-01",
    }
    environment.pop("COPILOT_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "copilot.frontends.cli", "ask", question, "--json"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
    )
    return json.loads(result.stdout)


def test_cli_tests_the_users_numbers_in_english_and_chinese(tmp_path: Path) -> None:
    _, p = proportions_ztest([65, 50], [1000, 1000])
    english = _ask(
        tmp_path,
        "Variant A: 1000 visitors, 50 conversions; variant B: 1000 visitors, 65 conversions"
        " — is B significantly better?",
    )
    assert english["status"] == "answered"
    assert [c["name"] for c in english["tool_calls"]] == ["ab_test"]
    assert english["tool_calls"][0]["args"]["counts"] == AB
    answer = english["answer"]
    assert "not the store's campaigns" in answer and "50 conversions of 1,000 (5.0%)" in answer
    assert f"p = {p:.2f}" in answer and "no significant difference at 5%" in answer
    assert "Spring Festival" not in answer and "CMP0" not in answer  # no store campaign
    (table,) = english["tables"]
    assert table["columns"][:3] == ["variant", "size", "conversions"]
    assert [row[:3] for row in table["rows"]] == [["A", 1000, 50], ["B", 1000, 65]]

    chinese = _ask(tmp_path, "对照组 2000 人 120 单，实验组 2000 人 150 单，有显著差异吗")
    assert chinese["status"] == "answered"
    assert chinese["tool_calls"][0]["args"]["counts"] == _c(
        ("对照组", 2000, 120), ("实验组", 2000, 150)
    )
    _, p_zh = proportions_ztest([150, 120], [2000, 2000])
    assert "您在问题中给出的数据" in chinese["answer"] and "2,000 人中转化 150" in chinese["answer"]
    assert f"p = {p_zh:.2f}" in chinese["answer"]
    word = "在 5% 水平上显著" if p_zh < 0.05 else "在 5% 水平上没有显著差异"
    assert word in chinese["answer"]

    rates = _ask(tmp_path, "A converted at 5%, B at 6.5% — is B significantly better?")
    assert rates["status"] == "clarify" and rates["tool_calls"] == []
    assert "visitors" in rates["answer"] and not rates["tables"]


# Round 12: a people word followed by what they did ("3人购买（共40人）", "4 people signed
# up out of 90") counts those who acted, not the arm; "signup" (the typo reader's singular
# of "signups") is an event word like "signups". Before, the first swapped the arm and its
# events and the second ran the store's own tests instead of the typed counts.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("A 3人购买（共40人），B 9人购买（共41人），差异显著吗", _c(("A", 40, 3), ("B", 41, 9))),
        ("A: 4 people signed up out of 90, B: 11 people signed up out of 88. real?", _c(("A", 90, 4), ("B", 88, 11))),
        ("we split the homepage: 9000 visitors per side, 270 vs 315 signups. is B better?", _c(("A", 9000, 270), ("B", 9000, 315))),
    ],
)  # fmt: skip
def test_people_who_acted_and_signups_are_the_events(
    planner: OfflinePlanner, question: str, counts: list[dict]
) -> None:
    tool, args = _plan(planner, question)
    assert tool == "ab_test", args
    assert args["counts"] == counts


# Round 12 (s12xs): a size said just before the variant's name ("38 got version B",
# "820人收到了B版本") is that variant's size; "bought" counts events.
@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "tiny test - 60 shoppers got variant A and 3 bought; 55 got variant B and 9 bought. is B better?",
            [(60, 3), (55, 9)],
        ),
        (
            "1,200 users saw version A and 30 converted; 1,150 saw version B and 41 converted",
            [(1200, 30), (1150, 41)],
        ),
        (
            "800人收到了A版本，其中12人购买；820人收到了B版本，其中25人购买，B更好吗？",
            [(800, 12), (820, 25)],
        ),
    ],
)
def test_a_size_before_the_variant_name_is_its_size(question: str, counts: list) -> None:
    typed = read_typed_counts(question)
    assert typed is not None and typed.counts, typed
    assert [(c["trials"], c["events"]) for c in typed.counts] == counts
