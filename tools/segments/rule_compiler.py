"""Rule segments: the structured definition and its compilation to one SQL query.

A `RuleDefinition` is what a marketer writes ("Shanghai women 25-35 who bought
skincare in the last 90 days"); `compile_rule` turns it into
`SELECT customer_id FROM customers WHERE ...` with SQLAlchemy Core, behaviour
conditions as EXISTS / scalar subqueries over valid orders, so the same rule
runs on DuckDB, SQLite, PostgreSQL and Spark. Periods are phrases resolved with
`tools.periods.resolve_period` ("last 90 days", "Double 11 2025", "2026-01-01").

Churn scores are the copilot's own rows (`churn_scores`, written by
predict_churn into the state store, or by a rule that needs them when none are
current: tools.churn.on_demand), not the user's data: they are read from
the state store, and a warehouse that cannot see the state tables (Spark) gets
the qualifying customer ids as `IN (ids)` (`members_for_warehouse`), so the
same rule gives the same members everywhere and nothing is written to the
warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    DateTime,
    Engine,
    Float,
    MetaData,
    Select,
    String,
    Table,
    and_,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.exc import DBAPIError

from knowledge.presentation import segment_name
from knowledge.store.schema import (
    Customer,
    Order,
    OrderItem,
    Product,
    valid_order,
)
from tools.base import ToolContext, ToolError, listed, quoted
from tools.periods import reference_today, resolve_period
from tools.segments.rfm import SEGMENT_RULES, reference_date, rfm_select
from tools.segments.saved import members_for_warehouse

Channel = Literal["email", "sms", "push", "social"]
CHURN_TABLE = "churn_scores"
CHURN_COLUMN = "probability"


class PurchaseCondition(BaseModel):
    """Bought (or did not buy) any of these categories / products within a period."""

    categories: list[str] = Field(
        default=[], description="Category names, English or Chinese, e.g. ['skincare'] or ['护肤']."
    )
    products: list[str] = Field(
        default=[], description="Products by sku or name (English or Chinese)."
    )
    period: str | None = Field(
        default=None,
        description="Period phrase, e.g. 'last 90 days', 'Double 11 2025'; empty: ever.",
    )
    channels: list[str] = Field(
        default=[],
        description="Sales channels the order went through (app, web, store, mini_program); "
        "with no category and no product: any order through them (with none of the "
        "three: any order in the period).",
    )
    bought: bool = Field(default=True, description="False: did NOT buy them in the period.")


class AmountCondition(BaseModel):
    """A range (inclusive) of a customer's total over valid orders within a period."""

    min: float | None = Field(default=None, description="At least this much (inclusive).")
    max: float | None = Field(default=None, description="At most this much (inclusive).")
    period: str | None = Field(default=None, description="Period phrase; empty: all time.")
    categories: list[str] = Field(
        default=[],
        description="spend only: count only merchandise lines of these categories, e.g. "
        "['electronics'] for 'spent 3000+ on electronics'; empty: the whole order total.",
    )


class RuleDefinition(BaseModel):
    """Conditions a customer must all meet (AND); list values within a condition are OR."""

    genders: list[Literal["F", "M"]] = Field(default=[], description="F (women) and/or M (men).")
    min_age: int | None = Field(default=None, description="Youngest age, inclusive.")
    max_age: int | None = Field(default=None, description="Oldest age, inclusive.")
    min_birth_year: int | None = Field(
        default=None, description="Born in this year or later, e.g. 1996 for 'born after 1995'."
    )
    max_birth_year: int | None = Field(
        default=None, description="Born in this year or earlier, e.g. 1999 for '90后' (1990-1999)."
    )
    cities: list[str] = Field(default=[], description="Cities as stored, e.g. ['上海', '杭州'].")
    provinces: list[str] = Field(default=[], description="Provinces as stored, e.g. ['广东'].")
    languages: list[str] = Field(default=[], description="Customer language codes: 'zh', 'en'.")
    signup_channels: list[str] = Field(
        default=[], description="Signup channels: app, web, store, mini_program."
    )
    signup_period: str | None = Field(default=None, description="Signed up within this period.")
    purchases: list[PurchaseCondition] = Field(
        default=[], description="Bought / did not buy categories or products in a period."
    )
    spend: AmountCondition | None = Field(
        default=None, description="Total spend (valid orders) within a period."
    )
    orders: AmountCondition | None = Field(
        default=None, description="Number of valid orders within a period."
    )
    no_order_since: str | None = Field(
        default=None,
        description="No valid order after the end of this date or period, e.g. 'Double 11 2025'.",
    )
    last_order_before: str | None = Field(
        default=None,
        description="Has ordered, and the last valid order is before this date/period.",
    )
    last_order_after: str | None = Field(
        default=None, description="The last valid order is after this date or period."
    )
    rfm_segments: list[str] = Field(
        default=[], description="RFM segment names, e.g. ['Champions', 'At Risk']."
    )
    min_churn_probability: float | None = Field(
        default=None, description="Predicted churn probability at least this (0-1)."
    )
    consents: list[Channel] = Field(
        default=[], description="Channels the customer must have consented to (all of them)."
    )
    no_consents: list[Channel] = Field(
        default=[],
        description="Channels the customer must NOT have consented to (none of them), e.g. "
        "SMS consent but no email consent: consents ['sms'], no_consents ['email'].",
    )


