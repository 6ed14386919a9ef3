"""A line-level sales log (UCI "Online Retail", Chinese shop exports) -> customers, products,
orders and order items.

Rules (see the package docstring for why):
- lines without a customer id are skipped and counted in a warning;
- sku = the product code, else "NM-" + a hash of the product name;
- an order is cancelled when its status column says so or its id is a UCI
  cancellation ("C" + the digits of an invoice number); an order whose lines
  are all negative is "returned" when the same customer bought one of its
  products earlier (in the file or the store), else "cancelled";
- cancelled and returned orders keep positive totals and quantities, so the
  metrics exclude them by status alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, func, select

from knowledge.importers.errors import (
    CellProblem,
    ImportFileError,
    raise_for_problems,
    rows_preview,
)
from knowledge.importers.parsing import FieldSpec, parse_frame, round_money
from knowledge.importers.writing import KEY_CHUNK, conform, delete_rows, fetch_rows, upsert_frame
from knowledge.store.bulk import insert_frame
from knowledge.store.schema import Customer, Order, OrderItem, Product

TRANSACTION_FIELDS: list[FieldSpec] = [
    FieldSpec("order_id", "str", required=True, not_null=True, max_length=64, is_key=True),
    # Not `not_null`: lines without a customer are skipped with a warning instead.
    FieldSpec("customer_id", "str", required=True, max_length=64, is_key=True),
    FieldSpec("ordered_at", "datetime", required=True, not_null=True),
    FieldSpec("product_code", "str", max_length=64, is_key=True),
    FieldSpec("product_name", "str", max_length=200),
    FieldSpec("quantity", "int", required=True, not_null=True),
    FieldSpec("unit_price", "decimal", required=True, not_null=True, max_abs=1e12),
    FieldSpec("category", "str", max_length=100),
    FieldSpec("country", "str", max_length=100),
    FieldSpec("city", "str", max_length=100),
    FieldSpec("status", "str"),
    FieldSpec("channel", "str", max_length=40),
]

CANCELLED_WORDS = frozenset(
    {
        "cancelled",
        "canceled",
        "cancel",
        "void",
        "voided",
        "取消",
        "已取消",
        "交易关闭",
        "关闭",
        "作废",
    }
)
RETURNED_WORDS = frozenset(
    {"returned", "return", "refunded", "refund", "退货", "已退货", "退款", "已退款", "退货退款"}
)
COMPLETED_WORDS = frozenset(
    {
        "completed",
        "complete",
        "done",
        "paid",
        "shipped",
        "delivered",
        "success",
        "successful",
        "closed_won",
        "已完成",
        "完成",
        "已支付",
        "已付款",
        "已发货",
        "已签收",
        "交易成功",
        "已收货",
    }
)

_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"


def normalise_status(values: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """completed / cancelled / returned (NA where empty or unknown), and the unknown words' counts."""
    words = values.astype("str").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="str")
    out[words.isin(COMPLETED_WORDS)] = "completed"
    out[words.isin(CANCELLED_WORDS)] = "cancelled"
    out[words.isin(RETURNED_WORDS)] = "returned"
    unknown = values[values.notna() & out.isna()]
    return out, {str(k): int(v) for k, v in unknown.value_counts().items()}


def has_cjk(values: pd.Series) -> pd.Series:
    """Whether each text contains Chinese characters (False for missing)."""
    return values.astype("str").str.contains(_CJK, regex=True).fillna(False).astype(bool)


def name_sku(name: str) -> str:
    """A stable sku for a product known only by name: same name, same sku, in every import."""
    digest = hashlib.sha1(" ".join(name.split()).lower().encode("utf-8")).hexdigest()
    return f"NM-{digest[:12]}"


@dataclass
class TransactionLines:
    """Validated lines, ready to become orders: one row per kept line."""

    lines: pd.DataFrame
    mapped: frozenset[str]
    warnings: list[str] = field(default_factory=list)


