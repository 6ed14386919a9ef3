"""A/B tests: counts, p-values, intervals and sample sizes against independent computations."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, chi2_contingency, fisher_exact, norm
from sqlalchemy import Engine, text
from statsmodels.stats.proportion import proportions_ztest

from copilot.agent import Copilot
from copilot.offline.intents import INTENTS, PlannerContext
from copilot.offline.intents.ab_tests import AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from copilot.settings import Settings
from knowledge.demo import generate_demo_data
from knowledge.importers import import_file
from knowledge.semantic import load_semantic_model
from knowledge.store import connect_store
from knowledge.store.bulk import insert_frame
from knowledge.store.schema import Base
from tests.conftest import AS_OF
from tools.ab_testing import ab_sample_size, ab_test, need_text
from tools.base import ToolContext, ToolError
from tools.experiments.exact import score_z
from tools.experiments.proportions import EXACT_TEST, Z_TEST, VariantCount, compare
from tools.experiments.variant_counts import match_campaigns

EVENT_SQL = {
    "conversion": "attributed_order_id IS NOT NULL",
    "ctr": "clicked_at IS NOT NULL",
    "open_rate": "opened_at IS NOT NULL",
}


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def ab_campaign_ids(engine: Engine) -> dict[str, str]:
    """The demo's two A/B campaigns by kind, found by the names its docstring gives."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT campaign_id, name FROM campaigns")).all()
    real = [cid for cid, name in rows if name.startswith("Spring Festival") and "A/B" in name]
    null = [cid for cid, name in rows if name.startswith("Double 11") and "A/B" in name]
    assert len(real) == 1 and len(null) == 1
    return {"real": real[0], "null": null[0]}


def independent_counts(engine: Engine, campaign_id: str, metric: str) -> pd.DataFrame:
    """delivered and events per variant, counted in pandas from the raw message rows."""
    with engine.connect() as conn:
        frame = pd.DataFrame(
            conn.execute(
                text(
                    "SELECT variant, delivered, "
                    f"CASE WHEN {EVENT_SQL[metric]} THEN 1 ELSE 0 END AS event "
                    "FROM campaign_messages WHERE campaign_id = :c"
                ),
                {"c": campaign_id},
            ).all(),
            columns=["variant", "delivered", "event"],
        )
    frame["delivered"] = frame["delivered"].astype(bool)
    frame = frame[frame["delivered"] & frame["variant"].notna()]
    return frame.groupby("variant").agg(delivered=("event", "size"), events=("event", "sum"))


def by_variant(result: dict) -> dict[str, dict]:
    return {v["variant"]: v for v in result["variants"]}


@pytest.mark.parametrize("metric", ["conversion", "ctr", "open_rate"])
def test_counts_and_p_value_match_independent_computation(demo_engine: Engine, metric: str) -> None:
    ctx = context(demo_engine)
    for campaign_id in ab_campaign_ids(demo_engine).values():
        output = ab_test(ctx, campaign=campaign_id.lower(), metric=metric)
        (result,) = output.data["campaigns"]
        expected = independent_counts(demo_engine, campaign_id, metric)
        got = by_variant(result)
        assert sorted(got) == ["A", "B"] and result["control"] == "A"
        for variant, row in expected.iterrows():
            assert got[variant]["delivered"] == row["delivered"]
            assert got[variant]["events"] == row["events"]
            assert got[variant]["rate"] == pytest.approx(row["events"] / row["delivered"])
        a, b = expected.loc["A"], expected.loc["B"]
        z, p = proportions_ztest([b["events"], a["events"]], [b["delivered"], a["delivered"]])
        (comparison,) = result["comparisons"]
        assert comparison["p_value"] == pytest.approx(p, rel=1e-9)
        assert comparison["z"] == pytest.approx(z, rel=1e-9)
        lift = b["events"] / b["delivered"] - a["events"] / a["delivered"]
        assert comparison["absolute_lift"] == pytest.approx(lift)
        assert comparison["ci_low"] < lift < comparison["ci_high"]
        assert comparison["significant"] == (p < 0.05)
        table = output.artifacts[0]
        assert table.chart == "bar" and len(table.frame) == 2


