"""Value types returned by the period parser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TimeRange:
    """A closed calendar-date interval with a human label.

    ``end`` never lies after the ``today`` the range was resolved against: a
    period that is still running ("this month", "2026" in 2026) is cut at today.
    """

    start: date  # inclusive
    end: date  # inclusive
    label: str  # in the language of the phrase, e.g. "October 2026" or "2026年10月"
    grain_hint: str | None = None  # "day"/"week"/"month"/"quarter"/"year" when implied

    @property
    def days(self) -> int:
        """Number of calendar days in the range (both ends included)."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class PeriodMatch:
    """A period found inside a free-text question.

    ``span`` covers the period phrase (and an adjacent comparison such as
    "vs Q3 2024" or "同比" when it touches the phrase) so a caller can cut it
    out of the question; ``all_spans`` lists every piece that was used, which
    matters when the comparison sits elsewhere in the sentence.
    """

    range: TimeRange
    compare_to: TimeRange | None
    span: tuple[int, int]
    all_spans: tuple[tuple[int, int], ...] = ()
    # Words inside the phrase that belong to the question ("sales" of "Double 11 sales
    # last year"): cut them out to get the period phrase alone.
    holes: tuple[tuple[int, int], ...] = ()

    def apart_spans(self) -> tuple[tuple[int, int], ...]:
        """The pieces of the comparison said apart from the period, after words of the
        question ("Q2 2025 orders - how did they compare with Q1": "Q1"); () when none."""
        if self.compare_to is None:
            return ()
        return tuple(s for s in self.all_spans if s[0] >= self.span[1])

    def phrase(self, question: str, apart: bool = True) -> str:
        """The period phrase of ``question`` (every piece used), without its holes; without
        the pieces said apart (`apart_spans`) when ``apart`` is False."""
        spans = self.all_spans or (self.span,)
        if not apart:
            spans = tuple(s for s in spans if s not in self.apart_spans()) or (self.span,)
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        text = question[start:end]
        for hole_start, hole_end in sorted(self.holes, reverse=True):
            text = text[: hole_start - start] + " " + text[hole_end - start :]
        return " ".join(text.split())
