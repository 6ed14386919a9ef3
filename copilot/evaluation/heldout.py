"""The held-out paraphrase evaluation: questions written by someone who never saw the planner.

The file (`heldout_paraphrases.yaml`, kept verbatim) uses its author's own
schema: `expect: {status, tool, metrics, dimensions, period{start,end},
compare, filters, top_n, args}` (clarify cases: `must_name`; a filter's values
are kept, `filters: {city: [上海]}`, or left out, `filters: {city: {not: [上海]}}`,
compared with the call's `filters` and `exclude`), follow-ups have
`turns` and one `expects` entry per turn. This module asks every case through
the copilot and judges:

- status: answered (a tool was called), clarify (no tool, the answer names every
  `must_name` word), refused (no tool, no figure of its own);
- tool;
- for query_metrics: metrics, dimensions, the resolved period and comparison,
  filters, values left out and top N, each compared exactly (sets for lists);
- for other tools: the `segment` and `channel` arguments and an A/B baseline,
  when the case gives them (the author's other argument names have no fixed
  mapping to the tools' parameters and are not judged).

An answer that calls a tool but gets the tool, a metric, the period or a filter
wrong "answered a different question": counted apart, because that is worse
than a refusal.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from copilot.evaluation.matching import numbers_in, stated_figures

ONE_DAY = timedelta(days=1)
HELDOUT_FILE = Path(__file__).with_name("heldout_paraphrases.yaml")
_SAME_PERIOD_LAST_YEAR = "same_period_last_year"
_PREVIOUS_PERIOD = "previous_period"
# Tool names of the held-out file that differ from the project's.
_TOOL_ALIASES = {"rfm_segments": "rfm_segments", "customer_personas": "customer_personas"}


@dataclass
class TurnVerdict:
    """The judgement of one turn: right or not, and whether it answered a different question."""

    correct: bool
    reason: str | None = None
    different_question: bool = False


@dataclass
class CaseResult:
    """One held-out case (all its turns), as the report shows it."""

    id: str
    intent: str
    language: str
    status: str
    correct: bool
    different_question: bool
    reasons: list[str] = field(default_factory=list)
    calls: list[list[dict[str, Any]]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


def load_heldout(path: Path | None = None) -> list[dict[str, Any]]:
    """The held-out cases as written (a YAML list)."""
    return yaml.safe_load((path or HELDOUT_FILE).read_text(encoding="utf-8")) or []


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _set(values: Any) -> set[str]:
    if values is None:
        return set()
    if not isinstance(values, list):
        values = [values]
    return {str(v).strip().lower() for v in values}


_SPELLING_GAPS = re.compile(r"[\s\-‐‑–—_]+")


def names_word(answer: str, word: str | int) -> bool:
    """Whether `answer` names `word` as a person would write it: case, spaces and hyphens
    aside ("mid autumn" names "Mid-Autumn", "Win back" names "win-back"); any other
    difference, a word left out or spelt otherwise, does not. A bare year or number in a
    set's YAML (`must_name: [2024]`) is read as an int and means its digits."""
    return _SPELLING_GAPS.sub("", str(word).lower()) in _SPELLING_GAPS.sub("", answer.lower())


