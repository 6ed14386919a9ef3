"""Column labels and number formats of result tables, in the answer's language.

A table's columns keep their machine names in the data (so a follow-up, a test
or a chart can find `revenue`); what people see is the label: the semantic
model's metric or dimension label, or the catalogue's name of a tool column
("share" -> "Share" / "占比"), never snake_case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from knowledge.presentation.messages import N_, tr, translations
from knowledge.presentation.numbers import (
    NUMBER_FORMATS,
    NumberFormat,
    currency_digits,
    format_number,
    format_value,
    is_missing,
)

if TYPE_CHECKING:
    from knowledge.semantic import SemanticModel

# Words that imply a number format; matched from the last word of a name back, since
# the last word is usually the unit ("total_orders"). Rates are fractions (MARKETING.md).
_PERCENT_WORDS = {
    "rate", "ctr", "share", "pct", "percent", "percentage", "retention", "ratio", "probability",
    "confidence", "support",
}  # fmt: skip
_MONEY_WORDS = {
    "revenue", "gmv", "aov", "sales", "spend", "amount", "total", "price", "cost", "cac",
    "ltv", "clv", "arpu", "monetary", "profit", "income", "discount", "returns",
}  # fmt: skip
_INTEGER_WORDS = {
    "orders", "buyers", "customers", "count", "users", "members", "messages", "sent",
    "delivered", "opens", "clicks", "conversions", "unsubscribes", "size", "n", "frequency",
    "quantity", "qty", "units", "recipients", "baskets", "days", "recency",
}  # fmt: skip
_ZH_FORMATS: tuple[tuple[str, NumberFormat], ...] = (
    ("率", "percent"),
    ("占比", "percent"),
    ("份额", "percent"),
    ("额", "money"),
    ("价", "money"),
    ("收入", "money"),
    ("数", "integer"),
    ("量", "integer"),
)
# Suffixes the tools add to a metric's column when they compare two periods.
_SUFFIXES = {
    "previous": N_("{label} (comparison period)"),
    "change": N_("{label}, relative change"),
}
# Suffixes of a rate's confidence interval bounds (A/B tests: "<rate>_ci_low").
_INTERVAL_SUFFIXES = {
    "_ci_low": N_("{label}, interval low"),
    "_ci_high": N_("{label}, interval high"),
}


# Headers of tool columns that are not metrics or dimensions, as the catalogue knows them
# (listed so the catalogue tools extract them; column_label looks them up by the same text).
# Boolean cells (checks passed, significant) as words.
_BOOLEAN_WORDS = (N_("yes"), N_("no"))
TOOL_HEADERS = (
    N_("Share"), N_("Customer share"), N_("Revenue share"), N_("Customers"), N_("Segment"),
    N_("Size"), N_("Count"), N_("Stage"), N_("Day"), N_("Date"), N_("Week"), N_("Month"),
    N_("Quarter"), N_("Year"), N_("Period"), N_("Cohort"), N_("Action"), N_("Recency"),
    N_("Frequency"), N_("Monetary"), N_("Name"), N_("Description"), N_("Variant"),
    N_("Updated"), N_("Kind"), N_("Feature"), N_("Baseline"), N_("Index"), N_("Lift"),
    N_("Support"), N_("Confidence"), N_("Antecedents"), N_("Consequents"), N_("Baskets"),
    N_("Customer id"), N_("Hour"), N_("Weekday"), N_("Churn probability"), N_("P value"),
    N_("Significant"), N_("Conversions"), N_("Delivered"), N_("Section"), N_("Score"),
    N_("Campaign id"), N_("Reviews"), N_("Avg recency days"), N_("Avg frequency"),
    N_("Avg monetary"), N_("Source"), N_("Test"), N_("Share of this"), N_("Relative lift"),
    N_("Absolute lift"), N_("Overlap"), N_("Jaccard"), N_("Difference"), N_("Odds ratio"),
    N_("Top decile lift"), N_("Theme"), N_("Text"), N_("Repurchase probability"), N_("Rate"),
    N_("Persona"), N_("If buy"), N_("Then buy"), N_("If buy zh"), N_("Then buy zh"), N_("Hits"),
    N_("Events"), N_("Enough sample"), N_("Best hour"), N_("Best weekday"), N_("Silhouette"),
    N_("Mean rating"), N_("Table"), N_("Share negative"), N_("Share in other reviews"),
    N_("Rows"), N_("Risk"), N_("Recency days"), N_("Quiet hour"), N_("Phone"), N_("Email"),
    N_("Mean sentiment"), N_("Failed checks"), N_("Checks passed"), N_("Consented"),
    N_("Columns"), N_("Updated at"), N_("Subject"), N_("Products"), N_("Preheader"),
    N_("Cost per conversion"), N_("Body"), N_("Status"), N_("Reachable customers"),
    N_("Lapsed customers"), N_("Driver"), N_("Importance"), N_("Column"), N_("Type"),
    N_("Samples"),
)  # fmt: skip


def column_format(name: str, model: SemanticModel | None = None) -> NumberFormat:
    """The number format of a column: the metric's own when the model knows it, else by its name.

    "repeat_rate" -> percent, "revenue" -> money, "orders" -> integer, else number.
    A "<metric>_change" column is relative (a fraction, so percent).
    """
    text = str(name)
    if model is not None and text in model.metrics:
        return model.metrics[text].format
    base, _, suffix = text.rpartition("_")
    if model is not None and base in model.metrics and suffix == "previous":
        return model.metrics[base].format
    if base and suffix == "change":
        return "percent"
    for word in reversed(re.split(r"[^a-z0-9]+", text.lower())):
        if word in _PERCENT_WORDS:
            return "percent"
        if word in _MONEY_WORDS:
            return "money"
        if word in _INTEGER_WORDS:
            return "integer"
    for suffix_zh, fmt in _ZH_FORMATS:
        if suffix_zh in text:
            return fmt
    return "number"


def column_label(name: Any, language: str = "en", model: SemanticModel | None = None) -> str:
    """What a table header or chart axis shows for a column, in `language`.

    The semantic model's label for a metric or dimension; "<metric>_previous" and
    "<metric>_change" and "<metric>_share" from the metric's label; a catalogued tool column; else the
    name with spaces ("days_since" -> "Days since"). Non-ASCII names are kept.
    """
    text = str(name)
    known = _model_label(text, language, model)
    if known:
        return known
    base, _, suffix = text.rpartition("_")
    if base == "month" and suffix.isdigit():  # cohort retention k months after the first order
        return tr(language, "Month {number}", number=int(suffix))
    if suffix in _SUFFIXES and base:
        return tr(language, _SUFFIXES[suffix], label=column_label(base, language, model))
    if suffix == "share" and _model_label(base, language, model):
        # "<metric>_share": a breakdown row's share of the whole ("Revenue share", "销售额占比").
        return tr(language, "{label} share", label=_model_label(base, language, model))
    for ending, message in _INTERVAL_SUFFIXES.items():
        if text.endswith(ending) and len(text) > len(ending):
            label = column_label(text[: -len(ending)], language, model)
            return tr(language, message, label=label)
    if not text.isascii():
        return text
    pretty = text.replace("_", " ").strip()
    pretty = pretty[:1].upper() + pretty[1:]
    return _catalogued(pretty, language)


def label_in_sentence(label: str) -> str:
    """A label inside a sentence: "Click-to-open rate" -> "click-to-open rate"; a label that
    starts with a code ("AOV", "RFM segment") and Chinese stay as they are."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


