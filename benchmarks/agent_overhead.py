"""The offline agent's own overhead per question: time of `Copilot.ask` minus its tools' time.

Usage: python benchmarks/agent_overhead.py [--customers 2000] [--rounds 5]
       [--markdown benchmarks/results/agent_overhead.md]

A fresh demo store (DuckDB, in a temp dir) answers a fixed set of English and
Chinese questions several times; the first round warms caches and is not
counted. Overhead = wall time of `ask` - the tools' own durations (planning,
the LangGraph loop, storing the conversation, writing the answer, charts).
Target (issue "The agent"): median under 50 ms.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = [
    "What was revenue last month?",
    "上个月的销售额是多少？",
    "Revenue by month this year",
    "各城市的客单价",
    "email vs SMS conversion rate in 2026",
    "Top 5 cities by orders in the last 90 days",
    "ROI by campaign",
    "今年的销售额同比",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()

    from copilot.agent import Copilot
    from copilot.settings import Settings
    from knowledge.demo import generate_demo_data
    from knowledge.store import connect_store

    home = Path(tempfile.mkdtemp())
    engine = connect_store(f"duckdb:///{home}/store.duckdb")
    generate_demo_data(engine, customers=args.customers, seed=42)
    copilot = Copilot(
        Settings(home=home, as_of=date(2026, 11, 1), llm_provider="offline"), engine=engine
    )
    overheads, totals = [], []
    for round_number in range(args.rounds + 1):
        for question in QUESTIONS:
            began = time.perf_counter()
            answer = copilot.ask(question)
            total = (time.perf_counter() - began) * 1000
            tools = sum(c.duration_ms or 0 for c in answer.tool_calls)
            if round_number:  # round 0 warms up
                overheads.append(total - tools)
                totals.append(total)
    q = statistics.quantiles(overheads, n=20)
    lines = [
        f"# Offline agent overhead ({date.today()}, {platform.machine()}, {__import__('os').cpu_count()} cores)",
        "",
        f"{len(overheads)} questions ({len(QUESTIONS)} distinct, English and Chinese) on a "
        f"{args.customers:,}-customer DuckDB demo store; overhead = `ask` wall time - tool time.",
        "",
        "| figure | ms |",
        "|---|---|",
        f"| overhead median | {statistics.median(overheads):.1f} |",
        f"| overhead p95 | {q[18]:.1f} |",
        f"| whole question median | {statistics.median(totals):.1f} |",
        "",
        f"Target: overhead median < 50 ms -> {'met' if statistics.median(overheads) < 50 else 'MISSED'}.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
