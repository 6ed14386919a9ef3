"""Words that belong to one product category, for the category-fit check.

"加入您的日常护理吧" under a phone case, or "ingredients" next to a laptop, is
the incoherence a reviewer catches first. A word listed here may only appear in
copy whose products (or whose brief's category) are of that category. The
lists hold words specific enough to be wrong elsewhere; generic words ("new",
"home" as in "come home") are left out on purpose.
"""

from __future__ import annotations

import re

# category key -> (English words, Chinese words)
CATEGORY_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "skincare": (
        ("skincare", "skin care", "skin", "ingredients", "daily care", "complexion", "pores"),
        ("护肤", "护理", "肌肤", "成分", "肤质", "保湿", "滋润", "水润", "焕亮"),
    ),
    "makeup": (
        ("makeup", "make-up", "lipstick shade", "your look"),
        ("彩妆", "妆容", "上妆", "妆感"),
    ),
    "electronics": (
        ("tech", "gadget", "gadgets", "device", "devices", "battery life", "specs"),
        ("数码", "科技", "电子设备", "续航", "性能", "配置"),
    ),
    "baby": (
        ("baby", "babies", "little one", "toddler", "newborn"),
        ("宝宝", "宝贝", "母婴", "育儿", "婴儿"),
    ),
    "apparel": (("wardrobe", "outfit", "outfits", "fabric"), ("衣橱", "穿搭", "面料", "衣柜")),
    "food": (
        ("snack", "snacks", "tasty", "flavour", "flavor", "pantry", "recipe"),
        ("美味", "零食", "口味", "舌尖", "食材", "风味"),
    ),
    "sports": (
        ("workout", "workouts", "training", "fitness", "outdoors"),
        ("运动", "健身", "训练", "户外"),
    ),
    "home": (("household", "living room", "bedroom", "kitchen"), ("家居", "居家", "卧室", "厨房")),
}


def category_words_in(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(category, word, span) for each category word found in `text`."""
    found = []
    for category, (english, chinese) in CATEGORY_WORDS.items():
        for word in english:
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I):
                found.append((category, m.group(0), m.span()))
        for word in chinese:
            for m in re.finditer(re.escape(word), text):
                found.append((category, word, m.span()))
    return sorted(found, key=lambda f: f[2])
