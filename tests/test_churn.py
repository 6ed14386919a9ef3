"""predict_churn: out-of-time quality, labels and features against pandas, no leakage, stored scores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sqlalchemy import Engine, text

from copilot.charts import chart_for_table, to_png
from copilot.offline.intents.base import PlannerContext
from copilot.offline.intents.churn import CHURN_INTENT, read_churn_question
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from knowledge.demo import generate_demo_data
from knowledge.semantic import load_semantic_model
from knowledge.store import connect_store
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolError, ToolOutput
from tools.churn import (
    churn_risk_customers,
    customer_features,
    features_at,
    labels_at,
    load_history,
    predict_churn,
)

SCORE_DAY = AS_OF - timedelta(days=1)  # the last day of demo data
TEST_CUT = SCORE_DAY - timedelta(days=90)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Engine]:  # noqa: ANN001
    """A 2000-customer demo store: the 400-customer one is too small for a stable AUC."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('churn')}/store.duckdb")
    generate_demo_data(engine, customers=2000, seed=11)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def result(store: Engine):  # noqa: ANN201
    return predict_churn(_ctx(store))


def _ctx(engine: Engine) -> ToolContext:
    # The tool reads the store only; the semantic model is not used.
    return ToolContext(engine=engine, semantic_model=None, as_of=AS_OF)  # type: ignore[arg-type]


