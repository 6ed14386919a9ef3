"""Round 20, English metric questions (our own wordings, not the held-out ones).

1. Orders said with the value they were placed on, after another metric ("revenue,
   counting only orders placed on the app"): the orders the figure is computed over (the
   value's filter), not a second figure, the order count, beside it.
2. Two metrics set against each other ("gross vs net sales") compare the metrics, not the
   values listed beside them: "Guangzhou + Shenzhen combined" stays one filter, one total.
3. A cost asked of an A/B campaign with no tested figure nor verdict ("the spring email A/B,
   what did we pay?") is no A/B test (was answered with the test's conversion); the new
   customer said before the paying ("per new customer won we spent how much") is the CAC.
4. Sentence particles ("for Oct lah", "ok ya") and "blasted" (sent) carry no slot.
5. A bare "not" before a value kept in another role ("signed up through the app, not app
   orders") contrasts the roles: the sign-up filter, no exclusion of the same value.
"""

from __future__ import annotations

import pytest

from copilot.offline.planner import OfflinePlanner
from tests.conftest import asked_back, planned_call


@pytest.mark.parametrize(
    ("question", "metric", "dimension", "value"),
    [
        ("net sales in Q3, counting only orders placed on the app", "revenue", "channel", "app"),
        ("AOV last month for orders made through the mini program", "aov", "channel", "mini_program"),
        ("revenue this year, just orders placed in Beijing", "revenue", "city", "北京"),
        ("gross sales in September on orders placed via the app", "gross_sales", "channel", "app"),
    ],
)
def test_orders_placed_on_a_value_are_its_filter(
    planner: OfflinePlanner, question: str, metric: str, dimension: str, value: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics", (name, args)
    assert args["metrics"] == [metric], args
    assert args["filters"][dimension] == [value], args


def test_orders_listed_beside_another_metric_are_still_counted(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "revenue and orders placed through the app last month")
    assert sorted(args["metrics"]) == ["orders", "revenue"], args


@pytest.mark.parametrize(
    "question",
    [
        "What were our net sales and number of orders in Shanghai in Q3 2026?",
        "net sales and the count of orders from the mini program in Q3",
        "amount and number of orders in may",
    ],
)
def test_a_count_of_orders_before_a_value_or_period_is_the_orders_metric(
    planner: OfflinePlanner, question: str
) -> None:
    """"number of orders in Shanghai" counts the orders (a metric), filtered to the value."""
    _tool, args = planned_call(planner, question)
    assert "orders" in args["metrics"], args


def test_orders_placed_on_an_unknown_thing_ask_back(planner: OfflinePlanner) -> None:
    assert "zorblax" in asked_back(planner, "AOV last month for orders made on the zorblax")


@pytest.mark.parametrize(
    "question",
    [
        "gross vs net sales in Q3, Chengdu + Chongqing combined",
        "units versus revenue last month for skincare and makeup together",
        "orders vs AOV this year, Beijing and Shanghai customers combined",
    ],
)
def test_metrics_compared_keep_combined_values_one_total(
    planner: OfflinePlanner, question: str
) -> None:
    name, args = planned_call(planner, question)
    assert name == "query_metrics", (name, args)
    assert len(args["metrics"]) == 2 and not args.get("dimensions"), args


def test_values_compared_are_still_broken_down(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "net sales in Chengdu vs Chongqing last month")
    assert args.get("dimensions") == ["city"], args


@pytest.mark.parametrize(
    "question",
    [
        "the Spring Festival 2026 email A/B - how much did we spend on it?",
        "Spring Festival 2026 Email A/B: what did it cost per new customer?",
    ],
)
def test_a_cost_of_an_ab_campaign_is_no_test(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    assert all(c["name"] != "ab_test" for c in message.tool_calls), message.tool_calls


@pytest.mark.parametrize(
    "question",
    [
        "Q3, for each new buyer we spent how much?",
        "last month per new customer won we paid how much",
        "this year every newly acquired customer we paid how much for?",
    ],
)
def test_new_customer_before_the_paying_is_cac(planner: OfflinePlanner, question: str) -> None:
    name, args = planned_call(planner, question)
    assert args["metrics"] == ["cac"], args


def test_ab_result_still_tested(planner: OfflinePlanner) -> None:
    name, args = planned_call(planner, "did B win in the Spring Festival 2026 Email A/B?")
    assert name == "ab_test", (name, args)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("AOV for September lah", "aov"),
        ("how many orders last week ah?", "orders"),
        ("revenue by channel in Q2 ya", "revenue"),
        ("the Double 11 2025 SMS we blasted, CTR?", "ctr"),
    ],
)
def test_particles_carry_no_slot(planner: OfflinePlanner, question: str, metric: str) -> None:
    name, args = planned_call(planner, question)
    assert args["metrics"] == [metric], args


def test_an_unknown_word_beside_a_particle_still_asks(planner: OfflinePlanner) -> None:
    assert "flurbs" in asked_back(planner, "revenue by flurbs in Q2 lah")


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("orders last month from people who registered via the mini program (not mini program orders)", "mini_program"),
        ("AOV in Q3 for customers who signed up in store, not store orders", "store"),
    ],
)
def test_not_in_another_role_is_a_contrast(
    planner: OfflinePlanner, question: str, value: str
) -> None:
    name, args = planned_call(planner, question)
    assert args["filters"].get("signup_channel") == [value], args
    assert not args.get("exclude"), args


def test_excluding_in_another_role_still_excludes(planner: OfflinePlanner) -> None:
    name, args = planned_call(
        planner, "revenue last month from customers who signed up via the app, excluding app orders"
    )
    assert args["exclude"] == {"channel": ["app"]}, args
