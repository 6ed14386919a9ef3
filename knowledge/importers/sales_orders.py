"""Prepared sales lines -> orders (status, net merchandise total) and items, written to the store.

Statuses follow MARKETING.md: a credit note that exactly reverses an earlier
order of the same customer (in the file or already in the store) cancels it
(both "cancelled"); any other credit note is "returned" (a return, on its own
date); a status column saying cancelled / returned wins. Lines keep their sign,
so returns have negative quantities and amounts, and an order's `total` is its
net merchandise amount (postage and fees are not in it).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select, update

from knowledge.importers.cleaning import Reversals, match_credit_notes
from knowledge.importers.currency import check_store_currency
from knowledge.importers.parsing import round_money
from knowledge.importers.transactions import TransactionLines, build_catalogue
from knowledge.importers.writing import KEY_CHUNK, conform, delete_rows, fetch_rows, upsert_frame
from knowledge.store.bulk import insert_frame
from knowledge.store.schema import Customer, Order, OrderItem, Product


def stored_purchases(conn: Connection, customer_ids: list[str]) -> pd.DataFrame:
    """The store's completed orders of these customers, one row per line.

    Columns: order_id, customer_id, ordered_at, sku, quantity (what a credit
    note in the file may exactly reverse).
    """
    rows: list = []
    for start in range(0, len(customer_ids), KEY_CHUNK):
        chunk = customer_ids[start : start + KEY_CHUNK]
        query = (
            select(
                Order.order_id,
                Order.customer_id,
                Order.ordered_at,
                OrderItem.sku,
                OrderItem.quantity,
            )
            .join(OrderItem, OrderItem.order_id == Order.order_id)
            .where(Order.customer_id.in_(chunk), Order.status == "completed")
        )
        rows += conn.execute(query).all()
    columns = ["order_id", "customer_id", "ordered_at", "sku", "quantity"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"]).astype("datetime64[us]")
    return frame


def build_orders(
    prepared: TransactionLines, stored: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, Reversals, list[str]]:
    """(orders, order items, the credit-note matches, summary sentences)."""
    lines = prepared.lines
    groups = lines.groupby("order_id", sort=False)
    merchandise = lines["signed"].where(lines["merchandise"], 0.0)
    orders = pd.DataFrame(
        {
            "customer_id": groups["customer_id"].first(),
            "ordered_at": groups["ordered_at"].min(),
            "net": merchandise.groupby(lines["order_id"], sort=False).sum(),
            "credit_note": groups["quantity"].max() < 0,
            "any_negative": groups["quantity"].min() < 0,
        }
    )
    for optional in ("city", "country", "channel"):
        if optional in lines.columns:
            orders[optional] = groups[optional].first()
    reversals = match_credit_notes(lines[["order_id", "sku", "quantity"]], orders, stored)
    ids = orders.index.to_series()
    # A "C" prefix marks a credit note only in UCI-style logs, whose invoices are digits;
    # one on positive lines is a cancelled invoice.
    uci_marker = ids.str.fullmatch(r"C\d+") & ids.str.fullmatch(r"\d+").any()
    status = pd.Series("completed", index=orders.index, dtype=object)
    status[ids.isin(reversals.returns)] = "returned"
    status[ids.isin(reversals.cancelled) | (uci_marker & ~orders["credit_note"])] = "cancelled"
    # Guest credit notes are returns: "same customer" cannot be checked.
    status[orders["credit_note"] & orders["customer_id"].isna()] = "returned"
    if "status" in lines.columns:
        for word in ("returned", "cancelled"):  # cancelled wins when lines disagree
            said = (lines["status"] == word).fillna(False).groupby(lines["order_id"]).any()
            status[said.reindex(status.index, fill_value=False)] = word
    orders["status"] = status
    orders["total"] = round_money(orders["net"])
    orders["order_date"] = orders["ordered_at"].dt.normalize()
    orders["currency"] = prepared.currency
    summary = _summary(orders, lines, reversals)
    orders = orders.drop(columns=["net", "credit_note", "any_negative"]).reset_index()
    items = lines[["order_id", "line_no", "sku", "quantity", "unit_price", "merchandise"]].copy()
    items["amount"] = round_money(lines["signed"])
    items["unit_price"] = round_money(items["unit_price"])
    return orders, items.reset_index(drop=True), reversals, summary


def _summary(orders: pd.DataFrame, lines: pd.DataFrame, reversals: Reversals) -> list[str]:
    out = []
    if reversals.cancelled:
        notes = sorted(set(orders.index[orders["credit_note"]]) & reversals.cancelled)
        out.append(
            f"Credit notes: {len(notes)} exactly reverse an earlier order of the same customer "
            f"({', '.join(notes[:10])}); each is cancelled together with that order"
            + (
                f" ({len(reversals.stored_cancelled)} of them already in the store)"
                if reversals.stored_cancelled
                else ""
            )
            + "."
        )
    returned = orders[orders["status"] == "returned"]
    negative = lines["signed"] < 0
    if not returned.empty:
        out.append(
            f"Returns: {len(returned)} return orders / credit notes that reverse no earlier order "
            f"exactly, counted as returns on their own dates (net {returned['net'].sum():,.2f})."
        )
    mixed = orders["any_negative"] & ~orders["credit_note"] & (orders["status"] == "completed")
    if mixed.any():
        in_mixed = lines["order_id"].map(mixed).astype(bool) & negative & lines["merchandise"]
        out.append(
            f"Returned lines: {int(in_mixed.sum())} negative lines inside {int(mixed.sum())} "
            "orders count as returns on those orders' dates."
        )
    return out


def write_transactions(
    conn: Connection, prepared: TransactionLines
) -> tuple[dict, dict, list[str]]:
    """Write customers, products, orders and items; returns (inserted, updated, summary)."""
    lines = prepared.lines
    credit_customers = lines.loc[lines["quantity"] < 0, "customer_id"].dropna().unique().tolist()
    orders, items, reversals, summary = build_orders(
        prepared, stored_purchases(conn, credit_customers)
    )
    currency = check_store_currency(
        conn, prepared.currency, prepared.options.currency, prepared.file
    )
    orders["currency"] = currency
    customers, products = build_catalogue(prepared)
    inserted: dict[str, int] = {}
    updated: dict[str, int] = {}
    # Only missing customers are added: a sales log must not erase a CRM profile.
    inserted["customers"], updated["customers"] = upsert_frame(
        conn, Customer.__table__, customers, ["customer_id"], "insert_missing"
    )
    inserted["products"], updated["products"] = upsert_frame(
        conn, Product.__table__, products, ["sku"], "fill"
    )
    inserted["orders"], updated["orders"] = upsert_frame(
        conn, Order.__table__, orders, ["order_id"], "replace"
    )
    if reversals.stored_cancelled:
        conn.execute(
            update(Order.__table__)
            .where(Order.order_id.in_(sorted(reversals.stored_cancelled)))
            .values(status="cancelled")
        )
        updated["orders"] += len(reversals.stored_cancelled)
    inserted["order_items"], updated["order_items"] = _replace_items(conn, items)
    return inserted, updated, summary


def _replace_items(conn: Connection, items: pd.DataFrame) -> tuple[int, int]:
    """The file's lines replace all stored lines of its orders (an edited order may lose lines)."""
    table = OrderItem.__table__
    orders = items[["order_id"]].drop_duplicates()
    stored = fetch_rows(conn, table, ["order_id"], orders, ["order_id", "line_no"])
    delete_rows(conn, table, ["order_id"], orders)
    insert_frame(conn, table, conform(items, table))
    if stored.empty:
        return len(items), 0
    was = pd.MultiIndex.from_frame(stored.astype({"line_no": "int64"}))
    now = pd.MultiIndex.from_frame(items[["order_id", "line_no"]].astype({"line_no": "int64"}))
    updated = int(now.isin(was).sum())
    return len(items) - updated, updated
