"""Perks copy may not promise unless the brief (or the store's own text) grants them.

A marketing lead rejected template drafts that told Champions "Shop before
everyone else" (no early access was in the brief), invited Potential
Loyalists to "join" a membership they already had, called a store-wide code
"something special" or "exclusive", promised a "dedicated advisor", or said
"a lot has changed" / 上新了 with no new arrivals in the brief or store
(docs/copy-review/verdicts.md). Each kind below is a promise of something the
customer would expect to receive; copy may make it only when the marketer's
own words (goal, offer, occasion, call to action) name that kind of perk.
"""

from __future__ import annotations

import re

# kind -> one pattern for both languages (English words, then Chinese).
PERKS: dict[str, re.Pattern[str]] = {
    "early access": re.compile(
        r"\bearly\s+(?:look|access|bird)\b|\bfirst\s+look\b|\bbefore\s+every(?:one|body)\b|"
        r"\bhear\s+from\s+us\s+first\b|\b(?:look|shop)\s+first\b|\bpre-?sale\b|抢先|先看|优先购|预售",
        re.I,
    ),
    "membership": re.compile(
        r"\bmembers?(?:hip)?\b|\bjoin\s+(?:the\s+club|now|us|and)\b|\bloyalty\s+(?:club|programme|program)\b|"
        r"会员|入会",
        re.I,
    ),
    "exclusivity": re.compile(
        r"\bexclusive(?:ly)?\b|\bespecially\s+for\s+you\b|\bsomething\s+special\b|\bjust\s+for\s+you\b|"
        r"\bVIP\b|专属|专享|独享|特别挑选|特供",
        re.I,
    ),
    "personal advisor": re.compile(
        r"\b(?:dedicated|personal)\s+(?:advisor|adviser|shopper|stylist|manager)\b|"
        r"\btalk\s+to\s+our\s+team\b|顾问|专人",
        re.I,
    ),
    "new arrivals": re.compile(
        r"\bnew\s+arrivals?\b|\bwhat'?s\s+new\b|\bwhat\s+is\s+new\b|\bnew\s+since\b|\bnew\s+in\b|"
        r"\ba\s+lot\s+has\s+changed\b|\bjust\s+(?:in|landed)\b|\blaunch\w*|\bnew\b|"
        r"上新|新变化|新品|新款|新到|全新|新[\u4e00-\u9fff]{0,4}系列",
        re.I,
    ),
    "reserved for you": re.compile(
        r"\bsaved\s+(?:a\s+few\s+|some\s+)?(?:picks|items|products)\b|\bset\s+aside\b|为您留|留了",
        re.I,
    ),
}


def invented_perks(text: str, brief_words: str) -> list[str]:
    """The perk kinds `text` promises that `brief_words` (the marketer's own words) do not grant.

    `text` should hold only the copy's own sentences: the caller removes the
    brand's fixed lines (a footer "您是悦享生活会员" is not a perk) and the
    catalogue's product names (a product called "New Balance ..." is not a claim).
    Returns kinds such as "early access", in PERKS order; [] when none.
    """
    return [
        kind
        for kind, pattern in PERKS.items()
        if pattern.search(text) and not pattern.search(brief_words or "")
    ]
