"""The demo data generator: determinism, integrity, and the structure it promises."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from knowledge.demo import DEMO_END_DATE, PERSONA_NAMES, generate_demo_data, hidden_personas
from knowledge.store.database import connect_store

TABLES = (
    "customers",
    "products",
    "orders",
    "order_items",
    "campaigns",
    "campaign_messages",
    "reviews",
)
KEYS = {
    "customers": ["customer_id"],
    "products": ["sku"],
    "orders": ["order_id"],
    "order_items": ["order_id", "line_no"],
    "campaigns": ["campaign_id"],
    "campaign_messages": ["message_id"],
    "reviews": ["review_id"],
}
DATETIME_COLUMNS = {
    "customers": ["signup_date"],
    "orders": ["ordered_at", "order_date"],
    "campaigns": ["start_date", "end_date"],
    "campaign_messages": ["sent_at", "opened_at", "clicked_at"],
    "reviews": ["created_at"],
}
BOOL_COLUMNS = {
    "customers": ["consent_email", "consent_sms", "consent_push", "consent_social"],
    "campaign_messages": ["delivered", "unsubscribed"],
}


def _load(engine) -> dict[str, pd.DataFrame]:
    """Every business table, normalised (floats for money, datetimes, bools) and sorted by key."""
    out = {}
    with engine.connect() as conn:
        for table in TABLES:
            frame = pd.read_sql(f"SELECT * FROM {table}", conn)
            for col in frame.columns:
                if frame[col].map(lambda v: isinstance(v, Decimal)).any():
                    frame[col] = frame[col].astype(float)
            for col in DATETIME_COLUMNS.get(table, []):
                frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
            for col in BOOL_COLUMNS.get(table, []):
                frame[col] = frame[col].astype(bool)
            out[table] = frame.sort_values(KEYS[table]).reset_index(drop=True)
    return out


def _generate(url: str, customers: int, seed: int) -> dict[str, pd.DataFrame]:
    engine = connect_store(url)
    try:
        generate_demo_data(engine, customers=customers, seed=seed)
        return _load(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The default-size demo store (2000 customers, seed 42) on DuckDB."""
    path = tmp_path_factory.mktemp("demo") / "s.duckdb"
    return _generate(f"duckdb:///{path}", 2000, 42)


@pytest.fixture(scope="module")
def personas() -> pd.Series:
    return hidden_personas(2000, 42)


def _valid(orders: pd.DataFrame) -> pd.DataFrame:
    return orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]


def _z_test(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x2 / n2 - x1 / n1) / se
    return math.erfc(abs(z) / math.sqrt(2))


def test_same_seed_same_rows_on_duckdb_and_sqlite(tmp_path):
    first = _generate(f"duckdb:///{tmp_path}/a.duckdb", 400, 7)
    second = _generate(f"duckdb:///{tmp_path}/b.duckdb", 400, 7)
    on_sqlite = _generate(f"sqlite:///{tmp_path}/s.sqlite", 400, 7)
    for table in TABLES:
        pd.testing.assert_frame_equal(first[table], second[table], check_dtype=False)
        pd.testing.assert_frame_equal(first[table], on_sqlite[table], check_dtype=False)


def test_different_seed_different_rows(tmp_path):
    a = _generate(f"duckdb:///{tmp_path}/a.duckdb", 300, 1)
    b = _generate(f"duckdb:///{tmp_path}/b.duckdb", 300, 2)
    assert not a["orders"].equals(b["orders"])
    assert not a["customers"]["name"].equals(b["customers"]["name"])


def test_refuses_a_store_with_data(tmp_path):
    engine = connect_store(f"duckdb:///{tmp_path}/s.duckdb")
    try:
        generate_demo_data(engine, customers=200)
        with pytest.raises(ValueError, match="already holds data"):
            generate_demo_data(engine, customers=200)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM customers").scalar() == 200
    finally:
        engine.dispose()


