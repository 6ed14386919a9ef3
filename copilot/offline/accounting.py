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
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from copilot.offline.festivals import unknown_event_problem
from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question, clean_period_phrase
from copilot.offline.vocabulary import (
    blank,
    dimension_synonyms,
    load_lexicon,
    metric_synonyms,
    reader_words,
    suggestions,
    unplaced_words,
    unsupported_in,
)
from copilot.outcome import Refusal  # an honest "cannot" (status refused), still a str
from knowledge.time_ranges import find_period


def unsupported_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A refusal naming the thing asked about when the semantic model does not measure it."""
    model = ctx.semantic_model
    known_metrics = blank(question.text, [w for ws in metric_synonyms(model).values() for w in ws])
    found = unsupported_in(known_metrics, model)
    if found is None:
        return None
    missing, word = found
    whole = unsupported_in(question.text, model)
    if whole is not None and word in whole[1] and len(whole[1]) > len(word):
        # "gross margin": "gross" alone names gross sales, but the whole phrase is unmeasured.
        missing, word = whole
    if question.language == "zh":
        return Refusal(
            f"这家店的语义模型里还没有「{word}」（{missing.name_zh}）这个指标，所以我不能回答，"
            "也不会用别的指标（比如订单数或销售额）代替。可以换成已有的指标问，例如销售额、订单数、客单价。"
        )
    return Refusal(
        f"I can't measure “{word}” ({missing.name_en}): the store's semantic model has no such metric, "
        "and I won't answer with a different one (such as all orders or revenue) instead. "
        "Ask about a metric it has, e.g. revenue, orders or AOV."
    )


def misspelt_metric_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A clarifying question when an unplaced word is a near-miss of a metric name ("reveune")."""
    model = ctx.semantic_model
    words = [w for w in unplaced_words(question.text, model) if len(w) >= 4]
    choices = [w for ws in metric_synonyms(model).values() for w in ws if len(w) >= 4]
    for word in words:
        close = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=80)
        if close:
            if question.language == "zh":
                return f"「{word}」是指「{close[0]}」吗？请确认后再问，我不想回答成另一个问题。"
            return (
                f"Did you mean “{close[0]}” by “{word}”? Please confirm; I'd rather ask than "
                "answer a different question."
            )
    return None