def test_same_answer_on_every_database(demo_engine: Engine, duckdb_demo_engine: Engine) -> None:
    here = ab_test(context(demo_engine)).data["campaigns"]
    duck = ab_test(context(duckdb_demo_engine)).data["campaigns"]
    assert [c["variants"] for c in here] == [c["variants"] for c in duck]
    for mine, theirs in zip(here, duck, strict=True):
        assert mine["comparisons"][0]["p_value"] == pytest.approx(
            theirs["comparisons"][0]["p_value"], rel=1e-12
        )


def test_latest_analyses_the_most_recently_started_ab_campaign(duckdb_demo_engine: Engine) -> None:
    # Round 11: "our most recent A/B test" is the one latest in the store, named with its dates.
    with duckdb_demo_engine.connect() as conn:
        newest = conn.execute(
            text(
                "SELECT campaign_id, start_date FROM campaigns WHERE variants LIKE '%,%' "
                "ORDER BY start_date DESC LIMIT 1"
            )
        ).one()
    output = ab_test(context(duckdb_demo_engine), latest=True)
    assert [c["campaign_id"] for c in output.data["campaigns"]] == [newest.campaign_id]
    assert output.data["latest"]["start"] == str(newest.start_date)[:10]
    assert newest.campaign_id in output.for_model and "most recent" in output.for_model
    with pytest.raises(ToolError):
        ab_test(
            context(duckdb_demo_engine),
            latest=True,
            counts=[
                {"variant": "A", "trials": 100, "events": 5},
                {"variant": "B", "trials": 100, "events": 9},
            ],
        )


def test_null_campaign_is_not_significant_at_400_customers(duckdb_demo_engine: Engine) -> None:
    ids = ab_campaign_ids(duckdb_demo_engine)
    (result,) = ab_test(context(duckdb_demo_engine), campaign=ids["null"]).data["campaigns"]
    comparison = result["comparisons"][0]
    assert not comparison["significant"] and result["winner"] is None
    assert "no significant difference at 5%" in result["verdicts"][0]
    assert f"{comparison['needed_per_variant']:,} delivered messages" in result["verdicts"][0]


@pytest.fixture(scope="module")
def large_demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """2000 customers: at 400 the real A/B difference (3% vs 6%) is not significant yet."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('ab-large')}/store.duckdb")
    generate_demo_data(engine, customers=2000, seed=7)
    yield engine
    engine.dispose()


def test_real_difference_is_significant_and_null_is_not(large_demo_engine: Engine) -> None:
    ids = ab_campaign_ids(large_demo_engine)
    ctx = context(large_demo_engine)
    (real,) = ab_test(ctx, campaign=ids["real"]).data["campaigns"]
    (null,) = ab_test(ctx, campaign=ids["null"]).data["campaigns"]
    assert real["comparisons"][0]["significant"] and real["winner"] == "B"
    assert real["comparisons"][0]["absolute_lift"] > 0
    assert "B converts" in real["verdicts"][0] and "significant at 5%" in real["verdicts"][0]
    assert not null["comparisons"][0]["significant"] and null["winner"] is None
    # A stricter alpha than the p-value turns the verdict around.
    p = real["comparisons"][0]["p_value"]
    (strict,) = ab_test(ctx, campaign=ids["real"], alpha=p / 2).data["campaigns"]
    assert not strict["comparisons"][0]["significant"]


THREE_WAY = {"A": (1000, 30), "B": (1000, 45), "C": (900, 20)}  # delivered, conversions


@pytest.fixture(scope="module")
def synthetic_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A store with a 3-variant campaign, two similar names and some undelivered messages."""
    engine = connect_store(f"duckdb:///{tmp_path_factory.mktemp('ab-synth')}/store.duckdb")
    tables = Base.metadata.tables
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["X1", "X2", "X3"],
            "name": ["Summer Push Test", "Summer Email Test", "Plain newsletter"],
            "channel": ["push", "email", "email"],
            "start_date": pd.to_datetime(["2026-07-01"] * 3),
            "end_date": pd.to_datetime(["2026-07-10"] * 3),
            "cost": [100.0, 100.0, 50.0],
            "variants": ["A,B,C", "A,B", None],
        }
    )
    rows = []
    for variant, (delivered, conversions) in THREE_WAY.items():
        for i in range(delivered + 50):  # 50 bounced messages per variant, one a "conversion"
            is_delivered = i < delivered
            converted = i < conversions or i == delivered
            rows.append((variant, is_delivered, f"O{variant}{i}" if converted else None))
    rows += [("A", True, None)] * 10 + [("B", True, "OX")] * 10
    frame = pd.DataFrame(rows, columns=["variant", "delivered", "attributed_order_id"])
    frame["campaign_id"] = ["X1"] * (len(frame) - 20) + ["X2"] * 20
    frame["message_id"] = [f"M{i}" for i in range(len(frame))]
    frame["customer_id"] = [f"U{i % 700}" for i in range(len(frame))]
    frame["sent_at"] = datetime(2026, 7, 1, 9)
    frame["unsubscribed"] = False
    with engine.begin() as conn:
        insert_frame(conn, tables["campaigns"], campaigns)
        insert_frame(conn, tables["campaign_messages"], frame)
    yield engine
    engine.dispose()


