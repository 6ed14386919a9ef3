"""Checking free SQL with a real parser: one read-only SELECT over the store's tables.

This is the first line of defence of `run_sql`; the database-level guards in
`tools/sql/readonly.py` are the second. What runs is the SQL regenerated from
the checked syntax tree (without comments), so the database executes exactly
what was checked, not a text whose comments or quoting it might read differently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

from tools.base import ToolError

MAX_SQL_CHARS = 20_000
SQLGLOT_DIALECTS = {"duckdb": "duckdb", "sqlite": "sqlite", "postgresql": "postgres"}
DESCRIBE_HINT = "Call describe_data to see the tables and columns instead."

# Statement and clause kinds refused anywhere in the tree (a DELETE inside a CTE,
# SELECT ... INTO, FOR UPDATE, a statement sqlglot could only read as a Command).
_REFUSED_NODES: dict[str, str] = {
    "Insert": "INSERT",
    "Update": "UPDATE",
    "Delete": "DELETE",
    "Merge": "MERGE",
    "Create": "CREATE",
    "Drop": "DROP",
    "Alter": "ALTER",
    "TruncateTable": "TRUNCATE",
    "Command": "this kind of statement",
    "Copy": "COPY",
    "Attach": "ATTACH",
    "Detach": "DETACH",
    "Install": "INSTALL",
    "Pragma": "PRAGMA",
    "Set": "SET",
    "SetItem": "SET",
    "Into": "SELECT ... INTO",
    "Lock": "FOR UPDATE/FOR SHARE",
    "Describe": "DESCRIBE",
    "Summarize": "SUMMARIZE",
    "Show": "SHOW",
    "Transaction": "BEGIN",
    "Commit": "COMMIT",
    "Rollback": "ROLLBACK",
    "Grant": "GRANT",
    "Revoke": "REVOKE",
    "Use": "USE",
    "Cache": "CACHE",
    "Uncache": "UNCACHE",
    "LoadData": "LOAD",
    "Refresh": "REFRESH",
    "Analyze": "ANALYZE",
    "Export": "EXPORT",
    "Kill": "KILL",
    "Declare": "DECLARE",
    "Execute": "EXECUTE",
    "ExecuteSql": "EXECUTE",
    "Returning": "RETURNING",
}
_REFUSED_TYPES: tuple[tuple[type[exp.Expression], str], ...] = tuple(
    (getattr(exp, name), label) for name, label in _REFUSED_NODES.items() if hasattr(exp, name)
)

# Functions that read files or the network, run SQL text, sleep, change
# settings or sequences, or reveal the catalog: refused wherever they appear.
DENIED_FUNCTIONS = frozenset(
    {
        "glob", "query", "query_table", "getenv", "sniff_csv", "load_extension", "writefile",
        "readfile", "edit", "fts3_tokenizer", "current_setting", "set_config", "nextval",
        "setval", "currval", "lastval", "setseed", "checkpoint", "force_checkpoint",
        "which_secret", "install_extension", "load", "enable_profiling", "sleep",
        "dblink", "copy", "sql_auto_complete", "pragma", "shell", "system",
    }
)  # fmt: skip
DENIED_PREFIXES = (
    "read_", "pg_", "duckdb_", "sqlite_", "lo_", "dblink", "pragma_", "parquet_", "iceberg_",
    "delta_", "postgres_", "mysql_", "http", "json_execute", "txid_", "query_to", "table_to",
    "cursor_to", "schema_to", "database_to", "current_setting", "file_",
)  # fmt: skip
DENIED_SUFFIXES = ("_scan", "_attach", "_query", "_execute", "_to_xml", "_to_xmlschema")
# Table functions (in FROM / JOIN / LATERAL) that only compute rows.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {"range", "generate_series", "exploding_generate_series", "unnest", "explode"}
)
CATALOG_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "sqlite_temp"})
CATALOG_PREFIXES = ("pg_", "sqlite_", "duckdb_", "information_schema")
# Schemas a store table may be qualified with, per database.
DEFAULT_SCHEMAS = {"duckdb": {"main"}, "sqlite": {"main"}, "postgres": {"public"}}
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: its tree and the SQL text to run."""

    tree: exp.Query
    sql: str
    tables: frozenset[str]


