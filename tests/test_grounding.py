"""The grounding check (numbers of an answer vs. this turn's data), text tool calls, and
the guard against a scripted OpenAI-compatible server: invented numbers, skipped tools,
`<tool_call>` tags and empty answers never reach the user as an answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.grounding import Sources, check_numbers, numbers_in
from copilot.outcome import asks_back
from copilot.settings import Settings
from copilot.text_tool_calls import read_text_tool_calls
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer, fn, text, tool_calls


def sources(*texts: str, question: str = "", values: object = None) -> Sources:
    found = Sources()
    for item in texts:
        found.add_text(item)
    found.add_question(question)
    if values is not None:
        found.add_value(values)
    return found


TOOL = sources("revenue\n865561.15", "Period: 2026-10-01 to 2026-10-31", "aov 0.1234")


@pytest.mark.parametrize(
    "answer",
    [
        "Revenue last month was ¥865,561.15.",
        "Revenue was ¥865,561 (about ¥865.6k, 86.56万).",
        "AOV rate 12.3% in October 2026 (2026-10-01 to 2026-10-31).",
        "1. Revenue ¥865,561.2\n2. Nothing else",
        "Top 3 cities",  # 3 comes from the question
    ],
)
def test_formatted_and_rounded_tool_numbers_are_grounded(answer: str) -> None:
    assert check_numbers(
        answer,
        sources(
            "revenue\n865561.15",
            "Period: 2026-10-01 to 2026-10-31",
            "aov 0.1234",
            question="top 3 cities",
        ),
    ).ok


@pytest.mark.parametrize(
    ("answer", "bad"),
    [
        ("Revenue last month was $1,234,567.", "1,234,567"),
        ("Revenue was 865,562.", "865,562"),  # not a rounding of 865,561.15, nor "+ 1"
        ("Revenue grew 7% to ¥865,561.15.", "7%"),
        ("Revenue was 1.3万.", "1.3万"),
        ("上个月销售额为1234567元。", "1234567"),
    ],
)
def test_numbers_no_tool_produced_are_flagged(answer: str, bad: str) -> None:
    verdict = check_numbers(answer, TOOL)
    assert not verdict.ok and bad in verdict.unsupported


def test_stated_derivations_of_tool_numbers_are_grounded() -> None:
    found = sources("revenue this period 1200.0", "revenue previous period 1000.0")
    assert check_numbers("Up ¥200 (+20.0%) to ¥1,200, 2,200 in both.", found).ok
    assert not check_numbers("Up 35%.", found).ok


def test_table_and_data_values_count() -> None:
    frame = pd.DataFrame(
        {"city": ["上海", "北京"], "orders": [1523, 987], "day": [date(2026, 1, 5)] * 2}
    )
    found = sources(values={"rows": 2, "table": frame, "share": 0.61})
    assert check_numbers("上海 1,523 单，北京 987 单；占 61%，2026年1月5日。", found).ok
    assert numbers_in("Q3 and v2 are names, 1,234.5 is a number")[0].value == 1234.5


def test_text_tool_calls_in_every_form() -> None:
    block = '```json\n{"name": "query_metrics", "arguments": {"metrics": ["revenue"], "limit": null}}\n```'
    tagged = '<tool_call>\n{"name": "rfm_segments", "arguments": "{}"}\n</tool_call>'
    openai_shape = '[{"function": {"name": "describe_data", "arguments": "{}"}}]'
    for text_form, name in [
        (block, "query_metrics"),
        (tagged, "rfm_segments"),
        (openai_shape, "describe_data"),
    ]:
        found = read_text_tool_calls(text_form)
        assert [c["name"] for c in found.calls] == [name] and not found.unreadable
    assert read_text_tool_calls(block).calls[0]["args"] == {"metrics": ["revenue"]}
    broken = read_text_tool_calls('```json\n{"name": "query_metrics", "arguments": {metrics}}\n```')
    assert not broken.calls and broken.unreadable
    assert not read_text_tool_calls("Revenue was ¥12 (see ```SELECT 1```).").found


def test_a_reply_that_asks_back_is_a_clarification() -> None:
    assert asks_back("Which numbers would you like? For example revenue.")
    assert asks_back("您想看哪个指标？")
    assert not asks_back("Sorry, I can't. Try: 'What was revenue last month?'")
    assert not asks_back("抱歉，我回答不了。例如：“上个月的销售额是多少？”")


def remote(engine: Engine, tmp_path: Path, server: FakeOpenAIServer) -> Copilot:
    settings = Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url=server.base_url,
        llm_api_key="k",
        llm_model="fake-model",
        llm_max_retries=0,
    )
    return Copilot(settings, engine=engine)


REVENUE = ("query_metrics", {"metrics": ["revenue"], "time_range": "last month"})


def test_invented_number_after_a_tool_is_sent_back_once_then_fixed(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    def from_tool(body: dict) -> str:
        return "Revenue: " + body["messages"][-3]["content"].splitlines()[-1]

    with FakeOpenAIServer() as server:
        server.script(tool_calls([REVENUE]), text("Revenue was ¥9,999,999."), fn(from_tool))
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("What was revenue last month?")
        retry = server.chat_requests[2].body_json["messages"][-1]
    assert retry["role"] == "user" and "9,999,999" in retry["content"]
    assert "9,999,999" not in answer.text
    assert answer.status == "answered" and "after one retry" in answer.grounding


def test_tool_call_tags_run_and_are_never_shown(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    tagged = '<tool_call>\n{"name": "query_metrics", "arguments": {"metrics": ["orders"], "time_range": "last month"}}\n</tool_call>'

    def from_tool(body: dict) -> str:
        return "Orders: " + body["messages"][-1]["content"].splitlines()[-1]

    with FakeOpenAIServer() as server:
        server.script(text(tagged), fn(from_tool))
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("How many orders last month?")
    assert [c.name for c in answer.tool_calls] == ["query_metrics"]
    assert "<tool_call>" not in answer.text and answer.status == "answered"


def test_empty_answers_are_an_error(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        server.script(text(""), text(""))
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("hello")
    assert answer.status == "error" and "empty answer" in answer.error
    assert answer.text == answer.error and answer.exit_code == 1


def test_small_talk_without_numbers_passes(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        server.script(text("Hello! Ask me about your sales."))
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("hello")
    assert answer.status == "answered" and answer.text.startswith("Hello")
    assert len(server.chat_requests) == 1


def test_the_guards_sentences_come_from_the_catalogue() -> None:
    """The grounding note, "could not compute" and the model-failure errors are catalogue
    messages: the same sentence in English and Chinese, placeholders filled."""
    from types import SimpleNamespace

    from copilot.outcome import could_not_compute, model_failure, not_grounded_note

    assert not_grounded_note("7 is not in any result", "en", False) == (
        "Not shown: 7 is not in any result."
    )
    assert not_grounded_note("7", "zh", True) == (
        "模型的回答未通过数字核对（7）；以下答案由离线规划器根据其自己的工具结果给出。"
    )
    assert could_not_compute("zh").startswith("这个问题我没能算出可核对的答案")
    where = SimpleNamespace(llm_base_url="http://llm:8000/v1")
    assert model_failure("empty", where, "zh").startswith("http://llm:8000/v1 上的模型两次都")
    assert "could not be read (twice)" in model_failure("unreadable", where, "en")
