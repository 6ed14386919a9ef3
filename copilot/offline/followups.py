"""Follow-up questions: "and by channel?", "only in Shanghai", "那上个月呢？",
"now write an SMS for them" — read against the previous tool call of the conversation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from copilot.messages import AIMessage, BaseMessage, HumanMessage
from copilot.offline.campaigns import (
    campaign_named,
    campaigns_window,
    same_campaign_in,
    store_campaigns,
)
from copilot.offline.clock import planner_today
from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.intents.metrics import JOINED, ranking_direction
from copilot.offline.numbers import rates_in, read_rate_change, read_test_settings
from copilot.offline.question import Question, named, read_question, top_n, top_n_spans
from copilot.offline.vocabulary import (
    breakdowns_named,
    dimension_synonyms,
    load_lexicon,
    metric_synonyms,
    metrics_named,
    paired_metrics,
    reader_pattern,
    reader_words,
    unplaced_words,
)
from copilot.outcome import STATUS_KEY
from knowledge.lazy_regex import lazy_compile
from knowledge.presentation.labels import label_in_sentence
from knowledge.presentation.messages import tr
from knowledge.time_ranges.lexicon import _MONTHS as _MONTH_NUMBERS
from knowledge.time_ranges.numerals import EN_WORDS, to_int
from knowledge.time_ranges.numerals import NUMBER as NUMBER_WORDS

# Words that make a question lean on the one before it.
_FOLLOW_UP = lazy_compile(
    r"^\s*(?:and|what about|how about|only|just|now|then|same|also|but|compare|compared|likewise|similarly|ditto)\b"
    # "top 3 only, and compared with August", "bottom five": a cut of the rows just shown.
    r"|^\s*(?:the\s+)?(?:top|bottom)\s+(?:\d+|[a-z]+)\s+only\b"
    # "keep just the top three", "cut it to the top 5", "narrow that down to women"
    r"|^\s*(?:(?:please|ok(?:ay)?)[,\s]+)?(?:keep|cut|trim|limit|narrow|restrict)\b"
    r"|^\s*(?:ok(?:ay)?|so|and)?[,\s]*(?:what if|if|then)\b|^\s*(?:如果|假如|要是|那如果)"
    r"|\b(?:them|their|they|those|these|that segment|it)\b"
    # "which two cities make up the bulk of that?": the figure just shown.
    r"|\b(?:of|in|for|from)\s+that\s*[?？.!]*\s*$"
    r"|^\s*(?:sum|add|total|combined|same for|how does that|vs\.?|versus)\b"
    r"|^\s*(?:break|split|show)\s+(?:that|this|it)\b"
    # "as a rate?", "in money?": the figure just shown, as another kind of figure
    r"|^\s*(?:and\s+)?(?:as\s+an?|in)\s+(?:rate|percentage|percent|amount|money)\s*[?.!]*\s*$"
    # "how does sms compare?", "how do the men stack up?": another value set beside the figure.
    r"|^\s*(?:ok(?:ay)?[,\s]+)?how (?:does|do|did) (?:[\w-]+\s+){1,3}?(?:compare|stack up)\b"
    # "push 渠道同口径再给一个", "same basis for email": the figure just shown, for another value
    r"|同口径|同一口径|(?:按|用)?同样(?:的)?口径|口径(?:一样|不变|相同)|\bsame (?:basis|definition)\b"
    # "里面有多少是新客", "这当中…": a part of the result just shown
    r"|^\s*(?:这|那)?(?:里面|里头|当中|之中)|"
    # "跟前年比呢 同比", "和2024年对比一下": a comparison with only the other side named
    r"^\s*(?:那|那么)?(?:跟|和|与|同)[^，。,.？?]{1,12}?(?:对比|相比|比较|比)|"
    # "对比下25年的三季度", "比一下前年": the figure just shown set beside another period
    r"^\s*(?:那|那么)?(?:再)?(?:对比|比较|对照|比)(?:一)?下|"
    # "2024年那场的ROAS", "咁2025年嗰次呢", "that year's one": the event just shown, in another run
    r"(?:那|嗰)一?(?:场|次)|同一场|\bthat (?:one|campaign|promo|event|sale)\b|"
    r"^[^，。,.？?]{1,12}呢(?:\s*[？?，,]|\s+)|^\s*(?:那|那么|只看|只要|再|换成|改成|按|同样|一样的)|(?:呢|呢？|呢\?)\s*$|他们|这些客户|这批客户|这个分群|其中|它们|这几个|这些|这批|这群|合计|加起来|再往前",
    re.IGNORECASE,
)
_FOR_THEM = lazy_compile(
    # (bare "those"/"these" as a pronoun: "export those for sms", "把这些导出")
    r"\b(?:those|these)\b(?=\s+(?:for|to|as|via|by|on|in|into|with)\b|\s*[?.!,]|\s*$)"
    r"|\b(?:them|(?:these|those|this|that)\s+(?:customers|people|folks|shoppers|buyers|members"
    r"|users|group|crowd|audience|segment|lot))\b|他们|她们"
    r"|(?:这|那)(?:些|群|批|帮|部分|个群体)(?:人|客户|用户|顾客|会员|买家)?(?=[^\u4e00-\u9fff]|[写发做导给推的])"
    r"|这个分群|这个人群|这些人|这批人|这群人|那些人",
    re.I,
)
# "再导出短信名单", "then export it for SMS": the next step on the segment just discussed.
_GOES_ON = re.compile(
    r"^\s*(?:再|然后|接着|那就|顺便)|^\s*(?:ok(?:ay)?[,\s]+)?(?:(?:and\s+)?(?:then|now|next)\b"
    # ("and draft the SMS - win-back angle" after pulling a segment's audience: the next step)
    r"|and\s+(?:draft|write|craft|prepare)\b)",
    re.I,
)
# Tools whose answer is about one segment, and the argument that names it.
_SEGMENT_ARGUMENT = {
    "define_segment": "name",
    "profile_segment": "segment",
    "export_audience": "segment",
    "best_send_time": "segment",
    "refresh_segment": "name",
}


def previous_call(history: list[BaseMessage]) -> dict[str, Any] | None:
    """The last tool call of the conversation so far ({name, args}), from the stored answers,
    with the question that led to it (`asked`) when the history holds it."""
    for at in range(len(history) - 1, -1, -1):
        message = history[at]
        if not isinstance(message, AIMessage):
            continue
        payload = message.response_metadata.get("copilot_payload") or {}
        calls = [c for c in payload.get("tool_calls") or [] if not c.get("error")]
        if calls:
            asked = next(
                (m.content for m in reversed(history[:at]) if isinstance(m, HumanMessage)), None
            )
            return {**calls[-1], "asked": asked} if isinstance(asked, str) else calls[-1]
    return None


def _stored_calls(history: list[BaseMessage]) -> Iterator[list[dict[str, Any]]]:
    """The tool calls of each stored answer ({name, args}), the latest answer first and each
    answer's calls latest first."""
    for message in reversed(history):
        if isinstance(message, AIMessage):
            payload = message.response_metadata.get("copilot_payload") or {}
            yield list(reversed(payload.get("tool_calls") or []))


def both_earlier_values(
    question: Question, history: list[BaseMessage], model: Any
) -> tuple[str, list[str]] | None:
    """(dimension, values) when the question speaks of "both" of a dimension's values the
    conversation asked about one at a time ("两个渠道的退订率也给下", "both channels' CTR
    too" after the SMS figure, then the push one): the two latest values the earlier metric
    queries filtered that dimension by, latest last; None when it says no such thing."""
    said = reader_pattern("both_earlier").search(question.raw)
    if said is None:
        return _both_bare(question, history)
    dimensions = breakdowns_named(said.group(0).lower(), model)
    if not dimensions:
        # "两个活动": the noun after the count, said as each of it ("各活动")
        noun = re.sub(r"^(?:这|那)?两个", "各", said.group(0))
        noun = re.sub(r"^(?:both|the\s+two|these\s+two|those\s+two)\s+", "each ", noun, flags=re.I)
        noun = re.sub(r"(?<=^each )(\w+?)s$", r"\1", noun)
        dimensions = breakdowns_named(noun, model) if noun != said.group(0) else []
    if len(dimensions) != 1:
        return None
    dimension, values = dimensions[0], []
    for calls in _stored_calls(history):
        for call in calls:
            filtered = ((call.get("args") or {}).get("filters") or {}).get(dimension) or []
            if call.get("name") == "query_metrics" and len(filtered) == 1:
                if filtered[0] not in values:
                    values.append(filtered[0])
        if len(values) == 2:
            return dimension, values[::-1]
    return None


_BOTH_BARE = re.compile(
    r"\bboth\b(?!\s+(?:of\s+)?(?:the\s+)?(?:months?|quarters?|periods?|years?|weeks?|days?|metrics?))"
    r"|两个都|两者|两边|俩",
    re.I,
)


def _both_bare(question: Question, history: list[BaseMessage]) -> tuple[str, list[str]] | None:
    """(dimension, values) for a bare "both" ("put both side by side with previous month",
    "两个都要") after two metric queries that differ in one filter value ("AOV for Shanghai",
    then "and Beijing?"): those two values, the earlier first; None otherwise."""
    if not _BOTH_BARE.search(question.raw):
        return None
    calls = []
    for answered in _stored_calls(history):
        calls += [c for c in answered if c.get("name") == "query_metrics"]
        if len(calls) >= 2:
            break
    if len(calls) < 2:
        return None
    last, before = ((c.get("args") or {}).get("filters") or {} for c in calls[:2])
    differing = [d for d in set(last) | set(before) if last.get(d) != before.get(d)]
    if len(differing) != 1:
        return None
    dimension = differing[0]
    if len(last.get(dimension) or []) != 1 or len(before.get(dimension) or []) != 1:
        return None
    return dimension, [before[dimension][0], last[dimension][0]]


def both_earlier_periods(
    question: Question, history: list[BaseMessage], today: date | None = None
) -> str | AskBack | None:
    """The span joining the periods of the two latest metric queries ("2026-09-01 to
    2026-10-31" for "the return rate across both months together" after October, then
    September), when the question asks of both as one (lexicon reader_words
    both_periods_joined) and the two periods meet or overlap; a question back when they lie
    apart (one span would count the days between them); None otherwise."""
    said = reader_pattern("both_periods_joined").search(question.raw)
    if not said or question.time_range:
        return None
    from knowledge.time_ranges import parse_period

    spans = []
    for calls in _stored_calls(history):
        for call in calls:
            period = (call.get("args") or {}).get("time_range")
            if call.get("name") != "query_metrics" or call.get("error") or not period:
                continue
            try:
                spans.append(parse_period(str(period), today or planner_today()))
            except ValueError:
                return None
        if len(spans) >= 2:
            break
    if len(spans) < 2:
        return None
    first, second = sorted(spans[:2], key=lambda p: p.start)
    end = max(first.end, second.end)
    if second.start > first.end + timedelta(days=1):
        # apart: one span would count the days between them too
        return AskBack(
            tr(
                question.language,
                "I read “{phrase}” as the two periods just asked about, {first} and {second}, "
                "but they do not meet: one span would count the days between them too. Do "
                "you want the two side by side, or the whole span {start} – {end}?",
                phrase=said.group(0).strip(),
                first=f"{first.start.isoformat()} – {first.end.isoformat()}",
                second=f"{second.start.isoformat()} – {second.end.isoformat()}",
                start=first.start.isoformat(),
                end=end.isoformat(),
            )
        )
    return f"{first.start.isoformat()} to {end.isoformat()}"


def looks_like_follow_up(question: Question) -> bool:
    """Whether the question leans on the one before ("and by channel?", "那上个月呢？",
    "which channel?", "same month last year"), after an opening nod ("ok and just
    Shanghai?": lexicon reader_words.acknowledgement)."""
    opening = reader_pattern("acknowledgement").match(question.raw)
    said = question.raw[opening.end() :] if opening else question.raw
    return bool(
        _FOLLOW_UP.search(said)
        or _FRAGMENT.search(said)
        or _SAME_SPAN_YEAR_BACK.search(question.raw)
        or _SAME_SPAN_OF_YEAR.search(question.raw)
        or _asks_significance(question)
        or (bool(_TOTAL.search(question.raw)) and len(question.raw) <= 40)
        or bool(_GOES_ON.search(question.raw))
        or question.has(*reader_words("period_just_before"))
        # "拿去年这几天对照一下", "set last year's same days beside it": another period put
        # beside the figure just shown
        or question.has(*reader_words("side_by_side"))
        or question.has(*reader_words("added_to_shown"))  # "加上退货率", "add Beijing"
        or question.has(*reader_words("replaced_in_place"))  # "swap that for ROAS"
        or bool(reader_pattern("metric_seen").search(question.raw))  # "件数看完了，金额呢"
        or bool(_NARROWS.search(said))  # "筛一下，只留女性客户", "keep only the women"
        or bool(_FOR_THEM.search(question.raw))  # "给这批人写条推送", "export those"
        or bool(_number_swap().match(question.raw))  # "3 months then", "60天的呢"
        # "Ningbo?", "and Shanghai?": a store value and nothing else, the value swapped in
        or (bool(question.filters) and bool(_ONLY_A_VALUE_LEFT.fullmatch(question.text)))
        # "Chongqing for the same quarter pls", "同一时间段的北京呢", "what does AOV look like
        # over the same window": the period just shown
        or bool(_SAME_SHOWN_PERIOD.search(question.raw))
    )


