"""SQLAlchemy 2 models of the store.

Business tables (customers ... reviews) hold the company's data; the copilot's
own tables (segments, conversations, drafts, audit log, import batches) hold
what the copilot saves. The two live apart: BUSINESS_TABLES in the warehouse
(read-only to questions), STATE_TABLES in the state store (COPILOT_STATE_URL)
that several processes share. Keys are strings chosen by the data's owner (or by the
copilot, as UUID hex) so that the same schema works on DuckDB, SQLite and
PostgreSQL without sequences.

Valid order (MARKETING.md): status not in (cancelled, returned) and total > 0,
where `total` is the order's net merchandise amount (postage and fees excluded).
Lines keep their sign: a return's lines have negative quantities and amounts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    and_,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Money = Numeric(14, 2)

ORDER_STATUSES = ("completed", "cancelled", "returned")
INVALID_ORDER_STATUSES = ("cancelled", "returned")
MESSAGE_CHANNELS = ("email", "sms", "push", "social")


def valid_order(
    orders: Table | None = None, *, include_guests: bool = False
) -> ColumnElement[bool]:
    """MARKETING.md's valid order: status not cancelled / returned and net total > 0.

    `orders` is the orders table or an alias of it (default: the table itself).
    Guest orders (no customer id) count in revenue and orders but not in buyer
    or customer analyses (RFM, cohorts, churn, profiles), which are this
    function's usual callers; so they are left out unless `include_guests`.
    """
    table = orders if orders is not None else Order.__table__
    rule = and_(table.c.status.not_in(INVALID_ORDER_STATUSES), table.c.total > 0)
    if include_guests:
        return rule
    return and_(rule, table.c.customer_id.is_not(None))


def sales_order(orders: Table | None = None) -> ColumnElement[bool]:
    """An order whose total counts in revenue (net sales = gross sales - returns).

    Completed orders (a mixed order's returned lines already lower its net total)
    and return orders / credit notes (negative total, on their own date); a
    cancelled order, or a `returned` one with a positive total (a whole-order
    refund without a return date), counts for nothing.
    """
    table = orders if orders is not None else Order.__table__
    return and_(
        or_(table.c.status == "completed", table.c.total < 0), table.c.status != "cancelled"
    )


class Base(DeclarativeBase):
    """Declarative base of every table of the store."""


class Customer(Base):
    """A customer, with profile attributes and consent per channel."""

    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    gender: Mapped[str | None] = mapped_column(String(1), doc="F, M or empty")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    city: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    signup_date: Mapped[date | None] = mapped_column(Date)
    signup_channel: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8), doc="zh or en")
    consent_email: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_push: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_social: Mapped[bool] = mapped_column(Boolean, default=False)


class Product(Base):
    """A catalogue item with English and Chinese names."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    category_zh: Mapped[str | None] = mapped_column(String(100))
    price: Mapped[Decimal | None] = mapped_column(Money)


class Order(Base):
    """An order; `order_date` is the calendar date of `ordered_at` in the store's timezone."""

    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        String(64), index=True, doc="empty for a guest (no customer id in the sales log)"
    )
    ordered_at: Mapped[datetime] = mapped_column(DateTime)
    order_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(
        String(20), doc="completed, cancelled or returned (a return / credit note order)"
    )
    total: Mapped[Decimal] = mapped_column(
        Money, doc="net merchandise amount; negative for a return order"
    )
    channel: Mapped[str | None] = mapped_column(
        String(40), doc="sales channel: app, web, store, mini_program"
    )
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str | None] = mapped_column(
        String(3), doc="ISO 4217 code of the amounts; one per store"
    )


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(
        Money, doc="quantity x unit price; negative for a return"
    )
    merchandise: Mapped[bool] = mapped_column(
        Boolean, default=True, doc="false for postage, fees, bank charges, adjustments, samples"
    )


def merchandise_line(items: Table | None = None) -> ColumnElement[bool]:
    """A product line (not postage, fees or adjustments): what product and basket analyses use."""
    table = items if items is not None else OrderItem.__table__
    return table.c.merchandise.is_not(False)


