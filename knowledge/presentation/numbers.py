"""Numbers as people read them, by locale (babel): money, percentages, points, counts.

Every answer, table, chart label and CSV download formats its numbers here, so
"18.1%", "-¥70.00", "+3.2 pp" and "¥123.46万" read the same everywhere.
Conventions (MARKETING.md): rates and shares are fractions in the data (0.181 ->
"18.1%"); a difference of two rates is in percentage points; money has the
precision of the store's currency.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from babel.numbers import format_compact_decimal, format_decimal, get_currency_precision

from knowledge.presentation.messages import tr

# "points": a difference of two rates (fractions) in percentage points ("+1.0 pp").
NumberFormat = Literal["money", "percent", "points", "integer", "number"]
NUMBER_FORMATS: tuple[str, ...] = ("money", "percent", "points", "integer", "number")

# babel locales per answer language; anything not Chinese reads as English.
_LOCALES = {"zh": "zh_Hans_CN", "en": "en_US"}
# The symbol answers show (ctx.currency / COPILOT_CURRENCY) -> its ISO code, for the
# currency's precision (JPY has none). Kept here, not imported from the importers,
# so formatting a number does not load pandas readers.
_SYMBOL_CODES = {
    "¥": "CNY", "￥": "CNY", "元": "CNY", "£": "GBP", "€": "EUR", "$": "USD",
    "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "A$": "AUD", "C$": "CAD",
}  # fmt: skip
_CODE_SYMBOLS = {"CNY": "¥", "RMB": "¥", "GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥"}
# Chinese amounts from 十万 up read in 万 (¥123.46万), from 一亿 in 亿: how a Chinese
# report writes them; below that the full figure is short enough.
_WAN_FROM = 100_000
# In an answer that states several amounts, 万 is used for all of them when each is at least
# 一万 ("¥49.65万 … ¥1.84万"); one smaller amount makes them all full figures instead.
_WAN_IN_A_SET_FROM = 10_000


def _exact(value: float) -> Decimal:
    """The float's exact binary value, so babel rounds as Python's own formatting does
    (0.8755 is stored as 0.87549..., which reads 0.875, not 0.876)."""
    return Decimal(float(value))


def locale_of(language: str) -> str:
    """The babel locale of an answer language ('zh' -> 'zh_Hans_CN', else 'en_US')."""
    return _LOCALES.get(language, _LOCALES["en"])


def currency_code(currency: str) -> str:
    """ISO 4217 code of a currency given as a symbol or code ('¥' -> 'CNY', 'GBP ' -> 'GBP')."""
    text = (currency or "¥").strip()
    return _SYMBOL_CODES.get(text, text.upper() if text.isalpha() else "CNY")


def currency_symbol(currency: str) -> str:
    """What is written before an amount: the symbol, or the code and a space ('CHF ')."""
    text = (currency or "¥").strip()
    if text in _SYMBOL_CODES:
        return text
    return _CODE_SYMBOLS.get(text.upper(), f"{text.upper()} ")


def currency_digits(currency: str) -> int:
    """Decimal places of the currency (CNY 2, JPY 0), from babel's CLDR data."""
    return int(get_currency_precision(currency_code(currency)))


def is_missing(value: Any) -> bool:
    """None, NaN or pandas NA: a value that is not there."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def missing_text(language: str) -> str:
    """What a missing value reads as."""
    return tr(language, "n/a")


MoneyStyle = bool | Literal["wan"]
"""How Chinese money reads: True = in 万/亿 from 十万 (one amount alone), False = the
full figure (tables, CSV), "wan" = in 万/亿 from 一万 (every amount of an answer that
states them together, see `money_style`)."""


def format_money(
    value: float, language: str = "en", currency: str = "¥", *, large: MoneyStyle = True
) -> str:
    """Money in the store's currency: '¥1,234.50', '-¥70.00' (the sign before the symbol).

    In Chinese, amounts of 十万 and more read '¥123.46万' / '¥1.23亿' when `large`
    (answers); tables and CSV pass large=False for the full figure; "wan" writes
    amounts from 一万 in 万 too, so an answer's amounts read alike (`money_style`).
    """
    if is_missing(value):
        return missing_text(language)
    sign = "-" if value < 0 else ""
    symbol = currency_symbol(currency)
    magnitude = abs(float(value))
    threshold = _WAN_IN_A_SET_FROM if large == "wan" else _WAN_FROM
    if large and language == "zh" and magnitude >= threshold:
        return f"{sign}{symbol}{_chinese_large(magnitude)}"
    digits = currency_digits(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return (
        f"{sign}{symbol}{format_decimal(_exact(magnitude), format=pattern, locale=locale_of('en'))}"
    )


def money_style(amounts: Iterable[Any], language: str = "en") -> MoneyStyle:
    """One style for all the amounts one answer states, so they read alike.

    Chinese answers write large amounts in 万 ("¥45.85万"); next to a small one written
    in full ("¥65,988.55") the two styles would mix in one sentence. So: when some amount
    reaches 十万 and every non-zero amount reaches 一万, all read in 万 ("wan"); when some
    reaches 十万 but another is below 一万, all read as full figures (False); otherwise the
    one-amount rule holds (True: nothing reaches 十万, so all are full figures anyway).
    English answers are unaffected (True).
    """
    if language != "zh":
        return True
    sizes = [abs(float(a)) for a in amounts if not is_missing(a)]
    sizes = [size for size in sizes if size > 0]
    if not sizes or max(sizes) < _WAN_FROM:
        return True
    return "wan" if min(sizes) >= _WAN_IN_A_SET_FROM else False


def _chinese_large(magnitude: float) -> str:
    """123.46万 / 1.23亿: babel's compact Chinese form with two decimals."""
    return format_compact_decimal(magnitude, locale=locale_of("zh"), fraction_digits=2)


