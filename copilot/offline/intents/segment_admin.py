"""Managing segments and simple counts: list and refresh saved segments, the best channel
for a segment, what data the store holds, and "how many customers/products ..." counts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from copilot.offline.intents.audience import (
    CHANNEL_SYNONYMS,
    asks_where_they_buy,
    channel_in,
    churn_scored_now,
    segment_in,
)
from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.intents.count_conditions import order_conditions, unheld_clause_question
from copilot.offline.intents.rule_parts import (
    consented_channels,
    customer_languages,
    described_group,
    refused_consents,
)
from copilot.offline.question import Question, named, named_by, word_occurs
from copilot.offline.value_tiers import value_tier_problem
from copilot.offline.vocabulary import (
    blank,
    bound_beside,
    breakdowns_named,
    load_lexicon,
    metrics_named,
    reader_pattern,
    reader_words,
    unplaced_words,
    without_negated,
)
from knowledge.lazy_regex import lazy_compile
from knowledge.presentation import N_, format_count, format_money, format_percent, segment_name, tr
from knowledge.time_ranges import find_period
from knowledge.time_ranges.numerals import to_int
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_QUOTED = lazy_compile(r"[\"“「《'‘]([^\"”」》'’]{2,80})[\"”」》'’]")
_HOW_MANY = (r"how many", r"number of", r"count of", "多少", "几个", "几位", "总数", "一共")
# ("..., counted by signup_channel", "按渠道计数": the count asked after the counted things)
_COUNTED_BY = (r"\bcounted (?:by|per|for each)\b", r"\bcounts? (?:by|per)\b", "计数")
_CUSTOMER_FILTERS = ("signup_channel", "city", "province", "gender")
_BIRTH_DECADE = "birth_decade"  # the name of the derived column a decade count groups by
# "born before 1980", "出生年份在1980年以前", "1990年以后出生的": a birth year bound, not a period.
_BORN = lazy_compile(
    r"\bborn\s+(?P<en>before|after|in)\s+(?P<y1>(?:19|20)\d\d)\b"
    r"|出生(?:年份|年)?(?:在|于|是)?\s*(?P<y2>(?:19|20)\d\d)\s*年?\s*(?P<zh2>以前|之前|前|以后|之后|后)?"
    r"|(?P<y3>(?:19|20)\d\d)\s*年?\s*(?P<zh3>以前|之前|以后|之后|前|后)?的?出生",
    re.I,
)
_BORN_OPERATOR = {"before": "<", "after": ">", "in": "=", "以前": "<", "之前": "<", "前": "<"}
_BORN_OPERATOR.update({"以后": ">", "之后": ">", "后": ">"})


def born_condition(text: str) -> tuple[str, tuple[int, int]] | None:
    """The birth-year condition a question states ("birth_year < 1980") and its span."""
    match = _BORN.search(text)
    if match is None:
        return None
    year = match.group("y1") or match.group("y2") or match.group("y3")
    word = (match.group("en") or match.group("zh2") or match.group("zh3") or "in").lower()
    return f"birth_year {_BORN_OPERATOR[word]} {int(year)}", match.span()


_EACH_SEGMENT = lazy_compile(
    r"\b(?:each|every|per|all|across)\s+(?:rfm\s+)?(?:segments?|groups?|audiences?)\b"
    r"|各(?:个)?(?:rfm)?(?:分群|人群|客群)|每(?:个|一个)(?:rfm)?(?:分群|人群|客群)|所有(?:分群|人群|客群)",
    re.I,
)
# "1-star reviews", "五星评价": a rating of 1-5.
_STARS = lazy_compile(r"(?<![\d.])([1-5])[- ]?stars?|([1-5一二三四五])\s*(?:星|分)")


def _stars_condition(text: str, stars: re.Match[str]) -> str:
    """The rating condition of a star level said with or without a bound ("4 stars" = 4,
    "四星以上" / "4 stars or more" / "at least 4 stars" >= 4, "under 3 stars" <= 2), by
    the lexicon's comparison words (以上 includes the number, as in GB/T usage)."""
    level = to_int(next(g for g in stars.groups() if g))
    bound = bound_beside(text, stars.start(), stars.end(), level)
    if bound is None:
        return f"rating = {level}"
    ((side, value),) = bound.items()
    return f"rating >= {value}" if side == "min" else f"rating <= {value}"