def check_select(sql: str, dialect: str, store_tables: Iterable[str]) -> CheckedQuery:
    """Parse `sql` in the engine's dialect and refuse anything but one read-only query.

    `dialect` is the SQLAlchemy dialect name (duckdb, sqlite, postgresql).
    """
    glot = SQLGLOT_DIALECTS.get(dialect, dialect)
    text = _clean_text(sql)
    statements = _parse(text, glot)
    if len(statements) != 1:
        raise ToolError(
            f"Refused: the text holds {len(statements)} statements; send exactly one SELECT "
            "(or WITH ... SELECT) statement per call, without ';' between statements."
        )
    tree = statements[0]
    if isinstance(tree, exp.Subquery):
        tree = tree.unnest()
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise ToolError(
            f"Refused: only a SELECT (or WITH ... SELECT) query may run, not "
            f"{_statement_label(tree)}; this tool never changes the store. To see tables "
            "and columns, call describe_data."
        )
    for node in tree.walk():
        _check_node(node)
    tables = _check_tables(tree, glot, {t.lower() for t in store_tables})
    return CheckedQuery(tree=tree, sql=tree.sql(dialect=glot, comments=False), tables=tables)


def _clean_text(sql: str) -> str:
    if not isinstance(sql, str) or not sql.strip():
        raise ToolError("Refused: the SQL text is empty; send one SELECT statement.")
    if len(sql) > MAX_SQL_CHARS:
        raise ToolError(
            f"Refused: the SQL text is {len(sql):,} characters long (limit {MAX_SQL_CHARS:,}); "
            "write a shorter query (aggregate in SQL instead of listing values)."
        )
    # Invisible characters (zero-width spaces, bidi overrides, NUL) can make a
    # parser and a database read the same text differently: refuse them.
    for char in sql:
        if char in "\t\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            raise ToolError(
                f"Refused: the SQL holds an invisible or control character (U+{ord(char):04X}); "
                "send plain SQL text."
            )
    return sql


def _parse(text: str, dialect: str) -> list[exp.Expression]:
    try:
        parsed = sqlglot.parse(text, dialect=dialect)
    except ParseError as exc:
        raise ToolError(f"The SQL could not be parsed: {_parse_message(exc)}{_PARSE_HINT}") from exc
    except SqlglotError as exc:
        raise ToolError(f"The SQL could not be parsed: {exc}{_PARSE_HINT}") from exc
    return [p for p in parsed if p is not None]


_PARSE_HINT = (
    ". Send one SELECT statement in the store's SQL dialect; check commas, quotes and parentheses."
)


def _parse_message(exc: ParseError) -> str:
    if exc.errors:
        first = exc.errors[0]
        where = (
            f" (line {first.get('line')}, column {first.get('col')})" if first.get("line") else ""
        )
        near = first.get("highlight") or ""
        return f"{first.get('description')}{where}" + (f" near '{near}'" if near else "")
    return re.sub(r"\x1b\[[0-9;]*m", "", str(exc))


def _statement_label(tree: exp.Expression) -> str:
    if isinstance(tree, exp.Command):
        return f"a {str(tree.this).upper()} statement"
    for kind, label in _REFUSED_TYPES:
        if isinstance(tree, kind):
            return f"a {label} statement"
    return f"a {tree.key.upper()} statement"


