"""The grounding guard's check: is every number of an answer backed by this turn's data?

A number in the answer is grounded when it equals, after the product's own
formatting and rounding, a number of this turn's tool results or of the question:
thousands separators (1,234.5), currency signs (¥, $), percentages of fractions
(0.123 -> 12.3%), percentage points (+7.9 pp = a difference of 0.079), 万 / 亿 / k / M / bn scales (1.2万 = 12,000), dates (2026-10-31
gives 2026, 10 and 31), or a derivation of two such numbers (sum, difference,
ratio, share or change in percent). List markers ("1.", "2)") are not numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from knowledge.lazy_regex import lazy_compile

_SCALES: dict[str, float] = {
    "%": 0.01,
    "％": 0.01,
    # Percentage points: a difference of two rates (knowledge.presentation.format_points).
    "pp": 0.01,
    "个百分点": 0.01,
    "万": 1e4,
    "亿": 1e8,
    "千": 1e3,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "m": 1e6,
    "bn": 1e9,
    "B": 1e9,
}

_NUMBER = lazy_compile(
    # Not after an ASCII letter or digit ("Q3", "v2" are names); after a Chinese character
    # it is a number ("销售额为1234567元").
    r"(?<![A-Za-z0-9_.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<unit>%|％|pp\b|个百分点|万|亿|千|bn\b|[kKMB]\b|m\b(?![²]))?"
)
_LIST_MARKER = lazy_compile(r"^\s*(?:[-*]\s*)?\d{1,2}[.)、]\s", re.MULTILINE)
_ISO_DATE = lazy_compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MAX_DERIVATION_SOURCES = 400
"""Pairs are tried over at most this many distinct source numbers (400² = 160k pairs)."""
_MAX_ROWS = 2000
"""Rows of a result table read for numbers (the model sees far fewer)."""


@dataclass(frozen=True)
class NumberMention:
    """One number as the answer writes it: its text, value in its own unit, decimals, scale."""

    text: str
    value: float
    decimals: int
    scale: float  # 1 for plain numbers, 0.01 for percentages, 1e4 for 万 ...


@dataclass(frozen=True)
class GroundingVerdict:
    """The check of one answer: how many numbers it states and which are unsupported."""

    checked: int
    unsupported: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.unsupported


def numbers_in(text: str) -> list[NumberMention]:
    """The numbers an answer states (list markers left out)."""
    cleaned = _LIST_MARKER.sub(" ", text)
    mentions = []
    for match in _NUMBER.finditer(cleaned):
        raw = match.group("num")
        unit = match.group("unit") or ""
        digits = raw.replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        mentions.append(
            NumberMention(match.group(0).strip(), float(digits), decimals, _SCALES.get(unit, 1.0))
        )
    return mentions


@dataclass
class Sources:
    """The numbers an answer may use: `values` (tool numbers, derivations allowed) and
    `exact` (date parts and the question's numbers, only as they are)."""

    values: set[float] = field(default_factory=set)
    exact: set[float] = field(default_factory=set)

    def add_text(self, text: str) -> None:
        """Numbers of a tool-result text ("12%" counts as 0.12 and as 12)."""
        for year, month, day in _ISO_DATE.findall(text):
            self.exact.update((float(year), float(month), float(day)))
        text = _ISO_DATE.sub(" ", text)
        for mention in numbers_in(text):
            self.values.update((mention.value * mention.scale, mention.value))

    def add_question(self, question: str) -> None:
        """The question's own numbers ("top 3", "2025"), allowed only as they are."""
        for year, month, day in _ISO_DATE.findall(question):
            self.exact.update((float(year), float(month), float(day)))
        for mention in numbers_in(_ISO_DATE.sub(" ", question)):
            self.exact.update((mention.value * mention.scale, mention.value))

    def add_value(self, value: Any) -> None:
        """Numbers inside a value: scalars, strings, dates, mappings, sequences, DataFrames."""
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float):
            if math.isfinite(value):
                self.values.add(float(value))
        elif isinstance(value, str):
            self.add_text(value)
        elif hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
            self.exact.update((float(value.year), float(value.month), float(value.day)))
        elif isinstance(value, pd.DataFrame):
            self._add_frame(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                self.add_value(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                self.add_value(item)
        elif hasattr(value, "item"):  # numpy scalars
            self.add_value(value.item())

    def _add_frame(self, frame: pd.DataFrame) -> None:
        for column in frame.columns:
            self.add_text(str(column))
            series = frame[column].head(_MAX_ROWS)
            if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                self.values.update(float(v) for v in series.dropna().tolist() if math.isfinite(v))
            else:
                for item in series.dropna().unique()[:_MAX_ROWS]:
                    self.add_value(item)


def _shown_as(mention: NumberMention, source: float) -> bool:
    """Whether `source` written in the mention's unit and rounded gives the mention."""
    tolerance = 0.5 * 10 ** (-mention.decimals) * (1 + 1e-9) + 1e-9
    candidates = [source / mention.scale]
    if mention.scale == 0.01:
        candidates.append(source)  # a tool that already reports percent (12.3)
    return any(abs(abs(c) - mention.value) <= tolerance for c in candidates)


def _derived(mention: NumberMention, values: Iterable[float]) -> bool:
    """Whether the mention is a sum, difference, ratio, share or % change of two values.

    Sums and differences count only for comparable values (the smaller at least 1% of
    the larger), so "865,562" is not "865,561.15 + 1".
    """
    pool = sorted({abs(v) for v in values if v != 0}, reverse=True)[:_MAX_DERIVATION_SOURCES]
    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            derived = [a / b, b / a, (a - b) / b, (b - a) / a]
            if b >= 0.01 * a:
                derived += [a + b, a - b]
            if any(_shown_as(mention, d) for d in derived):
                return True
    return False


def check_numbers(answer: str, sources: Sources) -> GroundingVerdict:
    """Check every number of `answer` against the sources (tool results and question)."""
    allowed = [*sources.values, *sources.exact]
    mentions = numbers_in(answer)
    unsupported = [
        m.text
        for m in mentions
        if not any(_shown_as(m, s) for s in allowed) and not _derived(m, sources.values)
    ]
    return GroundingVerdict(checked=len(mentions), unsupported=tuple(dict.fromkeys(unsupported)))
