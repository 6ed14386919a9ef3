"""SQL asked for in the store's own terms ("count orders by status", "customers 表按
signup_channel 的人数", "每个省份的客户数", "the 10 largest order totals"): one SELECT over one
table of the store, written from its schema (tables and columns from the SQLAlchemy
metadata), never from a list of sentences:

    SELECT <group columns>, <aggregates> FROM <table> [WHERE ...] GROUP BY ... ORDER BY ... LIMIT n

A table is named by its own name or by the lexicon's countable words; a column by its own
name (``signup_channel``, "customer ids") or by the semantic model's dimension words whose
column lies in that table (省份 -> customers.province), or a metric's words when the metric
is named like the column (成本 -> campaigns.cost). Conditions are a status the semantic model
names (``completed``), a comparison with a number (``total > 0``) and the question's period
on the table's date column (left as :start / :end for run_sql). Every word of the request
must be placed; one that is not makes this writer give up (the SQL question back)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question, read_question
from copilot.offline.vocabulary import load_lexicon, reader_words
from tools.sql.schema import is_business_table, store_schema

_NUMERIC = ("INTEGER", "DECIMAL(14, 2)")
# The shape's own words: how a grouping, an aggregate, an order and a limit are said.
_GROUP = r"(?:\bby\b|\bper\b|\bfor each\b|\beach\b|\bevery\b|按|每个|每种|每类|每|各个|各种|各类|各|分(?!别))"
_SUM = r"(?:\bsum(?: of)?\b|\btotal(?: of)?\b|合计|总计|总和|汇总|总)"
_SUM_AFTER = r"(?:\s*(?:合计|总计|总和|\bsum\b|\btotal\b))"
_AVG = r"(?:\bavg\b|\baverage\b|\bmean\b|平均|均值)"
# (多少单, 几单: a count of orders said with their measure word)
_COUNT = r"(?:\bcount(?: of)?\b|\bhow many\b|\bnumber of\b|统计|行数|人数|数量|个数|单数|(?:多少|几)单|数)"
_RATIO = r"(?:比例|占比|比率|\bshare\b|\bratio\b|\brate\b|\bpercent(?:age)?\b)"
_TOP = re.compile(
    r"(?i)(?:\btop\s*(\d+)\b|前\s*(\d+)|\bthe\s+(\d+)\s+(?:largest|biggest|highest|most|top)\b"
    r"|\b(\d+)\s+(?:largest|biggest|highest|most)\b|\bthe\s+(\d+)\b|\blimit\s+(\d+))"
)
_MOST = re.compile(r"(?i)\b(?:most|largest|biggest|highest)\b|最多|最大|最高")
_COMPARE = re.compile(r"(?i)\b([a-z_]+)\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)")
_GLUE = re.compile(
    r"(?i)\b(?:with|their|its|and|the|a|of|for|in|on|from|table|tables|listing|list|select|"
    r"please|me|show|write|run|query|ever|all|rows?|ids?|orders?|x)\b|查询|分别|×|[表里的和取看一下查跑个条写用：:,，\-\s]"
)


@dataclass
class _Reading:
    table: str
    groups: list[str] = field(default_factory=list)
    aggregates: list[tuple[str, str]] = field(default_factory=list)  # (sql, alias)
    where: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    order: str | None = None
    limit: int | None = None


def _status_values(model: Any) -> dict[str, set[str]]:  # noqa: ANN401
    """{table.column: values} the semantic model's fact conditions name (order statuses)."""
    found: dict[str, set[str]] = {}
    for fact in model.facts.values():
        for condition in getattr(fact, "where", None) or ():
            for m in re.finditer(r"(\w+\.\w+) (?:not )?in \(([^)]*)\)", condition):
                found.setdefault(m.group(1), set()).update(
                    v.strip() for v in m.group(2).split(",") if v.strip()
                )
    return found


def _words(entry: Any) -> list[str]:  # noqa: ANN401
    """The English and Chinese words of a synonyms or label entry."""
    found: list[str] = []
    for language in ("en", "zh"):
        value = getattr(entry, language, None) if entry is not None else None
        if isinstance(entry, dict):
            value = entry.get(language)
        if isinstance(value, str):
            found.append(value.lower())
        elif value:
            found += [w.lower() for w in value]
    return found


