"""Field cases 01, 02, 03, 05 and 13 (../shared/cases/README.md) through the public interface:
`copilot import transactions ...` (the CLI, in-process), then questions to the copilot with
the offline planner. Copies of the case files live in tests/data/cases/NN/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from copilot.agent import Copilot
from copilot.frontends.cli import app
from copilot.settings import Settings, get_settings
from knowledge.store.database import connect_store

CASES = Path(__file__).parent / "data" / "cases"


class Store:
    """A DuckDB store in a temporary home, filled with `copilot import` and asked through Copilot."""

    def __init__(self, tmp_path: Path, timezone: str = "Asia/Shanghai") -> None:
        self.home = tmp_path
        self.url = f"duckdb:///{tmp_path}/store.duckdb"
        self.env = {
            "COPILOT_HOME": str(tmp_path),
            "COPILOT_DATABASE_URL": self.url,
            "COPILOT_TIMEZONE": timezone,
            "COPILOT_LLM_PROVIDER": "offline",
        }
        self._bot: Copilot | None = None
        self._engine: Engine | None = None

    def import_(self, file: Path, *options: str) -> tuple[int, str]:
        """(exit code, everything printed) of `copilot import transactions FILE OPTIONS`."""
        self.close()  # the copilot reads the store's values and currency when it starts
        get_settings.cache_clear()  # the CLI reads the settings once per process
        result = CliRunner().invoke(
            app, ["import", "transactions", str(file), *options], env=self.env
        )
        return result.exit_code, result.output

    def ask(self, question: str) -> str:
        """The offline copilot's answer; one Copilot per store state (built after the imports)."""
        if self._bot is None:
            self._engine = connect_store(self.url)
            settings = Settings(home=self.home, database_url=self.url, llm_provider="offline")
            self._bot = Copilot(settings, engine=self._engine)
        self.last = self._bot.ask(question)
        return self.last.text

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._bot, self._engine = None, None

    def rows(self, sql: str) -> list[tuple]:
        engine: Engine = connect_store(self.url)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql)).all()]
        finally:
            engine.dispose()


def money(answer: str) -> list[float]:
    """Every money amount in an answer ('¥58.50', '-£70.00'; the minus before the symbol)."""
    found = re.findall(r"(-?)[¥£€$]\s?(-?[\d,]+\.\d{2})", answer)
    return [float(sign + v.replace(",", "")) for sign, v in found]


def counts(answer: str) -> dict[str, int]:
    """'Orders: 4; Buyers: 2' or 'Orders in ... was 6.' -> {'orders': 4, 'buyers': 2}."""
    found = re.findall(r"(Orders|Buyers): (\d+)", answer)
    found += re.findall(r"^(Orders|Buyers) in [^\n]*? (?:was|were) (\d+)\.", answer, re.MULTILINE)
    return {k.lower(): int(v) for k, v in found}


def test_case_01_credit_notes_duplicates_and_guests(tmp_path: Path) -> None:
    store = Store(tmp_path)
    code, output = store.import_(CASES / "01" / "uci_small.csv")
    assert code != 0 and "InvoiceDate" in output and "month-first" in output
    assert store.rows("SELECT COUNT(*) FROM orders") == [(0,)]

    code, output = store.import_(CASES / "01" / "uci_small.csv", "--date-order", "month-first")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "dropped 1 line that repeats an earlier line exactly (row 8)" in flat
    assert "C580003" in flat and "cancelled together" in flat
    assert "Guest lines: 1" in flat and "month-first (as stated)" in flat
    statuses = dict(store.rows("SELECT order_id, status FROM orders"))
    assert statuses["580002"] == statuses["C580003"] == "cancelled"
    assert statuses["C580006"] == "returned"

    assert money(store.ask("What was revenue in December 2011?")) == [58.50]
    assert counts(store.ask("How many orders and buyers in December 2011?")) == {
        "orders": 4,
        "buyers": 2,
    }
    assert money(store.ask("What were returns in December 2011?")) == [6.00]


def test_case_02_ambiguous_dates_refused_then_read_day_first(tmp_path: Path) -> None:
    store = Store(tmp_path)
    code, output = store.import_(CASES / "02" / "dayfirst.csv")
    flat = " ".join(output.split())
    assert code != 0
    assert "order_time" in flat and "01 December 2011 day-first" in flat
    assert "12 January 2011 month-first" in flat and "nothing was imported" in flat
    assert store.rows("SELECT COUNT(*) FROM orders") == [(0,)]

    code, output = store.import_(CASES / "02" / "dayfirst.csv", "--date-order", "day-first")
    assert code == 0, output
    dates = store.rows("SELECT order_id, order_date FROM orders ORDER BY order_id")
    assert [str(d) for _, d in dates] == [
        "2011-12-01",
        "2011-12-03",
        "2011-12-05",
        "2011-12-08",
        "2011-12-10",
        "2011-12-12",
    ]
    assert counts(store.ask("How many orders in December 2011?")) == {"orders": 6}
    assert money(store.ask("What was revenue in December 2011?")) == [140.00]


