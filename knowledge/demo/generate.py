"""Write the demo store: every business table, chunk by chunk, in one transaction.

Determinism: every random draw comes from numpy generators seeded by
(seed, chunk number), chunks have a fixed size, and nothing depends on the
clock or on dict/set order, so (customers, seed, end_date) fixes every row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from knowledge.demo.campaigns import (
    CampaignSpec,
    MessageArrays,
    build_campaigns,
    campaigns_frame,
    simulate_messages,
)
from knowledge.demo.catalog import products_frame
from knowledge.demo.marker import write_demo_marker
from knowledge.demo.orders import (
    OrderModel,
    build_order_model,
    make_order_rows,
    order_times,
    organic_orders,
    sample_channels,
    sample_status,
)
from knowledge.demo.people import consent_columns, make_customers
from knowledge.demo.personas import (
    CHANNELS,
    SALES_CHANNELS,
    chunk_bounds,
    chunk_streams,
    draw_personas,
)
from knowledge.demo.returns import add_returns_and_postage, shipping_product
from knowledge.demo.reviews import make_reviews
from knowledge.demo.seasons import Window, demo_window
from knowledge.store.bulk import insert_frame
from knowledge.store.schema import (
    BUSINESS_TABLES,
    Campaign,
    CampaignMessage,
    Customer,
    Order,
    OrderItem,
    Product,
    Review,
)

DEMO_END_DATE = date(2026, 10, 31)
_RETURNS_STREAM = 7

# The sales channel a campaign conversion comes through, per message channel.
_CONVERSION_CHANNEL = {
    "email": "web",
    "sms": "mini_program",
    "push": "app",
    "social": "mini_program",
}

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per table and the seconds it took."""

    customers: int
    products: int
    orders: int
    order_items: int
    campaigns: int
    campaign_messages: int
    reviews: int
    seconds: float


@dataclass
class _Counters:
    """Running id counters and row counts across chunks."""

    orders: int = 0  # purchases, which number the order ids
    order_rows: int = 0  # purchases plus return orders and credit notes
    items: int = 0
    messages: int = 0
    reviews: int = 0
    customers: int = 0


def _ids(prefix: str, start: int, count: int, width: int) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(start + 1, start + count + 1)]


def _refuse_if_not_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        for model in BUSINESS_TABLES:
            rows = conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
            if rows:
                raise ValueError(
                    f"The store already holds data ({rows} rows in {model.__tablename__}); demo data "
                    "is only generated into an empty store. Reset the business data first."
                )


