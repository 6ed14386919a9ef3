"""The copilot against replays of real servers (tests/data/llm-transcripts): whatever the
model does, no number reaches the user that no tool produced, and every quirk of the
servers ends in an answer or a clear error.

What the servers said after a tool result was not recorded; those replies are scripted
(`after_tool`) in the server's own form (a json code block for llama-server)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.answer import AnswerReady, TextDelta
from copilot.conversations import load_turns
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.fakes.replay_server import (
    ReplayServer,
    lcp_function_calling,
    lcp_invented_number,
    llama_server,
)

INVENTED = "1,234,567"


def remote(engine: Engine, tmp_path: Path, server: ReplayServer, **extra: Any) -> Copilot:
    settings = Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url=server.base_url,
        llm_api_key="k",
        llm_model="qwen2.5-coder-1.5b",
        **{"llm_max_retries": 0, **extra},
    )
    return Copilot(settings, engine=engine)


def revenue_last_month(engine: Engine) -> float:
    with engine.connect() as conn:
        return float(
            conn.execute(
                text(
                    # Net sales (MARKETING.md): completed orders plus the (negative)
                    # return orders dated in the period; cancelled ones count for nothing.
                    "SELECT SUM(total) FROM orders WHERE status <> 'cancelled' "
                    "AND (status = 'completed' OR total < 0) AND order_date BETWEEN :s AND :e"
                ),
                {"s": date(2026, 10, 1), "e": date(2026, 10, 31)},
            ).scalar_one()
        )


def last_tool_result(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def text_call(time_range: str) -> str:
    """A call in llama-server's form: a json code block in the message text."""
    call = {
        "name": "query_metrics",
        "arguments": {"metrics": ["revenue"], "time_range": time_range},
    }
    return "```json\n" + json.dumps(call, indent=2) + "\n```"


def corrects_then(final: str):  # noqa: ANN201
    """After the recorded call's error ('last_month'), the call again; then `final`."""

    def reply(body: dict[str, Any]) -> str:
        if last_tool_result(body).startswith("Error"):
            return text_call("last month")
        return final.format(tool=last_tool_result(body).splitlines()[-1])

    return reply


def assert_no_raw_call(answer_text: str) -> None:
    assert "```" not in answer_text and '"arguments"' not in answer_text


