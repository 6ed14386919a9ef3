"""Round 17, context clauses: a clause around the ask that says why it is asked, who asks,
how soon, or what the figure is for ("- my manager is deciding on shelf space", "为了给代理商
做方案", "运营同学问：") is set aside by its SHAPE (lexicon reader_words `context_shape`), not
by a phrase of its own, when no word of it is data and no condition marker is in it
(`context_condition`); the answer says what was set aside. A clause carrying a condition of
its own ("- only the ones from ...", "不算员工号", "the client means loyalty tier") is still
asked back. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.context_clauses import clauses_of, without_clauses
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import AS_OF, asked_back

_CONTEXT_KEY = "context_clauses"


# 1. A context clause of each shape, EN and ZH, around an ordinary question: the question is
#    answered as if the clause were not there, and the clause travels to the answer.
@pytest.mark.parametrize(
    ("question", "clause", "metric"),
    [
        # a personal subject with a verb
        ("revenue in May 2026 - my manager is deciding on shelf space", "shelf space", "revenue"),
        ("orders in May 2026, the regional director wants it before lunch", "lunch", "orders"),
        ("buyers in May 2026? we are prepping a renewal proposal", "renewal proposal", "buyers"),
        ("orders in May 2026 - they need to reconcile invoices", "reconcile", "orders"),
        ("churn rate for May 2026, my team lead is presenting on it", "team lead", None),
        ("new customers in May 2026 - our investors keep asking", "investors", None),
        ("2026年5月订单数，我们在准备给投资人的材料", "投资人", "orders"),
        ("2026年5月销售额 — 他们想发给投资人", "投资人", "revenue"),
        ("2026年5月的退货率，合伙人让我核一下", "合伙人让我核一下", "return_rate"),
        ("orders in May 2026 - need the figure for the franchise partners", "franchise", "orders"),
        # a purpose
        ("AOV for May 2026, so that our agency can size the budget", "agency", "aov"),
        ("repurchase rate in May 2026, for the brand review", "brand review", None),
        ("gross sales for May 2026, so we can brief the founders", "founders", "gross_sales"),
        ("2026年5月客单价多少？为了给代理商做方案", "代理商", "aov"),
        ("2026年5月的销售额，方便我们做预算", "预算", "revenue"),
        ("2026年5月的买家数，好让我们排期", "排期", "buyers"),
        ("2026年5月新客数，给投资人看的", "投资人", None),
        # politeness and urgency
        ("orders in May 2026, urgent!", "urgent", "orders"),
        ("2026年5月毛销售额，麻烦快一点", "快一点", "gross_sales"),
        ("buyers in May 2026, when you get a chance", "get a chance", "buyers"),
        # a speaker label
        ("Regional head asks: buyers in May 2026?", "Regional head", "buyers"),
        ("Marketing director q: revenue in May 2026", "director", "revenue"),
        ("运营同学问：2026年5月复购率是多少", "运营同学", None),
        ("市场总监问：2026年5月的订单数", "市场总监", "orders"),
    ],
)
def test_context_clause_is_set_aside_and_carried(
    planner: OfflinePlanner, question: str, clause: str, metric: str | None
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, f"asked back instead: {message.content}"
    args = message.tool_calls[0]["args"]
    assert not args.get("filters"), args
    if metric:
        assert args["metrics"] == [metric]
    set_aside = message.response_metadata.get(_CONTEXT_KEY) or []
    assert any(clause.lower() in c.lower() for c in set_aside), set_aside


def test_clauses_taken_out_leave_the_rest_as_written() -> None:
    text = "Regional head asks: buyers in May 2026? we are prepping a proposal, thanks"
    every = clauses_of(text)
    assert [text[c.start : c.end] for c in every] == [
        "Regional head asks",
        "buyers in May 2026",
        "we are prepping a proposal",
        "thanks",
    ]
    assert without_clauses(text, [every[0], every[2], every[3]]) == "buyers in May 2026"
    # a number's comma and a time's colon cut nothing
    assert len(clauses_of("orders over 1,000 at 10:30")) == 1


def test_ranking_with_an_intention_clause_keeps_its_breakdown(planner: OfflinePlanner) -> None:
    message = planner._plan(
        "which category had the lowest revenue in May 2026 - we might trim the range", []
    )
    assert message.tool_calls, message.content
    assert message.tool_calls[0]["args"]["dimensions"] == ["category"]
    assert message.response_metadata.get(_CONTEXT_KEY)


# 2. Near-misses: a clause with a condition of its own (a limiting word, a meaning verb, an
#    unplaced name, an unplaced group) is no context: asked back, naming its words.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("orders in May 2026 - only the ones from Xiamen", "xiamen"),
        ("2026年5月订单数，不算员工号", "员工号"),
        ("repurchase rate for May 2026 - the client means loyalty tier", "loyalty tier"),
        ("revenue in May 2026, but without the wholesale accounts", "wholesale"),
        ("buyers in May 2026 - we only count paying members", "paying"),
        ("revenue in May 2026, the client excludes marketplace resellers", "marketplace"),
        ("orders in May 2026 - we care about the Aurora line", "aurora"),
        ("2026年5月订单数，我们只看“星光”系列", "星光"),
        ("2026年5月销售额，客户说的是Prime会员", "prime"),
        ("2026年5月的复购率，除了批发客户", "批发"),
        ("buyers in May 2026, they mean the ones with a coupon", "coupon"),
        ("2026年5月订单数，按仓库", "仓库"),
        ("2026年5月的买家，他们指的是新注册的", "新注册"),
        ("revenue in May 2026 - my boss wants the coupon users", "coupon"),
        ("revenue in May 2026, we already have the wholesale split", "wholesale"),
        ("orders in May 2026 - the CMO is asking about the Nova range", "nova"),
        ("2026年5月的销售额，老板说只算加盟店的", "加盟"),
    ],
)
def test_clause_with_a_condition_is_still_asked_back(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    text = asked_back(planner, question)
    assert named in text.lower(), text


# 3. A clause with a data word in it is read, never set aside.
def test_clause_with_a_store_value_is_read_not_set_aside(planner: OfflinePlanner) -> None:
    message = planner._plan("revenue in May 2026 - my boss wants it for Shanghai", [])
    assert message.tool_calls[0]["args"]["filters"] == {"city": ["上海"]}
    assert not message.response_metadata.get(_CONTEXT_KEY)


def test_context_shape_alone_is_not_a_question(planner: OfflinePlanner) -> None:
    """Every clause context: nothing holds the ask, so nothing is answered."""
    message = planner._plan("my manager is deciding on shelf space, thanks", [])
    assert not message.tool_calls


# 4. The answer says what was set aside, in the question's language.
@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("context")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "orders in May 2026 - they need to reconcile invoices",
            "I took “they need to reconcile invoices” as context",
        ),
        ("2026年5月的买家数，好让我们排期", "「好让我们排期」"),
    ],
)
def test_answer_says_the_context_set_aside(copilot: Copilot, question: str, said: str) -> None:
    answer = copilot.ask(question)
    assert answer.to_json()["status"] == "answered", answer.text
    assert said in answer.text, answer.text
