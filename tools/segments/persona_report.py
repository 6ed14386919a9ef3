"""`customer_personas`: K-means clusters of buyers, each named and described in words."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field
from sqlalchemy import select

from knowledge.presentation import N_
from knowledge.presentation.numbers import format_count
from knowledge.store.fetch import QueryTimeoutError, fetch_frame
from knowledge.store.schema import Product, SavedSegment
from tools.base import (
    TableArtifact,
    ToolContext,
    ToolError,
    ToolOutput,
    catalogue_titles,
    table_preview,
    titled,
)
from tools.fit_cache import FITS, fingerprint
from tools.segments.features import persona_features
from tools.segments.personas import (
    N_INIT,
    RANDOM_STATE,
    Clustering,
    cluster,
    cluster_profiles,
    distinct_profiles,
    distinguishing,
    scaled_matrix,
)
from tools.segments.rfm import reference_date
from tools.segments.saved import NewSegment, read_saved, replace_segments
from tools.segments.wording import persona_name, phrase

MAX_K = 15
BUYERS_PER_PERSONA = 5


def customer_personas(
    ctx: ToolContext,
    k: Annotated[
        int | None,
        Field(description="Number of personas; empty to choose it by silhouette in k_min..k_max."),
    ] = None,
    k_min: Annotated[int, Field(description="Smallest number of personas to try.")] = 3,
    k_max: Annotated[int, Field(description="Largest number of personas to try.")] = 8,
    save: Annotated[
        bool, Field(description="Save every persona as a segment for later targeting.")
    ] = True,
) -> ToolOutput:
    """Cluster buyers into personas with K-means and describe each one in words.

    Features per buyer: recency, frequency, spend, AOV, category revenue shares,
    order hours, sales channels, open/click rates per message channel, age;
    log-scaled where skewed and standardised. k is chosen by silhouette (scores
    shown) unless given. Each persona gets a short name and its most
    distinguishing features versus the average buyer. Saved personas replace
    the earlier K-means segments.
    """
    _check_range(k, k_min, k_max)
    ref = reference_date(ctx.engine)
    if ref is None:
        raise ToolError.of("The store has no valid orders yet; import orders first.")
    try:
        raw, features = persona_features(ctx.engine, ref, ctx.limits.query_timeout_s)
    except QueryTimeoutError as exc:
        raise ToolError.timed_out(ctx.limits.query_timeout_s) from exc
    # About five buyers per persona at least, so a persona is a group and not a person.
    needed = max(k or 2, 2) * BUYERS_PER_PERSONA
    if len(raw) < needed:
        return _refusal(
            ref,
            N_("Only {buyers} buyers; personas need at least {needed}."),
            buyers=format_count(len(raw)),
            needed=format_count(needed),
        )
    distinct = distinct_profiles(raw, features)
    if distinct < 2:
        return _refusal(
            ref,
            N_(
                "All {buyers} buyers behave the same on every feature (recency, frequency, "
                "spend, categories, hours, channels), so they do not differ enough to cluster "
                "into personas."
            ),
            buyers=format_count(len(raw)),
        )
    z, weighted = scaled_matrix(raw, features)
    # K-means cannot fill more clusters than there are distinct buyers: more would be empty.
    top = min(k_max, len(raw) // BUYERS_PER_PERSONA, distinct)
    wanted = None if k is None else min(k, distinct)
    low = min(k_min, top)
    # The same matrix and k range give the same clustering (fixed seeds): reuse it (fit_cache.py).
    result = FITS.get_or_fit(
        "customer_personas",
        fingerprint(weighted, wanted, low, top, N_INIT, RANDOM_STATE),
        lambda: _read_only(cluster(weighted, wanted, low, top)),
    )
    personas = _describe(ctx, z, raw, features, result.labels, result.k)
    saved: list[str] = []
    if save:
        saved = _save(ctx, ref, raw.index, result.labels, personas, result.silhouette)
    output = _output(ctx, ref, personas, result.k, result.silhouette, saved, k is None)
    if k is not None and result.k < k:
        notes = catalogue_titles(
            N_(
                "{asked} personas were asked, but the buyers show only {distinct} different "
                "behaviours, so there are {k}."
            ),
            asked=k,
            distinct=distinct,
            k=result.k,
        )
        note = notes["en"]
        output.data.update(note=note, note_zh=notes["zh"])
        output.for_model += f"\n{note}"
    return output


def _read_only(result: Clustering) -> Clustering:
    """The clustering with its labels read-only: a cached result is shared by requests."""
    result.labels.setflags(write=False)
    return result


def _refusal(ref: date, message: str, **values: Any) -> ToolOutput:
    """No personas: the catalogue's reason in English and Chinese (the writer picks the
    question's); not a ToolError, so the answer explains instead of reporting a failure."""
    texts = catalogue_titles(message, **values)
    return ToolOutput(
        for_model=texts["en"],
        data={"as_of": ref.isoformat(), "refusal": texts["en"], "refusal_zh": texts["zh"]},
    )


def _check_range(k: int | None, k_min: int, k_max: int) -> None:
    if k is not None and not 2 <= k <= MAX_K:
        raise ToolError.of("k must be between 2 and {maximum}.", maximum=MAX_K)
    if k is None and not 2 <= k_min <= k_max <= MAX_K:
        raise ToolError.of("Give 2 <= k_min <= k_max <= {maximum}.", maximum=MAX_K)


