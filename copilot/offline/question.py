"""Reading a question once: its language, period phrase, named store values, plain text.

Every intent reader works from the same `Question`, so periods and values are
found one way for all tools.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from copilot.offline.clock import planner_today
from copilot.offline.values import ValueIndex, product_mentions
from copilot.offline.words import first_span, literal_spans
from copilot.unicode_text import has_cjk
from knowledge.place_names import REGION_GROUPS
from knowledge.time_ranges import TimeRange, find_period, names_an_event
from knowledge.time_ranges.grammar import RUNNING_WORDS
from knowledge.time_ranges.lexicon import day_itself_spans
from knowledge.time_ranges.model import PeriodMatch
from knowledge.time_ranges.numerals import CN_MONTH, EN_WORDS, to_int

if TYPE_CHECKING:
    from knowledge.semantic import SemanticModel

_EN_NUMBER = "|".join(sorted(EN_WORDS, key=len, reverse=True))


@cache
def _superlatives_zh() -> str:
    """The Chinese words for either end of a ranking that its N may follow ("最高的3个",
    "垫底的3个城市", "最能打的两个品类"), as one alternation, longest first: the lexicon's
    reader_words top_ranking, bottom_ranking and worst_ranking written in Chinese (倒数
    comes before its N, read on its own)."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    words = {
        w
        for reader in ("top_ranking", "bottom_ranking", "worst_ranking")
        for w in reader_words(reader)
        if has_cjk(w) and re.fullmatch(r"[\u4e00-\u9fff]+", w) and w != "倒数"
    }
    return "|".join(sorted(words, key=len, reverse=True))


# "top 5", "top five", "best three": N in any spelling of the numerals module (words too).
@cache
def _top_n_pattern() -> re.Pattern[str]:
    best = _superlatives_zh()
    return re.compile(
        r"(?<![a-z])(?:top|best|highest|largest|biggest|strongest|bottom|worst|lowest|fewest"
        r"|weakest|smallest)[\s-]*(\d+|"  # ("Top-5 cities", "top 5", "top5")
        + _EN_NUMBER
        + r")(?![a-z0-9])|(?:前|倒数)\s*(\d+|[一二两三四五六七八九十]+)"
        # ("再往前一个季度", "前三个月": a span of time back, no ranking)
        r"(?![\d一二两三四五六七八九十]|\s*个?\s*(?:季度|月|年|周|星期|礼拜|天|日|小时))\s*(?:名|个|位)?"
        rf"|(?:{best})的?\s*(\d+|[一二两三四五六七八九十]+)\s*(?:个|名|位|款|家|大)"
        r"|(?<![a-z])which\s+(\d+|" + _EN_NUMBER + r")(?![a-z])"
        # "哪三个城市销售额最高": which N of a thing (哪一个 is "which one", no ranking of N).
        r"|哪\s*(\d+|[二两三四五六七八九十]+|一[一二三四五六七八九十]+)\s*(?:个|名|位|款|家|类)"
        # "the three campaigns with the best CTR": N things, then the superlative.
        r"|(?<![a-z0-9.])(\d{1,3}|" + _EN_NUMBER + r")\s+[a-z]+\s+(?:with|by|that|which|having"
        r"|had|have|has|showing)\s+(?:the\s+)?(?:best|biggest|largest|highest|top|leading"
        r"|strongest|worst|lowest|smallest|bottom|fewest|weakest|most|least)(?![a-z])"
        # "the five biggest cities", "3 best-selling products": the number before the superlative.
        r"|(?<![a-z0-9.])(\d{1,3}|"
        + _EN_NUMBER
        + r")\s+(?:best|biggest|largest|highest|top|leading|strongest"
        r"|worst|lowest|smallest|bottom|fewest|weakest)(?![a-z])"
    )


# The thing a top N ranks, when the question names it by its plain noun: "the best seven
# campaigns by ROI", "前五的活动" (group 1: English word after the number or superlative,
# group 2: the Chinese word after 前N).
@cache
def _ranked_noun_pattern() -> re.Pattern[str]:
    best = _superlatives_zh()
    return re.compile(
        r"(?<![a-z])(?:(?:top|best|worst|biggest|largest|highest|leading|strongest|bottom|lowest"
        r"|weakest)\s*(?:\d+|"
        + _EN_NUMBER
        + r")|(?:\d+|"
        + _EN_NUMBER
        + r")\s+(?:best|biggest|largest|highest|top|leading|strongest|worst|bottom|lowest|weakest)"
        r"(?:[- ](?:performing|selling))?)"
        # ("top 3 best campaigns", "top five worst-performing cities": a superlative doubled)
        r"(?:\s+(?:best|worst|biggest|largest|highest|leading|strongest|lowest|weakest)"
        r"(?:[- ](?:performing|selling))?)?\s+([a-z]+)"
        r"|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|个|位)?的?\s*([\u4e00-\u9fff]{2})"
        # "ROI最高的三个活动", "哪三个城市": the Chinese word after the superlative's N.
        rf"|(?:(?:{best})的?|哪)\s*(?:\d+|[一二两三四五六七八九十]+)\s*"
        r"(?:个|名|位|款|家|类|大)的?\s*([\u4e00-\u9fff]{2})"
        # ("哪几个营销活动ROI排名前三", "哪些品类进了前五"): the thing asked for by "which ones"
        # beside a ranking read elsewhere.
        r"|哪(?:几|些)\s*(?:个|名|位|款|家|类)?\s*([\u4e00-\u9fff]{2})"
        # "ROI最高的活动是哪个": the one thing after a superlative with no N (a top 1; read only
        # when the word is a dimension's label, metrics._ranked_dimension).
        rf"|(?:{best})的\s*([\u4e00-\u9fff]{{2}})"
        # "the three campaigns with the best CTR": the English word after N.
        r"|(?<![a-z0-9.])(?:\d{1,3}|" + _EN_NUMBER + r")\s+([a-z]+)\s+(?:with|by|that|which|having"
        r"|had|have|has|showing)\s+(?:the\s+)?(?:best|biggest|largest|highest|top|leading"
        r"|strongest|worst|lowest|smallest|bottom|fewest|weakest|most|least)(?![a-z])"
        # "which three campaigns earned the most back": the English word after "which N", whatever
        # verb follows (the top N itself is read by _top_n_pattern).
        r"|(?<![a-z])which\s+(?:\d{1,3}|" + _EN_NUMBER + r")\s+([a-z]+)"
        # "of the campaigns we sent in 2025, which three ...", "去年的活动里，ROI前三的是哪几个":
        # the pool the top N is taken from, named before the ranking.
        r"|(?<![a-z])(?:of|among|from)\s+(?:all\s+)?(?:the|our|those|these|all)\s+(?:[\w-]+\s+)??"
        r"([a-z]+)\b[^.?!;]{0,60}?(?<![a-z])(?:which|top|best|worst)\s+(?:\d{1,3}|"
        + _EN_NUMBER
        + r")(?![a-z])"
        r"|([\u4e00-\u9fff]{2})(?:里面?|中|当中|之中)[^。？?!！；;]{0,30}?"
        # ("今年做的活动里 ROI 最高的三个": the superlative's N too)
        rf"(?:前|倒数|哪|(?:{best})的?)\s*"
        r"(?:\d+|[一二两三四五六七八九十]+)"
        # A ranking verb with no N: "rank campaigns by ROI", "sort our email campaigns on CTR",
        # "campaigns ranked by ROAS", "活动按ROAS从高到低排", "按ROI给活动排个序": the thing
        # ranked is the breakdown (read only when it is a dimension's label, as above).
        r"|(?<![a-z])(?:rank|ranking|sort|sorting|order|compare|comparing|list|show)\s+(?:me\s+)?"
        r"(?:all\s+)?(?:the\s+|our\s+|my\s+)?(?:[a-z]+\s+)??([a-z]+)\s+(?:by|on|in\s+terms\s+of"
        r"|according\s+to)(?![a-z])"
        r"|(?<![a-z])([a-z]+)\s+(?:ranked|sorted|ordered|listed)\s+(?:by|on)(?![a-z])"
        r"|([\u4e00-\u9fff]{2})(?:之间)?按照?[^。？?!！；;，,]{1,15}?(?:排序|排名|排行|排列|排)"
        r"|按照?[^。？?!！；;，,]{1,15}?(?:给|对|把|为)(?:所有|全部|各个?)?的?([\u4e00-\u9fff]{2})"
        r"(?:排序|排名|排行|排列|排)"
    )


