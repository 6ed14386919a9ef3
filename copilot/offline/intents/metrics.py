"""Metric questions: reading them into query_metrics calls and writing the answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from copilot.offline.campaigns import (
    campaign_channels,
    campaign_named,
    campaigns_by_their_words,
    campaigns_window,
    festival_campaign_without_year,
    festival_campaigns,
    festival_in_other_years,
    names_a_campaign,
    period_after_the_name,
    period_beside_campaign,
    period_is_the_name,
    ran_within,
    runs_on,
    year_said,
)
from copilot.offline.clock import planner_today
from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.intents.rule_parts import (
    count_then_recency,
    customer_languages,
    negated_order,
    no_orders_in,
    order_count,
    recency_written_out,
    spend_condition,
)
from copilot.offline.intents.shares import share_calls
from copilot.offline.question import (
    NOT_COMPARISON,
    Question,
    apart_period,
    clean_period_phrase,
    named,
    named_by,
    names_two_periods,
    ranked_noun,
    top_n,
    top_n_spans,
    word_occurs,
)
from copilot.offline.restated import Definition, ratio_of, restated_ratios
from copilot.offline.vocabulary import (
    _metric_word_spans,
    best_ranking_word,
    blank,
    bottom_ranking_word,
    breakdowns_named,
    breakdowns_refused,
    clause_end,
    dimension_spans,
    dimension_synonyms,
    load_lexicon,
    lower_is_better,
    lowered_metric_words,
    metric_synonyms,
    metrics_in_said_order,
    metrics_named,
    orders_of_a_value_spans,
    paired_at,
    paired_metrics,
    reader_pattern,
    reader_words,
    whole_not_broken_down,
    with_bare_amount,
    with_gross_sales,
    worst_ranking_word,
)
from copilot.offline.words import first_span
from copilot.unicode_text import has_cjk
from knowledge.presentation import (
    N_,
    day_span,
    format_change,
    format_percent,
    format_value,
    is_missing,
    join_list,
    label_in_sentence,
    money_style,
    ntr,
    period_name,
    period_phrase,
    period_text,
    span_text,
    to_date_unit,
    tr,
)
from knowledge.presentation.numbers import MoneyStyle
from knowledge.presentation.values import period_label
from knowledge.semantic import SemanticModel
from knowledge.semantic.sources import aliases_in
from knowledge.time_ranges import find_period
from tools.base import ToolOutput

_ROWS_LISTED = 20
FUNNEL = ["delivered", "opens", "clicks", "conversions", "conversion_rate"]


def _orders_of_a_value(question: Question) -> bool:
    """Whether the question names orders by a store value after a preposition ("AOV of web
    orders", "小程序订单的客单价"): the value's blank in `question.text` holds it."""
    return bool(orders_of_a_value_spans(question.text, question.raw))


def conflicting_definition_text(conflict: Definition, language: str, model: SemanticModel) -> str:
    """The question back for a definition written against the store's ("orders including
    cancelled ones"): both named, neither answered for the other."""
    metric = model.metric(conflict.metric)
    return tr(
        language,
        "You wrote {metric} as “{written}”, but the store defines {metric} as: {defined} "
        "I won't answer one for the other. Do you want {metric} as the store defines it?",
        metric=metric.label.in_language(language),
        written=conflict.written,
        defined=tr(language, metric.description),
    )


def _without_restated_definition(text: str, language: str, model: SemanticModel) -> str | AskBack:
    """`text` with a ratio metric's definition restated beside it blanked ("AOV (revenue /
    orders)": context, no new ask); a restated ratio that is not the asked metric's own is
    asked back naming both. A ratio written with no ratio metric asked beside it ("net sales
    / buyers last month") is the question itself and stays."""
    restated = restated_ratios(text, model)
    if not restated:
        return text
    rest = text
    for r in restated:
        rest = rest[: r.span[0]] + " " * (r.span[1] - r.span[0]) + rest[r.span[1] :]
    _, rest_text = paired_metrics(rest, model)
    ratios = [m for m in metrics_named(rest_text, model) if ratio_of(m, model)]
    if not ratios:
        return text
    for r in restated:
        if any(ratio_of(m, model) == (r.numerator, r.denominator) for m in ratios):
            continue
        asked = ratios[0]
        num, den = ratio_of(asked, model) or (r.numerator, r.denominator)

        def label(metric: str) -> str:
            return model.metric(metric).label.in_language(language)

        return AskBack(
            tr(
                language,
                "You wrote {metric} as {written}, but the store defines {metric} as {defined}, "
                "and I won't answer one for the other. Which do you want: {metric} as the store "
                "defines it, or {written} side by side as two figures?",
                metric=label(asked),
                written=f"{label(r.numerator)} / {label(r.denominator)}",
                defined=f"{label(num)} / {label(den)}",
            )
        )
    return rest


# The customers' own attributes a group of people is said by (MARKETING.md: the city is the
# customer's); the channel only where they signed up through it.
_CUSTOMER_ATTRIBUTES = ("gender", "city", "province", "language", "age_band", "signup_channel")


def _customer_attribute_named(question: Question) -> bool:
    """Whether the question names a value of a customer attribute (gender, city, signup
    channel, language, age band): the people a count of buyers is filtered to."""
    if any(question.filters.get(d) for d in _CUSTOMER_ATTRIBUTES):
        return True
    if customer_languages(question.raw):  # "English-language customers": their own setting
        return True
    return bool(question.filters.get("channel")) and bool(_SIGNED_UP.search(question.text))


def _item_selling(question: Question, text: str, model: SemanticModel) -> bool:
    """Whether the question asks how a product or category sells with no figure named but
    by its selling verb ("how are the down jackets selling", "how well did mats sell",
    "瑜伽垫卖得怎么样"): its revenue and units."""
    if not (question.filters.get("product") or question.filters.get("category")):
        return False
    pattern = reader_pattern("item_selling")
    if not pattern.search(text):
        return False
    return not metrics_named(pattern.sub(lambda m: " " * len(m.group(0)), text), model)


def _people_of_a_value(question: Question, text: str, ctx: PlannerContext) -> bool:
    """Whether the buyers were named only by people said right after a store value
    ("Shanghai shoppers", "female buyers", "上海的买家": lexicon reader_words `value_people`):
    those people are whose figure it is, no count of buyers asked beside it."""
    if len(text) != len(question.raw):
        return False
    spans = []
    for _dimension, _value, (_start, end) in ctx.values.find(question.raw):
        found = reader_pattern("value_people").match(question.raw, end)
        if found:
            spans.append(found.span())
    if not spans:
        return False
    blanked = text
    for start, end in spans:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    return "buyers" not in metrics_named(blanked, ctx.semantic_model)


# The people a negated order is said of ("customers", "客户"): counted by the rule reader.
_PEOPLE_COUNTED = re.compile(
    r"(?i)\b(?:customers|buyers|shoppers|clients|users|members|people|accounts)\b"
    r"|客户|顾客|用户|会员|买家|人"
)


# A headcount asked of a segment beside its figure ("how many Champions are there and ...",
# "Champions有多少人", "有多少会员"), not a count of its orders or messages.
_SEGMENT_HEADCOUNT = re.compile(
    r"(?i)\bhow many\b(?!\s+(?:orders?|units?|items?|products?|times?|messages?|emails?|sms|texts?"
    r"|clicks?|opens?|conversions?|returns?|days?|purchases?|of\s+(?:their|its)\b))"
    r"|多少(?:个|位|名)?(?:人|会员|客户|顾客|用户)|几(?:个|位)人"
)


def read_metric_question(
    question: Question, ctx: PlannerContext
) -> dict[str, Any] | list[dict[str, Any]] | AskBack | None:
    """query_metrics arguments for a question that names a metric, else None."""
    from copilot.offline.intents.ab_tests import plans_sample_size

    if plans_sample_size(question):
        return None  # "转化率6%，MDE 2个点，每组多少人" states the rate: it plans a test
    if reader_pattern("metric_definition_question").search(question.raw):
        return None  # "复购率是怎么算的": how the figure is computed, the definitions' answer
    if reader_pattern("single_customer_ranked").search(question.raw):
        # "which customer placed the most orders in Changsha", "长沙下单最多的那个客户": one
        # customer ranked; a metric has no row per customer, and the city's total would answer
        # another question.
        return AskBack(
            tr(
                question.language,
                "The metric query has no row per customer, so I can't say which customer "
                "ranks first from it, and I won't answer with the total instead. Ask for the top "
                "customers as a list, e.g. “top 5 customers by orders” (a read-only SQL query).",
            )
        )
    model = ctx.semantic_model
    # "流失风险客户的销售额": the segment's name is no metric (流失, churn) of its own.
    unsegmented = blank(
        question.text, [w for _, w in _segment_words(question.text, model, question.raw)]
    )
    # "since we opened", "ever since the shop launched": the store's history, no opens.
    unsegmented = reader_pattern("business_began").sub(lambda m: " " * len(m.group(0)), unsegmented)
    unsegmented = _without_restated_definition(unsegmented, question.language, model)
    if isinstance(unsegmented, AskBack):
        return unsegmented
    # "by orders.channel", "customers.city": the table of a column written out names the
    # column's home, no metric (orders) beside the one asked.
    unsegmented = _TABLE_OF_COLUMN.sub(lambda m: " " * len(m.group(0)), unsegmented)
    # "the amount, not how many orders", "我要的是金额，不是退了几单": the figure refused is
    # no metric of the question, whatever reader would name it (a pair's phrase included).
    unsegmented = _refused_clauses_blanked(unsegmented, model)
    named_metrics, paired, text = metrics_in_said_order(unsegmented, model)
    ltv_cohort = "average_ltv" in named_metrics and reader_pattern("ltv_cohort").search(text)
    if ltv_cohort:
        # "average LTV of the customers we first sold to in 2025": whose lifetime, no metric
        text = reader_pattern("ltv_cohort").sub(lambda m: " " * len(m.group(0)), text)
        still = metrics_named(text, model)
        named_metrics = [m for m in named_metrics if m in paired or m in still]
    if (
        set(named_metrics) <= {"orders", "buyers"}  # (none named: "how many customers ...")
        and (
            no_orders_in(question) is not None
            or recency_written_out(question.raw) != question.raw  # "for 30+ days" of none
            # ("haven't ordered in 90 days": a span the period reader leaves to the rule)
            or negated_order(question)
        )
        and _PEOPLE_COUNTED.search(question.raw)
    ):
        # "how many shoppers have had no orders in the last 60 days", "近两个月没下过单的客户数":
        # the order words are the negation's; the people with none are the rule reader's,
        # never the period's orders or buyers (the very people the question leaves out).
        return None
    named_metrics = _set_aside(text, named_metrics, model)
    # The kinds set aside are read in the text before a pair's phrase was blanked: a pair's
    # phrase may run over the refusal ("流失人数多少（不要比率）": the pair's rate is refused).
    named_metrics = _other_kind(unsegmented, named_metrics, model)
    named_metrics = _count_glossing_its_rate(text, named_metrics, model)
    named_metrics = _count_asked_of_rate(question.raw, named_metrics, model)
    named_metrics = _count_beside_rate(question.raw, named_metrics)
    named_metrics = _count_glossing_its_own_noun(text, named_metrics, model)
    named_metrics = _parts_in_its_formula(text, named_metrics, model)
    named_metrics = _population_of_its_subset(text, named_metrics, model)
    named_metrics = _population_qualifying(unsegmented, named_metrics, model)
    named_metrics = _received_count(question, text, named_metrics, model)
    if (
        "average_ltv" in named_metrics
        and "revenue_per_buyer" in named_metrics
        and not _names_revenue_per_buyer(question.text, model)
    ):
        # "how much does one customer spend with us over their whole relationship": the
        # lifetime value is that spend per buyer, over all their orders; one figure, not two
        parts = set(model.metric("revenue_per_buyer").ratio or ())
        named_metrics = [m for m in named_metrics if m != "revenue_per_buyer" and m not in parts]
    if not named_metrics and _segment_spent(question, model):
        named_metrics = ["revenue"]  # "忠诚客户去年消费了多少": what those people spent
    item_selling = _item_selling(question, text, model)
    if item_selling:
        named_metrics = ["revenue", "units"]  # "how is the yoga mat selling": its sales
    if (
        not named_metrics
        and _customer_attribute_named(question)
        and not (question.filters.get("category") or question.filters.get("product"))
        and not (question.filters.get("channel") and not _SIGNED_UP.search(question.text))
        and reader_pattern("people_group_ordered").search(question.raw)
        and not reader_pattern("segment_saved").search(question.raw)
    ):
        # "how many men ordered in May", "how many shoppers from Ningbo placed an order in
        # Q2", "多少通过app注册的客户上周下过单": the buyers with that customer attribute. With a
        # purchase of a category or product, or through an order channel ("women who bought
        # through the app"), it stays the rule segment's count, as before round 15; saving
        # them ("save them as a segment") stays a segment.
        named_metrics = ["buyers"]
    if (
        "buyers" in named_metrics
        and "buyers" not in paired
        and len(named_metrics) > 1
        and question.has(*reader_words("per_person"))
    ):
        named_metrics.remove("buyers")  # "每个买家的客单价": whose AOV, not the buyers beside it
    if (
        "buyers" in named_metrics
        and "buyers" not in paired
        and len(named_metrics) > 1
        and question.has(*reader_words("people_subject"))
    ):
        named_metrics.remove("buyers")  # "how much did shoppers get back in refunds": theirs
    if "buyers" in named_metrics and "buyers" not in paired and len(named_metrics) > 1:
        if _people_of_a_value(question, text, ctx):
            named_metrics.remove("buyers")  # "Shanghai shoppers' AOV": whose AOV, no count
    metrics = with_gross_sales(question.text, named_metrics, model)
    if metrics == ["revenue"] and _counts_items(question):
        metrics = ["units"]  # "how many laptops did we sell": sell counts items, not money
    if (
        "units" in metrics
        and not item_selling
        and not question.has(*reader_words("money_words"))
        and not _joined_to_units(question.text, model)
    ):
        metrics = [m for m in metrics if m != "revenue"]  # "how many units did we sell"
    if _units_per_order(question, model):
        return AskBack(
            tr(
                question.language,
                "The store has no units-per-order metric (the average number of items in one "
                "order), and I won't answer with the units sold instead. I can give the units "
                "sold and the number of orders for the same period side by side.",
            )
        )
    if metrics and reader_pattern("average_amount").search(text):
        if not any(model.metric(m).format == "money" for m in metrics):
            # "average value of conversions", "转化的平均金额": an average amount the store
            # has no metric for, never the count (or rate) its noun names.
            return AskBack(
                tr(
                    question.language,
                    "The store has no metric for the average amount of {metrics}, and I won't "
                    "answer with {metrics} instead. I can give {metrics} and a money figure "
                    "(for example the attributed revenue, or the returns) side by side, or "
                    "the AOV (average order value).",
                    metrics=", ".join(
                        model.metric(m).label.in_language(question.language) for m in metrics
                    ),
                )
            )
    # "订单数和金额", "orders and value": the amount of what is counted, never dropped.
    metrics, unclear = with_bare_amount(question.text, metrics, model)
    if unclear is not None and metrics:
        return AskBack(
            tr(
                question.language,
                "I'm not sure which amount \u201c{amount}\u201d is beside {metrics}, and I "
                "won't drop it and answer only part of the question. Which amount do you mean "
                "(for example the revenue of the orders, or the returns' amount)?",
                amount=_amount_words(unclear),
                metrics=", ".join(
                    model.metric(m).label.in_language(question.language) for m in metrics
                ),
            )
        )
    if "orders" in metrics and len(metrics) > 1 and _orders_of_a_value(question):
        metrics = [m for m in metrics if m != "orders"]  # "AOV of web orders": web's AOV
    if "returns" in metrics and question.has(*reader_words("share_of_sales")):
        # "refunds in $ and as a % of sales" / "of gross": the share of sales refunded is the
        # return rate (returns / gross sales), not the sales beside it.
        metrics = [m for m in metrics if m not in ("revenue", "gross_sales")]
        metrics = list(dict.fromkeys([*metrics, "return_rate"]))
    # "revenue from New Customers" written as the RFM segment's name: the segment filter
    # below, not the first-time-buyer cohort.
    named_segment = bool(rfm_segments_named(question, model))
    cohort = None if named_segment else _cohort_qualifier(question, model, metrics)
    if cohort is not None:
        return cohort
    if ltv_cohort and any(m != "average_ltv" for m in metrics):
        # "average LTV and revenue of the customers acquired in 2025": the cohort holds for the
        # whole list, and only the average LTV selects it; the others would be the store's.
        return _cohort_ask_back(
            question.language, model, [m for m in metrics if m != "average_ltv"]
        )
    # "同比环比都看一下": both comparisons, one call each (the answer gives both).
    both_comparisons = bool(metrics) and asks_both_comparisons(question)
    if question.has("funnel", "漏斗"):
        metrics = list(dict.fromkeys([*FUNNEL, *metrics]))
    if not metrics and (
        any(word_occurs(p, question.raw.lower()) for p in reader_words("campaign_review"))
        or (question.compares_periods and festival_campaigns(question, ctx.values))
    ):
        # "campaign performance review", "活动效果复盘": each campaign's review figures; so
        # are a festival's campaigns of two years set side by side with no figure named.
        metrics = [m for m in load_lexicon().campaign_review_metrics if m in model.metrics]
        reviewed_by_campaign = "campaign" in model.dimensions
    else:
        reviewed_by_campaign = False
    grows = any(
        word_occurs(p, question.raw.lower())
        for kind in ("change_rise_ranking", "change_fall_ranking")
        for p in reader_words(kind)
    )
    if not metrics and (top_n(question.text) or grows) and _ranks_things(question, model):
        # "Top 3 product categories" ranks by sales: revenue, and the answer says so; "the 3
        # cities with the most customers" ranks by how many people bought: buyers.
        raw = question.raw.lower()
        by_people = any(word_occurs(p, raw) for p in reader_words("ranked_by_people"))
        metrics = ["buyers" if by_people and "buyers" in model.metrics else "revenue"]
    if not metrics:
        return None
    if set(metrics) <= {"revenue", "buyers", "orders"} and _people_by_spend(question):
        return None  # "customers who spent over 4,000": those people, the rule reader's
    counted = _order_count_condition(question, metrics)
    if counted.for_rule_segment:
        return None  # those customers' count: the rule-segment reader's
    if counted.ask is not None:
        return counted.ask
    from copilot.offline.intents.segments import asks_rfm_size_and_share  # imports this module

    if asks_rfm_size_and_share(question, model):
        return None  # a segment's size and share of revenue: the RFM table's own columns
    dimensions = breakdowns_named(question.text, model) or _ranked_dimension(question, model)
    # "上个月所有商品的总销售额", "total sales of all products": the whole, one figure.
    dimensions = whole_not_broken_down(question.text, dimensions, model, question.raw)
    # "overall, not per variant", "(any channel)", "不分渠道": set aside, no breakdown.
    dimensions = breakdowns_refused(question.text, dimensions, model)
    dimensions = _one_grain_for_a_trend(question.text, dimensions, model)
    if reviewed_by_campaign and "campaign" not in dimensions:
        dimensions = ["campaign", *dimensions]
    filters = dict(question.filters)
    channels = list(filters.get("channel") or ())
    if (
        "push" in channels
        and len(channels) > 1
        and reader_pattern("promotion_push").search(question.raw)
    ):
        # "last year's Double 11 push, what open rate did our text messages get": the push is
        # the festival's sales drive, the channel asked is the one named beside it.
        filters["channel"] = [c for c in channels if c != "push"]
    if dimensions and reader_pattern("examples_given").search(question.raw):
        # "CTR by outreach channel (push, sms and the like)", "各品类（护肤、母婴等）的销售额":
        # values given as examples of the breakdown's rows filter nothing (as in a follow-up,
        # copilot/offline/followups.py): the rows are every value.
        filters = {d: vs for d, vs in filters.items() if d not in dimensions}
    time_range = question.time_range
    if (
        "channel" in filters
        and "signup_channel" in model.dimensions
        and _SIGNED_UP.search(question.text)
    ):
        # "customers who signed up through the app", "在门店注册的客户": the channel named is
        # where they signed up, not where they ordered (read in the text: a note choosing the
        # order channel over the signup one is blanked there, question._dimension_chosen).
        filters["signup_channel"] = filters.pop("channel")
    spoken = customer_languages(question.raw)
    if spoken and "language" in model.dimensions and "language" not in filters:
        # "shoppers with English set as their language", "语言设置是英文的客户": their own setting.
        filters["language"] = spoken
    campaign = None
    if "campaign" not in filters and (
        # "the 2026 win-back email": the words of a store campaign's name beyond its period
        # name it as a campaign word would, the period and channel picking the one
        names_a_campaign(question) or campaigns_by_their_words(question, ctx.values)[1]
    ):
        campaign = campaign_named(question, ctx.values)
        if (
            campaign
            and question.compares_periods
            and len(festival_campaigns(question, ctx.values)) > 1
        ):
            # "Spring Festival SMS campaign conversion, 2026 vs 2025": the festival's campaign
            # of each period compared, never one of them alone
            campaign = None
    if campaign is None and "campaign" not in filters:
        from copilot.offline.intents.ab_tests import ab_campaign_named  # (imports this module)

        # "春节AB测试活动的ROI": the store's A/B campaign named as a test, its own figure.
        campaign = ab_campaign_named(question, ctx)
    if campaign:
        # "the 618 2026 email campaign" is that campaign: it sets the period and channel.
        # Without a campaign word ("去年618期间推送的打开率") the question is read as said:
        # the channel over the period, every campaign in it.
        filters.pop("channel", None)
        filters["campaign"] = [campaign]
        # ("618 email this year": the year said apart from the festival stays the period;
        # "今年4月那次召回邮件": a period narrower than the one the name holds is kept too)
        time_range = _year_of_the_campaign(period_beside_campaign(question), campaign, ctx) or (
            period_after_the_name(question)
            if period_is_the_name(question, campaign)
            else time_range
        )
        if time_range and not ran_within(campaign, time_range) and not year_said(question.raw):
            # "双11推送AB测试" with the test run in 2025: a festival said without its year is the
            # named campaign's, not the latest festival's days, when they do not hold it
            time_range = None
    if not (campaign or "campaign" in filters):
        said, of_years = festival_campaign_without_year(question, ctx.values)
        if of_years:
            # "the 618 promo", "双11那次": the latest festival's days are a convention, but
            # which of its campaigns (of several years and channels) is meant is not.
            return AskBack(
                tr(
                    question.language,
                    _ASK_FESTIVAL_WHICH,
                    named=said,
                    campaigns=tr(question.language, ", ").join(of_years[:8]),
                )
            )
    festival = [] if campaign or "campaign" in filters else festival_campaigns(question, ctx.values)
    if (
        len(festival) > 1
        and not question.compares_periods
        and reader_pattern("campaign_one").search(question.raw)
        and not reader_pattern("festival_campaigns_apart").search(question.raw)
    ):
        # "the Double 11 campaign last year" when that Double 11 had an SMS, a push and a
        # social campaign: one of them is meant, and pooling the three answers another question.
        return AskBack(
            tr(
                question.language,
                _ASK_CAMPAIGN_OF_SEVERAL,
                named=festival[0].split(" - ", 1)[0],
                campaigns=tr(question.language, ", ").join(festival[:8]),
            )
        )
    if not (campaign or festival or "campaign" in filters) and names_a_campaign(question):
        others = festival_in_other_years(question, ctx.values)
        if others:
            # "the Singles Day 2023 SMS blast" with no such campaign: another year's campaign,
            # or the festival's days over every send, would answer another question.
            return AskBack(
                tr(
                    question.language,
                    _ASK_FESTIVAL_YEAR,
                    named=question.time_range,
                    campaigns=tr(question.language, ", ").join(others[:6]),
                )
            )
    counterpart = load_lexicon().campaign_metrics
    campaigns_did = bool(reader_pattern("campaigns_did").search(question.raw))
    if festival and not all(
        _computed_by(m, "campaign", model)
        # ("what did the 618 campaigns bring in attributed revenue": the revenue word is the
        # attributed revenue said beside it; "what revenue did the Double 11 campaigns drive":
        # the campaigns made it)
        or (
            (campaigns_did or counterpart.get(m) in metrics)
            and m in counterpart
            and _computed_by(counterpart[m], "campaign", model)
        )
        for m in metrics
    ):
        # "双十一活动的订单数": the store's orders are no campaign's; the festival's days, as
        # said without the campaigns. Only the campaigns' own figures measure them ("the 618
        # campaigns' cost / attributed revenue"): plain revenue, orders or units are never
        # turned into attributed revenue by a festival named beside them.
        festival = []
    if festival:
        # "this year's 618 campaigns", "双十一的活动": the festival's own campaigns are the
        # filter (their names hold its period), not its window over every send of the store;
        # "what each one cost" puts each in its row.
        filters.pop("channel", None)
        filters["campaign"] = festival
        time_range = None
    elif len(filters.get("channel") or ()) == 1 and runs_on(
        list(filters.get("campaign") or ()), filters["channel"][0]
    ):
        # "the Double 11 2026 - SMS campaign: share of delivered texts clicked": the texts
        # are the campaign's own messages, no second filter beside it.
        del filters["channel"]
    if time_range is None and filters.get("campaign"):
        # "the Double 11 2025 SMS", "春节那次AB测试" with no period said: the campaign's own
        # window is the period (stated in the answer), not all time.
        time_range = campaigns_window(list(filters["campaign"]), ctx.values)
    elif time_range and filters.get("campaign"):
        # "unsubscribes from the CNY texts this year": a period that holds the campaign's
        # whole run cuts nothing from it, so the campaign's own window is the period stated.
        from copilot.offline.campaigns import _range_of
        from copilot.offline.clock import planner_today

        window = campaigns_window(list(filters["campaign"]), ctx.values)
        said = _range_of(time_range, planner_today())
        ran = _range_of(window, planner_today()) if window else None
        if said and ran and said[0] <= ran[0] and ran[1] <= said[1]:
            time_range = window
    segments = rfm_segments_named(question, model)
    if segments and "rfm_segment" not in filters:
        # "net sales from Champions": the RFM segment is a filter, never silently dropped
        # (with no RFM run saved, the tool runs the segmentation first and the answer says so).
        filters["rfm_segment"] = segments
    if (
        filters.get("rfm_segment")
        and time_range is None
        and "buyers" not in metrics
        and _SEGMENT_HEADCOUNT.search(question.raw)
    ):
        # "how many Champions are there and what is their average LTV?": the headcount is
        # asked too, never dropped; an RFM segment's members are all buyers (M > 0), so its
        # all-time buyers are its size.
        metrics = ["buyers", *metrics]
    if not campaign and not names_a_campaign(question):
        metrics = _revenue_people_brought(question, text, metrics, filters, dimensions, ctx)
    metrics = _campaign_counterparts(
        metrics, [*filters, *dimensions], model, _marketing_channels_only(filters, ctx)
    )
    metrics = _customer_spend(question, metrics, [*filters, *dimensions], model)
    # "revenue in Shanghai" filters by city; "email vs SMS" compares, so it groups too;
    # "skincare + makeup only" is one filter over both values, no breakdown.
    # "A版、B版的打开率分别多少", "for A and B respectively": each value's own figure.
    # "苏州 and 南京 together, Oct vs Sep": the comparison is of the two periods, the values
    # one total in each.
    joined = JOINED.search(question.raw)
    values_compared = _compares_values(question.raw, model) and not (
        joined and names_two_periods(question.raw)
    )
    narrowed = bool(_ONLY.search(question.raw) or joined) and not (
        values_compared or _EACH_ONE.search(question.raw)
    )
    # A list of values of one dimension ("北京、深圳两地", "Xi'an and Changsha") is one filter,
    # one total: a row per value needs a word of its own, said of the values (lexicon
    # values_apart: "each", "分别", "vs", "对比") or the dimension's own breakdown ("按城市").
    # A list of every value the metrics reach ("women and men") narrows nothing: that is the
    # breakdown.
    apart = bool(
        values_compared
        or any(
            not re.search(_NOT_BEFORE, question.raw[: m.start()])
            for m in reader_pattern("values_apart").finditer(question.raw)
        )
    )
    compared = (
        []
        if narrowed
        else [
            d
            for d, values in filters.items()
            if len(values) > 1
            and (
                apart
                or (d in dimensions and not _counted_noun_only(question.raw, d, model))
                or names_every_reached_value(d, values, metrics, ctx)
                or _rates_only(metrics, model)
            )
        ]
    )
    if len(compared) > 1:
        # "成都重庆 … 门店vs小程序": the list set against itself is broken down; the other list
        # stays one filter over its values.
        against = _set_against(question, compared, ctx)
        if against:
            compared = against
    if dimensions and not (values_compared or _EACH_ONE.search(question.raw)):
        # "宁波和无锡，今年，订单数按月看", "email and SMS clicks by week": values listed beside a
        # breakdown of another dimension narrow it (one filter over them), no second breakdown;
        # listed beside a breakdown of their own dimension, that breakdown holds them.
        compared = [d for d in compared if d in dimensions]
    if festival and len(festival) > 1:
        # (two years' campaigns compared: each campaign in its row, the years side by side)
        apart = (
            "campaign" in dimensions
            or question.compares_periods
            or reader_pattern("festival_campaigns_apart").search(question.raw)
        )
        compared = [d for d in compared if d != "campaign"] + (["campaign"] if apart else [])
    if dimensions and reader_pattern("value_checked_in_breakdown").search(question.raw):
        # "各渠道的退货率，门店是不是最低的？", "return rate by channel - is the app the
        # lowest?": the value named in a check on the breakdown's rows is read off the
        # breakdown, never a filter that leaves one row.
        for d in [d for d in filters if d in dimensions and d not in compared]:
            del filters[d]
    # "各城市的销售额，成都另外列一行": one value of the breakdown's own dimension set apart
    # keeps the breakdown; the value gets its own figure beside it (_value_apart)
    set_apart = (
        [d for d in dimensions if d in filters and d not in compared and len(filters[d]) == 1]
        if reader_pattern("value_apart").search(question.raw)
        else []
    )
    dimensions = [
        d
        for d in dict.fromkeys([*dimensions, *compared])
        if d not in filters or d in compared or d in set_apart
    ][:2]
    for d in compared:
        if d in dimensions and names_every_reached_value(d, filters[d], metrics, ctx):
            # "women vs men" names every gender the store has: a breakdown, no filter.
            del filters[d]
    for d in [d for d in filters if d in dimensions]:
        if ctx.values.names_every_value_within(d, filters[d], filters):
            # "广东省…深圳和广州分开列": every city of the province filtered on, one row each:
            # the province's filter holds them (the store's city -> province), no extra filter.
            del filters[d]
    _drop_place_gloss(question, filters, ctx)
    said = _order_channel_of_campaign_metrics(question, [*dimensions, *filters], metrics, model)
    if said:
        return AskBack(
            tr(
                question.language,
                _ASK_ORDER_CHANNEL,
                said=said,
                metrics=join_list(
                    [label_in_sentence(model.metric(m).label.in_language(question.language))
                     for m in metrics],
                    question.language,
                ),
            )
        )  # fmt: skip
    args: dict[str, Any] = {"metrics": metrics}
    if dimensions:
        args["dimensions"] = dimensions
    if filters:
        args["filters"] = filters
    if time_range:
        time_range = _compared_units_spanned(time_range, dimensions, model)
        args["time_range"] = time_range
        compare_to = _second_period(question)
        if compare_to:
            args["compare_to"] = compare_to
    elif {"churn_rate", "churned_customers"} & set(metrics):
        # Churn compares two periods; without one, the latest full month is the usual reading.
        args["time_range"] = "last month"
    if time_range and "compare_to" not in args and change_ranking(question, args, model, True):
        # "which city dropped the most last month": a change needs a base; with none named it
        # is the previous period of equal length (as churn's is, MARKETING.md).
        args["compare_to"] = "previous period"
    change_sort = change_ranking(question, args, model)
    limit = top_n(question.text) if dimensions else None
    if dimensions and not change_sort and not top_n_spans(question.text):
        if _names_one_top(question):
            limit = 1  # "上个月总销售额最高的商品": the one product, not every product
    if limit == 1 and _breakdown_asked_apart(question, model):
        limit = None  # "按渠道看销售额，哪个最高": the breakdown asked too, sorted
    if limit == 1 and reader_pattern("whole_ranking").search(question.raw):
        limit = None  # "ranking the campaigns by ROAS - which one paid back?": the ranking
    if limit:
        direction = ranking_direction(question, metrics[0])
        args["limit"] = limit
        args["order_by"] = metrics[0]
        if direction:
            args["sort"] = direction
    if change_sort and reader_pattern("absolute_change").search(question.raw):
        return AskBack(
            tr(
                question.language,
                "I rank a change between two periods by its relative change (%), not by the "
                "amount; ranked by the percentage it can put another row first, so I won't "
                "answer that way. Ask for the ranking by the relative change, or for both "
                "periods' figures by {breakdown} to read the amounts.",
                breakdown=_dimension_in_text(model, args["dimensions"][0], question.language),
            )
        )
    if change_sort:
        # "which city had the biggest drop ... vs the month before": ranked by the change.
        args["order_by"], args["sort"] = f"{metrics[0]}_change", change_sort
    if both_comparisons:
        return _each_comparison(question, args, metrics, model)
    apart = _value_apart(question, args, model)
    if apart:
        return apart
    # "what share of revenue came from skincare": the part and the whole, never the part alone.
    return share_calls(question, args, ctx) or args


def _amount_words(span: str) -> str:
    """The amount words of a matched bare-amount span, without the joining words around them."""
    return reader_pattern("amount_joiners").sub("", span).strip() or span.strip()


def _joined_to_units(text: str, model: SemanticModel) -> bool:
    """A revenue word joined to a units word ("sales and qty", "qty & sales", "销售额和件数"):
    two metrics both asked, never the units alone."""
    found = named_by(text, metric_synonyms(model))
    revenue = [w for name, w in found if name == "revenue"]
    units = [w for name, w in found if name == "units"]
    joiner = reader_pattern("metric_joiners").pattern
    for a in revenue:
        for b in units:
            for first, second in ((a, b), (b, a)):
                left = re.escape(first) if has_cjk(first) else rf"\b{re.escape(first)}"
                right = re.escape(second) if has_cjk(second) else rf"{re.escape(second)}\b"
                if re.search(f"{left}(?:{joiner}){right}", text, re.I):
                    return True
    return False


def _units_per_order(question: Question, model: SemanticModel) -> bool:
    """Whether the question asks for the units in one order ("每单多少件", "items per order")
    and the semantic model has no metric of units over orders to answer it."""
    if any(tuple(model.metric(m).ratio or ()) == ("units", "orders") for m in model.metrics):
        return False
    return bool(reader_pattern("units_per_order").search(question.text))


def _dimension_in_text(model: SemanticModel, dimension: str, language: str) -> str:
    """A dimension's label as running text names it ("city", "城市")."""
    label = model.dimension(dimension).label.in_language(language)
    return label if language == "zh" else label.lower()


_CLAUSE = re.compile(r"[,，;；。?？!！:：]|\s[-–—]\s")


def _breakdown_asked_apart(question: Question, model: SemanticModel) -> bool:
    """Whether a breakdown is asked for in a clause of its own and the superlative in
    another ("按品类看上个月销售额，哪个品类最高", "sales by channel in May - which was
    best?"): both are asked, so the whole breakdown is given (sorted, the top first), never
    cut to its top row."""
    text = question.text.lower()
    leads = reader_pattern("breakdown_lead")
    clauses = [m.start() for m in _CLAUSE.finditer(text)]
    bounds = list(zip([0, *(c + 1 for c in clauses)], [*clauses, len(text)], strict=True))
    spans = dimension_spans(text, model)
    asked = set()
    for lead in leads.finditer(text):
        # the lead right before a breakdown's word, or inside it ("by channel", "各渠道")
        if any(start == lead.end() or start <= lead.start() < end for start, end in spans):
            asked |= {i for i, (a, b) in enumerate(bounds) if a <= lead.start() < b}
    if not asked:
        return False
    top = reader_pattern("top_one")
    return any(
        i not in asked and top.search(question.raw[a:b].strip()) for i, (a, b) in enumerate(bounds)
    )


def _names_one_top(question: Question) -> bool:
    """Whether a superlative is said of one thing with no number ("which city had the most
    orders", "销售额最高的商品"; lexicon reader_words.top_one): a top-1 ranking."""
    if reader_pattern("whole_ranking").search(question.raw):
        return False  # "... rank them", "排个序": the whole ranking was asked for
    return bool(reader_pattern("top_one").search(question.raw))


@dataclass(frozen=True)
class OrderCountReading:
    """What a condition on the customers' order count does to a metric reading.

    Neither field set: there is no such condition, or the metric is that condition's own
    (the repeat buyers' of 2+): read on. `for_rule_segment`: the question counts those
    customers, which the rule-segment reader counts (the metric reader reads nothing).
    `ask`: a question back naming the condition, as no metric holds it and the store's
    total without it answers a different question.
    """

    for_rule_segment: bool = False
    ask: AskBack | None = None


def _people_by_spend(question: Question) -> bool:
    """Whether the question names people by a spend threshold ("customers who spent over
    4,000 in total", "累计消费超过五千元的客户"): a rule of who they are, which no revenue
    figure holds."""
    if spend_condition(question, []) is None:
        return False
    raw = question.raw
    return bool(
        re.search(r"(?i)\b(?:who|that)\s+(?:have\s+|has\s+)?(?:spent|spend)\b", raw)
    ) or bool(
        re.search(
            r"(?:消费|花费|花了)[^，。？！,?]{0,12}?(?:以上|多)?的(?:客户|用户|顾客|人|会员|买家)",
            raw,
        )
    )


def _order_count_condition(question: Question, metrics: list[str]) -> OrderCountReading:
    """What a condition on the order count ("customers with at least 3 orders", "下过3次及
    以上订单的人") does to a metric reading (see OrderCountReading)."""
    counted = order_count(question.raw)
    if counted is None or {"repeat_buyers", "repurchase_rate"} & set(metrics):
        return OrderCountReading()
    if counted.unheld is not None:
        text = tr(
            question.language,
            "The conditions on the number of orders \u201c{condition}\u201d cannot all "
            "hold together; which one do you mean? I won't answer with one of them dropped.",
            condition=counted.unheld,
        )
        return OrderCountReading(ask=AskBack(text))
    if set(metrics) <= {"orders", "buyers"} or _churn_words_describe(question, metrics):
        return OrderCountReading(for_rule_segment=True)
    words = "; ".join(question.raw[a:b] for a, b in counted.spans)
    text = tr(
        question.language,
        "A metric is over all the customers' orders: it cannot keep only the customers "
        "with “{condition}”, and I won't answer without it (that would answer a "
        "different question). I can count those customers (ask “how many customers "
        "have {condition}”), or give the metric without that condition.",
        condition=words,
    )
    return OrderCountReading(ask=AskBack(text))


def _churn_words_describe(question: Question, metrics: list[str]) -> bool:
    """Whether the only metrics are churn words describing people whose order count and
    recency are both said ("churn risk list: 4+ orders, none in 60 days"): those people."""
    if not metrics or not set(metrics) <= {"orders", "buyers", "churn_rate", "churned_customers"}:
        return False
    written = replace(question, raw=recency_written_out(question.raw))
    return count_then_recency(written) is not None


def change_ranking(
    question: Question, args: dict[str, Any], model: SemanticModel, uncompared: bool = False
) -> str | None:
    """ "asc" for a ranking by the biggest fall ("biggest drop", "下滑最多"), "desc" for the
    biggest rise ("grew the most", "增长最快"), of a breakdown compared with another period;
    else None. The tool ranks by the relative change column, `<metric>_change`.
    `uncompared`: the same for a question naming one period only (else None)."""
    dimensions = args.get("dimensions") or []
    if not dimensions or any(model.dimension(d).time_grain for d in dimensions):
        return None
    compared = bool(args.get("compare_to"))
    if not compared and args.get("time_range") == question.time_range:
        compared = question.compares_periods  # the phrase as the question read it
    elif not compared and args.get("time_range"):
        compared = names_two_periods(args["time_range"])  # a period the reader chose
    if compared == uncompared:
        return None
    raw = question.raw.lower()
    for kind, sort in (("change_fall_ranking", "asc"), ("change_rise_ranking", "desc")):
        if any(word_occurs(p, raw) for p in reader_words(kind)):
            return sort
    return None


def ranking_direction(question: Question, metric: str) -> str | None:
    """The sort of a ranking's N: "asc" for its low end ("the 3 fewest", "订单最少的3个城市",
    "倒数三名"), None for the top N. "Worst" and "best" follow the metric's own good end: the
    worst of a metric where more is better is its lowest N, of one where less is better
    (return rate, churn, CAC: lexicon lower_is_better_metrics) its highest N, the costliest;
    the best of the latter is its lowest N."""
    if bottom_ranking_word(question.text):
        return "asc"
    less_is_better = lower_is_better(metric)
    if worst_ranking_word(question.text) is not None:
        return "desc" if less_is_better else "asc"
    if less_is_better and best_ranking_word(question.text) is not None:
        return "asc"
    return None


def asks_both_comparisons(question: Question) -> bool:
    """Whether the question compares its period both with the period before (环比, MoM) and
    with a year earlier (同比, YoY): a query compares with one, so it takes a call each."""
    raw = question.raw.lower()  # the text has the period phrase, comparison and all, blanked
    kinds = ("year_ago_comparison", "period_before_comparison")
    # ("YoY only, not MoM", "只要同比 不要环比"): a comparison declined is not asked
    raw = NOT_COMPARISON.sub(" ", raw)
    return all(any(word_occurs(p, raw) for p in reader_words(kind)) for kind in kinds)


def _value_apart(
    question: Question, args: dict[str, Any], model: SemanticModel
) -> list[dict[str, Any]] | None:
    """Two calls for a value singled out beside a breakdown by another dimension ("revenue by
    province, Ningbo separately", lexicon reader_words.value_apart): the breakdown over the
    whole, then the value's own figure; read as one filter, the breakdown would be the value's
    only. None when the question singles out nothing that way."""
    dimensions = args.get("dimensions") or []
    filters = args.get("filters") or {}
    # (a filter on the breakdown's broader dimension, "orders in Zhejiang for Hangzhou and Ningbo
    # separately", scopes the breakdown: its cities are the rows, no value apart)
    broader = {model.dimensions[d].within for d in dimensions if d in model.dimensions}
    apart = [d for d in filters if d not in dimensions and d != "campaign" and d not in broader]
    # (or one value of the breakdown's own dimension: "各城市…成都另外列一行")
    apart += [d for d in filters if d in dimensions and len(filters[d]) == 1 and d != "campaign"]
    if not dimensions or len(apart) != 1 or not reader_pattern("value_apart").search(question.raw):
        return None
    whole = {d: v for d, v in filters.items() if d != apart[0]}
    breakdown = {k: v for k, v in args.items() if k != "filters"}
    if whole:
        breakdown["filters"] = whole
    own = {k: v for k, v in args.items() if k not in ("dimensions", "limit", "order_by", "sort")}
    return [breakdown, own]


def _each_comparison(
    question: Question, args: dict[str, Any], metrics: list[str], model: SemanticModel
) -> list[dict[str, Any]] | AskBack:
    """One call per comparison (the period before, then a year earlier) of the same period:
    a query compares with one period, so both asked take two calls. Without a period there
    is nothing to compare: asked back, naming both."""
    if not args.get("time_range"):
        return AskBack(_two_comparisons_text(question, metrics, model))
    args = {k: v for k, v in args.items() if k != "compare_to"}
    others = ("环比", "同比") if question.language == "zh" else ("previous period", "last year")
    return [{**args, "compare_to": other} for other in others]


def _two_comparisons_text(question: Question, metrics: list[str], model: SemanticModel) -> str:
    language = question.language
    labels = [model.metric(m).label.in_language(language) for m in metrics]
    return tr(
        language,
        "You ask for two comparisons of {metrics}: with the period before and with the same "
        "period a year earlier. I compare with one at a time and won't drop the other: ask "
        "for one, then the other.",
        metrics=join_list(labels, language),
    )


def _campaign_counterparts(
    metrics: list[str], dimensions: list[str], model: SemanticModel, marketing: bool = False
) -> list[str]:
    """The metrics, each one asked of a campaign that the store cannot cut by campaign read
    as its campaign metric (lexicon `campaign_metrics`: a campaign's revenue is the revenue
    attributed to it). `marketing`: the question's channels are only channels campaigns run
    on ("双十一 社媒广告 拉新多少人"), so its new customers are those the campaigns acquired:
    no order is placed through a social ad, and the order metric would be 0 there. The answer
    names the metric computed."""
    if "campaign" not in model.dimensions or not ("campaign" in dimensions or marketing):
        return metrics
    counterparts = load_lexicon().campaign_metrics
    read = [
        counterparts[m]
        if counterparts.get(m) in model.metrics
        and not _cut_by(m, "campaign", model)
        and (not marketing or m == "new_customers")
        else m
        for m in metrics
    ]
    return list(dict.fromkeys(read))


def _marketing_channels_only(filters: dict[str, Any], ctx: PlannerContext) -> bool:
    """Whether the channel filter holds only channels the store's campaigns run on (sms,
    social; not app or web)."""
    said = filters.get("channel")
    return isinstance(said, list) and bool(said) and set(said) <= campaign_channels(ctx.values)


def _revenue_people_brought(
    question: Question,
    text: str,
    metrics: list[str],
    filters: dict[str, list[str]],
    dimensions: list[str],
    ctx: PlannerContext,
) -> list[str]:
    """The metrics, with the attributed revenue read as the revenue when it was named only by
    a word of bringing revenue in (lexicon reader_words `brought_revenue`: "带来了多少销售额",
    "revenue they brought") said of customers or orders, not of a campaign: "女性顾客带来了
    多少销售额", a city's, a province's or a sales channel's, is their own sales. Said of a
    campaign, a marketing channel (one the store's campaigns run on) or of nothing named, it
    stays the revenue attributed to campaigns."""
    model = ctx.semantic_model
    if "attributed_revenue" not in metrics or "revenue" not in model.metrics:
        return metrics
    brought = reader_pattern("brought_revenue")
    if not brought.search(text):
        return metrics
    if "attributed_revenue" in metrics_named(
        brought.sub(lambda m: " " * len(m.group()), text), model
    ):
        return metrics  # "归因销售额", "campaign revenue": the attributed revenue said outright
    marketing = campaign_channels(ctx.values)
    subjects = [*filters, *dimensions]
    for dimension in subjects:
        if dimension not in model.dimensions or not _cut_by("revenue", dimension, model):
            return metrics  # a campaign, a variant: the campaign's revenue
        if dimension == "channel" and (
            dimension not in filters or set(filters[dimension]) & marketing
        ):
            return metrics  # "短信带来的收入", "各渠道": a marketing channel, or either
    if not subjects:
        return metrics
    return list(dict.fromkeys("revenue" if m == "attributed_revenue" else m for m in metrics))


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def _count_glossing_its_rate(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without a count said only in brackets, or in a gloss clause (reader_words
    definition_gloss: "i.e. ...", "defined as ...", "口径是..."), beside its own rate (lexicon
    `count_of`: "share of buyers who placed a second order (repeat buyers)", "复购率（回头客）",
    "churn, i.e. the share of last quarter's buyers who didn't come back"): the gloss names
    what the rate counts, no second figure."""
    counts = load_lexicon().count_of
    pairs = [(r, c) for r, c in counts.items() if r in metrics and c in metrics]
    glosses = [*_BRACKETED.finditer(text), *reader_pattern("definition_gloss").finditer(text)]
    if not pairs or not glosses:
        return metrics
    outside = text
    for gloss in glosses:
        start, end = gloss.span()
        outside = outside[:start] + " " * (end - start) + outside[end:]
    named_outside = metrics_named(outside, model)
    dropped = {c for _, c in pairs if c not in named_outside}
    return [m for m in metrics if m not in dropped]


def _count_asked_of_rate(raw: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics read as counts when the question asks how many and names no rate
    (reader_words count_asked, rate_asked): "how many people came back and bought more than
    once" is the repeat buyers, never their rate beside them; "流失掉的老客有多少个" the churned
    customers, never the churn rate (lexicon count_of). A rate word anywhere keeps the
    reading ("repurchase rate and number of repeat buyers": both)."""
    counts = load_lexicon().count_of
    if not any(m in counts for m in metrics):
        return metrics
    if not reader_pattern("count_asked").search(raw) or reader_pattern("rate_asked").search(raw):
        return metrics
    # Only a rate named in the very clause that asks how many ("how many customers did we
    # have, and how much churn": the churn is asked apart, as read).
    counted: set[str] = set()
    for clause in _CLAUSES.split(raw):
        if reader_pattern("count_asked").search(clause):
            counted |= set(metrics_named(clause, model))
    return list(dict.fromkeys(counts[m] if m in counts and m in counted else m for m in metrics))


# The count of a rate asked after it ("churn rate in Beijing, and how many people is that in
# absolute terms?", "流失率多少，那是多少人"): the rate and its count, both.
_COUNT_OF_THAT = re.compile(
    r"(?i)\bhow many(?:\s+(?:people|customers|buyers|users|members|shoppers))?\s+(?:is|are|was|were)"
    r"\s+(?:that|those|it|they)\b|(?:那|这)(?:是|有|就是)多少(?:个)?人|折合多少人|换算成人数"
)


def _count_beside_rate(raw: str, metrics: list[str]) -> list[str]:
    """The metrics with the count of a rate asked after it (lexicon count_of) beside it."""
    counts = load_lexicon().count_of
    if not _COUNT_OF_THAT.search(raw):
        return metrics
    extra = [counts[m] for m in metrics if m in counts and counts[m] not in metrics]
    return [*metrics, *extra]


_CLAUSES = re.compile(
    r"[,，;；?？。!！]|\b(?:and|but|plus)\s+(?=(?:how|what|which|the|its|their|also)\b)", re.I
)


# "count of orders", "the number of orders", "# of buyers": a count said by its noun alone.
_COUNT_OF_NOUN = re.compile(r"(?:\b(?:the\s+)?(?:count|number|no\.|#)|#)\s*of\s+([a-z]+)\b", re.I)


def _count_glossing_its_own_noun(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without a plain count said only as the unit of another count asked of the
    same noun, beside a kind set aside ("how many orders came back? the count of orders, not
    the amount": the returned orders counted, no second figure of all orders). The other
    count's name must hold the noun (returned_orders: orders), so "returns and the number of
    buyers" still asks both."""
    spans = [(m.span(), m.group(1).lower()) for m in _COUNT_OF_NOUN.finditer(text)]
    if len(metrics) < 2 or not spans or not kinds_set_aside(text):
        return metrics
    outside = text
    for (a, b), _ in spans:
        outside = outside[:a] + " " * (b - a) + outside[b:]
    named_outside = set(metrics_named(outside, model))
    dropped = set()
    for (a, b), noun in spans:
        glossed = [m for m in metrics_named(text[a:b], model) if m in metrics]
        if len(glossed) != 1 or glossed[0] in named_outside:
            continue
        plain = glossed[0]
        if metric_kind(plain, model) != "count":
            continue
        if any(
            other != plain and metric_kind(other, model) == "count" and noun in other.split("_")
            for other in metrics
        ):
            dropped.add(plain)
    kept = [m for m in metrics if m not in dropped]
    return kept or metrics


def _drop_place_gloss(
    question: Question, filters: dict[str, list[str]], ctx: PlannerContext
) -> None:
    """A place filter that only restates another ("广东（广深两城）", "Guangzhou and Shenzhen
    (Guangdong)": every store city of the province, named beside it) is one filter: the one
    said outside the brackets is kept, the gloss dropped (the narrower one when neither is in
    brackets); both filters would show the answer as filtered on two things."""
    brackets = [m.span() for m in _BRACKETED.finditer(question.raw)]
    outside: set[str] = set()
    for dimension, _value, (start, end) in ctx.values.find(question.raw):
        if not any(a <= start and end <= b for a, b in brackets):
            outside.add(dimension)
    for narrow, wide in list(ctx.values.within):
        if narrow not in filters or not filters.get(wide):
            continue
        if not ctx.values.names_every_value_within(narrow, filters[narrow], filters):
            continue
        if wide not in outside and narrow in outside:
            del filters[wide]
        else:
            del filters[narrow]


def _population_of_its_subset(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without a population said only as the base a part of it is counted in
    (lexicon subset_of, reader_words population_base): "of September's buyers, how many
    ordered twice" and "9月的买家里有多少下了两单" ask the repeat buyers, no buyers beside them."""
    subsets = load_lexicon().subset_of
    pooled = [p for p, parts in subsets.items() if p in metrics and set(parts) & set(metrics)]
    if not pooled:
        return metrics
    base = reader_pattern("population_base")
    if not base.search(text):
        return metrics
    outside = base.sub(lambda m: " " * len(m.group(0)), text)
    named_outside = set(metrics_named(outside, model))
    dropped = {p for p in pooled if p not in named_outside}
    return [m for m in metrics if m not in dropped] or metrics


def _population_qualifying(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without a population named only as whose figure another is (lexicon
    measured_among: "买家流失率", "buyer churn", "lost against Q2's buyers (churned count)"):
    said with no list's joining word ("and", "和") between them, the people are the metric's
    base, not a count beside it. "buyers and churn rate" still asks both. `text`: before the
    pairs' phrases are blanked (where "how many did we lose" says the churned customers)."""
    lowered = text.lower()
    pairs, _ = paired_at(lowered, model)
    synonyms = metric_synonyms(model)
    for population, measured in load_lexicon().measured_among.items():
        if population not in metrics or population in dict(pairs):
            continue
        spans = [
            span
            for m in metrics
            if m in measured
            for w in synonyms[m]
            if (span := first_span(lowered, w.lower(), bounded=not has_cjk(w)))
        ] + [(at, at) for m, at in pairs if m in metrics and m in measured]
        said = [
            span
            for w in synonyms[population]
            if (span := first_span(lowered, w.lower(), bounded=not has_cjk(w)))
        ]
        if (
            said
            and spans
            and not any(
                _JOINED.search(lowered[min(p[1], o[1]) : max(p[0], o[0])])
                for p in said
                for o in spans
            )
        ):
            metrics = [m for m in metrics if m != population]
    return metrics


# A list's joining word between a population and a metric of its people ("buyers and churn
# rate", "买家数和流失率"); "vs" joins two periods there ("Q3 vs Q2 buyers"), never the two.
_JOINED = re.compile(r"\b(?:and|plus|as\s+well\s+as|also)\b|&|和|以及|还有|跟|及|、|,|，")


def _one_grain_for_a_trend(text: str, dimensions: list[str], model: SemanticModel) -> list[str]:
    """The dimensions without a time grain named only by a trend word (lexicon reader_words
    `trend_words`: "trend", "趋势") when another grain is named: "每个季度的营收，做个趋势图"
    is the quarters' trend, no months beside them."""
    grains = [d for d in dimensions if model.dimension(d).time_grain]
    if len(grains) < 2:
        return dimensions
    untrended = reader_pattern("trend_words").sub(lambda m: " " * len(m.group(0)), text)
    kept = set(breakdowns_named(untrended, model))
    if not any(g in kept for g in grains):
        return dimensions
    return [d for d in dimensions if d not in grains or d in kept]


# A table name written before its column with a dot and no space ("orders.channel").
_TABLE_OF_COLUMN = re.compile(r"\b[A-Za-z_]+\.(?=[A-Za-z_]+\b)")
# A clause that writes a division between two words ("clicks/delivered", "(rev - cost) / cost",
# "退货额÷总销售额"), not between digits (a date such as 9/1): a formula restated.
_FORMULA_CLAUSE = re.compile(
    r"[(\uff08]?[^,;:\uff0c\uff1b\u3002\uff1a(\uff08]*(?:[^\W\d]|\))\s*(?:/|\u00f7|\u9664\u4ee5)\s*(?:[^\W\d]|\()"
    r"[^,;:\uff0c\uff1b\u3002\uff1a]*"
)


def _metric_parts(metric: str, model: SemanticModel) -> set[str]:
    """The metrics a ratio or formula metric is computed from (ROI: attributed revenue, cost)."""
    definition = model.metric(metric)
    if definition.ratio:
        return set(definition.ratio)
    names = re.findall(r"[a-z_][a-z0-9_]*", definition.formula or "")
    return {n for n in names if n in model.metrics}


def _parts_in_its_formula(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without the parts of an asked ratio named only inside its formula written
    out ("roi, i.e. (attributed revenue - cost)/cost", "点击率（点击/送达）"): the formula
    says how the figure is computed, no second and third figure beside it."""
    parts = {p for m in metrics for p in _metric_parts(m, model)} & set(metrics)
    if not parts or not _FORMULA_CLAUSE.search(text):
        return metrics
    outside = _FORMULA_CLAUSE.sub(lambda m: " " * len(m.group(0)), text)
    named_outside = set(metrics_named(outside, model))
    dropped = {p for p in parts if p not in named_outside}
    kept = [m for m in metrics if m not in dropped]
    return kept or metrics


# What may stand between a contrast word and the metric it sets aside: a denominator's
# preposition ("not per order", "不是按订单"), a counting phrase ("not how many orders", "not #
# of orders", "not the number of orders") or an article.
_SET_ASIDE_OPENING = re.compile(
    r"^[\s,:]*(?:(?:per|by)\s+)?(?:(?:how\s+many|how\s+much|(?:the\s+)?(?:number|count|amount)\s+of"
    r"|#\s*of|#)\s*)?(?:the\s+|a\s+|an\s+)?(?:按|以|每)?",
    re.I,
)


def _metrics_set_aside(
    text: str, metrics: list[str], model: SemanticModel
) -> list[tuple[re.Match[str], set[str]]]:
    """Each contrast or refusal word of the text (lexicon reader_words `contrast`,
    `metric_refusal`) with the metrics among `metrics` that open the clause it begins."""
    found_words = []
    for pattern in (*reader_words("contrast"), *reader_words("metric_refusal")):
        for found in re.finditer(pattern, text, re.I):
            opening = _SET_ASIDE_OPENING.sub("", text[found.end() :], count=1)
            hit = {m for m in metrics if _opens_with(opening, m, model)}
            if hit:
                found_words.append((found, hit))
    return found_words


def refusals_of_metrics(text: str, model: SemanticModel) -> list[str]:
    """The refusal words of the text that refuse a metric ("订单数，不要销售额": 不要), read
    as such by the accounting of words; one refusing no metric ("不要上海的") is not."""
    refusals = reader_words("metric_refusal")
    return [
        found.group(0)
        for found, _ in _metrics_set_aside(text, list(model.metrics), model)
        if any(re.fullmatch(p, found.group(0), re.I) for p in refusals)
    ]


_KINDS = {"integer": "count", "money": "money", "percent": "rate"}


def kinds_set_aside(text: str) -> list[tuple[tuple[int, int], str]]:
    """Each kind of figure set aside right after a contrast or refusal word ("the %, not the
    headcount", "I don't need the amount", "是单数不是金额", "不要比例"): the span from the
    contrast word to the end of the kind word, and the kind (count, money or rate; lexicon
    reader_words `set_aside_<kind>`; scope: a whole, with its noun). The metric asked is then
    of the other kind: the clause says what NOT to compute."""
    found_kinds = []
    for pattern in (*reader_words("contrast"), *reader_words("metric_refusal")):
        for found in re.finditer(pattern, text, re.I):
            rest = text[found.end() :]
            opening = _SET_ASIDE_OPENING.sub("", rest, count=1).lower()
            at = found.end() + len(rest) - len(opening)
            for kind in ("count", "money", "rate", "scope"):
                word = next(
                    (
                        w
                        for w in reader_words(f"set_aside_{kind}")
                        if opening.startswith(w.lower())
                        and (has_cjk(w) or re.match(r"s?(?!\w)", opening[len(w) :]))
                    ),
                    None,
                )
                if word and not has_cjk(word):  # "the amounts": the plural with it
                    word = opening[: len(word)] + re.match(r"s?", opening[len(word) :]).group(0)
                if word and kind == "scope":  # "not the whole festival": the whole's noun too
                    noun = re.match(r"\s*(?:[\w-]+|[\u4e00-\u9fff]{1,4})", opening[len(word) :])
                    word += noun.group(0) if noun else ""
                if word and kind != "scope":  # "I've got the count already"
                    tail = re.match(r"\s+already\b", opening[len(word) :])
                    word += tail.group(0) if tail else ""
                if word:
                    found_kinds.append(((found.start(), at + len(word)), kind))
    return found_kinds + _kinds_refused_after(text)


def _kinds_refused_after(text: str) -> list[tuple[tuple[int, int], str]]:
    """Each kind of figure set aside by words after it (lexicon reader_words `refusal_after`:
    "the count I already have", "数量我已经有了", "人数不需要了"): the span from the kind word
    to the end of those words, and the kind, as `kinds_set_aside` reads them before it."""
    after = [re.compile(p, re.I) for p in reader_words("refusal_after")]
    found_kinds = []
    for kind in ("count", "money", "rate"):
        for word in reader_words(f"set_aside_{kind}"):
            cjk = has_cjk(word)
            pattern = re.escape(word) if cjk else rf"(?<!\w){re.escape(word)}s?(?!\w)"
            for found in re.finditer(pattern, text, re.I):
                said = next((m for p in after if (m := p.match(text, found.end()))), None)
                if said and said.end() > found.end():
                    found_kinds.append(((found.start(), said.end()), kind))
    return found_kinds


def metric_kind(metric: str, model: SemanticModel) -> str | None:
    """count, money or rate: the kind of figure a metric is (its format), else None."""
    found = model.metrics.get(metric)
    return _KINDS.get(found.format) if found is not None else None


def placed_kind_contrasts(
    text: str, metrics: list[str], model: SemanticModel, narrowed: bool = False
) -> str:
    """The text with each kind set aside (`kinds_set_aside`) that no metric asked is of
    blanked: read as the contrast it is ("repurchase rate, the %, not the headcount"). A
    whole set aside ("that campaign only, not the whole festival") is placed when the call
    is `narrowed` to a value: the narrower figure is the one computed."""
    kinds = {metric_kind(m, model) for m in metrics}
    for (start, end), kind in kinds_set_aside(text):
        if kind == "scope" and not narrowed:
            continue
        if kind not in kinds:
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _other_kind(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics, each of a kind the question sets aside (`kinds_set_aside`: "复购率，人数就行，
    不要比例") replaced by its pair of the other kind (lexicon count_of, read both ways): the
    negated kind names what not to compute, the asked figure is its pair."""
    set_aside = {kind for _, kind in kinds_set_aside(text)}
    if not set_aside:
        return metrics
    pairs = {**load_lexicon().count_of}
    pairs |= {count: rate for rate, count in load_lexicon().count_of.items()}
    swapped = [
        pairs[m] if metric_kind(m, model) in set_aside and m in pairs else m for m in metrics
    ]
    if any(metric_kind(m, model) in set_aside for m in swapped):
        # "how many mats sold? the pieces, not the money": a figure of the kind set aside with
        # no pair is dropped beside one of another kind; alone it is asked back as before
        kept = [m for m in swapped if metric_kind(m, model) not in set_aside]
        return list(dict.fromkeys(kept)) if kept else metrics
    return list(dict.fromkeys(swapped))


def _set_aside(text: str, metrics: list[str], model: SemanticModel) -> list[str]:
    """The metrics without those set aside right after a contrast word ("ROAS not ROI",
    "the amount, not how many orders", "订单数而不是销售额", "不要流失率": lexicon reader_words
    `contrast` and `metric_refusal`), when another metric is still asked. A clause set aside
    is blanked only where a metric opens it, so "不要上海的" stays an exclusion."""
    spans: list[tuple[int, int]] = []
    opened: set[str] = set()
    for found, hit in _metrics_set_aside(text, metrics, model):
        opened |= hit
        spans.append((found.start(), clause_end(text, found.end())))
    if not spans:
        return metrics
    kept_text = text
    for a, b in spans:
        kept_text = kept_text[:a] + " " * (b - a) + kept_text[b:]
    # A metric not named by a word of the text (a pair's, "人均消费") is kept as asked.
    named = metrics_named(text, model)
    kept = [m for m in metrics if m in metrics_named(kept_text, model) or m not in named]
    dropped = [m for m in metrics if m not in kept]
    if not kept or not dropped:
        return metrics
    return kept if set(dropped) <= opened else metrics


# Where a refusal opens its own clause: the text's start, a punctuation mark or a dash
# before it ("the amount, not how many orders", "（不要比率）"), or a word saying what is
# wanted ("我要的是金额不是单数").
_CLAUSE_OPENING = re.compile(r"(?:^|[,;:.!?，。；：！？、(（\[【]|\s[-–—]|[–—]|是|要)\s*$")


def _refused_clauses_blanked(text: str, model: SemanticModel) -> str:
    """`text` with every clause a contrast or refusal word opens (lexicon reader_words
    `contrast`, `metric_refusal`) blanked where the clause names a metric and the refusal
    opens a clause of its own ("the amount, not how many orders", "金额，不是退了几单",
    "churned count (not the rate)"), when the rest of the text still names a metric: the
    refused figure is never shown beside the asked one. "customers who did not order" (a
    "not" inside its clause) and a clause naming no metric ("不要上海的") are kept."""
    spans: list[tuple[int, int]] = []
    for pattern in (*reader_words("contrast"), *reader_words("metric_refusal")):
        for found in re.finditer(pattern, text, re.I):
            if not found.group(0).strip() or not _CLAUSE_OPENING.search(text[: found.start()]):
                continue
            stop = clause_end(text, found.end())
            if any(a == found.start() for (a, _), _ in kinds_set_aside(text)):
                continue  # "not the money": a kind set aside, read by _other_kind
            if stop > found.end() and metrics_in_said_order(text[found.end() : stop], model)[0]:
                spans.append((found.start(), stop))
    if not spans:
        return text
    kept = text
    for a, b in spans:
        kept = kept[:a] + " " * (b - a) + kept[b:]
    return kept if metrics_in_said_order(kept, model)[0] else text


def _opens_with(text: str, metric: str, model: SemanticModel) -> bool:
    """Whether the text begins with one of the metric's words."""
    lowered = text.lower()
    for word in metric_synonyms(model)[metric]:
        span = first_span(lowered, word.lower(), bounded=not has_cjk(word))
        if span and span[0] == 0:
            return True
    return False


def _customer_spend(
    question: Question, metrics: list[str], dimensions: list[str], model: SemanticModel
) -> list[str]:
    """The metrics, with the cost read as the revenue when it was named only by a word that
    also says what customers spend (lexicon reader_words `customer_spend`: "spend", "花费")
    and the question cuts it by something of customers or products the campaign cost cannot
    reach ("how does spend split between women and men"): that is the customers' spend. So
    is any cost word where customers are the ones spending ("how much did that group spend
    with us", "在我们这花了多少": lexicon reader_words `customers_spent`)."""
    if "cost" not in metrics or "revenue" not in model.metrics:
        return metrics
    if question.has(*reader_words("customers_spent")) or _segment_spent(question, model):
        # "how much did that group spend with us": the customers spend, the store takes it.
        return list(dict.fromkeys("revenue" if m == "cost" else m for m in metrics))
    ambiguous = [re.compile(p, re.I) for p in reader_words("customer_spend")]
    raw = question.raw.lower()
    if not any(p.search(raw) for p in ambiguous):
        return metrics
    explicit = [
        w for w in metric_synonyms(model)["cost"] if not any(p.fullmatch(w) for p in ambiguous)
    ]
    if any(first_span(raw, w.lower(), bounded=not has_cjk(w)) for w in explicit):
        return metrics  # "cost by gender" asks for the cost: the tool says it cannot
    uncut = [
        d for d in dimensions
        if d in model.dimensions and not _cut_by("cost", d, model) and _cut_by("revenue", d, model)
    ]  # fmt: skip
    if not uncut:
        return metrics
    return list(dict.fromkeys("revenue" if m == "cost" else m for m in metrics))


def _segment_spent(question: Question, model: SemanticModel) -> bool:
    """Whether an RFM segment named as people is the one spending ("how much did the
    Champions spend", "沉睡客户上个月花了多少钱"): the segment's name read as "those
    customers" / "这群客户" meets the lexicon's `customers_spent` words, so a group of
    people who spent is their revenue, while "how much did we spend on Champions" (the
    campaign cost of reaching them) stays the cost."""
    text = question.raw.lower()  # (a segment the store holds is a value, blanked from .text)
    words = [w for _, w in _segment_words(text, model, question.raw)]
    if not words:
        return False
    people = "这群客户" if question.language == "zh" else " customers "
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), people, text, flags=re.I)
    return any(word_occurs(p, text) for p in reader_words("customers_spent"))


# A count right before a dimension's noun ("两个品类", "这两个城市", "both categories", "the
# two cities"): the noun counts the values listed, no breakdown of its own.
_COUNT_BEFORE = re.compile(
    r"(?:(?:这|那)?(?:两|二|三|四|五|六|几)\s*(?:个|座|家|大)?|\b(?:both|(?:the|these|those)\s+"
    r"(?:two|three|four|five))\s+)$",
    re.I,
)


def _counted_noun_only(raw: str, dimension: str, model: SemanticModel) -> bool:
    """Whether every word naming `dimension` in `raw` is the noun of a count of the values
    listed ("护肤品、彩妆两个品类", "Chengdu and Wuhan, both cities"), none a breakdown."""
    words = sorted(dimension_synonyms(model).get(dimension, ()), key=len, reverse=True)
    lowered = raw.lower()
    spans = {m.span() for w in words for m in re.finditer(re.escape(w.lower()), lowered)}
    # (a word inside a longer one found, "类" in "品类", is that one)
    spans = {
        (s, e)
        for s, e in spans
        if not any(a <= s and e <= b and (a, b) != (s, e) for a, b in spans)
    }
    return bool(spans) and all(_COUNT_BEFORE.search(lowered, 0, s) for s, _ in spans)


def _rates_only(metrics: list[str], model: SemanticModel) -> bool:
    """Whether every asked metric is a ratio or a rate (CTR, AOV, return rate, repurchase rate).

    A list of values asked of rates ("push与邮件各自退订率如何", "AOV of Wuhan and Xi'an") is read
    one row per value: a rate pooled over the values is rarely what is compared. Counts
    and sums over a list ("北京、深圳两地的订单数") stay one total; "together" / "加起来"
    still pools a rate (JOINED narrows the values above)."""
    return bool(metrics) and all(
        m in model.metrics and (model.metric(m).ratio or model.metric(m).format == "percent")
        for m in metrics
    )


def _set_against(question: Question, compared: list[str], ctx: PlannerContext) -> list[str]:
    """Of the dimensions whose several values are named, those two of whose values are written
    with a word setting one against the other between them (lexicon reader_words
    values_against: "门店vs小程序", "store versus app"); none when no list is so joined."""
    lowered = question.raw.lower()
    spans: dict[str, list[tuple[int, int]]] = {}
    for dimension, _, span in ctx.values.find(lowered, question.raw):
        if dimension in compared:
            spans.setdefault(dimension, []).append(span)
    against = [
        d
        for d, found in spans.items()
        if any(
            reader_pattern("values_against").search(lowered[a[1] : b[0]])
            for a, b in zip(sorted(found), sorted(found)[1:], strict=False)
        )
    ]
    return against if len(against) < len(compared) else []


def names_every_reached_value(
    dimension: str, values: list[str], metrics: list[str], ctx: PlannerContext
) -> bool:
    """Whether `values` are every value of the dimension the metrics can be cut by: all the
    store holds ("women vs men"), or, for metrics of the campaigns' messages, every channel
    the campaigns run on ("各营销渠道（邮件/短信/推送/社交广告）的转化率": the channels listed
    say what "each channel" is; a filter on them all would narrow nothing)."""
    if ctx.values.names_every_value(dimension, values):
        return True
    model = ctx.semantic_model
    if dimension != "channel" or "campaign" not in model.dimensions:
        return False
    marketing = campaign_channels(ctx.values)
    if not all(_computed_by(m, "campaign", model) for m in metrics):
        # "AOV for web, store, app and mini program, side by side": the orders' metrics
        # reach the orders' channels only (the campaigns' SMS, email ... hold no orders), so
        # naming all of those is the breakdown too.
        if any(_computed_by(m, "campaign", model) for m in metrics):
            return False  # campaign and order metrics together: every channel is reached
        sales = ctx.values.stored.get("channel", set()) - marketing
        return bool(marketing) and bool(sales) and sales <= set(values)
    return bool(marketing) and marketing <= set(values)


def _computed_by(metric: str, dimension: str, model: SemanticModel) -> bool:
    """Whether the metric, a base one or a ratio / formula of them, can be cut by the
    dimension: every base metric it is computed from reaches it."""
    definition = model.metric(metric)
    if definition.measures:
        return _cut_by(metric, dimension, model)
    parts = list(definition.ratio or ()) or [
        name
        for name in re.findall(r"[a-z_][a-z0-9_]*", definition.formula or "")
        if name in model.metrics
    ]
    return bool(parts) and all(_computed_by(p, dimension, model) for p in parts)


_ASK_FESTIVAL_WHICH = N_(
    "The store ran several \u201c{named}\u201d campaigns: {campaigns}. Which one do you mean "
    "(the year, and the channel if it matters)? Or ask for the festival's days over every "
    "send (e.g. \u201cduring {named} 2026\u201d). I'd rather ask than pick one."
)
_ASK_CAMPAIGN_OF_SEVERAL = N_(
    "The store ran several campaigns in \u201c{named}\u201d: {campaigns}. Which one do you mean "
    "(or all of them together, or each one)? I'd rather ask than pool them."
)
_ASK_FESTIVAL_YEAR = N_(
    "I don't know a \u201c{named}\u201d campaign of that kind in this store, and I won't answer with "
    "another year's campaign or the festival's days over every send instead. Its campaigns of "
    "that festival are: {campaigns}. Which one do you mean?"
)
_ASK_ORDER_CHANNEL = N_(
    "The figures asked ({metrics}) are counted per campaign message, by the campaign's channel "
    "(SMS, email, push, social ads); they cannot be split by \u201c{said}\u201d, the channel "
    "customers ordered through, and I won't show the campaign channels as if they were it. "
    "Should I show them by campaign channel, or the orders and revenue by sales channel?"
)


def _order_channel_of_campaign_metrics(
    question: Question, cuts: list[str], metrics: list[str], model: SemanticModel
) -> str | None:
    """The words naming the orders' sales channel (lexicon reader_words.sales_channel_words) when
    the channel cuts campaign metrics only (the funnel: delivered, opens, clicks,
    conversions), whose channel is the campaign's, never the order's; else None."""
    if "channel" not in cuts or "channel" not in model.dimensions or not metrics:
        return None
    said = reader_pattern("sales_channel_words").search(question.raw)
    if not said:
        return None
    # The sales' channel: the column the revenue (the orders' money) is cut by.
    order_columns = (
        _channel_columns("revenue", model) - {None} if "revenue" in model.metrics else set()
    )
    if not order_columns or any(_channel_columns(m, model) & order_columns for m in metrics):
        return None  # revenue, orders by sales channel: the orders' own channel
    campaign_column = model.dimension("channel").column_for("campaign_messages")
    if any(_channel_columns(m, model) - {campaign_column} for m in metrics):
        # new customers by sales channel: no campaign metric (their first order's channel, or
        # none), none of the campaigns' channels to mistake for the orders' (whether the store
        # can cut it is the query's to say).
        return None
    return said.group(0).strip()


def _channel_columns(metric: str, model: SemanticModel) -> set[str | None]:
    """The channel columns a metric is cut by: its measures' facts', or its parts'."""
    definition = model.metric(metric)
    if definition.measures:
        channel = model.dimension("channel")
        return {channel.column_for(m.fact) for m in definition.measures}
    parts = list(definition.ratio or ()) or [
        name
        for name in re.findall(r"[a-z_][a-z0-9_]*", definition.formula or "")
        if name in model.metrics
    ]
    return set().union(*(_channel_columns(p, model) for p in parts)) if parts else set()


def _cut_by(metric: str, dimension: str, model: SemanticModel) -> bool:
    """Whether one of a metric's measures reaches the dimension (as the compiler checks)."""
    wanted = model.dimension(dimension)
    for measure in model.metric(metric).measures:
        fact = model.facts[measure.fact]
        column = wanted.column_for(measure.fact)
        if column is not None and aliases_in(column) <= {fact.alias, *fact.joins}:
            return True
    return False


# "skincare+makeup", "护肤和彩妆加起来", "A and B combined": one total over both values.
# (never said negated: "separately, not combined", "不用合在一起")
# A negation right before a word of taking values apart ("不用分开计", "no need to split").
_NOT_BEFORE = re.compile(r"(?:\bnot|n't|\bno need to|不|别|不要|不用|无需|不必)\s*$", re.I)
_NOT = r"(?<!not )(?<!n't )(?<!no )(?<!不)(?<!别)(?<!不要)(?<!不用)(?<!无需)(?<!不必)"
JOINED = re.compile(
    r"[a-z\u4e00-\u9fff]\s*\+\s*[a-z\u4e00-\u9fff]|"
    + _NOT
    + r"(?:加起来|合起来|合在一起|加一起|加在一起|一起算|算在一起|一共|合计|(?:给|要)(?:个|一个)?总数"
    r"|\b(?:combined|together|in total)\b)",
    re.I,
)
_SIGNED_UP = re.compile(r"\bsign(?:ed|s)?[\s-]?ups?\b|\bregist(?:ered|ration)\b|注册", re.I)
# "just the numbers", "只要数字": only the figures, no narrowing of the values named.
_ONLY = re.compile(
    r"\b(?:only|just|alone)\b(?!\s+(?:the\s+)?(?:numbers?|figures?|rates?|data|stats)\b)"
    r"|只看|只算|仅|只要(?!数字|数据|结果|数值|数)|只包括",
    re.I,
)
_EACH_ONE = re.compile(
    _NOT + r"(?:分别|各自|分开|单独|\b(?:respectively|separately|individually)\b)", re.I
)


def rfm_segments_named(question: Question, model: SemanticModel) -> list[str]:
    """RFM segment names in a metric question ("revenue from Champions"), when the semantic
    model can filter by them; a name that is a metric's word ("new customers") is the metric."""
    if "rfm_segment" not in model.dimensions:
        return []
    return [name for name, _ in _segment_words(question.text, model, question.raw)]


def _segment_words(
    text: str, model: SemanticModel, raw: str | None = None
) -> list[tuple[str, str]]:
    """(segment, word) for the RFM segment names in the text. Metric and segment words
    compete in one longest-match pass: "流失风险" is the At Risk segment, not churn
    (流失), while a name that is a metric's word ("new customers") is the metric."""
    from copilot.offline.intents.audience import SEGMENT_SYNONYMS, names_the_segment

    key = "\0metric:"
    synonyms = metric_synonyms(model)
    words = {key + m: ws for m, ws in synonyms.items()} | SEGMENT_SYNONYMS
    metric_words = lowered_metric_words(model)
    found = [(n, w) for n, w in named_by(text, words) if not n.startswith(key)]
    if raw is not None:
        # A name spelt like a metric's word loses the tie to the metric unless it is written
        # as the segment's name ("New Customers", "the new customers segment").
        found += [
            (n, w)
            for n, ws in SEGMENT_SYNONYMS.items()
            for w in ws
            if w.lower() in metric_words
            and w.lower() in text
            and names_the_segment(raw, w, metric_words)
        ]
    return list(
        dict.fromkeys((n, w) for n, w in found if names_the_segment(raw or text, w, metric_words))
    )


_COMPARE = re.compile(
    r"\b(?:compare|compares|compared|comparing|vs\.?|versus|against)\b|对比|相比|比较|(?:和|跟|与|同).{0,12}比"
    # "was that better than 618 the year before", "higher or lower than last year's"
    r"|\b(?:better|worse|higher|lower|bigger|smaller|stronger|weaker)\s+(?:or\s+\w+\s+)?than\b",
    re.I,
)


def _compares_values(raw: str, model: SemanticModel) -> bool:
    """Whether a comparison word of `raw` sets things other than two metrics against each
    other: "gross vs net sales" compares the metrics (both figures are shown anyway), so the
    values listed beside it ("Guangzhou + Shenzhen combined") stay one filter; "email vs SMS"
    and "compare Shanghai and Beijing" compare values."""
    lowered = raw.lower()
    spans = _metric_word_spans(lowered, model)
    ends = {end for _, end in spans}
    starts = {start for start, _ in spans}
    for found in _COMPARE.finditer(lowered):
        before = lowered[: found.start()].rstrip()
        after = found.end() + len(lowered[found.end() :]) - len(lowered[found.end() :].lstrip())
        if not (len(before) in ends and after in starts):
            return True
    return False


_YEAR_BEFORE = re.compile(
    r"\b(?:the )?(?:year before|previous year|prior year|a year earlier)\b|前一年|上一年"
    r"|\bsame (?:month|period|quarter|week|day|time) (?:last|previous|a) (?:year|yr)\b|去年同期",
    re.I,
)
# The other period said whole ("vs the whole of last year", "all of 2025", "去年全年"): its
# days, not the same days as the first period's.
_WHOLE_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:whole|entire|full|complete|all)(?:\s+of)?\s+(?:the\s+)?$|(?:整个|一整个)$",
    re.I,
)
_WHOLE_AFTER = re.compile(
    r"^\s*(?:as\s+a\s+whole|in\s+full|in\s+its\s+entirety|overall)\b|^\s*(?:全年|一整年|整年|全季度|整个季度|全月|整月)",
    re.I,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?:the )?(?:month|week|quarter|period) before\b|\bprevious (?:month|week|quarter|period)\b|上一期|环比",
    re.I,
)


def _compared_units_spanned(time_range: str, dimensions: list[str], model: SemanticModel) -> str:
    """Two adjacent whole periods compared and broken down by that same unit ("2024 vs 2025,
    one total per year", "9月和10月按月"): one figure per period over both, the span of the
    two; a comparison on top would repeat the same two figures as a change. Any other
    phrase is kept as it is."""
    match = find_period(time_range, planner_today())
    if match is None or match.compare_to is None:
        return time_range
    first, second = sorted((match.range, match.compare_to), key=lambda r: r.start)
    grain = first.grain_hint
    units = {model.dimensions[d].time_grain for d in dimensions if d in model.dimensions}
    if grain is None or grain != second.grain_hint or grain not in units:
        return time_range
    if (second.start - first.end).days != 1:
        return time_range  # "2023 vs 2025 by year": the span would add a year not asked
    return f"{first.start.isoformat()} to {second.end.isoformat()}"


def _names_revenue_per_buyer(text: str, model: SemanticModel) -> bool:
    """Whether the text names revenue per buyer by one of its own words ("revenue per buyer")."""
    synonyms = metric_synonyms(model)
    return bool(named(text, {"revenue_per_buyer": synonyms.get("revenue_per_buyer", [])}))


def _second_period(question: Question) -> str | None:
    """The other period of "compare this year's revenue with last year", when the period
    phrase itself did not carry it (the two periods are apart in the sentence). A period set
    beside the first without "compare" ("with the quarter before next to it", "跟去年放在一起
    看": lexicon reader_words side_by_side) is the same comparison."""
    if not (_COMPARE.search(question.raw) or question.has(*reader_words("side_by_side"))):
        return None
    match = find_period(question.raw, planner_today())
    if match is not None and match.compare_to is not None:
        # the other period found by the parser but said apart ("Q2 2025 orders - how did
        # they compare with Q1"): the question's phrase left it out (copilot/offline/question.py)
        apart = apart_period(question.raw, match)
        return _in_the_named_year(question, match, clean_period_phrase(apart)) if apart else None
    if match is None:
        return None
    if _YEAR_BEFORE.search(question.raw):
        return "last year"  # "compare with the year before": the same dates a year earlier
    if _PERIOD_BEFORE.search(question.raw):
        return "previous period"
    rest = question.raw
    for start, end in match.all_spans or (match.span,):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    other = find_period(rest, planner_today())
    while (
        other is not None
        and _DAYS_ONLY.fullmatch(rest[other.span[0] : other.span[1]])
        and _restates(other.range, match.range)
    ):
        # "25年双11那段（10.20-11.11）… 跟24年双11比": the dates glossing the first period (its
        # days without their year) restate it; the other period is the one said after them.
        start, end = other.span
        rest = rest[:start] + " " * (end - start) + rest[end:]
        other = find_period(rest, planner_today())
    if other is None:
        return None
    phrase = clean_period_phrase(rest[other.span[0] : other.span[1]])
    phrase = _in_the_named_year(question, match, phrase)
    if _WHOLE_BEFORE.search(rest[: other.span[0]]) or _WHOLE_AFTER.match(rest[other.span[1] :]):
        # "this year so far vs the whole of last year": all of that period, its days written
        # out; "last year" alone would be read as the same days a year earlier.
        return f"{other.range.start.isoformat()} to {other.range.end.isoformat()}"
    if match.range.start == match.range.end and other.range.start != other.range.end:
        # "2025年双十一当天 ... 和2024年双十一比": the other year's festival day, not its window.
        day = phrase + ("当天" if question.language == "zh" else " day itself")
        again = find_period(day, planner_today())
        if again is not None and again.range.start == again.range.end:
            return day
    return phrase


# Days written with no year ("10.20-11.11", "10/20 – 11/11", "10月20日至11月11日").
_DAYS_ONLY = re.compile(r"[\d\s./\-–~至到月日号]+")


def _restates(other: Any, first: Any) -> bool:
    """Whether a period's days, moved to the first period's year, are the first period's
    (from its first day; its end may be cut at today, this year's days not all past yet)."""
    shift = first.start.year - other.start.year
    try:
        moved = (
            other.start.replace(year=other.start.year + shift),
            other.end.replace(year=other.end.year + shift),
        )
    except ValueError:  # (29 February)
        return False
    if shift == 0:
        # "国庆那七天（10月1日到7日）": the very days of the first period, written out after
        # it, restate it; no period is compared with itself
        return (other.start, other.end) == (first.start, first.end)
    return moved[0] == first.start and first.start <= moved[1] <= first.end


_NAMED_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _in_the_named_year(question: Question, match: Any, phrase: str) -> str:
    """The other period of a comparison in the year the first one names, when it names none
    ("2025年四季度营收，跟三季度比": the third quarter of 2025, not of this year; "Q4 2025
    revenue, how did it do against Q3": Q3 2025), as it is when the two are said together. A
    relative period ("上个季度", "last quarter") keeps its own reckoning: only a phrase that
    reads as one period with the year put to it is moved."""
    first = question.raw[match.span[0] : match.span[1]]
    years = set(_NAMED_YEAR.findall(first))
    if (
        len(years) != 1
        or _NAMED_YEAR.search(phrase)
        or match.range.start.year != match.range.end.year
    ):
        return phrase
    year = years.pop()
    dated = f"{year}年{phrase}" if question.language == "zh" else f"{phrase} {year}"
    again = find_period(dated, planner_today())
    if again is None or again.compare_to is not None or again.span != (0, len(dated)):
        return phrase
    return dated


_QUALIFIER_GAP = re.compile(r"\s*(?:的|'s|’s|s'|’)?\s*")
_OF_GAP = re.compile(r"\s+(?:of|for|among|from)\s+(?:the\s+|our\s+)?$")


def _cohort_qualifier(
    question: Question, model: SemanticModel, metrics: list[str]
) -> AskBack | None:
    """Drop "new customers" when it qualifies another metric ("首单客户的平均LTV", "LTV of
    first-time buyers") rather than being asked for itself. Average LTV already selects
    customers by their first order in the period (semantic model), so it stays alone; any
    other metric cannot be restricted to that cohort, so the planner asks back rather than
    answering for every customer. Mutates `metrics`; returns the question back or None."""
    if "new_customers" not in metrics or len(metrics) < 2:
        return None
    synonyms = metric_synonyms(model)
    cohort_words = sorted(synonyms["new_customers"], key=len, reverse=True)
    others = {m: ws for m, ws in synonyms.items() if m != "new_customers" and m in metrics}
    text = question.text
    qualified: list[str] = []
    for word in cohort_words:
        at = text.find(word.lower())
        if at < 0:
            continue
        after = text[at + len(word) :]
        after = after[_QUALIFIER_GAP.match(after).end() :]
        before = text[:at]
        for metric, words in others.items():
            for w in words:
                w = w.lower()
                if after.startswith(w) or (
                    _OF_GAP.search(before)
                    and before[: _OF_GAP.search(before).start()].rstrip().endswith(w)
                ):
                    qualified.append(metric)
        break
    if not qualified:
        return None
    qualified += _listed_with(text, qualified, others)
    metrics.remove("new_customers")
    if all(m == "average_ltv" for m in qualified):
        return None
    return _cohort_ask_back(question.language, model, [m for m in metrics if m in qualified])


def _cohort_ask_back(language: str, model: SemanticModel, metrics: list[str]) -> AskBack:
    """The question back for `metrics` (as written) asked of the customers whose first order
    was in the period: only the average LTV selects them."""
    names = [model.metric(m).label.in_language(language) for m in metrics]
    return AskBack(
        tr(
            language,
            "The metric query cannot restrict {metrics} to customers whose first order was in "
            "the period (only average LTV selects customers by their first order), and I won't "
            "answer for every customer instead. Ask for the period's new customers, or for "
            "cohort retention to follow them.",
            metrics=tr(language, ", ").join(names),
        )
    )


_LIST_GAP = re.compile(r"(?:\s|,|、|，|&|/|\band\b|\bor\b|和|与|及|以及|跟|或)*")


def _listed_with(text: str, qualified: list[str], others: dict[str, list[str]]) -> list[str]:
    """The metrics written in one list with a qualified one ("revenue and AOV of new
    customers", "新客的销售额和客单价"): the qualifier holds for the whole list."""
    spans = {
        metric: [(at, at + len(w)) for w in ws if (at := text.find(w.lower())) >= 0]
        for metric, ws in others.items()
    }

    def side_by_side(metric: str, other: str) -> bool:
        """Whether a word of `metric` and one of `other` stand next to each other in a list."""
        for start, end in spans.get(metric, ()):
            for o_start, o_end in spans.get(other, ()):
                gap = text[end:o_start] if end <= o_start else text[o_end:start]
                if _LIST_GAP.fullmatch(gap) and gap.strip():
                    return True
        return False

    first = list(dict.fromkeys(qualified))
    listed = list(first)
    for other in listed:  # the list grows as it is read: a metric beside a listed one is listed
        listed += [m for m in spans if m not in listed and side_by_side(m, other)]
    return listed[len(first) :]


def _ranks_things(question: Question, model: SemanticModel) -> bool:
    """Whether a "top N" question names a non-time breakdown to rank ("top 3 categories")."""
    return any(
        model.dimension(d).time_grain is None for d in breakdowns_named(question.text, model)
    )


def _ranked_dimension(question: Question, model: SemanticModel) -> list[str]:
    """The breakdown a top N ranks when it names the thing by its plain noun ("the best seven
    campaigns by ROI", "前五的活动"): the dimension of that label, never a time grain."""
    noun = ranked_noun(question.text)
    if not noun:
        return []
    for dimension in model.dimensions.values():
        if dimension.time_grain is not None:
            continue
        # (its synonyms too: "which 5 items sold the most" ranks products, "item" being one)
        english = [dimension.label.en.lower(), *(w.lower() for w in dimension.synonyms.en)]
        names = {*english, *(w + "s" for w in english), *(w + "es" for w in english)}
        chinese = {dimension.label.zh, *dimension.synonyms.zh}
        # (a Chinese noun comes with the two characters after it: "营销活动" is the compound
        # whose head "活动" is the label, "品类销" the label "品类" with the next word begun)
        if noun in names or noun in chinese or {noun[:2], noun[2:4]} & chinese:
            return [dimension.name]
    return []


def _received_count(
    question: Question, text: str, metrics: list[str], model: SemanticModel
) -> list[str]:
    """The metrics without revenue named only by a verb of receiving (lexicon reader_words
    `receiving_verbs`: "take in", "bring in") when a count of another metric is asked ("how
    many orders did we take in", "how many sign-ups did the push bring in"): the verb's object
    is the thing counted, no money beside it."""
    if "revenue" not in metrics or len(metrics) < 2 or not _counts_items(question):
        return metrics
    verbs = reader_pattern("receiving_verbs")
    words = [w for name, w in named_by(text, metric_synonyms(model)) if name == "revenue"]
    if words and all(verbs.fullmatch(w) for w in words):
        return [m for m in metrics if m != "revenue"]
    return metrics


def _counts_items(question: Question) -> bool:
    """Whether "sell" asks for a count of items ("how many ... sell", "卖了几件"), not money."""
    return question.has(
        r"how many", r"number of", r"#\s*of", "多少件", "几件", "多少个", "多少台", "多少瓶"
    ) and not question.has(r"how much", "revenue", "多少钱", "金额")


def write_metric_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a query_metrics result: the number(s), context, a next step."""
    data = output.data
    if "error" in data:
        return error_text(error_in(data, language), language)
    labels = {m: ctx.semantic_model.metric(m).label.in_language(language) for m in data["metrics"]}
    if not data["dimensions"]:
        text = _totals_text(data, labels, language, ctx.currency, ctx.semantic_model)
    else:
        # Store values as the answer's language names them (category "electronics" -> "数码电子").
        frame = output.artifacts[0].frame_in(language) if output.artifacts else pd.DataFrame()
        text = _breakdown_text(frame, data, ctx.semantic_model, labels, language, ctx.currency)
        stored = output.artifacts[0].frame if output.artifacts else pd.DataFrame()
        text = _with_values_unseen(text, stored, data, language, ctx.semantic_model)
    text = _with_churn_base(text, data.get("churn_base"), language, bool(data.get("filters")))
    return _with_rfm_run(text, data.get("rfm_run"), language)


def _with_values_unseen(
    text: str, frame: pd.DataFrame, data: dict[str, Any], language: str, model: SemanticModel
) -> str:
    """The answer saying which values the question named have no row ("CTR of email vs SMS"
    when no email was sent in the period): a breakdown showing SMS alone would otherwise
    read as the comparison asked, with email silently gone. `frame` holds store values."""
    unseen: dict[str, list[str]] = {}
    for dimension in data["dimensions"]:
        named = (data.get("filters") or {}).get(dimension) or []
        if len(named) < 2 or dimension not in frame.columns:
            continue
        seen = set(frame.dropna(subset=data["metrics"], how="all")[dimension].astype(str))
        unseen[dimension] = [v for v in named if str(v) not in seen]
    unseen = {d: vs for d, vs in unseen.items() if vs}
    if not unseen or frame.empty or data.get("zero_denominators"):
        return text  # (a ratio of 0 customers acquired is said so, not as nothing recorded)
    note = tr(
        language,
        "- {values}: nothing recorded {period}, so no row",
        values=join_list(_scope_values(data, unseen, language, model), language),
        period=period_phrase(data.get("period"), language),
    )
    first, sep, rest = text.partition("\n\n")
    return f"{first}\n{note}{sep}{rest}"


def _with_churn_base(
    text: str, base: dict[str, str] | None, language: str, filtered: bool = False
) -> str:
    """The answer naming the base period of a churn rate (after its first paragraph): of
    which buyers the share is taken is not obvious ("September" is based on Aug 2-31, the
    previous period of equal length, not on the calendar month August). `filtered`: the
    filter picks the base's buyers (their orders through that channel, in that city ...),
    while a customer counts as lost only with no valid order at all; said, since "churn of
    mini-program customers" can be read either way."""
    if not base:
        return text
    if base.get("per_bucket"):
        # Churn by month: every row has its own base, the equal-length period before it.
        note = tr(
            language,
            "Each row's churn is measured against the customers who bought in the period of "
            "equal length just before it (the first row's: {base}).",
            base=span_text(base["start"], base["end"], language),
        )
    elif base.get("named"):
        # "Q1 buyers we lost in Q2": the base the question named.
        note = tr(
            language,
            "Churn is measured against the customers who bought in {base}, as asked.",
            base=span_text(base["start"], base["end"], language),
        )
    else:
        note = tr(
            language,
            "Churn is measured against the customers who bought in the previous period of "
            "equal length ({base}).",
            base=span_text(base["start"], base["end"], language),
        )
    if filtered:
        note += "\n" + tr(
            language,
            "The filter picks the customers of the base period; a customer counts as lost "
            "only with no valid order at all in the period, through any channel.",
        )
    first, sep, rest = text.partition("\n\n")
    return f"{first}\n{note}{sep}{rest}"


def _with_rfm_run(text: str, run: dict[str, str] | None, language: str) -> str:
    """The answer saying which saved RFM run its RFM segments come from (after its first
    paragraph, before the next-step hint): segments move with every new run."""
    if not run:
        return text
    note = tr(
        language,
        N_(
            "No RFM segmentation was saved, so the RFM segments were computed now as of "
            "{as_of} and saved ({saved})."
        )
        if run.get("computed_now")
        else N_("The RFM segments are those of the saved RFM run as of {as_of} (saved {saved})."),
        as_of=run["as_of"],
        saved=run["saved"],
    )
    first, sep, rest = text.partition("\n\n")
    return f"{first}\n\n{note}{sep}{rest}"


def _totals_text(
    data: dict[str, Any],
    labels: dict[str, str],
    language: str,
    currency: str,
    model: SemanticModel | None = None,
) -> str:
    values = data["values"]
    period, scope = period_phrase(data.get("period"), language), _scope_text(data, language, model)
    # No data is a missing value; a count of 0 (a month with orders but no new customer) is 0.
    if all(is_missing(values.get(m)) for m in data["metrics"]):
        return _no_data_text(data, period, scope, language, model)
    previous = data.get("previous_values") or {}
    # Every amount of the answer in one style (all in 万, or all in full).
    style = money_style(_money_amounts(data), language)
    parts = [
        (
            labels[m],
            format_value(values.get(m), data["formats"][m], language, currency, large=style)
            + _change_text(
                values.get(m), previous.get(m), data["formats"][m], currency, data, language, style
            ),
        )
        for m in data["metrics"]
    ]
    if len(parts) == 1:
        # A count is a plural noun in English ("Orders ... were 715"); an amount or rate is not.
        counted = data["formats"][data["metrics"][0]] == "integer"
        sentence = tr(
            language,
            N_("{metric} {period}, {scope}, were {value}.")
            if counted
            else N_("{metric} {period}, {scope}, was {value}."),
            metric=parts[0][0],
            period=period,
            scope=scope,
            value=parts[0][1],
        )
    else:
        body = tr(language, "; ").join(
            tr(language, "{metric}: {value}", metric=label, value=value) for label, value in parts
        )
        sentence = tr(
            language,
            "{Period}, {scope}: {values}.",
            Period=_capital(period),
            scope=scope,
            values=body,
        )
    lines = [
        sentence,
        *_to_date_note(data, language),
        *_whole_reference(data, labels, language, currency, style),
    ]
    if any(not is_missing(v) and v != 0 for v in values.values()):
        # Nothing but zeros (an empty store, a period without orders) has nothing to break down.
        lines.append("\n" + tr(language, "Next: break it down by month, channel or city."))
    return "\n".join(lines)


def _breakdown_text(
    frame: pd.DataFrame,
    data: dict[str, Any],
    model: SemanticModel,
    labels: dict[str, str],
    language: str,
    currency: str,
) -> str:
    metric = data["metrics"][0]
    dims = data["dimensions"]
    period, scope = period_phrase(data.get("period"), language), _scope_text(data, language, model)
    if frame.empty or frame[data["metrics"]].isna().all().all():
        return _no_data_text(data, period, scope, language, model)
    kind = data["formats"][metric]
    # The highest, the lowest and the totals in one style (all in 万, or all in full).
    shown_amounts = [*frame[metric].dropna().tolist()]
    if kind == "money":
        shown_amounts.append(frame[metric].sum())
        if f"{metric}_previous" in frame.columns:
            shown_amounts.append(frame[f"{metric}_previous"].sum())
    style = money_style(shown_amounts if kind == "money" else [], language)
    fmt = lambda v: format_value(v, kind, language, currency, large=style)  # noqa: E731
    key = lambda row: " / ".join(period_label(row[d], model.dimension(d).time_grain) for d in dims)  # noqa: E731
    rows = frame.dropna(subset=[metric])
    change_column = f"{metric}_change"
    by_change = data.get("order_by") == change_column and change_column in frame.columns
    by = join_list([model.dimension(d).label.in_language(language) for d in dims], language)
    if language == "en":
        by = by.lower()
    heading = (
        N_(
            "{metric} by {dimensions} {period}, {scope}: the lowest {n}, lowest first (table below):"
        )
        if data.get("sort") == "asc" and not data.get("truncated") and not by_change
        else N_("{metric} by {dimensions} {period}, {scope} ({rows}, table below):")
    )
    lines = [
        tr(
            language,
            heading,
            # Every metric asked is named, never the first alone ("revenue and orders by month").
            metric=join_list([labels[m] for m in data["metrics"]], language),
            dimensions=by,
            period=period,
            scope=scope,
            rows=ntr(language, "{count} row", "{count} rows", len(frame)),
            n=len(frame),
            # "订单最少的3个", "销售额最低的3个"
            lowest=tr(
                language, N_("least of a count") if kind == "integer" else N_("least of an amount")
            ),
        )
    ]
    is_time = model.dimension(dims[0]).time_grain is not None
    # A last bucket cut short is not compared with whole ones: not ranked highest or lowest.
    ranked = rows
    if is_time and len(dims) == 1 and not rows.empty:
        last = rows.iloc[-1][dims[0]]
        if _bucket_is_partial(last, data.get("period"), model.dimension(dims[0]).time_grain):
            ranked = rows.iloc[:-1]
    if by_change:
        # "the biggest drop": the rows' change ranks them, never their values.
        extremes = _change_rank_lines(ranked, metric, key, fmt, kind, by, data, language)
    else:
        extremes = _extremes_lines(ranked, metric, key, fmt, language)
    lines += extremes
    if len(frame) == 1:
        lines.append(_one_row_line(frame.iloc[0], data, labels, key, language, currency))
    base = model.metric(metric)
    total = rows[metric].sum() if base.is_base and base.measures[0].aggregate == "sum" else None
    whole = (data.get("share_of") or {}).get(metric)
    if whole:
        lines += _shares_lines(frame, metric, whole, key, fmt, language)
    elif total and extremes and len(rows) > 1 and not by_change:
        share = format_percent(ranked[metric].max() / total, language)
        lines.append(tr(language, "- the highest is {share} of the total shown", share=share))
    previous_column = f"{metric}_previous"
    if previous_column in frame.columns and total and frame[previous_column].sum():
        before = frame[previous_column].sum()
        lines.append(
            tr(
                language,
                "- in total {now} vs {before} in {other} ({change})",
                now=fmt(total),
                before=fmt(before),
                other=period_name(data.get("compare_to"), language, as_labelled=True),
                change=format_change(total, before, kind, language),
            )
        )
    if is_time and len(rows) >= 2:
        grain = model.dimension(dims[0]).time_grain
        lines += _latest_change_lines(rows, metric, dims[0], grain, kind, data, language)
    if not is_time and len(dims) == 1 and len(frame) <= _ROWS_LISTED:
        # Named in full so a follow-up ("what is their total?") can sum exactly these rows.
        names = tr(language, ", ").join(key(row) for _, row in frame.iterrows())
        lines.append(tr(language, "- rows shown: {rows}", rows=names))
    lines.append(
        "\n" + tr(language, "Next: filter to one city or channel, or compare another metric.")
    )
    return "\n".join(lines)


def _change_rank_lines(
    rows: pd.DataFrame,
    metric: str,
    key,  # noqa: ANN001
    fmt,  # noqa: ANN001
    kind: str,
    by: str,
    data: dict[str, Any],
    language: str,
) -> list[str]:
    """The biggest fall (sort "asc") or rise ("desc") by relative change; when no row fell
    (rose), that is said, with the row that changed least the other way."""
    changes = rows[f"{metric}_change"].dropna()
    if changes.empty:
        return []
    if data.get("sort") == "asc":
        moved = bool((changes < 0).any())
        at = changes.idxmin()
        message = (
            N_("- biggest fall (relative change): {row}, {change} ({now} vs {before})")
            if moved
            else N_(
                "- no {dimension} fell; the smallest change was {row}, {change} ({now} vs {before})"
            )
        )
    else:
        moved = bool((changes > 0).any())
        at = changes.idxmax()
        message = (
            N_("- biggest rise (relative change): {row}, {change} ({now} vs {before})")
            if moved
            else N_(
                "- no {dimension} rose; the smallest fall was {row}, {change} ({now} vs {before})"
            )
        )
    row = rows.loc[at]
    now, before = row[metric], row[f"{metric}_previous"]
    return [
        tr(
            language,
            message,
            dimension=by,
            row=key(row),
            change=format_change(now, before, kind, language),
            now=fmt(now),
            before=fmt(before),
        )
    ]


def _one_row_line(
    row: pd.Series,
    data: dict[str, Any],
    labels: dict[str, str],
    key,  # noqa: ANN001
    language: str,
    currency: str,
) -> str:
    """The one row's values, every metric asked: one row has no highest or lowest to name."""
    values = tr(language, "; ").join(
        tr(
            language,
            "{metric}: {value}",
            metric=labels[m],
            value=format_value(
                row[m],
                data["formats"][m],
                language,
                currency,
                large=money_style([row[m]], language),
            ),
        )
        for m in data["metrics"]
    )
    return tr(language, "- {row}: {values}", row=key(row), values=values)


def _shares_lines(
    frame: pd.DataFrame,
    metric: str,
    whole: float,
    key,
    fmt,
    language: str,  # noqa: ANN001
) -> list[str]:
    """Each row's share of the whole (the tool's `<metric>_share`, over the whole it computed
    without the breakdown), named row by row when the rows are few, else left to the table."""
    total = tr(language, "- the whole without the breakdown: {value}", value=fmt(whole))
    if len(frame) > _ROWS_LISTED:
        return [total, tr(language, "- each row's share of it is in the table")]
    shares = tr(language, ", ").join(
        tr(
            language,
            "{row} {share}",
            row=key(row),
            share=format_percent(row[f"{metric}_share"], language),
        )
        for _, row in frame.iterrows()
        if pd.notna(row[f"{metric}_share"])
    )
    return [total, tr(language, "- share of the whole: {shares}", shares=shares)]


def _no_data_text(
    data: dict[str, Any],
    period: str,
    scope: str,
    language: str,
    model: SemanticModel | None = None,
) -> str:
    """No figure: for campaign metrics, say there were no campaigns then and when the latest
    ran; for a ratio whose denominator is 0 (CAC with no customer acquired), say that."""
    zero = data.get("zero_denominators") or {}
    if zero:
        if model is None:
            from knowledge.semantic import load_semantic_model

            model = load_semantic_model()

        def label(name: str) -> str:
            named = model.metrics[name].label
            return named.zh if language == "zh" else named.en

        said = tr(language, "; ").join(
            tr(
                language,
                "{metric} {period}, {scope}, cannot be computed: its denominator, {denominator}, "
                "is 0 there, so there is no figure (not a figure of 0)",
                metric=label(metric),
                period=period,
                scope=scope,
                denominator=label(denominator),
            )
            for metric, denominator in zero.items()
        )
        return said + ("。" if language == "zh" else ".")
    latest = data.get("latest_campaigns")
    if latest:
        return tr(
            language,
            "There were no campaigns {period}, {scope}, so there is no campaign figure to report; "
            "the latest campaign, {campaign}, ran {dates}. Ask about that period instead.",
            period=period,
            scope=scope,
            campaign=latest["campaign"],
            dates=span_text(latest["start"], latest["end"], language),
        )
    return tr(
        language,
        "There is no data {period}, {scope}, so there is nothing to report.",
        period=period,
        scope=scope,
    )


def _extremes_lines(rows: pd.DataFrame, metric: str, key, fmt, language: str) -> list[str]:  # noqa: ANN001
    """The highest and lowest rows; rows that tie are named together as a tie, never as
    one highest and one lowest. A single row has no highest or lowest."""
    if len(rows) < 2:
        return []
    values = rows[metric]
    if len(rows) > 1 and values.max() == values.min():
        names = join_list([key(r) for _, r in rows.iterrows()], language)
        return [tr(language, "- all tie at {value}: {rows}", value=fmt(values.max()), rows=names)]
    lines = []
    for label, extreme in ((N_("highest"), values.max()), (N_("lowest"), values.min())):
        tied = [key(r) for _, r in rows[values == extreme].iterrows()]
        if len(tied) > 1:
            message = N_("- {kind} (a tie): {rows} with {value}")
        else:
            message = N_("- {kind}: {rows} with {value}")
        lines.append(
            tr(
                language,
                message,
                kind=tr(language, label),
                rows=join_list(tied, language),
                value=fmt(extreme),
            )
        )
    return lines


def _latest_change_lines(
    rows: pd.DataFrame,
    metric: str,
    time_dim: str,
    grain: str | None,
    kind: str,
    data: dict[str, Any],
    language: str,
) -> list[str]:
    """The latest period against the one before, like for like.

    A last bucket that is cut short by the period's end (the running month) is not
    compared with a whole one: it is named as to date, and the change is read
    between the last two whole buckets instead.
    """
    period = data.get("period")
    last_bucket = rows.iloc[-1][time_dim]
    partial = _bucket_is_partial(last_bucket, period, grain)
    lines = []
    if partial:
        message = (
            N_(
                "- {bucket} is cut short (the data ends {end}), so it is not compared with whole periods"
            )
            if data.get("data_end") == period["end"]
            else N_(
                "- {bucket} is to date (data up to {end}), so it is not compared with whole periods"
            )
        )
        lines.append(
            tr(language, message, bucket=period_label(last_bucket, grain), end=period["end"])
        )
        rows = rows.iloc[:-1]
    if len(rows) < 2:
        return lines
    last, prev = rows.iloc[-1][metric], rows.iloc[-2][metric]
    change = format_change(last, prev, kind, language)
    if change:
        lines.append(
            tr(
                language,
                "- {latest} vs {before}: {change}",
                latest=period_label(rows.iloc[-1][time_dim], grain),
                before=period_label(rows.iloc[-2][time_dim], grain),
                change=change,
            )
        )
    return lines


def _bucket_is_partial(bucket: Any, period: dict | None, grain: str | None) -> bool:
    """Whether the last time bucket ends after the period does (a month cut at today)."""
    if period is None or not isinstance(bucket, date):
        return False
    months = {"month": 1, "quarter": 3, "year": 12}.get(grain or "")
    if not months:
        return False
    end = date.fromisoformat(period["end"])
    bucket_end = (pd.Timestamp(bucket) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    return end < bucket_end


def _to_date_note(data: dict[str, Any], language: str) -> list[str]:
    """For a running period (this month on the 15th): say it is to date, and that the
    comparison covers the same number of days, so a partial month never reads as a collapse."""
    period, other = data.get("period"), data.get("compare_to")
    unit = to_date_unit(period)
    if unit is None:
        return []
    values = {"unit": tr(language, _UNITS[unit]), "end": period["end"]}
    same_days = bool(other) and _days(other) == _days(period)
    if data.get("data_end") == period["end"]:
        # Cut where the store's data ends (an old export), not by a running today.
        values = {"end": period["end"], "days": day_span(period["start"], period["end"], language)}
        if same_days:
            return [
                tr(
                    language,
                    "The data ends {end}: figures cover {days}, compared with the same days of {other}.",
                    other=period_name(other, language, as_labelled=True),
                    **values,
                )
            ]
        return [tr(language, "The data ends {end}: figures cover {days}.", **values)]
    if same_days:
        name = period_name(other, language, as_labelled=True)
        return [
            tr(
                language,
                "The {unit} is not over: figures are to date (up to {end}), compared with the same days of {other}.",
                other=name,
                **values,
            )
        ]
    return [tr(language, "The {unit} is not over: figures are to date (up to {end}).", **values)]


def _whole_reference(
    data: dict[str, Any],
    labels: dict[str, str],
    language: str,
    currency: str,
    style: MoneyStyle = True,
) -> list[str]:
    """The whole comparison unit, for reference, when the comparison was cut to the same days."""
    whole, values = data.get("whole_compare_to"), data.get("whole_previous_values") or {}
    if not whole or all(is_missing(values.get(m)) for m in data["metrics"]):
        return []
    figures = tr(language, "; ").join(
        tr(
            language,
            "{metric}: {value}",
            metric=labels[m],
            value=format_value(values.get(m), data["formats"][m], language, currency, large=style),
        )
        for m in data["metrics"]
    )
    return [
        tr(
            language,
            "For reference, the whole of {period}: {figures}.",
            period=period_text(whole, language),
            figures=figures,
        )
    ]


# The running units a period can be cut in (catalogue ids).
_UNITS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}


def _money_amounts(data: dict[str, Any]) -> list[Any]:
    """Every money amount a totals answer states (now, before, the whole reference period)."""
    money = [m for m in data["metrics"] if data["formats"].get(m) == "money"]
    found = []
    for key in ("values", "previous_values", "whole_previous_values"):
        found += [(data.get(key) or {}).get(m) for m in money]
    return found


def _days(period: dict[str, Any]) -> int:
    return (date.fromisoformat(period["end"]) - date.fromisoformat(period["start"])).days + 1


def _change_text(
    value: float | None,
    previous: float | None,
    kind: str,
    currency: str,
    data: dict[str, Any],
    language: str,
    style: MoneyStyle = True,
) -> str:
    """ " (vs ¥X in 2025: up 12.0%)" when the query compared two periods; rates in points.
    A comparison period without data is said ("no data in 2023 to compare with"), never
    left out: the answer would read as the figure alone, a different question."""
    if data.get("compare_to") is None:
        return ""
    other = period_name(data["compare_to"], language, as_labelled=True)
    if is_missing(previous):
        return tr(language, " (no data in {other} to compare with)", other=other)
    before = format_value(previous, kind, language, currency, large=style)
    change = format_change(value, previous, kind, language)
    if change:
        return tr(
            language,
            " (vs {before} in {other}: {change})",
            before=before,
            other=other,
            change=change,
        )
    return tr(language, " (vs {before} in {other})", before=before, other=other)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _scope_text(data: dict[str, Any], language: str, model: SemanticModel | None = None) -> str:
    """What the number covers: "whole store", the filter values ("Shanghai and Beijing"),
    and the values left out ("excluding 上海", the tool's `exclude`).

    Codes too short to read alone (gender "F") are shown with their dimension.
    """
    filters: dict[str, list[str]] = data.get("filters") or {}
    excluded: dict[str, list[str]] = data.get("exclude") or {}
    if excluded:
        left_out = tr(
            language,
            "excluding {values}",
            values=join_list(_scope_values(data, excluded, language, model), language),
        )
        if not filters:
            return left_out
        return tr(
            language,
            "{scope}, {excluded}",
            scope=_scope_text({**data, "exclude": {}}, language, model),
            excluded=left_out,
        )
    if not filters:
        return tr(language, "whole store")
    values = _scope_values(data, filters, language, model)
    return tr(language, "for {values}", values=join_list(values, language))


def _scope_values(
    data: dict[str, Any],
    filters: dict[str, list[str]],
    language: str,
    model: SemanticModel | None,
) -> list[str]:
    """The values of `filters` as the answer's language names them ("electronics" -> "数码电子")."""
    shown = (data.get("filter_labels") or {}).get(language, {})
    filters = {d: [shown.get(d, {}).get(v, v) for v in vs] for d, vs in filters.items()}
    return [
        tr(
            language,
            "{dimension} {value}",
            dimension=_dimension_word(dimension, language, model),
            value=v,
        )
        if len(v) <= 2 and v.isascii()
        else v
        for dimension, vs in filters.items()
        for v in vs
    ]


def _dimension_word(name: str, language: str, model: SemanticModel | None) -> str:
    """A dimension as a word before a short code ("gender F" / "性别 F")."""
    if model is not None and name in model.dimensions:
        label = model.dimensions[name].label.in_language(language)
        return label.lower() if language == "en" else label
    return name.replace("_", " ")


def error_in(data: dict[str, Any], language: str) -> str:
    """A tool's error in the answer's language: the catalogue's translation when the tool
    raised a catalogued error (`ToolError.of`), else the tool's own text."""
    return data.get(f"error_{language}") or data["error"]


def error_text(error: str, language: str) -> str:
    """A tool's recoverable error, told plainly."""
    return tr(language, "I could not compute that: {error}", error=error)


METRICS_INTENT = Intent(tool="query_metrics", read=read_metric_question, write=write_metric_answer)


def _year_of_the_campaign(said: str | None, campaign: str, ctx: PlannerContext) -> str | None:
    """The period said beside a festival's campaign ("the singles day push last yr"); when it
    is a whole year that holds the campaign's window, it only says which year's campaign is
    meant: the period is the campaign's own window ("Double 11 2025"), restated as such."""
    if said is None:
        return None
    today = planner_today()
    found = find_period(said, today)
    window = campaigns_window([campaign], ctx.values)
    own = find_period(window, today) if window else None
    if found is None or own is None or found.compare_to is not None:
        return said
    year = found.range
    # ("this year" asked in October runs to today: a year still)
    whole_year = (year.start.month, year.start.day) == (1, 1) and (
        (year.end.month, year.end.day) == (12, 31) or year.end >= today - timedelta(days=1)
    )
    inside = year.start <= own.range.start and own.range.end <= year.end
    return window if whole_year and inside and year.start.year == year.end.year else said
