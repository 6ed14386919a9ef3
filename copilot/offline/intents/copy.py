"""Copy requests: reading "write an SMS for each RFM segment ..." into generate_copy calls."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question
from knowledge.time_ranges.numerals import to_int
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_WRITE = re.compile(
    r"\b(?:write|draft|compose|create|generate|make)\b|写|撰写|起草|生成|拟",
    re.I,
)
# (channel, pattern): the first channel named wins; search ads before plain "ad".
_CHANNELS: tuple[tuple[str, str], ...] = (
    ("sms", r"\bsms\b|\btext messages?\b|\btexts?\b|短信"),
    ("email", r"\be-?mails?\b|\bnewsletter\b|邮件"),
    ("push", r"\bpush\b|\bnotifications?\b|推送"),
    ("search_ad", r"\bsearch ads?\b|\bad headlines?\b|\bads?\b|搜索广告|广告"),
    ("social", r"\bsocial\b|\bposts?\b|\bweibo\b|\bwechat\b|朋友圈|微博|小红书|社交|帖子"),
)
# Questions about numbers, even when they name a channel ("make a chart of email revenue").
_ANALYSIS = re.compile(
    r"\b(?:charts?|reports?|rates?|revenue|tables?|how many|how much|trend)\b|图表|报表|多少|趋势|分析",
    re.I,
)
# Questions about the rules of copy ("how long can an SMS be?") belong to the guidelines.
_RULES_QUESTION = re.compile(
    r"\bhow (?:long|many characters)\b|\b(?:limits?|rules?|allowed|can we say|banned)\b"
    r"|多长|多少字|字数|能不能|可以说|规则|限制|规范|禁用",
    re.I,
)
_COPY_WORDS = re.compile(r"\bcopy\b|\bcopies\b|\bmessages?\b|文案|话术", re.I)
_ALL = re.compile(
    r"\b(?:each|every|all)\b[^.?!]{0,20}\bsegments?\b|每个[^，。？]{0,8}(?:分群|群体|客群|细分)"
    r"|所有[^，。？]{0,8}(?:分群|群体|客群)|各个?[^，。？]{0,6}(?:分群|客群)",
    re.I,
)
# Informal names of RFM segments, besides their English and Chinese names.
_ALIASES: dict[str, str] = {
    "champion": "Champions",
    "vip": "Champions",
    "loyal": "Loyal Customers",
    "new customer": "New Customers",
    "at-risk": "At Risk",
    "churn risk": "At Risk",
    "can't lose": "Can't Lose Them",
    "cannot lose": "Can't Lose Them",
    "sleeping": "Hibernating",
    "流失风险": "At Risk",
    "有流失风险": "At Risk",
    "沉睡": "Hibernating",
    "新客": "New Customers",
    "忠诚": "Loyal Customers",
    "冠军": "Champions",
}
_OFFER = re.compile(
    r"\d+(?:\.\d+)?\s*%\s*off|\d+(?:\.\d+)?\s*折|[一二三四五六七八九]{1,2}折|满\s*\d+\s*减\s*\d+"
    r"|[¥￥$]\s*\d+\s*off(?:\s+orders?\s+over\s+[¥￥$]?\s*\d+)?",
    re.I,
)
_ABOUT = re.compile(
    r"\b(?:about|for|promoting|announcing|on)\s+(the\s+new\s+[^,.?!]+|our\s+new\s+[^,.?!]+)", re.I
)
_ABOUT_ZH = re.compile(r"关于([^，。？！]+?)的")
_VARIANTS = re.compile(
    # "two push notification variants": up to three words between the number and the noun.
    r"(\d+|two|three|four)\s+(?:[a-z-]+\s+){0,3}?(?:variants?|versions?|options?)"
    r"|(\d+|[两二三四])\s*(?:个|种)?\s*(?:版本|变体)",
    re.I,
)


def read_copy_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """generate_copy arguments for a request to write marketing copy, else None."""
    raw = question.raw
    channel = next((c for c, p in _CHANNELS if re.search(p, raw, re.I)), None)
    if not _WRITE.search(raw) or _ANALYSIS.search(raw) or _RULES_QUESTION.search(raw):
        return None
    if channel is None and not _COPY_WORDS.search(raw):
        return None
    args: dict[str, Any] = {"segments": _segments(raw), "channel": channel or "sms"}
    goal = _goal(raw)
    if goal:
        args["goal"] = goal
    category = question.filters.get("category")
    if category:
        args["product"] = category[0]
    offer = _OFFER.search(raw)
    if offer:
        args["offer"] = offer.group(0).strip()
    args["language"] = _language(raw, question.language)
    variants = _variants(raw)
    if variants:
        args["variants"] = variants
    return args


def _segments(raw: str) -> list[str] | str:
    if _ALL.search(raw) or re.search(r"\brfm\b", raw, re.I) and not _named_segments(raw):
        return "all"
    return _named_segments(raw) or "all"


def _named_segments(raw: str) -> list[str]:
    lowered = raw.lower().replace("’", "'")
    words = {r.name.lower(): r.name for r in SEGMENT_RULES}
    words |= {r.name_zh: r.name for r in SEGMENT_RULES}
    words |= _ALIASES
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for word in sorted(words, key=len, reverse=True):
        pattern = word if re.search(r"[\u4e00-\u9fff]", word) else rf"\b{re.escape(word)}"
        for match in re.finditer(pattern, lowered):
            span = match.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append(span)
            hits.append((span[0], words[word]))
    return list(dict.fromkeys(name for _, name in sorted(hits)))


def _goal(raw: str) -> str | None:
    match = _ABOUT.search(raw) or _ABOUT_ZH.search(raw)
    return match.group(1).strip() if match else None


def _language(raw: str, asked_in: str) -> str:
    if re.search(r"\bin chinese\b|中文", raw, re.I):
        return "zh"
    if re.search(r"\bin english\b|英文", raw, re.I):
        return "en"
    return asked_in


def _variants(raw: str) -> int | None:
    match = _VARIANTS.search(raw)
    if not match:
        return None
    word = (match.group(1) or match.group(2)).lower()
    value = to_int(word)
    return max(1, min(value, 4))


def write_copy_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The answer to a generate_copy result: how many drafts, whether they pass, a preview."""
    data = output.data
    if "error" in data:
        if language == "zh":
            return f"这次没能写出文案：{data['error']}"
        return f"I could not write the copy: {data['error']}"
    drafts = data["drafts"]
    failing = [d for d in drafts if not d["passed"]]
    segments = len({d["segment"] for d in drafts})
    preview = [
        f"- {d['segment']}: {' / '.join(v for v in d['parts'].values() if v)}"
        for d in drafts
        if d["variant"] == 1
    ][:10]
    if language == "zh":
        lines = [
            f"已为 {segments} 个分群写好 {data['total']} 条{_channel_zh(data['channel'])}文案，"
            f"其中 {data['passed']} 条通过全部检查（长度、签名与退订、禁用词、事实核对、隐私），"
            "已保存到草稿（见下表）："
        ]
        lines += preview
        if failing:
            lines.append(f"\n有 {len(failing)} 条未通过检查，表中列出了原因，请人工修改。")
        lines.append("\n下一步：挑选版本做 A/B 测试，或导出给发送工具。")
        return "\n".join(lines)
    lines = [
        f"I wrote {data['total']} {data['channel']} drafts for {segments} segment(s); "
        f"{data['passed']} pass every check (length, signature and opt-out, banned words, "
        "facts, privacy) and are saved as drafts (table below):"
    ]
    lines += preview
    if failing:
        lines.append(f"\n{len(failing)} draft(s) still fail a check; the table says which.")
    lines.append("\nNext: pick variants for an A/B test, or export them for your sending tool.")
    return "\n".join(lines)


def _channel_zh(channel: str) -> str:
    return {
        "sms": "短信",
        "email": "邮件",
        "push": "推送",
        "social": "社交媒体",
        "search_ad": "搜索广告",
    }[channel]


COPY_INTENT = Intent(tool="generate_copy", read=read_copy_question, write=write_copy_answer)