def generate_demo_data(
    engine: Engine,
    customers: int = 2000,
    seed: int = 42,
    end_date: date = DEMO_END_DATE,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty store with two years of demo data ending on `end_date`.

    Raises ValueError if the store already holds business rows (orders or any
    other business table). Everything is written in one transaction, so a
    failure leaves the store as it was. `progress(stage, fraction)` is called
    as the work advances.
    """
    if customers < 1:
        raise ValueError("customers must be at least 1")
    began = time.perf_counter()
    report = progress or (lambda stage, fraction: None)
    _refuse_if_not_empty(engine)
    window = demo_window(end_date)
    model = build_order_model(window)
    specs = build_campaigns(window)
    products = products_frame()
    sent = np.zeros(len(specs), dtype=np.int64)
    counters = _Counters()
    chunks = chunk_bounds(customers)
    with engine.begin() as conn:
        report("products", 0.0)
        insert_frame(conn, Product.__table__, products)
        insert_frame(conn, Product.__table__, shipping_product())
        for chunk, (lo, hi) in enumerate(chunks):

            def step(stage: str, part: float, chunk: int = chunk) -> None:
                report(stage, (chunk + part) / len(chunks))

            _write_chunk(
                conn, seed, chunk, lo, hi, window, model, specs, products, sent, counters, step
            )
        report("campaigns", 1.0)
        campaigns = campaigns_frame(specs, sent, customers)
        insert_frame(conn, Campaign.__table__, campaigns)
        write_demo_marker(conn, customers, seed, end_date)
    report("done", 1.0)
    return DemoSummary(
        customers=counters.customers,
        products=len(products) + 1,  # and the shipping fee
        orders=counters.order_rows,
        order_items=counters.items,
        campaigns=len(campaigns),
        campaign_messages=counters.messages,
        reviews=counters.reviews,
        seconds=time.perf_counter() - began,
    )


def _write_chunk(
    conn: Connection,
    seed: int,
    chunk: int,
    lo: int,
    hi: int,
    window: Window,
    model: OrderModel,
    specs: list[CampaignSpec],
    products: pd.DataFrame,
    sent: np.ndarray,
    counters: _Counters,
    step: Progress,
) -> None:
    """Generate and insert the rows of customers lo..hi-1."""
    r_persona, r_customers, r_orders, r_campaigns, r_reviews = chunk_streams(seed, chunk)
    step("customers", 0.0)
    persona = draw_personas(r_persona, hi - lo)
    customers, draws = make_customers(r_customers, persona, lo, window, window.end.year)
    step("orders", 0.15)
    cust, day = organic_orders(r_orders, model, persona, draws.first_day, draws.last_day)
    ordered_at = order_times(r_orders, model, persona[cust], day)
    channel = sample_channels(r_orders, persona[cust])
    status = sample_status(r_orders, persona[cust])
    step("campaign messages", 0.35)
    consent = draws.consent.copy()
    msgs = simulate_messages(r_campaigns, specs, model, persona, draws.first_day, consent)
    sent += np.bincount(msgs.campaign, minlength=len(specs))
    for name, values in consent_columns(consent).items():
        customers[name] = values
    # Campaign conversions become completed orders at the conversion time.
    conv = np.flatnonzero(~np.isnat(msgs.converted_at))
    conv_at = msgs.converted_at[conv]
    campaign_sales = np.array(
        [SALES_CHANNELS.index(_CONVERSION_CHANNEL[CHANNELS[s.channel]]) for s in specs]
    )
    conv_sales = campaign_sales[msgs.campaign[conv]].astype(np.int64)
    start = np.datetime64(window.start, "s")
    all_cust = np.concatenate([cust, msgs.customer[conv]])
    all_at = np.concatenate([ordered_at, conv_at])
    all_day = ((all_at - start) // np.timedelta64(86_400, "s")).astype(np.int64)
    all_channel = np.concatenate([channel, conv_sales])
    all_status = np.concatenate([status, np.zeros(len(conv), dtype=np.int64)])
    source_msg = np.concatenate([np.full(len(cust), -1), conv])
    order = np.lexsort((all_cust, all_at))  # ids follow time within a chunk
    order_ids = _ids("O", counters.orders, len(order), 9)
    step("order lines", 0.55)
    customer_ids = customers["customer_id"].to_numpy()
    orders, items = make_order_rows(
        r_orders,
        model,
        order_ids=order_ids,
        customer_ids=customer_ids[all_cust[order]],
        persona=persona[all_cust[order]],
        day=all_day[order],
        ordered_at=all_at[order],
        status=all_status[order],
        channel=all_channel[order],
        city=draws.city[all_cust[order]],
        skus=products["sku"].to_numpy(),
    )
    attributed = np.full(len(msgs.customer), None, dtype=object)
    from_msg = source_msg[order]
    has_msg = from_msg >= 0
    attributed[from_msg[has_msg]] = np.array(order_ids, dtype=object)[has_msg]
    messages = _messages_frame(msgs, specs, customer_ids, attributed, counters.messages)
    step("reviews", 0.75)
    quality = pd.Series(products["quality"].to_numpy(), index=products["sku"].to_numpy())
    window_end = start + np.timedelta64(window.days * 86_400 - 1, "s")
    reviews = make_reviews(
        r_reviews,
        orders,
        items,
        persona[all_cust[order]],
        draws.english[all_cust[order]],
        quality,
        window_end,
    )
    reviews.insert(0, "review_id", _ids("R", counters.reviews, len(reviews), 9))
    purchases = len(orders)
    # Its own stream, so returns leave every other draw of the chunk as it was.
    r_returns = np.random.default_rng([seed, chunk, _RETURNS_STREAM])
    orders, items = add_returns_and_postage(r_returns, orders, items, window_end)
    step("writing", 0.85)
    insert_frame(conn, Customer.__table__, customers)
    insert_frame(conn, Order.__table__, orders)
    insert_frame(conn, OrderItem.__table__, items)
    insert_frame(conn, CampaignMessage.__table__, messages)
    insert_frame(conn, Review.__table__, reviews)
    counters.customers += len(customers)
    # Return orders and credit notes reuse their purchase's number ("RT"/"CN" + digits).
    counters.orders += purchases
    counters.order_rows += len(orders)
    counters.items += len(items)
    counters.messages += len(messages)
    counters.reviews += len(reviews)
    step("writing", 1.0)


def _messages_frame(
    msgs: MessageArrays,
    specs: list[CampaignSpec],
    customer_ids: np.ndarray,
    attributed: np.ndarray,
    offset: int,
) -> pd.DataFrame:
    campaign_ids = np.array([s.campaign_id for s in specs], dtype=object)
    variant = np.array([None, "A", "B"], dtype=object)[msgs.variant + 1]
    return pd.DataFrame(
        {
            "message_id": _ids("M", offset, len(msgs.customer), 10),
            "campaign_id": campaign_ids[msgs.campaign].astype(str),
            "customer_id": customer_ids[msgs.customer],
            "variant": variant,
            "sent_at": msgs.sent_at,
            "delivered": msgs.delivered.astype(bool),
            "opened_at": msgs.opened_at,
            "clicked_at": msgs.clicked_at,
            "attributed_order_id": attributed,
            "unsubscribed": msgs.unsubscribed.astype(bool),
        }
    )
