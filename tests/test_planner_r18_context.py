"""Round 18, the ask and the talk around it (sentence level): a question wrapped in
conversation (a hunch, a reason, who keeps asking, "is that good?") is read as its ASK (the
clause with a question word or mark, a request verb, an imperative, 吗/呢/多少/帮我:
lexicon reader_words `ask_shape`); the clauses around it are set aside, and named in the
answer, only when they hold no restriction the ask lacks (no limiting word, `context_limit`,
and no store value, metric, breakdown or number the ask does not hold). An evaluative
side-question ("is that high?", "算高还是低", `evaluative_ask`) is answered with the figure and
a line that the copilot does not judge it. A clause holding a restriction the ask lacks keeps
it or is asked back. Every wording here is our own; none is a set's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.offline.planner import OfflinePlanner
from copilot.settings import Settings
from tests.conftest import AS_OF, query_args

_CONTEXT_KEY = "context_clauses"
_JUDGED_KEY = "judgements_asked"


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("context18")
    return Copilot(
        Settings(home=home, as_of=AS_OF, llm_provider="offline"), engine=duckdb_demo_engine
    )


# 1. A hunch, a complaint or a stakeholder said in a sentence of its own beside the ask: the
#    ask is answered, the sentence travels to the answer.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("I keep hearing our numbers are slipping. What was revenue in May 2026?", "revenue"),
        ("Honestly my hunch is we're fine. How many orders did we get in May 2026?", "orders"),
        ("My boss has been on my back all week. Orders in May 2026, please?", "orders"),
        ("老板天天念叨这个事。2026年5月销售额多少？", "revenue"),
        ("我一直觉得最近生意一般般。帮我查下2026年5月的订单数", "orders"),
    ],
)
def test_talk_beside_the_ask_is_set_aside(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    assert metric in message.tool_calls[0]["args"]["metrics"]
    assert not message.response_metadata.get(_JUDGED_KEY)


def test_talk_set_aside_travels_to_the_answer(planner: OfflinePlanner) -> None:
    message = planner._plan("Gut says we are bleeding. What was revenue in May 2026?", [])
    assert message.tool_calls, message.content
    assert message.response_metadata.get(_CONTEXT_KEY) == ["Gut says we are bleeding"]


# 2. An evaluative side-question beside the ask: the figure is answered, never dropped silently.
@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("What was the return rate in May 2026? Is that high?", "return_rate"),
        ("How many buyers did we have in May 2026, and should we be worried?", "buyers"),
        ("2026年5月的复购率是多少？这个水平正常吗", "repurchase_rate"),
        ("2026年5月的退货率多少，算高还是低", "return_rate"),
        ("2026年5月杭州的订单数是多少？杭州是不是太小了", "orders"),
    ],
)
def test_evaluative_side_question_is_answered_with_the_figure(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls, message.content
    assert metric in message.tool_calls[0]["args"]["metrics"]
    assert message.response_metadata.get(_JUDGED_KEY), message.response_metadata


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What was the return rate in May 2026? Is that high?", "I don't judge"),
        ("2026年5月的退货率多少，算高还是低", "我不判断"),
    ],
)
def test_answer_says_it_does_not_judge(copilot: Copilot, question: str, said: str) -> None:
    answer = copilot.ask(question)
    assert answer.to_json()["status"] == "answered", answer.text
    assert said in answer.text, answer.text


# 3. Near misses: a sentence beside the ask that holds a restriction the ask lacks keeps it
#    ("Only app orders.") or is asked back ("I think the mini program is weak."); never set
#    aside for a whole-store figure.
def test_restriction_in_a_sentence_beside_the_ask_is_kept(planner: OfflinePlanner) -> None:
    args = query_args(planner, "Only app orders. What was revenue in May 2026?")
    assert args.get("filters", {}).get("channel") == ["app"], args


@pytest.mark.parametrize(
    "question",
    [
        "We think Shanghai is slipping badly. What was revenue in May 2026?",
        "我觉得小程序不太行。2026年5月的销售额是多少？",
    ],
)
def test_value_the_ask_lacks_is_not_set_aside(planner: OfflinePlanner, question: str) -> None:
    message = planner._plan(question, [])
    for call in message.tool_calls:
        assert call["args"].get("filters"), call  # never the whole store
    assert not message.response_metadata.get(_CONTEXT_KEY)


# A population or a calendar said in the talk may restrict the ask: never set aside, so an
# unknown place before "customers" or a fiscal year said not to be the calendar is asked about.
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("wuhu shoppers - what did they spend with us in September?", "wuhu"),
        ("net sales for Q2 FY26? our fiscal year is not the calendar one", "fiscal"),
        ("芜湖的顾客——九月一共花了多少？", "芜湖"),
    ],
)
def test_population_or_calendar_in_the_talk_is_not_set_aside(
    planner: OfflinePlanner, question: str, named: str
) -> None:
    message = planner._plan(question, [])
    assert not message.tool_calls, message.tool_calls
    assert named in str(message.content)
