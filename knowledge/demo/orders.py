"""Orders and order lines, vectorised over a whole chunk of customers.

Organic orders: each customer gets a Poisson number of orders (persona rate x
how much seasonal demand falls in the customer's active window x a per-customer
gamma activity factor, at least one), placed on days drawn from the persona's
seasonal demand curve restricted to that window (inverse CDF, no loops per
order). Campaign conversions are added by `campaigns.py` as extra orders; both
kinds go through `make_order_rows` so their lines and totals follow one rule.
Money is computed in integer cents so that an order's total is exactly the sum
of its line amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from knowledge.demo.catalog import CATEGORY_KEYS, CITY_NAMES, COUNTRY, products_frame
from knowledge.demo.personas import LAPSED, PERSONAS, SALES_CHANNELS, column, hour_probabilities
from knowledge.demo.seasons import Window, base_demand, is_promo_day, promo_multiplier

ORDER_STATUS_CODES = ("completed", "cancelled", "returned")
PROMO_DISCOUNT = 0.85  # prices during 618 / Double 11


@dataclass(frozen=True)
class OrderModel:
    """Everything about demand that does not depend on the customers; built once per run."""

    window: Window
    day_cdf: np.ndarray  # (personas x days) normalised cumulative demand
    hour_p: np.ndarray  # (personas x 24)
    product_cdf: np.ndarray  # (personas x products)
    price_cents: np.ndarray
    partner: np.ndarray
    category: np.ndarray
    promo_day: np.ndarray


def build_order_model(window: Window) -> OrderModel:
    """Demand curves per persona and product preferences from the persona parameters."""
    base, lift = base_demand(window), promo_multiplier(window)
    curves = np.vstack([base * lift**p.promo_sensitivity for p in PERSONAS])
    day_cdf = np.cumsum(curves, axis=1)
    day_cdf /= day_cdf[:, -1:]
    products = products_frame()
    price = products["price"].to_numpy()
    cat = products["cat_idx"].to_numpy()
    # Within a category, popularity falls with position; price taste per persona.
    popularity = 1.0 / (1.0 + 0.12 * (np.arange(len(products)) % 10))
    rows = []
    for p in PERSONAS:
        w = popularity * (price / np.median(price)) ** (-p.price_alpha)
        for c in range(len(CATEGORY_KEYS)):
            in_cat = cat == c
            w[in_cat] *= p.categories[c] / w[in_cat].sum()
        rows.append(np.cumsum(w) / w.sum())
    return OrderModel(
        window=window,
        day_cdf=day_cdf,
        hour_p=hour_probabilities(),
        product_cdf=np.vstack(rows),
        price_cents=np.round(price * 100).astype(np.int64),
        partner=products["partner"].to_numpy(),
        category=cat,
        promo_day=is_promo_day(window),
    )


def _cdf_before(cdf: np.ndarray, day: np.ndarray) -> np.ndarray:
    return np.where(day > 0, cdf[np.maximum(day - 1, 0)], 0.0)


def organic_orders(
    rng: np.random.Generator,
    model: OrderModel,
    persona: np.ndarray,
    first_day: np.ndarray,
    last_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(customer position, day) of every organic order of a chunk."""
    n = len(persona)
    lo_mass = np.empty(n)
    hi_mass = np.empty(n)
    for code in range(len(PERSONAS)):
        idx = np.flatnonzero(persona == code)
        lo_mass[idx] = _cdf_before(model.day_cdf[code], first_day[idx])
        hi_mass[idx] = model.day_cdf[code][last_day[idx]]
    exposure = hi_mass - lo_mass
    activity = rng.gamma(2.5, 1 / 2.5, size=n)
    counts = np.maximum(rng.poisson(column("order_rate")[persona] * exposure * activity), 1)
    lapsed = persona == LAPSED
    counts = np.where(lapsed, 1 + (rng.random(n) < 0.35), counts)
    cust = np.repeat(np.arange(n), counts)
    u = lo_mass[cust] + (1.0 - rng.random(len(cust))) * exposure[cust]
    day = np.empty(len(cust), dtype=np.int64)
    order_persona = persona[cust]
    for code in range(len(PERSONAS)):
        idx = np.flatnonzero(order_persona == code)
        day[idx] = np.searchsorted(model.day_cdf[code], u[idx], side="left")
    day = np.clip(day, first_day[cust], last_day[cust])
    return cust, day