def judge_turn(
    expect: dict[str, Any],
    calls: list[Any],
    answer: str,
    periods: Any,
    note: str = "",
    question: str = "",
) -> TurnVerdict:
    """Judge one turn. `calls` are ToolCallRecords; `periods` resolves phrases (tools.periods.Periods).

    A refusal may repeat a number of the `question` ("Double 11") without stating a figure of its own.
    """
    status = expect.get("status")
    called = [c for c in calls if not c.error] or calls
    if status in ("clarify", "refused"):
        missing = [w for w in expect.get("must_name") or [] if not names_word(answer, w)]
        if called:
            names = ", ".join(c.name for c in called)
            if status == "clarify" and not _figures_of_its_own(answer, question):
                # A tool that found nothing to report ("no data in 2023", "no SMS campaign ran
                # then") and says so states no number: no different question is answered.
                # Right when it names the words the clarification had to name.
                if not missing:
                    return TurnVerdict(True)
                return TurnVerdict(False, f"{names} stated no figure but does not name {missing}")
            return TurnVerdict(False, f"called {names} instead of {status}", True)
        if status == "clarify":
            if missing:
                return TurnVerdict(False, f"the clarification does not name {missing}")
            return TurnVerdict(True)
        quoted = {v for v, _ in numbers_in(question)}
        figures = [v for v, _ in numbers_in(answer) if v not in quoted]
        return TurnVerdict(not figures, f"the refusal states {figures[:3]}" if figures else None)
    if not called:
        return TurnVerdict(False, "no tool called (declined or asked back)")
    tool = _TOOL_ALIASES.get(expect.get("tool", ""), expect.get("tool"))
    calls_of_tool = [c for c in called if c.name == tool]
    if not calls_of_tool:
        return TurnVerdict(False, f"called {[c.name for c in called]}, expected {tool}", True)
    call = calls_of_tool[-1]
    if call.error:
        return TurnVerdict(False, f"{tool} failed: {call.error}")
    problem = (
        _metric_problem(expect, call.args, periods, note)
        if tool == "query_metrics"
        else _args_problem(expect.get("args") or {}, call.args)
    )
    if problem:
        return TurnVerdict(False, problem, True)
    return TurnVerdict(True)


def _same_dimensions(want: set[str], got: set[str], filters: dict[str, Any]) -> bool:
    """The asked breakdowns; a breakdown by a dimension the call filters to one value may be
    left out ("and just web?" after revenue by channel): its one row is the total given."""
    pinned = {d for d, v in filters.items() if isinstance(v, list) and len(v) == 1}
    return got == want or (got <= want and want - got <= pinned)


def _figures_of_its_own(answer: str, question: str) -> list[float]:
    """Numbers the answer states beyond dates, period labels and the question's own numbers."""
    quoted = {v for v, _ in numbers_in(question)}
    return [v for v, _ in stated_figures(answer, "any") if v not in quoted]


def _same_period(period: Any, start: date | None, end: date | None, today: date, note: str) -> bool:
    """Equal dates; or a running period cut at today when the case cut it the day before
    (the demo data ends the day before today, so both hold the same orders); or, where the
    case's note allows a documented window, a window containing the expected days."""
    if (period.start, period.end) == (start, end):
        return True
    cut = period.end in (today, today - ONE_DAY)
    if period.start == start and end is not None and cut and end >= today - ONE_DAY:
        # "2026" asked on 2026-11-01 runs to today (shown to the data's last day, the day
        # before): the same orders as the full year.
        return True
    allowed = "window" in note.lower() and start is not None and end is not None
    return allowed and period.start <= start and end <= period.end


@cache
def _ratio_parts() -> dict[str, frozenset[str]]:
    """The shipped semantic model's ratio metrics and their two parts."""
    from knowledge.semantic.model import load_semantic_model

    model = load_semantic_model()
    return {name: frozenset(m.ratio) for name, m in model.metrics.items() if m.ratio}


def _same_metrics(want: set[str], got: set[str]) -> bool:
    """Every asked metric, and beside them only a ratio of asked metrics or a part of an asked
    ratio: "revenue per buyer" answered as the quotient with its two parts is the question
    asked whether the case expects the quotient or (written before the metric existed) its
    parts. A ratio alone for its parts, or parts alone for a ratio, is not."""
    if not want <= got:
        return False
    ratios = _ratio_parts()
    asked_parts = {p for w in want for p in ratios.get(w, ())}
    return all(m in asked_parts or ratios.get(m, {""}) <= want for m in got - want)


