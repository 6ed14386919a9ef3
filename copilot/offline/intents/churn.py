"""Churn-prediction questions: reading them into predict_churn calls and writing the answer.

"Churn rate last month" is a metric (query_metrics); only questions that ask
who will churn, or for a prediction / score / risk, come here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import (
    metrics_named,
    reader_pattern,
    reader_words,
    without_negated,
)
from copilot.unicode_text import has_cjk
from knowledge.presentation import (
    N_,
    format_count,
    format_number,
    format_percent,
    join_list,
    tr,
)
from knowledge.presentation.names import segment_name
from knowledge.time_ranges.numerals import NUMBER, to_int
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_PREDICTION_WORDS = reader_words("churn_prediction")
_BY_RFM = re.compile(
    r"(?:\b(?:by|using|with|via|based on|per)\s+|按|用|根据|基于|通过)\s*rfm", re.I
)
# "next 60 days", "sixty days ahead", "未来三十天", "之后九十天", "90天内"; in months ("next 3
# months", "接下来三个月"): 30 days a month, and the answer states the days it used.
_HORIZON = re.compile(
    rf"(?:next|coming|following|within|inside(?: of)?|in under)\s+(?:the\s+next\s+)?({NUMBER})[\s-]+(days?|weeks?|months?)"
    rf"|(?<![a-z])({NUMBER})\s+(days?|weeks?|months?)\s+(?:ahead|out)"
    # "a 90 day window", "30-day horizon": the window the prediction looks ahead
    rf"|(?<![a-z])({NUMBER})[\s-]*(days?|weeks?|months?)\s+(?:window|horizon)"
    rf"|(?:未来|接下来|之后|此后|今后|往后)的?\s*({NUMBER})\s*(天|个月)|({NUMBER})\s*(天|个月)内"
)
_DAYS_PER = {
    "day": 1,
    "days": 1,
    "天": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "个月": 30,
}
# One unit ahead, no number ("over the coming month", "next quarter", "未来一个季度", "下个月"):
# 30 days a month, as above.
_UNIT_AHEAD = re.compile(
    r"\b(?:the\s+|a\s+)?(?:next|coming|upcoming|following)\s+(week|month|quarter|half[- ]year|year)\b"
    r"|(?:未来|接下来|之后|今后|往后)的?\s*(?:一个?|1个?)\s*(周|星期|月|季度?|年)"
    r"|(?:下个?)(周|星期|月|季度)"
)
_UNIT_DAYS = {
    "week": 7,
    "周": 7,
    "星期": 7,
    "month": 30,
    "月": 30,
    "quarter": 90,
    "季度": 90,
    "季": 90,
    "half-year": 180,
    "half year": 180,
    "year": 365,
    "年": 365,
}
# A follow-up that only states a number of days ("make it 30", "try 60 days instead", "改成30天呢").
_BARE_DAYS = re.compile(
    rf"(?:(?:ok|okay|and|now|then)[, ]+)?(?:make it|change (?:it )?to|set it to|try|use|what about|how about|with)?\s*"
    rf"({NUMBER})\s*(?:days?|d)?\s*(?:instead|then|please|pls)?\s*[?.!]*"
    rf"|(?:那)?(?:改成|换成|改为|设为|用|按)?\s*({NUMBER})\s*天(?:的)?(?:呢|吧|看看)?\s*[？?。]*"
)


def read_churn_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """predict_churn arguments for "who is likely to churn?" / "预测复购", else None."""
    raw = question.raw.lower()
    # "the churn rate, we don't want a churn model": a model declined is no model asked for.
    kept = without_negated(raw, tasks=(*_PREDICTION_WORDS, *reader_words("model_words")))
    if not any(re.search(_pattern(w), kept) for w in _PREDICTION_WORDS):
        return None
    group = _group_problem(question, kept, ctx)
    if group is not None:
        # "which high-value customers will churn": a value tier the store does not hold;
        # answered for all, the group would be dropped.
        return AskBack(group)
    segment = _one_segment(question, kept, ctx)
    within = (
        _names_rfm_segments(_without_cues(question)) == 1
        and reader_pattern("within_group").search(raw) is not None
    )
    if _BY_RFM.search(raw) or (_names_rfm_segments(question) >= 2 and not within):
        # "按RFM来分", "分成冠军客户、流失风险、沉睡客户": the segmentation named outright (or
        # by its segments) wins over a churn model.
        return None
    if _names_rfm_segments(_without_cues(question)) and asks_for_export(question):
        # "export At Risk to our email tool": the RFM segment named is the audience exported
        # (not a segment's word inside a prediction cue: "高流失风险的客户名单" is the scores).
        return None
    if _names_rfm_segments(question) and _store_metrics(question, ctx):
        # "流失风险客户上个月下单数": a store metric of the (RFM) at-risk group is that metric
        # filtered by the segment, not a churn model; the metric reading answers or asks.
        return None
    from copilot.offline.intents.audience import asks_to_save
    from copilot.offline.intents.rule_parts import churn_probability_bound

    if asks_to_save(question) and churn_probability_bound(question.raw) is not None:
        # "圈一批人：…流失概率高于0.6": the scores are a condition of the segment saved.
        return None
    if stated_conditions(question):
        # "at risk of churning: nothing in 90 days, 3+ orders", "有流失风险：三个月没消费，至少
        # 买过3次": the conditions say who is meant; the prediction would drop them, so the
        # rule readers answer (a segment with every condition) or ask back naming them.
        return None
    if (
        horizon_days(raw) is None
        and _names_rfm_segments(_without_cues(question)) == 1
        and _cue_names_a_layer(kept)
    ):
        # "流失预警那层（At Risk）有多少人": the churn word is the nickname of the RFM layer
        # named beside it; its size and spend are the RFM table's, never a prediction.
        return None
    args: dict[str, Any] = {}
    if segment is not None:
        # "Champions likely to leave": everyone is scored, the members of that segment listed.
        args["segment"] = segment
    if question.time_range and any(re.search(w, raw) for w in reader_words("as_of")):
        # "as of the end of September", "截至8月底": scored at the period's last day.
        args["cutoff"] = question.time_range
    days = horizon_days(raw)
    if days is not None:
        args["horizon_days"] = days
    return args


def horizon_days(raw: str) -> int | None:
    """The days ahead a churn question looks ("next 60 days", "the coming month", "未来一个季度"),
    or None when it names none (or a span outside 7..365 days)."""
    raw = raw.lower()
    match = _HORIZON.search(raw)
    if match:
        number, unit = next(
            match.groups()[i : i + 2] for i in range(0, len(match.groups()), 2) if match.groups()[i]
        )
        days = to_int(number) * _DAYS_PER[unit]
    else:
        # One unit ahead without a number: "the coming month", "next quarter", "下个月".
        unit_match = _UNIT_AHEAD.search(raw)
        if not unit_match:
            return None
        days = _UNIT_DAYS[next(g for g in unit_match.groups() if g)]
    return days if 7 <= days <= 365 else None


def horizon_change(raw: str) -> int | None:
    """The new horizon a short follow-up to a churn prediction states ("make it 30", "what
    about 60 days?", "改成30天呢"), or None: a bare number there can only be the days ahead."""
    days = horizon_days(raw)
    if days is not None:
        return days
    match = _BARE_DAYS.fullmatch(raw.strip().lower())
    if not match:
        return None
    days = to_int(next(g for g in match.groups() if g))
    return days if 7 <= days <= 365 else None


_VALUE_GROUP_ASK = N_(
    "I read a churn prediction for “{group}” only, but the prediction scores every customer "
    "and cannot be limited to a group. “{group}” by RFM: the most valuable customers are the "
    "{segments} segments. Which do you mean? Ask for the churn risk of every customer, or "
    "for one of these segments with a churn probability bound (e.g. “{example}”), and I "
    "count its members."
)
_EXAMPLE = N_("save a segment: {segment} with churn probability over 70%")


# A team of the company after a value tier's word ("the VIP team", "VIP客服组"): who the
# result is for, not which customers.
_OUR_TEAM = re.compile(
    r"(?i)\s*(?:(?:care|service|sales|account|success|support)\s+)?(?:team|desk|squad|department|reps?)\b"
    r"|\s*(?:客服|销售|运营|服务)?(?:团队|组|部门|专员|小组)"
)


def _group_problem(question: Question, kept: str, ctx: PlannerContext) -> str | None:
    """The question back when the prediction is asked for a value tier the store does not
    hold ("高价值客户", "VIPs"): offered the RFM segments of the most valuable customers,
    frequency scores 4-5."""
    from copilot.offline.intents.audience import asks_to_save

    if asks_to_save(question) or _store_metrics(question, ctx):
        return None  # the group is the segment saved, or the metric's filter
    language = question.language
    tier = reader_pattern("value_tier_words").search(kept)
    if tier is not None and _OUR_TEAM.match(kept, tier.end()):
        # "a call list for the VIP team", "给VIP客服组": the team the list is for, one of
        # ours, is no group of customers the prediction is limited to.
        tier = None
    if tier is not None:
        rules = [r for r in SEGMENT_RULES if min(r.f_scores) >= 4]
        names = [tr(language, "“{word}”", word=segment_name(r.name, language)) for r in rules]
        example = tr(language, _EXAMPLE, segment=segment_name(rules[0].name, language))
        word = question.raw[tier.start() : tier.end()].strip()
        segments = join_list(names, language)
        return tr(language, _VALUE_GROUP_ASK, group=word, segments=segments, example=example)
    return None


def _one_segment(question: Question, kept: str, ctx: PlannerContext) -> str | None:
    """The one RFM segment a prediction is limited to ("Loyal Customers likely to lapse",
    "冠军客户里谁会流失"), the churn-risk words themselves ("有流失风险", "at risk of
    churning") not counted as the At Risk segment; None when no segment, or several, or the
    segment is an audience exported or saved."""
    from copilot.offline.intents.audience import asks_to_save
    from copilot.offline.intents.segments import rfm_segment_names  # segments imports more

    if asks_to_save(question) or _store_metrics(question, ctx):
        return None
    rest = kept
    for pattern in _PREDICTION_WORDS:
        rest = re.sub(_pattern(pattern), " ", rest)
    if rest == kept:
        return None
    named = set(rfm_segment_names(replace(question, raw=rest)))
    if len(named) != 1 or asks_for_export(question):  # the segment's audience exported
        return None
    return named.pop()


def stated_conditions(question: Question) -> list[str]:
    """The words of customer conditions written beside the churn words: an order count ("at
    least 3 times", "三次及以上"), an amount spent ("spent over 1000", "消费超过5000") or no
    order in a span ("haven't ordered in 90 days", "三个月没消费")."""
    from copilot.offline.intents.rule_parts import stated_rule_conditions

    words = stated_rule_conditions(question.raw)
    if _HORIZON.search(question.raw.lower()) or _FUTURE.search(question.raw.lower()):
        # "接下来两个月可能不再购买的人", "anyone set to go quiet for the 60 days ahead": no order
        # from now on is what churn means, the prediction itself, not a condition it drops.
        words = [w for w in words if not _NO_MORE.search(w)]
    return words


# A question about what is ahead ("可能", "will", "likely"), and the no-order words that then
# mean no order from now on ("不再下单", "not buy again").
_FUTURE = re.compile(r"可能|将会|会不会|\b(?:will|won'?t|likely|might|may|going to)\b")
_NO_MORE = re.compile(r"^(?:不再|再也不)|\bagain\b", re.I)


def conditions_unread(words: list[str], language: str) -> str:
    """A question back naming the conditions said beside churn words that no segment reading
    placed: the churn prediction alone would drop them."""
    return tr(
        language,
        "I read a churn-risk list with the conditions {words}, but I could not build a segment "
        "with all of them, and the churn prediction alone would drop them. Please state each "
        "as a segment condition (e.g. “customers with at least 3 orders and no order in the "
        "last 90 days”), or ask for the churn risk of every customer.",
        words=join_list([tr(language, "“{word}”", word=w) for w in words], language),
    )


def _store_metrics(question: Question, ctx: PlannerContext) -> list[str]:
    """The semantic model's metrics the question names, other than churn itself."""
    named = metrics_named(question.text, ctx.semantic_model)
    return [m for m in named if "churn" not in m]


def asks_for_export(question: Question) -> bool:
    """Whether the question asks for an audience export (audience imports more)."""
    from copilot.offline.intents.audience import asks_for_export as asks

    return asks(question)


def _cue_names_a_layer(kept: str) -> bool:
    """Whether a prediction word is followed by a layer noun or a bracket ("流失预警那层",
    "churn-risk bucket", "at-risk（At Risk）"; lexicon reader_words churn_cue_as_layer): the
    word names a segment layer, not a prediction asked for."""
    after = reader_pattern("churn_cue_as_layer")
    for word in _PREDICTION_WORDS:
        for found in re.finditer(_pattern(word), kept):
            if after.match(kept[found.end() :]):
                return True
    return False


def without_layer_nickname(text: str) -> str:
    """`text` with every prediction word used as a layer's nickname ("流失预警那层", "the
    churn-risk bucket") blanked: it names the RFM segment said beside it, no metric."""
    after = reader_pattern("churn_cue_as_layer")
    for word in _PREDICTION_WORDS:
        for found in list(re.finditer(_pattern(word), text)):
            if after.match(text[found.end() :]):
                text = (
                    text[: found.start()]
                    + " " * (found.end() - found.start())
                    + text[found.end() :]
                )
    return text


def _names_rfm_segments(question: Question) -> int:
    """How many distinct RFM segments the question names."""
    from copilot.offline.intents.segments import rfm_segment_names  # segments imports more

    return len(set(rfm_segment_names(question)))


def _without_cues(question: Question) -> Question:
    """The question with its Chinese prediction cues ("高流失风险", "有流失风险") blanked: a
    risk level there holds the At Risk segment's word (流失风险) but names no segment. (An
    English cue may hold the name itself: "pull the At Risk list".)"""
    raw = question.raw
    for word in (w for w in _PREDICTION_WORDS if has_cjk(w)):
        raw = re.sub(_pattern(word), lambda m: " " * len(m.group(0)), raw, flags=re.I)
    return replace(question, raw=raw)


def _pattern(word: str) -> str:
    return word if re.search(r"[\u4e00-\u9fff]", word) else rf"(?<![a-z]){word}(?![a-z])"


def write_churn_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """Model quality against the baseline, the risk groups, the drivers and a next step."""
    data = output.data
    bands, drivers = data["bands"], data["drivers"]
    count = lambda n: format_count(n, language)  # noqa: E731
    share = lambda x: format_percent(x, language, 0)  # noqa: E731
    thresholds = data["thresholds"]
    if data.get("segment"):
        # Limited to one segment: every customer was scored, the counts are its members'.
        head = tr(
            language,
            "Churn risk for the next {days} days for the “{segment}” segment: {customers} of "
            "its members scored as of {date} (the model scored all {all} customers; churned = "
            "no valid order in the next {days} days):",
            days=data["horizon_days"],
            segment=segment_name(data["segment"], language),
            customers=count(data["scored_customers"]),
            all=count(data["all_scored"]),
            date=data["as_of"],
        )
    else:
        head = tr(
            language,
            "Churn risk for the next {days} days, scored for {customers} customers as of {date} "
            "(churned = no valid order in the next {days} days):",
            days=data["horizon_days"],
            customers=count(data["scored_customers"]),
            date=data["as_of"],
        )
    lines = [
        head,
        # Every scored customer is in one group: the lapsed ones are no "risk" but are counted.
        tr(
            language,
            "- already lapsed (no valid order in the last {active_days} days, so churned by this "
            "definition; a win-back audience, listed last): {lapsed}; still ordering in that "
            "window: {reachable}",
            active_days=thresholds["active_days"],
            lapsed=count(data["lapsed_customers"]),
            reachable=count(data["reachable_customers"]),
        ),
        tr(
            language,
            "- of these, high risk (p >= {high}): {count}",
            high=share(thresholds["high"]),
            count=count(bands["high"]),
        ),
        tr(
            language,
            "- medium risk: {medium}; likely to buy again (p < {low}): {likely}",
            medium=count(bands["medium"]),
            low=share(thresholds["low"]),
            likely=count(data["likely_to_buy_again"]),
        ),
        _validation_line(data, language),
    ]
    if drivers:
        texts = [d["text_zh"] if language == "zh" else d["text_en"] for d in drivers]
        lines.append(tr(language, "- drivers: {drivers}", drivers=tr(language, "; ").join(texts)))
    lines.append(
        "\n"
        + tr(
            language,
            "Next: export the high-risk customers who still ordered recently for a win-back SMS "
            "(SMS-consented only), and keep a holdout group to measure it.",
        )
    )
    return "\n".join(lines)


# Shown figures this close (relative difference) are "about equal", not better or worse.
_ABOUT_EQUAL = 0.02


def _comparison_word(model: float, baseline: float, language: str) -> str:
    """Better, worse or about equal: of the figures as shown, so the word cannot contradict them."""
    if abs(model - baseline) <= _ABOUT_EQUAL * max(abs(baseline), 1e-9):
        return tr(language, N_("about equal"))
    return tr(language, N_("better") if model > baseline else N_("worse"))


def _validation_line(data: dict, language: str) -> str:
    """Model against the recency baseline on AUC and on top-decile lift, each with its own
    verdict (the model can be better on one and equal on the other); a caution when the model
    does not beat the baseline on AUC."""
    v = data["validation"]
    number = lambda x, d: format_number(x, language, d, fixed=True)  # noqa: E731
    auc, baseline_auc = round(v["model_auc"], 3), round(v["baseline_auc"], 3)
    lift, baseline_lift = round(v["model_lift"], 2), round(v["baseline_lift"], 2)
    line = tr(
        language,
        "- out-of-time check (trained at {train}, tested at {test}): model AUC {auc} vs "
        "{baseline_auc} for a recency-only baseline ({auc_verdict}); top-decile lift {lift} vs "
        "{baseline_lift} ({lift_verdict})",
        train=data["train_cutoff"],
        test=data["test_cutoff"],
        auc=number(auc, 3),
        baseline_auc=number(baseline_auc, 3),
        auc_verdict=_comparison_word(auc, baseline_auc, language),
        lift=number(lift, 2),
        baseline_lift=number(baseline_lift, 2),
        lift_verdict=_comparison_word(lift, baseline_lift, language),
    )
    if not data["beats_baseline"]:
        line += tr(language, "; ") + tr(
            language, "the model does not beat the baseline: use with care"
        )
    return line


CHURN_INTENT = Intent(tool="predict_churn", read=read_churn_question, write=write_churn_answer)
