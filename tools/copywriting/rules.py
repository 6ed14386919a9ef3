"""The brand's copy rules, from the guidelines in the knowledge base."""

from __future__ import annotations

from knowledge.documents.brand import BrandRules, brand_rules


def load_brand_rules() -> BrandRules:
    """The brand rules of the shipped starter guidelines (parsed without Chroma)."""
    return brand_rules()