def _column_pattern(column: str) -> str:
    """A column's own name as typed: ``customer_id``, "customer id", "customer ids"."""
    return r"(?<![a-z_])" + column.replace("_", r"[ _]") + r"s?(?![a-z_])"


def own_columns_named(text: str, table: str) -> list[str]:
    """The columns of `table` named in the text by their own names (signup_channel, language)."""
    return [c for c in store_schema()[table] if re.search(_column_pattern(c), text.lower())]


def _tables_named(text: str) -> list[tuple[str, tuple[int, int]]]:
    schema = store_schema()
    found: list[tuple[str, tuple[int, int]]] = []
    for table in sorted((t for t in schema if is_business_table(t)), key=len, reverse=True):
        for m in re.finditer(_column_pattern(table.removesuffix("s")), text):
            if not any(a <= m.start() < b for _, (a, b) in found):
                found.append((table, m.span()))
    lexicon = load_lexicon()
    # the countable things' words, then the words that only name a table (lexicon
    # `table_words`: 订单 is no countable word, a count of orders is the metric)
    for words_of in (lexicon.countable, lexicon.table_words):
        for table, words in words_of.items():
            for word in sorted(words, key=len, reverse=True):
                bounded = word.isascii()
                pattern = rf"\b{re.escape(word)}\b" if bounded else re.escape(word)
                for m in re.finditer(pattern, text):
                    if not any(a <= m.start() < b for _, (a, b) in found):
                        found.append((table, m.span()))
    return sorted(found, key=lambda f: f[1])


def _columns_named(text: str, table: str, ctx: PlannerContext) -> list[tuple[str, int, int]]:
    """(column, start, end) of the table's columns named in the text, by their own name or
    by a dimension's (or a same-named metric's) words."""
    columns = store_schema()[table]
    found: list[tuple[str, int, int]] = []

    def add(column: str, start: int, end: int) -> None:
        if not any(a < end and start < b for _, a, b in found):
            found.append((column, start, end))

    # the lexicon's words of a column no dimension or metric names (订单状态 -> orders.status),
    # first: "order status" is that column, its "order" no second table
    for target, words in load_lexicon().column_words.items():
        owner, column = target.split(".", 1)
        if owner != table or column not in columns:
            continue
        for word in sorted(words, key=len, reverse=True):
            pattern = rf"(?i)\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            for m in re.finditer(pattern, text):
                add(column, *m.span())
    for column in sorted(columns, key=len, reverse=True):
        for m in re.finditer(_column_pattern(column), text):
            add(column, *m.span())
    model = ctx.semantic_model
    for dimension in model.dimensions.values():
        targets = [getattr(dimension, "column", None)]
        targets += list((getattr(dimension, "columns", None) or {}).values())
        held = {t.split(".", 1)[1] for t in targets if t and t.split(".", 1)[0] == table}
        if len(held) != 1:
            continue
        column = held.pop()
        words = [*_words(dimension.synonyms), *_words(dimension.label)]
        for word in sorted({w for w in words if w}, key=len, reverse=True):
            bare = re.sub(r"(?i)^(?:by|per|each|every|各|分|按|每个)\s*", "", word)
            if not bare:
                continue
            pattern = rf"(?i)\b{re.escape(bare)}\b" if bare.isascii() else re.escape(bare)
            for m in re.finditer(pattern, text):
                add(column, *m.span())
    for name, metric in model.metrics.items():
        if name not in columns:
            continue
        for word in [*_words(metric.synonyms), *_words(metric.label)]:
            pattern = rf"(?i)\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            for m in re.finditer(pattern, text):
                add(name, *m.span())
    return sorted(found, key=lambda f: f[1])


