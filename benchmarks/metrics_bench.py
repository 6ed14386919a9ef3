"""Time and peak memory of `query_metrics` against a hand-written DuckDB query and pandas.

Usage: python benchmarks/metrics_bench.py [--store PATH] [--customers 1000000]
       [--repeat 3] [--markdown benchmarks/results/metrics.md]

Three questions, each computed three ways in a fresh child process (so peak RSS
is the measurement's own): revenue by month, revenue by category, and the
campaign funnel by campaign. (a) `query_metrics` through the tool, (b) the same
numbers in one hand-written DuckDB SQL query fetched as a DataFrame, (c) pandas
over the tables read from the store (reading included, as a pandas pipeline
must). The three results are compared. The store is generated (seed 42) when the
file does not exist.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

DEFAULT_STORE = Path("/tmp/metrics_bench/demo_1m.duckdb")
VALID = "status NOT IN ('cancelled', 'returned') AND total > 0"

HAND_SQL = {
    "revenue_by_month": f"""
        SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, sum(total) AS revenue
        FROM orders WHERE {VALID} GROUP BY 1 ORDER BY 1""",
    "revenue_by_category": f"""
        SELECT p.category, sum(i.amount) AS revenue
        FROM order_items i JOIN orders o ON o.order_id = i.order_id JOIN products p ON p.sku = i.sku
        WHERE o.{VALID.replace(" AND total", " AND o.total")} GROUP BY 1 ORDER BY 2 DESC""",
    "campaign_funnel": """
        SELECT c.name AS campaign,
               count(*) FILTER (WHERE m.delivered) AS delivered,
               count(*) FILTER (WHERE m.delivered AND m.opened_at IS NOT NULL) AS opens,
               count(*) FILTER (WHERE m.delivered AND m.clicked_at IS NOT NULL) AS clicks,
               count(*) FILTER (WHERE m.delivered AND m.attributed_order_id IS NOT NULL) AS conversions
        FROM campaign_messages m JOIN campaigns c ON c.campaign_id = m.campaign_id
        GROUP BY 1 ORDER BY 1""",
}

TOOL_ARGS = {
    "revenue_by_month": {"metrics": ["revenue"], "dimensions": ["month"]},
    "revenue_by_category": {"metrics": ["revenue"], "dimensions": ["category"]},
    "campaign_funnel": {
        "metrics": ["delivered", "opens", "clicks", "conversions"],
        "dimensions": ["campaign"],
    },
}


def _pandas(case: str, store: str) -> pd.DataFrame:
    import duckdb

    with duckdb.connect(store, read_only=True) as conn:
        if case == "campaign_funnel":
            messages = conn.execute(
                "SELECT campaign_id, delivered, opened_at, clicked_at, attributed_order_id FROM campaign_messages"
            ).df()
            campaigns = conn.execute("SELECT campaign_id, name FROM campaigns").df()
            delivered = messages[messages["delivered"]].merge(campaigns, on="campaign_id")
            grouped = delivered.groupby("name")
            frame = pd.DataFrame(
                {
                    "delivered": grouped.size(),
                    "opens": grouped["opened_at"].count(),
                    "clicks": grouped["clicked_at"].count(),
                    "conversions": grouped["attributed_order_id"].count(),
                }
            )
            return frame.rename_axis("campaign").reset_index()
        orders = conn.execute("SELECT order_id, order_date, status, total FROM orders").df()
        valid = orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]
        if case == "revenue_by_month":
            month = pd.to_datetime(valid["order_date"]).dt.to_period("M").dt.start_time.dt.date
            return (
                valid.groupby(month)["total"]
                .sum()
                .rename("revenue")
                .rename_axis("month")
                .reset_index()
            )
        items = conn.execute("SELECT order_id, sku, amount FROM order_items").df()
        products = conn.execute("SELECT sku, category FROM products").df()
        lines = items.merge(valid[["order_id"]], on="order_id").merge(products, on="sku")
        return lines.groupby("category")["amount"].sum().rename("revenue").reset_index()


def _phase(case: str, way: str, store: str, queue: mp.Queue) -> None:
    """One measurement in this fresh process: seconds, peak RSS (MiB) and the result."""
    import duckdb

    from knowledge.semantic import load_semantic_model
    from knowledge.store.database import connect_store
    from tools.base import Limits, ToolContext
    from tools.metrics import query_metrics

    engine = connect_store(f"duckdb:///{store}", create=False)
    ctx = ToolContext(
        engine, load_semantic_model(), Limits(query_timeout_s=600), as_of=date(2026, 11, 1)
    )
    began = time.perf_counter()
    if way == "query_metrics":
        result = query_metrics(ctx, **TOOL_ARGS[case]).artifacts[0].frame
    elif way == "hand_sql":
        engine.dispose()
        with duckdb.connect(store, read_only=True) as conn:
            result = conn.execute(HAND_SQL[case]).df()
    else:
        engine.dispose()
        result = _pandas(case, store)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, result))


def measure(case: str, way: str, store: str) -> tuple[float, float, pd.DataFrame]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_phase, args=(case, way, store, queue))
    process.start()
    outcome = queue.get()
    process.join()
    return outcome


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    key = a.columns[0]
    left = a.astype({key: str}).sort_values(key).reset_index(drop=True)
    right = b.astype({key: str}).sort_values(key).reset_index(drop=True)
    if list(left[key]) != list(right[key]):
        return False
    for column in left.columns[1:]:
        if (left[column].astype(float) - right[column].astype(float)).abs().max() > 0.01:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    if not args.store.exists():
        from knowledge.demo import generate_demo_data
        from knowledge.store.database import connect_store

        args.store.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {args.customers:,} customers into {args.store} ...", flush=True)
        engine = connect_store(f"duckdb:///{args.store}")
        generate_demo_data(engine, customers=args.customers, seed=42)
        engine.dispose()
    import duckdb

    with duckdb.connect(str(args.store), read_only=True) as conn:
        orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    lines = [
        f"# query_metrics benchmark ({date.today()}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} cores)",
        "",
        f"Store: {customers:,} customers, {orders:,} orders (DuckDB). Median of {args.repeat} runs, "
        "each in a fresh process; peak RSS of that process.",
        "",
        "| question | way | seconds (median) | peak RSS MiB | vs hand-written | same numbers |",
        "|---|---|---|---|---|---|",
    ]
    for case in HAND_SQL:
        results: dict[str, tuple[float, float, pd.DataFrame]] = {}
        for way in ("hand_sql", "query_metrics", "pandas"):
            runs = [measure(case, way, str(args.store)) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            results[way] = (seconds, max(r[1] for r in runs), runs[0][2])
        base = results["hand_sql"][0]
        for way, (seconds, peak, frame) in results.items():
            same = _same(results["hand_sql"][2], frame)
            line = f"| {case} | {way} | {seconds:.3f} | {peak:,.0f} | {seconds / base:.2f}x | {'yes' if same else 'NO'} |"
            lines.append(line)
            print(line, flush=True)
    report = "\n".join(lines) + "\n"
    print(report)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