def _valid_orders(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        orders = pd.read_sql(
            text("SELECT customer_id, order_date, status, total FROM orders"), conn
        )
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["total"] = orders["total"].astype(float)
    return orders[~orders["status"].isin(["cancelled", "returned"]) & (orders["total"] > 0)]


def test_model_beats_the_recency_baseline_out_of_time(store: Engine, result) -> None:  # noqa: ANN001
    v = result.data["validation"]
    print(
        f"\nout-of-time AUC: model {v['model_auc']:.4f}, recency baseline {v['baseline_auc']:.4f}"
    )
    print(f"top-decile lift: model {v['model_lift']:.3f}, baseline {v['baseline_lift']:.3f}")
    assert result.data["test_cutoff"] == TEST_CUT.isoformat()
    assert result.data["train_cutoff"] == (TEST_CUT - timedelta(days=90)).isoformat()
    assert v["model_auc"] > v["baseline_auc"] > 0.5
    assert result.data["beats_baseline"] is True
    # The baseline recomputed from raw orders: recency at the test cutoff vs the next 90 days.
    orders = _valid_orders(store)
    cut = pd.Timestamp(TEST_CUT)
    before = orders[orders["order_date"] <= cut].groupby("customer_id")["order_date"].max()
    after = orders[
        (orders["order_date"] > cut) & (orders["order_date"] <= cut + pd.Timedelta(days=90))
    ]
    churned = ~before.index.isin(after["customer_id"])
    recency = (cut - before).dt.days
    assert v["baseline_auc"] == pytest.approx(roc_auc_score(churned, recency), abs=1e-4)
    assert v["test_customers"] == len(before)
    assert v["test_churn_rate"] == pytest.approx(churned.mean(), abs=1e-4)
    assert result.data["drivers"] and "x as likely to churn" in result.data["drivers"][0]["text_en"]


def test_labels_and_features_match_pandas(store: Engine) -> None:
    cut = date(2026, 3, 31)
    history = load_history(store, cut + timedelta(days=60))
    labels = labels_at(history, cut, 60)
    features = features_at(history, cut)
    orders = _valid_orders(store)
    ts = pd.Timestamp(cut)
    past = orders[orders["order_date"] <= ts]
    window = orders[
        (orders["order_date"] > ts) & (orders["order_date"] <= ts + pd.Timedelta(days=60))
    ]
    assert list(labels.index) == sorted(past["customer_id"].unique())
    expected = (~labels.index.isin(window["customer_id"])).astype(int)
    assert (labels.to_numpy() == expected).all()
    assert 0 < labels.mean() < 1
    for customer in list(labels.index[labels == 1][:3]) + list(labels.index[labels == 0][:3]):
        mine = past[past["customer_id"] == customer]
        row = features.loc[customer]
        assert row["frequency"] == len(mine)
        assert row["monetary"] == pytest.approx(mine["total"].sum())
        assert row["recency_days"] == (ts - mine["order_date"].max()).days
        assert row["orders_90d"] == ((ts - mine["order_date"]).dt.days < 90).sum()


@pytest.fixture()
def small_store(tmp_path) -> Iterator[Engine]:  # noqa: ANN001
    engine = connect_store(f"duckdb:///{tmp_path}/small.duckdb")
    generate_demo_data(engine, customers=300, seed=5)
    yield engine
    engine.dispose()


def test_features_use_no_data_after_the_cutoff(small_store: Engine) -> None:
    cut = date(2026, 6, 30)
    before = customer_features(small_store, cut)
    # Loading a longer history must not change features at the same cutoff.
    pd.testing.assert_frame_equal(before, features_at(load_history(small_store, SCORE_DAY), cut))
    customer = before.index[0]
    later = datetime(2026, 7, 2, 10)
    with small_store.begin() as conn:
        conn.execute(
            text(
                "UPDATE orders SET total = total * 10, status = 'completed' "
                "WHERE customer_id = :c AND order_date > :d"
            ),
            {"c": customer, "d": cut},
        )
        conn.execute(
            text(
                "INSERT INTO orders (order_id, customer_id, ordered_at, order_date, status, total) "
                "VALUES ('LEAK-1', :c, :t, :d, 'completed', 999)"
            ),
            {"c": customer, "t": later, "d": later.date()},
        )
        conn.execute(
            text(
                "INSERT INTO campaign_messages (message_id, campaign_id, customer_id, sent_at, "
                "delivered, opened_at, clicked_at, unsubscribed) "
                "VALUES ('LEAK-M', 'X', :c, :t, true, :t, :t, true)"
            ),
            {"c": customer, "t": later},
        )
        conn.execute(
            text(
                "INSERT INTO reviews (review_id, customer_id, sku, created_at, rating) "
                "VALUES ('LEAK-R', :c, 'SKU-SK-001', :t, 1)"
            ),
            {"c": customer, "t": later},
        )
    pd.testing.assert_frame_equal(before, customer_features(small_store, cut))
    # The same change on the cutoff day itself does show: the check can fail.
    with small_store.begin() as conn:
        conn.execute(
            text("UPDATE orders SET order_date = :d, ordered_at = :t WHERE order_id = 'LEAK-1'"),
            {"d": cut, "t": datetime(2026, 6, 30, 12)},
        )
    after = customer_features(small_store, cut)
    assert after.loc[customer, "frequency"] == before.loc[customer, "frequency"] + 1
    assert after.loc[customer, "recency_days"] == 0


def test_scores_are_stored_and_deterministic(store: Engine, result) -> None:  # noqa: ANN001
    stored = churn_risk_customers(store)
    table = result.artifacts[0].frame
    assert len(stored) == result.data["scored_customers"] > len(table) == 1000  # row limit
    assert result.artifacts[0].truncated
    assert set(stored["as_of"]) == {SCORE_DAY}
    merged = stored.merge(table, on="customer_id")
    assert len(merged) == len(table)
    assert np.allclose(merged["probability"], merged["churn_probability"], atol=1e-4)
    assert np.allclose(stored["repurchase_probability"], 1 - stored["probability"])
    assert stored["probability"].is_monotonic_decreasing
    with store.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM churn_scores")).scalar_one()
    assert rows == len(stored)
    # A second run gives the same numbers and replaces (does not add to) the stored rows.
    again = predict_churn(_ctx(store))
    assert again.data["validation"] == result.data["validation"]
    assert again.data["bands"] == result.data["bands"]
    pd.testing.assert_frame_equal(again.artifacts[0].frame, table)
    with store.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM churn_scores")).scalar_one() == rows
    bands = result.data["bands"]
    assert sum(bands.values()) == result.data["scored_customers"]
    # The risk bands count reachable customers only (ordered within the horizon).
    reachable = set(table.loc[table["status"] == "reachable", "customer_id"])
    at_risk = stored[stored["customer_id"].isin(reachable)]
    assert bands["high"] == (at_risk["probability"] >= 0.7).sum()


def test_too_little_history_is_a_clear_error(store: Engine) -> None:
    with pytest.raises(ToolError, match="needs valid orders from before"):
        predict_churn(_ctx(store), cutoff="2025-03-01", save_scores=False)
    with pytest.raises(ToolError, match="YYYY-MM-DD"):
        predict_churn(_ctx(store), cutoff="soon")


def test_a_period_as_cutoff_scores_at_its_last_day(store: Engine) -> None:
    from tools.churn.predict import _score_day

    assert _score_day(_ctx(store), "2026-09") == date(2026, 9, 30)
    assert _score_day(_ctx(store), "2026-09-15") == date(2026, 9, 15)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who is likely to churn?", {}),
        ("churn prediction", {}),
        ("哪些客户可能流失", {}),
        ("预测复购", {}),
        ("which customers will churn in the next 60 days?", {"horizon_days": 60}),
        ("未来30天哪些客户可能流失", {"horizon_days": 30}),
        # Round 8: a horizon in words, risk of lapsing, a repurchase probability.
        ("rank customers by risk of churning, ninety days ahead", {"horizon_days": 90}),
        ("未来三十天哪些客户可能流失", {"horizon_days": 30}),
        ("给每个客户算一下复购的概率", {}),
        ("谁最有可能再次购买？", {}),
        # The most likely to come (back) and buy again ("再来下单", "回来买"), per customer.
        ("接下来两个月哪些老客户最可能再来下单", {"horizon_days": 60}),
        ("哪些会员最有可能回来买", {}),
        ("which regulars are likely to order again in the next 2 months?", {"horizon_days": 60}),
        # Who will not buy again, scored as of a period's end.
        ("截至9月底，哪些客户不会再下单了", {"cutoff": "9月"}),
        ("who is likely to churn as of the end of July?", {"cutoff": "July"}),
        # Round 11: a per-customer probability or score, the model named, who is predicted,
        # a horizon in months or after "之后/接下来".
        (
            "what's the likelihood that each customer stops buying over the next 2 months?",
            {"horizon_days": 60},
        ),
        ("odds of leaving for each shopper, 30 days out", {"horizon_days": 30}),
        ("lapse scores for our buyers and the model's AUC", {}),
        ("给每位客户打个流失分，预测未来两个月", {"horizon_days": 60}),
        (
            "截至8月底训练一个复购模型，看看之后60天谁不会再回购",
            {"cutoff": "8月", "horizon_days": 60},
        ),
        ("预测下哪些会员在接下来四十五天里会走掉", {"horizon_days": 45}),
        # Leaving in other words (walking away, slipping, defectors, 不会再回来), and the
        # AUC asked right after a Chinese word.
        ("which of our members are set to walk away?", {}),
        ("who is slipping? give me the probable defectors", {}),
        ("哪些会员以后不会再回来了", {}),
        ("会员流失用模型打分，顺便给出AUC", {}),
    ],
)
def test_reader_turns_questions_into_arguments(question: str, expected: dict) -> None:
    # the reader looks for store metrics named beside the prediction: the real vocabulary
    planner = PlannerContext(semantic_model=load_semantic_model())
    assert read_churn_question(read_question(question, ValueIndex()), planner) == expected


