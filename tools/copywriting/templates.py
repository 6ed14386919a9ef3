"""The offline writer: a brief's facts in sentences we wrote, per strategy, category and angle.

Every draft states what the brief asks for: the occasion, the offer, the promo
code and the end date (the "offer sentence"), a catalogue product at its price
in wording that fits its category, and a call to action (the marketer's own,
or the strategy's). Variants differ in angle, not only in order:

1. product: leads with the product and what its category is for;
2. offer: leads with the occasion and the offer, titled with them;
3. relationship: leads with the segment strategy's hook (thanks, welcome, we miss you);
4. habit: leads with the category the segment buys most.

Where a channel is short (SMS, push, search ads) the fullest wording that fits
is taken: the hook goes first, then the category wording, then the product;
the brief's elements and the call to action stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.presentation import N_, join_clauses, tr
from tools.copywriting.checks import EN_OPT_OUT, LINK_FIELD, PART_LIMITS, ZH_OPT_OUT
from tools.copywriting.model import CopyBrief, CopyDraft
from tools.copywriting.phrases import category_wording, phrases
from tools.copywriting.sms import sms_length

MAX_VARIANTS = 4
ANGLES = ("product", "offer", "relationship", "habit")
_NEEDS_THE = re.compile(
    r"(?<!^the )\b(?:Festival|Fest|Sale|Week|Weekend|Fair|Carnival|Gala|Party)$"
)
# The playbook's subject lines: at most 50 characters in English, 25 in Chinese.
SUBJECT_MOST = {"en": 50, "zh": 25}
_CALM = re.compile(r"formal|calm|serious|professional|正式|沉稳|专业|克制", re.I)


def money(value: float, currency: str = "¥") -> str:
    """A price as copy writes it: ¥299, ¥239.20."""
    return f"{currency}{value:,.0f}" if float(value).is_integer() else f"{currency}{value:,.2f}"


@dataclass
class _Sentences:
    """The brief's facts as ready-made sentences in its language, for one variant."""

    zh: bool
    brand: str
    angle: str
    title: str
    hook: str
    cta: str
    short_cta: str  # the strategy's short call to action ("" when the marketer gave one)
    product: str  # the product sentence with its category wording ("" without products)
    product_plain: str  # the same, shortest form
    offer: str  # occasion + offer + code + deadline ("" when the brief has none)
    headline: str  # occasion/offer headline for titles and subjects ("" when none)
    habit: str  # "More skincare for you: <product> ¥299." ("" without a favourite category)
    habit_short: str  # "More skincare for you."
    items: list[str]
    lead_name: str  # the first product's name, or the category's, or the brand
    offer_short: str = ""  # the offer sentence in its most compact form (English SMS)
    sms_hook: str = ""  # the strategy's short relationship line ("We miss you!")

    def join(self, *pieces: str) -> str:
        """Sentences joined the way the language writes them."""
        glue = "" if self.zh else " "
        return glue.join(p for p in pieces if p).strip()

    def body_order(self) -> list[str]:
        """The main sentences in this variant's angle, without the call to action."""
        return self.forms()[0]

    def forms(self) -> list[list[str]]:
        """The angle's sentences, fullest first, each shorter form keeping the angle's lead.

        Short channels take the first form that fits; the category wording goes
        first, then the product, and the lead only at the very end, so variants
        of one segment stay different. The offer sentence is in every form.
        """
        product, plain, offer, hook, habit = (
            self.product, self.product_plain, self.offer, self.hook, self.habit
        )  # fmt: skip
        if self.angle == "offer":
            # Offer-led keeps its relationship line and drops the product first: the
            # product-led variant names the product, so the two never differ only in order.
            return [[offer, hook, plain], [offer, hook], [offer]]
        if self.angle == "relationship":
            forms = [[hook, product, offer], [hook, plain, offer], [hook, offer], [plain, offer]]
            return [*forms, [offer]]
        if self.angle == "habit" and habit:
            lead = self.habit_short
            return [[habit, offer], [lead, offer], [plain, offer], [offer]]
        return [[product, offer], [plain, offer], [offer]]

    def short_forms(self) -> list[list[str]]:
        """Every form with the call to action; before the barest form, the one above it
        with the strategy's short call to action, so the angle's lead survives longer."""
        forms = [[*form, self.cta] for form in self.forms()]
        if len(forms) > 1 and self.short_cta and self.short_cta != self.cta:
            forms.insert(-1, [*self.forms()[-2], self.short_cta])
        return forms


