"""Time and peak memory of generating the demo store on DuckDB.

Usage: python benchmarks/demo_data_bench.py [--customers 1000000] [--store PATH] [--keep]

Without --store the store goes to a temporary file that is deleted afterwards.
Prints the rows written, seconds, rows per second, peak RSS and store size.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.demo import generate_demo_data  # noqa: E402
from knowledge.store.database import connect_store  # noqa: E402


def _peak_rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--store", type=Path, help="DuckDB file to write (default: a temp file)")
    parser.add_argument("--keep", action="store_true", help="keep the store file afterwards")
    args = parser.parse_args()

    tmp_dir = None
    store = args.store
    if store is None:
        tmp_dir = tempfile.mkdtemp(prefix="demo_bench_")
        store = Path(tmp_dir) / "demo.duckdb"
    if store.exists():
        parser.error(f"{store} exists; give a new path")

    last = [time.perf_counter(), ""]

    def progress(stage: str, fraction: float) -> None:
        if stage != last[1] or time.perf_counter() - last[0] > 10:
            print(f"  {fraction:6.1%} {stage}", flush=True)
            last[0], last[1] = time.perf_counter(), stage

    engine = connect_store(f"duckdb:///{store}")
    began = time.perf_counter()
    summary = generate_demo_data(
        engine, customers=args.customers, seed=args.seed, progress=progress
    )
    elapsed = time.perf_counter() - began
    engine.dispose()
    rows = (
        summary.customers
        + summary.products
        + summary.orders
        + summary.order_items
        + summary.campaigns
        + summary.campaign_messages
        + summary.reviews
    )
    size_mib = sum(p.stat().st_size for p in store.parent.glob(store.name + "*")) / 2**20
    print(f"customers          {summary.customers:>12,}")
    print(f"orders             {summary.orders:>12,}")
    print(f"order_items        {summary.order_items:>12,}")
    print(f"campaign_messages  {summary.campaign_messages:>12,}")
    print(f"reviews            {summary.reviews:>12,}")
    print(f"rows in all        {rows:>12,}")
    print(f"seconds            {elapsed:>12.1f}")
    print(f"rows per second    {rows / elapsed:>12,.0f}")
    print(f"peak RSS (MiB)     {_peak_rss_mib():>12,.0f}")
    print(f"store size (MiB)   {size_mib:>12,.0f}")
    if not args.keep:
        for path in store.parent.glob(store.name + "*"):
            path.unlink()
        if tmp_dir is not None:
            os.rmdir(tmp_dir)


if __name__ == "__main__":
    main()
