"""Cross-sell questions: reading them into cross_sell_rules calls and writing the rules as offers."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from copilot.offline.intents.base import AskBack, Intent, PlannerContext
from copilot.offline.intents.store_items import item_as_named, store_item
from copilot.offline.question import Question, top_n
from copilot.offline.vocabulary import intent_cues, load_lexicon, reader_pattern, reader_words
from knowledge.presentation import (
    N_,
    format_count,
    format_number,
    format_percent,
    join_list,
    ntr,
    period_name,
    segment_name,
    tr,
)
from tools.base import ToolOutput
from tools.segments.rfm import SEGMENT_RULES

# "to people who buy a Bowl", "customers who bought mugs", "买了碗的人"; the item ends before
# "also" ("people who buy mugs also grab what?").
_WHO_BUY = re.compile(
    r"(?:people|customers?|buyers?|shoppers?|those|anyone|someone|users?)\s+"
    # ("for shoppers purchasing the Air Fryer": the buyers said without "who")
    r"(?:who\s+(?:buys?|bought|purchases?|purchased|orders?|ordered)|buying|purchasing)\s+(.+?)\s*"
    r"(?:[?？.,，!;；:：—–]|\s-\s|$|\s+(?:in|during|last|this|over|since|from|also)\b)"
)
# "lift of Bowl and Mug", "lift between bowls and mugs", "Bowl and Mug lift".
_PAIR = re.compile(
    r"(?:lift|support|confidence|affinity)\s+(?:of|between|for)\s+(.+?)\s+(?:and|&|with|\+)\s+"
    r"(.+?)\s*(?:[?？.,，!]|\s[-–—]\s|$|\s+(?:in|during|last|this|over|since|from)\b)"
    r"|^(?:what is the\s+)?(.+?)\s+(?:and|&|\+)\s+(.+?)\s+(?:lift|affinity)\b"
)
# "the link / association between baby and home purchases - lift?": a looser word for the
# pair's tie, read as a pair only beside "lift" or a cross-sell cue (a "link between opens
# and revenue" alone is no basket question).
_LOOSE_PAIR = re.compile(
    r"\b(?:link|links|association|connection|relationship|tie)\s+(?:of|between|for)\s+(.+?)\s+"
    r"(?:and|&|with|\+)\s+(.+?)\s*(?:[?？.,，!]|\s[-–—]\s|$|\s+(?:in|during|last|this|over|since|from)\b)"
)
_LIFT = re.compile(r"\blift\b|提升度")
_ZH_PAIR = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{1,12})(?:和|与|跟)([\u4e00-\u9fffA-Za-z0-9]{1,12}?)"
    r"(?:一起(?:被)?(?:买|购买|下单))?的(?:提升度|关联度|支持度)"
)
_ZH_WHO_BUY = re.compile(
    # (a Latin product name may hold spaces: "买了Ultrabook 14的人")
    # (spaces around a Latin name are no part of it: "买了 Ultrabook 14 的人")
    r"(?:购买|买)(?:了|过)?\s*([\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 ]{0,24}?)\s*的"
    # ("买露营帐篷的订单里，还会一起买哪些商品": the orders holding it, its baskets)
    r"(?:人|客户|顾客|用户|订单里?|单子里?|购物篮里?|购物车里?)"
    r"[，,\s]?[\u4e00-\u9fff]{0,3}?(?:还|会|也|经常|常)"
    # "买口红的一般还搭配买什么": the people left unsaid.
    r"|(?:购买|买)(?:了|过)?\s*([\u4e00-\u9fffA-Za-z0-9]{1,12}?)\s*的(?:一般|通常|往往|大多|多半)?"
    # ("买2段奶粉的一般搭点啥": what they pair it with)
    r"(?:还|搭|配)"
)
# "cross-sell rules for the Air Fryer, please", "basket analysis on the Yoga Mat": the item
# the rules are asked for, up to the clause's end.
_RULES_FOR = re.compile(
    # ("cross-sell for X", "attach items for X", "add-on products to go with X": the noun
    # after the cue may be left out, or be the items themselves)
    r"\b(?:cross[- ]?sell(?:ing)?|association|basket|affinity|add-?on|up-?sell|attach(?:ment)?)\s+"
    r"(?:(?:rules?|analysis|ideas?|offers?|options?|recommendations?|partners?|items?|products?"
    r"|picks?|suggestions?)\s+)?(?:for|on|of|around|to go with|with)\s+"
    # ("cross-sell ideas for the product page": where the picks are shown, no item)
    r"(?!(?:" + "|".join(reader_words("display_surfaces")) + r"))"
    # (how often is no part of the item: "basket with the Yoga Mat most often")
    r"(.+?)\s*(?:[?？.!,，;；:：]|\s[-–—]\s|$|\s+(?:in|during|last|this|over|since|from)\b"
    r"|\s+(?:the\s+)?most\b|\s+(?:most\s+|more\s+)?often\b)",
    re.I,
)
# "what goes well with the Yoga Mat", "瑜伽垫搭配推荐点什么": the item before or after.
_GOES_WITH = re.compile(
    # (a dash ends the item: "goes well with X - need ideas for ...")
    r"(?:go(?:es)? (?:well|nicely|best) with|pairs? (?:well )?with)\s+(.+?)\s*(?:[?？.!]|\s[-–—]\s|$)"
    # "what goes with X in the basket", "what else goes with X?": the item up to where it is
    # bought, if said.
    r"|^(?:so\s+|ok\s+|and\s+)?what(?:\s+else)?\s+(?:goes|go)\s+with\s+(.+?)\s*"
    r"(?:[?？.!]|$|\s+in\s+(?:the|a|one|their)\s+(?:same\s+)?(?:basket|cart|order)s?\b)"
    # "when someone buys X, what else ...": the same item after "when" / "whenever".
    r"|\b(?:if|when|whenever|once) (?:someone|somebody|a customer|a shopper|people|customers"
    r"|shoppers|they)"
    # "if someone's buying X", "if a shopper is ordering X": the item they are buying.
    r"(?:'s|’s|'re|’re|\s+is|\s+are)?\s+"
    r"(?:buys?|bought|buying|purchases?|purchased|purchasing|orders?|ordered|ordering)\s+(.+?)\s*"
    r"(?:,|\s+what\b|\s+which\b|[?？.!]|$)"
    # "a shopper just ordered the Yoga Mat - what else ...", "people buying the Ultrabook 14,
    # which extras": the buyers named first, the item they buy up to the clause's end.
    r"|^(?:so\s+|ok\s+|okay\s+)?(?:someone|somebody|a customer|a shopper|people|customers"
    r"|shoppers|buyers)\s+(?:who\s+|that\s+)?(?:just\s+|recently\s+)?"
    r"(?:buys?|bought|buying|purchases?|purchased|purchasing|orders?|ordered|ordering)\s+"
    r"(.+?)\s*(?:,|\s[-–—]\s|[-–—:：;；?？.!]|\s+what\b|\s+which\b|$)"
    # "attach rate on the Ultrabook": what is attached to that item.
    r"|\battach(?:ment)?\s+rates?\s+(?:on|of|for|to)\s+(?:the\s+|our\s+)?(.+?)\s*"
    r"(?:[?？.!,，;；:：—–]|\s-\s|$)",
    re.I,
)
_ZH_GOES_WITH = re.compile(
    # ("扫地机器人的关联推荐", "面霜有哪些关联商品": what is recommended beside that item)
    r"^(?:给|为)?([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)(?:一般|通常|经常|常常|平时|大多)?\s*(?:的)?\s*(?:有(?:哪些|什么))?\s*"
    r"(?:搭配推荐|配什么|搭配什么|搭(?:点)?什么|(?:和|跟|与)什么一起|关联(?:推荐|商品|产品))"
    # "手机壳的连带率": what sells with that item.
    r"|^([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)的?(?:连带率|连带购买|关联购买)"
)


def _zh_goes_with(raw: str) -> re.Match[str] | None:
    """The item before 关联推荐 / 搭配推荐, unless those words are a request for whom it is
    ("针对忠诚客户做个关联推荐": the segment is the scope, no item is named) or a segment."""
    match = _ZH_GOES_WITH.search(raw)
    if match is None:
        return None
    words = next(g for g in match.groups() if g).strip()  # "X的关联推荐" or "X的连带率"
    if _segment(words) or any(re.search(p, words) for p in reader_words("cross_sell_requests")):
        return None
    if _only_a_period(words):
        # "上个月连带率": a period's 连带率 is items per ticket (units per order), not what
        # sells with an item; the metric readers answer it (or say the store lacks it).
        return None
    return match


def _only_a_period(words: str) -> bool:
    """Whether `words` are a period phrase and nothing else ("上个月", "今年的")."""
    from copilot.offline.clock import planner_today
    from knowledge.time_ranges import find_period

    found = find_period(words, planner_today())
    if found is None:
        return False
    rest = words[: found.span[0]] + words[found.span[1] :]
    return not rest.strip(" 的")


# "what sells with the Yoga Mat", "bought together with X", "和瑜伽垫一起买的商品": the item
# named after "with" / before 一起.
_BOUGHT_WITH = re.compile(
    r"\b(?:sells?|sold|selling|bought|buy|buys|purchased|ordered"
    # ("add to cart with X": the article may be left out)
    r"|(?:add|adds|added|adding|put|puts)\s+(?:in|into|to)\s+(?:(?:the|their|a)\s+)?(?:basket|cart)"
    # "what goes in the cart with the Ultrabook": the item after "with".
    r"|(?:goes|go|went|going|gets|get)\s+in(?:to)?\s+the\s+(?:same\s+)?(?:basket|cart|order)"
    # "throw in / pick up alongside X": the lexicon's verbs of adding to the same basket.
    + "".join(f"|{verb}" for verb in reader_words("basket_verbs"))
    + r")\s+"
    r"(?:together\s+|along\s+)?(?:with|alongside|next\s+to|beside)\s+(.+?)\s*(?:[?？.!]|$|\s+(?:in|during|last|this|over|since|from)\b"
    # "... alongside makeup the most / most often": how often is no part of the item.
    r"|\s+(?:the\s+)?most\b|\s+(?:most\s+|more\s+)?often\b)"
    # (Not "和哪个品类一起买": the partner asked is no item; _ZH_ASKED_PARTNER reads those.)
    # ("和X经常同单购买": in the same order, how often said before it; a Latin name is longer)
    r"|(?:和|与|跟|同)(?!哪|什么|啥)([\u4e00-\u9fffA-Za-z0-9 ]{1,32}?)"
    r"(?:一般|通常|经常|常常|常|最常|往往)?(?:一起|同单|同一单|在同一(?:个|笔)?(?:订单|单)(?:里|中)?)"
    r"(?:被)?(?:买|购买|下单|卖|售出)"
    # "what lands in the same cart as the Yoga Mat": the item after "as".
    r"|\b(?:in|into)\s+the\s+same\s+(?:order|basket|cart|transaction|receipt)\s+as\s+(.+?)"
    r"\s*(?:[?？.!;；:：—–]|\s-\s|$|\s+(?:in|during|last|this|over|since|from)\b"
    # "... as sunscreen most often": how often is no part of the item (as above).
    r"|\s+(?:the\s+)?most\b|\s+(?:most\s+|more\s+)?often\b)",
    re.I,
)
# "护肤品和哪个品类最常一起买", "瑜伽垫跟什么商品一起下单最多": the item is before 和, the
# partner is what is asked (a question word after 和).
_ZH_ASKED_PARTNER = re.compile(
    r"(?:^|[，,。；;：:？?！!\s])(?:买了?|购买了?)?([\u4e00-\u9fffA-Za-z0-9 ]{1,16}?)"
    # "X12手机壳一般跟什么一起买": how often (一般, 通常) is no part of the item.
    r"(?:一般|通常|经常|常常|平时|大多|往往|多半|最常|大都)?"
    r"(?:和|与|跟|同)(?:哪|什么|啥)[^，,。？?]{0,12}?一起(?:被)?(?:买|购买|下单|卖|售出)"
)
_CATEGORY_LEVEL = re.compile(r"categor(?:y|ies)|品类|类目")
# "for skincare buyers", "among makeup customers"; "购买护肤品的客户", "买母婴的顾客".
_EN_BUYERS = re.compile(
    r"(?:for|of|among|to)\s+([a-z][a-z &-]{1,30}?)\s+(?:buyers|customers|shoppers|purchasers)"
)
# "yoga mat shoppers: what else to pitch?": the buyers named first, as the question's subject
# (taken only when the words are a store item: "what do makeup buyers" starts with no item).
_EN_LEADING_BUYERS = re.compile(
    r"^([a-z0-9][a-z0-9&-]*(?:\s+[a-z0-9&-]+){0,3}?)\s+(?:buyers|customers|shoppers|purchasers)\b"
)
# "扫地机器人的买家 ...", "气垫买的人多 ...": the buyers of an item named first, as the
# question's subject (taken only when the words are a store product).
_ZH_LEADING_BUYERS = re.compile(
    r"^\s*([\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 ]{1,15}?)\s*"
    r"(?:的(?:客人|买家|顾客|客户|用户|购买者)|买的人|的购买人群)"
)
# "Yoga Mat: which products show a lift with it": the item named first, as
# the topic before a dash or colon (taken only when the words are a store product).
_LEADING_TOPIC = re.compile(r"^\s*([^\s:：—–-][^:：—–]{1,40}?)\s+[-—–]\s|^\s*([^:：]{2,40}?)[:：]")
_ZH_BUYERS = re.compile(
    r"(?:购买|买)(?:过)?([\u4e00-\u9fff]{2,6}?)(?:类|产品|商品|品)?的(?:客户|顾客|用户|人)"
)


# A set of products named as a thing sold ("our skincare bundle", "the gift set", "家居套装").
_PRODUCT_SET = re.compile(r"\b(?:bundles?|combos?|gift sets?|kits?)\b|礼盒|套装|组合装", re.I)


def _promotes_a_set(question: Question) -> bool:
    """Whether a copy request only names a set of products as what it promotes ("social ad
    copy about our skincare bundle", "写条推套装的文案"): copy about the set, not a question of
    what sells together (another cross-sell word, "cross-sell", "一起买", still asks that)."""
    from copilot.offline.intents.copy import names_copy  # copy reads metrics; import late

    if not (_PRODUCT_SET.search(question.raw) and names_copy(question.raw)):
        return False
    rest = replace(question, text=_PRODUCT_SET.sub(" ", question.text))
    return not rest.has(*intent_cues("cross_sell_rules"))


def read_cross_sell_question(
    question: Question, ctx: PlannerContext
) -> dict[str, Any] | AskBack | None:
    """cross_sell_rules arguments for a cross-sell question, with the thresholds it states
    (`_with_thresholds`), else None."""
    args = _read_cross_sell(question, ctx)
    if not isinstance(args, dict):
        return args
    return _with_thresholds(args, question)


def _with_thresholds(args: dict[str, Any], question: Question) -> dict[str, Any] | AskBack:
    """The numbers bounding the rules a question states, read into the call: a floor of
    baskets under the items ("only items in at least 20 baskets": min_item_baskets) or the
    rules ("pairs seen in 8+ orders": min_rule_baskets), a confidence floor; a bound the tool
    cannot apply (items in fewer than N baskets, a lift above 2) is asked back naming it,
    never dropped (lexicon reader_words basket_*, threshold_unread, confidence_floor)."""
    raw = question.raw
    language = question.language
    lift = reader_pattern("lift_floor")
    for found in lift.finditer(raw):
        # "lift > 1 only": rules above it (a floor said with "at least" is the same cut: a
        # lift is never exactly a round number in practice).
        args["min_lift"] = float(next(g for g in found.groups() if g))
    unlifted = lift.sub(lambda m: " " * len(m.group(0)), raw)
    for found in reader_pattern("threshold_unread").finditer(unlifted):
        return AskBack(tr(language, _ASK_THRESHOLD, phrase=found.group(0).strip()))
    for found in reader_pattern("confidence_floor").finditer(raw):
        args["min_confidence"] = min(1.0, float(next(g for g in found.groups() if g)) / 100)
    bounds = [(f, True) for f in reader_pattern("basket_floor").finditer(raw)]
    bounds += [(f, False) for f in reader_pattern("basket_ceiling").finditer(raw)]
    for found, floor in sorted(bounds, key=lambda b: b[0].start()):
        number = int(next(g for g in found.groups() if g))
        before = raw[max(0, found.start() - 40) : found.start()]
        clause = re.split(r"[,，;；.。?？!！]", before)[-1]
        exclusive = bool(reader_pattern("basket_exclusive").search(found.group(0)))
        if floor:
            number += exclusive  # "more than 20 baskets": 21 and up
        elif reader_pattern("basket_leave_out").search(clause):
            # "ignore items in fewer than 10 orders": the ones kept are in 10 or more ("at
            # most 5" left out: 6 or more).
            number += not exclusive
        else:
            return AskBack(tr(language, _ASK_CEILING, phrase=found.group(0).strip()))
        rule = reader_pattern("basket_rule_nouns").search(clause + " " + found.group(0))
        args["min_rule_baskets" if rule else "min_item_baskets"] = max(number, 1)
    return args


_ASK_THRESHOLD = N_(
    "You said “{phrase}”, and the cross-sell rules can be bounded by the baskets behind them, "
    "a lift floor and confidence only, so I won't list rules that ignore it. Should I bound "
    "them by baskets, lift or confidence instead, or drop “{phrase}”?"
)
_ASK_CEILING = N_(
    "You said “{phrase}”: the cross-sell rules can leave out items or rules on too few "
    "baskets, not keep only rare ones, so I won't list rules that ignore it. Did you mean to "
    "leave out the items below that number of baskets?"
)


def _read_cross_sell(question: Question, ctx: PlannerContext) -> dict[str, Any] | AskBack | None:
    """cross_sell_rules arguments for "what do champions buy together?", "what to cross-sell
    to people who buy a Bowl?" or "lift of Bowl and Mug", else None."""
    raw = question.raw.strip()
    if _promotes_a_set(question):
        return None
    pair = _PAIR.search(raw.lower()) or _ZH_PAIR.search(raw)
    if not (pair and _pair_like(pair)) and (
        _LIFT.search(raw.lower()) or question.has(*intent_cues("cross_sell_rules"))
    ):
        pair = _LOOSE_PAIR.search(raw.lower()) or pair
    who_buy = (
        _RULES_FOR.search(raw)
        or _WHO_BUY.search(raw.lower())
        or _ZH_WHO_BUY.search(raw)
        or _GOES_WITH.search(raw)
        or _zh_goes_with(raw)
        or _ZH_ASKED_PARTNER.search(raw)
    )
    bought_with = _BOUGHT_WITH.search(raw)
    if bought_with and _item_like(next(g for g in bought_with.groups() if g)):
        who_buy = who_buy or bought_with
    if pair and _pair_like(pair):
        first, second = [g for g in pair.groups() if g][:2]
        items = [store_item(_clean(g), ctx, question.language) for g in (first, second)]
        # An item of a pair is not the pair's other item: 手机 beside 手机壳 is the phone, and
        # "phone and phone case" is never the case paired with itself.
        for i, other in ((0, 1), (1, 0)):
            if isinstance(items[other], str) and (
                isinstance(items[i], AskBack) or items[i] == items[other]
            ):
                items[i] = store_item(
                    _clean((first, second)[i]), ctx, question.language, frozenset({items[other]})
                )
        asked = next((i for i in items if isinstance(i, AskBack)), None)
        if asked is not None:
            return asked
        args: dict[str, Any] = {"item": items[0], "paired_with": items[1]}
        return _with_scope(args, question)
    if not question.has(*intent_cues("cross_sell_rules")) and not (
        who_buy and (_OFFER.search(raw.lower()) or who_buy is bought_with)
    ):
        return None
    args = {}
    if who_buy is not None and who_buy.re is _RULES_FOR:
        # "cross-sell ideas for makeup buyers": rules for the buyers of what the words name;
        # a category's buyers are read below as the category, a product's as the item.
        held = re.fullmatch(
            r"(.+?)\s+(?:buyers|customers|shoppers|purchasers)",
            _clean(next(g for g in who_buy.groups() if g)),
        )
        product = _product(_clean(held.group(1)), ctx, question.language) if held else None
        if product:
            return _with_scope({"item": product}, question)
        if held or _segment(question.raw):
            # ("cross-sell recommendations for Champions": an RFM segment's rules)
            who_buy = None
    if who_buy:
        named = _clean(next(g for g in who_buy.groups() if g))
        if _is_pronoun(named):
            # "what do skincare shoppers grab alongside it?": "it" stands for the item the
            # question names elsewhere; with none named, ask rather than look "it" up.
            referent = _category(raw) or _holders(raw)
            products = question.filters.get("product") or []
            if not referent and len(products) == 1:
                # "给月饼礼盒配个组合，哪些跟它一起买": the one store product the question names
                return _with_scope({"item": products[0]}, question)
            if not referent:
                return AskBack(tr(question.language, _ASK_ITEM, word=named))
            named = _clean(referent)
        item = store_item(named, ctx, question.language)
        if isinstance(item, AskBack):
            return item
        args["item"] = item
        return _with_scope(args, question)
    segment = _segment(question.raw)
    if segment:
        args["segment"] = segment
    else:
        named_categories = question.filters.get("category") or []
        category = _category(question.raw) or (
            named_categories[0] if len(named_categories) == 1 else None
        )
        product = _product(category, ctx, question.language) if category else None
        if product is None and not category:
            leading = _EN_LEADING_BUYERS.search(question.raw.strip().lower())
            zh_leading = _ZH_LEADING_BUYERS.search(question.raw)
            topic = _LEADING_TOPIC.search(question.raw)
            # ("what do stroller buyers pick up": the buyers named inside the question)
            for holders in (
                _clean(leading.group(1)) if leading else "",
                zh_leading.group(1).strip() if zh_leading else "",
                _clean(next(g for g in topic.groups() if g)) if topic else "",
                _holders(question.raw),
            ):
                product = _product(holders, ctx, question.language) if holders else None
                if product:
                    break
        if product:
            # "Yoga Mat buyers": a product named where a category could stand is that product.
            args["item"] = product
            return _with_scope(args, question)
        if category:
            args["category"] = category
        else:
            group = _unplaced_group(question.raw)
            if group:
                # "钻石会员常一起买什么", "what do platinum members buy together": a group the
                # rules cannot be narrowed to; all customers' rules would answer another question.
                segments = join_list(
                    [segment_name(r.name, question.language) for r in SEGMENT_RULES],
                    question.language,
                )
                return AskBack(tr(question.language, _ASK_GROUP, group=group, segments=segments))
    if not args and _PRONOUN_PARTNER.search(raw):
        # "what shows a lift alongside it?": "it" stands for an item the question does
        # not name; all customers' rules would answer another question.
        word = _PRONOUN_PARTNER.search(raw).group(1)
        return AskBack(tr(question.language, _ASK_ITEM, word=word))
    if _CATEGORY_LEVEL.search(question.text) and "category" not in args:
        args["level"] = "category"
    if question.time_range:
        args["time_range"] = question.time_range
    n = top_n(question.text)
    if n:
        args["top"] = n
    return args


_ASK_GROUP = N_(
    "I can't narrow the baskets to “{group}”: cross-sell rules are worked out for all "
    "customers, for an RFM segment ({segments}) or for the buyers of a category. Which do you mean?"
)
# A group of people named before the customers noun ("钻石会员", "platinum members"); the
# words that only point at everyone are no group.
_GROUP_ZH = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,6}?)(?:客户|会员|用户|顾客|买家|人群)")
_GROUP_EN = re.compile(
    r"\b([a-z][a-z-]{2,20})\s+(?:customers|members|shoppers|buyers|users|clients|people)\b"
)
_EVERYONE = frozenset(
    {"our", "all", "the", "these", "those", "your", "their", "which", "what", "other", "most",
     "some", "many", "did", "does", "would", "will", "are", "were", "have", "for", "among",
     "所有", "全部", "全体", "我们的", "哪些", "这些", "那些", "我们", "店里", "咱们", "一般", "各位"}
)  # fmt: skip