@cache
def _shipped_model() -> SemanticModel | None:
    """The shipped semantic model, for labels where no model was handed in (chart axes)."""
    from knowledge.semantic import load_semantic_model

    try:
        return load_semantic_model()
    except ValueError:
        return None


def _model_label(text: str, language: str, model: SemanticModel | None) -> str | None:
    model = model or _shipped_model()
    if model is None:
        return None
    if text in model.metrics:
        return model.metrics[text].label.in_language(language)
    if text in model.dimensions:
        return model.dimensions[text].label.in_language(language)
    return None


def _catalogued(pretty: str, language: str) -> str:
    """The catalogue's translation of a header ("Share" -> "占比"); the English otherwise."""
    upper = {
        "Aov": "AOV", "Ctr": "CTR", "Gmv": "GMV", "Ltv": "LTV", "Clv": "CLV", "Rfm": "RFM",
        "Auc": "AUC", "Roi": "ROI", "Roas": "ROAS", "Cac": "CAC", "Sku": "SKU", "Id": "ID",
    }  # fmt: skip
    pretty = upper.get(pretty, pretty)
    return translations(language).gettext(pretty)


def table_labels(
    columns: list[Any], language: str = "en", model: SemanticModel | None = None
) -> dict[Any, str]:
    """{column: header} for a table; a header shown twice gets its column name added."""
    labels = {c: column_label(c, language, model) for c in columns}
    seen: dict[str, int] = {}
    for header in labels.values():
        seen[header] = seen.get(header, 0) + 1
    return {c: (h if seen[h] == 1 else f"{h} ({c})") for c, h in labels.items()}


