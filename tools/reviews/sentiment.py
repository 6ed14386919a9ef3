"""`review_sentiment`: how customers feel, per product, category or RFM segment."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field
from sqlalchemy import Select, select

from knowledge.presentation import N_
from knowledge.store.schema import Product, Review
from tools.base import TableArtifact, ToolContext, ToolError, ToolOutput, table_preview, titled
from tools.periods import resolve_period
from tools.profiles.members import find_segment, run_query
from tools.reviews.scoring import NEGATIVE_BELOW, negative_themes, score_texts
from tools.segments.rfm import reference_date, rfm_select

Grouping = Literal["product", "category", "segment"]
# Table titles per grouping (catalogue ids).
_BY_TITLES = {
    "product": N_("Review sentiment by product"),
    "category": N_("Review sentiment by category"),
    "segment": N_("Review sentiment by segment"),
}
_NO_SEGMENT = "(no valid order)"


def review_sentiment(
    ctx: ToolContext,
    by: Annotated[
        Grouping, Field(description="Group by product, category or the reviewer's RFM segment.")
    ] = "category",
    segment: Annotated[
        str | None, Field(description="Only reviews by this saved or RFM segment.")
    ] = None,
    category: Annotated[
        str | None, Field(description="Only reviews of this category (English or Chinese name).")
    ] = None,
    time_range: Annotated[
        str | None, Field(description="Period of the review date, e.g. 'last 90 days'.")
    ] = None,
) -> ToolOutput:
    """Sentiment of review text (Chinese and English) per product, category or RFM segment.

    Each review is scored -1..+1 offline (VADER for English, SnowNLP for
    Chinese). Returns per group: reviews, mean sentiment, share negative, mean
    rating; the correlation of sentiment with star rating as a sanity check;
    and the top negative themes (phrases typical of 1-2 star reviews).
    """
    frame = _reviews(ctx, segment, category, time_range)
    if frame.empty:
        raise ToolError.of("No reviews match; widen the period or drop the segment / category.")
    frame["sentiment"] = score_texts(frame["text"]).to_numpy()
    frame = frame.dropna(subset=["sentiment"])
    frame["negative"] = frame["sentiment"] <= NEGATIVE_BELOW
    if by == "segment":
        frame["group"] = _rfm_segments(ctx, frame["customer_id"])
    else:
        frame["group"] = frame["name" if by == "product" else "category"].fillna("(unknown)")
    table = (
        frame.groupby("group")
        .agg(
            reviews=("sentiment", "size"),
            mean_sentiment=("sentiment", "mean"),
            share_negative=("negative", "mean"),
            mean_rating=("rating", "mean"),
        )
        .reset_index()
        .rename(columns={"group": by})
        .sort_values(["mean_sentiment", by])
        .reset_index(drop=True)
    )
    # Themes come from low-rated reviews: the stars are the customer's own verdict, while
    # the text model misreads some phrases (SnowNLP scores "客服态度很好" negative).
    low = frame["rating"].le(2).where(frame["rating"].notna(), frame["negative"]).astype(bool)
    themes = negative_themes(frame.loc[low, "text"], frame.loc[~low, "text"])
    correlation = _correlation(frame)
    data = _data(frame, table, themes, correlation, by, segment, category)
    text = (
        f"Review sentiment by {by} ({len(frame)} reviews; -1 negative .. +1 positive); "
        f"mean {data['mean_sentiment']:.2f}, {data['share_negative']:.1%} negative; "
        f"Spearman correlation with rating {correlation['overall']}\n"
        f"{table_preview(table)}\nnegative themes:\n{table_preview(themes, 10)}"
    )
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(_BY_TITLES.get(by, "Review sentiment by {by}"), by=by),
                frame=table,
                chart="bar",
                chart_values=("mean_sentiment",),  # the title's measure, not the review count
                formats={"reviews": "integer", "share_negative": "percent"},
            ),
            TableArtifact(
                **titled("Top negative themes"),
                frame=themes,
                chart_values=("share",),
                formats={
                    "reviews": "integer",
                    "share": "percent",
                    "share_in_other_reviews": "percent",
                },
            ),
        ],
        data=data,
    )


def _reviews(
    ctx: ToolContext, segment: str | None, category: str | None, time_range: str | None
) -> pd.DataFrame:
    statement: Select = select(
        Review.customer_id,
        Review.rating,
        Review.text,
        Review.language,
        Product.name_en.label("name"),
        Product.category,
    ).outerjoin(Product, Product.sku == Review.sku)
    if segment:
        statement = statement.where(Review.customer_id.in_(find_segment(ctx, segment).members))
    if category:
        from tools.segments.rule_compiler import resolve_categories

        statement = statement.where(
            Product.category.in_(resolve_categories(ctx.engine, [category]))
        )
    period = resolve_period(ctx, time_range)
    if period is not None:
        # Reviews carry a timestamp; the period's last day counts whole.
        statement = statement.where(
            Review.created_at >= pd.Timestamp(period.start).to_pydatetime(),
            Review.created_at < (pd.Timestamp(period.end) + pd.Timedelta(days=1)).to_pydatetime(),
        )
    frame = run_query(ctx, statement)
    frame["rating"] = pd.to_numeric(frame["rating"]).astype(float)
    frame["customer_id"] = frame["customer_id"].astype(str)
    return frame


def _rfm_segments(ctx: ToolContext, customers: pd.Series) -> pd.Series:
    ref = reference_date(ctx.engine, ctx.as_of)
    if ref is None:
        return pd.Series(_NO_SEGMENT, index=customers.index)
    rfm = rfm_select(ctx.engine.dialect.name, ref).subquery("rfm")
    scores = run_query(ctx, select(rfm.c.customer_id, rfm.c.segment))
    lookup = dict(zip(scores["customer_id"].astype(str), scores["segment"], strict=True))
    return customers.map(lambda c: lookup.get(c, _NO_SEGMENT))


def _correlation(frame: pd.DataFrame) -> dict[str, float | None]:
    """Spearman correlation of sentiment with rating, overall and per language."""
    from scipy.stats import spearmanr  # scipy.stats costs ~1.5 s to import: load it when used

    out: dict[str, float | None] = {}
    parts = {"overall": frame, **dict(iter(frame.groupby(frame["language"].fillna("?"))))}
    for key, part in parts.items():
        ok = len(part) >= 3 and part["rating"].nunique() > 1 and part["sentiment"].nunique() > 1
        out[str(key)] = (
            round(float(spearmanr(part["sentiment"], part["rating"])[0]), 3) if ok else None
        )
    return out


def _data(
    frame: pd.DataFrame,
    table: pd.DataFrame,
    themes: pd.DataFrame,
    correlation: dict[str, float | None],
    by: str,
    segment: str | None,
    category: str | None,
) -> dict[str, Any]:
    ranked = table[table["reviews"] >= 5] if (table["reviews"] >= 5).any() else table
    return {
        "by": by,
        "segment": segment,
        "category": category,
        "reviews": len(frame),
        "mean_sentiment": float(frame["sentiment"].mean()),
        "share_negative": float(frame["negative"].mean()),
        "rating_correlation": correlation,
        "most_negative": ranked.iloc[0][by] if len(ranked) else None,
        "most_positive": ranked.iloc[-1][by] if len(ranked) else None,
        "themes": themes["theme"].head(5).tolist(),
    }