def test_progress_is_reported(tmp_path):
    calls: list[tuple[str, float]] = []
    engine = connect_store(f"sqlite:///{tmp_path}/s.sqlite")
    try:
        summary = generate_demo_data(
            engine, customers=150, progress=lambda s, f: calls.append((s, f))
        )
    finally:
        engine.dispose()
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert summary.customers == 150 and summary.orders > 150


def test_ids_and_conventions(store, personas):
    customers, orders = store["customers"], store["orders"]
    assert customers["customer_id"].iloc[0] == "C0000001" and len(customers) == 2000
    # Purchases O..., their returns RT... and credit notes CN... (same digits).
    assert orders["order_id"].str.fullmatch(r"(O|RT|CN)\d{9}").all()
    assert store["products"]["sku"].str.fullmatch(r"SKU-[A-Z]{2}-\d{3}|SHIP").all()
    assert 60 <= len(store["products"]) <= 120 and store["products"]["category"].nunique() == 8
    assert customers["phone"].str.fullmatch(r"1[35789]\d{9}").all() and customers["phone"].is_unique
    assert set(customers["country"]) == {"中国"} and set(orders["country"]) == {"中国"}
    assert customers.loc[customers["city"] == "深圳", "province"].eq("广东").all()
    assert set(customers["language"]) == {"zh", "en"}
    assert (customers["language"] == "zh").mean() > 0.8
    assert list(personas.index) == list(customers["customer_id"])
    assert set(personas) == set(PERSONA_NAMES)
    dates = pd.to_datetime(orders["order_date"])
    assert dates.min() >= pd.Timestamp("2024-11-01") and dates.max() <= pd.Timestamp(DEMO_END_DATE)
    assert (orders["ordered_at"].dt.normalize() == orders["order_date"]).all()
    assert 8 <= len(orders) / len(customers) <= 12


def test_referential_integrity(store):
    customers, orders, items = store["customers"], store["orders"], store["order_items"]
    messages, reviews = store["campaign_messages"], store["reviews"]
    assert orders["customer_id"].isin(customers["customer_id"]).all()
    assert items["order_id"].isin(orders["order_id"]).all()
    assert orders["order_id"].isin(items["order_id"]).all()
    assert items["sku"].isin(store["products"]["sku"]).all()
    # An order's total is its net merchandise amount (the shipping fee is not in it).
    goods = items[items["merchandise"].astype(bool)]
    sums = goods.groupby("order_id")["amount"].sum().round(2)
    assert np.allclose(
        orders.set_index("order_id")["total"], sums.reindex(orders["order_id"]), atol=0.001
    )
    assert np.allclose(
        items["amount"], (items["unit_price"] * items["quantity"]).round(2), atol=0.001
    )
    purchase = orders["order_id"].str.startswith("O")
    assert (orders.loc[purchase, "total"] > 0).all() and (orders.loc[~purchase, "total"] < 0).all()
    assert messages["campaign_id"].isin(store["campaigns"]["campaign_id"]).all()
    assert messages["customer_id"].isin(customers["customer_id"]).all()
    assert reviews["order_id"].isin(orders["order_id"]).all()
    first_order = orders.groupby("customer_id")["order_date"].min()
    signup = customers.set_index("customer_id")["signup_date"]
    assert (signup.reindex(first_order.index) <= first_order).all()


def test_attributed_orders_are_valid_and_follow_the_click(store):
    messages, orders = store["campaign_messages"], store["orders"]
    attributed = messages.dropna(subset=["attributed_order_id"])
    assert len(attributed) > 50
    assert attributed["attributed_order_id"].is_unique
    joined = attributed.merge(
        orders, left_on="attributed_order_id", right_on="order_id", suffixes=("", "_o")
    )
    assert len(joined) == len(attributed)
    assert (joined["customer_id"] == joined["customer_id_o"]).all()
    assert len(_valid(joined)) == len(joined)
    assert (joined["ordered_at"] > joined["clicked_at"]).all()
    assert (joined["ordered_at"] - joined["clicked_at"] <= pd.Timedelta(days=7)).all()
    # The funnel: a click only after an open, an open only after delivery.
    assert messages.loc[messages["clicked_at"].notna(), "opened_at"].notna().all()
    assert (
        messages["clicked_at"].dropna() >= messages.loc[messages["clicked_at"].notna(), "opened_at"]
    ).all()
    assert not messages.loc[~messages["delivered"], "opened_at"].notna().any()
    assert 0.01 < 1 - messages["delivered"].mean() < 0.06


