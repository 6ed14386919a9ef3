"""The privacy gate's recogniser: international phones, names in any case, linear time, live names."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, text

from copilot.agent import Copilot
from copilot.messages import HumanMessage, ToolMessage
from copilot.privacy import MAX_GATED_CHARS, NameIndex, gate_message, mask_personal_data
from copilot.settings import Settings
from knowledge.store import connect_store
from knowledge.store.schema import Customer
from tests.conftest import AS_OF
from tests.fakes.openai_server import FakeOpenAIServer, tool_calls
from tests.fakes.openai_server import text as reply

NAMES = NameIndex(["José García", "Sean O'Brien", "McKenzie Lee", "王小明", "Alice Chen"])


@pytest.mark.parametrize(
    "secret",
    [
        "+1 (415) 555-0142",
        "(020) 7946 0958",
        "138.0013.8000",
        "138 0013 8000",
        "+44 20 7946 0958",
        "415-555-0142",
        "13800138000",
        "josé garcía",
        "JOSE GARCIA",
        "Sean O'Brien",
        "sean o’brien",
        "MCKENZIE LEE",
        "王小明",
        "first.last+tag@sub.example.co.uk",
    ],
)
def test_international_phones_and_names_in_any_case_are_masked(secret: str) -> None:
    masked = mask_personal_data(f"Please contact {secret}, thanks (2026-01-15).", NAMES)
    assert secret not in masked
    assert masked.startswith("Please contact ") and masked.endswith(", thanks (2026-01-15).")


@pytest.mark.parametrize(
    "plain",
    [
        "Revenue was 12345678.90 on 2026-01-15 from 1,234 orders",
        "AOV 245.50, CTR 3.2%, lift 12.5 points",
        "Champions: 1 234 customers",
        "Order 20260115001 shipped",
        "Sean and Alice are common first names",
    ],
)
def test_amounts_dates_and_lone_first_names_pass(plain: str) -> None:
    assert mask_personal_data(plain, NAMES) == plain


def test_recogniser_is_linear() -> None:
    started = time.perf_counter()
    mask_personal_data("a" * 80_000, NAMES)
    mask_personal_data("a" * 80_000 + "@", NAMES)
    mask_personal_data("1" * 80_000, NAMES)
    mask_personal_data("@" * 80_000, NAMES)
    assert time.perf_counter() - started < 1.0
    # A 5 MB reply is cut to MAX_GATED_CHARS before masking: the gate stays fast.
    huge = ("Sean O'Brien paid 12.50 via +1 (415) 555-0142. " * 110_000)[:5_000_000]
    started = time.perf_counter()
    gated = gate_message(ToolMessage(huge, tool_call_id="t"), NAMES, allow_raw_rows=False)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, elapsed
    assert len(gated.content) < MAX_GATED_CHARS + 100
    assert "O'Brien" not in gated.content and "555-0142" not in gated.content.replace(
        "***-0142", ""
    )


def test_question_is_masked_content_blocks_too() -> None:
    message = HumanMessage(content=[{"type": "text", "text": "is josé garcía on 138.0013.8000?"}])
    gated = gate_message(message, NAMES, allow_raw_rows=False)
    assert "garcía" not in str(gated.content) and "0013" not in str(gated.content)


def test_names_imported_after_start_are_masked(tmp_path: Path) -> None:
    engine = connect_store(f"duckdb:///{tmp_path}/store.duckdb")
    with engine.begin() as conn:
        conn.execute(insert(Customer), [{"customer_id": "c1", "name": "Alice Chen"}])
    index = NameIndex.from_store(engine)
    index.check_every_s = 0.0  # check the store on every use
    assert mask_personal_data("ask mckenzie lee", index) == "ask mckenzie lee"
    with engine.begin() as conn:  # an import adds a customer
        conn.execute(insert(Customer), [{"customer_id": "c2", "name": "McKenzie Lee"}])
    assert "mckenzie lee" not in mask_personal_data("ask mckenzie lee", index)
    engine.dispose()


def remote_settings(tmp_path: Path, base_url: str) -> Settings:
    return Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_base_url=base_url,
        llm_api_key="k",
        llm_model="fake-model",
        llm_max_retries=0,
    )


def test_recording_model_sees_no_personal_values(
    duckdb_demo_engine: Engine, tmp_path: Path
) -> None:
    with duckdb_demo_engine.connect() as conn:
        people = pd.read_sql(
            text("SELECT name, email, phone FROM customers ORDER BY customer_id LIMIT 3"), conn
        )
        all_people = pd.read_sql(text("SELECT name, email, phone FROM customers"), conn)
    first = people.iloc[0]
    question = (
        f"what did {first['name'].lower()} buy? reach them at {first['email'].upper()} "
        f"or +86 {first['phone'][:3]} {first['phone'][3:7]} {first['phone'][7:]}"
    )
    probes = [
        "SELECT c FROM customers c",
        "SELECT string_agg(email, ',') AS e, list(phone) AS p FROM customers",
        "SELECT email || ' ' || phone AS contact, upper(name) AS n FROM customers",
        "SELECT text FROM reviews LIMIT 20",
        "SELECT * FROM conversation_messages",
    ]
    with FakeOpenAIServer() as server:
        server.script(tool_calls([("run_sql", {"sql": sql}) for sql in probes]), reply("Done."))
        Copilot(remote_settings(tmp_path, server.base_url), engine=duckdb_demo_engine).ask(question)
        sent = server.all_request_text()
    secrets = {
        str(v) for c in all_people.columns for v in all_people[c].dropna() if len(str(v)) > 3
    }
    assert first["name"].lower() not in sent.lower()
    assert first["email"].upper() not in sent
    assert not [s for s in secrets if s in sent]
    assert "copilot's own tables" in sent  # conversation_messages refused with a reason