def test_three_variants_chi_square_matches_scipy(synthetic_engine: Engine) -> None:
    output = ab_test(context(synthetic_engine), campaign="summer push")
    (result,) = output.data["campaigns"]
    assert [v["variant"] for v in result["variants"]] == ["A", "B", "C"]
    assert [(v["delivered"], v["events"]) for v in result["variants"]] == list(THREE_WAY.values())
    table = np.array([[c, d - c] for d, c in THREE_WAY.values()])
    expected = chi2_contingency(table)
    assert result["chi_square"]["chi2"] == pytest.approx(expected.statistic, rel=1e-12)
    assert result["chi_square"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert result["chi_square"]["dof"] == 2
    for comparison in result["comparisons"]:
        d, c = THREE_WAY[comparison["variant"]]
        _, p = proportions_ztest([c, 30], [d, 1000])
        assert comparison["p_value"] == pytest.approx(p, rel=1e-12)
    assert any("across all 3 variants" in v for v in result["verdicts"])


def test_campaign_reference_errors(synthetic_engine: Engine) -> None:
    ctx = context(synthetic_engine)
    with pytest.raises(ToolError, match="matches 2 A/B campaigns.*X1 Summer Push Test"):
        ab_test(ctx, campaign="summer")
    with pytest.raises(ToolError, match="No A/B campaign matches 'newsletter'"):
        ab_test(ctx, campaign="newsletter")  # exists, but has no variants
    with pytest.raises(ToolError, match="alpha"):
        ab_test(ctx, campaign="X1", alpha=1.5)
    # Every campaign with variants when none is named, in start-date order.
    assert [c["campaign_id"] for c in ab_test(ctx).data["campaigns"]] == ["X1", "X2"]


def test_no_ab_campaign_in_store(tmp_path: Path) -> None:
    engine = connect_store(f"duckdb:///{tmp_path}/empty.duckdb")
    with pytest.raises(ToolError, match="no campaign with two or more variants"):
        ab_test(context(engine))


def test_sample_size_matches_closed_form_and_textbook(duckdb_demo_engine: Engine) -> None:
    ctx = context(duckdb_demo_engine)
    data = ab_sample_size(ctx, baseline_rate=0.10, minimum_detectable_effect=0.02, relative=False)
    # Independent: n = 2 ((z_{1-a/2} + z_{power}) / h)^2 with Cohen's h = 2 asin sqrt p2 - 2 asin sqrt p1.
    h = 2 * math.asin(math.sqrt(0.12)) - 2 * math.asin(math.sqrt(0.10))
    expected = math.ceil(2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / h) ** 2)
    assert expected == 3835
    assert data.data["per_variant"] == expected and data.data["total"] == 2 * expected
    # The textbook pooled-variance formula (Fleiss, no continuity correction) gives 3,841.
    assert data.data["per_variant"] == pytest.approx(3841, rel=0.005)
    relative = ab_sample_size(ctx, baseline_rate=0.10, minimum_detectable_effect=0.2)
    assert relative.data["per_variant"] == expected
    # Three variants: each comparison at alpha / 2.
    three = ab_sample_size(ctx, 0.10, 0.02, relative=False, variants=3).data
    z = norm.ppf(1 - 0.025 / 2)
    assert three["per_variant"] == math.ceil(2 * ((z + norm.ppf(0.8)) / h) ** 2)
    assert three["total"] == 3 * three["per_variant"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline_rate": 0.0, "minimum_detectable_effect": 0.1}, "baseline_rate"),
        ({"baseline_rate": 1.2, "minimum_detectable_effect": 0.1}, "baseline_rate"),
        ({"baseline_rate": 0.1, "minimum_detectable_effect": 0.1, "power": 1.0}, "power"),
        ({"baseline_rate": 0.1, "minimum_detectable_effect": 0.1, "alpha": 0}, "alpha"),
        ({"baseline_rate": 0.1, "minimum_detectable_effect": 0}, "must not be 0"),
        ({"baseline_rate": 0.6, "minimum_detectable_effect": 1.0}, "outside"),
        ({"baseline_rate": 0.1, "minimum_detectable_effect": 0.1, "variants": 1}, "variants"),
    ],
)
def test_sample_size_bad_inputs(duckdb_demo_engine: Engine, kwargs: dict, message: str) -> None:
    with pytest.raises(ToolError, match=message):
        ab_sample_size(context(duckdb_demo_engine), **kwargs)