def _sentences(brief: CopyBrief, variant: int) -> _Sentences:
    zh = brief.language == "zh"
    brand = brief.rules.brand_name_zh if zh else brief.rules.brand_name_en
    k = (variant - 1) % MAX_VARIANTS
    angle = ANGLES[k]
    if angle == "offer" and not _offer_sentence(brief, zh):
        angle = "relationship"  # nothing to lead with: the relationship angle instead
    table = phrases(brief.segment.strategy, brief.language)
    # Titles, hooks and calls to action alternate with the angle, so variants differ in words.
    pick = 0 if angle in ("product", "habit") else 1
    cta = brief.call_to_action or table.ctas[pick].format(brand=brand)
    if brief.call_to_action and not re.search(r"[.!?。！？]$", cta):
        cta = tr(brief.language, "{sentence}.", sentence=cta)
    products = brief.products
    category = products[0].category if products else brief.category_key
    wording = category_wording(category, brief.language, brief.category)
    items = [f"{p.name} {money(p.price)}" for p in products]
    lead = products[0].name if products else (brief.category or brand)
    product, plain = _product_sentences(items, wording.noun, wording.purpose, brief.language)
    if brief.announcement:
        # The brief's new thing, in its words; no catalogue product stands in for it.
        product = plain = tr(brief.language, "Introducing {thing}.", thing=brief.announcement)
        lead = brief.announcement[0].upper() + brief.announcement[1:]
    offer = _offer_sentence(brief, zh)
    top = brief.top_category
    habit = habit_short = ""
    if top and items:
        habit_short = tr(brief.language, "More {category} for you.", category=top)
        habit = tr(brief.language, "More {category} for you: {item}.", category=top, item=items[0])
    return _Sentences(
        zh=zh,
        brand=brand,
        angle=angle,
        title=table.titles[pick].format(brand=brand),
        hook=table.hooks[pick].format(brand=brand),
        cta=cta,
        short_cta="" if brief.call_to_action else table.short_cta,
        product=product,
        product_plain=plain,
        offer=offer,
        headline=_headline(brief),
        habit=habit,
        habit_short=habit_short,
        items=items,
        lead_name=lead,
        offer_short=_offer_sentence(brief, zh, compact=True),
        sms_hook=table.sms_hook.format(brand=brand) if table.sms_hook else "",
    )


def _product_sentences(items: list[str], noun: str, purpose: str, language: str) -> tuple[str, str]:
    """(with category wording, plain) sentences naming the first product at its price.

    Never "new": the store keeps no launch dates, so no catalogue product is called new
    (what a brief announces as new is written from its own words instead)."""
    if not items:
        return "", ""
    first = items[0]
    message = N_("Our pick {purpose}: {item}.") if purpose else N_("Our pick: {item}.")
    full = tr(language, message, purpose=purpose, item=first)
    # "Featured:", not "Try <catalogue name>", which reads like a SKU line to repeat buyers.
    return full, tr(language, "Featured: {item}.", noun=noun, item=first)


def _offer_sentence(brief: CopyBrief, zh: bool, compact: bool = False) -> str:
    """Occasion, offer, promo code and end date in one sentence ("" when the brief has none).

    `compact` (English only) is the SMS form, about 15 characters shorter:
    "Double 11: ¥50 off orders of ¥300 or more, code D11GIFT, ends 11 November."
    The sentence grows from the catalogue's pieces: "This Double 11, get 20% off" ->
    "... with code D11GIFT" -> "... until 11 November" ("双11享8折，优惠码D11GIFT，11月11日截止").
    """
    event, offer, code, deadline = brief.event, brief.offer_text, brief.promo_code, brief.deadline
    if not (event or offer or code or deadline):
        return ""
    if compact and not zh:
        pieces = [
            f"{event}: {offer}" if event and offer else event or offer or "",
            f"code {code}" if code else "",
            f"ends {deadline}" if deadline else "",
        ]
        core = ", ".join(p for p in pieces if p)
        return core[0].upper() + core[1:] + "."
    language = brief.language
    named = bool(event and _NEEDS_THE.search(event))
    if offer:
        # "During the Autumn Tea Festival, get ...", "This Double 11, get ...", "Get ..."
        message = (
            (N_("During the {event}, get {offer}") if named else N_("This {event}, get {offer}"))
            if event
            else N_("Get {offer}")
        )
        core = tr(language, message, event=event, offer=offer, verb=_verb(offer, language))
        if code:
            core = tr(language, "{core} with code {code}", core=core, code=code)
    else:
        core = ""
        if event:
            # `{Event}` starts an English sentence: its first letter is a capital.
            message = N_("The {event} is here") if named else N_("{Event} is here")
            core = tr(language, message, event=event, Event=event[0].upper() + event[1:])
        if code:
            message = N_("{core}: use code {code}") if core else N_("Use code {code}")
            core = tr(language, message, core=core, code=code)
    if deadline:
        message = N_("{core} until {deadline}") if core else N_("Available until {deadline}")
        core = tr(language, message, core=core, deadline=deadline)
    return tr(language, "{sentence}.", sentence=core)


