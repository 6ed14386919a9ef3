"""Sentiment of review text, offline: VADER for English, SnowNLP for Chinese.

Both ship their lexicon / model inside the PyPI package, so nothing is
downloaded at run time. Scores are put on one scale, -1 (negative) to +1
(positive): VADER's compound score as it is, SnowNLP's P(positive) as 2p - 1.
SnowNLP loads its models on import (several seconds), so it is imported on
first use only, and every distinct text is scored once (review texts repeat).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd

# VADER's conventional cut: compound <= -0.05 is negative.
NEGATIVE_BELOW = -0.05
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_SPLIT = re.compile(r"[,，。.!！?？;；、\n]+|\bbut\b|但是|但|不过|可是")


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _snownlp() -> Any:
    from snownlp import SnowNLP

    return SnowNLP


def text_language(text: str) -> str:
    """'zh' when the text contains Chinese characters, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


@cache
def score_text(text: str) -> float:
    """Sentiment of one text on -1..+1 (0 for empty text)."""
    text = text.strip()
    if not text:
        return 0.0
    if text_language(text) == "zh":
        return 2.0 * float(_snownlp()(text).sentiments) - 1.0
    return float(_vader().polarity_scores(text)["compound"])


def score_texts(texts: Iterable[str | None]) -> pd.Series:
    """Sentiment of each text (NaN for missing text), scoring each distinct text once."""
    series = pd.Series(list(texts), dtype=object)
    distinct = series.dropna().astype(str).unique()
    scores = {text: score_text(text) for text in distinct}
    return series.map(lambda t: scores.get(str(t)) if t is not None and t == t else None).astype(
        float
    )


def clauses(text: str) -> list[str]:
    """The clauses of a review ("Poor quality, overpriced." -> ["poor quality", "overpriced"])."""
    parts = (p.strip(" \t'\"“”").lower() for p in _CLAUSE_SPLIT.split(text or ""))
    return [p for p in parts if len(p) >= 2]


def negative_themes(negative: Iterable[str], other: Iterable[str], top: int = 10) -> pd.DataFrame:
    """The clauses most typical of negative reviews: theme, reviews, share, share elsewhere.

    A clause counts once per review; it is a theme when it is more common in
    negative reviews than in the others, so the praise half of a mixed review
    ("nice colour, but runs small") is not taken for a complaint.
    """
    neg, rest = _clause_shares(negative), _clause_shares(other)
    columns = ["theme", "reviews", "share", "share_in_other_reviews"]
    if neg.empty:
        return pd.DataFrame(columns=columns)
    frame = neg.merge(
        rest[["theme", "share"]].rename(columns={"share": "share_in_other_reviews"}),
        on="theme",
        how="left",
    )
    frame["share_in_other_reviews"] = frame["share_in_other_reviews"].fillna(0.0)
    frame = frame[(frame["share"] > frame["share_in_other_reviews"]) & (frame["reviews"] >= 2)]
    frame = frame.sort_values(["reviews", "theme"], ascending=[False, True]).head(top)
    return frame[columns].reset_index(drop=True)


def _clause_shares(texts: Iterable[str]) -> pd.DataFrame:
    """theme, reviews (containing it), share (of the texts)."""
    texts = [t for t in texts if t]
    counts: dict[str, int] = {}
    for text in texts:
        for clause in set(clauses(text)):
            counts[clause] = counts.get(clause, 0) + 1
    frame = pd.DataFrame(list(counts.items()), columns=["theme", "reviews"])
    frame["share"] = frame["reviews"] / max(len(texts), 1)
    return frame