READER_CASES = [
    # A campaign or variant named in words is passed on (the tool matches it to the store's).
    (
        "Is variant B better in the Spring Festival A/B test?",
        "ab_test",
        {"metric": "conversion", "campaign": "spring festival", "variant": "B"},
    ),
    (
        "A/B test results for the spring campaign",
        "ab_test",
        {"metric": "conversion", "campaign": "spring"},
    ),
    (
        "version A of the subject line test",
        "ab_test",
        {"metric": "conversion", "campaign": "subject line", "variant": "A"},
    ),
    ("B版本的AB测试结果", "ab_test", {"metric": "conversion", "variant": "B"}),
    ("which variant won", "ab_test", {"metric": "conversion"}),
    ("AB测试结果", "ab_test", {"metric": "conversion"}),
    ("哪个版本转化率更高", "ab_test", {"metric": "conversion"}),
    ("显著吗", "ab_test", {"metric": "conversion"}),
    ("A/B测试的点击率哪个版本高？", "ab_test", {"metric": "ctr"}),
    (
        "Is CMP010 significant on open rate?",
        "ab_test",
        {"campaign": "CMP010", "metric": "open_rate"},
    ),
    (
        'Which variant has the better click-through rate in "Double 11 2025 - Push A/B"?',
        "ab_test",
        {"campaign": "Double 11 2025 - Push A/B", "metric": "ctr"},
    ),
    ("“春节邮件”AB测试的打开率", "ab_test", {"campaign": "春节邮件", "metric": "open_rate"}),
    (
        "how many users do I need to detect a 10% lift on a 3% conversion rate?",
        "ab_sample_size",
        {"baseline_rate": 0.03, "minimum_detectable_effect": 0.1},
    ),
    (
        "3%的转化率，检测10%的提升需要多大样本量？",
        "ab_sample_size",
        {"baseline_rate": 0.03, "minimum_detectable_effect": 0.1},
    ),
    (
        "sample size for a 1 point lift on a 5% baseline",
        "ab_sample_size",
        {"baseline_rate": 0.05, "minimum_detectable_effect": 0.01, "relative": False},
    ),
    (
        "从 3% 提升 0.5 个百分点需要的样本量",
        "ab_sample_size",
        {"baseline_rate": 0.03, "minimum_detectable_effect": 0.005, "relative": False},
    ),
    # Issue 11: the baseline and the target are never swapped.
    (
        "sample size to detect a 15% relative uplift over a 2% baseline",
        "ab_sample_size",
        {"baseline_rate": 0.02, "minimum_detectable_effect": 0.15},
    ),
    (
        "Our open rate is 18%. How many recipients do I need to detect a drop to 15%?",
        "ab_sample_size",
        {"baseline_rate": 0.18, "minimum_detectable_effect": -0.03, "relative": False},
    ),
    (
        "how many users per variant do I need to detect a lift from 2% to 2.5% conversion?",
        "ab_sample_size",
        {"baseline_rate": 0.02, "minimum_detectable_effect": 0.005, "relative": False},
    ),
    (
        "打开率想从18%提到20%，功效80%，显著性水平5%，每组多少人",
        "ab_sample_size",
        # The stated power and level are read too (every word accounted for), even
        # where they equal the tool's defaults.
        {
            "baseline_rate": 0.18,
            "minimum_detectable_effect": 0.02,
            "relative": False,
            "power": 0.8,
            "alpha": 0.05,
        },
    ),
    # Round 8: a size asked "per cell" / "group size"; points in words with a hyphen; 千分之.
    (
        "conversion is 6%, looking for a 1-point gain at 90% power: group size?",
        "ab_sample_size",
        {"baseline_rate": 0.06, "minimum_detectable_effect": 0.01, "relative": False, "power": 0.9},
    ),
    (
        "four-arm test, baseline CTR 3%, detect a 20% relative lift: how many per cell?",
        "ab_sample_size",
        {"baseline_rate": 0.03, "minimum_detectable_effect": 0.2, "variants": 4},
    ),
    (
        "click rate around fifteen per cent, to spot a three-point rise how big should each arm be?",
        "ab_sample_size",
        {"baseline_rate": 0.15, "minimum_detectable_effect": 0.03, "relative": False},
    ),
    (
        "算一下样本量：现在的注册率千分之五，希望能测出提升两成",
        "ab_sample_size",
        {"baseline_rate": 0.005, "minimum_detectable_effect": 0.2},
    ),
    # Round 9: a test being planned, with a rate and a change to detect, asks for its size.
    (
        "We plan a split test: CTR is 4% today and we want to see a 10% relative lift. How big?",
        "ab_sample_size",
        {"baseline_rate": 0.04, "minimum_detectable_effect": 0.1},
    ),
    (
        "准备做一个三组的实验，现在转化率5%，想看出20%的相对提升，要多大？",
        "ab_sample_size",
        {"baseline_rate": 0.05, "minimum_detectable_effect": 0.2, "variants": 3},
    ),
    ("check significance on each of our split tests", "ab_test", {"metric": "conversion"}),
    ("p-values for all the a/b tests we ran", "ab_test", {"metric": "conversion"}),
    # "all of our": determiners alone name no campaign.
    ("is there a winner in any of my split test campaigns?", "ab_test", {"metric": "conversion"}),
    ("test significance on all of our experiments", "ab_test", {"metric": "conversion"}),
    ("What was revenue last month?", None, None),
    ("上个月的销售额是多少？", None, None),
    # One variant's rates with no verdict and no test named: a metric question.
    ("click rate and open rate of variant A for the spring email", None, None),
    ("春节邮件A版本的转化率是多少", None, None),
]


