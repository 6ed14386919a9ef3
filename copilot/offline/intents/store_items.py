"""An item a question names ("瑜伽垫", "口红", "the Stroller") as the store's own product or
category, or a question back naming it with the closest store items.

Marketers name products by a short form of the catalogue name: 瑜伽垫 for 防滑瑜伽垫, 口红
for 丝绒哑光口红. A short form contained in exactly one product's name (English or
Chinese) is that product; one contained in several is asked about with those products;
one that matches nothing the store sells is asked about with the closest names, never
passed on to fail in the tool or, worse, matched to something else.
"""

from __future__ import annotations

import re

from copilot.offline.intents.base import AskBack, PlannerContext
from copilot.offline.vocabulary import reader_words
from copilot.unicode_text import has_cjk
from knowledge.presentation.messages import tr

_ITEM_DIMENSIONS = ("product", "category")
# A fuzzy score (rapidfuzz WRatio, 0-100) this high is a misspelling of a store name, which
# the tool's own matcher resolves ("Yoga Matt"); anything lower is asked about.
_SPELLING_SCORE = 88
_SHOWN = 6


# One character after a store name that heads a compound of its own ("咖啡机", "手机壳"): the
# generic nouns of goods or kinds ("护肤品", "食品类", "母婴用品") are not such heads, nor a word
# of the sentence the reader left on the item (an adverb or particle: "真丝围巾常").
_HEAD_AFTER = re.compile(
    r"(?![品类货款的常也还都就会要能和跟与同被把在是有多最很更又才却呢吗啊做搭配卖买推用给让])[\u4e00-\u9fff]"
    r"(?![\u4e00-\u9fff])"
)


def store_item(
    item: str, ctx: PlannerContext, language: str, excluding: frozenset[str] = frozenset()
) -> str | AskBack:
    """The store value the item names (a product or category), the item unchanged when the
    store's values are not indexed or it is a near spelling, else an AskBack.

    Shape: "瑜伽垫" -> "Yoga Mat"; "口红" -> "Velvet Matte Lipstick"; "瑜伽" -> AskBack
    listing Yoga Mat and Yoga Blocks (2). `excluding`: store values the item cannot be (the
    other item of a pair: "手机 and 手机壳" pairs the phone with its case, not the case with
    itself).
    """
    names = {w: v for w, (d, v) in ctx.values.entries.items() if d in _ITEM_DIMENSIONS}
    if not any(d == "product" for d, _ in ctx.values.entries.values()):
        return item  # no catalogue indexed: the tool resolves the name itself
    key = item.strip().lower()
    for form in (key, key.rstrip("s"), f"{key}s"):
        if form in names:
            return names[form]
    holding = sorted({v for w, v in names.items() if _contains(w, key)} - excluding)
    if len(holding) == 1:
        return holding[0]
    if holding and has_cjk(key):
        # A Chinese compound names its head last: "手机" is the 智能手机, not the 手机壳.
        headed = sorted({v for w, v in names.items() if v in holding and _ends_with(w, key)})
        if len(headed) == 1:
            return headed[0]
    if len(holding) > 1 and not has_cjk(key):
        # An English compound names its head last too, before any edition or model code:
        # "stroller" is the "Stroller Lite", not the "Stroller Rain Cover".
        headed = sorted({v for w, v in names.items() if v in holding and _headed_by(w, key)})
        if len(headed) == 1:
            return headed[0]
    if holding:
        return AskBack(_which_one(item, _shown(holding, names, language), language))
    if not has_cjk(key):
        shortened = _shortened_words(key, names, excluding)
        if len(shortened) == 1:
            return shortened[0]
        if shortened:
            return AskBack(_which_one(item, _shown(shortened, names, language), language))
    if has_cjk(key):
        # "护肤品" holds the category word 护肤: that category. A Chinese compound names its
        # head last: one character right after the name that is no generic noun (品, 类) is
        # another thing's head, so "咖啡机" (a coffee machine) is no 咖啡 and is asked about
        # with the closest names; longer words after it ("轻薄羽绒服适合") are the question's.
        inside = sorted(
            {
                v
                for w, v in names.items()
                if has_cjk(w) and w in key and not _HEAD_AFTER.match(key.split(w, 1)[1])
            }
        )
        if len(inside) == 1:
            return inside[0]
        # "维C精华" for 维C亮肤精华: the name's head and tail kept, the middle left out.
        shortened = sorted({v for w, v in names.items() if has_cjk(w) and _clipped(w, key)})
        if len(shortened) == 1:
            return shortened[0]
    from rapidfuzz import fuzz, process  # loaded only for a name the store does not hold

    ranked = process.extract(key, list(names), scorer=fuzz.WRatio, limit=12)
    if ranked and ranked[0][1] >= _SPELLING_SCORE and not has_cjk(key):
        return item  # a misspelt store name: the tool's matcher resolves it
    closest = list(dict.fromkeys(names[w] for w, _, _ in ranked))
    return AskBack(_not_in_store(item, _shown(closest, names, language), language))


