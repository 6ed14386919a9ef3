"""Customers named by a value tier or a membership the store does not hold ("VIP", "高价值客户",
"members only", "会员").

No store has a "VIP" flag unless it says so; the copilot's reading of customer value is
RFM (MARKETING.md). A question naming such a tier is asked back with the RFM segments
that come closest, derived from the segment map itself: valuable (frequency scores 4-5)
and still active (recency 3-5), or valuable (frequency 3-5) who have lapsed (recency 1-2)
when the question speaks of lapsing. Never answered with the whole store's figures nor
with a made-up reading of the rest of the question.
"""

from __future__ import annotations

from typing import Any

from copilot.offline.question import Question
from copilot.offline.values import ValueIndex
from copilot.offline.vocabulary import reader_pattern
from knowledge.presentation import N_, join_list, tr
from knowledge.presentation.names import segment_name
from tools.segments.rfm import SEGMENT_RULES

# The metrics that read a lapse ("lapsed VIPs", "流失的大客户").
_LAPSE_METRICS = {"churn_rate", "churned_customers"}
_ASK = {
    True: N_(
        "“{word}” is not something this store records, so I won't guess who counts as one, "
        "nor answer for every customer. The closest reading is RFM: valuable customers who "
        "have lapsed are the {segments} segments: ask me to “segment customers by RFM” for "
        "their size and spend."
    ),
    False: N_(
        "“{word}” is not something this store records, so I won't guess who counts as one, "
        "nor answer for every customer. The closest reading is RFM: the most valuable active "
        "customers are the {segments} segments: ask me to “segment customers by RFM” for "
        "their size and spend."
    ),
}


def value_tier_problem(
    question: Question, text: str, args: dict[str, Any] | None = None
) -> str | None:
    """The question back when a value tier (lexicon reader_words value_tier_words) is named
    in `text`, the question with its store values blanked (a saved segment called "VIP 上海"
    is the user's own), else None."""
    found = reader_pattern("value_tier_words").search(text)
    if found is None:
        return None
    metrics = set((args or {}).get("metrics") or ())
    lapsed = bool(metrics & _LAPSE_METRICS) or bool(
        reader_pattern("lapse_words").search(question.raw)
    )
    if lapsed:
        rules = [r for r in SEGMENT_RULES if max(r.r_scores) <= 2 and min(r.f_scores) >= 3]
    else:
        rules = [r for r in SEGMENT_RULES if min(r.r_scores) >= 3 and min(r.f_scores) >= 4]
    language = question.language
    names = [tr(language, "“{word}”", word=segment_name(r.name, language)) for r in rules]
    # The tier as the question writes it ("VIP"), when the text lines up with it.
    written = question.raw if len(question.raw) == len(text) else text
    word = written[found.start() : found.end()].strip()
    return tr(language, _ASK[lapsed], word=word, segments=join_list(names, language))


# The figures of customers or per customer: a bare "members" names their people.
_CUSTOMER_FIGURES = {
    "buyers",
    "new_customers",
    "repeat_buyers",
    "repurchase_rate",
    "churn_rate",
    "churned_customers",
    "average_ltv",
    # (per person: "每位会员贡献多少" is per buyer)
    "revenue_per_buyer",
    "purchase_frequency",
}
_ASK_MEMBERS = N_(
    "“{word}”: this store records no membership (no field says who is a member), so I won't "
    "answer for every customer as if they were all members. Ask for all customers, or name "
    "who you mean, e.g. a saved segment, an RFM segment (“Loyal Customers”) or a signup "
    "channel."
)


# Where a figure's people are the store's customers whatever the word (no guest line in it):
# the customers' own attributes a filter restricts to.
_CUSTOMER_TABLES = ("customers.", "rfm_membership.", "segment_membership.")
# "paying members" / "付费会员" are the customers who paid: a bare word beside a per-person
# or a customers' figure, as "members" is.
_BARE_MEMBERS = ("member", "members", "会员", "paying member", "paying members", "付费会员")


