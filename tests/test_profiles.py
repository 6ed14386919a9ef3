"""Segment profiles: indexes against pandas shares and MARKETING.md's AOV and LTV."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from copilot.charts import chart_for_table, to_plotly, to_png
from copilot.offline.intents.audience import AUDIENCE_INTENTS
from copilot.offline.intents.base import PlannerContext
from copilot.offline.question import read_question
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.base import ToolContext, ToolError
from tools.profiles.profile import profile_segment
from tools.segments.rfm import rfm_table


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def read(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


@pytest.fixture(scope="module")
def champions_profile(duckdb_demo_engine: Engine):  # noqa: ANN201
    return profile_segment(context(duckdb_demo_engine), "冠军客户")


def row(output, feature: str) -> pd.Series:  # noqa: ANN001
    frame = output.artifacts[0].frame
    return frame[frame["feature"] == feature].iloc[0]


def test_share_indexes_equal_pandas(duckdb_demo_engine: Engine, champions_profile) -> None:  # noqa: ANN001
    members = set(
        rfm_table(duckdb_demo_engine, AS_OF).query("segment == 'Champions'")["customer_id"]
    )
    people = read(duckdb_demo_engine, "SELECT customer_id, gender FROM customers")
    inside = people["customer_id"].isin(members)
    assert champions_profile.data["size"] == len(members)
    women = row(champions_profile, "gender F")
    seg, base = (people.loc[inside, "gender"] == "F").mean(), (people["gender"] == "F").mean()
    assert women["segment"] == pytest.approx(seg, abs=1e-4)
    assert women["baseline"] == pytest.approx(base, abs=1e-4)
    assert women["index"] == pytest.approx(seg / base * 100, abs=0.1)

    buyers = read(
        duckdb_demo_engine,
        "SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i ON i.order_id = o.order_id "
        "JOIN products p ON p.sku = i.sku WHERE p.category = 'skincare' "
        "AND o.status NOT IN ('cancelled', 'returned') AND o.total > 0",
    )["customer_id"]
    skincare = row(champions_profile, "bought skincare")
    seg = people.loc[inside, "customer_id"].isin(buyers).mean()
    base = people["customer_id"].isin(buyers).mean()
    assert skincare["index"] == pytest.approx(seg / base * 100, abs=0.1)


def test_aov_and_ltv_follow_marketing_md(duckdb_demo_engine: Engine, champions_profile) -> None:  # noqa: ANN001
    members = set(
        rfm_table(duckdb_demo_engine, AS_OF).query("segment == 'Champions'")["customer_id"]
    )
    orders = read(
        duckdb_demo_engine,
        "SELECT customer_id, total FROM orders WHERE status NOT IN ('cancelled', 'returned') AND total > 0",
    )
    orders["total"] = orders["total"].astype(float)
    mine = orders[orders["customer_id"].isin(members)]
    values = champions_profile.data["values"]
    assert values["AOV"]["segment"] == pytest.approx(mine["total"].sum() / len(mine))
    assert values["AOV"]["baseline"] == pytest.approx(orders["total"].sum() / len(orders))
    ltv = orders.groupby("customer_id")["total"].sum()
    assert values["historical LTV per buyer"]["segment"] == pytest.approx(
        ltv[ltv.index.isin(members)].mean()
    )
    assert values["historical LTV per buyer"]["baseline"] == pytest.approx(ltv.mean())


def test_highlights_are_the_strongest_share_indexes(champions_profile) -> None:  # noqa: ANN001
    highlights = champions_profile.data["highlights"]
    assert highlights and all(h["feature"] != "RFM Champions" for h in highlights)
    table = champions_profile.artifacts[0].frame
    # The table's index is x 100 (all customers = 100); a highlight's is the plain ratio.
    shares = table[(table["segment"] >= 0.05) & (table["segment"] < 1) & (table["index"] >= 125)]
    assert highlights[0]["index"] * 100 == pytest.approx(shares["index"].max(), abs=1)
    for h in highlights:
        assert h["index"] >= 1.25 or h["index"] <= 0.8
        assert h["index"] == pytest.approx(h["segment"] / h["baseline"], abs=0.01)


def test_unknown_segment_is_a_recoverable_error(duckdb_demo_engine: Engine) -> None:
    with pytest.raises(ToolError, match="No segment is called"):
        profile_segment(context(duckdb_demo_engine), "Martians")


@pytest.mark.parametrize(
    ("question", "tool", "args"),
    [
        ("describe the Champions segment", "profile_segment", {"segment": "Champions"}),
        ("冠军客户的画像", "profile_segment", {"segment": "Champions"}),
        # "a picture of" a segment is its portrait (the lexicon's profile_segment cues).
        (
            "Give me a picture of the At Risk segment: genders, regions and top categories",
            "profile_segment",
            {"segment": "At Risk"},
        ),
        (
            "best time to send SMS to at-risk customers",
            "best_send_time",
            {"segment": "At Risk", "channel": "sms"},
        ),
        (
            "什么时候给流失风险客户发短信最好",
            "best_send_time",
            {"segment": "At Risk", "channel": "sms"},
        ),
        (
            "export the At Risk segment for SMS",
            "export_audience",
            {"segment": "At Risk", "channel": "sms"},
        ),
        ("导出流失风险客户的短信名单", "export_audience", {"segment": "At Risk", "channel": "sms"}),
        (
            "how do customers feel about skincare?",
            "review_sentiment",
            {"category": "skincare", "by": "product"},
        ),
        ("评论情感分析", "review_sentiment", {}),
    ],
)
def test_offline_readers(question: str, tool: str, args: dict) -> None:
    ctx = PlannerContext(load_semantic_model())
    parsed = read_question(question, ctx.values)
    found = [(i.tool, i.read(parsed, ctx)) for i in AUDIENCE_INTENTS]
    assert next((t, a) for t, a in found if a is not None) == (tool, args)


def test_index_chart_puts_every_feature_in_one_unit(champions_profile) -> None:  # noqa: ANN001
    profile, shown = (a.frame for a in champions_profile.artifacts[:2])
    assert chart_for_table(champions_profile.artifacts[0]) is None  # mixed units: no chart
    assert 5 <= len(shown) <= 15 and shown["index"].is_monotonic_decreasing
    by_feature = profile.set_index("feature")
    for feature, index in zip(shown["feature"], shown["index"], strict=True):
        line = by_feature.loc[feature]
        assert index == pytest.approx(line["segment"] / line["baseline"] * 100, abs=0.2)
        assert line["segment"] < 1 or line["section"] in ("rfm", "money")  # never the definition
    assert "RFM Champions" not in set(shown["feature"])
    # The strongest share highlight (furthest from 100) is among the charted features.
    assert champions_profile.data["highlights"][0]["feature"] in set(shown["feature"])
    spec = chart_for_table(champions_profile.artifacts[1])
    assert spec is not None and spec.kind == "bar" and spec.y == ("index",)
    assert spec.base_value == 100 and spec.horizontal
    assert spec.data["feature"].tolist() == shown["feature"].tolist()  # no summing, no regrouping
    bars = to_plotly(spec).data
    assert len(bars) == 1 and bars[0].base == 100  # bars grow from the baseline
    assert to_png(spec).startswith(b"\x89PNG")
    assert [b + 100 for b in bars[0].x] == pytest.approx(shown["index"].tolist())


@pytest.mark.parametrize("dtype", ["Int64", "float64", "object"])
def test_unknown_birth_years_are_an_unknown_age_never_a_band(dtype: str) -> None:
    """A store whose birth_year is all NULL (read as nullable Int64 from some engines) has
    customers of unknown age, not of the last age band."""
    from tools.profiles.sections import demographics

    customers = pd.DataFrame(
        {
            "gender": ["F", "M", "F"],
            "birth_year": pd.Series([None, None, 1990], dtype=dtype),
            "language": ["zh", "zh", "en"],
            "signup_channel": ["app", "web", "app"],
        }
    )
    rows = demographics(customers, pd.Series([True, True, False]), 2026)
    ages = {r.feature: r.segment for r in rows if r.feature.startswith("age ")}
    assert ages["age (unknown)"] == 1.0 and ages["age 35-44"] == 0.0
    assert "age 45-54" not in ages and "age 55+" not in ages
