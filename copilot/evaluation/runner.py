"""Running the evaluation: ask every question, judge the answer, collect the figures."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np
from sqlalchemy import Engine

from copilot.answer import Answer
from copilot.evaluation.matching import (
    args_mismatch,
    expected_value,
    refusal_problem,
    value_mismatch,
)
from copilot.evaluation.questions import EvalQuestion
from knowledge.demo import DEMO_END_DATE


class AsksQuestions(Protocol):
    """What the runner needs of a copilot: `ask(question, conversation_id)`."""

    def ask(self, question: str, conversation_id: str | None = None) -> Answer: ...


@dataclass
class QuestionResult:
    """The verdict on one question."""

    id: str
    language: str
    expect_tool: str
    kind: str  # "single", "followup" or "refusal"
    correct: bool
    reason: str | None
    called: list[dict[str, Any]]
    answer: str
    seconds: float
    needs_context: bool = False


@dataclass
class EvalReport:
    """Every question's verdict, with the summaries the printer shows."""

    results: list[QuestionResult]
    mode: str = ""
    store: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[QuestionResult]:
        return [r for r in self.results if r.kind == kind]

    @property
    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.correct]

    def accuracy(self, results: Iterable[QuestionResult]) -> tuple[int, int]:
        """(correct, total) of some results."""
        results = list(results)
        return sum(r.correct for r in results), len(results)

    def by(self, key: Callable[[QuestionResult], str], kind: str) -> dict[str, tuple[int, int]]:
        """(correct, total) per group (tool, language) among results of one kind."""
        groups: dict[str, list[QuestionResult]] = {}
        for result in self.of_kind(kind):
            groups.setdefault(key(result), []).append(result)
        return {name: self.accuracy(rs) for name, rs in sorted(groups.items())}

    def latency(self) -> dict[str, float]:
        """p50 / p95 / max seconds per question (all turns of a conversation together)."""
        seconds = np.array([r.seconds for r in self.results] or [0.0])
        return {
            "p50": float(np.percentile(seconds, 50)),
            "p95": float(np.percentile(seconds, 95)),
            "max": float(seconds.max()),
        }


def evaluation_as_of() -> date:
    """The date relative periods count from in the evaluation: the day after the demo data."""
    return date.fromordinal(DEMO_END_DATE.toordinal() + 1)


def run_evaluation(
    copilot: AsksQuestions,
    questions: list[EvalQuestion],
    engine: Engine,
    as_of: date | None = None,
    progress: Callable[[int, int, QuestionResult], None] | None = None,
) -> EvalReport:
    """Ask every question (turns in one conversation) and judge each answer."""
    as_of = as_of or evaluation_as_of()
    results = []
    for number, question in enumerate(questions, start=1):
        result = judge_question(copilot, question, engine, as_of)
        results.append(result)
        if progress:
            progress(number, len(questions), result)
    return EvalReport(
        results=results, mode=str(getattr(copilot, "mode", "")), store=str(engine.url)
    )


def judge_question(
    copilot: AsksQuestions, question: EvalQuestion, engine: Engine, as_of: date
) -> QuestionResult:
    """Ask one question and decide whether the answer is right, and if not, why."""
    conversation = f"eval-{question.id}-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    answer = None
    for turn in question.asked:
        answer = copilot.ask(turn, conversation)
    seconds = time.perf_counter() - started
    assert answer is not None
    kind = "refusal" if question.is_refusal else "followup" if question.is_followup else "single"
    called = [{"name": c.name, "args": c.args} for c in answer.tool_calls]
    reason = _problem(question, answer, engine, as_of)
    return QuestionResult(
        id=question.id,
        language=question.language,
        expect_tool=question.expect_tool,
        kind=kind,
        correct=reason is None,
        reason=reason,
        called=called,
        answer=answer.text,
        seconds=seconds,
        needs_context=question.needs_context,
    )


def _problem(question: EvalQuestion, answer: Answer, engine: Engine, as_of: date) -> str | None:
    """Why the answer is wrong, or None when it is right."""
    names = [c.name for c in answer.tool_calls]
    if question.is_refusal:
        return refusal_problem(names, answer.text, question.asked[-1])
    if answer.error:
        return f"error: {answer.error}"
    calls = [c for c in answer.tool_calls if c.name == question.expect_tool]
    if not calls:
        return f"called {names or 'no tool'}, expected {question.expect_tool}"
    failed = [c for c in calls if c.error]
    if len(failed) == len(calls):
        return f"{question.expect_tool} failed: {failed[0].error}"
    mismatches = [args_mismatch(question.expect_args, c.args) for c in calls]
    if all(mismatches):
        return f"arguments: {mismatches[0]}"
    for pattern in question.expect_text:
        if not re.search(pattern, answer.text):
            return f"answer text lacks /{pattern}/"
    spec = question.expect_value
    if spec is None:
        return None
    try:
        expected = expected_value(spec, engine, as_of)
    except Exception as exc:  # a broken expectation is the question file's fault: say so
        return f"expected value could not be computed: {exc}"
    return value_mismatch(spec, expected, answer.text, answer.tables)