def test_reader_leaves_churn_rate_metrics_alone() -> None:
    planner = PlannerContext(semantic_model=load_semantic_model())
    for question in (
        "what was the churn rate last month?",
        "上个月的流失率",
        "复购率是多少",
        "what do champions buy together?",
        "上个月没有回购的客户占比",
        "what is the chance of a sale in the next 3 months?",
    ):
        assert read_churn_question(read_question(question, ValueIndex()), planner) is None


def test_writer_reports_auc_groups_drivers_and_a_next_step(result) -> None:  # noqa: ANN001
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    v, bands = result.data["validation"], result.data["bands"]
    english = CHURN_INTENT.write(result, "en", planner)
    chinese = CHURN_INTENT.write(result, "zh", planner)
    data = result.data
    for answer in (english, chinese):
        assert f"{v['model_auc']:.3f}" in answer and f"{v['baseline_auc']:.3f}" in answer
        assert f"{bands['high']:,}" in answer
        # Every scored customer is accounted for: the lapsed ones as well as the bands.
        assert f"{data['lapsed_customers']:,}" in answer
        assert f"{data['reachable_customers']:,}" in answer
    assert (
        data["lapsed_customers"] + bands["high"] + bands["medium"] + bands["low"]
        == (data["scored_customers"])
    )
    assert result.data["drivers"][0]["text_en"] in english and "win-back SMS" in english
    assert result.data["drivers"][0]["text_zh"] in chinese and "短信" in chinese


