"""A line-level sales log (UCI "Online Retail", Chinese shop exports) -> customers, products,
orders and order items, read by MARKETING.md's rules ("How real logs are read"):

- exact duplicate lines are dropped (unless kept on request) and counted;
- lines without a customer id are guest lines: kept, in revenue and orders,
  with no customer (so not in buyer or customer analyses);
- sku = the product code, else "NM-" + a hash of the product name;
- postage, fees and adjustments are non-merchandise lines: kept, flagged,
  and left out of the order's total (its net merchandise amount);
- lines keep their sign; a credit note (all lines negative, e.g. UCI's "C"
  invoices) that exactly reverses an earlier order of the same customer
  cancels it (both "cancelled"); any other credit note is a "returned" order,
  counted as a return on its own date; negative lines of an ordinary order
  are returns on that order's date;
- a status column saying cancelled / returned wins;
- one currency per file and per store; dates never guessed (see dates.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

import pandas as pd

from knowledge.importers.cleaning import duplicate_lines, non_merchandise
from knowledge.importers.currency import (
    currency_of_prices,
    file_currency,
    normalise_currency_column,
)
from knowledge.importers.dates import OFFSET, excel_serials, resolve_date_order
from knowledge.importers.errors import (
    CellProblem,
    ImportFileError,
    raise_for_problems,
    rows_preview,
)
from knowledge.importers.options import ImportOptions
from knowledge.importers.parsing import FieldSpec, parse_frame, round_money
from knowledge.presentation.messages import ntr

TRANSACTION_FIELDS: list[FieldSpec] = [
    FieldSpec("order_id", "str", required=True, not_null=True, max_length=64, is_key=True),
    # Not `not_null`: lines without a customer are guest lines.
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
    FieldSpec("currency", "str", max_length=10),
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
    """Validated lines, ready to become orders: one row per kept line.

    `lines` columns: the mapped TRANSACTION_FIELDS plus sku, line_no, signed
    (quantity x unit price, negative for returns) and merchandise (bool);
    `summary` says in sentences what the reading rules did; `currency` is the
    file's ISO code (None when no amount or column names one).
    """

    lines: pd.DataFrame
    mapped: frozenset[str]
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    currency: str | None = None
    options: ImportOptions = field(default_factory=ImportOptions)
    file: str = ""


def prepare_lines(
    cells: pd.DataFrame,
    mapping: dict[str, str],
    file: str,
    options: ImportOptions | None = None,
) -> TransactionLines:
    """Parse, validate and clean the lines; raises ImportFileError listing the bad cells."""
    options = options or ImportOptions()
    summary: list[str] = []
    cells = _drop_duplicates(cells, options, summary)
    options = _date_reading(cells[mapping["ordered_at"]], mapping, options, file, summary)
    lines, problems = parse_frame(cells, TRANSACTION_FIELDS, mapping, options, file)
    warnings: list[str] = []
    lines["sku"] = _skus(lines, mapping, problems)
    guests = lines["customer_id"].isna()
    if guests.all():
        raise ImportFileError(
            f"{file}: no line has a customer id in column '{mapping['customer_id']}'; "
            "map the right column with --map customer_id=<column>."
        )
    if guests.any():
        rows = [int(r) for r in lines.index[guests]]
        summary.append(
            f"Guest lines: {len(rows)} of {len(lines)} lines have no customer id (column "
            f"'{mapping['customer_id']}', rows {rows_preview(rows)}); they count in revenue "
            "and orders, not in buyer or customer analyses."
        )
    problems += _mixed_customers(lines, mapping)
    raise_for_problems(file, problems)
    if "status" in lines.columns:
        lines["status"], unknown = normalise_status(lines["status"])
        if unknown:
            listed = ", ".join(f"'{k}' ({v})" for k, v in list(unknown.items())[:10])
            warnings.append(f"Status values not recognised, treated as completed: {listed}.")
    currency = _currency(cells, lines, mapping, file, summary)
    lines["merchandise"] = ~non_merchandise(
        lines.get("product_code"), lines.get("product_name"), options.non_merchandise
    )
    _summarise_non_merchandise(lines, summary)
    lines["line_no"] = lines.groupby("order_id", sort=False).cumcount() + 1
    lines["signed"] = lines["quantity"].astype("float64") * lines["unit_price"]
    return TransactionLines(lines, frozenset(mapping), warnings, summary, currency, options, file)


def _drop_duplicates(
    cells: pd.DataFrame, options: ImportOptions, summary: list[str]
) -> pd.DataFrame:
    repeated = duplicate_lines(cells)
    if not repeated.any():
        return cells
    rows = rows_preview([int(r) for r in cells.index[repeated]])
    count = int(repeated.sum())
    if options.keep_duplicates:
        summary.append(
            ntr(
                "en",
                "Duplicates: kept {count} line that repeats an earlier line exactly "
                "(row {rows}), as asked.",
                "Duplicates: kept {count} lines that repeat an earlier line exactly "
                "(rows {rows}), as asked.",
                count,
                rows=rows,
            )
        )
        return cells
    summary.append(
        ntr(
            "en",
            "Duplicates: dropped {count} line that repeats an earlier line exactly "
            "(row {rows}); import with --keep-duplicates to keep it.",
            "Duplicates: dropped {count} lines that repeat an earlier line exactly "
            "(rows {rows}); import with --keep-duplicates to keep them.",
            count,
            rows=rows,
        )
    )
    return cells[~repeated]


def _date_reading(
    text: pd.Series, mapping: dict[str, str], options: ImportOptions, file: str, summary: list[str]
) -> ImportOptions:
    """The options with the date order resolved, and a summary sentence on how dates were read."""
    column = mapping["ordered_at"]
    dayfirst = resolve_date_order(text, column, options.date_order, file)
    if dayfirst is None:
        how = "as ISO / written-out dates"
    else:
        order = "day-first" if dayfirst else "month-first"
        why = "as stated" if options.date_order else "the only reading that fits every value"
        how = f"{order} ({why})"
    notes = [f"Dates: column '{column}' read {how}"]
    offsets = int(text.str.contains(OFFSET, regex=True).fillna(False).sum())
    if offsets:
        notes.append(f"{offsets} timestamps with an offset converted to {options.timezone}")
    serials = int(excel_serials(text).notna().sum())
    if serials:
        notes.append(f"{serials} Excel serial dates converted")
    summary.append("; ".join(notes) + ".")
    if dayfirst is None:
        return options
    return dataclasses.replace(options, date_order="day-first" if dayfirst else "month-first")


def _currency(
    cells: pd.DataFrame,
    lines: pd.DataFrame,
    mapping: dict[str, str],
    file: str,
    summary: list[str],
) -> str | None:
    """The file's one currency (from a currency column, else the price cells); refuses a mix."""
    if "currency" in lines.columns:
        column = mapping["currency"]
        per_line = normalise_currency_column(lines["currency"])
        source = f"column '{column}'"
    else:
        column = mapping["unit_price"]
        per_line = currency_of_prices(cells[column])
        source = f"the amounts in column '{column}'"
    found = file_currency(per_line, column, file)
    if found:
        summary.append(f"Currency: {found} (from {source}).")
    return found


def _summarise_non_merchandise(lines: pd.DataFrame, summary: list[str]) -> None:
    other = lines[~lines["merchandise"]]
    if other.empty:
        return
    label = other["product_code"] if "product_code" in other else other["product_name"]
    if "product_name" in other:
        label = label.fillna(other["product_name"])
    counts = ", ".join(f"{k} ({v})" for k, v in label.value_counts().head(8).items())
    summary.append(
        f"Non-merchandise lines: {len(other)} ({counts}) kept, but left out of revenue, AOV, "
        "product, category and basket analyses."
    )


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
    """Lines whose customer (or guest) differs from their order's first line: inconsistent file."""
    customer = lines["customer_id"].fillna("")
    first = customer.groupby(lines["order_id"], sort=False).transform("first")
    wrong = customer != first
    return [
        CellProblem(
            int(r),
            mapping["customer_id"],
            str(customer[r]) or None,
            f"differs from the customer of order '{lines.at[r, 'order_id']}' "
            f"on its earlier lines ('{first[r] or 'no customer'}')",
        )
        for r in lines.index[wrong]
    ]


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
