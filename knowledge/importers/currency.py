"""The currency of a sales log: from price symbols, ISO codes or a currency column.

MARKETING.md: a store holds one currency. A file mixing currencies is refused
with the rows named; a file in another currency than the store's is refused.
Symbols are read as their most common currency: `$` is USD and `¥`/`￥`/`元`
is CNY (a JPY or HKD store states its currency with a currency column, ISO codes
in the prices, or the COPILOT_CURRENCY setting).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from knowledge.importers.errors import ImportFileError, rows_preview
from knowledge.store.schema import Order

SYMBOLS: dict[str, str] = {"€": "EUR", "£": "GBP", "$": "USD", "¥": "CNY", "￥": "CNY", "元": "CNY"}
# Common ISO 4217 codes written beside amounts ("EUR 12.50", "12.50 GBP", "RMB 99").
CODES: dict[str, str] = {
    code: code
    for code in ("CNY", "EUR", "GBP", "USD", "JPY", "HKD", "TWD", "SGD", "AUD", "CAD", "CHF")
}
CODES["RMB"] = "CNY"
_CODE_PATTERN = "|".join(sorted(CODES, key=len, reverse=True))
_SYMBOL_PATTERN = "".join(SYMBOLS)
AMOUNT_MARKS = rf"^\s*(?:{_CODE_PATTERN})\s*|\s*(?:{_CODE_PATTERN})\s*$|^[{_SYMBOL_PATTERN}]|[{_SYMBOL_PATTERN}]$"


def currency_of_prices(text: pd.Series) -> pd.Series:
    """ISO code per price cell from its symbol or code ('€100', 'GBP 5', '5元'); NA when unmarked."""
    upper = text.astype("str").str.strip().str.upper()
    code = upper.str.extract(rf"^({_CODE_PATTERN})\b|\b({_CODE_PATTERN})$")
    found = code[0].fillna(code[1]).map(CODES, na_action="ignore")
    symbol = upper.str.extract(rf"([{_SYMBOL_PATTERN}])")[0].map(SYMBOLS, na_action="ignore")
    return found.fillna(symbol).astype("str")


def normalise_currency_column(text: pd.Series) -> pd.Series:
    """ISO codes from a currency column holding codes or symbols; unknown values stay as written."""
    upper = text.astype("str").str.strip().str.upper()
    return upper.map(lambda v: SYMBOLS.get(v, CODES.get(v, v)), na_action="ignore").astype("str")


def file_currency(per_line: pd.Series, column: str, file: str) -> str | None:
    """The one currency of the lines (None when none is marked); refuses a mix, naming rows."""
    present = per_line.dropna()
    found = list(dict.fromkeys(present))
    if len(found) <= 1:
        return found[0] if found else None
    listed = "; ".join(
        f"{code} in rows {rows_preview([int(r) for r in present.index[present == code]])}"
        for code in found
    )
    raise ImportFileError(
        f"{file}: column '{column}' mixes currencies ({listed}). A store holds one currency: "
        "convert the amounts or split the file by currency; nothing was imported."
    )


def stored_currency(conn: Connection) -> str | None:
    """The store's currency: the one on its orders (None for a store without one)."""
    row = conn.execute(
        select(Order.currency).where(Order.currency.is_not(None)).distinct().limit(1)
    ).first()
    return row[0] if row else None


def check_store_currency(
    conn: Connection, found: str | None, fixed: str | None, file: str
) -> str | None:
    """The currency to record on the file's orders; refuses one that differs from the store's.

    `fixed`: the COPILOT_CURRENCY setting (an ISO code or symbol), which wins over the store's.
    """
    store = currency_code(fixed) or stored_currency(conn)
    if found and store and found != store:
        source = "the COPILOT_CURRENCY setting" if fixed else "its earlier imports"
        raise ImportFileError(
            f"{file}: the amounts are in {found} but the store's currency is {store} "
            f"(from {source}). A store holds one currency; nothing was imported."
        )
    return found or store or None


# The symbol answers put before money, per ISO code; other codes are shown as "CODE ".
CURRENCY_SYMBOLS: dict[str, str] = {
    "CNY": "¥",
    "JPY": "¥",
    "GBP": "£",
    "EUR": "€",
    "USD": "$",
    "HKD": "HK$",
    "TWD": "NT$",
    "SGD": "S$",
    "AUD": "A$",
    "CAD": "C$",
}
DEFAULT_SYMBOL = "¥"


def currency_code(text: str | None) -> str | None:
    """An ISO code from a setting written as a code or a symbol ('GBP', '£'); None when empty."""
    if not text or not text.strip():
        return None
    value = text.strip()
    return SYMBOLS.get(value, CODES.get(value.upper(), value.upper()))


def store_currency_symbol(engine: Engine, fixed: str | None = None) -> str:
    """The symbol answers show: the fixed setting's, else the store's currency's, else ¥."""
    code = currency_code(fixed)
    if code is None:
        try:
            with engine.connect() as conn:
                code = stored_currency(conn)
        except SQLAlchemyError:  # a store without the column yet (made by an older version)
            code = None
    if code is None:
        return DEFAULT_SYMBOL
    return CURRENCY_SYMBOLS.get(code, f"{code} ")