def test_llama_server_text_tool_call_is_run_and_answer_checked(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(llama_server(), after_tool=corrects_then("Revenue: {tool}")) as server:
        events = list(remote(duckdb_demo_engine, tmp_path, server).stream("revenue last month?"))
    answer = events[-1].answer
    assert server.served == [2, "after_tool", "after_tool"]
    assert [c.name for c in answer.tool_calls] == ["query_metrics", "query_metrics"]
    assert answer.tool_calls[0].args == {"metrics": ["revenue"], "time_range": "last_month"}
    assert answer.tool_calls[0].error and answer.tool_calls[1].error is None
    assert answer.status == "answered" and answer.grounding.startswith("checked")
    assert_no_raw_call(answer.text)
    shown = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert shown == answer.text  # nothing but the checked text reached the stream


def test_llama_server_invented_number_after_tools_is_replaced(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    invented = corrects_then(f"Revenue last month was ¥{INVENTED}.")
    with ReplayServer(llama_server(), after_tool=invented) as server:
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("What was revenue last month?")
    expected = revenue_last_month(duckdb_demo_engine)
    assert INVENTED not in answer.text
    assert f"¥{expected:,.2f}" in answer.text  # the offline planner's answer
    assert answer.status == "answered"
    assert "offline planner" in answer.grounding and "no tool result" in answer.grounding
    assert INVENTED not in json.dumps(answer.to_json(), ensure_ascii=False)
    assert answer.to_json()["grounding"] == answer.grounding
    # The model was sent back once with the reason before it was replaced.
    reasons = [m["content"] for b in server.bodies for m in b["messages"] if m["role"] == "user"]
    assert any("no tool result" in r and INVENTED in r for r in reasons)


def test_skipped_tools_and_invented_number_never_reach_the_user(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(lcp_invented_number()) as server:
        copilot = remote(duckdb_demo_engine, tmp_path, server)
        answer = copilot.ask("What was revenue last month?", "invented")
    assert server.served == [12, 12]  # the first reply, then the one retry
    retry = server.bodies[1]["messages"][-1]
    assert retry["role"] == "user" and "called no tool" in retry["content"]
    assert INVENTED not in answer.text
    expected = revenue_last_month(duckdb_demo_engine)
    assert f"¥{expected:,.2f}" in answer.text
    assert answer.status == "answered" and "offline planner" in answer.grounding
    stored = [t["content"] for t in load_turns(duckdb_demo_engine, "invented")]
    assert INVENTED not in stored[-1]


def test_invented_number_the_planner_cannot_replace_is_a_plain_could_not_compute(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(lcp_invented_number()) as server:
        answer = remote(duckdb_demo_engine, tmp_path, server).ask(
            "How much revenue did our competitors make last month?"
        )
    assert INVENTED not in answer.text
    assert answer.status == "error" and "could not compute" in answer.text
    assert "no tool result" in answer.error and INVENTED not in answer.error
    assert answer.exit_code == 1


def test_streaming_refused_with_tool_choice_falls_back_to_a_plain_request(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(
        lcp_function_calling(), after_tool=corrects_then("Revenue: {tool}")
    ) as server:
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("What was revenue last month?")
    assert server.served[:2] == [8, 6]  # empty stream, then the real tool call
    first, second = server.bodies[0], server.bodies[1]
    assert first["stream"] is True and not second.get("stream")
    assert first["tool_choice"] == second["tool_choice"] == "auto"
    assert answer.tool_calls[0].args == {"metrics": ["revenue"], "time_range": "last_month"}
    assert answer.status == "answered" and answer.grounding.startswith("checked")


def test_tools_ignored_without_tool_choice_end_with_the_offline_answer(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(lcp_function_calling()) as server:
        copilot = remote(
            duckdb_demo_engine, tmp_path, server, llm_tool_choice="none-sent", llm_stream="false"
        )
        answer = copilot.ask("What was revenue last month?")
    assert server.served == [10, 10]
    assert all("tool_choice" not in body and not body.get("stream") for body in server.bodies)
    assert "As an AI language model" not in answer.text
    assert answer.status == "answered" and "offline planner" in answer.grounding


def test_tool_choice_required_http_500_is_a_clear_error(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(lcp_function_calling()) as server:
        copilot = remote(
            duckdb_demo_engine, tmp_path, server, llm_tool_choice="required", llm_stream="false"
        )
        answer = copilot.ask("What was revenue last month?")
    assert server.bodies[0]["tool_choice"] == "required"
    assert answer.status == "error" and answer.exit_code == 1
    assert "HTTP 500" in answer.error and "internal_server_error" in answer.error
    assert "COPILOT_LLM_TOOL_CHOICE=auto" in answer.error


def test_empty_stream_is_an_error_not_an_answer(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    with ReplayServer(lcp_function_calling()) as server:
        copilot = remote(duckdb_demo_engine, tmp_path, server, llm_stream="true")
        events = list(copilot.stream("What was revenue last month?"))
    answer = events[-1].answer
    assert isinstance(events[-1], AnswerReady)
    assert server.served == [8, 8]
    assert answer.status == "error" and "empty answer" in answer.error
    assert answer.to_json()["error"] == answer.error


@pytest.mark.parametrize("question", ["What was revenue last month?", "上个月的销售额是多少？"])
def test_first_request_is_small(duckdb_demo_engine: Engine, tmp_path: Path, question: str) -> None:
    with ReplayServer(lcp_invented_number()) as server:
        remote(duckdb_demo_engine, tmp_path, server).ask(question)
    first = server.bodies[0]
    size = len(json.dumps(first, ensure_ascii=False))
    assert [t["function"]["name"] for t in first["tools"]][0] == "query_metrics"
    assert len(first["tools"]) <= 4
    # Tokens estimated as on the recorded llama-server request: 29,059 chars = 7,872 tokens.
    assert size * 7872 / 29059 < 2500, size


def test_no_front_end_shows_the_invented_number(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    from copilot.frontends.slack.render import answer_blocks, context_line, fallback_text
    from copilot.frontends.web.chat import answer_json, answer_messages

    with ReplayServer(lcp_invented_number()) as server:
        copilot = remote(duckdb_demo_engine, tmp_path, server)
        web_api = answer_json(copilot, "What was revenue last month?", None)
        answer = copilot.ask("What was revenue last month?")
    web_chat = "\n".join(str(m.content) for m in answer_messages(answer))
    slack = json.dumps(answer_blocks(answer), ensure_ascii=False) + fallback_text(answer)
    cli = json.dumps(answer.to_json(), ensure_ascii=False)
    for shown in (web_chat, slack, json.dumps(web_api, ensure_ascii=False), cli):
        assert INVENTED not in shown
    assert answer.grounding in web_chat and "offline planner" in context_line(answer)
    assert web_api["status"] == "answered" and "offline planner" in web_api["grounding"]
    assert json.loads(cli)["answer"] == answer.text and INVENTED not in answer.text
    # The terminal (`copilot ask` and `copilot chat` print through the same two calls).
    from copilot.frontends.cli_output import (
        console,
        err_console,
        print_answer,
        print_grounding_note,
    )

    with console.capture() as out, err_console.capture() as err:
        print_answer(answer)
        print_grounding_note(answer)
    terminal = out.get() + err.get()
    assert INVENTED not in terminal and "offline planner" in terminal


def test_chinese_question_gets_the_note_in_chinese(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with ReplayServer(lcp_invented_number()) as server:
        answer = remote(duckdb_demo_engine, tmp_path, server).ask("上个月的销售额是多少？")
    expected = revenue_last_month(duckdb_demo_engine)
    assert INVENTED not in answer.text and f"{expected:,.2f}" in answer.text
    assert answer.status == "answered" and "离线规划器" in answer.grounding