def _unplaced_group(raw: str) -> str | None:
    """The group of customers a cross-sell question names that is no RFM segment or category
    buyers ("钻石会员", "platinum members"), None when it names everyone."""
    for pattern, text in ((_GROUP_ZH, raw), (_GROUP_EN, raw.lower())):
        match = pattern.search(text)
        if match and match.group(1).strip().lower() not in _EVERYONE:
            return raw[match.start() : match.end()].strip()  # "钻石会员", "platinum members"
    return None


# "what to offer / recommend / sell ... people who buy X", "还会买什么", "还常买", "还经常买"
# (an adverb of habit between 还 and the buying).
_OFFER = re.compile(
    r"offer|recommend|sell|suggest|pitch|upsell|also buy|else|推荐"
    r"|还(?:会|要|常|经常|常常|通常|一般|往往|多半|都|会经常|会常)?(?:买|购买|下单)"
)


_PRONOUN_PARTNER = re.compile(
    r"\b(?:with|alongside|beside)\s+(it|them|that one|this one)\b|(?:和|跟|与)(它|这个)一起", re.I
)
_ASK_ITEM = N_(
    "Which product or category do you mean by “{word}”? Name it, e.g. "
    "“what do people buy alongside skincare?”"
)
# "what do skincare shoppers ...", "do our makeup buyers ...": the item whose buyers are asked.
_EN_HOLDERS = re.compile(
    r"\b(?:do|did|does|would|will|are|were|have)\s+([a-z][a-z &-]{1,30}?)\s+"
    r"(?:buyers|customers|shoppers|purchasers)\b"
)


