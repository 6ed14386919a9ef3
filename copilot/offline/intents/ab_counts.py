"""Reading the counts of an A/B test the user types: "A: 1,000 visitors, 50 conversions;
B: 1,000 visitors, 65 conversions", "A 50/1000 vs B 65/1000", "A组1000人，转化50".

The question is cut at its variant names (A, B, variant 2, control, 对照组, A组 ...);
each variant's part gives a size (trials: visitors, recipients, sent ...) and an event
count (conversions, clicks, opens), read from the words beside each number, from
"50 out of 1000" / "50/1000" / "1000人中50", or from a rate with its size ("5% of
1000", only when the rate gives a whole count). What cannot be read with certainty is
reported, never guessed: rates without sizes, numbers whose roles are unclear, a
variant without a count. Numbers come from `copilot.offline.numbers.counts_in`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from copilot.offline.numbers import Count, counts_in
from knowledge.lazy_regex import lazy_compile

# A variant's name: "variant A", "group 2", "方案B", "A组", "B版", "A:", "(B)", "control", "对照组".
_ANCHORS = lazy_compile(
    r"(?<![A-Za-z])(?:variant|version|variation|group|arm|option|cell|版本|方案|变体)\s*"
    # ("variant 2,480 / 99": a number with a thousands separator is a count, no name)
    r"(?P<word>[A-Za-z]|\d{1,2})(?![A-Za-z0-9]|[,.]\d)"
    r"|(?<![A-Za-z])(?P<letter>[A-Ea-e])\s*(?:组|版本|版|方案|变体|variant|version|group|arm)"
    r"(?![A-Za-z])"
    r"|(?<![A-Za-z/])(?P<label>[A-E])\s*[:：=)）]"
    # "offer A", "the B offer": an offer named by a capital letter (not "offer a discount").
    r"|(?<![A-Za-z])(?:offer|creative|coupon)\s+(?-i:(?P<offer>[A-E]))(?![A-Za-z0-9])"
    # "A 50/1000", "B got 65": capitals only, so the article in "a 5% lift" is no variant.
    # "B 八千人": a Chinese numeral with a unit counts as a number after the name too.
    r"|(?<![A-Za-z/])(?-i:(?P<bare>[A-E]))(?:\s*(?=\d|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*[十百千万])"
    # "A曝光4000", "B 发了3000条": a Chinese count word between the name and its number.
    r"|\s*(?=[\u4e00-\u9fff]{1,3}\s*\d)"
    r"|\s+(?=got|had|converted|with|was|at|has|gets|did|went|reached|goes))"
    r"|(?<![A-Za-z])(?P<named>control|treatment|challenger|original|variation"
    # "holdout 1,500 w/ 33 vs SMS'd group 6,000 w/ 171": the held-out arm and the one messaged
    r"|hold-?out(?:\s+(?:group|arm|cell))?"
    r"|(?:treated|exposed|targeted|messaged|mailed|emailed|texted|sms[''’]?d|pushed|contacted)"
    r"\s+(?:group|arm|cell)"
    # "control 800 visitors ... test 820 visitors", "the test group: 820": the arm beside the
    # control called "test" (not "A/B test", "split test" nor "test results").
    r"|(?<![/-])(?<!a/b )(?<!ab )(?<!split )test(?:\s+(?:group|arm|cell))?"
    r"(?=\s*(?:group|arm|cell)?\s*[:：=]?\s*\d)|(?<![/-])test\s+(?:group|arm|cell)"
    # "the control went to ..., the variant went to ...": "the variant" without a letter.
    r"|(?<=\bthe )variant(?=\s+(?!of\b)[a-z]|\s*[:：,])"
    # "control 2,500 / 75, variant 2,480 / 99": "variant" beside its numbers, no letter.
    r"|variant(?=\s*[:：]?\s*\d{1,3}[,.]\d{3}|\s*[:：]?\s*\d{3,})"
    # "the new layout", "the old subject line": a variant named by what changed.
    r"|(?:new|old|redesigned|current)\s+(?:layout|design|version|page|landing page|copy"
    r"|template|creative|subject line|banner|headline|button|offer))(?![A-Za-z])"
    # ("触达组5000人里165人下单": the group reached, set against the held-out 对照组)
    r"|(?P<zh>对照组|实验组|控制组|测试组|原版|新版|旧版|触达组|曝光组|发送组|处理组|干预组|投放组|推送组|营销组|留出组)"
    # "甲方案", "乙组", "方案乙": the heavenly stems name variants A, B, C ... in Chinese.
    r"|(?P<stem>[甲乙丙丁戊])\s*(?=组|版本|版|方案|变体)|(?<=方案|版本|变体)\s*(?P<stem2>[甲乙丙丁戊])",
    re.I,
)
# A variant named after its numbers: "500 opens out of 5000 for A and 560 out of 5100 for B",
# "50/1000 on variant A", "45 of 900 for the control".
_TRAILING = lazy_compile(
    r"(?<![A-Za-z])(?:for|on|in|from|with)\s+(?:the\s+)?"
    r"(?:(?:variant|version|variation|group|arm|option|cell)\s*(?P<word>[A-Za-z]|\d{1,2})"
    r"|(?-i:(?P<bare>[A-E]))|(?P<named>control|treatment|challenger|original))(?![A-Za-z0-9])",
    re.I,
)
_SPLIT = lazy_compile(r"\s(?:vs\.?|versus|compared (?:to|with)|against)\s|对比|相比|比较", re.I)

# Words that say what a number counts. Trials: those exposed; events: those who acted.
_RETURN_WORDS = r"returns|returned|refunds|refunded|退货|退款|退单|退了|退(?!订)"
_UNSUBSCRIBE_WORDS = r"unsubscribes|unsubscribed|unsubs|opt-?outs|opted out|退订"
_LOSS_WORDS = rf"{_UNSUBSCRIBE_WORDS}|{_RETURN_WORDS}"
_TRIAL_WORDS = (
    r"visitors?|visits|sessions|users|people|persons|recipients|sends|sent|delivered|deliveries"
    # the messages or coupons sent ("5000 sms", "2000 coupons", "发券2000张")
    r"|sms|texts|pushes|push notifications|coupons|vouchers|张"
    r"|impressions|views|emails|messages|participants|customers|samples?|traffic|exposures"
    r"|shown|(?<![A-Za-z])n\b|trials?|attempts|tries|人次|访客|访问|用户|发送|送达|曝光|展示|样本|流量|收件人|人|封|条|名|位"
    # ("the first went to 800 people": those it went to)
    r"|went|mailed"
    r"|发出|发放|投放|触达|发"
)
_WEAK_TRIALS = {"people", "persons", "users", "customers", "人", "名", "位"}
_EVENT_WORDS = (
    r"conversions?|converted|converts|convert|orders?|purchases?|purchased|sales|sign-?ups?"
    r"|signed up|registrations|leads|buyers|bought|clicks?|clicked|opens|opened"
    r"|wins|won|successes|hits|转化|下单|订单|单"
    # a coupon or offer used ("24 used it", "41 redeemed", "核销了37张"): its conversions
    r"|used(?:\s+it)?|redeemed|redemptions?|核销|使用|用了"
    r"|购买|成交|付款|注册|点击|打开"
    # Losses counted among the orders or the delivered ("30 returns in 900 orders", "1000单退了
    # 50单", "12 unsubscribes"): events too, whose lower rate is the better (see _LOSS).
    rf"|{_LOSS_WORDS}"
)
# ("8000 点击率3%": a word naming a rate after a number says nothing of that number)
_AFTER = lazy_compile(
    # ("152 of them clicked", "其中"-like: those of the count said before who acted)
    r"^\s*(?:个|次|位|名)?\s*(?:(?:of|among)\s+(?:them|those|these)\s+(?:who\s+|that\s+)?)?"
    rf"(?P<w>{_TRIAL_WORDS}|{_EVENT_WORDS})"
    r"(?!率|\s*(?:-?through\s+)?rates?\b)",
    re.I,
)
_BEFORE = lazy_compile(
    rf"(?P<w>{_TRIAL_WORDS}|{_EVENT_WORDS})(?:量|数|数量|人数)?\s*"
    r"(?:[:：=]|了|是|有|为|分别(?:是|为|有)?|were|was|of|is|to)?\s*$",
    re.I,
)
_EVENT = lazy_compile(rf"^(?:{_EVENT_WORDS})$", re.I)
# A people word followed by what they did ("2人下单", "8 people converted", "3位已购买"): the
# number counts those who acted, the events, not the arm's size.
# An event word that names a rate ("820人点击率10%", "500 users conversion rate 4%") is no act.
_ACTED = lazy_compile(
    rf"^\s*(?:who\s+|that\s+)?(?:已经?|都|也)?\s*(?P<w>{_EVENT_WORDS})(?!率|\s*(?:-?through\s+)?rates?\b)",
    re.I,
)
_OUT_OF = lazy_compile(
    r"^\s*(?:/|out of|of|in|from|among)\s*$|^\s*(?:个|人|次)?\s*/\s*$", re.I
)  # "50 / 1000", "50 out of 1000"
# "61 conversions out of 1,900", "84 clicked of 2000": the event word between the count and
# the size it is out of.
_NAMED_OUT_OF = lazy_compile(rf"^\s*(?:{_EVENT_WORDS})\s*(?:out of|of|in|from|among|/)\s*$", re.I)
# A size said once for both after the groups ("两组样本都是4000", "两组都4000人", "both groups had
# 4000", "sample size of 4000 for both"): shared by the variants, as "各4000" is.
_BOTH_BEFORE = lazy_compile(
    r"(?:两组|两个版本|两边|各组|每组|都|均)[^，,。;；\d]{0,12}?(?:都|均)(?:是|为|有)?\s*$"
    # ("两组各发了12000条", "两个版本各推了5000人": each arm sent that many)
    r"|(?:两组|两个版本|两边|两版|AB两组|A/B两组)[^，,。;；\d]{0,4}?各(?:自)?(?:发了?|发送了?|投放了?|投了?|推了?|推送了?|曝光了?|触达了?|覆盖了?|有|是|为)?\s*$"
    r"|(?:都|均)(?:是|为|有)\s*$"
    r"|\b(?:both|each)\s+(?:groups?|variants?|versions?|arms?|sides?|cells?)?\s*"
    r"(?:\w+\s+){0,2}?(?:had|have|has|were|are|was|is|got|of)\s*$",
    re.I,
)
_BOTH_AFTER = lazy_compile(
    r"^\s*(?:\w+\s+){0,2}?(?:for|in)\s+(?:both|each)(?:\s+(?:groups?|variants?|versions?|arms?))?\b",
    re.I,
)
_AMONG = lazy_compile(r"^\s*(?:人|位|名|个)?\s*(?:中|里|当中|里面)(?:有)?\s*$")  # "1000人中50"
_OF_SIZE = lazy_compile(
    r"^\s*(?:of|on|out of|over|from|among|in|across)\s*$|^\s*[(（]?\s*n\s*=\s*$", re.I
)
_EACH = lazy_compile(
    rf"^\s*(?:人|位|名|(?:{_TRIAL_WORDS})\s)?\s*(?:each|apiece|per (?:variant|group|arm|side|cell)|各)"
    r"|各\s*$",
    re.I,
)
_YEAR_AFTER = lazy_compile(r"^\s*(?:年|-\d{1,2}-|/\d{1,2}/)")
_YEAR_BEFORE = lazy_compile(
    r"(?:\b(?:in|since|during|of|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|\bq[1-4])\s*$",
    re.I,
)
_CLICK = lazy_compile(r"click|ctr|点击", re.I)
_OPEN = lazy_compile(r"\bopen|打开", re.I)
_RETURN = lazy_compile(rf"^(?:{_RETURN_WORDS})", re.I)
_UNSUBSCRIBE = lazy_compile(rf"^(?:{_UNSUBSCRIBE_WORDS})", re.I)
# An order counted by its measure word alone ("1000单"): the orders, unless a word before the
# number says what happened to them ("退了50单": 50 returned).
_ORDER_UNIT = "单"


@dataclass
class VariantPart:
    """One variant's name and what its part of the question says."""

    name: str
    trials: int | None = None
    events: int | None = None
    rate: float | None = None
    unknown: list[float] = field(default_factory=list)  # numbers of unclear role
    event_word: str | None = None  # the word that named the events ("clicked", "转化")


