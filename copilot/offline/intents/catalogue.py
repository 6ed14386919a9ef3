"""Free SQL the user typed, and product-catalogue questions by price, as run_sql calls.

Two kinds of question go to run_sql here:

- **SQL typed in the question** ("run this: SELECT city, COUNT(*) FROM customers ...",
  "执行SQL：select ..."): the statement is passed on exactly as typed (minus a trailing
  semicolon or code fence); run_sql itself checks it is one read-only SELECT over the
  store's tables, so nothing here has to trust it.
- **Products by their list price** ("how many products cost over 500?", "价格超过1000的商品
  有哪些"): the catalogue's `products.price`, not sales; a count, or the matching products
  most expensive first.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.order_statuses import status_breakdown_sql, status_count_sql
from copilot.offline.question import Question, word_occurs
from copilot.offline.vocabulary import (
    load_lexicon,
    metrics_named,
    reader_pattern,
    reader_words,
)
from knowledge.time_ranges.numerals import EN_WORDS


@cache
def _sql_statement() -> re.Pattern[str]:
    # A SELECT needs a FROM with a table name; a WITH needs "name AS (".
    return re.compile(
        r"(?is)(?<![\w])((?:select\s+.+?\s+from\s+[A-Za-z_][\w.]*|with\s+[A-Za-z_]\w*\s+as\s*\().*)$"
    )


@cache
def _sql_syntax() -> re.Pattern[str]:
    # What plain English "select the top products from last month" lacks.
    return re.compile(
        r"(?i)[*(),=<>]|\b(?:group\s+by|order\s+by|where|limit|join|having|distinct|as)\b"
    )


@cache
def _sql_request() -> re.Pattern[str]:
    return re.compile(r"(?i)\b(?:sql|query|run|execute|exec)\b|执行|运行|跑一下|查询")


def literal_sql(text: str) -> str | None:
    """The SQL statement typed in the question, as typed, else None.

    Shape: "run this: SELECT a FROM t" -> "SELECT a FROM t". A statement counts as SQL
    when it has SQL syntax beyond "select ... from ..." (a comma, *, a bracket, WHERE,
    GROUP BY ...) or the question asks to run / execute SQL; "select the best products
    from last month" is English. Trailing semicolons and code fences are dropped.
    """
    cleaned = text.replace("```sql", " ").replace("```", " ")
    match = _sql_statement().search(cleaned)
    if match is None:
        return None
    statement = match.group(1).strip().rstrip(";；").strip().strip("`").strip()
    if not (_sql_syntax().search(statement) or _sql_request().search(cleaned[: match.start()])):
        return None
    return statement


@cache
def _price_condition() -> re.Pattern[str]:
    # The comparison and its number: "cost over 500", "priced under ¥100", "价格超过1000",
    # "1000元以上", "between 100 and 300".
    number = r"[¥$￥]?\s*(\d[\d,]*(?:\.\d+)?)\s*(?:元|块|yuan|rmb|cny)?"
    return re.compile(
        r"(?i)(?P<op>over|above|more than|greater than|higher than|at least|under|below|"
        r"less than|cheaper than|lower than|at most|超过|高于|大于|多于|不低于|至少|低于|小于|"
        r"少于|不超过|不到|>=|<=|>|<)\s*" + number + r"|" + number + r"\s*(?P<zh>以上|以下|以内)"
        r"|(?:between|从|在)\s*" + number + r"\s*(?:and|to|-|–|到|至|和)\s*" + number
    )


_PRICE_WORDS = re.compile(
    r"(?i)\b(?:cost|costs|costing|priced|price|prices|pricing|expensive|cheap)\b"
    r"|\b(?:yuan|rmb|cny)\b|[¥￥$]\s*\d|价格|售价|单价|标价|定价|价位|\d\s*(?:元|块)|贵"
)
_SALES = re.compile(r"(?i)\b(?:sold|sales|revenue|bought|ordered|selling)\b|卖|销量|销售|买")
_PRODUCT_WORDS = re.compile(r"(?i)\b(?:products?|items?|skus?|goods)\b|商品|产品|单品|货品|sku")
_COUNT_WORDS = re.compile(r"(?i)\bhow many\b|\bnumber of\b|\bcount\b|多少(?!钱)|几(?:个|款|种)")
_AT_LEAST = ("at least", "不低于", "至少", ">=")
_ABOVE = (
    "over",
    "above",
    "more than",
    "greater than",
    "higher than",
    "超过",
    "高于",
    "大于",
    "多于",
    ">",
)
_AT_MOST = ("at most", "不超过", "<=")


def _price_where(text: str) -> str | None:
    """The WHERE condition on products.price the text states, else None."""
    match = _price_condition().search(text)
    if match is None:
        return None
    groups = match.groupdict()
    values = [g.replace(",", "") for g in match.groups() if g and re.fullmatch(r"[\d,.]+", g)]
    if len(values) == 2:
        low, high = sorted(float(v) for v in values)
        return f"price BETWEEN {_number(low)} AND {_number(high)}"
    value = _number(float(values[0]))
    op = (groups.get("op") or "").lower()
    if groups.get("zh") == "以上" or op in _AT_LEAST:
        return f"price >= {value}"
    if op in _ABOVE:
        return f"price > {value}"
    if groups.get("zh") in ("以下", "以内") or op in _AT_MOST:
        return f"price <= {value}"
    return f"price < {value}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


_PRICIEST = re.compile(r"(?i)\b(?:most expensive|priciest|highest[- ]priced)\b|最贵")
_CHEAPEST = re.compile(r"(?i)\b(?:cheapest|least expensive|lowest[- ]priced)\b|最便宜")
_PER_CATEGORY = re.compile(
    r"(?i)\b(?:in|per|by|for) (?:each|every) category\b|\b(?:per|by) category\b"
    r"|(?:每个|各个?|每一?个?)(?:品类|类目|分类)"
)
# A quantity condition on one order line ("a single line quantity above 5", "单行数量超过5").
_LINE_QUANTITY = re.compile(
    r"(?i)\b(?:single |one |an? |any )?(?:order )?(?:line|item|line item|sku)s?(?:'s)? "
    r"(?:(?:with|has|having) (?:a )?)?(?:quantity|qty|units) (?:of )?(?:above|over|greater than|more than|"
    r"exceeding|>|at least|>=) ?(\d+)"
    r"|(?:单行|单个商品|单件商品|单个sku|某一行|某行|单品)的?(?:购买)?(?:数量|件数)(?:超过|大于|多于|>|至少|不少于)\s*(\d+)"
)
_LINE_AT_LEAST = re.compile(r"(?i)at least|>=|至少|不少于")
_TOP_N = re.compile(
    r"(?<![\d.])(\d{1,3})(?![\d.])|\b(" + "|".join(sorted(EN_WORDS, key=len, reverse=True)) + r")\b"
    r"|([一二两三四五六七八九十]+)\s*(?:个|款|件|种)"
)


# Column names of the SQL the planner writes, in the question's language (a Chinese answer
# lists its columns; the user's own SQL keeps its own aliases).
_COLUMN_ZH = {
    "category": "品类",
    "customer_city": "客户城市",
    "products": "商品数",
    "name_en": "英文名",
    "name_zh": "商品名",
    "price": "价格",
    "order_id": "订单号",
    "customer_id": "客户ID",
    "order_date": "下单日期",
    "channel": "渠道",
    "city": "城市",
    "total": "订单金额",
    "median_order_value": "订单金额中位数",
    "hour": "小时",
    "iso_weekday": "星期序号",
    "weekday": "星期",
    "orders": "订单数",
    "max_line_quantity": "单行最大数量",
    "cancelled_orders": "取消订单数",
    "returned_orders": "退货订单数",
    "valid_orders": "有效订单数",
    "amount": "金额",
    "fee_amount": "费用金额",
    "reviews": "评论数",
    "avg_rating": "平均评分",
    "low_star_reviews": "低星评论数",
    "avg_lines_per_order": "每单平均商品行数",
    "avg_units_per_order": "每单平均件数",
}
_ORDER_COLUMNS = ("order_id", "order_date", "channel", "city", "total")


def _as(expression: str, zh: bool, name: str | None = None) -> str:
    """`expression AS name`, the name in Chinese (quoted) for a Chinese question."""
    name = name or expression
    if zh:
        return f'{expression} AS "{_COLUMN_ZH[name]}"'
    return expression if name == expression else f"{expression} AS {name}"


def _product_columns(zh: bool) -> str:
    """The product listing's columns: both names, category and list price."""
    return ", ".join(_as(c, zh) for c in ("name_en", "name_zh", "category", "price"))


