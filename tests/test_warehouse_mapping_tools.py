"""Every tool on a mapped warehouse gives the answer it gives on the plain demo store.

Two read-only DuckDB warehouses hold the same demo data: a copy of the demo store
(the copilot's own table names) and tests/warehouse_layout.py's file, where every
table lives under another schema-qualified name with renamed columns and no table
has a name of the copilot's. Each gets its own state store, and the same calls
run on both in the same order; the outputs must be equal. Every statement sent to
the mapped warehouse is recorded: none may write.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event

from knowledge.semantic import load_semantic_model
from knowledge.store.database import connect_warehouse, hold_warehouse
from knowledge.store.state import connect_state, share_state_with
from tests.conftest import AS_OF, WRITE_KEYWORDS
from tests.warehouse_layout import MAPPING_YAML, build_warehouse
from tools import ToolContext, ToolError, load_tool

_FINGERPRINT: dict[str, str] = {}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Side:
    """One warehouse with its own state store, its tool context and the statements it got."""

    ctx: ToolContext
    sent: list[str]


def _side(url: str, mapping: Path | None, home: Path) -> Side:
    warehouse = connect_warehouse(url)  # DuckDB opened read-only: a write would fail
    sent: list[str] = []
    event.listen(warehouse, "before_cursor_execute", lambda c, cur, sql, *rest: sent.append(sql))
    state = connect_state(f"sqlite:///{home}/state.sqlite")
    share_state_with(warehouse, state)
    ctx = ToolContext(
        engine=warehouse,
        semantic_model=load_semantic_model(warehouse_mapping=mapping),
        as_of=AS_OF,
        state=state,
        exports_dir=home / "exports",
    )
    return Side(ctx, sent)


@pytest.fixture(scope="module")
def sides(duckdb_demo_engine: Engine, tmp_path_factory) -> Iterator[tuple[Side, Side]]:  # noqa: ANN001
    root = tmp_path_factory.mktemp("mapped-tools")
    built = build_warehouse(duckdb_demo_engine, root / "warehouse.duckdb")
    built.dispose()
    duckdb_demo_engine.dispose()  # the file is copied whole while no connection holds it
    shutil.copy(duckdb_demo_engine.url.database, root / "plain.duckdb")
    (root / "mapping.yaml").write_text(MAPPING_YAML, encoding="utf-8")
    (root / "plain").mkdir()
    (root / "mapped").mkdir()
    plain = _side(f"duckdb:///{root}/plain.duckdb", None, root / "plain")
    mapped = _side(f"duckdb:///{root}/warehouse.duckdb", root / "mapping.yaml", root / "mapped")
    _FINGERPRINT["before"] = _digest(root / "warehouse.duckdb")
    yield plain, mapped
    for side in (plain, mapped):
        side.ctx.engine.dispose()
        side.ctx.state_engine.dispose()


# (tool, arguments), run in this order on both sides: later calls use the segments
# that earlier ones saved. Every tool that reads the warehouse is here.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("query_metrics", {"metrics": ["revenue", "orders"], "dimensions": ["city"], "limit": 5}),
    ("cohort_retention", {"time_range": "2025", "periods": 4}),
    ("ab_test", {}),
    ("ab_test", {"metric": "ctr"}),
    ("cross_sell_rules", {}),
    ("cross_sell_rules", {"level": "category", "segment": "Champions"}),
    ("rfm_segments", {}),
    ("customer_personas", {"k": 4}),
    ("predict_churn", {}),
    (
        "define_segment",
        {
            "name": "women skincare",
            "definition": {
                "genders": ["F"],
                "purchases": [{"categories": ["护肤"], "period": "last 180 days"}],
                "consents": ["email"],
            },
        },
    ),
    ("define_segment", {"name": "big spenders", "definition": {"spend": {"min": 2000}}}),
    ("refresh_segment", {"name": "women skincare"}),
    ("list_segments", {}),
    ("profile_segment", {"segment": "Champions"}),
    ("profile_segment", {"segment": "women skincare"}),
    ("best_send_time", {}),
    ("best_send_time", {"segment": "big spenders", "channel": "email", "min_sample": 10}),
    ("best_channel", {"segment": "Champions", "min_sample": 10}),
    ("export_audience", {"segment": "women skincare", "channel": "email"}),
    ("review_sentiment", {}),
    ("review_sentiment", {"by": "product", "segment": "Champions"}),
    ("generate_copy", {"segments": ["Champions"], "channel": "sms"}),
    ("describe_data", {}),
    ("describe_data", {"table": "orders"}),
    # Cities with the same count in a fixed order: DuckDB returns ties in any order.
    (
        "run_sql",
        {"sql": "SELECT city, count(*) AS n FROM customers GROUP BY city ORDER BY 2 DESC, 1"},
    ),
    (
        "run_sql",
        {
            "sql": "SELECT c.name, c.email, sum(o.total) AS spent FROM orders o "
            "JOIN customers AS c ON c.customer_id = o.customer_id "
            "WHERE o.status NOT IN ('cancelled', 'returned') "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 5"
        },
    ),
    (
        "run_sql",
        {
            "sql": "WITH lines AS (SELECT p.category, i.amount FROM order_items i "
            "JOIN products p USING (sku)) "
            "SELECT category, round(sum(amount), 2) AS amount FROM lines "
            "GROUP BY category ORDER BY category"
        },
    ),
    ("run_sql", {"sql": "SELECT * FROM customers ORDER BY customer_id LIMIT 3"}),
    (
        "run_sql",
        {
            "sql": "SELECT campaigns.channel, count(*) AS sent, count(m.opened_at) AS opened "
            "FROM campaign_messages m JOIN campaigns ON campaigns.campaign_id = m.campaign_id "
            "GROUP BY ALL ORDER BY 1"
        },
    ),
]

# Values that differ between two runs by nature, not by the warehouse: new ids,
# the time of a run, file paths under each side's home.
_VOLATILE = re.compile(
    r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?|/\S*/(plain|mapped)/\S*"
)


def _stable(value: Any) -> Any:
    if isinstance(value, float):
        # Sums of many floats differ in the last bit with the engine's summation order.
        return float(f"{value:.10g}")
    if isinstance(value, str):
        return _VOLATILE.sub("<volatile>", value)
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    return value


def _run(side: Side, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The output's text, data and tables, or the error it raised."""
    try:
        with hold_warehouse(side.ctx.engine):  # one open of the file per question, as the agent
            output = load_tool(tool)(side.ctx, **arguments)
    except ToolError as exc:
        return {"error": str(exc)}
    return {
        "text": _stable(output.for_model),
        "data": _stable(output.data),
        # Cells too: a saved segment's "updated_at" is the minute it was saved on each side.
        "tables": [
            (a.title, a.frame.map(_stable)) for a in output.artifacts if hasattr(a, "frame")
        ],
    }


