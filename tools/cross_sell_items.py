"""Items a user names in a cross-sell question ("people who buy a Bowl", "lift of Bowl
and Mug"), matched against the store's own products and categories, and one pair measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tools.base import ToolError, listed, quoted

# A misspelt name is taken only when it is this close (rapidfuzz partial token-sort
# ratio, 0-100) and clearly closer than the next name.
FUZZY_MIN_SCORE = 85.0
FUZZY_MARGIN = 5.0
_ARTICLE = re.compile(r"^(?:a|an|the|some|any)\s+", re.I)


@dataclass(frozen=True)
class ItemMatch:
    """What a user's word names: a label to show and the item ids (skus or categories)."""

    label: str
    items: frozenset[str]


def resolve_item(names: pd.DataFrame, text: str, level: str) -> ItemMatch:
    """The products (level 'product') or categories (level 'category') a word names.

    `names` is indexed by item id with name_en, name_zh, category, category_zh.
    Tried in order: an item id, a product name, a category, products whose name
    holds the word, and the one clearly closest name. Raises ToolError naming
    some of the store's names when nothing matches.
    """
    word = _ARTICLE.sub("", text.strip()).strip().lower()
    if not word:
        raise ToolError.of("Name a product or category.")
    ids = pd.Series(names.index.astype(str), index=names.index)
    products = _text(names, "name_en"), _text(names, "name_zh")
    categories = _text(names, "category"), _text(names, "category_zh")
    forms = {word, word.rstrip("s"), f"{word}s"} - {""}
    tests = [
        ids.str.lower().isin(forms),
        products[0].isin(forms) | products[1].isin(forms),
        categories[0].isin(forms) | categories[1].isin(forms),
        products[0].map(lambda n: bool(re.search(rf"\b{re.escape(word.rstrip('s'))}s?\b", n))),
    ]
    for hit in tests:
        if hit.any():
            return _match(names, hit, text, level)
    from rapidfuzz import fuzz  # loaded only when a name needs fuzzy matching

    scored = products[0].map(lambda n: fuzz.partial_token_sort_ratio(word, n))
    ranked = scored.sort_values(ascending=False)
    if len(ranked) and ranked.iloc[0] >= FUZZY_MIN_SCORE:
        runner_up = ranked.iloc[1] if len(ranked) > 1 else 0.0
        if ranked.iloc[0] - runner_up >= FUZZY_MARGIN:
            return _match(names, scored.index == ranked.index[0], text, level)
    raise ToolError.of(
        "No product or category of the store matches {text}; e.g. {known}.",
        text=quoted(text),
        known=lambda language: _some_names(names, language),
    )


def _some_names(names: pd.DataFrame, language: str) -> str:
    """A dozen of the store's product names, in the answer language where the catalogue has it."""
    column = "name_zh" if language == "zh" and "name_zh" in names else "name_en"
    shown = sorted(set(names[column].dropna().astype(str)) - {""})[:12]
    return listed(shown)(language)


def _text(names: pd.DataFrame, column: str) -> pd.Series:
    return names[column].fillna("").astype(str).str.strip().str.lower()


def _match(names: pd.DataFrame, hit: Any, text: str, level: str) -> ItemMatch:
    chosen = names[hit]
    shown = sorted(set(chosen["name_en"].dropna().astype(str)))
    label = shown[0] if len(shown) == 1 else text.strip()
    return ItemMatch(label=label, items=frozenset(chosen.index.astype(str)))


def measure_pair(lines: pd.DataFrame, a: ItemMatch, b: ItemMatch, minimum: int) -> dict[str, Any]:
    """Support, confidence both ways and lift of "a and b" over baskets, counted directly.

    `lines` holds (order_id, item) rows of the baskets in scope. lift = both x baskets /
    (baskets with a x baskets with b); None when either never occurs.
    """
    items = lines["item"].astype(str)
    total = int(lines["order_id"].nunique())
    with_a = set(lines.loc[items.isin(a.items), "order_id"])
    with_b = set(lines.loc[items.isin(b.items), "order_id"])
    both = len(with_a & with_b)
    lift = both * total / (len(with_a) * len(with_b)) if with_a and with_b else None
    return {
        "item": a.label,
        "other": b.label,
        "baskets": total,
        "baskets_with_item": len(with_a),
        "baskets_with_other": len(with_b),
        "baskets_with_both": both,
        "support": both / total if total else 0.0,
        "confidence": both / len(with_a) if with_a else None,
        "confidence_reverse": both / len(with_b) if with_b else None,
        "lift": lift,
        "min_baskets": minimum,
        "advice": bool(lift is not None and lift > 1 and both >= minimum),
    }


def pair_text(pair: dict[str, Any]) -> str:
    """One line for the model: the pair's numbers and whether they can carry advice."""
    lift = "n/a" if pair["lift"] is None else f"{pair['lift']:.2f}"
    text = (
        f"{pair['item']} and {pair['other']}: together in {pair['baskets_with_both']:,} of "
        f"{pair['baskets']:,} baskets ({pair['item']} in {pair['baskets_with_item']:,}, "
        f"{pair['other']} in {pair['baskets_with_other']:,}); lift {lift}."
    )
    if pair["baskets_with_both"] < pair["min_baskets"]:
        text += f" Fewer than {pair['min_baskets']} baskets: data only, not advice."
    return text