@dataclass(frozen=True)
class CompiledRule:
    """The member query and the periods it resolved, for the answer to state."""

    statement: Select
    periods: dict[str, str]
    churn_scoring: dict[str, Any] | None = None  # scores computed for this rule (on_demand.py)


def compile_rule(ctx: ToolContext, rule: RuleDefinition) -> CompiledRule:
    """`SELECT customer_id FROM customers WHERE <all conditions>` for a rule definition."""
    periods: dict[str, str] = {}
    conditions: list[ColumnElement[bool]] = [*_profile_conditions(ctx, rule, periods)]
    for i, purchase in enumerate(rule.purchases):
        conditions.append(_purchase_condition(ctx, purchase, periods, f"purchases[{i}]"))
    if rule.spend is not None:
        conditions.append(_amount_condition(ctx, rule.spend, Order.total, periods, "spend"))
    if rule.orders is not None:
        conditions.append(_amount_condition(ctx, rule.orders, None, periods, "orders"))
    conditions += _last_order_conditions(ctx, rule, periods)
    if rule.rfm_segments:
        conditions.append(_rfm_condition(ctx, rule.rfm_segments))
    churn_scoring = None
    if rule.min_churn_probability is not None:
        # No scores yet, or older than the data: computed now, as predict_churn would.
        from tools.churn.on_demand import ensure_current_scores

        churn_scoring = ensure_current_scores(ctx)
        conditions.append(_churn_condition(ctx, rule.min_churn_probability))
    statement = select(Customer.customer_id).where(*conditions)
    return CompiledRule(statement.order_by(Customer.customer_id), periods, churn_scoring)


def _profile_conditions(
    ctx: ToolContext, rule: RuleDefinition, periods: dict[str, str]
) -> list[ColumnElement[bool]]:
    c = Customer
    out: list[ColumnElement[bool]] = []
    for column, values in (
        (c.gender, rule.genders),
        (c.city, rule.cities),
        (c.province, rule.provinces),
        (c.language, rule.languages),
        (c.signup_channel, rule.signup_channels),
    ):
        if values:
            out.append(column.in_(list(values)))
    if rule.min_age is not None or rule.max_age is not None:
        # Age = the reference year minus the birth year (only the year is stored).
        year = reference_today(ctx).year
        if rule.min_age is not None:
            out.append(c.birth_year <= year - rule.min_age)
        if rule.max_age is not None:
            out.append(c.birth_year >= year - rule.max_age)
    if rule.min_birth_year is not None:
        out.append(c.birth_year >= rule.min_birth_year)
    if rule.max_birth_year is not None:
        out.append(c.birth_year <= rule.max_birth_year)
    if rule.signup_period:
        start, end = _period(ctx, rule.signup_period, periods, "signup_period")
        out.append(c.signup_date.between(start, end))
    for channel in rule.consents:
        out.append(getattr(c, f"consent_{channel}").is_(True))
    for channel in rule.no_consents:
        out.append(
            or_(
                getattr(c, f"consent_{channel}").is_(False),
                getattr(c, f"consent_{channel}").is_(None),
            )
        )
    return out


def _period(ctx: ToolContext, phrase: str, periods: dict[str, str], key: str) -> tuple[date, date]:
    period = resolve_period(ctx, phrase)
    if period is None:
        raise ToolError.of(
            "Cannot read the period {phrase} of {key}.", phrase=quoted(phrase), key=key
        )
    periods[key] = f"{period.start.isoformat()}..{period.end.isoformat()} ({period.label})"
    return period.start, period.end