def _verb(offer: str, language: str) -> str:
    """The verb before an offer where the language wants one (享8折); a threshold offer
    (满300减50) is a verb phrase of its own."""
    return "" if offer.startswith("满") else tr(language, "get (before an offer)")


def _headline(brief: CopyBrief) -> str:
    """A title from the occasion and the offer: "Double 11: 20% off", "双11享8折"."""
    event, offer, language = brief.event, brief.offer_text, brief.language
    if event and offer:
        verb = _verb(offer, language)
        return tr(language, "{event}: {offer}", event=event, offer=offer, verb=verb)
    if offer:
        # The offer alone, as a title: `{Offer}` with its first letter a capital in English.
        return tr(
            language, "{Offer}", Offer=offer[0].upper() + offer[1:], offer=offer,
            verb=_verb(offer, language),
        )  # fmt: skip
    return event or ""


def first_fitting(candidates: list[str], fits: Callable[[str], bool]) -> str:
    """The first candidate that fits (the last one if none does; repair cuts it)."""
    for text in candidates:
        if text and fits(text):
            return text
    return next((t for t in reversed(candidates) if t), "")


def _calm(text: str, brief: CopyBrief) -> str:
    """A formal or calm tone writes without exclamation marks."""
    if brief.tone and _CALM.search(brief.tone):
        return text.replace("！", "。").replace("!", ".")
    return text


def write_with_templates(brief: CopyBrief, variant: int = 1) -> CopyDraft:
    """A draft for the brief from the templates (the default writer)."""
    facts = _sentences(brief, variant)
    parts = _LAYOUTS[brief.channel](facts, brief)
    return CopyDraft(
        channel=brief.channel,
        language=brief.language,
        parts={name: _calm(text, brief) for name, text in parts.items()},
        segment=brief.segment.name,
        variant=variant,
        strategy=brief.segment.strategy,
    )


def _sms(f: _Sentences, brief: CopyBrief) -> dict[str, str]:
    def wrap(body: str) -> str:
        if f.zh:
            return f"{brief.rules.sms_signature}{body}{brief.rules.sms_opt_out or ZH_OPT_OUT}"
        return f"{f.brand}: {body} {EN_OPT_OUT}"

    forms = f.short_forms()
    # Forms that carry more than the offer and a call to action come first; then, before
    # settling for the bare offer, the compact ones that keep the angle's lead in.
    rich = [form for form in forms if sum(1 for p in form if p) > 2]
    bare = [form for form in forms if form not in rich]
    candidates = [f.join(*form) for form in [*rich, *_compact_sms_forms(f), *bare]]
    most = brief.facts.max_sms_segments
    body = first_fitting(candidates, lambda t: sms_length(wrap(t)).segments <= most)
    return {"text": wrap(body)}


def _compact_sms_forms(f: _Sentences) -> list[list[str]]:
    """An English SMS's compact forms: the compact offer sentence, with the product by
    name and price (product and habit angles) or the strategy's short hook (the others),
    so the two variants of a segment still differ in what they lead with."""
    if f.zh or not f.offer_short or f.offer_short == f.offer:
        return []
    ctas = list(dict.fromkeys(c for c in (f.cta, f.short_cta) if c))
    if f.angle in ("product", "habit") and f.items:
        lead = [f"{f.items[0]}."]
        return [[*lead, f.offer_short, cta] for cta in ctas]
    hook = f.sms_hook or f.hook
    return [[hook, f.offer_short, cta] for cta in ctas] + [[f.offer_short, cta] for cta in ctas]


