"""The web UI answers through its Gradio API (`/chat`, `/ask`), one conversation per session."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pandas as pd
import pytest
from gradio_client import Client
from sqlalchemy import Engine, text

from copilot.conversations import load_turns
from copilot.frontends.web import workspace as ws
from copilot.frontends.web.chat import draft_markdown, paragraphs_after_lists
from copilot.frontends.web.tables import TableStyle, display_frame
from tests.servers import login_status, offline_copilot, served_web

# Revenue = net sales (MARKETING.md): completed orders and returns on their own dates.
NET_SALES = "(status = 'completed' OR total < 0) AND status <> 'cancelled'"


@pytest.fixture(scope="module")
def served(duckdb_demo_engine: Engine, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    with served_web(offline_copilot(tmp_path_factory.mktemp("web"), duckdb_demo_engine)) as url:
        yield url


def chat_text(messages: list[dict]) -> str:
    """Every message's content and step title, as one text."""
    return "\n".join(
        f"{(m.get('metadata') or {}).get('title', '')}\n{m['content']}" for m in messages
    )


def test_chat_endpoint_answers_both_languages(served: str, duckdb_demo_engine: Engine) -> None:
    with duckdb_demo_engine.connect() as conn:
        expected = float(
            conn.execute(
                text(
                    f"SELECT SUM(total) FROM orders WHERE {NET_SALES} "
                    "AND order_date BETWEEN '2026-10-01' AND '2026-10-31'"
                )
            ).scalar_one()
        )
    client = Client(served, verbose=False)
    english = client.predict("What was revenue last month?", api_name="/chat")
    chinese = client.predict("上个月的销售额是多少？", api_name="/chat")
    assert f"¥{expected:,.2f}" in chat_text(english)
    assert f"¥{expected:,.2f}" in chat_text(chinese)
    # The tool step comes first, as a finished step titled with the tool's name.
    step = english[0]
    assert step["metadata"]["title"].startswith("query_metrics")
    assert step["metadata"]["status"] == "done"


def test_ask_endpoint_returns_the_tables(served: str, duckdb_demo_engine: Engine) -> None:
    with duckdb_demo_engine.connect() as conn:
        monthly = pd.read_sql(
            text(
                f"SELECT strftime(order_date, '%Y-%m') AS month, SUM(total) AS revenue "
                f"FROM orders WHERE {NET_SALES} AND order_date >= '2026-01-01' "
                "AND order_date < '2026-11-01' GROUP BY 1 ORDER BY 1"
            ),
            conn,
        )
    reply = Client(served, verbose=False).predict("Revenue by month this year", api_name="/ask")
    assert reply["error"] is None and reply["mode"] == "offline"
    assert [c["name"] for c in reply["tool_calls"]] == ["query_metrics"]
    table = reply["tables"][0]
    got = pd.DataFrame(table["rows"], columns=table["columns"])
    assert [str(m)[:7] for m in got["month"]] == list(monthly["month"])
    assert got["revenue"].astype(float).round(2).tolist() == monthly["revenue"].round(2).tolist()


def test_each_browser_session_has_its_own_conversation(
    served: str, duckdb_demo_engine: Engine
) -> None:
    first, second = Client(served, verbose=False), Client(served, verbose=False)
    first.predict("orders last month", api_name="/chat")
    second.predict("buyers last month", api_name="/chat")
    with duckdb_demo_engine.connect() as conn:
        ids = (
            conn.execute(text("SELECT conversation_id FROM conversations WHERE source = 'web'"))
            .scalars()
            .all()
        )
    web_ids = [i for i in ids if i.startswith("web-")]
    assert len(web_ids) >= 2
    questions = {load_turns(duckdb_demo_engine, i)[0]["content"] for i in web_ids}
    assert {"orders last month", "buyers last month"} <= questions


# --- the tabs' functions, without a server ----------------------------------------------


def test_upload_preview_proposes_a_mapping_and_flags_missing_columns(tmp_path) -> None:  # noqa: ANN001
    good = tmp_path / "shop.csv"
    good.write_text("订单号,会员ID,下单时间,商品编码,数量,单价\nA1,M1,2024-03-05,S1,2,9.5\n")
    outcome = ws.upload_preview(str(good), "transactions")
    mapping = outcome.frame.attrs["mapping"]
    chosen = dict(zip(mapping["target column"], mapping["file column"], strict=True))
    assert chosen["order_id"] == "订单号" and chosen["unit_price"] == "单价"
    assert "Every required column is matched" in outcome.message
    assert ws.mapping_from_table(mapping)["customer_id"] == "会员ID"
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    assert "No file column found for" in ws.upload_preview(str(bad), "transactions").message


def test_knowledge_search_lists_passages_with_sources(duckdb_demo_engine: Engine, tmp_path) -> None:  # noqa: ANN001
    passage = SimpleNamespace(citation="brand.md § Voice", score=0.83, text="Warm and plain.")
    fake = SimpleNamespace(search=lambda query, k: [passage] if "voice" in query else [])
    copilot = SimpleNamespace(knowledge=fake)
    shown = ws.search_documents(copilot, "brand voice")  # type: ignore[arg-type]
    assert "**brand.md § Voice** · similarity 0.83" in shown and "> Warm and plain." in shown
    assert ws.search_documents(copilot, "nothing").startswith("No passage")  # type: ignore[arg-type]


