"""The checks every draft passes before it is shown (MARKETING.md, "Copy rules").

Channel limits are counted in characters (SMS in GSM-7 septets or UCS-2 units);
search-ad platforms count a Chinese character as two, which MARKETING.md does
not, so neither do we. A failed check of severity "warning" (email subject and
preheader length) is shown but does not fail the draft.
"""

from __future__ import annotations

import re

from tools.copywriting.banned import find_banned
from tools.copywriting.grounding import MERGE_FIELD, ungrounded
from tools.copywriting.model import BrandRules, CheckResult, CopyDraft, FactSheet
from tools.copywriting.personal import personal_spans
from tools.copywriting.sms import sms_length

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
ALLOWED_MERGE_FIELDS = frozenset({"first_name"})
ZH_OPT_OUT = "回T退订"
EN_OPT_OUT = "Reply STOP to opt out"
_ZH_OPT_OUT = re.compile(r"回\s*T\s*D?\s*退订|退订\s*回\s*T")
_EN_OPT_OUT = re.compile(r"\b(?:reply|text)\s+stop\b", re.I)
_UNSUBSCRIBE = re.compile(r"unsubscribe|opt[ -]out|退订|取消订阅", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")


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
    ]


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
