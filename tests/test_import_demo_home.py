"""Own data never mixes with the demo data; the as-of date counts guest orders; imports
say which encoding they read and refuse a guess; import's exit codes. Real `copilot`
subprocesses on their own homes, as a newcomer following the README runs them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from sqlalchemy import text

from knowledge.store import connect_store
from tests.test_cli import ROOT, copilot_command, run

# 6 lines, 5 orders, ¥855 in October 2026; the guest order (no customer id) is the last one.
OWN_SALES = (
    "order_id,customer_id,order_date,product,quantity,unit_price,city\n"
    "A1,C1,2026-10-03,Blue tee,2,100,Shanghai\n"
    "A2,C2,2026-10-05,Cap,1,155,Beijing\n"
    "A3,C3,2026-10-10,Serum,1,300,Shanghai\n"
    "A4,C1,2026-10-20,Cap,1,141,Shanghai\n"
    "A5,,2026-10-25,Blue tee,1,59,Shanghai\n"
)
OCTOBER = "What was revenue in October 2026 and how many orders?"


def _own_sales(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text(OWN_SALES, encoding="utf-8")
    return path


def _ask_json(home: Path, question: str, **env: str) -> dict:
    result = run(home, "ask", question, "--json", **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def _numbers(payload: dict) -> dict[str, object]:
    """{column: value} of the first one-row result table."""
    table = payload["tables"][0]
    assert len(table["rows"]) == 1, table
    return dict(zip(table["columns"], table["rows"][0], strict=True))


def _count(home: Path, sql: str) -> int:
    engine = connect_store(f"duckdb:///{home}/store.duckdb", create=False)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_an_import_into_a_demo_home_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "demo-data", "--customers", "40").returncode == 0
    before = _ask_json(home, OCTOBER)
    assert before["store"]["kind"] == "demo"
    customers = _count(home, "SELECT count(*) FROM customers")

    refused = run(home, "import", "transactions", str(_own_sales(tmp_path)))
    assert refused.returncode == 3, refused.stderr
    message = " ".join(refused.stderr.split())
    assert "demo data" in message and "nothing was imported" in message
    assert "--replace-demo" in message and "copilot demo-data --remove" in message
    assert "Imported" not in refused.stdout
    after = _ask_json(home, OCTOBER)
    assert after["store"]["kind"] == "demo"
    assert _numbers(after) == _numbers(before)  # nothing of the file was added
    assert _count(home, "SELECT count(*) FROM customers") == customers
    assert _count(home, "SELECT count(*) FROM orders WHERE order_id = 'A1'") == 0


def test_replace_demo_deletes_the_demo_data_and_what_was_built_on_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "demo-data", "--customers", "60").returncode == 0
    assert run(home, "segments", "rfm").returncode == 0  # saved segments of made-up customers
    assert "Champions" in run(home, "segments", "list").stdout

    # A bad file with --replace-demo changes nothing: the removal is in the import's transaction.
    bad = tmp_path / "bad.csv"
    bad.write_text(OWN_SALES.replace("2026-10-10", "2026-13-45"), encoding="utf-8")
    failed = run(home, "import", "transactions", str(bad), "--replace-demo")
    assert failed.returncode == 3, failed.stderr
    assert _ask_json(home, OCTOBER)["store"]["kind"] == "demo"
    assert _count(home, "SELECT count(*) FROM customers") == 60

    replaced = run(home, "import", "transactions", str(_own_sales(tmp_path)), "--replace-demo")
    assert replaced.returncode == 0, replaced.stderr
    said = " ".join(replaced.stdout.split())
    assert "Deleted the demo data before importing" in said
    assert "saved segment(s)" in said and "Imported 5 rows" in said
    payload = _ask_json(home, OCTOBER)
    assert payload["store"] == {
        "kind": "user",
        "empty_tables": ["campaigns", "campaign_messages", "reviews"],
        "demo": None,
    }
    assert _numbers(payload) == {"revenue": 855.0, "orders": 5}  # the file alone
    assert _count(home, "SELECT count(*) FROM customers") == 3
    listed = run(home, "segments", "list")
    assert "Champions" not in listed.stdout
    # The home is the user's now: a second file adds to it, no flag needed.
    more = tmp_path / "more.csv"
    more.write_text(OWN_SALES.splitlines()[0] + "\nB1,C9,2026-10-26,Cap,1,45,Xi'an\n")
    added = run(home, "import", "transactions", str(more))
    assert added.returncode == 0, added.stderr
    assert _numbers(_ask_json(home, OCTOBER)) == {"revenue": 900.0, "orders": 6}


def test_demo_data_remove_empties_a_demo_home_and_keeps_a_users_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "demo-data", "--customers", "30").returncode == 0
    removed = run(home, "demo-data", "--remove")
    assert removed.returncode == 0, removed.stderr
    assert "Removed the demo data" in removed.stdout
    assert _ask_json(home, OCTOBER)["store"]["kind"] == "empty"
    again = run(home, "demo-data", "--remove")
    assert again.returncode == 3 and "does not hold the demo data" in again.stderr
    # The emptied home is not new: no demo data comes back behind the user's back.
    imported = run(home, "import", "transactions", str(_own_sales(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    kept = run(home, "demo-data", "--remove")
    assert kept.returncode == 3
    payload = _ask_json(home, OCTOBER)
    assert payload["store"]["kind"] == "user"
    assert _numbers(payload) == {"revenue": 855.0, "orders": 5}


def test_a_guest_order_after_the_last_customer_order_moves_the_as_of_date(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    imported = run(home, "import", "transactions", str(_own_sales(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    # No COPILOT_AS_OF: the data ends with the guest order of 2026-10-25.
    environment = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COLUMNS": "200",
    }
    for name in ("COPILOT_AS_OF", "COPILOT_DATABASE_URL", "COPILOT_STATE_URL"):
        environment.pop(name, None)
    result = subprocess.run(
        [*copilot_command(), "ask", OCTOBER, "--json"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    assert _numbers(payload) == {"revenue": 855.0, "orders": 5}
    # To date: the figures end with the guest order's day, and the answer says the data ends there.
    assert "2026-10-25)" in payload["answer"] and "The data ends 2026-10-25" in payload["answer"]
    assert "2026-10-21" not in payload["answer"]


def test_encodings_are_named_and_an_unsure_guess_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    header = b"order_id,customer_id,order_date,product,quantity,unit_price,city\n"
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(
        header
        + b"A1,C1,2026-10-03,\xff\xfe\x80\x81 tee,2,100,\x81\x82\n"
        + b"A2,C2,2026-10-05,cap,1,55,Paris\n"
    )
    refused = run(home, "import", "transactions", str(garbled))
    assert refused.returncode == 3, refused.stderr
    message = " ".join(refused.stderr.split())
    assert "not UTF-8" in message and "UTF-8" in message and "--encoding" in message
    assert _ask_json(home, OCTOBER)["store"]["kind"] == "empty"  # nothing written

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((header.decode() + "G1,C1,2026-10-03,T恤,2,100,广州\n").encode("gbk"))
    read = run(home, "import", "transactions", str(gbk))
    assert read.returncode == 0, read.stderr
    assert "read as gb18030" in " ".join(read.stderr.split())
    assert _count(home, "SELECT count(*) FROM customers WHERE city = '广州'") == 1
    assert _count(home, "SELECT count(*) FROM products WHERE 'T恤' IN (name_en, name_zh)") == 1

    # Told the encoding, the user gets exactly that reading (and is told so).
    cyrillic = tmp_path / "cyrillic.csv"
    cyrillic.write_bytes(
        (header.decode() + "R1,C7,2026-10-04,Кепка,1,70,Москва\n").encode("cp1251")
    )
    told = run(home, "import", "transactions", str(cyrillic), "--encoding", "cp1251")
    assert told.returncode == 0, told.stderr
    assert "as --encoding asked" in " ".join(told.stderr.split())
    assert _count(home, "SELECT count(*) FROM customers WHERE city = 'Москва'") == 1
    unknown = run(home, "import", "transactions", str(cyrillic), "--encoding", "klingon")
    assert unknown.returncode == 2 and "Unknown encoding" in unknown.stderr


def test_import_exit_codes_match_the_readme(tmp_path: Path) -> None:
    home = tmp_path / "home"
    missing_column = tmp_path / "bad.csv"
    missing_column.write_text("InvoiceNo,StockCode,Quantity\n1,A,2\n", encoding="utf-8")
    refused = run(home, "import", "transactions", str(missing_column))
    assert refused.returncode == 3 and "--map" in refused.stderr
    bad_date = tmp_path / "bad_date.csv"
    bad_date.write_text(OWN_SALES.replace("2026-10-05", "yesterday-ish"), encoding="utf-8")
    assert run(home, "import", "transactions", str(bad_date)).returncode == 3
    assert run(home, "import", "nonsense", str(bad_date)).returncode == 2
    assert run(home, "import", "transactions", str(tmp_path / "absent.csv")).returncode == 2
    assert run(home, "import", "transactions", str(bad_date), "--no-such-flag").returncode == 2
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for row in ("| imported", "| file refused", "| bad usage"):
        assert row in readme, row


def test_first_ui_start_says_it_creates_made_up_demo_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    environment = {
        **os.environ,
        "COPILOT_HOME": str(home),
        "COPILOT_DEMO_CUSTOMERS": "50",
        "COLUMNS": "200",
    }
    environment.pop("COPILOT_DATABASE_URL", None)
    process = subprocess.Popen(
        [*copilot_command(), "ui", "--port", "0"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first_line = process.stdout.readline() if process.stdout else ""
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert "Creating the demo store" in first_line and "made-up" in first_line


def test_the_web_data_tab_refuses_an_import_into_the_demo_store(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from copilot.frontends.web import workspace as ws
    from copilot.store_label import store_label
    from knowledge.demo import generate_demo_data

    engine = connect_store(f"duckdb:///{tmp_path}/web.duckdb")
    generate_demo_data(engine, customers=20, seed=4)
    copilot = SimpleNamespace(engine=engine, state=engine, settings=SimpleNamespace(store_wait_s=5))
    upload = _own_sales(tmp_path)
    mapping = ws.upload_preview(str(upload), "transactions").frame.attrs["mapping"]
    outcome = ws.run_import(copilot, str(upload), "transactions", mapping)  # type: ignore[arg-type]
    assert outcome.message.startswith("⚠ Nothing was imported.")
    assert "demo data" in outcome.message and "copilot demo-data --remove" in outcome.message
    assert store_label(engine).kind == "demo"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders WHERE order_id = 'A1'")).scalar() == 0
    engine.dispose()
