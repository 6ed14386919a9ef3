"""Questions that ask for SQL by name ("quick query: ...", "sql is fine", "写个SQL看看...",
"用SQL统计一下..."): answered with run_sql, or asked back, never with another tool.

The planner writes SQL only for the shapes it knows: the counts of customers, products,
reviews or lines by their own fields (`read_count_question`), the catalogue by price,
the valid orders' largest / median / by hour (`read_orders_question`), the average
count of item lines a valid order holds, and the items ranked by their average
rating among those with enough reviews. Anything else is asked back, naming the words it
cannot write SQL for: another tool's figure would answer a question the user did not ask
(they asked for a query), and a guessed statement would be a confident wrong number.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.intents.catalogue import (
    _VALID,
    _as,
    read_catalogue_question,
    read_orders_question,
)
from copilot.offline.question import Question
from copilot.offline.vocabulary import load_lexicon, reader_pattern
from knowledge.presentation import tr


def asks_for_sql(question: Question) -> bool:
    """The question asks for SQL or a query by name (the lexicon's run_sql task cues)."""
    return question.has(*load_lexicon().task_cues.get("run_sql", ()))


def read_sql_request(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """run_sql for a question that asks for SQL by name, or the question back naming what
    the offline planner cannot write; None when the question does not ask for SQL."""
    if not asks_for_sql(question):
        return None
    from copilot.offline.intents.segment_admin import read_count_question

    for reader in (_lines_per_order, _best_rated, read_catalogue_question, read_orders_question):
        args = reader(question, ctx)
        if args is not None:
            return args
    counted = read_count_question(question, ctx)
    if counted is not None:
        return counted
    return AskBack(
        tr(
            question.language,
            "You asked for a query, but offline I can only write SQL for counts of customers, "
            "products, reviews or order lines by their own fields (and by whether they have a "
            "valid order), averages per valid order, items ranked by their average rating, "
            "and the largest or median orders; I can't write it for “{question}”. Type the "
            "SQL itself (SELECT ...) and I will run it, or ask without SQL.",
            question=question.raw.strip(),
        )
    )


def _lines_per_order(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
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
