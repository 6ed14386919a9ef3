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


EN: dict[str, Phrases] = {
    "vip": Phrases(
        ("A first look for you", "A thank-you from {brand}"),
        (
            "Thank you for being one of our regulars.",
            "You shop with us often, so you hear from us first.",
        ),
        ("Take an early look.", "Shop before everyone else."),
        "Look first.",
    ),
    "loyalty": Phrases(
        ("Member picks for you", "Picked for our regulars"),
        ("Thanks for coming back to us, time after time.", "A pick for our regulars."),
        ("See your member picks.", "Add one to your next order."),
        "See picks.",
    ),
    "membership": Phrases(
        ("Join and get more", "Recommended for you"),
        (
            "Members get picks chosen around what they buy.",
            "Based on your last order, we think you will like this pick.",
        ),
        ("Join the club today.", "Tap to see your picks."),
        "Join now.",
    ),
    "onboarding": Phrases(
        ("Welcome to {brand}", "Ready for your next order?"),
        ("Thanks for your first order!", "Welcome aboard! Here is an idea for your next order."),
        ("Shop your second order.", "Find your next favourite."),
        "Shop again.",
    ),
    "brand_story": Phrases(
        ("Meet {brand}", "The story behind {brand}"),
        (
            "At {brand} we choose every product with care.",
            "Get to know {brand}: good things for every day.",
        ),
        ("Discover our story.", "Explore {brand}."),
        "Explore.",
    ),
    "limited_time": Phrases(
        ("Worth a look", "New since your last visit"),
        ("Here is what is new since your last visit.", "We saved a few picks for you."),
        ("Take a look today.", "See what is new."),
        "Look today.",
    ),
    "popular": Phrases(
        ("Customer favourites", "What shoppers pick now"),
        ("Here are the picks our customers come back for.", "See what shoppers are choosing."),
        ("Shop the favourites.", "Browse the picks."),
        "See favourites.",
    ),
    "winback": Phrases(
        ("We miss you", "Come back and see"),
        ("We miss you! We have not seen you in a while.", "Come back and see what is new."),
        ("Come back and shop.", "Tap to come back."),
        "Come back.",
    ),
    "winback_vip": Phrases(
        ("We'd love you back", "Something special for you"),
        (
            "You are one of our most valued customers, and we miss you.",
            "We picked this especially for you.",
        ),
        ("Talk to our team today.", "See your picks."),
        "Talk to our team.",
    ),
    "reactivation": Phrases(
        ("Long time no see", "See what's new"),
        ("Long time no see!", "A lot has changed since your last visit."),
        ("Take a quick look.", "Tap to browse."),
        "Browse now.",
    ),
    "general": Phrases(
        ("Picked for you", "Something for you"),
        ("We think you will like these picks.", "Here is something for you."),
        ("Shop now.", "Take a look."),
        "Shop now.",
    ),
}

ZH: dict[str, Phrases] = {
    "vip": Phrases(
        ("会员抢先体验", "感谢有您"),
        ("感谢一路相伴，好物请您先看。", "感谢您一直以来的喜爱。"),
        ("点击抢先体验。", "立即抢先选购。"),
        "抢先看。",
    ),
    "loyalty": Phrases(
        ("会员专享推荐", "为老朋友精选"),
        ("感谢您的长期支持。", "为老朋友精选好物。"),
        ("查看会员推荐。", "下一单记得来看看。"),
        "查看推荐。",
    ),
    "membership": Phrases(
        ("入会享专属推荐", "猜您喜欢"),
        ("成为会员，获取为您定制的推荐。", "根据您上次的选购，为您推荐。"),
        ("立即加入会员。", "点击查看推荐。"),
        "立即入会。",
    ),
    "onboarding": Phrases(
        ("欢迎加入{brand}", "下一单推荐"),
        ("感谢您的第一单！", "欢迎新朋友！下一单推荐您试试。"),
        ("点击选购第二单。", "来看看下一单买什么。"),
        "点击复购。",
    ),
    "brand_story": Phrases(
        ("认识{brand}", "{brand}的故事"),
        ("{brand}用心挑选每一件好物。", "邀您认识{brand}：每天的小美好。"),
        ("了解品牌故事。", "进店逛逛。"),
        "了解我们。",
    ),
    "limited_time": Phrases(
        ("值得一看", "上新了"),
        ("自您上次来访，我们上新了不少好物。", "为您留了几样精选。"),
        ("今天就来看看。", "点击查看上新。"),
        "今天看看。",
    ),
    "popular": Phrases(
        ("人气好物", "大家都在买"),
        ("这些好物，很多顾客都在买。", "看看大家都在选什么。"),
        ("选购人气好物。", "立即查看。"),
        "看看人气款。",
    ),
    "winback": Phrases(
        ("好久不见，我们想念您", "回来看看吧"),
        ("好久不见，我们想念您！", "回来看看我们的新变化。"),
        ("期待您回来逛逛。", "点击回来看看。"),
        "回来看看。",
    ),
    "winback_vip": Phrases(
        ("我们想念您", "为您特别挑选"),
        ("您是我们珍视的老朋友，我们想念您。", "这是为您特别挑选的。"),
        ("回复即可联系专属顾问。", "点击查看专属推荐。"),
        "回复联系我们。",
    ),
    "reactivation": Phrases(
        ("好久不见", "新变化等您看"),
        ("好久不见！", "自您上次来访，我们有了不少新变化。"),
        ("来逛逛吧。", "点击浏览。"),
        "来逛逛。",
    ),
    "general": Phrases(
        ("为您推荐", "送给您的推荐"),
        ("相信您会喜欢。", "为您准备了一份推荐。"),
        ("立即选购。", "点击查看。"),
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
    "skincare": CategoryWording("护肤", "为您的日常护肤"),
    "makeup": CategoryWording("彩妆", "为您的日常妆容"),
    "electronics": CategoryWording("数码", "让工作和娱乐更顺手"),
    "baby": CategoryWording("母婴", "给宝宝的贴心之选"),
    "home": CategoryWording("家居", "让家更舒适"),
    "apparel": CategoryWording("服饰", "为您的衣橱添新"),
    "food": CategoryWording("美食", "自己享用或送礼都合适"),
    "sports": CategoryWording("运动", "陪您每一次运动"),
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