@pytest.fixture(scope="module")
def results(sides) -> list[tuple[dict[str, Any], dict[str, Any]]]:  # noqa: ANN001
    plain, mapped = sides
    return [(_run(plain, tool, args), _run(mapped, tool, args)) for tool, args in CALLS]


@pytest.mark.parametrize(
    "index", range(len(CALLS)), ids=[f"{t}-{i}" for i, (t, _) in enumerate(CALLS)]
)
def test_same_answer_as_on_the_plain_store(results, index: int) -> None:  # noqa: ANN001
    expected, got = results[index]
    assert "error" not in expected, expected  # the call itself must work on the demo store
    assert got.get("error") is None, got["error"]
    assert got["text"] == expected["text"]
    assert got["data"] == expected["data"]
    assert len(got["tables"]) == len(expected["tables"])
    for (title, frame), (want_title, want) in zip(got["tables"], expected["tables"], strict=True):
        assert title == want_title
        pd.testing.assert_frame_equal(frame, want)


def test_every_tool_that_reads_the_warehouse_is_compared() -> None:
    from tools import TOOL_MODULES

    # Neither reads the warehouse: a sample size is arithmetic, documents live in Chroma.
    without_data = {"ab_sample_size", "search_knowledge"}
    assert {tool for tool, _ in CALLS} == set(TOOL_MODULES) - without_data


def test_nothing_is_written_to_the_mapped_warehouse(results, sides) -> None:  # noqa: ANN001
    plain, mapped = sides
    assert len(mapped.sent) > len(CALLS)
    # The mapping adds no round trip: the same statements, only their FROM clauses differ.
    assert len(mapped.sent) == len(plain.sent)
    writes = [sql for sql in mapped.sent if sql.split(None, 1)[0].lower() in WRITE_KEYWORDS]
    assert writes == []
    # Every statement read the warehouse's own tables, never a name of the copilot's.
    copilot_names = re.compile(
        r"\b(?:FROM|JOIN)\s+\"?(orders|customers|order_items|products|reviews|campaigns"
        r"|campaign_messages)\"?(?![.\w])",
        re.I,
    )
    assert [sql for sql in mapped.sent if copilot_names.search(sql)] == []
    # run_sql's statements go to the driver directly (a read-only transaction): the file
    # itself shows nothing was written by any of the calls.
    root = Path(mapped.ctx.engine.url.database)
    assert _digest(root) == _FINGERPRINT["before"]