# Full-width digits, Latin letters and % ("２０２５年", "ＧＭＶ", "５％", typed with a Chinese
# input method) read as their ASCII forms; full-width punctuation stays (the readers know it).
_FULL_WIDTH = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
    0xFF05: ord("%"),
    0x3000: ord(" "),
}
# "平均每个客户的终身价值": the per-customer words split 平均 from its metric; written
# "每个客户的平均终身价值", the metric reads whole (the same length, so spans still hold).
_AVERAGE_PER_CUSTOMER = re.compile(r"平均\s*(每(?:一)?(?:个|位|名)?(?:客户|顾客|买家|用户|会员)的)")
_ON_A_DAY = re.compile(r"^\s*on\s", re.I)
_LEADING_FILLER = re.compile(r"^(?:(?:in|during|for|over|on|of|the|within)\s+)+", re.I)
_LEADING_PREPOSITION = re.compile(r"(?:in|during|for|over|on|within)\s+|", re.I)


# A verb of comparing a clause of its own leads to ("how did they compare with Q1", "how
# that compares to July", "how it stacks up against Q2").
_COMPARING_VERB = re.compile(
    r"(?i)\b(?:compare|compares|stack|stacks)\s+(?:up\s+)?(?:to|with|against)\s*(?:the\s+)?$"
)


def apart_period(raw: str, period: PeriodMatch) -> str | None:
    """The other period of a comparison said apart from the first, words of the question
    between ("Q2 2025 orders - how did they compare with Q1": "Q1"), when it reads alone as a
    period (a comparison word alone, "MoM", is no period); None otherwise."""
    apart = period.apart_spans()
    if not apart or not _COMPARING_VERB.search(raw[period.span[1] : apart[0][0]]):
        return None  # ("X vs Y", "compared with", "against": the phrase keeps both, as read)
    other = " ".join(" ".join(raw[a:b] for a, b in apart).split())
    found = find_period(other, planner_today())
    if found is None or found.compare_to is not None:
        return None
    return other


def _churn_periods(raw: str, text: str, period: PeriodMatch) -> tuple[PeriodMatch, str]:
    """Of two periods said with churn, one right before the other and as long ("bought in Q2,
    none in Q3", "三季度流失率：二季度买过、三季度没下单"), the later is the period asked and
    the earlier restates the buyers churn is counted from (the previous period of equal
    length, MARKETING.md): the later is read, the earlier's words blanked from `text`."""
    from knowledge.time_ranges.dates import previous_period

    if period.compare_to is not None:
        return period, text
    spans = period.all_spans or (period.span,)
    rest = raw
    for start, end in spans:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    other = find_period(rest, planner_today())
    if other is None or other.compare_to is not None:
        return period, text

    def before(a: PeriodMatch, b: PeriodMatch) -> bool:
        return previous_period(b.range) == (a.range.start, a.range.end)

    if before(other, period):
        base, asked = other, period
    elif before(period, other):
        base, asked = period, other
    else:
        return period, text
    for start, end in base.all_spans or (base.span,):
        start = _LEADING_PREPOSITION.match(text, start, end).end()
        text = text[:start] + " " * (end - start) + text[end:]
    return asked, text


def _whole_years(rng: TimeRange) -> bool:
    """Whether a range is one or more whole calendar years (1 January to 31 December)."""
    return (rng.start.month, rng.start.day, rng.end.month, rng.end.day) == (1, 1, 12, 31)


def language_of(text: str) -> str:
    """'zh' when the text contains Chinese characters, else 'en'. An English sentence that
    names a few places or products in Chinese ("revenue without 深圳 and 广州, they get their
    own slide", "only 上海, and compare with September") is English: it has three Latin words
    or more, and more Latin words than Chinese characters (a Chinese word is two or three
    characters, so a Chinese sentence with English terms, "上个月GMV分渠道看一下", stays Chinese)."""
    if not has_cjk(text):
        return "en"
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]{2,}", text))
    return "en" if latin >= 3 and latin > cjk else "zh"


@dataclass(frozen=True)
class Question:
    """A question as the intent readers see it.

    `text` is the lower-cased question with the period phrase and the named
    store values blanked out, so "618" or "Shanghai" cannot be read twice.
    """

    raw: str
    language: str
    text: str
    time_range: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    # Whether the period phrase (`time_range`) names a comparison itself ("Q3 vs Q2"), as
    # read once with it; see names_two_periods.
    compares_periods: bool = False

    def has(self, *patterns: str) -> bool:
        """Whether any regex pattern (Latin words on word boundaries) occurs in the text."""
        return any(word_occurs(p, self.text) for p in patterns)


# A range's joining word with nothing after it but the end or a clause's mark: half written.
# A dash counts only right after the period ("March 20-"): a spaced one ("Q1 - leave the app
# orders out") separates clauses, whose words a caller may have blanked already.
_HALF_RANGE = re.compile(
    r"(?:\s*(?:到|至|\b(?:to|until|till|through|thru)\b)|[-~～—－])\s*(?:$|[,，.。?？!！;；的])",
    re.I,
)


# A comparison declined ("YoY only, not MoM", "不要环比"): no comparison asked, and its word
# is placed (read as declined), never asked about.
NOT_COMPARISON = re.compile(
    r"(?:\bnot|\bno|\bwithout|\bexcluding|不要|不用|不看|别|不需要)\s*(?:the\s+)?"
    r"(?:mom|m/m|month[- ]on[- ]month|month[- ]over[- ]month|yoy|y/y|year[- ]on[- ]year"
    r"|year[- ]over[- ]year|qoq|wow|环比|同比)(?![a-z])",
    re.I,
)


# Spoken fillers a question opens with (voice input, chat): "嗯", "呃", "那个 ", "um,".
# "那个"/"就是" only before a pause: "那个活动" points at a campaign.
_LEADING_FILLER_SPOKEN = re.compile(
    r"^\s*(?:(?:嗯+|呃+|额+|唔+|哦+|噢+|(?<![a-z])(?:um+|uh+|erm+|hmm+)(?![a-z]))[\s,，、.。…~～]*"
    r"|(?:那个|就是|然后)[\s,，、…]+)+",
    re.I,
)
# An item's number in a list of sub-questions ("：1. 退货金额；2. 退货率", "(1) orders (2) AOV",
# "①销售额 ②订单数"): after a clause mark or at the start, never a number with a decimal.
_ENUMERATION = re.compile(
    r"[(（]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩]"
    # ("1. 退货金额；2. 退货率" after a colon: not "the top 3." that ends a sentence)
    r"|(?:(?<=[：:；;，,。\n])|^)\s*\d{1,2}\s*[.、)）](?!\d)(?=\s*[^\s\d])"
)


