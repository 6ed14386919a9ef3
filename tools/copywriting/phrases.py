"""The wording of template copy: per strategy and language, two titles, hooks and calls to action.

A strategy comes from the segment's action in MARKETING.md's RFM map (reward
for Champions, onboarding for New Customers, win-back for At Risk ...). The
phrases hold no numbers, prices or dates: those come from the brief's facts,
so template copy is grounded by construction. `{brand}` is the brand's name.
English phrases use only GSM-7 characters (straight quotes, no dashes), so
an English SMS is not sent as UCS-2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    """Two of each: short titles (<= 30 characters), opening hooks, calls to action."""

    titles: tuple[str, str]
    hooks: tuple[str, str]
    ctas: tuple[str, str]


EN: dict[str, Phrases] = {
    "vip": Phrases(
        ("A first look, just for you", "A thank-you from {brand}"),
        (
            "As one of our top customers, you are among the first to see it.",
            "Thank you for shopping with us so often.",
        ),
        ("Take an early look.", "Tap to see it first."),
    ),
    "loyalty": Phrases(
        ("More for our members", "Picked for our regulars"),
        ("Thanks for being a loyal member.", "Here is a pick for our regulars."),
        ("Add it to your routine.", "See your member picks."),
    ),
    "membership": Phrases(
        ("Join and get more", "Recommended for you"),
        (
            "Members get picks made just for them.",
            "Based on what you love, we think you'll like this.",
        ),
        ("Join the club today.", "Tap to see your picks."),
    ),
    "onboarding": Phrases(
        ("Welcome to {brand}", "Ready for your next order?"),
        ("Thanks for your first order!", "Welcome aboard! Here's an idea for your next order."),
        ("Come back for your second favourite.", "Tap to shop your next order."),
    ),
    "brand_story": Phrases(
        ("Meet {brand}", "The story behind {brand}"),
        ("Every {brand} product starts with care for what goes in it.", "Get to know {brand}."),
        ("Discover our story.", "Take a look."),
    ),
    "limited_time": Phrases(
        ("Worth a look", "Don't miss this"),
        (
            "Don't miss what's new.",
            "It's been a little while, and we have something for you.",
        ),
        ("Take a look today.", "Tap to see more."),
    ),
    "popular": Phrases(
        ("Customer favourites", "What everyone is buying"),
        ("Our customers' favourites are here.", "See what everyone is buying right now."),
        ("Shop the favourites.", "Take a look."),
    ),
    "winback": Phrases(
        ("We miss you", "Come back and see"),
        ("We miss you! It's been a while.", "Come back and see what's new."),
        ("We'd love to see you again.", "Tap to come back."),
    ),
    "winback_vip": Phrases(
        ("We'd love you back", "Something special for you"),
        (
            "You are one of our most valued customers, and we miss you.",
            "We picked this especially for you.",
        ),
        ("Our team is here for you.", "Tap to come back."),
    ),
    "reactivation": Phrases(
        ("Long time no see", "See what's new"),
        ("Long time no see!", "A lot has changed since your last visit."),
        ("Take a quick look.", "Tap to browse."),
    ),
    "general": Phrases(
        ("Picked for you", "Something for you"),
        ("We think you'll like this.", "Here's something for you."),
        ("Shop now.", "Take a look."),
    ),
}

ZH: dict[str, Phrases] = {
    "vip": Phrases(
        ("新品先睹为快", "感谢一路有您"),
        ("感谢一路相伴，新品请您先睹为快。", "感谢您一直以来的喜爱。"),
        ("点击先睹为快。", "立即查看。"),
    ),
    "loyalty": Phrases(
        ("会员专享推荐", "为老朋友精选"),
        ("感谢您的长期支持。", "为老朋友精选。"),
        ("加入您的日常护理吧。", "查看会员推荐。"),
    ),
    "membership": Phrases(
        ("入会享专属推荐", "猜你喜欢"),
        ("成为会员，获取为您定制的推荐。", "根据您的喜好，为您推荐。"),
        ("立即加入会员。", "点击查看推荐。"),
    ),
    "onboarding": Phrases(
        ("欢迎加入{brand}", "下一单推荐"),
        ("感谢您的第一单！", "欢迎新朋友！下一单推荐您试试。"),
        ("期待您再次光临。", "点击选购下一单。"),
    ),
    "brand_story": Phrases(
        ("认识{brand}", "{brand}的故事"),
        ("{brand}用心甄选每一份成分。", "邀您认识{brand}。"),
        ("了解品牌故事。", "点击了解更多。"),
    ),
    "limited_time": Phrases(
        ("新品等您看", "别错过"),
        ("别错过新品。", "好久不见，有份推荐给您。"),
        ("今天就来看看。", "点击查看更多。"),
    ),
    "popular": Phrases(
        ("人气好物", "大家都在买"),
        ("人气好物推荐给您。", "看看大家都在买什么。"),
        ("点击选购人气好物。", "立即查看。"),
    ),
    "winback": Phrases(
        ("好久不见，我们想念您", "回来看看吧"),
        ("好久不见，我们想念您！", "回来看看我们的新变化。"),
        ("期待与您再次相见。", "点击回来逛逛。"),
    ),
    "winback_vip": Phrases(
        ("我们想念您", "为您特别挑选"),
        ("您是我们珍视的老朋友，我们想念您。", "这是为您特别挑选的。"),
        ("专属顾问随时为您服务。", "点击回来看看。"),
    ),
    "reactivation": Phrases(
        ("好久不见", "新变化等您看"),
        ("好久不见！", "自您上次来访，我们有了不少新变化。"),
        ("来逛逛吧。", "点击浏览。"),
    ),
    "general": Phrases(
        ("为您推荐", "送给您的推荐"),
        ("相信您会喜欢。", "为您准备了一份推荐。"),
        ("立即选购。", "点击查看。"),
    ),
}


def phrases(strategy: str, language: str) -> Phrases:
    """The phrases of a strategy in a language (the general ones for an unknown strategy)."""
    table = ZH if language == "zh" else EN
    return table.get(strategy, table["general"])
