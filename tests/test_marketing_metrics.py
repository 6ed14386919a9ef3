"""Every metric of MARKETING.md through query_metrics equals an independent pandas computation,
on DuckDB, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import ToolContext, query_metrics
from tools.base import ToolError

START, END = date(2026, 7, 1), date(2026, 9, 30)
PERIOD = "2026-07-01..2026-09-30"


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def table(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


@pytest.fixture(scope="module")
def raw(demo_engine: Engine) -> dict[str, pd.DataFrame]:
    """The store's tables in pandas, typed, read with plain SQL."""
    orders = table(demo_engine, "SELECT * FROM orders")
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    orders["total"] = orders["total"].astype(float)
    orders["valid"] = ~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)
    # MARKETING.md: revenue = net sales = gross sales - returns, each on its own date. Order
    # totals are net merchandise; return orders (credit notes) have negative totals.
    orders["sales"] = ((orders["status"] == "completed") | (orders["total"] < 0)) & (
        orders["status"] != "cancelled"
    )
    items = table(
        demo_engine,
        "SELECT i.*, p.category, o.status, o.order_date FROM order_items i "
        "JOIN products p ON p.sku = i.sku JOIN orders o ON o.order_id = i.order_id",
    )
    items["amount"] = items["amount"].astype(float)
    items["order_date"] = pd.to_datetime(items["order_date"]).dt.date
    items["merchandise"] = items["merchandise"].astype(bool)
    messages = table(demo_engine, "SELECT * FROM campaign_messages")
    messages["sent_at"] = pd.to_datetime(messages["sent_at"])
    messages["delivered"] = messages["delivered"].astype(bool)
    messages["unsubscribed"] = messages["unsubscribed"].astype(bool)
    campaigns = table(demo_engine, "SELECT * FROM campaigns")
    campaigns["cost"] = campaigns["cost"].astype(float)
    customers = table(demo_engine, "SELECT * FROM customers")
    return {
        "orders": orders,
        "items": items,
        "messages": messages,
        "campaigns": campaigns,
        "customers": customers,
    }


def values(engine: Engine, metrics: list[str], time_range: str | None = PERIOD) -> dict[str, float]:
    return query_metrics(context(engine), metrics=metrics, time_range=time_range).data["values"]


def in_period(orders: pd.DataFrame, start: date = START, end: date = END) -> pd.DataFrame:
    return orders[orders["valid"] & (orders["order_date"] >= start) & (orders["order_date"] <= end)]


def sales_in_period(orders: pd.DataFrame, start: date = START, end: date = END) -> pd.DataFrame:
    """Orders whose totals make up net sales: completed ones and returns, dated in the period."""
    dated = (orders["order_date"] >= start) & (orders["order_date"] <= end)
    return orders[orders["sales"] & dated]


def test_sales_metrics(demo_engine: Engine, raw: dict) -> None:
    valid = in_period(raw["orders"])
    net_sales = sales_in_period(raw["orders"])["total"].sum()
    per_customer = valid.groupby("customer_id")["order_id"].count()
    expected = {
        "revenue": net_sales,
        "orders": len(valid),
        "buyers": valid["customer_id"].nunique(),
        "aov": net_sales / len(valid),
        "purchase_frequency": len(valid) / valid["customer_id"].nunique(),
        "repeat_buyers": int((per_customer >= 2).sum()),
        "repurchase_rate": (per_customer >= 2).sum() / len(per_customer),
    }
    got = values(demo_engine, list(expected))
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-6), name


def test_gross_sales_returns_and_returned_orders(demo_engine: Engine, raw: dict) -> None:
    items, orders = raw["items"], raw["orders"]
    dated = (items["order_date"] >= START) & (items["order_date"] <= END) & items["merchandise"]
    gross = items.loc[dated & (items["status"] == "completed") & (items["amount"] > 0), "amount"]
    returned = items.loc[dated & (items["status"] != "cancelled") & (items["amount"] < 0), "amount"]
    in_dates = (orders["order_date"] >= START) & (orders["order_date"] <= END)
    expected = {
        "gross_sales": gross.sum(),
        "returns": -returned.sum(),
        "return_rate": -returned.sum() / gross.sum(),
        "returned_orders": int((in_dates & (orders["status"] == "returned")).sum()),
    }
    assert expected["returns"] > 0 and expected["returned_orders"] > 0  # the demo has returns
    got = values(demo_engine, [*expected, "revenue"])
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-6), name
    # Net sales two ways: order totals, and gross sales - returns from the lines.
    assert got["revenue"] == pytest.approx(got["gross_sales"] - got["returns"])