def read_question(raw: str, values: ValueIndex) -> Question:
    """Find the language, the period phrase and the store values named in a question.

    Everyday abbreviations ("this yr", "last qtr", "conv rate", "ppl") are written out
    first (lexicon `abbreviations`), so the period parser and the vocabulary see the words
    they know; `Question.raw` is that written-out text.
    """
    raw = _ENUMERATION.sub(" ", raw)  # "：1. 退货金额；2. 退货率": the items, not the numbers
    # "嗯 只要女的", "um, what about sms": a spoken filler first is no word of the question
    raw = _LEADING_FILLER_SPOKEN.sub(lambda m: " " * len(m.group()), raw)
    raw = write_out_day_ranges(expand_abbreviations(raw.translate(_FULL_WIDTH)))
    raw = write_out_regions(raw, values)
    from copilot.offline.campaigns import write_out_short_names  # (it imports this module)

    raw = write_out_short_names(raw, values)  # "SF26 email": "Spring Festival 2026 email"
    raw = _HYPHENED_DIMENSION.sub(" ", raw)
    raw = _SLASH_PER.sub(" per ", raw)
    raw = _FRACTION_BETTER.sub(_fraction_as_percent, raw)
    raw = write_out_lapse_spans(raw)
    raw = write_out_change_between(raw)
    raw = write_out_months_of_year(raw)
    raw = write_out_spoken_counts(raw)
    raw = write_out_glossed_names(raw)
    raw = _without_occasion_planned(raw)  # "for the Women's Day planning deck": what it is for
    # "the deck says ... came in at 1.61M": a figure reported by someone else, to be checked,
    # is no condition of the figure asked (copilot/offline/claims.py); the answer names it.
    from copilot.offline.claims import without_claims  # (it imports the vocabulary)
    from copilot.offline.vocabulary import reader_pattern

    raw = without_claims(raw)
    raw = _AVERAGE_PER_CUSTOMER.sub(r"\1平均", raw)
    text = NOT_COMPARISON.sub(lambda m: " " * len(m.group()), raw.lower())
    # ("the same breakdown for September, for the period-over-period appendix": a document's
    # name, no comparison asked of the figure)
    said = _without_framed_comparisons(raw)
    period = find_period(said, planner_today()) or _period_to_come(said)
    if period and _inside_a_value(period.all_spans or (period.span,), text, values):
        # "the Win-back 2026 - Email campaign": the year is part of its name; a period said
        # apart from the name ("... - SMS from 10/20 to 11/11", "... in 2025") is the question's.
        named = raw
        for start, end in period.all_spans or (period.span,):
            named = named[:start] + " " * (end - start) + named[end:]
        period = find_period(named, planner_today())
        if period and _inside_a_value(period.all_spans or (period.span,), text, values):
            period = None
    if period is not None:
        # "1月到9月（10月先不算）", "Jan-Sep (October not counted yet)": a bracket leaving out a
        # period outside the one read restates where it ends; no exclusion to ask about.
        for aside in reader_pattern("period_end_restated").finditer(raw):
            left_out = find_period(aside.group(0), planner_today())
            if left_out is not None and (
                left_out.range.start > period.range.end or left_out.range.end < period.range.start
            ):
                start, end = aside.span()
                raw = raw[:start] + " " * (end - start) + raw[end:]
                text = raw.lower()
    if period is not None and names_an_event(period.phrase(raw), planner_today()):
        # "25年双十一（按活动档期算）": counted over the campaign's days restates the
        # festival window the period reads; beside a calendar period it stays to be asked.
        for aside in reader_pattern("window_restated").finditer(raw):
            start, end = aside.span()  # (the raw text keeps them: they say it is a window)
            text = text[:start] + " " * (end - start) + text[end:]
    if period is not None and reader_pattern("churn_said").search(raw):
        period, text = _churn_periods(raw, text, period)
    if period is not None and _whole_years(period.range):
        for aside in reader_pattern("whole_year_restated").finditer(raw):
            start, end = aside.span()  # ("2025 ... full calendar year": the year restated)
            text = text[:start] + " " * (end - start) + text[end:]
    if period is not None and _SNAPSHOT_NOW.search(raw) and re.search(r"(?i)\brfm\b", raw):
        # "run the RFM segmentation as of today": the segments' reference day, no period of
        # data (RFM is always as of the store's today); its words are the RFM run's own.
        snapshot = _SNAPSHOT_NOW.search(raw)
        spans = list(period.all_spans) or [period.span]
        if all(snapshot.start() <= a and b <= snapshot.end() for a, b in spans):
            text = text[: snapshot.start()] + " " * len(snapshot.group(0)) + text[snapshot.end() :]
            period = None
    if period is not None and (snapshot := _SNAPSHOT_NOW.search(raw)):
        # "revenue as of today", "this year's revenue as of today": the day the figure is taken
        # on, not a day of data (today's orders are still coming in): the figure to date, over
        # the other period said (one still running, which "as of today" only restates) or
        # over all time, as "截至目前的销售额" reads.
        spans = list(period.all_spans) or [period.span]
        if period.range.start == period.range.end == planner_today() and all(
            snapshot.start() <= a and b <= snapshot.end() for a, b in spans
        ):
            blank = " " * len(snapshot.group(0))
            rest = raw[: snapshot.start()] + blank + raw[snapshot.end() :]
            other = find_period(rest, planner_today())
            if other is None or other.range.end >= planner_today() - timedelta(days=1):
                text = text[: snapshot.start()] + blank + text[snapshot.end() :]
                period = other
        elif period.range.end >= planner_today() - timedelta(days=1) and not any(
            a < snapshot.end() and snapshot.start() < b for a, b in spans
        ):
            # ("this year's revenue as of today", "截至今天今年的销售额": the running period's end)
            text = text[: snapshot.start()] + " " * len(snapshot.group(0)) + text[snapshot.end() :]
    if period and _HALF_RANGE.match(raw, max(e for _, e in period.all_spans or (period.span,))):
        # "3月20日到的销售额", "revenue from March 20 to": a range with its end unwritten is not
        # the one day read; no period, its words left in the text to be asked about.
        period = None
    time_range = None
    restated: list[tuple[int, int]] = []
    if period:
        period, restated = _restating_bracket(raw, period)
    if period:
        spans = list(period.all_spans) or [period.span]
        # The phrase keeps any comparison ("this year vs last year"); the tool reads both.
        phrase = period.phrase(raw)
        if apart_period(raw, period):
            # "Q2 2025 orders - how did they compare with Q1": the other period stands apart,
            # words of the question between; the phrase is the first period, the other is
            # the comparison (copilot/offline/intents/metrics.py `_second_period`).
            phrase = period.phrase(raw, apart=False)
        # A lower-case "mom" / "yoy" is a comparison only beside its change word ("mom
        # change"), which the phrase leaves out: written in capitals, the tool reads it alone.
        time_range = _LOWER_COMPARISON.sub(
            lambda m: m.group(0).upper(), clean_period_phrase(phrase)
        )
        itself = day_itself_spans(raw) if period.range.start == period.range.end else []
        if period.range.start == period.range.end and (_ON_A_DAY.match(phrase) or itself):
            # "sold on Double 11", "618: the takings on the day itself": "on" is what makes
            # the festival its day, not its promotion window, when the tool reads the
            # phrase again.
            time_range = f"on {time_range}" if not _ON_A_DAY.match(time_range) else time_range
            spans += itself  # the day-itself words are the period's
        spans += _naming_bracket(raw, spans, period.range)
        spans += restated  # the period the bracket restates, and its hedge ("-ish")
        for start, end in spans:
            # The parser widens a span over a preposition before it ("in last month"); the
            # preposition stays readable, as a verb's particle ("what did we take in last
            # month") is no part of the period.
            start = _LEADING_PREPOSITION.match(text, start, end).end()
            text = text[:start] + " " * (end - start) + text[end:]
    filters: dict[str, list[str]] = {}
    from copilot.offline.vocabulary import reader_words, segment_word_in_passing

    # "for the whole store", "全店": the unfiltered store, not the channel spelt "store".
    # "not the push test": a test set aside names no filter (its channel, its A/B).
    # "their home city": the customer's city, not the home category (customer_home).
    for words in (
        *reader_words("whole_store"),
        *reader_words("test_set_aside"),
        *reader_words("customer_home"),
        *reader_words("asker_roles"),
    ):
        text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    found, text = _without_set_aside(values.find(text, raw), text)

    for dimension, value, (start, end) in found:
        if dimension == "rfm_segment" and segment_word_in_passing(raw, start, end):
            continue  # "the most promising channel": left to be placed, or asked back
        if _names_the_send(text, dimension, (start, end), found):
            text = text[:start] + " " * (end - start) + text[end:]
            continue
        if value not in filters.get(dimension, []):  # "北京 ... 北京" names one city
            filters.setdefault(dimension, []).append(value)
        text = text[:start] + " " * (end - start) + text[end:]
    text = _dimension_chosen(text, filters, values)
    municipalities_as_provinces(filters, values)
    # "65W chargers", "X12手机": a product named by its model code and a noun of its name.
    for value, (start, end) in product_mentions(values, text):
        if value not in filters.get("product", []):
            filters.setdefault("product", []).append(value)
        text = text[:start] + " " * (end - start) + text[end:]
    # "ahead of our weekly pricing sync", "for the board pack": what the figure is for or how
    # it is shown, no slot (lexicon reader_words framing_clauses); blanked after the store's
    # values, so a value said inside ("for the Shanghai deck") is still read.
    for words in reader_words("framing_clauses"):
        text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    if len(filters.get("city", [])) + len(filters.get("province", [])) >= 2:
        # "tier-1 cities (Beijing/Shanghai/Guangzhou/Shenzhen)", "我这片区 广州 深圳 长沙": the group said beside its
        # members restates them (lexicon reader_words place_group_restated)
        for words in reader_words("place_group_restated"):
            text = re.sub(words, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    return Question(
        raw=raw,
        language=language_of(raw),
        text=text,
        time_range=_running_said(time_range, period, raw),
        filters=filters,
        compares_periods=period is not None and period.compare_to is not None,
    )


def _running_said(time_range: str | None, period: PeriodMatch | None, raw: str) -> str | None:
    """The period phrase with the word that says it is running ("Double 11 revenue so far",
    "双11目前的销售额") when that word stands outside the phrase and changes its reading: the
    phrase alone is the latest completed festival, another period."""
    if not time_range or period is None or not RUNNING_WORDS.search(raw):
        return time_range
    if RUNNING_WORDS.search(time_range):
        return time_range
    alone = find_period(time_range, planner_today())
    if alone is None or (alone.range.start, alone.range.end) == (
        period.range.start,
        period.range.end,
    ):
        return time_range
    return f"目前{time_range}" if has_cjk(time_range) else f"{time_range} so far"


@cache
def _semantic_model() -> SemanticModel:
    """The shipped semantic model: the dimensions' own words a note choosing one names."""
    from knowledge.semantic import load_semantic_model

    return load_semantic_model()


def municipalities_as_provinces(filters: dict[str, list[str]], values: ValueIndex) -> None:
    """A city that is a province too (a municipality: 上海, 北京) named beside provinces
    ("江苏、浙江、上海", "Zhejiang and Shanghai") is that province, one list with them: as a
    city beside a province filter it would leave only the city's buyers inside the province
    (none). Cities of no province's name stay cities."""
    provinces = values.stored.get("province", set())
    if not filters.get("province") or not filters.get("city"):
        return
    moved = [c for c in filters["city"] if c in provinces]
    if not moved:
        return
    kept = [c for c in filters["city"] if c not in moved]
    for value in moved:
        if value not in filters["province"]:
            filters["province"].append(value)
    if kept:
        filters["city"] = kept
    else:
        del filters["city"]


def _dimension_chosen(text: str, filters: dict[str, list[str]], values: ValueIndex) -> str:
    """The text with each note choosing between two dimensions blanked ("the signup channel I
    mean, not the order channel", "注意是注册渠道，不是下单渠道": lexicon reader_words
    `dimension_choice`), where a value the question names is of either: that value is read as
    the chosen dimension's (moved to it when the store has it there), and the refused
    dimension is no breakdown. A note beside no value of either ("by city not by channel")
    stays for the breakdown readers."""
    from copilot.offline.vocabulary import breakdowns_named, reader_words

    model = _semantic_model()
    for pattern in reader_words("dimension_choice"):
        for found in re.finditer(pattern, text, re.IGNORECASE):
            chosen = breakdowns_named(found.group("chosen"), model)
            refused = breakdowns_named(found.group("refused"), model)
            if len(chosen) != 1 or len(refused) != 1 or chosen == refused:
                continue
            chosen_dim, refused_dim = chosen[0], refused[0]
            if chosen_dim not in filters and refused_dim not in filters:
                continue
            kept = []
            for value in filters.pop(refused_dim, []):
                # (a dimension the store's values are not indexed under, such as the signup
                # channel, shares the refused one's: the note says which it is)
                if not values.knows(chosen_dim) or any(
                    d == chosen_dim and v == value for d, v in values.entries.values()
                ):
                    if value not in filters.get(chosen_dim, []):
                        filters.setdefault(chosen_dim, []).append(value)
                else:
                    kept.append(value)
            if kept:
                filters[refused_dim] = kept
            start, end = found.span()
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _without_set_aside(
    found: list[tuple[str, str, tuple[int, int]]], text: str
) -> tuple[list[tuple[str, str, tuple[int, int]]], str]:
    """The values named, less those set aside beside another value of their dimension ("the
    social one, not the SMS", "要邮件的，不要推送的": lexicon reader_words.value_set_aside
    right before the value): neither a filter nor a breakdown. A value set aside with no other
    of its dimension named is kept, for the exclusion readers to leave it out. Returns the
    values kept and `text` with the values set aside blanked, their words with them."""
    from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

    aside = reader_pattern("value_set_aside")
    said: dict[int, int] = {}  # a value set aside: where its words start
    for i, (_, _, (start, _)) in enumerate(found):
        before = max(0, start - 40)
        if words := aside.search(text[before:start]):
            said[i] = before + words.start()
    kept = {d for i, (d, _, _) in enumerate(found) if i not in said}
    dropped = {i: s for i, s in said.items() if found[i][0] in kept}
    for i, start in dropped.items():
        text = text[:start] + " " * (found[i][2][1] - start) + text[found[i][2][1] :]
    return [f for i, f in enumerate(found) if i not in dropped], text


def _names_the_send(
    text: str, dimension: str, span: tuple[int, int], found: list[tuple[str, str, tuple[int, int]]]
) -> bool:
    """Whether a channel word right after another channel's word is the noun of the send
    itself ("the social ads push", "our email push": that campaign drive; lexicon
    reader_words.send_nouns), not a second channel."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    if dimension != "channel" or text[span[0] : span[1]] not in reader_words("send_nouns"):
        return False
    return any(
        d == "channel" and end <= span[0] and not text[end : span[0]].strip()
        for d, _, (_, end) in found
    )


_BRACKET = re.compile(r"\s*[(（]\s*([^()（）]{1,40}?)\s*[)）]")


def _naming_bracket(
    raw: str, spans: list[tuple[int, int]], period: TimeRange
) -> list[tuple[int, int]]:
    """A bracket right after the period that names a festival holding the same days ("11 Nov
    (Double 11)", "2026-02-17（春节）"): a label of those days, read with the period; a
    bracket naming other days is left to be asked about."""
    if not spans:
        return []
    end = max(end for _, end in spans)
    said = _LENGTH_AFTER.match(raw, end)
    if said and _restates_extent(said.group(1), period):
        # "10/25到10/31这7天", "国庆那七天": the days counted, restated (with the days written
        # after them in brackets, "国庆那七天（10月1日到7日）", read with them too)
        more = _naming_bracket(raw, [said.span()], period)
        return [said.span(), *more]
    found = _BRACKET.match(raw, end)
    if found is None:
        return []
    label = found.group(1)
    if _restates_extent(label, period):
        return [found.span()]  # "trailing 90d (ending 31 Oct)", "第36周（ISO周）"
    if _DAYS_WRITTEN.search(raw[min(a for a, _ in spans) : found.start()]) and _is_festival(label):
        # "十月一号到七号（国庆）": the days are written out, the festival after them in
        # brackets only names them, even one the store has no window for.
        return [found.span()]
    for text in (label, f"{label} {period.start.year}"):  # "(Double 11)" takes the date's year
        named = find_period(text, planner_today())
        if named is None or named.compare_to is not None or named.span != (0, len(text)):
            continue
        inner = named.range
        if inner.start <= period.start and period.end <= inner.end:
            return [found.span()]
    return []


# Words after a period restating how many days it holds ("这7天", "共7天", "these 7 days").
_LENGTH_AFTER = re.compile(
    r"\s*((?:这|那|共|总共|一共|整整|合计)\s*(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*天"
    r"|(?:these|those|all)\s+\d{1,3}\s+days)",
    re.I,
)
# A bracket restating a period's extent: its last or first day, its length, or that its
# week is the ISO one ("ending 31 Oct", "through Oct 31", "截至10/31", "7 days", "ISO周").
_END_SAID = re.compile(
    r"^(?:ending|ends|ended|ending\s+on|through|thru|to|until|till|up\s+to|as\s+of|截至|截止(?:到|至)?"
    r"|到|止于)\s*(?P<day>.+?)\s*(?:止|为止)?$",
    re.I,
)
_START_SAID = re.compile(
    r"^(?:starting|starts|started|starting\s+on|beginning|from|since|从|自)\s*(?P<day>.+?)"
    r"\s*(?:起|开始)?$",
    re.I,
)
_LENGTH_SAID = re.compile(
    r"^(?:这|那|共|总共|一共|整整|合计|i\.?e\.?\s*|that'?s\s+|these\s+|those\s+|all\s+)?(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:天|日|days?|d)(?:\s*(?:window|span))?$",
    re.I,
)


def _count(said: str) -> int:
    """A count of days said in digits or Chinese numerals ("7", "七", "十五"); -1 when the
    numerals make no number."""
    try:
        return to_int(said)
    except (ValueError, KeyError):
        return -1


_ISO_WEEK_SAID = re.compile(r"^(?:an?\s+)?iso\s*(?:周|week|wk)(?:s)?$", re.I)


def disagreeing_length(raw: str) -> str | None:
    """The words after the question's period that give it a number of days it does not hold
    ("10/1到10/7这10天", "Oct 1-7 (10 days)"): which is meant cannot be told."""
    period = find_period(raw, planner_today())
    if period is None or period.compare_to is not None:
        return None
    end = max(e for _, e in period.all_spans or (period.span,))
    said = _LENGTH_AFTER.match(raw, end) or _BRACKET.match(raw, end)
    if said is None or not _LENGTH_SAID.match(said.group(1).strip()):
        return None
    return None if _restates_extent(said.group(1), period.range) else said.group(1).strip()


def _restates_extent(label: str, period: TimeRange) -> bool:
    """Whether a bracket's (or trailing) words only restate the period: its last or first
    day, its number of days, or that its Monday-to-Sunday week is the ISO week."""
    label = label.strip()
    length = _LENGTH_SAID.match(label)
    if length:
        return _count(length.group("n")) == period.days
    if _ISO_WEEK_SAID.match(label):
        return period.days == 7 and period.start.weekday() == 0
    for pattern, edge in ((_END_SAID, period.end), (_START_SAID, period.start)):
        said = pattern.match(label)
        if said:
            day = find_period(said.group("day"), planner_today())
            if day is None or day.compare_to is not None:
                day = find_period(f"{said.group('day')} {period.end.year}", planner_today())
            if day is not None and day.range.start == day.range.end == edge:
                return True
    return False


# Days written out as dates: "3号", "5日", "2026-10-01", "the 3rd", "Oct 1".
_DAYS_WRITTEN = re.compile(
    r"[日号]|\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}(?:st|nd|rd|th)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.I,
)


def _is_festival(label: str) -> bool:
    """Whether a bracket's words are the name of a festival the store has no window for
    (lexicon `unknown_events`); a known one is a label only where its window holds the days
    (below)."""
    from copilot.offline.vocabulary import load_lexicon  # vocabulary imports this module
    from knowledge.time_ranges.events import holidays

    # (a holiday of knowledge/time_ranges/holidays.yaml after days written out names them too:
    # the days written are the question's, "九月一号到三号（中秋）")
    named = {str(w).lower() for h in holidays().values() for ws in h["words"].values() for w in ws}
    return label.strip().lower() in {w.lower() for w in load_lexicon().unknown_events} | named


def _restating_bracket(raw: str, period: PeriodMatch) -> tuple[PeriodMatch, list[tuple[int, int]]]:
    """A bracketed period right after the period, after a hedge or not ("last week-ish (past 7
    days)", "上个月（近30天）"), restates it exactly: the bracket's period is the question's, and
    the period before it with its hedge (lexicon reader_words.period_hedges) and the brackets
    are read with it. A bracket holding the same days, or after one day ("11 Nov (Double
    11)", a festival's label), is left to _naming_bracket; anything else is asked about."""
    from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

    if period.compare_to is not None:
        return period, []
    spans = list(period.all_spans) or [period.span]
    end = max(e for _, e in spans)
    hedge = re.compile(rf"(?:{reader_pattern('period_hedges').pattern})?", re.I).match(raw, end)
    after = hedge.end() if hedge else end
    found = _BRACKET.match(raw, after)
    if found is None:
        return _restating_words(raw, period, spans, end)
    label, offset = found.group(1), found.start(1)
    named = find_period(label, planner_today())
    if named is None or named.compare_to is not None or named.span[1] != len(label):
        return period, []
    if label[: named.span[0]].strip().lower() not in ("", "the"):  # "(the last 14 days)"
        return period, []
    inner, outer = named.range, period.range
    if inner == outer or outer.start == outer.end:
        return period, []  # the same days, or one day's label ("(Double 11)"): _naming_bracket
    in_year = (
        find_period(f"{label} {outer.start.year}", planner_today())
        if inner.start.year != outer.start.year and outer.start.year == outer.end.year
        else None
    )
    if in_year is not None and outer.start <= in_year.range.start <= in_year.range.end <= outer.end:
        # "FY2025 (Jan-Dec)", "2025（1-12月）": a bracket without a year holds months of the
        # period's own year, not of the latest year: the same days are a label (_naming_bracket
        # reads it); fewer days ("2025 (Jan-Jun)") are left unread, to be asked about
        return period, []
    if inner.start <= outer.start and outer.end <= inner.end and after == end:
        # "2月10号到20号（春节）": the festival the days fall in names them; the days said
        # are the period (_naming_bracket), never the festival's whole window. After a hedge
        # ("last week or so (the last 14 days)") the bracket says the days exactly.
        return period, []
    if _DAYS_WRITTEN.search(raw[min(a for a, _ in spans) : end]):
        # Days written out are never replaced by a bracket naming other days
        # ("3月5号到10号（双十一）"): the bracket stays unread and is asked about.
        return period, []

    replaced = _shifted(named, offset)
    return replaced, [
        *spans,
        (end, after),
        (found.start(), offset),
        (found.start(1) + len(label), found.end()),
    ]


def _shifted(named: PeriodMatch, offset: int) -> PeriodMatch:
    """A period found in a tail of the question (compare_to dropped), its spans moved by
    `offset` to where that tail starts in the whole question."""

    def shift(pairs: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
        return tuple((a + offset, b + offset) for a, b in pairs)

    return PeriodMatch(
        range=named.range,
        compare_to=None,
        span=(named.span[0] + offset, named.span[1] + offset),
        all_spans=shift(named.all_spans),
        holes=shift(named.holes),
    )


# A verb that makes "like" a comparison ("was May like April", "does this week look like
# last week"), not a period said again.
_LIKE_COMPARES = re.compile(
    r"\b(?:is|was|were|are|be|been|look|looks|looked|feel|feels|felt|similar|same|compare"
    r"|compared|compares|vs|versus)\b",
    re.I,
)


def _restating_words(
    raw: str, period: PeriodMatch, spans: list[tuple[int, int]], end: int
) -> tuple[PeriodMatch, list[tuple[int, int]]]:
    """A period said again after a restating word ("last week like last 7 days", "上个月，
    就是最近30天"; lexicon reader_words.period_restating): the second period is the question's,
    the first and the word read with it. Unchanged when no period follows the word, or
    when "like" is a comparison's ("was last month like last year")."""
    from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

    word = reader_pattern("period_restating").match(raw, end)
    if word is None or word.end() >= len(raw):
        return _restated_later(raw, period, spans, end)
    if re.search(r"(?i)\blike\b", word.group(0)) and _LIKE_COMPARES.search(raw):
        return period, []
    offset = word.end()
    named = find_period(raw[offset:], planner_today())
    if named is None or named.compare_to is not None:
        return period, []
    if raw[offset : offset + named.span[0]].strip().lower() not in ("", "the"):
        return period, []
    if named.range == period.range:
        return period, [*spans, (end, offset + named.span[1])]
    said_first = raw[period.span[0] : period.span[1]]
    said_again = raw[offset + named.span[0] : offset + named.span[1]]
    if _DAY_COUNT.search(said_first) and not _DAY_COUNT.search(said_again):
        # "最近七天 就是这一周": the days counted are the exact period, the calendar unit said
        # after them only names it (the other way round the second is: "上个月，就是最近30天")
        return period, [*spans, (end, offset + named.span[1])]
    replaced = _shifted(named, offset)
    return replaced, [*spans, (end, offset)]


# A period said as a count of days ("last 7 days", "最近七天", "近30日").
_DAY_COUNT = re.compile(
    r"(?i)\b\d+\s*(?:days?|d)\b|(?:\d+|[一二两三四五六七八九十百]+)\s*(?:天|日)"
)


# "as of today", "截至目前": the day a snapshot is taken, not a period of data.
_SNAPSHOT_NOW = re.compile(
    r"\bas\s+(?:of|at)\s+(?:today|now|right\s+now|this\s+moment)\b|截至(?:今天|目前|现在)|截止(?:到)?(?:今天|目前|现在)",
    re.I,
)


def _restated_later(
    raw: str, period: PeriodMatch, spans: list[tuple[int, int]], end: int
) -> tuple[PeriodMatch, list[tuple[int, int]]]:
    """The period restated after a comma later in the question, by a restating word and a
    span inside it ("revenue by month this year for the app channel only, like Jan through
    Oct", "今年的订单数，按渠道，也就是1到10月"): the later, exact span is the question's; the
    words between stay to be read. Unchanged when the later span is not inside the period."""
    from copilot.offline.vocabulary import reader_pattern  # vocabulary imports this module

    restating = reader_pattern("period_restating")
    for comma in re.finditer(r"[,，]", raw[end:]):
        start = end + comma.start()
        word = restating.match(raw, start)
        if word is None or not word.group(0).strip(" ,，"):
            # ("2026 so far, Jan to Oct"): a span said right after the comma restates it too
            word = re.compile(r"[,，]\s*").match(raw, start)
        if word is None or word.end() >= len(raw):
            continue
        if re.search(r"(?i)\blike\b", word.group(0)) and _LIKE_COMPARES.search(raw):
            return period, []
        named = find_period(raw[word.end() :], planner_today())
        if named is None or named.compare_to is not None or named.span[0] > 0:
            continue
        outer, inner = period.range, named.range
        if not (outer.start <= inner.start <= inner.end <= outer.end):
            continue
        restated = (start, word.end() + named.span[1])
        if inner == outer:
            return period, [*spans, restated]
        shifted = _shifted(named, word.end())
        return shifted, [*spans, restated]
    return _said_again(raw, period, spans, end)


# A preposition that makes a later period where the period read ends ("YTD ... through the
# end of October", "so far this year, up to October").
_UP_TO = re.compile(
    r"(?:\b(?:through|thru|to|until|till|up\s+to)\s+(?:the\s+)?(?:end\s+of\s+)?|截至|截止到?|到)\s*$",
    re.I,
)


def _said_words(phrase: str) -> str:
    return re.sub(r"(?i)^(?:in|on|during|for|over|of|the)\s+|[''’]s\b|\W+", "", phrase).lower()


def _said_again(
    raw: str, period: PeriodMatch, spans: list[tuple[int, int]], end: int
) -> tuple[PeriodMatch, list[tuple[int, int]]]:
    """The period read said again later in the question, in other words ("first-time
    customers so far this year - new customers per month from January through October", "YTD
    gross sales ... through the end of October"): the same days (a running period counts to
    the data's last day, the day before today), or the same end after "through"/"截至". The
    later words are the period's; nothing else is read from them. Unchanged otherwise."""
    today = planner_today()
    outer = period.range

    def same_end(day: date) -> bool:
        return day == outer.end or (
            outer.end >= today - timedelta(days=1) and day == today - timedelta(days=1)
        )

    named = find_period(raw[end:], today)
    if named is None or named.compare_to is not None:
        return period, []
    inner = named.range
    at, stop = end + named.span[0], end + named.span[1]
    first = raw[period.span[0] : period.span[1]]
    if _said_words(raw[at:stop]) == _said_words(first):
        # the same words again ("in July, and of July's buyers"): a population's period,
        # which other readers read where it stands
        return period, []
    if inner.start == outer.start and same_end(inner.end):
        return period, [*spans, (at, stop)]
    lead = _UP_TO.search(raw[end:at])
    if lead and outer.start < inner.start and same_end(inner.end):
        return period, [*spans, (end + lead.start(), stop)]
    return period, []


# A comparison word ("period-over-period", "YoY", "环比") that only names the report the figure is
# for ("for the period-over-period appendix", "for the YoY slide"): lexicon framing_clauses.
_COMPARISON_WORD = re.compile(
    r"(?:period|year|month|quarter|week)[- ](?:over|on)[- ](?:period|year|month|quarter|week)"
    r"|\b(?:yoy|mom|qoq|wow|pop)\b|同比|环比",
    re.I,
)


def _without_occasion_planned(raw: str) -> str:
    """`raw` with an occasion named as what the figure is for blanked ("for the Women's Day
    planning deck I need buyer count ... for the last 30 days", "为了双12备战"), when another
    period is said: the period asked is that one (lexicon reader_words occasion_planned)."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    blanked = raw
    for pattern in reader_words("occasion_planned"):
        for found in re.finditer(pattern, raw):  # (case kept: an occasion is capitalised)
            start, end = found.span("occasion")
            blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    if blanked != raw and find_period(blanked, planner_today()) is not None:
        return blanked
    return raw


def _without_framed_comparisons(raw: str) -> str:
    """`raw` with each comparison word inside a framing clause blanked (same length)."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    for pattern in reader_words("framing_clauses"):
        for framing in re.finditer(pattern, raw, re.I):
            for word in _COMPARISON_WORD.finditer(framing.group(0)):
                start, end = framing.start() + word.start(), framing.start() + word.end()
                raw = raw[:start] + " " * (end - start) + raw[end:]
    return raw


def _period_to_come(raw: str) -> PeriodMatch | None:
    """A period that starts after the day periods count from ("2026年9月" asked on the store's
    1 May 2026): found all the same, read from a later day, so the planner says it is after
    the data (`planner._period_ahead`) instead of dropping the words or reading another."""
    today = planner_today()
    later = find_period(raw, today + timedelta(days=5 * 366))
    return later if later is not None and later.range.start > today else None


def _inside_a_value(spans: tuple[tuple[int, int], ...], text: str, values: ValueIndex) -> bool:
    """Whether every period span lies inside a store value named in full ("Win-back 2026 -
    Email", "618 2025 - Push"): the period then belongs to that name."""
    if not any(any(ch.isdigit() for ch in text[start:end]) for start, end in spans):
        return False  # store names hold a period by its digits ("Win-back 2026", "618")
    named = [span for _, _, span in values.find(text)]
    # The parser widens a span over a preposition before it ("on Double 11 2025"): skip it.
    lead = re.compile(r"(?:(?:in|on|during|for|over|within|the|在)\s*)*", re.I)
    starts = [lead.match(text, start, end).end() for start, end in spans]
    return all(
        any(s <= first and end <= e for s, e in named)
        for first, (_, end) in zip(starts, spans, strict=True)
    )


@cache
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]] | None:
    from copilot.offline.vocabulary import load_lexicon  # vocabulary imports this module

    table = load_lexicon().abbreviations
    if not table:
        return None
    words = sorted(table, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9'])(" + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z0-9'])", re.I
    )
    return pattern, table