def _check_node(node: exp.Expression) -> None:
    for kind, label in _REFUSED_TYPES:
        if isinstance(node, kind):
            raise ToolError(
                f"Refused: {label} is not allowed; this tool only reads. Write one plain "
                "SELECT (a WITH clause may hold SELECTs only)."
            )
    if isinstance(node, exp.Placeholder | exp.Parameter):
        raise ToolError(
            "Refused: query parameters ($1, ?, :name) are not supported; write values inline."
        )
    if isinstance(node, exp.Func):
        name = function_name(node)
        if is_denied_function(name):
            hint = (
                DESCRIBE_HINT if name.startswith(("duckdb_", "pragma_", "sqlite_", "pg_")) else ""
            )
            raise ToolError(
                f"Refused: the function {name}() reads files, the network, settings or the "
                "catalog, or has side effects; only the store's tables may be read. " + hint
            )


def function_name(node: exp.Func) -> str:
    """The function's name as written (lower case)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def is_denied_function(name: str) -> bool:
    """Whether a function may read files or the network, run SQL or change state."""
    name = name.lower()
    return (
        name in DENIED_FUNCTIONS
        or name.startswith(DENIED_PREFIXES)
        or name.endswith(DENIED_SUFFIXES)
    )


def _check_tables(tree: exp.Query, dialect: str, store_tables: set[str]) -> frozenset[str]:
    cte_names = set()
    for cte in tree.find_all(exp.CTE):
        alias = cte.alias_or_name
        # A CTE name that is not a plain identifier could, out of its scope, be
        # read by DuckDB as a file path (replacement scan).
        if not _SAFE_NAME.match(alias):
            raise ToolError(f"Refused: CTE name {alias!r} must be a plain identifier.")
        cte_names.add(alias.lower())
    used: set[str] = set()
    for source in tree.find_all(exp.Table, exp.Lateral, exp.Unnest):
        if isinstance(source, exp.Unnest):
            continue  # computed rows from values already in the query
        target = source.this
        if isinstance(target, exp.Func):
            _check_table_function(target)
            continue
        if isinstance(source, exp.Lateral):
            continue  # LATERAL (subquery): its tables are checked as tables
        name = source.name.lower()
        schema = source.db.lower()
        if source.catalog or (schema and schema not in DEFAULT_SCHEMAS.get(dialect, set())):
            qualified = ".".join(p for p in (source.catalog, source.db, source.name) if p)
            if schema in CATALOG_SCHEMAS or schema.startswith(CATALOG_PREFIXES):
                raise ToolError(
                    f"Refused: system catalogs ({qualified}) are off limits. {DESCRIBE_HINT}"
                )
            raise ToolError(
                f"Refused: {qualified} is not a table of the store; use the unqualified "
                f"table names. {DESCRIBE_HINT}"
            )
        if not schema and name in cte_names:
            continue
        if name in store_tables:
            used.add(name)
            continue
        if name.startswith(CATALOG_PREFIXES) or name in ("sqlite_master", "sqlite_schema"):
            raise ToolError(
                f"Refused: system catalogs ({source.name}) are off limits. {DESCRIBE_HINT}"
            )
        raise ToolError(
            f"Refused: {source.name!r} is not a table of the store (files, URLs and other "
            f"databases cannot be read). Tables: {', '.join(sorted(store_tables))}. {DESCRIBE_HINT}"
        )
    return frozenset(used)


def _check_table_function(func: exp.Func) -> None:
    name = function_name(func)
    if is_denied_function(name):
        raise ToolError(
            f"Refused: the table function {name}() reads files, the network or the catalog. "
            + DESCRIBE_HINT
        )
    if isinstance(
        func, exp.GenerateSeries | exp.ExplodingGenerateSeries | exp.Unnest | exp.Explode
    ):
        return
    if name not in ALLOWED_TABLE_FUNCTIONS:
        raise ToolError(
            f"Refused: the table function {name}() is not allowed; in FROM use the store's "
            f"tables, CTEs or {', '.join(sorted(ALLOWED_TABLE_FUNCTIONS - {'exploding_generate_series', 'explode'}))}."
        )
