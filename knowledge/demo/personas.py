"""The five hidden personas that drive the demo data, and who belongs to which.

The personas are ground truth for tests (e.g. K-means recovering them) and are
never written to the store. Each differs in frequency, spend, category mix,
consent and channel engagement, active hours, review sentiment, language, age
and gender, so that profiling and clustering have something real to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Customers are generated in fixed-size chunks, each with its own random
# streams, so a customer's rows do not depend on how many customers follow.
CHUNK_CUSTOMERS = 100_000

CHANNELS = ("email", "sms", "push", "social")
SALES_CHANNELS = ("app", "web", "mini_program", "store")

# An e-commerce day: quiet at night, a lunchtime bump, a strong evening.
_BACKGROUND_HOURS = np.array(
    [
        3,
        1.5,
        0.8,
        0.5,
        0.4,
        0.5,
        1,
        2,
        3.5,
        4.5,
        5,
        5.5,
        6,
        5.5,
        5,
        4.5,
        4.5,
        5,
        5.5,
        6.5,
        7.5,
        8,
        7,
        5,
    ]
)


@dataclass(frozen=True)
class Persona:
    """Behaviour parameters of one persona (category order as in `catalog.CATEGORIES`)."""

    name: str
    share: float
    order_rate: float  # expected orders over two fully active years
    categories: tuple[float, ...]
    price_alpha: float  # >0 prefers cheap products, <0 expensive ones
    extra_lines: float  # mean additional lines per order (Poisson)
    peak_hours: tuple[int, ...]
    sales_channels: tuple[float, ...]  # app, web, mini_program, store
    consent: tuple[float, ...]  # email, sms, push, social
    engagement: tuple[float, ...]  # open/click multiplier per message channel
    age_mean: float
    age_sd: float
    female: float
    english: float
    promo_sensitivity: float  # exponent on festival demand lift
    sentiment: float  # shift of the latent review sentiment
    cancel_rate: float
    return_rate: float
    churn: float  # chance of going quiet at a random point
    existing: float  # chance of having signed up before the window
    convert: float  # chance an email/sms/push click turns into an order
    review_rate: float  # reviews per valid order


PERSONAS: tuple[Persona, ...] = (
    Persona(
        name="Beauty Enthusiasts",
        share=0.22,
        order_rate=22.0,
        categories=(0.45, 0.33, 0.02, 0.01, 0.04, 0.09, 0.04, 0.02),
        price_alpha=0.0,
        extra_lines=0.8,
        peak_hours=(20, 21, 22, 23),
        sales_channels=(0.62, 0.08, 0.26, 0.04),
        consent=(0.45, 0.5, 0.92, 0.65),
        engagement=(0.8, 0.7, 1.5, 1.1),
        age_mean=26,
        age_sd=4,
        female=0.92,
        english=0.10,
        promo_sensitivity=1.1,
        sentiment=0.7,
        cancel_rate=0.04,
        return_rate=0.03,
        churn=0.12,
        existing=0.5,
        convert=0.25,
        review_rate=0.22,
    ),
    Persona(
        name="Busy Parents",
        share=0.22,
        order_rate=16.0,
        categories=(0.05, 0.02, 0.04, 0.42, 0.30, 0.07, 0.08, 0.02),
        price_alpha=0.3,
        extra_lines=1.3,
        peak_hours=(11, 12, 13),
        sales_channels=(0.28, 0.08, 0.52, 0.12),
        consent=(0.5, 0.92, 0.45, 0.35),
        engagement=(0.9, 1.5, 0.8, 0.7),
        age_mean=35,
        age_sd=5,
        female=0.70,
        english=0.08,
        promo_sensitivity=1.0,
        sentiment=0.3,
        cancel_rate=0.035,
        return_rate=0.025,
        churn=0.12,
        existing=0.5,
        convert=0.22,
        review_rate=0.12,
    ),
    Persona(
        name="Tech Professionals",
        share=0.16,
        order_rate=7.5,
        categories=(0.03, 0.01, 0.62, 0.01, 0.08, 0.12, 0.05, 0.08),
        price_alpha=-0.4,
        extra_lines=0.5,
        peak_hours=(7, 8, 9),
        sales_channels=(0.25, 0.60, 0.05, 0.10),
        consent=(0.92, 0.35, 0.4, 0.3),
        engagement=(1.6, 0.6, 0.8, 0.6),
        age_mean=33,
        age_sd=6,
        female=0.25,
        english=0.30,
        promo_sensitivity=0.8,
        sentiment=0.3,
        cancel_rate=0.03,
        return_rate=0.02,
        churn=0.15,
        existing=0.5,
        convert=0.2,
        review_rate=0.15,
    ),
    Persona(
        name="Bargain Hunters",
        share=0.20,
        order_rate=24.0,
        categories=(0.10, 0.06, 0.06, 0.06, 0.18, 0.18, 0.28, 0.08),
        price_alpha=1.6,
        extra_lines=0.2,
        peak_hours=(0, 10, 20, 21, 22),
        sales_channels=(0.35, 0.04, 0.56, 0.05),
        consent=(0.3, 0.6, 0.6, 0.92),
        engagement=(0.6, 0.9, 1.0, 1.6),
        age_mean=40,
        age_sd=12,
        female=0.6,
        english=0.06,
        promo_sensitivity=1.9,
        sentiment=-0.8,
        cancel_rate=0.05,
        return_rate=0.045,
        churn=0.1,
        existing=0.5,
        convert=0.3,
        review_rate=0.16,
    ),
    Persona(
        name="Lapsed / Occasional",
        share=0.20,
        order_rate=0.0,  # one or two orders early in the window, see orders.py
        categories=(0.12, 0.08, 0.12, 0.10, 0.16, 0.22, 0.12, 0.08),
        price_alpha=0.3,
        extra_lines=0.3,
        peak_hours=(),
        sales_channels=(0.2, 0.4, 0.2, 0.2),
        consent=(0.5, 0.4, 0.15, 0.3),
        engagement=(0.45, 0.45, 0.45, 0.45),
        age_mean=38,
        age_sd=12,
        female=0.5,
        english=0.12,
        promo_sensitivity=1.0,
        sentiment=-0.1,
        cancel_rate=0.04,
        return_rate=0.03,
        churn=0.0,
        existing=0.65,
        convert=0.1,
        review_rate=0.12,
    ),
)
PERSONA_NAMES: tuple[str, ...] = tuple(p.name for p in PERSONAS)
LAPSED = PERSONA_NAMES.index("Lapsed / Occasional")


def column(attr: str) -> np.ndarray:
    """One parameter of every persona as an array indexed by persona code."""
    return np.array([getattr(p, attr) for p in PERSONAS], dtype=float)


def hour_probabilities() -> np.ndarray:
    """(personas x 24) probability of an order or open hour: peaks on a background day."""
    background = _BACKGROUND_HOURS / _BACKGROUND_HOURS.sum()
    rows = []
    for p in PERSONAS:
        if not p.peak_hours:
            rows.append(background)
            continue
        peak = np.zeros(24)
        peak[list(p.peak_hours)] = 1.0 / len(p.peak_hours)
        rows.append(0.55 * peak + 0.45 * background)
    return np.vstack(rows)


def active_hours_mask() -> np.ndarray:
    """(personas x 24) whether an hour is one of the persona's active hours."""
    mask = np.zeros((len(PERSONAS), 24), dtype=bool)
    for i, p in enumerate(PERSONAS):
        hours = p.peak_hours or (19, 20, 21, 22)
        mask[i, list(hours)] = True
    return mask


