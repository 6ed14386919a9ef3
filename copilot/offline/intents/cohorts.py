"""Cohort retention questions ("monthly cohort retention this year", "用户留存")."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import intent_cues, reader_pattern
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


def read_followed_cohort(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """cohort_retention arguments when new customers are followed month by month after their
    first order (lexicon reader_words.cohort_followed): decisive, as a metric of the period
    (new customers, repurchase rate) would answer another question."""
    followed = reader_pattern("cohort_followed")
    if not followed.search(question.raw.lower()):
        return None
    # Words beside the cohort's ("去年双十一月份拉的新客": which month is that?) are asked
    # about: the period they may carry would otherwise be read short ("去年").
    from copilot.offline.accounting import name_unplaced  # imports the intents
    from copilot.offline.vocabulary import unplaced_words

    rest = followed.sub(lambda m: " " * len(m.group(0)), question.text)
    later = _later_month(question)
    if later is not None:  # "Jan 2026 first-time buyers ... again in March 2026": month 2
        (start, end), months = later
        rest = rest[:start] + " " * (end - start) + rest[end:]
    # The cohort's own words ("按首购月份看", "留存率矩阵"), found in the question as written:
    # one may overlap the followed pattern's words, which are blanked already.
    for cue in intent_cues("cohort_retention"):
        for match in re.finditer(cue, question.text, flags=re.I):
            start, end = match.span()
            rest = rest[:start] + " " * (end - start) + rest[end:]
    left = [w for w in unplaced_words(rest, ctx.semantic_model) if w not in _COHORT_FILLERS]
    if left:
        return AskBack(name_unplaced(left, "", ctx, question.language == "zh"))
    args = read_cohort_question(question, ctx) or (
        {"time_range": question.time_range} if question.time_range else {}
    )
    if later is not None:
        args["periods"] = later[1]
    return args


def _later_month(question: Question) -> tuple[tuple[int, int], int] | None:
    """((start, end) of a second month named after the cohort's own, how many months after
    it), e.g. "first-time buyers of Jan 2026 who ordered again in March 2026" -> March is
    month 2; None unless the cohort's period is one fixed month and a later one follows."""
    from datetime import date

    from knowledge.time_ranges import find_period

    today = date(2099, 12, 31)
    first = find_period(question.raw, today)
    if first is None or question.time_range is None:
        return None
    if not _one_month(first.range.start, first.range.end):
        return None
    cut = max(e for _, e in (first.all_spans or (first.span,)))
    second = find_period(question.raw[cut:], today)
    if second is None or not _one_month(second.range.start, second.range.end):
        return None
    start, end = second.span
    year = second.range.start.year
    if not re.search(r"\d{4}|\byear\b|年", question.raw[cut + start : cut + end]):
        # "1月首购的客户，3月又下单的": a month without its year is the cohort's year's (or
        # the next year's, when it comes earlier in the calendar).
        year = first.range.start.year + (second.range.start.month < first.range.start.month)
    month = second.range.start.month
    # "came back in july, aug, sep", "4月和5月": months listed after it, the last one ends
    # the months followed.
    listed = _LISTED_MONTHS.match(question.raw[cut + end :])
    if listed:
        last = _MONTH_NAMES.findall(listed.group(0))[-1]
        number = _month_number(last)
        if number is not None:
            year += number < month
            month, end = number, end + listed.end()
    months = (year - first.range.start.year) * 12 + (month - first.range.start.month)
    if not 1 <= months <= 24:
        return None
    return (cut + start, cut + end), months


_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|(?:1[0-2]|[1-9])月"
)
_MONTH_NAMES = re.compile(_MONTH_WORD, re.I)
_LISTED_MONTHS = re.compile(rf"(?:\s*(?:,|，|、|/|&|and|和|与|及|or)\s*(?:{_MONTH_WORD}))+", re.I)


def _month_number(word: str) -> int | None:
    """The calendar month a listed month word names ("aug" -> 8, "5月" -> 5)."""
    word = word.lower()
    if word.endswith("月"):
        return int(word[:-1])
    names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return names.index(word[:3]) + 1 if word[:3] in names else None


def _one_month(start: Any, end: Any) -> bool:
    """Whether the dates span exactly one calendar month."""
    from calendar import monthrange

    return (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == monthrange(end.year, end.month)[1]
    )


# The words that say who the cohort is, beside its pattern ("拉的", "acquired").
_COHORT_FILLERS = frozenset({"拉", "拉的", "acquired", "from", "that"})


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
# New customers followed month by month: only the cohort table answers it.
FOLLOWED_COHORT_INTENT = Intent(
    tool="cohort_retention", read=read_followed_cohort, write=write_cohort_answer, decisive=True
)
