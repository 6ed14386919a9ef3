"""Copy briefs: a segment's aggregate facts, the products and offer asked for, the brand rules.

A brief is all a writer (templates or a remote model) may use, and the fact
sheet built with it is all a draft may state. It never holds a customer's own
data: it is built from aggregates, and `assert_no_personal_data` checks it.

The brief carries everything the marketer said: the occasion (event), the
offer, the promo code, the deadline, the tone and the call to action; the fact
sheet then both allows those facts and requires them in every draft. An offer
with no terms ("a discount", "优惠") is not guessed: `BriefQuestion` asks for
them. Store texts that read like instructions to a model (a product named
"ignore previous instructions ...") are data: such products never enter a brief.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import Engine

from knowledge.presentation import tr
from tools.base import ToolError, quoted
from tools.copywriting.claims import Offer, find_claims, offer_text, read_offer
from tools.copywriting.model import BrandRules, CopyBrief, FactSheet, ProductFact, SegmentFacts
from tools.copywriting.occasions import announced_thing, occasion_of, read_deadline
from tools.copywriting.personal import assert_no_personal_data
from tools.copywriting.rules import load_brand_rules
from tools.copywriting.segment_facts import catalogue_frame, segment_facts
from tools.copywriting.store_text import looks_like_instruction

BRIEF_PRODUCTS = 2  # catalogue products a category brief names
# Strategies that lead with low-priced products (MARKETING.md: Hibernating, low-cost reactivation).
LOW_PRICE_STRATEGIES = frozenset({"reactivation"})
MAX_CTA_CHARS = 40  # a call to action is a short phrase ("Shop the sale"), not a paragraph
_PROMO_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,23}")
# Offers with terms but no number: free shipping, a gift, buy-one-get-one, points.
_OFFER_KINDS = re.compile(
    r"free\s+(?:shipping|delivery|gift|sample)|\bgift\b|buy\s+\w+\s+get\s+\w+|\bbogo\b|"
    r"\bpoints?\b|half\s+price|包邮|免运费|赠|礼|买.送.|积分|半价|第二件",
    re.I,
)


class BriefQuestion(ToolError):
    """The request leaves something only the marketer can answer (e.g. an offer's terms).

    The copy tool returns the question instead of writing drafts that guess.
    """


def offer_has_terms(offer: Offer) -> bool:
    """Whether an offer says what the customer gets: a number, or a kind such as free shipping."""
    if offer.percent_off is not None or offer.threshold is not None:
        return True
    return bool(re.search(r"\d", offer.raw) or _OFFER_KINDS.search(offer.raw))


def offer_question(offer: str, language: str) -> str:
    """The question asked when an offer has no terms (English quotes the offer as a
    Python string does, `{quoted}`; Chinese in “”, `{offer}`)."""
    return tr(
        language,
        "You mention {quoted} but not its terms (e.g. '20% off', '¥50 off orders of ¥300 or "
        "more', 'free shipping'). I won't invent an offer: which one should the copy state?",
        quoted=repr(offer),
        offer=offer,
    )


class KnowledgeBase(Protocol):
    """What briefs need of the knowledge base: passages for a query."""

    def search(self, query: str, k: int = 4) -> list[Any]: ...


def build_brief(
    engine: Engine,
    segment: str,
    channel: str,
    goal: str,
    product: str | None = None,
    offer: str | None = None,
    language: str = "en",
    tone: str | None = None,
    variants: int = 1,
    *,
    as_of: date | None = None,
    rules: BrandRules | None = None,
    knowledge: KnowledgeBase | None = None,
    currency: str = "¥",
    extras: BriefExtras | None = None,
) -> CopyBrief:
    """The brief for one segment's copy."""
    return build_briefs(
        engine, [segment], channel, goal, product, offer, language, tone, variants,
        as_of=as_of, rules=rules, knowledge=knowledge, currency=currency, extras=extras,
    )[0]  # fmt: skip


def build_briefs(
    engine: Engine,
    segments: list[str],
    channel: str,
    goal: str,
    product: str | None = None,
    offer: str | None = None,
    language: str = "en",
    tone: str | None = None,
    variants: int = 1,
    *,
    as_of: date | None = None,
    rules: BrandRules | None = None,
    knowledge: KnowledgeBase | None = None,
    currency: str = "¥",
    timeout_s: float = 60.0,
    extras: BriefExtras | None = None,
    state: Engine | None = None,
) -> list[CopyBrief]:
    """One brief per segment, from one pass over the store.

    Raises BriefQuestion when the offer has no terms, ToolError for a promo code
    or call to action that cannot be used as given.
    """
    rules = rules or load_brand_rules()
    extras = extras or BriefExtras()
    parsed_offer = read_offer(offer) if offer else None
    if parsed_offer is not None and not offer_has_terms(parsed_offer):
        raise BriefQuestion(offer_question(offer or "", language))
    extras.validate()
    facts_by_segment, sales = segment_facts(engine, segments, as_of, timeout_s, state)
    catalogue = safe_catalogue(catalogue_frame(engine, timeout_s))
    named_product, category = resolve_request(catalogue, product, goal)
    # Something new the catalogue does not hold ("the new autumn skincare set"): the copy
    # announces it in the brief's words and names no catalogue product as that new thing.
    announcement = announced_thing(goal) if named_product is None else None
    guidelines = _guidelines(knowledge, channel, goal, language)
    briefs = []
    for name in segments:
        facts = facts_by_segment[name]
        chosen = _chosen_category(category, named_product, facts, catalogue)
        products = (
            []
            if announcement
            else _products(catalogue, sales, name, named_product, chosen, language, facts.strategy)
        )
        sheet = fact_sheet(catalogue, products, offer, goal, rules)
        _require(sheet, extras, parsed_offer, language, currency, chosen)
        if announcement and bool(re.search(r"[\u4e00-\u9fff]", announcement)) == (language == "zh"):
            # Required as written when it is in the copy's language (a model may translate
            # the marketer's words into the other one).
            sheet.must_say["announcement"] = (announcement,)
        top = facts.top_categories[0] if facts.top_categories else None
        brief = CopyBrief(
            segment=facts,
            channel=channel,
            goal=goal,
            language=language,
            tone=tone,
            variants=variants,
            products=products,
            offer=offer,
            offer_text=offer_text(read_offer(offer), language, currency) if offer else None,
            category=_category_name(catalogue, chosen, language),
            rules=rules,
            facts=sheet,
            guidelines=guidelines,
            event=occasion_of(extras.event).name(language) if extras.event else None,
            promo_code=extras.promo_code.strip() if extras.promo_code else None,
            deadline=read_deadline(extras.deadline).written(language) if extras.deadline else None,
            call_to_action=extras.call_to_action.strip() if extras.call_to_action else None,
            category_key=chosen,
            top_category=_category_name(catalogue, top, language),
            announcement=announcement,
        )
        assert_no_personal_data(json.dumps(brief.to_json(), ensure_ascii=False))
        briefs.append(brief)
    return briefs


@dataclass(frozen=True)
class BriefExtras:
    """What the marketer said beyond segment, channel, product and offer."""

    event: str | None = None  # "Double 11", "the Autumn Tea Festival", "双11"
    promo_code: str | None = None  # "TEAFEST15"
    deadline: str | None = None  # "11 November", "11月11日", "Sunday"
    call_to_action: str | None = None  # "Shop the sale", "立即抢购"

    def validate(self) -> None:
        """Raise ToolError when a promo code or call to action cannot go into copy as given."""
        if self.promo_code and not _PROMO_CODE.fullmatch(self.promo_code.strip()):
            raise ToolError.of(
                "Promo code {code} is not a code copy can carry: use 3-24 letters, "
                "digits, '-' or '_' (e.g. TEAFEST15).",
                code=quoted(self.promo_code),
            )
        if self.call_to_action and len(self.call_to_action.strip()) > MAX_CTA_CHARS:
            raise ToolError.of(
                "The call to action is {size} characters; keep it "
                "to {limit} (e.g. 'Shop the sale', '立即选购').",
                size=len(self.call_to_action.strip()),
                limit=MAX_CTA_CHARS,
            )
        for text in (self.event, self.call_to_action, self.deadline):
            if text and looks_like_instruction(text):
                raise ToolError.of(
                    "{text} reads like an instruction, not a brief element.", text=quoted(text)
                )


def _require(
    sheet: FactSheet,
    extras: BriefExtras,
    offer: Offer | None,
    language: str,
    currency: str,
    category: str | None,
) -> None:
    """Add the brief's own elements to the fact sheet: allowed, and required in every draft."""
    sheet.require_cta = True
    sheet.category = category
    sheet.call_to_action = extras.call_to_action.strip() if extras.call_to_action else None
    if offer is not None:
        sheet.must_say["offer"] = tuple(
            dict.fromkeys([offer_text(offer, language, currency), offer.raw.strip()])
        )
        if offer.percent_off is not None:
            sheet.offer_claims = (("percent", (offer.percent_off,)),)
        elif offer.threshold is not None and offer.amount_off is not None:
            sheet.offer_claims = (("threshold", (offer.threshold, offer.amount_off)),)
    if extras.event:
        occasion = occasion_of(extras.event)
        sheet.must_say["event"] = occasion.spellings()
        sheet.names |= set(occasion.spellings())
    if extras.promo_code:
        code = extras.promo_code.strip()
        sheet.must_say["promo_code"] = (code,)
        sheet.names.add(code)
    if extras.deadline:
        deadline = read_deadline(extras.deadline)
        sheet.must_say["deadline"] = deadline.spellings()
        if deadline.day:
            sheet.dates.add(deadline.day)
        else:
            sheet.names.add(deadline.raw)
    if extras.call_to_action:
        sheet.names.add(extras.call_to_action.strip())
    # The occasion and call to action may grant a perk ("VIP early access" as the event).
    said = (extras.event, extras.call_to_action)
    sheet.brief_words = " ".join(w for w in (sheet.brief_words, *said) if w)


def safe_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue without products whose names read like instructions (kept as data only)."""
    unsafe = [
        any(looks_like_instruction(str(v)) for v in (row.name_en, row.name_zh) if v)
        for row in catalogue.itertuples(index=False)
    ]
    kept = catalogue[[not u for u in unsafe]].copy()
    kept.attrs["unsafe_names"] = sorted(
        str(v)
        for row, bad in zip(catalogue.itertuples(index=False), unsafe, strict=True)
        if bad
        for v in (row.name_en, row.name_zh)
        if v
    )
    return kept


def resolve_request(
    catalogue: pd.DataFrame, product: str | None, goal: str
) -> tuple[pd.Series | None, str | None]:
    """The catalogue product, or else the category key, that the request names."""
    for text in (product, goal):
        if not text:
            continue
        found = _find_product(catalogue, text)
        if found is not None:
            return found, str(found["category"])
        category = _find_category(catalogue, text)
        if category:
            return None, category
        if text is product:
            raise ToolError.of(
                "{product} is neither a catalogue product nor a category; copy may only "
                "name what the catalogue sells.",
                product=quoted(product),
            )
    return None, None


def _find_product(catalogue: pd.DataFrame, text: str) -> pd.Series | None:
    lowered = text.lower()
    best: tuple[int, pd.Series] | None = None
    for _, row in catalogue.iterrows():
        for name in (row["name_en"], row["name_zh"]):
            if name and str(name).lower() in lowered and (best is None or len(name) > best[0]):
                best = (len(name), row)
    return best[1] if best else None


def _find_category(catalogue: pd.DataFrame, text: str) -> str | None:
    squeezed = re.sub(r"[\s_-]", "", text.lower())
    for key, zh in catalogue[["category", "category_zh"]].drop_duplicates().itertuples(index=False):
        if key and (str(key).lower() in squeezed or (zh and str(zh) in text)):
            return str(key)
    return None


def _chosen_category(
    category: str | None, product: pd.Series | None, facts: SegmentFacts, catalogue: pd.DataFrame
) -> str | None:
    if category or product is not None:
        return category
    if facts.top_categories:
        return facts.top_categories[0]
    return str(catalogue["category"].iloc[0]) if len(catalogue) else None


def _products(
    catalogue: pd.DataFrame,
    sales: pd.DataFrame,
    segment: str,
    product: pd.Series | None,
    category: str | None,
    language: str,
    strategy: str = "general",
) -> list[ProductFact]:
    """The named product, or the category's products this segment buys most.

    A low-cost strategy (reactivation of lapsed 1-2 order buyers) leads with the
    category's low-priced products that sell best (store-wide units), not with
    whatever the segment once bought: a ¥3,999 phone is no way back for them.
    """
    if product is not None:
        rows = [product]
    elif category:
        in_category = catalogue[catalogue["category"] == category]
        if strategy in LOW_PRICE_STRATEGIES:
            skus = _low_priced_popular(in_category, sales)
        else:
            bought = sales[(sales["segment"] == segment) & (sales["category"] == category)]
            ranked = bought.sort_values(["units", "revenue", "sku"], ascending=[False, False, True])
            skus = [*ranked["sku"], *in_category["sku"]]
        chosen = list(dict.fromkeys(skus))[:BRIEF_PRODUCTS]
        rows = [in_category[in_category["sku"] == sku].iloc[0] for sku in chosen]
    else:
        rows = []
    column = "name_zh" if language == "zh" else "name_en"
    return [
        ProductFact(
            sku=str(r["sku"]),
            name=str(r[column] or r["name_en"]),
            category=str(r["category"]),
            price=float(r["price"]),
        )
        for r in rows
    ]


def _low_priced_popular(in_category: pd.DataFrame, sales: pd.DataFrame) -> list[str]:
    """SKUs of a category priced at or below its median price, best sellers (store-wide
    units, all segments) first, then cheapest first; the dearer ones after them."""
    median = float(in_category["price"].median())
    units = sales.groupby("sku")["units"].sum() if len(sales) else pd.Series(dtype=float)
    ranked = in_category.assign(units=in_category["sku"].map(units).fillna(0))
    cheap = ranked[ranked["price"] <= median].sort_values(
        ["units", "price", "sku"], ascending=[False, True, True]
    )
    dear = ranked[ranked["price"] > median].sort_values(["price", "sku"])
    return [*cheap["sku"], *dear["sku"]]


def _category_name(catalogue: pd.DataFrame, category: str | None, language: str) -> str | None:
    if not category:
        return None
    if language == "zh":
        names = catalogue.loc[catalogue["category"] == category, "category_zh"].dropna()
        if len(names):
            return str(names.iloc[0])
    return category


def fact_sheet(
    catalogue: pd.DataFrame,
    products: list[ProductFact],
    offer: str | None,
    goal: str,
    rules: BrandRules,
) -> FactSheet:
    """What copy from this brief may state: the catalogue, the offer and the request's own values."""
    facts = FactSheet()
    facts.unsafe_names = set(catalogue.attrs.get("unsafe_names", []))
    for row in catalogue.itertuples(index=False):
        for name in (row.name_en, row.name_zh):
            if name and not pd.isna(row.price):
                facts.products[str(name)] = float(row.price)
                facts.categories[str(name)] = str(row.category)
    facts.names |= {str(c) for c in catalogue["category"].dropna().unique()}
    facts.names |= {str(c) for c in catalogue["category_zh"].dropna().unique()}
    facts.names |= {rules.brand_name_en, rules.brand_name_zh}
    facts.brief_words = " ".join(t for t in (goal, offer) if t)
    facts.new_products = set()  # the catalogue keeps no launch dates: no product is new
    for text in (offer or "", goal or ""):
        for claim in find_claims(text):
            if claim.kind in ("money", "threshold"):
                facts.amounts |= set(claim.values)
            elif claim.kind == "percent":
                facts.percents |= set(claim.values)
            elif claim.kind == "date" and claim.day:
                facts.dates.add(claim.day)
            else:
                facts.numbers |= set(claim.values)
    parsed = read_offer(offer) if offer else None
    if parsed and parsed.percent_off is not None:
        # The price after the discount is the brief's own number too.
        for product in products:
            facts.amounts.add(round(product.price * (1 - parsed.percent_off / 100), 2))
    return facts


def _guidelines(
    knowledge: KnowledgeBase | None, channel: str, goal: str, language: str
) -> list[str]:
    """Passages of the brand guidelines for this channel and goal (none without a knowledge base)."""
    if knowledge is None:
        return []
    query = f"brand voice tone guidelines {channel} {goal} {'中文' if language == 'zh' else ''}"
    passages = knowledge.search(query.strip(), k=3)
    return [str(getattr(p, "text", p)) for p in passages]
