"""How much work a huge run_sql result costs before the byte cap stops it (DuckDB).

Usage: python benchmarks/load_sql_bytes.py

Runs `run_readonly` (below the parser guard, which would refuse range(1000000))
on an empty DuckDB store with 1,000,000 rows of 10 kB each (10 GB if built
whole) and prints the rows kept, whether the byte cap cut them, wall and CPU
seconds, and peak memory above the process's baseline. Results:
benchmarks/results/load.md, "run_sql result bytes".
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SQL = (
    "SELECT a.range * 1000 + b.range AS i, repeat('x', 10000) AS s "
    "FROM range(1000) a, range(1000) b"
)


def main() -> None:
    from knowledge.store import connect_store
    from tools.sql.readonly import MAX_RESULT_BYTES, run_readonly

    with tempfile.TemporaryDirectory(prefix="sql-bytes-") as home:
        engine = connect_store(f"duckdb:///{home}/store.duckdb")
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        wall, cpu = time.perf_counter(), time.process_time()
        frame = run_readonly(engine, SQL, timeout_s=60, max_rows=1_000_000)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine.dispose()
    print(
        f"rows kept {len(frame):,} (byte cap {MAX_RESULT_BYTES:,} B, capped "
        f"{frame.attrs['byte_capped']}); wall {wall:.2f} s, CPU {cpu:.2f} s; peak memory "
        f"{peak - baseline:.0f} MB above the baseline of {baseline:.0f} MB"
    )


if __name__ == "__main__":
    main()
