"""What short-lived read-only connections cost a question, against one pooled connection.

Usage: python benchmarks/store_connections.py [--customers 2000] [--rounds 5]

A demo home (embedded DuckDB warehouse + SQLite state) answers a fixed set of
questions with the two-store setup (`open_stores`: read-only, NullPool, the
warehouse held open per question), and the same questions on the previous
single-store layout (one DuckDB engine with a connection pool, held open all
the time). Reported: median wall seconds per question of each, their
difference (the per-question price of not holding the store while idle), and
the cost of opening the warehouse once and of one statement's connection
inside a held question. The first round warms caches and is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = [
    "What was revenue last month?",
    "Revenue by month this year",
    "Revenue last month by RFM segment",
    "Top 5 cities by orders in the last 90 days",
]


def timed_questions(copilot, rounds: int) -> list[float]:  # noqa: ANN001
    """Seconds per question over `rounds` counted rounds (after one warm-up round)."""
    seconds: list[float] = []
    for round_number in range(rounds + 1):
        for question in QUESTIONS:
            began = time.perf_counter()
            answer = copilot.ask(question)
            if answer.error:
                raise SystemExit(f"{question!r} failed: {answer.error}")
            if round_number:
                seconds.append(time.perf_counter() - began)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import text

    from copilot.agent import Copilot
    from copilot.bootstrap import open_stores
    from copilot.settings import Settings
    from knowledge.store import connect_store
    from knowledge.store.database import hold_warehouse

    home = Path(tempfile.mkdtemp())
    settings = Settings(
        home=home, as_of=date(2026, 11, 1), llm_provider="offline", demo_customers=args.customers
    )
    stores = open_stores(settings)
    split = Copilot(settings, engine=stores.warehouse, state=stores.state)
    split.ask("Run RFM segmentation")  # so the segment question has members to join

    opens, statements = [], []
    for _ in range(20):
        began = time.perf_counter()
        with hold_warehouse(stores.warehouse):
            opens.append(time.perf_counter() - began)
            for _ in range(10):
                began = time.perf_counter()
                with stores.warehouse.connect() as conn:
                    conn.execute(text("SELECT 1")).scalar_one()
                statements.append(time.perf_counter() - began)
    split_seconds = timed_questions(split, args.rounds)
    split.engine.dispose()

    # The previous layout on a copy of the same data: one pooled engine, all tables.
    single_home = Path(tempfile.mkdtemp())
    (single_home / "store.duckdb").write_bytes((home / "store.duckdb").read_bytes())
    single_engine = connect_store(f"duckdb:///{single_home}/store.duckdb")
    single = Copilot(settings.model_copy(update={"home": single_home}), engine=single_engine)
    single.ask("Run RFM segmentation")
    single_seconds = timed_questions(single, args.rounds)

    def ms(values: list[float]) -> str:
        return f"{1000 * statistics.median(values):.1f} ms"

    print(f"questions: {len(QUESTIONS)} x {args.rounds} rounds, {args.customers} customers")
    print(f"open the warehouse read-only (once per question): {ms(opens)}")
    print(f"one statement's connection inside a question: {ms(statements)}")
    print(f"question, two stores (read-only, per question): {ms(split_seconds)}")
    print(f"question, one pooled store (previous layout):  {ms(single_seconds)}")
    difference = statistics.median(split_seconds) - statistics.median(single_seconds)
    print(f"difference per question: {1000 * difference:+.1f} ms")


if __name__ == "__main__":
    main()