def test_returns_credit_notes_and_shipping_follow_the_reading_rules(store):
    orders = store["orders"].set_index("order_id")
    items = store["order_items"]
    kind = orders.index.str[:2].where(~orders.index.str.startswith("O"), "O")
    returns, notes = orders[kind == "RT"], orders[kind == "CN"]
    assert len(returns) > 100 and len(notes) > 50
    assert set(returns["status"]) == {"returned"} and set(notes["status"]) == {"cancelled"}
    bought = orders.loc["O" + returns.index.str[2:]]
    assert (returns["customer_id"].to_numpy() == bought["customer_id"].to_numpy()).all()
    delay = returns["ordered_at"].to_numpy() - bought["ordered_at"].to_numpy()
    assert (delay > np.timedelta64(0, "s")).all()  # returns are dated after the purchase
    assert set(bought["status"]) == {"completed"}  # the purchase stands; the return is its own
    reversed_ = orders.loc["O" + notes.index.str[2:]]
    assert set(reversed_["status"]) == {"cancelled"}
    assert np.allclose(notes["total"].to_numpy(), -reversed_["total"].to_numpy())
    lines = items.set_index(["order_id", "line_no"])
    for note_id in notes.index[:20]:  # a credit note reverses its order exactly
        note = lines.loc[note_id][["sku", "quantity"]]
        original = lines.loc["O" + note_id[2:]][["sku", "quantity"]]
        assert note.assign(quantity=-note["quantity"]).equals(original)
    shipping = items[items["sku"] == "SHIP"]
    assert len(shipping) > 100 and not shipping["merchandise"].astype(bool).any()
    assert items.loc[items["sku"] != "SHIP", "merchandise"].astype(bool).all()
    shipped = orders.loc[shipping["order_id"]]
    assert set(shipped["channel"]) <= {"web", "app"} and (shipped["total"] < 59).all()


def test_statuses_and_channels(store):
    orders = store["orders"]
    shares = orders["status"].value_counts(normalize=True)
    assert set(shares.index) == {"completed", "cancelled", "returned"}
    assert 0.02 < shares["cancelled"] < 0.07 and 0.015 < shares["returned"] < 0.06
    assert set(orders["channel"]) == {"app", "web", "mini_program", "store"}


def test_double_11_and_spring_festival_peaks(store):
    valid = _valid(store["orders"])
    daily = valid.groupby("order_date")["total"].sum()
    average = daily.mean()
    assert daily["2025-10-20":"2025-11-11"].mean() > 1.3 * average
    assert daily["2026-01-27":"2026-02-16"].mean() > 1.3 * average
    assert daily["2025-06-01":"2025-06-18"].mean() > average
    assert daily["2025-11-11"] > 2 * average


