"""Warehouse scale: revenue by month, RFM and a campaign funnel on 10M orders, DuckDB and Spark.

Usage: python benchmarks/warehouse_bench.py [--orders 10000000] [--dir /tmp/warehouse_bench]
       [--spark local[2]] [--spark-orders N] [--repeat 3] [--markdown PATH]

1. Data: a DuckDB-side generator (SQL `range()` and `hash()` of the row number and
   a fixed seed, so the same rows on every run and thread count) writes parquet
   files once under --dir: orders (N), one merchandise line per order, N/5
   customers, 200 products, 20 campaigns, N/2 campaign messages.
2. DuckDB: the parquet is loaded once into a DuckDB file with the store's schema
   (the warehouse); the three questions run through the copilot's own tools
   (`query_metrics`, `rfm_segments`), first run and warm median. Then the number of
   statements one question sends (`Copilot.ask`, counted with a SQLAlchemy
   before_cursor_execute listener) with a cold and a warm warehouse-facts cache.
3. Spark (--spark MASTER, e.g. local[2] or spark://host:7077): a SparkSession is
   started (its start-up time is shown on its own line), the same parquet files
   become temporary views named like the store's tables, and the SQL the copilot
   compiles for the three questions runs there (DuckDB dialect, literal values;
   one rewrite for Spark: DuckDB's date_diff('day', a, b) -> datediff(DAY, a, b)).
   Results are compared with DuckDB's. --spark-orders runs Spark on a prefix of
   the orders when 10M is too slow for the machine (say so in the results).

Prints a Markdown table; --markdown writes it to a file as well.
"""

from __future__ import annotations

import argparse
import platform
import re
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
COMPARED = ("revenue", "customers", "delivered", "opens", "clicks", "conversions")
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


def timed(run: Callable[[], pd.DataFrame], repeat: int) -> tuple[float, float, pd.DataFrame]:
    """(first run s, median of the warm runs s, result)."""
    start = time.perf_counter()
    result = run()
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    return first, statistics.median(warm) if warm else first, result


def duckdb_questions(url: str) -> dict[str, Callable[[], pd.DataFrame]]:
    """The three questions through the copilot's tools on the DuckDB warehouse."""
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


def compiled_sql() -> dict[str, str]:
    """The SQL the copilot compiles for the three questions (DuckDB dialect, literal values)."""
    import duckdb_engine
    from sqlalchemy import func, select

    from knowledge.semantic import MetricQuery, load_semantic_model, plan_metric_query
    from tools.segments.rfm import rfm_select

    dialect = duckdb_engine.Dialect()
    model = load_semantic_model()

    def literal(statement) -> str:  # noqa: ANN001
        return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    def metric(query: MetricQuery) -> str:
        (part,) = plan_metric_query(model, query, "duckdb").parts
        return literal(part.statement)

    rfm = rfm_select("duckdb", AS_OF).subquery("rfm")
    summary = select(rfm.c.segment, func.count().label("customers")).group_by(rfm.c.segment)
    return {
        "revenue by month": metric(MetricQuery(("revenue",), ("month",))),
        "RFM segments": literal(summary),
        "campaign funnel": metric(
            MetricQuery(("delivered", "opens", "clicks", "conversions"), ("campaign",))
        ),
    }


def for_spark(sql: str) -> str:
    """DuckDB's three-argument date_diff('day', a, b) is datediff(DAY, a, b) in Spark SQL."""
    return re.sub(r"date_diff\('day',", "datediff(DAY,", sql)


def spark_run(master: str, files: dict[str, Path], orders: int | None, repeat: int) -> dict:
    """Start-up time, view set-up time and (first, warm, rows) per question on Spark."""
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    spark = (
        SparkSession.builder.master(master)
        .appName("copilot-warehouse-bench")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sql("SELECT 1").collect()
    startup = time.perf_counter() - start
    start = time.perf_counter()
    for name, path in files.items():
        frame = spark.read.parquet(str(path))
        if name == "orders" and orders:
            frame = frame.limit(orders)
        frame.createOrReplaceTempView(name)
    views = time.perf_counter() - start
    results = {}
    for question, sql in compiled_sql().items():
        first, warm, frame = timed(lambda sql=sql: spark.sql(for_spark(sql)).toPandas(), repeat)
        results[question] = (first, warm, frame)
    spark.stop()
    return {"startup": startup, "views": views, "questions": results}


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
        settings = Settings(home=home, as_of=AS_OF, llm_provider="offline")
        copilot = Copilot(settings, engine=engine, state=state)
        start_up = len(counts)
        copilot.ask("What was revenue by month in 2026?")
        figures += [start_up, len(counts) - start_up]
    return figures[0], figures[1], figures[2], figures[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/warehouse_bench"))
    parser.add_argument("--spark", help="Spark master URL, e.g. local[2]; empty: DuckDB only")
    parser.add_argument("--spark-orders", type=int, help="run Spark on the first N orders only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()

    start = time.perf_counter()
    files = generate(args.dir, args.orders)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    url = load_duckdb(files, args.dir / f"warehouse_{args.orders}.duckdb")
    loaded = time.perf_counter() - start
    lines = [
        f"Machine: {platform.machine()}, {platform.python_version()}; {args.orders:,} orders "
        f"(parquet written in {generated:.1f} s if new, DuckDB file loaded in {loaded:.1f} s if new).",
        "",
        "| question | engine | rows | first run s | warm median s |",
        "|---|---|---|---|---|",
    ]
    duck_results = {}
    for question, run in duckdb_questions(url).items():
        first, warm, frame = timed(run, args.repeat)
        duck_results[question] = frame
        lines.append(
            f"| {question} | DuckDB (copilot tools) | {len(frame)} | {first:.2f} | {warm:.2f} |"
        )
        print(lines[-1], flush=True)
    if args.spark:
        spark = spark_run(args.spark, files, args.spark_orders, args.repeat)
        size = f"{args.spark_orders:,} orders" if args.spark_orders else "same data"
        for question, (first, warm, frame) in spark["questions"].items():
            lines.append(
                f"| {question} | Spark {args.spark} ({size}) | {len(frame)} | {first:.2f} | {warm:.2f} |"
            )
            print(lines[-1], flush=True)
        lines += [
            "",
            f"Spark start-up (session, JVM, first statement): {spark['startup']:.1f} s; "
            f"parquet views: {spark['views']:.1f} s.",
        ]
        if not args.spark_orders:
            lines.append(_compare(duck_results, spark["questions"]))
        print("\n".join(lines[-3:]), flush=True)
    cold_start, cold_question, warm_start, warm_question = statements_per_question(
        url, args.dir / "home"
    )
    lines += [
        "",
        "Warehouse statements for one question ('What was revenue by month in 2026?', Copilot.ask):",
        f"cold facts cache: {cold_start} at start-up + {cold_question} for the question; "
        f"warm: {warm_start} + {warm_question}.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


def _compare(duck: dict[str, pd.DataFrame], spark: dict) -> str:
    """Whether Spark's numbers equal DuckDB's (revenue totals and funnel counts)."""
    notes = []
    for question, (_, _, frame) in spark.items():
        ours = duck[question]
        numeric = [c for c in frame.columns if c in ours.columns and c in COMPARED]
        same = all(
            abs(float(pd.to_numeric(frame[c]).sum()) - float(pd.to_numeric(ours[c]).sum())) < 0.01
            for c in numeric
        )
        notes.append(
            f"{question}: {'same totals' if same else 'DIFFERENT totals'} ({', '.join(numeric)})"
        )
    return "Spark vs DuckDB: " + "; ".join(notes) + "."


if __name__ == "__main__":
    main()
