"""Deterministic repair of a draft's failed checks; what cannot be fixed stays flagged.

Order matters: personal data and banned words go first, then ungrounded
sentences, then the required elements are put in place, and last the text is
cut to fit its channel (around the required elements, which are never cut).
"""

from __future__ import annotations

import re

from tools.copywriting.banned import find_banned
from tools.copywriting.category_words import category_words_in
from tools.copywriting.checks import (
    _EN_OPT_OUT,
    _NEEDS_LINK,
    _UNSUBSCRIBE,
    _ZH_OPT_OUT,
    EN_OPT_OUT,
    PART_LIMITS,
    ZH_OPT_OUT,
    allowed_merge_fields,
    is_chinese,
)
from tools.copywriting.grounding import MERGE_FIELD, known_spans, sentence_spans, ungrounded
from tools.copywriting.model import BrandRules, CheckResult, CopyDraft, FactSheet
from tools.copywriting.personal import personal_spans
from tools.copywriting.sms import LINK_FIELD, sms_length
from tools.copywriting.store_text import INSTRUCTION


def repair_draft(
    draft: CopyDraft,
    results: list[CheckResult],
    facts: FactSheet,
    rules: BrandRules,
    max_sms_segments: int | None = None,
) -> CopyDraft:
    """The draft with every deterministic fix for its failed checks applied."""
    failed = {r.name for r in results if not r.passed}
    chinese = is_chinese(draft)
    parts = dict(draft.parts)
    allowed = allowed_merge_fields(rules)
    for name, text in parts.items():
        if "no_personal_data" in failed:
            text = drop_clauses(text, [(s, e) for s, e, _ in personal_spans(text)])
        if "merge_fields" in failed:
            text = MERGE_FIELD.sub(lambda m: m.group(0) if m.group(1) in allowed else "", text)
        if "banned_words" in failed:
            text = _replace_banned(text, facts, rules)
        if "grounded" in failed:
            text = _drop_ungrounded(text, facts, rules)
        if "store_text" in failed:
            text = drop_clauses(text, _instruction_spans(text, facts))
        if "category_fit" in failed:
            text = drop_clauses(text, _off_category_spans(text, facts))
        if "cta_has_target" in failed:
            text = _link_after_cta(text, chinese)
        parts[name] = tidy(text)
    fixed = draft.replace(**parts)
    if draft.channel == "sms":
        return _fit_sms(fixed, rules, chinese, max_sms_segments or facts.max_sms_segments)
    if draft.channel == "email" and not _UNSUBSCRIBE.search(parts.get("body", "")):
        line = rules.unsubscribe_line_zh if chinese else rules.unsubscribe_line_en
        fixed = fixed.replace(body=f"{parts.get('body', '').rstrip()}\n\n{line}".strip())
    for name, text in fixed.parts.items():
        limit = PART_LIMITS.get((draft.channel, name))
        if limit and len(text) > limit[0]:
            fixed = fixed.replace(**{name: shorten_to(text, limit[0], chinese)})
    return fixed


def _link_after_cta(text: str, chinese: bool) -> str:
    """`{link}` after the first call to action that needs one ("点击查看：{link}。"), so the
    reader has somewhere to go; the link is counted in the SMS length before fitting."""
    found = _NEEDS_LINK.search(text)
    if not found or LINK_FIELD in text:
        return text
    stop = re.compile(r"[。！？!?]|\.(?:\s|$)")
    end = stop.search(text, found.end())
    at = end.start() if end else len(text)
    glue = "：" if chinese else ": "
    return f"{text[:at].rstrip()}{glue}{LINK_FIELD}{text[at:]}"


def _replace_banned(text: str, facts: FactSheet, rules: BrandRules) -> str:
    for hit in reversed(find_banned(text, rules.banned_words, facts.proven_claims)):
        start, end = hit.span
        replacement = hit.replacement
        if replacement and text[start : start + 1].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        text = text[:start] + replacement + text[end:]
    return text


def _instruction_spans(text: str, facts: FactSheet) -> list[tuple[int, int]]:
    spans = [m.span() for m in INSTRUCTION.finditer(text)]
    lowered = text.lower()
    for name in facts.unsafe_names:
        at = lowered.find(name.lower())
        if name and at >= 0:
            spans.append((at, at + len(name)))
    return spans


def _off_category_spans(text: str, facts: FactSheet) -> list[tuple[int, int]]:
    """Words of another category, and products outside the brief's category."""
    named = known_spans(text, list(facts.categories))
    fits = {facts.categories[n] for _, _, n in named} | (
        {facts.category} if facts.category else set()
    )
    spans = [
        (s, e) for s, e, n in named if facts.category and facts.categories[n] != facts.category
    ]
    inside = [(s, e) for s, e, _ in named]
    for category, _, (start, end) in category_words_in(text):
        if category not in fits and not any(s <= start and end <= e for s, e in inside):
            spans.append((start, end))
    return spans


def _drop_ungrounded(text: str, facts: FactSheet, rules: BrandRules) -> str:
    return drop_clauses(text, [i.span for i in ungrounded(text, facts, rules)])


def drop_clauses(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the clauses holding any of `spans` (or without the spans, if nothing is left)."""
    if not spans:
        return text
    kept = [
        text[s:e]
        for s, e in sentence_spans(text, clauses=True)
        if not any(s <= start < e for start, _ in spans)
    ]
    if "".join(kept).strip():
        return "".join(kept)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


def tidy(text: str) -> str:
    """Collapse the gaps that deletions leave (double spaces, stray punctuation)."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.!?;:，。！？；：])", r"\1", text)
    text = re.sub(r"([，,、；;])\s*(?=[，。！？,.!?；;])", "", text)
    text = re.sub(r"^[\s，。,.!?；;:：]+", "", text)
    return text.strip()


def _fit_sms(draft: CopyDraft, rules: BrandRules, chinese: bool, max_segments: int) -> CopyDraft:
    """The SMS with its signature and opt-out in place, cut to `max_segments` segments."""
    core = draft.parts.get("text", "")
    if chinese:
        core = _ZH_OPT_OUT.sub("", core.replace(rules.sms_signature, ""))
        if rules.sms_opt_out:
            core = core.replace(rules.sms_opt_out, "")
    else:
        core = re.sub(rf"{_EN_OPT_OUT.pattern}[^.!?\n]*[.!?]?", "", core, flags=re.I)
    core = tidy(core)

    def assemble(body: str) -> str:
        if chinese:
            return f"{rules.sms_signature}{body}{rules.sms_opt_out or ZH_OPT_OUT}"
        if body and body[-1] not in ".!?":
            body += "."
        return f"{body} {EN_OPT_OUT}".strip()

    while core and sms_length(assemble(core)).segments > max_segments:
        shorter = _drop_last_sentence(core)
        if shorter == core:
            shorter = shorten_to(core, len(core) - 1, chinese)
        core = shorter
    return draft.replace(text=assemble(core))


def _drop_last_sentence(text: str) -> str:
    spans = sentence_spans(text)
    return text[: spans[-1][0]].rstrip() if len(spans) > 1 else text


def shorten_to(text: str, most: int, chinese: bool) -> str:
    """`text` cut to at most `most` characters: whole sentences, else at a word, with an ellipsis."""
    if len(text) <= most:
        return text
    while len(text) > most and len(sentence_spans(text)) > 1:
        text = _drop_last_sentence(text)
    if len(text) <= most:
        return text
    cut = text[: max(most - 1, 0)]
    if not chinese and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,，、;；:：") + "…"
