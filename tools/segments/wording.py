"""Persona names and descriptions, in English and Chinese, from distinguishing features."""

from __future__ import annotations

import pandas as pd

HOUR_EN = {
    "night": "late-night",
    "morning": "morning",
    "midday": "midday",
    "afternoon": "afternoon",
    "evening": "evening",
}
HOUR_ZH = {
    "night": "深夜",
    "morning": "早上",
    "midday": "中午",
    "afternoon": "下午",
    "evening": "晚间",
}
HOUR_WHEN = {
    "night": "late at night",
    "morning": "in the morning",
    "midday": "around midday",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
}
SALES_EN = {"app": "app", "web": "web", "mini_program": "mini-program", "store": "in-store"}
SALES_ZH = {"app": "App", "web": "网站", "mini_program": "小程序", "store": "门店"}
MESSAGE_ZH = {"email": "邮件", "sms": "短信", "push": "推送", "social": "社交媒体"}
# How far (in standard deviations) a feature must stand out to name a persona.
NAME_Z = 0.4


def phrase(row: pd.Series, language: str, currency: str, category_zh: dict[str, str]) -> str:
    """One distinguishing feature in words, e.g. "3.1x the average skincare share"."""
    high = row["z"] > 0
    key, group, mean, ratio = row["key"], row["group"], row["mean"], row["ratio"]
    times = f"{ratio:.1f}x" if pd.notna(ratio) else ""
    if language == "zh":
        return _phrase_zh(group, key, high, mean, ratio, currency, category_zh)
    if group == "rfm":
        days = f"{mean:.0f} day{'' if f'{mean:.0f}' == '1' else 's'}"
        return {
            ("recency", True): f"last ordered long ago (avg {days})",
            ("recency", False): f"ordered recently (avg {days} ago)",
            ("frequency", True): f"orders often (avg {mean:.1f} orders)",
            ("frequency", False): f"orders rarely (avg {mean:.1f} orders)",
            ("monetary", True): f"spends a lot (avg {currency}{mean:,.0f})",
            ("monetary", False): f"spends little (avg {currency}{mean:,.0f})",
            ("aov", True): f"big baskets (AOV {currency}{mean:,.0f})",
            ("aov", False): f"small baskets (AOV {currency}{mean:,.0f})",
        }[(key, bool(high))]
    if group == "category":
        return f"{times} the average {key} share" if high else f"little {key} ({times} the average)"
    if group == "hour":
        when = HOUR_WHEN.get(key, f"at {key}")
        return f"orders {when} ({times})" if high else f"seldom orders {when}"
    if group == "sales_channel":
        name = SALES_EN.get(key, key)
        return f"shops {name} ({times})" if high else f"seldom shops {name}"
    if group in ("open", "click"):
        verb = "opens" if group == "open" else "clicks"
        return f"{verb} {key} messages ({times})" if high else f"rarely {verb[:-1]}s {key} messages"
    if group == "age":
        return f"older (avg age {mean:.0f})" if high else f"younger (avg age {mean:.0f})"
    return f"{'high' if high else 'low'} {key}"


def _phrase_zh(
    group: str,
    key: str,
    high: bool,
    mean: float,
    ratio: float,
    currency: str,
    category_zh: dict[str, str],
) -> str:
    times = f"{ratio:.1f}倍" if pd.notna(ratio) else ""
    if group == "rfm":
        return {
            ("recency", True): f"很久没下单（平均 {mean:.0f} 天）",
            ("recency", False): f"最近刚下过单（平均 {mean:.0f} 天前）",
            ("frequency", True): f"下单频繁（平均 {mean:.1f} 单）",
            ("frequency", False): f"很少下单（平均 {mean:.1f} 单）",
            ("monetary", True): f"消费高（平均 {currency}{mean:,.0f}）",
            ("monetary", False): f"消费低（平均 {currency}{mean:,.0f}）",
            ("aov", True): f"客单价高（{currency}{mean:,.0f}）",
            ("aov", False): f"客单价低（{currency}{mean:,.0f}）",
        }[(key, bool(high))]
    if group == "category":
        name = category_zh.get(key, key)
        return f"{name}消费占比是平均的{times}" if high else f"很少买{name}"
    if group == "hour":
        return (
            f"常在{HOUR_ZH.get(key, key)}下单（{times}）"
            if high
            else f"很少在{HOUR_ZH.get(key, key)}下单"
        )
    if group == "sales_channel":
        name = SALES_ZH.get(key, key)
        return f"常通过{name}购物（{times}）" if high else f"很少通过{name}购物"
    if group in ("open", "click"):
        verb = "打开" if group == "open" else "点击"
        name = MESSAGE_ZH.get(key, key)
        return f"常{verb}{name}消息（{times}）" if high else f"很少{verb}{name}消息"
    if group == "age":
        return f"年龄偏大（平均 {mean:.0f} 岁）" if high else f"年龄偏小（平均 {mean:.0f} 岁）"
    return f"{key}{'高' if high else '低'}"


def persona_name(profile: pd.DataFrame, category_zh: dict[str, str]) -> tuple[str, str]:
    """A short (English, Chinese) name from the top features, e.g. "Evening skincare app shoppers"."""
    z = profile.set_index("feature")["z"]

    def top(group: str) -> str | None:
        rows = profile[(profile["group"] == group) & (profile["z"] >= NAME_Z)]
        return None if rows.empty else str(rows.sort_values("z", ascending=False)["key"].iloc[0])

    status_en = status_zh = None
    if z.get("recency_days", 0) >= 0.8 and z.get("frequency", 0) < 0:
        status_en, status_zh = "lapsed", "流失"
    elif z.get("frequency", 0) >= 0.8:
        status_en, status_zh = "frequent", "高频"
    elif z.get("monetary", 0) >= 0.8 or z.get("aov", 0) >= 0.8:
        status_en, status_zh = "big-spending", "高消费"
    elif z.get("frequency", 0) <= -0.8:
        status_en, status_zh = "occasional", "偶尔购买"
    hour, category, channel = top("hour"), top("category"), top("sales_channel")
    words = [status_en, HOUR_EN.get(hour) if hour else None, category]
    noun = f"{SALES_EN.get(channel, channel)} shoppers" if channel else "shoppers"
    english = " ".join([w for w in words if w] + [noun])
    chinese = "".join(
        [
            status_zh or "",
            HOUR_ZH.get(hour, "") if hour else "",
            category_zh.get(category, category) if category else "",
            SALES_ZH.get(channel, channel) if channel else "",
            "用户",
        ]
    )
    return english[0].upper() + english[1:], chinese