# The period just shown pointed at ("for the same quarter", "over the same period", "同一时间
# 段"), never a year back ("the same quarter last year" is _SAME_SPAN_YEAR_BACK's).
_SAME_SHOWN_PERIOD = re.compile(
    r"\b(?:for|in|over|during|across)?\s*the\s+same\s+(?:quarter|month|period|week|year|window"
    r"|days|timeframe|time\s+frame|span|dates|stretch)\b(?!\s+(?:last|a|the\s+previous)\s+year)"
    r"|(?<!去年)(?<!去年的)同(?:一|样的?)个?(?:季度|月|时间段|时段|时期|期间|周)(?!去年)",
    re.I,
)


def shown_period_said(question: Question) -> str | None:
    """The words pointing at the period just shown ("for the same period", "over the same
    window", "同一时间段") when the question names no period of its own, as written; else None."""
    found = _SAME_SHOWN_PERIOD.search(question.raw) if question.time_range is None else None
    return found.group(0).strip() if found else None


# What is left of a question that named only store values ("Ningbo?", "and web?"): marks and
# a joining word (the values blanked by read_question).
# (around the value: "and", "ok", and the words that only point at it again: "SMS one?",
# "the SMS ones", "SMS also can?", "for SMS too pls", "SMS呢", "短信的也要")
_ONLY_A_VALUE_LEFT = re.compile(
    r"[\s?？.!！。,，]*(?:(?:and|or|then|so|ok|okay|the|for|what\s+about|how\s+about)\b)?"
    r"[\s?？.!！。,，]*(?:(?:one|ones|also|too|as\s+well|can|pls|please|lah|leh|only)\b"
    r"[\s?？.!！。,，]*)*",
    re.I,
)


def changes_churn_horizon(question: Question, previous: dict[str, Any]) -> bool:
    """Whether the question only restates a churn prediction's horizon ("make it 30", "改成
    60天呢") right after one: that prediction again, over the new days."""
    from copilot.offline.intents.churn import horizon_change

    return previous["name"] == "predict_churn" and horizon_change(question.raw) is not None


