"""A/B-test questions: reading them into ab_test / ab_sample_size calls and writing the answer."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from copilot.offline.campaigns import campaign_named, runs_on, store_campaigns
from copilot.offline.clock import planner_today
from copilot.offline.intents.ab_counts import (
    TypedCounts,
    counted_numbers,
    level_said,
    read_typed_counts,
    states_a_target,
)
from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.numbers import read_rate_change, read_test_settings
from copilot.offline.question import Question, named, named_by
from copilot.offline.vocabulary import (
    intent_cues,
    load_lexicon,
    metric_synonyms,
    paired_metrics,
    reader_pattern,
    reader_words,
    unsupported_in,
    without_negated,
)
from knowledge.presentation import (
    N_,
    column_label,
    format_count,
    format_percent,
    join_clauses,
    join_list,
    label_in_sentence,
    tr,
)
from knowledge.time_ranges import find_period
from tools.ab_testing import p_text
from tools.base import ToolOutput

_QUOTED = re.compile(r"[\"“「《'‘]([^\"”」》'’]{2,80})[\"”」》'’]")
_CAMPAIGN_ID = re.compile(r"(?<![A-Za-z0-9])((?:CMP|C)\d{2,})(?![A-Za-z0-9])", re.I)
# "version A of the subject line test", "variant 2", "B版本", "版本B": a short variant name.
_VARIANT = re.compile(
    # (not the "s" of "the test's variant B": a possessive is no variant's letter)
    r"\b(?:version|variant)\s+([a-z]|\d{1,2})\b|(?<!['’])\b([a-z])\s+(?:version|variant)\b"
    r"|(?:版本|变体)\s*([a-z]|\d{1,2})(?![a-z0-9])|(?<![a-z0-9])([a-z]|\d{1,2})\s*(?:版本|版)",
    re.I,
)
# "... of the Spring SMS test", "for our welcome email campaign": a campaign named in words,
# matched against the store's campaign names by the tool (also when misspelt).
_NAMED_TEST = re.compile(
    r"\b(?:of|for|from|in|on|about)\s+(?:the|our|my|this|that)?\s*"
    r"([a-z0-9][\w &'-]{1,60}?)\s+(?:a/?b\s+)?(?:test|campaign|experiment)s?\b"
)
_NOT_A_NAME = {
    "a/b",
    "ab",
    "a",
    "b",
    "split",
    "the",
    "this",
    "that",
    "last",
    "every",
    "each",
    "all",
}


# "conversion rate per variant": a metric broken down by variant is a metric query; only
# a verdict (winner, significance, p-value, lift) asks for the test's analysis.
_PER_VARIANT = re.compile(
    r"\b(?:per|by|each|every|across|both|the two|all)\s+(?:variant|version|arm)s?\b"
    r"|各(?:个)?版本|每个版本|分版本|按版本|(?:两|二|2|几|三|3)个(?:版本|变体)的"
    # ("两个版本各送达多少", "两个版本点击率分别多少": each version's figure)
    r"|(?:两|二|2|几|三|3)个(?:版本|变体)[^，。？?、]{0,8}(?:各|分别)"
    # ("AB两组的打开率各多少", "A版B版转化率各是多少": each group's, each version's figure)
    r"|(?:两|二|2)个?组|各组|每组|(?<![a-z])a\s*版\s*(?:和|跟|与|、)?\s*b\s*版",
    re.I,
)
# "A/B", "AB测试" said as a word ("about" holds no A/B).
_AB = re.compile(r"(?<![a-z0-9])a/?b(?![a-z0-9])", re.I)
_NAMES_A_TEST = re.compile(
    r"a/?b\s*(?:tests?|测试|实验)|ab测试|split[ -]tests?|\btest\b|\bexperiment\b|测试|实验", re.I
)
_COMPARES = re.compile(
    r"\bcompar(?:e|ed|ing|ison)\b|\bvs\.?\b|\bversus\b|\bagainst\b|对比|比较|相比|哪个(?:版本)?(?:好|高)",
    re.I,
)


# The semantic model's metrics an A/B test compares between its variants (the rates and their
# counts); any other metric said of a test campaign (its ROI, cost, revenue) is the campaign's.
_TEST_METRICS = frozenset(
    {
        "conversion_rate",
        "conversions",
        "ctr",
        "clicks",
        "open_rate",
        "opens",
        "delivered",
        "unsubscribe_rate",
        "unsubscribes",
        "click_to_open_rate",
    }
)
# Of those, the ones a test compares only when its verdict or a comparison is asked: "what
# share of openers clicked in the spring email test" asks the campaign's click-to-open rate
# (clicks / opens, MARKETING.md), a rate, not a test; "... and is B significantly better" tests it.
_TESTED_ONLY_FOR_A_VERDICT = frozenset({"click_to_open_rate"})


def _asks_verdict(raw: str) -> bool:
    """Whether a test's verdict is asked: a verdict word ("significant", "which won") or a
    difference asked about as real or chance ("is the gap genuine?", "有统计意义吗")."""
    return bool(
        reader_pattern("verdict_words").search(raw) or reader_pattern("chance_words").search(raw)
    )


def read_ab_test_question(
    question: Question, ctx: PlannerContext
) -> dict[str, Any] | AskBack | None:
    """ab_test arguments for a question about an A/B test's result, else None.

    Counts the user types for two or more variants ("A: 1000 visitors, 50 conversions;
    B: ...") are tested as given (`counts`), never replaced by the store's campaigns;
    typed numbers that cannot be read with certainty (rates without sizes, numbers of
    unclear role) get a question back naming what is missing.
    A test the question declines ("don't need the significance, just the rate", "不用做
    显著性检验") is not asked for: its clause is read as absent.
    """
    # (the test itself declined, "no test needed", "without a split test", is declined too)
    kept = without_negated(without_negated(question.raw), tasks=reader_words("test_words"))
    tests = (
        reader_pattern("verdict_words"),
        _NAMES_A_TEST,
        *(re.compile(w, re.I) for w in reader_words("test_words")),
    )
    declined = any(p.search(question.raw) and not p.search(kept) for p in tests)
    question = replace(
        question, raw=without_negated(question.raw), text=without_negated(question.text)
    )
    raw = question.raw.lower()
    typed = read_typed_counts(question.raw)
    if (typed is None or not typed.counts) and (
        plans_sample_size(question) or sizes_a_planned_test(question)
    ):
        return None  # "3 variants, baseline 5%, detect 1 point: how many each?" plans a test
    if (
        typed is None
        and plans_a_test(question)
        and not _asks_verdict(raw)
        and not (_campaign(question) or campaign_named(question, ctx.values))
    ):
        # "下个月想做个推送AB，得准备多少用户": a size for a test still planned; a stored test
        # named ("was the Double 11 push test's sample big enough") has run: its result
        return None
    if typed is not None and typed.counts:
        args: dict[str, Any] = {"counts": [dict(c) for c in typed.counts], "metric": typed.metric}
        alpha = level_said(question.raw) or read_test_settings(question.raw).alpha
        if alpha is not None and alpha != 0.05:
            args["alpha"] = alpha  # "significant at 90%?": the verdict at the level asked
        return args
    if typed is not None and _asks_about_typed_numbers(typed, question, ctx):
        return AskBack(ask_for_counts(typed, question.language))
    if declined and named(question.text, metric_synonyms(ctx.semantic_model)):
        return None  # the test declined, a metric asked: query_metrics reads it
    # "双11推送A/B测试两个版本的点击率对比": the test's variants compared is its analysis; a
    # campaign named by its id ("compare CMP007's two versions") names its test too.
    compares_a_test = (_NAMES_A_TEST.search(raw) or _CAMPAIGN_ID.search(raw)) and _COMPARES.search(
        raw
    )
    if (
        (
            _PER_VARIANT.search(raw)
            or _each_variant_named(raw)
            or _variants_side_by_side(raw)
            # "conv rate for A and B": two variants read as the store's values, each one's rate
            or len(question.filters.get("variant") or ()) >= 2
        )
        and not _asks_verdict(raw)
        and not compares_a_test
        and named(question.text, metric_synonyms(ctx.semantic_model))
    ):
        return None  # a metric by variant: query_metrics reads it
    # A variant named by a store value word ("B版本") is blanked from the text: read it in raw.
    named_variant = _VARIANT.search(question.text) or (
        _VARIANT.search(raw) if question.filters.get("variant") else None
    )
    # "Spring Festival 2026 - Email A/B 里B版本的打开率": one variant's rates with no verdict and
    # no test named outside the campaign's own name (blanked from the text) is a metric
    # question, filtered on that variant; "which variant won" or "B 的测试结果" stays a test.
    # A count of one variant ("how many conversions did B get in the push A/B test", "B版本
    # 一共转化了多少单") is that variant's metric even with the test named: a test gives
    # rates and a verdict, never the count asked.
    metrics = named(question.text, metric_synonyms(ctx.semantic_model))
    metrics = _orders_as_conversions(metrics, raw)
    if (
        named_variant
        and not _asks_verdict(raw)
        and not _COMPARES.search(raw)
        and metrics
        and (
            not (_NAMES_A_TEST.search(question.text) or re.search(r"a/?b", question.text))
            or all(_is_count(m, ctx) for m in metrics)
        )
    ):
        return None
    if (
        _none_tested(metrics, verdict=False)
        and not _asks_verdict(raw)
        and not _COMPARES.search(raw)
        and (_NAMES_A_TEST.search(raw) or _AB.search(raw))
    ):
        # "the spring A/B campaign's ROI": that campaign's own figure, a metric query; a test
        # gives rates and a verdict, never the ROI asked. Which test, when none is named.
        return _figure_the_test_does_not_compare(metrics, question, ctx, which_test=True)
    if _two_years_of_campaigns(question, raw) and not (
        _NAMES_A_TEST.search(raw) or _AB.search(raw) or named_variant or _PER_VARIANT.search(raw)
    ):
        # "is the Double 11 2026 campaign better than the 2025 one", "did the 2026 spring
        # campaigns beat 2025 significantly": campaigns of two years set side by side, whose
        # own figures answer; a stored test's variants are no year against another.
        return None
    if not_a_test := _plain_campaign_as_a_test(question, ctx, raw, named_variant):
        return AskBack(not_a_test)
    campaigns_compared = _campaigns_compared(question, ctx, raw, named_variant)
    if campaigns_compared is not None:
        return campaigns_compared or None
    about_a_test = named_variant and re.search(r"\btests?\b|campaign|测试|活动", raw)
    # "did B beat A in the Spring Festival 2026 email test?": a store A/B campaign named
    # (its name holds "A/B", blanked from the text) with a verdict or comparison asked.
    ab_campaign = _ab_campaign(question, ctx)
    # A channel alone is no test named: "how does email compare?" sets the channel beside
    # another, it does not compare the variants of the channel's one A/B campaign.
    by_channel_only = (
        ab_campaign
        and not question.filters.get("campaign")
        and not question.time_range
        and not _ab_campaign_by_its_words(question, ctx)
    )
    about_a_test = (
        about_a_test
        or (
            ab_campaign
            and (
                _asks_verdict(raw)
                or (_COMPARES.search(raw) and not by_channel_only and not question.compares_periods)
                or _NAMES_A_TEST.search(raw)
            )
        )
        # "compare the two versions of CMP007": a campaign id's versions set side by side.
        or (
            (compares_a_test or _asks_verdict(raw))
            and _CAMPAIGN_ID.search(raw)
            # "CMP010 A vs B on CTR", "CMP010的A和B做个z检验": the id's variants, each named,
            # set side by side or tested.
            and (_PER_VARIANT.search(raw) or len(question.filters.get("variant") or ()) >= 2)
        )
    )
    if not (
        question.has(*intent_cues("ab_test"))
        or re.search(r"a/?b\s*测试|ab测试", raw)
        or about_a_test
    ):
        return None
    # Only of a stored test: counts the user gives ("1000 visitors and 50 conversions for the
    # old version") name their own trials, read by the counts reader.
    stored = ab_campaign or question.filters.get("campaign") or _CAMPAIGN_ID.search(raw)
    unmeasured = unsupported_in(question.text, ctx.semantic_model) if stored else None
    if unmeasured is not None:
        # "what NPS did the spring email test get": a figure the store does not measure,
        # never answered with the test's conversion instead.
        return AskBack(
            tr(
                question.language,
                "I can't measure “{word}”: the store has no such figure. An A/B test here "
                "compares the variants' conversion, click-through, open or unsubscribe rates. "
                "Which of these do you mean?",
                word=_as_written(unmeasured[1], question.raw),
            )
        )
    paired, unpaired = paired_metrics(question.text, ctx.semantic_model)
    asked = _orders_as_conversions(
        [*paired, *named(unpaired, metric_synonyms(ctx.semantic_model))], raw
    )
    if (
        not asked
        and not (_asks_verdict(raw) or _COMPARES.search(raw))
        and question.has(*reader_words("money_not_tested"))
    ):
        return None  # "the spring email A/B, how much did we pay?": a cost, no test
    rates = [m for m in asked if ctx.semantic_model.metric(m).format == "percent"]
    if (
        len(rates) >= 2
        and not (_asks_verdict(raw) or _COMPARES.search(raw))
        and not (named_variant or _PER_VARIANT.search(raw))
    ):
        # "CTR and click-to-open for the spring email A/B": the test campaign's figures, a
        # metric question; a test compares its variants on one rate, and would drop the other.
        return None
    if _none_tested(asked, verdict=bool(_asks_verdict(raw) or _COMPARES.search(raw))):
        # "of those who opened the spring email test, what share clicked": a figure of the
        # test's campaign the test does not compare (click-to-open, revenue) is a metric
        # question; answered with the test's open or click rate it would be another one.
        return _figure_the_test_does_not_compare(asked, question, ctx, which_test=False)
    if typed is None and counted_numbers(question.raw) >= 2:
        # Sizes and event counts of the user's own test that could not be put to variants:
        # ask, rather than test the store's campaigns instead.
        return AskBack(tr(question.language, _ASK_GROUPS))
    args: dict[str, Any] = {}
    # "春节2026那封邮件": a store campaign named by its period and channel.
    campaign = ab_campaign or _campaign(question) or campaign_named(question, ctx.values)
    if (
        not campaign
        and not named_variant
        and not _asks_verdict(raw)
        and question.has(*load_lexicon().task_cues.get("ab_sample_size", ()))
    ):
        return None  # "the sample size for my A/B test": a test planned, no store result
    if campaign and campaign != ab_campaign and not _CAMPAIGN_ID.fullmatch(campaign):
        unknown = _unknown_test(campaign, question, ctx)
        if unknown:  # "of our bundle-discount test": a name no store A/B campaign matches
            return AskBack(unknown)
    if campaign:
        args["campaign"] = campaign
    elif reader_pattern("most_recent_one").search(question.raw):
        args["latest"] = True  # "our most recent A/B test": the one latest in the store
    elif ab_names := [c for c in store_campaigns(ctx.values) if "a/b" in c.lower()]:
        # "the free-shipping test", "包邮测试": a test named by words no store campaign holds
        # is asked about with the store's A/B campaigns, never answered for all of them.
        from copilot.offline.accounting import unknown_campaign_problem  # (imports intents)

        unknown = unknown_campaign_problem(question, ctx, ab_names)
        if unknown:
            return AskBack(unknown)
        if no_such := _no_test_of_channel(question, ctx, ab_names):
            return AskBack(no_such)
        if len(ab_names) > 1 and _one_test_unnamed(raw):
            # "is the A/B test significant?" with two tests in the store: which one is asked,
            # never both answered as if they were the one meant.
            return AskBack(
                tr(
                    question.language,
                    "Which A/B test do you mean? The store has {tests}. I'd rather ask than "
                    "answer for a test you did not mean.",
                    tests=join_list(ab_names, question.language),
                )
            )
    if named_variant:
        args["variant"] = next(g for g in named_variant.groups() if g).upper()
    if re.search(r"unsub|opt[- ]?outs?|opted out|退订", raw):
        args["metric"] = "unsubscribe_rate"  # unsubscribes / delivered: lower is better
    elif "click_to_open_rate" in asked or "click_to_open_rate" in dict(
        named_by(raw, metric_synonyms(ctx.semantic_model))
    ):  # clicks / opens (also said as clicks among openers), before the CTR its words contain
        args["metric"] = "click_to_open"
    elif re.search(r"ctr|click[- ]?through|click[- ]?rates?|clicks|out-?click|点击率|点击", raw):
        args["metric"] = "ctr"
    elif re.search(r"open rate|opens|opened|打开率|打开|open", raw):
        args["metric"] = "open_rate"
    else:
        args["metric"] = "conversion"
    return args


def _as_written(word: str, raw: str) -> str:
    """`word` (found in the lowered text) as the question writes it ("NPS", not "nps")."""
    found = re.search(re.escape(word), raw, re.I)
    return found.group(0) if found else word


# "B vs A", "A和B", "A对比B": two variants named by their letters, set against each other.
_LETTERS_SET_AGAINST = re.compile(
    r"(?<![A-Za-z/])[A-E]\s*(?:vs\.?|versus|against|over|beat|beats|outperform(?:ed|s)?"
    r"|(?:did |do |does )?better than|worse than|对比|对|比|和|与|跟)\s*[A-E](?![A-Za-z/])"
)


# "the A/B test", "this experiment", "那个ab测试": one test said, none named; "the tests",
# "all the A/B tests", "两个测试" say several.
_ONE_TEST = re.compile(
    r"\b(?:the|this|that|our|my|your)\s+(?:a/?b\s+)?(?:test|experiment|split test)\b(?!s)"
    r"|(?:这个|那个|该|这次|那次)\s*(?:a/?b)?\s*(?:测试|实验)"
)
_SEVERAL_TESTS = re.compile(r"\b(?:all|each|every|both|any)\b|所有|每个|各个|两个|都")


def _one_test_unnamed(raw: str) -> bool:
    """Whether the question speaks of one A/B test without naming it."""
    return bool(_ONE_TEST.search(raw)) and not _SEVERAL_TESTS.search(raw)


def _named_as_a_test(campaign: str) -> bool:
    """Whether a stored campaign's own name calls it a test ("Spring Festival 2026 - Email
    A/B", "Spring SMS test", "春季短信测试": "A/B" or the lexicon's test_words), so that a test
    of its variants is asked of it; a plain campaign's name ("Win-back 2026 - Email") does not.
    """
    return "a/b" in campaign.lower() or bool(reader_pattern("test_words").search(campaign))


def _plain_campaign_as_a_test(
    question: Question, ctx: PlannerContext, raw: str, named_variant: re.Match[str] | None
) -> str | None:
    """The question back when a test of variants is asked of a store campaign that has none
    ("did variant B beat A in the Win-back 2026 mailing?"): it is named and said to be no
    A/B test, the store's A/B campaigns listed; never answered with another campaign's test."""
    names = [*(question.filters.get("campaign") or []), campaign_named(question, ctx.values)]
    named_ones = [c for c in dict.fromkeys(names) if c]
    if not named_ones or any(_named_as_a_test(c) for c in named_ones):
        return None
    asks_variants = (
        named_variant
        or question.filters.get("variant")
        or _LETTERS_SET_AGAINST.search(question.raw)
        or _AB.search(raw)
        or _PER_VARIANT.search(raw)
        or (_NAMES_A_TEST.search(raw) and (_asks_verdict(raw) or _asks_lift(raw)))
    )
    if not asks_variants:
        return None
    tests = [c for c in store_campaigns(ctx.values) if _named_as_a_test(c)]
    return tr(
        question.language,
        "{campaign} is not an A/B test: it was sent as one version, with no variants to "
        "compare, and I won't answer with another campaign's test. The store's A/B tests: "
        "{tests}. Did you mean one of them, or {campaign}'s own figures?",
        campaign=join_list(named_ones, question.language),
        tests=tr(question.language, ", ").join(tests) or "-",
    )


_LIFT = re.compile(r"\b(?:up)?lift\b|\buplift|提升|增幅", re.I)


def _asks_lift(raw: str) -> bool:
    return bool(_LIFT.search(raw))


# "the two Double 11 campaigns", "both spring campaigns", "这两个双11活动": campaigns set side by
# side, counted; a comparison of campaigns, not of one test's variants.
_CAMPAIGNS_COUNTED = re.compile(
    r"\b(?P<en>two|both|three|2|3)\b[^,.;?!]{0,40}?\bcampaigns\b"
    r"|(?P<zh>两|二|三|2|3)(?:个|场|次)[^，。？?]{0,12}?活动",
    re.I,
)
_COUNT_WORDS = {"two": 2, "both": 2, "three": 3, "2": 2, "3": 3, "两": 2, "二": 2, "三": 3}
# The counted campaigns are set against each other: "the worst three campaigns by CAC" is a
# ranking (top N), not a comparison of campaigns someone has in mind.
_SET_SIDE_BY_SIDE = re.compile(
    r"\bcompar\w*|\bvs\.?(?!\w)|\bversus\b|against each other|head[- ]to[- ]head|side by side"
    r"|对比|比较|相比|比一比|比一下|\bpk\b",
    re.I,
)


def _campaigns_compared(
    question: Question, ctx: PlannerContext, raw: str, named_variant: re.Match[str] | None
) -> AskBack | str | None:
    """What a comparison of counted campaigns ("set our three summer sale campaigns of
    2024 side by side") reads as: None when it is no such comparison (or names a test or its variants);
    "" (no test: the campaigns' own figures answer) when the store holds as many campaigns
    of that period as said; else the question back naming the ones it holds."""
    counted = _CAMPAIGNS_COUNTED.search(raw)
    if not counted or named_variant or _AB.search(raw) or _NAMES_A_TEST.search(raw):
        return None
    if not _SET_SIDE_BY_SIDE.search(raw):
        return None
    said = _COUNT_WORDS[(counted.group("en") or counted.group("zh")).lower()]
    held = _campaigns_of_period(question, ctx)
    if not held or len(held) == said:
        return ""
    return AskBack(
        tr(
            question.language,
            "You mention {said} campaigns, but the store holds {count} for that: {campaigns}. "
            "Which ones should I compare? (Comparing campaigns sets their own figures side by "
            "side; it is not an A/B test.)",
            said=str(said),
            count=str(len(held)),
            campaigns=tr(question.language, ", ").join(held),
        )
    )


def _campaigns_of_period(question: Question, ctx: PlannerContext) -> list[str]:
    """The store's campaigns whose name's period is the question's (a channel said narrows
    them), in the store's order."""
    if question.time_range is None or question.compares_periods:
        return []
    today = planner_today()
    wanted = find_period(question.time_range, today)
    if wanted is None:
        return []
    channels = [c.lower() for c in question.filters.get("channel") or []]
    held = []
    for name in store_campaigns(ctx.values):
        head, _, tail = name.partition(" - ")
        found = find_period(head, today)
        if found is None or (found.range.start, found.range.end) != (
            wanted.range.start,
            wanted.range.end,
        ):
            continue
        if channels and not any(tail.lower().startswith(c) for c in channels):
            continue
        held.append(name)
    return held


def _unknown_test(name: str, question: Question, ctx: PlannerContext) -> str | None:
    """The question back when no store A/B campaign matches `name` the way the ab_test
    tool matches one (id, name, its words, or clearly closest in spelling), else None."""
    import pandas as pd

    from copilot.offline.accounting import unknown_campaign_question  # (imports intents)
    from tools.experiments.variant_counts import match_campaigns

    names = [c for c in store_campaigns(ctx.values) if "a/b" in c.lower()]
    if not names:
        return None  # a store without A/B campaigns: the tool says so
    if not match_campaigns(pd.DataFrame({"campaign_id": names, "name": names}), name).empty:
        return None
    return unknown_campaign_question(
        name, names, question.language, ctx.values.descriptions.get("campaign")
    )


def _is_count(metric: str, ctx: PlannerContext) -> bool:
    """Whether the semantic model's metric is a count (conversions, orders), not a rate or money."""
    found = ctx.semantic_model.metrics.get(metric)
    return found is not None and found.format == "integer"


def _each_variant_named(raw: str) -> bool:
    """Whether two or more variants are named one by one ("A版、B版的打开率分别多少", "open rate
    of variant A and variant B"): each one's figure, like "per variant", not a verdict."""
    letters = {next(g for g in m.groups() if g) for m in _VARIANT.finditer(raw)}
    return len(letters) >= 2


def _variants_side_by_side(raw: str) -> bool:
    """Whether two variants are set side by side with no verdict word ("A next to B", "A和B
    放在一起"; lexicon dimension_phrases.variant): each one's figure, like "per variant"."""
    return bool(named(raw, {"variant": load_lexicon().dimension_phrases.get("variant", ())}))


def _orders_as_conversions(metrics: list[str], raw: str) -> list[str]:
    """The metrics, with orders read as conversions where a test's verdict is asked ("did the
    new subject line really lift orders"): a message's order is its conversion (MARKETING.md:
    an order attributed to the message), so the verdict is on the conversion rate."""
    if "orders" in metrics and _asks_verdict(raw):
        return ["conversions" if m == "orders" else m for m in metrics]
    return metrics


def _none_tested(metrics: list[str], verdict: bool = True) -> bool:
    """Whether metrics are asked and none of them is one an A/B test compares (with no
    verdict asked, the rates it compares only for a verdict are none either)."""
    tested = _TEST_METRICS if verdict else _TEST_METRICS - _TESTED_ONLY_FOR_A_VERDICT
    return bool(metrics) and not set(metrics) & tested


def _figure_the_test_does_not_compare(
    metrics: list[str], question: Question, ctx: PlannerContext, *, which_test: bool
) -> AskBack | None:
    """What a question about a test campaign's figure the test does not compare (ROI, cost,
    click-to-open) reads as: a verdict on it is asked back (never tested on the open or
    click rate instead); else None, the campaign's figure for query_metrics, or with
    `which_test` the question back listing the store's A/B campaigns when none is named."""
    if _asks_verdict(question.raw.lower()):
        labels = [
            label_in_sentence(column_label(m, question.language, ctx.semantic_model))
            for m in metrics
        ]
        return AskBack(
            tr(question.language, _ASK_TESTED_METRIC, metric=join_list(labels, question.language))
        )
    return _campaign_figure_of_a_test(question, ctx) if which_test else None


def _campaign_figure_of_a_test(question: Question, ctx: PlannerContext) -> AskBack | None:
    """None when the question names one store A/B campaign (query_metrics reads its figure),
    else the question back listing the store's A/B campaigns."""
    if ab_campaign_named(question, ctx):
        return None
    from copilot.offline.accounting import unknown_campaign_question  # (imports intents)

    tests = [c for c in store_campaigns(ctx.values) if _named_as_a_test(c)]
    said = f"{question.time_range} A/B" if question.time_range else "A/B"
    return AskBack(unknown_campaign_question(said, tests, question.language)) if tests else None


def _two_years_of_campaigns(question: Question, raw: str) -> bool:
    """Whether the question sets two periods side by side (two years written, or a period
    compared with another): a comparison of campaigns over time, no test of variants."""
    years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", raw))
    return question.compares_periods or len(years) >= 2


def ab_campaign_named(question: Question, ctx: PlannerContext) -> str | None:
    """The store A/B campaign a question names as a test ("the Spring Festival A/B campaign",
    "春节AB测试活动"), else None."""
    # ("年货节邮件A版B版的打开率": its variants said are the test's)
    raw = question.raw
    if not (_NAMES_A_TEST.search(raw) or _AB.search(raw) or _PER_VARIANT.search(raw)):
        return None
    return _ab_campaign(question, ctx)


def _ab_campaign(question: Question, ctx: PlannerContext) -> str | None:
    """The store's A/B campaign (its name holds "A/B") the question names: by name, by its
    period and channel, or, for a period and channel with one A/B campaign only ("双11推送
    A/B测试", or "the push test" with no period), that one. None when it names no A/B campaign of the store."""
    named_ones = [*(question.filters.get("campaign") or []), campaign_named(question, ctx.values)]
    found = [c for c in named_ones if c and "a/b" in c.lower()]
    if found:
        return found[0]
    if any(named_ones):
        # "the Win-back 2026 email test": a store campaign without variants is named; the
        # channel's or the period's A/B campaign would be another campaign's test.
        return None
    by_words = _ab_campaign_by_its_words(question, ctx) or _ab_campaign_of_period(question, ctx)
    said = _channels_named_outright(question, ctx, question.filters.get("channel") or [])
    if by_words and len(said) == 1 and not runs_on([by_words], said[0]):
        # "results of the Double 11 2025 email": that period's one A/B campaign is the push
        # test; the email said is another campaign's, not this test's.
        return None
    if by_words:
        return by_words
    channels = _channels_named_outright(question, ctx, question.filters.get("channel") or [])
    # "the push experiment" with no period: the channel's one A/B campaign, when it has one.
    if len(channels) != 1:
        return None
    candidates = [
        name
        for name in store_campaigns(ctx.values)
        if "a/b" in name.lower() and name.lower().rsplit(" - ", 1)[-1].startswith(channels[0])
    ]
    return candidates[0] if len(candidates) == 1 else None


def _no_test_of_channel(question: Question, ctx: PlannerContext, ab_names: list[str]) -> str | None:
    """A question back when the test asked about is of a channel no store A/B campaign runs
    on ("双11 2025邮件AB测试结果": the Double 11 2025 test is a push test), naming the store's
    tests; None when the channel said has one (or none is said). Every test answered instead
    would be other campaigns' results."""
    said = _channels_named_outright(question, ctx, question.filters.get("channel") or [])
    if len(said) != 1:
        return None
    today = planner_today()
    asked = find_period(question.time_range, today) if question.time_range else None

    def within(name: str) -> bool:  # the test ran in the period asked (any, none asked)
        ran = find_period(name.split(" - ", 1)[0], today)
        return (
            asked is None
            or ran is None
            or (ran.range.start < asked.range.end and asked.range.start < ran.range.end)
        )

    if any(runs_on([name], said[0]) and within(name) for name in ab_names):
        return None
    written = ctx.values.written_as(question.raw, "channel").get(said[0], said[0])
    return tr(
        question.language,
        "No A/B test of the store matches “{channel}” for that: its tests are {tests}. Did you mean one of them?",
        channel=written,
        tests=join_list(ab_names, question.language),
    )


def _ab_campaign_of_period(question: Question, ctx: PlannerContext) -> str | None:
    """The one store A/B campaign whose name's period is the question's ("春节AB测试": "Spring
    Festival 2026 - Email A/B", the festival said in any language), else None."""
    if question.time_range is None or question.compares_periods:
        return None
    today = planner_today()
    wanted = find_period(question.time_range, today)
    if wanted is None:
        return None
    matches = []
    for name in store_campaigns(ctx.values):
        found = find_period(name.split(" - ", 1)[0], today) if "a/b" in name.lower() else None
        if found is not None and (found.range.start, found.range.end) == (
            wanted.range.start,
            wanted.range.end,
        ):
            matches.append(name)
    return matches[0] if len(matches) == 1 else None


def _channels_named_outright(
    question: Question, ctx: PlannerContext, channels: list[str]
) -> list[str]:
    """Of several channels, the ones the question names by the channel's own name: a channel
    only described by a lexicon word of what its test varies ("subject line": email's) yields
    to one said outright ("the push subject-line test" is the push test)."""
    if len(channels) < 2:
        return channels
    described = {
        word.lower()
        for words in load_lexicon().value_words.get("channel", {}).values()
        for word in words
    }
    raw = question.raw
    outright = {
        value
        for dimension, value, (start, end) in ctx.values.find(raw)
        if dimension == "channel" and raw[start:end].lower().replace("-", " ") not in described
    }
    kept = [c for c in channels if c in outright]
    return kept or channels


def _ab_campaign_by_its_words(question: Question, ctx: PlannerContext) -> str | None:
    """The one store A/B campaign whose name words ("Spring Festival" of "Spring Festival
    2026 - Email A/B") all occur in the question, among other words ("the spring festival
    subject line test"). Its year may go unsaid, unless the question names another year."""
    raw = question.raw.lower()
    years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", raw))
    matches = []
    for name in store_campaigns(ctx.values):
        if "a/b" not in name.lower():
            continue
        head = name.split(" - ", 1)[0].lower()
        words = re.findall(r"[a-z]{3,}|\d+|[\u4e00-\u9fff]+", head)
        named_year = [w for w in words if re.fullmatch(r"(?:19|20)\d\d", w)]
        rest = [w for w in words if w not in named_year]
        if not any(re.fullmatch(r"[a-z]{3,}|[\u4e00-\u9fff]+", w) for w in rest):
            continue  # a name of numbers only ("11 2025") is no name in words
        if years and not years & set(named_year):
            continue
        if all(re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", raw) for w in rest):
            matches.append(name)
    return matches[0] if len(matches) == 1 else None


def _asks_about_typed_numbers(typed: TypedCounts, question: Question, ctx: PlannerContext) -> bool:
    """Whether incomplete typed numbers are the user's own test, to ask about: not a
    sample-size question ("from 5% to 6%, how many per group?"), not rates of a store
    campaign it names (the store has its counts), and, for variants cut only at "vs",
    a question about a test's verdict ("revenue grew 5% vs 3%" is no A/B test)."""
    if plans_a_test(question):
        return False
    if typed.problem == "rates" and (_campaign(question) or campaign_named(question, ctx.values)):
        return False
    return typed.named or bool(reader_pattern("verdict_words").search(question.raw))


def _campaign(question: Question) -> str | None:
    """The campaign a question names: an id, a quoted name, a store campaign name, or a
    "... of the X test" phrase (None when it names none: every A/B campaign is analysed)."""
    by_id = _CAMPAIGN_ID.search(question.raw)
    if by_id:
        return by_id.group(1).upper()
    quoted = _QUOTED.search(question.raw)
    if quoted:
        return quoted.group(1).strip()
    named = question.filters.get("campaign")
    if named:
        return named[0]
    # The raw text: a campaign name may hold a period word ("Spring Festival", "Double 11").
    phrase = _NAMED_TEST.search(question.raw.lower())
    if phrase:
        words = phrase.group(1).strip()
        # "every split test", "all our a/b tests": every test, no name.
        # "all of our A/B campaigns": determiners alone are no name either.
        words = re.sub(r"^(?:(?:every|each|all|any|our|my|the|of)(?:\s+|$))+", "", words)
        # "of our most recent A/B test": which test, by its date, not by a name.
        words = reader_pattern("most_recent_one").sub("", words).strip()
        if (
            words
            and words not in _NOT_A_NAME
            and not re.fullmatch(r"(?:a/?b|split)(?:\s+\w+)?", words)
        ):
            return words
    return None


def read_sample_size_question(
    question: Question, ctx: PlannerContext
) -> dict[str, Any] | AskBack | None:
    """ab_sample_size arguments for "how many users to detect a 10% lift on 3%?", else None.

    The rates are read by the planner's one rate reader (copilot.offline.numbers), so
    the baseline and the target are never swapped; None when it finds no baseline.
    """
    if not plans_a_test(question):
        return None
    typed = read_typed_counts(question.raw)
    change = read_rate_change(question.raw)
    if typed is not None and typed.counts and not (change and states_a_target(question.raw)):
        # observed counts per variant: the test of a result, not its planning ("每100人有4个
        # 下单，想提到每100人5个" states a level today and a target: frequencies, no variants)
        return None
    if change is None:
        from copilot.offline.intents.knowledge import read_knowledge_question

        if read_knowledge_question(question, ctx) is not None:
            return None  # "what do the method notes say about a sample too small": the notes
        return _ask_for_rates(question, ctx)
    # Power, significance level and variants as stated ("功效90%", "alpha 0.01", "3 variants");
    # the tool's defaults (80%, 5%, 2) otherwise.
    settings = read_test_settings(question.raw).as_arguments()
    if change.target is not None:  # "from 18% to 15%", "+0.5pp": an absolute change
        return {
            "baseline_rate": change.baseline,
            "minimum_detectable_effect": round(change.absolute_effect, 10),
            "relative": False,
            **settings,
        }
    return {
        "baseline_rate": change.baseline,
        "minimum_detectable_effect": change.relative_effect,
        **settings,
    }


def _ask_for_rates(question: Question, ctx: PlannerContext) -> AskBack | None:
    """A question back for a test planned on a rate the question names ("a CTR test", "转化率的
    AB测试") without its baseline or the change to detect: it names that rate, so the reply
    states it; without a named rate it asks for the baseline rate and the change in general."""
    if not (
        question.has(*load_lexicon().task_cues.get("ab_sample_size", ()))
        or sizes_a_planned_test(question)
    ):
        return None  # "CTR per variant" is no plan: only the task's own words ("sample size")
    found = named_by(question.raw.lower(), metric_synonyms(ctx.semantic_model))
    rates = [w for name, w in found if ctx.semantic_model.metric(name).format == "percent"]
    if not rates:
        # "the sample size for my A/B test": the plan's task named, its rate and change not.
        return AskBack(
            tr(
                question.language,
                "To size the test I need its baseline rate (the conversion, click or open rate "
                "today, e.g. 3%) and the smallest change you want to detect (e.g. +0.5 points, "
                "or +10% relative). What are they?",
            )
        )
    at = question.raw.lower().find(rates[0])
    word = question.raw[at : at + len(rates[0])] if at >= 0 else rates[0]
    return AskBack(
        tr(
            question.language,
            "To size a test on {metric} I need its baseline (the {metric} today, e.g. 3%) and "
            "the smallest change you want to detect (e.g. +0.5 points, or +10% relative). What "
            "are they?",
            metric=word,
        )
    )


# "how many per arm?", "how many each", "每组多少": a size per variant is asked for. With a
# baseline and a change to detect read from the question, that is a sample-size question
# even without the words "sample size".
_HOW_MANY_EACH = re.compile(
    r"\bhow (?:many|much|big|large)\b.{0,30}\b(?:each|per (?:arm|group|variant|version|cell|side))\b"
    r"|\bhow many (?:each|per)\b|\bhow many\b.{0,30}\b(?:do|would|will) (?:we|i) need\b"
    # "what sample would I need", "what audience size do we need": a size asked for.
    r"|\bwhat (?:sample|audience|traffic|volume|list size|send size|group size)\b.{0,20}?"
    r"\b(?:do|would|will|should) (?:we|i) need\b|\bhow (?:big|large) (?:a |the )?sample\b"
    # "minimum per-variant audience", "smallest sample per arm": the least size asked for.
    r"|\b(?:minimum|minimal|smallest|min\.?|least)\s+(?:[\w-]+\s+){0,2}"
    r"(?:audience|sample|sends|recipients|traffic|group|list|cell)s?(?:\s+sizes?)?\b"
    r"|每(?:个)?(?:组|版本|变体|边|臂)[^，。？?]{0,8}(?:多少|几)|各(?:组|需|要)[^，。？?]{0,6}多少"
    # "要发多少条每组", "几个人一组": the size asked first, the group said after it.
    r"|(?:多少|几)(?:个|条|封|人|位|次)?[^，。？?]{0,4}(?:每|一)(?:个)?(?:组|版本|变体|边|臂)"
    r"|(?:要|需要|得)(?:准备|找|拉|圈|投|发|放|覆盖|凑|配)?(?:多少|多大)(?:个)?"
    r"(?:人|用户|样本|流量|访客|量)"
    # "一组要发多少封", "要几个人": the size of one group, or how many people, asked.
    r"|一(?:个)?(?:组|版本|变体|边)[^，。？?]{0,8}(?:多少|几)"
    r"|(?:要|需要|得)(?:几|多少)(?:个)?(?:人|用户|样本|访客|收件人)",
    re.I,
)


def plans_sample_size(question: Question) -> bool:
    """Whether the question plans a test and states its baseline and the change to detect
    (a metric named there is the test's rate, not a figure asked from the store)."""
    return plans_a_test(question) and read_rate_change(question.raw) is not None


def sizes_a_planned_test(question: Question) -> bool:
    """Whether a size per variant is asked for a change still to be detected ("how many sends
    per variant to detect a 1 point lift?"), with or without its baseline: a test planned."""
    asks_size = _HOW_MANY_EACH.search(question.raw) or question.has(
        *load_lexicon().task_cues.get("ab_sample_size", ())
    )
    return bool(asks_size and reader_pattern("effect_to_detect").search(question.raw))


def plans_a_test(question: Question) -> bool:
    """Whether the question plans a test (its sample size) rather than reads a result:
    sample-size words, or a size per variant asked with a baseline and a change to detect."""
    if question.has(*intent_cues("ab_sample_size")):
        return True
    return bool(_HOW_MANY_EACH.search(question.raw)) and read_rate_change(question.raw) is not None


# What the user's events are, by metric, in the questions back and the restated counts.
_EVENT_WORDS = {
    "conversion": N_("conversions"),
    "ctr": N_("clicks"),
    "click_to_open": N_("clicks"),
    "open_rate": N_("opens"),
    "unsubscribe_rate": N_("unsubscribes"),
    "return_rate": N_("returns"),
}
_ASK = {
    "rates": N_(
        "A rate alone cannot be tested: the same rate over a hundred visitors or over ten "
        "thousand is very different evidence, and I won't test the store's own campaigns "
        "instead. How many visitors (or recipients: the sample size) did each of {variants} "
        "have, and how many {events}?"
    ),
    "ambiguous": N_(
        "I can't tell which of your numbers are the sizes (visitors or recipients) and which "
        'are the {events} for {variants}. Could you write them as "A: <visitors> visitors, '
        '<{events}> {events}"?'
    ),
    "inexact": N_(
        "For {variants} the rate and the size you gave do not make a whole number of "
        "{events} (the rate is rounded). How many {events} exactly, out of how many visitors "
        "(or recipients)?"
    ),
    "missing": N_(
        "To test your numbers I need both the size (visitors or recipients) and the {events} "
        "of every variant; for {variants} one of them is missing. How many did {variants} have?"
    ),
}


_ASK_TESTED_METRIC = N_(
    "An A/B test here compares the variants' open rate, click-through rate or conversion "
    "rate; it cannot test {metric}. Should I test one of those, or show {metric} for the "
    "campaign without a test?"
)
_ASK_GROUPS = N_(
    "I see sizes and counts in your question but can't tell which variant each belongs to, "
    "and I won't test the store's own campaigns instead. Could you write them per variant, "
    'as "A: <visitors> visitors, <conversions> conversions; B: ..."?'
)


def ask_for_counts(typed: TypedCounts, language: str) -> str:
    """The question back for typed counts that cannot be tested as written."""
    named = list(typed.missing or typed.variants)
    return tr(
        language,
        _ASK[typed.problem or "missing"],
        variants=join_list(named, language),
        events=tr(language, _EVENT_WORDS[typed.metric]),
    )


# A loss tested (unsubscribes, returns): the lower rate is the better variant.
_LOWER_IS_BETTER = {
    "unsubscribe_rate": N_("Lower is better here: the variant with fewer unsubscribes wins."),
    "return_rate": N_("Lower is better here: the variant with fewer returns wins."),
}
_RULE = N_(
    "Rule: a difference is significant only when its confidence interval excludes "
    "no difference (0 points, or an odds ratio of 1), the same as p < {alpha} for the test used."
)


def counts_from_rates_note(question: Question) -> str | None:
    """A line saying which typed counts were worked out as a rate times a size ("A 2.5% of
    4,000 -> 100 conversions"), for the answer to an ab_test on the user's own numbers; None
    when every count was typed."""
    typed = read_typed_counts(question.raw)
    if typed is None or not typed.counts or not typed.from_rates:
        return None
    language = question.language
    worked = [
        tr(
            language,
            "{variant}: {rate} × {size} = {events}",
            variant=c["variant"],
            rate=format_percent(c["events"] / c["trials"], language),
            size=format_count(c["trials"], language),
            events=format_count(c["events"], language),
        )
        for c in typed.counts
        if c["variant"] in typed.from_rates
    ]
    return tr(
        language,
        "You gave rates, not counts: I took each variant's events as its rate times its size "
        "({worked}).",
        worked=join_clauses(worked, language),
    )


def write_ab_test_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The verdict of every analysed campaign, the rule behind it, and what to do next.

    English quotes the tool's verdicts; other languages build each campaign's line from
    the comparisons' numbers and the catalogue (the tool writes its verdicts in English
    for the model).
    """
    data = output.data
    winners = [c for c in data["campaigns"] if c["winner"]]
    short = [
        c for campaign in data["campaigns"] for c in campaign["comparisons"] if c.get("more_needed")
    ]
    lines = _latest_lines(data, language) + _given_lines(data, language)
    lines += _variant_lines(data, language)
    if language == "en":
        lines += [f"- {v}" for v in data["verdicts"]]
    else:
        lines += _campaign_lines(data, language)
    if winners:
        step = tr(language, "Next: roll the winning variant out to the rest of the audience.")
    elif short:
        step = tr(
            language,
            "Next: keep the test running until each variant reaches the size above, "
            "or test a bolder change.",
        )
    else:
        step = tr(language, "Next: treat the variants as equal for now, or test a bolder change.")
    rule = tr(language, _RULE, alpha=f"{data['alpha']:g}")
    if data.get("lower_is_better"):
        rule += "\n" + tr(language, _LOWER_IS_BETTER[data["metric"]])
    head = tr(language, "A/B test results (table below):")
    return head + "\n" + "\n".join(lines) + f"\n{rule}\n\n{step}"


def _latest_lines(data: dict[str, Any], language: str) -> list[str]:
    """Which campaign "the most recent A/B test" was read as, with its dates."""
    latest = data.get("latest")
    if not latest:
        return []
    return [
        tr(
            language,
            "The most recent A/B test in the store: {name} ({id}), {start} – {end}.",
            name=latest["name"],
            id=latest["campaign_id"],
            start=latest["start"],
            end=latest["end"],
        )
    ]


_GIVEN = N_("Your numbers, as given in the question (not the store's campaigns): {counts}.")
_GIVEN_VARIANT = {
    "conversion": N_("{variant}: {events} conversions of {size} ({rate})"),
    "ctr": N_("{variant}: {events} clicks of {size} ({rate})"),
    "open_rate": N_("{variant}: {events} opens of {size} ({rate})"),
    "unsubscribe_rate": N_("{variant}: {events} unsubscribes of {size} ({rate})"),
    "return_rate": N_("{variant}: {events} returns of {size} ({rate})"),
}


def _given_lines(data: dict[str, Any], language: str) -> list[str]:
    """The user's own counts restated, so the answer shows whose numbers were tested."""
    if data.get("source") != "counts":
        return []
    items = [
        tr(
            language,
            _GIVEN_VARIANT[data["metric"]],
            variant=c["variant"],
            events=format_count(c["events"], language),
            size=format_count(c["trials"], language),
            rate=format_percent(c["events"] / c["trials"], language),
        )
        for c in data["counts"]
    ]
    return [tr(language, _GIVEN, counts=join_clauses(items, language))]


def _campaign_lines(data: dict[str, Any], language: str) -> list[str]:
    """One line per campaign (or for the user's counts): each comparison and the chi-square
    test, from the catalogue."""
    level = f"{data['alpha'] * 100:g}%"
    lines = []
    for campaign in data["campaigns"]:
        user_counts = campaign["campaign_id"] is None
        head = (
            tr(language, "- Your numbers: ")
            if user_counts
            else tr(
                language,
                "- {name} ({campaign_id}): ",
                name=campaign["name"],
                campaign_id=campaign["campaign_id"],
            )
        )
        parts = [_comparison(c, level, language, user_counts) for c in campaign["comparisons"]]
        chi = campaign["chi_square"]
        if chi:
            message = (
                N_("chi-square test across all {variants} variants: {p}, significant at {level}")
                if chi["significant"]
                else N_(
                    "chi-square test across all {variants} variants: {p}, not significant at "
                    "{level}"
                )
            )
            parts.append(
                tr(
                    language,
                    message,
                    variants=len(campaign["variants"]),
                    p=p_text(chi["p_value"]),
                    level=level,
                )
            )
        lines.append(head + join_clauses(parts, language))
    return lines


def _variant_lines(data: dict[str, Any], language: str) -> list[str]:
    """The asked variant's own numbers in each campaign ("version A of the X test")."""
    wanted = data.get("variant")
    if not wanted:
        return []
    lines = []
    for campaign in data["campaigns"]:
        for v in campaign["variants"]:
            if v["variant"].lower() != wanted.lower() or not v["delivered"]:
                continue
            lines.append(
                tr(
                    language,
                    "- Version {variant} of {campaign}: {events} of {delivered} delivered "
                    "messages ({rate})",
                    variant=v["variant"],
                    campaign=campaign["name"],
                    events=format_count(v["events"], language),
                    delivered=format_count(v["delivered"], language),
                    rate=format_percent(v["rate"], language),
                )
            )
    return lines


def _comparison(c: dict[str, Any], level: str, language: str, user_counts: bool) -> str:
    """One comparison's verdict with its evidence (rates, test, p-value, interval)."""
    pair = {"variant": c["variant"], "control": c["control"], "level": level}
    if c["rate"] is None or c["control_rate"] is None:
        return tr(
            language,
            "{variant} vs {control}: not testable (a variant has no delivered messages)",
            **pair,
        )
    rates = tr(
        language,
        "{rate} vs {control_rate}",
        rate=f"{c['rate']:.1%}",
        control_rate=f"{c['control_rate']:.1%}",
    )
    if c["p_value"] is None:
        return tr(
            language,
            "{variant} vs {control}: not testable ({rates}: no variation in outcomes)",
            rates=rates,
            **pair,
        )
    evidence = tr(
        language,
        "{rates}; {test}, {p}; {interval}",
        rates=rates,
        test=_test(c, language),
        p=p_text(c["p_value"]),
        interval=_interval(c, level, language),
    )
    if c["significant"]:
        message = (
            N_(
                "{variant} is {points} points higher than {control} ({evidence}): significant "
                "at {level}"
            )
            if c["absolute_lift"] > 0
            else N_(
                "{variant} is {points} points lower than {control} ({evidence}): significant at "
                "{level}"
            )
        )
        points = f"{abs(c['absolute_lift']) * 100:.1f}"
        return tr(language, message, points=points, evidence=evidence, **pair)
    need = ""
    if c.get("more_needed"):
        need = tr(
            language,
            N_(
                "; to detect a difference of this size with 80% power it needs about {needed} "
                "per variant (in the unit of your counts): {more} more per variant"
            )
            if user_counts
            else N_(
                "; to detect a difference of this size with 80% power it needs about {needed} "
                "delivered messages per variant: {more} more sends per variant"
            ),
            needed=f"{c['needed_per_variant']:,}",
            more=f"{c['more_needed']:,}",
        )
    return tr(
        language,
        "{variant} vs {control}: no significant difference at {level} ({evidence}){need}",
        evidence=evidence,
        need=need,
        **pair,
    )


def _test(c: dict[str, Any], language: str) -> str:
    if c["ci_of"] == "odds ratio":
        return tr(
            language,
            "an expected count is below 5 (smallest {smallest}), so Fisher's exact test",
            smallest=f"{c['min_expected']:.1f}",
        )
    return tr(language, "z-test")


def _interval(c: dict[str, Any], level: str, language: str) -> str:
    confidence = f"{100 - float(level.rstrip('%')):g}%"
    low, high = c["ci_low"], c["ci_high"]
    if c["ci_of"] == "odds ratio":
        message = (
            N_("{confidence} CI of the odds ratio {low} to {high} (includes 1)")
            if low <= 1 <= high
            else N_("{confidence} CI of the odds ratio {low} to {high} (excludes 1)")
        )
        shown = "∞" if high == float("inf") else f"{high:.2f}"
        return tr(language, message, confidence=confidence, low=f"{low:.2f}", high=shown)
    message = (
        N_("{confidence} CI of the difference {low} to {high} points (includes 0)")
        if low <= 0 <= high
        else N_("{confidence} CI of the difference {low} to {high} points (excludes 0)")
    )
    return tr(
        language,
        message,
        confidence=confidence,
        low=f"{low * 100:+.1f}",
        high=f"{high * 100:+.1f}",
    )


def write_sample_size_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The sample size per variant and in total, with the assumptions it rests on."""
    d = output.data
    if d["relative"]:
        change = tr(
            language, "{effect} relative", effect=format_percent(d["relative_effect"], language, 0)
        )
    else:
        change = tr(language, "{points} points", points=f"{d['absolute_effect'] * 100:g}")
    text = tr(
        language,
        "To detect a change from {baseline} to {target} ({change}) with {power} power at "
        "{alpha} significance (two-sided), you need about {per_variant} delivered messages "
        "per variant ({total} in total for {variants} variants).",
        baseline=format_percent(d["baseline_rate"], language, 2),
        target=format_percent(d["target_rate"], language, 2),
        change=change,
        power=format_percent(d["power"], language, 0),
        alpha=f"{d['alpha'] * 100:g}%",
        per_variant=format_count(d["per_variant"], language),
        total=format_count(d["total"], language),
        variants=d["variants"],
    )
    if d["variants"] > 2:
        # Say how the per-variant size was reached: each variant against the control at a
        # stricter level (tools.ab_testing.ab_sample_size, Bonferroni), not the two-arm size.
        text += tr(
            language,
            _MANY_VARIANTS,
            variants=d["variants"],
            comparisons=d["variants"] - 1,
            alpha=f"{d['alpha'] * 100:g}%",
            alpha_each=f"{d['alpha_per_comparison'] * 100:.3g}%",
        )
    next_step = tr(language, "Next: check the audience is large enough, then split it at random.")
    return f"{text}\n\n{next_step}"


# The leading space parts it from the sentence before; the Chinese one runs on.
_MANY_VARIANTS = N_(
    " With {variants} variants, each of the {comparisons} challengers is compared with the "
    "control at {alpha_each} significance ({alpha} split over {comparisons} comparisons, "
    "Bonferroni), so every variant, the control included, needs this size."
)


AB_SAMPLE_SIZE_INTENT = Intent(
    tool="ab_sample_size", read=read_sample_size_question, write=write_sample_size_answer
)
AB_TEST_INTENT = Intent(tool="ab_test", read=read_ab_test_question, write=write_ab_test_answer)