@pytest.mark.parametrize(("question", "tool", "args"), READER_CASES)
def test_readers(question: str, tool: str | None, args: dict | None) -> None:
    ctx = PlannerContext(load_semantic_model())
    read = read_question(question, ValueIndex())
    found = None
    for intent in (AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT):
        got = intent.read(read, ctx)
        if got is not None:
            found = (intent.tool, got)
            break
    if tool is None:
        assert found is None
    else:
        assert found is not None and found[0] == tool
        assert found[1] == pytest.approx(args)


@pytest.fixture
def offline_copilot(
    monkeypatch: pytest.MonkeyPatch, duckdb_demo_engine: Engine, tmp_path: Path
) -> Copilot:
    """The offline copilot with the A/B intents registered (before the metrics one); the
    A/B tools are in the registry (tools.TOOL_MODULES) already."""
    monkeypatch.setattr(
        "copilot.offline.planner.INTENTS", [AB_SAMPLE_SIZE_INTENT, AB_TEST_INTENT, *INTENTS]
    )
    settings = Settings(home=tmp_path, as_of=AS_OF, llm_provider="offline")
    return Copilot(settings, engine=duckdb_demo_engine)


def test_end_to_end_ab_test(offline_copilot: Copilot, duckdb_demo_engine: Engine) -> None:
    ids = ab_campaign_ids(duckdb_demo_engine)
    english = offline_copilot.ask("Which variant won the A/B tests?")
    assert english.error is None
    assert [(c.name, c.args) for c in english.tool_calls] == [("ab_test", {"metric": "conversion"})]
    table = english.to_json()["tables"][0]
    assert {row[0] for row in table["rows"]} == set(ids.values())
    for campaign_id in ids.values():
        counts = independent_counts(duckdb_demo_engine, campaign_id, "conversion")
        a, b = counts.loc["A"], counts.loc["B"]
        _, p = proportions_ztest([b["events"], a["events"]], [b["delivered"], a["delivered"]])
        shown = f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"
        assert shown in english.text
        assert (
            f"{b['events'] / b['delivered']:.1%} vs {a['events'] / a['delivered']:.1%}"
            in english.text
        )
    chinese = offline_copilot.ask(f"{ids['null']} 的AB测试点击率显著吗？")
    # (round 17: an id is read as the store's campaign of that id, and its name passed on)
    with duckdb_demo_engine.connect() as conn:
        null_name = conn.execute(
            text("SELECT name FROM campaigns WHERE campaign_id = :c"), {"c": ids["null"]}
        ).scalar_one()
    assert chinese.tool_calls[0].args == {"campaign": null_name, "metric": "ctr"}
    counts = independent_counts(duckdb_demo_engine, ids["null"], "ctr")
    a, b = counts.loc["A"], counts.loc["B"]
    _, p = proportions_ztest([b["events"], a["events"]], [b["delivered"], a["delivered"]])
    assert (f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}") in chinese.text
    assert ("在 5% 水平上显著" if p < 0.05 else "在 5% 水平上没有显著差异") in chinese.text
    assert ids["null"] in chinese.text