def ranks_previous_breakdown(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> bool:
    """Whether the question names only a ranking over the previous breakdown ("哪三个城市贡献
    最多？", "which 3 brought in the most?" after revenue by city): no period, value, other
    metric, other breakdown or unplaced word of its own, so it is that breakdown's top N, for
    its metric, period and filters; read afresh it would lose them."""
    if previous["name"] != "query_metrics" or top_n(question.text) is None:
        return False
    args = previous.get("args") or {}
    shown = set(args.get("dimensions") or [])
    if not shown or question.time_range or question.filters:
        return False
    model = ctx.semantic_model
    metrics = set(named(question.text, metric_synonyms(model)))
    return (
        set(breakdowns_named(question.text, model)) <= shown
        and metrics <= set(args.get("metrics") or [])
        and not unplaced_words(question.text, model)
    )


def only_slots_of_previous(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> bool:
    """Whether a short question names only what a metric query's slots take (a metric, a
    breakdown, a top N, a comparison shorthand) and nothing of its own besides: no period,
    store value, other tool's task or unplaced word ("money amount?", "分城市列一下", "取前3就行",
    "QoQ?" after a metric query). It is that query with the slot changed; read afresh it
    would lose the period and filters just shown."""
    if previous["name"] != "query_metrics" or question.filters:
        return False
    if len(question.raw.split()) > 6 or (question.language == "zh" and len(question.raw) > 16):
        return False
    compare = _comparison(question)
    model = ctx.semantic_model
    if question.time_range and not compare and named(question.text, metric_synonyms(model)):
        # (a period with no metric, "去年一整年男女各是多少", "对比下25年的三季度": the figure
        # shown for that period; read afresh it would have no figure to give)
        return False
    # (a comparison shorthand, "qoq pls", is a slot of its own, not a word left over)
    said = re.sub(r"(?<![a-z])(?:qoq|yoy)(?![a-z])|同比|环比", " ", question.text, flags=re.I)
    if unplaced_words(said, model):
        return False
    from copilot.offline.vocabulary import task_cue_tools

    if any(tool != "query_metrics" for tool in task_cue_tools(question)):
        return False
    return bool(
        compare
        or question.time_range
        or named(question.text, metric_synonyms(model))
        or breakdowns_named(question.text, model)
        or top_n(question.text)
    )


def sets_values_beside(question: Question, previous: dict[str, Any]) -> bool:
    """Whether a short question sets two or more values of one dimension against each other
    over the metric query just shown ("men vs women on that?", "男的和女的对比一下"): no
    period, metric or other value of its own; it is that figure, one row per value."""
    if previous["name"] != "query_metrics" or question.time_range or len(question.filters) != 1:
        return False
    values = next(iter(question.filters.values()))
    # ("cut each channel into female and male": the figure shown split into the values named)
    split = bool(reader_pattern("values_split").search(question.raw))
    if len(values) < 2 or not (_sets_beside(question) or split):
        return False
    words = len(question.raw.split()) if question.language == "en" else len(question.raw) // 2
    # ("ok and women vs men on that same number": the pointing words count too)
    return words <= (12 if split else 10)


def breaks_down_previous_filter(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> bool:
    """Whether the question splits the part just counted by a breakdown ("女性这部分再分城市
    看", "split the women by city" after women buyers): it names only values the previous
    metric query is filtered on, a breakdown, no metric or period of its own and no segment
    asked to be made, so it is that query cut by the breakdown (its metric, period and filters
    kept), not a new audience defined by the values."""
    if previous["name"] != "query_metrics" or not question.filters or question.time_range:
        return False
    filters = (previous.get("args") or {}).get("filters") or {}
    if any(not set(values) <= set(filters.get(d) or ()) for d, values in question.filters.items()):
        return False
    model = ctx.semantic_model
    return (
        bool(breakdowns_named(question.text, model))
        and not named(question.text, metric_synonyms(model))
        and not question.has(*load_lexicon().task_cues.get("define_segment", ()))
    )


# "is that difference significant?", "差异显著吗？", "is the lift real or noise?": a verdict on
# the numbers just shown.
_SIGNIFICANCE = re.compile(
    r"signific|p-?value|real or (?:just )?noise|by chance|statistically|显著|偶然|随机波动|统计上",
    re.I,
)


def _asks_significance(question: Question) -> bool:
    """A short significance question that names no campaign and types no counts of its own."""
    from copilot.offline.intents.ab_counts import read_typed_counts

    # (the lexicon's chance_words: "could that gap be pure chance?", "差距是不是碰巧")
    asked = _SIGNIFICANCE.search(question.raw) or reader_pattern("chance_words").search(
        question.raw
    )
    return (
        bool(asked)
        and len(question.raw) <= 60
        and not question.filters.get("campaign")
        and read_typed_counts(question.raw) is None
    )


# Words that point back at the previous result: with one, the question is a follow-up even
# when a reader could answer it alone ("export them", "其中女性多少").
_POINTS_BACK = lazy_compile(
    r"\b(?:them|their|they|those|these|that|it|its|same)\b|^\s*(?:这|那)?(?:里面|里头|当中|之中)|其中|他们|她们|它们|这些|那些|这批|这个|那个|上面|刚才",
    re.I,
)


def complete_on_its_own(
    question: Question,
    readings: list[Any],
    previous: dict[str, Any],
    ctx: PlannerContext | None = None,
) -> bool:
    """Whether the question is a complete request of another tool ("按RFM给客户分群",
    "segment customers by RFM" after metric questions): a reader other than the previous
    call's tool filled a call from this question alone, and nothing in it points back at
    the previous result. Such a question is answered afresh, not as a follow-up."""
    if _POINTS_BACK.search(question.raw):
        return False
    if previous["name"] in _SEGMENT_ARGUMENT and _next_step_on_same_segment(question):
        return False  # "now write an SMS" after a segment's profile: for that segment
    if previous["name"] == "query_metrics" and _asks_significance(question):
        # "差异显著吗？" after campaign rates: the test of those, not of every store test; a
        # question that names its own test ("is the Spring email test significant?") stands.
        return any(
            r.tool == "ab_test"
            and isinstance(r.args, dict)
            and ("campaign" in r.args or "counts" in r.args)
            for r in readings
        )
    if previous["name"] == "ab_sample_size" and read_test_settings(question.raw).as_arguments():
        return False  # "and at 1% significance?", "with 3 variants?": the same plan, re-sized
    if (
        previous["name"] == "query_metrics"
        and question.filters
        and _SWAPS_A_VALUE.search(question.raw)
        and not question.has(*load_lexicon().task_cues.get("define_segment", ()))
    ):
        # "and men?" / "男的呢" after a figure for women: the same figure for the value named,
        # not a new audience defined by it.
        return False
    if ctx is not None and breaks_down_previous_filter(question, previous, ctx):
        return False  # "女性这部分再分城市看": the part just counted, split
    if previous["name"] == "query_metrics" and (
        _SAME_SPAN_YEAR_BACK.search(question.raw) or _SAME_SPAN_OF_YEAR.search(question.raw)
    ):
        return False  # "去年同一时段呢": the span just shown, a year back (no send-time slot)
    if ctx is not None and only_slots_of_previous(question, previous, ctx):
        return False  # "分城市列一下", "money amount?": a slot of the query just shown
    if previous["name"] == "query_metrics" and question.filters and _NARROWS.search(question.raw):
        # "只看女性" / "only women" after a metric query narrows it; a segment is saved only
        # when asked for by name ("save them as a segment").
        return False
    # (a reader's question back is no call filled: "how does sms compare?" is no A/B test)
    return any(
        r.tool != previous["name"]
        and r.tool != "query_metrics"
        and r.args is not None
        and not isinstance(r.args, AskBack)
        for r in readings
    )


# A value set in place of the previous one: "and men?", "what about Beijing?", "男的呢".
_SWAPS_A_VALUE = re.compile(
    r"^\s*(?:ok(?:ay)?[,\s]+)?(?:and|what about|how about|same for|now)\b(?:\W+\w+){0,4}\W*$"
    r"|^[^，。,.]{0,12}(?:呢|的呢)\s*[?？。]*\s*$",
    re.I,
)
# A filter put on the previous result: "只看女性", "only women", "just the app orders".
_NARROWS = re.compile(
    r"^\s*(?:ok(?:ay)?[,\s]+)?(?:(?:and|but|now)\s+)?(?:only|just|filter (?:to|on|by)|limit (?:it |that )?to"
    r"|restrict (?:it |that )?to|keep (?:only|just)|filter (?:it|that|this) (?:to|on|by|down to))\b"
    # "ok and if we only count orders placed in the app?", "what if we just include women":
    # the same figure, counted over the values kept
    r"|^\s*(?:ok(?:ay)?[,\s]+)?(?:(?:and|but|now|so)\s+)?(?:what\s+)?if\s+(?:we|you|i)\s+"
    r"(?:only|just)\s+(?:count|include|look at|consider|keep|take)\b"
    # "mini-program orders only", "app orders alone pls": the values, then only after them
    r"|^\s*(?:(?:ok(?:ay)?|same|ditto|right|cool)[,\s]+)?(?:(?:and|but|now|then)\s+)?"
    r"[^,.;:?!，。]{1,40}?\s(?:only|alone)"
    # ("electronics only, by month": the values kept, then the rows they are split into)
    r"(?:\s*[,，]?\s*(?:and\s+)?(?:by|per|split\s+by|broken\s+down\s+by)\s+[a-z][a-z -]{1,24}?)?"
    r"(?:\s+(?:pls|please|plz|thx|thanks))?\s*[?.!]*\s*$"
    # "筛一下，只留女性客户": the filtering verb, then the values kept
    r"|^\s*(?:那|那么)?(?:筛(?:选)?一?下?[，,\s]*)?(?:换成|改成|变成|改为)?"
    r"(?:只看|只要|仅看|只算|只统计|筛选|限定|单看|只留|只保留|仅保留|仅留|仅限|只限|限于)"
    # "女客户单独拎出来看", "把女性单拿出来算": the values first, then set apart to be looked at
    r"|^[^，。,.]{1,12}?(?:单独|单)(?:拎|拿|挑|拉|摘|抽)?(?:出来)?(?:看|算|列|统计)"
    # "女客的单独拉一下", "男客单拎下": the values, set apart by the verb alone
    r"|^[^，。,.]{1,12}?(?:单独|单)(?:拎|拿|挑|拉|摘|抽)(?:一下|下|出来)",
    re.I,
)


def narrows_what_was_shown(question: Question) -> bool:
    """Whether the question only narrows a result ("只看女性", "女客户单独拎出来看", "only
    women") and asks for no segment to be made: said with no result shown, it points at none."""
    return bool(question.filters and _NARROWS.search(question.raw)) and not question.has(
        *load_lexicon().task_cues.get("define_segment", ())
    )


def leans_on_previous(question: Question) -> bool:
    """Whether the question cannot stand alone: a bare breakdown ("which channel?"), the same
    span a year back, or a part of the previous result ("其中…")."""
    return bool(
        _FRAGMENT.search(question.raw)
        or _SAME_SPAN_YEAR_BACK.search(question.raw)
        or _SAME_SPAN_OF_YEAR.search(question.raw)
        or re.search(r"其中|of (?:those|these|them)\b", question.raw, re.I)
    )


def unapplied_follow_up(question: Question, tool: str) -> str:
    """A question back for a follow-up the previous call cannot take."""
    return tr(
        question.language,
        "I can't apply that to the previous result ({tool}), and I won't answer a different "
        "question instead. Please ask it in full: the metric, the period and the breakdown.",
        tool=tool,
    )


# A breakdown asked on its own, with nothing else ("which channel?", "by city?", "哪个渠道？",
# "分城市呢"): it only makes sense over the previous result.
_FRAGMENT = lazy_compile(
    r"^\s*(?:and\s+)?(?:by|per|which|what|each)\s+[a-z]+(?:\s+[a-z]+)?\s*[?？.!]*\s*$"
    r"|^\s*(?:按|分|哪个|哪些|各|每个)[\u4e00-\u9fff]{1,4}\s*(?:呢|的)?\s*[?？。！]*\s*$"
    # "拆到每个月", "细分成各渠道看看", "拆开按城市": a breakdown verb and the rows, nothing else
    r"|^\s*(?:那|那么|再)?(?:拆分|拆|细分|细拆|分拆|展开)(?:到|成|为|开|一下)?\s*(?:按|到|成)?"
    r"(?:每一?个|每|各个|各)?[\u4e00-\u9fff]{1,4}?\s*(?:看看?|来看|呢|的)?\s*[?？。！]*\s*$"
    # "渠道也拆一下", "城市也分开看看": the rows, a word of addition and a breakdown verb
    r"|^\s*(?:那|那么|再)?(?:按)?[\u4e00-\u9fff]{1,4}?(?:也|同时|一起)(?:再)?(?:拆分|拆|细分|分开|分)"
    r"(?:一下|开|开来)?\s*(?:看看?|来看|呢)?\s*[?？。！]*\s*$"
    # "split by category", "break it down per city": a breakdown verb and nothing else said
    r"|^\s*(?:(?:and|now|then)\s+)?(?:split|break(?:\s+(?:it|that|this))?\s+down|broken\s+down"
    r"|group(?:ed)?|slice[d]?|cut)\s+(?:by|per)\s+[a-z]+(?:\s+[a-z]+)?\s*[?？.!]*\s*$",
    re.I,
)


def previous_rows(history: list[BaseMessage]) -> list[str]:
    """The rows the previous breakdown answer listed ("rows shown: 上海, 北京" / "列出的：…")."""
    for message in reversed(history):
        if isinstance(message, AIMessage) and message.content:
            match = _ROWS_SHOWN.search(str(message.content))
            if match:
                return [r.strip() for r in re.split(r"[,、]\s*", match.group(1)) if r.strip()]
            return []
    return []


_TOP_N_ASKED = lazy_compile(
    r"\b(?:top|best|highest|bottom|worst|lowest|fewest|weakest|smallest)\s*(?:\d+|"
    + "|".join(sorted(EN_WORDS, key=len, reverse=True))
    + r")\b|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|个|位)"
    r"|倒数\s*前?\s*(?:\d+|[一二两三四五六七八九十]+)",
    re.I,
)
_ROWS_SHOWN = lazy_compile(r"(?:rows shown|列出的)[:：]\s*([^\n]+)")
_TOTAL = lazy_compile(
    r"\b(?:total|totals|sum|combined|altogether|add(?:ed)? (?:them |those )?up|in all)\b"
    r"|合计|总共|一共|加起来|总和|总计|汇总",
    re.I,
)


@dataclass(frozen=True)
class Steps:
    """Several tool calls a follow-up asks for, in order (save a counted segment, then
    export it)."""

    calls: list[tuple[str, dict[str, Any]]]


def read_follow_up(
    question: Question,
    previous: dict[str, Any],
    ctx: PlannerContext,
    rows: list[str] | None = None,
    today: date | None = None,
) -> tuple[str, dict[str, Any] | AskBack | Steps] | None:
    """The tool call a follow-up asks for, built from the previous one, or None; an AskBack
    in place of the arguments when the follow-up cannot be applied and must be asked about.

    `rows` are the values the previous breakdown showed: "what is their total?"
    after "top 5 cities by revenue" sums those five cities, not the whole store. `today` is
    the date relative periods count from (None: the clock's today).
    """
    name, args = previous["name"], dict(previous.get("args") or {})
    dims = [d for d in args.get("dimensions") or [] if not _is_time(d, ctx)]
    if name == "rfm_segments" and _another_segment_counted(question):
        # "and the Can't Lose Them one?" after "how many Champions": the same segmentation,
        # whose table holds that segment's count too
        return name, args
    if (
        name == "query_metrics"
        and args.get("dimensions")
        and not args.get("limit")
        and _TOTAL.search(question.raw)
        # ("改为按省份汇总", "totals by province instead": summed by another breakdown)
        and not breakdowns_named(question.text, ctx.semantic_model)
    ):
        # "ok what's the total?" after a full breakdown (by city, or by month over a year):
        # the same figure without it, for the period the question names if it names one.
        total = {k: v for k, v in args.items() if k not in ("dimensions", "order_by")}
        if question.time_range:
            total["time_range"] = question.time_range
            total.pop("compare_to", None)
        metrics = named(question.text, metric_synonyms(ctx.semantic_model))
        if metrics:
            total["metrics"] = metrics
        if question.filters:  # "杭州和宁波加起来": the total of the values named, not of all
            total["filters"] = {**(total.get("filters") or {}), **question.filters}
        return name, total
    if name == "query_metrics" and rows and len(dims) == 1 and _TOTAL.search(question.raw):
        model = ctx.semantic_model
        metrics = named(question.text, metric_synonyms(model)) or args["metrics"]
        filters = dict(args.get("filters") or {})
        filters[dims[0]] = rows
        total = {"metrics": metrics, "filters": filters}
        if args.get("time_range"):
            total["time_range"] = args["time_range"]
        return name, total
    changed = False
    if name == "query_metrics" and rows and len(dims) == 1 and _keeps_the_rows(question, args):
        # "and their AOV?" after "top 3 cities by revenue": the same cities, as a filter, for
        # the new metric; re-ranking by it would answer for other cities.
        args["filters"] = {**(args.get("filters") or {}), dims[0]: rows}
        args.pop("limit", None)
        args.pop("order_by", None)  # a follow-up that changes nothing else is no metric query
        args.pop("sort", None)
        if len(rows) == 1 and args.get("dimensions") == dims:
            args.pop("dimensions")  # "那它的获客成本呢" after the top 1: that one's figure
    if name == "query_metrics" and _asks_significance(question):
        # ("was the A/B one significant?" after CTR by campaign: the test among the rows shown)
        shown_rows = (rows or _campaigns_of_breakdown(args, ctx)) if dims == ["campaign"] else None
        return _significance_of(args, question, shown_rows)
    if name == "ab_test" and args.get("campaign") and _asks_significance(question):
        # "is that significant?" after a campaign's test: that test again, for its campaign
        # and rate, never the store's default test of another rate.
        return name, args
    swapped_number = number_swapped(question, previous)
    if swapped_number is not None:  # "make it 30", "换成7天呢": only that number changes
        return name, swapped_number
    if name == "ab_sample_size":
        changed_settings = _sample_size_changes(question, args)
        return (name, changed_settings) if changed_settings else None
    if name == "predict_churn":
        from copilot.offline.intents.churn import horizon_change

        # "make it 30", "what about 60 days?", "改成30天呢": the same prediction, another horizon.
        days = horizon_change(question.raw)
        if days is not None:
            return name, {**args, "horizon_days": days}
    exported = _export_of_the_counted_segment(question, previous, ctx)
    if exported is not None:
        return exported
    if name in _SEGMENT_ARGUMENT and (
        _FOR_THEM.search(question.raw) or _next_step_on_same_segment(question)
    ):
        segment = args.get(_SEGMENT_ARGUMENT[name])
        from copilot.offline.intents.audience import asks_for_export, channel_in

        # Channel names are store values, blanked from question.text: read the raw text.
        channel = channel_in(question)
        if segment and re.search(r"\b(?:write|draft|copy|message)\b|写|文案", question.raw, re.I):
            return "generate_copy", _copy_for(question, segment, channel, ctx)
        if segment and asks_for_export(question):  # ("导成短信名单", "pull the list")
            export = {"segment": segment, "channel": channel or "sms"}
            if name == "define_segment" and args.get("save") is False:
                # Counted, not saved ("找一下…的女生" then "这些人导出来"): an export reads a
                # saved segment, so the same rule is saved first, then exported.
                return "define_segment", Steps(
                    [("define_segment", {**args, "save": True}), ("export_audience", export)]
                )
            return "export_audience", export
        if segment and re.search(r"\b(?:profile|describe|who are)\b|画像|描述", question.raw, re.I):
            return "profile_segment", {"segment": segment}
        if segment and name != "best_send_time" and question.has(*reader_words("send_time")):
            # "他们一般几点看短信" after the Champions' profile: that segment's send time
            return "best_send_time", {"segment": segment} | (
                {"channel": channel} if channel else {}
            )
    if name == "query_metrics" and (args.get("filters") or {}).get("campaign"):
        other = campaign_named(question, ctx.values)
        campaigns = list(args["filters"]["campaign"])
        sibling = _same_period_campaign(campaigns[-1], question, ctx)
        if other is None and sibling is not None:
            # "and the push one?" after the 618 2026 email: the push campaign of that period.
            args["filters"] = {**args["filters"], "campaign": [sibling]}
            return name, args
        # "the one a year earlier" names no period of its own: the year of the span shown,
        # one year back, is the one the campaign is looked for in.
        year_back = None if question.time_range else _year_earlier(question, args, today)
        said = question.time_range or (year_back[:4] if year_back else None)
        moved = (
            same_campaign_in(campaigns[-1], said, ctx.values, today or planner_today())
            if other is None and len(campaigns) == 1 and said
            else None
        )
        if moved is not None:
            # "去年的呢" after the 618 2026 email: the 618 email of last year, not the 2026
            # campaign's figures cut to a period it did not run in; its own run is its period
            # (within the one said, so the figure is the same, and the answer says its dates).
            args["filters"] = {**args["filters"], "campaign": [moved]}
            args["time_range"] = moved.split(" - ", 1)[0]
            args.pop("compare_to", None)
            return name, args
        in_event = (
            _in_event_shown(other, campaigns[-1], question, ctx)
            if other and other not in campaigns
            else None
        )
        if in_event:
            # "the social ads one from the same Double 11" after the Double 11 2025 SMS: no
            # year said, so the campaign of that channel in the event shown, not the latest
            # (the event said again is the one shown, no period of its own).
            other = in_event
            question = replace(question, time_range=None)
        if other and other not in campaigns and not _sets_beside(question):
            # "same thing for the CNY texts", "双11短信那次呢" after one campaign: the figure
            # for the campaign named in its place (its own run is its period).
            shown_own = args.get("time_range") and _names_own_period(
                str(args["time_range"]), campaigns[-1].split(" - ", 1)[0]
            )
            args["filters"] = {**args["filters"], "campaign": [other]}
            if question.time_range and not _names_own_period(
                question.time_range, other.split(" - ", 1)[0]
            ):
                args["time_range"] = question.time_range
            elif question.time_range and campaigns_window([other], ctx.values):
                # "and the email one from the same 618?": the festival said is the campaign's
                # own window, stated as the first turn stated it
                args["time_range"] = campaigns_window([other], ctx.values)
            elif shown_own and " - " in other:
                # the period shown was the campaign's own run: the new one's own run is
                args["time_range"] = other.split(" - ", 1)[0]
            else:
                args.pop("time_range", None)
            args.pop("compare_to", None)
            return name, args
        if other and other not in campaigns:
            # "和2026年双11短信比呢" after one campaign: both campaigns side by side.
            args["filters"] = {**args["filters"], "campaign": [*campaigns, other]}
            args["dimensions"] = ["campaign"]
            args.pop("compare_to", None)
            args.pop("time_range", None)
            return name, args
    if (
        name == "query_metrics"
        and "gross_sales" in (args.get("metrics") or [])
        and reader_pattern("returns_taken_off").search(question.raw)
    ):
        # "now take the returns off that - what's left?", "扣掉退款还剩多少" after gross sales:
        # gross sales less returns is the net sales (MARKETING.md), never the returns alone
        args["metrics"] = ["revenue"]
        return name, args
    if name == "query_metrics":
        by_month = _split_into_months(question, args, ctx, today or planner_today())
        if by_month is not None:  # "can split into Jul, Aug, Sep?" after Q3: by month
            return name, by_month
    # "top 3?", "前三名呢", "which three cities make up most of it?", "其中哪三个城市占大头":
    # the same metric and period, cut to its top N.
    asked_n = _TOP_N_ASKED.search(question.raw) or top_n_spans(question.text)
    limit = top_n(question.text) if asked_n else None
    if name == "query_metrics" and limit and args.get("dimensions"):
        cut = _cut_to_top(args, question, limit, ctx)
        if cut is not None:
            return name, cut
        changed = True
    in_year = _span_in_named_year(question, args, today) if name == "query_metrics" else None
    if in_year and _sets_beside(question):
        # "对比一下2025年同一季度" after Q3 2026: the same quarter of 2025 beside it (a year
        # back is the same period last year, said as such), never the whole year 2025.
        span, year_back = in_year
        chinese = question.language == "zh"
        args["compare_to"] = ("去年同期" if chinese else "last year") if year_back else span
        return name, args
    if not in_year and name == "query_metrics" and _year_back_named(question, args, today):
        # "跟前年比呢" after last year, "vs 2024?" after 2025: the period named is the one
        # shown a year back: the same period last year beside it.
        args["compare_to"] = "去年同期" if question.language == "zh" else "last year"
        return name, args
    compare = None if in_year else _comparison(question)
    if compare and name == "query_metrics":
        # The phrase in the question's language, so the answer labels the period in it too.
        chinese = question.language == "zh"
        args["compare_to"] = (
            {"last year": "去年同期", "previous period": "上一期"}[compare] if chinese else compare
        )
        # "only women, and compare with last year": narrowed as well, never the filter dropped.
        return name, (_narrowed(args, question, ctx) if question.filters else args)
    if name == "query_metrics" and _names_both_periods(question):
        # "and how did revenue change from Q2 to Q3?" after a ranking of months: both periods
        # are the follow-up's own, compared whole; the ranking of the rows shown and a
        # breakdown by a time unit do not carry over (Q3 against Q2 one month at a time).
        args["time_range"] = question.time_range
        for key in ("compare_to", "limit", "order_by", "sort"):
            args.pop(key, None)
        kept = [
            d
            for d in args.get("dimensions") or ()
            if not ctx.semantic_model.dimension(d).time_grain
        ]
        if kept:
            args["dimensions"] = kept
        else:
            args.pop("dimensions", None)
        return name, args
    if (
        name == "query_metrics"
        and not question.time_range
        and args.get("time_range")
        and _sets_beside(question)
        and question.has(*reader_words("period_just_before"))
    ):
        # "就看门店的 跟前一个月比一下", "vs the month before": the period just before the one
        # shown, set beside it (the values named narrow it too)
        args["compare_to"] = "上一期" if question.language == "zh" else "previous period"
        return name, (_narrowed(args, question, ctx) if question.filters else args)
    if (
        name == "query_metrics"
        and question.time_range
        and args.get("time_range")
        and (
            re.search(
                r"\b(?:compare|compared|vs\.?|versus|against)\b|对比|相比|相较|比较|比呢|比(?=上|前|去)"
                # ("跟上个月比", "和前一个月比一下": the period set beside, then the verb)
                r"|(?:跟|和|与|同)[^，。？?！!]{1,10}?比(?!例|率|重)",
                question.raw,
                re.I,
            )
            or _UP_OR_DOWN.search(question.raw)
            or question.has(*reader_words("side_by_side"))
        )
    ):
        # "how does that compare with August?": the same numbers, with August beside them.
        # "和上个季度比呢" after last quarter names the period shown, counted from today: the
        # asker counts from the period shown, so the one before it is meant (previous period).
        # ("compare with last month": the period's phrase holds the comparison word; the
        # period set beside is the one it names)
        question = replace(question, time_range=_COMPARISON_LEAD.sub("", question.time_range))
        # ("比上个月多还是少" after September: the asker counts from the month shown; a period
        # said relative to today that comes after the one shown is the one before it)
        shown = _named_span_is_shown(question, args, today) or _named_span_after_shown(
            question, args, today
        )
        chinese = question.language == "zh"
        args["compare_to"] = (
            ("上一期" if chinese else "previous period") if shown else question.time_range
        )
        # "only 上海, and compare with September": the values named narrow it too.
        return name, (_narrowed(args, question, ctx) if question.filters else args)
    moved = in_year[0] if in_year else None  # "2025年同期呢": the span in that year
    moved = moved or (_year_earlier(question, args, today) if name == "query_metrics" else None)
    # "same month last year": the previous period one year back, not the whole last year;
    # "same for the quarter before" after Q3: Q2, counted back from the period just answered,
    # not the last quarter counted from today.
    moved = moved or (_span_just_before(question, args, today) if name == "query_metrics" else None)
    if moved:
        args["time_range"] = moved
        args.pop("compare_to", None)
        changed = True  # and read on: "…, by signup channel" adds a breakdown as well
    if "metric" in args:  # ab_test: "and by click-through rate?", "And click-through - did B win?"
        metric = [
            _AB_METRIC_OF[m]
            for m in metrics_named(question.text, ctx.semantic_model)
            if m in _AB_METRIC_OF
        ]
        if metric:
            args["metric"] = metric[0]
            return name, args
    if not moved and question.time_range and "time_range" in _time_arguments(name, args):
        args["time_range"] = question.time_range
        changed = True
    if name == "query_metrics":
        model = ctx.semantic_model
        # A metric word inside a breakdown phrase names no metric: "split that by sales
        # channel" keeps the metric shown, with no sales (revenue) in its place.
        # ("换成人均消费": a per-person phrase names its ratio with the two parts beside it)
        paired, rest = paired_metrics(question.text, model)
        metrics = [*paired, *(m for m in metrics_named(rest, model) if m not in paired)]
        dimensions = breakdowns_named(question.text, model)
        question = _without_example_values(question, dimensions)
        question = _signup_values(question, model)
        dimensions = [d for d in dimensions if d not in question.filters]
        if metrics and question.has(*reader_words("added_to_shown")):
            # "加上退货率" / "add orders too": the metric beside the ones shown, not in place.
            metrics = list(dict.fromkeys([*args.get("metrics", []), *metrics]))
        counts = [load_lexicon().count_of.get(m) for m in args.get("metrics") or ()]
        if not metrics and counts and all(counts) and question.has(*reader_words("count_not_rate")):
            metrics = counts  # "and as a headcount?" after the churn rate: the churned customers
        metrics = _without_population_nouns(question, metrics, model)
        metrics = _without_metrics_set_aside(question, metrics, model)
        metrics = _count_of_amount_shown(args.get("metrics") or [], metrics, question)
        metrics = _same_rate_as_shown(args.get("metrics") or [], metrics, question)
        metrics = metrics or _same_thing_as(args.get("metrics") or [], question)
        metrics = metrics or _part_of_shown(args.get("metrics") or [], question)
        metrics = _rate_of_counts_asked(metrics, question)
        if metrics:
            args["metrics"] = metrics
            if args.get("order_by") and args["order_by"] not in metrics:
                args["order_by"] = metrics[0]  # "what about orders?" after "top 5 by revenue"
            changed = True
        if dimensions and reader_pattern("breakdown_added").search(question.raw):
            # "再按注册渠道拆开" after a monthly breakdown: by month and signup channel.
            added = list(dict.fromkeys([*args.get("dimensions", []), *dimensions]))
            dimensions = added if len(added) <= 2 else dimensions  # two breakdowns at most
        if dimensions and (not limit or dimensions[:2] != args.get("dimensions")):
            args["dimensions"] = dimensions[:2]
            args.pop("limit", None)
            args.pop("order_by", None)
            args.pop("sort", None)
            if limit:
                # "which two cities make up the bulk of that?" after a total: the new
                # breakdown's top N, for the same metric and period.
                cut = _cut_to_top(args, question, limit, ctx)
                if cut is not None:
                    return name, cut
            changed = True
        adds = question.has(*reader_words("added_to_shown"))
        beside = {
            d: vs
            for d, vs in question.filters.items()
            if (_sets_beside(question) or adds) and (args.get("filters") or {}).get(d)
        }
        if beside:
            # "how does sms compare? side by side" after the email figure, "加上北京 分城市看"
            # after 上海: both values, one row each, not sms (北京) in place of email (上海).
            filters = dict(args["filters"])
            for dimension, values in beside.items():
                filters[dimension] = list(dict.fromkeys([*filters[dimension], *values]))
            args["filters"] = filters
            dims = [*(args.get("dimensions") or []), *beside]
            args["dimensions"] = list(dict.fromkeys(dims))[:2]
            for key in ("limit", "order_by", "sort", "compare_to"):
                args.pop(key, None)
            return name, args
        if not beside and sets_values_beside(question, {"name": name}):
            # "men vs women on that?" after the AOV: one row per value named, side by side.
            dimension, values = next(iter(question.filters.items()))
            filters = {**(args.get("filters") or {}), dimension: list(values)}
            from copilot.offline.intents.metrics import names_every_reached_value

            if names_every_reached_value(
                dimension, list(values), list(args.get("metrics") or ()), ctx
            ):
                filters.pop(dimension)  # every value of it: the breakdown alone shows them
            args["filters"] = filters
            if not filters:
                args.pop("filters")
            dims = [*(args.get("dimensions") or []), dimension]
            args["dimensions"] = list(dict.fromkeys(dims))[:2]
            for key in ("limit", "order_by", "sort", "compare_to"):
                args.pop(key, None)
            return name, args
        if question.filters:
            args = _narrowed(args, question, ctx)
            changed = True
    if name != "query_metrics":
        swapped = _swapped_slots(name, question)
        if swapped:
            # "彩妆呢" after a skincare sentiment question: the same analysis for makeup.
            args.update(swapped)
            changed = True
    return (name, args) if changed else None


def _narrowed(args: dict[str, Any], question: Question, ctx: PlannerContext) -> dict[str, Any]:
    """The previous query_metrics arguments narrowed to the values the follow-up names
    ("only Shanghai", "just women"), in place of the same dimension's earlier values."""
    args = dict(args)
    filters = dict(args.get("filters") or {})
    filters.update(question.filters)
    args["filters"] = filters
    # "and in Beijing?" after "excluding Shanghai": the city named replaces the
    # cities left out, as it replaces the cities kept.
    excluded = {d: v for d, v in (args.get("exclude") or {}).items() if d not in filters}
    if "exclude" in args:
        args["exclude"] = excluded
        if not excluded:
            args.pop("exclude")
    # ("just guangzhou + shenzhen" after revenue by city: a plus between the values
    # kept lists them, as "and" does; a word of adding up still joins them)
    kept_listed = (
        question.raw.replace("+", " and ") if _NARROWS.search(question.raw) else question.raw
    )
    # "only in Shanghai" narrows the breakdown; grouping by that same dimension is
    # moot. Several of its values ("只看杭州和宁波" after revenue by city) are a subset
    # of the breakdown: it stays, cut to them, unless they are to be added up.
    args["dimensions"] = [
        d
        for d in args.get("dimensions", [])
        if d not in question.filters
        or (len(question.filters[d]) > 1 and not JOINED.search(kept_listed))
    ]
    from copilot.offline.intents.metrics import names_every_reached_value

    for d in args["dimensions"]:
        # ("app / web / store / mini prog each?"): every value of the breakdown the
        # metrics reach, listed, is the breakdown itself, no filter beside it
        if d in filters and names_every_reached_value(
            d, list(filters[d]), list(args.get("metrics") or ()), ctx
        ):
            del filters[d]
    if not filters:
        args.pop("filters")
    if not args["dimensions"]:
        args.pop("dimensions")
    return args


# A number's unit in a follow-up that changes only the number ("make it 30", "换成7天呢",
# "what about 2 weeks", "两个月呢"): days each; none said: the unit the previous call counts in.
_SWAP_UNITS = {
    "days": 1, "day": 1, "d": 1, "天": 1, "日": 1,
    "weeks": 7, "week": 7, "wks": 7, "wk": 7, "周": 7, "个星期": 7, "星期": 7, "个礼拜": 7,
    "months": 30, "month": 30, "个月": 30, "个多月": 30,
}  # fmt: skip
_UNIT_WORD = {True: {1: "days", 7: "weeks", 30: "months"}, False: {1: "天", 7: "周", 30: "个月"}}
# A period phrase's own count and unit ("最近30天", "last 90 days", "past 2 weeks").
_PERIOD_COUNT = lazy_compile(
    rf"({NUMBER_WORDS})\s*(days?|weeks?|months?|天|日|周|个星期|个月)", re.I
)


@cache
def _number_swap() -> re.Pattern[str]:
    """The lexicon's frame of a follow-up that says only a number (number_swap_lead / _tail)."""
    lead = "|".join(f"(?:{w})" for w in reader_words("number_swap_lead"))
    tail = "|".join(f"(?:{w})" for w in reader_words("number_swap_tail"))
    units = "|".join(sorted(map(re.escape, _SWAP_UNITS), key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:(?:{lead})[\s,，]*)*(?P<number>{NUMBER_WORDS})\s*(?P<unit>{units})?"
        rf"(?![a-z])\s*(?:(?:{tail})[\s,，]*)*[?？.!。！]*\s*$",
        re.I,
    )


def number_swapped(question: Question, previous: dict[str, Any]) -> dict[str, Any] | None:
    """The previous call with its one number-bearing argument set to the number a follow-up
    says alone ("make it 30" after a 90-day churn horizon: 30 days; "换成7天呢" after 最近30天:
    最近7天; "top 10 then" after a top 5); None when the follow-up says more than a number, or
    the previous call has no such argument or several (which one is meant is not said)."""
    match = _number_swap().match(question.raw)
    if match is None:
        return None
    number = to_int(match.group("number"))
    unit = (match.group("unit") or "").lower()
    args = dict(previous.get("args") or {})
    slots = []
    if "horizon_days" in args or previous["name"] == "predict_churn":
        slots.append("horizon_days")
    period = _PERIOD_COUNT.search(str(args.get("time_range") or ""))
    if period:
        slots.append("time_range")
    if args.get("limit") and not unit:
        slots.append("limit")
    if len(slots) != 1 or number <= 0:
        return None
    if slots[0] == "horizon_days":
        days = number * _SWAP_UNITS.get(unit, 1)
        return {**args, "horizon_days": days} if 7 <= days <= 365 else None
    if slots[0] == "limit":
        return {**args, "limit": number}
    assert period is not None
    said = period.group(0).replace(period.group(1), match.group("number"), 1)
    if unit:  # the unit said, in the period phrase's own language
        english = bool(re.search(r"[a-z]", period.group(2), re.I))
        word = _UNIT_WORD[english][_SWAP_UNITS[unit]]
        said = f"{match.group('number')} {word}" if english else f"{match.group('number')}{word}"
    time_range = str(args["time_range"])
    args["time_range"] = time_range[: period.start()] + said + time_range[period.end() :]
    args.pop("compare_to", None)
    return args


def _signup_values(question: Question, model: Any) -> Question:
    """The question with a channel it says customers signed up through ("how many of those
    came in through the app signup?") as a signup channel, as a question of its own reads it."""
    from copilot.offline.intents.metrics import _SIGNED_UP

    filters = dict(question.filters)
    if "channel" not in filters or "signup_channel" not in model.dimensions:
        return question
    if not _SIGNED_UP.search(question.raw):
        return question
    filters["signup_channel"] = filters.pop("channel")
    return replace(question, filters=filters)


# A count noun said of where it came from, the value after it ("orders placed on the
# website", "buyers coming in through the app", "orders made via the mini program").
_PLACED_THROUGH = re.compile(
    r"\s+(?:that\s+|which\s+)?(?:were\s+|was\s+|are\s+)?"
    r"(?:placed|made|put\s+through|came|come|coming|arriving|arrived|taken)\s+"
    r"(?:in\s+)?(?:on|in|through|via|from|at|over)\s+(?:the\s+|our\s+)?\S",
    re.I,
)


def _without_population_nouns(question: Question, metrics: list[str], model: Any) -> list[str]:
    """The metrics a narrowing follow-up names, less the count nouns that only say whose
    figure it is, right after the value kept ("ok and just app orders?" after AOV: the AOV
    of app orders; "只看深圳客户"): the figure shown stays, for that value."""
    if not metrics or not question.filters or not _NARROWS.search(question.raw):
        return metrics
    if len(question.text) != len(question.raw):
        return metrics
    synonyms = metric_synonyms(model)
    kept = []
    for metric in metrics:
        words = sorted(synonyms.get(metric, ()), key=len, reverse=True)
        behind_value = False
        for word in words:
            for found in re.finditer(re.escape(word.lower()), question.text):
                # the blank just before the word held a value in the question as asked
                gap = len(question.text[: found.start()].rstrip())
                behind_value |= bool(question.raw[gap : found.start()].strip())
                # "just for orders placed on the website": the value right after the noun
                behind_value |= bool(_PLACED_THROUGH.match(question.raw[found.end() :]))
        if not behind_value or model.metric(metric).format != "integer":
            kept.append(metric)
    return kept


# Where a phrase set aside after a contrast word ends ("instead of CTR, by month", "不看点击率
# 看转化率"): at a clause mark or where the wanted figure is named again.
_SET_ASIDE_END = re.compile(r"[,，。;；!?？]|\b(?:but|and)\b|而是|要看|看", re.I)


def _without_metrics_set_aside(question: Question, metrics: list[str], model: Any) -> list[str]:
    """The metrics named, less those named right after a contrast word ("now conv rate
    instead of CTR", "换成转化率 而不是点击率", "not revenue, orders"): the one set aside is the
    one shown, not one more to add. All of them set aside: the list as named."""
    aside: set[str] = set()
    for seen in reader_pattern("metric_seen").finditer(question.text):
        # "件数看完了，金额呢": the figure said to be seen is the one shown, done with (all of
        # them: none named, the figure wanted is said by its kind, 金额 after the units)
        aside.update(metrics_named(seen.group(0), model))
    if aside and all(m in aside for m in metrics):
        return []
    for found in reader_pattern("contrast").finditer(question.text):
        rest = question.text[found.end() :]
        end = _SET_ASIDE_END.search(rest)
        aside.update(metrics_named(rest[: end.start()] if end else rest, model))
    kept = [m for m in metrics if m not in aside]
    return kept or metrics


# A follow-up pointing at the figure just shown ("那是多少单", "how many orders was that").
_POINTS_AT_SHOWN = re.compile(
    r"^\s*(?:那|这)(?:是|些|个|些是|个是|里)|\b(?:that|those|these|it)\b|其中|里面", re.I
)


def _count_of_amount_shown(shown: list[str], metrics: list[str], question: Question) -> list[str]:
    """The count of the things whose money was just shown, when a follow-up pointing at it
    names their unit ("那是多少单", "how many orders was that" after the returns' amount: the
    returned orders, not every order): lexicon amount_of read backwards, the count's name
    ending in the unit named. Otherwise the metrics as named."""
    if len(shown) != 1 or len(metrics) != 1 or not _POINTS_AT_SHOWN.search(question.raw):
        return metrics
    counts = [c for c, amount in load_lexicon().amount_of.items() if amount == shown[0]]
    if len(counts) == 1 and counts[0] != metrics[0] and counts[0].endswith("_" + metrics[0]):
        return counts
    return metrics


_SAME_AGAIN = re.compile(r"同样|一样|照样|照旧|\bsame\b|\bagain\b", re.I)


def _same_rate_as_shown(shown: list[str], metrics: list[str], question: Question) -> list[str]:
    """The rates just shown, when a follow-up says "the same" and names them by their count
    ("去年那次呢 同样看点击" after a CTR: the CTR again, 点击 its short name; lexicon count_of);
    otherwise the metrics as named."""
    if not shown or not metrics or not _SAME_AGAIN.search(question.raw):
        return metrics
    counts = [load_lexicon().count_of.get(m) for m in shown]
    return (
        list(shown)
        if sorted(metrics) == sorted(c for c in counts if c) and all(counts)
        else metrics
    )


def _rate_of_counts_asked(metrics: list[str], question: Question) -> list[str]:
    """The rates whose numerators a follow-up names when it asks a rate or share of them
    ("what % of them came back for more?", "其中复购的占比" after the buyers: the repurchase
    rate, not the repeat buyers' count; lexicon count_of read backwards); otherwise the
    metrics as named. A kind set aside ("the count, not the %") leaves them as named."""
    asked = reader_pattern("guard_rate").search(question.raw) or reader_pattern(
        "guard_share"
    ).search(question.raw)
    if not metrics or not asked or reader_pattern("guard_set_aside").search(question.raw):
        return metrics
    rates = {c: r for r, c in load_lexicon().count_of.items()}
    if not any(m in rates for m in metrics) or not all(
        m in rates or m in rates.values() for m in metrics
    ):
        return metrics
    return list(dict.fromkeys(rates.get(m, m) for m in metrics))


def _same_thing_as(shown: list[str], question: Question) -> list[str]:
    """The rate or the money of the metrics just shown, when a follow-up names only that
    kind of figure ("now the rate instead" after the returns: the return rate; "金额呢"
    after the returned orders: their amount); [] when any of them has none."""
    lexicon = load_lexicon()
    if question.has(*reader_words("rate_in_place")):
        rates = {**{c: r for r, c in lexicon.count_of.items()}, **lexicon.rate_of}
    elif question.has(*reader_words("amount_in_place")):
        rates = lexicon.amount_of
    else:
        return []
    found = [rates.get(m) for m in shown]
    return [m for m in found if m] if shown and all(found) else []


def _part_of_shown(shown: list[str], question: Question) -> list[str]:
    """The count of the part of the population just counted that a follow-up names by a
    word alone ("and how many of them were new?" after the buyers: the new customers;
    lexicon subset_of); [] unless one metric was shown and exactly one part is named."""
    if len(shown) != 1:
        return []
    parts = load_lexicon().subset_of.get(shown[0], {})
    named_parts = [
        metric
        for metric, words in parts.items()
        if any(re.search(word, question.raw, re.I) for word in words)
    ]
    return named_parts if len(named_parts) == 1 else []


def _without_example_values(question: Question, dimensions: list[str]) -> Question:
    """The question without the values it gives as examples of a breakdown it names ("now
    per category (skincare, baby etc.)": lexicon reader_words.examples_given): the rows
    are every category, not those two."""
    examples = [d for d in dimensions if d in question.filters]
    if not examples or not reader_pattern("examples_given").search(question.raw):
        return question
    filters = {d: vs for d, vs in question.filters.items() if d not in examples}
    return replace(question, filters=filters)


def _cut_to_top(
    args: dict[str, Any], question: Question, limit: int, ctx: PlannerContext
) -> AskBack | None:
    """Cut the breakdown in `args` to its top (or bottom) `limit` rows by its first metric,
    in place (the end by ranking_direction)."""
    from copilot.offline.intents.metrics import change_ranking  # (metrics imports this module)

    direction = ranking_direction(question, args["metrics"][0])
    # "前三名呢": the same breakdown, cut to its top N.
    args["limit"] = limit
    args["order_by"] = args["metrics"][0]
    change = change_ranking(question, args, ctx.semantic_model) or change_ranking(
        question, args, ctx.semantic_model, uncompared=True
    )
    if change:
        # "which one grew most vs the month before": ranked by the change, never the level;
        # with no base named, the period before (as a change ranking asked at once reads it).
        args.setdefault("compare_to", "previous period")
        args["order_by"], args["sort"] = f"{args['metrics'][0]}_change", change
        return None
    # "倒数前三呢": the same breakdown's bottom three; "前三呢" after it: the top again.
    if direction:
        args["sort"] = direction
    else:
        args.pop("sort", None)
    return None


# Words that point at the rows just listed: "their AOV", "each of them", "those cities",
# "这几个城市", "它们的订单数".
_THE_ROWS = lazy_compile(
    r"\b(?:them|their|those|these)\b|它们|他们|她们|这几|那几|这些|那些"
    r"|(?:这|那)(?:\d+|[一二两三四五六七八九十]+)(?:个|家|座|类|款|位)",
    re.I,
)


def _another_segment_counted(question: Question) -> bool:
    """Whether the question only swaps in an RFM segment ("and Can't Lose Them?", "At Risk
    呢", "and the Hibernating one?"): its count, asked as the one before was."""
    from copilot.offline.intents.audience import SEGMENT_SYNONYMS, segment_in

    said = segment_in(Question(question.raw, question.language, question.raw.lower()))
    if said not in SEGMENT_SYNONYMS:
        return False
    rest = question.raw.lower().replace("’", "'")
    for word in sorted({said.lower(), *SEGMENT_SYNONYMS[said]}, key=len, reverse=True):
        rest = rest.replace(word.lower().replace("’", "'"), " ")
    return bool(_SWAPS_A_VALUE.search(rest) or _ONE_OF_THEM.fullmatch(rest))


# What is left of "and the Can't Lose Them one?" once the segment's name is taken out.
_ONE_OF_THEM = re.compile(
    r"\s*(?:and|what about|how about|same for)?\s*(?:the)?\s*(?:one|ones|segment|group)?\s*[?？.!]*\s*"
    r"|\s*(?:那|那么)?\s*(?:的)?\s*(?:呢|有多少|多少人|几个人|多少)\s*[?？。]*\s*",
    re.I,
)


def _export_of_the_counted_segment(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> tuple[str, dict[str, Any]] | None:
    """ "export them" after "how many Champions are there?" (answered with the RFM table):
    the one RFM segment that question named, exported; None when it named none or several."""
    from copilot.offline.intents.audience import (
        SEGMENT_SYNONYMS,
        asks_for_export,
        channel_in,
        segment_in,
    )

    asked = previous.get("asked")
    if previous["name"] != "rfm_segments" or not isinstance(asked, str):
        return None
    # ("导出来发短信", "把其中同意短信的导出来": an export naming no segment of its own leans on
    # the one just counted, as "export them" does)
    own = segment_in(question)
    if not asks_for_export(question) or not (_FOR_THEM.search(question.raw) or not own):
        return None
    segments = list(dict.fromkeys(named(asked.lower(), SEGMENT_SYNONYMS)))
    if len(segments) != 1:
        return None
    if own and own != segments[0]:
        # "those Can't Lose Them, how many can email?" after Champions were counted: "those"
        # points at the segment the question names itself, not the one counted before
        return None
    return "export_audience", {"segment": segments[0], "channel": channel_in(question) or "sms"}


# Words that point at the one row a top 1 just named: "its CAC", "and for that one", "那它的…".
# ("that campaign's ROAS", "this city", "那个活动的ROAS", "这个城市": the one row shown, by its noun)
_THE_ROW = lazy_compile(
    r"\b(?:it|its|that\s+one|the\s+winner|(?:that|this|the\s+same)\s+(?:campaign|city|product"
    r"|category|channel|province|segment|month|variant|one)(?:['’]s)?)\b|它(?!们)"
    r"|(?:这|那)(?:个|一个)(?:活动|城市|商品|产品|品类|渠道|省份|分群|月份?|版本)",
    re.I,
)


def _keeps_the_rows(question: Question, args: dict[str, Any]) -> bool:
    """Whether a follow-up is about the rows a cut breakdown (top N) just listed: it points
    at them ("their", "它们"; "it", "它" after a top 1) and asks no ranking of its own ("top
    3 by AOV" re-ranks the whole store)."""
    points = _THE_ROWS.search(question.raw) or (
        args.get("limit") == 1 and _THE_ROW.search(question.raw)
    )
    return bool(
        args.get("limit")
        and points
        and not _TOP_N_ASKED.search(question.raw)
        and not _RANKED_ANEW.search(question.raw)
    )


# A ranking asked on another figure ("rank those by units this time", "re-sort by orders",
# "按销量重新排一下"): the same top N counted by that figure over the whole store, not the rows
# just listed reordered (another question).
_RANKED_ANEW = lazy_compile(
    r"\b(?:(?:re-?)?(?:rank|sort)(?:ed|ing|s)?|re-?order(?:ed|ing)?)\b(?:\s+\w+){0,3}?\s+(?:on|by)\b"
    r"|重新排|(?:按|以|用)[^，。,]{1,8}(?:重新)?(?:排名|排序|排行|排)",
    re.I,
)


def _swapped_slots(tool: str, question: Question) -> dict[str, Any]:
    """The category, segment or channel a short follow-up names, for the previous tool's
    parameter of that name (read from the tool's own signature)."""
    import inspect

    from copilot.offline.intents.audience import (
        CATEGORY_SYNONYMS,
        channel_in,
        segment_in,
    )
    from tools import TOOLS  # tools import nothing from copilot

    function = next((t for t in TOOLS if t.__name__ == tool), None)
    if function is None:
        return {}
    parameters = set(inspect.signature(function).parameters)
    categories = question.filters.get("category") or named(question.text, CATEGORY_SYNONYMS)
    found: dict[str, Any] = {}
    if "category" in parameters and len(categories) == 1:
        found["category"] = categories[0]
    segment = segment_in(question)
    if "segment" in parameters and segment:
        found["segment"] = segment
    channel = channel_in(question)
    if "channel" in parameters and channel:
        found["channel"] = channel
    return found


_SAME_PERIOD_LAST_YEAR = lazy_compile(
    r"same (?:month|period|quarter|week|day) last year|year over year|(?<![a-z])yoy(?![a-z])|last year"
    r"|(?:the |a )?(?:previous|prior|preceding) year|the year before|a year (?:earlier|before|ago)"
    r"|同比|去年同期|(?:前|上)一年(?:同期)?|去年",
    re.I,
)
_PREVIOUS_PERIOD = lazy_compile(
    r"(?:previous|prior|preceding) (?:period|day|week|month|quarter)|(?:period|day|week|month|quarter) (?:before|prior)|环比|上一期"
    # "QoQ", "month over month": the period of the same length just before.
    r"|(?<![a-z])qoq(?![a-z])|\b(?:quarter|month|week) (?:over|on) (?:quarter|month|week)\b"
    # "跟再往前30天比呢", "vs the 30 days before": the span of the same length just before.
    r"|再往前|(?:previous|prior|preceding) \d+ (?:days|weeks|months)"
    r"|\d+ (?:days|weeks|months) (?:before|earlier|prior)",
    re.I,
)


def _sets_beside(question: Question) -> bool:
    """Whether the follow-up asks to compare ("vs", "对比") or to set the figure beside another
    ("put it next to a year earlier", "放在一起看": lexicon reader_words.side_by_side)."""
    return bool(
        re.search(r"\b(?:compare|compared|vs|versus|against)\b|比|对比|相比", question.raw, re.I)
        or _UP_OR_DOWN.search(question.raw)
    ) or question.has(*reader_words("side_by_side"))


# The direction of a change asked ("up or down vs the prior month?", "比上个月多还是少"): the
# figure set against the other period, as "vs" does.
_UP_OR_DOWN = lazy_compile(
    r"\b(?:up\s+or\s+down|down\s+or\s+up|higher\s+or\s+lower|lower\s+or\s+higher"
    r"|better\s+or\s+worse|worse\s+or\s+better|more\s+or\s+fewer|fewer\s+or\s+more"
    r"|(?:rise|rose|grow|grew|increase|increased)\s+or\s+(?:fall|fell|drop|dropped|decrease|decreased|shrink|shrank))\b"
    r"|多还是少|少还是多|高还是低|低还是高|涨还是跌|涨了还是跌了|增还是减|升还是降|上升还是下降|增加还是减少|变多还是变少",
    re.I,
)


def _comparison(question: Question) -> str | None:
    """'last year' or 'previous period' when a follow-up asks to compare ("和去年同期比呢？")."""
    if not _sets_beside(question):
        # (the analysts' shorthands said alone: "QoQ?", "MoM", "YoY")
        if not re.search(
            r"同比|环比|(?<![a-z])(?:yoy|qoq)(?![a-z])|\b(?:quarter|month|week) (?:over|on) (?:quarter|month|week)\b",
            question.raw,
            re.I,
        ):
            return None
    if _SAME_PERIOD_LAST_YEAR.search(question.raw):
        return "last year"
    if _PREVIOUS_PERIOD.search(question.raw):
        return "previous period"
    return None


# "the same month last year", "去年同期呢", "a year earlier": the previous period shifted back
# one year (without a comparison word; with one, `_comparison` sets compare_to instead).
_SAME_SPAN_YEAR_BACK = lazy_compile(
    r"\bsame (?:month|period|quarter|week|day|days|time|weeks|months|window)\b.{0,20}"
    r"\b(?:last year|a year (?:ago|before|earlier)|the year before|previous year|prior year)"
    r"|\b(?:a|one) year (?:earlier|before|ago)\b|\bthe year before\b"
    r"|去年同(?:月|期|季度?|周|一(?:个)?(?:月|季度|时期|周|天|时间段?|时段|段时间|阶段))"
    r"|去年的同一(?:个)?(?:月|季度|时期|周|天|时间段?|时段|段时间|阶段)"
    # "this time last year", "去年这个时候": the span shown, a year back
    r"|\b(?:this|that|the same)\s+(?:time|point|stretch)\s+(?:of\s+)?last\s+year\b"
    r"|去年(?:的)?(?:这个|这|那个)(?:时候|时间段?|阶段)"
    r"|上一年同期|前一年同期|一年前(?:的)?同期",
    re.I,
)


# "same but LY", "same for last year", "同样看去年": the same ask with last year said; a year
# back of the span shown when that span is part of a year (Q3, October, 618), the whole of
# last year after a year or the year to date ("orders this year || same thing for last year").
_SAME_ASK_LAST_YEAR = lazy_compile(
    r"\bsame\b(?:\s*(?:thing|one|numbers?|figures?|query|again|but|for|as|in|,|-|\u2013))*\s*"
    r"(?:LY|last\s+year|the\s+year\s+before|(?:the\s+)?previous\s+year|(?:the\s+)?prior\s+year)\b"
    r"|(?:同样|一样|同一个?口径)(?:的)?(?:数|数据)?(?:再)?(?:看|换成|换到|算|查)?(?:一下)?去年(?!全年|一整年|整年)",
    re.I,
)


def _year_earlier(
    question: Question, args: dict[str, Any], today: date | None = None
) -> str | None:
    """The previous call's period one year back ("2025-03-01 to 2025-03-31"), when the
    follow-up asks for the same span last year; None otherwise or when the period is unknown.

    Relative periods ("last month") are resolved against `today` (the as-of date the tools
    count from too), else the clock's today.
    """
    previous = args.get("time_range")
    same_ask = bool(previous) and bool(_SAME_ASK_LAST_YEAR.search(question.raw))
    if not previous or not (same_ask or _SAME_SPAN_YEAR_BACK.search(question.raw)):
        return None
    from knowledge.time_ranges import parse_period

    day = today or planner_today()
    try:
        period = parse_period(str(previous), day)
    except ValueError:
        return None
    if same_ask and not _SAME_SPAN_YEAR_BACK.search(question.raw):
        whole_year = (period.start.month, period.start.day) == (1, 1) and (
            (period.end.month, period.end.day) == (12, 31) or period.end >= day - timedelta(days=1)
        )
        if whole_year:
            return None  # "this year || same for last year": the whole of last year
    # ("今年到现在" ends today, a day with no data yet: a year back it would count one day more)
    last = min(period.end, day - timedelta(days=1)) if period.start < day else period.end
    start, end = _year_back(period.start), _year_back(last)
    return f"{start.isoformat()} to {end.isoformat()}"


def _year_back_named(question: Question, args: dict[str, Any], today: date | None = None) -> bool:
    """Whether a follow-up that compares ("vs", "比", "同比") names, as its own period, the
    previous call's period moved one year back (2024 after 2025, 前年 after 去年)."""
    previous = args.get("time_range")
    if not previous or not question.time_range:
        return False
    if not (
        _sets_beside(question) or re.search(r"同比|(?<![a-z])yoy(?![a-z])", question.raw, re.I)
    ):
        return False
    from knowledge.time_ranges import find_period, parse_period

    day = today or planner_today()
    try:
        shown = parse_period(str(previous), day)
    except ValueError:
        return False
    named = find_period(question.raw, day)
    if named is None:
        return False
    return (named.range.start, named.range.end) == (_year_back(shown.start), _year_back(shown.end))


def _names_both_periods(question: Question) -> bool:
    """Whether the follow-up's period phrase names two periods itself ("Q3 vs Q2", "from Q2 to
    Q3" as a change), not one set against the period shown ("compare with last month")."""
    from knowledge.time_ranges import find_period

    if not question.time_range or _COMPARISON_LEAD.match(question.time_range):
        return False
    if not _BOTH_SAID.search(question.time_range):
        return False  # ("去年同一季度": one period, said against the one shown)
    found = find_period(question.time_range, planner_today())
    return found is not None and found.compare_to is not None and len(found.all_spans) > 1


# The words setting two periods of a phrase against each other ("Q3 vs Q2", "三季度对比二季度").
_BOTH_SAID = re.compile(r"\bvs\.?(?!\w)|\bversus\b|\bcompared\s+(?:to|with)\b|对比|相比", re.I)


_COMPARISON_LEAD = re.compile(
    r"^\s*(?:(?:compare[sd]?|compared|comparing|stacks?\s+up)\s+(?:to|with|against)|vs\.?|versus|against"
    r"|relative\s+to|than|比起|相比于?|相较于?|对比|比|和|跟|与)\s*",
    re.I,
)


def _shown_and_named(
    question: Question, args: dict[str, Any], today: date | None = None
) -> tuple[Any, Any] | None:
    """(the previous call's period, the follow-up's own period), both parsed from today (the
    as-of day, else the clock's); None when either is missing or unreadable."""
    previous = args.get("time_range")
    if not previous or not question.time_range:
        return None
    from knowledge.time_ranges import parse_period

    day = today or planner_today()
    try:
        return parse_period(str(previous), day), parse_period(question.time_range, day)
    except ValueError:
        return None


def _named_span_is_shown(
    question: Question, args: dict[str, Any], today: date | None = None
) -> bool:
    """Whether the follow-up's own period (question.time_range) is the very span of the
    previous call's period, e.g. "last quarter" said again after last quarter."""
    periods = _shown_and_named(question, args, today)
    if periods is None:
        return False
    shown, named = periods
    return (shown.start, shown.end) == (named.start, named.end)


def _named_span_after_shown(
    question: Question, args: dict[str, Any], today: date | None = None
) -> bool:
    """Whether the follow-up's own period, said relative to today ("上个月", "last month"),
    starts after the previous call's period ends: set against it, the asker counts from the
    period shown, so the period just before that one is meant."""
    said = question.time_range or ""
    if re.search(r"\d", said):
        return False
    if not re.search(r"(?i)\b(?:last|previous|prior)\b|上", said):
        return False  # ("2025 || vs this year?": this year itself, set beside)
    periods = _shown_and_named(question, args, today)
    return periods is not None and periods[1].start > periods[0].end


def _span_just_before(
    question: Question, args: dict[str, Any], today: date | None = None
) -> str | None:
    """The one day, week, month, quarter or year just before the previous call's period
    ("2026-04-01 to 2026-06-30" for "the quarter before" after Q3), when the follow-up
    names it (lexicon reader_words.period_just_before) and no period of its own."""
    previous = args.get("time_range")
    if not previous or question.time_range or _sets_beside(question):
        return None  # "vs the month before" compares (compare_to), it does not replace
    found = next(
        (m for p in reader_words("period_just_before") if (m := re.search(p, question.raw, re.I))),
        None,
    )
    if found is None:
        return None
    from knowledge.time_ranges import parse_period
    from knowledge.time_ranges.dates import add_months

    try:
        period = parse_period(str(previous), today or planner_today())
    except ValueError:
        return None
    unit = found.group("u").lower()
    end = period.start - timedelta(days=1)
    months = {"year": 12, "年": 12, "quarter": 3, "季": 3, "季度": 3, "month": 1}.get(unit, 0)
    months = months or (1 if "月" in unit else 0)
    if months:
        start = add_months(period.start, -months)
    else:
        start = period.start - timedelta(days=7 if unit in ("week", "周", "星期") else 1)
    return f"{start.isoformat()} to {end.isoformat()}"


# "the same quarter of 2025", "2025年同一季度", "2025年同期": the previous call's period moved
# into the year named (its own day and month kept), not that whole year.
_SAME_SPAN_OF_YEAR = lazy_compile(
    r"(?P<zh>(?:19|20)\d{2})\s*年?\s*(?:的)?\s*同(?:一)?(?:个)?(?:季度?|月份?|期|时期|周|天|时间段?)"
    r"|\bsame\s+(?:month|quarter|period|week|day|days|time|window)\s+(?:of|in)\s+"
    r"(?P<en>(?:19|20)\d{2})\b"
    # "the 2025 equivalent window", "2024's matching quarter", "the corresponding days in 2025"
    r"|\b(?P<en2>(?:19|20)\d{2})(?:'s)?\s+(?:equivalent|corresponding|matching|comparable)\s+"
    r"(?:month|quarter|period|week|days?|time|window|span|stretch)\b"
    r"|\b(?:equivalent|corresponding|matching|comparable)\s+(?:month|quarter|period|week|days?|time"
    r"|window|span|stretch)\s+(?:of|in)\s+(?P<en3>(?:19|20)\d{2})\b",
    re.I,
)


def _span_in_named_year(
    question: Question, args: dict[str, Any], today: date | None = None
) -> tuple[str, bool] | None:
    """The previous call's period moved into the year the follow-up names ("2025-07-01 to
    2025-09-30" for "2025年同一季度" after Q3 2026), and whether that year is the one just
    before; None when no such year is named or the period is unknown."""
    found = _SAME_SPAN_OF_YEAR.search(question.raw)
    previous = args.get("time_range")
    if found is None or not previous:
        return None
    from knowledge.time_ranges import parse_period

    try:
        period = parse_period(str(previous), today or planner_today())
    except ValueError:
        return None
    years = period.start.year - int(
        next(found.group(g) for g in ("zh", "en", "en2", "en3") if found.group(g))
    )
    if years < 0:
        return None  # a later year than the period shown: read as said
    start, end = period.start, period.end
    for _ in range(years):
        start, end = _year_back(start), _year_back(end)
    return f"{start.isoformat()} to {end.isoformat()}", years == 1


def _year_back(day: date) -> date:
    """The same calendar day a year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _copy_for(
    question: Question, segment: str, channel: str | None, ctx: PlannerContext
) -> dict[str, Any] | AskBack:
    """The copy request read as it stands (its product, occasion, tone ...) for the segment
    its pointer ("这些人", "those people") refers to: the brief is kept, never dropped."""
    from copilot.offline.intents.copy import read_copy_question

    asked_in = question.language
    # The pointer and the opener ("然后", "now") are no words of the brief: blanked.
    for found in (_FOR_THEM.search(question.raw), _GOES_ON.search(question.raw)):
        if found:
            start, end = found.span()
            raw = question.raw[:start] + " " * (end - start) + question.raw[end:]
            text = question.text
            if len(text) == len(raw):
                text = text[:start] + " " * (end - start) + text[end:]
            question = replace(question, raw=raw, text=text)
    read = read_copy_question(question, ctx)
    if isinstance(read, AskBack):
        return read
    args: dict[str, Any] = {"segments": [segment], "channel": channel or "sms"}
    brief = {k: v for k, v in (read or {}).items() if k not in ("segments", "channel")}
    if brief.get("language") == asked_in:
        brief.pop("language")  # the question's own language goes without saying
    return {**args, **brief}


# "split into Jul, Aug, Sep", "拆成7、8、9月": a verb of splitting, then the months listed.
_SPLIT_VERB = re.compile(
    r"\b(?:split|break|broken|divide|separate|separated|cut|into|each|per)\b|拆|分成|分开|分到|每个月|各月",
    re.I,
)
_MONTH_NAMED = re.compile(
    r"\b(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\b\.?"
    r"|((?:\d{1,2}\s*[、,，/和及与跟]\s*)*\d{1,2})\s*月",
    re.I,
)


def _split_into_months(
    question: Question, args: dict[str, Any], ctx: PlannerContext, today: date
) -> dict[str, Any] | None:
    """The previous query by month, when the follow-up splits it into the months it lists
    ("can split into Jul, Aug, Sep?" after Q3, "拆成7、8、9月看" after the third quarter):
    those months are rows of the period shown, not a new period. Months that are only part of
    the period shown: that part, by month. None when the months are not all in it."""
    from copilot.offline.campaigns import _range_of

    if not args.get("time_range") or not _SPLIT_VERB.search(question.raw):
        return None
    if (
        question.filters
        or metrics_named(question.text, ctx.semantic_model)
        or [d for d in breakdowns_named(question.text, ctx.semantic_model) if d != "month"]
    ):
        return None  # "orders per day in Jan and Feb": more than the split is asked; read on
    months: list[int] = []
    for found in _MONTH_NAMED.finditer(question.raw):
        if found.group(1):
            months.append(_MONTH_NUMBERS[found.group(1).lower()])
        else:
            months.extend(int(n) for n in re.findall(r"\d{1,2}", found.group(2)))
    months = sorted(set(months))
    if len(months) < 2 or any(not 1 <= m <= 12 for m in months):
        return None
    if months != list(range(months[0], months[-1] + 1)):
        return None  # Jul and Sep without Aug: no one span
    span = _range_of(str(args["time_range"]), today)
    if span is None:
        return None
    start, end = span
    shown = [
        (start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1)
        for k in range((end.year - start.year) * 12 + end.month - start.month + 1)
    ]
    picked = [ym for ym in shown if ym[1] in months]
    if len(picked) != len(months) or len(shown) > 12:
        return None
    split = {k: v for k, v in args.items() if k not in ("limit", "order_by", "sort", "compare_to")}
    split["dimensions"] = list(dict.fromkeys(["month", *(args.get("dimensions") or [])]))[:2]
    if len(picked) < len(shown):
        first, last = picked[0], picked[-1]
        last_day = date(last[0] + last[1] // 12, last[1] % 12 + 1, 1) - timedelta(days=1)
        split["time_range"] = f"{date(first[0], first[1], 1).isoformat()} to {last_day.isoformat()}"
    return split


def _same_period_campaign(campaign: str, question: Question, ctx: PlannerContext) -> str | None:
    """The store campaign of the same period as `campaign` on the channel the question names."""
    channels = question.filters.get("channel") or []
    if len(channels) != 1 or " - " not in campaign:
        return None
    period = campaign.split(" - ", 1)[0]
    if question.time_range and not _names_own_period(question.time_range, period):
        return None  # ("the CNY texts" after the Spring Festival 2026 email: its own season)
    matches = [
        name
        for name in store_campaigns(ctx.values)
        if name != campaign
        and name.split(" - ", 1)[0] == period
        and channels[0] in name.split(" - ", 1)[1].lower()
    ]
    return matches[0] if len(matches) == 1 else None


_YEAR = re.compile(r"(?:19|20)\d{2}")


def _in_event_shown(other: str, shown: str, question: Question, ctx: PlannerContext) -> str | None:
    """The campaign on `other`'s channel in the event of the campaign `shown` ("Double 11
    2025 - Social Ads" for "Double 11 2026 - Social Ads" after "Double 11 2025 - SMS"), when
    the question names no year of its own and the two events differ only by their year;
    None otherwise."""
    if " - " not in other or " - " not in shown or _YEAR.search(question.raw):
        return None
    other_event, other_channel = other.split(" - ", 1)
    shown_event = shown.split(" - ", 1)[0]
    if reader_pattern("year_said").search(question.raw) and not (
        question.time_range and _names_own_period(question.time_range, shown_event)
    ):
        return None  # ("与去年春节的短信活动相比" after Spring Festival 2026: a year said in words)
    if other_event == shown_event or _YEAR.sub("", other_event) != _YEAR.sub("", shown_event):
        return None
    wanted = f"{shown_event} - {other_channel}"
    return wanted if wanted in store_campaigns(ctx.values) else None


def _names_own_period(phrase: str, period: str) -> bool:
    """Whether the period phrase a follow-up says covers the campaign period `period` ("CNY"
    for "Spring Festival 2026"): the same season named again, not another period."""
    from copilot.offline.campaigns import _range_of

    today = planner_today()
    said, ran = _range_of(phrase, today), _range_of(period, today)
    return bool(said and ran and said[0] <= ran[0] and ran[1] <= said[1])


def _is_time(dimension: str, ctx: PlannerContext) -> bool:
    return ctx.semantic_model.dimension(dimension).time_grain is not None


def _time_arguments(name: str, args: dict[str, Any]) -> set[str]:
    """The time argument a tool takes (query_metrics, cohorts, cross-sell, sentiment all use time_range)."""
    return (
        {"time_range"}
        if name in {"query_metrics", "cohort_retention", "cross_sell_rules", "review_sentiment"}
        else set()
    )


def _sample_size_changes(question: Question, args: dict[str, Any]) -> dict[str, Any] | None:
    """The previous sample-size call with what a follow-up changes ("如果功效要90%呢", "what if
    alpha is 0.01?", "and with 3 variants?", "what about a 1 point lift?"), or None.

    A follow-up that states a whole new baseline and change is a fresh question (None here,
    so it is read afresh); settings and a lone effect are applied to the previous call.
    """
    if read_rate_change(question.raw) is not None:
        return None
    settings = read_test_settings(question.raw).as_arguments()
    updated = {**args, **settings}
    effects = [
        r for r in rates_in(question.raw) if not _is_setting_rate(question.raw, r.start, r.end)
    ]
    if len(effects) == 1:
        effect = effects[0]
        if effect.kind == "points":  # "+1 point", "1个百分点": absolute
            updated["minimum_detectable_effect"] = effect.value
            updated["relative"] = False
        elif re.search(r"relative|相对", question.raw, re.I):
            updated["minimum_detectable_effect"] = effect.value
            updated["relative"] = True
    return updated if updated != args else None


def _is_setting_rate(text: str, start: int, end: int) -> bool:
    """Whether the rate at text[start:end] is a test setting (power, alpha, confidence)."""
    around = text[max(0, start - 16) : start] + " " + text[end : end + 12]
    return bool(re.search(r"power|alpha|significan|confiden|功效|显著|置信|把握|α", around, re.I))


# --- a value given after a question back: "ok then hangzhou" after "revenue in Xiamen?" ---


def clarified_question(history: list[BaseMessage]) -> str | None:
    """The question the last reply asked back about (no tool call, status clarify), or None."""
    if len(history) < 2:
        return None
    asked, answer = history[-2], history[-1]
    if not isinstance(asked, HumanMessage) or not isinstance(answer, AIMessage):
        return None
    payload = answer.response_metadata.get("copilot_payload") or {}
    if payload.get("tool_calls") or answer.tool_calls:
        return None
    status = payload.get("status") or answer.response_metadata.get(STATUS_KEY)
    return asked.text if status == "clarify" else None


# Dimensions whose store values can stand in for an unknown name ("Xiamen" -> "杭州").
_NAMED_VALUES = {"city", "province", "category", "product", "campaign", "channel"}


def with_value_for_unplaced(question: Question, earlier: str, ctx: PlannerContext) -> str | None:
    """The earlier question with the value this one gives in place of the one word it was
    asked back about: "revenue in Xiamen last month" + "ok then hangzhou" -> "revenue in 杭州
    last month". None unless this question gives store values of one dimension and nothing
    else (no metric, breakdown or period of its own) and the earlier one had exactly one
    unplaced word."""
    model = ctx.semantic_model
    if len(question.filters) != 1 or question.time_range:
        return None
    dimension, values = next(iter(question.filters.items()))
    # A short reply ("ok then hangzhou", "try shanghai", "那换成成都"): its other words are
    # the reply's own fillers; a longer one is a question of its own.
    short = (
        len(re.findall(r"[a-z]+", question.text)) <= 4
        and len(re.findall(r"[\u4e00-\u9fff]", question.text)) <= 6
    )
    if dimension not in _NAMED_VALUES or not short:
        return None
    if re.search(r"(?i)\bsame\b|\bas\s+well\b|同样|一样|也(?:看|查|算)", question.raw):
        return None  # "same thing for web pls": the figure read, for another value, no correction
    if named(question.text, metric_synonyms(model)) or named(
        question.text, dimension_synonyms(model)
    ):
        return None
    before = read_question(earlier, ctx.values)
    words = unplaced_words(before.text, model)
    if len(words) != 1:
        return None
    pattern = re.compile(re.escape(words[0]), re.I)
    if not pattern.search(before.raw):
        return None
    joined = "、".join(values) if question.language == "zh" else " and ".join(values)
    return pattern.sub(joined, before.raw, count=1)


# --- a word placed after the copy tool asked about it: "an occasion", "就是个季节" ---


def placed_copy_word(
    question: Question, history: list[BaseMessage]
) -> dict[str, Any] | AskBack | None:
    """The previous generate_copy call written again with the word(s) it asked about placed
    as this reply says ("an occasion", "it's a product", "是个活动": event, product, offer
    or tone, words of the lexicon's copy_roles), or None when the last answer asked no such
    question or this reply says no role (a short reply only: a longer one is a request)."""
    from copilot.offline.vocabulary import load_lexicon

    answers = [m for m in history if isinstance(m, AIMessage)]
    previous = previous_call(answers[-1:])
    # "Glowfest" said to be a product was asked about once more (which catalogue product?):
    # this reply may name it.
    which_product = previous is None and len(answers) >= 2 and clarified_question(history)
    if which_product:
        previous = previous_call(answers[-2:-1])
    if previous is None or previous["name"] != "generate_copy":
        return None
    args = dict(previous.get("args") or {})
    unclear = [str(w) for w in args.get("unclear") or []]
    raw = question.raw.lower()
    short = len(re.findall(r"[a-z]+", raw)) <= 12 and len(re.findall(r"[\u4e00-\u9fff]", raw)) <= 16
    if not unclear or not short:
        return None
    store_product = question.filters.get("product") or question.filters.get("category")
    if which_product:
        if not store_product:
            return None
        args["product"] = store_product[0]
        args.pop("unclear", None)
        return args
    found: list[tuple[int, str]] = []
    for role, words in load_lexicon().copy_roles.items():
        for word in words:
            bounded = (
                re.escape(word)
                if re.search(r"[\u4e00-\u9fff]", word)
                else rf"\b{re.escape(word)}s?\b"
            )
            match = re.search(bounded, raw)
            if match:
                found.append((match.start(), role))
    if not found:
        return None
    role = min(found)[1]
    named_words = [w for w in unclear if w.lower() in raw] or unclear
    asked = next((m.text for m in reversed(history) if isinstance(m, HumanMessage)), "")
    for word in named_words:
        at = asked.lower().find(word.lower())
        word = asked[at : at + len(word)] if at >= 0 else word  # as the marketer wrote it
        if role == "event":
            args.setdefault("event", word)
        elif role == "offer":
            args.setdefault("offer", word)  # no terms: the tool asks for them
        elif role == "tone":
            args.setdefault("tone", word)
        elif store_product:  # "it's our Hydrating Facial Cleanser"
            args["product"] = store_product[0]
        elif word.lower() not in str(args.get("goal") or "").lower():
            # A product the catalogue does not hold (it would be a store value, placed): copy
            # names only catalogue products, so ask which one it is rather than drop it.
            return AskBack(
                tr(
                    question.language,
                    "{quoted} is not a product of the catalogue, and copy names only products "
                    "the store sells. Which catalogue product or category is it?",
                    quoted=repr(word),
                    word=word,
                )
            )
    left = [w for w in unclear if w not in named_words]
    if left:
        args["unclear"] = left
    else:
        args.pop("unclear", None)
    return args


# The store's A/B test reads these campaign rates (tools.ab_testing.ab_test's `metric`).
# A count per variant shown ("各送达多少、转化多少") is tested as its rate over the delivered.
_AB_METRIC_OF = {
    "conversion_rate": "conversion",
    "ctr": "ctr",
    "open_rate": "open_rate",
    "conversions": "conversion",
    "clicks": "ctr",
    "opens": "open_rate",
    "unsubscribe_rate": "unsubscribe_rate",
    "unsubscribes": "unsubscribe_rate",
    "click_to_open_rate": "click_to_open",
}


def _campaigns_of_breakdown(args: dict[str, Any], ctx: PlannerContext) -> list[str]:
    """The store campaigns a breakdown by campaign counts in (its channel and period), for
    when the answer's rows are not at hand."""
    from copilot.offline.campaigns import ran_within, runs_on

    channels = (args.get("filters") or {}).get("channel") or []
    period = args.get("time_range")
    return [
        name
        for name in store_campaigns(ctx.values)
        if (not channels or any(runs_on([name], c) for c in channels))
        and (not period or ran_within(name, str(period)))
    ]


def _significance_of(
    args: dict[str, Any], question: Question, rows: list[str] | None = None
) -> tuple[str, Any]:
    """The significance test of the rates the previous metric query showed: the A/B test of
    the one campaign it was filtered to (or the one A/B campaign among the campaign rows
    shown), on the same rate, or on the rate of the counts shown per variant ("送达多少、
    转化多少" then "显著吗": the conversion rate; lexicon count_of read backwards); otherwise
    a question back (the store's other tests would answer a different question, and a metric
    query's rates carry no sample sizes to test)."""
    from copilot.offline.intents.ab_tests import _AB, _NAMES_A_TEST, _named_as_a_test

    campaigns = (args.get("filters") or {}).get("campaign") or []
    # (only a question naming the test picks it among several campaigns: "is the difference
    # significant?" after a row per campaign asks about campaigns, no test of variants)
    if len(campaigns) != 1 and (_AB.search(question.raw) or _NAMES_A_TEST.search(question.raw)):
        tests = [c for c in (campaigns or rows or []) if _named_as_a_test(c)]
        campaigns = tests if len(tests) == 1 else campaigns
    shown = args.get("metrics") or []
    metrics = [m for m in shown if m in _AB_METRIC_OF]
    if not metrics:
        rates = {count: rate for rate, count in load_lexicon().count_of.items()}
        counted = [rates[m] for m in shown if rates.get(m) in _AB_METRIC_OF]
        # (several counts per variant: the deepest one, a conversion before a click)
        order = list(_AB_METRIC_OF)
        metrics = sorted(counted, key=order.index)[:1]
    if len(campaigns) == 1 and metrics:
        return "ab_test", {"campaign": campaigns[0], "metric": _AB_METRIC_OF[metrics[0]]}
    text = tr(
        question.language,
        "A significance test needs each group's size and count, which these figures do not "
        "carry. I can test the variants of one A/B campaign (name it), or numbers you give "
        '(e.g. "A: 1000 visitors, 50 conversions; B: 1000 visitors, 65 conversions"). '
        "Which would you like?",
    )
    return "ab_test", AskBack(text)


def exports_the_segment_shown(question: Question, previous: dict[str, Any]) -> bool:
    """An export that names no segment ("export for email", "导出来 发短信用") right after a
    call about one segment (its profile, its rule): that segment's list."""
    from copilot.offline.intents.audience import asks_for_export, segment_in

    return (
        (previous["name"] in _SEGMENT_ARGUMENT or previous["name"] == "rfm_segments")
        and asks_for_export(question)
        and not segment_in(question)
    )


def _next_step_on_same_segment(question: Question) -> bool:
    """ "then export it", "再导出短信名单", "导出来 发邮件用": a next step that names no segment
    of its own ("now export the Champions" names one, and is read afresh); an export asked
    with no segment leans on the segment just shown without a "then"."""
    from copilot.offline.intents.audience import asks_for_export, segment_in

    step = _GOES_ON.search(question.raw) or asks_for_export(question)
    return bool(step) and not segment_in(question)


# --- what the figure just shown counts in: "does that include returns?", "不含运费呢" ---


@dataclass(frozen=True)
class DefinitionAsked:
    """A follow-up asking what the figure just shown counts in: the metrics whose definition
    the answer states in words, and what else it asks (None: nothing, the same figure again).
    (A follow-up that restates the definition instead, "and without shipping?", is read by
    copilot/offline/restated.py `definition_follow_up`; its answer states it the same way.)"""

    metrics: tuple[str, ...]
    rest: Question | None


def definition_asked(
    question: Question, previous: dict[str, Any], ctx: PlannerContext
) -> DefinitionAsked | None:
    """The definition question in a follow-up to a metric query ("does that include returns?
    give me gross too", "包含退货吗？退货金额单独给我"); None otherwise. The question's words
    about the definition are no metric asked ("returns" in "does that include returns?" asks
    for no returns figure)."""
    if previous["name"] != "query_metrics":
        return None
    shown = tuple((previous.get("args") or {}).get("metrics") or ())
    if not shown:
        return None
    found = list(reader_pattern("figure_includes").finditer(question.raw))
    if not found:
        return None
    raw = question.raw
    for match in reversed(found):
        raw = raw[: match.start()] + " " * (match.end() - match.start()) + raw[match.end() :]
    rest = raw.strip(" \t?？,，.。!！;；")
    if not re.search(r"[a-z]{2,}|[\u4e00-\u9fff]", rest, re.I):
        return DefinitionAsked(shown, None)
    return DefinitionAsked(shown, read_question(rest, ctx.values))


def definitions_text(metrics: list[str], restated: str | None, language: str, model: Any) -> str:
    """The semantic model's definition of each metric, in the question's language, and, for
    a follow-up that restated it ("and without shipping?": `restated`, its words), that the
    figure is the same."""
    lines = [
        tr(
            language,
            "How {label} is counted: {description}",
            label=model.metric(m).label.in_language(language),
            description=tr(language, model.metric(m).description),
        )
        for m in metrics
    ]
    if restated:
        lines.append(
            tr(
                language,
                "\u201c{restated}\u201d is how the store counts it already, so the figure is "
                "the same.",
                restated=restated,
            )
        )
    return "\n".join(lines)


_CAMPAIGN_FIELDS = ("campaign", "variant", "target_segment")


def breakdown_not_taken(args: dict[str, Any], language: str, model: Any) -> AskBack | None:
    """A question back when a metric of a query cannot take one of its breakdowns or filters
    ("and the returned orders instead" after a breakdown the new metric has no rows for,
    "new customers who came from the app": the order channel of a count of first orders):
    the semantic model would fail it with an error; the marketer chooses the total, another
    metric or, where it serves, the customer's own attribute (signup channel). None when
    every metric takes them all."""
    from knowledge.semantic.compiler import serves

    def query_of(filtered: tuple[str, ...]) -> Any:
        return type("Filtered", (), {"filtered_dimensions": filtered})()

    def takes(name: str, dimension: Any, as_filter: bool) -> bool:
        grouped = [] if as_filter else [dimension]
        query = query_of((dimension.name,) if as_filter else ())
        metric = model.metric(name)
        if metric.measures:
            return any(serves(model, m.fact, grouped, query) for m in metric.measures)
        parts = list(metric.ratio or ()) or [
            p for p in re.findall(r"[a-z_][a-z0-9_]*", metric.formula or "") if p in model.metrics
        ]
        return all(takes(p, dimension, as_filter) for p in parts)

    wanted = [(d, False) for d in args.get("dimensions") or [] if d in model.dimensions]
    # (a campaign's own fields filter order metrics by its window and its attributed orders,
    # read by the tool itself: never a column the fact must hold)
    wanted += [
        (d, True)
        for d in [*(args.get("filters") or {}), *(args.get("exclude") or {})]
        if d in model.dimensions
        and d not in (args.get("dimensions") or ())
        and d not in _CAMPAIGN_FIELDS
    ]
    metrics = [m for m in args.get("metrics") or [] if m in model.metrics]
    untaken = [
        (model.dimension(d), as_filter)
        for d, as_filter in wanted
        if any(not takes(m, model.dimension(d), as_filter) for m in metrics)
    ]
    if not untaken:
        return None
    refused = [m for m in metrics if any(not takes(m, d, as_filter) for d, as_filter in untaken)]
    joined = "、" if language == "zh" else ", "
    named_metrics = joined.join(
        label_in_sentence(model.metric(m).label.in_language(language)) for m in refused
    )
    named_dimensions = joined.join(
        label_in_sentence(d.label.in_language(language)) for d, _ in untaken
    )
    if any(as_filter for _, as_filter in untaken):
        text = tr(
            language,
            "{metrics} cannot be narrowed by {dimensions} in this store, and I won't answer "
            "for every value instead. Do you want {metrics} in total, or another metric "
            "for that {dimensions}?",
            metrics=named_metrics,
            dimensions=named_dimensions,
        )
    else:
        text = tr(
            language,
            "{metrics} cannot be broken down by {dimensions} in this store, and I won't answer "
            "with another breakdown instead. Do you want {metrics} in total for the same "
            "period, or another metric by {dimensions}?",
            metrics=named_metrics,
            dimensions=named_dimensions,
        )
    if "signup_channel" in model.dimensions and any(d.name == "channel" for d, _ in untaken):
        signup = model.dimension("signup_channel")
        if all(takes(m, signup, False) for m in refused):
            text += " " + tr(
                language,
                "The channel the customers signed up through ({signup}) is available.",
                signup=label_in_sentence(signup.label.in_language(language)),
            )
    return AskBack(text[:1].upper() + text[1:])
