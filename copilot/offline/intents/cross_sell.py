"""Cross-sell questions: reading them into cross_sell_rules calls and writing the rules as offers."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question, top_n
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

_CROSS_SELL_WORDS = (
    r"cross[- ]?sell(?:ing)?",
    r"(?:bought|buy|buys|buying|purchased|ordered) together",
    r"frequently bought",
    r"go(?:es)? together",
    r"market basket",
    r"basket analysis",
    r"association rules?",
    r"bundles?",
    "一起买",
    "一起购买",
    "同时购买",
    "一起下单",
    "交叉销售",
    "关联规则",
    "购物篮",
    "搭配购买",
    "连带",
    "捆绑",
)
_CATEGORY_LEVEL = re.compile(r"categor(?:y|ies)|品类|类目")
# "for skincare buyers", "among makeup customers"; "购买护肤品的客户", "买母婴的顾客".
_EN_BUYERS = re.compile(
    r"(?:for|of|among|to)\s+([a-z][a-z &-]{1,30}?)\s+(?:buyers|customers|shoppers|purchasers)"
)
_ZH_BUYERS = re.compile(
    r"(?:购买|买)(?:过)?([\u4e00-\u9fff]{2,6}?)(?:类|产品|商品|品)?的(?:客户|顾客|用户|人)"
)


def read_cross_sell_question(question: Question, ctx: PlannerContext) -> dict[str, Any] | None:
    """cross_sell_rules arguments for "what do champions buy together?", else None."""
    if not question.has(*_CROSS_SELL_WORDS):
        return None
    args: dict[str, Any] = {}
    segment = _segment(question.raw)
    if segment:
        args["segment"] = segment
    else:
        category = _category(question.raw)
        if category:
            args["category"] = category
    if _CATEGORY_LEVEL.search(question.text) and "category" not in args:
        args["level"] = "category"
    if question.time_range:
        args["time_range"] = question.time_range
    n = top_n(question.text)
    if n:
        args["top"] = n
    return args


def _segment(raw: str) -> str | None:
    """The RFM segment a question names, in English (plural or not) or Chinese."""
    lowered = raw.lower()
    for rule in sorted(SEGMENT_RULES, key=lambda r: len(r.name), reverse=True):
        stem = re.escape(rule.name.lower().rstrip("s"))
        if re.search(rf"(?<![a-z]){stem}s?(?![a-z])", lowered) or rule.name_zh in raw:
            return rule.name
    zh_short = {"冠军": "Champions", "忠诚": "Loyal Customers", "沉睡": "Hibernating"}
    return next((name for word, name in zh_short.items() if word in raw), None)


def _category(raw: str) -> str | None:
    match = _EN_BUYERS.search(raw.lower()) or _ZH_BUYERS.search(raw)
    if not match:
        return None
    word = match.group(1).strip()
    return None if word in ("our", "my", "all", "the", "these", "those") else word


def write_cross_sell_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The strongest rules as offers, with their lift, and what to do next."""
    data = output.data
    zh = language == "zh"
    who = _who(data, zh)
    recs = data["recommendations"][:10]
    if not recs:
        if zh:
            return (
                f"在{who}的 {data['baskets']:,} 个订单中，没有商品组合达到支持度 "
                f"{data['min_support']:.1%}、置信度 {data['min_confidence']:.0%} 的门槛。"
                "\n\n下一步：可以降低支持度或置信度门槛，或放宽时间范围、改为按品类分析。"
            )
        return (
            f"Across {data['baskets']:,} baskets of {who}, no combination reaches "
            f"{data['min_support']:.1%} support and {data['min_confidence']:.0%} confidence."
            "\n\nNext: lower the support or confidence threshold, widen the period, or "
            "look at categories instead of products."
        )
    rules = {_key(r["antecedents"], r["consequents"]): r for r in data["rules"]}
    lines, shown = [], set()
    for rec in recs:
        # X -> Y and Y -> X share support and lift: tell each pair once.
        pair = frozenset(rec["if"]) | frozenset(rec["then"])
        if pair in shown:
            continue
        shown.add(pair)
        rule = rules[_key(rec["if"], rec["then"])]
        text = rec["text_zh"] if zh else rec["text_en"]
        lines.append(f"- {text}{'' if zh else ' '}{_numbers(rule, zh)}")
    if zh:
        head = f"{who}常一起购买的商品（{data['baskets']:,} 个订单，按提升度排序，见下表）："
        step = (
            "下一步：把排名第一的组合做成搭配优惠，发给购买前项商品的客户，并用 A/B 测试验证效果。"
        )
    else:
        head = f"What {who} buy together ({data['baskets']:,} baskets, strongest lift first, table below):"
        step = (
            "Next: turn the top pair into a bundle offer for buyers of the first product, "
            "and A/B test it against no offer."
        )
    return "\n".join([head, *lines, "", step])


def _key(antecedents: list[str], consequents: list[str]) -> tuple[tuple[str, ...], ...]:
    return (tuple(antecedents), tuple(consequents))


def _numbers(rule: dict[str, Any], zh: bool) -> str:
    if zh:
        return f"（支持度 {rule['support']:.1%}，置信度 {rule['confidence']:.0%}，提升度 {rule['lift']:.1f}）"
    return (
        f"(support {rule['support']:.1%}, confidence {rule['confidence']:.0%}, "
        f"lift {rule['lift']:.1f})"
    )


def _who(data: dict[str, Any], zh: bool) -> str:
    segment = data.get("segment")
    period = data.get("period")
    category = data.get("category")
    if zh:
        names = {r.name: r.name_zh for r in SEGMENT_RULES}
        who = names.get(segment, segment) if segment else "全部客户"
        who = f"购买{category}的{who}" if category else who
        return f"{period['label']}{who}" if period else who
    if category:
        who = f"{segment} customers buying {category}" if segment else f"{category} buyers"
    else:
        who = f"{segment} customers" if segment else "all customers"
    return f"{who} in {period['label']}" if period else who


CROSS_SELL_INTENT = Intent(
    tool="cross_sell_rules", read=read_cross_sell_question, write=write_cross_sell_answer
)
