"""The store: SQLAlchemy models of the marketing data and the copilot's own tables."""

from knowledge.store.database import connect_store, is_empty, reset_business_data
from knowledge.store.schema import (
    BUSINESS_TABLES,
    AuditLog,
    Base,
    Campaign,
    CampaignMessage,
    Conversation,
    ConversationMessage,
    CopyDraft,
    Customer,
    ImportBatch,
    Order,
    OrderItem,
    Product,
    Review,
    SavedSegment,
    SegmentMember,
)

__all__ = [
    "BUSINESS_TABLES",
    "AuditLog",
    "Base",
    "Campaign",
    "CampaignMessage",
    "Conversation",
    "ConversationMessage",
    "CopyDraft",
    "Customer",
    "ImportBatch",
    "Order",
    "OrderItem",
    "Product",
    "Review",
    "SavedSegment",
    "SegmentMember",
    "connect_store",
    "is_empty",
    "reset_business_data",
]
