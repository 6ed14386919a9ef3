"""Map, don't create: the semantic model over a warehouse's own schema-qualified tables.

The demo data is copied into a DuckDB file under other schemas, table and column
names (tests/warehouse_layout.py); with the mapping, query_metrics and the value
index give exactly the answers they give on the store's own layout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.settings import Settings
from knowledge.semantic import load_semantic_model
from knowledge.semantic.values import dimension_values, reads_state
from knowledge.store.state import connect_state
from knowledge.warehouse_mapping import MappingError, load_mapping
from knowledge.warehouse_mapping_check import check_mapping, mapping_report
from tests.conftest import AS_OF
from tests.warehouse_layout import MAPPING_YAML, build_warehouse
from tools import ToolContext, query_metrics

QUESTIONS = [
    {"metrics": ["revenue"], "dimensions": ["month"], "time_range": "2026"},
    {"metrics": ["orders", "buyers", "aov"], "dimensions": ["city"], "limit": 5},
    {"metrics": ["revenue", "returns", "gross_sales"], "dimensions": ["category"]},
    {"metrics": ["delivered", "opens", "clicks", "conversions"], "time_range": "2026"},
    {"metrics": ["conversion_rate", "roi", "cac"], "dimensions": ["campaign"]},
    {"metrics": ["new_customers", "average_ltv"], "dimensions": ["quarter"]},
    {"metrics": ["repurchase_rate"], "dimensions": ["channel"], "time_range": "2026"},
    {"metrics": ["churn_rate"], "time_range": "last month"},
    {"metrics": ["revenue"], "filters": {"city": ["上海"]}, "time_range": "last 90 days"},
]


@pytest.fixture(scope="module")
def mapped(duckdb_demo_engine: Engine, tmp_path_factory) -> Iterator[tuple[Engine, Path]]:  # noqa: ANN001
    directory = tmp_path_factory.mktemp("warehouse")
    engine = build_warehouse(duckdb_demo_engine, directory / "warehouse.duckdb")
    mapping = directory / "mapping.yaml"
    mapping.write_text(MAPPING_YAML, encoding="utf-8")
    yield engine, mapping
    engine.dispose()


def test_the_warehouse_has_none_of_the_copilot_tables(mapped) -> None:  # noqa: ANN001
    engine, _ = mapped
    with engine.connect() as conn, pytest.raises(Exception, match="orders"):
        conn.execute(text("SELECT count(*) FROM orders")).scalar_one()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: "+".join(q["metrics"]))
def test_same_answers_as_the_store_layout(duckdb_demo_engine: Engine, mapped, question) -> None:  # noqa: ANN001
    engine, mapping = mapped
    default = ToolContext(
        engine=duckdb_demo_engine, semantic_model=load_semantic_model(), as_of=AS_OF
    )
    model = load_semantic_model(warehouse_mapping=mapping)
    warehouse = ToolContext(engine=engine, semantic_model=model, as_of=AS_OF)
    expected = query_metrics(default, **question).artifacts[0].frame
    got = query_metrics(warehouse, **question).artifacts[0].frame
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got, expected)


def test_value_index_reads_the_mapped_columns(duckdb_demo_engine: Engine, mapped) -> None:  # noqa: ANN001
    engine, mapping = mapped
    model = load_semantic_model(warehouse_mapping=mapping)
    # rfm/segment membership live in the copilot's state, not in a warehouse: compare the rest.
    default = load_semantic_model()
    expected = set(
        dimension_values(duckdb_demo_engine, default, lambda d: not reads_state(default, d))
    )
    got = set(dimension_values(engine, model, lambda d: not reads_state(model, d)))
    assert {v[0] for v in got} >= {"city", "category", "campaign", "channel", "product"}
    assert ("city", "上海", None) in got
    assert got == expected


def test_check_passes_on_the_right_mapping(mapped) -> None:  # noqa: ANN001
    engine, mapping = mapped
    ok, report = mapping_report(engine, load_mapping(mapping))
    assert ok, report
    assert "sales.fact_orders" in report


def test_check_names_missing_table_column_and_type_with_their_lines(mapped, tmp_path) -> None:  # noqa: ANN001
    engine, _ = mapped
    broken = MAPPING_YAML.replace("table: crm.reviews", "table: crm.product_reviews")
    broken = broken.replace("ordered_at: order_ts", "ordered_at: order_time")
    broken = broken.replace("order_date: order_day", "order_date: order_ts")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    mapping = load_mapping(path)
    problems = {p.kind: p for p in check_mapping(engine, mapping)}
    assert set(problems) == {"table not found", "column not found", "type mismatch"}
    lines = broken.splitlines()
    assert "crm.product_reviews" in lines[problems["table not found"].line - 1]
    assert "order_time" in lines[problems["column not found"].line - 1]
    assert "order_date: order_ts" in lines[problems["type mismatch"].line - 1]
    assert "timestamp" in problems["type mismatch"].message
    ok, report = mapping_report(engine, mapping)
    assert not ok
    assert f"{path}:{problems['column not found'].line}:" in report


def test_default_layout_is_reported_missing_on_a_renamed_warehouse(mapped) -> None:  # noqa: ANN001
    engine, _ = mapped
    kinds = {p.kind for p in check_mapping(engine, load_mapping(None))}
    assert kinds == {"table not found"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tables:\n  shipments:\n    table: x\n", ":2: 'shipments' is not an entity"),
        (
            "tables:\n  orders:\n    columns:\n      placed: ts\n",
            ":4: orders has no column 'placed'",
        ),
        ("tables:\n  orders:\n    table: a.b.c\n", ":3: tables.orders.table must be"),
        ("table:\n  orders: {}\n", ":1: unknown key 'table'"),
    ],
)
def test_bad_mapping_file_names_the_line(tmp_path, text: str, message: str) -> None:  # noqa: ANN001
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message.replace(".", r"\.")):
        load_mapping(path)


def test_a_column_mapped_to_null_is_read_as_null(mapped, tmp_path) -> None:  # noqa: ANN001
    engine, _ = mapped
    path = tmp_path / "mapping.yaml"
    path.write_text(
        MAPPING_YAML.replace("total: net_amount", "total: net_amount\n      channel: null")
    )
    model = load_semantic_model(warehouse_mapping=path)
    assert not [p for p in check_mapping(engine, model.warehouse) if p.fatal]
    ctx = ToolContext(engine=engine, semantic_model=model, as_of=AS_OF)
    frame = query_metrics(ctx, metrics=["orders"], dimensions=["channel"]).artifacts[0].frame
    assert frame["channel"].isna().all() and frame["orders"].sum() > 0


def run_check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = shutil.which("copilot")
    prefix = [command] if command else [sys.executable, "-m", "copilot.frontends.cli"]
    return subprocess.run(
        [*prefix, "check-warehouse"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **environment},
        timeout=180,
    )


def test_check_warehouse_command(mapped, tmp_path) -> None:  # noqa: ANN001
    engine, mapping = mapped
    engine.dispose()  # the command opens the file itself (read-only)
    environment = {
        "COPILOT_HOME": str(tmp_path),
        "COPILOT_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "COPILOT_WAREHOUSE_MAPPING": str(mapping),
    }
    good = run_check(environment)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "OK: every entity, column and type was found." in good.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(MAPPING_YAML.replace("city: town", "city: city_name"), encoding="utf-8")
    bad = run_check({**environment, "COPILOT_WAREHOUSE_MAPPING": str(broken)})
    assert bad.returncode == 1
    line = (
        MAPPING_YAML.splitlines().index(
            "    columns: {customer_id: cust_id, city: town, name: full_name, email: email_address}"
        )
        + 1
    )
    assert f"{broken}:{line}: customers.city: column 'city_name' not found" in bad.stdout


def test_the_copilot_answers_from_a_mapped_warehouse(
    duckdb_demo_engine: Engine,
    mapped,
    tmp_path,  # noqa: ANN001
) -> None:
    engine, mapping = mapped
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    question = "Top 3 cities by revenue in 2026"
    answers = []
    for warehouse, mapping_file in ((duckdb_demo_engine, None), (engine, mapping)):
        settings = Settings(
            home=tmp_path, as_of=AS_OF, llm_provider="offline", warehouse_mapping=mapping_file
        )
        answer = Copilot(settings, engine=warehouse, state=state).ask(question)
        assert answer.status == "answered", answer.text
        answers.append(answer)
    pd.testing.assert_frame_equal(answers[1].tables[0].frame, answers[0].tables[0].frame)
    assert answers[1].text == answers[0].text


def test_start_up_refuses_a_mapping_the_warehouse_does_not_match(mapped, tmp_path) -> None:  # noqa: ANN001
    engine, _ = mapped
    broken = tmp_path / "broken.yaml"
    broken.write_text(MAPPING_YAML.replace("total: net_amount", "total: amount"), encoding="utf-8")
    settings = Settings(home=tmp_path, llm_provider="offline", warehouse_mapping=broken)
    state = connect_state(f"sqlite:///{tmp_path}/state.sqlite")
    with pytest.raises(MappingError, match=r"orders\.total: column 'amount' not found"):
        Copilot(settings, engine=engine, state=state)
