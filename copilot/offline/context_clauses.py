"""Context clauses: the words around an ask that say why it is asked, who asks, how soon, or
what the figure is for ("- my manager is deciding on shelf space", "为了给代理商做方案",
"运营同学问："), found by their shape rather than listed one phrase at a time.

A clause is context when (a) no word of it is data (no metric, breakdown, store value,
period, number, tool word or segment name), (c) it has the shape of context (lexicon
reader_words `context_shape`) and (d) it holds no condition (`context_condition`, and no
unplaced word that looks like a name). (b), that another clause holds the ask, is the
planner's to check: it reads the rest on its own (copilot/offline/planner.py). The answer
says what was set aside; nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from copilot.offline.clock import planner_today
from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import word_occurs
from copilot.offline.vocabulary import (
    _blank_lowered,
    _build_known_words,
    _per_model,
    _segment_spans,
    breakdowns_named,
    load_lexicon,
    metrics_named,
    reader_words,
    unsupported_in,
)
from copilot.unicode_text import has_cjk
from knowledge.time_ranges import find_period

# Where one clause ends and the next begins: sentence marks, brackets, a colon (not a
# time's), a comma (not a number's), a full stop before a space, a spaced or long dash (not
# one between two numbers: "1—9月" is a range).
_BETWEEN = re.compile(
    r"\s*(?:[，。；！？;!?()（）：]|,(?!\d)|\.(?=\s|$)|:(?!\d)|\s[-–—]+\s|(?<![\d月日号])[—–]+|[—–]+(?!\s*\d)|->|→"
    # Chinese typed on a phone or dictated puts a space where a comma goes ("周会要用 帮我看下
    # 上个月销售额 老板肯定会问"): a space between two Chinese characters (or an emoji and a
    # Chinese character) ends a clause
    r"|(?<=[\u4e00-\u9fff\u2600-\u27bf\U0001f300-\U0001faff])\s+(?=[\u4e00-\u9fff]))[\s，。；！？;!?,.]*"
)
# An unplaced word that looks like a name: Capitalised after a clause's first word, a Latin
# word in a Chinese clause, a quoted word.
_CAPITALISED = re.compile(r"(?<=\s)(?!I\b|I[''’])[A-Z][\w-]*")
_QUOTED = re.compile(r"[\"“”‘’「」『』]|(?<!\w)'|'(?!\w)")
_LATIN = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Clause:
    """One clause of a question: its span (without the marks around it) and the mark after it."""

    start: int
    end: int
    mark: str


def clauses_of(text: str) -> list[Clause]:
    """The question cut into clauses at sentence marks, brackets, colons and spaced dashes."""
    found: list[Clause] = []
    at = 0
    for mark in _BETWEEN.finditer(text):
        if mark.start() > at:
            found.append(Clause(at, mark.start(), mark.group(0).strip()))
        at = mark.end()
    if at < len(text) and text[at:].strip():
        found.append(Clause(at, len(text), ""))
    return found


@cache
def _shapes() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("context_shape"))


@cache
def _conditions() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("context_condition"))


def _shape_end(words: str, mark: str) -> int | None:
    """Where the context shape the clause opens with ends (a label is read with its colon)."""
    said = words + (":" if ":" in mark or "：" in mark else "")
    for shape in _shapes():
        found = shape.match(said)
        if found:
            return min(found.end(), len(words))
    return None


def holds_data(words: str, ctx: PlannerContext) -> bool:
    """Whether any word of the clause is placed as data: a number, a period, a store value,
    a metric, a breakdown, a segment, an unmeasured metric or a tool's cue word."""
    lowered = words.lower()
    model = ctx.semantic_model
    if re.search(r"\d", words) or find_period(words, planner_today()) is not None:
        return True
    if ctx.values.find(lowered, words) or _segment_spans(lowered):
        return True
    if metrics_named(lowered, model) or breakdowns_named(lowered, model):
        return True
    if unsupported_in(lowered, model) is not None:
        return True
    if _blank_lowered(lowered, _per_model(model, "known_words", _build_known_words)) != lowered:
        return True
    cues = load_lexicon().intent_cues.values()
    return any(word_occurs(p, lowered) for patterns in cues for p in patterns)


@cache
def _instructions() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("figure_instruction"))


def gives_instruction(words: str) -> bool:
    """Whether a clause says how the figure is to be given (a rate, share or percentage, a
    unit, a breakdown, a sort, a count or an amount: lexicon `figure_instruction`): it
    changes the figure, so it is never set aside ("给我比例", "as a %")."""
    return any(p.search(words) for p in _instructions())