def read_list_segments(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """list_segments for "list my saved segments" / "有哪些已保存的分群".

    The listing has no period: "the audience I saved last week" is answered with every saved
    segment and its last update, and the answer says the period was not applied
    (`unfiltered_period_note`), never a list said to be of that period."""
    if not asks_for_saved_segments(question):
        return None
    return {}


def unfiltered_period_note(question: Question) -> str | None:
    """The line saying a listing of saved segments was not cut to the period the question
    names ("saved last week"): every saved segment is listed with its last update."""
    if not question.time_range:
        return None
    return tr(
        question.language,
        "These are all saved segments: the list is not filtered to “{period}”; each one's "
        "last update is in the table.",
        period=question.time_range,
    )


def asks_for_saved_segments(question: Question) -> bool:
    """Whether the question asks which segments are saved: a listing word, a segment word
    and a saved / existing word anywhere ("what segments do we have saved?", "我们存了哪些
    分群", "list my segments"). Such a question never asks for an RFM run."""
    if question.has(*reader_words("segment_list")):
        return True  # "分群列表", "segment list", "my stored lists": the saved list by name
    if not question.has(*reader_words("segment_words")):
        return False
    listing = question.has(*reader_words("saved_segment_listing"))
    saved = question.has(*reader_words("saved_segments"), r"my segments", r"our segments")
    return listing and saved


_BARE_NAME = lazy_compile(
    r"\b(?:refresh|re-?evaluate|re-?compute|re-?calculate|re-?run|update)\s+(?:the\s+|our\s+|my\s+)?"
    r"(?!(?:the|our|my|a|this|that)\s+segment)([A-Za-z0-9\u4e00-\u9fff][\w&' -]{0,40}?)\s+segment\b"
    r"|(?:刷新|更新|重新计算|重新跑|重跑)(?:一下|下)?(?!一下)\s*([^\s，。？?“”\"]{1,20}?)\s*"
    r"(?:这个|那个)?(?:分群|客群|人群)",
    re.I,
)


# A snake_case identifier: letters and digits joined by underscores ("gz_mp", "vip_2025"),
# beside Chinese too ("重新计算gz_mp": a Chinese character is no part of it).
_IDENTIFIER = lazy_compile(
    r"(?<![A-Za-z0-9_./-])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)(?![A-Za-z0-9_/-])"
)


def quoted_name(question: Question) -> str | None:
    """A quoted name in the question, or None."""
    quoted = _QUOTED.search(question.raw)
    return quoted.group(1).strip() if quoted else None


def read_refresh_segment(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """refresh_segment for 'Refresh the segment "…"' / '更新一下分群“…”'."""
    if not question.has(*reader_words("segment_refresh")):
        return None
    saved = question.filters.get("segment", [])
    # A name written as an identifier ("gz_mp", "cd_big"), beside a refresh word and no
    # metric: the saved segment of that name, with or without the word segment.
    identifier = _IDENTIFIER.search(question.raw)
    model = ctx.semantic_model
    if (
        identifier
        and model is not None
        and identifier.group(1).lower() not in {*model.metrics, *model.dimensions}
        and not metrics_named(question.text, model)
        and not quoted_name(question)
    ):
        return {"name": identifier.group(1)}
    if not question.has(r"segments?", "分群", "客群", "人群") and len(saved) != 1:
        return None
    quoted = _QUOTED.search(question.raw)
    if quoted:
        return {"name": quoted.group(1).strip()}
    if len(saved) == 1:  # a saved segment named by its stored name: "refresh Chengdu VIPs"
        return {"name": saved[0]}
    # An unquoted name between the verb and the word segment: "refresh the VIP women
    # segment", "刷新一下SH护肤女这个分群".
    bare = _BARE_NAME.search(question.raw)
    return {"name": next(g for g in bare.groups() if g).strip()} if bare else None


def read_best_channel(
    question: Question, ctx: PlannerContext
) -> dict[str, Any] | list[dict[str, Any]] | None:
    """best_channel for "which channel works best for At Risk customers?"."""
    segment = segment_in(question)
    # Channel names are store values, blanked from question.text: read them in the raw text.
    raw = Question(question.raw, question.language, question.raw.lower())
    # A clause declining the channel question ("不是问哪个渠道好") asks no channel.
    words = reader_words("best_channel")
    asks_channel = Question(question.raw, question.language, without_negated(raw.text, words)).has(
        *words
    )
    if asks_channel and asks_where_they_buy(question):
        return None  # "which channel do they buy from": where they shop, a profile trait
    if asks_channel and not segment and _EACH_SEGMENT.search(question.raw):
        # "which channel for each segment?": one call per RFM segment (computed if not saved).
        return [{"segment": rule.name} for rule in SEGMENT_RULES]
    if asks_channel and not segment:
        described = described_group(question)  # "customers who buy at night": not everyone
        return AskBack(described) if described else None
    return {"segment": segment} if segment and asks_channel else None


def read_describe_data(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """describe_data for "what tables and columns are in the store?" / "数据库里有哪些表？"."""
    if question.has(r"retention", r"cohorts?", "留存", "同期群"):
        return None  # "a retention table" is a cohort analysis, not the schema
    if question.has(*_HOW_MANY) and named(question.text, load_lexicon().countable):
        return None  # "query the raw tables: how many fee lines are there?" is a count
    if reader_pattern("layout_columns").search(question.raw):
        # "units and net sales, both columns please": how the answer is laid out
        question = replace(question, text=reader_pattern("layout_columns").sub(" ", question.text))
    # "tables" alone may be restaurant tables; with a data word it is the store's schema.
    # On the raw text: "store" is also a sales channel, blanked from question.text.
    raw = Question(question.raw, question.language, question.raw.lower())
    data_tables = question.has(r"tables?") and raw.has(
        r"data",
        r"database",
        r"db",
        r"store",
        r"warehouse",
        r"schema",
        r"columns?",
        r"fields?",
        r"you (?:have|see|hold)",
        r"are there",
        r"list",
        "数据",
        "库",
        "表",
    )
    if data_tables or question.has(
        r"columns?",
        r"schema",
        r"what data",
        r"date range",
        r"data ?set",
        r"overview of the data",
        r"slice .{0,20}by",
        r"what dimensions",
        "时间范围",
        "哪些维度",
        "库里的数据",
        "介绍一下.{0,6}数据",
        "数据表",
        "哪些表",
        "字段",
        "表结构",
        "有哪些数据",
    ):
        return {}
    return None


def read_count_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """run_sql with a COUNT for "how many products are in the catalogue?" or
    "有多少客户同意接收短信？" (customers or products, by their own attributes)."""
    averaged = _average_birth_year(question, ctx)
    if averaged is not None:
        return averaged
    from copilot.offline.intents.rule_parts import recency_written_out

    if recency_written_out(question.raw) != question.raw:
        # "members with no purchases for 30+ days": a span of the negated order, which a count
        # of those who never ordered would drop; the rule reader counts it.
        return None
    # "下过单但从没收到营销消息的客户数": what the counted things did makes the count word
    # (客户数, also the buyers metric) the count of those things.
    conditioned = any(
        reader_pattern(name).search(question.raw)
        for name in ("no_orders", "no_messages", "has_messages")
    )
    if (
        not question.has(*_HOW_MANY)
        and not (conditioned and question.has(*_COUNTED_BY))
        and not reader_pattern("count_request").search(question.raw)
        and not reader_pattern("consent_count").search(question.raw)
        and not (conditioned and _counted_number(question.raw))
    ):
        return None
    signed_up = question.has(r"signed up", r"sign-?ups?", r"registered", "注册")
    signup_period = fixed_dates(question.raw) if signed_up and question.time_range else None
    born = born_condition(question.raw)
    if question.time_range and signup_period is None and born is None:
        return None  # a period of purchases is a metric question; of signups, see below
    model = ctx.semantic_model
    countable = load_lexicon().countable
    entity = named(question.text, countable)
    if not entity:
        return None
    table = entity[0]
    # The counted thing's own words compete with the metric words: "订单行" (order lines)
    # names no orders, "acquired customers" is a metric.
    # An imperative count's own object ("统计一下客户数") is the thing counted, not a metric
    # word (客户数 is also a synonym of buyers).
    unrequested = reader_pattern("count_request").sub(" ", question.text)
    agreed = consented_channels(question, channel_in(question)) if table == "customers" else []
    refused, given = refused_consents(question.raw) if table == "customers" else ([], [])
    if refused:
        # "no email consent", "同意短信但不同意邮件": the refused channel is NOT consented to
        agreed = given
    if agreed and not re.search(r"(?i)consent|opt(?:ed)?[- ]?in|agreed|同意|授权", question.raw):
        if any(
            reader_pattern(name).search(question.raw) for name in ("no_messages", "has_messages")
        ):
            agreed = []  # "never received an sms": the messages' channel, read with them
    if agreed is None:
        return None  # "email or SMS": consent to any one of them, not each
    consent = bool(agreed) or bool(refused)
    from copilot.offline.intents.sql_requests import asks_for_sql

    if consent or asks_for_sql(question) or conditioned:
        # "sql: number of customers ...": a count asked for as a query counts the thing it
        # names, so its word ("number of customers", also the buyers metric) names no metric.
        # "how many shoppers agreed to our emails": people who consented are counted, so the
        # counted thing's own word (shoppers, also the buyers metric) names no metric.
        unrequested = blank(unrequested, list(countable[table]))
    # "with zero valid orders", "没下过单的": a condition on the counted things (read
    # below), not the orders metric.
    for name in ("no_orders", "has_orders"):
        unrequested = reader_pattern(name).sub(lambda m: " " * len(m.group(0)), unrequested)
    if metrics_named(unrequested, model) or segment_in(question):
        # A metric question ("how many units", "平均LTV") belongs to query_metrics; "how many
        # Champions" counts an RFM segment, which a plain customer count would not.
        return None
    if table == "customers":
        # "how many VIPs", "高净值用户有多少人": a value tier no store field holds is asked
        # back with the RFM segments closest to it, never counted as every customer.
        tier = value_tier_problem(question, question.text)
        if tier:
            return AskBack(tier)
    # "每个城市有多少客户同意接收短信": a count per member of a breakdown, grouped by it; a
    # breakdown the table has no column for is not a plain count (never one overall number).
    # The counted thing's own word ("how many products") is no breakdown of it.
    by = [d for d in breakdowns_named(question.text, model) if d != table.removesuffix("s")]
    if consent and reader_pattern("every_channel").search(question.raw):
        by = [d for d in by if d != "channel"]  # "所有渠道都授权": whose consent, no breakdown
    spoken = customer_languages(question.raw) if table == "customers" else []
    if spoken:
        by = [d for d in by if d != "language"]  # "whose language is English": a filter
    if table == "customers" and reader_pattern("birth_decade").search(question.raw):
        by.append(_BIRTH_DECADE)  # "by birth decade": the birth year rounded down to ten
    groupable = (
        (*_CUSTOMER_FILTERS, "language", _BIRTH_DECADE) if table == "customers" else ("category",)
    )
    if by and (table not in ("customers", "products") or not set(by) <= set(groupable)):
        return None
    if asks_for_sql(question):
        # "sql: customers by province x language": a column named by its own name and read
        # as no breakdown or filter here is not dropped; the table writer places every word.
        from copilot.offline.intents.table_sql import own_columns_named

        agreed_to = [*(agreed or ()), *(f"consent_{c}" for c in agreed or ())]
        placed = {*by, *question.filters, *agreed_to}  # ("opted into email": a consent)
        if set(own_columns_named(question.raw, table)) - placed:
            return None
    conditions: list[str] = []
    if table == "reviews":
        stars = _STARS.search(question.text)
        if stars:
            conditions.append(_stars_condition(question.text, stars))
        if question.filters:
            return None  # reviews of a city or category need a join: not a plain count
    if born and table != "customers":
        return None
    if table == "customers":
        channel = channel_in(question)
        conditions += [f"consent_{c}" for c in agreed]
        conditions += [f"NOT COALESCE(consent_{c}, FALSE)" for c in refused]
        if spoken:
            conditions.append(f"language IN ({', '.join(_literal(c) for c in spoken)})")
        for name in _CUSTOMER_FILTERS:
            values = question.filters.get(name)
            if values:
                conditions.append(f"{name} IN ({', '.join(_literal(v) for v in values)})")
        if born:
            conditions.append(born[0])
        if signup_period:
            start, end = signup_period
            conditions.append(f"signup_date BETWEEN '{start}' AND '{end}'")
        if (
            signed_up
            and question.filters.get("channel")
            and not question.filters.get("signup_channel")
        ):
            # "signed up via the mini program": the sales-channel word names a signup channel;
            # a channel consented to ("opted into sms") is no signup channel.
            values = [v for v in question.filters["channel"] if v not in agreed]
            if values:
                conditions.append(f"signup_channel IN ({', '.join(_literal(v) for v in values)})")
        handled = {"channel"} if channel or signed_up else set()
        unmatched = set(question.filters) - set(_CUSTOMER_FILTERS) - handled
        if unmatched:
            return None  # a purchase behaviour: that is a segment, not a plain count
    elif table == "order_items":
        # "how many shipping-fee lines": lines that are not products (MARKETING.md), or are.
        fee_words = reader_words("non_merchandise_lines")
        # The store may keep a product for its fee lines ("Shipping fee"): its name names
        # the kind of line then, not a product filter.
        fee_products = [
            p
            for p in question.filters.get("product", [])
            if any(word_occurs(w, p.lower()) for w in fee_words)
        ]
        products = [p for p in question.filters.get("product", []) if p not in fee_products]
        if products or set(question.filters) - {"product"}:
            return None  # lines of a product, city or category need a join: not a plain count
        if fee_products or question.has(*fee_words):
            conditions.append("merchandise = FALSE")
        elif question.has(*reader_words("merchandise_lines")):
            conditions.append("merchandise")
    elif question.filters.get("category"):
        conditions.append(
            f"category IN ({', '.join(_literal(v) for v in question.filters['category'])})"
        )
    # What the counted things did ("but never placed an order"): in the SQL, or asked about.
    text = blank(question.text, [w for ws in countable.values() for w in ws])
    behaviour, unheld = order_conditions(text, question.raw, table)
    if unheld:
        word = named_by(question.text, countable)[0][1]  # the counted thing as written
        return AskBack(unheld_clause_question(unheld, word, question.language))
    conditions += behaviour
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    if by == [_BIRTH_DECADE]:
        # One row per decade in order of the decades (customers of unknown birth year: one
        # row of their own); the modulo keeps the integer on every engine.
        decade = "birth_year - birth_year % 10"
        return {
            "sql": f"SELECT {decade} AS {_BIRTH_DECADE}, COUNT(*) AS {table} FROM {table}{where} "
            f"GROUP BY {decade} ORDER BY {_BIRTH_DECADE}"
        }
    if _BIRTH_DECADE in by:
        return None  # the decade beside another breakdown: not read here
    if by:
        columns = ", ".join(by)
        return {
            "sql": f"SELECT {columns}, COUNT(*) AS {table} FROM {table}{where} "
            f"GROUP BY {columns} ORDER BY {table} DESC, {columns}"
        }
    if not where:
        # A plain count of the whole table: a word nothing here read ("R值得分为5分的客户",
        # "customers with an R score of 5") is a condition it would drop, so it is asked about.
        from copilot.offline.accounting import name_unplaced, whole_phrase

        counted = blank(question.text, [w for ws in countable.values() for w in ws])
        left = unplaced_words(counted, model)
        # ("customers over 40, how many"): a number is a condition the count would drop too
        numbers = [m.group().strip() for m in _NUMBER_SAID.finditer(counted)]
        if left or numbers:
            words = [whole_phrase(w, question) for w in left] + numbers
            return AskBack(name_unplaced(words, "", ctx, question.language == "zh", question.raw))
    return {"sql": f"SELECT COUNT(*) AS {table} FROM {table}{where}"}


# A number with the word before it ("over 40", "超过40"), as said in a count's question.
_NUMBER_SAID = re.compile(r"(?:[^\W\d]+\s*)?\d+(?:[.,]\d+)*")


def _counted_number(raw: str) -> bool:
    """Whether a countable thing's Chinese word is followed by a count word ("客户数")."""
    words = [w for ws in load_lexicon().countable.values() for w in ws if not w.isascii()]
    alternatives = "|".join(re.escape(w) for w in words)
    return bool(re.search(rf"(?:{alternatives})(?:数|人数|数量|总数)", raw))


def _average_birth_year(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """run_sql for the customers' average birth year, overall or per customer attribute
    ("mean year of birth by gender", "各城市客户的平均出生年份"); None for anything else
    (a period, a purchase or a breakdown the customers table has no column for)."""
    aged = bool(reader_pattern("average_age").search(question.raw))
    if not (aged or reader_pattern("average_birth_year").search(question.raw)):
        return None
    if question.time_range:
        return None
    entity = named(question.text, load_lexicon().countable)
    if entity and entity[0] != "customers":
        return None
    # "average age": the age is what is averaged, no breakdown by the age band
    measured = {"customer", "age_band"} if aged else {"customer"}
    by = [d for d in breakdowns_named(question.text, ctx.semantic_model) if d not in measured]
    if not set(by) <= {*_CUSTOMER_FILTERS, "language"} or len(by) > 1:
        return None
    if set(question.filters) - set(_CUSTOMER_FILTERS):
        return None
    conditions = [
        f"{name} IN ({', '.join(_literal(v) for v in question.filters[name])})"
        for name in _CUSTOMER_FILTERS
        if question.filters.get(name)
    ]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    average = "ROUND(AVG(birth_year), 1) AS average_birth_year"
    if aged:
        # As of the store's today (the day after its latest valid order, or today when the
        # data runs up to now: tools.periods.store_clock), the age bands' year difference.
        year = (
            "EXTRACT(YEAR FROM LEAST(CURRENT_DATE, (SELECT MAX(order_date) + 1 FROM orders "
            "WHERE status NOT IN ('cancelled', 'returned') AND total > 0)))"
        )
        average = f"ROUND(AVG({year} - birth_year), 1) AS average_age"
    if by:
        return {
            "sql": f"SELECT {by[0]}, {average} FROM customers{where} GROUP BY {by[0]} "
            f"ORDER BY {by[0]}"
        }
    return {"sql": f"SELECT {average} FROM customers{where}"}


def fixed_dates(text: str) -> tuple[date, date] | None:
    """The dates of a period that does not move with today ("in 2025", "2025年3月"), else None.

    A relative period ("last month") is left to the tools, which resolve it against the
    store's own today; a period that reads the same from two different days is fixed.
    """
    first = find_period(text, date(2099, 12, 31))
    second = find_period(text, date(2098, 12, 31))
    if first is None or second is None or first.compare_to is not None:
        return None
    if (first.range.start, first.range.end) != (second.range.start, second.range.end):
        return None
    return first.range.start, first.range.end


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_list_segments(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The saved segments by kind."""
    segments = output.data.get("segments", [])
    if not segments:
        if language == "zh":
            return tr(
                language,
                "No saved segments yet: run an RFM segmentation or define a rule segment first.",
            )
        return output.for_model
    names = tr(language, ", ").join(
        tr(
            language,
            "{segment} ({kind}, {size})",
            segment=segment_name(s["segment"], language),
            kind=tr(language, _KINDS.get(s["kind"], s["kind"])),
            size=format_count(s["size"], language),
        )
        for s in segments[:12]
    )
    return tr(
        language,
        "{count} saved segments (table below): {names}.\n\nNext: profile one, or export it for a channel.",
        count=len(segments),
        names=names,
    )


# Segment kinds as the answers name them (catalogue ids).
_KINDS = {"rfm": N_("RFM"), "kmeans": N_("K-means persona"), "rule": N_("rule")}


def write_refresh(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The refreshed size against the previous one (and a churn scoring it needed now)."""
    d = output.data
    before = format_count(d.get("previous_size"), language)
    size = format_count(d["size"], language)
    return tr(
        language,
        "Refreshed “{segment}”: {size} customers now (was {before}).",
        segment=segment_name(d["segment"], language),
        size=size,
        before=before,
    ) + churn_scored_now(d, language)


def write_best_channel(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The channel with the lowest cost per conversion, with its numbers."""
    d = output.data
    best = d.get("best")
    if not best:
        return tr(
            language,
            "No channel has enough data for {segment} yet (at least {min_sample} delivered and a conversion).",
            segment=segment_name(d["segment"], language),
            min_sample=d["min_sample"],
        )
    rate = format_percent(best.get("conversion_rate") or 0, language)
    cost = best.get("cost_per_conversion")
    cost_text = (
        tr(language, ", {cost} per conversion", cost=format_money(cost, language, ctx.currency))
        if cost is not None
        else ""
    )
    # The channel as stored ("sms"), and the lexicon's last word for it ("短信") that a
    # Chinese answer puts first.
    channel = best["channel"]
    name = CHANNEL_SYNONYMS.get(channel, [channel])[-1]
    return tr(
        language,
        "For {segment}, {channel} converts at the lowest cost: {rate} conversion{cost} "
        "(all channels in the table; consented customers only).\n\n"
        "Next: export the segment's consented audience for it.",
        segment=segment_name(d["segment"], language),
        channel=channel,
        name=name,
        rate=rate,
        cost=cost_text,
    )


LIST_SEGMENTS_INTENT = Intent(
    tool="list_segments", read=read_list_segments, write=write_list_segments
)
REFRESH_SEGMENT_INTENT = Intent(
    tool="refresh_segment", read=read_refresh_segment, write=write_refresh
)
BEST_CHANNEL_INTENT = Intent(tool="best_channel", read=read_best_channel, write=write_best_channel)
