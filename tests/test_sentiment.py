"""Review sentiment: the demo's reviews have known sentiment by rating, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from knowledge.demo.reviews import NEGATIVE_EN, NEGATIVE_ZH
from knowledge.semantic import load_semantic_model
from tests.conftest import AS_OF
from tools.base import ToolContext
from tools.reviews.scoring import score_texts
from tools.reviews.sentiment import review_sentiment


def context(engine: Engine) -> ToolContext:
    return ToolContext(engine=engine, semantic_model=load_semantic_model(), as_of=AS_OF)


@pytest.fixture(scope="module")
def reviews(duckdb_demo_engine: Engine) -> pd.DataFrame:
    with duckdb_demo_engine.connect() as conn:
        return pd.read_sql(
            text("SELECT r.*, p.category FROM reviews r JOIN products p ON p.sku = r.sku"), conn
        )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_positive_reviews_score_higher_than_negative_ones(
    reviews: pd.DataFrame, language: str
) -> None:
    part = reviews[reviews["language"] == language]
    scores = score_texts(part["text"]).to_numpy()
    good, bad = scores[part["rating"].to_numpy() >= 4], scores[part["rating"].to_numpy() <= 2]
    assert len(good) > 10 and len(bad) > 10
    assert good.mean() > 0 > bad.mean()
    assert (good > 0).mean() > 0.8


def test_by_category_matches_pandas_and_correlates_with_rating(
    duckdb_demo_engine: Engine, reviews: pd.DataFrame
) -> None:
    out = review_sentiment(context(duckdb_demo_engine), by="category")
    table = out.artifacts[0].frame.set_index("category")
    expected = reviews.groupby("category").agg(n=("rating", "size"), rating=("rating", "mean"))
    assert table["reviews"].to_dict() == expected["n"].to_dict()
    assert table["mean_rating"].to_numpy() == pytest.approx(
        expected.loc[table.index, "rating"].to_numpy()
    )
    assert out.data["reviews"] == len(reviews)
    assert out.data["rating_correlation"]["en"] > 0.4
    assert out.data["rating_correlation"]["zh"] > 0.4
    # The themes are the demo's complaint phrases, never its praise.
    complaints = {p.lower() for p in (*NEGATIVE_EN, *NEGATIVE_ZH)}
    assert out.data["themes"] and set(out.data["themes"]) <= complaints


def test_segment_filter_keeps_only_the_segments_reviews(
    duckdb_demo_engine: Engine, reviews: pd.DataFrame
) -> None:
    from tools.segments.rfm import rfm_table

    at_risk = set(rfm_table(duckdb_demo_engine, AS_OF).query("segment == 'At Risk'")["customer_id"])
    out = review_sentiment(context(duckdb_demo_engine), by="product", segment="At Risk")
    assert out.data["reviews"] == int(reviews["customer_id"].isin(at_risk).sum())
    by_segment = review_sentiment(context(duckdb_demo_engine), by="segment").artifacts[0].frame
    assert int(by_segment.set_index("segment").loc["At Risk", "reviews"]) == out.data["reviews"]
