"""`status` of an answer when the copilot asks back or refuses (issue 10, item 4).

The offline planner states the status of every reply it makes without a tool call
(`clarify`, or `refused` for an honest "cannot"), so a question back that has no
question mark (Chinese "请换个说法。", "Please add what is missing") is still `clarify`:
exit code 4 and `error` null, as the README's `ask --json` table says. Refusals (out of
scope, a metric the store does not measure, every tool call declined) stay `refused`
with the reason in `error` and exit code 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.answer import Answer
from copilot.offline import readings
from copilot.offline.question import read_question
from copilot.outcome import STATUS_KEY, Refusal, stated_status
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.test_cli import run


@pytest.fixture(scope="module")
def copilot(duckdb_demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    home = tmp_path_factory.mktemp("ask-status")
    settings = Settings(home=home, as_of=AS_OF, llm_provider="offline")
    return Copilot(settings, engine=duckdb_demo_engine)


def _contract(answer: Answer) -> tuple[str, str | None, int]:
    payload = answer.to_json()
    return payload["status"], payload["error"], answer.exit_code


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What was revenue in Atlantis last month?", "atlantis"),
        ("上个月亚特兰蒂斯的销售额是多少？", "亚特兰蒂斯"),  # asks back with no "？"
    ],
)
def test_an_unknown_place_is_a_clarification(copilot: Copilot, question: str, named: str) -> None:
    answer = copilot.ask(question)
    assert _contract(answer) == ("clarify", None, 4)
    # The clarification names the place as written ("Atlantis"), so compare lower-cased.
    assert answer.tool_calls == [] and named in answer.text.lower()


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # Round 5: a clear typo ("chanel") is read as its word and the answer says so; a
        # close call between two known words ("bring" or "buying") is still asked back.
        ("how many customers bying last month", "bying"),
        # A typo of 城市 (city) that is not its pinyin twin; 按城事 (the same sound after a
        # breakdown marker) is read as 按城市 and the answer says so (round 7).
        ("上个月按城适的销售额", "城适"),
    ],
)
def test_a_misspelt_dimension_is_a_clarification(
    copilot: Copilot, question: str, named: str
) -> None:
    answer = copilot.ask(question)
    assert _contract(answer) == ("clarify", None, 4)
    assert named in answer.text


def test_a_clear_typo_is_answered_and_its_reading_stated(copilot: Copilot) -> None:
    answer = copilot.ask("revenue by chanel last month")
    assert _contract(answer)[0] == "answered"
    assert answer.tool_calls[0].args["dimensions"] == ["channel"]
    assert answer.text.startswith("I read “chanel” as channel.")


def _readings(copilot: Copilot, question: str) -> list[str]:
    """The tools of the question's competing readings, most specific first."""
    planner = copilot._planner()
    parsed = read_question(question, planner.values)
    tools = tuple(t.name for t in copilot.tools)
    return [r.tool for r in readings.readings_of(parsed, planner._context, tools)]


@pytest.mark.parametrize("question", ["which customers will churn", "哪些客户会流失"])
def test_a_close_call_between_two_readings_is_a_clarification(
    copilot: Copilot, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, other, *_ = _readings(copilot, question)  # two readings compete, or no close call
    # The example similarity favours the later reading, but not by RATIO: a close call.
    share = {first: 0.4, other: 0.6}
    monkeypatch.setattr(readings, "intent_probabilities", lambda text, allowed: share)
    answer = copilot.ask(question)
    assert answer.tool_calls == [], answer.text
    assert _contract(answer) == ("clarify", None, 4)


def test_a_reading_that_lacks_an_argument_asks_back(
    copilot: Copilot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Please add what is missing or rephrase": a question back without a question mark.
    # The competing reading must be one named only by a cue (no reader filled it), so the
    # question holds no rule the segment reader can read: with a spend threshold ("buyers
    # who spent over 900 last year") the rule reader fills the segment and the metric
    # reader steps aside (round 11), leaving a single reading and nothing to ask.
    question = "create an audience of buyers last year"
    first, other, *_ = _readings(copilot, question)
    assert other == "define_segment"
    share = {first: 0.05, other: 0.9}
    monkeypatch.setattr(readings, "intent_probabilities", lambda text, allowed: share)
    answer = copilot.ask(question)
    assert answer.tool_calls == [], answer.text
    assert _contract(answer) == ("clarify", None, 4)
    assert "last year" in answer.text  # names what the reading cannot use


def test_people_named_by_a_spend_are_read_as_the_rule_alone(copilot: Copilot) -> None:
    # The question the test above used before round 11: "buyers who spent over 900" is a
    # rule of people, read by the segment reader only (no revenue reading competes).
    question = "create an audience of buyers who spent over 900 last year"
    assert _readings(copilot, question) == ["define_segment"]


@pytest.mark.parametrize(
    "question",
    [
        "What will the weather be tomorrow?",
        "明天天气怎么样？",
        "delete all orders from last year",
        "How many customers bought in both 2025 and 2026?",
    ],
)
def test_refusals_stay_refused_with_the_reason(copilot: Copilot, question: str) -> None:
    answer = copilot.ask(question)
    status, error, code = _contract(answer)
    assert (status, code) == ("refused", 3)
    assert error and error == answer.text


def test_the_stated_status_follows_the_reply_kind() -> None:
    assert stated_status("Which numbers would you like") == {STATUS_KEY: "clarify"}
    assert stated_status(Refusal("I can't measure that.")) == {STATUS_KEY: "refused"}
    assert isinstance(Refusal("x"), str) and Refusal("x") == "x"


def test_cli_json_reports_a_chinese_question_back_as_clarify(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "上个月亚特兰蒂斯的销售额是多少？", "--json")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, (result.stdout, result.stderr)
    payload = json.loads(lines[0])
    assert (payload["status"], payload["error"], result.returncode) == ("clarify", None, 4)
    assert "亚特兰蒂斯" in payload["answer"]


def test_web_ask_api_and_slack_report_the_same_clarify(copilot: Copilot) -> None:
    """The web UI's `/ask` API and Slack's context line read the same Answer.status."""
    from copilot.frontends.slack.render import context_line
    from copilot.frontends.web.chat import answer_json

    payload = answer_json(copilot, "上个月亚特兰蒂斯的销售额是多少？", None)
    assert (payload["status"], payload["error"]) == ("clarify", None)
    assert payload["conversation_id"]
    answer = copilot.ask("上个月亚特兰蒂斯的销售额是多少？")
    assert "status: clarify" in context_line(answer)
    assert "could not finish" not in context_line(answer)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("给微信渠道的沉睡客户写一条短信", "微信渠道"),
        ("write an SMS for Hibernating customers about the zorblax sale", "zorblax"),
    ],
)
def test_a_tool_that_asks_back_makes_the_turn_a_clarification(
    copilot: Copilot, question: str, named: str
) -> None:
    """The copy tool asks about an unclear word instead of writing (its `clarify` output):
    the turn is `clarify` with exit code 4, not `answered`."""
    answer = copilot.ask(question)
    assert [c.name for c in answer.tool_calls] == ["generate_copy"]
    assert _contract(answer) == ("clarify", None, 4)
    assert named in answer.text.lower()
