"""The evaluation set and its runner: is the copilot right, in which language, how fast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from copilot.evaluation.questions import EvalQuestion, load_questions
    from copilot.evaluation.report import format_report, report_json, report_summary
    from copilot.evaluation.runner import (
        EvalReport,
        QuestionResult,
        evaluation_as_of,
        run_evaluation,
    )

# Names load their submodule on first use (PEP 562), so `copilot --help`, which
# registers the `eval` command from `copilot.evaluation.cli`, loads none of the runner.
_SUBMODULE_OF = {
    "EvalQuestion": "questions",
    "load_questions": "questions",
    "format_report": "report",
    "report_json": "report",
    "report_summary": "report",
    "EvalReport": "runner",
    "QuestionResult": "runner",
    "evaluation_as_of": "runner",
    "run_evaluation": "runner",
}


__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)


__all__ = [
    "EvalQuestion",
    "EvalReport",
    "QuestionResult",
    "evaluation_as_of",
    "format_report",
    "load_questions",
    "report_json",
    "report_summary",
    "run_evaluation",
]
