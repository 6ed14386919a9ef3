"""The offline writer: channel layouts filled with a brief's facts and its strategy's phrases.

Variants differ in angle: odd variants lead with the product, even ones with
the offer (or the segment's hook), each with its own title, hook and call to
action. Where a channel is short (SMS, push, search ads) the fullest wording
that fits is taken, dropping the hook and the call to action before the facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tools.copywriting.checks import EN_OPT_OUT, PART_LIMITS, ZH_OPT_OUT
from tools.copywriting.model import CopyBrief, CopyDraft
from tools.copywriting.phrases import Phrases, phrases
from tools.copywriting.sms import sms_length

MAX_VARIANTS = 4
_LAUNCH = re.compile(r"\bnew\b|\blaunch|新品|上新|全新|新款|新[\u4e00-\u9fff]{0,4}系列", re.I)


def money(value: float, currency: str = "¥") -> str:
    """A price as copy writes it: ¥299, ¥239.20."""
    return f"{currency}{value:,.0f}" if float(value).is_integer() else f"{currency}{value:,.2f}"


class _Facts:
    """The brief's facts as ready-made phrases in its language."""

    def __init__(self, brief: CopyBrief, variant: int) -> None:
        zh = brief.language == "zh"
        self.zh = zh
        brand = brief.rules.brand_name_zh if zh else brief.rules.brand_name_en
        self.brand = brand
        k = (variant - 1) % MAX_VARIANTS
        table: Phrases = phrases(brief.segment.strategy, brief.language)
        self.title = table.titles[k % 2].format(brand=brand)
        self.hook = table.hooks[k % 2].format(brand=brand)
        self.cta = table.ctas[(k // 2 + k) % 2].format(brand=brand)
        self.offer_first = k % 2 == 1
        launch = bool(_LAUNCH.search(brief.goal or ""))
        category = brief.category or ""
        products = brief.products
        self.product = products[0].name if products else (category or brand)
        self.items = [f"{p.name} {money(p.price)}" for p in products]
        first = self.items[0] if self.items else self.product
        if zh:
            self.launch = f"{category}新品上市：" if launch and category else ""
            self.product_line = f"{self.launch}{first}。"
            self.offer = f"限时享{brief.offer_text}。" if brief.offer_text else ""
        else:
            self.launch = f"Meet our new {category} line: " if launch and category else ""
            self.product_line = f"{self.launch or 'Try '}{first}."
            self.offer = f"Enjoy {brief.offer_text}." if brief.offer_text else ""

    def join(self, *pieces: str) -> str:
        """Sentences joined the way the language writes them."""
        glue = "" if self.zh else " "
        return glue.join(p for p in pieces if p).strip()

    def facts_first(self) -> tuple[str, str]:
        """(product line, offer line) in this variant's order."""
        if self.offer_first and self.offer:
            return self.offer, self.product_line
        return self.product_line, self.offer


def first_fitting(candidates: list[str], fits: Callable[[str], bool]) -> str:
    """The first candidate that fits (the last one if none does; repair cuts it)."""
    for text in candidates:
        if text and fits(text):
            return text
    return next((t for t in reversed(candidates) if t), "")


def write_with_templates(brief: CopyBrief, variant: int = 1) -> CopyDraft:
    """A draft for the brief from the templates (the default writer)."""
    facts = _Facts(brief, variant)
    layout = _LAYOUTS[brief.channel]
    return CopyDraft(
        channel=brief.channel,
        language=brief.language,
        parts=layout(facts, brief),
        segment=brief.segment.name,
        variant=variant,
        strategy=brief.segment.strategy,
    )


def _sms(f: _Facts, brief: CopyBrief) -> dict[str, str]:
    first, second = f.facts_first()

    def wrap(body: str) -> str:
        if f.zh:
            return f"{brief.rules.sms_signature}{body}{brief.rules.sms_opt_out or ZH_OPT_OUT}"
        return f"{f.brand}: {body} {EN_OPT_OUT}"

    candidates = [
        f.join(f.hook, first, second, f.cta),
        f.join(f.hook, first, second),
        f.join(first, second, f.cta),
        f.join(first, second),
    ]
    most = brief.facts.max_sms_segments
    body = first_fitting(candidates, lambda t: sms_length(wrap(t)).segments <= most)
    return {"text": wrap(body)}


def _within(channel: str, part: str) -> Callable[[str], bool]:
    return lambda text: len(text) <= PART_LIMITS[(channel, part)][0]


def _push(f: _Facts, brief: CopyBrief) -> dict[str, str]:
    first, second = f.facts_first()
    title = first_fitting([f.title, f.brand], _within("push", "title"))
    body = first_fitting(
        [f.join(f.hook, first, second), f.join(first, second, f.cta), f.join(first, second)],
        _within("push", "body"),
    )
    return {"title": title, "body": body}


def _email(f: _Facts, brief: CopyBrief) -> dict[str, str]:
    first, second = f.facts_first()
    subject_offer = f"{f.title}：{brief.offer_text}" if f.zh else f"{f.title}: {brief.offer_text}"
    subject = first_fitting(
        [subject_offer if brief.offer_text else "", f.title], _within("email", "subject")
    )
    greeting = "{first_name}，您好：" if f.zh else "Hi {first_name},"
    bullets = "\n".join(f"- {item}" for item in f.items)
    intro = f.join(f.hook, f.launch.rstrip(": ：") + ("。" if f.zh else ".") if f.launch else "")
    if f.offer_first and f.offer:
        middle = [f.offer, bullets]
    else:
        middle = [bullets, f.offer]
    sign_off = brief.rules.email_sign_off_zh if f.zh else brief.rules.email_sign_off_en
    sign_off = sign_off or (f"{f.brand}团队" if f.zh else f"The {f.brand} team")
    unsubscribe = brief.rules.unsubscribe_line_zh if f.zh else brief.rules.unsubscribe_line_en
    body = "\n\n".join(p for p in [greeting, intro, *middle, f.cta, sign_off, unsubscribe] if p)
    preheader = first_fitting([f.join(f.hook, first), f.hook], _within("email", "preheader"))
    return {"subject": subject, "preheader": preheader, "body": body}


def _social(f: _Facts, brief: CopyBrief) -> dict[str, str]:
    first, second = f.facts_first()
    items = "；".join(f.items) if f.zh else "; ".join(f.items)
    listed = (
        (f"{f.launch}{items}。" if f.zh else f"{f.launch or 'Try '}{items}.") if items else first
    )
    tag = f"#{f.brand}#" if f.zh else "#" + re.sub(r"\W", "", f.brand)
    pieces = [f.offer, listed] if f.offer_first else [listed, f.offer]
    return {"text": f.join(f.hook, *pieces, f.cta, tag)}


def _search_ad(f: _Facts, brief: CopyBrief) -> dict[str, str]:
    first, second = f.facts_first()
    sep = " | "
    headline = first_fitting(
        [
            f"{f.product}{sep}{brief.offer_text}" if brief.offer_text else "",
            f"{f.product}{sep}{f.brand}",
            f.product,
            f.title,
        ],
        _within("search_ad", "headline"),
    )
    description = first_fitting(
        [f.join(first, second, f.cta), f.join(first, second), first],
        _within("search_ad", "description"),
    )
    return {"headline": headline, "description": description}


_LAYOUTS: dict[str, Callable[[_Facts, CopyBrief], dict[str, str]]] = {
    "sms": _sms,
    "push": _push,
    "email": _email,
    "social": _social,
    "search_ad": _search_ad,
}
