"""Charts that fit their data: each value axis in its metric's unit, A/B rates with intervals.

Driven by real tool outputs on the demo store (query_metrics, ab_test), so the units
come from the semantic model the way the product gets them.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from sqlalchemy import Engine, text
from statsmodels.stats.proportion import proportion_confint

from copilot.charts import chart_for_table, to_plotly, to_png
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.ab_testing import ab_test
from tools.base import TableArtifact, ToolContext
from tools.metrics import query_metrics
from tools.reviews.sentiment import review_sentiment
from tools.send_time import best_send_time


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


def png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


# --- the unit of each axis ---------------------------------------------------------------


def test_revenue_vs_last_year_draws_the_money_and_leaves_the_change_in_the_table(
    duckdb_demo_engine: Engine,
) -> None:
    output = query_metrics(
        context(duckdb_demo_engine),
        ["revenue"],
        ["month"],
        time_range="this year",
        compare_to="last year",
    )
    table = output.artifacts[0]
    assert table.formats["revenue_change"] == "percent"
    assert table.formats["revenue"] == table.formats["revenue_previous"] == "money"
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "line"
    # One unit per chart: a percent change beside money on a second axis was misread.
    assert spec.y == ("revenue", "revenue_previous") and spec.y_format == "money"
    figure = to_plotly(spec)
    assert (
        figure.layout.yaxis.tickprefix == "¥" and "yaxis2" not in figure.to_plotly_json()["layout"]
    )
    assert [trace.name for trace in figure.data] == ["Revenue", "Revenue (comparison period)"]
    assert {trace.yaxis for trace in figure.data} <= {None, "y"}
    assert figure.layout.yaxis.title.text
    assert (
        figure.layout.xaxis.title.text
        and figure.layout.title.text.replace("<br>", " ") == table.title
    )
    assert png_size(to_png(spec)) == (900, 500)


def test_the_name_alone_no_longer_makes_a_change_money() -> None:
    # Without declared formats (a free SQL result): "<money word>_change" is still a ratio.
    frame = pd.DataFrame(
        {
            "month": pd.date_range("2025-01-01", periods=4, freq="MS"),
            "revenue": [1.0e6, 1.1e6, 0.9e6, 1.2e6],
            "revenue_change": [0.10, 0.12, -0.05, 0.30],
        }
    )
    spec = chart_for_table(TableArtifact("Revenue and its change", frame))
    assert spec is not None and spec.y == ("revenue",) and spec.y_format == "money"
    frame = frame.rename(columns={"revenue": "month_index"})[["month", "revenue_change"]]
    spec = chart_for_table(TableArtifact("The change alone", frame))
    assert spec is not None and spec.y_format == "percent"


@pytest.mark.parametrize(
    ("metric", "unit"),
    [("revenue", "money"), ("orders", "integer"), ("repurchase_rate", "percent"), ("aov", "money")],
)
def test_each_metric_is_drawn_in_its_semantic_model_unit(
    duckdb_demo_engine: Engine, metric: str, unit: str
) -> None:
    output = query_metrics(context(duckdb_demo_engine), [metric], ["channel"])
    assert load_semantic_model().metric(metric).format == unit
    spec = chart_for_table(output.artifacts[0])
    assert spec is not None and spec.kind == "bar" and spec.y_format == unit
    axis = to_plotly(spec).layout.xaxis if spec.horizontal else to_plotly(spec).layout.yaxis
    assert axis.tickprefix == ("¥" if unit == "money" else "")
    assert axis.tickformat == {"percent": ".0%", "integer": ",d"}.get(unit, "")


def test_declared_formats_win_over_the_column_name() -> None:
    frame = pd.DataFrame({"city": ["A", "B", "C"], "total": [0.2, 0.3, 0.25]})
    guessed = chart_for_table(TableArtifact("Share", frame))
    declared = chart_for_table(TableArtifact("Share", frame, formats={"total": "percent"}))
    assert guessed is not None and guessed.y_format == "money"  # "total" reads as money
    assert declared is not None and declared.y_format == "percent"


def test_small_counts_get_whole_ticks() -> None:
    frame = pd.DataFrame({"city": ["A", "B", "C"], "orders": [1, 3, 2]})
    spec = chart_for_table(TableArtifact("Orders", frame))
    assert spec is not None and spec.y_format == "integer"
    axis = to_plotly(spec).layout.yaxis
    assert axis.tickformat == ",d" and axis.dtick == 1


# --- A/B tests: the rate per variant with its interval --------------------------------------


def test_ab_chart_shows_each_variants_rate_with_its_interval(duckdb_demo_engine: Engine) -> None:
    output = ab_test(context(duckdb_demo_engine), campaign="Spring Festival")
    table = output.artifacts[0]
    frame = table.frame
    assert {"conversion_rate_ci_low", "conversion_rate_ci_high"} <= set(frame.columns)
    for row in frame.itertuples():
        events, delivered = row.conversions, row.delivered
        low, high = proportion_confint(events, delivered, alpha=0.05, method="wilson")
        assert (row.conversion_rate_ci_low, row.conversion_rate_ci_high) == pytest.approx(
            (low, high)
        )
        assert row.conversion_rate_ci_low < row.conversion_rate < row.conversion_rate_ci_high
    spec = chart_for_table(table)
    assert spec is not None and spec.kind == "bar" and spec.y == ("conversion_rate",)
    assert spec.x == "variant" and spec.y_format == "percent"  # the campaign id is the title
    assert spec.errors == {"conversion_rate": ("conversion_rate_ci_low", "conversion_rate_ci_high")}
    (bar,) = to_plotly(spec).data
    assert isinstance(bar, go.Bar) and list(bar.x) == frame["variant"].tolist()
    assert np.allclose(
        bar.error_y.array, frame["conversion_rate_ci_high"] - frame["conversion_rate"]
    )
    assert np.allclose(
        bar.error_y.arrayminus, frame["conversion_rate"] - frame["conversion_rate_ci_low"]
    )
    assert png_size(to_png(spec)) == (900, 500)


def test_ab_chart_of_several_campaigns_groups_variants_by_campaign(
    duckdb_demo_engine: Engine,
) -> None:
    with duckdb_demo_engine.connect() as conn:
        ab = conn.execute(text("SELECT count(*) FROM campaigns WHERE name LIKE '%A/B%'")).scalar()
    output = ab_test(context(duckdb_demo_engine))
    frame = output.artifacts[0].frame
    assert frame["campaign_id"].nunique() == ab >= 2
    spec = chart_for_table(output.artifacts[0])
    assert spec is not None and spec.x == "campaign_id" and spec.series == "variant"
    figure = to_plotly(spec)
    assert sorted(t.name for t in figure.data) == sorted(frame["variant"].unique())
    for trace in figure.data:
        rows = frame[frame["variant"] == trace.name]
        assert list(trace.x) == rows["campaign_id"].tolist()
        assert np.allclose(
            trace.error_y.array, rows["conversion_rate_ci_high"] - rows["conversion_rate"]
        )


# --- charts of the title's measure, in the table's own order ------------------------------


def test_send_time_charts_the_rate_per_hour_in_hour_order(duckdb_demo_engine: Engine) -> None:
    hours, weekdays, people = best_send_time(context(duckdb_demo_engine)).artifacts
    for table in (hours, weekdays):
        spec = chart_for_table(table)
        assert spec is not None and spec.kind == "bar" and spec.y == ("rate",)
        assert spec.y_format == "percent" and not spec.horizontal
        assert spec.data[spec.x].tolist() == table.frame.iloc[:, 0].astype(str).tolist()
    assert chart_for_table(people) is None  # no bar per customer


def test_sentiment_charts_the_sentiment_not_the_review_count(duckdb_demo_engine: Engine) -> None:
    by_category, themes = review_sentiment(context(duckdb_demo_engine)).artifacts
    spec = chart_for_table(by_category)
    assert spec is not None and spec.y == ("mean_sentiment",)
    spec = chart_for_table(themes)
    assert spec is not None and spec.y == ("share",) and spec.y_format == "percent"
