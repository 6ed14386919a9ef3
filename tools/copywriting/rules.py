"""The brand's copy rules, from the knowledge base's guidelines when it has them."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from tools.copywriting.model import BrandRules

# Used only when the knowledge base (knowledge.documents) is not installed.
DEFAULT_BRAND_RULES = BrandRules(
    brand_name_en="Lumi",
    brand_name_zh="露米",
    sms_signature="【露米】",
    unsubscribe_line_en="To stop these emails, unsubscribe here: {unsubscribe_link}",
    unsubscribe_line_zh="如不想再收到此类邮件，请点此退订：{unsubscribe_link}",
    banned_words=(),
    email_sign_off_en="The Lumi team",
    email_sign_off_zh="露米团队",
)


def as_brand_rules(found: Any) -> BrandRules:
    """Our BrandRules from any object with the same fields (the knowledge base's own type)."""
    values = {f.name: getattr(found, f.name) for f in fields(BrandRules) if hasattr(found, f.name)}
    values["banned_words"] = tuple(values.get("banned_words") or ())
    reasons = values.get("reasons") or {}
    values["reasons"] = tuple(reasons.items()) if isinstance(reasons, dict) else tuple(reasons)
    return BrandRules(**values)


def load_brand_rules() -> BrandRules:
    """The brand rules of the knowledge base's starter guidelines, or the defaults."""
    try:
        from knowledge.documents import brand_rules
    except ImportError:  # the knowledge base is an optional part of the install
        return DEFAULT_BRAND_RULES
    return as_brand_rules(brand_rules())