def _customer_attributes(model: Any) -> set[str]:
    """The dimensions that are attributes of a customer (city, gender, age band, signup
    channel, language, an RFM or saved segment): a filter on one leaves guests out."""
    if model is None:
        return set()
    return {
        name
        for name, d in model.dimensions.items()
        if d.compute == "age_band"
        or any(c and c.startswith(_CUSTOMER_TABLES) for c in (d.column, *d.columns.values()))
    }


def _guests_left_out(args: dict[str, Any], model: Any, message_figure: bool) -> bool:
    """Whether the figure asked holds no guest line anyway (MARKETING.md: guest lines count in
    revenue and orders only): a figure of campaign messages (sent to customers), or a filter
    restricting to a customer attribute ("男性会员的销售额", "Shanghai members' orders")."""
    if message_figure:
        return True
    filters = args.get("filters") or {}
    return any(filters.get(k) for k in _customer_attributes(model))


def membership_problem(
    question: Question,
    text: str,
    args: dict[str, Any] | None = None,
    model: Any = None,
    message_figure: bool = False,
) -> str | None:
    """The question back when a figure is restricted to members (lexicon reader_words
    membership_words: "members only", "for members", "按会员口径") in `text`, the question with
    its store values blanked: the store holds no membership. None when the bare word names
    the people of a figure of customers ("how many members bought", "会员的复购率") or of a
    per-person figure ("每位会员平均消费"), the members of a segment the call filters on
    ("Champions members"), or customers whom guests are not among anyway: a filter on a
    customer attribute ("北京的会员买了多少件") or a campaign figure ("会员邮件的打开率",
    `message_figure`: every metric is computed over campaign messages)."""
    found = reader_pattern("membership_words").search(text)
    if found is None:
        return None
    args = args or {}
    filters = args.get("filters") or {}
    if any(k in filters for k in ("rfm_segment", "segment", "target_segment")):
        return None  # the members of the segment named
    bare = found.group(0).strip().lower() in _BARE_MEMBERS
    if bare and _guests_left_out(args, model, message_figure):
        return None  # members are the customers: no guest line is in the figure anyway
    metrics = set(args.get("metrics") or ())
    # (a per-person figure shown with its parts: revenue per buyer beside revenue and buyers)
    per_person = {
        "revenue_per_buyer": {"revenue", "buyers"},
        "purchase_frequency": {"orders", "buyers"},
    }
    parts = {p for m in metrics & set(per_person) for p in per_person[m]}
    if bare and metrics and (metrics - parts <= _CUSTOMER_FIGURES or metrics & set(per_person)):
        return None
    written = question.raw if len(question.raw) == len(text) else text
    word = written[found.start() : found.end()].strip()
    return tr(question.language, _ASK_MEMBERS, word=word)


_ASK_STATE = N_(
    "\u201c{word}\u201d has no fixed meaning in this store (no field records it), so I won't "
    "guess how long without an order makes one, nor count every customer. Say how you define "
    "it, for example \u201ccustomers with no order in the last 90 days\u201d, or ask for the "
    "RFM segments (\u201cAt Risk\u201d, \u201cHibernating\u201d)."
)


def undefined_state_problem(question: Question, values: ValueIndex) -> str | None:
    """The question back when customers are named by a state no field records and the
    question does not define (lexicon reader_words `undefined_states`: "dormant users",
    "沉睡用户"), naming the words; None when it is not named, or the question defines it
    (`stated_state`: "no order in 90 days", "半年没下单")."""
    found = reader_pattern("undefined_states").search(question.raw)
    if found is None or reader_pattern("stated_state").search(question.raw):
        return None
    said = found.group(0).strip().lower()
    if any(
        segment_name(r.name, language).lower() in said
        for r in SEGMENT_RULES
        for language in ("en", "zh")
    ):
        return None  # the RFM segment's own name ("沉睡客户" is Hibernating): the segment
    for _dimension, _value, (start, end) in values.find(question.raw):
        if start < found.end() and found.start() < end:
            return None  # a store value (the RFM segment 沉睡客户, a saved segment) names it
    return tr(question.language, _ASK_STATE, word=found.group(0).strip())
