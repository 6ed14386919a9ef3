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
# Order (sales) channels as stored -> how a table names them; English keeps the stored code.
ORDER_CHANNELS = {
    "app": N_("app"),
    "web": N_("website"),
    "store": N_("offline store"),
    "mini_program": N_("mini program"),
}


def segment_name(name: str, language: str) -> str:
    """An RFM segment's name in the answer's language; any other segment name as written."""
    return tr(language, name) if name in RFM_SEGMENTS else name


def channel_name(channel: str, language: str) -> str:
    """A message channel as an answer names it ('sms' -> 'SMS' / '短信'); others as stored."""
    known = MESSAGE_CHANNELS.get(str(channel).lower())
    if known is None and language != "en":
        known = ORDER_CHANNELS.get(str(channel).lower())
    return tr(language, known) if known else str(channel)


# A segment profile's features are written "<what> <value>" ("city 上海", "bought skincare");
# the prefix is the product's word, the value the store's.
_FEATURE_PREFIXES = (
    ("gender ", N_("gender {value}")),
    ("age ", N_("age {value}")),
    ("language ", N_("language {value}")),
    ("signed up via ", N_("signed up via {value}")),
    ("city ", N_("city {value}")),
    ("province ", N_("province {value}")),
    ("bought ", N_("bought {value}")),
    ("RFM ", N_("RFM {value}")),
)
_FEATURES = (
    N_("average recency (days)"),
    N_("average frequency"),
    N_("average monetary"),
    N_("share with a valid order"),
    N_("AOV"),
    N_("historical LTV per buyer"),
)


def profile_feature(feature: str, language: str) -> str:
    """A profile feature in the answer's language: 'city 上海' -> '城市 上海'."""
    if feature in _FEATURES:
        return tr(language, feature)
    for prefix, message in _FEATURE_PREFIXES:
        if feature.startswith(prefix):
            value = feature[len(prefix) :]
            if value.startswith("under "):  # the youngest age band, "under 25"
                value = tr(language, "under {age}", age=value.removeprefix("under "))
            return tr(language, message, value=segment_name(value, language))
    return feature


_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_name(weekday: str, language: str) -> str:
    """An English weekday name ('Sunday') in the answer's language ('星期日'), from babel's CLDR data."""
    from babel.dates import get_day_names

    from knowledge.presentation.numbers import locale_of

    if weekday not in _WEEKDAYS_EN:
        return weekday
    return str(get_day_names("wide", locale=locale_of(language))[_WEEKDAYS_EN.index(weekday)])
