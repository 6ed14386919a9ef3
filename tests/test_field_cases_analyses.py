"""Field cases 04 (RFM ties), 07 (personas on uniform data) and 09 (a small A/B test),
through the public interface: the importers, then a question to the offline copilot.

The case files are copied from ../shared/cases into tests/data/cases so the suite
stands alone; cases/README.md gives the right results checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import fisher_exact
from sqlalchemy import Engine

from copilot.agent import Copilot
from copilot.settings import Settings
from knowledge.importers import import_file
from knowledge.store import connect_store
from tests.conftest import DATABASES, store_url
from tools.segments import rfm_table, saved_members

CASES = Path(__file__).parent / "data" / "cases"


def _copilot(engine: Engine, home: Path) -> Copilot:
    return Copilot(Settings(home=home, llm_provider="offline"), engine=engine)


def _min_rank_scores(values: pd.Series) -> pd.Series:
    """MARKETING.md's score from pandas' rank(method='min'): min(5, 1 + floor(5 x pr))."""
    n = len(values)
    percent_rank = (values.rank(method="min") - 1) / (n - 1)
    return (1 + (5 * percent_rank + 1e-9).astype(int)).clip(upper=5)


@pytest.mark.parametrize("kind", DATABASES)
def test_case_04_rfm_ties_share_scores_and_segments(
    kind: str, tmp_path: Path, worker_id_safe: str
) -> None:
    engine = connect_store(store_url(kind, tmp_path, worker_id_safe))
    try:
        import_file(engine, "transactions", CASES / "04" / "rfm_ties.csv")
        answer = _copilot(engine, tmp_path / "home").ask("Segment my customers with RFM")
        assert answer.error is None
        assert [c.name for c in answer.tool_calls] == ["rfm_segments"]
        table = rfm_table(engine).set_index("customer_id")
        segment = table["segment"]
        assert segment[["R05", "R06", "R07"]].nunique() == 1
        assert set(segment[["R08", "R09", "R10"]]) == {"At Risk"}
        one_time = table[table["frequency"] == 1]
        assert len(one_time) == 7 and "Champions" not in set(one_time["segment"])
        assert one_time["f"].max() <= 3
        # Scores equal an independent pandas computation (R: recency descending).
        assert list(table["r"]) == list(_min_rank_scores(-table["recency"]))
        assert list(table["f"]) == list(_min_rank_scores(table["frequency"]))
        assert list(table["m"]) == list(_min_rank_scores(table["monetary"]))
        # The answer and the saved segments say the same.
        assert "At Risk 3" in answer.text
        assert sorted(saved_members(engine, "At Risk")) == ["R08", "R09", "R10"]
    finally:
        engine.dispose()


def test_case_04_kind_tiny_store_best_buyer_is_not_hibernating(tmp_path: Path) -> None:
    """With fewer than 5 buyers the best one still scores 5 on R, F and M."""
    path = tmp_path / "tiny.csv"
    path.write_text(
        "order_id,customer_id,order_time,product_code,product_name,quantity,unit_price\n"
        "T1,Best,2024-06-01 10:00,P1,Tea,2,30.00\n"
        "T2,Best,2024-06-20 10:00,P1,Tea,1,30.00\n"
        "T3,Other,2024-03-01 10:00,P1,Tea,1,30.00\n"
        "T4,Third,2024-04-01 10:00,P1,Tea,1,30.00\n",
        encoding="utf-8",
    )
    engine = connect_store(f"duckdb:///{tmp_path}/tiny.duckdb")
    import_file(engine, "transactions", path)
    table = rfm_table(engine).set_index("customer_id")
    engine.dispose()
    assert tuple(table.loc["Best", ["r", "f", "m"]]) == (5, 5, 5)
    assert table.loc["Best", "segment"] == "Champions"
    assert table.loc["Other", "segment"] == "Hibernating"


@pytest.mark.parametrize(
    ("case", "expected"),
    [("identical_buyers", None), ("two_profiles", 2)],
)
def test_case_07_personas_on_uniform_data(case: str, expected: int | None, tmp_path: Path) -> None:
    engine = connect_store(f"duckdb:///{tmp_path}/{case}.duckdb")
    try:
        import_file(engine, "transactions", CASES / "07" / f"{case}.csv")
        copilot = _copilot(engine, tmp_path / "home")
        english = copilot.ask("Cluster my customers into personas")
        chinese = copilot.ask("把客户分成几类并描述一下")
    finally:
        engine.dispose()
    for answer in (english, chinese):
        # Identical buyers: an honest refusal, its reason in `error` (the --json contract).
        assert answer.status == ("refused" if expected is None else "answered")
        assert (answer.error is None) == (expected is not None)
        assert [c.name for c in answer.tool_calls] == ["customer_personas"]
        assert "nan" not in answer.text.lower() and "traceback" not in answer.text.lower()
    if expected is None:
        assert "do not differ enough to cluster" in english.text
        assert "差异不足以聚类" in chinese.text
        assert not english.tables
    else:
        table = english.tables[0].frame
        assert len(table) == expected and (table["customers"] > 0).all()
        assert sorted(table["customers"]) == [15, 30]
        assert not re.search(r"(?<![\d,])0 buyers", english.text)


def test_case_09_small_ab_test_uses_an_exact_test(tmp_path: Path) -> None:
    engine = connect_store(f"duckdb:///{tmp_path}/ab.duckdb")
    try:
        import_file(engine, "transactions", CASES / "09" / "orders_lines.csv")
        import_file(engine, "campaigns", CASES / "09" / "campaigns.csv")
        import_file(engine, "campaign_messages", CASES / "09" / "campaign_messages.csv")
        copilot = _copilot(engine, tmp_path / "home")
        answer = copilot.ask("A/B test results of the Spring SMS test")
        variant = copilot.ask("How did version A of the spring sms test do?")
    finally:
        engine.dispose()
    assert answer.error is None
    assert answer.tool_calls[0].name == "ab_test"
    assert answer.tool_calls[0].args["campaign"] == "Spring SMS test"
    rows = answer.tables[0].frame.set_index("variant")
    assert (rows.loc["A", "delivered"], rows.loc["A", "conversions"]) == (30, 0)
    assert (rows.loc["B", "delivered"], rows.loc["B", "conversions"]) == (30, 4)
    b = rows.loc["B"]
    assert b["p_value"] == pytest.approx(0.112, abs=5e-4)
    assert b["p_value"] == pytest.approx(fisher_exact([[4, 26], [0, 30]]).pvalue, rel=1e-9)
    # The verdict agrees with the interval shown: an odds-ratio interval holding 1.
    # (The table names an interval's kind by its columns: an odds ratio, not a difference.)
    assert b["odds_ratio_ci_low"] < 1 < b["odds_ratio_ci_high"]
    assert "difference_ci_low" not in rows.columns or pd.isna(b["difference_ci_low"])
    assert not b["significant"]
    assert "no significant difference at 5%" in answer.text
    assert "Fisher's exact test" in answer.text and "includes 1" in answer.text
    assert "significant at 5%" not in answer.text.replace("no significant difference at 5%", "")
    assert variant.tool_calls[0].args["variant"] == "A"
    assert "Version A of Spring SMS test: 0 of 30 delivered messages" in variant.text