def metric_question_problem(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """A clarifying question (or refusal) when a metric question has parts the planner cannot place."""
    model = ctx.semantic_model
    zh = question.language == "zh"
    unmeasured = unsupported_problem(question, ctx) or unknown_event_problem(question, ctx)
    if unmeasured:
        return unmeasured
    if _BOTH.search(question.raw) and args.get("time_range") and _two_periods(question.raw):
        # "customers who bought in both 2025 and 2026" is an overlap, not a comparison.
        if zh:
            return Refusal(
                "“两个时期都购买”的客户（两期的交集）不是指标查询能直接算的，我不想用两期各自的购买人数代替。"
                "可以分别问每期的购买人数，或用“同期群留存”查看留存。"
            )
        return Refusal(
            "Customers who bought in both periods (the overlap) is not something the metric "
            "query computes, and I won't answer with each period's buyers instead. Ask for each "
            "period's buyers, or for cohort retention."
        )
    marketplace = MARKETPLACE.search(question.raw)
    if marketplace:
        # "our Taobao store": a sales channel the store's data does not have.
        return _name_unplaced([marketplace.group(0)], _reading(args, ctx, zh), ctx, zh)
    excluded = _EXCLUSION.search(question.raw)
    if excluded:
        # "revenue excluding Shanghai": the metric query filters values in, never out, and the
        # value alone would read as the filter: the opposite of the question.
        return _exclusion_question(excluded.group(0).strip(), _reading(args, ctx, zh), zh)
    unfiltered = _unfiltered_segments(question, args, ctx) or _channel_mismatch(question, args, ctx)
    if unfiltered:
        return unfiltered
    text = question.text
    if "campaign" in args.get("dimensions", []):
        # "campaign performance review", "活动效果复盘": read as the campaigns' review figures.
        raw = question.raw.lower()  # the cue may span the period phrase ("618 campaigns")
        for cue in reader_words("campaign_review") if len(raw) == len(text) else ():
            for found in re.finditer(cue, raw):
                text = text[: found.start()] + " " * len(found.group(0)) + text[found.end() :]
    if (args.get("filters") or {}).get("signup_channel"):
        text = blank(text, list(_SIGNUP_WORDS))  # read as the signup-channel filter
    other = find_period(text, date.today())
    if args.get("compare_to"):
        # The second period of "compare ... with 2024年双十一" was read as the comparison.
        text = blank(text, [str(args["compare_to"]).lower()])
        other = find_period(text, date.today())
        if other is not None:
            start, end = other.span
            text = text[:start] + " " * (end - start) + text[end:]
    elif other is not None and args.get("time_range"):
        # A second period the call does not use ("去年双11 ... 前年双11" without a comparison
        # word): answering the first alone would drop half the question.
        phrase = clean_period_phrase(other.phrase(text))
        return _name_unplaced([phrase], _reading(args, ctx, zh), ctx, zh)
    if args.get("compare_to") or _two_periods(question.raw):
        # "mom change in orders", "同比增幅": a word of change names the comparison made.
        text = blank(text, list(reader_words("change_words")))
    words = unplaced_words(text, model)
    if not words:
        return None
    words = [whole_phrase(w, question) for w in words]
    return _name_unplaced(words, _reading(args, ctx, zh), ctx, zh)


def _unfiltered_segments(
    question: Question, args: dict[str, Any], ctx: PlannerContext
) -> str | None:
    """A question back when the question names an RFM segment ("revenue from Champions")
    that the call does not filter by: no RFM run is saved, so the segment has no members
    to filter on, and the store-wide figure would answer a different question."""
    from copilot.offline.intents.metrics import rfm_segments_named

    named = rfm_segments_named(question, ctx.semantic_model)
    if not named or (args.get("filters") or {}).get("rfm_segment"):
        return None
    names = ", ".join(named)
    if question.language == "zh":
        return (
            f"「{names}」是RFM分群，但这家店还没有保存的RFM分群结果，所以无法按它筛选；"
            "我不想给出全店的数字代替。请先说“按RFM给客户分群”，再问一次。"
        )
    return (
        f"“{names}” is an RFM segment, but no RFM segmentation is saved in this store yet, so "
        "I can't filter by it, and I won't answer with the whole store's figure instead. Ask "
        "me to “segment customers by RFM” first, then ask again."
    )


_MESSAGE_FACT = "campaign_messages"


def _metric_facts(model: Any, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The facts a metric is computed over (through ratios and formulas); a special metric
    (repurchase, churn) counts orders."""
    if name in seen or name not in model.metrics:
        return set()
    metric = model.metric(name)
    facts = {m.fact for m in metric.measures}
    parts = list(metric.ratio or ())
    if metric.formula:
        parts += [w for w in re.findall(r"[a-z_]+", metric.formula) if w in model.metrics]
    for part in parts:
        facts |= _metric_facts(model, part, seen | {name})
    return facts or ({"valid_orders"} if metric.special else set())


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
    zh = question.language == "zh"
    names = "、".join(wrong) if zh else ", ".join(wrong)
    if not on_messages:
        if zh:
            return (
                f"「{names}」是营销消息的渠道，而订单是通过 app、官网、小程序或门店下的，所以按它筛选订单会是空的。"
                f"您是想看{names}活动带来的归因销售额、转化数，还是某个下单渠道的数字？"
            )
        return (
            f"“{names}” is a marketing (message) channel, but orders come in through the app, "
            "web, mini program or store, so filtering orders by it would come back empty. Do "
            f"you mean the attributed revenue or conversions of {names} campaigns, or an order "
            "channel?"
        )
    if zh:
        return (
            f"「{names}」是下单渠道，而营销消息是通过短信、邮件、推送或社交发送的。"
            "您是想看哪个营销渠道的数字，还是这个下单渠道的订单或销售额？"
        )
    return (
        f"“{names}” is an order channel, but marketing messages go out by SMS, email, push or "
        "social. Do you mean a marketing channel's figure, or orders and revenue through "
        f"{names}?"
    )


def unplaced_problem(question: Question, ctx: PlannerContext) -> str | None:
    """For a question no intent could read: a clarification naming the words not understood,
    when it looks like a data question (a period, a store value or a breakdown is named)."""
    festival = unknown_event_problem(question, ctx)
    if festival:
        return festival
    campaign = unknown_campaign_problem(question, ctx)
    if campaign:
        return campaign
    if not (question.time_range or question.filters):
        return None
    model = ctx.semantic_model
    words = unplaced_words(question.text, model)
    metric_like = [m for m in (_metric_like(w, question.raw) for w in words) if m]
    metric_like = metric_like or _short_metric_words(question.text, model)
    if metric_like:
        # "加购率", "bounce ratio": an unknown word made a metric by its suffix.
        return _name_unplaced(metric_like, "", ctx, question.language == "zh")
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
        return _name_unplaced(acronyms, "", ctx, question.language == "zh")
    if not any(
        process.extractOne(w, vocabulary, scorer=fuzz.ratio, score_cutoff=80) for w in words
    ):
        return None
    words = [whole_phrase(w, question) for w in words]
    return _name_unplaced(words, "", ctx, question.language == "zh")


def unknown_campaign_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A question back when a campaign is named by words the store does not hold ("the
    Summer Splash campaign", "星空促销"): it names them and lists the store's campaigns
    (the closest first), rather than refusing or answering for every campaign."""
    from copilot.offline.campaigns import store_campaigns

    nouns = sorted(reader_words("campaign_nouns"), key=len, reverse=True)
    noun = "|".join(re.escape(n) for n in nouns)
    after = re.compile(rf"^[\s\"'“”「」]*(?:{noun})(?![a-z])")
    before = re.compile(
        rf"(?<![a-z])(?:{noun})[\s\"'“”「」:：]*(?:called|named|叫)?[\s\"'“”「」]*$"
    )
    text = question.text
    name = None
    for word in unplaced_words(text, ctx.semantic_model):
        inside = re.search(noun, word[1:]) if _CJK_RE.match(word) else None
        if inside:  # "星空促销效果": the name is the run before its campaign noun
            name = word[: inside.start() + 1]
            break
        at = text.find(word)
        if at >= 0 and (after.match(text[at + len(word) :]) or before.search(text[:at])):
            # "win-back": the whole hyphenated name, though "win" alone is a function word
            while (
                at > 0
                and re.match(r"[\w'’-]", question.raw[at - 1])
                and not _CJK_RE.match(question.raw[at - 1])
            ):
                at -= 1
            name = whole_phrase(question.raw[at : text.find(word)].lower() + word, question)
            break
    if name is None:
        return None
    campaigns = store_campaigns(ctx.values)
    zh = question.language == "zh"
    partial = [c for c in campaigns if name.lower() in c.lower()]
    if partial:  # "the win-back campaign": more than one store campaign has that name
        listing = ("、" if zh else ", ").join(partial[:6])
        if zh:
            return f"店里有几个活动叫「{name}」：{listing}。您指的是哪一个？"
        return f"More than one of the store's campaigns is called “{name}”: {listing}. Which one do you mean?"
    close = [
        c
        for c, _, _ in process.extract(
            name, campaigns, scorer=fuzz.WRatio, limit=3, score_cutoff=60
        )
    ]
    shown = list(dict.fromkeys([*close, *campaigns]))[:6]
    listing = ("、" if zh else ", ").join(shown)
    if zh:
        return (
            f"店里没有叫「{name}」的活动，我不想用别的活动或全店的数字代替。"
            + (f"店里的活动有：{listing}。" if shown else "")
            + "您指的是哪一个？"
        )
    return (
        f"I don't know a campaign called “{name}” in this store, and I won't answer for "
        "another campaign or the whole store instead."
        + (f" The store's campaigns include: {listing}." if shown else "")
        + " Which one do you mean?"
    )


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


# Marketplaces: a shop there is a sales channel the demo data (and most stores') lacks.
MARKETPLACE = re.compile(
    r"\b(?:taobao|tmall|jd(?:\.com)?|pinduoduo|amazon)\b|淘宝|天猫|京东|拼多多|亚马逊", re.I
)
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
_METRIC_SUFFIX_EN = re.compile(r"\s+(?:rate|ratio|value|score|margin|cost)s?\b")


def _metric_like(word: str, raw: str) -> str | None:
    """The word with its metric suffix when the question writes one after it ("加购" + "率",
    "bounce" + " rate"): an unknown metric, worth naming; else None."""
    lowered = raw.lower()
    at = lowered.find(word)
    if at < 0:
        return None
    end = at + len(word)
    if "\u4e00" <= word[0] <= "\u9fff":
        return raw[at : end + 1] if raw[end : end + 1] in tuple(_METRIC_SUFFIX_ZH) else None
    suffix = _METRIC_SUFFIX_EN.match(lowered, end)
    return raw[at : suffix.end()] if suffix else None


def _short_metric_words(text: str, model: Any) -> list[str]:
    """Unknown Chinese metrics of one character and a metric suffix ("流率", "购额"): the
    reader drops a one-character leftover, so nothing else would name them."""
    known = [w for ws in metric_synonyms(model).values() for w in ws]
    known += [w for ws in dimension_synonyms(model).values() for w in ws]
    text = blank(text, known)
    chinese = {w for w in load_lexicon().function_words if "\u4e00" <= w[:1] <= "\u9fff"}
    found = []
    for m in re.finditer(rf"(?<=(.))([\u4e00-\u9fff])[{_METRIC_SUFFIX_ZH}]", " " + text):
        before, stem = m.group(1), m.group(2)
        if stem in chinese or not (before in chinese or not "\u4e00" <= before <= "\u9fff"):
            continue  # a function word ("的率"), or the end of a longer unknown word
        found.append(m.group(0))
    return found


def whole_phrase(word: str, question: Question) -> str:
    """The whole phrase the user wrote around an unplaced word, as written: the entity noun
    before a Chinese word ("会员" + "等级"), and after a Latin one a short number ("iPhone 16",
    "Dubble 12") or a word that was read as a store value ("pet" + "food": not the food
    category, but pet food)."""
    if "\u4e00" <= word[:1] <= "\u9fff":
        return _with_attribute(_with_entity(word, question.raw), question.raw)
    lowered = question.raw.lower()
    at = lowered.find(word)
    if at < 0 or len(question.text) != len(lowered):
        return word
    end = at + len(word)
    function_words = load_lexicon().function_words
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


def _with_attribute(word: str, raw: str) -> str:
    """A Chinese unknown word with the attribute noun written right after it ("设备" +
    "类型"): the attribute the user named."""
    at = raw.find(word)
    if at < 0:
        return word
    rest = raw[at + len(word) :]
    for noun in sorted(reader_words("attribute_nouns"), key=len, reverse=True):
        if "\u4e00" <= noun[:1] <= "\u9fff" and rest.startswith(noun):
            return word + noun
    return word


def _with_entity(word: str, raw: str) -> str:
    """A Chinese unknown word with the entity noun written right before it ("会员" + "等级"):
    the phrase the user wrote ("会员等级"), not its last half."""
    if not word or not ("\u4e00" <= word[0] <= "\u9fff"):
        return word
    at = raw.find(word)
    for entity in sorted(
        (w for ws in load_lexicon().countable.values() for w in ws), key=len, reverse=True
    ):
        if at >= len(entity) and raw[at - len(entity) : at] == entity:
            return entity + word
    return word


def _name_unplaced(words: list[str], reading: str, ctx: PlannerContext, zh: bool) -> str:
    model = ctx.semantic_model
    parts = []
    # The closest metrics by their labels in the answer's language ("流失率", not "churn rate").
    labels = {
        m.label.in_language("en").lower(): m.label.in_language("zh" if zh else "en")
        for m in model.metrics.values()
    }
    for word in words[:3]:
        close = [labels.get(c, c) for c in suggestions(word, model, ctx.values)]
        if zh:
            hint = (
                f"（最接近的：{'、'.join(close)}）"
                if close
                else "（不是我知道的指标、维度或店内的值）"
            )
            parts.append(f"「{word}」{hint}")
        else:
            hint = (
                f" (closest I know: {', '.join(close)})"
                if close
                else " (not a metric, breakdown or value I know in this store)"
            )
            parts.append(f"“{word}”{hint}")
    # The breakdowns by their labels in the answer's language (the semantic model's).
    dims = ("、" if zh else ", ").join(
        sorted(d.label.in_language("zh" if zh else "en").lower() for d in model.dimensions.values())
    )
    if zh:
        return (
            f"我不确定这部分是什么意思：{'；'.join(parts)}。我不想忽略它而给出另一个问题的数字"
            + (f"（其余部分我读作：{reading}）" if reading else "")
            + f"。请换个说法，或从这些维度中选择：{dims}。"
        )
    return (
        f"I'm not sure what you mean by {'; '.join(parts)}. Rather than drop it and answer a "
        "different question"
        + (f" (I read the rest as: {reading})" if reading else "")
        + f", could you rephrase? I can break metrics down by: {dims}."
    )


# Words that leave something out ("excluding Shanghai", "other than the app", "除了上海以外").
_EXCLUSION = re.compile(
    r"\b(?:excluding|exclude[sd]?|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from"
    r"|outside(?:\s+of)?|not\s+(?:in|from|including|counting))\b(?:\s+(?:the|our))?\s+[^\s,.?!;]+"
    r"|(?:除了|除去|去掉|剔除|排除|不含|不包括|不包含|不算)"
    r"(?:[^，。？！；,?的]{1,8}?(?:以外|之外)|[^，。？！；,?的]{1,4})"
    r"|[^，。？！；,?\s的了月年天周]{1,6}(?:以外|之外)",
    re.I,
)


def _exclusion_question(phrase: str, reading: str, zh: bool) -> str:
    """Ask back on a value to leave out: the metric query can only filter values in."""
    if zh:
        return (
            f"我还不能从数字里排除某个值（「{phrase}」），也不想把它读成只看这个值或全店的数字。"
            f"可以按相应维度拆分（例如按城市），或只问某一个值。（其余部分我读作：{reading}）"
        )
    return (
        f"I can't leave a value out of a figure yet (“{phrase}”), and I won't answer for that "
        "value alone or for the whole store instead. Ask for a breakdown (e.g. by city) to "
        f"read the others, or for one value. (I read the rest as: {reading})"
    )


_BOTH = re.compile(r"\bboth\b|都(?:买|购买|下单|有)|两(?:年|个月|期)都|同时", re.I)


def _two_periods(text: str) -> bool:
    match = find_period(text, date.today())
    return match is not None and match.compare_to is not None


def _reading(args: dict[str, Any], ctx: PlannerContext, zh: bool) -> str:
    """What the planner understood so far, in words: "revenue, last month, by city"."""
    model = ctx.semantic_model
    language = "zh" if zh else "en"
    parts = [model.metric(m).label.in_language(language) for m in args.get("metrics", [])]
    if args.get("time_range"):
        parts.append(str(args["time_range"]))
    for dimension in args.get("dimensions", []):
        label = model.dimension(dimension).label.in_language(language)
        parts.append(f"按{label}" if zh else f"by {label.lower()}")
    for values in (args.get("filters") or {}).values():
        parts.append("、".join(values) if zh else ", ".join(values))
    return ("，" if zh else ", ").join(parts)