def test_case_03_mixed_currencies_refused_one_currency_sets_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path)
    code, output = store.import_(CASES / "03" / "currencies.csv")
    flat = " ".join(output.split())
    assert code != 0
    for named in ("EUR in rows 2", "USD in rows 3", "GBP in rows 4", "CNY in rows 5"):
        assert named in flat
    assert store.rows("SELECT COUNT(*) FROM orders") == [(0,)]

    sterling = tmp_path / "gbp.csv"
    lines = (CASES / "03" / "currencies.csv").read_text(encoding="utf-8").splitlines()
    sterling.write_text("\n".join([lines[0], lines[3]]) + "\n", encoding="utf-8")
    code, output = store.import_(sterling)
    assert code == 0, output
    assert "Currency: GBP" in output
    assert store.rows("SELECT DISTINCT currency FROM orders") == [("GBP",)]
    answer = store.ask("What was revenue in March 2024?")
    assert "£100.00" in answer and "¥" not in answer

    euros = tmp_path / "eur.csv"
    euros.write_text("\n".join([lines[0], lines[1].replace("M1", "M9")]) + "\n", encoding="utf-8")
    code, output = store.import_(euros)
    assert code != 0 and "EUR" in output and "GBP" in output
    assert store.rows("SELECT COUNT(*) FROM orders") == [(1,)]


def test_case_05_returns_full_mixed_earlier_and_free_sample(tmp_path: Path) -> None:
    store = Store(tmp_path)
    code, output = store.import_(CASES / "05" / "zero_negative.csv")
    assert code == 0, output
    statuses = dict(store.rows("SELECT order_id, status FROM orders"))
    assert statuses["Z2"] == statuses["Z3"] == "cancelled"
    assert money(store.ask("What was revenue in June 2024?")) == [-70.00]
    assert counts(store.ask("orders and buyers in June 2024")) == {"orders": 1, "buyers": 1}
    assert money(store.ask("returns in June 2024")) == [160.00]
    assert money(store.ask("gross sales in June 2024")) == [90.00]
    rfm = store.ask("Segment my customers with RFM")
    assert "1 buyer in 1 segment" in rfm  # N04 only: N02's orders cancel, N03 and N05 net nothing


@pytest.mark.parametrize(
    ("timezone", "january", "february"),
    [("Asia/Shanghai", 100.0, 300.0), ("UTC", 300.0, 100.0)],
)
def test_case_13_offsets_land_in_the_store_timezone(
    tmp_path: Path, timezone: str, january: float, february: float
) -> None:
    store = Store(tmp_path, timezone)
    code, output = store.import_(CASES / "13" / "month_end_tz.csv")
    assert code == 0, output
    assert f"converted to {timezone}" in " ".join(output.split())
    answer = store.ask("Revenue by month in 2024")
    table = store.last.artifacts[0].frame
    found = {str(m)[:7]: float(v) for m, v in zip(table["month"], table["revenue"], strict=True)}
    assert found == {"2024-01": january, "2024-02": february}
    # February is cut where the data ends: not ranked against January, and no
    # highest/lowest of the one whole month left.
    assert "2024-02 is cut short (the data ends 2024-02-10)" in answer
    assert "highest" not in answer and "lowest" not in answer


def test_a_period_cut_where_the_data_ends_shows_the_last_day_of_data(tmp_path: Path) -> None:
    """The store's clock is the day after its data; the period shown ends on the data's
    last day and says the data ends there, not that the month is not over."""
    store = Store(tmp_path)
    code, output = store.import_(CASES / "13" / "month_end_tz.csv")
    assert code == 0, output
    answer = store.ask("What was revenue in February 2024?")
    assert "(2024-02-01 – 2024-02-10)" in answer and "2024-02-11" not in answer
    assert "The data ends 2024-02-10: figures cover Feb 1 – 10, 2024." in answer
    assert "not over" not in answer
    whole = store.ask("What was revenue in January 2024?")
    assert "(2024-01-01 – 2024-01-31)" in whole and "data ends" not in whole
