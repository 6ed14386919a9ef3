"""The demo store's fixed reference data: categories, the product catalogue and cities.

Conventions of the demo store (chosen once, used everywhere):

- `city` and `province` are Chinese names without suffix ("上海", "广东", "杭州");
  for the four municipalities the province is the city itself (上海 / 上海).
- `country` is "中国" on customers and orders.
- Categories have an English key (`category`, e.g. "skincare") and a Chinese
  name (`category_zh`, e.g. "护肤"); skus are "SKU-<2-letter code>-<nnn>".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNTRY = "中国"

# (key, Chinese name, sku code)
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("skincare", "护肤", "SK"),
    ("makeup", "彩妆", "MU"),
    ("electronics", "数码电子", "EL"),
    ("baby", "母婴", "BB"),
    ("home", "家居", "HM"),
    ("apparel", "服饰", "AP"),
    ("food", "食品", "FD"),
    ("sports", "运动", "SP"),
)
CATEGORY_KEYS: tuple[str, ...] = tuple(c[0] for c in CATEGORIES)

# Per category: (English name, Chinese name, price). Neighbouring pairs (0-1, 2-3,
# ...) are complements bought together, which gives association rules to find.
_PRODUCTS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "skincare": (
        ("Hydrating Facial Cleanser", "氨基酸保湿洁面乳", 89.0),
        ("Soothing Toner", "舒缓爽肤水", 129.0),
        ("Vitamin C Brightening Serum", "维C亮肤精华", 299.0),
        ("Hyaluronic Moisturising Cream", "玻尿酸保湿面霜", 259.0),
        ("Daily Sunscreen SPF50", "清爽防晒霜 SPF50", 139.0),
        ("After-Sun Repair Gel", "晒后修护凝胶", 99.0),
        ("Retinol Night Serum", "视黄醇晚安精华", 399.0),
        ("Repair Eye Cream", "修护眼霜", 329.0),
        ("Sheet Mask Pack (10)", "补水面膜 10片装", 79.0),
        ("Micellar Cleansing Water", "温和卸妆水", 109.0),
    ),
    "makeup": (
        ("Velvet Matte Lipstick", "丝绒哑光口红", 189.0),
        ("Lip Liner Pencil", "唇线笔", 69.0),
        ("Cushion Foundation", "气垫粉底", 259.0),
        ("Loose Setting Powder", "定妆散粉", 149.0),
        ("Waterproof Mascara", "防水睫毛膏", 119.0),
        ("Eyeliner Pen", "眼线笔", 79.0),
        ("Eyeshadow Palette", "十二色眼影盘", 229.0),
        ("Makeup Brush Set", "化妆刷套装", 159.0),
        ("Blush Duo", "双色腮红", 129.0),
        ("Makeup Setting Spray", "定妆喷雾", 99.0),
    ),
    "electronics": (
        ("Smartphone X12", "X12 智能手机", 3999.0),
        ("Phone Case X12", "X12 手机壳", 79.0),
        ("Noise-Cancelling Earbuds", "降噪真无线耳机", 899.0),
        ("Fast Charger 65W", "65W 快充充电器", 149.0),
        ("Ultrabook 14", "14英寸轻薄笔记本", 6499.0),
        ("Laptop Sleeve 14", "14英寸电脑内胆包", 129.0),
        ("Smartwatch S3", "S3 智能手表", 1299.0),
        ("Watch Strap", "智能手表表带", 99.0),
        ("Power Bank 20000mAh", "20000毫安充电宝", 199.0),
        ("Bluetooth Speaker", "蓝牙音箱", 399.0),
    ),
    "baby": (
        ("Diapers L (60)", "婴儿纸尿裤 L码 60片", 139.0),
        ("Baby Wipes (80 x 6)", "婴儿湿巾 80抽×6包", 59.0),
        ("Infant Formula Stage 2", "婴儿配方奶粉 2段", 298.0),
        ("Glass Feeding Bottle", "玻璃奶瓶", 89.0),
        ("Baby Lotion", "婴儿润肤乳", 69.0),
        ("Baby Bath Wash", "婴儿沐浴露", 59.0),
        ("Organic Rice Cereal", "有机米粉", 79.0),
        ("Silicone Bibs (2)", "硅胶围兜 2条装", 49.0),
        ("Stroller Lite", "轻便婴儿推车", 1299.0),
        ("Stroller Rain Cover", "推车防雨罩", 69.0),
    ),
    "home": (
        ("Cotton Bed Sheet Set", "纯棉床品四件套", 399.0),
        ("Memory Foam Pillow", "记忆棉枕头", 199.0),
        ("Non-Stick Frying Pan", "不粘煎锅", 229.0),
        ("Silicone Spatula Set", "硅胶锅铲套装", 49.0),
        ("Robot Vacuum", "扫地机器人", 1999.0),
        ("Vacuum Filter Pack", "扫地机滤网套装", 79.0),
        ("Aroma Diffuser", "香薰加湿器", 159.0),
        ("Essential Oil Set", "精油套装", 99.0),
        ("Storage Boxes (3)", "收纳箱 3件套", 89.0),
        ("Bath Towel Set", "纯棉浴巾套装", 129.0),
    ),
    "apparel": (
        ("Down Jacket", "轻薄羽绒服", 699.0),
        ("Thermal Base Layer", "保暖内衣", 149.0),
        ("Cotton T-Shirt", "纯棉T恤", 79.0),
        ("Denim Jeans", "直筒牛仔裤", 259.0),
        ("Silk Scarf", "真丝围巾", 199.0),
        ("Wool Coat", "羊毛大衣", 899.0),
        ("Canvas Sneakers", "帆布鞋", 169.0),
        ("Cotton Socks (5)", "棉袜 5双装", 39.0),
        ("Linen Shirt", "亚麻衬衫", 229.0),
        ("Leather Belt", "真皮腰带", 129.0),
    ),
    "food": (
        ("Mixed Nuts Gift Box", "每日坚果礼盒", 129.0),
        ("Dried Fruit Pack", "果干组合装", 49.0),
        ("Oolong Tea Gift Tin", "乌龙茶礼罐", 168.0),
        ("Ceramic Tea Cup Set", "陶瓷茶杯套装", 89.0),
        ("Drip Coffee (30)", "挂耳咖啡 30包", 79.0),
        ("Oat Milk (12)", "燕麦奶 12盒", 69.0),
        ("Instant Hotpot (6)", "自热火锅 6盒", 89.0),
        ("Chili Sauce", "香辣酱", 29.0),
        ("Mooncake Gift Box", "月饼礼盒", 199.0),
        ("Dark Chocolate Bar (5)", "黑巧克力 5排", 59.0),
    ),
    "sports": (
        ("Yoga Mat", "防滑瑜伽垫", 129.0),
        ("Yoga Blocks (2)", "瑜伽砖 2块", 49.0),
        ("Running Shoes", "缓震跑鞋", 599.0),
        ("Running Socks (3)", "跑步袜 3双装", 59.0),
        ("Adjustable Dumbbells", "可调节哑铃", 499.0),
        ("Resistance Bands", "弹力带套装", 69.0),
        ("Sports Water Bottle", "运动水壶", 59.0),
        ("Fitness Tracker Band", "运动手环", 249.0),
        ("Camping Tent", "露营帐篷", 799.0),
        ("Folding Camp Chair", "折叠露营椅", 159.0),
    ),
}

# (city, province, weight): weights roughly follow e-commerce buyer counts.
CITIES: tuple[tuple[str, str, float], ...] = (
    ("上海", "上海", 0.14),
    ("北京", "北京", 0.13),
    ("广州", "广东", 0.09),
    ("深圳", "广东", 0.10),
    ("杭州", "浙江", 0.08),
    ("宁波", "浙江", 0.02),
    ("成都", "四川", 0.08),
    ("重庆", "重庆", 0.06),
    ("武汉", "湖北", 0.06),
    ("南京", "江苏", 0.06),
    ("苏州", "江苏", 0.05),
    ("西安", "陕西", 0.05),
    ("天津", "天津", 0.04),
    ("长沙", "湖南", 0.04),
)
CITY_NAMES: tuple[str, ...] = tuple(c[0] for c in CITIES)
CITY_PROVINCES: tuple[str, ...] = tuple(c[1] for c in CITIES)


def city_weights() -> np.ndarray:
    """Base probability of each city in `CITIES` (sums to 1)."""
    w = np.array([c[2] for c in CITIES], dtype=float)
    return w / w.sum()


def products_frame() -> pd.DataFrame:
    """The catalogue as the `products` table, plus helper columns `cat_idx`, `partner`, `quality`.

    `partner` is the row index of the complementary product; `quality` is a fixed
    per-product offset of review sentiment, so some products are visibly liked
    or disliked in reviews.
    """
    rows = []
    for cat_idx, (key, zh, code) in enumerate(CATEGORIES):
        for i, (name_en, name_zh, price) in enumerate(_PRODUCTS[key]):
            rows.append((f"SKU-{code}-{i + 1:03d}", name_en, name_zh, key, zh, price, cat_idx, i))
    frame = pd.DataFrame(
        rows,
        columns=["sku", "name_en", "name_zh", "category", "category_zh", "price", "cat_idx", "pos"],
    )
    base = frame.index.to_numpy() - frame["pos"].to_numpy()
    frame["partner"] = base + (frame["pos"].to_numpy() ^ 1)
    # A fixed, seed-independent quality pattern: a few clear winners and losers.
    pattern = np.array([0.4, 0.0, 0.2, -0.3, 0.1, 0.0, -0.8, 0.3, 0.0, -0.2])
    frame["quality"] = pattern[(frame["pos"].to_numpy() + frame["cat_idx"].to_numpy()) % 10]
    return frame.drop(columns=["pos"])