def _holds_condition(words: str, shape_end: int) -> bool:
    if any(c.search(words) for c in _conditions()) or gives_instruction(words):
        return True
    if _QUOTED.search(words):
        return True
    if has_cjk(words):
        return bool(_LATIN.search(words))
    return bool(_CAPITALISED.search(words[shape_end:]))


def context_spans(text: str, ctx: PlannerContext) -> list[Clause]:
    """The clauses of `text` that are context by their shape, with no data and no condition
    in them (a question of one clause has none: the ask is the whole of it)."""
    clauses = clauses_of(text)
    if len(clauses) < 2:
        return []
    found = []
    for clause in clauses:
        words = text[clause.start : clause.end].strip()
        end = _shape_end(words, clause.mark)
        if end is None or _holds_condition(words, end) or holds_data(words, ctx):
            continue
        found.append(clause)
    return found if len(found) < len(clauses) else []


def without_clauses(text: str, clauses: list[Clause]) -> str:
    """`text` with the clauses taken out, each with the mark before it (or after it, for the
    question's first clause), so the rest reads as written."""
    every = clauses_of(text)
    cut: list[tuple[int, int]] = []
    for clause in clauses:
        at = every.index(clause)
        if at == 0:
            end = every[1].start if len(every) > 1 else len(text)
            cut.append((clause.start, end))
        else:
            cut.append((every[at - 1].end, clause.end))
    merged: list[list[int]] = []
    for start, end in sorted(cut):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + text[end:]
    return text.strip()


# --- The ask and the talk around it (sentence level) -------------------------------------
#
# A question wrapped in conversation ("Gut feeling: we're bleeding customers. Of everyone who
# bought in Q2, how many ...?", "我总感觉今年杭州生意不太行。帮我看下杭州客户今年的销售额") holds
# one or more clauses that ASK (a question word or mark, a request verb, an imperative:
# lexicon reader_words `ask_shape`) and clauses around them that do not. A clause that does
# not ask is set aside when it holds no restriction the ask lacks: no limiting word
# (`context_limit`), and every store value, metric, breakdown, segment and number in it is
# also in the ask (a period only when the ask has its own). An evaluative side-question
# ("is that good?", "算高还是低", `evaluative_ask`) is set aside on the same terms and the
# answer says the copilot does not judge it. The answer names every clause set aside.


@cache
def _asks() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("ask_shape"))


@cache
def _evaluative() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("evaluative_ask"))


@cache
def _limits() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("context_limit"))


def is_evaluative(words: str) -> bool:
    """Whether a clause asks for a judgement of the figure ("is that good?", "正常吗")."""
    return any(p.search(words) for p in _evaluative())


def _unjudged(words: str) -> str:
    """The clause without its judgement ("if we're pestering people" is no population to
    restrict the figure to: the people are whom the judgement is about)."""
    for p in _evaluative():
        words = p.sub(" ", words)
    return words


def _asks_something(words: str, mark: str) -> bool:
    if "?" in mark or "？" in mark:
        return True
    return any(p.search(words) for p in _asks())


@dataclass(frozen=True)
class _Data:
    values: frozenset[str]
    dimensions: frozenset[str]
    metrics: frozenset[str]
    breakdowns: frozenset[str]
    segments: frozenset[str]
    numbers: frozenset[str]
    period: bool
    unsupported: bool
    cues: frozenset[str]


# A span of clock time said of the asker ("the ops sync in 10 min", "两小时后开会", "by 3pm"):
# when they need it, no number of the figure.
_CLOCK_TIME = re.compile(
    r"(?i)\b(?:in|within|after)\s+\d+\s*(?:min(?:ute)?s?|hrs?|hours?|secs?|seconds?)\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\d+\s*(?:分钟|个?小时|个钟)(?:后|之后|以后|内|之内)?"
)


def _data_of(words: str, ctx: PlannerContext) -> _Data:
    lowered = words.lower()
    model = ctx.semantic_model
    found = ctx.values.find(lowered, words)
    cues = frozenset(
        intent
        for intent, patterns in load_lexicon().intent_cues.items()
        if any(word_occurs(p, lowered) for p in patterns)  # ("about" holds no "ab")
    )
    return _Data(
        values=frozenset(v for _, v, _ in found),
        dimensions=frozenset(d for d, _, _ in found),
        metrics=frozenset(metrics_named(lowered, model)),
        breakdowns=frozenset(breakdowns_named(lowered, model)),
        segments=frozenset(lowered[s:e] for s, e in _segment_spans(lowered)),
        numbers=frozenset(re.findall(r"\d+", _CLOCK_TIME.sub(" ", words))),
        period=find_period(words, planner_today()) is not None,
        unsupported=unsupported_in(lowered, model) is not None,
        cues=cues,
    )