def _catalogue_listing(question: Question) -> dict[str, Any] | None:
    """The N most expensive / cheapest products, or the product count per category."""
    raw = question.raw
    zh = question.language == "zh"
    if _COUNT_WORDS.search(raw) and _PER_CATEGORY.search(raw):
        return {
            "sql": f"SELECT {_as('category', zh)}, {_as('COUNT(*)', zh, 'products')} "
            "FROM products GROUP BY category ORDER BY 2 DESC"
        }
    order = "DESC" if _PRICIEST.search(raw) else "ASC" if _CHEAPEST.search(raw) else None
    if order is None:
        return None
    match = _TOP_N.search(raw)
    n = _count_of(match) if match else 10
    return {
        "sql": f"SELECT {_product_columns(zh)} FROM products "
        f"WHERE price IS NOT NULL ORDER BY price {order} LIMIT {max(1, min(n, 100))}"
    }


def _unreviewed(question: Question) -> dict[str, Any] | None:
    """The products no review names ("which products were never reviewed?"), or their count;
    with a period or a filter, None (the reviews of a period need a date the phrase lacks)."""
    if question.time_range:
        return None
    zh = question.language == "zh"
    where = "WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.sku = products.sku)"
    categories = question.filters.get("category") or []
    if categories:
        quoted = ", ".join("'" + c.replace("'", "''") + "'" for c in categories)
        where += f" AND category IN ({quoted})"
    if _COUNT_WORDS.search(question.raw):
        return {"sql": f"SELECT {_as('COUNT(*)', zh, 'products')} FROM products {where}"}
    return {
        "sql": f"SELECT {_product_columns(zh)} FROM products {where} ORDER BY category, name_en"
    }