def _written(model_auc: float, baseline_auc: float, lift: float, baseline_lift: float) -> str:
    data = {
        "as_of": "2026-10-31",
        "horizon_days": 90,
        "train_cutoff": "2026-05-04",
        "test_cutoff": "2026-08-02",
        "validation": {
            "model_auc": model_auc,
            "baseline_auc": baseline_auc,
            "model_lift": lift,
            "baseline_lift": baseline_lift,
        },
        "beats_baseline": model_auc > baseline_auc,
        "drivers": [],
        "scored_customers": 1982,
        "reachable_customers": 1149,
        "lapsed_customers": 833,
        "thresholds": {"high": 0.7, "low": 0.4, "active_days": 90},
        "bands": {"high": 25, "medium": 203, "low": 921, "lapsed": 833},
        "high_risk_active": 25,
        "likely_to_buy_again": 921,
    }
    planner = PlannerContext(semantic_model=None)  # type: ignore[arg-type]
    return CHURN_INTENT.write(ToolOutput("", [], data), "en", planner)


def test_the_verdict_on_the_baseline_agrees_with_each_figure_shown() -> None:
    """Better on AUC and about equal on lift is said as such, never "the model is better"
    beside a lift that is not; the lapsed customers are counted beside the risk bands."""
    text = _written(0.872, 0.852, 2.18, 2.19)
    assert "AUC 0.872 vs 0.852 for a recency-only baseline (better)" in text
    assert "top-decile lift 2.18 vs 2.19 (about equal)" in text
    assert "already lapsed" in text and ": 833;" in text and "1,149" in text
    worse = _written(0.80, 0.85, 1.5, 2.0)
    assert "(worse)" in worse and "use with care" in worse and "(better)" not in worse
    assert "(better)" in _written(0.87, 0.85, 2.6, 2.2).split("lift")[-1]


def _lapsed_ids(engine: Engine) -> set[str]:
    """Buyers with no valid order in the 90 days up to the scoring day, from raw orders."""
    orders = _valid_orders(engine)
    day = pd.Timestamp(SCORE_DAY)
    last = orders[orders["order_date"] <= day].groupby("customer_id")["order_date"].max()
    return set(last.index[(day - last).dt.days > 90])


def test_the_risk_list_ranks_reachable_customers_and_lists_the_lapsed_last(
    store: Engine,
    result,  # noqa: ANN001
) -> None:
    table = result.artifacts[0].frame  # the first 1,000 rows (the row limit)
    data = result.data
    lapsed = _lapsed_ids(store)
    assert data["lapsed_customers"] == len(lapsed) == data["bands"]["lapsed"] > 0
    assert data["reachable_customers"] + len(lapsed) == data["scored_customers"]
    status = table["status"].tolist()
    shown = min(len(table), data["reachable_customers"])
    assert status == ["reachable"] * shown + ["lapsed"] * (len(table) - shown)
    reachable = table.iloc[:shown]
    assert not set(reachable["customer_id"]) & lapsed
    assert (reachable["recency_days"] <= 90).all()
    assert reachable["churn_probability"].is_monotonic_decreasing
    # The point of it: the most certain "churners" are long gone and do not top the list.
    stored = churn_risk_customers(store)
    gone = stored[stored["customer_id"].isin(lapsed)]
    assert gone["probability"].max() > reachable["churn_probability"].iloc[0] + 0.05
    assert table.iloc[0]["customer_id"] not in lapsed
    assert "Already lapsed" in result.for_model and f": {len(lapsed)}." in result.for_model
    assert chart_for_table(result.artifacts[0]) is None  # no bar per customer


def test_risk_distribution_is_a_histogram_of_every_score(store: Engine, result) -> None:  # noqa: ANN001
    table = result.artifacts[1]
    frame = table.frame
    assert list(frame["churn_probability"]) == [f"{i * 10}%–{i * 10 + 10}%" for i in range(10)]
    stored = churn_risk_customers(store)
    lapsed = stored["customer_id"].isin(_lapsed_ids(store))
    band = (stored["probability"].clip(upper=0.9999) * 10).astype(int)
    for column, rows in (("reachable_customers", ~lapsed), ("lapsed_customers", lapsed)):
        assert frame[column].tolist() == [int((band[rows] == i).sum()) for i in range(10)]
    assert frame["reachable_customers"].sum() == result.data["reachable_customers"]
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "bar" and not spec.horizontal
    assert spec.y == ("reachable_customers", "lapsed_customers") and spec.y_format == "integer"
    assert spec.data["churn_probability"].tolist() == frame["churn_probability"].tolist()
    assert to_png(spec).startswith(b"\x89PNG")