@dataclass(frozen=True)
class TypedCounts:
    """What a question's typed counts came to.

    `counts` (variant, trials, events; control first) when every variant is complete;
    else `problem`: "rates" (rates without sizes), "ambiguous" (which number is which),
    "inexact" (a rate times a size is no whole count), "missing" (a variant lacks a
    number); `missing` names the variants concerned. `metric` is what the event words say.
    """

    variants: tuple[str, ...]
    metric: str
    named: bool  # the variants were named (A, control, 对照组), not only cut at "vs"
    counts: tuple[dict[str, object], ...] = ()
    problem: str | None = None
    missing: tuple[str, ...] = ()
    # The variants whose events were worked out as their rate times their size ("A 2.5%
    # of 4000" -> 100): said in the answer, since the user typed no count.
    from_rates: tuple[str, ...] = ()


def read_typed_counts(raw: str) -> TypedCounts | None:
    """The counts per variant a question states, or what keeps them from being read;
    None when the question does not give numbers for two or more variants."""
    text = _LEVEL_SAID.sub(lambda m: " " * len(m.group(0)), unicodedata.normalize("NFKC", raw))
    by_metric = _by_metric(text)
    if by_metric is not None:
        return by_metric
    parts, shared, named = _parts(text)
    if len(parts) < 2:
        return None
    metric = _metric([p.event_word for p in parts if p.event_word] or [text])
    names = tuple(p.name for p in parts)
    found = {"variants": names, "metric": metric, "named": named}
    for part in parts:
        if part.trials is None and shared is not None:
            part.trials = shared
    _fill_by_order(parts)
    from_rates: list[str] = []
    for part in parts:
        if (
            part.rate is not None
            and part.trials is None
            and part.events is None
            and len(part.unknown) == 1
            and float(part.unknown[0]).is_integer()
            and abs(part.rate * part.unknown[0] - round(part.rate * part.unknown[0])) < 1e-6
        ):
            # "A 5000 sms, 3.1% converted": a rate is of a size, and the one count beside it
            # is that size when the rate of it is a whole count (checked below).
            part.trials, part.unknown = int(part.unknown[0]), []
        if part.rate is not None and part.events is None and part.trials is not None:
            events = part.rate * part.trials
            if abs(events - round(events)) > 1e-6:
                return TypedCounts(**found, problem="inexact", missing=(part.name,))
            part.events = round(events)
            from_rates.append(part.name)
    if any(p.unknown for p in parts):
        return TypedCounts(**found, problem="ambiguous")
    sizeless = tuple(p.name for p in parts if p.trials is None)
    if sizeless and all(p.trials is None and p.events is None for p in parts):
        return TypedCounts(**found, problem="rates", missing=sizeless)
    lacking = tuple(p.name for p in parts if p.trials is None or p.events is None)
    if lacking:
        return TypedCounts(**found, problem="missing", missing=lacking)
    counts = tuple({"variant": p.name, "trials": p.trials, "events": p.events} for p in parts)
    return TypedCounts(**found, counts=counts, from_rates=tuple(from_rates))


