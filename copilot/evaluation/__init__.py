"""The evaluation set and its runner: is the copilot right, in which language, how fast."""

from copilot.evaluation.questions import EvalQuestion, load_questions
from copilot.evaluation.report import format_report, report_json, report_summary
from copilot.evaluation.runner import EvalReport, QuestionResult, evaluation_as_of, run_evaluation

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
