"""Round 15, framing around a question: words that say what a figure is for or how it is to
be shown (lexicon reader_words `framing_clauses`), and a kind of figure set aside after a
contrast word ("the %, not the headcount": reader_words `set_aside_<kind>`), are read, not
asked back; a real unknown content word beside them still is. Every wording here is our own;
none is a set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, query_args


# 1. Purpose and presentation framing: the metric, period and breakdown as if unsaid.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("for the QBR deck: orders in Q2? rounded to the nearest hundred", "orders"),
        ("buyers last month - topline figure for slide 7", "buyers"),
        ("units sold in August, figure pls, it's for the leadership pack", "units"),
        ("ahead of our weekly pricing sync: AOV for September?", "aov"),
        ("revenue in July, in thousands, just the total", "revenue"),
        ("上个月订单数多少？周报要用，取整就行", "orders"),
        ("9月的买家数，放进PPT里，四舍五入", "buyers"),
    ],
)
def test_purpose_and_presentation_framing_is_read(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric]
    assert not args.get("dimensions")


def test_one_row_per_lays_out_the_breakdown_it_names(planner: OfflinePlanner) -> None:
    args = query_args(planner, "orders by channel for Q3 2026, one line per channel")
    assert args["metrics"] == ["orders"]
    assert args["dimensions"] == ["channel"]


def test_wise_after_a_metric_is_filler(planner: OfflinePlanner) -> None:
    args = query_args(planner, "how was September, orders-wise?")
    assert args["metrics"] == ["orders"]


# 2. The other side: a real unknown content word beside framing is still named back.
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("for the MBR deck - revenue in Atlantis last month, rounded", "atlantis"),
        ("headline number for slide 2: revenue by warehouse last month", "warehouse"),
        ("汇报用，给个整数：上个月宠物用品的销售额", "宠物用品"),
    ],
)
def test_unknown_word_beside_framing_is_still_asked(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    assert word in asked_back(planner, question).lower()


def test_a_product_named_pack_is_no_framing(planner: OfflinePlanner) -> None:
    """ "pack" framing is only a document's pack (board, exec ...), never a product's name."""
    args = query_args(planner, "units of the Vacuum Filter Pack sold last month")
    assert args["metrics"] == ["units"]
    assert (args.get("filters") or {}).get("product")


# 3. A kind of figure set aside ("X, not Y"): the asked metric is the other kind.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("churn rate for Q3 - as a percentage, not the number of people", "churn_rate"),
        ("returned orders in August, we don't need the money", "returned_orders"),
        ("units sold last month - pieces, not the value", "units"),
        ("上个月退货订单多少？要的是单数，不是钱", "returned_orders"),
        ("今年的流失率，看比例不要人数", "churn_rate"),
    ],
)
def test_kind_set_aside_is_not_computed(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("open rate of the 2026 emails - the count, not the %", "opens"),
        ("去年的复购率，给人数就行，不要比例", "repeat_buyers"),
    ],
)
def test_rate_with_its_kind_set_aside_is_its_count(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert query_args(planner, question)["metrics"] == [metric]


def test_set_aside_unknown_word_is_still_asked(planner: OfflinePlanner) -> None:
    """Only a kind word is set aside by the contrast: "not the loyalty tier" is no kind."""
    reply = asked_back(planner, "returned orders in August, not the loyalty tier")
    assert "loyalty" in reply.lower()


# 4. A whole set aside beside a narrower value: the value's figure, the whole not computed.
@pytest.mark.parametrize(
    "question",
    [
        "open rate of the 618 2025 email only, not the entire bonanza",
        "2025年618邮件那一场的打开率，不是整个大促",
    ],
)
def test_whole_set_aside_beside_a_value_is_read(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["open_rate"]
    assert args["filters"]["campaign"] == ["618 2025 - Email"]


def test_whole_set_aside_without_a_value_is_still_asked(planner: OfflinePlanner) -> None:
    """Nothing narrower is named: "not the whole thing" cannot be placed, so it is asked."""
    assert "thing" in asked_back(planner, "open rate in 2025, not the whole thing").lower()


# 5. A period said "X to now" (exposed once the framing beside it is read): since X, not X.
@pytest.mark.parametrize(
    "question",
    ["monthly orders March till now, for the exec deck", "3月至今每月的订单数，汇报用"],
)
def test_month_to_now_is_since_that_month(planner: OfflinePlanner, question: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == ["orders"]
    assert args["dimensions"] == ["month"]
    assert args["time_range"] not in ("March", "3月")
