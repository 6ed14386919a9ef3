"""Issue 11, round 5: follow-ups over the previous result and numbers typed in a question.

Kinds: a value given after a question back, a comparison with the year before, a filter put
on a metric query ("only women" is no segment), a sample-size plan re-sized (power, alpha,
variants, effect), a significance verdict on the rates just shown; A/B counts laid out by
metric, rates without sizes asked about, sample-size settings read from the question.
The wordings are new (none is a held-out question)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.offline.intents.ab_counts import read_typed_counts
from copilot.offline.numbers import TestSettings, read_test_settings
from copilot.offline.planner import OfflinePlanner
from copilot.outcome import STATUS_KEY


def _converse(planner: OfflinePlanner, turns: list[str]) -> list[AIMessage]:
    """Plan every turn, keeping the history as the agent stores it (calls and status)."""
    history: list[BaseMessage] = []
    replies = []
    for turn in turns:
        reply = planner._plan(turn, history)
        calls = [{"name": c["name"], "args": c["args"]} for c in reply.tool_calls]
        status = "answered" if calls else reply.response_metadata.get(STATUS_KEY)
        payload = {"status": status, "tool_calls": calls}
        history += [
            HumanMessage(turn),
            AIMessage(reply.content or "done", response_metadata={"copilot_payload": payload}),
        ]
        replies.append(reply)
    return replies


def _last_call(planner: OfflinePlanner, turns: list[str]) -> tuple[str | None, Any]:
    reply = _converse(planner, turns)[-1]
    if not reply.tool_calls:
        return None, str(reply.content)
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


# --- a value given after a question back replaces the word asked about ---


@pytest.mark.parametrize(
    ("turns", "city"),
    [
        (["orders in Gotham City last month", "ok, try Shanghai"], "上海"),
        (["AOV in Narnia this year", "i meant beijing"], "北京"),
        (["上个月亚特兰蒂斯的销售额", "那换成深圳"], "深圳"),
        (["今年霍格沃茨的订单数", "改成杭州呢"], "杭州"),
    ],
)
def test_a_value_after_a_question_back_is_put_in_place_of_the_unknown_word(
    planner: OfflinePlanner, turns: list[str], city: str
) -> None:
    first = _converse(planner, turns[:1])[0]
    assert not first.tool_calls, "the unknown place is asked about first"
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics"
    assert args["filters"] == {"city": [city]}
    assert args.get("time_range"), "the period of the asked-back question is kept"


def test_a_longer_question_after_a_question_back_is_read_on_its_own(
    planner: OfflinePlanner,
) -> None:
    tool, args = _last_call(
        planner, ["orders in Gotham City last month", "AOV in Shanghai in 2025"]
    )
    assert tool == "query_metrics" and args["metrics"] == ["aov"]


# --- a comparison with the year before keeps the period and compares ---


@pytest.mark.parametrize(
    "turns",
    [
        ["2025年的销售额", "和上一年比呢"],
        ["2025年客单价", "跟前一年同期对比一下呢"],
        ["orders in 2025", "and compared with the previous year?"],
        ["revenue in Q3 2025", "how does that compare to the year before?"],
    ],
)
def test_compare_with_the_year_before_keeps_the_period(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics"
    assert args["time_range"] == first["time_range"], "the asked period, not the year before"
    assert args["compare_to"] in {"last year", "去年同期"}


# --- a filter on a metric query narrows it; it saves no segment ---


@pytest.mark.parametrize(
    ("turns", "filters"),
    [
        (["revenue by city this year", "only women"], {"gender": ["F"]}),
        (["AOV by category last month", "just the female customers"], {"gender": ["F"]}),
        (["今年各渠道的订单数", "只看男性"], {"gender": ["M"]}),
        (["上个月各品类销售额", "那只看上海"], {"city": ["上海"]}),
    ],
)
def test_a_filter_follow_up_reruns_the_metric_query(
    planner: OfflinePlanner, turns: list[str], filters: dict[str, list[str]]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics", "a metric follow-up, not a saved segment"
    assert args["metrics"] == first["metrics"]
    assert args["filters"] == filters
    assert args["time_range"] == first["time_range"]


# --- a sample-size plan re-sized by a follow-up ---


@pytest.mark.parametrize(
    ("turns", "changed"),
    [
        (
            ["baseline 4%, detect 1 point, how many per group", "what if we want 90% power?"],
            {"power": 0.9},
        ),
        (
            ["sample size for a 6% baseline and a 10% relative lift", "and at alpha 0.01?"],
            {"alpha": 0.01},
        ),
        (["样本量：转化率5%，提升1个百分点", "如果要做三组呢"], {"variants": 3}),
        (["打开率20%，想检测2个百分点的提升，每组要多少人", "那功效要95%呢"], {"power": 0.95}),
        (
            ["点击率3%，检测0.5个百分点，样本量多大", "如果要检测1个百分点呢"],
            {"minimum_detectable_effect": 0.01},
        ),
    ],
)
def test_a_sample_size_follow_up_changes_only_what_it_says(
    planner: OfflinePlanner, turns: list[str], changed: dict[str, Any]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]
    assert first["name"] == "ab_sample_size"
    tool, args = _last_call(planner, turns)
    assert tool == "ab_sample_size"
    assert args == {**first["args"], **changed}


# --- significance of the rates just shown ---


@pytest.mark.parametrize(
    ("turns", "metric"),
    [
        (
            [
                "open rate by variant for the Spring Festival 2026 Email A/B",
                "is the gap significant?",
            ],
            "open_rate",
        ),
        (["Spring Festival 2026 - Email A/B 各版本的转化率", "这个差距显著吗"], "conversion"),
        (["CTR per variant in the Spring Festival 2026 Email A/B", "real or just noise?"], "ctr"),
        # The campaign named with "test" / "A/B测试" beside its words: still a breakdown first.
        (
            ["open rate by variant in the Spring Festival 2026 email test", "significant?"],
            "open_rate",
        ),
        (["春节2026邮件A/B测试每个版本的转化率", "这个差别显著吗？"], "conversion"),
    ],
)
def test_significance_after_a_campaign_breakdown_tests_that_campaign(
    planner: OfflinePlanner, turns: list[str], metric: str
) -> None:
    tool, args = _last_call(planner, turns)
    assert tool == "ab_test"
    assert args == {"campaign": "Spring Festival 2026 - Email A/B", "metric": metric}


@pytest.mark.parametrize(
    "turns",
    [
        ["conversion rate by channel last month", "is the difference significant?"],
        ["上个月各渠道的转化率", "差别显著吗？"],
        ["revenue by city in 2025", "statistically significant?"],
    ],
)
def test_significance_of_rates_without_a_test_is_asked_about(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    tool, text = _last_call(planner, turns)
    assert tool is None, "no test of every store campaign in place of the rates shown"
    assert "?" in text or "？" in text


# --- A/B counts laid out by metric ---


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "checkout test: 3,100 vs 2,950 sessions, 124 and 139 orders. any real difference?",
            [(3100, 124), (2950, 139)],
        ),
        ("recipients 8k/8k, clicks 240/296 - which subject line won?", [(8000, 240), (8000, 296)]),
        ("两个落地页访客分别为1200和1180，注册48和71，差异显著吗", [(1200, 48), (1180, 71)]),
        ("两版推送各发了1万条，点击300和360，哪个好", [(10000, 300), (10000, 360)]),
        ("发送量 5000 对 5000，打开 900 对 1010，显著吗", [(5000, 900), (5000, 1010)]),
        (
            "1.5k sends vs 1.5k sends, 45 vs 69 clicks: did the new one win?",
            [(1500, 45), (1500, 69)],
        ),
    ],
)
def test_counts_laid_out_by_metric_are_tested_as_given(
    planner: OfflinePlanner, question: str, counts: list[tuple[int, int]]
) -> None:
    tool, args = _last_call(planner, [question])
    assert tool == "ab_test"
    assert [(c["trials"], c["events"]) for c in args["counts"]] == counts


@pytest.mark.parametrize(
    "question",
    [
        "revenue 2025 vs 2026 in Shanghai and Beijing",
        "orders 120 and 140 in May and June",
        "visitors 1000/1000",
    ],
)
def test_numbers_that_are_no_test_counts_are_not_read_as_counts(question: str) -> None:
    typed = read_typed_counts(question)
    assert typed is None or not typed.counts


# --- rates without sizes: ask for the sizes ---


@pytest.mark.parametrize(
    "question",
    [
        "new banner converts at 4.2%, old banner 3.6% - is that a significant lift?",
        "subject line one opened 31%, subject line two 27%. significant?",
        "新标题打开率25%，旧标题21%，差异显著吗",
        "A版转化率3%，B版3.5%，提升显著吗",
    ],
)
def test_rates_without_sizes_ask_for_the_sizes(planner: OfflinePlanner, question: str) -> None:
    tool, text = _last_call(planner, [question])
    assert tool is None, "no verdict, and no store campaign in place of the user's test"
    assert any(w in text for w in ("visitors", "recipients", "访客", "样本量"))


# --- sample-size settings typed in the question ---


@pytest.mark.parametrize(
    ("question", "settings"),
    [
        ("power 90%, alpha 0.01", TestSettings(alpha=0.01, power=0.9)),
        ("at 95% confidence with 85% power", TestSettings(alpha=0.05, power=0.85)),
        ("an A/B/C/D test", TestSettings(variants=4)),
        ("four variants at significance level 10%", TestSettings(alpha=0.1, variants=4)),
        ("显著性水平0.01，功效80%，分三组", TestSettings(alpha=0.01, power=0.8, variants=3)),
        ("置信度90%，5个版本", TestSettings(alpha=0.1, variants=5)),
        ("每组多少人", TestSettings()),
    ],
)
def test_test_settings_are_read(question: str, settings: TestSettings) -> None:
    assert read_test_settings(question) == settings


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "our CTR is ~2.5%, want to catch a +0.5 pts change, how many users per arm?",
            {"baseline_rate": 0.025, "minimum_detectable_effect": 0.005, "relative": False},
        ),
        (
            "4 variants, 10% open rate, detect 2 points at 90% power - how many each?",
            {
                "baseline_rate": 0.1,
                "minimum_detectable_effect": 0.02,
                "relative": False,
                "variants": 4,
                "power": 0.9,
            },
        ),
        (
            "转化率6%，MDE 2个点，显著性水平1%，每组多少人",
            {
                "baseline_rate": 0.06,
                "minimum_detectable_effect": 0.02,
                "relative": False,
                "alpha": 0.01,
            },
        ),
        (
            "三个版本，基线点击率8%，想发现10%的相对提升，每组需要多少样本",
            {"baseline_rate": 0.08, "minimum_detectable_effect": 0.1, "variants": 3},
        ),
    ],
)
def test_sample_size_questions_use_every_stated_setting(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    tool, args = _last_call(planner, [question])
    assert tool == "ab_sample_size"
    assert {k: pytest.approx(v) for k, v in args.items()} == expected


# --- a total after a full breakdown; the same span a year back from the as-of date ---


@pytest.mark.parametrize(
    "turns",
    [
        ["orders by city last month", "ok and the total?"],
        ["AOV by channel in 2025", "what's that overall, in total?"],
        ["上个月各渠道的销售额", "合计多少"],
        ["今年各品类订单数", "加起来一共多少"],
    ],
)
def test_a_total_after_a_full_breakdown_drops_the_breakdown(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics"
    assert args == {k: v for k, v in first.items() if k != "dimensions"}


@pytest.mark.parametrize(
    "turns",
    [
        ["上个月各品类销售额", "那去年同一个月呢"],
        ["revenue by channel last month", "and the same month a year earlier?"],
        ["last month's orders", "same month last year?"],
    ],
)
def test_the_same_span_a_year_back_counts_from_the_as_of_date(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    dated = planner.model_copy(update={"as_of": date(2026, 11, 1)})
    tool, args = _last_call(dated, turns)
    assert tool == "query_metrics"
    assert args["time_range"] == "2025-10-01 to 2025-10-31"


@pytest.mark.parametrize(
    ("question", "effect"),
    [
        ("baseline 4%, MDE one point: how many do we need per arm?", 0.01),
        ("we convert 3% now; to see half a percentage point more, how many each?", 0.005),
        ("做AB测试要多少人？基准点击率5%，MDE 2个点", 0.02),
    ],
)
def test_sample_size_effects_in_words_and_short_forms(
    planner: OfflinePlanner, question: str, effect: float
) -> None:
    tool, args = _last_call(planner, [question])
    assert tool == "ab_sample_size"
    assert args["minimum_detectable_effect"] == pytest.approx(effect)
    assert args["relative"] is False


# --- the next step on the segment just discussed ("再导出短信名单", "now write an SMS") ---


@pytest.mark.parametrize(
    ("turns", "tool", "args"),
    [
        (
            ["profile the At Risk segment", "now write an SMS"],
            "generate_copy",
            {"segments": ["At Risk"], "channel": "sms"},
        ),
        (
            ["describe the Champions segment", "再导出短信名单"],
            "export_audience",
            {"segment": "Champions", "channel": "sms"},
        ),
        (
            ["describe the Champions segment", "然后写一条邮件文案"],
            "generate_copy",
            {"segments": ["Champions"], "channel": "email"},
        ),
        (
            ["profile the At Risk segment", "then export it for email"],
            "export_audience",
            {"segment": "At Risk", "channel": "email"},
        ),
    ],
)
def test_the_next_step_applies_to_the_segment_just_discussed(
    planner: OfflinePlanner, turns: list[str], tool: str, args: dict[str, Any]
) -> None:
    assert _last_call(planner, turns) == (tool, args)


def test_a_next_step_that_names_its_own_segment_is_read_afresh(planner: OfflinePlanner) -> None:
    turns = ["profile the At Risk segment", "now export the Champions for SMS"]
    assert _last_call(planner, turns) == (
        "export_audience",
        {"segment": "Champions", "channel": "sms"},
    )


# --- round 9: a figure set beside another period, and the span just before the one answered ---


@pytest.mark.parametrize(
    "turns",
    [
        ["revenue in March", "show it alongside a year earlier"],
        ["orders in Q2", "put that next to the same quarter last year"],
        ["buyers in 2025", "line it up against the year before"],
        ["5月的客单价", "和去年同期放在一起看"],
    ],
)
def test_a_figure_set_beside_a_year_earlier_is_compared_not_replaced(
    planner: OfflinePlanner, turns: list[str]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics"
    assert args["time_range"] == first["time_range"], "the asked period stays"
    assert args["compare_to"] in {"last year", "去年同期"}


@pytest.mark.parametrize(
    ("turns", "period"),
    [
        (["revenue by city in Q2", "same for the quarter before"], "2026-01-01 to 2026-03-31"),
        (["AOV in August", "and the month prior?"], "2026-07-01 to 2026-07-31"),
        (["orders in 2025", "the preceding year?"], "2024-01-01 to 2024-12-31"),
        (["6月的订单数", "再往前一个月呢"], "2026-05-01 to 2026-05-31"),
    ],
)
def test_the_unit_just_before_counts_back_from_the_period_answered(
    planner: OfflinePlanner, turns: list[str], period: str
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics"
    assert args["time_range"] == period
    assert args["metrics"] == first["metrics"]
    assert args.get("dimensions") == first.get("dimensions")
    assert "compare_to" not in args


def test_versus_the_unit_before_compares_with_the_previous_period(planner: OfflinePlanner) -> None:
    tool, args = _last_call(planner, ["makeup orders last month", "vs the month before?"])
    assert tool == "query_metrics" and args["time_range"] == "last month"
    assert args["compare_to"] == "previous period"


# A follow-up opened by a nod to the answer just given ("alright, ...", "好的，..."): the
# follow-up starts after it, never a fresh question to refuse (lexicon
# reader_words.acknowledgement).
@pytest.mark.parametrize(
    ("turns", "filters"),
    [
        (["orders in September", "okay and only Beijing?"], {"city": ["北京"]}),
        (["orders in September", "alright, what about the app?"], {"channel": ["app"]}),
        (["上个月的订单数", "好的，那北京呢"], {"city": ["北京"]}),
    ],
)  # fmt: skip
def test_a_follow_up_after_a_nod_keeps_the_previous_query(
    planner: OfflinePlanner, turns: list[str], filters: dict[str, list[str]]
) -> None:
    first = _converse(planner, turns[:1])[0].tool_calls[0]["args"]
    tool, args = _last_call(planner, turns)
    assert tool == "query_metrics", args
    assert args["metrics"] == first["metrics"] and args["time_range"] == first["time_range"]
    assert args["filters"] == filters
