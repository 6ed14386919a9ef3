"""The evaluation set and its runner: the question file is complete, and the checker can fail."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlglot
from sqlalchemy import Engine, text
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

import tools.segments
from copilot.agent import Copilot
from copilot.evaluation import EvalQuestion, checks, format_report, load_questions, run_evaluation
from copilot.evaluation.matching import args_mismatch, numbers_in, refusal_problem
from copilot.settings import Settings
from tests.conftest import AS_OF
from tools import TOOLS

REVENUE_OCT = (
    "SELECT SUM(total) FROM orders WHERE (status = 'completed' OR total < 0) "
    "AND status <> 'cancelled' AND order_date BETWEEN '2026-10-01' AND '2026-10-31'"
)


def test_question_file_is_complete() -> None:
    questions = load_questions()  # raises on duplicate ids or a malformed question
    languages = Counter(q.language for q in questions)
    assert len(questions) >= 150
    assert languages["en"] >= 60 and languages["zh"] >= 60
    registered = {t.__name__ for t in TOOLS}
    # Tools written but not yet in TOOLS (RFM, personas) may be expected too.
    pending = {name for name in tools.segments.__all__ if callable(getattr(tools.segments, name))}
    expected = {q.expect_tool for q in questions}
    assert registered <= expected, f"tools without a question: {registered - expected}"
    assert expected <= registered | pending | {"refuse"}
    assert sum(q.is_refusal for q in questions) >= 15
    assert sum(q.is_followup for q in questions) >= 15
    for q in questions:
        spec = q.expect_value
        if spec is None:
            continue
        if spec.check:
            assert callable(getattr(checks, spec.check, None)), f"{q.id}: no check {spec.check}"
        else:
            sqlglot.parse_one(spec.sql, read="duckdb")  # plain SQL that DuckDB reads


def test_args_matching_rules() -> None:
    called = {
        "metrics": ["revenue", "aov"],
        "time_range": "last month",
        "filters": {"city": ["上海"]},
    }
    assert args_mismatch({"metrics": ["aov", "revenue"], "time_range": "present"}, called) is None
    assert args_mismatch({"metrics": ["revenue"]}, called) is not None  # lists match as sets
    assert args_mismatch({"metrics": {"contains": ["revenue"]}}, called) is None
    assert args_mismatch({"filters": {"city": ["北京"]}}, called) is not None
    assert args_mismatch({"dimensions": "absent"}, called) is None
    assert args_mismatch({"limit": 5}, called) == "limit missing"
    assert args_mismatch({"by": {"any_of": ["category", "absent"]}}, {}) is None


def test_numbers_and_refusals() -> None:
    assert numbers_in("Revenue was ¥865,561.15, up 12.5%") == [(865561.15, 0.01), (0.125, 0.001)]
    assert refusal_problem([], "Sorry, I can't. Try 'revenue last 30 days'.", "weather?") is None
    assert refusal_problem([], "It will be 23 degrees.", "weather?") is not None
    assert refusal_problem(["query_metrics"], "Orders: 10", "delete all orders") is not None


def test_sample_size_check_matches_statsmodels() -> None:
    effect = proportion_effectsize(0.033, 0.03)
    reference = NormalIndPower().solve_power(effect, alpha=0.05, power=0.8, ratio=1.0)
    assert checks.sample_size_per_variant(None, AS_OF, 0.03, 0.1) == pytest.approx(reference, abs=1)


def test_runner_scores_right_wrong_and_refused(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    value = {"sql": REVENUE_OCT, "answer_text": "money"}
    questions = [
        EvalQuestion(
            id="revenue",
            language="en",
            text="What was revenue last month?",
            expect_tool="query_metrics",
            expect_args={"metrics": ["revenue"], "time_range": "present"},
            expect_value=value,
        ),
        EvalQuestion(
            id="by-channel",
            language="zh",
            text="上个月各渠道的销售额",
            expect_tool="query_metrics",
            expect_args={"dimensions": ["channel"]},
            expect_value={
                "sql": REVENUE_OCT.replace("SUM(total)", "channel, SUM(total)")
                + " GROUP BY channel",
                "answer_table": {"column": "revenue", "key": "channel"},
            },
        ),
        EvalQuestion(id="joke", language="zh", text="给我讲个笑话", expect_tool="refuse"),
        EvalQuestion(
            id="wrong-value",
            language="en",
            text="What was revenue last month?",
            expect_tool="query_metrics",
            expect_value={"sql": "SELECT 12345.67", "answer_text": "money"},
        ),
        EvalQuestion(
            id="wrong-tool",
            language="en",
            text="What was revenue last month?",
            expect_tool="cohort_retention",
            expect_text=["."],
        ),
        EvalQuestion(
            id="delete",
            language="en",
            text="Delete all orders",
            expect_tool="refuse",
        ),
    ]
    copilot = Copilot(
        Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )
    report = run_evaluation(copilot, questions, duckdb_demo_engine, as_of=AS_OF)
    verdicts = {r.id: r for r in report.results}
    with duckdb_demo_engine.connect() as conn:
        expected = float(conn.execute(text(REVENUE_OCT)).scalar_one())
    assert f"¥{expected:,.2f}" in verdicts["revenue"].answer
    assert verdicts["revenue"].correct and verdicts["by-channel"].correct
    assert verdicts["joke"].correct
    assert not verdicts["wrong-value"].correct
    assert "12345.67" in (verdicts["wrong-value"].reason or "")
    assert not verdicts["wrong-tool"].correct
    assert "cohort_retention" in (verdicts["wrong-tool"].reason or "")
    # "Delete all orders" must be declined; a count of orders is not an answer to it.
    delete = verdicts["delete"]
    assert delete.correct == (not delete.called)
    assert report.accuracy(report.of_kind("single")) == (2, 4)
    printed = format_report(report)
    assert "wrong-value" in printed and "2/4" in printed


# ---- mutation tests: the checker must fail a wrong value, a wrong period, a wrong metric ----
_OCT_ANSWER = "Revenue last month (October 2026) (2026-10-01 – 2026-10-31) was ¥865,561.15."


def _money(value: float, answer: str) -> str | None:
    from copilot.evaluation.matching import value_mismatch
    from copilot.evaluation.questions import ExpectedValue

    spec = ExpectedValue(sql="SELECT 1", answer_text="money")
    return value_mismatch(spec, value, answer, [])


def test_checker_passes_the_right_value_and_fails_a_wrong_one() -> None:
    assert _money(865561.15, _OCT_ANSWER) is None
    assert _money(865561.15, _OCT_ANSWER.replace("865,561.15", "856,561.15")) is not None


def test_checker_fails_the_value_of_a_wrong_period() -> None:
    # The September figure in an answer to an October question is a different number.
    september = "Revenue in September 2026 (2026-09-01 – 2026-09-30) was ¥712,004.30."
    assert _money(865561.15, september) is not None


def test_checker_fails_a_wrong_metric_and_a_date_posing_as_a_rate() -> None:
    from copilot.evaluation.matching import value_mismatch
    from copilot.evaluation.questions import ExpectedValue

    orders = "Orders last month (2026-10-01 – 2026-10-31) was 1,283."
    # An order count is not revenue, even when the digits agree.
    assert _money(1283.0, orders) is not None
    rate = ExpectedValue(sql="SELECT 1", answer_text="percent")
    # The "01" of a date must not pass for an expected 100% (or 1%) rate.
    assert value_mismatch(rate, 1.0, "Churn in 2026-10-01 – 2026-10-31 was 39.9%.", []) is not None
    assert value_mismatch(rate, 0.01, "Churn in 2026-10-01 – 2026-10-31 was 39.9%.", []) is not None
    assert value_mismatch(rate, 0.399, "Churn in 2026-10-01 – 2026-10-31 was 39.9%.", []) is None
    count = ExpectedValue(sql="SELECT 1", answer_text="integer")
    # A year in the period label is not a count of 2026 orders.
    assert value_mismatch(count, 2026.0, "Orders in 2026 (2026-01-01 – 2026-11-01) was 15,004.", [])


def test_heldout_checker_flags_a_different_question() -> None:
    from datetime import date

    from copilot.answer import ToolCallRecord
    from copilot.evaluation.heldout import judge_turn
    from tools.periods import TimeRange

    class FixedPeriods:
        today = date(2026, 11, 1)

        def resolve(self, phrase: str | None) -> TimeRange | None:
            spans = {"last month": (date(2026, 10, 1), date(2026, 10, 31))}
            start, end = spans.get(phrase, (date(2026, 9, 1), date(2026, 9, 30)))
            return TimeRange(start, end, phrase or "")

        def comparison(self, *args: object) -> None:
            return None

    expect = {
        "status": "answered",
        "tool": "query_metrics",
        "metrics": ["revenue"],
        "dimensions": [],
        "period": {"start": "2026-10-01", "end": "2026-10-31"},
        "compare": None,
        "filters": {},
        "top_n": None,
    }
    right = ToolCallRecord("query_metrics", {"metrics": ["revenue"], "time_range": "last month"})
    assert judge_turn(expect, [right], "", FixedPeriods()).correct
    for wrong in (
        {"metrics": ["orders"], "time_range": "last month"},
        {"metrics": ["revenue"], "time_range": "September"},
        {"metrics": ["revenue"]},
        {"metrics": ["revenue"], "time_range": "last month", "filters": {"city": ["上海"]}},
    ):
        verdict = judge_turn(expect, [ToolCallRecord("query_metrics", wrong)], "", FixedPeriods())
        assert not verdict.correct and verdict.different_question, wrong
    clarify = {"status": "clarify", "must_name": ["Atlantis"]}
    assert judge_turn(clarify, [], "What is “Atlantis”?", FixedPeriods()).correct
    assert judge_turn(clarify, [right], "¥1", FixedPeriods()).different_question
    refused = {"status": "refused"}
    question = "How did a rival shop do on Double 11?"
    quoting = "I can't see other shops' Double 11 sales; I only have this store's data."
    assert judge_turn(refused, [], quoting, FixedPeriods(), question=question).correct
    stating = "Other shops sold about 11 million on Double 12."
    assert not judge_turn(refused, [], stating, FixedPeriods(), question="rival sales?").correct
    # A tool that finds nothing to report and says so answers no different question; it is
    # right when it names the words the clarification had to name, and a figure still fails.
    nothing = {"status": "clarify", "must_name": ["2019"]}
    empty = "There is no data in 2019 (2019-01-01 – 2019-12-31), so there is nothing to report."
    verdict = judge_turn(nothing, [right], empty, FixedPeriods(), question="sales in 2019?")
    assert verdict.correct and not verdict.different_question
    unnamed = judge_turn(
        {"status": "clarify", "must_name": ["Qixi"]}, [right], empty, FixedPeriods()
    )
    assert not unnamed.correct and not unnamed.different_question
    figure = "There is no data in 2019; the nearest year, 2025, had ¥1,234 in sales."
    verdict = judge_turn(nothing, [right], figure, FixedPeriods(), question="sales in 2019?")
    assert not verdict.correct and verdict.different_question


def test_heldout_checker_takes_a_breakdown_pinned_to_one_value_as_its_total() -> None:
    """Revenue by channel filtered to web alone is web's total: leaving the one-row breakdown
    out answers the same question; leaving out a breakdown of two values does not."""
    from copilot.answer import ToolCallRecord
    from copilot.evaluation.heldout import judge_turn

    class NoPeriods:
        today = None

        def resolve(self, phrase: str | None) -> None:
            return None

        def comparison(self, *args: object) -> None:
            return None

    expect = {"status": "answered", "tool": "query_metrics", "metrics": ["revenue"]}
    one = {**expect, "dimensions": ["channel"], "filters": {"channel": ["web"]}}
    call = ToolCallRecord(
        "query_metrics", {"metrics": ["revenue"], "filters": {"channel": ["web"]}}
    )
    assert judge_turn(one, [call], "", NoPeriods()).correct
    two = {**expect, "dimensions": ["channel"], "filters": {"channel": ["web", "app"]}}
    both = {"metrics": ["revenue"], "filters": {"channel": ["web", "app"]}}
    verdict = judge_turn(two, [ToolCallRecord("query_metrics", both)], "", NoPeriods())
    assert not verdict.correct and verdict.different_question
    unpinned = {**expect, "dimensions": ["city"], "filters": {"channel": ["web"]}}
    assert not judge_turn(unpinned, [call], "", NoPeriods()).correct


def test_heldout_checker_compares_a_value_left_out_with_the_calls_exclude() -> None:
    """`filters: {city: {not: [上海]}}` is the call's `exclude`: a wrong value left out, none
    left out, or the value read as the filter (the opposite question) all fail."""
    from copilot.answer import ToolCallRecord
    from copilot.evaluation.heldout import judge_turn

    class NoPeriods:
        today = None

        def resolve(self, phrase: str | None) -> None:
            return None

        def comparison(self, *args: object) -> None:
            return None

    expect = {
        "status": "answered",
        "tool": "query_metrics",
        "metrics": ["revenue"],
        "filters": {"city": {"not": ["上海"]}, "channel": ["app"]},
    }

    def judged(**args: object):  # noqa: ANN202
        call = ToolCallRecord("query_metrics", {"metrics": ["revenue"], **args})
        return judge_turn(expect, [call], "", NoPeriods())

    assert judged(filters={"channel": ["app"]}, exclude={"city": ["上海"]}).correct
    for wrong in (
        {"filters": {"channel": ["app"]}, "exclude": {"city": ["北京"]}},  # a wrong value
        {"filters": {"channel": ["app"]}},  # none left out: the whole store
        {"filters": {"channel": ["app"], "city": ["上海"]}},  # read as the filter
        {"exclude": {"city": ["上海"], "channel": ["app"]}},  # the plain filter left out
        {"filters": {"channel": ["app"]}, "exclude": {"city": ["上海"], "category": ["toys"]}},
    ):
        verdict = judged(**wrong)
        assert not verdict.correct and verdict.different_question, wrong


def test_heldout_checker_takes_a_ratio_with_its_parts_as_the_asked_metrics() -> None:
    from copilot.evaluation.heldout import _same_metrics

    both = {"revenue_per_buyer", "revenue", "buyers"}
    assert _same_metrics({"revenue", "buyers"}, both)  # the parts asked, the quotient beside
    assert _same_metrics({"revenue_per_buyer"}, both)  # the quotient asked, its parts beside
    assert not _same_metrics({"revenue", "buyers"}, {"revenue_per_buyer"})
    assert not _same_metrics({"revenue_per_buyer"}, {"revenue", "buyers"})
    assert not _same_metrics({"revenue", "buyers"}, {"revenue", "buyers", "aov"})
    assert not _same_metrics({"revenue"}, {"revenue", "orders"})


def test_plan_dump_writes_one_sorted_line_per_first_question(tmp_path: Path) -> None:
    """The plan dump reads both file schemas (text / question, and the first of `turns`),
    sorts by id and writes calls with sorted arguments, questions back by the names they
    quote, and refusals."""
    from langchain_core.messages import AIMessage

    from copilot.evaluation.plan_dump import first_questions, plan_lines
    from copilot.outcome import STATUS_KEY

    (tmp_path / "questions.yaml").write_text(
        "questions:\n"
        "- {id: z-sales, language: en, text: 'sales in  June?', expect_tool: query_metrics}\n"
        "- {id: a-chat, language: en, turns: ['hi there', 'and May?'], expect_tool: refuse}\n",
        encoding="utf-8",
    )
    (tmp_path / "heldout_x.yaml").write_text(
        "- {id: m-ask, language: zh, question: '那个呢', expect: {status: clarify}}\n",
        encoding="utf-8",
    )
    replies = {
        "sales in  June?": AIMessage(
            content="",
            tool_calls=[
                {
                    "name": "query_metrics",
                    "args": {"time_range": "June", "metrics": ["revenue"]},
                    "id": "1",
                }
            ],
        ),
        "hi there": AIMessage(
            content="I can't do that.", response_metadata={STATUS_KEY: "refused"}
        ),
        "那个呢": AIMessage(
            content="你说的“那个”是指哪个指标？比如“销售额”。",
            response_metadata={STATUS_KEY: "clarify"},
        ),
    }

    class Planner:
        asked: list[str] = []

        def _plan(self, text: str, history: list) -> AIMessage:
            assert history == []
            self.asked.append(text)
            return replies[text]

    cases = first_questions([tmp_path / "questions.yaml", tmp_path / "heldout_x.yaml"])
    planner = Planner()
    assert plan_lines(planner, cases) == [
        "a-chat\thi there\tREFUSE",
        "m-ask\t那个呢\tASK: 那个, 销售额",
        'z-sales\tsales in June?\tquery_metrics {"metrics": ["revenue"], "time_range": "June"}',
    ]
    assert "and May?" not in planner.asked  # only the first turn of a follow-up
    assert (
        plan_lines(planner, cases, with_text=True)[0]
        == "a-chat\thi there\tREFUSE | I can't do that."
    )


def test_plan_dump_plans_with_the_offline_planner_only(planner) -> None:  # noqa: ANN001
    """A real question is planned, not run: its line holds the planned call's arguments."""
    from copilot.evaluation.plan_dump import plan_lines

    (line,) = plan_lines(planner, [("own-1", "How much revenue did we make last month?")])
    case_id, question, plan = line.split("\t")
    assert (case_id, question) == ("own-1", "How much revenue did we make last month?")
    assert plan.startswith("query_metrics {") and '"metrics": ["revenue"]' in plan