def _word_matches(word: str, name_word: str) -> bool:
    """Whether a word of the item stands for a word of a store name: the same word, its
    first letters ("vit" for vitamin) or, in a compound, its last part ("phone" for
    smartphone)."""
    return (
        word == name_word
        or (len(word) >= 3 and not word.isdigit() and name_word.startswith(word))
        or (len(word) >= 4 and name_word.endswith(word))
    )


def _head(words: list[str]) -> str | None:
    """The head noun of a Latin name: its last word that is no model code, pack size or
    edition ("Phone Case X12" -> case, "Smartphone X12" -> smartphone)."""
    editions = set(reader_words("product_editions"))
    heads = [w for w in words if not re.search(r"\d", w) and w not in editions and len(w) > 1]
    return heads[-1] if heads else None


def _shortened_words(key: str, names: dict[str, str], excluding: frozenset[str]) -> list[str]:
    """The store values a Latin item names with its words shortened or reordered ("vit c
    serum" -> Vitamin C Brightening Serum; "X12 phone" -> Smartphone X12, whose head noun
    is the phone, not Phone Case X12): every word of the item stands for its own word of the
    name; among several such names, those whose head noun is the item's head noun."""
    words = re.findall(r"[a-z0-9]+", key)
    if len(words) < 2:
        return []
    found: dict[str, list[str]] = {}
    for name, value in names.items():
        if has_cjk(name) or value in excluding:
            continue
        name_words = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)", " ", name))
        free = list(name_words)
        for word in words:
            match = next((n for n in free if _word_matches(word, n)), None)
            if match is None:
                break
            free.remove(match)
        else:
            found[value] = name_words
    if len(found) > 1:
        head = _head(words)
        headed = [
            v for v, n in found.items() if head and _head(n) and _word_matches(head, _head(n))
        ]
        if headed:
            return sorted(headed)
    return sorted(found)


def _contains(word: str, key: str) -> bool:
    """Whether a store name holds the item: anywhere for Chinese, as whole words for Latin."""
    if len(key) < 2:
        return False
    if has_cjk(key):
        # "X12智能手机" names "X12 智能手机": spaces between scripts are optional.
        return key.replace(" ", "") in word.replace(" ", "")
    return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", word) is not None


def _headed_by(word: str, key: str) -> bool:
    """Whether a Latin store name is headed by the item: the item ends the name, or only an
    edition word, a model code or a pack size follows it ("Stroller Lite", "Ultrabook 14",
    "Diapers L (60)"); a noun after it names another thing ("Stroller Rain Cover")."""
    match = re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", word)
    if match is None:
        return False
    editions = set(reader_words("product_editions"))
    rest = re.sub(r"\([^)]*\)", " ", word[match.end() :]).split()
    return all(re.search(r"\d", t) or t in editions or len(t) == 1 for t in rest)


def _ends_with(word: str, key: str) -> bool:
    """Whether a Chinese store name ends with the item (spaces between scripts ignored)."""
    return word.replace(" ", "").endswith(key.replace(" ", ""))


def _clipped(word: str, key: str) -> bool:
    """Whether the item is the store name with its middle left out: the item's first two or
    more characters begin the name and the rest (two or more) end it."""
    word, key = word.replace(" ", ""), key.replace(" ", "")
    if len(key) < 4 or len(word) <= len(key):
        return False
    return any(
        word.startswith(key[:cut]) and word.endswith(key[cut:]) for cut in range(2, len(key) - 1)
    )


def item_as_named(value: str, ctx: PlannerContext, language: str) -> str:
    """A product or category value as the answer's language names it ("skincare" -> "护肤" in
    Chinese where the catalogue has a Chinese name), else the value itself."""
    names = {w: v for w, (d, v) in ctx.values.entries.items() if d in _ITEM_DIMENSIONS}
    return _shown([value], names, language)[0]


def _shown(values: list[str], names: dict[str, str], language: str) -> list[str]:
    """Up to six store values as the question's language names them (Chinese names for a
    Chinese question where the catalogue has them)."""
    shown = []
    for value in values[:_SHOWN]:
        if language == "zh":
            chinese = [w for w, v in names.items() if v == value and has_cjk(w)]
            shown.append(chinese[0] if chinese else value)
        else:
            shown.append(value)
    return shown


def _which_one(item: str, options: list[str], language: str) -> str:
    return tr(
        language,
        "Several of the store's products match “{item}”: {options}. Which one do you mean?",
        item=item,
        options=tr(language, ", ").join(options),
    )


def _not_in_store(item: str, options: list[str], language: str) -> str:
    return tr(
        language,
        "I can't find “{item}” among the store's products or categories, so I can't say what "
        "is bought with it. Closest: {options}. Which one do you mean?",
        item=item,
        options=tr(language, ", ").join(options),
    )
