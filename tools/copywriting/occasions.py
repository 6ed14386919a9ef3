"""Occasions, promo codes and deadlines of a copy brief, in English and Chinese.

An occasion (event) comes from the marketer's words or from the store's own
campaigns: the shopping festivals of the Chinese calendar (Double 11 / 双11,
618, Spring Festival / 春节 ...), a campaign name in the store ("Double 11
2025 - SMS" -> "Double 11"), or a named event in the request ("the Autumn Tea
Festival", "秋茶节"). A known festival is written in the copy's language; any
other event is kept as the marketer wrote it (we do not translate names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.lazy_regex import lazy_compile
from tools.copywriting.claims import find_claims


@dataclass(frozen=True)
class Occasion:
    """An event as copy names it in each language."""

    en: str
    zh: str

    def name(self, language: str) -> str:
        """The event's name in `language`."""
        return self.zh if language == "zh" else self.en

    def spellings(self) -> tuple[str, ...]:
        """Every way a draft may name it (either language)."""
        return tuple(dict.fromkeys(s for s in (self.en, self.zh) if s))


# (English, Chinese, pattern over the request): the festivals marketers in China plan for.
FESTIVALS: tuple[tuple[str, str, str], ...] = (
    ("Double 11", "双11", r"double\s*(?:11|eleven)|singles'?\s*day|双\s*(?:11|十一)|11\.11"),
    ("Double 12", "双12", r"double\s*(?:12|twelve)|双\s*(?:12|十二)|12\.12"),
    ("618", "618", r"(?<!\d)618(?!\d)|6\.18|年中大促"),
    (
        "Spring Festival",
        "春节",
        r"spring\s+festival|chinese\s+new\s+year|lunar\s+new\s+year|春节|年货节",
    ),
    (
        "Mid-Autumn Festival",
        "中秋节",
        r"mid-?\s*autumn(?:\s+festival)?|moon\s*cake\s+festival|中秋",
    ),
    ("Qixi", "七夕", r"qixi|七夕"),
    ("Valentine's Day", "情人节", r"valentine'?s?(?:\s+day)?|情人节"),
    ("Women's Day", "女神节", r"women'?s\s+day|女神节|三八节|妇女节"),
    ("National Day", "国庆", r"national\s+day|golden\s+week|国庆"),
    ("New Year", "元旦", r"new\s+year'?s?(?:\s+day)?(?!\s+(?:festival|goods))|元旦"),
    ("Christmas", "圣诞", r"christmas|xmas|圣诞"),
    ("Black Friday", "黑五", r"black\s+friday|黑五|黑色星期五"),
    ("Mother's Day", "母亲节", r"mother'?s\s+day|母亲节"),
    ("Father's Day", "父亲节", r"father'?s\s+day|父亲节"),
    ("Children's Day", "儿童节", r"children'?s\s+day|六一|儿童节"),
    ("Anniversary Sale", "周年庆", r"anniversary|周年庆"),
    ("Birthday", "生日", r"birthday|生日"),
)
# "our summer sale", "the winter clearance": a season or kind of sale named in lower case.
_SEASONAL = lazy_compile(
    r"\b((?:spring|summer|autumn|fall|winter|holiday|clearance|flash|end[- ]of[- ]season|weekend|"
    r"back[- ]to[- ]school)\s+(?:sale|festival|event|clearance))\b",
    re.I,
)
# "the Autumn Tea Festival", "our Summer Sale": a capitalised name ending in an event noun.
_NAMED_EN = lazy_compile(
    r"\b((?:[A-Z][\w'&-]*\s+){1,4}(?:Festival|Fest|Sale|Week|Weekend|Day|Fair|Carnival|Gala|Party))\b"
)
# "秋茶节", "会员日", "夏日大促": a short Chinese name ending in an event word.
_NAMED_ZH = lazy_compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,6}?(?:节|大促|会员日|狂欢|周年庆|嘉年华))")
_ZH_NOT_EVENT = lazy_compile(r"^(?:一|每|这|那|本|上|下|这个|节)")

_NOT_OCCASION = lazy_compile(r"win-?\s*back|reactivat|re-?engage|a/b|\btest\b|召回|唤醒|测试", re.I)

PROMO_CODE = lazy_compile(
    r"(?:promo(?:tion)?\s*code|coupon\s*code|discount\s*code|voucher\s*code|\bcode|"
    r"优惠码|券码|折扣码|口令|兑换码)\s*[:：=]?\s*[\"'“‘]?([A-Za-z0-9][A-Za-z0-9_-]{2,23})",
    re.I,
)


def find_festival(text: str) -> tuple[Occasion, tuple[int, int]] | None:
    """The known festival named in `text` and where, or None."""
    for en, zh, pattern in FESTIVALS:
        match = re.search(pattern, text, re.I)
        if match:
            return Occasion(en, zh), match.span()
    return None


def campaign_events(campaign_names: list[str]) -> list[str]:
    """Event names of the store's campaigns: "Double 11 2025 - SMS" -> "Double 11"."""
    names = []
    for raw in campaign_names:
        name = re.split(r"\s+(?:19|20)\d{2}\b|\s+[-–—]\s+", raw.strip())[0].strip()
        # A win-back or an A/B test is a kind of campaign, not an occasion copy can name.
        if name and not re.fullmatch(r"[\d\s]+", name) and not _NOT_OCCASION.search(name):
            names.append(name)
    return list(dict.fromkeys(names))


