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

from knowledge.presentation.messages import N_
from knowledge.presentation.numbers import format_count
from tools.base import ToolError, in_language, quoted

MAX_SQL_CHARS = 20_000
# SQLAlchemy dialect name -> sqlglot dialect (PyHive's "hive" talks to Spark's Thrift server).
SQLGLOT_DIALECTS = {
    "duckdb": "duckdb",
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "hive": "spark",
    "spark": "spark",
    "databricks": "databricks",
}
DESCRIBE_HINT = N_("Call describe_data to see the tables and columns instead.")

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
# settings or sequences, or reveal the catalog: refused with a specific reason.
# Everything not in ALLOWED_FUNCTIONS below is refused anyway.
DENIED_FUNCTIONS = frozenset(
    {
        "glob", "query", "query_table", "getenv", "sniff_csv", "load_extension", "writefile",
        "readfile", "edit", "fts3_tokenizer", "current_setting", "set_config", "nextval",
        "setval", "currval", "lastval", "setseed", "checkpoint", "force_checkpoint",
        "which_secret", "install_extension", "load", "enable_profiling", "sleep",
        "dblink", "copy", "sql_auto_complete", "pragma", "shell", "system",
        "zeroblob", "randomblob",
    }
)  # fmt: skip
# Functions that take SQL as text and run it (PostgreSQL's full-text statistics,
# XML export, remote links; DuckDB's query()): never allowed, whatever the role.
SQL_TEXT_FUNCTIONS = frozenset(
    {
        "ts_stat", "ts_rewrite", "query_to_xml", "query_to_xmlschema",
        "query_to_xml_and_xmlschema", "dblink", "dblink_exec", "dblink_open", "query",
        "query_table", "cursor_to_xml", "xpath", "xpath_exists", "database_to_xml",
        "table_to_xml", "schema_to_xml", "pg_execute", "json_execute_serialized_sql",
    }
)  # fmt: skip
DENIED_PREFIXES = (
    "read_", "pg_", "duckdb_", "sqlite_", "lo_", "dblink", "pragma_", "parquet_", "iceberg_",
    "delta_", "postgres_", "mysql_", "http", "json_execute", "txid_", "query_to", "table_to",
    "cursor_to", "schema_to", "database_to", "current_setting", "file_", "ts_stat", "ts_rewrite",
)  # fmt: skip
DENIED_SUFFIXES = ("_scan", "_attach", "_query", "_execute", "_to_xml", "_to_xmlschema")
# The functions a query may call (names as `function_name` gives them, across
# DuckDB, SQLite and PostgreSQL): aggregates, window, math, text, date, list,
# JSON and conditional functions that only compute from their arguments.
ALLOWED_FUNCTIONS = frozenset(
    {
        # aggregates
        "count", "count_if", "sum", "avg", "min", "max", "median", "mode", "stddev",
        "stddev_pop", "stddev_samp", "variance", "variance_pop", "corr", "covar_pop",
        "covar_samp", "regr_slope", "approx_distinct", "approx_quantile", "quantile_cont",
        "quantile_disc", "percentile_cont", "percentile_disc", "any_value", "arg_max",
        "arg_min", "first", "last", "logical_and", "logical_or", "bool_and", "bool_or",
        "every", "bit_and", "bit_or", "bitwise_and_agg", "bitwise_or_agg", "product",
        "kurtosis", "skewness", "entropy", "histogram", "string_agg", "listagg",
        "group_concat", "array_agg", "list", "total", "json_agg", "jsonb_agg",
        "j_s_o_n_array_agg", "fsum", "favg",
        # window
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
        "lead", "first_value", "last_value", "nth_value",
        # conditional and casts
        "case", "if", "iif", "coalesce", "nullif", "ifnull", "nvl", "greatest", "least",
        "cast", "try_cast", "typeof", "collate", "exists", "any", "all",
        # math
        "abs", "round", "ceil", "ceiling", "floor", "trunc", "sqrt", "cbrt", "pow", "power",
        "exp", "ln", "log", "log10", "log2", "sign", "mod", "pi", "rand", "random",
        "is_nan", "is_inf", "isnan", "isinf", "width_bucket", "div",
        # text
        "lower", "upper", "length", "char_length", "character_length", "octet_length",
        "bit_length", "substring", "substr", "left", "right", "trim", "ltrim", "rtrim",
        "btrim", "replace", "translate", "reverse", "initcap", "concat", "concat_ws",
        "str_position", "strpos", "instr", "position", "split_part", "starts_with",
        "ends_with", "contains", "regexp_like", "regexp_matches", "regexp_replace",
        "regexp_extract", "regexp_count", "regexp_split_to_array", "ascii", "chr",
        "unicode", "md5", "sha2", "s_h_a2_digest", "sha256", "hash", "hex", "to_hex",
        "quote", "split", "str_split", "string_split", "string_to_array", "array_to_string",
        "to_char", "to_number", "like", "ilike",
        "repeat", "space", "pad", "lpad", "rpad",
        # dates and times
        "date", "datetime", "date_trunc", "timestamp_trunc", "date_part", "datepart",
        "extract", "date_add", "date_sub", "datediff", "date_diff", "date_bin", "age",
        "make_date", "date_from_parts", "to_date", "to_timestamp", "str_to_date",
        "str_to_time", "strftime", "strptime", "time_to_str", "time_to_unix",
        "unix_to_time", "ts_or_ds_to_timestamp", "julianday", "unixepoch", "epoch",
        "epoch_ms", "now", "current_date", "current_timestamp", "year", "month", "day",
        "hour", "minute", "second", "week", "quarter", "day_of_week", "day_of_year",
        "dayofweek_iso", "dayname", "monthname", "last_day", "yearweek", "time_bucket",
        "justify_days", "timezone", "date_format",
        # lists, structs and JSON (whole-row values are traced and masked)
        "array", "list_value", "array_size", "array_length", "cardinality", "len",
        "array_contains", "list_contains", "array_position", "array_slice", "array_sort",
        "list_sort", "array_distinct", "list_distinct", "list_sum", "list_avg",
        "list_extract", "element_at", "struct_extract", "filter", "list_filter",
        "transform", "list_transform", "unnest", "explode", "to_json", "row_to_json",
        "json_object", "j_s_o_n_object", "json_build_object", "json_array",
        "j_s_o_n_array", "json_extract", "json_extract_scalar", "struct", "struct_pack",
        "generate_series", "range", "uuid",
    }
)  # fmt: skip
# Functions whose result grows with a count argument (a 20 MB repeat() per row
# exhausts memory before any row is fetched): the count must be a literal number
# no larger than MAX_REPEAT.
AMPLIFYING_FUNCTIONS = frozenset(
    {"repeat", "space", "pad", "lpad", "rpad", "range", "generate_series"}
)
MAX_REPEAT = 10_000
# Parentheses, subqueries and operators nested deeper than this are refused
# (sqlglot and the databases recurse per level).
MAX_NESTING = 64
MAX_TREE_DEPTH = 256
# Table functions (in FROM / JOIN / LATERAL) that only compute rows.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {"range", "generate_series", "exploding_generate_series", "unnest", "explode"}
)
CATALOG_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "sqlite_temp"})
CATALOG_PREFIXES = ("pg_", "sqlite_", "duckdb_", "information_schema")
# Schemas a store table may be qualified with, per database.
DEFAULT_SCHEMAS = {
    "duckdb": {"main"},
    "sqlite": {"main"},
    "postgres": {"public"},
    "spark": {"default"},
    "databricks": {"default"},
}
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: its tree and the SQL text to run."""

    tree: exp.Query
    sql: str
    tables: frozenset[str]


def check_select(
    sql: str,
    dialect: str,
    store_tables: Iterable[str],
    private_tables: Iterable[str] = (),
) -> CheckedQuery:
    """Parse `sql` in the engine's dialect and refuse anything but one read-only query.

    `dialect` is the SQLAlchemy dialect name (duckdb, sqlite, postgresql, hive = Spark).
    `store_tables` may be read; `private_tables` (the copilot's own: conversations,
    audit log, saved segments, ...) are refused with a reason.
    """
    glot = SQLGLOT_DIALECTS.get(dialect, dialect)
    text = _clean_text(sql)
    _check_nesting(text)
    try:
        return _check_select(text, glot, store_tables, private_tables)
    except RecursionError as exc:
        raise _too_deep() from exc


def _too_deep() -> ToolError:
    return ToolError.of(
        "Refused: the query is nested too deeply (limit {limit} levels of parentheses "
        "or subqueries, and no very long chains of operators); write it flatter, e.g. with a "
        "WITH clause, IN (...) lists or CASE.",
        limit=MAX_NESTING,
    )


def _describe_hint(language: str) -> str:
    return in_language(DESCRIBE_HINT)(language)


def _check_nesting(text: str) -> None:
    """Refuse text with parentheses nested deeper than MAX_NESTING (one linear scan).

    Quotes are skipped roughly (a parenthesis inside a string literal only makes
    the count conservative); this check runs before any recursive parser.
    """
    depth = 0
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise _too_deep()
        elif char in ")]":
            depth -= 1


def _tree_depth(tree: exp.Expression) -> int:
    """The depth of the syntax tree, without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_TREE_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in node.iter_expressions())
    return deepest


