"""Cohort retention questions ("monthly cohort retention this year", "用户留存")."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import intent_cues
from tools.base import ToolOutput


def read_cohort_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """cohort_retention arguments when the question asks about retention by cohort."""
    if not question.has(*intent_cues("cohort_retention")):
        return None
    args: dict[str, Any] = {}
    if question.time_range:
        args["time_range"] = question.time_range
    months = re.search(r"(\d+)\s*(?:months?|个月)", question.text)
    if months:
        args["periods"] = max(1, min(24, int(months.group(1))))
    return args


def write_cohort_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Average retention at month 1 and the last month, over the cohorts shown."""
    data = output.data
    averages = {
        int(k.split("_")[1]): v for k, v in data["average_retention"].items() if v is not None
    }
    first = averages.get(1)
    last_k = max(averages) if averages else None
    if language == "zh":
        lines = [
            f"共 {data['cohorts']} 个首购月份同期群、{data['customers']:,} 位客户（见下方热力表）。"
        ]
        if first is not None:
            lines.append(f"- 首购后第 1 个月平均有 {first:.1%} 的客户再次下单")
        if last_k and last_k != 1:
            lines.append(f"- 第 {last_k} 个月平均为 {averages[last_k]:.1%}")
        lines.append("\n下一步：对首购后第一个月没有回购的新客发一条二次购买激励。")
        return "\n".join(lines)
    lines = [
        f"{data['cohorts']} monthly cohorts of first-time buyers, {data['customers']:,} customers (heatmap below)."
    ]
    if first is not None:
        lines.append(
            f"- on average {first:.1%} of a cohort buys again in the month after its first order"
        )
    if last_k and last_k != 1:
        lines.append(f"- by month {last_k} it is {averages[last_k]:.1%}")
    lines.append(
        "\nNext: send new customers who did not come back in month 1 a second-purchase incentive."
    )
    return "\n".join(lines)


COHORT_INTENT = Intent(
    tool="cohort_retention", read=read_cohort_question, write=write_cohort_answer
)