# The level a verdict is asked at ("sig at 95", "significant at the 95% level", "95%置信度下",
# "在0.05水平上"): a setting of the test, no count of a variant (the test's own level is
# read by numbers.read_test_settings where a plan is sized).
_LEVEL_SAID = lazy_compile(
    r"\b(?:sig(?:nificant|nificance)?|stat(?:istically)?\s+sig(?:nificant)?)\s+(?:at|@)\s+(?:the\s+)?"
    r"\d{1,2}(?:\.\d+)?\s*(?:%|percent)?(?:\s+(?:level|confidence|conf))?"
    r"|\bat\s+(?:the\s+)?\d{1,2}(?:\.\d+)?\s*(?:%|percent)\s+(?:level|confidence|conf)\b"
    r"|\b\d{1,2}(?:\.\d+)?\s*(?:%|percent)\s+(?:confidence|conf)(?:\s+level)?\b"
    r"|(?:在)?\d{1,2}(?:\.\d+)?\s*%?\s*(?:的)?(?:置信度|置信水平|显著性水平|水平)(?:下|上)?"
    r"|(?:\balpha|α|显著性水平)\s*(?:=|of|at|is|:|为|取)?\s*0?\.\d+|\bp\s*<\s*0?\.\d+",
    re.I,
)


# Numbers listed side by side for the variants: "2400 vs 2350", "1000/1000", "50 and 65",
# "96、122".
# "1,000 visitors vs 1,000 visitors": the size word may stand after each number.
_SIDE_BY_SIDE = re.compile(
    r"^\s*(?:vs\.?|versus|/|and|&|,|和|与|跟|对|比|、|，)\s*$"
    rf"|^\s*(?:{_TRIAL_WORDS}|{_EVENT_WORDS})\s*(?:vs\.?|versus|/|对|比)\s*$",
    re.I,
)