def test_top_drivers_chart_shows_the_model_importances(result) -> None:  # noqa: ANN001
    table = result.artifacts[2]
    frame = table.frame
    assert 1 <= len(frame) <= 8 and (frame["importance"] > 0).all()
    assert frame["importance"].is_monotonic_decreasing
    # The words name the same strongest feature the chart puts first.
    assert frame["feature"].iloc[0] == result.data["drivers"][0]["feature"]
    assert frame["driver"].iloc[0] == "Days since last order"
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "bar" and spec.y == ("importance",)
    assert spec.x == "driver" and spec.data["driver"].tolist() == frame["driver"].tolist()


def test_driver_phrases_come_from_the_catalogue_in_both_languages() -> None:
    """Every feature's side of the median is a catalogue sentence: English by its id,
    Chinese translated with no English left, the threshold formatted in the language."""
    from copilot.evaluation.language_mix import foreign_words
    from tools.churn.model import _PHRASES, _ZERO, _phrase

    assert _phrase("frequency", True, 3, "en", "CNY") == "3+ orders"
    assert _phrase("monetary", False, 1200, "zh", "CNY") == "累计消费不超过 ¥1,200"
    assert _phrase("orders_30d", False, 0, "zh", "CNY") == "近 30 天没有下单"
    for name in list(_PHRASES) + list(_ZERO):
        for high in (True, False):
            for threshold in (0, 2):
                chinese = _phrase(name, high, threshold, "zh", "CNY")
                assert foreign_words(chinese, "zh") == [], (name, chinese)


# A prediction limited to one segment: every customer is scored (the same scores as without
# a segment), the list and the counts are that segment's members only. The members come from
# an independent pandas RFM (tests/test_rfm.py), not from the tool's own segment query.
@pytest.mark.parametrize("segment", ["Loyal Customers", "At Risk"])
def test_a_segment_limits_the_risk_list_to_its_members(
    store: Engine,
    result,  # noqa: ANN001
    segment: str,
) -> None:
    from tests.test_rfm import pandas_rfm

    rfm = pandas_rfm(store, AS_OF)
    members = set(rfm.loc[rfm["segment"] == segment, "customer_id"].astype(str))
    assert members
    limited = predict_churn(_ctx(store), segment=segment, save_scores=False)
    data, table = limited.data, limited.artifacts[0].frame
    assert data["segment"] == segment
    assert data["all_scored"] == result.data["scored_customers"] > len(members)
    assert data["scored_customers"] == data["segment_members"] == len(members)
    assert set(table["customer_id"].astype(str)) == members
    # The same score each member gets in the prediction for everyone.
    stored = churn_risk_customers(store).set_index("customer_id")["probability"]
    mine = table.set_index("customer_id")["churn_probability"]
    assert (mine - stored.reindex(mine.index)).abs().max() < 1e-4
    # The counts are the members' own: high + medium + low + lapsed = members.
    bands = data["bands"]
    assert sum(bands.values()) == len(members)
    high = table[(table["status"] == "reachable") & (table["churn_probability"] >= 0.7)]
    assert bands["high"] == len(high)
    assert f"Limited to segment {segment}" in limited.for_model
    assert segment in limited.artifacts[0].title


def test_the_churn_writer_says_the_segment_and_how_many_were_scored(store: Engine) -> None:
    limited = predict_churn(_ctx(store), segment="Champions", save_scores=False)
    planner = PlannerContext(semantic_model=load_semantic_model())
    members = limited.data["segment_members"]
    english = CHURN_INTENT.write(limited, "en", planner)
    assert "“Champions” segment" in english and f"{members} of its members" in english
    chinese = CHURN_INTENT.write(limited, "zh", planner)
    assert "「冠军客户」分群" in chinese and f"{members} 位成员" in chinese


def test_an_unknown_segment_is_a_clear_error(store: Engine) -> None:
    with pytest.raises(ToolError, match="No segment is called"):
        predict_churn(_ctx(store), segment="Frequent Flyers", save_scores=False)
