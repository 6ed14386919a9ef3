"""Accounting for every word of a metric question before answering it.

A number computed after silently dropping "in Atlantis" or "by loyalty tier"
answers a different question than the one asked. So before a metric question
is sent to a tool, every content word must be placed (a metric, a breakdown, a
store value, a period, or a function word of the lexicon); otherwise the
planner asks a clarifying question that names the words and offers the
closest names it does know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, reduce
from typing import Any

from rapidfuzz import fuzz, process

from copilot.offline.clock import planner_today
from copilot.offline.festivals import unknown_event_problem
from copilot.offline.intents.base import PlannerContext
from copilot.offline.numeric_dates import ambiguous_date_problem
from copilot.offline.question import (
    Question,
    clean_period_phrase,
    disagreeing_length,
    municipalities_as_provinces,
    names_two_periods,
    word_occurs,
)
from copilot.offline.restated import ratio_of, restated_ratios
from copilot.offline.value_tiers import membership_problem, value_tier_problem
from copilot.offline.vocabulary import (
    blank,
    blanked_known_words,
    cjk_residue,
    dimension_synonyms,
    glossed_by_segment,
    load_lexicon,
    metric_qualifiers,
    metric_synonyms,
    metric_word_pattern,
    orders_of_a_value_spans,
    reader_pattern,
    reader_words,
    suggestions,
    unplaced_words,
    unsupported_in,
    value_name,
    without_negated,
)
from copilot.outcome import Refusal  # an honest "cannot" (status refused), still a str
from copilot.unicode_text import CJK_CHARS, has_cjk, starts_cjk
from knowledge.place_names import CITY_NAMES_EN, PROVINCE_NAMES_EN
from knowledge.presentation.messages import join_list, tr
from knowledge.semantic import SemanticModel
from knowledge.time_ranges import PeriodMatch, find_period
from knowledge.time_ranges.grammar import ends_an_open_period
from knowledge.time_ranges.numerals import to_int


def unsupported_problem(
    question: Question, ctx: PlannerContext, measured: frozenset[str] = frozenset()
) -> str | None:
    """A refusal naming the thing asked about when the semantic model does not measure it;
    `measured`: the lexicon's unsupported groups the chosen call answers itself (valid orders
    counted per weekday in SQL answer "day_of_week")."""
    model = ctx.semantic_model
    known_metrics = blank(question.text, [w for ws in metric_synonyms(model).values() for w in ws])
    found = unsupported_in(known_metrics, model)
    whole = unsupported_in(question.text, model)
    if found is None and whole is not None:
        # An unmeasured phrase holding a metric's word and more ("average revenue per user",
        # "每用户平均收入"): the phrase is what is asked, not its metric word alone.
        rest = blank(whole[1], [w for ws in metric_synonyms(model).values() for w in ws])
        if rest.strip() and rest.strip() != whole[1].strip():
            found = whole
    if found is None or found[0].metric in measured:
        return None
    missing, word = found
    if whole is not None and word in whole[1] and len(whole[1]) > len(word):
        # "gross margin": "gross" alone names gross sales, but the whole phrase is unmeasured.
        missing, word = whole
    offered = [m for m in missing.offer if m in model.metrics]
    # Other words of the question nothing places ("Yoga Pants sell-through" where the store
    # sells no Yoga Pants, "珠宝类目的动销"): named too, so the reply asks about every word it
    # could not read, not only the unmeasured one.
    # A preposition that only introduces the unmeasured word ("under IFRS 15", "on a GAAP
    # basis") belongs to its phrase, not to another thing asked.
    phrase = re.search(
        r"(?:\b(?:under|on|per|by|in|using|with|as)\s+(?:an?\s+|the\s+)?)?" + re.escape(word),
        question.text,
        re.I,
    )
    others = [
        w
        for w in unplaced_words(blank(question.text, [phrase.group(0) if phrase else word]), model)
        if w != word
    ]
    written = re.search(re.escape(word), question.raw, re.I)
    word = written.group(0) if written else word
    # ("impressions + cpm"): every word of the unmeasured thing said is named, not the first
    also = [
        found.group(0)
        for w in sorted(missing.words, key=len, reverse=True)
        if w.lower() not in word.lower()
        and (found := re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", question.raw, re.I))
        and found.group(0).lower() not in word.lower()
    ]
    if also:
        word = "”, “".join([word, *dict.fromkeys(also)][:3])
    if others:
        return tr(
            question.language,
            "I can't measure “{word}” ({metric}): the store's semantic model has no such "
            "metric, and I won't answer with a different one instead. I also don't know "
            "{others} in this store. What would you like to know instead?",
            word=word,
            metric=missing.name_in(question.language),
            others=join_list([_as_written(w, question.raw) for w in others[:3]], question.language),
        )
    if offered:
        # A near metric the model has (CAC payback: CAC, ROI) is offered, not answered.
        return tr(
            question.language,
            "“{word}” ({metric}) is not a metric of this store's semantic model. The closest "
            "it has is {offered}: shall I answer with that? I won't put it in place of "
            "“{word}” unasked.",
            word=word,
            metric=missing.name_in(question.language),
            offered=join_list(
                [model.metric(m).label.in_language(question.language) for m in offered],
                question.language,
            ),
        )
    return Refusal(
        tr(
            question.language,
            "I can't measure “{word}” ({metric}): the store's semantic model has no such "
            "metric, and I won't answer with a different one (such as all orders or revenue) "
            "instead. Ask about a metric it has, e.g. revenue, orders or AOV.",
            word=word,
            metric=missing.name_in(question.language),
        )
    )


def _as_written(word: str, raw: str) -> str:
    """`word` quoted as the user wrote it ("Yoga Pants", not "yoga pants")."""
    found = re.search(re.escape(word), raw, re.I)
    return tr("zh" if has_cjk(word) else "en", "“{word}”", word=found.group(0) if found else word)


_REPEAT_METRICS = ("repeat_buyers", "repurchase_rate")


def _unread_period(question: Question, args: dict[str, Any]) -> str | None:
    """The words of a span of time said without its length ("over the last months", "最近几个
    月") when the call reads no period: answered, the figure would be all time's; or a length
    said after the period that disagrees with it ("10/1到10/7这10天")."""
    if args.get("time_range") or question.time_range:
        return disagreeing_length(question.raw) if args.get("time_range") else None
    found = reader_pattern("unread_period_words").search(question.raw)
    return found.group(0).strip() if found else None


def _repeat_population(question: Question, args: dict[str, Any]) -> str | None:
    """A question back when a repeat count or rate is asked over a population no metric
    carries (the lexicon's reader_words repeat_population: returning customers, 老客户, a
    month's new customers as the ones who bought again): answering the whole store's
    repeat buyers would drop the word."""
    if not set(args.get("metrics") or ()) & set(_REPEAT_METRICS):
        return None
    found = reader_pattern("repeat_population").search(question.raw)
    if not found:
        return None
    return tr(
        question.language,
        "I can't restrict repeat buying to “{word}”: no metric of this store (nor "
        "MARKETING.md) counts repeat buying within that group of customers, and I won't drop it and answer for "
        "all customers. I can give the repeat buyers or the repurchase rate of all customers "
        "in the period, or, for the customers whose first order fell in a month (its new "
        "customers), that cohort's retention month by month. Which would you like?",
        word=found.group(0).strip(),
    )


def misspelt_metric_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A clarifying question when an unplaced word is a near-miss of a metric name ("reveune")."""
    model = ctx.semantic_model
    words = [w for w in unplaced_words(question.text, model) if len(w) >= 4]
    choices = [w for ws in metric_synonyms(model).values() for w in ws if len(w) >= 4]
    for word in words:
        if f"{word}s" in choices or f"{word}es" in choices:
            continue  # "what type of shopper": the singular of a known word, no misspelling
        close = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=80)
        if close:
            return tr(
                question.language,
                "Did you mean “{close}” by “{word}”? Please confirm; I'd rather ask than answer "
                "a different question.",
                close=close[0],
                word=word,
            )
    return None


def named_layer_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A question back when an RFM question names one of its layers beside names the store
    does not hold, written capitalised as values are ("Loyalty tier mix within Champions - how
    many Gold vs Platinum?"): the layer's members split by something the store lacks; the RFM
    table would answer another question. None when no layer is named or no such name is said
    (lowercase words the RFM reader reads its own way, "bucket", "tier", stay unasked)."""
    if not question.filters.get("rfm_segment"):
        return None
    rfm = reader_words("rfm")
    words = [
        w
        for w in unplaced_words(question.text, ctx.semantic_model)
        if not any(word_occurs(r, w) for r in rfm) and _said_capitalised(w, question.raw)
    ]
    return name_unplaced(words, "", ctx, question.language == "zh") if words else None


def _said_capitalised(word: str, raw: str) -> bool:
    """Whether `word` is written capitalised somewhere other than a sentence's first word."""
    for found in re.finditer(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", raw, re.I):
        before = raw[: found.start()].rstrip()
        if found.group()[:1].isupper() and before and before[-1] not in ".!?:;-–—>\n":
            return True
    return False


def metric_question_problem(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """A clarifying question (or refusal) when a metric question has parts the planner cannot place."""
    model = ctx.semantic_model
    zh = question.language == "zh"
    # A question back restates only what the question said: a period the reader supplied
    # (churn's usual "last month") was never read from it.
    args = _as_said(question, args)
    unmeasured = (
        unsupported_problem(question, ctx)
        or unknown_event_problem(question, ctx)
        or ambiguous_date_problem(question)
    )
    if unmeasured:
        return unmeasured
    unread = _unread_period(question, args)
    if unread:
        return name_unplaced([unread], _reading(args, ctx, zh), ctx, zh)
    population = _repeat_population(question, args)
    if population:
        return population
    if _BOTH.search(question.raw) and args.get("time_range") and names_two_periods(question.raw):
        # "customers who bought in both 2025 and 2026" is an overlap, not a comparison.
        return Refusal(
            tr(
                question.language,
                "Customers who bought in both periods (the overlap) is not something the metric "
                "query computes, and I won't answer with each period's buyers instead. Ask for "
                "each period's buyers, or for cohort retention.",
            )
        )
    marketplaces = list(dict.fromkeys(m.group(0) for m in MARKETPLACE.finditer(question.raw)))
    if marketplaces:
        # "our Taobao store", "Tmall vs JD": sales channels the store's data does not have,
        # each named.
        return _marketplace_question(marketplaces, _reading(args, ctx, zh), ctx, zh)
    # Buyers of a value negated ("没买过护肤品的客户", the lexicon's reader_words): who
    # did not buy it is a condition on customers, no row left out of the orders.
    negated = args.get("filters") and reader_pattern("negated_purchase").search(question.raw)
    phrase = negated.group(0).strip() if negated else None
    if not phrase:
        # Words that leave something out that the planner could not read as store values
        # left out (`without_exclusions`): "excluding returns", "excluding Atlantis".
        phrase = next((e.phrase for e in exclusions(question.raw, ctx)), None)
    if phrase:
        # The value alone would read as the filter: the opposite of the question; dropped,
        # the whole store.
        return _exclusion_question(phrase, _reading(args, ctx, zh), zh)
    whole = reader_pattern("whole_set_aside").search(question.raw)
    if whole and not any(args.get(k) for k in ("filters", "exclude", "dimensions")):
        # "revenue last month, not the whole store": a part is meant, none is named.
        return tr(
            "zh" if zh else "en",
            "You said “{phrase}” but named no part of the store to answer for instead (a "
            "city, channel, category or campaign, say), and I won't give the whole store's "
            "figure. Which part do you mean? (I read the rest as: {reading})",
            phrase=whole.group(0),
            reading=_reading(args, ctx, zh),
        )
    # "各个门店的客单价": one row per shop, a breakdown no store field holds; the channel as a
    # whole (or another breakdown) would answer a different question. Asked below, once no
    # unread word is left to name: in "各门店店长" the each is of the 店长, named back.
    units = _units_within_value(question, args, ctx)
    negated = _negated_rate(question, args, ctx)
    if negated:
        # "没有复购的客户占比": the share that did NOT buy again, the rate's complement; the
        # rate itself would be the opposite figure.
        return _negated_rate_question(negated, _reading(args, ctx, zh), zh)
    condition = _conditioned_population(question, args, ctx)
    if condition:
        # "buyers since June who have not returned anything": who did (or did not do) an
        # event other than buying is a condition on customers no filter reads.
        return _conditioned_population_question(condition, _reading(args, ctx, zh), zh)
    described = _metric_described_send(question, args, ctx)
    if described:
        # "open rate of the lapsed-customers email": the words name the send, no metric.
        return described
    unfiltered = (
        _unfiltered_segments(question, args, ctx)
        or _channel_mismatch(question, args, ctx)
        or _unstored_value(question, args, ctx)
    )
    if unfiltered:
        return unfiltered
    # "don't need the significance, just the rate": a declined task is read as declined.
    # (the test itself declined too: "no test needed", "I don't need a split test"; and a
    # model: "just the rate, I don't need a model", "不需要预测")
    declined = (*reader_words("test_words"), *reader_words("model_words"))
    text = without_negated(without_negated(question.text), tasks=declined)
    campaigns = (args.get("filters") or {}).get("campaign") or []
    if any(re.search(r"a/?b|test", str(c), re.I) for c in campaigns):
        # "the Spring Festival 2026 email test", "双11 2025推送A/B测试": the campaign's own words.
        for word in reader_words("test_words"):
            text = re.sub(word, lambda m: " " * len(m.group(0)), text, flags=re.I)
    if campaigns:
        # "双11短信那一场", "the 618 push that time": the one send pointed at, read as the campaign.
        text = reader_pattern("campaign_occurrence").sub(lambda m: " " * len(m.group(0)), text)
        # "the Spring Festival 2026 - Email A/B send", "that blast": the campaign's own noun.
        text = reader_pattern("campaign_send_nouns").sub(lambda m: " " * len(m.group(0)), text)
        # "the 2026 win-back email": the words of its name around the period it was read by
        from copilot.offline.campaigns import own_words

        text = blank(text, [w for c in campaigns for w in own_words(str(c))])
    listed = [len(v) for v in (args.get("filters") or {}).values() if len(v) >= 2]
    # (the question's own values too: "广东（广深两城）" read as the province they gloss)
    named: dict[str, set[str]] = {}
    for dimension, value, _span in ctx.values.find(question.raw):
        named.setdefault(dimension, set()).add(value)
    named.update({d: set(v) for d, v in (question.filters or {}).items()})
    listed += [len(v) for v in named.values() if len(v) >= 2]
    for found in reader_pattern("value_count").finditer(text) if listed else ():
        # "北京、上海两地", "both channels": the count restates the values listed, read as them.
        count = next(g for g in found.groups() if g)
        if (2 if count.lower() == "both" else to_int(count)) in listed:
            text = text[: found.start()] + " " * len(found.group(0)) + text[found.end() :]
    if "campaign" in args.get("dimensions", []):
        # "campaign performance review", "活动效果复盘": read as the campaigns' review figures.
        raw = question.raw.lower()  # the cue may span the period phrase ("618 campaigns")
        for cue in reader_words("campaign_review") if len(raw) == len(text) else ():
            for found in re.finditer(cue, raw):
                text = text[: found.start()] + " " * len(found.group(0)) + text[found.end() :]
    if "rfm_segment" in (args.get("dimensions") or ()):
        # "in RFM terms, which segment ...": the RFM word names the breakdown by RFM segment.
        text = reader_pattern("rfm_lens").sub(lambda m: " " * len(m.group(0)), text)
    if "average_ltv" in args.get("metrics", []):
        # "of the customers we first sold to in 2025": whose lifetime the average LTV is over
        text = reader_pattern("ltv_cohort").sub(lambda m: " " * len(m.group(0)), text)
    if (args.get("filters") or {}).get("signup_channel"):
        # "originally registered": a customer signs up once, the time word restates the filter
        text = reader_pattern("signup_time_words").sub(lambda m: " " * len(m.group(0)), text)
        text = blank(text, list(_SIGNUP_WORDS))  # read as the signup-channel filter
    from copilot.offline.intents.metrics import (
        asks_both_comparisons,
        placed_kind_contrasts,
        refusals_of_metrics,
    )

    if args.get("compare_to") and asks_both_comparisons(question):
        # "vs the month before and vs a year earlier": each comparison is a call of its own.
        # Every pattern is matched on the text as asked: overlapping ones ("vs a year",
        # "a year earlier") are blanked together.
        spans = [
            found.span()
            for kind in ("year_ago_comparison", "period_before_comparison")
            for word in reader_words(kind)
            for found in re.finditer(word, text, re.I)
        ]
        for start, end in spans:
            text = text[:start] + " " * (end - start) + text[end:]
    other = find_period(text, planner_today())
    if args.get("compare_to"):
        # The second period of "compare ... with 2024年双十一" was read as the comparison.
        text = blank(text, [str(args["compare_to"]).lower()])
        other = find_period(text, planner_today())
        if other is not None:
            start, end = other.span
            text = text[:start] + " " * (end - start) + text[end:]
    elif other is not None and _is_the_calls_period(other, args):
        # "the Double 11 2026 social ads from their 10/20 launch on": the period said apart from
        # the campaign's name is the call's own (the name's period was read as the campaign).
        start, end = other.span
        text = text[:start] + " " * (end - start) + text[end:]
    elif other is not None and _holds_the_calls_period(other, args):
        # "this year's 618 campaigns' attributed revenue": the year says which festival's
        # campaigns; their window, inside it, is the call's period.
        start, end = other.span
        text = text[:start] + " " * (end - start) + text[end:]
    elif other is not None and args.get("time_range"):
        # A second period the call does not use ("去年双11 ... 前年双11" without a comparison
        # word): answering the first alone would drop half the question.
        phrase = clean_period_phrase(other.phrase(text))
        return name_unplaced([phrase], _reading(args, ctx, zh), ctx, zh)
    if args.get("compare_to") or names_two_periods(question.raw):
        # "mom change in orders", "同比增幅": a word of change names the comparison made.
        text = blank(text, list(reader_words("change_words")))
    if "buyers" in (args.get("metrics") or ()):
        # "how many people from Ningbo placed an order", "多少客户下过单": the buyers' own verb
        text = reader_pattern("buyers_order_verbs").sub(lambda m: " " * len(m.group(0)), text)
    # "before Monday's sync": the meeting the figure is for, no slot of the question.
    text = reader_pattern("meeting_framing").sub(lambda m: " " * len(m.group(0)), text)
    if args.get("metrics") and "orders" not in args["metrics"]:
        # "revenue, counting only orders placed on the app": the orders the figure is
        # computed over, said with the value they were placed on (the value's filter).
        for start, end in orders_of_a_value_spans(question.text, question.raw):
            text = text[:start] + " " * (end - start) + text[end:]
    if not args.get("time_range") and not args.get("compare_to"):
        # "since we opened", "开店以来": the store's whole history, the call's all-time period.
        text = reader_pattern("business_began").sub(lambda m: " " * len(m.group(0)), text)
    # "AOV (revenue / orders)": an asked ratio's own definition restated is context, read whole.
    asked = list(args.get("metrics") or ())
    for restated in restated_ratios(text, model):
        if any(ratio_of(m, model) == (restated.numerator, restated.denominator) for m in asked):
            start, end = restated.span
            text = text[:start] + " " * (end - start) + text[end:]
    languages = list((args.get("filters") or {}).get("language") or ())
    if "language" in (args.get("dimensions") or ()):
        # "English and Chinese speakers, each": every language named is a row of the breakdown.
        languages = ["en", "zh"]
    for code in languages:
        # "whose language is English": the language filter read, every word of it.
        text = reader_pattern(f"customer_language_{code}").sub(
            lambda m: " " * len(m.group(0)), text
        )
    # "the %, not the headcount", "是单数不是金额": the kind set aside is the one not computed.
    text = placed_kind_contrasts(
        text, list(args.get("metrics") or ()), model, narrowed=bool(args.get("filters"))
    )
    # The qualifiers of the metrics asked ("how often" beside orders per buyer) are blanked
    # after the known phrases, so one never breaks a phrase it is part of ("how often does
    # the average buyer order" is the purchase frequency's own phrase).
    qualifiers = metric_qualifiers(list(args.get("metrics") or ()))
    # "订单数，不要销售额": the word refusing a metric is read with the metric set aside.
    qualifiers += refusals_of_metrics(text, model)
    if len(args.get("metrics") or ()) > 1:
        # "gross sales and returns, to see the gap": the figures side by side show it.
        qualifiers += reader_words("gap_between_figures")
    if any(_is_count(model, m) for m in args.get("metrics") or ()):
        # "要人数不要比例" beside a count: the count asked is the one computed.
        qualifiers += reader_words("count_not_rate")
    words = unplaced_words(text, model, blanked=blank(blanked_known_words(text, model), qualifiers))
    # "重要挽留客户(At Risk)": the segment named in brackets says what the word names.
    words = [w for w in words if not glossed_by_segment(question.raw.lower(), w)]
    tier = value_tier_problem(question, text, args)
    if tier:  # "lapsed VIP customers": no store field; the RFM segments closest, asked back
        return tier
    metrics = list(args.get("metrics") or ())
    # (a figure of campaign messages, "会员邮件的打开率": its people are the recipients)
    sent = bool(metrics) and all(_metric_facts(model, m) == {_MESSAGE_FACT} for m in metrics)
    members = None if words else membership_problem(question, text, args, model, sent)
    if members:
        # "revenue, members only": no membership field; asked back naming the word (with
        # words not understood, "membership tier", "会员积分", the question names those).
        return members
    if units and not [w for w in words if w not in units]:
        return _units_within_value_question(units, _reading(args, ctx, zh), zh)
    if not words:
        # "会员积分邮件": words describing the send that the residue cut to nothing.
        return _unknown_campaign(question, args, ctx, described_only=True)
    campaign = _unknown_campaign(question, args, ctx)
    if (
        campaign
    ):  # "CTR of the loyalty-points email", "包邮测试的转化率": a campaign not in the store
        return campaign
    words = [whole_phrase(w, question) for w in words]
    return name_unplaced(words, _reading(args, ctx, zh), ctx, zh, question.raw)


def _is_count(model: SemanticModel, metric: str) -> bool:
    """A metric counted in whole things (buyers, orders, unsubscribes), not a rate or money."""
    found = model.metrics.get(metric)
    return found is not None and found.format == "integer"


def _unknown_campaign(
    question: Question, args: dict[str, Any], ctx: PlannerContext, described_only: bool = False
) -> str | None:
    """The question back of `unknown_campaign_problem` for a metric question that names a
    campaign the store lacks: a campaign metric's channel word names one too ("the
    loyalty-points email"), and a test by variant is offered the store's A/B campaigns."""
    from copilot.offline.campaigns import store_campaigns

    if (args.get("filters") or {}).get("campaign"):
        return None
    facts = set().union(*(_metric_facts(ctx.semantic_model, m) for m in args.get("metrics", [])))
    on_messages = facts == {_MESSAGE_FACT}
    # described_only: only the words before a channel's noun ("会员积分邮件"), read first
    name = _described_send(question, ctx) if described_only and on_messages else None
    if described_only and not name:
        return None
    campaigns = store_campaigns(ctx.values)
    if "variant" in args.get("dimensions", []) or (args.get("filters") or {}).get("variant"):
        campaigns = [c for c in campaigns if "a/b" in c.lower()] or campaigns
    if name:
        goals = ctx.values.descriptions.get("campaign")
        return unknown_campaign_question(name, campaigns, question.language, goals)
    return unknown_campaign_problem(question, ctx, campaigns, send_nouns=on_messages)


def _metric_described_send(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """The question back of `unknown_campaign_question` when a campaign metric (one counted
    over the campaign messages: open rate, CTR) is asked of a send described by a metric's
    words written right before a marketing channel's noun ("the lapsed-customers email",
    "新客短信"): they say which campaign it is, no metric of their own, and no store campaign
    is named; else None."""
    from copilot.offline.campaigns import store_campaigns

    if (args.get("filters") or {}).get("campaign"):
        return None
    model = ctx.semantic_model
    metrics = list(args.get("metrics") or ())
    if not any(_metric_facts(model, m) == {_MESSAGE_FACT} for m in metrics):
        return None
    raw = question.raw.lower()
    for metric, words in metric_synonyms(model).items():
        if _metric_facts(model, metric) == {_MESSAGE_FACT}:
            continue
        for word in sorted(words, key=len, reverse=True):
            found = _send_noun_after(word).search(raw)
            if found:
                name = question.raw[found.start() : found.end(1)]
                goals = ctx.values.descriptions.get("campaign")
                campaigns = store_campaigns(ctx.values)
                return unknown_campaign_question(name, campaigns, question.language, goals)
    return None


@cache
def _send_noun_after(word: str) -> re.Pattern[str]:
    """A metric's `word` (group 1) written right before a marketing channel's noun ("lapsed
    customers email", "lapsed-customers email", "流失客户短信"), compiled once."""
    nouns = [w for ws in load_lexicon().marketing_channels.values() for w in ws]
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    if has_cjk(word):
        return re.compile(rf"({re.escape(word.lower())})的?(?:{noun})")
    parts = r"[\s-]+".join(re.escape(p) for p in word.lower().split())
    return re.compile(rf"(?<![\w-])({parts})(?:'s|’s|s')?[\s-]*(?:{noun})(?![\w-])")


def _as_said(question: Question, args: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments without a period the question never named."""
    if question.time_range is None and args.get("time_range") and not args.get("compare_to"):
        return {k: v for k, v in args.items() if k != "time_range"}
    return args


def _unfiltered_segments(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """A question back when the question names an RFM segment ("revenue from Champions")
    that the call does not filter by: the store-wide figure would answer a different
    question. (A saved RFM run is not needed: the tool runs the segmentation first.)"""
    from copilot.offline.intents.metrics import rfm_segments_named

    named = rfm_segments_named(question, ctx.semantic_model)
    if not named or (args.get("filters") or {}).get("rfm_segment"):
        return None
    return tr(
        question.language,
        "“{names}” is an RFM segment, but I couldn't read the question as limited to it, and "
        "I won't answer with the whole store's figure instead. Could you name the figure and "
        "the segment together, e.g. “revenue of {name} last month”?",
        names=tr(question.language, ", ").join(named),
        name=named[0],
    )


def _unstored_value(question: Question, args: dict[str, Any], ctx: PlannerContext) -> str | None:
    """A question back naming a value the lexicon knows a word for but the store does not
    hold ("variant C" where the tests have A and B): filtering on it would answer with an
    empty or unrelated figure."""
    raw = question.raw.lower()
    for dimension, values in (args.get("filters") or {}).items():
        stored = ctx.values.stored.get(dimension)
        missing = [v for v in values if stored and v not in stored]
        if missing:
            words = [
                w
                for w, (d, v) in ctx.values.entries.items()
                if d == dimension and v in missing and w in raw
            ]
            word = max(words, key=len) if words else missing[0]
            at = raw.find(word)
            if at >= 0 and len(raw) == len(question.raw):
                word = question.raw[at : at + len(word)]  # as the user wrote it ("variant C")
            label = ctx.semantic_model.dimension(dimension).label.in_language(question.language)
            return tr(
                question.language,
                "The store has no {dimension} “{word}” (it has: {values}), so I can't answer "
                "for it, and I won't answer for another one instead. Which one do you mean?",
                dimension=label if question.language == "zh" else label.lower(),
                word=word,
                values=join_list(sorted(stored)[:8], question.language),
            )
    return None


_MESSAGE_FACT = "campaign_messages"


def _metric_facts(model: Any, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The facts a metric is computed over (through ratios and formulas); a special metric
    (repurchase, churn) counts orders."""
    if name in seen or name not in model.metrics:
        return set()
    metric = model.metric(name)
    facts = {m.fact for m in metric.measures}
    for part in _metric_parts(model, name):
        facts |= _metric_facts(model, part, seen | {name})
    return facts or ({"valid_orders"} if metric.special else set())


def _metric_parts(model: SemanticModel, name: str) -> list[str]:
    """The metrics a metric is built from: its ratio's two, and the metrics its formula names."""
    metric = model.metric(name)
    parts = list(metric.ratio or ())
    if metric.formula:
        parts += [w for w in re.findall(r"[a-z_]+", metric.formula) if w in model.metrics]
    return parts


def _channel_mismatch(question: Question, args: dict[str, Any], ctx: PlannerContext) -> str | None:
    """A question back when a channel filter cannot hold for the metric: a marketing channel
    (email, SMS, push, social) on an order metric ("revenue from email": orders come through
    the app, web, mini program or store, so the answer would be empty), or a sales channel on
    a message metric ("open rate on the app")."""
    channels = (args.get("filters") or {}).get("channel") or []
    if not channels:
        return None
    model = ctx.semantic_model
    marketing = set(load_lexicon().marketing_channels)
    facts = set().union(*(_metric_facts(model, m) for m in args.get("metrics", [])))
    if not facts:
        return None
    on_messages = facts == {_MESSAGE_FACT}
    wrong = [c for c in channels if (c in marketing) != on_messages]
    if not wrong or (not on_messages and _MESSAGE_FACT in facts):
        return None
    language = question.language
    # Each channel named as the user wrote it ("小程序", "the mini-program"), else its value.
    said = ctx.values.written_as(question.raw, "channel")
    # The quote names the words typed; the rest of the question back the store's channels.
    names = tr(language, ", ").join(said.get(c, c) for c in wrong)
    channels_named = tr(language, ", ").join(wrong)
    if not on_messages:
        return tr(
            language,
            "“{names}” is a marketing (message) channel, but orders come in through the app, "
            "web, mini program or store, so filtering orders by it would come back empty. Do you "
            "mean the attributed revenue or conversions of {channels} campaigns, or an order channel?",
            names=names,
            channels=channels_named,
        )
    return tr(
        language,
        "“{names}” is an order channel, but marketing messages go out by SMS, email, push or "
        "social. Do you mean a marketing channel's figure, or orders and revenue through "
        "{channels}?",
        names=names,
        channels=channels_named,
    )


def unplaced_problem(question: Question, ctx: PlannerContext) -> str | None:
    """For a question no intent could read: a clarification naming the words not understood,
    when it looks like a data question (a period, a store value or a breakdown is named)."""
    festival = unknown_event_problem(question, ctx) or ambiguous_date_problem(question)
    if festival:
        return festival
    campaign = unknown_campaign_problem(question, ctx)
    if campaign:
        return campaign
    marketplace = MARKETPLACE.search(question.raw)
    if marketplace:
        # "how did Tmall do in May?" (not refused as another company's figures: the shop's
        # own sales there): a sales channel the store's data does not have, named.
        return name_unplaced([marketplace.group(0)], "", ctx, question.language == "zh")
    model = ctx.semantic_model
    blanked = blanked_known_words(question.text, model)
    words = unplaced_words(question.text, model, blanked)
    group = _ranked_unknown_group(question.text, words)
    if group:
        # (no position read: "供应商的" before a measure is the group ranked, not a place)
        return name_unplaced([group], "", ctx, question.language == "zh")
    if not (question.time_range or question.filters):
        return None
    metric_like = [m for m in (_metric_like(w, question.raw) for w in words) if m]
    metric_like = metric_like or _short_metric_words(blanked)
    if metric_like:
        # "加购率", "bounce ratio": an unknown word made a metric by its suffix.
        return name_unplaced(metric_like, "", ctx, question.language == "zh")
    vocabulary = [w for ws in metric_synonyms(model).values() for w in ws]
    vocabulary += [w for ws in dimension_synonyms(model).values() for w in ws]
    # Only a near-miss of a known name ("new custmers") or an acronym written in capitals
    # ("the CAR of the 618 push", an unknown metric) is worth asking about; "book a flight"
    # gets the plain refusal.
    acronyms = [
        w
        for w in words
        if re.search(rf"(?<![A-Za-z]){re.escape(w.upper())}(?![A-Za-z])", question.raw)
        and re.fullmatch(r"[a-z]{2,6}", w)
    ]
    if acronyms:
        return name_unplaced(acronyms, "", ctx, question.language == "zh")
    if not any(
        process.extractOne(w, vocabulary, scorer=fuzz.ratio, score_cutoff=80) for w in words
    ):
        return None
    words = [whole_phrase(w, question) for w in words]
    return name_unplaced(words, "", ctx, question.language == "zh", question.raw)


def _ranked_unknown_group(text: str, words: list[str]) -> str | None:
    """The group whose members a question ranks when the store has no such breakdown
    ("哪家供应商的货退得最多", "which vendor sells most": 供应商, vendor): a data question to
    ask back naming that word, never the plain refusal. The group is the unplaced word right
    after the lexicon's word asking for a member (reader_words.member_asked), in a question
    with a ranking word (reader_words.ranking_asked); a measure word the asking word holds
    (哪家) is no part of it."""
    if not any(re.search(p, text) for p in reader_words("ranking_asked")):
        return None
    for pattern in reader_words("member_asked"):
        for asked in re.finditer(pattern, text):
            for word in words:
                at = text.find(word, asked.start() + 1)
                if at < 0 or at > asked.end() or at + len(word) <= asked.end():
                    continue
                rest = text[asked.end() : at + len(word)].strip()
                if len(rest) >= 2 and text[asked.end() :].lstrip().startswith(rest):
                    return rest
    return None


def unknown_campaign_problem(
    question: Question,
    ctx: PlannerContext,
    campaigns: list[str] | None = None,
    send_nouns: bool = False,
) -> str | None:
    """A question back when a campaign is named by words the store does not hold ("the
    Summer Splash campaign", "星空促销", "the free-shipping test"): it names them and lists
    the store's campaigns (`campaigns`, e.g. its A/B ones; the closest first), rather than
    refusing or answering for every campaign. `send_nouns`: a marketing channel's word after
    the name names a campaign too ("the loyalty-points email", for a campaign metric)."""
    from copilot.offline.campaigns import store_campaigns

    noun, after, before = _campaign_noun_patterns(send_nouns)
    text = question.text
    name = None
    for word in unplaced_words(text, ctx.semantic_model):
        if not reader_pattern("test_words").sub("", word).strip():
            continue  # "AB测试", "split test": what a test is called, no name
        inside = noun.search(word[1:]) if starts_cjk(word) else None
        if inside and _RUNS_A_CAMPAIGN.search(word[: inside.end() + 1]):
            continue  # "下周搞活动用": running a campaign is said, none is named
        if inside:  # "星空促销效果": the name is the run before its campaign noun
            name = word[: inside.start() + 1]
            # "会员日促销": a function word the residue dropped ("会员") belongs to the name
            start = at = text.find(name)
            while at > 0 and starts_cjk(text[at - 1]) and text[at - 1] not in _NAME_STOPS:
                at -= 1
            name = text[at : start + len(name)] if start >= 0 else name
            break
        ending = re.search(rf"\s(?:{noun.pattern})$", word)
        if ending:  # "free-shipping test": the noun was unplaced with the name before it
            word = word[: ending.start()]
        at = text.find(word)
        # Values are blanked from the text: the noun is read in the question as written
        # ("the loyalty-points email"), past the rest of a hyphenated name ("summer-sale").
        written = question.raw.lower() if len(question.raw) == len(text) else text
        end = at + len(word)
        while at >= 0 and end < len(written) and re.match(r"-\w", written[end : end + 2]):
            end = re.match(r"-\w+", written[end:]).end() + end
        test_word = reader_pattern("test_words").match(written, max(at, 0))
        if at >= 0 and test_word and test_word.end() > end:
            continue  # "AB测试", "ab test": what a test is called, no name
        follows = after.match(written[end:]) if at >= 0 else None
        if follows and not re.search(r"campaigns?\W*$", follows.group(0)):
            # "the big promo", "the spring sale test": the noun after the words says what
            # kind of send they name; the words alone ("big") would not say what is asked.
            end += follows.end()
        if at >= 0 and (ending or follows or before.search(written[:at])):
            # "win-back": the whole hyphenated name, though "win" alone is a function word
            while (
                at > 0
                and re.match(r"[\w'’-]", question.raw[at - 1])
                and not starts_cjk(question.raw[at - 1])
            ):
                at -= 1
            said = whole_phrase(question.raw[at:end].lower(), question)
            if _RUNS_A_CAMPAIGN.search(said):
                continue  # "下周搞活动用": running a campaign is said, none is named
            name = said
            break
    described = _described_send(question, ctx) if send_nouns else None
    if described and name is not None and name not in described:
        # "兑换短信" named with its kind noun (round 15) inside "积分兑换短信": the described
        # run's start ("积分") belongs to the name too.
        d_at, n_at = question.raw.find(described), question.raw.lower().find(name)
        if 0 <= d_at <= n_at < d_at + len(described):
            name = question.raw[d_at : max(d_at + len(described), n_at + len(name))]
    if described and (name is None or name in described):
        name = described  # "积分兑换短信": the whole run before the noun, "积分" too
    if name is None:
        return None
    campaigns = store_campaigns(ctx.values) if campaigns is None else campaigns
    goals = ctx.values.descriptions.get("campaign")
    return unknown_campaign_question(name, campaigns, question.language, goals)


def _described_send(question: Question, ctx: PlannerContext) -> str | None:
    """The Chinese words written right before a marketing channel's word that describe the
    send ("会员积分邮件", "新品推送") and that nothing else places, or None. Chinese has no
    spaces, so the words may be cut by one-character function words ("积分": "分" as in "分渠道")
    and come back from `unplaced_words` as nothing: the run before the noun is read whole."""
    if question.language != "zh" or len(question.raw) != len(question.text):
        return None
    chinese = frozenset(w for w in load_lexicon().function_words if has_cjk(w))
    blanked = blanked_known_words(question.text, ctx.semantic_model)
    nouns = [w for ws in load_lexicon().marketing_channels.values() for w in ws if has_cjk(w)]
    pattern = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    for found in re.finditer(pattern, question.raw) if pattern else ():
        at = found.start()
        while at > 0 and starts_cjk(blanked[at - 1]) and blanked[at - 1] not in _NAME_STOPS:
            at -= 1
        run = blanked[at : found.start()]
        if run and _describes(run, chinese):
            return question.raw[at : found.start()]
    return None


def _describes(run: str, function_words: frozenset[str]) -> bool:
    """Whether a run of Chinese characters holds a word of its own: an unknown part of two
    characters or more, or an unknown character with a one-character function word after it
    that makes a word with it ("积分"), rather than function words alone ("会员", "所有")."""
    if cjk_residue(run, function_words):
        return True

    def word_at(at: int) -> int:  # the longest function word's length at `at` (0: none)
        return next(
            (n for n in range(len(run) - at, 0, -1) if run[at : at + n] in function_words), 0
        )

    at = 0
    while at < len(run):
        size = word_at(at)
        if not size and at + 1 < len(run) and word_at(at + 1) == 1:
            return True
        at += size or 1
    return False


# Characters that end a Chinese campaign name read backwards from its noun ("上个月的X促销").
_NAME_STOPS = frozenset("的在和与及或是了从对")


def unknown_campaign_question(
    name: str, campaigns: list[str], language: str, goals: dict[str, str] | None = None
) -> str:
    """The question back for a campaign called `name` that none of `campaigns` is: they
    are listed, the closest first (or the ones holding the name, when several do). The
    campaigns whose goal (`goals`, the store's words of what each is for: "Reactivate lapsed
    customers (老客召回)") holds the name's words come first: offered, never picked."""
    partial = [c for c in campaigns if name.lower() in c.lower()]
    if partial:  # "the win-back campaign": more than one store campaign has that name
        return tr(
            language,
            "More than one of the store's campaigns is called “{name}”: {campaigns}. Which one "
            "do you mean?",
            name=name,
            campaigns=tr(language, ", ").join(partial[:6]),
        )
    close = [
        c
        for c, _, _ in process.extract(
            name, campaigns, scorer=fuzz.WRatio, limit=3, score_cutoff=60
        )
    ]
    by_goal = _by_goal(name, campaigns, goals or {})
    shown = list(dict.fromkeys([*by_goal, *close, *campaigns]))[:6]
    if not shown:
        return tr(
            language,
            "I don't know a campaign called “{name}” in this store, and I won't answer for "
            "another campaign or the whole store instead. Which one do you mean?",
            name=name,
        )
    return tr(
        language,
        "I don't know a campaign called “{name}” in this store, and I won't answer for another "
        "campaign or the whole store instead. The store's campaigns include: {campaigns}. Which "
        "one do you mean?",
        name=name,
        campaigns=tr(language, ", ").join(shown),
    )


def _by_goal(name: str, campaigns: list[str], goals: dict[str, str]) -> list[str]:
    """The campaigns whose goal holds a word of `name` (or one spelt close to it:
    "reactivation" for "Reactivate lapsed customers"; "召回" in "老客召回"), the closest first;
    a marketing channel's word in the name ("the reactivation email") counts for none."""
    channels = {w.lower() for ws in load_lexicon().marketing_channels.values() for w in ws}
    words = [
        w
        for w in re.findall(r"[\w'’-]+", name.lower())
        if w not in channels and len(w) >= (2 if has_cjk(w) else 4)
    ]
    scored = []
    for campaign in campaigns:
        goal = (goals.get(campaign) or "").lower()
        score = max((fuzz.partial_ratio(w, goal) for w in words), default=0) if goal else 0
        if score >= 85:
            scored.append((-score, campaign))
    return [campaign for _, campaign in sorted(scored)]


# A verb of running a campaign right before its noun ("搞活动", "做个促销", "办一场大促"): the
# activity said, no campaign's name.
_RUNS_A_CAMPAIGN = re.compile(
    r"(?:搞|做|办|跑|弄|开|上|推|发|策划)(?:一)?(?:个|场|次|波)?(?:活动|促销|推广|大促)$"
)


@cache
def _campaign_noun_patterns(
    send_nouns: bool = False,
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(a campaign noun, one written right after a name, one written right before it),
    from the lexicon's campaign_nouns (and, with `send_nouns`, the marketing channels'
    words: "the loyalty-points email"), compiled once."""
    words = list(reader_words("campaign_nouns"))
    if send_nouns:
        words += [w for ws in load_lexicon().marketing_channels.values() for w in ws]
    nouns = sorted(words, key=len, reverse=True)
    noun = "|".join(re.escape(n) for n in nouns)
    after = re.compile(rf"^[\s\"'“”「」]*(?:{noun})(?![a-z])")
    before = re.compile(
        rf"(?<![a-z])(?:{noun})[\s\"'“”「」:：]*(?:called|named|叫)?[\s\"'“”「」]*$"
    )
    return re.compile(noun), after, before


# Marketplaces: a shop there is a sales channel the demo data (and most stores') lacks
# (lexicon reader_words marketplaces: "Tmall", "抖店", "小红书").
MARKETPLACE_ALTERNATION = "|".join(
    rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
    for w in sorted(reader_words("marketplaces"), key=len, reverse=True)
)
MARKETPLACE = re.compile(MARKETPLACE_ALTERNATION, re.I)
_SIGNUP_WORDS = (
    "signed up",
    "sign up",
    "signup",
    "sign-up",
    "registered",
    "通过",
    "注册的",
    "注册",
)
_METRIC_SUFFIX_ZH = "率额量值"
_SHORT_METRIC = re.compile(rf"(?<=(.))([{CJK_CHARS}])[{_METRIC_SUFFIX_ZH}]")
_METRIC_SUFFIX_EN = re.compile(r"\s+(?:rate|ratio|value|score|margin|cost)s?\b")


def _metric_like(word: str, raw: str) -> str | None:
    """The word with its metric suffix when the question writes one after it ("加购" + "率",
    "bounce" + " rate"): an unknown metric, worth naming; else None."""
    lowered = raw.lower()
    at = lowered.find(word)
    if at < 0:
        return None
    end = at + len(word)
    if starts_cjk(word):
        return raw[at : end + 1] if raw[end : end + 1] in tuple(_METRIC_SUFFIX_ZH) else None
    suffix = _METRIC_SUFFIX_EN.match(lowered, end)
    return raw[at : suffix.end()] if suffix else None


def _short_metric_words(blanked: str) -> list[str]:
    """Unknown Chinese metrics of one character and a metric suffix ("流率", "购额") in a
    text whose known words are blanked (`blanked_known_words`): the reader drops a
    one-character leftover, so nothing else would name them."""
    chinese = {w for w in load_lexicon().function_words if starts_cjk(w)}
    found = []
    for m in _SHORT_METRIC.finditer(" " + blanked):
        before, stem = m.group(1), m.group(2)
        if stem in chinese or not (before in chinese or not starts_cjk(before)):
            continue  # a function word ("的率"), or the end of a longer unknown word
        found.append(m.group(0))
    return found


def whole_phrase(word: str, question: Question) -> str:
    """The whole phrase the user wrote around an unplaced word, as written: the entity noun
    before a Chinese word ("会员" + "等级"), and after a Latin one a short number ("iPhone 16",
    "Dubble 12") or a word that was read as a store value ("pet" + "food": not the food
    category, but pet food)."""
    if starts_cjk(word):
        return _with_product_head(
            _with_attribute(_with_entity(word, question.raw), question.raw), question
        )
    lowered = question.raw.lower()
    at = lowered.find(word)
    if at < 0 or len(question.text) != len(lowered):
        return word
    end = at + len(word)
    function_words = load_lexicon().function_words
    # "store manager": a word read as a store value just before the unplaced one (store, an
    # order channel) is part of what the user named, not a filter beside it.
    before = re.search(r"([a-z][a-z'’-]*)\s+$", lowered[:at])
    if before is not None and not question.text[before.start(1) : before.end(1)].strip():
        at = before.start(1)
    # "by income bracket": a known word between a breakdown word and the unplaced one is the
    # first half of the breakdown the user named (one the store lacks), never a metric beside it.
    elif before is not None:
        cues = "|".join(re.escape(w) for w in reader_words("breakdown_words") if w.isascii())
        if re.search(rf"(?<![a-z])(?:{cues})\s+$", lowered[: before.start(1)]):
            at = before.start(1)
    for _ in range(2):
        following = re.match(r"\s*([a-z0-9][a-z0-9'’-]*)", lowered[end:])
        if following is None:
            break
        start, stop = end + following.start(1), end + following.end(1)
        token = following.group(1)
        short_number = token.isdigit() and len(token) <= 2
        read_as_value = not question.text[start:stop].strip() and not token.isdigit()
        if token in reader_words("attribute_nouns"):
            end = stop  # "device type": the attribute the user named, not its first half
            break
        if not (short_number or read_as_value) or token in function_words:
            break
        end = stop
    return question.raw[at:end]


def _with_product_head(word: str, question: Question) -> str:
    """A Chinese word glued before the product head it was read with ("儿童防晒" + "喷雾" of
    定妆喷雾): the whole name the user wrote is the product not sold here, never a modifier
    beside the store's product."""
    if not question.filters.get("product") or len(question.text) != len(question.raw):
        return word
    at = question.raw.find(word)
    if at < 0:
        return word
    end = at + len(word)
    # (the period read right after the product is no part of its name: "喷雾上个月")
    period = question.raw.find(question.time_range, end) if question.time_range else -1
    stop = period if period >= 0 else len(question.raw)
    while end < stop and starts_cjk(question.raw[end]) and not question.text[end].strip():
        end += 1
    return question.raw[at:end]


def _with_attribute(word: str, raw: str) -> str:
    """A Chinese unknown word with the attribute noun written right after it ("设备" +
    "类型"): the attribute the user named."""
    at = raw.find(word)
    if at < 0:
        return word
    rest = raw[at + len(word) :]
    for noun in sorted(reader_words("attribute_nouns"), key=len, reverse=True):
        if starts_cjk(noun) and rest.startswith(noun):
            return word + noun
    return word


def _with_entity(word: str, raw: str) -> str:
    """A Chinese unknown word with the entity noun or metric phrase written right before it
    ("会员" + "等级", "复购" + "周期"): the phrase the user wrote ("会员等级", "复购周期"), not
    its last half."""
    if not starts_cjk(word):
        return word
    at = raw.find(word)
    lexicon = load_lexicon()
    heads = [w for ws in lexicon.countable.values() for w in ws]
    heads += [w for ws in lexicon.metric_phrases.values() for w in ws if starts_cjk(w)]
    for entity in sorted(heads, key=len, reverse=True):
        if at >= len(entity) and raw[at - len(entity) : at] == entity:
            return entity + word
    return word


def _marketplace_question(names: list[str], reading: str, ctx: PlannerContext, zh: bool) -> str:
    """A question back naming the marketplaces asked about ("Tmall vs JD"), sales channels the
    store's data does not hold, with the sales channels it does (its channel values that are
    no marketing channel): never another channel's figures, nor the whole store's."""
    language = "zh" if zh else "en"
    marketing = set(load_lexicon().marketing_channels)
    channels = sorted(set(ctx.values.stored.get("channel", ())) - marketing)
    named = join_list([tr(language, "“{word}”", word=n) for n in names], language)
    shown = join_list(channels, language)
    if reading:
        return tr(
            language,
            "The store's data has no sales channel called {names}, so I can't answer for it, "
            "and I won't give another channel's or the whole store's figures instead (I read "
            "the rest as: {reading}). Its sales channels are: {channels}. Which do you mean?",
            names=named,
            reading=reading,
            channels=shown,
        )
    return tr(
        language,
        "The store's data has no sales channel called {names}, so I can't answer for it, and "
        "I won't give another channel's or the whole store's figures instead. Its sales "
        "channels are: {channels}. Which do you mean?",
        names=named,
        channels=shown,
    )


def name_unplaced(
    words: list[str], reading: str, ctx: PlannerContext, zh: bool, raw: str = ""
) -> str:
    """A question back naming the words not understood, each with what comes closest: for a
    word where a place goes ("in Atlantis", "拉萨的") the store's closest places, for one
    where a breakdown goes ("按国家") that the store has no such breakdown."""
    model = ctx.semantic_model
    language = "zh" if zh else "en"
    parts, places = [], []
    for word in words[:3]:
        position = _position(word, raw, _store_place_words(ctx))
        if position == "place" and _place_dimensions(ctx):
            hint = _place_hint(word, ctx, language)
            places.append(word)
        elif ends_an_open_period(raw, word):
            # "through Nov 15" with no start: the period's end, not that one day.
            hint = tr(
                language,
                " (the end of a period whose start you did not say: from when? e.g. “this year "
                "through …” or “Oct 1 through …”)",
            )
        else:
            # The closest names in the answer's language ("流失率", "按渠道", not "churn rate").
            close = suggestions(word, model, ctx.values, language=language)
            if close:
                names = tr(language, ", ").join(close)
                hint = tr(language, " (closest I know: {names})", names=names)
            elif position == "breakdown":
                hint = tr(language, " (there is no such breakdown in this store)")
            else:
                hint = tr(language, " (not a metric, breakdown or value I know in this store)")
        parts.append(tr(language, "“{word}”{hint}", word=word, hint=hint))
    unclear = reduce(lambda a, b: tr(language, "{first}; {second}", first=a, second=b), parts)
    if len(places) == len(parts):
        # Only places: the store's places are named, a list of breakdowns would not help.
        if reading:
            return tr(
                language,
                "I'm not sure which place you mean by {unclear}. Rather than drop it and answer "
                "for the whole store (I read the rest as: {reading}), which one do you mean?",
                unclear=unclear,
                reading=reading,
            )
        return tr(
            language,
            "I'm not sure which place you mean by {unclear}. Rather than drop it and answer "
            "for the whole store, which one do you mean?",
            unclear=unclear,
        )
    # The breakdowns by their labels in the answer's language (the semantic model's).
    dims = tr(language, ", ").join(
        sorted(d.label.in_language(language).lower() for d in model.dimensions.values())
    )
    if reading:
        return tr(
            language,
            "I'm not sure what you mean by {unclear}. Rather than drop it and answer a "
            "different question (I read the rest as: {reading}), could you rephrase? I can "
            "break metrics down by: {dimensions}.",
            unclear=unclear,
            reading=reading,
            dimensions=dims,
        )
    return tr(
        language,
        "I'm not sure what you mean by {unclear}. Rather than drop it and answer a different "
        "question, could you rephrase? I can break metrics down by: {dimensions}.",
        unclear=unclear,
        dimensions=dims,
    )


_PLACES_SHOWN = 5
# A place is named by rapidfuzz WRatio this close ("Shanghia"; "广洲": one of two
# characters); below, the store's places are listed instead ("Atlantis", "拉萨").
_PLACE_SCORE = {"latin": 70, "cjk": 50}


def _position(word: str, raw: str, places: frozenset[str] = frozenset()) -> str | None:
    """Where an unplaced word sits in the question: "breakdown" right after a breakdown word
    ("按国家", "by country"), "place" where a place goes ("in Atlantis", "拉萨的"), else None.
    A word holding an attribute or grouping noun ("会员等级") is neither a place. `places`:
    the store's Chinese place names, of which a homophone slip ("广洲") is a place."""
    lowered = raw.lower()
    at = lowered.find(word.lower())
    if at < 0:
        return None
    before = lowered[:at].rstrip()
    after = lowered[at + len(word) :].lstrip()

    def written_before(cues: tuple[str, ...]) -> bool:
        for cue in cues:
            if starts_cjk(cue):
                if before.endswith(cue):
                    return True
            elif re.search(rf"(?<![a-z]){re.escape(cue)}(?:\s+the)?$", before):
                return True
        return False

    if written_before(reader_words("breakdown_words")) or reader_pattern("per_unit_marks").match(
        word
    ):  # ("按国家", "by country"; "各个区", "每个区": each of a unit)
        return "breakdown"
    nouns = (*reader_words("attribute_nouns"), *reader_words("grouping_nouns"))
    if any(n in word.lower() for n in nouns) or any(ch.isdigit() for ch in word):
        return None
    if has_cjk(word) and not _chinese_place_word(word, places):
        return None  # ("买东西的", "并列的话", "预热的那条"): an ordinary word, no place
    if written_before(reader_words("place_before")) or any(
        after.startswith(cue) for cue in reader_words("place_after")
    ):
        return "place"
    return None


# The last characters of a Chinese place's name ("昆山市", "浦东新区", "义乌县", "崇明岛").
_PLACE_SUFFIXES = ("市", "省", "区", "县", "州", "镇", "乡", "村", "岛", "自治区", "地区")


def _chinese_place_word(word: str, places: frozenset[str] = frozenset()) -> bool:
    """Whether a Chinese word reads as a place: a city's or province's full name
    (knowledge/place_names, "拉萨", "厦门市"), a word ending as places' names do ("昆山市",
    "浦东新区"), or a pinyin-input slip of one of the store's places (`places`): as long as
    it, one character other and sounding the same ("广洲" of 广州, "深镇" of 深圳). One
    character of a short name inside an ordinary word ("东西": 东 of 广东, 西 of 西安; "维度",
    "左右", "南北" beside 南京: 北 does not sound as 京) is no place: such a word is asked
    about as a word."""
    stem = word
    for suffix in ("市", "省"):
        stem = stem.removesuffix(suffix)
    if stem in CITY_NAMES_EN or stem in PROVINCE_NAMES_EN:
        return True
    if len(word) >= 2 and word.endswith(_PLACE_SUFFIXES):
        return True
    return any(_homophone_slip(word, place) for place in places)


def _homophone_slip(word: str, place: str) -> bool:
    """Whether `word` is `place` with one character typed as another that sounds the same."""
    from copilot.offline.typos import _sounds_alike  # (snownlp's pinyin table, read lazily)

    if len(word) != len(place) or len(word) < 2:
        return False
    other = [(a, b) for a, b in zip(word, place, strict=True) if a != b]
    return len(other) == 1 and _sounds_alike(*other[0])


def _store_place_words(ctx: PlannerContext) -> frozenset[str]:
    """The store's Chinese names of its places (the values and aliases of its place
    dimensions)."""
    dimensions = set(_place_dimensions(ctx))
    return frozenset(
        w for w, (d, _) in ctx.values.entries.items() if d in dimensions and has_cjk(w)
    )


def _place_dimensions(ctx: PlannerContext) -> list[str]:
    """The lexicon's place dimensions that the semantic model has and the store holds values of."""
    return [
        d
        for d in reader_words("place_dimensions")
        if d in ctx.semantic_model.dimensions and ctx.values.stored.get(d)
    ]


def _place_hint(word: str, ctx: PlannerContext, language: str) -> str:
    """The store's closest places to the word, best first; when none is close, a few of them."""
    dimensions = _place_dimensions(ctx)
    close = suggestions(
        word, ctx.semantic_model, ctx.values, limit=_PLACES_SHOWN, language=language,
        dimensions=dimensions, score_cutoff=_PLACE_SCORE["cjk" if has_cjk(word) else "latin"],
    )  # fmt: skip
    if close:
        return tr(
            language,
            " (not a place in this store; closest: {places})",
            places=tr(language, ", ").join(close),
        )
    first = dimensions[0]  # the finest place first in the lexicon: cities
    label = ctx.semantic_model.dimension(first).label.in_language(language)
    shown = [
        tr(
            language,
            "{value} ({dimension})",
            value=value_name(v, first, ctx.values, language),
            dimension=label if language == "zh" else label.lower(),
        )
        for v in sorted(ctx.values.stored[first])[:_PLACES_SHOWN]
    ]
    return tr(
        language,
        " (not a place in this store, which has e.g. {places})",
        places=tr(language, ", ").join(shown),
    )


# A store value negated in place ("non-skincare", "non app", "非护肤品"): left out, as above.
_NEGATING_PREFIX = re.compile(r"(?:\bnon[-\s]?|非)$", re.I)

# What joins two values left out together: "excluding Shanghai and Beijing", "除了上海和北京以外".
_VALUE_JOINER = re.compile(r"\s*(?:,|&|\band\b|\bor\b|、|和|及|与|或)\s*(?:the\s+|our\s+)?", re.I)
# Before values left out after them ("上海北京先不算"), two Chinese names said one after the
# other, nothing between, are joined too (not ahead of a value: "线上线下" sets two apart).
_JOINED_BEFORE = re.compile(
    _VALUE_JOINER.pattern + r"|(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", re.I
)


@dataclass(frozen=True)
class Exclusion:
    """A phrase that leaves something out, where it stands in the question (with the values
    joined to it: "excluding Shanghai and Beijing"), and the store values it leaves out as
    (dimension, value): none when it names none, or names more than values ("除了上海老客
    以外": the customers' kind too), which only a question back can settle."""

    phrase: str
    span: tuple[int, int]
    values: tuple[tuple[str, str], ...]


# The verbs of not looking at something (lexicon exclusion): a value so said is left out, a
# figure so said is only set aside.
_NOT_LOOKED_AT = re.compile(r"先不看|不用看|别看|不要看|不看")


def exclusions(raw: str, ctx: PlannerContext) -> list[Exclusion]:
    """Each phrase of `raw` that leaves something out: the lexicon's reader_words.exclusion
    ("excluding Shanghai", "除了上海以外"), exclusion_of_values before a store value
    ("without the app"), or a store value negated in place ("non-skincare", "非护肤品").

    A value is named when its span starts inside the phrase ("excluding Hong Kong": the
    pattern ends at "Hong"), and values joined to it by "and", "、" follow it.
    """
    found = ctx.values.find(raw)
    # A word set aside that names a task or tool ("撇开聚类不谈", "leaving the personas
    # aside"): a declined task (reader_words.negation), never a value left out of the figures.
    # Blanking the declined clauses costs a pass per negation pattern: only done when an
    # exclusion word is there at all (most questions have none).
    matches = list(reader_pattern("exclusion").finditer(raw))
    declined = without_negated(raw) if matches else raw
    phrases = [
        (m.start(), m.end())
        for m in matches
        if declined[m.start() : m.end()].strip()
        # ("不看件数", "换成打开率 不看点击率了": a figure not looked at is set aside, no value
        # left out; "不看数码" leaves the value out)
        and not (
            _NOT_LOOKED_AT.match(raw, m.start())
            and not any(m.start() <= span[0] < m.end() for _, _, span in found)
        )
    ]
    negated = negated_value(raw, ctx)
    if negated:
        start = raw.find(negated)
        phrases.append((start, start + len(negated)))
    # "without the app": an exclusion only when it names a store value.
    phrases += [
        (m.start(), m.end())
        for m in reader_pattern("exclusion_of_values").finditer(raw)
        if any(m.start() <= span[0] < m.end() for _, _, span in found)
    ]
    # "electronics excluded", "the app orders left out": the value said before the words.
    after_values = reader_pattern("exclusion_after_values")
    postfix = [
        (span[0], m.end())
        for _, _, span in found
        if (m := after_values.match(raw, span[1])) and declined[span[0] : m.end()].strip()
    ]
    # ("store and app out", "上海和北京的客户不算"): the values joined before the first one
    # left out are left out with it.
    postfix = [(_joined_start(raw, start, found), end) for start, end in postfix]
    # A prefix phrase starting inside a postfix one ("excluded obviously" after
    # "electronics excluded") is the same exclusion, read once.
    phrases = [p for p in phrases if not any(s < p[0] < e for s, e in postfix)] + postfix
    out = []
    for start, end in sorted(phrases):
        named = sorted((span, d, v) for d, v, span in found if start <= span[0] < end)
        if named and end > named[-1][0][1]:
            tail = raw[named[-1][0][1] : end]
            if tail.strip() and not reader_pattern("exclusion_words").search(tail):
                # "除了上海其他城市", "除了北京 各城市", "除了上海呢": the words the phrase ran on
                # into after its values, with no closing word ("以外", "不算") that would hold
                # them inside it, are the rest of the question, not more left out.
                end = named[-1][0][1]
        last = max([end, *(span[1] for span, _, _ in named)])
        while named and (joined := _VALUE_JOINER.match(raw, last)):
            following = [(s, d, v) for d, v, s in found if s[0] == joined.end()]
            if not following:
                break
            named.append(following[0])
            last = following[0][0][1]
        # The values' dimension named after them ("the app channel", "护肤品类"): left out too.
        # (never a name that asks the breakdown itself: "除了北京 各城市" keeps "各城市")
        names = sorted(
            {
                w
                for _, d, _ in named
                for w in ctx.semantic_model.dimension(d).synonyms.all()
                if not any(re.search(m, w) for m in reader_words("breakdown_marks"))
            },
            key=len,
            reverse=True,
        )
        rest = list(raw[start:last])
        for (value_start, value_end), _, _ in named:
            rest[value_start - start : value_end - start] = " " * (value_end - value_start)
        words = reader_pattern("exclusion_words").sub(" ", "".join(rest))
        at_value = bool(named) and not raw[max(s[1] for s, _, _ in named) : last].strip(" ")
        # ("京沪两个城市", "北京上海两地": the values counted, then their dimension's noun)
        after = re.match(
            r"\s*(?:(?:[两二三四五六七八九十几]|\d+)\s*(?:个|座|家|大)?)?(?:"
            + "|".join(re.escape(w) for w in names)
            + r")(?![a-z])",
            raw[last:],
            re.I,
        )
        if names and after:
            last += after.end()
        # What is counted of the values right after them ("excluding store orders"): no
        # metric; after a frame's closing word ("除了上海以外的订单数") it is the question's.
        # (a value negated in place, "non-store orders", "非门店的订单数", is an adjective: the
        # noun after it is the question's own)
        negated_in_place = negated is not None and raw.find(negated) == start
        counted = (
            reader_pattern("exclusion_counted").match(raw, last)
            if at_value and not negated_in_place
            else None
        )
        if counted and _starts_longer_metric(raw, counted, ctx.semantic_model):
            # "不含小程序的订单数", "excluding app orders count": the noun begins the metric's
            # own name (订单数), the question's figure, not what is counted of the values.
            counted = None
        if counted:
            last = counted.end()
        for name in names:
            words = re.sub(re.escape(name), " ", words, flags=re.I)
        values = tuple((d, v) for _, d, v in named) if not words.strip() else ()
        out.append(Exclusion(raw[start:end].strip(), (start, last), values))
    return out


def _joined_start(raw: str, start: int, found: list) -> int:
    """Where the run of values joined ("store and app", "上海、北京和") up to the value at
    `start` begins: the earliest value joined to the next by _VALUE_JOINER. A bare comma
    joins only a run already joined by a word ("Shanghai, Beijing and Shenzhen out"); alone
    it ends a clause ("store + app, web out": web only)."""
    worded = False
    while True:
        before = [
            (s, m.group(0).strip())
            for _, _, s in found
            if s[1] <= start and (m := _JOINED_BEFORE.match(raw, s[1])) and m.end() == start
        ]
        before = [(s, j) for s, j in before if worded or j != ","]
        if not before:
            return start
        worded = True
        start = min(s[0] for s, _ in before)


def _starts_longer_metric(raw: str, counted: re.Match[str], model: SemanticModel) -> bool:
    """Whether a metric's name starts where the counted noun does (past a 的 or spaces) and
    runs on beyond it ("的订单" of "的订单数")."""
    start = counted.start() + len(counted.group(0)) - len(counted.group(0).lstrip(" 的"))
    text = raw[start:].lower()
    names = (w.lower() for ws in metric_synonyms(model).values() for w in ws)
    return any(text.startswith(w) and start + len(w) > counted.end() for w in names)


def without_exclusions(question: Question, ctx: PlannerContext) -> tuple[str, dict] | None:
    """The question with every phrase that leaves store values out blanked, and those
    values as query_metrics' `exclude` ({dimension: [values]}): "revenue excluding Shanghai
    last month" is "revenue last month" without 上海. None when the question leaves
    nothing out, a phrase names no store value (asked back: `metric_question_problem`), or
    the question is about buyers who did not buy a value (a condition on customers, no row
    of the orders left out)."""
    if reader_pattern("negated_purchase").search(question.raw):
        return None
    found = exclusions(question.raw, ctx)
    if not found or not all(e.values for e in found):
        return None
    text = question.raw
    exclude: dict[str, list[str]] = {}
    for exclusion in found:
        start, end = exclusion.span
        text = text[:start] + " " * (end - start) + text[end:]
        for dimension, value in exclusion.values:
            if value not in exclude.setdefault(dimension, []):
                exclude[dimension].append(value)
    # ("excluding 江浙沪": 上海 beside the provinces left out is the province too)
    municipalities_as_provinces(exclude, ctx.values)
    # "... for everything else": the remainder of what was left out, nothing of its own.
    text = reader_pattern("exclusion_remainder").sub(lambda m: " " * len(m.group(0)), text)
    return text, exclude


def negated_value(raw: str, ctx: PlannerContext) -> str | None:
    """The phrase naming a store value with a negating prefix ("non-skincare", "非护肤品"),
    or None. A value whose own name starts so ("Non-Stick Frying Pan") is found whole, so
    nothing is left before it."""
    for _dimension, _value, (start, end) in ctx.values.find(raw):
        prefix = _NEGATING_PREFIX.search(raw, 0, start)
        if prefix:
            return raw[prefix.start() : end]
    return None


def _units_within_value(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """The phrase asking for each unit inside a channel value ("各个门店", "each store",
    "per store"): the store keeps no field of single shops or apps, so no breakdown gives
    one row per unit; None when the question has no such phrase (lexicon: per_unit_marks)."""
    if "campaign" in (args.get("dimensions") or ()):
        # "every email blast", "each push campaign": the each is of the channel's campaigns,
        # a field the store holds, read as the breakdown by campaign.
        return None
    before = reader_pattern("per_unit_marks")
    for dimension, _value, (start, end) in ctx.values.find(question.raw):
        if dimension != "channel" or dimension in (args.get("dimensions") or ()):
            continue
        mark = next((m for m in before.finditer(question.raw, 0, start) if m.end() == start), None)
        if mark and _campaign_noun_at(question.raw, end, ctx):
            continue  # "across every email campaign": the channel's campaigns, pooled or not
        if mark and not reader_pattern("per_unit_people").match(question.raw, end):
            return question.raw[mark.start() : end].strip()
    return None


def _campaign_noun_at(raw: str, at: int, ctx: PlannerContext) -> bool:
    """Whether a word of the campaign dimension starts at `at` ("email campaign", "邮件活动")."""
    if "campaign" not in ctx.semantic_model.dimensions:
        return False
    rest = raw[at:].lstrip().lower()
    dimension = ctx.semantic_model.dimension("campaign")
    words = [dimension.label.zh, *load_lexicon().dimension_nouns.get("campaign", ())]
    return any(
        rest.startswith(w.lower()) and (has_cjk(w) or not rest[len(w) : len(w) + 1].isalpha())
        for w in words
        if w
    )


def _units_within_value_question(phrase: str, reading: str, zh: bool) -> str:
    """Ask back on a breakdown by single shops or apps inside a channel value."""
    return tr(
        "zh" if zh else "en",
        "The store's data has no field for single shops or outlets inside a sales channel, so "
        "I can't give one row per “{phrase}”, and I won't answer with the channel as a whole "
        "or another breakdown instead. I can give the figure for that channel as one total, or "
        "the figure by channel. (I read the rest as: {reading})",
        phrase=phrase,
        reading=reading,
    )


def _negated_rate(question: Question, args: dict[str, Any], ctx: PlannerContext) -> str | None:
    """The phrase that negates an asked rate's behaviour ("did not buy again", "没有复购"),
    or None. Only percent metrics: "orders not from the app" is an exclusion, above."""
    phrases = load_lexicon().metric_phrases
    for metric in args.get("metrics") or []:
        definition = ctx.semantic_model.metric(metric)
        if definition.format != "percent":
            continue
        words = (*definition.synonyms.all(), *phrases.get(metric, ()))
        pattern = metric_word_pattern("negated_rate", tuple(words))
        found = pattern.search(question.raw) if pattern else None
        if found and definition.special == "churn_rate" and not _names_any(found.group(0), words):
            # "did not come back": not buying again is what the churn rate counts, not its
            # complement; only "did not churn" negates it.
            continue
        if found:
            return found.group(0).strip()
    return None


def _conditioned_population(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """The clause describing the customers a figure is asked over by an event other than
    buying that the figure does not measure ("revenue from customers who opened an email":
    a condition on customers, not the opens), or by any such event negated ("buyers who
    have not returned anything", "没打开过邮件的客户的销售额": the asked metric counts the
    event, not those without it), or None. Lexicon: population_clause, population_events,
    clause_negation. The metric query filters rows by store values only, so either answer
    would be for all customers."""
    model = ctx.semantic_model
    asked = set(args.get("metrics") or ())
    events = reader_pattern("population_events")
    negation = reader_pattern("clause_negation")
    for pattern in reader_words("population_clause"):
        for found in re.finditer(pattern, question.raw, re.I):
            clause = found.group("clause")
            event = events.search(clause)
            if event is None:
                continue
            measured = bool(asked) and asked <= _event_family(model, event.lastgroup)
            if negation.search(clause[: event.start()]) or not measured:
                return clause.strip()
    return None


def _event_family(model: SemanticModel, event: str) -> frozenset[str]:
    """The metrics that measure an event counted by `event` (a metric name): itself, its
    amount (lexicon amount_of: returned orders -> returns), and every rate or formula built
    on one of those (return_rate, average_return_value; open_rate, click_to_open_rate)."""
    if event not in model.metrics:
        return frozenset()  # reviews: no metric counts them
    lexicon = load_lexicon()
    family = {event, *(v for k, v in lexicon.amount_of.items() if k == event)}
    family |= {lexicon.rate_of[m] for m in family if m in lexicon.rate_of}
    for name in model.metrics:
        if family.intersection(_metric_parts(model, name)):
            family.add(name)
    return frozenset(family)


def _conditioned_population_question(clause: str, reading: str, zh: bool) -> str:
    """Ask back on customers described by what they did or did not do besides buying."""
    return tr(
        "zh" if zh else "en",
        "You described the customers as “{clause}”. I can narrow a figure by store values (a "
        "city, channel, category or campaign) or to an RFM or saved segment, but not to "
        "customers who did or did not do that, and I won't answer for all customers instead. "
        "Save a rule segment for them first, or ask without that condition. (I read the rest "
        "as: {reading})",
        clause=clause,
        reading=reading,
    )


def _names_any(phrase: str, words: tuple[str, ...]) -> bool:
    lowered = phrase.lower()
    return any(w.lower() in lowered for w in words)


def _negated_rate_question(phrase: str, reading: str, zh: bool) -> str:
    """Ask back on a rate asked the other way round: the query gives the rate, not its complement."""
    return tr(
        "zh" if zh else "en",
        "You asked for the share that did not do it (“{phrase}”); I compute the rate itself, "
        "and I won't give it as if it were the opposite. Ask for the rate (the rest is 100% "
        "minus it). (I read the rest as: {reading})",
        phrase=phrase,
        reading=reading,
    )


def unread_exclusion(question: Question, args: dict[str, Any], ctx: PlannerContext) -> str | None:
    """The question back on a phrase that leaves out something no store value names
    ("and excluding returns?" after a revenue question), with `args` as the reading so
    far; None when the question has no such phrase."""
    phrase = next((e.phrase for e in exclusions(question.raw, ctx) if not e.values), None)
    if phrase is None:
        return None
    zh = question.language == "zh"
    return _exclusion_question(phrase, _reading(args, ctx, zh), zh)


def _exclusion_question(phrase: str, reading: str, zh: bool) -> str:
    """Ask back on something to leave out that is no store value ("excluding returns") or
    more than values ("除了上海老客以外"), or on buyers who did not buy a value."""
    return tr(
        "zh" if zh else "en",
        "I can leave a store value out of a figure (a city, channel or category, say), but "
        "“{phrase}” names none I can leave out, and I won't answer for the value alone or for "
        "the whole store instead. Which value do you mean? Or ask for a breakdown (e.g. by "
        "city) to read the others. (I read the rest as: {reading})",
        phrase=phrase,
        reading=reading,
    )


_BOTH = re.compile(r"\bboth\b|都(?:买|购买|下单|有)|两(?:年|个月|期)都|同时", re.I)


def _calls_period(args: dict) -> PeriodMatch | None:
    """The period the call reads, parsed from its time_range."""
    return find_period(str(args.get("time_range") or ""), planner_today())


def _is_the_calls_period(found: PeriodMatch, args: dict) -> bool:
    """Whether a period left in the question's words is the one the call reads."""
    used = _calls_period(args)
    return used is not None and (used.range.start, used.range.end) == (
        found.range.start,
        found.range.end,
    )


def _holds_the_calls_period(found: PeriodMatch, args: dict) -> bool:
    """Whether a period left in the question's words holds the call's period whole (the year
    of a festival whose campaigns' window the call reads)."""
    if not (args.get("filters") or {}).get("campaign"):
        return False
    used = _calls_period(args)
    return used is not None and (
        found.range.start <= used.range.start and used.range.end <= found.range.end
    )


def _reading(args: dict[str, Any], ctx: PlannerContext, zh: bool) -> str:
    """What the planner understood so far, in words: "revenue, last month, by city"."""
    model = ctx.semantic_model
    language = "zh" if zh else "en"
    parts = [model.metric(m).label.in_language(language) for m in args.get("metrics", [])]
    if args.get("time_range"):
        parts.append(str(args["time_range"]))
    for dimension in args.get("dimensions", []):
        label = model.dimension(dimension).label.in_language(language)
        label = label if zh else label.lower()  # "by city" in running English text
        parts.append(tr(language, "by {dimension}", dimension=label))
    for values in (args.get("filters") or {}).values():
        parts.append(tr(language, ", ").join(values))
    if not parts:
        return ""
    return reduce(lambda a, b: tr(language, "{first}, {second}", first=a, second=b), parts)
