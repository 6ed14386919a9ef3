"""K-means personas: scaling the features, choosing k by silhouette, describing clusters.

k is chosen on a fixed-seed sample of at most FIT_SAMPLE buyers (silhouette on
at most SILHOUETTE_SAMPLE of them); on bigger stores every buyer then joins the
nearest centre of the chosen model (a sample of 20,000 places a handful of
centres in ~30 dimensions well, and it keeps a million buyers within seconds). Everything uses a
fixed random_state and n_init, so the same data gives the same personas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from tools.segments.features import GROUP_DAMPING, LOG_FEATURES, Feature

RANDOM_STATE = 0
N_INIT = 4
FIT_SAMPLE = 20_000
SILHOUETTE_SAMPLE = 10_000
# A feature distinguishes a cluster when its mean is this many standard deviations off.
DISTINCT_Z = 0.5


@dataclass(frozen=True)
class Clustering:
    """The chosen k, the silhouette of every k tried, and each buyer's cluster (0..k-1)."""

    k: int
    silhouette: dict[int, float]
    labels: np.ndarray


def scaled_matrix(raw: pd.DataFrame, features: list[Feature]) -> tuple[np.ndarray, np.ndarray]:
    """(standardised features, the same with group weights): z-scores, and what K-means sees."""
    from sklearn.preprocessing import StandardScaler  # scikit-learn costs ~0.5 s to import

    values = raw[[f.column for f in features]].copy()
    for column in LOG_FEATURES:
        if column in values:
            values[column] = np.log1p(values[column].clip(lower=0))
    z = StandardScaler().fit_transform(values.to_numpy(dtype=float))
    sizes = pd.Series([f.group for f in features]).value_counts()
    weights = np.array([sizes[f.group] ** -GROUP_DAMPING for f in features])
    return z, z * weights


def distinct_profiles(raw: pd.DataFrame, features: list[Feature]) -> int:
    """How many different feature rows the buyers have (0 when no feature varies).

    K-means can make at most this many non-empty clusters; below 2 there is
    nothing to cluster. Rounded so float noise in shares does not count as a difference.
    """
    if not features:
        return 0
    values = raw[[f.column for f in features]].round(9)
    return int(len(values.drop_duplicates()))


def cluster(x: np.ndarray, k: int | None, k_min: int, k_max: int) -> Clustering:
    """K-means with the given k, or the k in k_min..k_max with the best silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(RANDOM_STATE)
    n = len(x)
    fit_rows = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)) if n > FIT_SAMPLE else None
    sample = x[fit_rows] if fit_rows is not None else x
    score_rows = (
        np.sort(rng.choice(len(sample), SILHOUETTE_SAMPLE, replace=False))
        if len(sample) > SILHOUETTE_SAMPLE
        else slice(None)
    )
    candidates = [k] if k is not None else list(range(k_min, k_max + 1))
    models: dict[int, KMeans] = {}
    scores: dict[int, float] = {}
    for size in candidates:
        # One OpenMP thread: on a sample this small, threads mostly wait on each other
        # (10x slower on a busy 2-core machine).
        with threadpool_limits(limits=1, user_api="openmp"):
            model = KMeans(n_clusters=size, n_init=N_INIT, random_state=RANDOM_STATE).fit(sample)
        models[size] = model
        scores[size] = float(silhouette_score(sample[score_rows], model.labels_[score_rows]))
    best = max(candidates, key=lambda size: (scores[size], -size))
    model = models[best]
    if fit_rows is None:
        labels = model.labels_
    else:
        with threadpool_limits(limits=1, user_api="openmp"):
            labels = model.predict(x)
    # A cluster K-means left empty (possible when assigning buyers outside the fit sample)
    # is dropped, never reported as a persona of 0 buyers.
    used = int(np.unique(labels).size)
    if used < best and used >= 2:
        rows = (
            slice(None)
            if len(x) <= SILHOUETTE_SAMPLE
            else rng.choice(len(x), SILHOUETTE_SAMPLE, replace=False)
        )
        scores[used] = float(silhouette_score(x[rows], labels[rows]))
    return Clustering(used, scores, _by_size(labels, best))


def _by_size(labels: np.ndarray, k: int) -> np.ndarray:
    """Relabel non-empty clusters 0..n-1 from the largest to the smallest (ties by old label)."""
    counts = np.bincount(labels, minlength=k)
    order = sorted((c for c in range(k) if counts[c]), key=lambda c: (-counts[c], c))
    mapping = np.full(k, -1, dtype=np.int64)
    mapping[order] = np.arange(len(order))
    return mapping[labels]


def cluster_profiles(
    z: np.ndarray, raw: pd.DataFrame, features: list[Feature], labels: np.ndarray, k: int
) -> list[pd.DataFrame]:
    """Per cluster: every feature's z-score of the cluster mean, raw mean and ratio to the average."""
    overall = raw[[f.column for f in features]].mean()
    profiles = []
    for label in range(k):
        rows = labels == label
        mean = raw.loc[rows, [f.column for f in features]].mean()
        ratio = mean / overall.where(overall != 0)
        profiles.append(
            pd.DataFrame(
                {
                    "feature": [f.column for f in features],
                    "group": [f.group for f in features],
                    "key": [f.key for f in features],
                    "z": z[rows].mean(axis=0),
                    "mean": mean.to_numpy(),
                    "overall": overall.to_numpy(),
                    "ratio": ratio.to_numpy(),
                }
            )
        )
    return profiles


def distinguishing(profile: pd.DataFrame, top: int = 4) -> pd.DataFrame:
    """The features that set a cluster apart most (|z| >= DISTINCT_Z, else the single largest)."""
    ranked = profile.assign(size=profile["z"].abs()).sort_values(
        ["size", "feature"], ascending=[False, True]
    )
    strong = ranked[ranked["size"] >= DISTINCT_Z]
    return (strong if not strong.empty else ranked).head(top).drop(columns="size")
