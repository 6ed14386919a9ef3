"""Synthetic customers: names, contact data, demographics, consent and activity window.

All personal data is invented: Chinese names for Chinese-speaking customers,
English names for English-speaking ones, emails on example.* domains, and
mobile numbers in the Chinese 11-digit format (1[35789]x xxxx xxxx), unique per
customer because the last 8 digits are a bijection of the customer number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from knowledge.demo.catalog import CITY_NAMES, CITY_PROVINCES, COUNTRY, city_weights
from knowledge.demo.personas import LAPSED, PERSONAS, SALES_CHANNELS, column, customer_ids
from knowledge.demo.seasons import Window

_SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("高", "gao"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
)  # fmt: skip
_GIVEN_F = (
    ("静", "jing"), ("丽", "li"), ("敏", "min"), ("婷", "ting"), ("雪", "xue"),
    ("琳", "lin"), ("欣怡", "xinyi"), ("雨涵", "yuhan"), ("佳琪", "jiaqi"), ("思雨", "siyu"),
    ("晓燕", "xiaoyan"), ("梦瑶", "mengyao"), ("诗涵", "shihan"), ("慧", "hui"), ("颖", "ying"),
)  # fmt: skip
_GIVEN_M = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("杰", "jie"), ("浩然", "haoran"), ("子轩", "zixuan"), ("宇航", "yuhang"),
    ("俊杰", "junjie"), ("志强", "zhiqiang"), ("明", "ming"), ("涛", "tao"), ("鹏", "peng"),
)  # fmt: skip
_FIRST_F = ("Emma", "Olivia", "Sophia", "Grace", "Chloe", "Emily", "Lily", "Hannah", "Amy", "Lucy")
_FIRST_M = (
    "James",
    "Oliver",
    "Daniel",
    "Michael",
    "David",
    "Ryan",
    "Kevin",
    "Jason",
    "Eric",
    "Lucas",
)
_LAST = ("Smith", "Brown", "Wilson", "Taylor", "Lee", "Walker", "Harris", "Clark", "Wong", "Chan")
_DOMAINS = ("example.com", "example.cn", "example.net", "mail.example.org")
_PHONE_PREFIXES = ("13", "15", "17", "18", "19")

# Cities where a persona is over-represented (multiplies the base city weight).
_CITY_TILT = {
    "Tech Professionals": {"北京": 1.8, "深圳": 2.0, "杭州": 1.8},
    "Beauty Enthusiasts": {"上海": 1.6, "成都": 1.6, "广州": 1.3},
    "Bargain Hunters": {"重庆": 1.6, "西安": 1.6, "长沙": 1.6, "天津": 1.4},
}


@dataclass(frozen=True)
class CustomerDraws:
    """Per-customer arrays the other generators need besides the stored columns."""

    persona: np.ndarray  # persona code
    english: np.ndarray  # bool: language "en"
    first_day: np.ndarray  # first day of the window the customer can act (signup or 0)
    last_day: np.ndarray  # last active day (churned customers stop earlier)
    city: np.ndarray  # index into CITIES
    consent: np.ndarray  # (n x 4) bool: email, sms, push, social


def _pick(rng: np.random.Generator, options: tuple, n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(len(options), size=n)]


def _names(
    rng: np.random.Generator, female: np.ndarray, english: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Display names and emails; pinyin handles for Chinese names, so emails look plausible."""
    n = len(female)
    sur = rng.integers(len(_SURNAMES), size=n)
    given = rng.integers(len(_GIVEN_F), size=n)
    sur_zh = np.array([s[0] for s in _SURNAMES], dtype=object)[sur]
    sur_py = np.array([s[1] for s in _SURNAMES], dtype=object)[sur]
    given_zh = np.where(
        female,
        np.array([g[0] for g in _GIVEN_F], dtype=object)[given],
        np.array([g[0] for g in _GIVEN_M], dtype=object)[given],
    )
    given_py = np.where(
        female,
        np.array([g[1] for g in _GIVEN_F], dtype=object)[given],
        np.array([g[1] for g in _GIVEN_M], dtype=object)[given],
    )
    first_en = np.where(female, _pick(rng, _FIRST_F, n), _pick(rng, _FIRST_M, n))
    last_en = _pick(rng, _LAST, n)
    names = np.where(english, first_en + " " + last_en, sur_zh + given_zh)
    handle = np.where(english, first_en + "." + last_en, given_py + "." + sur_py)
    suffix = numbers.astype(str).astype(object)
    emails = (
        np.char.lower((handle + suffix).astype(str)).astype(object) + "@" + _pick(rng, _DOMAINS, n)
    )
    return names, emails


