"""run_sql against hostile input, on DuckDB, SQLite and PostgreSQL.

Every input must be refused (ToolError) or be harmless, and after the whole
suite the store must be unchanged. `demo_engine` is session-scoped and shared
with other test modules, so nothing here may change it: the last test of the
module compares a checksum of every table's full contents (ordered by primary
key) with the one taken before the first hostile input, and the file bytes of
the DuckDB and SQLite stores (see `store_files_digest` for why that is stable).
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from knowledge.store.schema import Base
from tests.conftest import AS_OF
from tests.pg_reader import question_time_engine
from tools.base import Limits, ToolContext, ToolError
from tools.sql import run_sql
from tools.sql.readonly import run_readonly

# {OUT} is replaced by a folder of this test session; nothing may ever appear in it.
HOSTILE: list[tuple[str, str]] = [
    ("two-statements", "SELECT 1; DROP TABLE orders"),
    ("block-comment-then-delete", "SELECT 1 /* */; DELETE FROM orders"),
    ("line-comment-then-delete", "SELECT 1 -- hi\n; DELETE FROM orders"),
    ("trailing-drop-comment", "select 1;drop table customers;--"),
    ("drop", "DROP TABLE orders"),
    ("drop-if-exists-lower", "drop table if exists orders"),
    ("delete", "DELETE FROM orders"),
    ("delete-mixed-case", "dElEtE fRoM orders WHERE 1=1"),
    (
        "insert",
        "INSERT INTO audit_log (entry_id, logged_at, action) VALUES ('h', '2026-01-01', 'x')",
    ),
    ("update", "UPDATE orders SET total = 0"),
    ("merge", "MERGE INTO orders USING customers c ON 1=1 WHEN MATCHED THEN DELETE"),
    ("replace-into", "REPLACE INTO products (sku) VALUES ('x')"),
    ("create-table-as", "CREATE TABLE x AS SELECT * FROM orders"),
    ("create-temp-table", "CREATE TEMP TABLE x AS SELECT 1 AS a"),
    ("create-view", "CREATE VIEW v AS SELECT 1 AS a"),
    ("create-macro", "CREATE MACRO m(a) AS a + 1"),
    ("alter", "ALTER TABLE orders ADD COLUMN x INT"),
    ("truncate", "TRUNCATE orders"),
    ("grant", "GRANT ALL ON orders TO PUBLIC"),
    ("cte-delete", "WITH x AS (DELETE FROM orders RETURNING *) SELECT * FROM x"),
    ("cte-update", "WITH x AS (UPDATE orders SET total = 0 RETURNING *) SELECT count(*) FROM x"),
    (
        "cte-insert",
        "WITH x AS (INSERT INTO audit_log (entry_id, logged_at, action) "
        "VALUES ('h', '2026-01-01', 'x') RETURNING *) SELECT * FROM x",
    ),
    ("select-into", "SELECT * INTO new_table FROM orders"),
    ("select-into-literal", "SELECT 1 INTO new_table"),
    ("for-update", "SELECT * FROM orders FOR UPDATE"),
    ("for-share", "SELECT * FROM orders FOR SHARE"),
    ("explain-analyze-delete", "EXPLAIN ANALYZE DELETE FROM orders"),
    ("explain", "EXPLAIN SELECT 1"),
    ("read-csv", "SELECT * FROM read_csv('/etc/passwd')"),
    ("read-csv-auto-upper", "SELECT * FROM READ_CSV_AUTO('/etc/passwd')"),
    ("replacement-scan-string", "SELECT * FROM '/etc/passwd'"),
    ("replacement-scan-quoted", 'SELECT * FROM "/etc/passwd"'),
    ("from-first-file", "FROM '/etc/passwd'"),
    ("url-in-from", "SELECT * FROM 'https://example.com/x.csv'"),
    ("read-parquet", "SELECT * FROM read_parquet('x.parquet')"),
    ("read-json", "SELECT * FROM read_json_auto('/etc/passwd')"),
    ("read-text", "SELECT * FROM read_text('/etc/passwd')"),
    ("read-blob", "SELECT content FROM read_blob('/etc/passwd')"),
    ("read-csv-in-scalar-subquery", "SELECT (SELECT count(*) FROM read_csv('/etc/passwd'))"),
    ("union-file", "SELECT customer_id FROM customers UNION SELECT * FROM read_csv('/etc/passwd')"),
    ("glob", "SELECT * FROM glob('*')"),
    ("parquet-scan", "SELECT * FROM parquet_scan('x.parquet')"),
    ("sqlite-scan", "SELECT * FROM sqlite_scan('{OUT}/x.db', 't')"),
    ("postgres-scan", "SELECT * FROM postgres_scan('dbname=x', 'public', 't')"),
    ("pg-read-file", "SELECT pg_read_file('/etc/passwd')"),
    ("pg-read-binary-file", "SELECT pg_read_binary_file('/etc/passwd')"),
    ("pg-ls-dir", "SELECT * FROM pg_ls_dir('.')"),
    ("lateral-read-file", "SELECT * FROM orders, LATERAL (SELECT pg_read_file('/etc/passwd')) t"),
    ("lo-import", "SELECT lo_import('/etc/passwd')"),
    ("lo-export", "SELECT lo_export(1, '{OUT}/lo')"),
    ("dblink", "SELECT * FROM dblink('dbname=postgres', 'select 1') AS t(a int)"),
    ("pg-sleep", "SELECT pg_sleep(100)"),
    ("pg-sleep-nested", "SELECT (SELECT pg_sleep(100)) AS s"),
    ("nextval", "SELECT nextval('s')"),
    ("setval-in-where", "SELECT * FROM orders WHERE total > (SELECT setval('s', 1))"),
    ("current-setting", "SELECT current_setting('data_directory')"),
    ("set-config", "SELECT set_config('statement_timeout', '0', false)"),
    ("terminate-backend", "SELECT pg_terminate_backend(1)"),
    ("query-to-xml", "SELECT query_to_xml('delete from orders', true, true, '')"),
    ("txid-current", "SELECT txid_current()"),
    ("load-extension", "SELECT load_extension('/tmp/evil')"),
    ("writefile", "SELECT writefile('{OUT}/w', 'x')"),
    ("readfile", "SELECT readfile('/etc/passwd')"),
    ("duckdb-query", "SELECT * FROM query('DELETE FROM orders')"),
    ("duckdb-query-table", "SELECT * FROM query_table('orders')"),
    ("getenv", "SELECT getenv('HOME')"),
    ("copy-to", "COPY orders TO '{OUT}/orders.csv'"),
    ("copy-query-to", "COPY (SELECT * FROM customers) TO '{OUT}/c.csv'"),
    ("copy-from", "COPY orders FROM '/etc/passwd'"),
    ("attach", "ATTACH '{OUT}/x.db' AS x"),
    ("attach-database", "ATTACH DATABASE '{OUT}/x.db' AS x"),
    ("detach", "DETACH x"),
    ("install", "INSTALL httpfs"),
    ("load", "LOAD httpfs"),
    ("pragma-query-only-off", "PRAGMA query_only=OFF"),
    ("pragma", "PRAGMA database_list"),
    ("set", "SET threads = 1"),
    ("set-external-access", "SET enable_external_access = true"),
    ("reset", "RESET ALL"),
    ("call-pragma", "CALL pragma_version()"),
    ("call", "CALL my_proc()"),
    ("execute", "EXECUTE p"),
    ("export-database", "EXPORT DATABASE '{OUT}/exp'"),
    ("import-database", "IMPORT DATABASE '{OUT}/exp'"),
    ("vacuum", "VACUUM"),
    ("vacuum-into", "VACUUM INTO '{OUT}/v.db'"),
    ("begin-delete-commit", "BEGIN; DELETE FROM orders; COMMIT"),
    ("commit", "COMMIT"),
    ("select-rollback-delete", "SELECT * FROM orders; ROLLBACK; DELETE FROM orders"),
    ("show", "SHOW TABLES"),
    ("describe", "DESCRIBE orders"),
    ("summarize", "SUMMARIZE orders"),
    ("information-schema", "SELECT * FROM information_schema.tables"),
    ("pg-catalog", "SELECT * FROM pg_catalog.pg_tables"),
    ("pg-view", "SELECT * FROM pg_user"),
    ("sqlite-master", "SELECT * FROM sqlite_master"),
    ("main-sqlite-master", "SELECT * FROM main.sqlite_master"),
    ("duckdb-tables", "SELECT * FROM duckdb_tables()"),
    ("duckdb-settings", "SELECT * FROM duckdb_settings()"),
    ("pragma-table-info", "SELECT * FROM pragma_table_info('orders')"),
    ("other-database", "SELECT * FROM other_db.orders"),
    ("catalog-qualified", "SELECT * FROM x.main.orders"),
    ("python-replacement", "SELECT * FROM secret_frame"),
    ("cte-name-is-path", 'WITH "/etc/passwd" AS (SELECT 1) SELECT * FROM "/etc/passwd"'),
    ("placeholder", "SELECT * FROM orders WHERE order_id = $1"),
    ("zero-width-space", "SELECT 1\u200b; DELETE FROM orders"),
    ("fullwidth-semicolon", "SELECT 1\uff1b DELETE FROM orders"),
    ("rtl-override", "SELECT '\u202e' AS x; DELETE FROM orders"),
    ("nul-byte", "SELECT 1\x00; DROP TABLE orders"),
    ("nbsp-two-statements", "SELECT\u00a01;\u00a0DELETE\u00a0FROM\u00a0orders"),
    ("huge-expression", "SELECT " + "1+" * 12_000 + "1"),
    ("nested-parentheses-3000", "SELECT " + "(" * 3000 + "1" + ")" * 3000),
    ("long-operator-chain", "SELECT " + "1+" * 6_000 + "1"),
    ("nested-subqueries", "SELECT " + "(SELECT " * 80 + "1" + ")" * 80),
    (
        "ts-stat-reads-file",
        "SELECT * FROM ts_stat('SELECT to_tsvector(''simple'', pg_read_file(''/etc/passwd''))')",
    ),
    ("ts-stat-in-select", "SELECT ts_stat('SELECT to_tsvector(email) FROM customers')"),
    ("ts-rewrite", "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery')"),
    ("query-to-xml-select", "SELECT query_to_xml('select email from customers', true, true, '')"),
    ("xpath", "SELECT xpath('/a', '<a/>')"),
    ("repeat-huge", "SELECT repeat('x', 20000000) FROM range(150)"),
    ("repeat-column-count", "SELECT repeat('x', CAST(total AS INT) * 100000) FROM orders"),
    ("repeat-of-aggregate", "SELECT repeat(string_agg(email, ','), 1000) FROM customers"),
    ("lpad-huge", "SELECT lpad('x', 100000000, 'y')"),
    ("zeroblob", "SELECT zeroblob(1000000000)"),
    ("randomblob", "SELECT hex(randomblob(1000000000))"),
    ("printf-width", "SELECT printf('%1000000000d', 1)"),
    ("unknown-function", "SELECT my_udf(total) FROM orders"),
    ("columns-regex", "SELECT COLUMNS('.*') FROM customers"),
    ("conversation-messages", "SELECT * FROM conversation_messages"),
    ("conversations-join", "SELECT o.order_id FROM orders o JOIN conversations c ON 1=1"),
    ("audit-log-subquery", "SELECT (SELECT count(*) FROM audit_log) AS n"),
    ("segment-members-cte", "WITH m AS (SELECT * FROM segment_members) SELECT * FROM m"),
    ("copy-drafts", "SELECT * FROM copy_drafts"),
    ("churn-scores", "SELECT * FROM churn_scores"),
    ("saved-segments", "SELECT * FROM saved_segments"),
    ("import-batches", "SELECT * FROM import_batches"),
    ("version", "SELECT version()"),
    ("current-user", "SELECT current_user"),
    ("huge-string", "SELECT '" + "a" * 100_000 + "'"),
    ("empty", ""),
    ("whitespace", "   \n\t "),
    ("only-comment", "-- nothing here"),
    ("only-semicolon", ";"),
]
# Inputs that may run (their result is harmless); all others must be refused.
HARMLESS = {
    # A cross join streams: the row cap stops it long before it is slow.
    "cross-join": "SELECT a.order_id FROM orders a CROSS JOIN orders b CROSS JOIN orders c",
    # An endless recursive CTE is stopped by the time limit (ToolError).
    "endless-recursion": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT count(*) FROM r",
    # Nested block comments (PostgreSQL nests them): whatever the reading, only
    # the SQL regenerated from the checked tree runs, here `SELECT 1`.
    "nested-comment": "SELECT 1 /* /* */ ; DELETE FROM orders; -- */",
    # A CTE name used out of its scope: the database says the table does not exist.
    "cte-out-of-scope": "SELECT * FROM (WITH a AS (SELECT 1 AS x) SELECT * FROM a) s, a",
}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-out")


@pytest.fixture(scope="module")
def baseline(demo_engine: Engine) -> dict[str, str]:
    """The store's fingerprint before the first hostile input of this database."""
    return store_fingerprint(demo_engine)


