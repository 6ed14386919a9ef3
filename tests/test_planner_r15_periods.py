"""Round 15, periods: the planner counts relative periods ("last 30 days", "this year") from
the store's as-of date, never from the real date. The tools count from the store's clock
(`tools.periods.store_clock`); the planner's own readings (two periods put in order, a
comparison spanned by year, a period after the data) must count from the same day. Every
wording here is our own; none is a set's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from copilot.agent import Copilot
from copilot.offline.clock import planner_today, reading_as_of
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import asked_back, query_args
from tools.periods import reference_today

# A day far from the real date: a reading that counts from date.today() shows other dates.
FIXED = date(2023, 5, 10)


@pytest.fixture(scope="module")
def fixed_planner(planner: OfflinePlanner) -> OfflinePlanner:
    return replace(planner, as_of=FIXED)


# 1. Two periods in a lapse, one of them relative: their dates are counted from the as-of day.
@pytest.mark.parametrize(
    ("question", "relative_dates"),
    [
        (
            "shoppers from the past 30 days who had not shopped in 2021, how many lapsed",
            "2023-04-10 – 2023-05-09",
        ),
        ("过去30天下过单、但2021年没下过单的顾客流失了多少", "2023-04-10 – 2023-05-09"),
    ],
)
def test_lapse_periods_count_from_the_as_of_day(
    fixed_planner: OfflinePlanner, question: str, relative_dates: str
) -> None:
    text = asked_back(fixed_planner, question)
    assert relative_dates in text, text


# 2. "this year vs last year, by year": the span written out ends at the as-of day's year.
@pytest.mark.parametrize(
    "question",
    ["sales this year against last year, one row per year", "今年和去年的销售额，按年对比"],
)
def test_compared_years_spanned_from_the_as_of_day(
    fixed_planner: OfflinePlanner, question: str
) -> None:
    args = query_args(fixed_planner, question)
    assert args["time_range"].startswith("2022-01-01 to 2023-"), args


# 3. A period after the as-of day is not answered (the real date would find it past).
@pytest.mark.parametrize("question", ["net sales for September 2023", "2023年9月的销售额"])
def test_period_after_the_as_of_day_is_not_answered(
    fixed_planner: OfflinePlanner, question: str
) -> None:
    asked_back(fixed_planner, question)


# 4. The store's clock, asked per question, stands in for a missing as-of setting.
def test_planner_clock_is_today_without_as_of(planner: OfflinePlanner) -> None:
    clocked = replace(planner, as_of=None, clock=lambda: FIXED)
    assert clocked.today() == FIXED
    text = asked_back(clocked, "past 30 days' buyers who did not buy in 2021: how many lapsed?")
    assert "2023-04-10 – 2023-05-09" in text, text
    assert replace(clocked, as_of=date(2024, 1, 2)).today() == date(2024, 1, 2)  # as_of wins


def test_reading_as_of_is_undone_after_the_reading() -> None:
    with reading_as_of(FIXED):
        assert planner_today() == FIXED
    assert planner_today() == date.today()


# 5. The copilot without an as-of setting reads periods on the store's clock: on the demo
#    store (data ending before today) the day after the data, as the tools count.
@pytest.fixture(scope="module")
def clocked_copilot(
    duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Copilot:
    home = tmp_path_factory.mktemp("periods")
    return Copilot(
        Settings(home=home, as_of=None, llm_provider="offline"), engine=duckdb_demo_engine
    )


def test_copilot_planner_counts_from_the_store_clock(clocked_copilot: Copilot) -> None:
    planner = clocked_copilot.chat_model
    assert isinstance(planner, OfflinePlanner)
    store_day = reference_today(clocked_copilot.context)
    assert store_day < date.today()  # the demo data ends before today
    assert planner.today() == store_day
    text = asked_back(
        planner,
        "people who placed an order in the last 30 days but had not ordered in 2021 — how many lapsed?",
    )
    month_ago = store_day - timedelta(days=30)
    assert f"{month_ago} – {store_day - timedelta(days=1)}" in text, text


# 6. "on <festival>" about a campaign said after it is the campaign's window, not the main
#    day; "on <festival>" alone, or broken down by campaign, stays the day itself.
@pytest.mark.parametrize(
    "question",
    [
        "conversion rate on Double 11 2025 for the SMS campaign",
        "ROAS on Double 11 2025 for our social ads campaign please",
        "what did we spend on Double 11 2025, the SMS campaign?",
    ],
)
def test_on_a_festival_about_its_campaign_is_the_window(
    fixed_planner: OfflinePlanner, question: str
) -> None:
    args = query_args(replace(fixed_planner, as_of=date(2026, 11, 1)), question)
    assert not args["time_range"].startswith("on "), args
    assert args.get("filters", {}).get("campaign"), args


@pytest.mark.parametrize(
    "question", ["orders on Double 11 2025", "revenue on Double 11 2025, by channel"]
)
def test_on_a_festival_alone_is_its_day(planner: OfflinePlanner, question: str) -> None:
    args = query_args(replace(planner, as_of=date(2026, 11, 1)), question)
    assert args["time_range"].startswith("on Double 11 2025"), args


def test_orders_by_campaign_are_asked_about(planner: OfflinePlanner) -> None:
    # (round 23: orders have no campaign to break down by; the tool failed the call before)
    reply = asked_back(
        replace(planner, as_of=date(2026, 11, 1)), "orders on Double 11 2025, by campaign"
    )
    assert "Orders cannot be broken down by campaign" in reply


# 7. "over the last N days" / "过去N天" is the trailing window counted from the as-of day.
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("units of Yoga Mat sold over the last 90 days", "last 90 days"),
        ("how much revenue did we make over the past 45 days", "past 45 days"),
        ("过去90天的订单数", "过去90天"),
    ],
)
def test_over_the_last_days_is_the_trailing_window(
    fixed_planner: OfflinePlanner, question: str, phrase: str
) -> None:
    args = query_args(fixed_planner, question)
    assert args["time_range"] == phrase, args
