"""Customer segments: RFM scores and segments, K-means personas, saved segments.

Each name loads its submodule on first use, so a question that only needs the RFM
rules does not load the K-means personas (issue 10).
"""

from knowledge.lazy_exports import lazy_exports

_SUBMODULE_OF = {
    "customer_personas": "persona_report",
    "SEGMENT_RULES": "rfm",
    "rfm_table": "rfm",
    "segment_map": "rfm",
    "rfm_segments": "rfm_report",
    "NewSegment": "saved",
    "replace_segments": "saved",
    "saved_members": "saved",
}

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

__getattr__ = lazy_exports(__name__, _SUBMODULE_OF)