def find_event(text: str, store_events: list[str] = ()) -> tuple[str, tuple[int, int]] | None:
    """The event the request names (as written there) and its span: a festival, a
    campaign of the store, or a named event ("the Autumn Tea Festival", "秋茶节")."""
    festival = find_festival(text)
    if festival:
        start, end = festival[1]
        return text[start:end], festival[1]
    for name in sorted(store_events, key=len, reverse=True):
        at = text.lower().find(name.lower())
        if at >= 0 and len(name) >= 3:
            return text[at : at + len(name)], (at, at + len(name))
    match = _NAMED_EN.search(text) or _SEASONAL.search(text)
    if match:
        return match.group(1), match.span(1)
    for match in _NAMED_ZH.finditer(text):
        if not _ZH_NOT_EVENT.match(match.group(1)):
            return match.group(1), match.span(1)
    return None


# A brief that announces something new: "the new autumn skincare set", "our launch", "新护肤系列".
LAUNCH = lazy_compile(
    r"\bnew\b(?!\s+(?:customers?|members?|buyers?|users?|shoppers?|clients?|subscribers?)\b)|\blaunch|\barrivals?\b|新品|上新|全新|新款|新[\u4e00-\u9fff]{0,4}系列",
    re.I,
)
_ANNOUNCING = re.compile(
    r"^(?:to\s+)?(?:launch(?:ing)?|announc(?:e|ing)|introduc(?:e|ing)|promot(?:e|ing))\s+", re.I
)


def announced_thing(goal: str | None) -> str | None:
    """What a brief announces as new, in the marketer's words ("the new autumn skincare set",
    "新护肤系列"), or None when the goal announces nothing new. The store keeps no launch
    dates, so copy may call only this thing new, never a catalogue product."""
    if not goal or not LAUNCH.search(goal):
        return None
    thing = goal.strip().rstrip(".。!！")
    thing = _ANNOUNCING.sub("", thing) or thing  # "launch the new line": the new line
    return thing or None


def occasion_of(event: str) -> Occasion:
    """The event as copy writes it: a known festival in both languages, else as given."""
    event = re.sub(r"^(?:the|our)\s+", "", event.strip(), flags=re.I)
    festival = find_festival(event)
    if festival:
        return festival[0]
    return Occasion(event, event)


def find_promo_code(text: str) -> tuple[str, tuple[int, int]] | None:
    """The promo code given in `text` ("code TEAFEST15", "优惠码 TEA15") and its span."""
    for match in PROMO_CODE.finditer(text):
        code = match.group(1)
        # A code has a digit or is written in capitals; "code for" is not a code.
        if re.search(r"\d", code) or code.isupper():
            return code, match.span()
    return None


@dataclass(frozen=True)
class Deadline:
    """When an offer ends: the date (ISO, or --MM-DD without a year) and how copy writes it."""

    day: str | None
    raw: str

    def written(self, language: str) -> str:
        """ "11 November" / "11月11日" for a date; the marketer's words otherwise."""
        if not self.day:
            return self.raw
        month, day = int(self.day[-5:-3]), int(self.day[-2:])
        if language == "zh":
            return f"{month}月{day}日"
        return f"{day} {date(2000, month, 1):%B}"

    def spellings(self) -> tuple[str, ...]:
        """How a draft may state it (checked through dates when there is one)."""
        return tuple(dict.fromkeys([self.written("en"), self.written("zh"), self.raw]))


_DEADLINE = lazy_compile(
    r"(?:\b(?:ends?|ending|until|till|through|thru|valid\s+(?:until|through|till)|by|before|"
    r"deadline|expires?|last\s+day)\s*[:：]?\s*(?:on\s+)?)"
    r"(?P<en>[^,.;!?，。；！？]{2,30})"
    r"|(?:截止(?:到|日期|时间)?\s*[:：]?|到|至)\s*(?P<zh1>\d{1,2}\s*月\s*\d{1,2}\s*[日号])"
    r"|(?P<zh2>\d{1,2}\s*月\s*\d{1,2}\s*[日号])\s*(?:前|截止|之前|结束|止)",
    re.I,
)


_WEEKDAY_END = lazy_compile(
    r"\b(?:ends?|ending|until|till|by)\s+(?:this\s+|next\s+)?"
    r"((?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|tonight)\b"
    r"|((?:本|这|下)?周[一二三四五六日天]|明天|今晚)\s*(?:前|截止|结束|之前)",
    re.I,
)


def find_deadline(text: str) -> tuple[Deadline, tuple[int, int]] | None:
    """The end date the request gives ("ends 11 Nov", "until November 11", "11月11日前");
    a weekday ("ends Sunday", "周日前") is kept as written, without a date."""
    day = _WEEKDAY_END.search(text)
    for match in _DEADLINE.finditer(text):
        phrase = match.group("en") or match.group("zh1") or match.group("zh2")
        dates = [c for c in find_claims(phrase) if c.kind == "date"]
        if dates:
            claim = dates[0]
            # An English phrase ends with its date ("ends Nov 11"); a Chinese one with 前/截止.
            end = match.start("en") + claim.span[1] if match.group("en") else match.end()
            return Deadline(claim.day, phrase[claim.span[0] : claim.span[1]]), (match.start(), end)
    if day:
        return Deadline(None, (day.group(1) or day.group(2)).capitalize()), day.span()
    return None


def read_deadline(text: str) -> Deadline:
    """A deadline given as its own words ("November 11", "11月11日", "this Sunday")."""
    dates = [c for c in find_claims(text) if c.kind == "date"]
    return Deadline(dates[0].day if dates else None, text.strip())