def level_said(raw: str) -> float | None:
    """The significance level (alpha) a verdict is asked at ("sig at 95" or "95% confidence":
    0.05; "significant at 10%", "在0.05水平上": 0.1, 0.05), or None when none is said. A level
    of 50 or more is a confidence, below it the level itself."""
    found = _LEVEL_SAID.search(unicodedata.normalize("NFKC", raw))
    if found is None:
        return None
    number = re.search(r"\d+(?:\.\d+)?", found.group(0))
    if number is None:
        return None
    value = float(number.group(0))
    share = value / 100 if value >= 1 else value
    alpha = 1 - share if share >= 0.5 else share
    return round(alpha, 10) if 0 < alpha < 0.5 else None


def _by_metric(text: str) -> TypedCounts | None:
    """Counts laid out by metric rather than by variant: "2400 vs 2350 visitors, 96 and 122
    signups", "visitors 1000/1000, conversions 50/65", "访客各1000，转化50和65".

    Each run of numbers joined by "vs", "/", "and", "和" ... and marked by one size word
    (visitors, sends, 访客) or event word (conversions, signups, 转化) gives one number per
    variant, in order (A, B, ...). None unless every whole number of the question (years
    aside) is in such a run and they give both the sizes (or one size shared by all) and
    the events of every variant, each no larger than its size; questions that name their
    variants (A: ..., control ...) are read variant by variant instead.
    """
    if len(_anchor_spans(text)) >= 2 or _trailing_segments(text):
        return None
    numbers = [n for n in counts_in(text) if not n.rate and not _is_year(text, n)]
    runs: list[list[Count]] = []
    for number in numbers:
        if runs and _SIDE_BY_SIDE.match(text[runs[-1][-1].end : number.start]):
            runs[-1].append(number)
        else:
            runs.append([number])
    roles: dict[str, list[int]] = {}
    words: list[str] = []
    shared = None
    for run in runs:
        if any(n.whole is None for n in run):
            return None
        role, word = _role_word(text[: run[0].start], text[run[-1].end :])
        if len(run) == 1 and role in (None, "trials") and _is_shared(text, run[0]):
            shared = run[0].whole  # "访客各1000", "1000 visitors each"
            continue
        if role is None or role in roles or len(run) < 2:
            return None
        roles[role] = [n.whole for n in run if n.whole is not None]
        if role == "events" and word:
            words.append(word)
    events = roles.get("events")
    trials = roles.get("trials") or ([shared] * len(events) if events and shared else None)
    if not events or not trials or len(events) != len(trials):
        return None
    if any(x > n for x, n in zip(events, trials, strict=True)):
        return None
    names = tuple(chr(ord("A") + i) for i in range(len(events)))
    counts = tuple(
        {"variant": v, "trials": n, "events": x}
        for v, n, x in zip(names, trials, events, strict=True)
    )
    return TypedCounts(variants=names, metric=_metric(words or [text]), named=False, counts=counts)