def test_personas_behave_differently(store, personas):
    orders = store["orders"].assign(persona=lambda f: f["customer_id"].map(personas))
    valid = _valid(orders)
    per_customer = valid.groupby("persona").size() / personas.value_counts()
    assert per_customer["Lapsed / Occasional"] < 2.5
    assert per_customer["Bargain Hunters"] > 2 * per_customer["Tech Professionals"]
    aov = valid.groupby("persona")["total"].mean()
    assert aov["Tech Professionals"] > 3 * aov["Bargain Hunters"]
    items = store["order_items"].merge(store["products"][["sku", "category"]], on="sku")
    items["persona"] = items["order_id"].map(orders.set_index("order_id")["persona"])
    top = items.groupby("persona")["category"].agg(lambda s: s.value_counts().idxmax())
    assert top["Beauty Enthusiasts"] == "skincare"
    assert top["Busy Parents"] == "baby"
    assert top["Tech Professionals"] == "electronics"
    hours = valid.groupby("persona")["ordered_at"].agg(lambda s: s.dt.hour.value_counts().idxmax())
    assert hours["Beauty Enthusiasts"] in range(20, 24) and hours["Tech Professionals"] in (7, 8, 9)
    customers = store["customers"].assign(persona=lambda f: f["customer_id"].map(personas))
    consent = customers.groupby("persona")[
        ["consent_email", "consent_sms", "consent_push", "consent_social"]
    ].mean()
    assert consent.loc["Tech Professionals", "consent_email"] > 0.8
    assert consent.loc["Busy Parents", "consent_sms"] > 0.8
    assert consent.loc["Beauty Enthusiasts", "consent_push"] > 0.8
    assert consent.loc["Bargain Hunters", "consent_social"] > 0.8
    female = customers.groupby("persona")["gender"].agg(lambda s: (s == "F").mean())
    assert female["Beauty Enthusiasts"] > 0.8 > 0.4 > female["Tech Professionals"]
    reviews = store["reviews"].assign(persona=lambda f: f["customer_id"].map(personas))
    rating = reviews.groupby("persona")["rating"].mean()
    assert rating["Bargain Hunters"] < rating["Beauty Enthusiasts"] - 0.8


def test_reviews_match_language_and_rating(store):
    reviews, customers = store["reviews"], store["customers"]
    assert 0.1 < len(reviews) / len(store["orders"]) < 0.25
    assert set(reviews["rating"]) == {1, 2, 3, 4, 5}
    lang = reviews["customer_id"].map(customers.set_index("customer_id")["language"])
    assert (reviews["language"] == lang).all()
    has_chinese = reviews["text"].str.contains(r"[\u4e00-\u9fff]")
    assert (has_chinese == (reviews["language"] == "zh")).all()
    english_good = reviews[(reviews["language"] == "en") & (reviews["rating"] == 5)]["text"]
    assert not english_good.str.contains("poor|broke|overpriced").any()


def test_messages_respect_consent(store):
    messages = store["campaign_messages"].merge(
        store["campaigns"][["campaign_id", "channel"]], on="campaign_id"
    )
    customers = store["customers"].set_index("customer_id")
    assert set(messages["channel"]) == {"email", "sms", "push", "social"}
    withdrawn_total = 0
    for channel in ("email", "sms", "push", "social"):
        sent = messages[messages["channel"] == channel]
        consented = sent["customer_id"].map(customers[f"consent_{channel}"])
        unsub = sent[sent["unsubscribed"]].groupby("customer_id")["sent_at"].min().dt.normalize()
        # Consent is the final state: customers without it must have opted out on this
        # channel, and got nothing on it after the day they did.
        withdrawn = sent[~consented]
        assert withdrawn["customer_id"].isin(unsub.index).all()
        assert (withdrawn["sent_at"].dt.normalize() <= withdrawn["customer_id"].map(unsub)).all()
        assert not sent.loc[consented, "unsubscribed"].any()
        withdrawn_total += len(withdrawn)
    assert withdrawn_total > 0  # opt-outs happened, so the rule above was exercised


def test_ab_tests(store):
    campaigns, messages = store["campaigns"], store["campaign_messages"]
    ab = campaigns[campaigns["variants"] == "A,B"].set_index("name")
    assert sorted(ab.index) == ["Double 11 2025 - Push A/B", "Spring Festival 2026 - Email A/B"]

    def p_value(name: str) -> float:
        sent = messages[
            (messages["campaign_id"] == ab.loc[name, "campaign_id"]) & messages["delivered"]
        ]
        conv = sent.groupby("variant")["attributed_order_id"].agg(["count", "size"])
        return _z_test(
            conv.loc["A", "count"],
            conv.loc["A", "size"],
            conv.loc["B", "count"],
            conv.loc["B", "size"],
        )

    assert p_value("Spring Festival 2026 - Email A/B") < 0.05
    assert p_value("Double 11 2025 - Push A/B") > 0.05
    plain = messages[~messages["campaign_id"].isin(ab["campaign_id"])]
    assert plain["variant"].isna().all()