# A figure's change from one period to another ("how did revenue change from Q2 to Q3",
# "orders grew from 2024 to 2025", "从二季度到三季度销售额变化多大"): the second period against
# the first, never the one span from the first's start to the second's end.
_CHANGE_BETWEEN_EN = re.compile(
    r"\b(?P<verb>chang(?:e[sd]?|ing)|mov(?:e[sd]?|ing)|shift(?:ed|s|ing)?|gr(?:ow|ew|own|owing|ows)"
    r"|r(?:ise|ose|isen|ising)|f(?:all|ell|allen|alling)|drop(?:ped|s)?|go(?:ne)?\s+(?:up|down)"
    r"|went\s+(?:up|down)|trend(?:ed|ing)?|evolv(?:e[sd]?|ing)|develop(?:ed)?|compare"
    # ("top 5 cities by revenue growth from August to October"): the change said as a noun
    r"|growth|increase|decline)"
    r"(?P<extra>\s+(?:up|down))?\s+from\s+(?P<first>[^,;?!.，。？]+?)\s+(?:to|into)\s+"
    r"(?P<second>[^,;?!.，。？]+?)(?=\s*(?:[,;?!.，。？]|$|\s+(?:for|in|among|by|on|at|across|and)\b))",
    re.I,
)
_CHANGE_BETWEEN_ZH = re.compile(r"从\s*(?P<first>[^，。？,?从到]{1,16}?)\s*到\s*")
_CHANGE_WORD_ZH = re.compile(
    r"^[^，。？,?]{0,12}?(?:变化|增长|下降|涨了|跌了|涨幅|跌幅|增幅|降幅|变了|走势)"
)