def _is_shared(text: str, number: Count) -> bool:
    """Whether a size is said once for every variant ("各1000", "1000 each")."""
    return bool(
        _EACH.search(text[number.end : number.end + 24])
        or re.search(r"各(?:自)?(?:发了?|发送了?|投放了?|有|是|为)?\s*$", text[: number.start])
    )


def counted_numbers(raw: str) -> int:
    """How many numbers of the question a word marks as a size or an event count
    ("1000 visitors", "转化50"): the user's own test data, even when not put to variants."""
    text = unicodedata.normalize("NFKC", raw)
    return sum(
        1
        for n in counts_in(text)
        if n.whole is not None and _role(text[: n.start], text[n.end :]) is not None
    )


def _parts(text: str) -> tuple[list[VariantPart], int | None, bool]:
    """The variants with numbers in their part of the text, a size shared by all ("1000
    visitors each", "两组各1000人") when one is given, and whether the variants were named."""
    numbers = counts_in(text)
    trailing = _trailing_segments(text)
    if trailing:
        # Names after their numbers: each variant's part runs from the name before it.
        shared = _shared_size(text, numbers, len(text))
        segments = trailing
        named = True
        by_clause = False
    else:
        anchors = _anchor_spans(text)
        named = len(anchors) >= 2
        by_clause = False
        if not named:
            anchors = _split_spans(text)
            if not anchors:
                anchors, by_clause = _clause_spans(text), True
        shared = _shared_size(text, numbers, anchors[0][1] if anchors else len(text))
        segments = [
            (name, start, end, anchors[i + 1][1] if i + 1 < len(anchors) else len(text))
            for i, (name, start, end) in enumerate(anchors)
        ]
        if named:
            segments = _with_receivers(text, segments, numbers)
    parts: list[VariantPart] = []
    rates_only: list[VariantPart] = []  # "新文案点击率6%，老文案5%": rates, one per clause
    for name, _start, end, stop in segments:
        inside = [n for n in numbers if end <= n.start and n.end <= stop]
        if not inside or any(p.name.lower() == name.lower() for p in parts):
            continue
        if not named and not name and parts and not _complete(parts[-1]):
            # "新页面1200人，转化60": a clause without a name goes on with the one before.
            _read_part(parts[-1], text, inside, shared is not None)
            continue
        part = VariantPart(name or chr(ord("A") + len(parts)))
        _read_part(part, text, inside, shared is not None)
        counted = part.trials is not None or part.events is not None
        if named or counted or (part.rate is not None and not by_clause):
            # Unnamed, a part whose numbers say nothing of what they count ("revenue 2025 vs
            # 2026") is no variant; cut only at commas, rates alone ("baseline 4%, MDE 10%")
            # are no variants either.
            parts.append(part)
        elif part.rate is not None and not part.unknown and not _PLANNING.search(text[_start:stop]):
            rates_only.append(part)
    if not parts and len(rates_only) >= 2:
        # Only a rate per clause: the variants' rates without their sizes. Whether to ask for
        # the sizes is the A/B reader's call (a verdict asked, no sample-size question).
        return rates_only, shared, named
    return parts, shared, named


# Words of a test being planned: a clause with one holds a baseline, an effect or a setting
# ("baseline CTR 4%", "MDE 10% relative", "80% power"), not a variant's observed rate.
_PLANNING = re.compile(
    r"baseline|\bmde\b|relative|\bpower\b|alpha|confidence|significance level|detect|target"
    r"|基线|相对|功效|显著性水平|置信|检测|目标|提高到|提到|最小可检测",
    re.I,
)


def states_a_target(text: str) -> bool:
    """Whether the text plans a test: a baseline, an effect or a target stated ("想提到",
    "detect", "target")."""
    return bool(_PLANNING.search(text))


