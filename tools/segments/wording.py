"""Persona names and descriptions, in English and Chinese, from distinguishing features."""

from __future__ import annotations

import pandas as pd

from knowledge.presentation import N_, ntr, tr

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
    "night": N_("late at night"),
    "morning": N_("in the morning"),
    "midday": N_("around midday"),
    "afternoon": N_("in the afternoon"),
    "evening": N_("in the evening"),
}
SALES_EN = {
    "app": N_("app"),
    "web": N_("web"),
    "mini_program": N_("mini-program"),
    "store": N_("in-store"),
}
SALES_ZH = {"app": "App", "web": "网站", "mini_program": "小程序", "store": "门店"}
MESSAGE_ZH = {"email": "邮件", "sms": "短信", "push": "推送", "social": "社交媒体"}
# How far (in standard deviations) a feature must stand out to name a persona.
NAME_Z = 0.4


def phrase(row: pd.Series, language: str, currency: str, category_zh: dict[str, str]) -> str:
    """One distinguishing feature in words, e.g. "3.1x the average skincare share".

    The sentences come from the message catalogue; a feature's key is passed as written
    (`{key}`, the English sentences name it so) and as the answer's language names it
    (`{name}`: the store's Chinese category name, MESSAGE_ZH's channel name)."""
    high = bool(row["z"] > 0)
    key, group, mean, ratio = row["key"], row["group"], row["mean"], row["ratio"]
    times = tr(language, "{ratio}x", ratio=f"{ratio:.1f}") if pd.notna(ratio) else ""
    if group == "rfm":
        days = ntr(language, "{count} day", "{count} days", int(f"{mean:.0f}"))
        return tr(
            language,
            _RFM[(key, high)],
            days=days,
            orders=f"{mean:.1f}",
            money=f"{currency}{mean:,.0f}",
        )
    if group == "category":
        name = category_zh.get(key, key) if language != "en" else key
        message = (
            N_("{times} the average {key} share")
            if high
            else N_("little {key} ({times} the average)")
        )
        return tr(language, message, times=times, key=key, name=name)
    if group == "hour":
        when = (
            tr(language, HOUR_WHEN[key])
            if key in HOUR_WHEN
            else tr(language, "at {hour}", hour=key)
        )
        message = N_("orders {when} ({times})") if high else N_("seldom orders {when}")
        return tr(language, message, when=when, times=times)
    if group == "sales_channel":
        name = tr(language, SALES_EN[key]) if key in SALES_EN else key
        message = N_("shops {channel} ({times})") if high else N_("seldom shops {channel}")
        return tr(language, message, channel=name, times=times)
    if group in ("open", "click"):
        name = MESSAGE_ZH.get(key, key) if language != "en" else key
        message = _MESSAGES[(group, high)]
        return tr(language, message, key=key, name=name, times=times)
    if group == "age":
        message = N_("older (avg age {age})") if high else N_("younger (avg age {age})")
        return tr(language, message, age=f"{mean:.0f}")
    return tr(language, N_("high {key}") if high else N_("low {key}"), key=key)


_RFM = {
    ("recency", True): N_("last ordered long ago (avg {days})"),
    ("recency", False): N_("ordered recently (avg {days} ago)"),
    ("frequency", True): N_("orders often (avg {orders} orders)"),
    ("frequency", False): N_("orders rarely (avg {orders} orders)"),
    ("monetary", True): N_("spends a lot (avg {money})"),
    ("monetary", False): N_("spends little (avg {money})"),
    ("aov", True): N_("big baskets (AOV {money})"),
    ("aov", False): N_("small baskets (AOV {money})"),
}
_MESSAGES = {
    ("open", True): N_("opens {key} messages ({times})"),
    ("open", False): N_("rarely opens {key} messages"),
    ("click", True): N_("clicks {key} messages ({times})"),
    ("click", False): N_("rarely clicks {key} messages"),
}


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
