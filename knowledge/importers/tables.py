"""Importing a file into one business table (customers, products, orders, ...).

File columns map onto the table's columns; the table's NOT NULL columns without
a default are required, except the few the importer can derive (an order's
date from its timestamp, a line's amount from quantity x price, a missing
order status = completed). Stored rows with the same key are updated: mapped
columns take the file's values, unmapped columns keep what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Connection, Table

from knowledge.importers.errors import CellProblem, ImportFileError, raise_for_problems
from knowledge.importers.options import ImportOptions
from knowledge.importers.parsing import FieldSpec, parse_frame, round_money, table_fields
from knowledge.importers.transactions import has_cjk, normalise_status
from knowledge.importers.writing import upsert_frame
from knowledge.store.schema import Base

# Columns that are NOT NULL in the schema but can be derived when the file lacks them.
DERIVABLE: dict[str, frozenset[str]] = {
    "orders": frozenset({"order_date", "status"}),
    "order_items": frozenset({"amount"}),
}

GENDER_WORDS = {
    "f": "F",
    "female": "F",
    "woman": "F",
    "w": "F",
    "女": "F",
    "女性": "F",
    "m": "M",
    "male": "M",
    "man": "M",
    "男": "M",
    "男性": "M",
}
LANGUAGE_WORDS = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh_cn": "zh",
    "zh-hans": "zh",
    "cn": "zh",
    "chinese": "zh",
    "中文": "zh",
    "汉语": "zh",
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "en_us": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
}
CHANNEL_WORDS = {
    "邮件": "email",
    "e-mail": "email",
    "短信": "sms",
    "text": "sms",
    "推送": "push",
    "app push": "push",
    "社交": "social",
    "social media": "social",
}


def fields_for(target: str) -> list[FieldSpec]:
    """The table's FieldSpecs, with derivable columns made optional."""
    derivable = DERIVABLE.get(target, frozenset())
    return [
        replace(f, required=False, not_null=False) if f.name in derivable else f
        for f in table_fields(Base.metadata.tables[target])
    ]


@dataclass
class TablePlan:
    """Validated rows for one table, written by `write`."""

    table: Table
    rows: pd.DataFrame
    key_cols: list[str]
    defaults: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def write(self, conn: Connection) -> tuple[dict[str, int], dict[str, int], list[str]]:
        """Upsert the rows; returns (inserted, updated, warnings) keyed by table name."""
        inserted, updated = upsert_frame(
            conn, self.table, self.rows, self.key_cols, "replace", self.defaults
        )
        return {self.table.name: inserted}, {self.table.name: updated}, []


def plan_table(
    target: str,
    cells: pd.DataFrame,
    mapping: dict[str, str],
    file: str,
    options: ImportOptions | None = None,
) -> TablePlan:
    """Parse and validate `cells` for `target`; raises ImportFileError naming the bad cells
    (or an ambiguous date column, when `options` do not give the date order)."""
    table = Base.metadata.tables[target]
    rows, problems = parse_frame(cells, fields_for(target), mapping, options, file)
    warnings: list[str] = []
    problems += _normalise_words(rows, mapping)
    defaults: dict[str, object] = {}
    if target == "orders":
        defaults, more = _derive_order_fields(rows, mapping)
        warnings += more
    if target == "order_items":
        derived = round_money(rows["quantity"].astype("float64") * rows["unit_price"])
        rows["amount"] = rows["amount"].fillna(derived) if "amount" in rows else derived
    if target == "products":
        _route_product_names(rows, mapping)
    raise_for_problems(file, problems)
    key_cols = [c.name for c in table.primary_key.columns]
    _check_unique_keys(rows, key_cols, mapping, file)
    return TablePlan(table, rows, key_cols, defaults, warnings)


def _normalise_words(rows: pd.DataFrame, mapping: dict[str, str]) -> list[CellProblem]:
    """Gender -> F/M, language -> zh/en, channel -> email/sms/push/social."""
    problems: list[CellProblem] = []
    if "gender" in rows:
        words = rows["gender"].str.strip().str.lower()
        mapped = words.map(GENDER_WORDS)
        bad = words.notna() & mapped.isna()
        problems += [
            CellProblem(
                int(r),
                mapping["gender"],
                str(rows.at[r, "gender"]),
                "is not a gender (F/M, female/male, 女/男)",
            )
            for r in rows.index[bad]
        ]
        rows["gender"] = mapped
    for column, words_map in (("language", LANGUAGE_WORDS), ("channel", CHANNEL_WORDS)):
        if column in rows:
            words = rows[column].str.strip().str.lower()
            rows[column] = words.map(words_map).fillna(words)
    return problems


def _derive_order_fields(rows: pd.DataFrame, mapping: dict[str, str]) -> tuple[dict, list[str]]:
    """order_date from ordered_at; status normalised, 'completed' where absent."""
    warnings: list[str] = []
    derived = rows["ordered_at"].dt.normalize()
    rows["order_date"] = rows["order_date"].fillna(derived) if "order_date" in rows else derived
    if "status" not in rows:
        warnings.append("No status column: new orders are stored as completed.")
        return {"status": "completed"}, warnings
    rows["status"], unknown = normalise_status(rows["status"])
    if unknown:
        listed = ", ".join(f"'{k}' ({v})" for k, v in list(unknown.items())[:10])
        warnings.append(f"Status values not recognised, treated as completed: {listed}.")
    rows["status"] = rows["status"].fillna("completed")
    return {}, warnings


def _route_product_names(rows: pd.DataFrame, mapping: dict[str, str]) -> None:
    """With one name column only, Chinese names go to name_zh and the others to name_en."""
    present = [c for c in ("name_en", "name_zh") if c in mapping]
    if len(present) != 1:
        return
    names = rows[present[0]]
    chinese = has_cjk(names)
    rows["name_en"] = names.where(~chinese)
    rows["name_zh"] = names.where(chinese)


def _check_unique_keys(
    rows: pd.DataFrame, key_cols: list[str], mapping: dict[str, str], file: str
) -> None:
    repeated = rows[rows.duplicated(key_cols, keep=False)]
    if repeated.empty:
        return
    examples = []
    for key, group in list(repeated.groupby(key_cols, sort=False))[:5]:
        shown = "/".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
        examples.append(f"'{shown}' in rows {', '.join(str(r) for r in group.index[:5])}")
    columns = ", ".join(f"'{mapping.get(c, c)}'" for c in key_cols)
    count = repeated[key_cols].drop_duplicates().shape[0]
    raise ImportFileError(
        f"{file}: {count} keys appear on more than one row (key column {columns}): "
        f"{'; '.join(examples)}. Each row needs its own key; nothing was imported."
    )
