"""Names of the copilot's own concepts, per language: RFM segments, message channels.

These are not store values (the store holds "sms", a segment rule is named
"Champions"): they are words of the product, so they come from the catalogue.
A name the catalogue does not know (a segment the marketer saved as "VIP 上海")
is the user's own and is shown as written.
"""

from __future__ import annotations

from knowledge.presentation.messages import N_, tr

# The 10 RFM segments of MARKETING.md (tools/segments/rfm.py names them the same).
RFM_SEGMENTS = (
    N_("Champions"),
    N_("Loyal Customers"),
    N_("Potential Loyalists"),
    N_("New Customers"),
    N_("Promising"),
    N_("Need Attention"),
    N_("About to Sleep"),
    N_("At Risk"),
    N_("Can't Lose Them"),
    N_("Hibernating"),
)
# Marketing message channels as stored -> how an answer names them.
MESSAGE_CHANNELS = {
    "sms": N_("SMS"),
    "email": N_("email"),
    "push": N_("push"),
    "social": N_("social media"),
    "search_ad": N_("search ads"),
}


def segment_name(name: str, language: str) -> str:
    """An RFM segment's name in the answer's language; any other segment name as written."""
    return tr(language, name) if name in RFM_SEGMENTS else name


def channel_name(channel: str, language: str) -> str:
    """A message channel as an answer names it ('sms' -> 'SMS' / '短信'); others as stored."""
    known = MESSAGE_CHANNELS.get(str(channel).lower())
    return tr(language, known) if known else str(channel)
