"""The date the offline planner counts relative periods from while it reads a question.

The tools count "last 30 days" from the store's clock (`tools.periods.store_clock`: the
`as_of` setting, else today, or the day after the data when the data ends earlier). The
planner reads periods too (which comes first, whether one is after the data, a follow-up's
shifted period), and must count from the same day: the planner sets it here while it reads
a question (`OfflinePlanner.invoke`), and every reader takes it from `planner_today()`.
Outside a reading (a test calling one reader, the value index) it is the real date.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

_TODAY: ContextVar[date | None] = ContextVar("planner_today", default=None)


def planner_today() -> date:
    """The day relative periods count from: the store's as-of date while a question is read."""
    return _TODAY.get() or date.today()


@contextmanager
def reading_as_of(day: date | None) -> Iterator[None]:
    """Read (plan or answer) with `day` as today; None keeps the real date."""
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)
