"""Warehouse scale: revenue by month, RFM and a campaign funnel on DuckDB and on Spark.

Usage: python benchmarks/warehouse_bench.py [--orders 10000000] [--dir /tmp/warehouse_bench]
       [--spark local[2]] [--spark standalone] [--repeat 3] [--spark-repeat 1]
       [--markdown PATH]

1. Data: a DuckDB-side generator (SQL `range()` and `hash()` of the row number and
   a fixed seed, so the same rows on every run and thread count) writes parquet
   files once under --dir: orders (N), one merchandise line per order, N/5
   customers, 200 products, 20 campaigns, N/2 campaign messages.
2. DuckDB: the parquet is loaded once into a DuckDB file (the warehouse, no keys);
   the three questions run through the copilot's own tools (`query_metrics`,
   `rfm_segments`), first run and warm median. Then the number of statements one
   question sends (`Copilot.ask`, counted with a SQLAlchemy before_cursor_execute
   listener) with a cold and a warm warehouse-facts cache.
3. Spark, per --spark in the same run: a Thrift server from the pyspark wheel in
   local mode (local[2]) or on a new standalone master + one worker on loopback
   (scripts/spark_cluster.py); its start-up (every process until the Thrift port
   answers) is reported on its own, as is pointing tables at the same parquet
   files. The three questions then run through the same tools on the `hive://`
   URL, exactly as the copilot sends them (one compiled statement per question,
   RFM with approximate quantile cut-offs), compared row by row with DuckDB's
   answers, and the statements per question are counted there too. Spark is
   stopped (by pid) before the next set-up starts.

Prints a Markdown table; --markdown writes it to a file as well.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

SEED = 42
AS_OF = date(2026, 11, 1)
QUESTIONS = ("revenue by month", "RFM segments", "campaign funnel")
CITIES = [
    "上海",
    "北京",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "南京",
    "武汉",
    "西安",
    "苏州",
    "重庆",
    "天津",
]
CATEGORIES = [
    "skincare",
    "makeup",
    "haircare",
    "fragrance",
    "bodycare",
    "menswear",
    "bags",
    "shoes",
]


def h(expression: str, salt: int) -> str:
    """A deterministic pseudo-random BIGINT in [0, 2^31) of a row expression (any thread count)."""
    return f"(hash({expression}, {salt}, {SEED}) % 2147483647)::BIGINT"


def generate(directory: Path, orders: int) -> dict[str, Path]:
    """Write the parquet files once (skipped when present); returns table -> path."""
    import duckdb

    directory.mkdir(parents=True, exist_ok=True)
    customers = max(orders // 5, 10)
    messages = orders // 2
    files = {
        name: directory / f"{name}_{orders}.parquet"
        for name in (
            "customers",
            "products",
            "orders",
            "order_items",
            "campaigns",
            "campaign_messages",
        )
    }
    if all(path.exists() for path in files.values()):
        return files
    cities = "[" + ", ".join(f"'{c}'" for c in CITIES) + "]"
    categories = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    span_s = 3 * 365 * 86400  # 2023-11-01 .. 2026-10-31
    queries = {
        "customers": f"""
            SELECT 'c' || i AS customer_id, NULL::VARCHAR AS name, NULL::VARCHAR AS email,
                   NULL::VARCHAR AS phone, CASE WHEN {h("i", 1)} % 2 = 0 THEN 'F' ELSE 'M' END AS gender,
                   (1960 + {h("i", 2)} % 45)::INTEGER AS birth_year,
                   {cities}[1 + {h("i", 3)} % {len(CITIES)}] AS city, NULL::VARCHAR AS province,
                   'China' AS country, DATE '2023-01-01' + ({h("i", 4)} % 1000)::INTEGER AS signup_date,
                   'app' AS signup_channel, 'zh' AS language, {h("i", 5)} % 3 = 0 AS consent_email,
                   {h("i", 6)} % 2 = 0 AS consent_sms, false AS consent_push, false AS consent_social
            FROM range({customers}) t(i)""",
        "products": f"""
            SELECT 'sku' || i AS sku, 'Product ' || i AS name_en, '商品' || i AS name_zh,
                   {categories}[1 + i % {len(CATEGORIES)}] AS category, NULL::VARCHAR AS category_zh,
                   (10 + i % 90)::DECIMAL(14, 2) AS price
            FROM range(200) t(i)""",
        "orders": f"""
            WITH base AS (
                SELECT i, TIMESTAMP '2023-11-01' + to_seconds(({h("i", 7)} % {span_s})::BIGINT) AS ts,
                       {h("i", 8)} % 100 AS roll,
                       ((5 + {h("i", 9)} % 50000 / 100.0))::DECIMAL(14, 2) AS amount
                FROM range({orders}) t(i))
            SELECT 'o' || i AS order_id, 'c' || ({h("i", 10)} % {customers}) AS customer_id,
                   ts AS ordered_at, CAST(ts AS DATE) AS order_date,
                   CASE WHEN roll < 95 THEN 'completed' WHEN roll < 98 THEN 'cancelled'
                        ELSE 'returned' END AS status,
                   CASE WHEN roll >= 98 THEN -amount ELSE amount END AS total,
                   ['app', 'web', 'store', 'mini_program'][1 + {h("i", 11)} % 4] AS channel,
                   NULL::VARCHAR AS city, 'China' AS country, 'CNY' AS currency
            FROM base""",
        "order_items": f"""
            SELECT order_id, 1 AS line_no, 'sku' || ({h("order_id", 12)} % 200) AS sku,
                   CASE WHEN total < 0 THEN -1 ELSE 1 END AS quantity, abs(total) AS unit_price,
                   total AS amount, true AS merchandise
            FROM read_parquet('{files["orders"]}')""",
        "campaigns": """
            SELECT 'k' || i AS campaign_id, 'Campaign ' || i AS name,
                   ['email', 'sms', 'push', 'social'][1 + i % 4] AS channel,
                   DATE '2024-01-01' + (i * 45)::INTEGER AS start_date,
                   DATE '2024-01-01' + (i * 45 + 14)::INTEGER AS end_date,
                   (5000 + i * 250)::DECIMAL(14, 2) AS cost, NULL::VARCHAR AS target_segment,
                   'A,B' AS variants, 'conversion' AS goal
            FROM range(20) t(i)""",
        "campaign_messages": f"""
            WITH base AS (SELECT i, {h("i", 13)} % 1000 AS roll FROM range({messages}) t(i))
            SELECT 'm' || i AS message_id, 'k' || (i % 20) AS campaign_id,
                   'c' || ({h("i", 14)} % {customers}) AS customer_id,
                   CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END AS variant,
                   TIMESTAMP '2024-01-01 09:00' + to_days(((i % 20) * 45)::INTEGER) AS sent_at,
                   roll < 950 AS delivered,
                   CASE WHEN roll < 300 THEN TIMESTAMP '2024-01-02 10:00' END AS opened_at,
                   CASE WHEN roll < 100 THEN TIMESTAMP '2024-01-02 10:05' END AS clicked_at,
                   CASE WHEN roll < 20 THEN 'o' || ({h("i", 15)} % {orders}) END AS attributed_order_id,
                   roll >= 995 AS unsubscribed
            FROM base""",
    }
    connection = duckdb.connect()
    for name in files:  # orders before order_items, which read them
        connection.execute(f"COPY ({queries[name]}) TO '{files[name]}' (FORMAT parquet)")
    connection.close()
    return files


REVIEWS_TABLE = """CREATE TABLE reviews (review_id VARCHAR, customer_id VARCHAR, sku VARCHAR,
    order_id VARCHAR, created_at TIMESTAMP, rating INTEGER, text VARCHAR, language VARCHAR)"""


def load_duckdb(files: dict[str, Path], target: Path) -> str:
    """A DuckDB warehouse file holding the parquet rows under the store's table names (once).

    Plain CREATE TABLE AS, as a warehouse holds facts: no primary keys or indexes
    (building them for 10M rows took most of an hour on the shared 2-core machine).
    """
    import duckdb

    if not target.exists():
        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        connection = duckdb.connect(str(partial))
        for name, path in files.items():
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
        connection.execute(REVIEWS_TABLE)  # no reviews generated: the table is empty
        connection.close()
        partial.rename(target)
    return f"duckdb:///{target}"


def timed(run: Callable[[], pd.DataFrame], repeat: int) -> tuple[float, float, pd.DataFrame, str]:
    """(first run s, median of the warm runs s, result, 1-minute load average after the runs).

    The load average is recorded with every figure: the machine is shared, and a
    timing means little without how busy it was.
    """
    start = time.perf_counter()
    result = run()
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    return first, statistics.median(warm) if warm else first, result, _load()


def tool_questions(url: str) -> dict[str, Callable[[], pd.DataFrame]]:
    """The three questions through the copilot's own tools on the warehouse at `url`.

    The same code path as a question to the copilot: `connect_warehouse` (read-only,
    time-limited on Spark) and the tools' one compiled statement per question, in the
    engine's dialect (knowledge/store/portable.py); RFM on Spark scores against
    approximate quantile cut-offs (tools/segments/rfm.py).
    """
    from knowledge.semantic import load_semantic_model
    from knowledge.store.database import connect_warehouse
    from tools import Limits, ToolContext, query_metrics
    from tools.segments.rfm_report import rfm_segments

    engine = connect_warehouse(url)
    ctx = ToolContext(
        engine=engine,
        semantic_model=load_semantic_model(),
        limits=Limits(query_timeout_s=3600, row_limit=10_000),
        as_of=AS_OF,
    )
    return {
        "revenue by month": lambda: (
            query_metrics(ctx, metrics=["revenue"], dimensions=["month"]).artifacts[0].frame
        ),
        "RFM segments": lambda: (
            rfm_segments(ctx, as_of=AS_OF.isoformat(), save=False).artifacts[0].frame
        ),
        "campaign funnel": lambda: (
            query_metrics(
                ctx,
                metrics=["delivered", "opens", "clicks", "conversions"],
                dimensions=["campaign"],
            )
            .artifacts[0]
            .frame
        ),
    }


SPARK_REVIEWS_TABLE = """CREATE TABLE reviews (review_id STRING, customer_id STRING, sku STRING,
    order_id STRING, created_at TIMESTAMP, rating INT, text STRING, language STRING)
    USING parquet"""


def register_spark_tables(url: str, files: dict[str, Path]) -> None:
    """Point Spark tables named like the store's at the parquet files (metadata only).

    As a warehouse holds them: external tables over the files, created here with a
    plain connection (the benchmark's set-up, not the copilot, which only reads).
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        for name, path in [*files.items(), ("reviews", None)]:
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
            if path is None:
                conn.execute(text(SPARK_REVIEWS_TABLE))  # none generated: empty, as on DuckDB
            else:
                conn.execute(text(f"CREATE TABLE {name} USING parquet OPTIONS (path '{path}')"))
        conn.execute(text("SELECT count(*) FROM orders")).scalar_one()
    engine.dispose()


def spark_run(
    master: str, files: dict[str, Path], directory: Path, repeat: int, home: Path
) -> dict:
    """Start Spark (`master`: local[N] or standalone), time the three questions, count
    the statements of one question, stop Spark. Start-up and table set-up timed apart."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from spark_cluster import start_spark

    # Spark kept under ~4 GB in all: in local mode the driver runs the tasks (3 GB); on
    # the standalone cluster the executor does (3 GB) and the Thrift driver only plans (1 GB).
    standalone = master == "standalone"
    spark = start_spark(directory, master, driver_memory="1g" if standalone else "3g",
                        executor_memory="3g", shuffle_partitions=8)  # fmt: skip
    startup_load = _load()
    try:
        start = time.perf_counter()
        register_spark_tables(spark.url, files)
        tables = time.perf_counter() - start
        results = {}
        for question, run in tool_questions(spark.url).items():
            results[question] = timed(run, repeat)
            first, warm, frame, load = results[question]
            print(
                f"  Spark {master}: {question} {first:.1f} s first, {warm:.1f} s warm "
                f"(load {load})",
                flush=True,
            )
        statements = statements_per_question(spark.url, home)
    finally:
        spark.stop()
    return {
        "startup": spark.started_s,
        "startup_load": startup_load,
        "tables": tables,
        "questions": results,
        "statements": statements,
    }


def statements_per_question(url: str, home: Path) -> tuple[int, int, int, int]:
    """(cold start-up, cold question, warm start-up, warm question) warehouse statements."""
    from sqlalchemy import event

    from copilot.agent import Copilot
    from copilot.settings import Settings
    from knowledge.store.database import connect_warehouse
    from knowledge.store.state import connect_state

    engine = connect_warehouse(url)
    home.mkdir(parents=True, exist_ok=True)
    state = connect_state(f"sqlite:///{home}/state.sqlite")
    counts: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: counts.append(args[2]))
    figures = []
    for _ in range(2):  # the first run fills the cache, the second uses it
        counts.clear()
        settings = Settings(home=home, as_of=AS_OF, llm_provider="offline", query_timeout_s=3600)
        copilot = Copilot(settings, engine=engine, state=state)
        start_up = len(counts)
        answer = copilot.ask("What was revenue by month in 2026?")
        if answer.status != "answered":
            raise RuntimeError(f"the counted question was not answered on {url}: {answer.error}")
        figures += [start_up, len(counts) - start_up]
    engine.dispose()
    return figures[0], figures[1], figures[2], figures[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/warehouse_bench"))
    parser.add_argument(
        "--spark",
        action="append",
        default=[],
        help="also on Spark: local[N] or standalone (repeatable); none: DuckDB only",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark-repeat", type=int, help="warm runs on Spark (default --repeat)")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()

    start = time.perf_counter()
    files = generate(args.dir, args.orders)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    url = load_duckdb(files, args.dir / f"warehouse_{args.orders}.duckdb")
    loaded = time.perf_counter() - start
    lines = [
        f"Machine: {platform.machine()}, {platform.python_version()}, load average "
        f"{_load()} at the start; {args.orders:,} orders (parquet written in "
        f"{generated:.1f} s if new, DuckDB file loaded in {loaded:.1f} s if new).",
        "",
        "| question | engine | rows | first run s | warm median s | load avg (1 min) after |",
        "|---|---|---|---|---|---|",
    ]
    duck_results = {}
    for question, run in tool_questions(url).items():
        first, warm, frame, load = timed(run, args.repeat)
        duck_results[question] = frame
        lines.append(
            f"| {question} | DuckDB (copilot tools) | {len(frame)} | {first:.2f} | {warm:.2f} "
            f"| {load} |"
        )
        print(lines[-1], flush=True)
    notes = [f"DuckDB: statements per question {_statements(url, args.dir / 'home-duckdb')}."]
    repeat = args.repeat if args.spark_repeat is None else args.spark_repeat
    for master in args.spark:
        name = master.replace("[", "").replace("]", "")
        spark = spark_run(
            master, files, args.dir / f"spark-{name}", repeat, args.dir / f"home-spark-{name}"
        )
        label = (
            "Spark standalone master + 1 worker" if master == "standalone" else f"Spark {master}"
        )
        for question, (first, warm, frame, load) in spark["questions"].items():
            lines.append(
                f"| {question} | {label} | {len(frame)} | {first:.2f} | {warm:.2f} | {load} |"
            )
        notes += [
            f"{label}: start-up (every process until the Thrift port answers) "
            f"{spark['startup']:.1f} s (load {spark['startup_load']} when up); tables over the "
            f"parquet files {spark['tables']:.1f} s; " + _compare(duck_results, spark["questions"]),
            f"{label}: statements per question {_format_statements(spark['statements'])}.",
        ]
        print("\n".join(notes[-2:]), flush=True)
    text = "\n".join([*lines, "", *notes])
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def _statements(url: str, home: Path) -> str:
    return _format_statements(statements_per_question(url, home))


def _format_statements(counts: tuple[int, int, int, int]) -> str:
    cold_start, cold_question, warm_start, warm_question = counts
    return (
        "('What was revenue by month in 2026?', Copilot.ask): cold facts cache "
        f"{cold_start} at start-up + {cold_question} for the question; warm {warm_start} + "
        f"{warm_question}"
    )


def _compare(duck: dict[str, pd.DataFrame], spark: dict) -> str:
    """How far Spark's figures are from DuckDB's, row by row on the key (first) column.

    Returns one sentence: per question the largest relative difference over its
    numeric columns (0 = the same figures), or what did not line up.
    """
    notes = []
    for question, (_, _, frame, _) in spark.items():
        ours = duck[question]
        key = ours.columns[0]
        if list(frame.columns) != list(ours.columns) or set(frame[key]) != set(ours[key]):
            notes.append(f"{question}: DIFFERENT rows or columns")
            continue
        joined = ours.merge(frame, on=key, suffixes=("_duckdb", "_spark"))
        worst = 0.0
        for column in ours.columns[1:]:
            a = pd.to_numeric(joined[f"{column}_duckdb"], errors="coerce").astype(float)
            b = pd.to_numeric(joined[f"{column}_spark"], errors="coerce").astype(float)
            if a.isna().all():
                continue  # a text column
            scale = a.abs().where(a.abs() > 0, 1.0)
            worst = max(worst, float(((a - b).abs() / scale).max()))
        notes.append(f"{question}: largest relative difference {worst:.2g}")
    return "vs DuckDB: " + "; ".join(notes) + "."


if __name__ == "__main__":
    main()