@cache
def _topics() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("topic_shape"))


@cache
def _referring() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in reader_words("referring_word"))


def _topic_referred(words: str, at: int, clauses: list[Clause], kept: set[int], text: str) -> bool:
    """Whether a clause is the topic of the ask: a bare noun phrase ("the air fryer", "那款
    空气炸锅", lexicon `topic_shape`) said before an asking clause that refers back to it
    ("is it selling?", "卖得怎么样"; `referring_word`). What the ask is about, never talk:
    when the planner does not know it, the question is asked back naming it."""
    if not any(p.search(words) for p in _topics()):
        return False
    for i in sorted(kept):
        if i > at:
            asked = text[clauses[i].start : clauses[i].end]
            return any(p.search(asked) for p in _referring())
    return False


# A Chinese clause that says something rather than names something has one of these
# characters (a pronoun, a particle, a modal or a verb of saying, wanting or seeing).
_CHINESE_TALK = re.compile(
    r"[我你您他她它们的了吗呢吧啊呀哦哈嘛会要想看说问是在有没不很太都也就还能可得过着把被让给用觉感怕]"
)


def _bare_name(words: str, mark: str) -> bool:
    """Whether a clause only names something, one to three words with no verb or function
    word ("Atlantis - revenue last month?", "亚特兰蒂斯。上个月销售额"): what the figure is of,
    never talk; the planner asks about it by name when the store does not hold it. A greeting
    or sign-off ("hi team", "thanks!") is of context_shape and a label before a colon
    ("year-end recon:") says what the ask is for: both stay talk."""
    if _shape_end(words, mark) is not None or ":" in mark or "：" in mark:
        return False  # (a label before a colon, "year-end recon:", says what the ask is for)
    if has_cjk(words):
        return len(words) <= 8 and not _CHINESE_TALK.search(words) and not _LATIN.search(words)
    tokens = re.findall(r"[\w'’-]+", words.lower())
    function_words = load_lexicon().function_words
    return 0 < len(tokens) <= 3 and not any(t in function_words for t in tokens)


# What makes a Chinese fragment someone's talk rather than a keyword of the ask: a speaker or
# an addressee (我, 咱, 老板 ...), a wish, feeling or guess (想, 觉得, 怀疑 ...), a sentence's end
# particle.
_CHINESE_VOICE = re.compile(
    r"[我咱你您]|老板|领导|同事|团队|想|觉|感觉|怀疑|估计|希望|打算|准备|担心|要|应该|该"
    r"|[了吧呢啊呀嘛哈哦啦]\s*$"
)


def _unvoiced_fragment(words: str, at: int, clauses: list[Clause]) -> bool:
    """Whether a Chinese clause cut off by a bare space ("10月 用了优惠券 和 没用优惠券 的订单")
    has no voice of its own (no speaker, wish, purpose or end particle): keywords typed apart are the
    ask's conditions, never talk set aside. Punctuated clauses are judged as before."""
    if not has_cjk(words):
        return False
    before = clauses[at - 1].mark if at > 0 else "."
    spaced = clauses[at].mark == "" and at < len(clauses) - 1 or before == ""
    voiced = _CHINESE_VOICE.search(words) or _shape_end(words, clauses[at].mark) is not None
    return spaced and not voiced  # (a purpose, "给双12选品做参考", is a voice of its own)


def _weight(data: _Data) -> int:
    return len(data.values) + len(data.metrics) + len(data.breakdowns) + int(data.period)


def _covered(side: _Data, ask: _Data) -> bool:
    """Whether every piece of data in a side clause is also in the ask."""
    if side.unsupported:
        return False
    if side.period and not ask.period:
        return False
    values_ok = side.values <= ask.values
    numbers = side.numbers - ask.numbers
    if numbers and not side.period:
        return False
    return (
        values_ok
        and side.metrics <= ask.metrics
        and side.breakdowns <= ask.breakdowns
        and side.segments <= ask.segments
        and side.cues <= ask.cues
    )


def _dimension_covered(side: _Data, ask: _Data) -> bool:
    """A value said beside a breakdown of its own dimension ("Shanghai ... city by city")."""
    if side.unsupported or (side.period and not ask.period) or side.numbers - ask.numbers:
        return False
    return (
        bool(side.values)
        and side.dimensions <= ask.breakdowns
        and side.metrics <= ask.metrics
        and side.breakdowns <= ask.breakdowns
        and side.segments <= ask.segments
        and side.cues <= ask.cues
    )


