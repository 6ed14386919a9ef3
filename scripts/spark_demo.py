"""Load the tests' small seeded demo store into a Spark server, as a warehouse would hold it.

Usage: python scripts/spark_demo.py URL [--customers N] [--seed S]

URL is the Spark Thrift server's SQLAlchemy URL (hive://127.0.0.1:10015/default).
The demo data is generated in a throw-away DuckDB file (the same generator and
seed as tests/conftest.py), each business table is written as one Parquet file,
and Spark itself turns each file into a managed Parquet table
(`CREATE TABLE ... USING parquet AS SELECT * FROM parquet.`...``), so column
types (DECIMAL(14,2), DATE, TIMESTAMP) are Spark's own reading of the data.
Existing tables of the same names are replaced. Prints one line per table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.demo import generate_demo_data  # noqa: E402
from knowledge.store import connect_store  # noqa: E402
from knowledge.store.schema import BUSINESS_TABLES  # noqa: E402

# The same store as tests/conftest.py's demo fixtures (DEMO_CUSTOMERS, DEMO_SEED).
DEFAULT_CUSTOMERS = 400
DEFAULT_SEED = 7


def export_parquet(directory: Path, customers: int, seed: int) -> dict[str, Path]:
    """Generate the demo store in DuckDB and write each business table to `directory`."""
    engine = connect_store(f"duckdb:///{directory}/demo.duckdb")
    generate_demo_data(engine, customers=customers, seed=seed)
    files: dict[str, Path] = {}
    with engine.connect() as conn:
        for model in BUSINESS_TABLES:
            name = model.__tablename__
            path = directory / f"{name}.parquet"
            conn.exec_driver_sql(f"COPY {name} TO '{path}' (FORMAT parquet)")
            files[name] = path
    engine.dispose()
    return files


def load_into_spark(url: str, files: dict[str, Path]) -> None:
    """Replace each table in Spark with a managed Parquet table read from its file."""
    engine = create_engine(url)
    with engine.connect() as conn:
        for name, path in files.items():
            started = time.monotonic()
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
            conn.execute(
                text(f"CREATE TABLE {name} USING parquet AS SELECT * FROM parquet.`{path}`")
            )
            rows = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            print(f"  {name}: {rows} rows ({time.monotonic() - started:.1f} s)")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="SQLAlchemy URL of the Spark Thrift server (hive://...)")
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="spark-demo-") as tmp:
        files = export_parquet(Path(tmp), args.customers, args.seed)
        load_into_spark(args.url, files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
