"""Star ratings (the reviews table's rating column, 1..5) asked as a figure: the average
rating overall, per category or per product, ranked and cut to N, among products with at
least N reviews. Answered with run_sql over reviews: a rating is what the customer gave,
not the sentiment review_sentiment reads from the text, which is another number.

A question that also asks for sentiment or complaints is left to review_sentiment; one
with words this reading does not place (a period, a filter, an unknown word) is left to
the other readers, which ask back."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.catalogue import _as
from copilot.offline.question import Question
from copilot.offline.vocabulary import bound_beside, load_lexicon, reader_pattern

_AT_LEAST = re.compile(
    r"(?i)(?:at least|no (?:fewer|less) than|a minimum of|min(?:imum)?\.?|>=|≥|不少于|至少|不低于|"
    r"大于等于|超过|多于|>)\s*(\d+)\s*(?:条|个|篇)?\s*(?:reviews?|ratings?|评论|评价)"
    r"|(?:reviews?|ratings?|评论数?|评价数?)\s*(?:of\s+)?(?:at least|>=|≥|不少于|至少|不低于|"
    r"大于等于|超过|多于|>)\s*(\d+)\s*(?:条|个|篇)?|(\d+)\s*(?:\+|or more)\s*reviews?"
    r"|(\d+)\s*(?:条|个|篇)(?:评论|评价)?(?:及)?以上"
)
_LIMIT = re.compile(
    r"(?i)\b(?:top|bottom|best|worst|lowest|highest)\s*(\d+)\b|前\s*(\d+)|后\s*(\d+)"
    r"|(\d+)\s*(?:个|款|件|种)?\s*(?:products?|items?|skus?|categories|商品|产品|品类|sku)"
)
_BELOW = re.compile(
    r"(?i)(?:低于|不到|小于|不足|below|under|less than|lower than|<)\s*([1-4](?:\.\d)?)\s*(?:分|星|颗星|stars?\b)?"
)
_STAR_WORDS = {"一": 1, "两": 2, "二": 2, "三": 3}
_ZH_NUMBERS = {"三": 3, "五": 5, "十": 10, "二十": 20, "两": 2}


def read_low_star_ranking(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql args for the products (or categories) with the most low-star reviews ("which
    item collects the most bad reviews, 1 and 2 stars both count"), else None: a count of
    reviews at or under a star level, ranked, not the sentiment read from the text.

    The star level is the one the question names ("2 stars or below", "1星2星都算"); a bad
    review said without stars is one of at most 2 stars, which the SQL shows."""
    raw = question.raw
    low = reader_pattern("low_star_reviews").search(raw)
    ranked = reader_pattern("most_counted").search(raw)
    if not low or not (ranked or reader_pattern("low_star_counted").search(raw)):
        return None
    items = question.filters if set(question.filters) <= {"product", "category"} else None
    if question.time_range or items is None or question.compares_periods:
        return None
    if reader_pattern("review_feeling_only").search(raw):
        return None  # "most negative sentiment", "top complaint themes": the text's reading
    stars: list[int] = []
    for found in re.finditer(
        r"([1-4])\s*(?:星|颗星|-?\s*stars?\b)|(一|两|二|三)\s*(?:星|颗星)", raw
    ):
        level = int(found.group(1)) if found.group(1) else _STAR_WORDS[found.group(2)]
        bound = bound_beside(raw, found.start(), found.end(), level)
        if bound is not None and "min" in bound:
            return None  # "4 stars or more": the good reviews, no low-star count
        stars.append(bound["max"] if bound else level)
    # "rating=1", "rating <= 2", "rating < 3": the column's own condition, its level
    conditions = re.findall(
        r"(?i)(?<![a-z])(?:rating|stars?)\s*(=|==|<=|<|≤)\s*([1-4])(?![\d.])", raw
    )
    for op, n in conditions:
        stars.append(int(n) - 1 if op == "<" else int(n))
    level = max(stars) if stars else 2
    # ("rating=2": those reviews only, not the ones under them too)
    exact = len(conditions) == 1 and conditions[0][0] in ("=", "==") and len(stars) == 1
    kept = f"r.rating = {level}" if exact else f"r.rating <= {level}"
    zh = question.language == "zh"
    counted = _as("COUNT(*)", zh, "low_star_reviews")
    per_product = reader_pattern("rating_per_product").search(raw)
    per_category = reader_pattern("rating_per_category").search(raw)
    if not (per_product or per_category):
        if ranked or reader_pattern("rating_per_other").search(raw):
            return None  # "which city gets the most bad reviews": not a product's count
        if items:
            # "How many 1-star reviews the Smartphone X12 got?": that product's (category's)
            _, within = _item_condition(items)
            return {
                "sql": f"SELECT {counted} FROM reviews r JOIN products p ON p.sku = r.sku "
                f"WHERE {kept} AND {within}"
            }
        # "差评一共多少条": the low-star reviews counted, all of them
        return {"sql": f"SELECT {counted} FROM reviews r WHERE {kept}"}
    if items:
        return None  # a ranking within a product or category: not written here
    if per_category and not per_product:
        head = f"{_as('p.category', zh, 'category')}"
        group = "p.category"
        order = "2 DESC"
    else:
        head = f"{_as('p.name_en', zh, 'name_en')}, {_as('p.name_zh', zh, 'name_zh')}"
        group = "p.name_en, p.name_zh"
        order = "3 DESC"
    # a count per category lists every category; products are many, the first 10 shown
    limit: int | None = None if group == "p.category" else 10
    for m in _LIMIT.finditer(raw):
        if m.group(4) is None:
            limit = int(next(g for g in m.groups() if g))
            break
    sql = (
        f"SELECT {head}, {counted} FROM reviews r JOIN products p ON p.sku = r.sku "
        f"WHERE {kept} GROUP BY {group} ORDER BY {order}"
    )
    return {"sql": f"{sql} LIMIT {limit}" if limit else sql}