def write_out_change_between(raw: str) -> str:
    """`raw` with a change between two periods written as the second against the first ("how
    did revenue change in Q3 vs Q2", "三季度对比二季度销售额变化多大"), when each side reads as a
    period on its own; else as it is."""

    def periods(first: str, second: str) -> bool:
        today = planner_today()
        a, b = find_period(first, today), find_period(second, today)
        return (
            a is not None
            and b is not None
            and a.compare_to is None
            and b.compare_to is None
            and (a.range.start, a.range.end) != (b.range.start, b.range.end)
            and clean_period_phrase(a.phrase(first)) == clean_period_phrase(first)
            and clean_period_phrase(b.phrase(second)) == clean_period_phrase(second)
        )

    def en(match: re.Match[str]) -> str:
        if not periods(match["first"], match["second"]):
            return match.group(0)
        return f"{match['verb']}{match['extra'] or ''} in {match['second']} vs {match['first']}"

    raw = _CHANGE_BETWEEN_EN.sub(en, raw)
    for match in _CHANGE_BETWEEN_ZH.finditer(raw):
        # The second period is the one said right after 到 ("三季度", not "三"), then a word
        # of change within a few characters ("销售额变化多大").
        after = raw[match.end() :]
        second = find_period(after, planner_today())
        if second is None or second.span[0] != 0:
            continue
        said = after[: second.span[1]]
        if _CHANGE_WORD_ZH.match(after[second.span[1] :]) and periods(match["first"], said):
            start, end = match.start(), match.end() + second.span[1]
            return f"{raw[:start]}{said}对比{match['first']}{raw[end:]}"
    return raw


