"""The wording of template copy: per strategy and language, and per product category.

A strategy comes from the segment's action in MARKETING.md's RFM map (reward
for Champions, onboarding for New Customers, win-back for At Risk ...): each
has two titles, two hooks and two calls to action, written for that
relationship and distinct from every other strategy's. Category wording
("for your daily skincare routine", "让工作和娱乐更顺手") comes from the
product's category, so a phone case is never "daily care". The phrases hold no
numbers, prices or dates: those come from the brief, so template copy is
grounded by construction. `{brand}` is the brand's name. English phrases use
only GSM-7 characters (straight quotes, no dashes), so an English SMS is not
sent as UCS-2. No phrase says "it" without naming what "it" is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    """Two of each: short titles (<= 30 characters), opening hooks, calls to action; and a
    short call to action of the strategy's own for the tightest channels."""

    titles: tuple[str, str]
    hooks: tuple[str, str]
    ctas: tuple[str, str]
    short_cta: str = ""
    # A relationship line short enough (<= 28 characters) to lead a 160-character English
    # SMS next to the offer; Chinese SMS uses the hooks themselves.
    sms_hook: str = ""


# Every phrase stands on its own: a hook may be sent without the product (an offer-led SMS),
# so none says "these", "this" or "the picks" without naming them. No phrase grants a perk
# the brief did not (early access, membership, exclusivity, an advisor, new arrivals), and no
# call to action asks to click, tap or view: SMS carries no link; email adds `{link}`.
EN: dict[str, Phrases] = {
    "vip": Phrases(
        ("A thank-you from {brand}", "Thanks for shopping with us"),
        (
            "Thank you for being one of our regulars.",
            "Thank you for shopping with us so often.",
        ),
        ("Shop your favourites.", "Visit the store and treat yourself."),
        "Treat yourself.",
        "Thanks for being a regular!",
    ),
    "loyalty": Phrases(
        ("Thanks for coming back", "For our regulars"),
        ("Thanks for coming back to us, time after time.", "We're always glad to see you again."),
        ("Stock up on your favourites.", "Add a favourite to your next order."),
        "Stock up now.",
        "Thanks for coming back!",
    ),
    "membership": Phrases(
        ("More of what you like", "Good to see you again"),
        ("Thanks for shopping with us again.", "We hope you enjoyed your recent orders."),
        ("Order again today.", "Find your next favourite."),
        "Order again.",
        "Good to see you again!",
    ),
    "onboarding": Phrases(
        ("Welcome to {brand}", "Ready for your next order?"),
        (
            "Welcome, and thanks for your first order!",
            "Welcome to {brand}! We're glad you found us.",
        ),
        ("Come back for your next order.", "Find your next favourite."),
        "Shop again.",
        "Welcome, and thank you!",
    ),
    "brand_story": Phrases(
        ("Meet {brand}", "Get to know {brand}"),
        (
            "At {brand} we choose every product with care.",
            "{brand} is about good things for every day.",
        ),
        ("Discover {brand}.", "Visit the store to get to know us."),
        "Discover us.",
        "Good things for every day.",
    ),
    "limited_time": Phrases(
        ("Worth a look", "A reminder from {brand}"),
        ("We haven't seen you for a little while.", "A quick reminder from {brand}."),
        ("Take a look today.", "Visit us today, don't miss out."),
        "Shop today.",
        "Just a quick reminder!",
    ),
    "popular": Phrases(
        ("Customer favourites", "What shoppers love"),
        (
            "Our customers keep coming back for their favourites.",
            "Shoppers are stocking up on their favourites.",
        ),
        ("Shop the favourites.", "Stock up on favourites."),
        "Shop favourites.",
        "Time to restock favourites.",
    ),
    "winback": Phrases(
        ("We miss you", "We'd love to see you"),
        (
            "We miss you! We have not seen you in a while.",
            "We'd love to see you again soon.",
        ),
        ("Come back and shop.", "Drop by and shop again soon."),
        "Come back soon.",
        "We miss you!",
    ),
    "winback_vip": Phrases(
        ("We'd love you back", "You mean a lot to us"),
        (
            "You are one of our most valued customers, and we miss you.",
            "You have shopped with us for a long time, and we'd love to see you again.",
        ),
        ("Come back and shop with us.", "Visit the store and pick up where you left off."),
        "Shop with us again.",
        "We'd love you back!",
    ),
    "reactivation": Phrases(
        ("Long time no see", "Good to see you again"),
        ("Long time no see!", "We've been thinking of you."),
        ("Take a quick look.", "Visit the store today."),
        "Take a look.",
        "Long time no see!",
    ),
    "general": Phrases(
        ("Picked for you", "Something for you"),
        ("Thanks for shopping with {brand}.", "We're glad you're here."),
        ("Shop now.", "Take a look."),
        "Shop now.",
        "Thanks for shopping with us.",
    ),
}