def read_table_sql(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql args for a grouped aggregate (or a ranked listing) over one store table, or
    None when some word of the request is not placed in that shape."""
    text = question.raw
    for cue in load_lexicon().task_cues.get("run_sql", ()):
        text = re.sub(cue, " ", text, flags=re.IGNORECASE)
    plain = read_question(text, ctx.values)
    consenting = bool(re.search(r"(?i)同意|授权|consent|opt(?:ed)?[- ]in", text))
    # A channel beside a consent word is whose consent (read below), no filter.
    filters = {k: v for k, v in plain.filters.items() if not (consenting and k == "channel")}
    if filters or plain.compares_periods:
        return None
    period = plain.time_range
    text = text.lower()
    if period:
        text = re.sub(
            r"\d{4}-\d{2}(?:-\d{2})?|\d{4}\s*年(?:\s*\d{1,2}\s*月)?"
            r"|(?:(?<=in )|(?<=of )|(?<=for )|(?<=during )|(?<=since ))(?:19|20)\d{2}\b",
            " ",
            text,
        )
        if re.search(r"\d{4}", text):
            return None  # a period written another way: not placed here
    tables = _tables_named(text)
    schema = store_schema()
    named = list(dict.fromkeys(t for t, _ in tables))
    # The table whose columns the request names most (the counted rows' own table), then
    # the one holding the other named tables' keys; with no table named, the one table
    # holding the named columns.
    scored = []
    for table in named or [t for t in schema if is_business_table(t)]:
        cols = _columns_named(text, table, ctx)
        keys = sum(o.removesuffix("s") + "_id" in schema[table] for o in named if o != table)
        statuses = sum(
            bool(re.search(rf"\b{re.escape(v)}\b", text))
            for target, values in _status_values(ctx.semantic_model).items()
            if target.split(".")[0] == table
            for v in values
        )
        consent = int(consenting and any(c.startswith("consent_") for c in schema[table]))
        scored.append((len(cols) + keys + statuses + consent, table, cols))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] == 0 and not named:
        return None
    if not named and len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # the columns do not tell the table
    _, table, cols = scored[0]
    # A table's word inside a column's name ("customer ids", "sku") names the column; so
    # does the counted table's own word inside a longer name of another of its columns (订单
    # in 订单状态: the status column); its key ("customer ids" of customers) is its rows.
    key = table.removesuffix("s") + "_id"
    tables = [
        (t, (a, b))
        for t, (a, b) in tables
        if not any(
            c[1] <= a < c[2] and (t != table or c[0] != key and b <= c[2] and c[2] - c[1] > b - a)
            for c in cols
        )
    ]
    named = list(dict.fromkeys(t for t, _ in tables))
    used: list[tuple[int, int]] = [span for _, span in tables]
    cols = [c for c in cols if not any(a <= c[1] < b for a, b in used)]
    reading = _Reading(table)
    columns = schema[table]
    others = [t for t in dict.fromkeys(named) if t != table]
    for other in others:
        key = other.removesuffix("s") + "_id"
        if key not in columns:
            return None  # a second table with no key in this one: not written here
        reading.groups.append(key)
    used += [(a, b) for _, a, b in cols]
    for column, start, end in cols:
        before = text[max(0, start - 12) : start]
        after = text[end : end + 6]
        kind = columns[column]
        if re.search(_SUM + r"\s*$", before) and kind in _NUMERIC:
            reading.aggregates.append((f"SUM({column})", f"total_{column}"))
        elif re.match(_SUM_AFTER, after) and kind in _NUMERIC:
            reading.aggregates.append((f"SUM({column})", f"total_{column}"))
            used.append((end, end + len(re.match(_SUM_AFTER, after).group(0))))
        elif re.search(_AVG + r"\s*$", before) and kind in _NUMERIC:
            reading.aggregates.append((f"AVG({column})", f"avg_{column}"))
        elif kind == "BOOLEAN":
            reading.aggregates.append(
                (f"AVG(CASE WHEN {column} THEN 1.0 ELSE 0 END)", f"share_{column}")
            )
        elif _COMPARE.search(text[start:]) and _COMPARE.search(text[start:]).start() == 0:
            m = _COMPARE.search(text[start:])
            assert m
            reading.where.append(f"{column} {m.group(2)} {m.group(3)}")
            used.append((start, start + m.end()))
        elif (
            re.search(_GROUP + r"\s*$", before)
            # ("signup_channel x language", "城市×性别": a second grouping column)
            or re.search(r"(?:\band\b|和|、|,|\bx\b|×|\*)\s*$", before)
            and reading.groups
        ):
            reading.groups.append(column)
        else:
            reading.columns.append(column)
    # Consent words (同意推送, "agreed to push"): the share of consenting rows, as a column.
    if table == "customers":
        from copilot.offline.intents.audience import channel_in
        from copilot.offline.intents.rule_parts import consented_channels

        agreed = consented_channels(question, channel_in(question))
        if agreed:
            for channel in agreed:
                if f"consent_{channel}" not in columns:
                    return None
                if re.search(_RATIO, text):
                    reading.aggregates.append(
                        (
                            f"AVG(CASE WHEN consent_{channel} THEN 1.0 ELSE 0 END)",
                            f"share_consent_{channel}",
                        )
                    )
                else:
                    reading.where.append(f"consent_{channel}")
            for m in re.finditer(
                r"同意|授权|consent(?:ed)?|agreed|opt(?:ed)?[- ]in|推送|短信|邮件|\bpush\b|\bsms\b|\bemail\b",
                text,
            ):
                used.append(m.span())
    # A status the semantic model names (completed, returned): a condition on that column.
    for target, values in _status_values(ctx.semantic_model).items():
        owner, column = target.split(".")
        if owner != table:
            continue
        for value in values:
            for m in re.finditer(rf"\b{re.escape(value)}\b", text):
                reading.where.append(f"{column} = '{value}'")
                used.append(m.span())
    if period:
        dated = [c for c, kind in columns.items() if kind == "DATE"]
        if not dated:
            return None
        reading.where.append(f"{dated[0]} BETWEEN :start AND :end")
        if dated[0] == "signup_date":
            # "customers who signed up in 2025", "2025年注册的客户": the period is the
            # signup date's, and the signing up is no other word.
            for pattern in reader_words("signup_event"):
                used += [m.span() for m in re.finditer(pattern, text)]
    for pattern in (_COUNT, _RATIO, _SUM, _AVG, _GROUP, r"\bcounts?\b|多少"):
        used += [m.span() for m in re.finditer(pattern, text)]
    if re.search(_COUNT, text) or (
        (others or reading.groups) and not reading.aggregates and not reading.columns
    ):
        reading.aggregates.insert(0, ("COUNT(*)", "rows" if table != "customers" else "customers"))
    top = _TOP.search(text)
    if top:
        reading.limit = int(next(g for g in top.groups() if g))
        used.append(top.span())
    most = list(_MOST.finditer(text))
    used += [m.span() for m in most]
    leftover = list(text)
    for a, b in used:
        leftover[a:b] = " " * (b - a)
    rest = _GLUE.sub(" ", "".join(leftover))
    rest_words = [w for w in re.findall(r"[a-z_]+|[\u4e00-\u9fff]+", rest)]
    function_words = load_lexicon().function_words
    unplaced = [w for w in rest_words if w not in function_words]
    if unplaced:
        return None
    if most and reading.columns and reading.limit and not reading.aggregates:
        # "the 5 most reviewed skus": the column's values with the most of the table's rows
        if all(columns[c] not in _NUMERIC for c in reading.columns):
            reading.groups += reading.columns
            reading.columns = []
            reading.aggregates.append(("COUNT(*)", "rows"))
    return _written(reading, period)


def _written(reading: _Reading, period: str | None) -> dict[str, Any] | None:
    """The SELECT of a reading, or None when the reading is no aggregate or ranked listing."""
    select = [*reading.groups]
    if reading.aggregates:
        select += [f"{sql} AS {alias}" for sql, alias in reading.aggregates]
        if reading.columns:
            return None  # a column neither grouped nor aggregated
        if not reading.groups and reading.limit:
            return None
    elif reading.columns and reading.limit:
        # "top 5 orders by amount, showing who placed them": rows ranked by a number.
        numeric = [c for c in reading.columns if store_schema()[reading.table][c] in _NUMERIC]
        if len(numeric) != 1:
            return None
        key = next(iter(store_schema()[reading.table]))
        select = list(dict.fromkeys([key, *reading.columns]))
        reading.order = f"{numeric[0]} DESC"
    else:
        return None
    sql = f"SELECT {', '.join(select)} FROM {reading.table}"
    if reading.where:
        sql += " WHERE " + " AND ".join(dict.fromkeys(reading.where))
    if reading.aggregates and reading.groups:
        sql += " GROUP BY " + ", ".join(reading.groups)
    if reading.order is None and reading.aggregates:
        position = len(reading.groups) + 1
        reading.order = (
            f"{position} DESC"
            if reading.limit
            else ", ".join(str(i + 1) for i in range(len(reading.groups)))
        )
    if reading.order:
        sql += f" ORDER BY {reading.order}"
    if reading.limit:
        sql += f" LIMIT {reading.limit}"
    return {"sql": sql, "period": period} if period else {"sql": sql}
