"""Claim grounding: every product, price, discount, percentage, date and number in a
draft must be in its FactSheet.

Known names (catalogue products, brand, category names, the signature, merge
fields) are blanked before numbers are read, so "SPF50" or "X12" inside a real
product name is not a claim. Product mentions are found by their head noun (the
last word of catalogue names: "Serum", "精华"): a capitalised English phrase or a
Chinese run ending in one must have its head noun inside a known product name,
so an invented "Glow Elixir Serum" is flagged. A price right after a product name
must be that product's price (or an amount the brief allows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.copywriting.banned import find_banned
from tools.copywriting.claims import Claim, date_matches, find_claims
from tools.copywriting.model import BrandRules, FactSheet
from tools.copywriting.personal import personal_spans

MERGE_FIELD = re.compile(r"\{(\w+)\}")
_CJK = r"\u4e00-\u9fff"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[。！？!?；;\n，、]+|,(?!\d)|\.(?=\s|$)")  # not "6,499"
_ZH_STOP = set("的了和与及、，。您你我们他她它在是为从给把就也都还再请")
_EXTRA_HEADS_EN = ("Serum", "Cream", "Cleanser", "Toner", "Mask", "Lotion", "Essence", "Elixir")
_EXTRA_HEADS_ZH = ("精华", "面霜", "眼霜", "面膜", "乳液", "精华液", "洁面乳", "爽肤水")
_PRICE_WINDOW = 30  # characters between a product name and its price


@dataclass(frozen=True)
class Issue:
    """An ungrounded claim: where it is and why."""

    text: str
    span: tuple[int, int]
    reason: str


def sentence_spans(text: str, clauses: bool = False) -> list[tuple[int, int]]:
    """Spans of the sentences (or clauses) of `text`, each with its end punctuation."""
    spans, start = [], 0
    for match in (_CLAUSE_END if clauses else _SENTENCE_END).finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [s for s in spans if text[s[0] : s[1]].strip()]


def known_spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Where the known names occur, longest first, without overlaps."""
    taken: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        start = lowered.find(name.lower())
        while start >= 0:
            end = start + len(name)
            if not any(start < e and s < end for s, e, _ in taken):
                taken.append((start, end, name))
            start = lowered.find(name.lower(), end)
    return sorted(taken)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def fixed_texts(rules: BrandRules) -> list[str]:
    """Texts every draft may carry as they are (brand, signature, opt-out, unsubscribe)."""
    return [
        rules.brand_name_en,
        rules.brand_name_zh,
        rules.sms_signature,
        rules.unsubscribe_line_en,
        rules.unsubscribe_line_zh,
    ]


def ungrounded(text: str, facts: FactSheet, rules: BrandRules) -> list[Issue]:
    """Claims in `text` that the fact sheet does not support."""
    products = known_spans(text, list(facts.products))
    others = known_spans(text, [*facts.names, *fixed_texts(rules)])
    # Merge fields and personal data (a check of its own) are not claims.
    merge = [m.span() for m in MERGE_FIELD.finditer(text)]
    merge += [(s, e) for s, e, _ in personal_spans(text)]
    # So are absolute claims ("#1", "100%"): the banned-words check owns them, proven or not.
    merge += [hit.span for hit in find_banned(text)]
    blanked = _blank(text, [(s, e) for s, e, _ in products + others] + merge)
    issues = [_claim_issue(c, text, products, facts) for c in find_claims(blanked)]
    issues += _unknown_products(text, products, facts)
    return sorted((i for i in issues if i is not None), key=lambda i: i.span)


def _claim_issue(
    claim: Claim, text: str, products: list[tuple[int, int, str]], facts: FactSheet
) -> Issue | None:
    shown = text[claim.span[0] : claim.span[1]].strip()
    prices = set(facts.products.values())
    if claim.kind == "money":
        value = claim.values[0]
        product = _product_before(text, claim.span[0], products)
        if product and value != facts.products[product] and value not in facts.amounts:
            return Issue(
                shown,
                claim.span,
                f"{shown} is not the price of {product} ({facts.products[product]:g})",
            )
        if value not in prices | facts.amounts:
            return Issue(shown, claim.span, f"amount {shown} is not in the catalogue or the brief")
    elif claim.kind == "threshold":
        if not set(claim.values) <= facts.amounts:
            return Issue(shown, claim.span, f"offer {shown} is not the brief's offer")
    elif claim.kind == "percent":
        if claim.values[0] not in facts.percents:
            return Issue(shown, claim.span, f"{shown} is not a discount or rate in the brief")
    elif claim.kind == "date":
        if not date_matches(claim.day or "", facts.dates):
            return Issue(shown, claim.span, f"date {shown} is not in the brief")
    elif claim.values and claim.values[0] not in facts.numbers | facts.amounts | prices:
        return Issue(shown, claim.span, f"number {shown} is not in the store or the brief")
    return None


def _product_before(text: str, position: int, products: list[tuple[int, int, str]]) -> str | None:
    """The product named just before `position` in the same sentence, if any."""
    before = [p for p in products if p[1] <= position and position - p[1] <= _PRICE_WINDOW]
    if not before:
        return None
    start, end, name = before[-1]
    if _SENTENCE_END.search(text[end:position]) or known_between(text, end, position, products):
        return None
    return name


def known_between(text: str, start: int, end: int, products: list[tuple[int, int, str]]) -> bool:
    """Whether another product name lies between two positions."""
    return any(start <= s and e <= end for s, e, _ in products)


def _heads(facts: FactSheet) -> tuple[list[str], list[str]]:
    english, chinese = set(_EXTRA_HEADS_EN), set(_EXTRA_HEADS_ZH)
    for name in facts.products:
        cjk = re.findall(rf"[{_CJK}]+", name)
        if cjk and len(cjk[-1]) >= 2:
            chinese.add(cjk[-1][-2:])
        elif not cjk:
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", name) if w[0].isupper()]
            if words:
                english.add(words[-1])
    return sorted(english), sorted(chinese)


def _unknown_products(
    text: str, products: list[tuple[int, int, str]], facts: FactSheet
) -> list[Issue]:
    english, chinese = _heads(facts)
    issues: list[Issue] = []

    def known(start: int, end: int) -> bool:
        # The head noun lies inside a known name: "补水面膜" of "补水面膜 10片装", or a
        # known name with words before it ("Try Ultrabook 14", "Our Vitamin C ... Serum").
        return any(s < end <= e for s, e, _ in products)

    if english:
        heads = "|".join(re.escape(h) for h in english)
        pattern = rf"(?:[A-Z][\w'-]*\s+){{1,4}}(?:{heads})(?![\w-])"
        for match in re.finditer(pattern, text):
            if not known(*match.span()):
                issues.append(Issue(match.group(0), match.span(), _unknown(match.group(0))))
    if chinese:
        heads = "|".join(re.escape(h) for h in sorted(chinese, key=len, reverse=True))
        for match in re.finditer(heads, text):
            start = match.start()
            while start > 0 and start > match.start() - 6 and _name_char(text[start - 1]):
                start -= 1
            if match.start() - start >= 2 and not known(start, match.end()):
                name = text[start : match.end()]
                issues.append(Issue(name, (start, match.end()), _unknown(name)))
    return issues


def _name_char(char: str) -> bool:
    return bool(re.match(rf"[{_CJK}A-Za-z0-9]", char)) and char not in _ZH_STOP


def _unknown(name: str) -> str:
    return f"product {name!r} is not in the catalogue"
