"""Returns, credit notes and postage lines in the demo store, as real sales logs have them.

MARKETING.md ("How real logs are read") and the importer store them so:
- a return is its own order (status "returned", id "RT..."), dated 2-20 days
  after the purchase, with negative lines; the purchase stays completed, so
  revenue (net sales) drops on the return's date, not the purchase's;
- a cancelled order gets, half the time, a credit note ("CN...") that exactly
  reverses it, and both are cancelled;
- small web and app orders pay a shipping fee: a non-merchandise "SHIP" line,
  not in the order's total (its net merchandise amount).

Exact duplicate lines are not generated: the store has one row per (order,
line), and the importer drops duplicates of a file before they reach it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SHIPPING_SKU = "SHIP"
SHIPPING_FEE = 8.0
FREE_SHIPPING_FROM = 59.0  # orders below this pay the fee, on web and app
SHIPPED_CHANNELS = ("web", "app")
PARTIAL_RETURN_SHARE = 0.4  # returns of only the first line of a multi-line order
CREDIT_NOTE_SHARE = 0.5


def shipping_product() -> pd.DataFrame:
    """The catalogue row of the shipping fee (no category: it is not merchandise)."""
    return pd.DataFrame(
        [{"sku": SHIPPING_SKU, "name_en": "Shipping fee", "name_zh": "运费", "price": SHIPPING_FEE}]
    )


def add_returns_and_postage(
    rng: np.random.Generator,
    orders: pd.DataFrame,
    items: pd.DataFrame,
    window_end: np.datetime64,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(orders, items) with return orders, credit notes and shipping lines added.

    `orders` rows with status "returned" become completed purchases plus a
    return order; `window_end` (datetime64[s]) caps the return dates.
    """
    orders = orders.copy()
    items = items.assign(merchandise=True)
    returned = orders["status"].to_numpy() == "returned"
    orders.loc[returned, "status"] = "completed"
    returns = _reversals(
        rng, orders[returned], items, "RT", "returned", (2, 21), window_end, partial=True
    )
    cancelled = orders[(orders["status"] == "cancelled").to_numpy()]
    noted = cancelled[rng.random(len(cancelled)) < CREDIT_NOTE_SHARE]
    notes = _reversals(rng, noted, items, "CN", "cancelled", (0, 3), window_end, partial=False)
    shipping = _shipping_lines(orders, items)
    orders = pd.concat([orders, returns[0], notes[0]], ignore_index=True)
    items = pd.concat([items, shipping, returns[1], notes[1]], ignore_index=True)
    return orders, items


def _reversals(
    rng: np.random.Generator,
    originals: pd.DataFrame,
    items: pd.DataFrame,
    prefix: str,
    status: str,
    days: tuple[int, int],
    window_end: np.datetime64,
    *,
    partial: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders with negated lines of `originals`, dated `days` (low, high) days later."""
    if originals.empty:
        return originals.iloc[:0], items.iloc[:0]
    lines = items[items["order_id"].isin(originals["order_id"])].copy()
    if partial:
        first_only = set(originals["order_id"][rng.random(len(originals)) < PARTIAL_RETURN_SHARE])
        lines = lines[~lines["order_id"].isin(first_only) | (lines["line_no"] == 1)]
    new_id = {o: prefix + o[1:] for o in originals["order_id"]}
    lines["order_id"] = lines["order_id"].map(new_id)
    lines["quantity"] = -lines["quantity"]
    lines["amount"] = -lines["amount"]
    delay = rng.integers(days[0] * 86_400, days[1] * 86_400, size=len(originals))
    at = originals["ordered_at"].to_numpy().astype("datetime64[s]") + delay.astype("timedelta64[s]")
    at = np.minimum(at, window_end)
    notes = originals.copy()
    notes["order_id"] = notes["order_id"].map(new_id)
    notes["ordered_at"] = at
    notes["order_date"] = at.astype("datetime64[D]").astype("datetime64[s]")
    notes["status"] = status
    cents = lines.groupby("order_id")["amount"].sum().mul(100).round()
    notes["total"] = notes["order_id"].map(cents).to_numpy() / 100.0
    return notes, lines


def _shipping_lines(orders: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """A shipping-fee line on each small web / app order."""
    small = orders[
        orders["channel"].isin(SHIPPED_CHANNELS).to_numpy()
        & (orders["total"].to_numpy() < FREE_SHIPPING_FROM)
        & (orders["status"].to_numpy() != "cancelled")
    ]
    last_line = items.groupby("order_id")["line_no"].max()
    return pd.DataFrame(
        {
            "order_id": small["order_id"].to_numpy(),
            "line_no": small["order_id"].map(last_line).to_numpy(np.int64) + 1,
            "sku": SHIPPING_SKU,
            "quantity": 1,
            "unit_price": SHIPPING_FEE,
            "amount": SHIPPING_FEE,
            "merchandise": False,
        }
    )