def _names_a_figure(data: _Data) -> bool:
    """Whether a clause names a metric or a tool's task (what a bare figure request holds)."""
    return bool(data.metrics or data.cues)


# A speaker, an addressee or a need ("I", "we", "you", "need it for ..."): someone's talk.
_SPEAKER = re.compile(r"(?i)\b(?:i|me|my|i'm|i'll|i'd|we|us|our|you|your|need|needs|needed)\b")


def _voiced(words: str, mark: str) -> bool:
    """Whether a clause is plainly someone's talk: a context shape or a speaker ("need it for
    the ops sync in 10 min", "我要开会用"), and no condition of the figure in it."""
    shape_end = _shape_end(words, mark)
    # (Chinese talk is cut by the space and shape rules above; a 我 alone is no sure sign)
    voice = shape_end is not None or (not has_cjk(words) and _SPEAKER.search(words))
    # (a condition here is a quoted or capitalised name or an instruction for the figure: the
    # prepositions that make any clause a possible condition are someone's talk in it)
    named_thing = _QUOTED.search(words) or _CAPITALISED.search(words[shape_end or 0 :])
    return bool(voice) and not named_thing and not gives_instruction(words)


def side_clauses(text: str, ctx: PlannerContext) -> tuple[list[Clause], list[Clause]]:
    """(talk, evaluative): the clauses of `text` around its ask that hold no restriction the
    ask lacks, and the evaluative side-questions among them. Both empty when no clause asks,
    or when nothing is left to ask."""
    clauses = clauses_of(text)
    if len(clauses) < 2:
        return [], []
    kinds: list[str] = []
    for clause in clauses:
        words = text[clause.start : clause.end].strip()
        if is_evaluative(words):
            kinds.append("judge")
        elif _asks_something(words, clause.mark):
            kinds.append("ask")
        else:
            kinds.append("talk")
    if "ask" not in kinds and "judge" in kinds:
        # a figure named bare beside a judgement asked of it ("q2 refunds by city - which
        # ones worry us most?"): the figure is the ask
        kinds = ["ask" if k == "talk" else k for k in kinds]
    if "ask" not in kinds:
        # a figure named bare beside talk ("return rate per sales channel for oct, need it for
        # the ops sync in 10 min"): the clauses naming a metric or a tool's task are the ask
        named = [
            i
            for i, clause in enumerate(clauses)
            if kinds[i] == "talk"
            and _names_a_figure(_data_of(text[clause.start : clause.end], ctx))
        ]
        if not named or len(named) == len(clauses):
            return [], []
        # only when every other clause is someone's talk, holding no condition ("the flagship
        # thing", "we care about the Aurora line" stay data, and are asked about)
        if not all(
            _voiced(text[c.start : c.end].strip(), c.mark)
            for i, c in enumerate(clauses)
            if i not in named
        ):
            return [], []
        kinds = ["ask" if i in named else k for i, k in enumerate(kinds)]
    # The ask's data: the asking clauses' and every clause kept beside them (a topic said
    # before a dash, "Chengdu folks who order through the app - what share ..."), read again
    # until nothing more is kept.
    kept = {i for i, k in enumerate(kinds) if k == "ask"}
    while True:
        ask_text = " ".join(text[clauses[i].start : clauses[i].end] for i in sorted(kept))
        ask = _data_of(ask_text, ctx)
        more: list[tuple[int, int]] = []
        for i, clause in enumerate(clauses):
            if i in kept:
                continue
            words = text[clause.start : clause.end].strip()
            if kinds[i] == "judge":
                words = _unjudged(words)
            side = _data_of(words, ctx)
            forced = (
                any(p.search(words) for p in _limits())
                or gives_instruction(words)
                or _topic_referred(words, i, clauses, kept, text)
                or (kinds[i] == "talk" and _bare_name(words, clause.mark))
                or (kinds[i] == "talk" and _unvoiced_fragment(words, i, clauses))
            )
            if forced or not (_covered(side, ask) or _dimension_covered(side, ask)):
                more.append((0 if forced else 1, -_weight(side), i))
        if not more:
            break
        # One clause at a time: those that must be kept first (keywords typed apart, a
        # limit, a bare name), then the one holding most data: what they hold may cover
        # another clause that only names it again ("... the mini program kills loyalty",
        # "护肤和彩妆 近三十天 销售额 对比一下，彩妆这个月感觉拉胯").
        kept.add(min(more)[2])
    talk = [c for i, c in enumerate(clauses) if i not in kept and kinds[i] == "talk"]
    judge = [c for i, c in enumerate(clauses) if i not in kept and kinds[i] == "judge"]
    return talk, judge
