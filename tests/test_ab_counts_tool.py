"""ab_test on counts the user gives (issue 11): the same statistics as a store campaign,
checked against independent computations (scipy, statsmodels), and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency, fisher_exact, norm
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from copilot.offline.intents.ab_tests import write_ab_test_answer
from copilot.offline.intents.base import PlannerContext
from copilot.tool_adapter import args_schema
from knowledge.semantic import load_semantic_model
from tools.ab_testing import ab_test
from tools.base import ToolContext, ToolError
from tools.experiments.observed import ObservedCounts


def _counts(*rows: tuple[str, int, int]) -> list[dict]:
    return [{"variant": v, "trials": n, "events": x} for v, n, x in rows]


def _run(*rows: tuple[str, int, int], **kwargs):  # noqa: ANN202
    # No store is needed: the counts are the user's (ctx is never read on this path).
    return ab_test(ToolContext(engine=None, semantic_model=None), counts=_counts(*rows), **kwargs)


# (control trials, control events, variant trials, variant events): large counts (z-test) and
# small ones (an expected cell below 5: Fisher's exact test).
Z_CASES = [(1000, 50, 1000, 65), (5000, 105, 5000, 130), (2400, 310, 2600, 402), (800, 8, 820, 25)]
EXACT_CASES = [(30, 0, 30, 4), (20, 1, 20, 6), (12, 2, 12, 2), (50, 1, 50, 3)]


@pytest.mark.parametrize(("n0", "x0", "n1", "x1"), Z_CASES)
def test_z_test_on_given_counts_matches_statsmodels(n0: int, x0: int, n1: int, x1: int) -> None:
    output = _run(("A", n0, x0), ("B", n1, x1))
    (result,) = output.data["campaigns"]
    (c,) = result["comparisons"]
    z, p = proportions_ztest([x1, x0], [n1, n0])
    assert c["test"] == "two-sided pooled two-proportion z-test"
    assert c["p_value"] == pytest.approx(p, rel=1e-9) and c["z"] == pytest.approx(z, rel=1e-9)
    lift = x1 / n1 - x0 / n0
    assert c["absolute_lift"] == pytest.approx(lift)
    assert c["relative_lift"] == pytest.approx(lift / (x0 / n0))
    assert c["ci_low"] < lift < c["ci_high"]
    assert c["significant"] == (p < 0.05) == (c["ci_low"] > 0 or c["ci_high"] < 0)
    # Needed size: Cohen's h, the closed form of statsmodels' NormalIndPower.
    h = 2 * math.asin(math.sqrt(x1 / n1)) - 2 * math.asin(math.sqrt(x0 / n0))
    needed = math.ceil(2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / abs(h)) ** 2)
    assert c["needed_per_variant"] == needed
    assert c["more_needed"] == (needed - min(n0, n1) if needed > min(n0, n1) else None)


@pytest.mark.parametrize(("n0", "x0", "n1", "x1"), EXACT_CASES)
def test_small_counts_use_fishers_exact_test(n0: int, x0: int, n1: int, x1: int) -> None:
    output = _run(("control", n0, x0), ("new", n1, x1))
    (c,) = output.data["campaigns"][0]["comparisons"]
    assert c["test"] == "two-sided Fisher's exact test" and c["ci_of"] == "odds ratio"
    # Equal groups: scipy's two-sided p (tables no likelier) equals the doubled smaller tail.
    assert c["p_value"] == pytest.approx(
        fisher_exact([[x1, n1 - x1], [x0, n0 - x0]]).pvalue, rel=1e-9
    )
    assert c["significant"] == (c["p_value"] < 0.05) == (c["ci_low"] > 1 or c["ci_high"] < 1)
    assert "Fisher's exact test" in output.for_model


def test_three_variants_get_a_chi_square_like_scipy() -> None:
    rows = (("A", 1000, 30), ("B", 1000, 45), ("C", 900, 20))
    output = _run(*rows, metric="ctr")
    (result,) = output.data["campaigns"]
    table = np.array([[x, n - x] for _, n, x in rows])
    expected = chi2_contingency(table)
    assert result["chi_square"]["chi2"] == pytest.approx(expected.statistic, rel=1e-12)
    assert result["chi_square"]["p_value"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert result["chi_square"]["dof"] == 2
    for comparison in result["comparisons"]:
        _, n, x = next(r for r in rows if r[0] == comparison["variant"])
        assert comparison["p_value"] == pytest.approx(proportions_ztest([x, 30], [n, 1000])[1])
    assert any("across all 3 variants" in v for v in output.data["verdicts"])


def test_the_answer_says_the_numbers_are_the_users_and_restates_them() -> None:
    output = _run(("A", 1000, 50), ("B", 1000, 65))
    data = output.data
    assert data["source"] == "counts" and data["campaigns"][0]["campaign_id"] is None
    assert data["counts"] == _counts(("A", 1000, 50), ("B", 1000, 65))
    assert "Your numbers, as given (not from the store's campaigns)" in output.for_model
    assert "A: 50 conversions of 1,000 (5.0%); B: 65 conversions of 1,000 (6.5%)" in (
        output.for_model
    )
    frame = output.artifacts[0].frame
    assert list(frame["variant"]) == ["A", "B"] and list(frame["size"]) == [1000, 1000]
    assert "campaign_id" not in frame and "delivered" not in frame
    low, high = proportion_confint(50, 1000, alpha=0.05, method="wilson")
    assert (frame["conversion_rate_ci_low"][0], frame["conversion_rate_ci_high"][0]) == (
        pytest.approx((low, high))
    )
    ctx = PlannerContext(load_semantic_model())
    english = write_ab_test_answer(output, "en", ctx)
    assert "not the store's campaigns" in english and "6.5%" in english and "p = 0.15" in english
    assert "more per variant" in english and "delivered messages" not in english
    chinese = write_ab_test_answer(output, "zh", ctx)
    assert "您在问题中给出的数据" in chinese and "1,000 人中转化 65" in chinese
    assert "在 5% 水平上没有显著差异" in chinese and "条送达消息" not in chinese


def test_a_stricter_alpha_turns_the_verdict() -> None:
    rows = (("A", 5000, 200), ("B", 5000, 250))
    p = proportions_ztest([250, 200], [5000, 5000])[1]
    assert p < 0.05
    assert _run(*rows).data["campaigns"][0]["winner"] == "B"
    strict = _run(*rows, alpha=p / 2).data["campaigns"][0]
    assert not strict["comparisons"][0]["significant"] and strict["winner"] is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("A", 1000, 50),), "at least two variants"),
        ((("A", 100, 120), ("B", 100, 10)), "cannot exceed trials"),
        ((("A", 100, -1), ("B", 100, 10)), "must not be negative"),
        ((("A", 0, 0), ("B", 100, 10)), "above 0"),
        ((("A", -5, 0), ("B", 100, 10)), "above 0"),
        ((("A", 100, 5), ("a", 100, 10)), "appears twice"),
        ((("  ", 100, 5), ("B", 100, 10)), "has no name"),
    ],
)
def test_bad_counts_get_clear_errors_in_both_languages(rows: tuple, message: str) -> None:
    with pytest.raises(ToolError, match=message) as raised:
        _run(*rows)
    assert raised.value.translations.get("zh")  # from the catalogue, told in Chinese too


def test_counts_exclude_a_campaign_and_malformed_entries() -> None:
    ctx = ToolContext(engine=None, semantic_model=None)
    counts = _counts(("A", 100, 5), ("B", 100, 9))
    with pytest.raises(ToolError, match="not both"):
        ab_test(ctx, campaign="CMP010", counts=counts)
    with pytest.raises(ToolError, match="not both"):
        ab_test(ctx, variant="B", counts=counts)
    with pytest.raises(ToolError, match="whole numbers for trials"):
        ab_test(ctx, counts=[{"variant": "A", "trials": "many"}, counts[1]])


def test_the_schema_the_model_sees_describes_counts() -> None:
    schema = args_schema(ab_test).model_json_schema()
    counts = schema["properties"]["counts"]
    assert "instead of a store campaign" in counts["description"]
    assert "never with `campaign`" in counts["description"]
    item = schema["$defs"]["ObservedCounts"]["properties"]
    assert {"variant", "trials", "events"} <= set(item)
    assert "visitors" in item["trials"]["description"]
    # As the agent loop passes them: parsed into ObservedCounts, then analysed alike.
    parsed = args_schema(ab_test).model_validate({"counts": _counts(("A", 30, 0), ("B", 30, 4))})
    assert all(isinstance(c, ObservedCounts) for c in parsed.counts)
    ctx = ToolContext(engine=None, semantic_model=None)
    assert ab_test(ctx, counts=parsed.counts).data["counts"] == _counts(("A", 30, 0), ("B", 30, 4))


def test_the_counts_table_charts_each_variants_rate_with_its_interval() -> None:
    from copilot.charts import chart_for_table
    from knowledge.presentation.labels import column_label

    table = _run(("A", 1000, 50), ("B", 1000, 65)).artifacts[0]
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "bar" and spec.x == "variant"
    assert spec.errors == {"conversion_rate": ("conversion_rate_ci_low", "conversion_rate_ci_high")}
    # Headers a Chinese reader sees: no English column name left over.
    assert [column_label(c, "zh") for c in table.frame.columns[:4]] == [
        "版本",
        "人数",
        "转化数",
        "转化率",
    ]


def test_the_chinese_campaign_lines_come_from_the_catalogue(marked_catalogue: str) -> None:
    """Each comparison, its test, its interval and the chi-square line of a Chinese answer
    are read from the message catalogue (no sentence written inline for one language)."""
    ctx = PlannerContext(load_semantic_model())
    output = _run(("A", 20, 1), ("B", 20, 6), ("C", 20, 2))
    lines = write_ab_test_answer(output, marked_catalogue, ctx).splitlines()
    line = next(t for t in lines if "您给出的数据：" in t and "人中转化" not in t)
    assert line.startswith("⟦- 您给出的数据：⟧⟦⟦") and line.endswith("⟧")
    assert "⟦有期望频数低于 5（最小" in line and "⟦优势比的 95% 置信区间" in line
    assert "⟦全部 3 个版本的卡方检验 p = " in line
    # Once the marks are gone the line reads as it always has.
    plain = line.replace("⟦", "").replace("⟧", "")
    assert plain.startswith("- 您给出的数据：B 与 A 在 5% 水平上没有显著差异（30.0% 对 5.0%；")


def test_the_table_shows_rates_differences_and_their_intervals_as_percent_and_points() -> None:
    """The lift and the interval of the difference are percentage points ("+1.0 pp" / "个百分点"),
    never a raw fraction beside percentages; headers say what the interval is of; a Fisher
    test's interval is of the odds ratio, in columns of its own (one unit per column)."""
    from knowledge.presentation import display_frame

    output = _run(("A", 2400, 48), ("B", 2350, 71))
    table = output.artifacts[0]
    assert "ci_of" not in table.frame and "odds_ratio_ci_low" not in table.frame
    english = display_frame(table.frame, "en", formats=table.formats)
    b = english.iloc[1]
    assert b["Absolute lift"] == "+1.0 pp" and b["Conversion rate"] == "3.0%"
    assert (b["Difference, interval low"], b["Difference, interval high"]) == ("+0.1 pp", "+1.9 pp")
    chinese = display_frame(table.frame, "zh", formats=table.formats)
    assert chinese.iloc[1]["绝对提升"] == "+1.0 个百分点"
    assert chinese.iloc[1]["差值置信区间下限"] == "+0.1 个百分点"
    small = _run(("control", 20, 1), ("new", 20, 6)).artifacts[0]
    assert "difference_ci_low" not in small.frame
    shown = display_frame(small.frame, "en", formats=small.formats).iloc[1]
    assert "pp" not in shown["Odds ratio, interval low"] and "%" not in shown["Odds ratio, interval high"]