def _phones(rng: np.random.Generator, numbers: np.ndarray) -> np.ndarray:
    # 48271 is coprime with 10**8, so distinct customers get distinct last 8 digits.
    tail = (numbers.astype(np.int64) * 48271 + 13_572_468) % 100_000_000
    prefix = _pick(rng, _PHONE_PREFIXES, len(numbers))
    third = rng.integers(10, size=len(numbers)).astype(str).astype(object)
    return prefix + third + np.char.zfill(tail.astype(str), 8).astype(object)


def _cities(rng: np.random.Generator, persona: np.ndarray) -> np.ndarray:
    out = np.empty(len(persona), dtype=np.int64)
    for code, p in enumerate(PERSONAS):
        w = city_weights() * np.array([_CITY_TILT.get(p.name, {}).get(c, 1.0) for c in CITY_NAMES])
        idx = np.flatnonzero(persona == code)
        out[idx] = rng.choice(len(w), size=len(idx), p=w / w.sum())
    return out


def _activity(
    rng: np.random.Generator, persona: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signup offset (days, negative = before the window), first and last active day."""
    n, days = len(persona), window.days
    existing = rng.random(n) < column("existing")[persona]
    # New signups grow over time (weight rises 1 -> 1.6), none in the last 30 days.
    span = max(days - 30, 1)
    t = np.arange(span)
    cdf = np.cumsum(1.0 + 0.6 * t / span)
    new_day = np.searchsorted(cdf, rng.random(n) * cdf[-1])
    lapsed = persona == LAPSED
    new_day = np.where(lapsed, rng.integers(0, min(240, span), size=n), new_day)
    first_day = np.where(existing, 0, new_day)
    signup = np.where(existing, -rng.integers(1, 4 * 365, size=n), new_day)
    churned = rng.random(n) < column("churn")[persona]
    stop = first_day + 30 + (rng.random(n) * (days - first_day - 30)).astype(np.int64)
    last_day = np.where(churned, np.minimum(stop, days - 1), days - 1)
    # Lapsed customers shop for a few months early on, then disappear.
    last_day = np.where(lapsed, np.minimum(first_day + 150, days - 1), last_day)
    return signup, first_day, last_day


def make_customers(
    rng: np.random.Generator, persona: np.ndarray, first: int, window: Window, end_year: int
) -> tuple[pd.DataFrame, CustomerDraws]:
    """The `customers` rows of customer numbers first..first+n-1, and their hidden draws."""
    n = len(persona)
    numbers = np.arange(first + 1, first + n + 1)
    female = rng.random(n) < column("female")[persona]
    english = rng.random(n) < column("english")[persona]
    age = np.clip(rng.normal(column("age_mean")[persona], column("age_sd")[persona]), 18, 72)
    city = _cities(rng, persona)
    consent = rng.random((n, 4)) < np.array([p.consent for p in PERSONAS])[persona]
    signup, first_day, last_day = _activity(rng, persona, window)
    names, emails = _names(rng, female, english, numbers)
    channel_p = np.array([p.sales_channels for p in PERSONAS])
    u = rng.random(n)
    signup_channel = (u[:, None] > np.cumsum(channel_p, axis=1)[persona]).sum(axis=1)
    start = np.datetime64(window.start, "D")
    frame = pd.DataFrame(
        {
            "customer_id": customer_ids(first, first + n),
            "name": names.astype(str),
            "email": emails.astype(str),
            "phone": _phones(rng, numbers).astype(str),
            "gender": np.where(female, "F", "M"),
            "birth_year": (end_year - age.astype(np.int64)).astype(np.int64),
            "city": np.array(CITY_NAMES)[city],
            "province": np.array(CITY_PROVINCES)[city],
            "country": COUNTRY,
            "signup_date": (start + signup.astype("timedelta64[D]")).astype("datetime64[s]"),
            "signup_channel": np.array(SALES_CHANNELS)[np.minimum(signup_channel, 3)],
            "language": np.where(english, "en", "zh"),
        }
    )
    draws = CustomerDraws(persona, english, first_day, last_day, city, consent)
    return frame, draws


def consent_columns(consent: np.ndarray) -> dict[str, np.ndarray]:
    """The four consent columns from the final (n x 4) consent matrix."""
    return {
        "consent_email": consent[:, 0].copy(),
        "consent_sms": consent[:, 1].copy(),
        "consent_push": consent[:, 2].copy(),
        "consent_social": consent[:, 3].copy(),
    }