# "40 recipients got version A", "1,200 users saw variant B": the number just before a
# variant's name is how many received it (its size), said before the name.
_RECEIVED = lazy_compile(
    rf"^\s*(?:(?:{_TRIAL_WORDS}|[A-Za-z]+)\s*)?(?:(?:got|received|saw|were\s+(?:sent|shown|given)"
    # "900 texts w/ version A", "900 with version B": sent with that variant.
    r"|was\s+(?:sent|shown|given)|with|w/|using)\s*(?:the\s+)?|(?:收到|拿到|看到)了?(?:的是)?)$",
    re.I,
)


def _with_receivers(
    text: str, segments: list[tuple[str, int, int, int]], numbers: list[Count]
) -> list[tuple[str, int, int, int]]:
    """The segments with a size said just before a variant's name ("38 got version B") moved
    from the part before into that variant's part."""
    moved = list(segments)
    for i, (name, start, _begin, stop) in enumerate(segments):
        before = [n for n in numbers if n.end <= start and n.whole is not None]
        if not before or not _RECEIVED.match(text[before[-1].end : start]):
            continue
        lead = before[-1].start
        if i and lead < segments[i - 1][2]:
            continue  # the number is the previous variant's name's own
        moved[i] = (name, start, lead, stop)
        if i:
            prev = moved[i - 1]
            moved[i - 1] = (prev[0], prev[1], prev[2], min(prev[3], lead))
    return moved


def _received(text: str, number: Count) -> bool:
    """Whether the number is how many received the variant named right after it."""
    name = next((start for _, start, _ in _anchor_spans(text) if start >= number.end), None)
    return name is not None and bool(_RECEIVED.match(text[number.end : name]))


def _anchor_spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every variant name, in order."""
    spans = []
    for match in _ANCHORS.finditer(text):
        if match.group("word"):
            word = match.group("word")
            name = word.upper() if word.isalpha() else match.group(0).strip().title()
        elif match.group("stem") or match.group("stem2"):
            name = "ABCDE"["甲乙丙丁戊".index(match.group("stem") or match.group("stem2"))]
        elif letter := next(
            (match.group(g) for g in ("letter", "label", "bare", "offer") if match.group(g)), None
        ):
            name = letter.upper()
        else:
            name = (match.group("named") or match.group("zh")).strip()
            name = name.lower() if name.isascii() else name
        spans.append((name, match.start(), match.end()))
    if not any(name == "control" or name.startswith("hold") for name, _, _ in spans):
        # "test" names an arm only beside a control ("ran a test 2 weeks ago" names none).
        spans = [s for s in spans if not s[0].startswith("test")]
    return spans


def _trailing_segments(text: str) -> list[tuple[str, int, int, int]]:
    """(name, start, start of its numbers, end of its numbers) of variants named after
    their numbers ("500 opens out of 5000 for A and 560 out of 5100 for B"); empty unless
    two or more are, each with numbers of its own, no number follows the last name and no
    variant is named before its numbers ("A: 50/1000")."""
    found = []
    for match in _TRAILING.finditer(text):
        if match.group("word"):
            word = match.group("word")
            name = word.upper() if word.isalpha() else f"Variant {word}"
        elif match.group("bare"):
            name = match.group("bare")
        else:
            name = match.group("named").lower()
        found.append((name, match.start(), match.end()))
    if len(found) < 2 or len({name for name, _, _ in found}) != len(found):
        return []
    if any(
        not any(start <= a_start < end for _, start, end in found)
        for _, a_start, _ in _anchor_spans(text)
    ):
        return []  # "A: 50/1000 ...": names before their numbers
    numbers = [n for n in counts_in(text) if not _is_year(text, n)]
    segments = []
    begin = 0
    for name, start, end in found:
        if not any(begin <= n.start and n.end <= start for n in numbers):
            return []
        segments.append((name, start, begin, start))
        begin = end
    if any(n.start >= begin for n in numbers):
        return []
    return segments


def _split_spans(text: str) -> list[tuple[str, int, int]]:
    """Unnamed variants cut at "vs" / "对比": named A, B, ... in order."""
    cuts = [m for m in _SPLIT.finditer(text)]
    if not cuts:
        return []
    bounds = [(0, 0), *[(m.start(), m.end()) for m in cuts]]
    return [(chr(ord("A") + i), start, end) for i, (start, end) in enumerate(bounds)]


_CLAUSE = lazy_compile(r"(?<!\d),|,(?!\d)|\.(?=\s)|[，;；。\n]")
_PRONOUNS = {"we", "i", "our", "they", "us", "我们", "我", "他们"}
_NAME_TAIL = lazy_compile(
    rf"(?:\s|[:：=(（]|\b(?:had|got|has|have|with|was|were|is|converted|saw|at|to)\b|里|有|发了|发给|发送给|推给|共|的"
    rf"|{_TRIAL_WORDS}|{_EVENT_WORDS})+$",
    re.I,
)
_RATE_TAIL = lazy_compile(
    r"\s*(?:的)?(?:click[- ]?through rate|click rate|ctr|open rate|conversion rate|conv rate"
    r"|点击率|打开率|转化率|注册率)\s*(?:is|was|of|at|:|：|是|为)?\s*$",
    re.I,
)
# ("其中27人用了券", "of those 27 used it": the clause goes on with the variant before it)
_NAME_HEAD = lazy_compile(
    r"^(?:\s|\b(?:and|but|while|whereas|then|of\s+(?:them|those|these))\b|而|但|和|另外|其中|这其中)+",
    re.I,
)


def _clause_spans(text: str) -> list[tuple[str, int, int]]:
    """Unnamed variants, one per clause ("新落地页1200人里转化60，旧页面1200人里转化45"):
    named by the words before the clause's first number ("" when there are none)."""
    spans = []
    start = 0
    for cut in [*(m.start() for m in _CLAUSE.finditer(text)), len(text)]:
        clause = text[start:cut]
        first = next(iter(counts_in(clause)), None)
        if first is not None:
            name = _NAME_HEAD.sub("", _NAME_TAIL.sub("", clause[: first.start])).strip()
            name = _RATE_TAIL.sub("", name).strip()  # "新文案点击率" -> "新文案"
            if len(name) > 24 or re.search(r"\d", name) or name.lower() in _PRONOUNS:
                name = ""
            spans.append((name, start, start + first.start))
        start = cut + 1
    return spans if len(spans) >= 2 else []