class Campaign(Base):
    """A marketing campaign over one channel; `variants` is a comma-separated list."""

    __tablename__ = "campaigns"

    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), doc="email, sms, push or social")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    cost: Mapped[Decimal] = mapped_column(Money)
    target_segment: Mapped[str | None] = mapped_column(String(200))
    variants: Mapped[str | None] = mapped_column(String(200))
    goal: Mapped[str | None] = mapped_column(String(200))


class CampaignMessage(Base):
    """One message of a campaign to one customer, with what happened to it."""

    __tablename__ = "campaign_messages"
    __table_args__ = (Index("ix_campaign_messages_campaign", "campaign_id", "variant"),)

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    variant: Mapped[str | None] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    delivered: Mapped[bool] = mapped_column(Boolean, doc="sent and not bounced")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    clicked_at: Mapped[datetime | None] = mapped_column(DateTime)
    attributed_order_id: Mapped[str | None] = mapped_column(String(64))
    unsubscribed: Mapped[bool] = mapped_column(Boolean, default=False)


class Review(Base):
    """A product review, in Chinese or English."""

    __tablename__ = "reviews"

    review_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))


# --- the copilot's own tables -------------------------------------------------


class ChurnScore(Base):
    """A customer's predicted probability of no valid order in the horizon after `as_of`."""

    __tablename__ = "churn_scores"

    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    as_of: Mapped[date] = mapped_column(
        Date, primary_key=True, doc="features use data on or before this date"
    )
    scored_at: Mapped[datetime] = mapped_column(DateTime)
    probability: Mapped[float] = mapped_column(Float, doc="P(no valid order in the horizon)")
    model_version: Mapped[str] = mapped_column(String(64))


class SavedSegment(Base):
    """A named segment (RFM, K-means persona or rule) and how it was defined."""

    __tablename__ = "saved_segments"

    segment_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), doc="rfm, kmeans or rule")
    definition: Mapped[str] = mapped_column(Text, doc="JSON")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SegmentMember(Base):
    """A customer in a saved segment."""

    __tablename__ = "segment_members"

    segment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("saved_segments.segment_id"), primary_key=True
    )
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Conversation(Base):
    """A conversation: a web session, a Slack thread or a CLI session."""

    __tablename__ = "conversations"

    conversation_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ConversationMessage(Base):
    """One turn of a conversation; `payload` keeps tool calls and artifacts as JSON."""

    __tablename__ = "conversation_messages"

    message_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20), doc="user or assistant")
    content: Mapped[str] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CopyDraft(Base):
    """A generated copy draft with its brief and check results."""

    __tablename__ = "copy_drafts"

    draft_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    segment: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    content: Mapped[str] = mapped_column(Text, doc="JSON of the draft's parts")
    brief: Mapped[str | None] = mapped_column(Text)
    checks: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditLog(Base):
    """What the copilot did that matters for privacy or data changes (imports, raw exports)."""

    __tablename__ = "audit_log"

    entry_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str | None] = mapped_column(Text, doc="JSON")


class ImportBatch(Base):
    """A file that was imported, by content hash, so re-importing it is recognised."""

    __tablename__ = "import_batches"

    import_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    target: Mapped[str] = mapped_column(String(50))
    file_name: Mapped[str] = mapped_column(String(500))
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


BUSINESS_TABLES: tuple[type[Base], ...] = (
    Customer,
    Product,
    Order,
    OrderItem,
    Campaign,
    CampaignMessage,
    Review,
)


class StateMeta(Base):
    """Facts about the copilot's state store itself, e.g. that a home's old state was migrated."""

    __tablename__ = "copilot_state_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


# The copilot's own state: it lives in the state store (COPILOT_STATE_URL), never in the
# warehouse. Order matters for copying (parents before children).
STATE_TABLES: tuple[type[Base], ...] = (
    Conversation,
    ConversationMessage,
    SavedSegment,
    SegmentMember,
    CopyDraft,
    AuditLog,
    ChurnScore,
    ImportBatch,
    StateMeta,
)