def _check_select(
    text: str, glot: str, store_tables: Iterable[str], private_tables: Iterable[str]
) -> CheckedQuery:
    statements = _parse(text, glot)
    if len(statements) != 1:
        raise ToolError.of(
            "Refused: the text holds {count} statements; send exactly one SELECT "
            "(or WITH ... SELECT) statement per call, without ';' between statements.",
            count=len(statements),
        )
    tree = statements[0]
    if _tree_depth(tree) > MAX_TREE_DEPTH:
        raise _too_deep()
    if isinstance(tree, exp.Subquery):
        tree = tree.unnest()
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise ToolError.of(
            "Refused: only a SELECT (or WITH ... SELECT) query may run, not "
            "{statement}; this tool never changes the store. To see tables "
            "and columns, call describe_data.",
            statement=_statement_label(tree),
        )
    for node in tree.walk():
        _check_node(node)
    tables = _check_tables(
        tree, glot, {t.lower() for t in store_tables}, {t.lower() for t in private_tables}
    )
    return CheckedQuery(tree=tree, sql=tree.sql(dialect=glot, comments=False), tables=tables)


def _clean_text(sql: str) -> str:
    if not isinstance(sql, str) or not sql.strip():
        raise ToolError.of("Refused: the SQL text is empty; send one SELECT statement.")
    if len(sql) > MAX_SQL_CHARS:
        raise ToolError.of(
            "Refused: the SQL text is {size} characters long (limit {limit}); "
            "write a shorter query (aggregate in SQL instead of listing values).",
            size=format_count(len(sql)),
            limit=format_count(MAX_SQL_CHARS),
        )
    # Invisible characters (zero-width spaces, bidi overrides, NUL) can make a
    # parser and a database read the same text differently: refuse them.
    for char in sql:
        if char in "\t\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            raise ToolError.of(
                "Refused: the SQL holds an invisible or control character ({code}); "
                "send plain SQL text.",
                code="U+" + format(ord(char), "04X"),  # a code point, not a quantity
            )
    return sql