def test_personal_columns_stay_masked_under_their_warehouse_names(sides) -> None:  # noqa: ANN001
    _, mapped = sides
    sql = "SELECT c.name AS who, email, city FROM customers c ORDER BY customer_id LIMIT 3"
    with hold_warehouse(mapped.ctx.engine):
        output = load_tool("run_sql")(mapped.ctx, sql=sql)
    # full_name and email_address in the warehouse: traced to customers.name / .email.
    assert output.data["masked_columns"] == ["who", "email"]
    frame = output.artifacts[0].frame
    assert frame["email"].str.contains(r"\*").all() and frame["city"].notna().all()


def test_the_rewrite_keeps_ctes_of_an_entity_name_and_aliases() -> None:
    from knowledge.warehouse_mapping import load_mapping
    from tools.sql.mapped import map_tables

    mapping = _layout_mapping(load_mapping)
    sql = (
        "WITH orders AS (SELECT * FROM orders WHERE total > 0) "
        "SELECT c.city, (SELECT count(*) FROM orders x) AS n FROM orders JOIN customers c "
        "USING (customer_id)"
    )
    import sqlglot

    out = map_tables(sqlglot.parse_one(sql, read="duckdb"), mapping).sql(dialect="duckdb")
    # The CTE body reads the warehouse; the CTE's uses stay the CTE.
    assert "WITH orders AS (SELECT * FROM (SELECT id AS order_id" in out
    assert "FROM sales.fact_orders) AS orders WHERE total > 0)" in out
    assert "FROM orders AS x" in out and "FROM orders JOIN (SELECT cust_id AS customer_id" in out
    assert "FROM crm.dim_customer) AS c USING (customer_id)" in out


def test_a_rewritten_statement_is_checked_by_the_guard_again() -> None:
    from knowledge.warehouse_mapping import load_mapping
    from tools.sql.mapped import warehouse_query

    mapping = _layout_mapping(load_mapping)
    checked = warehouse_query("SELECT count(*) FROM reviews", "duckdb", mapping, [])
    assert checked.tables == {"crm.reviews"}
    assert "review_text AS text" in checked.sql
    # A name the rewrite does not produce (here: a table outside the mapping) is refused.
    with pytest.raises(ToolError, match="not a table of the store"):
        warehouse_query("SELECT count(*) FROM sales.fact_orders_copy", "duckdb", mapping, [])


def test_core_statements_with_orm_aliases_read_the_mapped_tables(sides) -> None:  # noqa: ANN001
    from sqlalchemy import func, select
    from sqlalchemy.orm import aliased

    from knowledge.store.schema import Customer, Order

    plain, mapped = sides
    first = aliased(Order, name="first")
    statement = (
        select(Customer.city, func.count(func.distinct(first.order_id)).label("n"))
        .join(first, first.customer_id == Customer.customer_id)
        .where(first.total > 100)
        .group_by(Customer.city)
        .order_by(Customer.city)
    )
    frames = []
    for side in (plain, mapped):
        with side.ctx.engine.connect() as conn:
            frames.append(pd.DataFrame(conn.execute(statement).all()))
    assert len(frames[0]) > 3
    pd.testing.assert_frame_equal(frames[1], frames[0])


def _layout_mapping(load_mapping):  # noqa: ANN001, ANN202
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "mapping.yaml"
        path.write_text(MAPPING_YAML, encoding="utf-8")
        return load_mapping(path)


def test_the_store_currency_is_read_through_the_mapping(
    duckdb_demo_engine: Engine,
    tmp_path: Path,
) -> None:
    import duckdb

    from copilot.agent import Copilot
    from copilot.settings import Settings

    build_warehouse(duckdb_demo_engine, tmp_path / "eur.duckdb").dispose()
    with duckdb.connect(str(tmp_path / "eur.duckdb")) as own:  # the team's own load, not ours
        own.execute("UPDATE sales.fact_orders SET currency = 'EUR'")
    (tmp_path / "mapping.yaml").write_text(MAPPING_YAML, encoding="utf-8")
    settings = Settings(
        home=tmp_path,
        as_of=AS_OF,
        llm_provider="offline",
        warehouse_mapping=tmp_path / "mapping.yaml",
    )
    warehouse = connect_warehouse(f"duckdb:///{tmp_path}/eur.duckdb")
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    copilot = Copilot(settings, engine=warehouse, state=state)
    # Read at start, before any tool ran: the warehouse's orders, through the mapping.
    assert copilot.settings.currency == "€"
    assert copilot.context.currency == "€"
    warehouse.dispose()
