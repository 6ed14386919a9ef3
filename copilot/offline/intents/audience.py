"""Audience questions: rule segments, profiles, send time, exports and review sentiment.

Category names: the planner has no engine, and the store's categories are in
the ValueIndex only when a semantic dimension indexes them, so a small built-in
synonym list covers the demo catalogue's categories (English and Chinese) too.
Segment names the reader knows are the ten RFM segments and quoted names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import reduce
from typing import Any

from copilot.offline.clock import planner_today
from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.intents.purchase_objects import (
    unplaced_object_question,
    unplaced_purchase_objects,
)
from copilot.offline.intents.rule_parts import (
    OrderCount,
    age_bound,
    birth_condition,
    buys_each_of,
    churn_probability_bound,
    consents,
    count_then_recency,
    customer_languages,
    described_group,
    generated_name,
    negated_order,
    no_order_spans,
    no_orders_in,
    order_count,
    order_gap,
    purchase_conditions,
    recency_written_out,
    refused_consents,
    spend_condition,
    spend_period_before,
    unknown_segment,
    unplaced_conditions,
    unplaced_question,
    went_quiet_in,
)
from copilot.offline.question import (
    Question,
    clean_period_phrase,
    named,
    named_by,
    read_question,
    word_occurs,
)
from copilot.offline.segment_names import segment_name_in, without_span
from copilot.offline.vocabulary import (
    intent_cues,
    load_lexicon,
    metric_synonyms,
    metrics_named,
    reader_pattern,
    reader_words,
    segment_word_in_passing,
    without_contrasted,
)
from copilot.offline.words import literal_spans
from copilot.unicode_text import has_cjk
from knowledge.lazy_regex import lazy_compile
from knowledge.presentation import (
    N_,
    channel_name,
    format_count,
    format_money,
    format_number,
    format_percent,
    join_list,
    profile_feature,
    segment_name,
    tr,
    weekday_name,
)
from knowledge.time_ranges import find_period
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

# The lexicon's words for categories and marketing channels (knowledge/lexicon.yaml).
CATEGORY_SYNONYMS: dict[str, list[str]] = load_lexicon().categories
CHANNEL_SYNONYMS: dict[str, list[str]] = load_lexicon().marketing_channels
SEGMENT_SYNONYMS: dict[str, list[str]] = {
    r.name: [r.name.lower(), r.name.lower().replace("'", "’"), r.name_zh] for r in SEGMENT_RULES
} | {"At Risk": ["at risk", "at-risk", "流失风险"], "Champions": ["champions", "冠军客户", "冠军"]}
# Everyday Chinese names of the RFM segments ("新客" is what marketers call New Customers).
for _name, _words in {
    "New Customers": ["新客", "新客户"],
    "Potential Loyalists": ["潜力客户", "潜在忠诚客户"],
    "Hibernating": ["沉睡客户", "休眠客户"],
    "Loyal Customers": ["忠诚客户", "忠实客户"],
    # The classic Chinese RFM scheme's top class (high R, F and M) is the Champions.
    "Champions": ["重要价值客户", "重要价值用户"],
}.items():
    SEGMENT_SYNONYMS.setdefault(_name, []).extend(_words)
# The lexicon's informal Chinese names ("沉睡那层的会员", "快睡着的那群人", "重要挽留客户"): one
# vocabulary with the copy reader's. Names of leaving ("快流失", "即将流失") stay out: said of
# customers they ask who will churn (a prediction), not for the At Risk segment.
# A value tier ("高价值客户", "大客户": lexicon value_tier_words) is asked about by name
# (copilot/offline/value_tiers.py), not read as the segment the copy reader takes it for.
_TIERS = [re.compile(p, re.I) for p in reader_words("value_tier_words")]
for _word, _name in load_lexicon().segment_aliases.items():
    if has_cjk(_word) and "流失" not in _word and not any(t.search(_word + "客户") for t in _TIERS):
        SEGMENT_SYNONYMS.setdefault(_name, []).append(_word)


def with_people_nouns(words: list[str]) -> list[str]:
    """The Chinese segment names with each people noun (lexicon reader_words.segment_people_zh):
    "沉睡客户" is also "沉睡用户" / "沉睡会员"; a name without one ("即将沉睡") takes each."""
    nouns = reader_words("segment_people_zh")
    extra = []
    for word in words:
        if not has_cjk(word):
            continue
        stem = next((word[: -len(n)] for n in nouns if word.endswith(n)), word)
        if len(stem) >= 2:
            extra += [stem + n for n in nouns]
    return list(dict.fromkeys([*words, *extra]))


SEGMENT_SYNONYMS = {name: with_people_nouns(words) for name, words in SEGMENT_SYNONYMS.items()}
_FEMALE = (r"women", r"woman", r"female", r"ladies", "女性", "女士", "女生", "女")
_MALE = (r"men", r"man", r"male", r"gentlemen", "男性", "男士", "男生", "男")
_AGE = lazy_compile(r"(\d{1,2})\s*(?:-|–|~|to|到|至)\s*(\d{1,2})\s*(?:岁|years?|y/?o)?")
_CROSS_SELL = lazy_compile(
    # "bought together" (never "put them together as a group": gathering the people).
    r"\balso (?:buy|bought|purchase)|\belse\b"
    r"|\b(?:bought|buys?|buying|purchased?|ordered|go(?:es)?)\s+(?:\w+\s+)?together\b|还(?:会)?买|一起买|搭配|同时购买",
    re.I,
)


def asks_to_save(question: Question) -> bool:
    """Whether the question explicitly asks to save / create a segment (lexicon
    reader_words.save_request)."""
    return bool(reader_pattern("save_request").search(question.raw))


# A straight apostrophe inside a word ("who've", "haven't") is a contraction, not a quote.
_QUOTED = lazy_compile(
    r"(?:(?<![A-Za-z])'|[\"“「《‘])([^\"”」》'’]{2,80})(?:'(?![A-Za-z])|[\"”」》’])"
)


# Words that mark a name as a segment's ("the New Customers segment", "新客客群").
_SEGMENT_MARK = lazy_compile(r"segment|\brfm\b|客群|分群|人群", re.I)


def names_the_segment(raw: str, word: str, metric_words: frozenset[str]) -> bool:
    """Whether an RFM segment's `word` in the question `raw` names the segment.

    A word that is also a metric's ("new customers", "新客": the count of first-time buyers
    of a period) is the metric unless written as a name ("New Customers"), quoted, or
    beside a segment word; read as the segment, "how many new customers this year" counted
    the RFM segments instead. An everyday word ("most promising") is no name either
    (`segment_word_in_passing`).
    """
    at = raw.lower().find(word.lower())
    if at >= 0 and segment_word_in_passing(raw, at, at + len(word)):
        return False  # "which channel looks most promising": an everyday word
    if word.lower() not in metric_words:
        return True
    if _SEGMENT_MARK.search(raw) or _QUOTED.search(raw):
        return True
    if at >= 0 and reader_pattern("segment_layer_after").search(raw[at + len(word) :]):
        return True  # "新客层", "新客群", "new customers tier": the segment's name
    written = raw[at : at + len(word)] if at >= 0 else ""
    return " " in written.strip() and written.istitle()


def segment_in(question: Question) -> str | None:
    """The segment a question names: an RFM segment by any of its words, a quoted name, or
    a saved segment by its stored name, unquoted ("export Chengdu VIPs for SMS": the store's
    saved-segment names are values the question reader found)."""
    saved = question.filters.get("segment", [])
    # A known segment name first: the quote in "Can't Lose Them" must not cut it to "Can";
    # but a saved segment's name holding an informal RFM word ("忠实大客户" holds 忠实) is
    # the saved one.
    found = _named_segments(question.raw.lower())
    if found and not (len(saved) == 1 and _named_segments(saved[0].lower())):
        return found[0]
    quoted = _QUOTED.search(question.raw)
    if quoted:
        return quoted.group(1).strip()
    return saved[0] if len(saved) == 1 else None


def _named_segments(text: str) -> list[str]:
    """The RFM segments the text names, hyphens read as spaces ("about-to-sleep"), without
    one set aside ("..., not the Hibernating ones": lexicon reader_words.contrast) while
    another is named."""
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    return named(without_contrasted(text), SEGMENT_SYNONYMS) or named(text, SEGMENT_SYNONYMS)


def channel_in(question: Question) -> str | None:
    """The channel named; of several, the one named as the destination ("for a social ads
    custom audience"), else the first."""
    found, destinations = _channels_and_destinations(question)
    if len(found) > 1 and len(destinations) == 1:
        return destinations[0]
    return found[0] if found else None


def _channels_and_destinations(question: Question) -> tuple[list[str], list[str]]:
    """The channels named, and those named after a destination word ("for", "用于")."""
    # "短信推送", "邮件推送": 推送 after a channel noun is the sending by that channel, not
    # the push channel (blanked, keeping the text's offsets).
    text = re.sub(r"(?<=短信|邮件)推送", "  ", question.raw.lower())
    found = named(text, CHANNEL_SYNONYMS)
    if len(found) < 2:
        return found, found
    destination = [re.compile(p) for p in reader_words("export_destination")]
    audience_of = [re.compile(p) for p in reader_words("export_audience_of")]
    spans = sorted(
        (start, end, name)
        for name, word in named_by(text, CHANNEL_SYNONYMS)
        for start, end in literal_spans(text, word, bounded=not has_cjk(word))
    )
    chosen: list[str] = []
    # Walk right to left so an audience noun shared by channels joined to each other
    # ("邮件和短信名单", "email and SMS lists") makes each of them a destination, not the last.
    shared = False
    for index in range(len(spans) - 1, -1, -1):
        start, end, name = spans[index]
        after = text[end : end + 16]
        joined = index + 1 < len(spans) and _joins(text[end : spans[index + 1][0]])
        shared = any(p.search(after) for p in audience_of) or (shared and joined)
        if shared or any(p.search(text[max(0, start - 16) : start]) for p in destination):
            chosen.append(name)
    return found, list(dict.fromkeys(reversed(chosen)))


def without_channel_audiences(question: Question) -> Question:
    """The question with each channel's audience noun blanked ("社交广告人群包", "the push
    audience", "短信名单"): the list an export is for, which names no segment to save."""
    raw = question.raw
    audience_of = [re.compile(p) for p in reader_words("export_audience_of")]
    text = raw.lower()
    for _name, word in named_by(text, CHANNEL_SYNONYMS):
        for _start, end in literal_spans(text, word, bounded=not has_cjk(word)):
            for pattern in audience_of:
                found = pattern.search(text[end : end + 16])
                if found:
                    stop = end + found.end()
                    raw = raw[:end] + " " * (stop - end) + raw[stop:]
                    break
    return Question(raw, question.language, raw.lower())


def _joins(between: str) -> bool:
    """Whether `between` is only a joiner of two values ("和", " and ", "、": lexicon
    value_siblings)."""
    found = reader_pattern("value_siblings").fullmatch(between)
    return found is not None


def _categories(question: Question) -> list[str]:
    found = named(question.text, CATEGORY_SYNONYMS)
    return list(dict.fromkeys([*question.filters.get("category", []), *found]))


def _measure_words(ctx: PlannerContext) -> list[str]:
    """Every word of a metric, measured ("购买频次") or not ("purchase funnel", "购买漏斗")."""
    words = [w for synonyms in metric_synonyms(ctx.semantic_model).values() for w in synonyms]
    return words + [w for group in load_lexicon().unsupported for w in group.words]


_CHURN_METRICS = frozenset({"churn_rate", "churned_customers"})


# People's conditions a metric query can filter by itself (city, gender ...): beside them alone, "bought
# something in the last 30 days" is the buyers metric, not a rule segment's count.
_METRIC_FILTERABLE = frozenset({"cities", "provinces", "genders", "languages", "signup_channels"})
# A purchase of anything ("bought something", "made a purchase", "下过单"): any valid order.
_ANY_PURCHASE = lazy_compile(
    r"\b(?:bought|purchased|ordered|shopped)\s+(?:something|anything|at\s+least\s+once)\b"
    r"|\b(?:made|placed)\s+(?:a|an|any|at\s+least\s+one)\s+(?:purchase|order)s?\b"
    r"|下过单|买过东西|有过购买|有购买|下单过|有过订单|有订单",
    re.I,
)


def read_rule_segment(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """define_segment arguments for "Shanghai women 25-35 who bought skincare ...", else None.

    A metric question about people ("the AOV for female customers") or a cross-sell
    question ("what do people who buy skincare also buy?") is not a segment; only
    "save / create a segment" saves one, anything else is counted without saving.
    """
    recency = recency_written_out(question.raw)
    if recency != question.raw:
        # "半年没下单": the duration of a negated order is the period it names.
        question = read_question(recency, ctx.values)
    explicit = asks_to_save(question)
    if not explicit and question.has(*reader_words("rfm")):
        # "RFM segments for women in Beijing": the RFM analysis asked, of people it cannot
        # narrow to (asked back by the guard), never a rule segment of those people instead.
        return None
    # A name given with a naming phrase ("call it X", 命名"X") asks for that segment by name
    # even without a save verb.
    named_phrase = segment_name_in(question.raw)
    given_name = _given_name(question, ctx) if explicit or named_phrase else None
    if given_name is not None:
        # The name is not a condition: "called Shanghai fans: women who bought makeup".
        name_text, question = given_name
    born = birth_condition(question.raw)
    if born is not None:
        # "born after 1995": the year is a birth year, never the period of a purchase.
        question = read_question(without_span(question.raw, born[1]), ctx.values)
    metric = named(question.text, metric_synonyms(ctx.semantic_model))
    # "bought baby products in 2025 but no order at all in 2026": people, not a metric.
    bought_said = reader_pattern("rule_purchase_verbs").search(question.raw)
    gap = order_gap(question, ctx.values) if bought_said else None
    # "3+ orders in total but none in the last 180 days": the count and the recency apart.
    recent = count_then_recency(question) if gap is None or "unheld" in gap else None
    if recent is not None:
        gap = None
    # "customers who went quiet in the last 60 days": ordered before, none since then.
    quiet = went_quiet_in(question) if gap is None and recent is None else None
    # "at risk of churning: nothing in 90 days, 3+ orders", "有流失风险的客户：…": with a count
    # and a recency read, the churn words describe those people, no churn figure.
    described = {"buyers", "orders"} | (
        _CHURN_METRICS if recent is not None or quiet is not None else set()
    )
    # Only a count of the people ("buyers") gives way to it; "revenue of ..." stays a metric.
    # The order words of the negation ("placed no orders") name no metric.
    people_only = False
    if gap is not None and "span" in gap:
        start, end = gap["span"]
        rest = question.text[:start] + " " * (end - start) + question.text[end:]
        people_only = set(named(rest, metric_synonyms(ctx.semantic_model))) <= {"buyers"}
    if (
        metric
        and set(metric) <= {"buyers"}
        and bought_said
        and any(not p.get("bought", True) for p in purchase_conditions(question, ctx.values))
    ):
        # "shoppers who bought apparel but never sports": the buyers metric cannot
        # leave out those who bought the other; the people with both conditions are counted.
        people_only = True
    if metric and set(metric) <= {"buyers"} and buys_each_of(question, ctx.values):
        # "shoppers who bought both skincare and baby": the buyers metric filtered on both
        # would count those who bought either; the people with each purchase are counted.
        people_only = True
    if (
        metric
        and set(metric) <= {"buyers"} | (_CHURN_METRICS if quiet is not None else set())
        and (quiet is not None or customer_languages(question.raw))
    ):
        # "shoppers who went dormant over 45 days", "shoppers: language = English": the people
        # with that recency or language setting, not a count of all buyers (or a churn figure).
        people_only = True
    if metric and set(metric) <= {"buyers", "orders"} and no_orders_in(question) is not None:
        # "customers with no orders in the last 60 days, how many", "近两个月没下过单的客户有多少":
        # the order words are the negation's, so the people with none are counted, never the
        # period's buyers or orders (the very people the question leaves out).
        people_only = True
    if (
        metric
        and set(metric) <= {"buyers", "orders"}
        and question.time_range
        and negated_order(question)
        and re.search(r"(?i)\bsince\b|以来|之后|以后", question.raw)
    ):
        # "shoppers who have not ordered since June": the people with no order since then,
        # never the buyers (or orders) since June, the very people it leaves out.
        people_only = True
    if metric and set(metric) <= {"buyers"} and spend_condition(question, []) is not None:
        # "shoppers who spent over 3,000 in all": the people with that spend, not a count of
        # all buyers.
        people_only = True
    # "customers with at least 3 orders last month", "下过3次及以上订单的人": a count of the
    # people with that many orders, never the orders' or the buyers' total. Two or more is
    # the repeat buyers' metric (MARKETING.md), read by the metrics reader.
    counted = order_count(question.raw)
    if counted is not None and not ({"repeat_buyers", "repurchase_rate"} & set(metric)):
        rest = question.text
        # (the order words of a negation beside it, "but haven't ordered since June", name
        # no orders metric: they are the rule's recency)
        negations = [m.span() for m in no_order_spans(question.text)]
        for start, end in [*counted.spans, *negations]:
            rest = rest[:start] + " " * (end - start) + rest[end:]
        counts_people = set(named(rest, metric_synonyms(ctx.semantic_model))) <= described
        if counted.unheld is not None and (counts_people or explicit):
            return None  # never counted without it: the count reader asks back
        people_only = people_only or counts_people
        if not counts_people:
            counted = None
    else:
        counted = None
    if (metric and not explicit and not people_only) or _CROSS_SELL.search(question.raw):
        return None
    if not explicit and question.has(*intent_cues("cross_sell_rules")):
        return None  # "people who buy X also pick up what?": the cross-sell's question
    if not explicit and _ASKS_ABOUT_OTHER.search(question.raw) and not _COUNTS.search(question.raw):
        # "which products do women buy most", "how did we do with men": a question about
        # something else of these people, not the size of the group.
        return None
    definition: dict[str, Any] = {}
    genders = question.filters.get("gender", [])
    # ("男女比例", "men and women over 40"): both named is no condition on either
    both = question.has(*_FEMALE) and question.has(*_MALE) and not genders
    if not both and (question.has(*_FEMALE) or genders == ["F"]):
        definition["genders"] = ["F"]
    elif not both and (question.has(*_MALE) or genders == ["M"]):
        definition["genders"] = ["M"]
    # (an age band written as the store's band, "25-34", is a value the text blanks: the
    # band's own bounds are the rule's ages)
    bands = question.filters.get("age_band", [])
    band = re.fullmatch(r"(\d+)-(\d+)", bands[0]) if len(bands) == 1 else None
    age = _AGE.search(question.text)
    if band:
        definition["min_age"], definition["max_age"] = int(band.group(1)), int(band.group(2))
    elif age and (
        # ("年龄35到44", "age 35 to 44": the numbers said after the word for age)
        re.search(r"岁|年龄|年纪", question.raw)
        or question.has("aged?", "ages?", "years?", r"\d+\s*-\s*\d+")
    ):
        low, high = sorted(int(x) for x in age.groups())
        definition["min_age"], definition["max_age"] = low, high
    else:
        # "women under 25", "25岁以下": one bound of the age.
        bound = age_bound(question.raw)
        if bound is not None:
            definition.update(bound[0])
    if born is not None:
        # "born after 1995", "90后": the birth year, as the store keeps it.
        definition.update(born[0])
    for key, field in (("city", "cities"), ("province", "provinces")):
        if question.filters.get(key):
            definition[field] = question.filters[key]
    categories = _categories(question)
    bought = bool(reader_pattern("rule_purchase_verbs").search(question.raw))
    spend = spend_condition(question, categories)
    net = reader_pattern("net_spend").search(question.raw) if spend else None
    if net:
        # "net spend above 3000": a segment's spend is before returns; asked, never saved gross.
        return AskBack(unplaced_question([net.group(0)], question.language))
    if spend:
        definition["spend"] = spend
    # Products and categories bought, or never bought ("bought X but never bought Y");
    # categories that only say where the spend went are not a purchase condition too.
    purchases = purchase_conditions(question, ctx.values) if bought else []
    spent_on = set(spend.get("categories", [])) if spend else set()
    purchases = [
        p for p in purchases if set(p.get("categories", [])) - spent_on or p.get("products")
    ]
    if gap is not None and "unheld" in gap:
        return None  # a condition the rule cannot hold is never dropped
    objects = (
        unplaced_purchase_objects(question.raw, ctx.values, _measure_words(ctx)) if bought else []
    )
    if objects:
        # "bought beauty": no store value; the rule would be saved without it.
        return AskBack(unplaced_object_question(objects, ctx.values, question.language))
    if gap is not None:
        # "bought baby products in 2025 but no order at all in 2026": each its own period.
        definition["purchases"] = gap["purchases"]
        if "orders" in gap:
            definition["orders"] = gap["orders"]
    elif purchases:
        if all(not p.get("bought", True) for p in purchases) and _period_is_the_counts(question):
            # "今年下单3次及以上、从来没买过运动类": the period is the count's clause, not
            # the purchase never made (never at all).
            purchases = [{k: v for k, v in p.items() if k != "period"} for p in purchases]
        definition["purchases"] = purchases
    elif categories and bought and not spent_on:
        purchase: dict[str, Any] = {"categories": categories}
        if question.time_range:
            purchase["period"] = question.time_range
        definition["purchases"] = [purchase]
    elif (
        set(definition) - _METRIC_FILTERABLE
        and bought
        and not spent_on
        and question.time_range
        and _ANY_PURCHASE.search(question.raw)
    ):
        # "born 1991-2001 ... bought something in the last 90 days": any valid order in the
        # period, beside the people's own conditions, never dropped (alone, "上个月买过东西的
        # 客户有几个" is the period's buyers, a metric)
        definition["purchases"] = [{"period": question.time_range}]
    # A channel the customers consented to ("with SMS consent") is their attribute, never
    # the channel their orders went through.
    refused, consents_given = refused_consents(question.raw)
    consented = consents(question, channel_in(question)) + refused
    ordered_via = [
        c
        for c in _order_channels(question, gap is not None or recent is not None, ctx)
        if c not in consented
    ]
    if ordered_via:
        _add_order_channels(definition, ordered_via, question)
    if question.filters.get("channel") and _SIGNED_UP.search(question.raw):
        # "signed up via the mini program", "注册渠道是小程序": the signup channel, a condition
        # of the people whether the segment is saved or only counted.
        # A channel consented to beside it ("小程序注册、开通了短信授权") is no signup channel.
        signed_up = [c for c in question.filters["channel"] if c not in consented]
        if signed_up:
            definition["signup_channels"] = signed_up
    if quiet is not None:
        definition.update(quiet)
        spent = definition.get("spend") or {}
        if spent.get("period") == quiet["last_order_before"]:
            # "last order before May 1 and spent over 3000": the one period said dates the
            # last order; the spend is over all time, never within that day.
            del spent["period"]
    elif gap is None and recent is None and not definition.get("purchases"):
        # "people with no purchase for half a year, as an audience", "60天没下单的人":
        # no order in the period, with nothing bought beside it, saved or only counted.
        recency = no_orders_in(question)
        if recency is not None:
            definition["orders"] = recency
    raw = question.raw.lower()
    if (
        question.time_range
        and re.search(r"since|以来|之后|以后", raw)
        and re.search(
            r"no orders?|not (?:ordered|bought)|haven'?t|hasn'?t|\bnothing\b|没有?|未", raw
        )
    ):
        # "since Double 11" names the event itself: no order after it ended.
        since = _since_period(question)
        if since is None and spend_period_before(question.raw) == question.time_range:
            # "spent 3,000 this year but nothing since May" with "May" unread: the period
            # read is the spend's, never the since's.
            unread = re.search(
                r"(?i)\bsince\s+[^\s,.;?!]+|[^\s，。；？！,]{1,6}(?:以来|之后|以后)", raw
            )
            words = [question.raw[unread.start() : unread.end()]] if unread else ["since"]
            return AskBack(unplaced_question(words, question.language))
        definition["no_order_since"] = since or re.sub(
            r"^(?:since|自从|自)\s*", "", question.time_range
        )
        for condition in (definition.get("spend"), definition.get("orders")):
            # "spent over 3,000 overall but nothing since May", "5+ orders in all but none
            # since June": the spend or the order count is over its own clause's period (all
            # time when it names none), never the since-period.
            said = since or definition["no_order_since"]
            if not condition or said not in (condition.get("period") or ""):
                continue
            own = spend_period_before(question.raw)
            if own is None:
                condition.pop("period", None)
            else:
                condition["period"] = own
        if since is None or since in question.time_range:
            # The purchase read from the since-period is the negated order itself; one of
            # another period ("bought skincare last year but nothing since March") stays.
            definition.pop("purchases", None)
    churn = churn_probability_bound(question.raw)
    if churn is not None:
        # "流失概率高于0.6": the latest predicted churn probability, at least the bound.
        definition["min_churn_probability"] = churn[0]
    channel = channel_in(question)
    agreed = consents(question, channel)
    if refused:
        # "同意短信 但 不同意邮件": the consent refused is a condition of its own, and the
        # consents given are read from the rest.
        definition["no_consents"] = refused
        agreed = consents_given
    if agreed:
        definition["consents"] = agreed
    # "language = English", "whose language is Chinese": the customers' own language setting,
    # a condition of the people whether the segment is saved or only counted.
    languages = customer_languages(question.raw)
    if languages:
        definition["languages"] = languages
    if explicit:
        _add_explicit_conditions(question, definition)
        if recent is not None:
            definition.update(recent)
        if (
            question.time_range
            and not _NEGATED.search(question.raw)
            and not (set(definition) & {"purchases", "orders", "spend", "no_order_since"})
            and reader_pattern("rule_ordered_any").search(question.raw)
        ):
            # "近三个月有下单", "ordered in the last 3 months": at least one valid order then.
            definition["orders"] = {"min": 1, "period": question.time_range}
        never_bought = any(not p.get("bought", True) for p in definition.get("purchases", []))
        if (
            _NEGATED.search(reader_pattern("consent_refused").sub(" ", question.raw))
            and "no_order_since" not in definition
            and (definition.get("orders") or {}).get("max") != 0
            and not never_bought
            and gap is None
            and recent is None
        ):
            return None  # "no order in the last 6 months" cannot be dropped from the rule
        held = _DEFINABLE | (
            {"channel"}
            if "signup_channels" in definition or agreed or refused or ordered_via
            else set()
        )
        held |= {"language"} if "languages" in definition else set()
        # (an open band, "25岁以下" / "55+", is a bound of the rule's ages as much as "25-34")
        held |= {"age_band"} if "min_age" in definition or "max_age" in definition else set()
        held |= {"product"} if any(p.get("products") for p in purchases) else set()
        if set(question.filters) - held:
            return None  # a condition the rule language cannot hold would be dropped silently
    bought_any = any(p.get("bought", True) for p in definition.get("purchases", []))
    if counted is not None and bought_any and _count_stands_apart(question.raw, counted):
        # "买过婴儿用品且今年订单数不少于2单", "bought baby items and has 2+ orders this year":
        # the count of all orders in a clause of its own; the period said in it is the count's.
        if _period_is_the_counts(question):
            definition["purchases"] = [
                {k: v for k, v in p.items() if k != "period"} for p in definition["purchases"]
            ]
        definition["orders"] = _order_count_rule(counted, question, definition)
        counted = None
    if counted is not None and definition.get("purchases") and (bought_any or recent is not None):
        # "bought skincare at least 3 times": the rule counts all of a customer's orders,
        # not those of one category or product; never read as all orders. (A spend condition
        # is over all of the customer's orders too, so "spent over 5000 with 3+ orders" holds.)
        # Beside a purchase never made ("3+ orders, never bought sports") the count is of
        # all orders: nothing bought to count (unless the negation was read as a recency).
        return None
    if counted is not None and not explicit:
        definition["orders"] = _order_count_rule(counted, question, definition)
        if recent is not None:
            definition.update(recent)
    if not explicit and _channel_only(definition):
        # "今年几个客户在app上买过东西": a plain count of the buyers through a channel over a
        # period is the buyers metric with that channel, not a rule segment.
        return None
    if (
        not explicit
        and question.time_range
        and definition
        and set(definition) <= {"genders", "cities", "provinces"}
        and not categories
        and not _NEGATED.search(question.raw)
        and (bought or reader_pattern("rule_ordered_any").search(question.raw))
    ):
        # "how many men placed an order in May", "五月有多少男性下单": the period's buyers
        # with that filter (the buyers metric), not a segment with no condition to hold
        # the period.
        return None
    people = bool(
        {"genders", "min_age", "max_age", "min_birth_year", "max_birth_year", "languages"}
        & set(definition)
    )
    if (
        not explicit
        and negated_order(question)
        and gap is None
        and recent is None
        and quiet is None
        and "no_order_since" not in definition
        and (definition.get("orders") or {}).get("max") != 0
        and not any(not p.get("bought", True) for p in definition.get("purchases", []))
    ):
        return None  # a negated order the rule does not hold is never dropped from the count
    if not people and not (
        definition.get("purchases")
        or definition.get("orders")
        or definition.get("last_order_before")
        or definition.get("no_order_since")
        or definition.get("spend")
        or counted is not None
    ):
        if not (explicit and definition):
            return None
    if (
        not genders
        # "language = English": the customers' own setting says whose list it is.
        and "languages" not in definition
        # 人 names the people beside an order count, or in a request to save them
        # ("把去年买过…的人存成分群").
        and not (
            (counted is not None or explicit or {"orders", "last_order_before"} & set(definition))
            and question.has(*reader_words("counted_people"))
        )
        and not question.has(*reader_words("audience_people"))
    ):
        return None
    # Every condition stated is in the rule, or asked about: one dropped saves another segment.
    category_words = named_by(question.text, CATEGORY_SYNONYMS)
    unplaced = unplaced_conditions(question.raw, definition, category_words)
    if not unplaced and question.time_range and not _carries_a_period(definition):
        # A period no condition carries ("...、最近三个月下过单的客户" with the order unread):
        # saved without it, the segment would be another one.
        unplaced = [question.time_range]
    if unplaced:
        return AskBack(unplaced_question(unplaced, question.language))
    # No name given: one made from the definition, which the answer shows.
    name = name_text if given_name is not None else generated_name(definition, question.language)
    args: dict[str, Any] = {"name": name, "definition": definition}
    if not explicit:
        args["save"] = False
    return args


def _carries_a_period(definition: dict[str, Any]) -> bool:
    """Whether any condition of the rule holds a period (a purchase, spend or order count
    within one, no order since one, a signup or last-order period, a birth year)."""
    timed = {"no_order_since", "signup_period", "last_order_before", "last_order_after"}
    timed |= {"min_birth_year", "max_birth_year"}
    if timed & set(definition):
        return True
    parts = [*definition.get("purchases", []), definition.get("spend"), definition.get("orders")]
    return any(isinstance(p, dict) and p.get("period") for p in parts)


def _since_period(question: Question) -> str | None:
    """The period right after "since" (or before 以来/之后), when the question names one:
    "spent 2000 this year but haven't ordered since August" is August, not this year."""
    raw, today = question.raw, planner_today()
    for match in reader_pattern("since_before").finditer(raw):
        found = find_period(raw[match.end() :], today)
        if found and found.span[0] == 0:
            phrase = clean_period_phrase(found.phrase(raw[match.end() :]))
            # "自从双十一以来": the event itself, without the 以来 the period took in.
            return re.sub(f"(?:{reader_pattern('since_after').pattern})$", "", phrase) or phrase
    for match in reader_pattern("since_after").finditer(raw):
        before = raw[: match.start()]
        # The longest period phrase that ends right before 以来 (the question's first period
        # may stand earlier: "今年消费满2000，8月以来没下单").
        for start in range(max(0, len(before) - 16), len(before)):
            found = find_period(before[start:], today)
            if found and found.span[0] == 0 and found.span[1] == len(before) - start:
                return clean_period_phrase(found.phrase(before[start:]))
    return None


def _count_stands_apart(raw: str, counted: OrderCount) -> bool:
    """Whether an order count is a condition of its own, joined to a purchase by a
    conjunction ("买过母婴且今年订单数不少于2单", "bought toys and has 3+ orders"): its
    clause names orders and buys nothing ("bought skincare 3+ times" counts the purchase)."""
    start = min(s for s, _ in counted.spans)
    end = max(e for _, e in counted.spans)
    joins = list(_COUNT_JOIN.finditer(raw, 0, start))
    if not joins:
        return False
    clause = raw[joins[-1].end() : end + 4]
    return bool(_ORDER_NOUN.search(clause)) and not reader_pattern("rule_purchase_verbs").search(
        clause
    )


_COUNT_JOIN = lazy_compile(r"(?i)并且|而且|且|同时|[,，;；、]|\band\b|\bwith\b")
_ORDER_NOUN = lazy_compile(r"(?i)订单|下单|\d+\s*单|\borders?\b")


def _period_is_the_counts(question: Question) -> bool:
    """Whether the question's period stands in the clause of an order count, with no
    negated purchase in that clause ("this year 3+ orders, never bought sports")."""
    raw = question.raw
    found = find_period(raw, planner_today())
    counted = order_count(raw)
    if found is None or counted is None:
        return False
    at = found.span[0]
    # A clause ends at a punctuation mark or where a relative clause begins ("five or more
    # orders in 2026 who never bought toys": the period is the count's, not the negation's).
    cuts = [0, len(raw)] + [
        m.start() for m in re.finditer(r"(?i)[,，、;；。]|\b(?:who|that|which|but)\b", raw)
    ]
    start = max(c for c in cuts if c <= at)
    end = min(c for c in cuts if c > at)
    if reader_pattern("negated_purchase").search(raw[start:end]):
        return False
    return any(start <= s < end for s, _ in counted.spans)


def _order_channels(question: Question, negated_elsewhere: bool, ctx: PlannerContext) -> list[str]:
    """The sales channels the orders went through ("ordered through the mini program",
    "在门店买过", "web shoppers": the channel said of the people who buy), or [] when the
    channel is a signup channel, a consent, or sits in a negation ("haven't ordered via the
    app" is asked back, never read as ordered). A negation in a clause of its own ("web
    shoppers who spent 2,000 but haven't ordered since July") leaves the channel read."""
    channels = question.filters.get("channel", [])
    if not channels or _SIGNED_UP.search(question.raw):
        return []
    raw = question.raw
    spans = [span for dim, _v, span in ctx.values.find(raw) if dim == "channel"]
    said_of_buyers = any(reader_pattern("channel_people").match(raw[end:]) for _start, end in spans)
    if not said_of_buyers and (
        negated_elsewhere or not reader_pattern("order_channel").search(raw)
    ):
        return []
    for start, end in spans or [(0, len(raw))]:
        cuts = [m.start() for m in _CLAUSE_CUT.finditer(raw)]
        begin = max([c for c in cuts if c <= start], default=0)
        finish = min([c for c in cuts if c >= end], default=len(raw))
        if _NEGATED.search(raw[begin:finish]):
            return []  # "haven't ordered via the app": the channel is in the negation
    return list(channels)


def _channel_only(definition: dict[str, Any]) -> bool:
    """The rule holds nothing but purchases through a channel over a period (no category,
    product, spend, count or person condition)."""
    purchases = definition.get("purchases", [])
    return (
        set(definition) == {"purchases"}
        and bool(purchases)
        and all(p.get("channels") and set(p) <= {"channels", "period"} for p in purchases)
    )


def _add_order_channels(
    definition: dict[str, Any], channels: list[str], question: Question
) -> None:
    """The orders' channel on every purchase bought, or a purchase of its own: any order
    through the channel within the question's period."""
    bought = [p for p in definition.get("purchases", []) if p.get("bought", True)]
    for purchase in bought:
        purchase["channels"] = channels
    if not bought:
        purchase = {"channels": channels}
        if question.time_range:
            purchase["period"] = question.time_range
        definition.setdefault("purchases", []).append(purchase)


# A segment noun opening a naming phrase ('segment "X":', '分群“X”：').
_SEGMENT_NOUN_LEAD = lazy_compile(
    r"\s*(?:segments?|audiences?|groups?|lists?|分群|人群包?|客群)\s*", re.I
)


def _given_name(question: Question, ctx: PlannerContext) -> tuple[str, Question] | None:
    """The name an explicit request gives (quoted, "called X", "name: X", "名为X", "叫X") and
    the question re-read without it, or None when no name is given."""
    quoted = _QUOTED.search(question.raw)
    found = segment_name_in(question.raw)
    if quoted and found and found.span[0] <= quoted.start() and quoted.end() <= found.span[1]:
        # 'call it "X"', 命名"X": the naming words go with the quoted name, never a condition.
        name, span = quoted.group(1).strip(), found.span
        lead = _SEGMENT_NOUN_LEAD.match(question.raw, span[0], quoted.start())
        if lead:
            # 'define a segment "X": ...': the segment noun before the name stays the request's.
            span = (lead.end(), span[1])
    elif quoted:
        name, span = quoted.group(1).strip(), quoted.span()
        rest = read_question(without_span(question.raw, span), ctx.values)
        inside = read_question(name, ctx.values)
        if not (rest.filters or rest.time_range) and inside.filters:
            # 'save a segment called "app buyers in Chengdu"': the quoted name is the only place
            # the rule is said, so it is both the name and the definition.
            unquoted = question.raw[: span[0]] + " " + name + " " + question.raw[span[1] :]
            return name, read_question(unquoted, ctx.values)
        return name, rest
    else:
        if found is None:
            return None
        name, span = found.name, found.span
    return name, read_question(without_span(question.raw, span), ctx.values)


_ASKS_ABOUT_OTHER = lazy_compile(
    r"^\s*(?:which|what|how (?:did|does|do|are|is|was|were)|why|when|where)\b"
    r"|哪些|哪个|哪款|什么|怎么样|表现|为什么",
    re.I,
)
_COUNTS = lazy_compile(
    r"\bhow many\b|\bnumber of\b|\bcount\b|\bsize\b|\bhow big\b|\bwho (?:are|is)\b"
    r"|多少|几个|几位|几人|规模|是谁|有谁",
    re.I,
)
_NEGATED = lazy_compile(
    r"\bno orders?\b|\bnot (?:ordered|bought)|\bhaven'?t|\bhasn'?t|\bnothing\b|没|未|不再", re.I
)
# The clauses of a question: a negation blocks only what its own clause says.
_CLAUSE_CUT = lazy_compile(
    r"(?i)\b(?:but|yet|while|though|although)\b|但(?:是)?|却|可是|[,，;；。]"
)
_DEFINABLE = {"city", "province", "gender", "category", "rfm_segment"}
_SIGNED_UP = lazy_compile(r"\bsign(?:ed)?[- ]?up|\bregister(?:ed)?\b|注册", re.I)


def _order_count_rule(
    counted: OrderCount, question: Question, definition: dict[str, Any]
) -> dict[str, Any]:
    """RuleDefinition's orders for an order-count condition, over the question's period
    ("2 or more orders in the last 90 days": the count is over that period)."""
    rule: dict[str, Any] = dict(counted.condition)
    # The period goes to the count unless a purchase took it ("3+ orders this year, never
    # bought sports": the never-bought purchase holds no period, the count has it).
    if question.time_range and not any(p.get("period") for p in definition.get("purchases", [])):
        rule["period"] = question.time_range
    since = definition.get("no_order_since")
    if since and since in (rule.get("period") or ""):
        # "5+ orders overall but nothing since June": the since-period is the lapse's; the
        # count is over its own clause's period (all time when it names none).
        own = spend_period_before(question.raw)
        if own is None or since in own:
            rule.pop("period", None)
        else:
            rule["period"] = own
    return rule


def _add_explicit_conditions(question: Question, definition: dict[str, Any]) -> None:
    """Conditions an explicit "save a segment: ..." may add: places, RFM segment, order count."""
    for key, field in (("city", "cities"), ("province", "provinces")):
        if question.filters.get(key):
            definition[field] = question.filters[key]
    raw = question.raw
    churn = churn_probability_bound(raw)
    if churn is not None:
        raw = without_span(raw, churn[1])  # "流失风险超过80%" is no At Risk segment
    segments = named(raw.lower(), SEGMENT_SYNONYMS)
    if segments:
        definition["rfm_segments"] = segments
    counted = order_count(question.raw)
    if counted is not None and not counted.unheld:
        definition["orders"] = _order_count_rule(counted, question, definition)


def write_rule_segment(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Size, share and the largest overlap of a new rule segment."""
    d = output.data
    overlap = d["overlaps"][0] if d.get("overlaps") else None
    values = {
        "segment": segment_name(d["segment"], language),
        "size": format_count(d["size"], language),
        "share": format_percent(d["share"], language),
    }
    if d["saved"]:
        text = tr(
            language,
            "The segment “{segment}” has {size} customers ({share} of all), saved.",
            **values,
        )
    else:
        text = tr(
            language,
            "The segment “{segment}” has {size} customers ({share} of all) (not saved).",
            **values,
        )
    text += _rule_window(d, language) + churn_scored_now(d, language)
    if overlap and overlap["overlap"]:
        text += "\n" + tr(
            language,
            "It overlaps {count} customers with “{other}” ({share} of this one).",
            count=format_count(overlap["overlap"], language),
            other=segment_name(overlap["segment"], language),
            share=format_percent(overlap["share_of_this"], language),
        )
    next_step = tr(
        language, "Next: profile this segment, or export its consented audience for a channel."
    )
    return f"{text}\n\n{next_step}"


def churn_scored_now(data: dict[str, Any], language: str) -> str:
    """Say that the churn scores the rule needed were computed for it now, with the date
    and the model's out-of-time AUC, so nobody has to know a prediction step exists."""
    scoring = data.get("churn_scored_now")
    if not scoring:
        return ""
    return "\n" + tr(
        language,
        "Churn scores were computed now for this ({count} customers as of {date}; out-of-time "
        "model AUC {auc} vs {baseline_auc} for a recency-only baseline) and stored for later "
        "segments.",
        count=format_count(scoring["scored_customers"], language),
        date=scoring["as_of"],
        auc=format_number(scoring["model_auc"], language, 3, fixed=True),
        baseline_auc=format_number(scoring["baseline_auc"], language, 3, fixed=True),
    )


def _rule_window(data: dict[str, Any], language: str) -> str:
    """The periods the rule's conditions were counted over, and an order count's bound ("2
    or more": "两次以上" includes two, as the order-count reader reads it), so a count is
    never given without its window."""
    lines = []
    orders = data.get("conditions", {}).get("orders") or {}
    if orders.get("min") is not None and orders.get("max") is None:
        lines.append(
            tr(
                language,
                "Counted: customers with {count} or more valid orders.",
                count=format_count(orders["min"], language),
            )
        )
    if data.get("periods"):
        windows = dict.fromkeys(
            v.split(" (")[0].replace("..", " – ") for v in data["periods"].values()
        )
        shown = tr(language, ", ").join(windows)
        lines.append(tr(language, "Period: {periods}.", periods=shown))
    return "".join("\n" + line for line in lines)


def read_profile(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """profile_segment arguments for "describe the Champions segment", else None."""
    if not question.has(
        r"describe",
        r"summari[sz]e",
        r"characteri[sz]e",
        r"profile",
        r"portrait",
        r"look like",
        r"who are",
        r"tell me about",
        r"snapshot",
        r"analy[sz]e",
        r"demographics?",
        "分析一下",
        "主要在哪",
        "喜欢买什么",
        "画像",
        "特征",
        "什么样",
        "描述",
        "介绍",
        *load_lexicon().task_cues.get("profile_segment", ()),
    ) and not asks_traits_spread(question):
        return None
    segment = segment_in(question)
    if segment:
        return {"segment": segment}
    portrait = reader_pattern("persona_portrait").sub(" ", question.text)
    if Question(question.raw, question.language, portrait).has(*reader_words("personas")):
        return None  # "跑个聚类画像", "cluster portraits": the clustering's personas, no segment
    unknown = unknown_segment(question, ctx.values) or described_group(question)
    return AskBack(unknown) if unknown else None


def asks_traits_spread(question: Question) -> bool:
    """Whether the question asks how a group spreads over two or more of its members' traits
    ("性别、城市、年龄分布", "gender and age mix"): beside a named segment, that segment's
    profile, which holds every trait (a single trait is a metric by that breakdown)."""
    traits = [w for w in reader_words("profile_traits") if question.has(w)]
    asked = [w for w in reader_words("profile_trait_asks") if question.has(w)]
    if asked:
        # "多大 住哪 爱买啥", "what category they like and which channel they buy from": the
        # traits asked in plain words, no spread word needed.
        return len(traits) + len(asked) >= 2
    if not question.has(*reader_words("profile_spread")):
        return False
    return len(traits) >= 2


def asks_where_they_buy(question: Question) -> bool:
    """Whether a channel question asks where a group shops ("which channel do they buy from",
    "在哪个渠道买"): the order channel of its members, a trait of its profile, not the channel
    to reach it by."""
    asks = reader_words("profile_trait_asks")
    return question.has(*(w for w in asks if "渠道" in w or "channel" in w))


def write_profile(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The segment's size and its most distinguishing features with their index."""
    d = output.data
    lines = [
        tr(
            language,
            "“{segment}” has {size} customers ({share} of all). What sets them apart:",
            segment=segment_name(d["segment"], language),
            size=format_count(d["size"], language),
            share=format_percent(d["share"], language),
        )
    ]
    lines += [
        tr(
            language,
            "- {feature}: {segment} vs {baseline} overall ({index}x)",
            feature=profile_feature(h["feature"], language),
            segment=format_percent(h["segment"], language),
            baseline=format_percent(h["baseline"], language),
            index=format_number(h["index"], language, 1),
        )
        for h in d["highlights"]
    ]
    ltv = d["values"].get("historical LTV per buyer")
    if ltv and ltv["segment"] is not None:
        lines.append(
            tr(
                language,
                "- historical LTV per buyer {segment} vs {baseline}",
                segment=format_money(ltv["segment"], language, ctx.currency),
                baseline=format_money(ltv["baseline"], language, ctx.currency),
            )
        )
    if d["send_time"]["hour"]:
        lines.append(
            tr(
                language,
                "- best open rate when sent: {weekday} {hour}",
                weekday=weekday_name(d["send_time"]["weekday"] or "", language),
                hour=d["send_time"]["hour"],
            )
        )
    lines.append(
        "\n"
        + tr(
            language,
            "The full profile is in the table. Next: write copy for these traits, or export the audience.",
        )
    )
    return "\n".join(lines)


def read_send_time(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """best_send_time arguments for "best time to send SMS to at-risk customers", else None."""
    if question.has(*reader_words("send_time_rules")):
        return None  # "after what hour may we not send?" is a rule for the guidelines
    if not question.has(*reader_words("send_time")):
        return None
    raw = Question(question.raw, question.language, question.raw.lower())
    messaging = raw.has(*reader_words("send_time_messaging"))
    shopping = raw.has(*reader_words("send_time_sales"))
    if not messaging and (shopping or _names_sales_metric(question, ctx)):
        return None  # "which hour do most orders come in": a metric by hour, not a send time
    args: dict[str, Any] = {}
    segment, channel = segment_in(question), channel_in(question)
    if not segment and _EACH_SEGMENT.search(question.raw):
        # "best send time for each RFM segment": one call per segment, as the segment asks.
        return [
            {"segment": rule.name} | ({"channel": channel} if channel else {})
            for rule in SEGMENT_RULES
        ]
    if segment:
        args["segment"] = segment
    else:
        described = described_group(question)  # "customers who buy at night": not everyone
        if described:
            return AskBack(described)
    if channel:
        args["channel"] = channel
    chosen = replace(question, text=without_contrasted(question.text))  # not "not opens"
    if chosen.has(r"clicks?", r"click rate", "点击"):
        args["metric"] = "click"
    return args


# "for each segment", "per RFM segment", "每个分群": one answer per segment.
_EACH_SEGMENT = lazy_compile(
    r"\b(?:each|every|per|all|across|by)\s+(?:rfm\s+)?(?:segments?|groups?|audiences?)\b"
    r"|各(?:个)?(?:rfm)?(?:分群|人群|客群)|每(?:个|一个)(?:rfm)?(?:分群|人群|客群)|所有(?:分群|人群|客群)"
    r"|按(?:rfm)?(?:分群|人群|客群)",
    re.I,
)
# Message metrics a send-time question may name (the rates it optimises).
_MESSAGE_METRICS = {"open_rate", "opens", "ctr", "clicks", "click_to_open_rate", "delivered"}


def _names_sales_metric(question: Question, ctx: PlannerContext) -> bool:
    """Whether the question names a metric other than the message rates a send time uses."""
    if ctx.semantic_model is None:
        return False
    found = named(question.text, metric_synonyms(ctx.semantic_model))
    return any(metric not in _MESSAGE_METRICS for metric in found)


# What a fallback pick was measured on, when the segment had too few messages.
_FALLBACKS = {
    "channel": N_(" (too few messages for the segment: channel-level fallback)"),
    "store": N_(" (too few messages for the segment: store-level fallback)"),
}
_PICKS = {"best_hour": N_("best hour"), "best_weekday": N_("best weekday")}
_SEND_RATES = {"open": N_("open rate"), "click": N_("click rate")}


def write_send_time(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The best hour and weekday, their rate, and whether a fallback was used."""
    d = output.data
    who = segment_name(d["segment"], language) if d["segment"] else tr(language, "all customers")
    parts = []
    for key, name in _PICKS.items():
        pick = d[key]
        if pick is None:
            continue
        note = tr(language, _FALLBACKS[pick["level"]]) if pick["fallback"] else ""
        parts.append(
            tr(
                language,
                "- {pick}: {label}, {rate_name} {rate} over {delivered} delivered{note}",
                pick=tr(language, name),
                label=weekday_name(pick["label"], language),
                rate_name=tr(language, _SEND_RATES[d["metric"]]),
                rate=format_percent(pick["rate"], language),
                delivered=format_count(pick["delivered"], language),
                note=note,
            )
        )
        moved = pick.get("moved_from")
        if moved:  # the best raw hour fell in quiet hours (playbook or COPILOT_QUIET_HOURS)
            parts.append(
                tr(
                    language,
                    "  (the best raw hour, {hour}, falls in the quiet hours {windows}; moved)",
                    hour=moved["label"],
                    windows=", ".join(q["window"] for q in d.get("quiet_hours", [])),
                )
            )
    if d["channel"]:
        head = tr(
            language,
            "Best time to reach {who} by {channel}:",
            who=who,
            channel=channel_name(d["channel"], language),
        )
    else:
        head = tr(language, "Best time to reach {who}:", who=who)
    personal = tr(
        language,
        "{count} customers have enough history for a personal send hour (table).",
        count=format_count(d["customers_with_personal_time"], language),
    )
    next_step = tr(language, "Next: compare channels by cost per conversion.")
    return f"{head}\n" + "\n".join(parts) + f"\n{personal}\n\n{next_step}"


def asks_for_export(question: Question) -> bool:
    """Whether the question asks for an audience export: an export verb, or a list or file
    of contacts (the lexicon's `export_request`)."""
    return question.has(*reader_words("export_request"))


def read_export(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """export_audience arguments for "export the At Risk segment for SMS", else None."""
    if not asks_for_export(question):
        return None
    segment, channel = segment_in(question), export_channel(question)
    if not segment and channel:
        unknown = unknown_segment(question, ctx.values)
        return AskBack(unknown) if unknown else None
    if segment and not channel and reader_pattern("no_channel_contact").search(question.raw):
        # "导出给客服打电话": a list holds only the customers who consented to its channel,
        # so a contact that is no channel here is named and the channel asked.
        return AskBack(_which_export_channel(question))
    if not segment:
        return None
    if isinstance(channel, AskBack):
        return channel
    narrowed = _export_narrowed(question, segment, ctx)
    if narrowed:
        return AskBack(narrowed)
    if not channel and not reader_pattern("no_channel_contact").search(question.raw):
        channel = _channel_of_identifier(question)  # "the phone numbers of Champions": SMS
    if not channel:
        channel = _channel_of_verb(question)  # "how many Champions can we text?": SMS
    if not channel and _asks_how_many(question):
        return None  # "Champions名单里有多少人": the list's size, a count, not its export
    if not channel and question.has(*reader_words("churn_prediction")):
        # "流失风险高的客户名单": the customers the churn model ranks highest, not the RFM
        # segment At Risk that 风险 names; the churn reader lists them.
        return None
    # No channel named ("export Champions as a csv", "把这批人导出来"): the members with each
    # channel's consent flag and no contact data (tools/audience_export.py), which says so.
    args: dict[str, Any] = {"segment": segment} | ({"channel": channel} if channel else {})
    if question.has(*_RAW_REQUEST):
        args["raw"] = True
    if question.has(r"hash(?:ed)?", r"customer match", r"ad platform", "哈希", "加密", "广告匹配"):
        args["hashed"] = True
    return args


# A channel said as the verb of reaching people ("can we text", "can I email them", "ok to
# push"): the channel the count or list is for.
_CHANNEL_VERB = re.compile(
    r"(?i)\b(?:can|could|may)\s+(?:we|i|you)\s+(?:still\s+)?(?P<verb>text|sms|e-?mail|push)\b"
)
_VERB_CHANNEL = {"text": "sms", "sms": "sms", "email": "email", "e-mail": "email", "push": "push"}


def _channel_of_verb(question: Question) -> str | None:
    """The channel named by the verb of reaching people ("how many Champions can we text?"),
    else None."""
    found = _CHANNEL_VERB.search(question.raw)
    return _VERB_CHANNEL[found.group("verb").lower()] if found else None


# The identifier a list is asked with names the channel it is for: phone numbers are the
# SMS channel's, email addresses the email channel's.
_IDENTIFIER_CHANNEL = (
    (
        re.compile(
            r"\b(?:phone|mobile|cell)(?:\s+|-)?(?:numbers?|nos?\.?|#s?)\b|手机号|电话号码?|手机号码",
            re.I,
        ),
        "sms",
    ),
    (
        re.compile(r"\bemail\s+(?:addresses|address)\b|\bemails?\s+list\b|邮箱地址|邮箱", re.I),
        "email",
    ),
)


def _channel_of_identifier(question: Question) -> str | None:
    """The channel whose identifier the export asks for ("the phone numbers of Champions":
    sms), when only one is; else None."""
    found = {channel for pattern, channel in _IDENTIFIER_CHANNEL if pattern.search(question.raw)}
    return found.pop() if len(found) == 1 else None


def _export_narrowed(question: Question, segment: str, ctx: PlannerContext) -> str | None:
    """A question back when an export is narrowed by a value beside its segment ("Champions
    in Shanghai", "女性的At Risk客户"): the export takes a whole segment, so the value would be
    dropped; a rule segment holding both is the way (named), never the whole segment sent."""
    kept = {"rfm_segment", "segment", "channel", "variant"}
    values = [v for d, vs in question.filters.items() if d not in kept for v in vs]
    if not values:
        return None
    # each value as the question writes it ("Shanghai", "women")
    said = ctx.values.written_as(question.raw)
    values = [said.get(v, v) for v in values]
    language = question.language
    return tr(
        language,
        "An export takes a whole segment, so I can't limit {segment} to {values}, and I won't "
        "export all of {segment} instead. Save a segment that holds both first (“create a "
        "segment: {segment} + {values}”), then export it.",
        segment=segment_name(segment, language),
        values=join_list(values, language),
    )


def _asks_how_many(question: Question) -> bool:
    """Whether the question asks a count ("how many", "多少"), the counting words of
    segment_admin's customer counts."""
    from copilot.offline.intents.segment_admin import _HOW_MANY

    return question.has(*_HOW_MANY)


def _which_export_channel(question: Question) -> str:
    """The question back for an export whose channel is not said: the channels it can be
    for; a contact that is no marketing channel here ("打电话", "call them") named."""
    language = question.language
    channels = tr(language, ", ").join(channel_name(c, language) for c in CHANNEL_SYNONYMS)
    contact = reader_pattern("no_channel_contact").search(question.raw)
    if contact:
        return tr(
            language,
            "“{word}” is not a marketing channel the store holds consent for, so I can't "
            "export a list for it. An audience list keeps only the customers who consented "
            "to its channel: {channels}. Which one should it be for?",
            word=contact.group(0),
            channels=channels,
        )
    return tr(
        language,
        "Which channel is this audience for: {channels}? The export keeps only the customers "
        "who consented to it and carries the identifiers that channel uses.",
        channels=channels,
    )


def export_channel(question: Question) -> str | AskBack | None:
    """The channel an export is for: the one channel named, or of several the one named as
    the destination ("hashed emails of X for a social ads custom audience" is for social:
    the emails are the identifiers it carries); two destinations or none: ask which."""
    found, chosen = _channels_and_destinations(question)
    if len(found) < 2:
        return found[0] if found else None
    if len(chosen) == 1:
        return chosen[0]
    language = question.language
    names = [channel_name(c, language) for c in found]
    either = reduce(lambda a, b: tr(language, "{first} or {second}", first=a, second=b), names)
    return AskBack(
        tr(
            language,
            "Which channel is this audience for: {channels}? The export carries the "
            "identifiers that channel uses.",
            channels=either,
        )
    )


# Raw personal data needs words that ask for it; "完整" / "complete" / "full" only mean
# the whole list (every consented customer), which the masked export already is.
_RAW_REQUEST = (
    r"raw",
    r"unmasked",
    r"full contact (?:details|data|info\w*)",
    r"with (?:their |the )?(?:phone numbers?|phones|mobile numbers?|emails?|email addresses"
    r"|contact details)",
    r"including (?:their |the )?(?:phone numbers?|phones|emails?|email addresses)",
    "明文",
    "未脱敏",
    "不脱敏",
    r"(?:含|带|包含|附带|附上)(?:完整的?)?(?:手机号|电话|邮箱|联系方式)",
)


def write_export(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Rows exported, consent exclusions and the files written."""
    d = output.data
    files = "\n".join(f"- {k}: {v}" for k, v in d["files"].items())
    if d["channel"] is None:
        text = tr(
            language,
            "{segment}: {rows} customers, with their consent flags per channel and no contact "
            "data (no channel was named). Consented: {consents}. For a contact list, say the "
            "channel: it keeps only the customers who consented to it.",
            segment=segment_name(d["segment"], language),
            rows=format_count(d["rows"], language),
            consents=tr(language, ", ").join(
                tr(
                    language,
                    "{channel} {count}",
                    channel=channel_name(c, language),
                    count=format_count(n, language),
                )
                for c, n in d["consented"].items()
            ),
        )
        if files:
            text += "\n" + tr(language, "Files written:") + f"\n{files}"
        return text
    text = tr(
        language,
        "{segment} for {channel}: {rows} consented customers ({excluded} excluded for no consent).",
        segment=segment_name(d["segment"], language),
        channel=channel_name(d["channel"], language),
        rows=format_count(d["rows"], language),
        excluded=format_count(d["excluded_no_consent"], language),
    )
    if files:
        text += "\n" + tr(language, "Files written:") + f"\n{files}"
    elif "pending_action" not in d:  # a file awaiting confirmation is named under the answer
        text += "\n" + tr(
            language, "The preview is masked; ask for a raw or hashed export to get a file."
        )
    return text


def _asks_sentiment(question: Question) -> bool:
    return question.has(r"sentiment", r"positive", r"negative", "情感", "正面", "负面")


def counts_reviews(question: Question) -> bool:
    """Whether the question counts or ranks reviews (lexicon review_count) and asks no
    sentiment: a count over the reviews table, not the feeling read from their text."""
    return bool(reader_pattern("review_count").search(question.raw)) and not _asks_sentiment(
        question
    )


def read_sentiment(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """review_sentiment arguments for "how do customers feel about skincare?", else None."""
    if any(word_occurs(p, question.raw.lower()) for p in reader_words("campaign_review")):
        return None  # "活动效果复盘": a review of campaign results is campaign metrics
    if counts_reviews(question) or (
        question.has(r"how many", r"number of", r"count", "多少条", "几条", "一共有多少")
        and not _asks_sentiment(question)
    ):
        return None  # a count (of reviews, complaints ...) is a count, not a sentiment analysis
    if question.has(*reader_words("unreviewed")):
        return None  # "products never reviewed": the catalogue's products no review names
    if reader_pattern("write_verbs").search(question.raw) and not question.has(
        r"sentiment", r"reviews?", "情感", "评论", "评价", "口碑", "差评"
    ):
        return None  # "write a complaint letter to the landlord": a letter, not the reviews
    raw = reader_pattern("meeting_reviews").sub(lambda m: " " * len(m.group(0)), question.raw)
    if raw != question.raw and not re.search(
        r"(?i)sentiment|feel about|\breviews?\b|complain|情感|评论|评价|口碑|差评", raw
    ):
        return None  # "the regional review", "季度复盘会": a meeting, not customers' reviews
    if not question.has(
        r"sentiment",
        r"feel about",
        r"reviews?",
        r"complain\w*",
        "情感",
        "评论",
        "评价",
        "口碑",
        "差评",
    ):
        return None
    if _reviews_only_describe_customers(question, ctx):
        return None  # "orders from customers who left a review": a metric over them, asked back
    if question.filters.get("product"):
        return None  # "how do buyers feel about the Robot Vacuum": no one product's reviews
    if reader_pattern("star_rating").search(question.raw) and not reader_pattern(
        "review_feeling"
    ).search(question.raw):
        # "avg star rating of ...", "share of 1-2 star reviews by language", "评分低于3分的
        # 商品": the stars given (SQL over reviews, or asked back), not the text's sentiment
        return None
    args: dict[str, Any] = {}
    if question.has(r"products?", r"by product", "商品", "产品"):
        args["by"] = "product"
    elif question.has(r"segments?", "分群", "人群"):
        args["by"] = "segment"
    categories = _categories(question)
    if categories:
        args["category"] = categories[0]
        args.setdefault("by", "product")
    segment = segment_in(question)
    if segment:
        args["segment"] = segment
    if question.time_range:
        args["time_range"] = question.time_range
    return args


_REVIEW_WORDS = lazy_compile(
    r"(?i)sentiment|feel about|\breviews?\b|complain|情感|评论|评价|口碑|差评|点评"
)


def _reviews_only_describe_customers(question: Question, ctx: PlannerContext) -> bool:
    """Whether the reviews are only a condition on the customers a metric is asked over
    ("orders in October from customers who left a review", "写过评价的客户的销售额"): with
    the clause set aside (lexicon population_clause with a reviews population_events word),
    no review word is left and a metric is named. That question is the metric's, over a
    population no filter reads (copilot/offline/accounting.py asks it back), never the
    reviews' sentiment."""
    events = reader_pattern("population_events")
    spans = [
        found.span("clause")
        for pattern in reader_words("population_clause")
        for found in re.finditer(pattern, question.raw, re.I)
        if (event := events.search(found.group("clause"))) and event.lastgroup == "reviews"
    ]
    if not spans:
        return False
    rest = reduce(without_span, spans, question.raw)
    return not _REVIEW_WORDS.search(rest) and bool(metrics_named(rest, ctx.semantic_model))


def write_sentiment(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Mean sentiment, share negative, the weakest group and the top complaints."""
    d = output.data
    corr = d["rating_correlation"].get("overall")
    lines = [
        tr(
            language,
            "{reviews} reviews, mean sentiment {mean} (-1 negative .. +1 positive), "
            "{negative} negative.",
            reviews=format_count(d["reviews"], language),
            mean=format_number(d["mean_sentiment"], language, 2, fixed=True),
            negative=format_percent(d["share_negative"], language),
        ),
        tr(
            language,
            "Most negative: {negative}; most positive: {positive}.",
            negative=d["most_negative"],
            positive=d["most_positive"],
        ),
    ]
    if d["themes"]:
        themes = tr(language, "; ").join(d["themes"])
        lines.append(tr(language, "Top complaints: {themes}.", themes=themes))
    if corr is not None:
        lines.append(
            tr(
                language,
                "Sentiment correlates with star rating at {correlation} (sanity check).",
                correlation=format_number(corr, language, 2, fixed=True),
            )
        )
    next_step = tr(language, "Next: fix the top complaint themes with the product or service team.")
    return "\n".join(lines) + "\n\n" + next_step


RULE_SEGMENT_INTENT = Intent(
    tool="define_segment", read=read_rule_segment, write=write_rule_segment
)
PROFILE_INTENT = Intent(tool="profile_segment", read=read_profile, write=write_profile)
SEND_TIME_INTENT = Intent(tool="best_send_time", read=read_send_time, write=write_send_time)
EXPORT_INTENT = Intent(tool="export_audience", read=read_export, write=write_export)
SENTIMENT_INTENT = Intent(tool="review_sentiment", read=read_sentiment, write=write_sentiment)
AUDIENCE_INTENTS = [
    EXPORT_INTENT,
    SEND_TIME_INTENT,
    PROFILE_INTENT,
    SENTIMENT_INTENT,
    RULE_SEGMENT_INTENT,
]
