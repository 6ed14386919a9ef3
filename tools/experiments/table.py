"""The result table of an A/B test: one row per variant with its rate, the rate's own
interval and the comparison with the control (store campaigns or the user's counts)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tools.experiments.variant_counts import Metric

EVENT_NAMES = {
    "conversion": "conversions",
    "ctr": "clicks",
    "open_rate": "opens",
    "unsubscribe_rate": "unsubscribes",
    "return_rate": "returns",
    "click_to_open": "clicks",
}
RATE_NAMES = {
    "conversion": "conversion_rate",
    "ctr": "ctr",
    "open_rate": "open_rate",
    "unsubscribe_rate": "unsubscribe_rate",
    "return_rate": "return_rate",
    "click_to_open": "click_to_open_rate",
}
# The size column of a metric whose rate is over other messages than the delivered ones.
SIZE_COLUMNS = {"click_to_open": "opens"}
# The table column of the events, where the event name is a metric of another meaning
# ("returns" is money in the semantic model; here it counts returned orders).
EVENT_COLUMNS = {**EVENT_NAMES, "return_rate": "returned_orders"}


def rate_interval(events: int, delivered: int, alpha: float) -> tuple[float, float] | None:
    """The Wilson score interval of one variant's rate at level 1 - alpha; None if none delivered.

    Wilson rather than the normal (Wald) interval: it stays inside [0, 1] and holds its
    coverage at the small rates of campaigns (statsmodels `proportion_confint`).
    """
    if delivered <= 0:
        return None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(events, delivered, alpha=alpha, method="wilson")
    return float(low), float(high)


def table_formats(metric: Metric) -> dict[str, str]:
    rate = RATE_NAMES[metric]
    return {
        "delivered": "integer",
        "size": "integer",
        "opens": "integer",
        EVENT_COLUMNS[metric]: "integer",
        rate: "percent",
        f"{rate}_ci_low": "percent",
        f"{rate}_ci_high": "percent",
        "absolute_lift": "points",
        "relative_lift": "percent",
        # The interval of the comparison: of the difference in points, or of the odds ratio.
        "difference_ci_low": "points",
        "difference_ci_high": "points",
        "odds_ratio_ci_low": "number",
        "odds_ratio_ci_high": "number",
        "p_value": "number",
    }


# What a comparison's interval is of -> its two columns: the difference of the rates (a
# z-test, in percentage points) or the odds ratio (Fisher's exact test, a plain ratio).
# One column per unit, so a column never mixes points with ratios.
_INTERVAL_COLUMNS = {
    "difference": ("difference_ci_low", "difference_ci_high"),
    "odds ratio": ("odds_ratio_ci_low", "odds_ratio_ci_high"),
}


def _comparison_interval(c: dict[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {column: None for pair in _INTERVAL_COLUMNS.values() for column in pair}
    if c.get("ci_of") in _INTERVAL_COLUMNS:
        low, high = _INTERVAL_COLUMNS[c["ci_of"]]
        cells[low], cells[high] = c.get("ci_low"), c.get("ci_high")
    return cells


def ab_table(results: list[dict[str, Any]], metric: Metric, alpha: float) -> pd.DataFrame:
    """One row per variant; `<rate>_ci_low/_high` = the variant's own rate interval (Wilson),
    `difference_ci_low/_high` (or `odds_ratio_ci_low/_high`) = the interval of its comparison
    with the control.

    The user's counts (results without a campaign id) have no campaign columns, and their
    size column is `size` (visitors, recipients ... as given), not `delivered`."""
    rate = RATE_NAMES[metric]
    rows = []
    for r in results:
        by_variant = {c["variant"]: c for c in r["comparisons"]}
        for v in r["variants"]:
            c = by_variant.get(v["variant"], {})
            interval = rate_interval(v["events"], v["delivered"], alpha) or (None, None)
            rows.append(
                {
                    "campaign_id": r["campaign_id"],
                    "campaign": r["name"],
                    "variant": v["variant"],
                    "delivered": v["delivered"],
                    EVENT_COLUMNS[metric]: v["events"],
                    rate: v["rate"],
                    f"{rate}_ci_low": interval[0],
                    f"{rate}_ci_high": interval[1],
                    "absolute_lift": c.get("absolute_lift"),
                    "relative_lift": c.get("relative_lift"),
                    "test": c.get("test"),
                    **_comparison_interval(c),
                    "p_value": c.get("p_value"),
                    "significant": c.get("significant"),
                }
            )
    frame = pd.DataFrame(rows)
    if metric in SIZE_COLUMNS:  # the click-to-open rate is over the opened messages
        frame = frame.rename(columns={"delivered": SIZE_COLUMNS[metric]})
    # An interval kind no comparison used is no column (most tables have one kind only).
    columns = [column for pair in _INTERVAL_COLUMNS.values() for column in pair]
    frame = frame.drop(columns=[c for c in columns if c in frame and frame[c].isna().all()])
    if results and results[0]["campaign_id"] is None:
        frame = frame.drop(columns=["campaign_id", "campaign"]).rename(
            columns={"delivered": "size"}
        )
    return frame