def _metric_problem(
    expect: dict[str, Any], args: dict[str, Any], periods: Any, note: str = ""
) -> str | None:
    if "metrics" in expect and not _same_metrics(
        _set(expect["metrics"]), _set(args.get("metrics"))
    ):
        return f"metrics {args.get('metrics')} != {expect['metrics']}"
    if "dimensions" in expect and not _same_dimensions(
        _set(expect["dimensions"]), _set(args.get("dimensions")), args.get("filters") or {}
    ):
        return f"dimensions {args.get('dimensions')} != {expect['dimensions']}"
    if expect.get("top_n") is not None and args.get("limit") != expect["top_n"]:
        return f"top_n {args.get('limit')} != {expect['top_n']}"
    if "top_n" in expect and expect["top_n"] is None and args.get("limit") is not None:
        return f"top_n {args.get('limit')} not asked"
    problem = _filters_problem(
        expect.get("filters"), args.get("filters") or {}, args.get("exclude") or {}
    )
    if problem:
        return problem
    period = periods.resolve(args.get("time_range")) if args.get("time_range") else None
    want = expect.get("period")
    if want:
        start, end = _as_date(want.get("start")), _as_date(want.get("end"))
        if period is None:
            return f"no period, expected {start}..{end}"
        if not _same_period(period, start, end, periods.today, note):
            return f"period {period.start}..{period.end} != {start}..{end}"
    if "compare" in expect:
        compared = periods.comparison(args.get("time_range"), args.get("compare_to"), period)
        return _compare_problem(expect["compare"], period, compared)
    return None


def _filters_problem(
    want: Any, got: dict[str, list[str]], excluded: dict[str, list[str]] | None = None
) -> str | None:
    """The filters asked (`{city: [上海]}`, the call's `filters`) and the values left out
    (`{city: {not: [上海]}}`, the call's `exclude`) against the call's: a value left out
    read as the filter answers the opposite question; one dropped, the whole store."""
    want = want or {}
    excluded = excluded or {}
    left_out = {k: v["not"] for k, v in want.items() if isinstance(v, dict) and "not" in v}
    kept = {k: v for k, v in want.items() if k not in left_out}
    concrete = {k: v for k, v in kept.items() if not (isinstance(v, str) and v.startswith("<"))}
    for key, value in concrete.items():
        if _set(value) != _set(got.get(key)):
            return f"filter {key}={got.get(key)} != {value}"
    extra = [k for k in got if k not in kept]
    if extra:
        read_as_kept = [k for k in extra if k in left_out]
        if read_as_kept:
            return f"filter {read_as_kept[0]}={got[read_as_kept[0]]}, asked to leave it out"
        return f"unasked filters {extra}"
    for key, value in left_out.items():
        if _set(value) != _set(excluded.get(key)):
            return f"exclude {key}={excluded.get(key)} != not {value}"
    extra = [k for k in excluded if k not in left_out]
    if extra:
        return f"unasked exclusions {extra}"
    return None


def _compare_problem(want: Any, period: Any, compared: Any) -> str | None:
    if want is None:
        return None if compared is None else f"compared with {compared.start}..{compared.end}"
    if compared is None:
        return f"no comparison, expected {want}"
    if want == _SAME_PERIOD_LAST_YEAR:
        ok = period is not None and compared.start.year == period.start.year - 1
        ok = ok and (compared.start.month, compared.start.day) == (
            period.start.month,
            period.start.day,
        )
        return None if ok else f"compared with {compared.start}..{compared.end}, not a year before"
    if want == _PREVIOUS_PERIOD:
        ok = period is not None and (period.start - compared.end).days == 1
        return (
            None if ok else f"compared with {compared.start}..{compared.end}, not the period before"
        )
    if isinstance(want, dict):
        start, end = _as_date(want.get("start")), _as_date(want.get("end"))
        if (compared.start, compared.end) != (start, end):
            return f"compared with {compared.start}..{compared.end} != {start}..{end}"
    return None