def order_times(
    rng: np.random.Generator, model: OrderModel, persona: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """Timestamps (datetime64[s]) on the given window days at the persona's active hours."""
    hour = np.empty(len(day), dtype=np.int64)
    for code in range(len(PERSONAS)):
        idx = np.flatnonzero(persona == code)
        hour[idx] = rng.choice(24, size=len(idx), p=model.hour_p[code])
    seconds = day * 86_400 + hour * 3600 + rng.integers(0, 3600, size=len(day))
    return np.datetime64(model.window.start, "s") + seconds.astype("timedelta64[s]")


def sample_channels(rng: np.random.Generator, persona: np.ndarray) -> np.ndarray:
    """Sales channel code per order from the persona's channel mix."""
    cum = np.cumsum(np.array([p.sales_channels for p in PERSONAS]), axis=1)[persona]
    return np.minimum(
        (rng.random(len(persona))[:, None] > cum).sum(axis=1), len(SALES_CHANNELS) - 1
    )


def sample_status(rng: np.random.Generator, persona: np.ndarray) -> np.ndarray:
    """Status code per order: completed, or cancelled / returned at the persona's rates."""
    u = rng.random(len(persona))
    cancel = column("cancel_rate")[persona]
    ret = column("return_rate")[persona]
    return np.where(u < cancel, 1, np.where(u < cancel + ret, 2, 0))


def _lines(
    rng: np.random.Generator, model: OrderModel, persona: np.ndarray, day: np.ndarray
) -> pd.DataFrame:
    """Order lines (order position, sku index, quantity, unit cents, amount cents), deduplicated."""
    n_lines = 1 + np.minimum(rng.poisson(column("extra_lines")[persona]), 4)
    order = np.repeat(np.arange(len(persona)), n_lines)
    line_persona = persona[order]
    u = rng.random(len(order))
    product = np.empty(len(order), dtype=np.int64)
    for code in range(len(PERSONAS)):
        idx = np.flatnonzero(line_persona == code)
        product[idx] = np.searchsorted(model.product_cdf[code], u[idx], side="right")
    product = np.minimum(product, len(model.price_cents) - 1)
    # Complements: a later line is often the partner of the order's first line.
    first_line = np.repeat(np.cumsum(n_lines) - n_lines, n_lines)
    is_later = np.arange(len(order)) != first_line
    take_partner = is_later & (rng.random(len(order)) < 0.4)
    product = np.where(take_partner, model.partner[product[first_line]], product)
    cat = model.category[product]
    bulky = np.isin(cat, [CATEGORY_KEYS.index("food"), CATEGORY_KEYS.index("baby")])
    qty = 1 + np.minimum(rng.poisson(np.where(bulky, 0.6, 0.15)), 5)
    discount = np.where(model.promo_day[day[order]], PROMO_DISCOUNT, 1.0)
    unit = np.round(model.price_cents[product] * discount).astype(np.int64)
    lines = pd.DataFrame({"order": order, "product": product, "quantity": qty, "unit": unit})
    lines = lines.drop_duplicates(["order", "product"], keep="first")
    lines["amount"] = lines["unit"] * lines["quantity"]
    lines["line_no"] = lines.groupby("order", sort=False).cumcount() + 1
    return lines


def make_order_rows(
    rng: np.random.Generator,
    model: OrderModel,
    *,
    order_ids: list[str],
    customer_ids: np.ndarray,
    persona: np.ndarray,
    day: np.ndarray,
    ordered_at: np.ndarray,
    status: np.ndarray,
    channel: np.ndarray,
    city: np.ndarray,
    skus: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `orders` and `order_items` rows of the given order headers (already in id order)."""
    lines = _lines(rng, model, persona, day)
    totals = np.bincount(
        lines["order"].to_numpy(), weights=lines["amount"].to_numpy(), minlength=len(day)
    )
    ids = np.array(order_ids, dtype=object)
    orders = pd.DataFrame(
        {
            "order_id": order_ids,
            "customer_id": customer_ids,
            "ordered_at": ordered_at,
            "order_date": ordered_at.astype("datetime64[D]").astype("datetime64[s]"),
            "status": np.array(ORDER_STATUS_CODES)[status],
            "total": np.round(totals).astype(np.int64) / 100.0,
            "channel": np.array(SALES_CHANNELS)[channel],
            "city": np.array(CITY_NAMES)[city],
            "country": COUNTRY,
        }
    )
    items = pd.DataFrame(
        {
            "order_id": ids[lines["order"].to_numpy()].astype(str),
            "line_no": lines["line_no"].to_numpy(np.int64),
            "sku": skus[lines["product"].to_numpy()],
            "quantity": lines["quantity"].to_numpy(np.int64),
            "unit_price": lines["unit"].to_numpy() / 100.0,
            "amount": lines["amount"].to_numpy() / 100.0,
        }
    )
    return orders, items