# A year with the months asked in a bracket after it, the months' own year unsaid ("2025
# (Jan-Jun)", "FY2025 (Q1-Q2)", "2025年（1-6月）"): those months of that year.
_YEAR_THEN_BRACKET = re.compile(
    r"(?<![\d.])(?:FY\s?)?(?P<year>(?:19|20)\d\d)(?P<nian>\s*年)?\s*[(（]\s*(?P<inner>[^()（）\d]{0,3}[^()（）]{1,24}?)\s*[)）]",
    re.I,
)


def write_out_months_of_year(raw: str) -> str:
    """`raw` with "<year> (<months>)" written as the months in that year ("Jan-Jun 2025",
    "2025年1-6月") when the bracket, read in that year, is part of it and not all of it (the
    whole year restated is a label, read by `_naming_bracket`); else as it is."""

    def months(match: re.Match[str]) -> str:
        inner, year = match["inner"], int(match["year"])
        if _NAMED_YEAR_IN.search(inner) or names_an_event(inner, planner_today()):
            return match.group(0)  # ("11 Nov 2024 (Singles Day)": a day's festival label)
        before = find_period(raw[: match.end("year")], planner_today())
        lead = raw[before.span[0] : match.start("year")] if before is not None else ""
        if not _YEAR_LEAD.fullmatch(lead):
            return match.group(0)  # ("Q3 2025 (Jul-Sep)": the year ends a period of its own)
        zh = bool(match["nian"]) or has_cjk(inner)
        said = f"{year}年{inner}" if zh else f"{inner} {year}"
        found = find_period(said, planner_today())
        if (
            found is None
            or found.compare_to is not None
            or found.span != (0, len(said))
            or not (found.range.start.year == found.range.end.year == year)
            or (
                found.range.start.month,
                found.range.start.day,
                found.range.end.month,
                found.range.end.day,
            )
            == (1, 1, 12, 31)
        ):
            return match.group(0)
        return said

    return _YEAR_THEN_BRACKET.sub(months, raw)