def prepare_lines(cells: pd.DataFrame, mapping: dict[str, str], file: str) -> TransactionLines:
    """Parse and validate the lines; raises ImportFileError listing the bad cells."""
    lines, problems = parse_frame(cells, TRANSACTION_FIELDS, mapping)
    warnings: list[str] = []
    lines["sku"] = _skus(lines, mapping, problems)
    no_customer = lines["customer_id"].isna()
    if no_customer.any():
        rows = [int(r) for r in lines.index[no_customer]]
        warnings.append(
            f"Skipped {len(rows)} of {len(lines)} lines without a customer id "
            f"(column '{mapping['customer_id']}', rows {rows_preview(rows)})."
        )
        skipped = set(rows)
        problems = [p for p in problems if p.row not in skipped]
        lines = lines[~no_customer]
    if lines.empty:
        raise ImportFileError(
            f"{file}: no line has a customer id in column '{mapping['customer_id']}'; "
            "map the right column with --map customer_id=<column>."
        )
    problems += _mixed_customers(lines, mapping)
    raise_for_problems(file, problems)
    if "status" in lines.columns:
        lines["status"], unknown = normalise_status(lines["status"])
        if unknown:
            listed = ", ".join(f"'{k}' ({v})" for k, v in list(unknown.items())[:10])
            warnings.append(f"Status values not recognised, treated as completed: {listed}.")
    lines["line_no"] = lines.groupby("order_id", sort=False).cumcount() + 1
    lines["signed"] = lines["quantity"].astype("float64") * lines["unit_price"]
    return TransactionLines(lines, frozenset(mapping), warnings)


def _skus(lines: pd.DataFrame, mapping: dict[str, str], problems: list[CellProblem]) -> pd.Series:
    code = lines["product_code"] if "product_code" in lines else pd.Series(pd.NA, index=lines.index)
    name = lines["product_name"] if "product_name" in lines else pd.Series(pd.NA, index=lines.index)
    sku = code.astype("str").copy()
    by_name = sku.isna() & name.notna()
    sku[by_name] = name[by_name].map(name_sku)
    column = mapping.get("product_code") or mapping.get("product_name", "")
    problems += [
        CellProblem(int(r), column, None, "is empty (a line needs a product code or name)")
        for r in lines.index[sku.isna()]
    ]
    return sku


def _mixed_customers(lines: pd.DataFrame, mapping: dict[str, str]) -> list[CellProblem]:
    """Lines whose customer differs from their order's first line: the file is inconsistent."""
    first = lines.groupby("order_id", sort=False)["customer_id"].transform("first")
    wrong = lines["customer_id"] != first
    return [
        CellProblem(
            int(r),
            mapping["customer_id"],
            str(lines.at[r, "customer_id"]),
            f"differs from the customer of order '{lines.at[r, 'order_id']}' "
            f"on its earlier lines ('{first[r]}')",
        )
        for r in lines.index[wrong]
    ]


def first_purchases(conn: Connection, customer_ids: list[str]) -> pd.DataFrame:
    """(customer_id, sku, first_bought) over completed orders already in the store."""
    rows: list = []
    for start in range(0, len(customer_ids), KEY_CHUNK):
        chunk = customer_ids[start : start + KEY_CHUNK]
        query = (
            select(Order.customer_id, OrderItem.sku, func.min(Order.ordered_at))
            .join(OrderItem, OrderItem.order_id == Order.order_id)
            .where(Order.customer_id.in_(chunk), Order.status == "completed")
            .group_by(Order.customer_id, OrderItem.sku)
        )
        rows += conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["customer_id", "sku", "first_bought"])
    frame["first_bought"] = pd.to_datetime(frame["first_bought"]).astype("datetime64[us]")
    return frame