def test_end_to_end_sample_size(offline_copilot: Copilot) -> None:
    answer = offline_copilot.ask(
        "How many users do I need to detect a 10% lift on a 3% conversion rate?"
    )
    assert [c.name for c in answer.tool_calls] == ["ab_sample_size"]
    h = 2 * math.asin(math.sqrt(0.033)) - 2 * math.asin(math.sqrt(0.03))
    expected = math.ceil(2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / h) ** 2)
    assert f"{expected:,} delivered messages per variant" in answer.text
    chinese = offline_copilot.ask("3%的转化率，检测10%的提升需要多大样本量？")
    assert f"每个版本约需 {expected:,} 个样本" in chinese.text
    # Questions that are not about A/B tests still reach the metrics intent.
    revenue = offline_copilot.ask("What was revenue last month?")
    assert [c.name for c in revenue.tool_calls] == ["query_metrics"]


# --- small samples: exact test, matching interval, verdict rule ---------------------------


def _tables() -> Iterator[tuple[int, int, int, int]]:
    """(variant events, variant n, control events, control n): small counts (mostly exact
    tests) and larger ones (z-tests)."""
    grids = [
        ((30, 30), range(0, 13, 2), range(0, 13, 2)),
        ((20, 45), range(0, 13, 2), range(1, 14, 2)),
        ((150, 120), range(0, 46, 5), range(0, 46, 5)),
        ((800, 900), range(2, 46, 6), range(3, 46, 6)),
    ]
    for (n1, n2), a_values, b_values in grids:
        for a in a_values:
            for b in b_values:
                if 0 < a + b < n1 + n2:
                    yield a, n1, b, n2