def _is_pronoun(words: str) -> bool:
    """Whether the item named is a pronoun ("it", "them", "它") standing for another item."""
    return words.strip().lower() in {w.lower() for w in reader_words("item_pronouns")}


def _holders(raw: str) -> str | None:
    """The item in "what do skincare shoppers ..." (None for "our" / "the" buyers)."""
    match = _EN_HOLDERS.search(raw.lower())
    if not match:
        return None
    word = re.sub(r"^(?:our|my|the|your|their)\s+", "", match.group(1).strip())
    return None if word in ("our", "my", "all", "the", "these", "those", "your", "their") else word


def _pair_like(pair: re.Match[str]) -> bool:
    """Whether both sides of a pair match can name one item each."""
    return all(_item_like(g) for g in [g for g in pair.groups() if g][:2])


def _item_like(words: str) -> bool:
    """Whether a phrase can name one product or category: at most four words, no brackets
    or clause punctuation ("build a churn model and tell me how good it is (auc, lift)" is
    two clauses around a metric list, not a pair of items)."""
    return len(words.split()) <= 4 and not re.search(r"[()（）,，;；:：]", words)


def _clean(words: str) -> str:
    """The item as the user named it, without articles and trailing filler."""
    words = re.sub(r"^(?:a|an|the|some|our|my)\s+", "", words.strip(), flags=re.I)
    # "people who buy hiking boots also buy?": the question's own verb is not the item.
    words = re.sub(
        r"\s+(?:(?:usually|often|also|else|too)\s+)*(?:buy|bought|purchase|get|order)s?$", "", words
    )
    words = re.sub(r"\s+(?:too|also|as well)$", "", words)
    # "the Yoga Mat pls": a polite word after the item is no part of it.
    words = re.sub(r"\s+(?:pls|plz|please|thanks|thx|ty)$", "", words, flags=re.I)
    # "baby products", "skincare items": a category named with a generic noun after it.
    words = re.sub(
        r"(?<=\w)\s+(?:products|items|goods|stuff|things|purchases|orders)$", "", words, flags=re.I
    )
    return words.strip(" '\"“”")


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
    # Informal names ("沉睡", "vip", "at-risk"): the lexicon's segment aliases, the words the
    # copy reader places too, so both read one vocabulary.
    aliases = load_lexicon().segment_aliases
    for word in sorted(aliases, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
            return aliases[word]
    return None


def _product(words: str, ctx: PlannerContext, language: str) -> str | None:
    """The store product the words name ("yoga mat" -> "Yoga Mat"), None for a category or
    for words that name no single product."""
    item = store_item(words, ctx, language)
    if isinstance(item, AskBack):
        return None
    products = {v for d, v in ctx.values.entries.values() if d == "product"}
    return item if item in products else None


def _category(raw: str) -> str | None:
    match = _EN_BUYERS.search(raw.lower()) or _ZH_BUYERS.search(raw)
    if not match:
        return None
    word = match.group(1).strip()
    return None if word in ("our", "my", "all", "the", "these", "those", "its", "their") else word


def write_cross_sell_answer(output: ToolOutput, language: str, ctx: PlannerContext) -> str:
    """The pair asked about, the rules strong enough to be offers (with the baskets each
    rests on), the rules too thin to advise on, and what to do next."""
    data = output.data
    if data.get("pair"):  # one pair asked: its numbers, not every rule about the item
        return _pair_sentence(data["pair"], language)
    for key in ("item", "category"):  # as the question's language names it ("护肤", not "skincare")
        if data.get(key):
            data = {**data, key: item_as_named(data[key], ctx, language)}
    return _rules_answer(data, language)


def _rules_answer(data: dict[str, Any], language: str) -> str:
    who = _who(data, language)
    recs = data["recommendations"][:10]
    thin = _floors_note(data, language) + _thin_note(data, language)
    baskets = format_count(data["baskets"], language)
    item = data.get("item") or data.get("category")
    # The rules are mined over every basket in scope and then kept when their "if" side holds
    # the item: the count is of all those baskets, never said as the item buyers' own.
    scope = _who({k: v for k, v in data.items() if k not in ("item", "category")}, language)
    if not data["rules"] and item:
        return tr(
            language,
            "Across all {baskets} baskets of {scope}, no combination with {item} reaches "
            "{support} support and {confidence} confidence.\n\nNext: lower the support or "
            "confidence threshold, widen the period, or look at categories instead of products.",
            baskets=baskets,
            scope=scope,
            item=item,
            support=format_percent(data["min_support"], language),
            confidence=format_percent(data["min_confidence"], language, 0),
        )
    if not data["rules"]:
        return tr(
            language,
            "Across {baskets} baskets of {who}, no combination reaches {support} support and "
            "{confidence} confidence.\n\nNext: lower the support or confidence threshold, "
            "widen the period, or look at categories instead of products.",
            baskets=baskets,
            who=who,
            support=format_percent(data["min_support"], language),
            confidence=format_percent(data["min_confidence"], language, 0),
        )
    if not recs:
        return tr(
            language,
            "Across {baskets} baskets of {who} there are {rules} rules (table below), but none "
            "both lifts the other item (lift > 1) and rests on at least {minimum} baskets, so "
            "none is advice.{thin}\n\nNext: wait for more orders, or look at categories "
            "instead of products.",
            baskets=baskets,
            who=who,
            rules=format_count(len(data["rules"]), language),
            minimum=format_count(data["min_baskets"], language),
            thin=thin,
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
        text = rec["text_zh"] if language == "zh" else rec["text_en"]
        lines.append(
            tr(language, "- {text} {numbers}", text=text, numbers=_numbers(rule, language))
        )
    head = (
        tr(
            language,
            "What {who} also buy (rules mined over all {baskets} baskets of {scope}; rules on "
            "the item alone first, each group by strongest lift, table below):",
            who=who,
            baskets=baskets,
            scope=scope,
        )
        if item
        else tr(
            language,
            "What {who} buy together ({baskets} baskets, strongest lift first, table below):",
            who=who,
            baskets=baskets,
        )
    )
    step = tr(
        language,
        "Next: turn the top pair into a bundle offer for buyers of the first product, "
        "and A/B test it against no offer.",
    )
    return "\n".join([head, *lines, *([thin.strip()] if thin else []), "", step])


def _floors_note(data: dict[str, Any], language: str) -> str:
    """The basket floors the question set, restated: the rules answer that question only."""
    notes = []
    if data.get("min_item_baskets"):
        notes.append(
            tr(
                language,
                "Only items in at least {count} baskets were considered.",
                count=format_count(data["min_item_baskets"], language),
            )
        )
    if data.get("min_rule_baskets"):
        notes.append(
            tr(
                language,
                "Only rules resting on at least {count} baskets are listed.",
                count=format_count(data["min_rule_baskets"], language),
            )
        )
    return "".join(" " + n for n in notes)


def _thin_note(data: dict[str, Any], language: str) -> str:
    """How many rules rest on too few baskets to advise on (they stay in the table)."""
    thin = data.get("thin_rules", 0)
    if not thin:
        return ""
    return " " + ntr(
        language,
        "{count} rule rests on fewer than {baskets} baskets: listed as data, not advice.",
        "{count} rules rest on fewer than {baskets} baskets: listed as data, not advice.",
        thin,
        baskets=data["min_baskets"],
    )


def _pair_sentence(pair: dict[str, Any], language: str) -> str:
    """The asked pair's lift and confidence, the baskets behind them, and if it is advice."""
    x, y = pair["item"], pair["other"]
    both, total = pair["baskets_with_both"], pair["baskets"]
    if pair["lift"] is None:
        missing = x if not pair["baskets_with_item"] else y
        return tr(
            language,
            "{missing} is in none of the {total} baskets, so {x} and {y} have no lift.",
            missing=missing,
            total=format_count(total, language),
            x=x,
            y=y,
        )
    enough = both >= pair["min_baskets"]
    if enough and pair["lift"] > 1:
        verdict = tr(language, "Enough baskets to act on: offer {y} with {x}", x=x, y=y)
    elif enough:
        verdict = tr(language, "They are not bought together more than by chance, so no offer")
    else:
        verdict = ntr(
            language,
            "Only {count} basket, fewer than {minimum}: data, not advice",
            "Only {count} baskets, fewer than {minimum}: data, not advice",
            both,
            minimum=pair["min_baskets"],
        )
    return tr(
        language,
        "{x} and {y}: together in {both} of {total} baskets ({x} in {with_x}, {y} in "
        "{with_y}); lift {lift}, and {confidence} of {x} baskets also hold {y}. {verdict}.",
        x=x,
        y=y,
        both=format_count(both, language),
        total=format_count(total, language),
        with_x=format_count(pair["baskets_with_item"], language),
        with_y=format_count(pair["baskets_with_other"], language),
        lift=format_number(pair["lift"], language, 2, fixed=True),
        confidence=format_percent(pair["confidence"], language, 0),
        verdict=verdict,
    )


def _key(antecedents: list[str], consequents: list[str]) -> tuple[tuple[str, ...], ...]:
    return (tuple(antecedents), tuple(consequents))


def _numbers(rule: dict[str, Any], language: str) -> str:
    """A rule's support and confidence (%), lift (one decimal) and the baskets behind it."""
    return tr(
        language,
        "(support {support}, confidence {confidence}, lift {lift}, {baskets} baskets)",
        support=format_percent(rule["support"], language),
        confidence=format_percent(rule["confidence"], language, 0),
        lift=format_number(rule["lift"], language, 1, fixed=True),
        baskets=format_count(rule["baskets"], language),
    )


def _who(data: dict[str, Any], language: str) -> str:
    """Whose baskets: "Champions customers buying tea in October 2026" / "2026年10月购买茶的冠军客户"."""
    segment = data.get("segment")
    period = data.get("period")
    category = data.get("category") or data.get("item")
    if category:
        who = (
            tr(
                language,
                "{segment} customers buying {category}",
                segment=segment_name(segment, language),
                category=category,
            )
            if segment
            else tr(language, "{category} buyers", category=category)
        )
    else:
        who = (
            tr(language, "{segment} customers", segment=segment_name(segment, language))
            if segment
            else tr(language, "all customers")
        )
    if not period:
        return who
    return tr(language, "{who} in {period}", who=who, period=period_name(period, language))


CROSS_SELL_INTENT = Intent(
    tool="cross_sell_rules", read=read_cross_sell_question, write=write_cross_sell_answer
)
