"""Round 15, definitions restated: a question that says how its figure must be computed, in
words or in the store's own column names ("orders (status completed, total>0)", "GMV, returns
taken off", "buyers as count(distinct customer_id)", "split by orders.channel"). Checked
against the semantic model (copilot/offline/restated.py, lexicon restated_definitions):
when it agrees, the figure is answered and the answer says the definition matches; when it
contradicts ("gross sales with shipping", "returns not netted"), it is asked back naming
both. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import AS_OF, asked_back, converse, query_args


def _plain(planner: OfflinePlanner, question: str, metric: str) -> dict:
    """The one query_metrics call for `question`: `metric` alone, no filter nor exclusion."""
    args = query_args(planner, question)
    assert args["metrics"] == [metric], args
    assert not args.get("filters") and not args.get("exclude"), args
    return args


# 1. The valid-order rule restated beside a figure over valid orders: context, no new ask.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("number of orders in May 2026 (completed, total>0)", "orders"),
        ("May 2026 order volume, completed and total > 0, not unique customers", "orders"),
        ("2026年5月订单量（已完成，金额>0）", "orders"),
        ("AOV in May 2026 over valid orders only", "aov"),
        ("new customers in May 2026 (first completed order)", "new_customers"),
        ("2026年5月新客数（首笔有效订单）", "new_customers"),
    ],
)
def test_valid_order_rule_restated_is_context(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    _plain(planner, question, metric)


# 2. Merchandise only (no shipping line) restated beside a money figure: no product filter.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("gross sales in May 2026, merchandise only, without the SHIP sku", "gross_sales"),
        ("gross_sales May 2026 excluding shipping lines", "gross_sales"),
        ("2026年5月的gross_sales，运费不计入", "gross_sales"),
        ("2026年5月净销售额，去掉运费行", "revenue"),
    ],
)
def test_merchandise_only_restated_filters_no_product(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    _plain(planner, question, metric)


# 3. Returns taken off restated beside the revenue (net sales is net of returns already).
@pytest.mark.parametrize(
    "question",
    [
        "GMV for May 2026 after returns are deducted",
        "revenue May 2026, minus refunds",
        "2026年5月GMV（把退货扣除之后）",
        "2026年5月营收，扣除退款后的",
    ],
)
def test_returns_netted_restated_is_the_revenue(planner: OfflinePlanner, question: str) -> None:
    _plain(planner, question, "revenue")


# 4. Buyers as distinct customer ids: the buyers, counted once each.
@pytest.mark.parametrize(
    "question",
    [
        "buyers in May 2026, i.e. count(distinct customer_id) across valid orders",
        "May 2026 buyers with distinct customer ids",
        "2026年5月购买人数，customer_id要去重",
    ],
)
def test_distinct_customer_ids_are_the_buyers(planner: OfflinePlanner, question: str) -> None:
    _plain(planner, question, "buyers")


# 5. A ratio written out after a check ("confirm it's computed as") or before 口径.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("CTR of email in 2026, and check that it is computed as clicks / delivered", "ctr"),
        ("AOV for May 2026 - make sure you're using revenue / orders", "aov"),
        ("2026年邮件的点击率，按点击/送达的口径", "ctr"),
    ],
)
def test_ratio_written_out_for_checking(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric], args


# 6. A ratio's or a formula's definition written in the figure's own words.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("return rate in May 2026 (returns / gross sales)", "return_rate"),
        ("ROI of email campaigns in 2025, (attributed revenue - cost) / cost", "roi"),
        ("2025年邮件活动的ROI（归因收入-成本）/成本", "roi"),
        (
            "repurchase rate in 2025 meaning customers with two or more orders over all buyers",
            "repurchase_rate",
        ),
    ],
)
def test_formula_restated_in_words(planner: OfflinePlanner, question: str, metric: str) -> None:
    args = query_args(planner, question)
    assert args["metrics"] == [metric], args


# 7. A breakdown named by the store's own column: the dimension of that column.
@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("revenue in May 2026 split by orders.channel", "channel"),
        ("new customers in May 2026 by signup_channel", "signup_channel"),
        ("revenue in May 2026 by customers.city, not the delivery city", "city"),
        ("2026年5月销售额按customers.city拆分，不是收货城市", "city"),
    ],
)
def test_column_named_breakdown(planner: OfflinePlanner, question: str, dimension: str) -> None:
    args = query_args(planner, question)
    assert args.get("dimensions") == [dimension], args
    assert len(args["metrics"]) == 1, args


# 8. A definition contradicting the store's: asked back naming both, never answered.
@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("gross sales for May 2026 including the shipping fees", "including the shipping fees"),
        ("revenue for May 2026 with refunds not deducted", "refunds not deducted"),
        ("May 2026 buyers, not deduplicated", "not deduplicated"),
        ("2026年5月总销售额，运费也算进去", "运费也算进去"),
    ],
)
def test_contradicting_definition_is_asked_back(
    planner: OfflinePlanner, question: str, written: str
) -> None:
    text = asked_back(planner, question)
    assert written in text, text


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("definitions")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


# 9. The answer says the definition written matches the store's (one line, EN and ZH).
@pytest.mark.parametrize(
    ("question", "said", "unsaid"),
    [
        ("order count May 2026 (completed, total>0)", "matches the store's Orders", None),
        (
            "AOV in May 2026, make sure you're using revenue / orders",
            "matches the store's AOV",
            None,
        ),
        ("2026年5月GMV（把退货扣除之后）", "与店里销售额的定义一致", None),
        ("orders in May 2026", None, "matches"),
    ],
)
def test_answer_says_the_definition_matches(
    copilot: Copilot, question: str, said: str | None, unsaid: str | None
) -> None:
    answer = copilot.ask(question)
    assert answer.to_json()["status"] == "answered", answer.text
    if said:
        assert said in answer.text, answer.text
    if unsaid:
        assert unsaid not in answer.text, answer.text


# 10. A follow-up that only restates the previous figure's definition: the same figure
# (the store's is that already), or asked back when it contradicts it.
@pytest.mark.parametrize(
    ("turns", "same"),
    [
        (["gross sales for May 2026", "and leaving out postage?"], True),
        (["2026年5月净销售额", "那扣除退货以后的呢"], True),
        (["gross sales for May 2026", "and including shipping?"], False),
    ],
)
def test_follow_up_restating_the_definition(
    planner: OfflinePlanner, turns: list[str], same: bool
) -> None:
    first = planner._plan(turns[0], [])
    reply = converse(planner, turns)
    if same:
        assert [c["args"] for c in reply.tool_calls] == [c["args"] for c in first.tool_calls]
    else:
        assert not reply.tool_calls and "including shipping" in reply.content, reply