def read_rating_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql args for an average star rating (overall, per category or per product),
    else None."""
    ranked_low = read_low_star_ranking(question, ctx)
    if ranked_low is not None:
        return ranked_low
    raw = question.raw
    for zh, n in _ZH_NUMBERS.items():
        raw = re.sub(rf"{zh}(?=\s*(?:个|款|件|种|条))", str(n), raw)
    rating = reader_pattern("star_rating").search(raw)
    # "口碑最差" beside an average rating ranks that rating; it asks no sentiment.
    reputation = reader_pattern("rating_reputation").search(raw) if rating else None
    felt = reader_pattern("rating_reputation").sub(lambda m: " " * len(m.group(0)), raw)
    if not rating or reader_pattern("review_feeling").search(felt):
        return None
    averaged = reader_pattern("rating_average").search(raw)
    ranked = reader_pattern("rating_order").search(raw) or reputation
    if not (averaged or ranked):
        return None
    # ("Robot Vacuum avg review rating?", "护肤品的平均评分"): one product's or category's own
    # average, filtered; any other filter, a period or a comparison is left to other readers
    items = question.filters if set(question.filters) <= {"product", "category"} else None
    if question.time_range or items is None or len(items) > 1 or question.compares_periods:
        return None
    used = [rating.span()]
    used += [span for d, _, span in ctx.values.find(raw) if d in items]
    used += [
        m.span()
        for p in ("rating_average", "rating_order", "star_rating")
        for m in reader_pattern(p).finditer(raw)
    ]
    by_category = list(reader_pattern("rating_per_category").finditer(raw))
    by_product = list(reader_pattern("rating_per_product").finditer(raw))
    used += [m.span() for m in (*by_category, *by_product)]
    used += [m.span() for m in reader_pattern("rating_reputation").finditer(raw)]
    minimum = _AT_LEAST.search(raw)
    if minimum:
        used.append(minimum.span())
    # "平均评分低于3分的商品", "average rating under 3": the averages kept under that level
    below = _BELOW.search(raw) if averaged else None
    if below:
        used.append(below.span())
    limit = None
    for m in _LIMIT.finditer(raw):
        if minimum and minimum.start() <= m.start() < minimum.end():
            continue
        if m.group(4) is None and not ranked:
            continue
        limit = int(next(g for g in m.groups() if g))
        used.append(m.span())
        break
    if _unplaced(raw, used):
        return None
    zh = question.language == "zh"
    worst = bool(reader_pattern("rating_lowest").search(raw))
    if reputation and not reader_pattern("rating_order").search(raw):
        worst = bool(reader_pattern("rating_reputation_low").search(reputation.group(0)))
    direction = "ASC" if worst else "DESC"
    rated = f"{_as('COUNT(*)', zh, 'reviews')}, {_as('ROUND(AVG(r.rating), 3)', zh, 'avg_rating')}"
    if by_category and not by_product:
        sql = (
            f"SELECT {_as('p.category', zh, 'category')}, {rated} FROM reviews r "
            "JOIN products p ON p.sku = r.sku GROUP BY p.category"
        )
        order = f"3 {direction}, 2 DESC"
    elif by_product or ranked:
        sql = (
            f"SELECT {_as('p.name_en', zh, 'name_en')}, {_as('p.name_zh', zh, 'name_zh')}, "
            f"{rated} FROM reviews r JOIN products p ON p.sku = r.sku "
            "GROUP BY p.name_en, p.name_zh"
        )
        order = f"4 {direction}, 3 DESC"
        if below:  # every product under the level, lowest first, unless a number is asked
            order = "4 ASC, 3 DESC"
        else:
            limit = limit or 10
    else:
        if minimum or limit or below:
            return None
        if items:
            column, within = _item_condition(items)
            name = "name_en" if column == "p.name_en" else "category"
            return {
                "sql": f"SELECT {_as(column, zh, name)}, "
                f"{rated} FROM reviews r JOIN products p ON p.sku = r.sku "
                f"WHERE {within} GROUP BY {column}"
            }
        return {"sql": f"SELECT {rated} FROM reviews r"}
    if items:
        return None  # a ranking within a filter: not written here
    having = []
    if minimum:
        having.append(f"COUNT(*) >= {int(next(g for g in minimum.groups() if g))}")
    if below:
        having.append(f"AVG(r.rating) < {float(below.group(1)):g}")
    if having:
        sql += " HAVING " + " AND ".join(having)
    sql += f" ORDER BY {order}"
    if limit:
        sql += f" LIMIT {limit}"
    return {"sql": sql}


def _item_condition(items: dict[str, list[str]]) -> tuple[str, str]:
    """(column, SQL condition) of the one product or category filter of a rating question,
    over reviews joined to products as p ("p.name_en IN ('Smartphone X12')")."""
    ((dimension, values),) = items.items()
    column = "p.name_en" if dimension == "product" else "p.category"
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return column, f"{column} IN ({listed})"


def _unplaced(raw: str, used: list[tuple[int, int]]) -> list[str]:
    """The words of `raw` outside `used` that are neither function words nor the reviews'
    own words: a word this reading does not place."""
    rest = list(raw.lower())
    for a, b in used:
        rest[a:b] = " " * (b - a)
    text = reader_pattern("rating_glue").sub(" ", "".join(rest))
    words = re.findall(r"[a-z_]+|[\u4e00-\u9fff]+", text)
    function_words = load_lexicon().function_words
    return [w for w in words if w not in function_words]