ZH: dict[str, Phrases] = {
    "vip": Phrases(
        ("感谢有您", "谢谢您常来"),
        ("感谢一路相伴。", "感谢您一直以来的喜爱。"),
        ("欢迎选购。", "犒劳一下自己，进店逛逛。"),
        "进店逛逛。",
    ),
    "loyalty": Phrases(
        ("为老朋友精选", "老朋友，又见面了"),
        ("感谢您的长期支持。", "老朋友，又见面了。"),
        ("进店囤好物。", "下一单记得来逛逛。"),
        "记得来逛逛。",
    ),
    "membership": Phrases(
        ("猜您喜欢", "好物推荐"),
        ("谢谢您再次光临。", "希望您喜欢之前的选购。"),
        ("立即选购。", "来看看下一件好物。"),
        "立即选购。",
    ),
    "onboarding": Phrases(
        ("欢迎来到{brand}", "下一单推荐"),
        ("感谢您的第一单！", "欢迎新朋友！"),
        ("再来逛逛吧。", "进店挑选下一单吧。"),
        "再来逛逛。",
    ),
    "brand_story": Phrases(
        ("认识{brand}", "走近{brand}"),
        ("{brand}用心挑选每一件好物。", "{brand}：每天的小美好。"),
        ("进店了解我们。", "进店逛逛。"),
        "了解我们。",
    ),
    "limited_time": Phrases(
        ("值得一看", "别错过"),
        ("有一阵子没见到您了。", "提醒您，别错过。"),
        ("今天就来看看。", "趁早来逛逛。"),
        "今天看看。",
    ),
    "popular": Phrases(
        ("人气好物", "大家都在买"),
        ("很多顾客都在回购人气好物。", "看看大家都在选什么。"),
        ("选购人气好物。", "去看看人气款。"),
        "看看人气款。",
    ),
    "winback": Phrases(
        ("好久不见，我们想念您", "回来逛逛吧"),
        ("好久不见，我们想念您！", "很久没见到您了，期待再次相见。"),
        ("期待您回来逛逛。", "欢迎回来逛逛。"),
        "回来逛逛。",
    ),
    "winback_vip": Phrases(
        ("我们想念您", "您对我们很重要"),
        ("您是我们珍视的老朋友，我们想念您。", "感谢您多年的支持，期待您回来。"),
        ("欢迎回来选购。", "有空进店看看。"),
        "欢迎回来。",
    ),
    "reactivation": Phrases(
        ("好久不见", "欢迎回来看看"),
        ("好久不见！", "好久没见到您了。"),
        ("来逛逛吧。", "有空来店里看看。"),
        "来逛逛。",
    ),
    "general": Phrases(
        ("为您推荐", "送给您的推荐"),
        ("感谢您选择{brand}。", "很高兴再次见到您。"),
        ("立即选购。", "进店逛逛。"),
        "立即选购。",
    ),
}


@dataclass(frozen=True)
class CategoryWording:
    """How copy speaks of a category: its short name and what its products are for."""

    noun: str  # "skincare", "数码"
    purpose: str  # "for your daily skincare routine", "让工作和娱乐更顺手"


CATEGORY_EN: dict[str, CategoryWording] = {
    "skincare": CategoryWording("skincare", "for your daily skincare routine"),
    "makeup": CategoryWording("makeup", "for your everyday makeup look"),
    "electronics": CategoryWording("tech", "for work and play"),
    "baby": CategoryWording("baby essentials", "for your little one"),
    "home": CategoryWording("home picks", "for a more comfortable home"),
    "apparel": CategoryWording("wardrobe picks", "for your wardrobe"),
    "food": CategoryWording("treats", "to enjoy at home or give as a gift"),
    "sports": CategoryWording("sports gear", "for your next workout"),
}
CATEGORY_ZH: dict[str, CategoryWording] = {
    # Chinese purposes are labels before "：" ("日常护肤推荐：洁面乳"), not prepositional phrases.
    "skincare": CategoryWording("护肤", "日常护肤推荐"),
    "makeup": CategoryWording("彩妆", "日常妆容推荐"),
    "electronics": CategoryWording("数码", "工作娱乐好帮手"),
    "baby": CategoryWording("母婴", "给宝宝的贴心之选"),
    "home": CategoryWording("家居", "居家舒适之选"),
    "apparel": CategoryWording("服饰", "衣橱好物推荐"),
    "food": CategoryWording("美食", "自享送礼两相宜"),
    "sports": CategoryWording("运动", "运动好搭档"),
}


def phrases(strategy: str, language: str) -> Phrases:
    """The phrases of a strategy in a language (the general ones for an unknown strategy)."""
    table = ZH if language == "zh" else EN
    return table.get(strategy, table["general"])


def category_wording(
    category: str | None, language: str, name: str | None = None
) -> CategoryWording:
    """The wording of a catalogue category key; an unknown category speaks plainly of its name."""
    table = CATEGORY_ZH if language == "zh" else CATEGORY_EN
    if category in table:
        return table[category]  # type: ignore[index]
    shown = name or category or ("好物" if language == "zh" else "picks")
    return CategoryWording(shown, "" if language == "zh" else "for you")
