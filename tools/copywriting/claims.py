"""Finding checkable claims in copy: money amounts, percentages, discounts, dates, numbers.

The same reader extracts the facts of a brief's offer ("满300减50", "20% off",
"8折") and the claims of a draft, so what the brief allows and what the draft
says are compared in one vocabulary. A discount is kept as percent off:
8折 = 20% off, 85折 = 15% off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.lazy_regex import LazyPattern, lazy_compile
from knowledge.presentation import tr
from knowledge.time_ranges.numerals import to_int

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Order matters: earlier patterns claim their span first (满300减50 before plain amounts).
_PATTERNS: tuple[tuple[str, LazyPattern], ...] = (
    ("threshold", lazy_compile(rf"满\s*({_NUM})\s*元?\s*减\s*({_NUM})\s*元?")),
    (
        "threshold",
        lazy_compile(
            rf"(?:[¥￥$]\s*)?({_NUM})\s*(?:元|yuan|rmb)?\s+off\s+(?:orders?|purchases?|spend(?:ing)?)\s+"
            rf"(?:over|above|of)\s+(?:[¥￥$]\s*)?({_NUM})",
            re.I,
        ),
    ),
    ("discount", lazy_compile(r"(\d(?:\.\d)?|\d{2})\s*折")),
    ("discount", lazy_compile(r"([一二三四五六七八九])([一二三四五六七八九])?折")),
    ("date", lazy_compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?")),
    ("date", lazy_compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("date", lazy_compile(rf"\b({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)),
    ("date", lazy_compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORD})\b", re.I)),
    ("date", lazy_compile(r"(?<![\d.])(\d{1,2})/(\d{1,2})(?![\d/])")),
    ("percent", lazy_compile(rf"({_NUM})\s*(?:%|％|percent\b)", re.I)),
    (
        "money",
        lazy_compile(
            rf"(?:[¥￥$]|\bRMB|\bCNY|\bUS\$)\s*({_NUM})|({_NUM})\s*(?:元|块|\byuan\b|\bRMB\b)", re.I
        ),
    ),
    ("number", lazy_compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?")),
)


@dataclass(frozen=True)
class Claim:
    """One checkable statement found in text; `values` are numbers, or an ISO/MM-DD date."""

    kind: str  # money, percent, threshold, date, number (discounts are percent claims)
    text: str
    span: tuple[int, int]
    values: tuple[float, ...] = ()
    day: str | None = None  # "YYYY-MM-DD" or "--MM-DD" when the year is not given


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_claims(text: str) -> list[Claim]:
    """Every claim in `text`, left to right, without overlaps."""
    taken: list[tuple[int, int]] = []
    claims: list[Claim] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            claim = _claim(kind, match)
            if claim is not None:
                taken.append(span)
                claims.append(claim)
    return sorted(claims, key=lambda c: c.span)


def _claim(kind: str, match: re.Match[str]) -> Claim | None:
    text, span, groups = match.group(0), match.span(), match.groups()
    if kind == "threshold":
        first, second = _number(groups[0]), _number(groups[1])
        # "满300减50" gives (threshold, amount); "¥50 off orders over ¥300" gives (amount, threshold)
        values = (first, second) if text.startswith("满") else (second, first)
        return Claim("threshold", text, span, values)
    if kind == "discount":
        return Claim("percent", text, span, (_percent_off(groups),))
    if kind == "date":
        day = _date(groups)
        return Claim("date", text, span, (), day) if day else None
    if kind == "money":
        return Claim("money", text, span, (_number(groups[0] or groups[1]),))
    return Claim(kind, text, span, (_number(groups[0] if groups else text),))


def _percent_off(groups: tuple[str | None, ...]) -> float:
    """Percent off of "8折" (20), "8.5折" / "85折" / "八五折" (15)."""
    first, second = groups[0], groups[1] if len(groups) > 1 else None
    if first and not first[0].isdigit():  # Chinese digits, one per tenth ("八五" is 85)
        tenths = to_int(first) * 10 + (to_int(second) if second else 0)
    else:
        value = float(first or 0)
        tenths = value if value >= 10 else value * 10
    return round(100 - tenths, 2)


def _date(groups: tuple[str | None, ...]) -> str | None:
    parts = [g for g in groups if g]
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
        first, second = parts
        if first.lower().rstrip(".") in _MONTHS:
            month, day = _MONTHS[first.lower().rstrip(".")], int(second)
        elif second.lower() in _MONTHS:
            month, day = _MONTHS[second.lower()], int(first)
        else:
            month, day = int(first), int(second)
        date(2000, month, day)  # validates (2000 is a leap year)
        return f"--{month:02d}-{day:02d}"
    except ValueError:
        return None


def date_matches(day: str, allowed: set[str]) -> bool:
    """Whether a found date is an allowed one; without a year on either side, month and day decide."""
    if day in allowed:
        return True
    return any((a.startswith("--") or day.startswith("--")) and a[-5:] == day[-5:] for a in allowed)


@dataclass(frozen=True)
class Offer:
    """A brief's offer read into numbers: percent off, or amount off above a threshold."""

    raw: str
    percent_off: float | None = None
    threshold: float | None = None
    amount_off: float | None = None


def read_offer(raw: str) -> Offer:
    """The numbers of an offer such as "20% off", "8折", "满300减50", "¥50 off orders of ¥300 or more"."""
    for claim in find_claims(raw):
        if claim.kind == "threshold":
            return Offer(raw, threshold=claim.values[0], amount_off=claim.values[1])
        if claim.kind == "percent" and ("折" in claim.text or re.search(r"off|减|优惠", raw, re.I)):
            return Offer(raw, percent_off=claim.values[0])
    return Offer(raw)


def offer_text(offer: Offer, language: str, currency: str = "¥") -> str:
    """The offer as written in copy of `language`; an offer not understood is kept as given.

    Chinese states a discount as the price paid, in tenths (`{paid}`: 20% off is 8折,
    15% off 85折); English as the share taken off (`{percent}`)."""
    if offer.percent_off is not None:
        tenths = round(100 - offer.percent_off)
        paid = tenths // 10 if tenths % 10 == 0 else tenths
        return tr(language, "{percent}% off", percent=_plain(offer.percent_off), paid=paid)
    if offer.threshold is not None and offer.amount_off is not None:
        # 满300减50 means a basket of ¥300 or more qualifies: "over ¥300" would exclude ¥300.00.
        return tr(
            language,
            "{currency}{amount} off orders of {currency}{threshold} or more",
            currency=currency,
            amount=_plain(offer.amount_off),
            threshold=_plain(offer.threshold),
        )
    return offer.raw.strip()


def _plain(value: float) -> str:
    return f"{value:g}"