_YEAR_LEAD = re.compile(
    r"\s*(?:(?:in|for|of|during|over|across|throughout|the|fiscal|year|fy)\s*)*", re.I
)
_NAMED_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d\d年")


def write_out_lapse_spans(raw: str) -> str:
    """The question with a lapse of a stated span written as the negated order of that span
    (lexicon reader_words lapse_span): "lapsed 45+ days" -> "with no orders in the last 45
    days", "流失超过30天" -> "近30天没下单" (a rule count, never a period's churn rate)."""
    from copilot.offline.vocabulary import reader_words  # vocabulary imports this module

    def negated(match: re.Match[str]) -> str:
        groups = match.groupdict()
        number = groups.get("n") or groups.get("n2")
        unit = groups.get("unit") or groups.get("unit2")
        if re.search(r"[天周月]", unit):
            return f"近{number}{unit}没下单"
        unit = unit if unit.endswith("s") or number == "1" else f"{unit}s"
        return f"who haven't ordered in the last {number} {unit}"

    for words in reader_words("lapse_span"):
        raw = re.sub(words, negated, raw, flags=re.IGNORECASE)
    return raw


# "rev/buyer", "orders/customer", "GMV / order": a slash before one unit noun (singular) is
# "per", as dashboards write a ratio; "orders/buyers" (two plurals) may list both, left as is.
_SLASH_PER = re.compile(
    r"(?<=[A-Za-z])\s*/\s*(?=(?:buyer|customer|cust|order|head|person|user|shopper|member"
    r"|purchaser|client|ticket|transaction)(?![A-Za-z]))",
    re.IGNORECASE,
)


# "a fifth better", "a quarter higher": a change said as a fraction of the level is that
# percentage of it (relative), as the sample-size reader reads "a 20% relative lift".
_FRACTION_BETTER = re.compile(
    r"\b(?:a|one)\s+(half|third|quarter|fifth|tenth)\s+(better|higher|more|up|lift|uplift"
    r"|improvement|increase)\b",
    re.IGNORECASE,
)
_FRACTIONS = {"half": "50", "third": "33.3", "quarter": "25", "fifth": "20", "tenth": "10"}


def _fraction_as_percent(match: re.Match[str]) -> str:
    return f"{_FRACTIONS[match.group(1).lower()]}% relative {match.group(2)}"


# "store-channel orders", "Shanghai-city buyers": a value joined to its dimension's noun by a
# hyphen is the value and the noun ("store channel"), read as the value of that dimension.
_HYPHENED_DIMENSION = re.compile(
    r"(?<=[A-Za-z0-9])-(?=(?:channel|city|category|province)s?\b)", re.IGNORECASE
)


@cache
def _regions() -> re.Pattern[str]:
    names = sorted(REGION_GROUPS, key=len, reverse=True)
    return re.compile(
        r"(?<![A-Za-z0-9'])(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9'])", re.I
    )


# "acquisition (signup) channel": a word glossed in brackets inside a two-word name.
_GLOSSED = re.compile(r"(?i)\b([a-z][\w-]*)\s*[(（]\s*([a-z][\w-]*)\s*[)）]\s*([a-z][\w-]*)\b")


# A count said in Chinese numerals, as voice input writes it ("A发了五百条 成交十二个", "B发了
# 五百二", "一千二以上的大单", "四十岁以上"): two characters or more (or one of 百千万), not
# inside a name or date ("双十一", "十一月", "第二十", "三十天" stay as they are).
_SPOKEN_COUNT = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万双第周星期礼拜前])"
    r"((?=[零〇一二两三四五六七八九十百千万]*[十百千万])[零〇一二两三四五六七八九十百千万]{2,}|[一二两三四五六七八九][百千万])"
    r"(?=\s*(?:条|个人|个(?!月|季度|星期|礼拜|小时|钟)|人|次|单|封|份|块|元|笔|件|位|岁|个点|以上|以下|以内|多)"
    # (the low end of a range of counts or ages: "二十五到三十五岁")
    r"|(?:到|至|~|-)[零〇一二两三四五六七八九十百千万\d]+\s*(?:岁|条|个人|人|元|块|单|次)"
    r"|\s*$|[\s，,。？?！!；;哈啊呢吧])"
    # one digit only where it is plainly a count: "有六个买" (buyers), "三个点的差别" (points)
    r"|(?<=有)([一二两三四五六七八九])(?=个人?(?:买|下单|成交|转化|点击|打开|注册))"
    r"|(?<![一二两三四五六七八九十])([一二两三四五六七八九])(?=个(?:百分)?点)"
)


def write_out_spoken_counts(raw: str) -> str:
    """`raw` with counts said in Chinese numerals written in digits (cn2an via `to_int`)."""

    def digits(match: re.Match[str]) -> str:
        said = next(g for g in match.groups() if g)
        try:
            return match.group(0).replace(said, str(to_int(said)), 1)
        except ValueError:
            return match.group(0)

    raw = _SPOKEN_COUNT.sub(digits, raw)
    # "打开率20个点左右": a rate said in points is that percentage; "看出3个点的差别": a change
    # of that many percentage points
    raw = re.sub(r"(率[^，。？?!！\d]{0,4}?)(\d+(?:\.\d+)?)\s*个点(?!击)", r"\1\2%", raw)
    return re.sub(r"(\d+(?:\.\d+)?)\s*个点(?!击)", r"\1个百分点", raw)


@cache
def _dimension_words() -> frozenset[str]:
    """The shipped semantic model's dimension words, lower-cased once (not per question)."""
    from copilot.offline.vocabulary import dimension_synonyms  # (it imports this module)

    return frozenset(w.lower() for ws in dimension_synonyms(_semantic_model()).values() for w in ws)


_WISE = re.compile(r"(?i)\b([a-z]+(?:\s+[a-z]+)?)[- ]wise\b")


def write_out_glossed_names(raw: str) -> str:
    """A two-word name with a gloss in brackets between its words ("cut by acquisition
    (signup) channel") written as the name it makes ("signup channel"), when either word with
    the noun after it is a dimension's name in the shipped semantic model; otherwise the bare
    noun would be read alone ("channel": the orders' channel, another breakdown)."""
    known = _dimension_words()

    def name(match: re.Match[str]) -> str:
        first, gloss, noun = match.groups()
        for word in (gloss, first):
            if f"{word} {noun}".lower() in known:
                return f"{word} {noun}"
        return match.group(0)

    def by(match: re.Match[str]) -> str:
        # "gender wise", "channel-wise", "campaign-wise": by that breakdown
        return f"by {match.group(1)}" if match.group(1).lower() in known else match.group(0)

    return _WISE.sub(by, _GLOSSED.sub(name, raw))


def write_out_regions(raw: str, values: ValueIndex) -> str:
    """The question with a region named by its group ("江浙沪", "沪深两地", "Pearl River
    Delta"; knowledge/place_names.REGION_GROUPS) written as the list of its places the store
    holds ("江苏、浙江、上海"): one filter or exclusion of them all. A region none of whose
    places the store holds is left as written, and asked about."""
    held = values.stored.get("city", set()) | values.stored.get("province", set())
    by_name = {n.lower(): places for n, places in REGION_GROUPS.items()}

    def listed(match: re.Match[str]) -> str:
        places = [p for p in by_name[match.group(1).lower()] if p in held]
        return "、".join(places) if places else match.group(0)

    return _regions().sub(listed, raw)


# "week wise", "city-wise", "campaignwise": Indian and Southeast Asian office English for a
# breakdown ("by week"), for the words a breakdown is named by (not "likewise", "otherwise").
_WISE = re.compile(
    r"(?<![A-Za-z])(day|week|month|quarter|year|city|province|region|state|campaign|channel"
    r"|category|product|gender|age|segment|variant|language)s?[- ]?wise(?![A-Za-z])",
    re.I,
)


# "september month", "in March month": Indian English naming a month with the word month.
_MONTH_MONTH = re.compile(
    r"(?<![A-Za-z])((?:jan|febr)uary|march|april|may|june|july|august|september|october"
    r"|november|december)\s+month(?![A-Za-z])",
    re.I,
)


