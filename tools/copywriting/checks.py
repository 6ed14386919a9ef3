"""The checks every draft passes before it is shown (MARKETING.md, "Copy rules").

Channel limits are counted in characters (SMS in GSM-7 septets or UCS-2 units);
search-ad platforms count a Chinese character as two, which MARKETING.md does
not, so neither do we. A failed check of severity "warning" (email subject and
preheader length) is shown but does not fail the draft.
"""

from __future__ import annotations

import re

from tools.copywriting.banned import find_banned
from tools.copywriting.category_words import category_words_in
from tools.copywriting.claims import find_claims
from tools.copywriting.grounding import MERGE_FIELD, known_spans, ungrounded
from tools.copywriting.model import BrandRules, CheckResult, CopyDraft, FactSheet
from tools.copywriting.perks import invented_perks
from tools.copywriting.personal import personal_spans
from tools.copywriting.sms import LINK_FIELD, sms_length
from tools.copywriting.store_text import reads_as_instruction

# (channel, part) -> (most characters, severity)
PART_LIMITS: dict[tuple[str, str], tuple[int, str]] = {
    ("push", "title"): (30, "error"),
    ("push", "body"): (100, "error"),
    ("search_ad", "headline"): (30, "error"),
    ("search_ad", "description"): (90, "error"),
    ("email", "subject"): (60, "warning"),
    ("email", "preheader"): (100, "warning"),
    ("social", "text"): (500, "warning"),
}
# `{link}` is the call to action's target, filled (like `{first_name}`) at send time.
ALLOWED_MERGE_FIELDS = frozenset({"first_name", LINK_FIELD.strip("{}")})
ZH_OPT_OUT = "回T退订"
EN_OPT_OUT = "Reply STOP to opt out"
_ZH_OPT_OUT = re.compile(r"回\s*T\s*D?\s*退订|退订\s*回\s*T")
_EN_OPT_OUT = re.compile(r"\b(?:reply|text)\s+stop\b", re.I)
_UNSUBSCRIBE = re.compile(r"unsubscribe|opt[ -]out|退订|取消订阅", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A call to action: an imperative to act now (or the brief's own words).
_CTA = re.compile(
    r"\b(?:shop|stock\s+up|add|treat\s+yourself|tap|click|see|discover|explore|order|get|use|join|browse|visit|come\s+back|"
    r"take\s+an?\s+(?:\w+\s+)?look|look|talk|find|grab|claim|book|buy|try|redeem|reply|learn\s+more|"
    r"sign\s+up)\b"
    r"|点击|立即|查看|选购|逛逛|来看看|囤|挑选|领取|加入|了解|抢先|回来|抢购|前往|进店|看看|试试|回复",
    re.I,
)
# A call to action that only works with a link to follow: click, tap, view, browse, see the picks.
_NEEDS_LINK = re.compile(
    r"\b(?:click|tap|view|browse)\b|\bsee\s+(?:your\s+|the\s+|our\s+)?(?:member\s+)?picks\b|"
    r"点击|查看|浏览|戳",
    re.I,
)
BRIEF_LABELS = {
    "offer": "the offer",
    "event": "the occasion",
    "promo_code": "the promo code",
    "deadline": "the end date",
    "announcement": "what the brief announces",
}
# Words that call something new ("New in skincare:", "新品上市：", "just launched").
_NEW_WORDS = re.compile(
    r"\bnew\b|\bjust (?:launched|landed|arrived)\b|\blaunch(?:ed|es)?\b|\bintroducing\b"
    r"|新品|上新|全新|新款|新上市|首发",
    re.I,
)


def check_draft(
    draft: CopyDraft, facts: FactSheet, rules: BrandRules, max_sms_segments: int | None = None
) -> list[CheckResult]:
    """Every check of one draft: length, required elements, banned words, grounding, privacy."""
    segments = max_sms_segments or facts.max_sms_segments
    return [
        *length_checks(draft, segments),
        *required_checks(draft, rules),
        banned_check(draft, facts, rules),
        grounding_check(draft, facts, rules),
        personal_data_check(draft),
        merge_field_check(draft, rules),
        *brief_checks(draft, facts),
        *cta_checks(draft, facts),
        cta_target_check(draft, rules),
        *invented_perk_checks(draft, facts, rules),
        category_check(draft, facts),
        store_text_check(draft, facts),
        *novelty_checks(draft, facts),
    ]


def novelty_checks(draft: CopyDraft, facts: FactSheet) -> list[CheckResult]:
    """No catalogue product is called new unless the store says it is: a word of newness
    in the sentence that names a product (before it) fails the draft."""
    if facts.new_products is None:
        return []
    text = draft.text()
    problems = []
    for start, _end, name in known_spans(text, list(facts.products)):
        if name in facts.new_products:
            continue
        sentence = re.split(r"[.!?。！？\n]", text[:start])[-1]
        if _NEW_WORDS.search(sentence):
            problems.append(f"{name!r} is called new, but the store does not say it is")
    return [CheckResult("new_claim", not problems, "; ".join(dict.fromkeys(problems)))]


def is_chinese(draft: CopyDraft) -> bool:
    """Whether the draft is Chinese copy (by language, or by its text)."""
    return draft.language == "zh" or bool(_CJK.search(draft.text()))


def length_checks(draft: CopyDraft, max_sms_segments: int = 1) -> list[CheckResult]:
    """Channel length limits: SMS segments, or characters per part."""
    if draft.channel == "sms":
        length = sms_length(draft.parts.get("text", ""))
        unit = "characters" if length.encoding == "ucs2" else "GSM-7 characters"
        detail = f"{length.units} {unit} ({length.encoding}), {length.segments} segment(s)"
        passed = 0 < length.segments <= max_sms_segments
        if not passed:
            detail += f"; at most {max_sms_segments} allowed"
        return [CheckResult("sms_length", passed, detail)]
    results = []
    for part, text in draft.parts.items():
        limit = PART_LIMITS.get((draft.channel, part))
        if limit is None:
            continue
        most, severity = limit
        passed = 0 < len(text) <= most
        detail = f"{part}: {len(text)} characters (limit {most})"
        results.append(CheckResult(f"length_{part}", passed, detail, severity))  # type: ignore[arg-type]
    return results


def required_checks(draft: CopyDraft, rules: BrandRules) -> list[CheckResult]:
    """Signature and opt-out of SMS; unsubscribe line of email."""
    text = draft.text()
    if draft.channel == "sms" and is_chinese(draft):
        signed = rules.sms_signature in text
        opted = bool(_ZH_OPT_OUT.search(text)) or bool(
            rules.sms_opt_out and rules.sms_opt_out in text
        )
        return [
            CheckResult("signature", signed, f"needs {rules.sms_signature}" if not signed else ""),
            CheckResult("opt_out", opted, f"needs {rules.sms_opt_out}" if not opted else ""),
        ]
    if draft.channel == "sms":
        opted = bool(_EN_OPT_OUT.search(text))
        return [CheckResult("opt_out", opted, f"needs '{EN_OPT_OUT}'" if not opted else "")]
    if draft.channel == "email":
        found = bool(_UNSUBSCRIBE.search(draft.parts.get("body", "")))
        line = rules.unsubscribe_line_zh if is_chinese(draft) else rules.unsubscribe_line_en
        return [CheckResult("unsubscribe", found, f"body needs '{line}'" if not found else "")]
    return []


def banned_check(draft: CopyDraft, facts: FactSheet, rules: BrandRules) -> CheckResult:
    """Absolute claims (Advertising Law, English superlatives) and the brand's banned words."""
    hits = find_banned(draft.text(), rules.banned_words, facts.proven_claims)
    reasons = dict(rules.reasons)
    detail = "; ".join(f"{h.text!r} ({reasons.get(h.key, h.key)})" for h in hits)
    return CheckResult("banned_words", not hits, detail)


def grounding_check(draft: CopyDraft, facts: FactSheet, rules: BrandRules) -> CheckResult:
    """Products, prices, discounts, percentages, dates and numbers all in the fact sheet."""
    issues = [i for part in draft.parts.values() for i in ungrounded(part, facts, rules)]
    return CheckResult("grounded", not issues, "; ".join(i.reason for i in issues))


def personal_data_check(draft: CopyDraft) -> CheckResult:
    """No email address or phone number (names go in as `{first_name}` at send time)."""
    found = [text for _, _, text in personal_spans(draft.text())]
    detail = f"personal data: {', '.join(found)}" if found else ""
    return CheckResult("no_personal_data", not found, detail)


def allowed_merge_fields(rules: BrandRules) -> set[str]:
    """`{first_name}` and the fields of the brand's own lines (e.g. `{unsubscribe_link}`)."""
    lines = f"{rules.unsubscribe_line_en} {rules.unsubscribe_line_zh}"
    return set(ALLOWED_MERGE_FIELDS) | {m.group(1) for m in MERGE_FIELD.finditer(lines)}


def merge_field_check(draft: CopyDraft, rules: BrandRules) -> CheckResult:
    """Only known merge fields (`{first_name}`, the unsubscribe link), filled at send time."""
    used = {m.group(1) for m in MERGE_FIELD.finditer(draft.text())}
    unknown = sorted(used - allowed_merge_fields(rules))
    detail = f"unknown merge fields: {', '.join(unknown)}" if unknown else ""
    return CheckResult("merge_fields", not unknown, detail)


def brief_checks(draft: CopyDraft, facts: FactSheet) -> list[CheckResult]:
    """The brief's offer, occasion, promo code and end date each appear in the draft.

    The offer counts in either language's form ("20% off" = "8折", "满300减50" =
    "¥50 off orders of ¥300 or more"), read as claims; the others by their spellings.
    """
    text = draft.text()
    lowered = text.lower()
    results = []
    for kind, spellings in facts.must_say.items():
        found = any(s and s.lower() in lowered for s in spellings)
        if kind == "offer" and not found:
            found = _offer_stated(text, facts)
        if kind == "deadline" and not found and facts.dates:
            found = any(c.kind == "date" and c.day in facts.dates for c in find_claims(text))
        label = BRIEF_LABELS.get(kind, kind)
        detail = "" if found else f"the draft leaves out {label} of the brief: {spellings[0]!r}"
        results.append(CheckResult(f"brief_{kind}", found, detail))
    return results


def _offer_stated(text: str, facts: FactSheet) -> bool:
    claims = find_claims(text)
    for kind, values in facts.offer_claims:
        for claim in claims:
            if kind == "percent" and claim.kind == "percent" and claim.values == values:
                return True
            if kind == "threshold" and claim.kind == "threshold" and claim.values == values:
                return True
    return False


def cta_checks(draft: CopyDraft, facts: FactSheet) -> list[CheckResult]:
    """A call to action (the brief's own, when it gave one), for drafts made from a brief."""
    if not facts.require_cta:
        return []
    text = draft.text()
    if draft.channel == "email":
        # The unsubscribe line's "click" is not a call to action for the offer.
        text = draft.parts.get("body", "").split("{unsubscribe_link}")[0]
        text = _UNSUBSCRIBE.split(text)[0] if _UNSUBSCRIBE.search(text) else text
    if facts.call_to_action:
        found = facts.call_to_action.lower() in text.lower()
        detail = "" if found else f"the brief's call to action {facts.call_to_action!r} is missing"
    else:
        found = bool(_CTA.search(text))
        detail = "" if found else "no call to action (e.g. 'Shop now', '立即选购')"
    return [CheckResult("call_to_action", found, detail)]


def category_check(draft: CopyDraft, facts: FactSheet) -> CheckResult:
    """Products of the brief's category, and wording that fits the products named.

    Fails on a product outside the category asked for, or on a word that
    belongs to another category ("daily care" next to a phone case).
    """
    text = draft.text()
    named = known_spans(text, list(facts.categories))
    categories = {facts.categories[name] for _, _, name in named}
    problems = []
    if facts.category:
        problems += [
            f"{name!r} is {facts.categories[name]}, not {facts.category}"
            for _, _, name in named
            if facts.categories[name] != facts.category
        ]
        categories.add(facts.category)
    if categories:
        inside = [(s, e) for s, e, _ in named]
        for category, word, (start, end) in category_words_in(text):
            if category in categories or any(s <= start and end <= e for s, e in inside):
                continue
            fits = ", ".join(sorted(categories))
            problems.append(f"{word!r} is {category} wording, but the copy is about {fits}")
    return CheckResult("category_fit", not problems, "; ".join(dict.fromkeys(problems)))


def store_text_check(draft: CopyDraft, facts: FactSheet) -> CheckResult:
    """No store text that reads like an instruction (a product named "ignore previous ...")."""
    text = draft.text()
    found = [n for n in sorted(facts.unsafe_names) if n and n.lower() in text.lower()]
    if not found and reads_as_instruction(text):
        found = ["instruction-like text"]
    detail = f"store text copied as instructions: {', '.join(found)}" if found else ""
    return CheckResult("store_text", not found, detail)


def _own_text(draft: CopyDraft, rules: BrandRules) -> str:
    """The draft's own sentences: without the brand's fixed lines (unsubscribe line,
    signature, opt-out), whose "click" or "member" are not the copy's promises."""
    text = draft.text()
    fixed = (
        rules.unsubscribe_line_en, rules.unsubscribe_line_zh, rules.sms_signature,
        rules.sms_opt_out, rules.email_sign_off_en, rules.email_sign_off_zh,
    )  # fmt: skip
    for line in fixed:
        if line:
            text = text.replace(line, " ")
    return text


def cta_target_check(draft: CopyDraft, rules: BrandRules) -> CheckResult:
    """A call to action that says click, tap, view or browse needs a `{link}` to follow.

    Without one ("点击查看。" at the end of an SMS) the reader has nowhere to go;
    the copy should say `{link}` or use a call to action that needs no link
    ("reply", "visit the store", "use code X at checkout").
    """
    text = _own_text(draft, rules)
    found = [m.group(0) for m in _NEEDS_LINK.finditer(text)]
    passed = not found or LINK_FIELD in text
    detail = "" if passed else f"{found[0]!r} with no {LINK_FIELD} to follow"
    return CheckResult("cta_has_target", passed, detail)


def invented_perk_checks(
    draft: CopyDraft, facts: FactSheet, rules: BrandRules
) -> list[CheckResult]:
    """No perk the brief does not grant: early access, membership, exclusivity, an advisor,
    new arrivals, items reserved for the reader (see `tools.copywriting.perks`).

    Like the brief checks, only for drafts made from a brief: a fact sheet built
    without one does not say what the marketer granted.
    """
    if not facts.require_cta:
        return []
    text = _own_text(draft, rules)
    for start, end, _ in reversed(known_spans(text, list(facts.products))):
        text = text[:start] + " " + text[end:]  # product names are the store's words
    kinds = invented_perks(text, facts.brief_words)
    detail = f"promises {', '.join(kinds)}, which the brief does not give" if kinds else ""
    return [CheckResult("no_invented_perk", not kinds, detail)]
