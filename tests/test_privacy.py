"""The privacy gate: no personal data reaches a remote model (a recording fake endpoint)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.privacy import NameIndex, mask_personal_data
from copilot.settings import Settings
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer, tool_calls
from tests.fakes.openai_server import text as reply


def customers(engine: Engine, n: int = 5) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(
            text(
                f"SELECT customer_id, name, email, phone FROM customers ORDER BY customer_id LIMIT {n}"
            ),
            conn,
        )


def remote_settings(tmp_path: Path, base_url: str, **extra) -> Settings:  # noqa: ANN003
    return Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url=base_url,
        llm_api_key="k",
        llm_model="fake-model",
        llm_max_retries=0,
        **extra,
    )


def test_mask_personal_data_in_free_text() -> None:
    names = NameIndex(["王小明", "Alice Chen"])
    masked = mask_personal_data(
        "王小明购买了三次, Alice Chen wrote from alice@example.com, call 138-1234-5678 or +86 13912345678",
        names,
    )
    for secret in ("王小明", "Alice Chen", "alice@example.com", "1234-5678", "13912345678"):
        assert secret not in masked
    assert "购买了三次" in masked and "wrote from" in masked


def test_customer_rows_and_names_never_reach_the_remote_model(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    people = customers(duckdb_demo_engine)
    first = people.iloc[0]
    question = (
        f"Tell me about {first['name']} ({first['email']}, {first['phone']}): what did they buy?"
    )
    with FakeOpenAIServer() as server:
        server.script(
            tool_calls(
                [
                    (
                        "run_sql",
                        {
                            "sql": "SELECT customer_id, name, email, phone FROM customers ORDER BY customer_id LIMIT 5"
                        },
                    )
                ]
            ),
            reply("Here are the customers you asked for."),
        )
        answer = Copilot(remote_settings(tmp_path, server.base_url), engine=duckdb_demo_engine).ask(
            question
        )
        sent = server.all_request_text()
    assert answer.error is None
    for column in ("customer_id", "name", "email", "phone"):
        for value in people[column]:
            assert str(value) not in sent, (column, value)
    assert "withheld from the model" in sent
    # The user still sees the (masked) table.
    assert len(answer.tables[0].frame) == 5


def test_raw_rows_go_only_when_the_setting_allows(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    people = customers(duckdb_demo_engine)
    with FakeOpenAIServer() as server:
        server.script(
            tool_calls(
                [
                    (
                        "run_sql",
                        {
                            "sql": "SELECT customer_id, email FROM customers ORDER BY customer_id LIMIT 5"
                        },
                    )
                ]
            ),
            reply("Done."),
        )
        settings = remote_settings(tmp_path, server.base_url, allow_raw_rows=True)
        Copilot(settings, engine=duckdb_demo_engine).ask("list five customers")
        sent = server.all_request_text()
    assert all(cid in sent for cid in people["customer_id"])
    assert not any(email in sent for email in people["email"])  # masked either way


def test_aggregates_pass_the_gate(duckdb_demo_engine: Engine, tmp_path: Path) -> None:
    with FakeOpenAIServer() as server:
        server.script(
            tool_calls([("query_metrics", {"metrics": ["revenue"], "dimensions": ["city"]})]),
            reply("Revenue by city."),
        )
        Copilot(remote_settings(tmp_path, server.base_url), engine=duckdb_demo_engine).ask(
            "revenue by city"
        )
        tool_message = server.chat_requests[1].body_json["messages"][-1]
    assert tool_message["role"] == "tool"
    assert "上海" in tool_message["content"] and "withheld" not in tool_message["content"]


def test_remote_model_writes_copy_through_the_checks(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    people = customers(duckdb_demo_engine, 50)
    draft = (
        '{"text": "Lumière Living: a little thank-you for our Champions. Reply STOP to opt out"}'
    )
    with FakeOpenAIServer() as server:
        server.script(
            tool_calls(
                [("generate_copy", {"segments": ["Champions"], "channel": "sms", "language": "en"})]
            ),
            reply(draft),
            reply("Here is the draft."),
        )
        answer = Copilot(remote_settings(tmp_path, server.base_url), engine=duckdb_demo_engine).ask(
            "write an SMS for champions"
        )
        writer_request = server.chat_requests[1].raw_text
        sent = server.all_request_text()
    assert answer.error is None
    assert "brief" in writer_request and "Champions" in writer_request
    table = answer.tables[0].frame
    assert "a little thank-you for our Champions" in table["text"].iloc[0]
    for column in ("name", "email", "phone"):
        assert not [v for v in people[column].dropna() if v in sent], column