# run_sql, describe_data and their writers never read the semantic model.
NO_MODEL: Any = None


@functools.cache
def context(engine: Engine) -> ToolContext:
    limits = Limits(row_limit=50, query_timeout_s=1.0)
    return ToolContext(engine=engine, semantic_model=NO_MODEL, limits=limits, as_of=AS_OF)


def table_digest(engine: Engine) -> str:
    """A checksum of every table's full contents, rows ordered by primary key."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for name, table in sorted(Base.metadata.tables.items()):
            digest.update(name.encode())
            statement = select(table).order_by(*table.primary_key.columns)
            for row in conn.execute(statement):
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
    return digest.hexdigest()


def _plain(value: object) -> object:
    # DuckDB, SQLite and PostgreSQL return different Python types; only equality
    # within one database matters here, so any stable text form will do.
    return str(value)


def store_files_digest(engine: Engine) -> str:
    """The bytes of the DuckDB or SQLite store's files ('' for PostgreSQL).

    Stable here because nothing in this module commits a write: DuckDB and
    SQLite only checkpoint (rewrite the main file from the WAL) when a write
    commits or the last connection closes, and the pooled connection stays open
    for the session. A read never changes the bytes. A new file next to the
    store (ATTACH creating a database, a new WAL) changes the listing.
    """
    database = engine.url.database
    if engine.dialect.name not in ("duckdb", "sqlite") or not database:
        return ""
    folder = Path(database).parent
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode())
        # SQLite's -shm file is a shared-memory index that readers write to
        # (read marks); it holds no data, so only its name counts.
        if path.is_file() and not path.name.endswith("-shm"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def store_fingerprint(engine: Engine) -> dict[str, str]:
    return {
        "tables": ",".join(sorted(inspect(engine).get_table_names())),
        "contents": table_digest(engine),
        "files": store_files_digest(engine),
    }


@pytest.mark.parametrize(("label", "sql"), HOSTILE, ids=[label for label, _ in HOSTILE])
def test_hostile_sql_is_refused(
    demo_engine: Engine, baseline: dict[str, str], out_dir: Path, label: str, sql: str
) -> None:
    with pytest.raises(ToolError) as refused:
        run_sql(context(question_time_engine(demo_engine)), sql.replace("{OUT}", str(out_dir)))
    message = str(refused.value)
    assert len(message) > 20, f"{label}: the reason must say what to do instead: {message!r}"
    if label in ("information-schema", "pg-catalog", "sqlite-master", "duckdb-tables"):
        assert "describe_data" in message
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(("label", "sql"), HARMLESS.items(), ids=list(HARMLESS))
def test_harmless_sql_runs_or_stops_cleanly(
    demo_engine: Engine, baseline: dict[str, str], label: str, sql: str
) -> None:
    try:
        output = run_sql(context(question_time_engine(demo_engine)), sql)
    except ToolError as exc:
        assert str(exc)
    else:
        assert output.data["row_count"] <= 50
        assert "delete" not in output.data["sql"].lower()


# The parser check is bypassed here: each database must refuse writes by itself.
DATABASE_LEVEL_WRITES = [
    "DELETE FROM orders",
    "UPDATE orders SET total = 0",
    "INSERT INTO audit_log (entry_id, logged_at, action) VALUES ('h', '2026-01-01', 'x')",
    "CREATE TABLE hostile_x (a INT)",
    "DROP TABLE reviews",
]


@pytest.mark.parametrize("sql", DATABASE_LEVEL_WRITES)
def test_database_refuses_writes_without_the_parser(
    demo_engine: Engine, baseline: dict[str, str], sql: str
) -> None:
    with pytest.raises(ToolError):
        run_readonly(question_time_engine(demo_engine), sql, timeout_s=2.0, max_rows=10)


def test_sqlite_connection_state_is_restored(demo_engine: Engine, baseline: dict[str, str]) -> None:
    """After run_sql, a pooled SQLite connection is writable and has no authorizer left."""
    if demo_engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection state")
    run_sql(context(demo_engine), "SELECT count(*) FROM orders")
    with demo_engine.connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection
        assert raw.execute("PRAGMA query_only").fetchone()[0] == 0
        assert not raw.in_transaction
        # With a leftover authorizer, a PRAGMA would be denied.
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgres_session_is_not_read_only_afterwards(
    demo_engine: Engine, baseline: dict[str, str]
) -> None:
    if demo_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL session state")
    run_sql(context(demo_engine), "SELECT count(*) FROM orders")
    with demo_engine.connect() as conn:
        assert conn.execute(text("SHOW transaction_read_only")).scalar_one() == "off"
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "0"


def test_store_unchanged_after_hostile_suite(
    demo_engine: Engine, baseline: dict[str, str], out_dir: Path
) -> None:
    """Last in the module: every table's contents and the store files are as before."""
    assert store_fingerprint(demo_engine) == baseline
    assert list(out_dir.iterdir()) == []
