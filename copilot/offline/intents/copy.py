"""Copy requests: reading "write an SMS for each RFM segment ..." into generate_copy calls.

Everything the marketer said goes into the call: segments, channel, language,
variants, product or category, offer, occasion (event), promo code, deadline,
tone and call to action, in English and Chinese. The reader accounts for every
word: what it cannot place (nor dismiss as a function word) is passed as
`unclear`, so the tool asks about it instead of writing copy that drops it.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.intents.metrics import error_in
from copilot.offline.intents.rule_parts import described_group
from copilot.offline.question import Question, compiled_word, named
from copilot.offline.vocabulary import (
    load_lexicon,
    metric_synonyms,
    reader_pattern,
    reader_words,
)
from knowledge.lazy_regex import lazy_compile
from knowledge.presentation import N_, channel_name, join_list, ntr, segment_name, tr
from knowledge.time_ranges.numerals import to_int
from tools.base import ToolOutput
from tools.copywriting.category_words import CATEGORY_WORDS
from tools.copywriting.occasions import (
    campaign_events,
    find_deadline,
    find_event,
    find_promo_code,
)
from tools.copywriting.phrases import CATEGORY_EN, CATEGORY_ZH
from tools.segments.rfm import SEGMENT_RULES


def _write_verb(raw: str) -> bool:
    """Whether a verb of writing itself is said (lexicon reader_words.write_verbs: not
    "make" / "create", which also make lists and segments)."""
    return bool(reader_pattern("write_verbs").search(raw))


def _asks_to_write(raw: str) -> bool:
    """Whether a verb of writing or of making is said (write_verbs, make_verbs)."""
    return _write_verb(raw) or bool(reader_pattern("make_verbs").search(raw))


# (channel, pattern): the first channel named wins; search ads before plain "ad".
_CHANNELS: tuple[tuple[str, str], ...] = (
    ("sms", r"\bsms\b|\btext messages?\b|\btexts?\b|短信"),
    ("email", r"\be-?mails?\b|\bedms?\b|\bnewsletter\b|邮件"),
    ("push", r"\bpush\b|\bnotifications?\b|\bnotifs?\b|推送"),
    (
        "search_ad",
        r"\b(?:paid )?search ads?\b|\bpaid search\b|\bsem\b"
        # ("social ad headline": the platform named before the ad's part is that platform's ad)
        r"|(?<!social )(?<!wechat )(?<!weibo )\bad headlines?\b|\bads?\b"
        r"|搜索广告|搜索推广|竞价广告|关键词广告|广告",
    ),
    (
        "social",
        r"\bsocial(?: media)?(?: ads?| posts?)?\b|\bposts?\b|\bweibo\b|\bwechat\b"
        # (社媒 / 社交媒体: social media, shortened or in full)
        r"|(?:社交媒体|社交|社媒|朋友圈|微博|小红书)(?:广告|帖子|文案)?|帖子",
    ),
)


def names_copy(raw: str) -> bool:
    """Whether the text names copy itself ("ad copy", "文案", "a tagline")."""
    return bool(_COPY_WORDS.search(raw))


def _channel_named(raw: str) -> str | None:
    """The copy channel the request names: the longest channel phrase wins, so "社交广告" /
    "social ads" are social, not the search ads a bare "广告" / "ad" would mean."""
    best: tuple[int, str] | None = None
    for channel, pattern in _CHANNELS:
        # ASCII word boundaries: a Latin word written against Chinese ("召回push") is a word.
        for match in re.finditer(pattern, raw, re.I | re.A):
            size = match.end() - match.start()
            if best is None or size > best[0]:
                best = (size, channel)
    return best[1] if best else None


# Questions about numbers, even when they name a channel ("make a chart of email revenue").
_ANALYSIS = lazy_compile(
    r"\b(?:charts?|reports?|rates?|revenue|tables?|how many|how much|trend)\b|图表|报表|多少|趋势|分析",
    re.I,
)
# Questions about the rules of copy ("how long can an SMS be?") belong to the guidelines.
# "帮我写…，退订说明要怎么写都行", "write me an SMS: how should we word it?": a request to write.
_WRITE_FOR_ME = lazy_compile(r"帮我|给我|替我|\b(?:write|draft)\s+(?:me|us)\b|\bcan you\b", re.I)
_RULES_QUESTION = lazy_compile(
    r"\bhow (?:long|many characters)\b|\b(?:limits?|rules?|allowed|can we say|banned)\b"
    r"|多长|多少(?:个)?字|几个字|最多几|字数|能不能|可以说|规则|限制|规范|禁用",
    re.I,
)
# "How did the email copy perform?" asks about copy already sent; "推送文案有什么最佳实践"
# asks about copy in general (a Chinese question word stands anywhere in the sentence).
_ASKS_ABOUT = lazy_compile(
    r"^\s*(?:how|what|which|why|when|did|does|do|is|are|was|were)\b|吗|怎么样|效果|表现|perform"
    r"|有什么|有哪些|是什么",
    re.I,
)
_COPY_WORDS = lazy_compile(
    r"\bcopy\b|\bcopies\b|\bmessages?\b|\bsubject(?: lines?)?\b|\bheadlines?\b|\btaglines?\b"
    # "headline + description": the body line of an ad is copy too.
    r"|(?<=\+ )descriptions?\b|\b(?:ad |body )descriptions?\b|\bdescriptions?(?= (?:line|text|copy))"
    r"|\bslogans?\b|文案|话术|标题|主题行|口号"
    # "... - 'lowest price' angle": the message's angle is copy's.
    r"|\b(?:messaging\s+|creative\s+)?angles?\b|主打卖点"
    # "social ad for the Down Jacket", "need a push for Champions": one message of a channel
    # asked for someone or something.
    r"|\b(?:social|search|feed|display|banner|wechat|moments)\s+ads?\b(?=\s+(?:for|about|promoting|on)\b)"
    r"|\b(?:need|want|give me|get me|make)\s+(?:me\s+|us\s+)?(?:an?|one|another)\s+"
    r"(?:push|sms|text|email|ad|post)\s+(?:for|about|to)\b",
    re.I,
)
# What a terse brief is about ("sms for At Risk: 15% off skincare", "push for hibernating
# customers promoting the Robot Vacuum"): with a channel and a segment, it asks for copy.
_PROMOTES = lazy_compile(
    r"\b(?:promot(?:e|es|ing)|announc(?:e|es|ing)|featuring|launch(?:ing)?|about)\b"
    # What the message should get them to do: "nudging them toward a second purchase".
    r"|\b(?:nudg(?:e|es|ing)|encourag(?:e|es|ing)|remind(?:s|ing)?|invit(?:e|es|ing)"
    r"|urg(?:e|es|ing)|prompt(?:s|ing)?|get(?:ting)? them to)\b"
    r"|推广|宣传|主推|推荐|上新|介绍|提醒|鼓励|引导|促进",
    re.I,
)
_ALL = lazy_compile(
    r"\b(?:each|every|all)\b[^.?!]{0,20}\bsegments?\b|每个[^，。？]{0,8}(?:分群|群体|客群|细分)"
    r"|所有[^，。？]{0,8}(?:分群|群体|客群)|各个?[^，。？]{0,6}(?:分群|客群)",
    re.I,
)
_OFFER = lazy_compile(
    r"\d+(?:\.\d+)?\s*%\s*off|\d+(?:\.\d+)?\s*折|[一二三四五六七八九]{1,2}折|满\s*\d+\s*减\s*\d+"
    r"|[¥￥$]\s*\d+\s*off(?:\s+(?:orders?|purchases?)\s+(?:over|above)\s+[¥￥$]?\s*\d+)?"
    r"|\bfree\s+shipping\s+on\s+orders?\s+(?:over|above)\s+[¥￥$]?\s*\d+"
    r"|\bfree\s+(?:shipping|delivery|gift)\b|\bhalf[- ]price\b|\bbuy\s+one,?\s+get\s+one(?:\s+free)?\b"
    r"|[¥￥$]\s*\d+\s*(?:coupon|voucher)|\d+\s*元\s*(?:无门槛)?\s*(?:优惠)?券"
    r"|包邮|免运费|买一送一|半价|第二件半价|满\s*\d+\s*(?:元)?\s*包邮",
    re.I,
)
# An offer named without its terms: the tool asks for them rather than invent one.
_VAGUE_OFFER = lazy_compile(
    r"\b(?:a|an|some|the|our|usual|special|big|nice|good)?\s*(?:discounts?|deals?|coupons?|vouchers?"
    r"|offers?|promotions?|money off)\b|优惠(?!码)券?|折扣(?!码)|打折|红包|优惠活动",
    re.I,
)
_TONE = lazy_compile(
    r"\b(?:in\s+an?\s+)?(warm|friendly|playful|fun|formal|professional|calm|upbeat|cheerful|"
    r"casual|elegant|sincere|humble|grateful|light|exclusive|punchy|snappy|bold|witty)(?:\s+(?:and\s+\w+\s+)?(?:tone|voice|style|way))?\b"
    r"|(?:语气|风格|口吻)\s*(?:要)?\s*(温暖|亲切|活泼|俏皮|正式|专业|沉稳|轻松|热情|真诚|高端|优雅)"
    r"|(温暖|亲切|活泼|俏皮|正式|专业|沉稳|轻松|热情|真诚|高端|优雅)\s*(?:一点|些)?\s*的?\s*(?:语气|风格|口吻)",
    re.I,
)
_CTA_ASKED = lazy_compile(
    r"(?:call[- ]to[- ]action|\bcta\b)\s*(?:of|is|:|：)?\s*[\"'“‘]?(?P<en>[^\"'”’,.;!?]{2,40})[\"'”’]?"
    r"|\b(?:end(?:ing)?\s+with|that\s+says)\s+[\"'“‘](?P<quoted>[^\"'”’]{2,40})[\"'”’]"
    r"|(?:行动号召|号召语|结尾(?:写|用|加上?))\s*[:：]?\s*[“\"'‘]?(?P<zh>[^”\"'’，。；！？]{2,20})[”\"'’]?",
    re.I,
)
_ABOUT = lazy_compile(
    r"\b(?:about|for|promoting|announcing|on)\s+(the\s+new\s+[^,.?!]+|our\s+new\s+[^,.?!]+)", re.I
)
_ABOUT_ZH = lazy_compile(
    r"关于([^，。？！]+?)的"
    # "介绍新护肤系列", "主推全新秋季套装": the new thing the message announces.
    r"|(?:介绍|推广|宣传|主推|推出|发布)(?:一下)?(?:我们的)?([\u4e00-\u9fff]{0,4}?新(?!客|用户|会员|顾客)[^，。？！,.]{1,12})"
)
_VARIANTS = lazy_compile(
    # "two push notification variants": up to three words between the number and the noun.
    r"(\d+|two|three|four)\s+(?:[a-z-]+\s+){0,3}?(?:variants?|versions?|options?"
    r"|subject lines?|headlines?|taglines?)"
    # "出三版", "两版文案": a number of versions ("版" alone; not "版本号").
    r"|(\d+|[两二三四])\s*(?:个|种|套)?\s*(?:版本(?!号)|变体|版(?!本))",
    re.I,
)


_ANGLE = lazy_compile(
    r"[\"“'‘]([^\"”'’]{2,60})[\"”'’]\s*(?:messaging\s+|creative\s+)?angle\b"
    r"|\bangle\s*[:：]\s*[\"“'‘]?([^\"”'’,.;]{2,60})"
    r"|以[\"“「]([^\"”」]{2,30})[\"”」]为?(?:主打)?卖点|主打卖点\s*[:：]?\s*[\"“「]?([^\"”」，。]{2,30})",
    re.I,
)

# A claim the marketer asks the copy to make ("say we're the top brand", "就说我们是行业第一"):
# passed to the tool as a claim (it drops one the brand guideline forbids, and says so), not
# asked about word by word.
_CLAIM = lazy_compile(
    r"\b(?:say(?:ing)?|claim(?:ing)?|stat(?:e|ing)|tell\s+them|mention(?:ing)?|call(?:ing)?\s+us|"
    r"position(?:ing)?\s+us\s+as)\s+(?:that\s+)?(?P<en>(?:we(?:'re|’re|\s+are)|(?:it|this)(?:'s|’s|\s+is)|"
    r"(?:the|our)\s+[a-z]+\s+(?:is|are)|the\s+#\s?1|#\s?1|number\s+one)\s*[^,.;!?\n]{0,50}?)"
    r"(?=\s*(?:[,.;!?\n]|$|\s-\s))"
    r"|(?:就说|宣称|声称|号称|说我们是|写上?我们是)(?P<zh>[^，。；！？,;!?\n]{2,30})",
    re.I,
)


def _claims(raw: str) -> list[re.Match[str]]:
    return list(_CLAIM.finditer(raw))


def read_copy_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """generate_copy arguments for a request to write marketing copy, else None."""
    raw = question.raw
    channel = _channel_named(raw)
    # "email copy for Loyal Customers, friendly tone": a request without a verb of writing.
    requested = (
        channel is not None
        and _COPY_WORDS.search(raw)
        and not _ASKS_ABOUT.search(raw)
        # A segment's own name is no metric ("copy for New Customers": not new_customers).
        and not (
            ctx
            and named(_without_segment_names(question.text), metric_synonyms(ctx.semantic_model))
        )
    )
    requested = requested or _terse_brief(question, channel)
    if (
        not (_asks_to_write(raw) or question.has(*reader_words("write_request")) or requested)
        or _ANALYSIS.search(raw)
        # ("keep it under the char limit": the brief's length, not a question on the rules)
        or _RULES_QUESTION.search(reader_pattern("copy_length_limit").sub(" ", raw))
        # ("签名应该怎么写", "how should we word the opt-out line": how the rules want it)
        or (reader_pattern("writing_rule_question").search(raw) and not _WRITE_FOR_ME.search(raw))
        or _asks_another_task(question, raw)
    ):
        return None
    if channel is None and not _COPY_WORDS.search(raw):
        return None
    args: dict[str, Any] = {"segments": _segments(raw), "channel": channel or "sms"}
    lapsed = reader_pattern("lapse_words").search(raw)
    if args["segments"] == "all" and not _ALL.search(raw) and lapsed:
        return AskBack(_which_lapsed(raw[lapsed.start() : lapsed.end()], question.language))
    if args["segments"] == "all" and not _ALL.search(raw):
        described = described_group(question)  # "for customers who buy at night": not all
        if described:
            return AskBack(described)
    goal = _goal(raw)
    if goal:
        args["goal"] = goal
    product = question.filters.get("product") or question.filters.get("category")
    if product:
        args["product"] = product[0]
    args |= _brief_args(raw, ctx)
    if "event" not in args:
        season = _season_event(raw, goal)
        if season:
            args["event"] = season
    args["language"] = _language(raw, question.language)
    variants = _variants(raw)
    if variants:
        args["variants"] = variants
    unclear = unplaced_words(question)
    angle = _ANGLE.search(raw)
    if angle:
        # "'guaranteed lowest price' angle": a claim to lead with, which no part of the brief
        # holds (an offer has terms, a product is the catalogue's): asked about as one phrase.
        phrase = next(g for g in angle.groups() if g).strip()
        unclear = [phrase, *(w for w in unclear if w.lower() not in angle.group(0).lower())]
    claims = _claims(raw)
    if claims:
        args["claims"] = [(m.group("en") or m.group("zh")).strip() for m in claims]
        said = " ".join(m.group(0).lower() for m in claims)
        unclear = [w for w in unclear if w.lower() not in said]
    if unclear:
        args["unclear"] = unclear
    return args


def _which_lapsed(word: str, language: str) -> str:
    """The question back for copy to customers said to have lapsed ("lapsed", "沉睡" without
    a segment's name): the RFM segments of customers gone quiet (recency score 1-2)."""
    names = [
        tr(language, "“{word}”", word=segment_name(r.name, language))
        for r in SEGMENT_RULES
        if max(r.r_scores) <= 2
    ]
    return tr(
        language,
        "“{word}” is not a segment the store holds. In RFM, the customers who have lapsed are "
        "the {segments} segments. Which of them should the copy be for?",
        word=word,
        segments=join_list(names, language),
    )


def _asks_another_task(question: Question, raw: str) -> bool:
    """Whether the words that looked like a copy request ask for something else: whether a
    claim may be used ("广告里能写“全网最低价”吗": the advertising rules), or an export
    ("About to Sleep的短信名单导一下": the list, not a message; export words beat copy words
    unless a verb of writing asks for copy too: "write an email to our mailing list")."""
    lowered = raw.lower()
    if any(re.search(p, lowered) for p in reader_words("permission_question")):
        return True
    if _copy_comes_later(question, raw):
        return True
    return question.has(*reader_words("export_request")) and not _write_verb(raw)


def _copy_comes_later(question: Question, raw: str) -> bool:
    """Whether the writing is the next step after a clustering asked now ("cluster the base
    into personas first, then each one gets its own copy", "做几个画像，后面按画像写文案"): the personas
    are this turn's task, the copy needs them first."""
    if not question.has(*reader_words("personas")):
        return False
    verb = reader_pattern("write_verbs").search(raw)
    if verb is None:
        return False
    before = raw[: verb.start()]
    if any(re.search(p, before, re.I) for p in reader_words("later_step")):
        return True
    # "segment everyone into groups, then a tagline per group": copy for groups that only the
    # clustering asked before the verb will make.
    clustered = any(compiled_word(p).search(before.lower()) for p in reader_words("personas"))
    return clustered and bool(reader_pattern("per_group_copy").search(raw[verb.start() :]))


def _terse_brief(question: Question, channel: str | None) -> bool:
    """Whether the request is a copy brief without a verb of writing: a channel, an RFM
    segment and what to say (an offer, a deadline, a product or "promoting ...")."""
    raw = question.raw
    if channel is None or _ASKS_ABOUT.search(raw):
        return False
    if not _named_segments(raw):
        # "win-back email for lapsed customers, casual tone": a lapsed audience and a tone
        # (asked which segments they are, never written for every customer).
        return bool(reader_pattern("lapse_words").search(raw) and _TONE.search(raw))
    return bool(
        _TONE.search(raw)
        or _CLAIM.search(raw)  # what the copy should claim is a brief
        or _OFFER.search(raw)
        or _VAGUE_OFFER.search(raw)
        or find_deadline(raw)
        # The segment's own name is no brief: "About to Sleep" promotes nothing.
        or _PROMOTES.search(_without_segment_names(raw))
        or question.filters.get("product")
    )


def _without_segment_names(raw: str) -> str:
    """The text with every RFM segment name blanked."""
    for rule in SEGMENT_RULES:
        raw = re.sub(re.escape(rule.name), " ", raw, flags=re.I)
    return raw


def _brief_args(raw: str, ctx: PlannerContext | None) -> dict[str, Any]:
    """Offer, event, promo code, deadline, tone and call to action named in the request."""
    args: dict[str, Any] = {}
    offer = _OFFER.search(raw)
    vague = _VAGUE_OFFER.search(raw)
    if offer:
        args["offer"] = offer.group(0).strip()
    elif vague:
        args["offer"] = vague.group(0).strip()  # no terms: the tool asks which offer
    code = find_promo_code(raw)
    if code:
        args["promo_code"] = code[0]
    event = find_event(raw, _store_events(ctx))
    if event:
        args["event"] = event[0]
    deadline = find_deadline(raw)
    if deadline:
        args["deadline"] = deadline[0].raw
    tone = _TONE.search(raw)
    if tone:
        args["tone"] = next(g for g in tone.groups() if g)
    cta = _CTA_ASKED.search(raw)
    if cta:
        args["call_to_action"] = (cta.group("en") or cta.group("quoted") or cta.group("zh")).strip()
    return args


def _store_events(ctx: PlannerContext | None) -> list[str]:
    """The store's campaigns as events ("Double 11 2025 - SMS" -> "Double 11")."""
    if ctx is None:
        return []
    names = [value for dimension, value in ctx.values.entries.values() if dimension == "campaign"]
    return campaign_events(sorted(set(names)))


def _segments(raw: str) -> list[str] | str:
    if _ALL.search(raw) or re.search(r"\brfm\b", raw, re.I) and not _named_segments(raw):
        return "all"
    return _named_segments(raw) or "all"


def _named_segments(raw: str) -> list[str]:
    lowered = raw.lower().replace("’", "'")
    words = {r.name.lower(): r.name for r in SEGMENT_RULES}
    words |= {r.name_zh: r.name for r in SEGMENT_RULES}
    words |= load_lexicon().segment_aliases  # informal names ("vip", "沉睡")
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for word in sorted(words, key=len, reverse=True):
        # A Latin name may follow a Chinese character directly ("给At Risk客户"), where
        # \b sees no boundary (Chinese characters are word characters too).
        pattern = (
            word if re.search(r"[\u4e00-\u9fff]", word) else rf"(?<![a-z0-9]){re.escape(word)}"
        )
        for match in re.finditer(pattern, lowered):
            span = match.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            hits.append((span[0], words[word]))
    return list(dict.fromkeys(name for _, name in sorted(hits)))


def _goal(raw: str) -> str | None:
    match = _ABOUT.search(raw) or _ABOUT_ZH.search(raw)
    if not match:
        return None
    return next(g for g in match.groups() if g).strip()


def _theme_words(kind: str) -> re.Pattern[str]:
    """The lexicon's copy theme words of one kind (seasons, launch words) as one pattern."""
    words = sorted(load_lexicon().copy_themes.get(kind, ()), key=len, reverse=True)
    return re.compile(
        "|".join(
            re.escape(w) if re.search(r"[\u4e00-\u9fff]", w) else rf"\b{re.escape(w)}\b"
            for w in words
        )
        or r"(?!)",
        re.I,
    )


def _season_event(raw: str, goal: str | None) -> str | None:
    """A season named outside the announced thing ("an autumn SMS for Champions"): the
    brief's occasion. Inside it ("the new autumn skincare set") the announcement says it."""
    for match in _theme_words("season").finditer(raw):
        if goal and match.group(0).lower() in goal.lower():
            continue
        return match.group(0)
    return None


def _language(raw: str, asked_in: str) -> str:
    if reader_pattern("copy_in_chinese").search(raw):
        return "zh"
    if reader_pattern("copy_in_english").search(raw):
        return "en"
    return asked_in


def _variants(raw: str) -> int | None:
    match = _VARIANTS.search(raw)
    if not match:
        return None
    word = (match.group(1) or match.group(2)).lower()
    value = to_int(word)
    return max(1, min(value, 4))


# Names of the draft languages, as the answer's language writes them.
_LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese")}


def _preview_line(segment: str, parts: dict[str, str], quoted: bool) -> str:
    """One draft's preview: "- Segment: subject / body"; a draft in another language than
    the answer is a Markdown block quote under its segment (the user's requested copy,
    quoted as written, not wording of the answer)."""
    text = " / ".join(v for v in parts.values() if v)
    if quoted:
        return f"- {segment}:\n  > " + text.replace("\n", "\n  > ")
    return f"- {segment}: {text}"


def write_copy_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a generate_copy result: how many drafts, whether they pass, a preview."""
    data = output.data
    if "error" in data:
        return tr(language, "I could not write the copy: {error}", error=error_in(data, language))
    if "clarify" in data:
        return data.get(f"clarify_{language}") or data["clarify"]
    drafts = data["drafts"]
    failing = [d for d in drafts if not d["passed"]]
    segments = len({d["segment"] for d in drafts})
    quoted = data.get("language", language) != language
    preview = [
        _preview_line(segment_name(d["segment"], language), d["parts"], quoted)
        for d in drafts
        if d["variant"] == 1
    ][:10]
    if quoted:  # copy asked for in the other language ("用英文写"): quoted, not translated
        preview.insert(
            0, tr(language, "The drafts are in {draft_language}, as you asked:",
                  draft_language=tr(language, _LANGUAGE_NAMES[data["language"]])),
        )  # fmt: skip
    brief = data["segments"][0].get("brief", {}) if data.get("segments") else {}
    drafts_text = ntr(
        language,
        "{count} {channel} draft",
        "{count} {channel} drafts",
        data["total"],
        channel=channel_name(data["channel"], language),
    )
    lines = [
        ntr(
            language,
            "I wrote {drafts} for {count} segment; {passed} pass every check (the brief's "
            "elements, call to action, category fit, length, signature and opt-out, banned "
            "words, facts, privacy) and are saved as drafts (table below):",
            "I wrote {drafts} for {count} segments; {passed} pass every check (the brief's "
            "elements, call to action, category fit, length, signature and opt-out, banned "
            "words, facts, privacy) and are saved as drafts (table below):",
            segments,
            drafts=drafts_text,
            passed=data["passed"],
        )
    ]
    if brief:
        elements = tr(language, ", ").join(
            tr(language, "{element} {value}", element=tr(language, _BRIEF_KEYS[k]), value=v)
            for k, v in brief.items()
            if k in _BRIEF_KEYS
        )
        lines.append(tr(language, "Brief: {elements}", elements=elements))
    lines += preview
    for dropped in data.get("dropped_claims", []):
        lines.append(
            tr(
                language,
                "I left out the claim “{claim}”: the brand guideline forbids absolute claims "
                "such as {terms} (advertising law).",
                claim=dropped["claim"],
                terms=tr(language, ", ").join(
                    tr(language, "“{term}”", term=t) for t in dropped["terms"]
                ),
            )
        )
    if failing:
        lines.append(
            "\n"
            + ntr(
                language,
                "{count} draft still fails a check; the table says which.",
                "{count} drafts still fail a check; the table says which.",
                len(failing),
            )
        )
    lines.append(
        "\n"
        + tr(language, "Next: pick variants for an A/B test, or export them for your sending tool.")
    )
    return "\n".join(lines)


# The brief's elements as the answer names them (catalogue ids, marked for extraction).
_BRIEF_KEYS = {
    "event": N_("event"),
    "offer": N_("offer"),
    "promo_code": N_("promo code"),
    "deadline": N_("deadline"),
    "call_to_action": N_("call to action"),
}


COPY_INTENT = Intent(tool="generate_copy", read=read_copy_question, write=write_copy_answer)


# Words of a copy request that carry no brief content of their own: the lexicon's list.
_FILLER_EN = frozenset(
    w for w in load_lexicon().copy_brief_words if not re.search(r"[\u4e00-\u9fff]", w)
)
_FILLER_ZH = tuple(
    sorted(
        (w for w in load_lexicon().copy_brief_words if re.search(r"[\u4e00-\u9fff]", w)),
        key=len,
        reverse=True,
    )
)
_CATEGORY_HINTS = tuple(
    sorted(
        {
            *CATEGORY_EN,
            *(w.noun for w in CATEGORY_EN.values()),
            *(w.noun for w in CATEGORY_ZH.values()),
            *(w for en, zh in CATEGORY_WORDS.values() for w in (*en, *zh)),
            # The lexicon's category words ("护肤品", "化妆品", "数码电子").
            *(w for words in load_lexicon().categories.values() for w in words),
        },
        key=len,
        reverse=True,
    )
)


def _consumed_patterns() -> list[re.Pattern[str]]:
    """What the reader places: verbs, channels, segments, language, brief elements."""
    aliases = load_lexicon().segment_aliases
    segment_words = sorted(
        {*(r.name for r in SEGMENT_RULES), *(r.name_zh for r in SEGMENT_RULES), *aliases},
        key=len,
        reverse=True,
    )
    names = "|".join(re.escape(w.replace("'", "['’]?")).replace(r"\[", "[").replace(r"\]", "]")
                     .replace(r"\?", "?") for w in segment_words)  # fmt: skip
    return [
        reader_pattern("write_verbs"),
        reader_pattern("make_verbs"),
        re.compile("|".join(reader_words("write_request")), re.I),
        *(re.compile(p, re.I) for _, p in _CHANNELS),
        _COPY_WORDS,
        _ALL,
        _VARIANTS,
        _OFFER,
        _VAGUE_OFFER,
        _TONE,
        _CTA_ASKED,
        re.compile(names, re.I),
        reader_pattern("copy_length_limit"),
        reader_pattern("copy_in_chinese"),
        reader_pattern("copy_in_english"),
        re.compile("|".join(re.escape(w) for w in _CATEGORY_HINTS), re.I),
        # Seasons and launch words: the brief's occasion or theme, never asked about.
        _theme_words("season"),
        _theme_words("launch"),
    ]


def unplaced_words(question: Question) -> list[str]:
    """Content words of a copy request that no part of the brief holds (in order, deduplicated).

    Works on the question's text, where the period phrase and the store's own
    values (products, categories, campaigns) are already blanked.
    """
    raw = question.raw
    text = question.text if len(question.text) == len(raw) else raw.lower()
    spans: list[tuple[int, int]] = []
    for finder in (find_promo_code, find_deadline, lambda t: find_event(t)):
        found = finder(raw)
        if found:
            spans.append(found[1])
    for pattern in _consumed_patterns():
        spans += [m.span() for m in pattern.finditer(raw) if m.end() > m.start()]
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    left = "".join(chars)
    words: list[str] = []
    for word in re.findall(r"[a-z][a-z'’-]*", left):
        word = word.strip("'’-")
        if len(word) > 2 and word not in _FILLER_EN:
            words.append(word)
    for run in re.findall(r"[\u4e00-\u9fff]+", left):
        for filler in _FILLER_ZH:
            run = run.replace(filler, " ")
        words += [piece for piece in run.split() if len(piece) >= 2]
    return list(dict.fromkeys(words))