def _parse(text: str, dialect: str) -> list[exp.Expression]:
    try:
        parsed = sqlglot.parse(text, dialect=dialect)
    except ParseError as exc:
        raise _unparsed(_parse_message(exc)) from exc
    except SqlglotError as exc:
        raise _unparsed(str(exc)) from exc
    return [p for p in parsed if p is not None]


def _unparsed(reason: str) -> ToolError:
    """The parser's own (English) reason, quoted in a sentence of the answer's language."""
    return ToolError.of(
        "The SQL could not be parsed: {reason}. Send one SELECT statement in the store's SQL "
        "dialect; check commas, quotes and parentheses.",
        reason=reason,
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


def _statement_label(tree: exp.Expression) -> object:
    """'a DELETE statement' as a function of the answer language (for ToolError.of)."""
    if isinstance(tree, exp.Command):
        kind = str(tree.this).upper()
    else:
        kind = next(
            (label for node, label in _REFUSED_TYPES if isinstance(tree, node)), tree.key.upper()
        )
    return in_language(N_("a {kind} statement"), kind=kind)


def _check_node(node: exp.Expression) -> None:
    for kind, label in _REFUSED_TYPES:
        if isinstance(node, kind):
            raise ToolError.of(
                "Refused: {label} is not allowed; this tool only reads. Write one plain "
                "SELECT (a WITH clause may hold SELECTs only).",
                label=label,
            )
    if isinstance(node, exp.Placeholder | exp.Parameter):
        raise ToolError.of(
            "Refused: query parameters ($1, ?, :name) are not supported; write values inline."
        )
    if isinstance(node, exp.Func):
        name = function_name(node)
        if name in SQL_TEXT_FUNCTIONS or name.startswith(("ts_stat", "ts_rewrite")):
            raise ToolError.of(
                "Refused: the function {name}() runs SQL given as text, which is never "
                "allowed; write the query itself.",
                name=name,
            )
        if is_denied_function(name):
            catalogue = name.startswith(("duckdb_", "pragma_", "sqlite_", "pg_"))
            raise ToolError.of(
                "Refused: the function {name}() reads files, the network, settings or the "
                "catalog, or has side effects; only the store's tables may be read. {hint}",
                name=name,
                hint=_describe_hint if catalogue else "",
            )
        if (
            name not in ALLOWED_FUNCTIONS
            and not isinstance(node, _OPERATORS)
            and not _is_table_function(node)
        ):
            raise ToolError.of(
                "Refused: the function {name}() is not on the list of functions run_sql "
                "allows (aggregates, window, math, text, date, list and JSON functions); "
                "write the query with common SQL functions.",
                name=name,
            )
        if name in AMPLIFYING_FUNCTIONS and not _is_table_function(node):
            _check_amplifier(node, name)


# sqlglot models some operators as functions (AND, OR, ->, @>, ~): they only compute.
_OPERATORS = (exp.Binary, exp.Unary, exp.Connector, exp.Predicate)


def _is_table_function(node: exp.Func) -> bool:
    """Whether the function is used as a row source (FROM, JOIN); `_check_tables` checks it."""
    parent = node.parent
    return isinstance(parent, exp.Table) and parent.this is node


def _check_amplifier(node: exp.Func, name: str) -> None:
    """repeat(), lpad(), space(), scalar range(): sizes must be small literal numbers.

    repeat() repeats a literal text only, so one call yields at most MAX_REPEAT
    characters; lpad()/rpad() yield at most their literal length.
    """
    args = list(node.iter_expressions())
    numbers: list[float] = []
    for position, arg in enumerate(args):
        if isinstance(arg, exp.Literal) and arg.is_string:
            continue  # the text to repeat or the fill characters
        if name in ("pad", "lpad", "rpad") and position == 0:
            continue  # the text being padded: the result length is the literal below
        value = arg.this if isinstance(arg, exp.Neg) else arg
        if isinstance(value, exp.Literal) and value.is_number:
            numbers.append(abs(float(value.this)))
            continue
        if isinstance(arg, exp.Boolean):
            continue  # sqlglot's Pad keeps left/right as a flag
        raise ToolError.of(
            "Refused: {name}() takes only literal texts and literal numbers of at most "
            "{limit} here (results are capped in size).",
            name=name,
            limit=format_count(MAX_REPEAT),
        )
    size = max(numbers, default=0.0)
    if name == "repeat":
        text = next((a for a in args if isinstance(a, exp.Literal) and a.is_string), None)
        size *= max(1, len(text.this)) if text is not None else 1
    if size > MAX_REPEAT:
        raise ToolError.of(
            "Refused: {name}() would build {size} characters or items per row (limit "
            "{limit}); results are capped in size.",
            name=name,
            size=format_count(size),
            limit=format_count(MAX_REPEAT),
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
        or name in SQL_TEXT_FUNCTIONS
        or name.startswith(DENIED_PREFIXES)
        or name.endswith(DENIED_SUFFIXES)
    )


def _check_tables(
    tree: exp.Query, dialect: str, store_tables: set[str], private_tables: set[str]
) -> frozenset[str]:
    cte_names = set()
    for cte in tree.find_all(exp.CTE):
        alias = cte.alias_or_name
        # A CTE name that is not a plain identifier could, out of its scope, be
        # read by DuckDB as a file path (replacement scan).
        if not _SAFE_NAME.match(alias):
            raise ToolError.of(
                "Refused: CTE name {alias} must be a plain identifier.", alias=quoted(alias)
            )
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
        qualified_name = ".".join(p for p in (source.catalog, source.db, source.name) if p)
        if schema and qualified_name.lower() in store_tables:
            used.add(qualified_name.lower())  # a mapped warehouse's table (tools/sql/mapped.py)
            continue
        if source.catalog or (schema and schema not in DEFAULT_SCHEMAS.get(dialect, set())):
            qualified = ".".join(p for p in (source.catalog, source.db, source.name) if p)
            if schema in CATALOG_SCHEMAS or schema.startswith(CATALOG_PREFIXES):
                raise _catalog_refused(qualified)
            raise ToolError.of(
                "Refused: {table} is not a table of the store; use the unqualified "
                "table names. {hint}",
                table=qualified,
                hint=_describe_hint,
            )
        if not schema and name in cte_names:
            continue
        if name in store_tables:
            used.add(name)
            continue
        if name in private_tables:
            raise ToolError.of(
                "Refused: {table} is one of the copilot's own tables (conversations, "
                "audit log, saved segments, drafts, scores), which run_sql does not read; "
                "query the store's business tables: {tables}.",
                table=source.name,
                tables=", ".join(sorted(store_tables)),
            )
        if name.startswith(CATALOG_PREFIXES) or name in ("sqlite_master", "sqlite_schema"):
            raise _catalog_refused(source.name)
        raise ToolError.of(
            "Refused: {table} is not a table of the store (files, URLs and other "
            "databases cannot be read). Tables: {tables}. {hint}",
            table=quoted(source.name),
            tables=", ".join(sorted(store_tables)),
            hint=_describe_hint,
        )
    return frozenset(used)


def _catalog_refused(table: str) -> ToolError:
    return ToolError.of(
        "Refused: system catalogs ({table}) are off limits. {hint}",
        table=table,
        hint=_describe_hint,
    )


def _check_table_function(func: exp.Func) -> None:
    name = function_name(func)
    if is_denied_function(name):
        raise ToolError.of(
            "Refused: the table function {name}() reads files, the network or the catalog. {hint}",
            name=name,
            hint=_describe_hint,
        )
    if isinstance(
        func, exp.GenerateSeries | exp.ExplodingGenerateSeries | exp.Unnest | exp.Explode
    ):
        return
    if name not in ALLOWED_TABLE_FUNCTIONS:
        allowed = sorted(ALLOWED_TABLE_FUNCTIONS - {"exploding_generate_series", "explode"})
        raise ToolError.of(
            "Refused: the table function {name}() is not allowed; in FROM use the store's "
            "tables, CTEs or {allowed}.",
            name=name,
            allowed=", ".join(allowed),
        )