def _purchase_condition(
    ctx: ToolContext, purchase: PurchaseCondition, periods: dict[str, str], key: str
) -> ColumnElement[bool]:
    if not (purchase.categories or purchase.products or purchase.channels or purchase.period):
        # (A period alone is any valid order in it: "bought in 2025, nothing in 2026".)
        raise ToolError.of(
            "{key} names no category, no product, no channel and no period.", key=key
        )
    where = [Order.customer_id == Customer.customer_id, valid_order()]
    tables: list[Any] = [Order]
    if purchase.channels:
        # An order channel ("ordered through the mini program"): the sales channel as stored.
        where.append(Order.channel.in_(_order_channels(ctx, purchase.channels, key)))
    if purchase.categories or purchase.products:
        categories = resolve_categories(ctx.engine, purchase.categories)
        skus = resolve_products(ctx.engine, purchase.products)
        matches = []
        if categories:
            matches.append(Product.category.in_(categories))
        if skus:
            matches.append(OrderItem.sku.in_(skus))
        where += [
            OrderItem.order_id == Order.order_id,
            Product.sku == OrderItem.sku,
            or_(*matches),
        ]
        tables += [OrderItem, Product]
    if purchase.period:
        start, end = _period(ctx, purchase.period, periods, f"{key}.period")
        where.append(Order.order_date.between(start, end))
    bought = exists(select(Order.order_id).select_from(*tables).where(*where))
    return bought if purchase.bought else not_(bought)


def _order_channels(ctx: ToolContext, names: list[str], key: str) -> list[str]:
    """The sales channels as stored; one the orders never name is an error, not an empty
    segment."""
    with ctx.engine.connect() as connection:
        stored = {str(c) for (c,) in connection.execute(select(Order.channel).distinct()) if c}
    wanted = [n.strip().lower().replace(" ", "_") for n in names]
    unknown = [n for n in wanted if n not in stored]
    if unknown:
        raise ToolError.of(
            "{key}.channels: no order went through {unknown}; the channels are {known}.",
            key=key,
            unknown=", ".join(unknown),
            known=", ".join(sorted(stored)),
        )
    return wanted


def _amount_condition(
    ctx: ToolContext,
    amount: AmountCondition,
    column,  # noqa: ANN001 - Order.total to sum, None to count orders
    periods: dict[str, str],
    key: str,
) -> ColumnElement[bool]:
    if amount.min is None and amount.max is None:
        raise ToolError.of("{key} needs a min or a max.", key=key)
    if amount.categories and column is None:
        raise ToolError.of("{key}.categories applies to spend only, not to orders.", key=key)
    aggregate = func.coalesce(func.sum(column), 0) if column is not None else func.count()
    where = [Order.customer_id == Customer.customer_id, valid_order()]
    if amount.categories:
        # Spend in these categories: the valid orders' merchandise lines of them (the
        # category revenue of MARKETING.md, per customer), not the whole order total.
        categories = resolve_categories(ctx.engine, amount.categories)
        aggregate = func.coalesce(func.sum(OrderItem.amount), 0)
        where += [
            OrderItem.order_id == Order.order_id,
            Product.sku == OrderItem.sku,
            OrderItem.merchandise.isnot(False),
            Product.category.in_(categories),
        ]
    if amount.period:
        start, end = _period(ctx, amount.period, periods, f"{key}.period")
        where.append(Order.order_date.between(start, end))
    # Correlated scalar subquery: customers with no order in the period count as 0.
    value = select(aggregate).where(*where).scalar_subquery()
    parts = []
    if amount.min is not None:
        parts.append(value >= amount.min)
    if amount.max is not None:
        parts.append(value <= amount.max)
    return and_(*parts)


def _orders_where(*extra: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(Order.order_id).where(
            Order.customer_id == Customer.customer_id, valid_order(), *extra
        )
    )


def _last_order_conditions(
    ctx: ToolContext, rule: RuleDefinition, periods: dict[str, str]
) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if rule.no_order_since:
        _, end = _period(ctx, rule.no_order_since, periods, "no_order_since")
        out.append(not_(_orders_where(Order.order_date > end)))
    if rule.last_order_before:
        start, _ = _period(ctx, rule.last_order_before, periods, "last_order_before")
        out += [_orders_where(), not_(_orders_where(Order.order_date >= start))]
    if rule.last_order_after:
        _, end = _period(ctx, rule.last_order_after, periods, "last_order_after")
        out.append(_orders_where(Order.order_date > end))
    return out


def rfm_segment_names(names: list[str]) -> list[str]:
    """English RFM segment names for English or Chinese names; unknown names are an error."""
    lookup = {r.name.lower(): r.name for r in SEGMENT_RULES}
    lookup |= {r.name_zh: r.name for r in SEGMENT_RULES}
    out = []
    for name in names:
        key = name.strip().lower()
        if key not in lookup:
            raise ToolError.of(
                "No RFM segment is called {name}; the segments are: {known}.",
                name=quoted(name),
                known=listed([r.name for r in SEGMENT_RULES], segment_name),
            )
        out.append(lookup[key])
    return out


