"""Round 11 wave 2 ("s10rest"): kinds found with set 10's remaining tool and metric cases.
Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from knowledge.time_ranges import find_period
from tests.conftest import AS_OF, query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. A bracketed period right after a period, after a hedge or not ("last month-ish (past 30
#    days)", "上周左右（近7天）"), restates it exactly: the bracket's period is the question's.
#    It was asked back naming the bracket as an unknown word. A bracket naming the same days
#    (a festival's label) still reads as that label.
@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("orders last month-ish (past 30 days) by channel", ("2026-10-02", "2026-10-31")),
        ("AOV last week or so (the last 14 days)", ("2026-10-18", "2026-10-31")),
        ("上周左右（近7天）的订单数", ("2026-10-25", "2026-10-31")),
        ("revenue this year (January to March)", ("2026-01-01", "2026-03-31")),
    ],
)
def test_a_bracketed_period_restates_the_period_before_it(
    planner: OfflinePlanner, question: str, period: tuple[str, str]
) -> None:
    found = find_period(_args(planner, question)["time_range"], AS_OF)
    assert found is not None
    assert (found.range.start.isoformat(), found.range.end.isoformat()) == period


def test_a_bracket_that_is_no_period_is_still_asked_about(planner: OfflinePlanner) -> None:
    message = planner._plan("orders last month-ish (the flagship thing)", [])
    assert not message.tool_calls


# 2. A campaign's own noun after its name ("the Double 11 2025 - Push A/B blast", "... send",
#    "春节邮件A/B那波") is the campaign: it was asked back naming the noun with the variant
#    letter before it. Both variants written bare ("B vs A") stay both: the rate per variant.
@pytest.mark.parametrize(
    "question",
    [
        "conversion by variant for the Double 11 2025 - Push A/B blast",
        "A versus B conversion in the Spring Festival 2026 - Email A/B send (rates only, no test needed)",
        "2026春节邮件A/B那波，各版本的转化率",
    ],
)
def test_a_campaigns_noun_after_its_name_is_the_campaign(
    planner: OfflinePlanner, question: str
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["conversion_rate"]
    assert args.get("dimensions") == ["variant"]
    assert list(args["filters"]) == ["campaign"]


def test_a_send_time_after_a_campaign_is_no_campaign_noun(planner: OfflinePlanner) -> None:
    message = planner._plan("best send time for the Win-back 2026 - Email campaign", [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "best_send_time"


# 3. Two variant letters written bare against each other, without the word "variant" ("A
#    versus B conversion in <an A/B campaign>"), are both variants: they were dropped as stray
#    letters and the whole campaign's rate answered, a different question. "A/B" in a name or
#    in "A/B test" stays the test's name.
@pytest.mark.parametrize(
    "question",
    [
        "A versus B conversion in the Spring Festival 2026 - Email A/B campaign, no test needed",
        "Spring Festival 2026 - Email A/B活动，A和B各自的转化率",
    ],
)
def test_two_bare_variant_letters_are_both_variants(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["conversion_rate"]
    assert args.get("dimensions") == ["variant"] or sorted(args["filters"].get("variant", [])) == [
        "A",
        "B",
    ]
