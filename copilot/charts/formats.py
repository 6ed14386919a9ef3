"""How chart values read: which columns are percentages, money or counts, and their labels."""

from __future__ import annotations

import re
from typing import Literal

NumberFormat = Literal["percent", "money", "integer", "number"]

# Rates are fractions (0.23 = 23%), as in MARKETING.md. Words are matched from the
# last one back, since the last word of a name is usually its unit ("total_orders").
_PERCENT_WORDS = {"rate", "ctr", "share", "pct", "percent", "percentage", "retention", "ratio"}
_MONEY_WORDS = {
    "revenue", "gmv", "aov", "sales", "spend", "amount", "total", "price", "cost", "cac",
    "ltv", "clv", "arpu", "monetary", "profit", "income", "discount",
}  # fmt: skip
_INTEGER_WORDS = {
    "orders", "buyers", "customers", "count", "users", "members", "messages", "sent",
    "delivered", "opens", "clicks", "conversions", "unsubscribes", "size", "n", "frequency",
    "quantity", "qty", "units", "recipients",
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

# Labels for the columns the tools commonly return; anything else is prettified.
_LABELS: dict[str, dict[str, str]] = {
    "en": {"aov": "AOV", "ctr": "CTR", "gmv": "GMV", "ltv": "LTV", "clv": "CLV"},
    "zh": {
        "day": "日期",
        "date": "日期",
        "week": "周",
        "month": "月份",
        "quarter": "季度",
        "year": "年份",
        "period": "周期",
        "city": "城市",
        "province": "省份",
        "channel": "渠道",
        "signup_channel": "注册渠道",
        "gender": "性别",
        "language": "语言",
        "segment": "客群",
        "category": "品类",
        "product": "商品",
        "campaign": "活动",
        "stage": "阶段",
        "cohort": "同期群",
        "revenue": "销售额",
        "orders": "订单数",
        "buyers": "购买人数",
        "customers": "客户数",
        "aov": "客单价",
        "count": "数量",
        "share": "占比",
        "ctr": "点击率",
        "open_rate": "打开率",
        "conversion_rate": "转化率",
        "repurchase_rate": "复购率",
        "churn_rate": "流失率",
        "retention": "留存率",
        "unsubscribe_rate": "退订率",
    },
}


def column_format(name: str) -> NumberFormat:
    """The number format a column's name implies ("repeat_rate" -> percent, "revenue" -> money)."""
    text = str(name)
    for word in reversed(re.split(r"[^a-z0-9]+", text.lower())):
        if word in _PERCENT_WORDS:
            return "percent"
        if word in _MONEY_WORDS:
            return "money"
        if word in _INTEGER_WORDS:
            return "integer"
    for suffix, fmt in _ZH_FORMATS:
        if suffix in text:
            return fmt
    return "number"


def column_label(name: str, language: str = "en") -> str:
    """A readable axis/legend label for a column name ("repeat_rate" -> "Repeat rate")."""
    text = str(name)
    known = _LABELS.get(language, {}).get(text.lower()) or _LABELS["en"].get(text.lower())
    if known:
        return known
    if text.isascii():
        text = text.replace("_", " ").strip()
        return text[:1].upper() + text[1:]
    return text


def format_value(value: float, fmt: NumberFormat, currency: str = "¥") -> str:
    """A value as text for labels on bars and cells (compact: 1.2M, 34.5%)."""
    if value != value:  # NaN
        return ""
    if fmt == "percent":
        return f"{value:.1%}"
    # The sign goes before the currency: -¥1,200.
    prefix = ("-" if value < 0 else "") + (currency if fmt == "money" else "")
    magnitude = abs(value)
    # 1.2M, 98.5K, 400K; below 10,000 the full number reads fine.
    for threshold, size, suffix in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "K")):
        if magnitude >= threshold:
            return f"{prefix}{magnitude / size:,.1f}".removesuffix(".0") + suffix
    if fmt == "integer" or magnitude >= 100:
        return f"{prefix}{magnitude:,.0f}"
    return f"{prefix}{magnitude:,.2f}"


def plotly_tick_format(fmt: NumberFormat) -> str:
    """A d3 format string for an axis of this format."""
    return ".0%" if fmt == "percent" else ""


def plotly_hover_format(fmt: NumberFormat) -> str:
    """A d3 format string for hover text of this format."""
    return {"percent": ".1%", "money": ",.2f", "integer": ",.0f", "number": ",.2~f"}[fmt]


# One palette for both renderers (Tableau 10: distinct, colour-blind friendly enough).
PALETTE = (
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2",
    "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)  # fmt: skip
