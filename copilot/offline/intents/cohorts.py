"""Cohort retention questions ("monthly cohort retention this year", "用户留存")."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import intent_cues
from knowledge.presentation import format_count, format_percent, ntr, tr
from knowledge.time_ranges.numerals import NUMBER, to_int
from tools.base import ToolOutput


def read_cohort_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """cohort_retention arguments when the question asks about retention by cohort."""
    if not question.has(*intent_cues("cohort_retention")):
        return None
    args: dict[str, Any] = {}
    if question.time_range:
        args["time_range"] = question.time_range
    months = re.search(rf"(?<![a-z])({NUMBER})\s*(?:months?|个月)", question.text)
    if months:
        args["periods"] = max(1, min(24, to_int(months.group(1))))
    return args


def write_cohort_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Average retention at month 1 and the last month, over the cohorts shown."""
    data = output.data
    averages = {
        int(k.split("_")[1]): v for k, v in data["average_retention"].items() if v is not None
    }
    first = averages.get(1)
    last_k = max(averages) if averages else None
    lines = [
        ntr(
            language,
            "{count} monthly cohort of first-time buyers, {customers} customers (heatmap below).",
            "{count} monthly cohorts of first-time buyers, {customers} customers (heatmap below).",
            data["cohorts"],
            customers=format_count(data["customers"], language),
        )
    ]
    if first is not None:
        lines.append(
            tr(
                language,
                "- on average {share} of a cohort buys again in the month after its first order",
                share=format_percent(first, language),
            )
        )
    if last_k and last_k != 1:
        lines.append(
            tr(
                language,
                "- by month {month} it is {share}",
                month=last_k,
                share=format_percent(averages[last_k], language),
            )
        )
    lines.append(
        "\n"
        + tr(
            language,
            "Next: send new customers who did not come back in month 1 a second-purchase incentive.",
        )
    )
    return "\n".join(lines)


COHORT_INTENT = Intent(
    tool="cohort_retention", read=read_cohort_question, write=write_cohort_answer
)