def _count_of(match: re.Match[str]) -> int:
    """N of "5 most expensive", "five ...", "三个"."""
    from knowledge.time_ranges.numerals import to_int

    if match.group(1):
        return int(match.group(1))
    if match.group(2):
        return EN_WORDS[match.group(2).lower()]
    return to_int(match.group(3))


def read_catalogue_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql over the product catalogue for "how many products cost over 500?" / "价格
    超过1000的商品有哪些" (the list price, not sales), the most expensive products or the
    products per category; else None."""
    raw = question.raw
    zh = question.language == "zh"
    if question.has(*load_lexicon().task_cues.get("define_segment", ())):
        return None  # "建个分组 … 单笔三千块以上 … 数码产品": a segment of customers, no catalogue
    if _PRODUCT_WORDS.search(raw) and question.has(*reader_words("unreviewed")):
        return _unreviewed(question)
    if _PRODUCT_WORDS.search(raw) and not question.time_range and not _SALES.search(raw):
        listing = _catalogue_listing(question)
        if listing is not None:
            return listing
    if not (_PRODUCT_WORDS.search(raw) and _PRICE_WORDS.search(raw)):
        return None
    if question.time_range:
        return None  # a period is about sales ("products that sold over 500 last month")
    if _SALES.search(raw):
        return None  # sales of products: a metric question
    where = _price_where(raw)
    if where is None:
        return None
    categories = question.filters.get("category") or []
    if categories:
        quoted = ", ".join("'" + c.replace("'", "''") + "'" for c in categories)
        where += f" AND category IN ({quoted})"
    if _COUNT_WORDS.search(raw):
        return {"sql": f"SELECT {_as('COUNT(*)', zh, 'products')} FROM products WHERE {where}"}
    return {"sql": f"SELECT {_product_columns(zh)} FROM products WHERE {where} ORDER BY price DESC"}


# A valid order (MARKETING.md): not cancelled, not a return, net total above 0; the same
# rule as the semantic model's orders.
_VALID = "status NOT IN ('cancelled', 'returned') AND total > 0"
_CUSTOMER_CITY = re.compile(
    r"(?i)\bcustomers?(?:'s|’s|s')?\s+cit(?:y|ies)\b|(?:客户|顾客|买家)(?:的|所在)?城市"
)
_LARGEST = re.compile(
    r"(?i)\b(?:biggest|largest|highest[- ]value|most expensive|top)\s+(?:\d+\s+)?(?:single\s+)?"
    r"(?:(?:completed|valid|paid)\s+)?"
    r"(?:orders|purchases|transactions)\b|\b(?:orders|purchases) with the (?:highest|largest|biggest) "
    r"(?:totals?|values?|amounts?)\b|单笔(?:金额|消费)?最(?:大|高)|金额最(?:大|高)的\s*\d*\s*(?:个|笔|张)?订单"
    r"|最大的\s*\d*\s*(?:个|笔|张)?订单"
)
_MEDIAN = re.compile(r"(?i)\bmedian\b|中位数")
_ORDER_VALUE = re.compile(r"(?i)\border(?:s)?\b|\baov\b|\bbasket\b|订单|客单|每单")
_BY_HOUR = re.compile(
    r"(?i)\b(?:which|what) (?:hour|time of day)\b.{0,40}\b(?:most|busiest|peak)\b"
    r"|\bbusiest hours?\b|\bpeak (?:order(?:ing)? )?hours?\b|\borders? by hour(?: of (?:the )?day)?\b"
    r"|哪个(?:小时|钟点|时段)|几点.{0,8}(?:下单|订单)最多|按小时"
)


@cache
def _by_weekday() -> re.Pattern[str]:
    """Orders by day of the week ("which weekday gets the most orders", "星期几下单最多"): the
    words of the lexicon's unsupported `day_of_week` breakdown (the semantic model has no
    weekday dimension; the count per ISO weekday is written in SQL, other metrics asked back)."""
    group = next(g for g in load_lexicon().unsupported if g.metric == "day_of_week")
    words = sorted(group.words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.I)


_WEEKDAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
}


_ISO_WEEKDAY = "EXTRACT(ISODOW FROM order_date)"


def counts_per_weekday(args: object) -> bool:
    """Whether run_sql arguments are the count of valid orders per weekday written here: the
    weekday the question names is answered (no unsupported breakdown to ask back about)."""
    return isinstance(args, dict) and _ISO_WEEKDAY in str(args.get("sql", ""))


# The valid orders said ("orders", "下单", "单量"): what the weekday and hour counts count.
_ORDERED = r"(?i)\border|下单|订单|单量"


def _asks_orders_by_weekday(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question asks the count of orders per weekday, no other metric."""
    raw = question.raw
    return (
        bool(_by_weekday().search(raw.lower()))
        and bool(re.search(_ORDERED, raw))
        and not _BY_HOUR.search(raw)
        and set(metrics_named(question.text, ctx.semantic_model)) <= {"orders"}
    )