def _complete(part: VariantPart) -> bool:
    return part.trials is not None and (part.events is not None or part.rate is not None)


def _shared_size(text: str, numbers: list[Count], first_anchor: int) -> int | None:
    """A size said once for all variants: "1000 visitors each", "各1000人"."""
    for number in numbers:
        whole = number.whole
        if whole is None:
            continue
        before, after = text[: number.start], text[number.end :]
        if _EACH.search(after[:24]) and _role(before, after) in (None, "trials"):
            return whole
        if before.rstrip().endswith("各") and _role(before, after) in (None, "trials"):
            return whole
        if (_BOTH_BEFORE.search(before[-24:]) or _BOTH_AFTER.match(after[:32])) and _role(
            before, after
        ) in (None, "trials"):
            return whole
    return None


def _read_part(part: VariantPart, text: str, numbers: list[Count], shared: bool) -> None:
    """Fill one variant's trials, events or rate from the numbers of its part."""
    taken: set[int] = set()
    for i, number in enumerate(numbers):
        if i in taken:
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        between = text[number.end : nxt.start] if nxt else ""
        if number.rate:
            if nxt is not None and nxt.whole and _OF_SIZE.match(between):
                part.rate, part.trials = number.value, nxt.whole
                taken.add(i + 1)
            else:
                part.rate = number.value
            continue
        whole = number.whole
        if whole is None:
            part.unknown.append(number.value)  # "1.5" without a unit: no count
            continue
        if nxt is not None and nxt.whole is not None and _OUT_OF.match(between):
            # "50/1000", "50 out of 1000"; "1000/50" can only mean 50 of 1000.
            small, large = sorted((whole, nxt.whole))
            part.events, part.trials = small, large
            taken.add(i + 1)
            continue
        if nxt is not None and nxt.whole is not None and _NAMED_OUT_OF.match(between):
            # "61 conversions out of 1,900": the events said, then the size they are of.
            part.events, part.trials = whole, nxt.whole
            part.event_word = _AFTER.match(between).group("w") if _AFTER.match(between) else None
            taken.add(i + 1)
            continue
        if nxt is not None and nxt.whole is not None and _AMONG.match(between):
            part.trials, part.events = whole, nxt.whole  # "1000人中50"
            taken.add(i + 1)
            continue
        if shared and (
            _EACH.search(text[number.end : number.end + 24])
            or _BOTH_BEFORE.search(text[max(0, number.start - 24) : number.start])
            or _BOTH_AFTER.match(text[number.end : number.end + 32])
        ):
            continue  # the shared size itself
        role, word = _role_word(text[: number.start], text[number.end :])
        if role is None and _received(text, number):
            role = "trials"  # "38 got version B": those who received it
        if role == "events" and part.events is not None and part.trials is None and word:
            # "40 clicks and 2 conversions": two steps of the funnel; the earlier step
            # (opens, then clicks) is what the later one is counted out of.
            earlier, later = sorted(
                [(whole, word), (part.events, part.event_word or "")], key=lambda e: _step(e[1])
            )
            if _step(earlier[1]) < _step(later[1]) and earlier[0] >= later[0]:
                part.trials, (part.events, part.event_word) = earlier[0], later
                continue
        if role == "trials" and part.trials is None:
            part.trials = whole
        elif role == "events" and part.events is None:
            part.events, part.event_word = whole, word
        elif role is None and _is_year(text, number):
            continue  # "... in March 2026": a date, not a count
        else:
            part.unknown.append(whole)


