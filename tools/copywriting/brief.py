"""Copy briefs: a segment's aggregate facts, the products and offer asked for, the brand rules.

A brief is all a writer (templates or a remote model) may use, and the fact
sheet built with it is all a draft may state. It never holds a customer's own
data: it is built from aggregates, and `assert_no_personal_data` checks it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import Engine

from tools.base import ToolError
from tools.copywriting.claims import find_claims, offer_text, read_offer
from tools.copywriting.model import BrandRules, CopyBrief, FactSheet, ProductFact, SegmentFacts
from tools.copywriting.personal import assert_no_personal_data
from tools.copywriting.rules import load_brand_rules
from tools.copywriting.segment_facts import catalogue_frame, segment_facts

BRIEF_PRODUCTS = 2  # catalogue products a category brief names


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
) -> CopyBrief:
    """The brief for one segment's copy."""
    return build_briefs(
        engine, [segment], channel, goal, product, offer, language, tone, variants,
        as_of=as_of, rules=rules, knowledge=knowledge, currency=currency,
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
) -> list[CopyBrief]:
    """One brief per segment, from one pass over the store."""
    rules = rules or load_brand_rules()
    facts_by_segment, sales = segment_facts(engine, segments, as_of, timeout_s)
    catalogue = catalogue_frame(engine, timeout_s)
    named_product, category = resolve_request(catalogue, product, goal)
    guidelines = _guidelines(knowledge, channel, goal, language)
    briefs = []
    for name in segments:
        facts = facts_by_segment[name]
        chosen = _chosen_category(category, named_product, facts, catalogue)
        products = _products(catalogue, sales, name, named_product, chosen, language)
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
            facts=fact_sheet(catalogue, products, offer, goal, rules),
            guidelines=guidelines,
        )
        assert_no_personal_data(json.dumps(brief.to_json(), ensure_ascii=False))
        briefs.append(brief)
    return briefs


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
            raise ToolError(
                f"{product!r} is neither a catalogue product nor a category; copy may only "
                "name what the catalogue sells."
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
) -> list[ProductFact]:
    """The named product, or the category's products this segment buys most."""
    if product is not None:
        rows = [product]
    elif category:
        in_category = catalogue[catalogue["category"] == category]
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
    for row in catalogue.itertuples(index=False):
        for name in (row.name_en, row.name_zh):
            if name and not pd.isna(row.price):
                facts.products[str(name)] = float(row.price)
    facts.names |= {str(c) for c in catalogue["category"].dropna().unique()}
    facts.names |= {str(c) for c in catalogue["category_zh"].dropna().unique()}
    facts.names |= {rules.brand_name_en, rules.brand_name_zh}
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