def _within(channel: str, part: str) -> Callable[[str], bool]:
    return lambda text: len(text) <= PART_LIMITS[(channel, part)][0]


def _title(f: _Sentences) -> list[str]:
    """Title candidates in the angle's order (push titles, email subjects)."""
    if f.angle == "offer":
        return [f.headline, f.title]
    if f.angle == "product":
        return [f.lead_name, f.title]
    return [f.title, f.headline]


def _push(f: _Sentences, brief: CopyBrief) -> dict[str, str]:
    title = first_fitting([*_title(f), f.brand], _within("push", "title"))
    forms = f.short_forms()
    # The title already carries the product or the headline: the body need not repeat the hook.
    body = first_fitting([f.join(*form) for form in forms], _within("push", "body"))
    return {"title": title, "body": body}


def _email(f: _Sentences, brief: CopyBrief) -> dict[str, str]:
    sep = tr(brief.language, " | ")
    most = SUBJECT_MOST["zh" if f.zh else "en"]
    titles = _title(f)
    # The subject carries the occasion and offer when there is room (playbook: offer first 30).
    paired = [f"{t}{sep}{f.headline}" for t in titles if f.headline and t != f.headline]
    # Without room for both, the strategy's title (it differs by segment); the offer then
    # leads the preheader.
    subject = first_fitting([*paired, f.title, f.headline], lambda t: len(t) <= most)
    # `{first_name}` is the send tool's merge field: tr fills in nothing without values.
    greeting = tr(brief.language, "Hi {first_name},")
    more = "\n".join(f"- {item}" for item in f.items[1:])
    bullets = tr(brief.language, "Also picked for you:") + f"\n{more}" if more else ""
    lead = [f.habit_short if s == f.habit else s for s in f.body_order()]
    opening = f.join(*[s for s in lead if s not in (f.product, f.product_plain)])
    middle = (
        [opening, f.product, bullets] if f.angle != "product" else [f.product, bullets, opening]
    )
    sign_off = brief.rules.email_sign_off_zh if f.zh else brief.rules.email_sign_off_en
    sign_off = sign_off or tr(brief.language, "The {brand} team", brand=f.brand)
    unsubscribe = brief.rules.unsubscribe_line_zh if f.zh else brief.rules.unsubscribe_line_en
    body = "\n\n".join(
        p for p in [greeting, *middle, with_link(f.cta, brief.language), sign_off, unsubscribe] if p
    )
    preheader = first_fitting(
        [f.join(f.hook, f.offer), f.offer, f.hook, f.product_plain], _within("email", "preheader")
    )
    return {"subject": subject, "preheader": preheader, "body": body}


def with_link(cta: str, language: str) -> str:
    """The call to action followed by the `{link}` merge field (the send tool fills it in):
    "Shop now: {link}", "立即选购：{link}". An email's call to action leads somewhere."""
    if not cta or LINK_FIELD in cta:
        return cta
    return tr(language, "{cta}: {link}", cta=cta.rstrip(".。!！"), link=LINK_FIELD)


def _social(f: _Sentences, brief: CopyBrief) -> dict[str, str]:
    items = join_clauses(f.items, brief.language)
    listed = tr(brief.language, "Picks: {items}.", items=items) if len(f.items) > 1 else ""
    # An English hashtag is one word; a Chinese topic tag (#...#) keeps the brand as written.
    tag = tr(brief.language, "#{tag}", tag=re.sub(r"\W", "", f.brand), brand=f.brand)
    return {"text": f.join(*f.body_order(), listed, f.cta, tag)}


def _search_ad(f: _Sentences, brief: CopyBrief) -> dict[str, str]:
    sep = " | "
    headline = first_fitting(
        [
            f"{f.lead_name}{sep}{f.headline}" if f.headline else "",
            f.headline,
            f"{f.lead_name}{sep}{f.brand}",
            f.lead_name,
            f.title,
        ],
        _within("search_ad", "headline"),
    )
    description = first_fitting(
        [f.join(*form) for form in f.short_forms()] + [f.join(f.offer, f.cta)],
        _within("search_ad", "description"),
    )
    return {"headline": headline, "description": description}


_LAYOUTS: dict[str, Callable[[_Sentences, CopyBrief], dict[str, str]]] = {
    "sms": _sms,
    "push": _push,
    "email": _email,
    "social": _social,
    "search_ad": _search_ad,
}
