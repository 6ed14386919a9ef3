"""Reading a metric question: which metrics, by what, where, when, how many."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from copilot.offline.values import ValueIndex
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import find_period

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TOP_N = re.compile(
    r"(?:top|best|highest|largest|biggest)\s*(\d+)|前\s*(\d+|[一二两三四五六七八九十]+)\s*(?:名|个|位)?"
)
_LEADING_FILLER = re.compile(r"^(?:(?:in|during|for|over|on|of|the|within)\s+)+", re.I)


def language_of(text: str) -> str:
    """'zh' when the text contains Chinese characters, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


@dataclass
class MetricIntent:
    """A question understood as a query_metrics call."""

    metrics: list[str]
    dimensions: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    time_range: str | None = None
    limit: int | None = None
    language: str = "en"

    def tool_args(self) -> dict:
        """The query_metrics arguments, leaving out empty ones."""
        args: dict = {"metrics": self.metrics}
        if self.dimensions:
            args["dimensions"] = self.dimensions
        if self.filters:
            args["filters"] = self.filters
        if self.time_range:
            args["time_range"] = self.time_range
        if self.limit:
            args["limit"] = self.limit
            args["order_by"] = self.metrics[0]
        return args


def understand_metric_question(
    question: str, model: SemanticModel, values: ValueIndex
) -> MetricIntent | None:
    """The metric query a question asks for, or None when it names no metric."""
    language = language_of(question)
    text = question.lower()
    period = find_period(question, date.today())
    time_range = _clean_phrase(question[period.span[0] : period.span[1]]) if period else None
    if period:
        # Blank the period phrase out so "618" or "Q3" cannot read as anything else.
        text = text[: period.span[0]] + " " * (period.span[1] - period.span[0]) + text[period.span[1] :]

    filters: dict[str, list[str]] = {}
    for dimension, value, (start, end) in values.find(text):
        filters.setdefault(dimension, []).append(value)
        text = text[:start] + " " * (end - start) + text[end:]

    metrics = _named(text, {m.name: m.synonyms.all() for m in model.metrics.values()})
    if not metrics:
        return None
    dimensions = _named(text, {d.name: d.synonyms.all() for d in model.dimensions.values()})
    # "revenue in Shanghai" filters by city; it does not also group by city.
    dimensions = [d for d in dimensions if d not in filters or len(filters[d]) > 1]
    return MetricIntent(
        metrics=metrics,
        dimensions=dimensions[:2],
        filters=filters,
        time_range=time_range,
        limit=_top_n(text) if dimensions else None,
        language=language,
    )


def _clean_phrase(phrase: str) -> str:
    """The period phrase without the words around it ("in the", "的")."""
    phrase = _LEADING_FILLER.sub("", phrase.strip())
    return phrase.rstrip("的 ,，。?？") or phrase


def _named(text: str, synonyms: dict[str, list[str]]) -> list[str]:
    """Names whose synonyms occur in the text, in order of first occurrence; longest match wins."""
    candidates = sorted(
        ((word.lower(), name) for name, words in synonyms.items() for word in words),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    taken: list[tuple[int, int]] = []
    hits: list[tuple[int, str]] = []
    for word, name in candidates:
        for match in re.finditer(_pattern(word), text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            hits.append((span[0], name))
    ordered = [name for _, name in sorted(hits)]
    return list(dict.fromkeys(ordered))


def _pattern(word: str) -> str:
    escaped = re.escape(word)
    if _CJK.search(word):
        return escaped
    return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"


def _top_n(text: str) -> int | None:
    """N of "top 5" / "前五名"; plain "top" means 10. "Which is highest" keeps every row, sorted."""
    match = _TOP_N.search(text)
    if match:
        raw = match.group(1) or match.group(2)
        return int(raw) if raw.isdigit() else _zh_number(raw)
    return 10 if re.search(r"(?<![a-z])top(?![a-z])", text) else None


def _zh_number(text: str) -> int:
    """Chinese numerals up to 99 (十二 = 12, 二十 = 20)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
    return _ZH_DIGITS.get(text, 1)