def _weekday_sql(where: str, zh: bool) -> str:
    """Valid orders per ISO weekday (1 = Monday), the weekday's name beside its number,
    busiest first."""
    names = _WEEKDAY_NAMES["zh" if zh else "en"]
    day = _ISO_WEEKDAY
    case = " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(names, start=1))
    return (
        f"SELECT {_as(day, zh, 'iso_weekday')}, {_as(f'CASE {day} {case} END', zh, 'weekday')}, "
        f"{_as('COUNT(*)', zh, 'orders')} FROM orders WHERE {where} GROUP BY 1, 2 ORDER BY 3 DESC, 1"
    )


# A breakdown asked beside the median ("by channel", "各渠道", "每个城市"); "per order" is
# the order value itself (blanked before this is read).
_PER_ORDER = re.compile(r"(?i)\b(?:per|each|an?)\s+(?:valid\s+)?order\b|每(?:一)?(?:单|笔)")
_BROKEN_DOWN = re.compile(r"(?i)\b(?:by|per|for each|each|across)\b|按|各|每个|每种|分(?!别|钟)")
_N = re.compile(r"(?<![\d.])(\d{1,3})(?![\d.])")


# The money of lines asked ("运费一共收了多少", "how much did we collect in shipping fees"),
# not how many of them ("how many shipping-fee lines", "多少条运费").
_MONEY_ASKED = re.compile(
    r"(?i)\bhow much\b|\b(?:amount|total|sum|revenue|income|collected|charged|money)\b"
    r"|多少钱|金额|总额|合计|一共|总共|收了|收入|进账|多少"
)
_LINES_COUNTED = re.compile(
    r"(?i)\bhow many\b|\blines?\b|\bnumber of\b|几条|多少条|多少笔|多少次|行数"
)