def test_display_formats_numbers_but_keeps_them_sortable() -> None:
    frame = pd.DataFrame({"city": ["a", None], "revenue": [1234.5, 99.0], "rate": [0.1234, 0.5]})
    styled = display_frame(frame, TableStyle(language="zh", currency="¥"))
    html = styled.to_html()
    # Money in the store's currency, a rate as a percentage (MARKETING.md), headers labelled.
    assert "¥1,234.50" in html and "12.3%" in html and "销售额" in html
    assert styled.data["销售额"].dtype == float  # the cells stay numbers, so sorting is numeric


def test_a_draft_shows_its_parts_and_failed_checks() -> None:
    row = {
        "segment": "Champions",
        "channel": "email",
        "variant": 2,
        "subject": "Hi",
        "body": "Text",
        "checks_passed": False,
        "failed_checks": "length",
    }
    shown = draft_markdown(row)
    assert "**Subject:** Hi" in shown and "**Body:** Text" in shown
    assert "failed checks: length" in shown and "variant 2" in shown
    # In a Chinese conversation: the segment, channel, parts and checks in Chinese.
    shown = draft_markdown(row, "zh")
    assert "冠军客户" in shown and "variant" not in shown and "subject" not in shown.lower()


# --- login throttling and sessions bound to their login ---------------------------------


def test_failed_logins_are_throttled() -> None:
    from copilot.frontends.web.app import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle("ana", "right", clock=lambda: now[0])
    assert throttle("ana", "right")
    results = [throttle("ana", f"guess-{i}") for i in range(30)]
    assert not any(results)
    # Locked after 5 failures: even the right password is refused for a while.
    assert throttle.locked("ana") and not throttle("ana", "right")
    now[0] += 10 * 3600  # long after: the lock has expired
    assert throttle("ana", "right") and not throttle.locked("ana")
    # The lock grows with more failures (30 s, 60 s, 120 s, ...).
    for i in range(6):
        throttle("ana", f"again-{i}")
    now[0] += 45
    assert throttle.locked("ana")


def test_login_over_http_is_throttled(duckdb_demo_engine: Engine, tmp_path) -> None:  # noqa: ANN001
    with served_web(offline_copilot(tmp_path, duckdb_demo_engine), ("ana", "s3cret")) as url:
        assert login_status(url, "ana", "s3cret") == 200
        wrong = [login_status(url, "ana", f"guess-{i}") for i in range(30)]
        assert all(code >= 400 for code in wrong)
        assert login_status(url, "ana", "s3cret") >= 400  # locked out, the right one waits too


def test_another_sessions_hash_does_not_continue_its_conversation(
    duckdb_demo_engine: Engine,
    tmp_path,  # noqa: ANN001
) -> None:
    with served_web(offline_copilot(tmp_path, duckdb_demo_engine), ("ana", "s3cret")) as url:
        owner = Client(url, auth=("ana", "s3cret"), verbose=False)
        owner.predict("owner: orders last month", api_name="/chat")
        intruder = Client(url, auth=("ana", "s3cret"), verbose=False)
        intruder.session_hash = owner.session_hash  # presents the owner's session hash
        intruder.predict("intruder: buyers last month", api_name="/chat")
        owner.predict("owner: revenue last month", api_name="/chat")
    with duckdb_demo_engine.connect() as conn:
        ids = conn.execute(
            text("SELECT conversation_id FROM conversations WHERE source = 'web'")
        ).scalars()
        turns = {i: [t["content"] for t in load_turns(duckdb_demo_engine, i)] for i in ids}
    owners = [i for i, t in turns.items() if "owner: orders last month" in t]
    intruders = [i for i, t in turns.items() if "intruder: buyers last month" in t]
    assert len(owners) == 1 and len(intruders) == 1 and owners != intruders
    assert "owner: revenue last month" in turns[owners[0]]
    assert "owner: orders last month" not in turns[intruders[0]]
    assert all(owner.session_hash not in i for i in turns)  # ids do not reveal session hashes


def test_a_line_after_a_list_starts_its_own_paragraph_in_markdown() -> None:
    # "What to do:" right after the "- Most valuable" bullet ran into it in the web UI.
    text = "RFM: 10 segments.\n- Biggest: A.\n- Most valuable: B.\nWhat to do:\n- A (5): win back"
    shown = paragraphs_after_lists(text)
    assert "- Most valuable: B.\n\nWhat to do:\n- A (5): win back" in shown
    assert shown.startswith("RFM: 10 segments.\n- Biggest: A.\n- Most valuable")
    fenced = "```\n- a\nb\n```"
    assert paragraphs_after_lists(fenced) == fenced
    assert paragraphs_after_lists("- a\n  more of a") == "- a\n  more of a"