def test_verdict_always_agrees_with_the_interval_and_the_test() -> None:
    exact = approx = 0
    for a, n1, b, n2 in _tables():
        c = compare(VariantCount("A", n2, b), VariantCount("B", n1, a), 0.05)
        smallest = min(t * k / (n1 + n2) for t in (n1, n2) for k in (a + b, n1 + n2 - a - b))
        null = 1.0 if c.ci_of == "odds ratio" else 0.0
        excludes = not (c.ci_low <= null <= c.ci_high)
        assert c.significant == excludes == (c.p_value < 0.05), (a, n1, b, n2)
        if smallest < 5:
            exact += 1
            assert c.test == EXACT_TEST
            # Ours doubles the smaller tail (the p-value the exact odds-ratio interval
            # inverts); scipy's sums the tables no likelier than this one. With equal
            # groups the law is symmetric and the two are the same.
            if n1 == n2:
                p = fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue
                assert c.p_value == pytest.approx(p, rel=1e-9)
        else:
            approx += 1
            assert c.test == Z_TEST
            _, p = proportions_ztest([a, b], [n1, n2])
            assert c.p_value == pytest.approx(p, rel=1e-9)
            assert c.ci_low <= a / n1 - b / n2 <= c.ci_high
    assert exact > 50 and approx > 50


def test_score_statistic_equals_a_brute_force_constrained_fit() -> None:
    """Farrington-Manning z(d) with the rates that maximise the likelihood under p1 - p2 = d."""
    for (x1, x2), (n1, n2), delta in [
        ((3, 27), (100, 100), -0.3),
        ((30, 12), (30, 30), 0.4),
        ((4, 0), (30, 30), 0.05),
        ((17, 9), (250, 180), 0.02),
    ]:
        grid = np.linspace(max(0.0, delta), min(1.0, 1.0 + delta), 400_001)[1:-1]
        loglik = binom.logpmf(x1, n1, grid) + binom.logpmf(x2, n2, grid - delta)
        q1 = grid[np.argmax(loglik)]
        q2 = q1 - delta
        want = (x1 / n1 - x2 / n2 - delta) / math.sqrt(q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)
        assert score_z((x1, x2), (n1, n2), delta) == pytest.approx(want, rel=1e-4)


def test_case_09_table_uses_fishers_exact_test() -> None:
    c = compare(VariantCount("A", 30, 0), VariantCount("B", 30, 4), 0.05)
    assert c.test == EXACT_TEST and c.min_expected == pytest.approx(2.0)
    assert c.p_value == pytest.approx(0.1124, abs=5e-4)
    assert c.p_value == pytest.approx(fisher_exact([[4, 26], [0, 30]]).pvalue, rel=1e-9)
    assert not c.significant and c.ci_low < 1 < c.ci_high
    # The old z-test called this significant (p = 0.04).
    assert proportions_ztest([4, 0], [30, 30])[1] < 0.05


def test_a_test_short_of_its_size_says_how_many_more_sends() -> None:
    c = compare(VariantCount("A", 200, 20), VariantCount("B", 210, 27), 0.05)
    assert not c.significant and c.needed_per_variant is not None
    assert c.more_needed == c.needed_per_variant - 200 > 0
    text = need_text(c)
    assert f"{c.more_needed:,} more sends per variant" in text
    big = compare(VariantCount("A", 30, 0), VariantCount("B", 30, 4), 0.05)
    assert big.more_needed is None and need_text(big) == ""


def test_campaign_names_are_matched_closely_but_never_guessed() -> None:
    campaigns = pd.DataFrame(
        {
            "campaign_id": ["C1", "C2", "C3"],
            "name": ["Spring SMS test", "Subject line test - email", "Summer SMS test"],
            "variants": ["A,B", "A,B", "A,B"],
        }
    )
    assert list(match_campaigns(campaigns, "spring sms")["campaign_id"]) == ["C1"]
    assert list(match_campaigns(campaigns, "sprng sms")["campaign_id"]) == ["C1"]
    assert list(match_campaigns(campaigns, "subjet line")["campaign_id"]) == ["C2"]
    assert match_campaigns(campaigns, "sms").shape[0] == 2  # both SMS tests: ask which
    assert match_campaigns(campaigns, "winter push").empty