def _category_names_zh(ctx: ToolContext) -> dict[str, str]:
    statement = select(Product.category, Product.category_zh).distinct()
    frame = fetch_frame(ctx.engine, statement, ctx.limits.query_timeout_s).dropna()
    return dict(zip(frame["category"].astype(str), frame["category_zh"].astype(str), strict=True))


def _describe(
    ctx: ToolContext,
    z: np.ndarray,
    raw: pd.DataFrame,
    features: list,
    labels: np.ndarray,
    k: int,
) -> list[dict[str, Any]]:
    category_zh = _category_names_zh(ctx)
    profiles = cluster_profiles(z, raw, features, labels, k)
    total_revenue = float(raw["monetary"].sum())
    personas: list[dict[str, Any]] = []
    used: set[str] = set()
    for label, profile in enumerate(profiles):
        rows = labels == label
        top = distinguishing(profile)
        name, name_zh = persona_name(profile, category_zh)
        if name in used:  # two clusters can share their top features
            name, name_zh = f"{name} ({label + 1})", f"{name_zh}（{label + 1}）"
        used.add(name)
        personas.append(
            {
                "label": label,
                "name": name,
                "name_zh": name_zh,
                "customers": int(rows.sum()),
                "share": float(rows.mean()),
                "revenue_share": float(raw.loc[rows, "monetary"].sum() / total_revenue),
                "avg_recency_days": float(raw.loc[rows, "recency_days"].mean()),
                "avg_frequency": float(raw.loc[rows, "frequency"].mean()),
                "avg_monetary": float(raw.loc[rows, "monetary"].mean()),
                "description": ", ".join(
                    phrase(r, "en", ctx.currency, category_zh) for _, r in top.iterrows()
                ),
                "description_zh": "，".join(
                    phrase(r, "zh", ctx.currency, category_zh) for _, r in top.iterrows()
                ),
                "top_features": [
                    {"feature": r.feature, "z": round(float(r.z), 2), "ratio": _num(r.ratio)}
                    for r in top.itertuples(index=False)
                ],
                "centroid_z": {
                    r.feature: round(float(r.z), 3) for r in profile.itertuples(index=False)
                },
            }
        )
    return personas


def _num(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value), 2)


def _save(
    ctx: ToolContext,
    ref: date,
    customers: pd.Index,
    labels: np.ndarray,
    personas: list[dict[str, Any]],
    silhouette: dict[int, float],
) -> list[str]:
    others = {
        name
        for name, kind in read_saved(ctx, select(SavedSegment.name, SavedSegment.kind))
        if kind != "kmeans"
    }
    ids = pd.Series(customers.astype(str), dtype=object)
    segments = []
    for persona in personas:
        name = persona["name"]
        if name in others:  # never take over a segment the marketer saved under this name
            name = f"{name} (persona)"
        segments.append(
            NewSegment(
                name=name,
                definition={
                    "method": "kmeans",
                    "as_of": ref.isoformat(),
                    "k": len(personas),
                    "cluster": persona["label"],
                    "name_zh": persona["name_zh"],
                    "description": persona["description"],
                    "centroid_z": persona["centroid_z"],
                    "silhouette": {str(k): round(v, 4) for k, v in silhouette.items()},
                    "random_state": RANDOM_STATE,
                    "n_init": N_INIT,
                },
                size=persona["customers"],
                members=ids[labels == persona["label"]].reset_index(drop=True),
            )
        )
    replace_segments(ctx.state_engine, "kmeans", segments)
    return [s.name for s in segments]


def _output(
    ctx: ToolContext,
    ref: date,
    personas: list[dict[str, Any]],
    k: int,
    silhouette: dict[int, float],
    saved: list[str],
    chosen: bool,
) -> ToolOutput:
    table = pd.DataFrame(
        {
            "persona": [p["name"] for p in personas],
            "customers": [p["customers"] for p in personas],
            "customer_share": [round(p["share"], 4) for p in personas],
            "revenue_share": [round(p["revenue_share"], 4) for p in personas],
            "avg_recency_days": [round(p["avg_recency_days"], 1) for p in personas],
            "avg_frequency": [round(p["avg_frequency"], 1) for p in personas],
            "avg_monetary": [round(p["avg_monetary"], 2) for p in personas],
            "description": [p["description"] for p in personas],
        }
    )
    scores = pd.DataFrame(
        {"k": list(silhouette), "silhouette": [round(v, 4) for v in silhouette.values()]}
    )
    how = "chosen by silhouette" if chosen else "given"
    title = f"Customer personas (K-means, k = {k} {how}, as of {ref.isoformat()})"
    text = f"{title}\n{table_preview(table)}\nsilhouette by k: " + ", ".join(
        f"k={row.k}: {row.silhouette:.3f}" for row in scores.itertuples()
    )
    if saved:
        text += f"\nSaved as segments: {', '.join(saved)}"
    data = {
        "as_of": ref.isoformat(),
        "k": k,
        "k_chosen_by_silhouette": chosen,
        "silhouette": {int(key): float(v) for key, v in silhouette.items()},
        "buyers": int(table["customers"].sum()),
        "personas": personas,
        "saved": saved,
    }
    return ToolOutput(
        for_model=text,
        artifacts=[
            TableArtifact(
                **titled(
                    N_("Customer personas (K-means, k = {k} chosen by silhouette, as of {date})")
                    if chosen
                    else N_("Customer personas (K-means, k = {k} as asked, as of {date})"),
                    k=k,
                    date=ref.isoformat(),
                ),
                frame=table,
                chart="bar",
            ),
            TableArtifact(**titled("Silhouette score by k"), frame=scores, chart="line"),
        ],
        data=data,
    )