def test_new_customers_and_ltv(demo_engine: Engine, raw: dict) -> None:
    valid = raw["orders"][raw["orders"]["valid"]].sort_values(
        ["customer_id", "ordered_at", "order_id"]
    )
    first = valid.groupby("customer_id").first()
    # Historical LTV is the customer's net sales, returns included.
    lifetime = raw["orders"][raw["orders"]["sales"]].groupby("customer_id")["total"].sum()
    lifetime = lifetime.reindex(first.index)
    acquired = first[(first["order_date"] >= START) & (first["order_date"] <= END)].index
    got = values(demo_engine, ["new_customers", "average_ltv"])
    assert got["new_customers"] == len(acquired)
    assert got["average_ltv"] == pytest.approx(lifetime.loc[acquired].mean())
    all_time = values(demo_engine, ["average_ltv"], time_range=None)
    assert all_time["average_ltv"] == pytest.approx(lifetime.mean())


def test_new_customers_by_the_channel_of_their_first_order(demo_engine: Engine, raw: dict) -> None:
    """A new customer comes through the channel of their first valid order (the ordered_at
    tie broken by order id): by channel and filtered to one, as pandas counts them."""
    valid = raw["orders"][raw["orders"]["valid"]].sort_values(
        ["customer_id", "ordered_at", "order_id"]
    )
    first = valid.groupby("customer_id").first()
    acquired = first[(first["order_date"] >= START) & (first["order_date"] <= END)]
    expected = acquired.groupby("channel").size()
    output = query_metrics(
        context(demo_engine), metrics=["new_customers"], dimensions=["channel"], time_range=PERIOD
    )
    got = output.artifacts[0].frame.set_index("channel")["new_customers"]
    assert got.to_dict() == expected.to_dict()
    app = query_metrics(
        context(demo_engine),
        metrics=["new_customers"],
        filters={"channel": ["app"]},
        time_range=PERIOD,
    ).data["values"]["new_customers"]
    assert app == expected.get("app", 0)


def test_churn_rate_against_previous_period_of_equal_length(demo_engine: Engine, raw: dict) -> None:
    length = (END - START).days + 1
    previous = set(
        in_period(raw["orders"], START - timedelta(days=length), START - timedelta(days=1))[
            "customer_id"
        ]
    )
    current = set(in_period(raw["orders"])["customer_id"])
    expected = len(previous - current) / len(previous)
    assert values(demo_engine, ["churn_rate"])["churn_rate"] == pytest.approx(expected)


def test_churned_customers_is_the_churn_rates_numerator(demo_engine: Engine, raw: dict) -> None:
    """The count of the churned (its base: the previous period's buyers) alone and beside the
    rate, in one query: both equal pandas, and count / base is the rate."""
    length = (END - START).days + 1
    previous = set(
        in_period(raw["orders"], START - timedelta(days=length), START - timedelta(days=1))[
            "customer_id"
        ].dropna()
    )
    churned = previous - set(in_period(raw["orders"])["customer_id"].dropna())
    alone = values(demo_engine, ["churned_customers"])
    assert alone["churned_customers"] == len(churned)
    both = values(demo_engine, ["churned_customers", "churn_rate"])
    assert both["churned_customers"] == len(churned)
    assert both["churn_rate"] == pytest.approx(len(churned) / len(previous))