def _fee_lines_sum(question: Question, where: str, zh: bool) -> dict[str, Any] | None:
    """run_sql summing the fee lines (shipping and other non-merchandise lines, MARKETING.md:
    not in net sales) of valid orders, when their money is asked; None otherwise. A fee the
    catalogue keeps as a product ("Shipping fee" = 运费) restricts the sum to its lines."""
    fee_words = reader_words("non_merchandise_lines")
    named = question.filters.get("product", [])
    fee_products = [p for p in named if any(word_occurs(w, p.lower()) for w in fee_words)]
    if not (fee_products or question.has(*fee_words)):
        return None
    if set(named) - set(fee_products) or set(question.filters) - {"product"}:
        return None  # a product's or a city's fee lines: not this plain sum
    if not _MONEY_ASKED.search(question.raw) or _LINES_COUNTED.search(question.raw):
        return None
    lines = "i.merchandise = FALSE"
    if fee_products:
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in fee_products)
        lines += f" AND i.sku IN (SELECT sku FROM products WHERE name_en IN ({listed}))"
    return {
        "sql": f"SELECT {_as('SUM(i.amount)', zh, 'fee_amount')} FROM order_items i "
        f"JOIN orders o ON o.order_id = i.order_id WHERE {where} AND {lines}"
    }