def _args_problem(want: dict[str, Any], got: dict[str, Any]) -> str | None:
    """The few author arguments with a fixed meaning: segment, channel, A/B baseline."""
    segment = want.get("segment") if {"segment", "name", "segments"} & set(got) else None
    # Descriptions ("the predicted churners (or At Risk)", "<...>") are for a human reader.
    if isinstance(segment, str) and not re.search(r"[<(]|^(?:the|same|all) ", segment, re.I):
        listed = got.get("segments") or []
        listed = [listed] if isinstance(listed, str) else listed
        shown = [got.get("segment"), got.get("name"), *listed]
        if segment.lower() not in {str(s).lower() for s in shown if s}:
            return f"segment {shown} != {segment}"
    if "channel" in want and isinstance(want["channel"], str) and "channel" in got:
        if str(got["channel"]).lower() != want["channel"].lower():
            return f"channel {got['channel']} != {want['channel']}"
    if isinstance(want.get("baseline"), int | float) and "baseline_rate" in got:
        if abs(float(got["baseline_rate"]) - float(want["baseline"])) > 1e-9:
            return f"baseline {got['baseline_rate']} != {want['baseline']}"
    return None


def run_heldout(copilot: Any, cases: list[dict[str, Any]], periods: Any) -> list[CaseResult]:
    """Ask every case (turns in one conversation) and judge every turn."""
    results = []
    for case in cases:
        turns = case.get("turns") or [case["question"]]
        expects = case.get("expects") or [case["expect"]]
        conversation = f"heldout-{case['id']}-{uuid.uuid4().hex[:6]}"
        result = CaseResult(
            id=case["id"],
            intent=case["intent"],
            language=case["language"],
            status=expects[-1].get("status", "answered"),
            correct=True,
            different_question=False,
        )
        for turn, expect in zip(turns, expects, strict=False):
            answer = copilot.ask(turn, conversation)
            verdict = judge_turn(
                expect, answer.tool_calls, answer.text, periods, str(case.get("note") or ""), turn
            )
            result.calls.append([{"name": c.name, "args": c.args} for c in answer.tool_calls])
            result.answers.append(answer.text)
            if not verdict.correct:
                result.correct = False
                result.different_question |= verdict.different_question
                result.reasons.append(f"turn {len(result.answers)}: {verdict.reason}")
        results.append(result)
    return results


def summary_markdown(results: list[CaseResult], title: str) -> str:
    """Accuracy per intent and language, in-scope / out-of-scope, and the different-question count."""
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups[f"{r.intent} ({r.language})"].append(r)
    in_scope = [r for r in results if r.status != "refused"]
    refused = [r for r in results if r.status == "refused"]
    different = [r for r in results if r.different_question]

    def rate(rs: list[CaseResult]) -> str:
        right = sum(r.correct for r in rs)
        return f"{right}/{len(rs)} ({right / len(rs):.0%})" if rs else "0/0"

    lines = [
        f"### {title}",
        "",
        f"- all cases: {rate(results)}",
        f"- in scope (answer or clarify): {rate(in_scope)}",
        f"- out of scope refused: {rate(refused)}",
        f"- answered a different question (wrong tool / metric / period / filter, or a tool "
        f"called where a clarification or refusal was due): **{len(different)}**",
        "",
        "| intent (language) | right |",
        "|---|---|",
    ]
    lines += [f"| {name} | {rate(rs)} |" for name, rs in sorted(groups.items())]
    return "\n".join(lines) + "\n"


def failures_markdown(results: list[CaseResult]) -> str:
    """One line per wrong case: id, why, what was called."""
    lines = []
    for r in results:
        if r.correct:
            continue
        flag = " **(different question)**" if r.different_question else ""
        calls = "; ".join(f"{c['name']}" for turn in r.calls for c in turn) or "no tool"
        reason = re.sub(r"\s+", " ", " / ".join(r.reasons))[:220]
        lines.append(f"- `{r.id}`{flag}: {reason} [{calls}]")
    return "\n".join(lines) + "\n"
