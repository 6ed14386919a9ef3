"""The anchor date of relative periods and the store's own event windows."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import select

from knowledge.presentation.messages import N_
from knowledge.store.summary import order_span
from knowledge.time_ranges import TimeRange, find_period, parse_period
from knowledge.time_ranges.grammar import pop, yoy
from knowledge.warehouse_mapping import WarehouseMapping
from tools.base import ToolContext, ToolError, quoted

# Campaign-name words that mark the shopping festivals time phrases refer to.
_EVENT_MARKERS: dict[str, tuple[str, ...]] = {
    "double11": ("double 11", "double eleven", "11.11", "singles day", "双十一", "双11"),
    "618": ("618", "6.18"),
    "spring_festival": ("spring festival", "chinese new year", "cny", "春节", "年货节"),
}


def reference_today(ctx: ToolContext) -> date:
    """The date that "last month" counts from.

    The `as_of` setting wins; otherwise today, unless the data ends earlier (a
    demo or an old export), in which case the day after the latest valid order.
    """
    return store_clock(ctx)[0]


def store_clock(ctx: ToolContext) -> tuple[date, date | None]:
    """(the reference today, the data's last day when the clock stopped at the data, else None).

    On a store whose data ends before today, today is the day after its latest valid
    order. The data's last day is then the latest order of any kind up to that day (a
    return may come after the last sale): a running period is shown, and counted, up to
    it, not up to an empty day after.
    """
    if ctx.as_of is not None:
        return ctx.as_of, None
    _, last, latest = order_span(ctx.engine, ctx.semantic_model.warehouse)
    today = date.today()
    if latest is None or latest + timedelta(days=1) > today:
        return today, None
    clock = latest + timedelta(days=1)
    return clock, min(max(last or latest, latest), clock)


def store_events(ctx: ToolContext) -> Mapping[str, Sequence[tuple[date, date]]]:
    """Windows of the store's festival campaigns, by canonical event name."""
    model = ctx.semantic_model
    # The warehouse's own campaigns table (a context without a model reads the store's).
    mapping = model.warehouse if model is not None else WarehouseMapping.identity()
    campaigns = mapping.table("campaigns")
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(campaigns.c.name, campaigns.c.start_date, campaigns.c.end_date)
        ).all()
    events: dict[str, list[tuple[date, date]]] = {}
    for name, start, end in rows:
        lowered = (name or "").lower()
        for event, markers in _EVENT_MARKERS.items():
            if any(marker in lowered for marker in markers):
                events.setdefault(event, []).append((_as_date(start), _as_date(end)))
    return {event: sorted(set(windows)) for event, windows in events.items()}


@dataclass
class Periods:
    """Reads periods for one tool call; the anchor date and the festival windows are
    read from the store at most once, and only when a phrase needs them."""

    ctx: ToolContext

    @cached_property
    def clock(self) -> tuple[date, date | None]:
        return store_clock(self.ctx)

    @property
    def today(self) -> date:
        return self.clock[0]

    @property
    def data_end(self) -> date | None:
        """The data's last day when the store's clock stopped at the data (None: a live clock)."""
        return self.clock[1]

    @cached_property
    def events(self) -> Mapping[str, Sequence[tuple[date, date]]]:
        return store_events(self.ctx)

    def resolve(self, phrase: str | None) -> TimeRange | None:
        """The period a phrase names ('last month', '2025-Q3', '上个月'), or None for all time."""
        if not phrase or not phrase.strip():
            return None
        try:
            return self._to_data_end(parse_period(phrase, self.today, self.events))
        except ValueError as exc:
            # "this year vs last year": the first period; the comparison is read separately.
            match = find_period(phrase, self.today, self.events)
            if match is not None:
                return self._to_data_end(match.range)
            # knowledge.time_ranges explains in English; other languages get the gist.
            raise ToolError.beside(
                str(exc),
                N_(
                    "Cannot read or use the period {phrase}; write it e.g. as 'last 30 days', "
                    "'2025-Q3' or '2025-01-01..2025-03-31'."
                ),
                phrase=quoted(phrase.strip()),
            ) from exc

    def _to_data_end(self, period: TimeRange) -> TimeRange:
        """A period cut at the store's clock ends on the data's last day, not the empty day after."""
        end = self.data_end
        if end is None or end >= self.today or period.end != self.today or period.start > end:
            return period
        label = period.label.replace(self.today.isoformat(), end.isoformat())
        return replace(period, end=end, label=label)

    def comparison(
        self,
        time_range: str | None,
        compare_to: str | None,
        period: TimeRange | None,
        like_for_like_days: bool = True,
    ) -> TimeRange | None:
        """The period to compare with: from `compare_to`, or a comparison inside `time_range`.

        'previous period' is the period of equal length just before; 'last year' is
        the same dates a year earlier; anything else is read as a period.

        Raises ToolError when the comparison is the period itself ("last month vs last
        month"): a figure set against itself reads as a confident "unchanged".
        """
        other = self._comparison(time_range, compare_to, period, like_for_like_days)
        itself = period is not None and other is not None and other.start == period.start
        if itself and other.end == period.end:
            raise ToolError.of(
                "The comparison is the period itself ({start} – {end}); say which period to "
                "compare with, e.g. 'vs the previous month' or 'vs the same month last year'.",
                start=period.start.isoformat(),
                end=period.end.isoformat(),
            )
        return other

    def _comparison(
        self,
        time_range: str | None,
        compare_to: str | None,
        period: TimeRange | None,
        like_for_like_days: bool,
    ) -> TimeRange | None:
        if compare_to and compare_to.strip():
            phrase = compare_to.strip().lower()
            # The label speaks the phrase's language, as the answer will.
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in phrase)
            # The comparisons a period phrase carries ("上个月环比", "Q3 YoY") are computed
            # by the same rules: October's previous period is September, not 31 days.
            language = "zh" if chinese else "en"
            if period is not None and phrase in _PREVIOUS_PERIOD:
                return pop(period, language)
            if period is not None and phrase in _SAME_PERIOD_LAST_YEAR:
                return yoy(period, language)
            other = self.resolve(compare_to)
            # (days written out, "2025-01-01 to 2025-12-31", are exactly those days)
            exact = _EXACT_DAYS.fullmatch(phrase) is not None
            if (
                period
                and other
                and like_for_like_days
                and not exact
                and not _WHOLE_SAID.search(phrase)
            ):
                return like_for_like(period, other)
            return other
        if time_range and period is not None:
            match = find_period(time_range, self.today, self.events)
            if match is not None and match.compare_to is not None:
                compared_words = time_range[match.span[1] :]
                if like_for_like_days and not _WHOLE_SAID.search(compared_words):
                    return like_for_like(period, match.compare_to)
                return match.compare_to
        return None