@cache
def _model_names() -> re.Pattern[str] | None:
    """The shipped semantic model's snake_case metric and dimension names ("age_band",
    "purchase_frequency", "new_customers"), as an analyst types them."""
    from knowledge.semantic import load_semantic_model

    model = load_semantic_model()
    names = sorted((n for n in [*model.metrics, *model.dimensions] if "_" in n), key=len)
    if not names:
        return None
    return re.compile(
        r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, reversed(names))) + r")(?![A-Za-z0-9_])",
        re.I,
    )


# "How big was the repurchase rate", "how big is the churn" (a learner's "wie hoch / wie groß
# war"): what a rate or an amount was; "how big is the At Risk group" stays a size.
_HOW_BIG = re.compile(
    r"\bhow\s+big\s+(is|was|were|are)\s+(?=(?:the\s+|our\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:rates?|churn|revenue|turnover|sales|aov|ltv|roi|roas|cac|ctr|returns)\b)",
    re.I,
)


# A Chinese count word typed with spaces around its number in mixed writing ("这 3 个 product",
# "前 5 名"): the words as they are written without them.
_SPACED_COUNT_WORD = re.compile(r"([这那前后头])\s+(\d{1,2})\s*([个名款家位条])")


def expand_abbreviations(raw: str) -> str:
    """The question with the lexicon's whole-word abbreviations written out ("yr" -> "year"),
    a breakdown said "X wise" as "by X", a month said "september month" as "september", and a
    metric or breakdown typed by its name in the model ("purchase_frequency by age_band") in
    words ("purchase frequency by age band")."""
    names = _model_names()
    if names is not None:
        raw = names.sub(lambda m: m.group(1).replace("_", " "), raw)
    raw = _HOW_BIG.sub(lambda m: f"what {m.group(1)} ", raw)
    raw = _SPACED_COUNT_WORD.sub(r"\1\2\3", raw)  # "这 3 个 product": 这3个
    raw = _WISE.sub(lambda m: f"by {m.group(1)}", raw)
    raw = _MONTH_MONTH.sub(lambda m: m.group(1), raw)
    found = _abbreviations()
    if found is None:
        return raw
    pattern, table = found
    return pattern.sub(lambda m: table[m.group(1).lower()], raw)


# "一到三月", "1-3月", "1至3月": a month range written with one 月 (January to March).
_MONTH_RANGE_ZH = re.compile(
    rf"(?<![0-9零一二三四五六七八九十月.\-/])(\d{{1,2}}|{CN_MONTH})\s*(到|至|-|~|～|—|－)\s*"
    rf"(\d{{1,2}}|{CN_MONTH})\s*月(?!份?[0-9零一二三四五六七八九十]+[号日])"
)


def write_out_day_ranges(raw: str) -> str:
    """The question with a month range written with one 月 written with two ("一到三月" ->
    "一月到三月"): the period parser reads a range only when both ends name their month.
    A day range inside one month ("10月1号到20号", "Oct 1-20") the parser reads itself."""
    return _MONTH_RANGE_ZH.sub(
        lambda m: f"{m[1]}月{m[2]}{m[3]}月" if to_int(m[1]) < to_int(m[3]) <= 12 else m[0], raw
    )


_LOWER_COMPARISON = re.compile(r"(?<![A-Za-z])(?:mom|qoq|wow|yoy)(?![A-Za-z])")


def names_two_periods(text: str) -> bool:
    """Whether the period phrase of `text` names a comparison ("Q3 vs Q2", "last month
    compared with the month before"): a second period carried by the phrase itself."""
    match = find_period(text, planner_today())
    return match is not None and match.compare_to is not None


def clean_period_phrase(phrase: str) -> str:
    """The period phrase without the words around it ("in the", "的")."""
    phrase = _LEADING_FILLER.sub("", phrase.strip())
    return phrase.rstrip("的 ,，。?？") or phrase


def word_pattern(word: str) -> str:
    """A regex for `word`: on word boundaries when Latin, anywhere when Chinese.

    `word` may itself be a regex (e.g. "a/?b test"); Chinese needs no boundaries.
    """
    if has_cjk(word):
        return word
    return rf"(?<![a-z0-9]){word}(?![a-z0-9])"


# Characters that make a pattern a regex; a pattern without any is plain text.
_REGEX_SYNTAX = re.compile(r"[.^$*+?{}\[\]\\|()]")


@cache
def is_pattern(word: str) -> bool:
    """Whether a cue word is a regex (has regex syntax) rather than plain text."""
    return _REGEX_SYNTAX.search(word) is not None


def word_occurs(pattern: str, text: str) -> bool:
    """Whether `word_pattern(pattern)` matches `text`.

    Most readers' cue words are plain text (about 190 of the 265 patterns one
    question tries): those are found with `str.find` and the same boundary guard
    (copilot.offline.words), since compiling a regex for each cost ~0.1 s of CPU
    per `copilot ask` (issue 10). Real patterns ("a/?b", "cohorts?") are compiled.
    """
    if not is_pattern(pattern):
        return first_span(text, pattern, bounded=not has_cjk(pattern)) is not None
    return compiled_word(pattern).search(text) is not None


@cache
def compiled_word(word: str) -> re.Pattern[str]:
    """`word_pattern(word)` compiled once: the synonyms outnumber re's own cache."""
    return re.compile(word_pattern(word))


def named(text: str, synonyms: dict[str, list[str]]) -> list[str]:
    """Names whose synonyms occur in the text, in order of first occurrence; longest match wins."""
    return list(dict.fromkeys(name for name, _ in named_by(text, synonyms)))


# {id(mapping): (mapping, its (word, name) pairs lower-cased)} for read-only mappings (the
# vocabulary's synonyms, MappingProxyType): kept with the mapping, so the id is never reused.
_LOWERED: dict[int, tuple[Mapping[str, Any], tuple[tuple[str, str], ...]]] = {}


def _lowered_synonyms(
    synonyms: Mapping[str, Any],
) -> tuple[tuple[str, str], ...] | Iterator[tuple[str, str]]:
    """(word lower-cased, name) for every synonym, in the mapping's order: computed once for
    a read-only mapping (the vocabulary's, asked of every question), else each time."""
    pairs = ((word, name) for name, words in synonyms.items() for word in map(str.lower, words))
    if not isinstance(synonyms, MappingProxyType):
        return pairs
    kept = _LOWERED.get(id(synonyms))
    if kept is None or kept[0] is not synonyms:
        if len(_LOWERED) >= 256:
            _LOWERED.clear()
        kept = _LOWERED[id(synonyms)] = (synonyms, tuple(pairs))
    return kept[1]


def named_by(text: str, synonyms: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(name, word) for each synonym occurrence that names something, in text order: longest
    match first, and a word inside a longer one already matched ("buyers" of "first time
    buyers") is used up."""
    # Only the words the text holds can match: filtering before the sort keeps the order of
    # the rest (the sort is stable) and spares sorting and scanning thousands of synonyms.
    candidates = sorted(
        ((word, name) for word, name in _lowered_synonyms(synonyms) if word in text),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    taken: list[tuple[int, int]] = []
    hits: list[tuple[int, str, str]] = []
    for word, name in candidates:
        for span in literal_spans(text, word, bounded=not has_cjk(word)):
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            hits.append((span[0], name, word))
    return [(name, word) for _, name, word in sorted(hits)]


def ranked_noun(text: str) -> str | None:
    """The plain noun a top N ranks ("campaigns" of "the best seven campaigns"), or None."""
    match = _ranked_noun_pattern().search(text)
    if match is None:
        return None
    at = next((i for i, g in enumerate(match.groups(), 1) if g), None)
    if at is None:
        return None
    noun = match.group(at)
    if has_cjk(noun):
        # ("前三的营销活动", "前五的商品品类"): a Chinese noun of two characters may be the
        # modifier of a compound; the two characters after it come along, so the reader can
        # try the compound's head ("活动") as well.
        tail = re.match(r"[\u4e00-\u9fff]{1,2}", text[match.end(at) :])
        noun += tail.group() if tail else ""
    return noun


def top_n_spans(text: str) -> list[tuple[int, int]]:
    """Where the text asks for a top N ("top five", "前二十"): words placed by the ranking."""
    return [m.span() for m in _top_n_pattern().finditer(text)]


def top_n(text: str) -> int | None:
    """N of "top 5" / "前五名"; plain "top" means 10; None when no ranking is asked for."""
    match = _top_n_pattern().search(text)
    if match:
        raw = next(g for g in match.groups() if g)
        return to_int(raw)
    return 10 if re.search(r"(?<![a-z])top(?![a-z])", text) else None