def cell_kind(
    column: Any,
    series: pd.Series,
    model: SemanticModel | None = None,
    formats: dict[str, str] | None = None,
) -> NumberFormat:
    """The number format of a numeric column's cells.

    The tool's declared format (TableArtifact.formats) wins; an "index" (100 = the
    baseline) reads as a plain number; else `column_format` by name. A "number"
    column whose values are all whole reads as a count ("388", not "388.00").
    """
    declared = (formats or {}).get(str(column))
    if declared in NUMBER_FORMATS:
        kind: NumberFormat = declared  # type: ignore[assignment]
    elif declared == "index":
        kind = "number"
    else:
        kind = column_format(str(column), model)
    if kind == "number" and _whole(series):
        kind = "integer"
    return kind


def cell_formatter(
    column: Any,
    series: pd.Series,
    language: str = "en",
    currency: str = "¥",
    model: SemanticModel | None = None,
    formats: dict[str, str] | None = None,
) -> Callable[[Any], str]:
    """A function that shows one cell of a numeric column as people read it.

    Money in the store's currency with its precision (the full figure, no 万/亿, so a
    column lines up), rates and shares as "18.1%", counts as integers, other numbers
    with 2 decimals, or 4 when every value is below 1 (a p-value of 0.0012 is not "0").
    Missing cells are empty. Shared by the CLI, the web Results panel and the widths
    the panel measures, so a number reads the same everywhere.
    """
    kind = cell_kind(column, series, model, formats)
    digits = 2
    if kind == "number":
        largest = pd.to_numeric(series, errors="coerce").abs().max()
        if pd.notna(largest) and largest < 1:
            digits = 4

    def show(value: Any) -> str:
        if is_missing(value):
            return ""
        if kind == "number":
            return format_number(value, language, digits)
        return format_value(value, kind, language, currency, large=False)

    return show


def csv_frame(
    frame: pd.DataFrame,
    language: str = "en",
    currency: str = "¥",
    model: SemanticModel | None = None,
    formats: dict[str, str] | None = None,
) -> pd.DataFrame:
    """A table for download: raw values (no symbols), rounded, with human headers.

    Money is rounded to the currency's precision, rates to 4 decimals (a fraction:
    0.1807 = 18.07%), counts to integers, other numbers to 4 decimals, so no
    699.1899999999999 reaches a spreadsheet. `formats`: the tool's declared formats.
    """
    out = frame.copy()
    for position, column in enumerate(out.columns):
        series = out.iloc[:, position]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        kind = cell_kind(column, series, model, formats)
        if kind == "money":
            out.isetitem(position, series.round(currency_digits(currency)))
        elif kind == "integer" and _whole(series):
            out.isetitem(position, series.round().astype("Int64"))
        else:
            out.isetitem(position, series.round(4))
    return out.rename(columns=table_labels(list(out.columns), language, model))


def _whole(series: pd.Series) -> bool:
    """Whether every value is a whole number (a count stored as float: 388.0)."""
    values = pd.to_numeric(series.dropna(), errors="coerce")
    return bool(((values - values.round()).abs() < 1e-9).all())


def display_frame(
    frame: pd.DataFrame,
    language: str = "en",
    currency: str = "¥",
    model: SemanticModel | None = None,
    formats: dict[str, str] | None = None,
) -> pd.DataFrame:
    """A table as people read it: every number formatted by its column's kind, human headers.

    Counts read "388" (not "388.00"), rates "18.1%", money "¥699.19"; text and
    dates are kept; missing cells are empty (see `cell_formatter`).
    """
    out = frame.astype(object).copy()
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if _is_boolean(series):  # a check's result reads "yes" / "是", not True
            out.isetitem(position, [_yes_no(v, language) for v in series])
            continue
        if not pd.api.types.is_numeric_dtype(series):
            out.isetitem(position, [("" if is_missing(v) else str(v)) for v in series])
            continue
        show = cell_formatter(column, series, language, currency, model, formats)
        out.isetitem(position, [show(v) for v in series])
    return out.rename(columns=table_labels(list(out.columns), language, model))


def _is_boolean(series: pd.Series) -> bool:
    """A column of booleans, also with gaps (the A/B table's control row has no
    "significant"), which pandas keeps as object dtype."""
    if pd.api.types.is_bool_dtype(series):
        return True
    if series.dtype != object:
        return False
    present = [v for v in series if not is_missing(v)]
    return bool(present) and all(isinstance(v, bool | np.bool_) for v in present)


def _yes_no(value: Any, language: str) -> str:
    """A boolean cell as a word of the answer's language; a missing one is empty."""
    if is_missing(value):
        return ""
    return tr(language, "yes") if bool(value) else tr(language, "no")