def build_orders(
    prepared: TransactionLines, history: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(orders, order items, warnings) from the lines and the store's earlier purchases."""
    lines = prepared.lines
    groups = lines.groupby("order_id", sort=False)
    orders = pd.DataFrame(
        {
            "customer_id": groups["customer_id"].first(),
            "ordered_at": groups["ordered_at"].min(),
            "net": groups["signed"].sum(),
            "all_negative": groups["quantity"].max() < 0,
            "any_negative": groups["quantity"].min() < 0,
        }
    )
    for optional in ("city", "country", "channel"):
        if optional in lines.columns:
            orders[optional] = groups[optional].first()
    ids = orders.index.to_series()
    # A "C" prefix means cancellation only in UCI-style logs, whose invoices are digits.
    uci_marker = ids.str.fullmatch(r"C\d+") & ids.str.fullmatch(r"\d+").any()
    status = pd.Series("completed", index=orders.index, dtype=object)
    negative = orders["all_negative"] & ~uci_marker
    returned = _returned(lines, orders, negative, uci_marker, history)
    status[negative] = "cancelled"
    status[returned] = "returned"
    status[uci_marker] = "cancelled"
    if "status" in lines.columns:
        for word in ("returned", "cancelled"):  # cancelled wins when lines disagree
            said = (lines["status"] == word).fillna(False).groupby(lines["order_id"]).any()
            status[said.reindex(status.index, fill_value=False)] = word
    invalid = status != "completed"
    orders["status"] = status
    orders["total"] = round_money(orders["net"].where(~invalid, orders["net"].abs()))
    orders["order_date"] = orders["ordered_at"].dt.normalize()
    warnings = []
    mixed = orders["any_negative"] & ~orders["all_negative"] & ~invalid
    if mixed.any():
        warnings.append(
            f"{int(mixed.sum())} orders mix bought and returned lines; kept as completed "
            "with their net total."
        )
    orders = orders.drop(columns=["net", "all_negative", "any_negative"]).reset_index()
    items = lines[["order_id", "line_no", "sku", "quantity", "unit_price"]].copy()
    items["amount"] = round_money(lines["signed"])
    flip = items["order_id"].map(invalid).astype(bool) & (items["quantity"] < 0)
    items.loc[flip, "quantity"] = -items.loc[flip, "quantity"]
    items.loc[flip, "amount"] = -items.loc[flip, "amount"]
    items["unit_price"] = round_money(items["unit_price"])
    return orders, items.reset_index(drop=True), warnings


def _returned(
    lines: pd.DataFrame,
    orders: pd.DataFrame,
    negative: pd.Series,
    uci_marker: pd.Series,
    history: pd.DataFrame,
) -> pd.Series:
    """Which all-negative orders return a product the customer bought before."""
    bought = lines[(lines["quantity"] > 0) & ~lines["order_id"].map(uci_marker).astype(bool)]
    earlier = pd.concat(
        [
            bought[["customer_id", "sku", "ordered_at"]].rename(
                columns={"ordered_at": "first_bought"}
            ),
            history,
        ],
        ignore_index=True,
    )
    earlier = earlier.groupby(["customer_id", "sku"], as_index=False)["first_bought"].min()
    candidates = lines[lines["order_id"].map(negative).astype(bool)][
        ["order_id", "customer_id", "sku"]
    ]
    candidates = candidates.assign(order_at=candidates["order_id"].map(orders["ordered_at"]))
    joined = candidates.merge(earlier, on=["customer_id", "sku"], how="inner")
    hit = joined.loc[joined["first_bought"] < joined["order_at"], "order_id"].unique()
    return orders.index.to_series().isin(hit)


def build_catalogue(prepared: TransactionLines) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(customers, products): each attribute from the customer's / product's latest line."""
    lines = prepared.lines.sort_values("ordered_at", kind="stable")
    by_customer = lines.groupby("customer_id", sort=False)
    customers = pd.DataFrame(index=by_customer.size().index)
    for optional in ("country", "city"):
        if optional in lines.columns:
            customers[optional] = by_customer[optional].last()
    by_sku = lines.groupby("sku", sort=False)
    products = pd.DataFrame(index=by_sku.size().index)
    sold = lines[lines["quantity"] > 0].groupby("sku")["unit_price"].last()
    products["price"] = round_money(
        sold.reindex(products.index).fillna(by_sku["unit_price"].last())
    )
    if "product_name" in lines.columns:
        names = by_sku["product_name"].last()
        chinese = has_cjk(names)
        products["name_en"] = names.where(~chinese)
        products["name_zh"] = names.where(chinese)
    if "category" in lines.columns:
        category = by_sku["category"].last()
        products["category"] = category
        products["category_zh"] = category.where(has_cjk(category))
    return customers.reset_index(), products.reset_index()


def write_transactions(
    conn: Connection, prepared: TransactionLines
) -> tuple[dict, dict, list[str]]:
    """Write customers, products, orders and items; returns (inserted, updated, warnings)."""
    lines = prepared.lines
    history = first_purchases(
        conn, lines.loc[lines["quantity"] < 0, "customer_id"].unique().tolist()
    )
    orders, items, warnings = build_orders(prepared, history)
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
    inserted["order_items"], updated["order_items"] = _replace_items(conn, items)
    return inserted, updated, warnings


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
