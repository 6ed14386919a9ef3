"""MARKETING.md's reading rules for sales lines: duplicates, non-merchandise lines, credit notes.

- Exact duplicate lines (every cell equal) are dropped unless the user keeps them.
- Non-merchandise lines (postage, fees, bank charges, manual adjustments,
  samples) are recognised by common codes and names (UCI's POST, DOT, M, C2,
  BANK CHARGES, AMAZONFEE, S, D, CRUK, B; 运费, 邮费, 手续费) and by the user's own
  codes; they are kept but are not products.
- A credit note (an order whose lines are all negative) that exactly reverses
  an earlier order of the same customer (same products and quantities)
  cancels it: both are cancelled. Any other credit note is a return, counted
  on its own date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

# Codes of non-product lines in public logs (UCI Online Retail and similar shop exports).
NON_MERCHANDISE_CODES = frozenset(
    {"POST", "DOT", "M", "C2", "BANK CHARGES", "AMAZONFEE", "S", "D", "CRUK", "B"}
)
# Whole names (lowercase) that are not products.
NON_MERCHANDISE_NAMES = frozenset(
    {
        "manual",
        "samples",
        "sample",
        "free sample",
        "discount",
        "adjust bad debt",
        "cruk commission",
        "amazon fee",
        "bank charges",
        "运费",
        "邮费",
        "快递费",
        "手续费",
        "调整",
        "样品",
        "赠品",
    }
)
# Words that make any name a charge rather than a product.
_CHARGE_WORDS = re.compile(
    r"\b(?:postage|carriage|shipping|delivery charges?|bank charges?)\b|运费|邮费|快递费|手续费",
    re.IGNORECASE,
)


def duplicate_lines(cells: pd.DataFrame) -> pd.Series:
    """True for each line that repeats an earlier line cell for cell (the first copy is kept)."""
    return cells.duplicated(keep="first")


def non_merchandise(
    codes: pd.Series | None, names: pd.Series | None, extra_codes: tuple[str, ...] = ()
) -> pd.Series:
    """True for postage, fees, bank charges, adjustments and samples (by code or name)."""
    index = (codes if codes is not None else names).index  # type: ignore[union-attr]
    out = pd.Series(False, index=index)
    known = NON_MERCHANDISE_CODES | {c.strip().upper() for c in extra_codes if c.strip()}
    if codes is not None:
        out |= codes.astype("str").str.strip().str.upper().isin(known).fillna(False).astype(bool)
    if names is not None:
        text = names.astype("str").str.strip()
        out |= text.str.lower().isin(NON_MERCHANDISE_NAMES).fillna(False).astype(bool)
        out |= text.str.contains(_CHARGE_WORDS).fillna(False).astype(bool)
    return out


@dataclass(frozen=True)
class Reversals:
    """Which credit notes cancel which orders, and which are returns."""

    cancelled: frozenset[str]  # credit notes and the orders they reverse
    returns: frozenset[str]  # credit notes that reverse nothing: returns on their own date
    stored_cancelled: frozenset[str]  # orders already in the store that a credit note reverses


def _signatures(lines: pd.DataFrame, sign: int = 1) -> pd.Series:
    """Per order: its (sku, quantity) multiset as text 'sku:qty|...' (quantities x `sign`)."""
    pairs = lines.groupby(["order_id", "sku"], sort=True)["quantity"].sum().reset_index()
    text = pairs["sku"].astype(str) + ":" + (pairs["quantity"] * sign).astype("int64").astype(str)
    return text.groupby(pairs["order_id"], sort=False).agg("|".join)


def match_credit_notes(
    lines: pd.DataFrame, orders: pd.DataFrame, stored: pd.DataFrame
) -> Reversals:
    """Pair each credit note with the latest earlier unmatched order it exactly reverses.

    `lines`: order_id, sku, quantity; `orders`: indexed by order_id with customer_id,
    ordered_at and credit_note (all lines negative); `stored`: the store's completed
    orders of the same customers as lines (order_id, customer_id, ordered_at, sku, quantity).
    Guests (no customer) never match: "same customer" cannot be checked.
    """
    notes = orders[orders["credit_note"] & orders["customer_id"].notna()]
    if notes.empty:
        return Reversals(frozenset(), frozenset(), frozenset())
    customers = set(notes["customer_id"])
    pool = orders[~orders["credit_note"] & orders["customer_id"].isin(customers)]
    in_pool = lines["order_id"].isin(pool.index)
    candidates = [pool.assign(signature=_signatures(lines[in_pool]), stored=False)]
    if not stored.empty:
        stored = stored[~stored["order_id"].isin(orders.index)]
        stored_orders = stored.groupby("order_id").agg(
            customer_id=("customer_id", "first"), ordered_at=("ordered_at", "min")
        )
        stored_orders["signature"] = _signatures(stored)
        candidates.append(stored_orders.assign(stored=True))
    by_customer: dict[str, list[tuple]] = {}
    every = pd.concat(candidates)[["customer_id", "ordered_at", "signature", "stored"]]
    for order_id, row in every.sort_values("ordered_at", kind="stable").iterrows():
        by_customer.setdefault(row["customer_id"], []).append(
            (row["ordered_at"], order_id, row["signature"], bool(row["stored"]))
        )
    wanted = _signatures(lines[lines["order_id"].isin(notes.index)], sign=-1)
    cancelled: set[str] = set()
    from_store: set[str] = set()
    for note_id, note in notes.sort_values("ordered_at", kind="stable").iterrows():
        for at, order_id, signature, is_stored in reversed(
            by_customer.get(note["customer_id"], [])
        ):
            if (
                at <= note["ordered_at"]
                and order_id not in cancelled
                and signature == wanted[note_id]
            ):
                cancelled |= {note_id, order_id}
                if is_stored:
                    from_store.add(order_id)
                break
    returns = set(notes.index) - cancelled
    return Reversals(frozenset(cancelled), frozenset(returns), frozenset(from_store))
