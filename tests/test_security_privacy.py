"""The privacy gate's recogniser: international phones, names in any case, linear time, live names."""

from __future__ import annotations

import re
import re._parser as sre
from pathlib import Path
from typing import Any

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
from tools.sql import pii_text

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


def _unbounded_repeats(pattern: re.Pattern[str]) -> list[str]:
    """The repeats of a compiled pattern with no upper bound (`*`, `+`, `{n,}`), by position."""
    found: list[str] = []

    def walk(items: Any) -> None:
        for op, av in items:
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
                low, high, inner = av
                if high == sre.MAXREPEAT:
                    found.append(f"{op} {low},")
                walk(inner)
            elif op == sre.SUBPATTERN:
                walk(av[-1])
            elif op == sre.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(av[1])

    walk(sre.parse(pattern.pattern, pattern.flags))
    return found


def test_recogniser_patterns_are_bounded() -> None:
    # Linear time without a clock: the patterns retried at every position of a text (a
    # phone candidate, its window, an email's domain) have only bounded repeats, so each
    # position costs a constant. (Timings: benchmarks/privacy_bench.py.)
    for pattern in (pii_text._PHONE_CANDIDATE, pii_text._PHONE_WINDOW, pii_text._DOMAIN):
        assert _unbounded_repeats(pattern) == [], pattern.pattern
    assert _unbounded_repeats(re.compile(r"a{1,5}(?:b+)?")) == ["MAX_REPEAT 1,"]


@pytest.mark.parametrize("text", ["a" * 80_000, "a" * 80_000 + "@", "1" * 80_000, "@" * 80_000])
def test_recogniser_handles_a_long_adversarial_text(text: str) -> None:
    assert mask_personal_data(text, NAMES) == text


def test_the_gate_cuts_a_huge_reply_before_masking() -> None:
    # A 5 MB reply is cut to MAX_GATED_CHARS before masking: the gate's work is bounded.
    huge = ("Sean O'Brien paid 12.50 via +1 (415) 555-0142. " * 110_000)[:5_000_000]
    gated = gate_message(ToolMessage(huge, tool_call_id="t"), NAMES, allow_raw_rows=False)
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