def chunk_streams(seed: int, chunk: int) -> list[np.random.Generator]:
    """Independent generators for one chunk: persona, customers, orders, campaigns, reviews."""
    children = np.random.SeedSequence([seed, chunk]).spawn(5)
    return [np.random.default_rng(child) for child in children]


def chunk_bounds(customers: int) -> list[tuple[int, int]]:
    """(first, stop) customer numbers (0-based) of every chunk."""
    return [
        (lo, min(lo + CHUNK_CUSTOMERS, customers)) for lo in range(0, customers, CHUNK_CUSTOMERS)
    ]


def draw_personas(rng: np.random.Generator, n: int) -> np.ndarray:
    """Persona codes for `n` customers (the first draw of a chunk's persona stream)."""
    shares = column("share")
    return rng.choice(len(PERSONAS), size=n, p=shares / shares.sum())


def customer_ids(first: int, stop: int) -> list[str]:
    """Customer ids "C0000001"... for customer numbers first..stop-1 (0-based)."""
    return [f"C{i + 1:07d}" for i in range(first, stop)]


def hidden_personas(customers: int, seed: int) -> pd.Series:
    """The persona name of every demo customer (index customer_id); ground truth, not stored."""
    codes = []
    ids: list[str] = []
    for chunk, (lo, hi) in enumerate(chunk_bounds(customers)):
        codes.append(draw_personas(chunk_streams(seed, chunk)[0], hi - lo))
        ids.extend(customer_ids(lo, hi))
    names = np.array(PERSONA_NAMES, dtype=object)
    values = names[np.concatenate(codes)] if codes else np.array([], dtype=object)
    return pd.Series(values, index=pd.Index(ids, name="customer_id"), name="persona")
