"""`cross_sell_rules`: association rules over baskets (valid orders), turned into cross-sell offers.

A basket is one valid order (MARKETING.md) and its distinct items (products or
categories). Frequent itemsets come from mlxtend's FP-growth over a sparse
orders x items matrix that keeps only items above `min_support` (at most
`MAX_ITEMS` of them, so a big catalogue stays bounded); rules with support,
confidence and lift come from mlxtend's `association_rules`.

A rule resting on fewer than `ctx.rule_min_baskets` baskets (MARKETING.md: 5 by
default, a setting) is shown as data but never turned into advice, and every rule
says how many baskets it rests on. `item` keeps the rules whose "if" side holds
a product or category named by the user (matched against the store's own names,
codes and categories); with `paired_with` as well, that one pair is measured
directly, both ways, whatever its support.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from sqlalchemy import Select, func, select

from knowledge.presentation import (
    N_,
    format_count,
    format_number,
    format_percent,
    period_name,
    segment_name,
    tr,
)
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import (
    Order,
    OrderItem,
    Product,
    SavedSegment,
    SegmentMember,
    merchandise_line,
    valid_order,
)
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    listed,
    quoted,
    table_preview,
    titled,
)
from tools.cross_sell_items import measure_pair, pair_text, resolve_item
from tools.periods import resolve_period
from tools.segments.rfm import SEGMENT_RULES, reference_date, rfm_select
from tools.segments.saved import members_for_warehouse, read_saved

if TYPE_CHECKING:  # scipy and mlxtend load in the functions (~0.6 s at import)
    import scipy.sparse as sp

# The most frequent items kept in the basket matrix: FP-growth grows with the item count.
MAX_ITEMS = 300
# The share of all baskets a rule must reach when no item, count or share is given.
DEFAULT_MIN_SUPPORT = 0.01
# Itemsets of up to three items: pairs and "X and Y -> Z" rules, still readable as offers.
MAX_ITEMSET_LEN = 3


def cross_sell_rules(
    ctx: ToolContext,
    segment: Annotated[
        str | None,
        Field(
            description="Only baskets of this segment's customers: an RFM segment name such as "
            "'Champions' / '冠军客户' or the name of a saved segment. Empty for all customers."
        ),
    ] = None,
    level: Annotated[
        Literal["category", "product"],
        Field(description="Items of a basket: 'product' (sku) or 'category'."),
    ] = "product",
    time_range: Annotated[
        str | None,
        Field(
            description="Period of the orders: 'last 90 days', '2026', '今年'. Empty for all time."
        ),
    ] = None,
    min_support: Annotated[
        float | None,
        Field(
            description="Minimum share of baskets that hold the whole rule (0-1). Empty: 0.01, "
            "or with `item` the minimum basket count of a rule (an item in few baskets keeps "
            "its rules)."
        ),
    ] = None,
    min_confidence: Annotated[
        float, Field(description="Minimum share of 'if' baskets that also hold the 'then' items.")
    ] = 0.2,
    top: Annotated[int, Field(description="How many rules to return, strongest lift first.")] = 10,
    min_lift: Annotated[
        float | None,
        Field(
            description="Keep only rules whose lift is above this ('lift > 1 only'). Empty: all."
        ),
    ] = None,
    min_item_baskets: Annotated[
        int | None,
        Field(
            description="Leave out items in fewer than this many baskets ('only items bought in "
            "at least 20 orders'); rules are mined over the items left. Empty: min_support only."
        ),
    ] = None,
    min_rule_baskets: Annotated[
        int | None,
        Field(
            description="Keep only rules resting on at least this many baskets ('pairs seen in "
            "at least 8 orders'); replaces min_support. Empty: min_support."
        ),
    ] = None,
    category: Annotated[
        str | None,
        Field(
            description="Keep only rules whose 'if' side holds a product of this category "
            "(e.g. 'skincare' / '护肤'): offers for that category's buyers."
        ),
    ] = None,
    item: Annotated[
        str | None,
        Field(
            description="Keep only rules whose 'if' side holds this product or category, as "
            "the user names it (e.g. 'Bowl'): what to offer people who buy it."
        ),
    ] = None,
    paired_with: Annotated[
        str | None,
        Field(
            description="With item: measure the pair item + this product or category "
            "directly (support, confidence both ways, lift, baskets), e.g. 'lift of Bowl and Mug'."
        ),
    ] = None,
) -> ToolOutput:
    """Find products (or categories) bought together, for cross-sell offers.

    Association rules "if a basket holds X it also holds Y" over valid orders,
    for all customers or one segment, with support (share of baskets holding X
    and Y), confidence (share of X baskets holding Y) and lift (how many times
    more likely Y is with X than without). Sorted by lift, then confidence.
    Returns each rule with English and Chinese names and how many baskets it
    rests on; a rule on at least the minimum basket count (a setting, 5 by
    default) and with lift > 1 also becomes a recommendation "customers who buy X
    respond to Y". `item` filters to rules about one product or category;
    `paired_with` measures one pair.
    """
    if (min_support is not None and not 0 < min_support <= 1) or not 0 <= min_confidence <= 1:
        raise ToolError.of("min_support must be in (0, 1] and min_confidence in [0, 1].")
    if top < 1:
        raise ToolError.of("top must be at least 1")
    if (min_item_baskets is not None and min_item_baskets < 1) or (
        min_rule_baskets is not None and min_rule_baskets < 1
    ):
        raise ToolError.of("min_item_baskets and min_rule_baskets must be at least 1.")
    period = resolve_period(ctx, time_range)
    statement, segment_label = _basket_query(ctx, segment, level, period)
    try:
        lines = fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    scope = _scope_text(segment_label, period)
    if lines.empty:
        raise ToolError.of(
            "There are no valid orders {scope}, so there are no baskets to analyse.",
            # The English text keeps the tool's own wording ("segment Champions, all time").
            scope=lambda language: (
                scope if language == "en" else _scope_in(segment_label, period, language)
            ),
        )
    names = _item_names(ctx, level)
    if min_rule_baskets is None and min_support is None and item and item.strip():
        # "what do Robot Vacuum buyers also buy": 1% of all baskets would hide every rule of
        # an item bought in fewer; mined down to a rule's advice floor (MARKETING.md: 5
        # baskets) when that is lower, rules under it still shown as data.
        baskets_seen = max(lines["order_id"].nunique(), 1)
        min_support = min(DEFAULT_MIN_SUPPORT, ctx.rule_min_baskets / baskets_seen)
    if min_rule_baskets is not None:
        # Every rule on at least that many baskets is mined: the share of those baskets.
        min_support = min(1.0, min_rule_baskets / max(lines["order_id"].nunique(), 1))
    if min_support is None:
        min_support = DEFAULT_MIN_SUPPORT
    rules, baskets, kept = mine_rules(lines, min_support, min_confidence, min_item_baskets or 0)
    if min_rule_baskets is not None:
        rules = rules[rules["count"] >= min_rule_baskets].reset_index(drop=True)
    if min_lift is not None:
        rules = rules[rules["lift"] > min_lift].reset_index(drop=True)
    rules = _name_rules(rules, names)
    if category:
        rules = _with_category(ctx, rules, category, level)
    wanted = resolve_item(names, item, level) if item and item.strip() else None
    if wanted is not None:
        rules = rules[rules["antecedents"].map(lambda a: bool(set(a) & wanted.items))]
        # The item alone on the 'if' side answers "what do its buyers also buy"; a rule
        # that needs a second item first (fewer baskets, higher lift) comes after them.
        if not rules.empty:
            alone = rules["antecedents"].map(lambda a: set(a) <= wanted.items).astype(bool)
            rules = pd.concat([rules[alone], rules[~alone]]).reset_index(drop=True)
    rules = rules.head(top).reset_index(drop=True)
    minimum = ctx.rule_min_baskets
    data: dict[str, Any] = {
        "segment": segment_label,
        "level": level,
        "period": (
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "label": period.label,
            }
            if period
            else None
        ),
        "category": category,
        "item": wanted.label if wanted else None,
        "min_baskets": minimum,
        "baskets": baskets,
        "items_considered": kept,
        "min_support": min_support,
        "min_confidence": min_confidence,
        "min_item_baskets": min_item_baskets,
        "min_rule_baskets": min_rule_baskets,
        "min_lift": min_lift,
        "rules": [_rule_record(row, minimum) for row in rules.itertuples(index=False)],
    }
    if paired_with and paired_with.strip():
        if wanted is None:
            raise ToolError.of("paired_with needs item: name both products (or categories).")
        other = resolve_item(names, paired_with, level)
        data["pair"] = measure_pair(lines, wanted, other, minimum)
    # Only rules that raise the chance of the 'then' items, on enough baskets to trust,
    # are offers worth making.
    data["recommendations"] = [_recommendation(r) for r in data["rules"] if r["advice"]]
    data["thin_rules"] = sum(1 for r in data["rules"] if r["baskets"] < minimum)
    table = _rule_table(rules)
    title = f"Cross-sell rules ({'products' if level == 'product' else 'categories'}, {scope})"
    if rules.empty:
        text = (
            f"{title}: no rule reaches support >= {min_support:g} and confidence >= "
            f"{min_confidence:g} over {baskets} baskets. Lower min_support or min_confidence, "
            "or widen the period or segment."
        )
    else:
        text = f"{title}, {baskets} baskets:\n{table_preview(table)}"
    if data["thin_rules"]:
        text += (
            f"\n{data['thin_rules']} rule(s) rest on fewer than {minimum} baskets: shown as "
            "data, not advice."
        )
    if "pair" in data:
        text += "\n" + pair_text(data["pair"])
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(
                    N_("Cross-sell rules (products, {scope})")
                    if level == "product"
                    else N_("Cross-sell rules (categories, {scope})"),
                    scope=lambda language: _scope_in(segment_label, period, language),
                ),
                frame=table,
                chart=None,
            )
        ],
        data=data,
    )


def mine_rules(
    lines: pd.DataFrame, min_support: float, min_confidence: float, min_item_count: int = 0
) -> tuple[pd.DataFrame, int, int]:
    """Rules over baskets from (order_id, item) rows: (rules sorted by lift, baskets, items kept).

    `min_item_count`: items in fewer baskets are left out (the baskets stay, so every support
    keeps its denominator)."""
    import scipy.sparse as sp
    from mlxtend.frequent_patterns import association_rules

    order_codes, orders = pd.factorize(lines["order_id"])
    item_codes, items = pd.factorize(lines["item"].astype(str))
    matrix = sp.csr_matrix(
        (np.ones(len(lines), dtype=bool), (order_codes, item_codes)),
        shape=(len(orders), len(items)),
    )
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    # Only items that can be in a frequent itemset; rows stay, so support keeps its denominator.
    floor = max(math.ceil(min_support * len(orders) - 1e-9), min_item_count)
    frequent = np.flatnonzero(counts >= floor)
    frequent = frequent[np.lexsort((np.asarray(items)[frequent], -counts[frequent]))][:MAX_ITEMS]
    empty = pd.DataFrame(
        columns=["antecedents", "consequents", "support", "confidence", "lift", "count"]
    )
    if len(frequent) < 2:
        return empty, len(orders), len(frequent)
    itemsets = _itemsets(
        matrix[:, frequent], np.asarray(items)[frequent], counts[frequent], min_support
    )
    if itemsets is None:
        return empty, len(orders), len(frequent)
    rules = association_rules(
        itemsets, num_itemsets=len(orders), metric="confidence", min_threshold=min_confidence
    )
    if rules.empty:
        return empty, len(orders), len(frequent)
    rules = rules[["antecedents", "consequents", "support", "confidence", "lift"]].copy()
    rules["count"] = np.rint(rules["support"] * len(orders)).astype(int)
    rules["antecedents"] = rules["antecedents"].map(lambda s: tuple(sorted(s)))
    rules["consequents"] = rules["consequents"].map(lambda s: tuple(sorted(s)))
    # Ties broken by the item ids, so the order is the same on every run.
    rules["_key"] = rules["antecedents"].map("|".join) + ">" + rules["consequents"].map("|".join)
    rules = rules.sort_values(
        ["lift", "confidence", "support", "_key"], ascending=[False, False, False, True]
    )
    return rules.drop(columns="_key").reset_index(drop=True), len(orders), len(frequent)


def _itemsets(
    matrix: sp.csr_matrix, names: np.ndarray, counts: np.ndarray, min_support: float
) -> pd.DataFrame | None:
    """Frequent itemsets (support over all baskets) or None when no set has two items.

    Only baskets with two or more frequent items can hold a pair, so FP-growth
    (a Python loop per basket in mlxtend) runs on those alone and their supports
    are rescaled to all baskets; single items take their support from `counts`.
    """
    from mlxtend.frequent_patterns import fpgrowth

    n_all = matrix.shape[0]
    multi = np.flatnonzero(np.asarray(matrix.sum(axis=1)).ravel() >= 2)
    sub_support = min_support * n_all / max(len(multi), 1)
    if len(multi) == 0 or sub_support > 1:
        return None
    basket = pd.DataFrame.sparse.from_spmatrix(matrix[multi].astype(bool), columns=list(names))
    found = fpgrowth(basket, min_support=sub_support, use_colnames=True, max_len=MAX_ITEMSET_LEN)
    found = found[found["itemsets"].map(len) > 1]
    if found.empty:
        return None
    found = found.assign(support=found["support"] * len(multi) / n_all)
    singles = pd.DataFrame({"support": counts / n_all, "itemsets": [frozenset([n]) for n in names]})
    return pd.concat([singles, found], ignore_index=True)


def _basket_query(
    ctx: ToolContext, segment: str | None, level: str, period: Any
) -> tuple[Select, str | None]:
    """SELECT DISTINCT order_id, item over valid orders in scope, and the segment's label."""
    item = OrderItem.sku if level == "product" else Product.category
    statement = (
        select(Order.order_id, item.label("item"))
        .distinct()
        .select_from(OrderItem)
        .join(Order, Order.order_id == OrderItem.order_id)
        .where(valid_order(), item.is_not(None), merchandise_line(), OrderItem.quantity > 0)
    )
    if level == "category":
        statement = statement.join(Product, Product.sku == OrderItem.sku)
    if period is not None:
        statement = statement.where(Order.order_date.between(period.start, period.end))
    if not segment or not segment.strip():
        return statement, None
    name = segment.strip()
    found = read_saved(
        ctx,
        select(SavedSegment.segment_id, SavedSegment.name).where(
            func.lower(SavedSegment.name) == name.lower()
        ),
    )
    if found:
        saved = found[0]
        members = members_for_warehouse(
            ctx,
            select(SegmentMember.customer_id).where(SegmentMember.segment_id == saved.segment_id),
        ).scalar_subquery()
        return statement.where(Order.customer_id.in_(members)), saved.name
    rfm_name = rfm_segment_name(name)
    if rfm_name is None:
        raise ToolError.of(
            "There is no saved segment named {name}. Use an RFM segment name "
            "({known}), ask me to segment customers by RFM or to save the "
            "segment first, or leave the segment empty for all customers.",
            name=quoted(name),
            known=listed([r.name for r in SEGMENT_RULES], segment_name),
        )
    # Not saved yet: the RFM segment is computed on the fly in the same query.
    ref = reference_date(ctx.engine)
    if ref is None:
        raise ToolError.of("The store has no valid orders yet; import orders first.")
    rfm = rfm_select(ctx.engine.dialect.name, ref).subquery("rfm")
    members = select(rfm.c.customer_id).where(rfm.c.segment == rfm_name).scalar_subquery()
    return statement.where(Order.customer_id.in_(members)), rfm_name


