"""Round 10, kinds of development set 10d (English metric questions, follow-ups,
clarifications). Every wording here is our own; none is the set's."""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import query_args

_args = query_args  # one query_metrics call's arguments (tests/conftest.py)


# 1. The share of the sales that was returned ("what fraction of sales got refunded",
#    "销售额里有多少比例被退货") is the return rate (returns / gross sales), never the share-of-whole
#    question of the sales, nor the returns' amount beside the sales.
@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("what fraction of sales got refunded in September?", {}),
        ("percentage of revenue that was returned last month", {}),
        ("returns as a percentage of sales in October", {}),
        ("上季度彩妆的销售额里有多少比例被退货了", {"category": ["makeup"]}),
    ],
)
def test_the_share_of_sales_returned_is_the_return_rate(
    planner: OfflinePlanner, question: str, filters: dict[str, list[str]]
) -> None:
    args = _args(planner, question)
    assert args["metrics"] == ["return_rate"]
    assert args.get("filters", {}) == filters


# 2. A test declined after its own word ("no test needed", "no significance test required",
#    "I don't need a test"), beside one variant's metric of a store A/B campaign: that
#    variant's metric, never the test's analysis. A verdict asked stays a test.
@pytest.mark.parametrize(
    "question",
    [
        "Spring Festival 2026 email A/B: variant B conversion rate, no test needed",
        "open rate of version A in the Double 11 2025 push A/B - no significance test required",
        "Spring Festival 2026 email A/B: variant B conversion rate, I don't need a test",
    ],
)
def test_a_declined_test_leaves_the_variant_metric(planner: OfflinePlanner, question: str) -> None:
    args = _args(planner, question)
    assert len(args["metrics"]) == 1
    assert len(args["filters"]["variant"]) == 1
    assert len(args["filters"]["campaign"]) == 1


def test_a_verdict_on_a_variant_stays_a_test(planner: OfflinePlanner) -> None:
    message = planner._plan("is variant B significantly better in the Spring Festival 2026 email A/B test?", [])
    assert [c["name"] for c in message.tool_calls] == ["ab_test"]


# 3. "push" right after another channel's word is the noun of the send ("the social ads push",
#    "the sms push"): that one campaign, named by its period and channel, not two channels.
@pytest.mark.parametrize(
    ("question", "campaign"),
    [
        ("cost per new customer on the Double 11 2025 social ads push", "Double 11 2025 - Social Ads"),
        ("how much did we spend on the Spring Festival 2026 sms push?", "Spring Festival 2026 - SMS"),
        ("the 618 2026 email push: click-through rate", "618 2026 - Email"),
    ],
)  # fmt: skip
def test_push_after_a_channel_is_the_send(
    planner: OfflinePlanner, question: str, campaign: str
) -> None:
    args = _args(planner, question)
    assert args["filters"] == {"campaign": [campaign]}
    assert args.get("dimensions", []) == []


# 4. "first-ever" / "brand-new" customers are the new customers (first valid order in the
#    period), like "first-time" ones.
@pytest.mark.parametrize(
    "question",
    [
        "How many first-ever customers did we get last month?",
        "brand-new buyers in Q3",
        "first ever shoppers in 2025",
    ],
)
def test_first_ever_customers_are_the_new_customers(planner: OfflinePlanner, question: str) -> None:
    assert _args(planner, question)["metrics"] == ["new_customers"]