_EXACT_DAYS = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*(?:to|–|-|~|至|到)\s*\d{4}-\d{2}-\d{2}\s*")
# The comparison said to be whole ("跟去年全年比", "vs the whole of last year", "against full-year
# 2025"): the asker sets the running period against all of it, so it is not cut to the same days.
_WHOLE_SAID = re.compile(
    r"全年|整年|整个|一整年|\b(?:full|whole|entire|complete)(?:[\s-]+(?:of\s+)?)(?:the\s+)?(?:year|last\s+year|\d{4}|fy)",
    re.I,
)


def resolve_period(ctx: ToolContext, phrase: str | None) -> TimeRange | None:
    """The period a phrase names ('last month', '2025-Q3', '上个月'), or None for all time."""
    return Periods(ctx).resolve(phrase)


def like_for_like(period: TimeRange, other: TimeRange) -> TimeRange:
    """The comparison cut to the same days when the period is a running unit cut at today.

    "this month vs last month" on the 15th compares Nov 1-15 with Oct 1-15, and
    "this year vs 2025" compares Jan 1 - Nov 1 with the same dates of 2025: a
    partial period set against a whole one reads as a collapse ("down 99.7%").
    A comparison that is not a whole unit starting on the same day of its unit is kept;
    one day set against a whole year is that day of the year ("Double 11 2025 vs 2024"), and
    any other part of one year set against a whole year the same dates of it ("618 vs 2025").
    """
    if period.start == period.end and _whole_year(other):
        # "Singles' Day 2025 vs 2024", "2025-05-20 compared with 2025": that day of the other
        # year; a day set against a whole year reads as a collapse too.
        with contextlib.suppress(ValueError):
            day = period.start.replace(year=other.start.year)
            return TimeRange(day, day, day.isoformat(), "day")
    if (
        _whole_year(other)
        and period.start.year == period.end.year != other.start.year
        and not _whole_year(period)
        and period.grain_hint != "year"
    ):
        # "618 push CTR, vs 2025", "Q3 vs 2025年": a part of a year set against a whole year
        # is the same dates of that year; the whole year reads as another question.
        with contextlib.suppress(ValueError):
            start = period.start.replace(year=other.start.year)
            end = period.end.replace(year=other.start.year)
            return TimeRange(start, end, f"{_name_of(other)} ({start} – {end})", None)
    unit_months = {"month": 1, "quarter": 3, "year": 12}.get(period.grain_hint or "")
    if not unit_months or period.start.day != 1 or other.start.day != 1:
        return other
    unit_end = _add_months(period.start, unit_months) - timedelta(days=1)
    other_end = _add_months(other.start, unit_months) - timedelta(days=1)
    if period.end >= unit_end or other.end != other_end:
        return other  # the period is whole, or the comparison is not one whole unit
    end = min(other.end, other.start + (period.end - period.start))
    # No grain: the cut comparison is "the same days of 2025", not "2025 to date".
    return TimeRange(other.start, end, f"{_name_of(other)} ({other.start} – {end})", None)


def _name_of(period: TimeRange) -> str:
    """A period's label without the dates in brackets after it ("2025" of "2025 (…)")."""
    return re.sub(r"\s*[（(][^()（）]*[)）]\s*$", "", period.label).strip()


def _whole_year(period: TimeRange) -> bool:
    """One whole calendar year, January 1 to December 31."""
    start, end = period.start, period.end
    return start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


_PREVIOUS_PERIOD = (
    "previous period",
    "previous",
    "prior period",
    "环比",
    "上一期",
    "上期",
    "period before",
)
_SAME_PERIOD_LAST_YEAR = (
    "last year",
    "same period last year",
    "year over year",
    "yoy",
    "同比",
    "去年同期",
)