def rfm_segment_name(text: str) -> str | None:
    """The English RFM segment name for its English or Chinese name (any case), else None."""
    lowered = text.strip().lower()
    for rule in SEGMENT_RULES:
        if lowered in (rule.name.lower(), rule.name_zh):
            return rule.name
    return None


def _item_names(ctx: ToolContext, level: str) -> pd.DataFrame:
    """item -> name_en, name_zh, category (index: item id as text)."""
    if level == "product":
        statement = select(
            Product.sku.label("item"),
            Product.name_en,
            Product.name_zh,
            Product.category,
            Product.category_zh,
        )
    else:
        statement = select(
            Product.category.label("item"),
            Product.category.label("name_en"),
            func.max(Product.category_zh).label("name_zh"),
            Product.category,
            func.max(Product.category_zh).label("category_zh"),
        ).group_by(Product.category)
    frame = fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s)
    frame["item"] = frame["item"].astype(str)
    return frame.drop_duplicates("item").set_index("item")


def _name_rules(rules: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    def lookup(items: tuple[str, ...], column: str) -> list[str]:
        # An imported catalogue may lack Chinese names: the English name beats a code.
        fallbacks = (column, "name_en") if column == "name_zh" else (column,)
        return [
            next(
                (
                    str(names.at[i, c])
                    for c in fallbacks
                    if i in names.index and pd.notna(names.at[i, c])
                ),
                i,
            )
            for i in items
        ]

    rules = rules.copy()
    for side in ("antecedents", "consequents"):
        rules[f"{side}_en"] = rules[side].map(lambda s: lookup(s, "name_en"))
        rules[f"{side}_zh"] = rules[side].map(lambda s: lookup(s, "name_zh"))
        rules[f"{side}_cat"] = rules[side].map(
            lambda s: lookup(s, "category") + lookup(s, "category_zh")
        )
    return rules


def _with_category(
    ctx: ToolContext, rules: pd.DataFrame, category: str, level: str
) -> pd.DataFrame:
    """Rules whose 'if' side holds an item of the category (English key or Chinese name)."""
    wanted = category.strip().lower()
    frame = fetch_frame(
        ctx.engine,
        select(Product.category, Product.category_zh).distinct(),
        ctx.limits.query_timeout_s,
    )
    known = {str(v).lower() for v in frame.to_numpy().ravel() if v is not None}
    match = {k for k in known if k == wanted} or {
        k for k in known if k and (k in wanted or wanted in k)
    }
    if not match:
        raise ToolError.of(
            "No category matches {category}; categories: {known}.",
            category=quoted(category),
            known=listed(sorted(known)),
        )
    keep = rules["antecedents_cat"].map(lambda cats: any(c.lower() in match for c in cats))
    return rules[keep]


def _rule_record(row: Any, minimum: int) -> dict[str, Any]:
    count = int(row.count)
    return {
        "antecedents": list(row.antecedents),
        "consequents": list(row.consequents),
        "antecedents_en": row.antecedents_en,
        "antecedents_zh": row.antecedents_zh,
        "consequents_en": row.consequents_en,
        "consequents_zh": row.consequents_zh,
        "support": float(row.support),
        "confidence": float(row.confidence),
        "lift": float(row.lift),
        "baskets": count,
        "advice": bool(row.lift > 1 and count >= minimum),
    }


def _recommendation(rule: dict[str, Any]) -> dict[str, str]:
    """'Customers who buy X respond to Y' in English and Chinese, with the rule's numbers."""

    def text(language: str) -> str:
        x = " + ".join(rule[f"antecedents_{language}"])
        y = " + ".join(rule[f"consequents_{language}"])
        return tr(
            language,
            "Customers who buy {x} respond to {y}: {confidence} of their baskets also hold "
            "it, {lift}x the usual rate, over {baskets} baskets. Offer {y} with {x}.",
            x=x,
            y=y,
            confidence=format_percent(rule["confidence"], language, 0),
            lift=format_number(rule["lift"], language, 1, fixed=True),
            baskets=format_count(rule["baskets"], language),
        )

    return {
        "if": rule["antecedents"],
        "then": rule["consequents"],
        "text_en": text("en"),
        "text_zh": text("zh"),
    }


def _rule_table(rules: pd.DataFrame) -> pd.DataFrame:
    if rules.empty:
        return pd.DataFrame(
            columns=[
                "if_buy",
                "then_buy",
                "if_buy_zh",
                "then_buy_zh",
                "support",
                "confidence",
                "lift",
                "baskets",
            ]
        )
    return pd.DataFrame(
        {
            "if_buy": rules["antecedents_en"].map(" + ".join),
            "then_buy": rules["consequents_en"].map(" + ".join),
            "if_buy_zh": rules["antecedents_zh"].map(" + ".join),
            "then_buy_zh": rules["consequents_zh"].map(" + ".join),
            "support": rules["support"].round(4),
            "confidence": rules["confidence"].round(4),
            "lift": rules["lift"].round(2),
            "baskets": rules["count"].astype(int),
        }
    )


def _scope_in(segment: str | None, period: Any, language: str) -> str:
    """The scope of the rules in an answer language: "Champions, October 2026" / "冠军客户，2026年10月"."""
    who = segment_name(segment, language) if segment else tr(language, "all customers")
    if period is None:
        when = tr(language, "all time")
    else:
        data = {"start": str(period.start), "end": str(period.end), "label": period.label}
        when = period_name(data, language)
    return tr(language, "{who}, {when}", who=who, when=when)


def _scope_text(segment: str | None, period: Any) -> str:
    who = f"segment {segment}" if segment else "all customers"
    when = period.label if period else "all time"
    return f"{who}, {when}"