def _is_year(text: str, number: Count) -> bool:
    """A year of a date ("in March 2026", "2026年"), not a count."""
    if number.whole is None or not 1900 <= number.whole <= 2099:
        return False
    if not text[number.start : number.end].isdigit():
        return False  # "2,000": a count written with its thousands separator, no year
    before, after = text[max(0, number.start - 12) : number.start], text[number.end :]
    return bool(_YEAR_AFTER.match(after) or _YEAR_BEFORE.search(before))


# A Chinese count word joined to the number after it ("转化150", "转化：150", "转化八十") names
# that number; the number may be written in Chinese numerals.
_LABELS_NEXT = lazy_compile(
    r"(?:量|数|数量|人数)?(?:[:：=]|了|是|有|为)?\s*(?!一共|一起|一下)[\d零〇一二两三四五六七八九十百千万]"
)


def _role(before: str, after: str) -> str | None:
    """ "trials" or "events" from the word right after a number, else right before it."""
    return _role_word(before, after)[0]


def _role_word(before: str, after: str) -> tuple[str | None, str | None]:
    """(role, the word that says it); an event word before a generic people word wins
    ("转化了50人" = 50 converted)."""
    after_word = _AFTER.match(after)
    word = after_word.group("w") if after_word else ""
    if after_word and _LABELS_NEXT.match(after[after_word.end() :]) and not word.isascii():
        # "曝光5000次转化150": "转化" joined to 150 names 150, not 5000 (its word stands before).
        # A one-character people word is the number's own unit ("25人2人下单": 25 people).
        if len(word) > 1:
            after_word = None
    before_word = _BEFORE.search(before[-24:])
    after_role = _kind(after_word.group("w")) if after_word else None
    before_role = _kind(before_word.group("w")) if before_word else None
    if after_word and after_word.group("w").lower() in _WEAK_TRIALS:
        acted = _ACTED.match(after[after_word.end() :])
        # ("1000人转化50": the event word labels the number after it, not this one)
        if acted and not _LABELS_NEXT.match(after[after_word.end() + acted.end() :]):
            return "events", acted.group("w")
    if (
        after_word
        and after_word.group("w") == _ORDER_UNIT
        and before_word
        and before_word.group("w") != _ORDER_UNIT
        and before_role == "events"
    ):
        return "events", before_word.group("w")
    if after_role == "trials" and before_role == "events":
        if after_word and after_word.group("w").lower() in _WEAK_TRIALS:
            return "events", before_word.group("w") if before_word else None
    if after_role:
        return after_role, after_word.group("w") if after_word else None
    return before_role, before_word.group("w") if before_word else None


def _metric(words: list[str]) -> str:
    """What the events are: the words that named the counts ("65 clicked"), else the whole
    question ("CTR", "打开率"); conversions when nothing says clicks or opens."""
    first = words[0]
    if _RETURN.search(first):
        return "return_rate"
    if _UNSUBSCRIBE.search(first):
        return "unsubscribe_rate"
    if _CLICK.search(first):
        return "ctr"
    return "open_rate" if _OPEN.search(first) else "conversion"


def _step(word: str) -> int:
    """Where an event word stands in the funnel: opens, then clicks, then conversions, then
    what is lost of them (returns of the orders)."""
    if _RETURN.search(word):
        return 3
    if _OPEN.search(word):
        return 0
    return 1 if _CLICK.search(word) else 2


def _kind(word: str) -> str:
    return "events" if _EVENT.match(word) else "trials"


def _fill_by_order(parts: list[VariantPart]) -> None:
    """Numbers without words, once another variant has said what its numbers are: "A: 1000
    visitors, 50 conversions; B: 1000 and 65" -> B: 1000 visitors, 65 conversions (events
    never exceed the size, so the larger number is the size). A variant with one unlabelled
    number takes the role it still lacks. Without a labelled variant nothing is guessed."""
    for part in parts:
        if any(not float(v).is_integer() for v in part.unknown):
            continue
        if len(part.unknown) == 1 and (part.trials is None) != (part.events is None):
            value = int(part.unknown[0])
            # Only a role the number can hold: "30 complaints in 900 orders" gives no 900
            # events out of 30 (what the 30 counts is unread: asked, not put by position).
            if part.trials is None and value >= (part.events or 0):
                part.trials = value
                part.unknown.clear()
            elif part.events is None and value <= (part.trials or 0):
                part.events = value
                part.unknown.clear()
    complete = [p for p in parts if p.trials is not None and p.events is not None]
    for part in parts:
        if len(part.unknown) == 2 and part.trials is None and part.events is None and complete:
            first, second = (int(v) for v in part.unknown)
            part.trials, part.events = max(first, second), min(first, second)
            part.unknown = []