def rfm_members_select(engine: Engine, as_of: date | None, names: list[str]) -> Select:
    """SELECT customer_id of buyers in the named RFM segments (computed in the database)."""
    ref = reference_date(engine, as_of)
    if ref is None:
        raise ToolError.of("The store has no valid orders, so there are no RFM segments.")
    rfm = rfm_select(engine.dialect.name, ref).subquery("rfm")
    return select(rfm.c.customer_id).where(rfm.c.segment.in_(rfm_segment_names(names)))


def _rfm_condition(ctx: ToolContext, names: list[str]) -> ColumnElement[bool]:
    return Customer.customer_id.in_(rfm_members_select(ctx.engine, ctx.as_of, names))


def churn_table(engine: Engine) -> Table | None:
    """The `churn_scores` table written by predict_churn, or None when it does not exist yet.

    Declared here with the columns we read rather than reflected: duckdb_engine
    cannot reflect columns (it queries pg_catalog tables DuckDB lacks).
    """
    table = Table(
        CHURN_TABLE,
        MetaData(),
        Column("customer_id", String(64)),
        Column("as_of", Date),
        Column("scored_at", DateTime),
        Column(CHURN_COLUMN, Float),
    )
    # Asked by a query, not the catalogue: on a two-store setup the table is the state
    # store's, which the warehouse's connections see but its catalogue does not list.
    try:
        with engine.connect() as conn:
            conn.execute(select(table.c.customer_id).limit(0)).all()
    except DBAPIError:
        return None
    return table


def latest_churn_scores(engine: Engine) -> Select | None:
    """SELECT customer_id, probability of the latest scoring run (None: nothing scored yet)."""
    table = churn_table(engine)
    if table is None:
        return None
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(table)).scalar_one() == 0:
            return None
    latest = select(func.max(table.c.scored_at)).scalar_subquery()
    run_as_of = select(func.max(table.c.as_of)).where(table.c.scored_at == latest)
    return select(table.c.customer_id, table.c[CHURN_COLUMN].label("probability")).where(
        table.c.as_of == run_as_of.scalar_subquery()
    )


def _churn_condition(ctx: ToolContext, minimum: float) -> ColumnElement[bool]:
    """Customers whose latest predicted churn probability is at least `minimum` (0-1).

    The scores are asked of the state store (`ctx.state_engine`), never of the
    warehouse: a separate warehouse (Spark) has no `churn_scores`, and asking it
    made every churn rule fail there with "no churn scores yet".
    """
    scores = latest_churn_scores(ctx.state_engine)
    if scores is None:
        # ensure_current_scores stored them just before: only a scoring that saved nothing.
        raise ToolError.of("There are no churn scores yet: ask me to predict churn first.")
    scored = scores.subquery("churn")
    at_risk = select(scored.c.customer_id).where(scored.c.probability >= minimum)
    return Customer.customer_id.in_(members_for_warehouse(ctx, at_risk))


def resolve_categories(engine: Engine, names: list[str]) -> list[str]:
    """Stored category keys for names given in English or Chinese (case-insensitive)."""
    if not names:
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(Product.category, Product.category_zh).distinct()).all()
    lookup: dict[str, str] = {}
    for key, zh in rows:
        if key:
            lookup[str(key).lower()] = key
            if zh:
                lookup[str(zh).lower()] = key
    out = []
    for name in names:
        found = lookup.get(name.strip().lower())
        if found is None:
            names_zh = {k: zh for k, zh in rows if k and zh}
            raise ToolError.of(
                "No category is called {name}; the categories are: {known}.",
                name=quoted(name),
                # Chinese answers name the categories as the catalogue does in Chinese.
                known=listed(
                    sorted({k for k, _ in rows if k}),
                    lambda key, language, zh=names_zh: (
                        zh.get(key, key) if language == "zh" else key
                    ),
                ),
            )
        out.append(found)
    return sorted(set(out))


def resolve_products(engine: Engine, names: list[str]) -> list[str]:
    """Skus for products given by sku or by exact English or Chinese name."""
    if not names:
        return []
    wanted = [n.strip().lower() for n in names]
    statement = select(Product.sku).where(
        or_(
            func.lower(Product.sku).in_(wanted),
            func.lower(Product.name_en).in_(wanted),
            func.lower(Product.name_zh).in_(wanted),
        )
    )
    with engine.connect() as conn:
        skus = sorted(conn.execute(statement).scalars().all())
    if not skus:
        raise ToolError.of(
            "No product matches {names}; give a sku or the exact name.", names=listed(names)
        )
    return skus
