"""Questions that ask for SQL by name ("quick query: ...", "sql is fine", "写个SQL看看...",
"用SQL统计一下..."): answered with run_sql, or asked back, never with another tool.

The planner writes SQL only for the shapes it knows: the semantic model's own SELECT for
metrics it computes with one SELECT (counts and sums such as orders, buyers, delivered,
opens or clicks), by its dimensions and values, over a period left as :start / :end for
run_sql to resolve like query_metrics does (`_metric_sql`); the counts of customers, products,
reviews or lines by their own fields (`read_count_question`), the catalogue by price,
the valid orders' largest / median / by hour (`read_orders_question`), the average
count of item lines a valid order holds, and the items ranked by their average
rating among those with enough reviews. Anything else is asked back, naming the words it
cannot write SQL for: another tool's figure would answer a question the user did not ask
(they asked for a query), and a guessed statement would be a confident wrong number.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.intents.catalogue import (
    _VALID,
    _as,
    read_catalogue_question,
    read_orders_question,
)
from copilot.offline.question import Question, read_question
from copilot.offline.vocabulary import load_lexicon, reader_pattern
from knowledge.presentation import tr
from knowledge.semantic.compiler import MetricQuery, plan_metric_query
from knowledge.semantic.values import reads_state


def asks_for_sql(question: Question) -> bool:
    """The question asks for SQL or a query by name (the lexicon's run_sql task cues)."""
    return question.has(*load_lexicon().task_cues.get("run_sql", ()))


def read_sql_request(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """run_sql for a question that asks for SQL by name, or the question back naming what
    the offline planner cannot write; None when the question does not ask for SQL."""
    if not asks_for_sql(question):
        return None
    from copilot.offline.intents.ratings import read_rating_question
    from copilot.offline.intents.segment_admin import read_count_question

    for reader in (
        lines_per_order,
        _best_rated,
        read_rating_question,
        read_catalogue_question,
        read_orders_question,
    ):
        args = reader(question, ctx)
        if args is not None:
            return args
    counted = read_count_question(question, ctx)
    if counted is not None:
        return counted
    compiled = _metric_sql(question, ctx)
    if compiled is not None:
        return compiled
    from copilot.offline.intents.table_sql import read_table_sql

    tabled = read_table_sql(question, ctx)
    if tabled is not None:
        return tabled
    return AskBack(
        tr(
            question.language,
            "You asked for a query, but offline I can only write SQL for counts of customers, "
            "products, reviews or order lines by their own fields (and by whether they have a "
            "valid order), averages per valid order, items ranked by their average rating, "
            "the largest or median orders, and counts or sums the metrics define (such as "
            "orders, revenue, delivered, opens or clicks) by a breakdown, for a period; I "
            "can't write it for “{question}”. Type the "
            "SQL itself (SELECT ...) and I will run it, or ask without SQL.",
            question=question.raw.strip(),
        )
    )


def lines_per_order(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """The average number of merchandise lines (or units) per valid order, overall."""
    if not reader_pattern("lines_per_order").search(question.raw) or question.filters:
        return None
    if question.time_range:
        return None  # a period needs its dates resolved: not written here
    zh = question.language == "zh"
    units = bool(re.search(r"(?i)\bunits?\b|\bitems? quantity\b|件数|数量", question.raw))
    per_line = "SUM(i.quantity)" if units else "COUNT(*)"
    name = "avg_units_per_order" if units else "avg_lines_per_order"
    return {
        "sql": f"SELECT {_as('ROUND(AVG(n), 3)', zh, name)} FROM (SELECT o.order_id, "
        f"{per_line} AS n FROM orders o JOIN order_items i ON i.order_id = o.order_id "
        f"WHERE {_VALID.replace('status', 'o.status').replace('total', 'o.total')} "
        "AND i.merchandise IS NOT FALSE GROUP BY o.order_id) AS per_order"
    }


_AT_LEAST = re.compile(
    r"(?i)(?:at least|no (?:fewer|less) than|a minimum of|>=|≥|不少于|至少|不低于|大于等于|超过|多于|>)"
    r"\s*(\d+)\s*(?:条|个|篇)?\s*(?:reviews?|ratings?|评论|评价)"
    r"|(?:reviews?|ratings?|评论数?|评价数?)\s*(?:of\s+)?(?:at least|>=|≥|不少于|至少|不低于|大于等于|超过|多于|>)"
    r"\s*(\d+)|(\d+)\s*(?:\+|or more)\s*reviews?|(\d+)\s*(?:条|个|篇)(?:评论|评价)?(?:及)?以上"
)


def _best_rated(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """The products ranked by their average star rating, among those with at least N
    reviews when the question sets a minimum; the best (or worst) one first."""
    ranked = reader_pattern("rating_ranked").search(question.raw)
    if question.time_range or question.filters:
        return None
    zh = question.language == "zh"
    if not ranked and reader_pattern("rating_by_category").search(question.raw):
        # "average rating per product category": one row per category, best first.
        return {
            "sql": f"SELECT {_as('p.category', zh, 'category')}, "
            f"{_as('COUNT(*)', zh, 'reviews')}, {_as('ROUND(AVG(r.rating), 3)', zh, 'avg_rating')} "
            "FROM reviews r JOIN products p ON p.sku = r.sku GROUP BY p.category ORDER BY 3 DESC"
        }
    if not ranked:
        return None
    minimum = _AT_LEAST.search(question.raw)
    having = ""
    if minimum:
        n = int(next(g for g in minimum.groups() if g))
        having = f" HAVING COUNT(*) >= {n}"
    worst = bool(re.search(r"(?i)\b(?:lowest|worst)\b|最低|最差", question.raw))
    return {
        "sql": f"SELECT {_as('p.name_en', zh, 'name_en')}, {_as('p.name_zh', zh, 'name_zh')}, "
        f"{_as('COUNT(*)', zh, 'reviews')}, {_as('ROUND(AVG(r.rating), 3)', zh, 'avg_rating')} "
        "FROM reviews r JOIN products p ON p.sku = r.sku "
        f"GROUP BY p.name_en, p.name_zh{having} ORDER BY 4 {'ASC' if worst else 'DESC'}, 3 DESC "
        "LIMIT 10"
    }


# Stand-ins for a period's first and last day while the semantic model compiles its SELECT;
# written back as run_sql's :start, :end (and :end_next, the day after, on timestamps).
_FIRST, _LAST = date(1000, 1, 1), date(9998, 12, 30)
_PLACEHOLDERS = {
    "1000-01-01": "start",
    "1000-01-01 00:00:00": "start",
    "9998-12-30": "end",
    "9998-12-31 00:00:00": "end_next",
}
_METRIC_ARGS = {"metrics", "dimensions", "filters", "time_range", "limit", "order_by", "sort"}
_COMPARED = re.compile(r"(?i)\bvs\.?\b|versus|compared|\byoy\b|\bmom\b|对比|相比|同比|环比|比较")


def _metric_sql(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """The semantic model's own SELECT for the metrics a query is asked for ("SQL for the
    orders last month", "写个SQL: 每个活动的送达数和点击数"), read as the same question
    without its SQL cue would be; None (the SQL question back) when that reading leaves
    words unplaced.

    None (asked back by the caller) for what one SELECT does not give: ratios and other
    metrics computed after the fetch, time buckets, comparisons, saved segments."""
    from copilot.offline.accounting import metric_question_problem
    from copilot.offline.intents.metrics import read_metric_question

    # The English cue words are no metric words; the Chinese ones ("写个SQL") are the
    # lexicon's function words already, as written, so they stay.
    cues = () if question.language == "zh" else load_lexicon().task_cues.get("run_sql", ())
    plain_text = question.raw
    for cue in cues:
        plain_text = re.sub(cue, " ", plain_text, flags=re.IGNORECASE)
    # "SQL 查一下历史销量...": a query runs over the whole history already
    plain_text = reader_pattern("sql_all_history").sub(" ", plain_text)
    plain = read_question(plain_text, ctx.values)
    args = read_metric_question(plain, ctx)
    if not isinstance(args, dict) or set(args) - _METRIC_ARGS or not args.get("metrics"):
        return args if isinstance(args, AskBack) else None
    period = args.get("time_range")
    if period and _COMPARED.search(period):
        return None
    if metric_question_problem(plain, args, ctx):
        return None  # words the metric reading leaves unplaced: the SQL question back
    model = ctx.semantic_model
    for name in args.get("dimensions") or ():
        if model.dimension(name).time_grain:
            return None
    return compiled_sql(ctx, None, None, None, args)


def compiled_sql(
    ctx: PlannerContext,
    metric: str | None,
    name: str | None,
    where: list[str] | None,
    args: dict[str, Any],
) -> dict[str, Any] | None:
    """run_sql args for the semantic model's own SELECT of `args` (query_metrics' metrics,
    dimensions, filters, time range and top N); with `metric`, that count metric over its
    first fact's rows that meet `where` instead of the fact's own conditions, named `name`
    (the orders of a status no metric counts). None when one SELECT does not give it."""
    model = ctx.semantic_model
    metrics = tuple(args["metrics"])
    if args.get("order_by") not in (None, *metrics):
        return None  # a ranking by a change over time: not one SELECT
    if metric is not None:
        base = model.metrics[metric]
        measure = base.measures[0]
        fact = model.facts[measure.fact].model_copy(update={"where": list(where or [])})
        model = model.model_copy(
            update={
                "facts": {**model.facts, measure.fact: fact},
                "metrics": {**model.metrics, name: base.model_copy(update={"measures": [measure]})},
            }
        )
        metrics = (name,)
    period = args.get("time_range")
    dimensions = tuple(args.get("dimensions") or ())
    for dimension_name in dimensions:
        if reads_state(model, model.dimension(dimension_name)):
            return None
    query = MetricQuery(
        metrics=metrics,
        dimensions=dimensions,
        filters={k: tuple(v) for k, v in (args.get("filters") or {}).items()},
        start=_FIRST if period else None,
        end=_LAST if period else None,
    )
    try:
        plan = plan_metric_query(model, query, "postgresql")
    except (KeyError, ValueError):
        return None
    if len(plan.parts) != 1 or plan.finishers:
        return None
    sql = _written_sql(plan.parts[0].statement)
    if sql is None:
        return None
    if args.get("limit"):
        direction = "ASC" if str(args.get("sort", "")).lower().startswith("asc") else "DESC"
        sql += f" ORDER BY {len(dimensions) + 1} {direction} LIMIT {int(args['limit'])}"
    elif dimensions and metric is not None:
        sql += " ORDER BY " + ", ".join(str(i + 1) for i in range(len(dimensions)))
    return {"sql": sql, "period": period} if period else {"sql": sql}


def _written_sql(statement: Any) -> str | None:  # noqa: ANN401
    """The compiled SELECT as portable SQL text, the period's stand-ins as placeholders;
    None when it reads a table that is not the store's business data."""
    # Loaded here, not at import: an offline ask that writes no SQL loads neither sqlglot
    # nor the SQL tool (tests/test_startup_imports.py).
    import sqlglot
    from sqlalchemy.dialects import postgresql
    from sqlglot import exp

    from tools.sql.schema import is_business_table, store_schema

    compiled = str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    tree = sqlglot.parse_one(compiled, read="postgres")
    tables = {t.name for t in tree.find_all(exp.Table)}
    schema = store_schema()
    if not tables or any(t not in schema or not is_business_table(t) for t in tables):
        return None

    def placed(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Literal) and node.is_string and node.this in _PLACEHOLDERS:
            return exp.Placeholder(this=_PLACEHOLDERS[node.this])
        return node

    return tree.transform(placed).sql(comments=False)
