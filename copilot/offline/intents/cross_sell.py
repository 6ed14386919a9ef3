"""Cross-sell questions: reading them into cross_sell_rules calls and writing the rules as offers."""

from __future__ import annotations

import re
from typing import Any

from copilot.offline.intents.base import Intent, PlannerContext
from copilot.offline.question import Question, top_n
from copilot.offline.vocabulary import intent_cues
from knowledge.presentation import ntr, period_name
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

# "to people who buy a Bowl", "customers who bought mugs", "买了碗的人".
_WHO_BUY = re.compile(
    r"(?:people|customers?|buyers?|shoppers?|those|anyone|someone|users?)\s+who\s+"
    r"(?:buys?|bought|purchases?|purchased|orders?|ordered)\s+(.+?)\s*(?:[?？.,，!]|$|\s+(?:in|during|last|this|over|since|from)\b)"
)
# "lift of Bowl and Mug", "lift between bowls and mugs", "Bowl and Mug lift".
_PAIR = re.compile(
    r"(?:lift|support|confidence|affinity)\s+(?:of|between|for)\s+(.+?)\s+(?:and|&|with|\+)\s+"
    r"(.+?)\s*(?:[?？.,，!]|$|\s+(?:in|during|last|this|over|since|from)\b)"
    r"|^(?:what is the\s+)?(.+?)\s+(?:and|&|\+)\s+(.+?)\s+(?:lift|affinity)\b"
)
_ZH_PAIR = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{1,12})(?:和|与|跟)([\u4e00-\u9fffA-Za-z0-9]{1,12})的(?:提升度|关联度|支持度)"
)
_ZH_WHO_BUY = re.compile(
    r"(?:购买|买)(?:了|过)?([\u4e00-\u9fffA-Za-z0-9]{1,12}?)的(?:人|客户|顾客|用户)"
    r"[\u4e00-\u9fff]{0,3}?(?:还|会|也)"
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
    """cross_sell_rules arguments for "what do champions buy together?", "what to cross-sell
    to people who buy a Bowl?" or "lift of Bowl and Mug", else None."""
    raw = question.raw.strip()
    pair = _PAIR.search(raw.lower()) or _ZH_PAIR.search(raw)
    who_buy = _WHO_BUY.search(raw.lower()) or _ZH_WHO_BUY.search(raw)
    if pair and all(_item_like(g) for g in [g for g in pair.groups() if g][:2]):
        first, second = [g for g in pair.groups() if g][:2]
        args: dict[str, Any] = {"item": _clean(first), "paired_with": _clean(second)}
        return _with_scope(args, question)
    if not question.has(*intent_cues("cross_sell_rules")) and not (
        who_buy and _OFFER.search(raw.lower())
    ):
        return None
    args = {}
    if who_buy:
        args["item"] = _clean(who_buy.group(1))
        return _with_scope(args, question)
    segment = _segment(question.raw)
    if segment:
        args["segment"] = segment
    else:
        named_categories = question.filters.get("category") or []
        category = _category(question.raw) or (
            named_categories[0] if len(named_categories) == 1 else None
        )
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


# "what to offer / recommend / sell ... people who buy X", "还会买什么".
_OFFER = re.compile(r"offer|recommend|sell|suggest|pitch|upsell|also buy|else|还会买|还买|推荐")


def _item_like(words: str) -> bool:
    """Whether a phrase can name one product or category: at most four words, no brackets
    or clause punctuation ("build a churn model and tell me how good it is (auc, lift)" is
    two clauses around a metric list, not a pair of items)."""
    return len(words.split()) <= 4 and not re.search(r"[()（）,，;；:：]", words)


def _clean(words: str) -> str:
    """The item as the user named it, without articles and trailing filler."""
    words = re.sub(r"^(?:a|an|the|some|our|my)\s+", "", words.strip(), flags=re.I)
    return re.sub(r"\s+(?:too|also|as well)$", "", words).strip(" '\"“”")


def _with_scope(args: dict[str, Any], question: Question) -> dict[str, Any]:
    """The segment and period a question adds to an item question."""
    segment = _segment(question.raw)
    if segment:
        args["segment"] = segment
    if _CATEGORY_LEVEL.search(question.text):
        args["level"] = "category"
    if question.time_range:
        args["time_range"] = question.time_range
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
    """The pair asked about, the rules strong enough to be offers (with the baskets each
    rests on), the rules too thin to advise on, and what to do next."""
    data = output.data
    zh = language == "zh"
    if data.get("pair"):  # one pair asked: its numbers, not every rule about the item
        return _pair_sentence(data["pair"], zh)
    return _rules_answer(data, zh)


def _rules_answer(data: dict[str, Any], zh: bool) -> str:
    who = _who(data, zh)
    recs = data["recommendations"][:10]
    thin = _thin_note(data, zh)
    if not data["rules"]:
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
    if not recs:
        if zh:
            return (
                f"{who}的 {data['baskets']:,} 个订单中找到 {len(data['rules'])} 条关联规则（见下表），"
                f"但没有一条既有提升度 > 1 又基于至少 {data['min_baskets']} 个订单，所以不给出搭配建议。"
                f"{thin}\n\n下一步：积累更多订单后再看，或改为按品类分析。"
            )
        return (
            f"Across {data['baskets']:,} baskets of {who} there are {len(data['rules'])} rules "
            f"(table below), but none both lifts the other item (lift > 1) and rests on at least "
            f"{data['min_baskets']} baskets, so none is advice.{thin}"
            "\n\nNext: wait for more orders, or look at categories instead of products."
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
    return "\n".join([head, *lines, *([thin.strip()] if thin else []), "", step])


def _thin_note(data: dict[str, Any], zh: bool) -> str:
    """How many rules rest on too few baskets to advise on (they stay in the table)."""
    thin = data.get("thin_rules", 0)
    if not thin:
        return ""
    return " " + ntr(
        "zh" if zh else "en",
        "{count} rule rests on fewer than {baskets} baskets: listed as data, not advice.",
        "{count} rules rest on fewer than {baskets} baskets: listed as data, not advice.",
        thin,
        baskets=data["min_baskets"],
    )


def _pair_sentence(pair: dict[str, Any], zh: bool) -> str:
    """The asked pair's lift and confidence, the baskets behind them, and if it is advice."""
    x, y = pair["item"], pair["other"]
    both, total = pair["baskets_with_both"], pair["baskets"]
    if pair["lift"] is None:
        missing = x if not pair["baskets_with_item"] else y
        if zh:
            return f"{missing} 不在这 {total:,} 个订单中，无法计算 {x} 与 {y} 的提升度。"
        return f"{missing} is in none of the {total:,} baskets, so {x} and {y} have no lift."
    enough = both >= pair["min_baskets"]
    if zh:
        verdict = (
            f"可以作为搭配推荐的依据（提升度 {'> 1' if pair['lift'] > 1 else '≤ 1'}）"
            if enough
            else f"只有 {both} 个订单，少于 {pair['min_baskets']} 个，只作为数据，不作为建议"
        )
        return (
            f"{x} 和 {y}：{total:,} 个订单中有 {both:,} 个同时包含两者（{x} {pair['baskets_with_item']:,} 个，"
            f"{y} {pair['baskets_with_other']:,} 个），提升度 {pair['lift']:.2f}，"
            f"买 {x} 的订单中 {pair['confidence']:.0%} 也买了 {y}。{verdict}。"
        )
    if enough and pair["lift"] > 1:
        verdict = f"Enough baskets to act on: offer {y} with {x}"
    elif enough:
        verdict = "They are not bought together more than by chance, so no offer"
    else:
        verdict = ntr(
            "en",
            "Only {count} basket, fewer than {minimum}: data, not advice",
            "Only {count} baskets, fewer than {minimum}: data, not advice",
            both,
            minimum=pair["min_baskets"],
        )
    return (
        f"{x} and {y}: together in {both:,} of {total:,} baskets ({x} in "
        f"{pair['baskets_with_item']:,}, {y} in {pair['baskets_with_other']:,}); lift "
        f"{pair['lift']:.2f}, and {pair['confidence']:.0%} of {x} baskets also hold {y}. {verdict}."
    )


def _key(antecedents: list[str], consequents: list[str]) -> tuple[tuple[str, ...], ...]:
    return (tuple(antecedents), tuple(consequents))


def _numbers(rule: dict[str, Any], zh: bool) -> str:
    if zh:
        return (
            f"（支持度 {rule['support']:.1%}，置信度 {rule['confidence']:.0%}，"
            f"提升度 {rule['lift']:.1f}，{rule['baskets']:,} 个订单）"
        )
    return (
        f"(support {rule['support']:.1%}, confidence {rule['confidence']:.0%}, "
        f"lift {rule['lift']:.1f}, {rule['baskets']:,} baskets)"
    )


def _who(data: dict[str, Any], zh: bool) -> str:
    segment = data.get("segment")
    period = data.get("period")
    category = data.get("category") or data.get("item")
    if zh:
        names = {r.name: r.name_zh for r in SEGMENT_RULES}
        who = names.get(segment, segment) if segment else "全部客户"
        who = f"购买{category}的{who}" if category else who
        return f"{period_name(period, 'zh')}{who}" if period else who
    if category:
        who = f"{segment} customers buying {category}" if segment else f"{category} buyers"
    else:
        who = f"{segment} customers" if segment else "all customers"
    return f"{who} in {period_name(period, 'en')}" if period else who


CROSS_SELL_INTENT = Intent(
    tool="cross_sell_rules", read=read_cross_sell_question, write=write_cross_sell_answer
)
