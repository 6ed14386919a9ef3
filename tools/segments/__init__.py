"""Customer segments: RFM scores and segments, K-means personas, saved segments."""

from tools.segments.persona_report import customer_personas
from tools.segments.rfm import SEGMENT_RULES, rfm_table, segment_map
from tools.segments.rfm_report import rfm_segments
from tools.segments.saved import NewSegment, replace_segments, saved_members

__all__ = [
    "SEGMENT_RULES",
    "NewSegment",
    "customer_personas",
    "replace_segments",
    "rfm_segments",
    "rfm_table",
    "saved_members",
    "segment_map",
]
