"""cross_sell_rules against an independent pandas computation over valid orders, and its intent."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.agent import Copilot
from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.cross_sell import (
    CROSS_SELL_INTENT,
    read_cross_sell_question,
)
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from copilot.settings import Settings
from knowledge.demo.catalog import products_frame
from knowledge.importers import import_file
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolError
from tools.cross_sell import cross_sell_rules
from tools.segments.rfm import rfm_table
from tools.segments.saved import NewSegment, replace_segments


def _ctx(engine: Engine) -> ToolContext:
    # These tools read the store only; the semantic model is not used.
    return ToolContext(engine=engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]


def _baskets(engine: Engine, customers: set[str] | None = None) -> pd.Series:
    """order_id -> frozenset of skus over valid orders (status and total as MARKETING.md)."""
    with engine.connect() as conn:
        orders = pd.read_sql(text("SELECT order_id, customer_id, status, total FROM orders"), conn)
        # Baskets hold products bought: not postage or fees, not returned lines (MARKETING.md).
        items = pd.read_sql(
            text("SELECT order_id, sku FROM order_items WHERE merchandise AND quantity > 0"), conn
        )
    orders["total"] = orders["total"].astype(float)
    valid = orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]
    if customers is not None:
        valid = valid[valid["customer_id"].isin(customers)]
    lines = items[items["order_id"].isin(valid["order_id"])]
    return lines.groupby("order_id")["sku"].agg(frozenset)


def _measures(baskets: pd.Series, x: set[str], y: set[str]) -> tuple[float, float, float]:
    n = len(baskets)
    has_x = baskets.map(lambda b: x <= b)
    has_y = baskets.map(lambda b: y <= b)
    both = (has_x & has_y).sum()
    confidence = both / has_x.sum()
    return both / n, confidence, confidence / (has_y.sum() / n)


def _assert_rules_match(rules: list[dict], baskets: pd.Series) -> None:
    assert rules, "expected rules"
    for rule in rules:
        support, confidence, lift = _measures(
            baskets, set(rule["antecedents"]), set(rule["consequents"])
        )
        assert rule["support"] == pytest.approx(support, rel=1e-9)
        assert rule["confidence"] == pytest.approx(confidence, rel=1e-9)
        assert rule["lift"] == pytest.approx(lift, rel=1e-9)


def test_top_rules_equal_an_independent_count_on_every_database(demo_engine: Engine) -> None:
    out = cross_sell_rules(_ctx(demo_engine), min_support=0.01, min_confidence=0.2, top=10)
    baskets = _baskets(demo_engine)
    assert out.data["baskets"] == len(baskets)
    _assert_rules_match(out.data["rules"], baskets)
    lifts = [(r["lift"], r["confidence"]) for r in out.data["rules"]]
    assert lifts == sorted(lifts, reverse=True)


def test_no_frequent_pair_is_missed_and_planted_pairs_come_first(
    duckdb_demo_engine: Engine,
) -> None:
    min_support, min_confidence = 0.01, 0.2
    out = cross_sell_rules(
        _ctx(duckdb_demo_engine), min_support=min_support, min_confidence=min_confidence, top=50
    )
    baskets = _baskets(duckdb_demo_engine)
    n = len(baskets)
    # Every qualifying pair rule, counted by brute force over baskets.
    pair_counts = pd.Series(
        [p for b in baskets for p in combinations(sorted(b), 2)], dtype=object
    ).value_counts()
    item_counts = pd.Series([i for b in baskets for i in b]).value_counts()
    expected = set()
    for (a, b), both in pair_counts.items():
        if both / n < min_support:
            continue
        for x, y in ((a, b), (b, a)):
            if both / item_counts[x] >= min_confidence:
                expected.add(((x,), (y,)))
    found = {
        (tuple(r["antecedents"]), tuple(r["consequents"]))
        for r in out.data["rules"]
        if len(r["antecedents"]) == 1 and len(r["consequents"]) == 1
    }
    assert found == expected
    # The demo generator plants complements (neighbouring catalogue items, e.g. phone + case).
    catalog = products_frame()
    partner = dict(
        zip(catalog["sku"], catalog["sku"].iloc[catalog["partner"]].to_numpy(), strict=True)
    )
    top = out.data["rules"][:4]
    assert any(
        partner[r["antecedents"][0]] == r["consequents"][0]
        for r in top
        if len(r["antecedents"]) == 1
    )
    first = out.data["recommendations"][0]
    assert first["text_en"].startswith("Customers who buy ")
    assert out.data["rules"][0]["antecedents_zh"][0] in first["text_zh"]


def test_rfm_segment_uses_only_that_segments_orders(duckdb_demo_engine: Engine) -> None:
    out = cross_sell_rules(_ctx(duckdb_demo_engine), segment="冠军客户", min_support=0.01)
    assert out.data["segment"] == "Champions"
    rfm = rfm_table(duckdb_demo_engine)
    champions = set(rfm.loc[rfm["segment"] == "Champions", "customer_id"])
    baskets = _baskets(duckdb_demo_engine, champions)
    assert out.data["baskets"] == len(baskets) < len(_baskets(duckdb_demo_engine))
    _assert_rules_match(out.data["rules"], baskets)


def test_saved_segment_restricts_the_baskets(duckdb_demo_engine: Engine) -> None:
    with duckdb_demo_engine.connect() as conn:
        ids = pd.read_sql(
            text("SELECT customer_id FROM customers ORDER BY customer_id LIMIT 120"), conn
        )["customer_id"]
    name = "test cross-sell members"
    replace_segments(
        duckdb_demo_engine, "rule", [NewSegment(name, {"test": True}, len(ids), ids)],
        replace_names=[name],
    )  # fmt: skip
    try:
        out = cross_sell_rules(_ctx(duckdb_demo_engine), segment=name, min_support=0.02)
    finally:
        replace_segments(duckdb_demo_engine, "rule", [], replace_names=[name])
    baskets = _baskets(duckdb_demo_engine, set(ids))
    assert out.data["baskets"] == len(baskets)
    if out.data["rules"]:
        _assert_rules_match(out.data["rules"], baskets)


def test_category_filter_and_category_level(duckdb_demo_engine: Engine) -> None:
    ctx = _ctx(duckdb_demo_engine)
    out = cross_sell_rules(ctx, category="护肤", min_support=0.005, top=20)
    assert out.data["rules"]
    assert all(any(s.startswith("SKU-SK-") for s in r["antecedents"]) for r in out.data["rules"])
    level = cross_sell_rules(ctx, level="category", min_support=0.01, min_confidence=0.1)
    categories = dict(zip(products_frame()["sku"], products_frame()["category"], strict=True))
    baskets = _baskets(duckdb_demo_engine).map(lambda b: frozenset(categories[s] for s in b))
    _assert_rules_match(level.data["rules"], baskets)
    assert level.data["rules"][0]["antecedents_zh"][0] in set(products_frame()["category_zh"])


def test_empty_and_unknown_inputs_give_clear_messages(duckdb_demo_engine: Engine) -> None:
    ctx = _ctx(duckdb_demo_engine)
    with pytest.raises(ToolError, match="no valid orders"):
        cross_sell_rules(ctx, time_range="2020-01-01..2020-01-31")
    with pytest.raises(ToolError, match="ask me to segment customers by RFM") as raised:
        cross_sell_rules(ctx, segment="no such segment")
    assert "rfm_segments" not in str(raised.value)  # the user's words, not a tool's name
    with pytest.raises(ToolError, match="categories"):
        cross_sell_rules(ctx, category="spaceships")
    none = cross_sell_rules(ctx, min_support=0.5)
    assert none.data["rules"] == [] and none.data["recommendations"] == []
    assert "Lower min_support" in none.for_model
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert "降低" in CROSS_SELL_INTENT.write(none, "zh", planner)
    assert "lower the support" in CROSS_SELL_INTENT.write(none, "en", planner)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what do champions buy together?", {"segment": "Champions"}),
        ("cross-sell recommendations for skincare buyers", {"category": "skincare"}),
        ("哪些商品经常一起购买", {}),
        ("冠军客户常一起买什么", {"segment": "Champions"}),
        ("which categories are bought together? top 5", {"level": "category", "top": 5}),
    ],
)
def test_reader_turns_questions_into_arguments(question: str, expected: dict) -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert read_cross_sell_question(read_question(question, ValueIndex()), planner) == expected


def test_reader_ignores_other_questions() -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    for question in ("what was revenue last month?", "哪些客户可能流失", "churn prediction"):
        assert read_cross_sell_question(read_question(question, ValueIndex()), planner) is None


def test_writer_states_the_rules_with_their_lift(duckdb_demo_engine: Engine) -> None:
    out = cross_sell_rules(_ctx(duckdb_demo_engine), segment="Champions")
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    rule = out.data["rules"][0]
    english = CROSS_SELL_INTENT.write(out, "en", planner)
    chinese = CROSS_SELL_INTENT.write(out, "zh", planner)
    assert "Champions customers" in english and f"lift {rule['lift']:.1f}" in english
    assert rule["antecedents_en"][0] in english and "Next:" in english
    assert "冠军客户" in chinese and f"提升度 {rule['lift']:.1f}" in chinese
    assert rule["antecedents_zh"][0] in chinese and "下一步" in chinese


# --- small baskets: minimum support count, item filter, one pair --------------------------

BOWL, MUG, SPOON, PLATE = ("P1", "Bowl"), ("P2", "Mug"), ("P3", "Spoon"), ("P4", "Plate")
# (items, how many baskets): Bowl + Mug in 6 baskets, Bowl + Spoon in one only.
SMALL_BASKETS = [((BOWL, MUG), 6), ((BOWL, SPOON), 1), ((PLATE,), 5), ((MUG,), 4), ((BOWL,), 3)]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Engine:  # noqa: ANN001
    """A store imported from a hand-written log of 19 baskets (one customer each)."""
    directory = tmp_path_factory.mktemp("baskets")
    rows = ["order_id,customer_id,order_time,product_code,product_name,quantity,unit_price"]
    n = 0
    for items, count in SMALL_BASKETS:
        for _ in range(count):
            n += 1
            rows += [
                f"B{n:03d},C{n:03d},2024-05-{n:02d} 10:00,{code},{name},1,10.00"
                for code, name in items
            ]
    (directory / "baskets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    engine = connect_store(f"duckdb:///{directory}/store.duckdb")
    import_file(engine, "transactions", directory / "baskets.csv")
    return engine


def test_rules_on_too_few_baskets_are_data_not_advice(small_store: Engine) -> None:
    out = cross_sell_rules(_ctx(small_store))
    by_rule = {(tuple(r["antecedents"]), tuple(r["consequents"])): r for r in out.data["rules"]}
    thin = by_rule[(("P3",), ("P1",))]  # Spoon -> Bowl: confidence 100%, lift 1.9, 1 basket
    assert thin["baskets"] == 1 and thin["lift"] > 1 and not thin["advice"]
    assert {tuple(r["if"]) for r in out.data["recommendations"]} == {("P1",), ("P2",)}
    assert out.data["thin_rules"] == 1 and out.data["min_baskets"] == 5
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    english = CROSS_SELL_INTENT.write(out, "en", planner)
    assert "6 baskets" in english and "fewer than 5 baskets" in english
    assert "Offer Bowl with Spoon" not in english and "Offer Mug with Bowl" in english
    # The minimum is a setting: at 1 basket the Spoon rule becomes advice too.
    loose = ToolContext(engine=small_store, semantic_model=None, rule_min_baskets=1)  # type: ignore[arg-type]
    assert ("P3",) in {tuple(r["if"]) for r in cross_sell_rules(loose).data["recommendations"]}


def test_people_who_buy_an_item_get_rules_about_it(small_store: Engine) -> None:
    for word in ("Bowl", "bowls", "a bowl", "P1", "Bowel"):
        out = cross_sell_rules(_ctx(small_store), item=word)
        assert out.data["item"] == "Bowl"
        assert out.data["rules"] and all(r["antecedents"] == ["P1"] for r in out.data["rules"])
    with pytest.raises(ToolError, match="Bowl, Mug"):
        cross_sell_rules(_ctx(small_store), item="teapot")


def test_a_named_pair_is_measured_directly(small_store: Engine) -> None:
    out = cross_sell_rules(_ctx(small_store), item="Bowl", paired_with="spoon")
    pair = out.data["pair"]
    # 19 baskets: Bowl in 10, Spoon in 1, both in 1 -> lift = 1 x 19 / (10 x 1).
    assert (pair["baskets"], pair["baskets_with_item"], pair["baskets_with_other"]) == (19, 10, 1)
    assert pair["baskets_with_both"] == 1 and pair["lift"] == pytest.approx(1.9)
    assert not pair["advice"]
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert "data, not advice" in CROSS_SELL_INTENT.write(out, "en", planner)
    assert "不作为建议" in CROSS_SELL_INTENT.write(out, "zh", planner)
    mug = cross_sell_rules(_ctx(small_store), item="Bowl", paired_with="Mug").data["pair"]
    assert mug["baskets_with_both"] == 6 and mug["lift"] == pytest.approx(6 * 19 / (10 * 10))
    assert mug["advice"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What to cross-sell to people who buy a Bowl?", {"item": "bowl"}),
        ("what should I offer customers who bought mugs?", {"item": "mugs"}),
        ("lift of Bowl and Mug", {"item": "bowl", "paired_with": "mug"}),
        ("What is the lift between bowls and mugs?", {"item": "bowls", "paired_with": "mugs"}),
        ("碗和杯子的提升度", {"item": "碗", "paired_with": "杯子"}),
        ("买碗的人还会买什么？", {"item": "碗"}),
    ],
)
def test_reader_passes_the_item_through(question: str, expected: dict) -> None:
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    assert read_cross_sell_question(read_question(question, ValueIndex()), planner) == expected


def test_end_to_end_item_question(small_store: Engine, tmp_path) -> None:  # noqa: ANN001
    settings = Settings(home=tmp_path, llm_provider="offline")
    answer = Copilot(settings, engine=small_store).ask(
        "What to cross-sell to people who buy a Bowl?"
    )
    assert [(c.name, c.args) for c in answer.tool_calls] == [("cross_sell_rules", {"item": "Bowl"})]
    assert "Offer Mug with Bowl" in answer.text and "6 baskets" in answer.text
    assert "Spoon" not in answer.text  # rules with another 'if' item are filtered out


# Round 8: an item added "to the basket alongside" / bought "顺手"; a pair whose first item
# is a short form the second item's name also holds (手机 beside 手机壳 is the phone).
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what do shoppers put in their cart along with the yoga mat?", {"item": "Yoga Mat"}),
        ("买瑜伽垫的顾客通常会顺手带点什么", {"item": "Yoga Mat"}),
        (
            "手机壳和手机的关联度",
            {"item": "Phone Case X12", "paired_with": "Smartphone X12"},
        ),
        (
            "手机和手机壳一起购买的支持度",
            {"item": "Smartphone X12", "paired_with": "Phone Case X12"},
        ),
    ],
)
def test_items_in_a_basket_and_a_pair_of_short_forms(
    planner,
    question: str,
    expected: dict,  # noqa: ANN001
) -> None:
    message = planner._plan(question, [])
    assert message.tool_calls and message.tool_calls[0]["name"] == "cross_sell_rules", message
    assert message.tool_calls[0]["args"] == expected


def test_an_item_with_no_rule_in_a_short_period_says_so_without_failing(
    duckdb_demo_engine: Engine,
) -> None:
    """(round 27) An item's rules are ordered with the item alone first; with no rule left
    that ordering must not fail (it raised KeyError on an empty frame)."""
    ctx = _ctx(duckdb_demo_engine)
    output = cross_sell_rules(ctx, item="Mooncake Gift Box", time_range="2026-09-20..2026-09-21")
    assert output.data["rules"] == []
