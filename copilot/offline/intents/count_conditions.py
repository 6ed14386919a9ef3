"""What a count question says its things did: conditions over valid orders, or a clause
the plain count cannot hold.

"How many customers signed up in 2026 but never placed an order" counts the 2026 signups
with no valid order; counting all the 2026 signups answers a different question. A count
reader takes every such clause into its SQL (no valid order: NOT EXISTS; some valid
order: EXISTS) or names the clause it cannot hold in a question back, never answering
the count without it.
"""

from __future__ import annotations

import re

from copilot.offline.question import compiled_word
from copilot.offline.vocabulary import reader_pattern, reader_words
from knowledge.presentation import tr

# MARKETING.md's valid order, on the orders table aliased `o`.
_VALID = "o.status NOT IN ('cancelled', 'returned') AND o.total > 0"
# A valid order of the counted row, per table that has one.
_ORDERS_OF = {
    "customers": f"SELECT 1 FROM orders o WHERE o.customer_id = customers.customer_id AND {_VALID}",
    "products": "SELECT 1 FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    f"WHERE i.sku = products.sku AND {_VALID}",
}
# A marketing message delivered to the counted customer (campaign_messages: one row per
# message sent; a message never delivered was never received).
_MESSAGES_OF = {
    "customers": "SELECT 1 FROM campaign_messages m WHERE m.customer_id = customers.customer_id "
    "AND m.delivered",
}
# A span of time since an order ("in 90 days", "for six months", "半年", "最近"): a recency
# condition relative to the store's today, which a plain count does not hold.
_DURATION = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|a few)"
    r"\s+(?:days?|weeks?|months?|years?|quarters?)\b|\b(?:recently|lately|last|past|since)\b"
    r"|[\d一二三四五六七八九十两半几]+\s*(?:天|日|周|个?星期|个?月|年)|最近|近期|近来|以来",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;.!?，。；！？]|\b(?:and|but)\b|而且|并且|但")


def order_conditions(text: str, raw: str, table: str) -> tuple[list[str], str | None]:
    """(the SQL conditions the text's order clauses make on `table`, the first clause it
    cannot hold as written in `raw`, or None).

    `text` is the question's reading text with what the count reader itself read blanked
    (the counted thing's own words, its period, its values); `raw` the question as
    written, the same length.
    """
    conditions: list[str] = []
    spans: list[tuple[int, int]] = []
    for name, operator, of in (
        ("no_messages", "NOT EXISTS", _MESSAGES_OF),
        ("has_messages", "EXISTS", _MESSAGES_OF),
        ("no_orders", "NOT EXISTS", _ORDERS_OF),
        ("has_orders", "EXISTS", _ORDERS_OF),
    ):
        for pattern in reader_words(name):
            # the messages' clause as written: its channel ("an sms") is a store value, which
            # the reading text leaves out
            said = raw if of is _MESSAGES_OF else text
            for match in compiled_word(pattern).finditer(said):
                if any(match.start() < end and start < match.end() for start, end in spans):
                    continue
                spans.append(match.span())
                if reader_pattern("included_clause").search(raw[: match.start()]):
                    continue  # "including those who never ordered": no condition at all
                if table not in of:
                    return [], _clause(raw, match.start())
                condition = (
                    f"{operator} ({of[table]}{_message_channel(_clause(raw, match.start()), of)})"
                )
                if condition not in conditions:
                    conditions.append(condition)
    rest = text
    for start, end in spans:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for pattern in reader_words("order_behaviour"):
        match = compiled_word(pattern).search(rest)
        if match:
            return [], _clause(raw, match.start())
    if spans:
        duration = _DURATION.search(rest)
        if duration:  # "haven't ordered in 90 days": a recency, not "never ordered"
            return [], _clause(raw, min(s for s, _ in spans))
    return conditions, None


# A campaign channel named in a message clause ("never got a push", "没收到过短信"): its
# campaigns' messages only, not every message.
_MESSAGE_CHANNELS = {
    "email": r"\bemails?\b|邮件",
    "sms": r"\bsms\b|\btexts?\b|短信",
    "push": r"\bpush(?:es)?\b|\bnotifications?\b|推送",
    "social": r"\bsocial\b|社交|社媒",
}


def _message_channel(clause: str, of: dict[str, str]) -> str:
    if of is not _MESSAGES_OF:
        return ""
    named = [c for c, p in _MESSAGE_CHANNELS.items() if re.search(p, clause, re.I)]
    if not named:
        return ""
    listed = ", ".join(f"'{c}'" for c in named)
    return f" AND m.campaign_id IN (SELECT c.campaign_id FROM campaigns c WHERE c.channel IN ({listed}))"


def _clause(raw: str, at: int) -> str:
    """The clause of `raw` from `at` to its end: what the question back names."""
    end = _CLAUSE_END.search(raw, at + 1)
    return raw[at : end.start() if end else len(raw)].strip(" ?？。.")


def unheld_clause_question(clause: str, table: str, language: str) -> str:
    """The question back on a count condition the plain count cannot hold."""
    return tr(
        language,
        "I can count {table} by their own fields and by whether they have a valid order, but "
        "not by “{clause}”, and I won't give the count without it (that would answer a "
        "different question). Ask for it as a rule segment (e.g. “how big is the segment of "
        "customers who …”), or leave that condition out.",
        table=table,
        clause=clause,
    )
