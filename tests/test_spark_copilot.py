"""The copilot started on a Spark warehouse answers as on DuckDB and writes nothing there.

Needs COPILOT_TEST_SPARK_URL (see tests/test_spark_analytics.py). The copilot is
started as a user would (`Copilot(settings)` with COPILOT_DATABASE_URL pointing at
Spark): its own state goes to the local state store in its home, and every
statement sent to any Spark engine during start and questions is recorded.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from copilot.agent import Copilot
from copilot.settings import Settings
from knowledge.store.state import connect_state
from tests.conftest import AS_OF, WRITE_KEYWORDS

pytestmark = pytest.mark.spark

QUESTIONS = ("What was revenue by month in 2025?", "Segment our customers by RFM")
_FIRST_WORD = re.compile(r"^[\s(]*([A-Za-z]+)")


@pytest.fixture(scope="module")
def answers(spark_warehouse, spark_sent, duckdb_demo_engine, tmp_path_factory):  # noqa: ANN001, ANN201
    url = os.environ["COPILOT_TEST_SPARK_URL"]  # spark_warehouse skipped without it
    home = Path(tmp_path_factory.mktemp("spark-home"))
    # A local Spark on a small shared machine is slow; the limit is tested elsewhere.
    on_spark = Copilot(Settings(home=home, database_url=url, as_of=AS_OF, query_timeout_s=600))
    started = len(spark_sent)
    duck_home = Path(tmp_path_factory.mktemp("duck-home"))
    on_duckdb = Copilot(
        Settings(home=duck_home, as_of=AS_OF),
        engine=duckdb_demo_engine,
        state=connect_state(f"sqlite:///{duck_home}/state.sqlite"),
    )
    pairs = {q: (on_spark.ask(q), on_duckdb.ask(q)) for q in QUESTIONS}
    return pairs, started


def test_start_and_questions_send_spark_only_queries(answers, spark_sent) -> None:  # noqa: ANN001
    _, started = answers
    assert started > 0 and len(spark_sent) > started
    writing = [s for s in spark_sent if _first(s) in WRITE_KEYWORDS]
    assert not writing, writing


def test_revenue_by_month_is_duckdbs_answer(answers) -> None:  # noqa: ANN001
    spark, duck = answers[0][QUESTIONS[0]]
    assert spark.status == duck.status == "answered", (spark.error, duck.error)
    assert spark.text == duck.text
    assert [c.name for c in spark.tool_calls] == [c.name for c in duck.tool_calls]
    _same_tables(spark, duck)


def test_rfm_answer_is_duckdbs_and_says_approximate(answers) -> None:  # noqa: ANN001
    spark, duck = answers[0][QUESTIONS[1]]
    assert spark.status == duck.status == "answered", (spark.error, duck.error)
    assert [c.name for c in spark.tool_calls] == ["rfm_segments"]
    assert all(c.error is None for c in spark.tool_calls)
    assert "approximate" in spark.text and "approximate" not in duck.text
    _same_tables(spark, duck)


def _same_tables(spark, duck) -> None:  # noqa: ANN001
    assert len(spark.tables) == len(duck.tables) > 0
    for got, want in zip(spark.tables, duck.tables, strict=True):
        pd.testing.assert_frame_equal(
            got.frame.astype(str).reset_index(drop=True),
            want.frame.astype(str).reset_index(drop=True),
        )


def _first(sql: str) -> str:
    match = _FIRST_WORD.match(sql)
    return match.group(1).lower() if match else ""