def format_percent(value: float, language: str = "en", digits: int = 1) -> str:
    """A fraction as a percentage: 0.1807 -> '18.1%'."""
    if is_missing(value):
        return missing_text(language)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # Scaled by hand: babel's own percent pattern would add a locale's spacing rules.
    return (
        f"{format_decimal(_exact(float(value) * 100), format=pattern, locale=locale_of(language))}%"
    )


def format_points(difference: float, language: str = "en", digits: int = 1) -> str:
    """A difference of two rates (fractions) in percentage points: 0.032 -> '+3.2 pp' / '+3.2 个百分点'."""
    if is_missing(difference):
        return missing_text(language)
    points = round(float(difference) * 100, digits)
    number = format_decimal(abs(points), format="0." + "0" * digits, locale=locale_of(language))
    signed = ("+" if points > 0 else "-" if points < 0 else "±") + number
    return tr(language, "{signed} pp", signed=signed)


def format_relative_change(ratio: float, language: str = "en") -> str:
    """A relative change (now / before - 1) that says it is relative: 'up 12.0%' / '增长 12.0%'."""
    if is_missing(ratio):
        return missing_text(language)
    size = format_percent(abs(ratio), language)
    if round(ratio, 3) > 0:
        return tr(language, "up {percent}", percent=size)
    if round(ratio, 3) < 0:
        return tr(language, "down {percent}", percent=size)
    return tr(language, "unchanged")


def format_change(now: float | None, before: float | None, kind: str, language: str = "en") -> str:
    """The change from `before` to `now`: percentage points for rates, relative otherwise.

    Empty when either side is missing or a relative change has no base (before = 0).
    """
    if is_missing(now) or is_missing(before):
        return ""
    if kind == "percent":
        return format_points(float(now) - float(before), language)
    if not before:
        return ""
    return format_relative_change(float(now) / float(before) - 1, language)


def format_count(value: float, language: str = "en") -> str:
    """A count as an integer with grouping: 388.0 -> '388', 12345 -> '12,345'."""
    if is_missing(value):
        return missing_text(language)
    return str(format_decimal(round(float(value)), format="#,##0", locale=locale_of(language)))


def format_number(
    value: float, language: str = "en", digits: int = 2, *, fixed: bool = False
) -> str:
    """A plain number, at most `digits` decimals, trailing zeros dropped: 1.50 -> '1.5';
    `fixed` keeps exactly `digits` decimals (a score such as AUC 0.900)."""
    if is_missing(value):
        return missing_text(language)
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * digits if digits else "")
    return str(format_decimal(_exact(value), format=pattern, locale=locale_of(language)))


def format_value(
    value: Any,
    kind: str,
    language: str = "en",
    currency: str = "¥",
    *,
    compact: bool = False,
    large: MoneyStyle = True,
) -> str:
    """A value of a metric kind ('money', 'percent', 'points', 'integer', 'number') as text.

    `compact` is for chart labels: '1.2M' / '123.5万' instead of the full figure;
    `large=False` keeps Chinese money as the full figure (tables) instead of 万/亿.
    Raises ValueError for an unknown kind, so a typo cannot silently print raw floats.
    """
    if kind not in NUMBER_FORMATS:
        raise ValueError(f"unknown number format {kind!r}; use one of {', '.join(NUMBER_FORMATS)}")
    if is_missing(value):
        return missing_text(language) if not compact else ""
    if kind == "percent":
        return format_percent(value, language)
    if kind == "points":
        return format_points(value, language)
    if compact and abs(float(value)) >= 10_000:
        short = format_compact_decimal(
            abs(float(value)), locale=locale_of(language), fraction_digits=1
        )
        sign = "-" if value < 0 else ""
        return f"{sign}{currency_symbol(currency) if kind == 'money' else ''}{short}"
    if compact and kind in ("money", "number") and abs(float(value)) >= 100:
        # A chart label needs no cents: ¥1,235.
        sign = "-" if value < 0 else ""
        prefix = currency_symbol(currency) if kind == "money" else ""
        return f"{sign}{prefix}{format_count(abs(float(value)), language)}"
    if kind == "money":
        return format_money(value, language, currency, large=False if compact else large)
    if kind == "integer":
        return format_count(value, language)
    return format_number(value, language)