def test_a_campaign_named_in_words_is_analysed_alone(tmp_path: Path) -> None:
    """Two small A/B campaigns; a (misspelt) name picks one of them, never the pooled numbers."""
    cases = Path(__file__).parent / "data" / "cases" / "09"
    engine = connect_store(f"duckdb:///{tmp_path}/two_tests.duckdb")
    import_file(engine, "transactions", cases / "orders_lines.csv")
    campaigns = (cases / "campaigns.csv").read_text(encoding="utf-8")
    campaigns += 'SUM1,Summer email test,email,2024-07-01,2024-07-07,100.00,"A,B",conversion\n'
    (tmp_path / "campaigns.csv").write_text(campaigns, encoding="utf-8")
    messages = (cases / "campaign_messages.csv").read_text(encoding="utf-8")
    extra = [
        f"SUMMSG{i:03d},SUM1,S{i:02d},{'A' if i < 20 else 'B'},2024-07-01 10:00,true,,,"
        for i in range(40)
    ]
    (tmp_path / "messages.csv").write_text(messages + "\n".join(extra) + "\n", encoding="utf-8")
    import_file(engine, "campaigns", tmp_path / "campaigns.csv")
    import_file(engine, "campaign_messages", tmp_path / "messages.csv")
    copilot = Copilot(Settings(home=tmp_path / "home", llm_provider="offline"), engine=engine)
    answer = copilot.ask("A/B test results of the sprng sms test")
    unknown = copilot.ask("A/B test results of the winter push test")
    engine.dispose()
    assert answer.tool_calls[0].args["campaign"] == "sprng sms"
    table = answer.tables[0].frame
    assert set(table["campaign_id"]) == {"SPR1"} and list(table["delivered"]) == [30, 30]
    assert "Summer" not in answer.text
    # A name that matches no campaign is an error naming the store's campaigns, not all of them.
    assert not unknown.tables and "Spring SMS test" in unknown.text


def test_one_variants_rates_are_a_metric_question(offline_copilot: Copilot) -> None:
    """Rates of one variant with no verdict asked are read off the store, filtered on it;
    a verdict asked of the same variant stays the test."""
    for question, variant in (
        ("open rate and click rate of version A in Spring Festival 2026 - Email A/B", "A"),
        ("Double 11 2025 - Push A/B 中B版本的转化率", "B"),
    ):
        answer = offline_copilot.ask(question)
        assert [c.name for c in answer.tool_calls] == ["query_metrics"], question
        assert answer.tool_calls[0].args["filters"]["variant"] == [variant]
    verdict = offline_copilot.ask("Double 11 2025 - Push A/B 中B版本的转化率显著更高吗")
    assert [c.name for c in verdict.tool_calls] == ["ab_test"]


def test_the_many_variants_note_of_a_sample_size_answer_comes_from_the_catalogue() -> None:
    """The Bonferroni note follows the sentence before it: a space in English, none in
    Chinese, both from the message catalogue (no English left in the Chinese answer)."""
    from copilot.evaluation.language_mix import foreign_words
    from copilot.offline.intents.ab_tests import write_sample_size_answer
    from tools.base import ToolOutput

    data = {
        "relative": False, "absolute_effect": 0.01, "baseline_rate": 0.05,
        "target_rate": 0.06, "power": 0.8, "alpha": 0.05, "per_variant": 8000,
        "total": 24000, "variants": 3, "alpha_per_comparison": 0.025,
    }  # fmt: skip
    english = write_sample_size_answer(ToolOutput(for_model="", data=data), "en", None)
    assert "for 3 variants). With 3 variants, each of the 2 challengers" in english
    chinese = write_sample_size_answer(ToolOutput(for_model="", data=data), "zh", None)
    assert "共 24,000）。共 3 个版本时" in chinese
    assert foreign_words(chinese, "zh") == ["Bonferroni"]