def test_churn_with_a_named_base_counts_that_periods_buyers(demo_engine: Engine, raw: dict) -> None:
    """ "Q2 buyers we lost in Q3": the base is the period named (Q2 is 91 days, Q3's previous
    period of equal length 92), and the answer's data names it."""
    base_start, base_end = date(2026, 4, 1), date(2026, 6, 30)
    base = set(in_period(raw["orders"], base_start, base_end)["customer_id"].dropna())
    churned = base - set(in_period(raw["orders"])["customer_id"].dropna())
    output = query_metrics(
        context(demo_engine),
        metrics=["churned_customers", "churn_rate"],
        time_range=PERIOD,
        churn_base="2026-04-01..2026-06-30",
    )
    assert output.data["values"]["churned_customers"] == len(churned)
    assert output.data["values"]["churn_rate"] == pytest.approx(len(churned) / len(base))
    assert output.data["churn_base"]["start"] == "2026-04-01"
    assert output.data["churn_base"].get("named") is True


@pytest.mark.parametrize(
    ("metrics", "base"),
    [(["revenue"], "2026-04-01..2026-06-30"), (["churn_rate"], "2026-08-01..2026-08-31")],
)
def test_churn_base_is_refused_off_churn_or_not_before_the_period(
    demo_engine: Engine, metrics: list[str], base: str
) -> None:
    with pytest.raises(ToolError):
        query_metrics(context(demo_engine), metrics=metrics, time_range=PERIOD, churn_base=base)


def test_campaign_funnel_by_campaign(demo_engine: Engine, raw: dict) -> None:
    messages, orders, campaigns = raw["messages"], raw["orders"], raw["campaigns"]
    delivered = messages[messages["delivered"]].merge(
        orders[["order_id", "total", "valid"]],
        left_on="attributed_order_id",
        right_on="order_id",
        how="left",
    )
    valid_orders = orders[orders["valid"]].sort_values(["customer_id", "ordered_at", "order_id"])
    first_order_ids = set(valid_orders.groupby("customer_id")["order_id"].first())
    delivered["acquired"] = delivered["attributed_order_id"].isin(first_order_ids)
    grouped = delivered.groupby("campaign_id")
    expected = pd.DataFrame(
        {
            "delivered": grouped.size(),
            "opens": grouped["opened_at"].count(),
            "clicks": grouped["clicked_at"].count(),
            "conversions": grouped["attributed_order_id"].count(),
            "unsubscribes": grouped["unsubscribed"].sum(),
            "attributed_revenue": grouped.apply(lambda g: g.loc[g["valid"] == True, "total"].sum()),  # noqa: E712
            "acquired_customers": grouped.apply(
                lambda g: g.loc[g["acquired"], "customer_id"].nunique()
            ),
        }
    )
    expected = expected.join(campaigns.set_index("campaign_id")[["name", "cost"]]).set_index("name")
    expected["open_rate"] = expected["opens"] / expected["delivered"]
    expected["ctr"] = expected["clicks"] / expected["delivered"]
    expected["click_to_open_rate"] = expected["clicks"] / expected["opens"]
    expected["conversion_rate"] = expected["conversions"] / expected["delivered"]
    expected["unsubscribe_rate"] = expected["unsubscribes"] / expected["delivered"]
    expected["roi"] = (expected["attributed_revenue"] - expected["cost"]) / expected["cost"]
    expected["roas"] = expected["attributed_revenue"] / expected["cost"]
    expected["cac"] = expected["cost"] / expected["acquired_customers"].where(
        expected["acquired_customers"] > 0
    )

    metrics = [c for c in expected.columns]
    output = query_metrics(context(demo_engine), metrics=metrics, dimensions=["campaign"])
    got = output.artifacts[0].frame.set_index("campaign").loc[expected.index]
    for name in metrics:
        assert got[name].to_numpy(dtype=float) == pytest.approx(
            expected[name].to_numpy(dtype=float), rel=1e-9, abs=1e-6, nan_ok=True
        ), name


def test_channel_comparison_uses_campaign_channel(demo_engine: Engine, raw: dict) -> None:
    messages = raw["messages"].merge(raw["campaigns"][["campaign_id", "channel"]], on="campaign_id")
    delivered = messages[messages["delivered"]]
    rates = (
        delivered.groupby("channel")["attributed_order_id"].count()
        / delivered.groupby("channel").size()
    )
    output = query_metrics(
        context(demo_engine),
        metrics=["conversion_rate"],
        dimensions=["channel"],
        filters={"channel": ["email", "sms"]},
    )
    got = output.artifacts[0].frame.set_index("channel")["conversion_rate"]
    assert sorted(got.index) == ["email", "sms"]
    for channel in ("email", "sms"):
        assert got[channel] == pytest.approx(rates[channel])