def read_orders_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql over valid orders for what the semantic model has no metric or dimension
    for: the N largest orders, the median order value, orders by hour of day; else None.

    A fixed period ("in 2025", "2025年") filters order_date; a relative one ("last
    month") is left to the metric tools (None), since the SQL cannot resolve it.
    """
    from copilot.offline.intents.segment_admin import fixed_dates

    raw = question.raw
    zh = question.language == "zh"
    # "cancelled orders last month by channel": the orders metric's SELECT over that status.
    breakdown = status_breakdown_sql(question, ctx)
    if breakdown is not None:
        return breakdown
    from copilot.offline.intents.sql_requests import lines_per_order

    lines = lines_per_order(question, ctx)  # "mean order lines on a valid order"
    if lines is not None:
        return lines
    where = _VALID
    by_weekday = _asks_orders_by_weekday(question, ctx)
    if question.time_range:
        dates = fixed_dates(raw)
        if dates is None and by_weekday:
            # ("orders by weekday over the last 6 months"): run_sql resolves the period said
            # into :start / :end, as query_metrics resolves its time_range
            sql = _weekday_sql(f"{where} AND order_date BETWEEN :start AND :end", zh)
            return {"sql": sql, "period": question.time_range}
        if dates is None:
            return None
        where += f" AND order_date BETWEEN '{dates[0]}' AND '{dates[1]}'"
    if _LARGEST.search(raw):
        numbers = [int(n) for n in _N.findall(raw) if 0 < int(n) <= 500]
        in_period = set(re.findall(r"\d+", question.time_range or ""))
        limit = next((n for n in numbers if str(n) not in in_period), 10)
        if re.search(r"(?i)\bcompleted\b|已完成", raw):
            where += " AND status = 'completed'"
        if _CUSTOMER_CITY.search(raw):
            # "with the customer city": the customer's own city, from the customers table
            columns = [_as(f"o.{c}", zh, c) for c in _ORDER_COLUMNS if c != "city"]
            columns.append(_as("c.city", zh, "customer_city"))
            qualified = re.sub(r"\b(status|total|order_date)\b", r"o.\1", where)
            return {
                "sql": f"SELECT {', '.join(columns)} FROM orders o LEFT JOIN customers c "
                f"ON c.customer_id = o.customer_id WHERE {qualified} "
                f"ORDER BY o.total DESC LIMIT {limit}"
            }
        return {
            "sql": f"SELECT {', '.join(_as(c, zh) for c in _ORDER_COLUMNS)} FROM orders "
            f"WHERE {where} ORDER BY total DESC LIMIT {limit}"
        }
    top = reader_pattern("top_customers_by_orders").search(raw)
    if top:
        # "top 10 customers by number of valid orders": a count per customer, ranked.
        n = int(top.group("n") or top.group("n2"))
        status = (top.group("status") or top.group("status_zh") or "").lower()
        status = {"取消": "cancelled", "退货": "returned", "canceled": "cancelled"}.get(
            status, status
        )
        counted, name = (where, "orders")
        if status:
            counted = f"status = '{status}'" + where[len(_VALID) :]
            name = f"{status}_orders"
        return {
            "sql": f"SELECT {_as('customer_id', zh)}, {_as('COUNT(*)', zh, name)} FROM orders "
            f"WHERE {counted} AND customer_id IS NOT NULL GROUP BY customer_id "
            f"ORDER BY 2 DESC, 1 LIMIT {n}"
        }
    if _MEDIAN.search(raw) and _ORDER_VALUE.search(raw):
        if _BROKEN_DOWN.search(_PER_ORDER.sub(" ", raw)):
            return None  # "median order by channel": one median per group, not written here
        return {
            "sql": "SELECT "
            + _as("PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY total)", zh, "median_order_value")
            + f" FROM orders WHERE {where}"
        }
    line = _LINE_QUANTITY.search(raw)
    if line and re.search(r"(?i)\border|订单", raw):
        # "orders with a single line quantity above 5": a line's quantity lives in
        # order_items; each valid order with such a merchandise line, once.
        n, op = (
            int(next(g for g in line.groups() if g)),
            ">=" if _LINE_AT_LEAST.search(line.group(0)) else ">",
        )
        columns = ", ".join(_as(f"o.{c}" if c == "order_id" else c, zh, c) for c in _ORDER_COLUMNS)
        return {
            "sql": f"SELECT {columns}, {_as('MAX(i.quantity)', zh, 'max_line_quantity')} "
            "FROM orders o JOIN order_items i ON i.order_id = o.order_id "
            f"WHERE {where} AND i.merchandise IS NOT FALSE AND i.quantity {op} {n} "
            f"GROUP BY o.order_id, {', '.join(_ORDER_COLUMNS[1:])} ORDER BY 6 DESC, 1"
        }
    fees = _fee_lines_sum(question, where, zh)
    if fees is not None:
        return fees
    # "取消订单的数量和金额", "orders including the cancelled ones": orders of the statuses
    # asked, which the orders metric (valid orders) does not count.
    statuses = status_count_sql(question, where[len(_VALID) :], zh, _as)
    if statuses is not None:
        return statuses
    if by_weekday:
        return {"sql": _weekday_sql(where, zh)}
    if _BY_HOUR.search(raw) and re.search(_ORDERED, raw):
        return {
            "sql": f"SELECT {_as('EXTRACT(HOUR FROM ordered_at)', zh, 'hour')}, "
            f"{_as('COUNT(*)', zh, 'orders')} FROM orders WHERE {where} GROUP BY 1 ORDER BY 2 DESC"
        }
    return None
