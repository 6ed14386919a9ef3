"""Festivals the store does not know ("Black Friday", "双12", "Dubble 12"), asked by name.

The period parser knows Double 11, 618, the Spring Festival and holidays of fixed dates
(knowledge/time_ranges/holidays.yaml), and the store's own campaigns name the rest. A metric question naming another festival would otherwise be
answered for all time or for another period: a different question. The lexicon's
`unknown_events` lists the names; misspellings are found with rapidfuzz.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from copilot.offline.campaigns import store_campaigns
from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import Question
from copilot.offline.vocabulary import load_lexicon
from copilot.offline.words import first_span
from knowledge.presentation.messages import tr


def unknown_event_problem(question: Question, ctx: PlannerContext) -> str | None:
    """A question back naming a festival the store does not know ("Black Friday", "双12",
    misspelt "Dubble 12"), unless one of the store's campaigns is named after it: answering
    for all time or another period would answer a different question."""
    unknown = _unknown_event(question)
    found = unknown or _holiday_campaign(question)
    if found is None:
        return None
    campaigns = store_campaigns(ctx.values)
    if any(found.lower() in name.lower() for name in campaigns):
        return None
    language = question.language
    if unknown is None and campaigns:
        # A holiday of known days ("the Black Friday campaign"): its days are no campaign.
        return tr(
            language,
            "The store has no campaign named after “{event}”: its campaigns are {campaigns}. "
            "Which campaign do you mean? For the store's own sales over the days of {event}, "
            "ask for those figures without a campaign.",
            event=found,
            campaigns=tr(language, ", ").join(campaigns[:4]),
        )
    if unknown is None:
        # A holiday of known days named as a campaign, in a store that keeps no campaigns.
        return tr(
            language,
            "The store keeps no campaigns, so none is named after “{event}”. For the store's "
            "own sales over the days of {event}, ask for those figures without a campaign.",
            event=found,
        )
    if not campaigns:
        return tr(
            language,
            "I don't know “{event}” as a period or campaign of this store: I know Double 11, "
            "618, the Spring Festival and holidays of fixed dates (such as Black Friday or "
            "Mother's Day). Which dates do you mean (e.g. “2025-11-28 to 2025-12-01”)? I'd "
            "rather ask than answer for another period.",
            event=found,
        )
    return tr(
        language,
        "I don't know “{event}” as a period or campaign of this store: I know Double 11, 618, "
        "the Spring Festival, holidays of fixed dates (such as Black Friday or Mother's Day) "
        "and the store's campaigns ({campaigns}). Which dates do you mean (e.g. “2025-11-28 to "
        "2025-12-01”)? I'd rather ask than answer for another period.",
        event=found,
        campaigns=tr(language, ", ").join(campaigns[:4]),
    )


# Festivals the period parser knows: a misspelling closer to one of them is not asked about.
_KNOWN_EVENTS = ("double 11", "double eleven", "singles day", "spring festival", "chinese new year")


def _names_written_days(question: Question, span: tuple[int, int]) -> bool:
    """Whether the festival stands in brackets after days written out ("十月一号到七号（国庆）"),
    read with the period as its name (copilot/offline/question.py `_naming_bracket`)."""
    start, end = span
    return not question.text[start:end].strip() and question.raw[:start].rstrip().endswith(
        ("(", "（")
    )


def _unknown_event(question: Question) -> str | None:
    """The unknown festival the question names, as written; misspellings of the lexicon's
    Latin names ("Dubble 12", "blak friday") by rapidfuzz ratio 85 or more."""
    lowered = question.raw.lower()
    events = load_lexicon().unknown_events
    for word in sorted(events, key=len, reverse=True):
        bounded = not ("\u4e00" <= word[:1] <= "\u9fff")
        found = first_span(lowered, word, bounded=bounded)
        if found is not None and _names_written_days(question, found):
            continue
        if found is not None and not question.text[found[0] : found[1]].strip():
            continue  # read as (part of) a holiday's days: "christmas" of "Christmas Day"
        if found is not None:
            return question.raw[found[0] : found[1]]
    latin = [w for w in events if len(w) >= 6 and w.isascii()]
    tokens = list(re.finditer(r"[a-z0-9][a-z0-9.'’]*", question.text))
    for size in (2, 3, 1):
        for first in range(len(tokens) - size + 1):
            start, end = tokens[first].start(), tokens[first + size - 1].end()
            window = question.text[start:end]
            if len(window) < 6 or "  " in window:
                continue
            best = process.extractOne(
                window, [*latin, *_KNOWN_EVENTS], scorer=fuzz.ratio, score_cutoff=85
            )
            if best and best[0] in latin:
                return question.raw[start:end]
    return None


# A campaign word beside a holiday's name ("the Mid-Autumn campaign", "中秋活动", "the Double
# 12 event", "七夕那波", "双12那次").
_CAMPAIGN_WORD = re.compile(
    r"(?<![A-Za-z])(?:campaigns?|promos?|promotions?|blasts?|events?)(?![A-Za-z])"
    r"|活动|大促|促销|那波|这波|那次|那场|档期",
    re.I,
)
# A send channel right after a holiday's name (and its year): "the Black Friday email",
# "Cyber Monday 2025 email", "valentines day push", "双12短信": a campaign named by its holiday.
_SEND_AFTER = re.compile(
    r"\s*(?:(?:19|20)\d{2}\s*年?\s*)?(?:的\s*)?"
    r"(?:(?:e-?mail|edm|push|sms|text)(?:es|s)?(?![A-Za-z])|邮件|短信|推送)",
    re.I,
)


def _holiday_campaign(question: Question) -> str | None:
    """A holiday of knowledge/time_ranges/holidays.yaml named with a campaign word ("the
    Mid-Autumn campaign"): its days are a period, but a campaign of it is one of the store's
    or none; the holiday as written (unknown_event_problem keeps the store's own)."""
    from knowledge.time_ranges.events import holidays

    campaign_said = bool(_CAMPAIGN_WORD.search(question.raw))
    lowered = question.raw.lower()
    words = [str(w) for h in holidays().values() for ws in h["words"].values() for w in ws]
    for word in sorted(words, key=len, reverse=True):
        bounded = not ("\u4e00" <= word[:1] <= "\u9fff")
        for variant in {word, word.replace(" ", "-")}:
            found = first_span(lowered, variant.lower(), bounded=bounded)
            if found is None or _names_written_days(question, found):
                continue
            if campaign_said or _SEND_AFTER.match(lowered, found[1]):
                return question.raw[found[0] : found[1]]
    return None