def test_revenue_by_category_uses_order_lines(demo_engine: Engine, raw: dict) -> None:
    sales = sales_in_period(raw["orders"])
    lines = raw["items"][raw["items"]["merchandise"]]
    items = lines.merge(sales[["order_id", "customer_id", "valid"]], on="order_id")
    items = items[(items["status"] == "completed") | (items["amount"] < 0)]
    expected = items.groupby("category")["amount"].sum().sort_values(ascending=False)
    bought = items[items["valid"]]
    output = query_metrics(
        context(demo_engine),
        metrics=["revenue", "buyers"],
        dimensions=["category"],
        time_range=PERIOD,
    )
    got = output.artifacts[0].frame.set_index("category")
    assert list(got.index) == list(expected.index)
    assert got["revenue"].to_numpy() == pytest.approx(expected.to_numpy())
    assert got["buyers"].to_numpy() == pytest.approx(
        bought.groupby("category")["customer_id"].nunique().loc[expected.index].to_numpy()
    )
    # Merchandise lines add up to order totals, so category revenue sums to total revenue.
    assert got["revenue"].sum() == pytest.approx(sales["total"].sum())


def test_cost_is_spread_over_messages_and_adds_up(demo_engine: Engine, raw: dict) -> None:
    total = values(demo_engine, ["cost"], time_range=None)["cost"]
    assert total == pytest.approx(raw["campaigns"]["cost"].sum())
    by_month = query_metrics(context(demo_engine), metrics=["cost"], dimensions=["month"])
    assert by_month.artifacts[0].frame["cost"].sum() == pytest.approx(total)


def test_age_band_and_comparison(demo_engine: Engine, raw: dict) -> None:
    valid = sales_in_period(raw["orders"]).merge(
        raw["customers"][["customer_id", "birth_year"]], on="customer_id"
    )
    age = AS_OF.year - valid["birth_year"]
    band = pd.cut(
        age, [0, 25, 35, 45, 55, 200], right=False, labels=["<25", "25-34", "35-44", "45-54", "55+"]
    )
    expected = valid.groupby(band.astype(str))["total"].sum()
    output = query_metrics(
        context(demo_engine), metrics=["revenue"], dimensions=["age_band"], time_range=PERIOD
    )
    got = output.artifacts[0].frame.set_index("age_band")["revenue"]
    for label, value in expected.items():
        assert got[label] == pytest.approx(value)

    compared = query_metrics(
        context(demo_engine), metrics=["revenue"], time_range=PERIOD, compare_to="last year"
    )
    previous = sales_in_period(raw["orders"], date(2025, 7, 1), date(2025, 9, 30))["total"].sum()
    assert compared.data["previous_values"]["revenue"] == pytest.approx(previous)
    row = compared.artifacts[0].frame.iloc[0]
    assert row["revenue_change"] == pytest.approx(row["revenue"] / previous - 1)


@pytest.mark.parametrize("previous", ["previous period", "环比"])
def test_the_previous_period_of_whole_units_is_the_unit_before(
    demo_engine: Engine, raw: dict, previous: str
) -> None:
    """Round 8: Q3's previous period is Q2 and October's is September, as a period phrase's
    own 环比 reads them (it was the 91 / 30 days just before: 31 March - 29 June)."""
    compared = query_metrics(
        context(demo_engine), metrics=["revenue"], time_range=PERIOD, compare_to=previous
    )
    q2 = sales_in_period(raw["orders"], date(2026, 4, 1), date(2026, 6, 30))["total"].sum()
    assert compared.data["previous_values"]["revenue"] == pytest.approx(q2)
    month = query_metrics(
        context(demo_engine),
        metrics=["orders"],
        time_range="2026-10-01..2026-10-31",
        compare_to=previous,
    )
    september = in_period(raw["orders"], date(2026, 9, 1), date(2026, 9, 30))
    assert month.data["previous_values"]["orders"] == len(september)
