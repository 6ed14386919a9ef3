"""A metric's definition restated inside the question ("AOV (net sales / orders)", "conversion
rate, meaning attributed orders over delivered"): context that must agree with the semantic
model's ratio, never a new ask; one that contradicts it is asked back, naming both."""

from __future__ import annotations

from dataclasses import dataclass

from copilot.offline.vocabulary import metrics_named, reader_pattern
from knowledge.semantic import SemanticModel


@dataclass(frozen=True)
class Restated:
    """One ratio written as "numerator / denominator", where each side names one metric."""

    numerator: str
    denominator: str
    span: tuple[int, int]


def restated_ratios(text: str, model: SemanticModel) -> list[Restated]:
    """The ratios a text writes out as two metrics joined by a division word (lexicon
    reader_words restated_ratio: "/", "over", "divided by", "除以")."""
    found: list[Restated] = []
    for match in reader_pattern("restated_ratio").finditer(text):
        left, right = match.group("num"), match.group("den")
        num, den = metrics_named(left, model), metrics_named(right, model)
        if len(num) == 1 and len(den) == 1 and num != den:
            found.append(Restated(num[0], den[0], match.span()))
    return found


def ratio_of(metric: str, model: SemanticModel) -> tuple[str, str] | None:
    """The semantic model's (numerator, denominator) of a ratio metric, else None."""
    ratio = getattr(model.metric(metric), "ratio", None)
    return (ratio[0], ratio[1]) if ratio and len(ratio) == 2 else None
