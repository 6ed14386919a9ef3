"""Product reviews written from template phrases, in the customer's language.

Latent sentiment = persona shift + product quality + noise (returned orders
much lower); the rating cuts it into 1-5 stars and the text follows the
rating: positive phrases for 4-5, negative for 1-2, one of each for 3.
Bargain Hunters complain most, Beauty Enthusiasts praise most.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from knowledge.demo.personas import column

POSITIVE_ZH = (
    "质量很好", "物流很快", "包装精美", "性价比很高", "效果明显", "用起来很舒服",
    "颜色很正", "客服态度很好", "和描述一致", "已经回购了", "送人很有面子", "味道很喜欢",
    "做工精细", "尺码合适", "推荐购买",
)  # fmt: skip
NEGATIVE_ZH = (
    "质量一般", "物流太慢", "包装破损", "和描述不符", "用了过敏", "有异味",
    "客服不理人", "价格虚高", "做工粗糙", "尺码偏小", "退货很麻烦", "效果不明显",
    "颜色有色差", "用了几天就坏了", "不会再买了",
)  # fmt: skip
POSITIVE_EN = (
    "great quality", "fast delivery", "lovely packaging", "good value for money",
    "works really well", "very comfortable", "true to the description", "helpful customer service",
    "will buy again", "perfect gift", "nice colour", "well made", "fits perfectly",
    "smells lovely", "highly recommend",
)  # fmt: skip
NEGATIVE_EN = (
    "poor quality", "delivery took too long", "packaging was damaged", "not as described",
    "caused a skin reaction", "strange smell", "customer service ignored me", "overpriced",
    "cheaply made", "runs small", "returns were a hassle", "did not notice any effect",
    "colour looks different", "broke after a few days", "would not buy again",
)  # fmt: skip

_CUTS = np.array([-1.4, -0.6, 0.0, 0.9])  # latent sentiment -> 1..5 stars


def _phrases(
    english: np.ndarray, en: tuple[str, ...], zh: tuple[str, ...], capital: bool
) -> np.ndarray:
    """(k x 15) phrase table per review; English phrases capitalised when they open the text."""
    en_arr = np.array([p[:1].upper() + p[1:] if capital else p for p in en], dtype=object)
    return np.where(english[:, None], en_arr, np.array(zh, dtype=object))


def _texts(rng: np.random.Generator, rating: np.ndarray, english: np.ndarray) -> np.ndarray:
    k = len(rating)
    rows = np.arange(k)
    i, j = rng.integers(15, size=k), rng.integers(1, 15, size=k)
    two = rng.random(k) < 0.5
    p1 = _phrases(english, POSITIVE_EN, POSITIVE_ZH, True)[rows, i]
    p2 = _phrases(english, POSITIVE_EN, POSITIVE_ZH, False)[rows, (i + j) % 15]
    n1 = _phrases(english, NEGATIVE_EN, NEGATIVE_ZH, True)[rows, i]
    n2 = _phrases(english, NEGATIVE_EN, NEGATIVE_ZH, False)[rows, (i + j) % 15]
    n1_inner = _phrases(english, NEGATIVE_EN, NEGATIVE_ZH, False)[rows, i]
    sep = np.where(english, ", ", "，").astype(object)
    but = np.where(english, ", but ", "，但是").astype(object)
    stop = np.where(english, ".", "。").astype(object)
    good = np.where(two, p1 + sep + p2, p1)
    bad = np.where(two, n1 + sep + n2, n1)
    mixed = p1 + but + n1_inner
    return np.where(rating >= 4, good, np.where(rating <= 2, bad, mixed)) + stop


def make_reviews(
    rng: np.random.Generator,
    orders: pd.DataFrame,
    items: pd.DataFrame,
    order_persona: np.ndarray,
    order_english: np.ndarray,
    quality_by_sku: pd.Series,
    window_end: np.datetime64,
) -> pd.DataFrame:
    """Reviews of some completed or returned orders (one line each), without ids."""
    status = orders["status"].to_numpy()
    returned = status == "returned"
    rate = column("review_rate")[order_persona] * np.where(returned, 3.0, 1.0)
    pick = (status != "cancelled") & (rng.random(len(orders)) < rate)
    chosen = np.flatnonzero(pick)
    # One line of each chosen order: first line plus a random offset within its lines.
    # Items come in the same order as their orders, every order with at least one line.
    counts = items.groupby("order_id", sort=False).size().to_numpy()
    starts = np.cumsum(counts) - counts
    offset = (rng.random(len(chosen)) * counts[chosen]).astype(np.int64)
    sku = items["sku"].to_numpy()[starts[chosen] + offset]
    latent = (
        0.35
        + column("sentiment")[order_persona[chosen]]
        + quality_by_sku.reindex(sku).to_numpy()
        + rng.normal(0.0, 0.9, size=len(chosen))
        - 2.2 * returned[chosen]
    )
    rating = 1 + np.searchsorted(_CUTS, latent)
    english = order_english[chosen]
    delay = rng.integers(2 * 86_400, 15 * 86_400, size=len(chosen)).astype("timedelta64[s]")
    created = orders["ordered_at"].to_numpy()[chosen].astype("datetime64[s]") + delay
    frame = pd.DataFrame(
        {
            "customer_id": orders["customer_id"].to_numpy()[chosen],
            "sku": sku,
            "order_id": orders["order_id"].to_numpy()[chosen],
            "created_at": created,
            "rating": rating.astype(np.int64),
            "text": _texts(rng, rating, english).astype(str),
            "language": np.where(english, "en", "zh"),
        }
    )
    return frame[frame["created_at"].to_numpy() <= window_end].reset_index(drop=True)
