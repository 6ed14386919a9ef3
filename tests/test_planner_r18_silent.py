"""Round 18, silent readings: churn over a time breakdown in the engine (each bucket against
the equal-length period before it, MARKETING.md), checked against pandas on every database;
and the planner's readings of kinds that used to give a number for another question."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools import ToolContext, query_metrics
from tools.base import ToolError


def _context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def valid_orders(demo_engine: Engine) -> pd.DataFrame:
    with demo_engine.connect() as conn:
        orders = pd.read_sql(
            text(
                "SELECT o.order_id, o.customer_id, o.order_date, o.status, o.total, c.city "
                "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"
            ),
            conn,
        )
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    orders["total"] = orders["total"].astype(float)
    valid = ~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)
    return orders[valid & orders["customer_id"].notna()]


def _buyers(orders: pd.DataFrame, start: date, end: date) -> set:
    dated = orders[(orders["order_date"] >= start) & (orders["order_date"] <= end)]
    return set(dated["customer_id"])


def _expected_churn(orders: pd.DataFrame, start: date, end: date) -> tuple[int, int]:
    """(base buyers, churned) of start..end against the equal-length period before it."""
    length = (end - start).days + 1
    base = _buyers(orders, start - timedelta(days=length), start - timedelta(days=1))
    return len(base), len(base - _buyers(orders, start, end))


MONTHS = [
    (date(2026, 7, 1), date(2026, 7, 31)),
    (date(2026, 8, 1), date(2026, 8, 31)),
    (date(2026, 9, 1), date(2026, 9, 30)),
]


def test_churn_by_month_is_each_month_against_the_equal_length_period_before_it(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    output = query_metrics(
        _context(demo_engine),
        metrics=["churn_rate", "churned_customers"],
        dimensions=["month"],
        time_range="2026-07-01..2026-09-30",
    )
    frame = output.artifacts[0].frame.set_index("month")
    assert list(frame.index) == [start for start, _ in MONTHS]
    for start, end in MONTHS:
        base, churned = _expected_churn(valid_orders, start, end)
        assert frame.loc[start, "churned_customers"] == churned
        assert frame.loc[start, "churn_rate"] == pytest.approx(churned / base)
    # September's base is the 30 days before it (Aug 2-31), not the calendar month August.
    august = _buyers(valid_orders, date(2026, 8, 1), date(2026, 8, 31))
    thirty = _buyers(valid_orders, date(2026, 8, 2), date(2026, 8, 31))
    if august != thirty:
        september = date(2026, 9, 1)
        wrong = len(august - _buyers(valid_orders, september, MONTHS[2][1])) / len(august)
        assert frame.loc[september, "churn_rate"] != pytest.approx(wrong)
    assert output.data["churn_base"].get("per_bucket") is True


def test_churn_by_quarter_clips_the_buckets_to_the_period(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    """A period that starts mid-quarter: the first bucket is the part of the quarter asked."""
    output = query_metrics(
        _context(demo_engine),
        metrics=["churn_rate"],
        dimensions=["quarter"],
        time_range="2026-05-15..2026-09-30",
    )
    frame = output.artifacts[0].frame.set_index("quarter")
    spans = [(date(2026, 5, 15), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30))]
    assert list(frame.index) == [date(2026, 4, 1), date(2026, 7, 1)]
    for label, (start, end) in zip(frame.index, spans, strict=True):
        base, churned = _expected_churn(valid_orders, start, end)
        assert frame.loc[label, "churn_rate"] == pytest.approx(churned / base)


def test_churn_by_month_and_city_groups_the_base_by_city(
    demo_engine: Engine, valid_orders: pd.DataFrame
) -> None:
    output = query_metrics(
        _context(demo_engine),
        metrics=["churned_customers"],
        dimensions=["month", "city"],
        time_range="2026-08-01..2026-09-30",
    )
    frame = output.artifacts[0].frame
    for start, end in MONTHS[1:]:
        length = (end - start).days + 1
        before = valid_orders[
            (valid_orders["order_date"] >= start - timedelta(days=length))
            & (valid_orders["order_date"] < start)
        ]
        current = _buyers(valid_orders, start, end)
        for city, rows in before.groupby("city"):
            expected = len(set(rows["customer_id"]) - current)
            got = frame[(frame["month"] == start) & (frame["city"] == city)]["churned_customers"]
            assert int(got.iloc[0]) == expected


def test_churn_by_month_with_a_named_base_is_refused(demo_engine: Engine) -> None:
    with pytest.raises(ToolError):
        query_metrics(
            _context(demo_engine),
            metrics=["churn_rate"],
            dimensions=["month"],
            time_range="2026-07-01..2026-09-30",
            churn_base="2026-04-01..2026-06-30",
        )


# ---------------------------------------------------------------- planner readings


@pytest.fixture(scope="module")
def planner(tmp_path_factory):  # noqa: ANN001, ANN201
    from tests.conftest import own_store_planner

    return own_store_planner(tmp_path_factory.mktemp("silent_planner"))


def _call(planner, question: str) -> tuple[str | None, dict | str]:  # noqa: ANN001
    reply = planner._plan(question, [])
    if not reply.tool_calls:
        return None, str(reply.content)
    return reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "basket analysis, but only products that sit in at least 25 orders",
            {"min_item_baskets": 25},
        ),
        (
            "cross-sell ideas; skip items found in fewer than 12 baskets",
            {"min_item_baskets": 12},
        ),
        ("cross-sell ideas from pairs backed by at least 9 baskets", {"min_rule_baskets": 9}),
        ("哪些商品常被一起买？只算至少出现在40个订单里的商品", {"min_item_baskets": 40}),
        ("交叉销售推荐，去掉不到8单的商品", {"min_item_baskets": 8}),
        ("products bought together, only items in more than 30 orders", {"min_item_baskets": 31}),
    ],
)
def test_cross_sell_basket_floor_is_read_into_the_call(planner, question, expected) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "cross_sell_rules", args
    for key, value in expected.items():
        assert args.get(key) == value, args


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("cross-sell rules limited to items bought in under 6 baskets", "under 6"),
        ("哪些商品经常一起买，只看出现在少于5个订单里的", "少于5个订单"),
        ("cross-sell pairs with a lift below 2", "lift below 2"),
        ("交叉销售规则，支持度大于2%的", "支持度大于2%"),
    ],
)
def test_cross_sell_bound_the_tool_cannot_apply_is_asked_back(planner, question, named) -> None:  # noqa: ANN001
    name, text = _call(planner, question)
    assert name is None and named in text, text


@pytest.mark.parametrize(
    ("question", "lift"),
    [("what goes with the Yoga Mat, lift > 1 only", 1.0), ("交叉销售规则，提升度大于2的", 2.0)],
)
def test_cross_sell_lift_floor_is_read(planner, question, lift) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "cross_sell_rules", args
    assert args["min_lift"] == lift


def test_cross_sell_without_a_number_keeps_the_defaults(planner) -> None:  # noqa: ANN001
    name, args = _call(planner, "what do our champions tend to buy together")
    assert name == "cross_sell_rules"
    assert not {"min_item_baskets", "min_rule_baskets", "min_confidence"} & set(args)


def test_cross_sell_floors_run_in_the_tool(duckdb_demo_engine: Engine) -> None:
    from tools import cross_sell_rules

    ctx = _context(duckdb_demo_engine)
    plain = cross_sell_rules(ctx, min_support=0.001)
    floored = cross_sell_rules(ctx, min_support=0.001, min_item_baskets=30)
    assert floored.data["items_considered"] < plain.data["items_considered"]
    rules = cross_sell_rules(ctx, min_rule_baskets=4)
    assert rules.data["rules"] and all(r["baskets"] >= 4 for r in rules.data["rules"])
    lifted = cross_sell_rules(ctx, min_support=0.001, min_lift=2.0, top=500)
    assert all(r["lift"] > 2.0 for r in lifted.data["rules"])


@pytest.mark.parametrize(
    "question",
    [
        "what was revenue last month for members only",
        "AOV for our members this year",
        "按会员口径看上个月的销售额",
        "会员今年的订单数是多少",
        "orders from members only in Q3",
        "非会员上个月的客单价",
    ],
)
def test_membership_population_is_asked_back_naming_it(planner, question) -> None:  # noqa: ANN001
    name, text = _call(planner, question)
    assert name is None, text
    assert "member" in text.lower() or "会员" in text


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many members bought something last month", "buyers"),
        ("上个月有多少会员下单", "buyers"),
        ("今年杭州会员的复购率", "repurchase_rate"),
    ],
)
def test_bare_members_beside_a_customer_figure_are_the_customers(planner, question, metric) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "query_metrics", args
    assert args["metrics"] == [metric]


@pytest.mark.parametrize(
    "question",
    [
        "net sales under IFRS 15 for last quarter",
        "our US GAAP revenue this year",
        "按增值税口径算一下上个月的销售额",
        "上个月的含税销售额",
        "revenue excluding VAT last month",
    ],
)
def test_accounting_standard_is_refused_naming_it_with_no_age_band(planner, question) -> None:  # noqa: ANN001
    reply = planner._plan(question, [])
    assert not reply.tool_calls
    assert reply.response_metadata.get("copilot_status") == "refused", reply.content
    assert "<25" not in reply.content


def test_under_a_rule_name_offers_no_age_band(planner) -> None:  # noqa: ANN001
    name, text = _call(planner, "orders under SOX controls this year")
    assert name is None and "<25" not in text


def test_age_band_still_read(planner) -> None:  # noqa: ANN001
    name, args = _call(planner, "revenue from customers under 25 last month")
    assert name == "query_metrics" and args["filters"] == {"age_band": ["<25"]}


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "first-time buyers in July, and of July's buyers how many bought twice or more?",
            ["new_customers", "repeat_buyers"],
        ),
        ("7月新客多少？另外7月的买家里有多少是回头客", ["new_customers", "repeat_buyers"]),
        ("buyers in July and how many of them were repeat buyers", ["buyers", "repeat_buyers"]),
    ],
)
def test_population_said_as_the_base_of_its_part_is_no_extra_metric(
    planner, question, metrics
) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "query_metrics", args
    assert args["metrics"] == metrics


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("广东（广州、深圳两个城市）今年的订单数", {"province": ["广东"]}),
        ("Guangzhou and Shenzhen (Guangdong) revenue this year", {"city": ["广州", "深圳"]}),
    ],
)
def test_place_glossed_in_brackets_is_one_filter(planner, question, filters) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "query_metrics", args
    assert args["filters"] == filters


@pytest.mark.parametrize(
    "question",
    [
        "RFM-wise, which segment brings in the most revenue",
        "in RFM terms, which segment holds the most revenue",
        "从RFM角度看，哪个分群的销售额最高",
        "which RFM segment carries the largest revenue",
    ],
)
def test_rfm_segments_ranked_by_spend_over_all_time_are_the_rfm_table(planner, question) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "rfm_segments", args


@pytest.mark.parametrize(
    "question",
    [
        "RFM-wise, which segment brought in the most orders last quarter",
        "按RFM口径，上个月各分群的订单数",
    ],
)
def test_rfm_lens_beside_a_period_is_the_rfm_segment_breakdown(planner, question) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "query_metrics", args
    assert args["dimensions"] == ["rfm_segment"]


def test_rfm_lens_without_a_segment_breakdown_still_asks(planner) -> None:  # noqa: ANN001
    name, _ = _call(planner, "in RFM terms, what was revenue in Shanghai last month")
    assert name is None


@pytest.mark.parametrize(
    "question",
    ["monthly churn rate for Q3 2026", "2026年第三季度每个月的流失客户数"],
)
def test_churn_by_month_is_planned(planner, question) -> None:  # noqa: ANN001
    name, args = _call(planner, question)
    assert name == "query_metrics", args
    assert args["dimensions"] == ["month"]
