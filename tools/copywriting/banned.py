"""Absolute claims that advertising may not make, and what repair writes instead.

China's Advertising Law (art. 9) forbids "国家级、最高级、最佳等用语". Our reading:

- 最 + anything is an absolute claim (最好, 最佳, 最低价, 最便宜, 最强, 最先进,
  最受欢迎 ...) except the time words 最近, 最后, 最终, 最初, 最早, 最晚, which
  say when, not how good ("最后一天" = the last day).
- 最新 IS flagged: market regulators list it among absolute terms (最新技术,
  最新科学), and a "newest" claim must be proved; copy says 新品 / 全新 instead.
- 第一 is flagged as a ranking, except the ordinals 第一次, 第一步, 第一天,
  第一单, 第一件, 第一批 and 第一时间 ("right away").
- English copy avoids "best ever", "the best", "guaranteed", "#1", "number one",
  "100%" and similar, unless the brief proves the claim (`FactSheet.proven_claims`
  holds the claim's key, e.g. "#1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BannedTerm:
    """A forbidden claim: its key (for proven_claims), pattern and replacement ('' = delete)."""

    key: str
    pattern: re.Pattern[str]
    replacement: str = ""


def _zh(key: str, pattern: str, replacement: str = "") -> BannedTerm:
    return BannedTerm(key, re.compile(pattern), replacement)


def _en(key: str, pattern: str, replacement: str = "") -> BannedTerm:
    return BannedTerm(key, re.compile(rf"(?<![\w#]){pattern}(?!\w)", re.I), replacement)


# Longer, specific terms come before the generic 最 rule so their replacement wins.
BANNED_TERMS: tuple[BannedTerm, ...] = (
    _zh("最好", "最好的?", "优质的"),
    _zh("最佳", "最佳", "理想"),
    _zh("最低价", "最低价", "优惠价"),
    _zh("最便宜", "最便宜", "实惠"),
    _zh("最高级", "最高级", "高品质"),
    _zh("最新", "最新", "全新"),
    # Only 最 itself is removed, so "最受欢迎的" becomes "受欢迎的".
    _zh("最", r"最(?!近|后|终|初|早|晚)", ""),
    _zh("第一", r"第一(?!次|步|天|单|件|批|时间)", ""),
    _zh("国家级", "国家级", ""),
    _zh("世界级", "世界级", ""),
    _zh("顶级", "顶级", "高品质"),
    _zh("顶尖", "顶尖", "高品质"),
    _zh("极品", "极品", "精选"),
    _zh("极致", "极致", "出色"),
    _zh("万能", "万能", "多用途"),
    _zh("唯一", "唯一", ""),
    _zh("首选", "首选", "好选择"),
    _zh("绝对", "绝对", ""),
    _zh("史无前例", "史无前例", ""),
    _zh("销量冠军", "销量冠军", "热销"),
    _zh("百分百", "百分之?百", ""),
    _zh("永久", "永久", ""),
    _zh("无敌", "无敌", ""),
    _en("best ever", r"(?:the\s+)?best[- ]ever", "great"),
    _en("the best", r"(?<!all )the\s+best", "a great"),
    _en("best price", r"best\s+price", "great price"),
    _en("best-selling", r"best[- ]?sell(?:ing|er)s?", "popular"),
    _en("guaranteed", r"guarantee[ds]?", ""),
    _en("#1", r"#\s?1", ""),
    _en("number one", r"number\s+one|no\.\s?1", ""),
    _en("lowest price", r"lowest\s+prices?", "great prices"),
    _en("cheapest", r"cheapest", "affordable"),
    _en("unbeatable", r"unbeatable", "great"),
    _en("world-class", r"world[- ]class|world'?s\s+best", ""),
    _en("risk-free", r"risk[- ]free", ""),
    _en("miracle", r"miracle", ""),
    BannedTerm("100%", re.compile(r"100\s?(?:%|％|percent\b)", re.I), ""),
)


@dataclass(frozen=True)
class BannedHit:
    """A banned term found in text."""

    key: str
    text: str
    span: tuple[int, int]
    replacement: str


def brand_terms(words: tuple[str, ...] | list[str]) -> list[BannedTerm]:
    """The brand's own banned words as terms (deleted by repair).

    A brand word that is one of ours (最, 第一, "#1" ...) keeps our reading, so
    the brand's "最" does not ban 最近 nor its "第一" the ordinal 第一次.
    """
    ours = {term.key.lower() for term in BANNED_TERMS}
    terms = []
    for word in words:
        word = word.strip()
        if not word or word.lower() in ours:
            continue
        if re.search(r"[\u4e00-\u9fff]", word):
            terms.append(_zh(word, re.escape(word)))
        else:
            terms.append(_en(word, re.escape(word)))
    return terms


def find_banned(
    text: str, brand_words: tuple[str, ...] | list[str] = (), proven: set[str] | None = None
) -> list[BannedHit]:
    """Banned terms in `text`, left to right, without overlaps; proven claims are allowed."""
    proven_keys = {p.lower() for p in proven or set()}
    taken: list[tuple[int, int]] = []
    hits: list[BannedHit] = []
    for term in [*brand_terms(brand_words), *BANNED_TERMS]:
        if term.key.lower() in proven_keys:
            continue
        for match in term.pattern.finditer(text):
            span = match.span()
            if span[0] == span[1] or any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            hits.append(BannedHit(term.key, match.group(0), span, term.replacement))
    return sorted(hits, key=lambda h: h.span)
